/**
 * Limits on what one request may cost, each tried by a request that breaks it and by the largest
 * one it allows: depth, aliases, directives, tokens, cost (also with `first` from variables),
 * batches, body size and execution time.
 */
import { readFileSync } from "node:fs";
import { getIntrospectionQuery } from "graphql";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { firstError, JSON_HEADERS, post, postChunked, send } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

const limits = DEFAULT_CONFIG.limits;
let graph: KnowledgeGraph;
let server: TestServer;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
  server = await startServer(graph);
});
afterAll(() => server.close());

/**
 * A Relay-style query exactly `levels` deep: `state { persons { edges { node { nationality { persons ...`,
 * each connection adding `edges` and `node`, ending in a scalar.
 */
function relayQueryOfDepth(levels: number): string {
  const steps = ["persons(first: 1)", "edges", "node", "nationality"];
  const leafAfter: Record<string, string> = {
    "persons(first: 1)": "totalCount",
    edges: "cursor",
    node: "key",
    nationality: "key",
  };
  // state (1 level) + the chain + the scalar leaf (1 level)
  const chain = Array.from({ length: levels - 2 }, (_, i) => steps[i % steps.length]!);
  const leaf = chain.length ? leafAfter[chain[chain.length - 1]!]! : "key";
  return `{ state(key: "kazakhstan") { ${chain.map((f) => `${f} { `).join("")}${leaf}${" }".repeat(chain.length)} } }`;
}

describe("depth", () => {
  it(`accepts a Relay-style query ${limits.maxDepth} levels deep, each connection adding edges and node`, async () => {
    const response = await post(server, relayQueryOfDepth(limits.maxDepth));
    expect(response.status).toBe(200);
    expect(response.json.errors).toBeUndefined();
    expect(response.json.data.state).toBeTruthy();
  });

  it(`refuses a query ${limits.maxDepth + 1} levels deep before executing it, naming the limit and the depth found`, async () => {
    const response = await post(server, relayQueryOfDepth(limits.maxDepth + 1));
    expect(response.status).toBe(400);
    expect(response.json.data).toBeUndefined();
    expect(firstError(response)).toEqual({
      code: "DEPTH_LIMIT_EXCEEDED",
      message: `The query is ${limits.maxDepth + 1} levels deep; the depth limit is ${limits.maxDepth} (a connection's \`edges { node }\` counts two levels). Ask for fewer nested levels, or fetch the inner part in a second query with \`node(id:)\`.`,
    });
  });

  it("counts the fields inside fragments, not the fragments themselves", async () => {
    const depth = limits.maxDepth + 1;
    // the same too-deep query, with its inner half moved into a fragment
    const deep = relayQueryOfDepth(depth);
    const response = await post(
      server,
      deep
        .replace(
          '{ state(key: "kazakhstan") {',
          '{ state(key: "kazakhstan") { ...Deep } } fragment Deep on State {',
        )
        .replace(/ }$/, ""),
    );
    expect(response.status).toBe(400);
    expect(firstError(response).code).toBe("DEPTH_LIMIT_EXCEEDED");
  });

  it("lets GraphiQL's full introspection query through, however deep its type references go", async () => {
    const introspection = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    });
    const response = await post(server, introspection);
    expect(response.status).toBe(200);
    expect(response.json.errors).toBeUndefined();
    expect(response.json.data.__schema.queryType.name).toBe("Query");
  });
});

describe("aliases and directives", () => {
  const aliased = (n: number) =>
    `{ ${Array.from({ length: n }, (_, i) => `a${i}: states(first: 1) { totalCount }`).join(" ")} }`;

  it(`accepts ${limits.maxAliases} aliases and refuses ${limits.maxAliases + 1}, naming the limit`, async () => {
    expect((await post(server, aliased(limits.maxAliases))).json.data.a0).toEqual({
      totalCount: 6,
    });
    const refused = await post(server, aliased(limits.maxAliases + 1));
    expect(refused.status).toBe(400);
    expect(firstError(refused)).toEqual({
      code: "ALIAS_LIMIT_EXCEEDED",
      message: `The operation uses ${limits.maxAliases + 1} aliases; the alias limit is ${limits.maxAliases}.`,
    });
  });

  it("counts aliases of __typename as any other (graphql-armor leaves them out), not __typename itself", async () => {
    const typenames = (n: number, aliased: boolean) =>
      `{ persons(first: 2) { nodes { ${Array.from({ length: n }, (_, i) => (aliased ? `t${i}: __typename` : "__typename")).join(" ")} } } }`;
    const refused = await post(server, typenames(limits.maxAliases + 1, true));
    expect(refused.status).toBe(400);
    expect(firstError(refused)).toEqual({
      code: "ALIAS_LIMIT_EXCEEDED",
      message: `The operation uses ${limits.maxAliases + 1} aliases; the alias limit is ${limits.maxAliases}.`,
    });
    const accepted = await post(server, typenames(limits.maxAliases, true));
    expect(accepted.json.data.persons.nodes[0].t0).toBe("Person");
    // a client's own __typename (Apollo Client adds it to every selection) is no alias
    expect((await post(server, typenames(limits.maxAliases + 1, false))).json.data).toEqual({
      persons: { nodes: [{ __typename: "Person" }, { __typename: "Person" }] },
    });
  });

  it("counts aliases inside fragments, once per use", async () => {
    const half = Math.ceil((limits.maxAliases + 1) / 2);
    const fragment = `fragment Many on Query { ${Array.from({ length: half }, (_, i) => `f${i}: states(first: 1) { totalCount }`).join(" ")} }`;
    const response = await post(
      server,
      `{ ...Many x: __typename ... on Query { ...Many } } ${fragment}`,
    );
    expect(firstError(response).code).toBe("ALIAS_LIMIT_EXCEEDED");
  });

  const directed = (n: number) =>
    `{ ${Array.from({ length: n }, () => "__typename @include(if: true)").join(" ")} }`;

  it(`accepts ${limits.maxDirectives} directives and refuses ${limits.maxDirectives + 1}, naming the limit`, async () => {
    const accepted = await post(
      server,
      `{ states(first: 1) { ${Array.from({ length: limits.maxDirectives }, () => "totalCount @include(if: true)").join(" ")} } }`,
    );
    expect(accepted.json).toEqual({ data: { states: { totalCount: 6 } } });
    const refused = await post(server, directed(limits.maxDirectives + 1));
    expect(refused.status).toBe(400);
    expect(firstError(refused)).toEqual({
      code: "DIRECTIVE_LIMIT_EXCEEDED",
      message: `The operation uses ${limits.maxDirectives + 1} directives; the directive limit is ${limits.maxDirectives}.`,
    });
  });
});

describe("tokens", () => {
  it(`refuses a document of more than ${limits.maxTokens} tokens while parsing it, naming the limit`, async () => {
    const response = await post(server, `{ ${"__typename ".repeat(limits.maxTokens)} }`);
    expect(response.status).toBe(400);
    expect(firstError(response)).toEqual({
      code: "TOKEN_LIMIT_EXCEEDED",
      message: `The document has more than ${limits.maxTokens} tokens (the token limit): send a smaller query.`,
    });
  });

  it("accepts a document of exactly the token limit", async () => {
    // { search ( query : "Astana" , kinds : [ ...n values ] ) { totalCount } } is 16 tokens and the values
    const kinds = Array(limits.maxTokens - 16)
      .fill("PLACE")
      .join(" ");
    const response = await post(
      server,
      `{ search(query: "Astana", kinds: [${kinds}]) { totalCount } }`,
    );
    expect(response.status).toBe(200);
    expect(response.json.errors).toBeUndefined();
    expect(response.json.data.search.totalCount).toBeGreaterThan(0);
  });
});

describe("cost", () => {
  // offices by global id, each with its tenures filtered four times by a filter of `conditions` conditions
  const DOCUMENTED_QUERY =
    "query($ids: [ID!]!, $f: TenureFilter) { nodes(ids: $ids) { ... on Office { t1: tenures(filter: $f) { totalCount } t2: tenures(filter: $f) { totalCount } t3: tenures(filter: $f) { totalCount } t4: tenures(filter: $f) { totalCount } } } }";
  const officeIds = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      Buffer.from(`Office:${graph.keys.office[i % graph.keys.office.length]}`).toString("base64"),
    );
  const filterOf = (conditions: number) => ({
    or: Array(conditions / 2).fill({ timing: { eq: "PERIOD" } }),
  });

  it("refuses, before executing it, a query whose filters would test too much, with its cost, the limit and the costliest path", async () => {
    const response = await post(server, DOCUMENTED_QUERY, {
      ids: officeIds(limits.maxListLength),
      f: filterOf(limits.maxFilterConditions),
    });
    expect(response.status).toBe(400);
    expect(response.json.data).toBeUndefined();
    const error = response.json.errors[0];
    expect(error.extensions.code).toBe("COST_LIMIT_EXCEEDED");
    expect(error.extensions.cost).toBeGreaterThan(limits.maxCost);
    expect(error.extensions).toMatchObject({ limit: limits.maxCost, path: "nodes.tenures" });
    expect(error.message).toContain(
      `would cost ${error.extensions.cost} units of work; the cost limit is ${limits.maxCost}`,
    );
    expect(error.message).toContain("The most costly part is `nodes.tenures`");
  });

  it("reads the variables: the same query passes with a tenth of the ids", async () => {
    const response = await post(server, DOCUMENTED_QUERY, {
      ids: officeIds(limits.maxListLength / 10),
      f: filterOf(limits.maxFilterConditions),
    });
    expect(response.status).toBe(200);
    expect(response.json.errors).toBeUndefined();
    expect(response.json.data.nodes).toHaveLength(limits.maxListLength / 10);
  });

  it("answers exactly what docs/operations.md shows for the refused query", async () => {
    const page = readFileSync(new URL("../../docs/operations.md", import.meta.url), "utf8");
    const section = page.slice(page.indexOf("## Limits\n"));
    const shown = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(section)![1]!);
    expect(section.replace(/\s*\n\s*/g, " ")).toContain(DOCUMENTED_QUERY);
    expect(
      (await post(server, DOCUMENTED_QUERY, { ids: officeIds(1000), f: filterOf(100) })).json,
    ).toEqual(shown);
  });
});

describe("pagination bounds, over HTTP", () => {
  it("refuses first: 101 with BAD_USER_INPUT naming `first` and the bounds, rather than capping it", async () => {
    const response = await post(server, "{ priorities(first: 101) { totalCount } }");
    expect(response.json.data).toEqual({ priorities: null });
    expect(response.json.errors).toEqual([
      expect.objectContaining({
        message:
          'Argument "first": must be between 0 and 100 (default 20), got 101. Page through longer lists with `after`/`before`.',
        extensions: { code: "BAD_USER_INPUT", argumentName: "first" },
      }),
    ]);
  });

  it("refuses a negative last given as a variable, naming `last`", async () => {
    const response = await post(
      server,
      'query($n: Int) { state(key: "kazakhstan") { priorities(last: $n) { totalCount } } }',
      { n: -1 },
    );
    expect(response.json.errors[0].message).toBe(
      'Argument "last": must be between 0 and 100 (default 20), got -1. Page through longer lists with `after`/`before`.',
    );
    expect(response.json.errors[0].extensions).toEqual({
      code: "BAD_USER_INPUT",
      argumentName: "last",
    });
  });

  it("accepts first: 100 and first: 0", async () => {
    const response = await post(
      server,
      "{ all: priorities(first: 100) { totalCount nodes { key } } none: priorities(first: 0) { nodes { key } pageInfo { hasNextPage startCursor } } }",
    );
    expect(response.json.errors).toBeUndefined();
    expect(response.json.data.all.nodes).toHaveLength(graph.keys.priority.length);
    expect(response.json.data.none).toEqual({
      nodes: [],
      pageInfo: { hasNextPage: true, startCursor: null },
    });
  });

  it("refuses a cursor it did not issue, naming the argument", async () => {
    const forged = Buffer.from("OffsetConnection:-5").toString("base64");
    for (const [argument, value] of [
      ["after", "not a cursor"],
      ["before", forged],
    ] as const) {
      const response = await post(
        server,
        `{ priorities(${argument}: ${JSON.stringify(value)}) { totalCount } }`,
      );
      expect(response.json.errors[0].extensions).toEqual({
        code: "BAD_CURSOR",
        argumentName: argument,
      });
      expect(response.json.errors[0].message).toMatch(
        new RegExp(`^Argument "${argument}": ".*" is not a cursor of this API`),
      );
    }
  });
});

describe("batches", () => {
  const one = { query: "{ states { totalCount } }" };

  it(`answers a batch of ${DEFAULT_CONFIG.maxBatch} operations, one result each`, async () => {
    const response = await send(server, {
      headers: JSON_HEADERS,
      body: JSON.stringify(Array(DEFAULT_CONFIG.maxBatch).fill(one)),
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual(
      Array(DEFAULT_CONFIG.maxBatch).fill({ data: { states: { totalCount: 6 } } }),
    );
  });

  it(`refuses a batch of ${DEFAULT_CONFIG.maxBatch + 1} with 413, naming the limit`, async () => {
    const response = await send(server, {
      headers: JSON_HEADERS,
      body: JSON.stringify(Array(DEFAULT_CONFIG.maxBatch + 1).fill(one)),
    });
    expect(response.status).toBe(413);
    expect(firstError(response).message).toBe(
      `Batching is limited to ${DEFAULT_CONFIG.maxBatch} operations per request.`,
    );
  });

  it("refuses any batch when batching is off (KZ_OSCE_MAX_BATCH=0)", async () => {
    const unbatched = await startServer(graph, { maxBatch: 0 });
    try {
      const response = await send(unbatched, {
        headers: JSON_HEADERS,
        body: JSON.stringify([one]),
      });
      expect(response.status).toBe(400);
      expect(firstError(response).message).toBe("Batching is not supported.");
    } finally {
      await unbatched.close();
    }
  });
});

describe("request body size", () => {
  const limit = DEFAULT_CONFIG.maxBodyBytes;
  const tooLarge = `The request body is larger than ${limit} bytes (the body size limit). Send a smaller query, and pass large values as variables only if they fit.`;

  it("refuses a body whose Content-Length is over the limit with 413 and a clear message", async () => {
    const body = JSON.stringify({
      query: "{ states { totalCount } }",
      variables: { pad: "x".repeat(limit) },
    });
    const response = await send(server, { headers: JSON_HEADERS, body });
    expect(response.status).toBe(413);
    expect(response.json).toEqual({
      errors: [{ message: tooLarge, extensions: { code: "REQUEST_ENTITY_TOO_LARGE" } }],
    });
  });

  it("refuses a chunked body without Content-Length once it passes the limit", async () => {
    const chunk = "x".repeat(16 * 1024);
    const chunks = [
      `{"query":"{ states { totalCount } }","variables":{"pad":"`,
      ...Array(Math.ceil(limit / chunk.length) + 2).fill(chunk),
      `"}}`,
    ];
    const response = await postChunked(server, chunks);
    expect(response.status).toBe(413);
    expect(response.json.errors[0].message).toBe(tooLarge);
  });

  it("accepts a chunked body under the limit", async () => {
    const response = await postChunked(server, ['{"query":"{ states', ' { totalCount } }"}']);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ data: { states: { totalCount: 6 } } });
  });

  it("accepts a body of exactly the limit", async () => {
    const prefix = '{"query":"{ states { totalCount } }","variables":{"pad":"';
    const suffix = '"}}';
    const body = prefix + "x".repeat(limit - prefix.length - suffix.length) + suffix;
    expect(Buffer.byteLength(body)).toBe(limit);
    const response = await send(server, { headers: JSON_HEADERS, body });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ data: { states: { totalCount: 6 } } });
  });

  it("still answers after refusing a large body", async () => {
    await send(server, { headers: JSON_HEADERS, body: "x".repeat(limit + 1) });
    expect((await post(server, "{ states { totalCount } }")).json).toEqual({
      data: { states: { totalCount: 6 } },
    });
  });
});

describe("execution time", () => {
  // well under the cost limit, and enough fields that the deadline reads the clock (every 64 fields)
  const query = `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: priorities(first: 100) { nodes { key label dimension { name } } }`).join(" ")} }`;
  /**
   * A clock that moves on 5 ms at every read, so that a 1 ms limit is past at the first clock
   * read after the start, however fast the machine: without it the query would have to take
   * longer than 1 ms, which a fast machine may not. The returned spy puts the real clock back.
   */
  /**
   * The limits of a server whose executions time out after 1 ms: with a slice no turn uses up
   * (a scheduler of its own), an execution begins at once, so that what is stopped is an
   * execution under way. (With the default slice, the hurried clock used the turn up before the
   * execution began: it waited for its first turn until its 1 ms had passed, and was not begun.)
   */
  const hurriedLimits = { ...limits, executionTimeoutMs: 1, executionSliceMs: 599_999 };
  const hurryTheClock = () => {
    let now = performance.now();
    return vi.spyOn(performance, "now").mockImplementation(() => (now += 5));
  };

  it("stops an execution that runs past the time limit with 503 EXECUTION_TIMEOUT", async () => {
    const hurried = await startServer(graph, { limits: hurriedLimits });
    const clock = hurryTheClock();
    try {
      const response = await post(hurried, query);
      clock.mockRestore();
      expect(response.status).toBe(503);
      expect(firstError(response)).toEqual({
        code: "EXECUTION_TIMEOUT",
        message:
          "The query took longer than 1 ms to execute (the execution time limit) and was stopped. Ask for less.",
      });
      // the stopped server still answers, and nothing it had started is left to fail later
      // (an unhandled rejection would end the process, and fail this run)
      const after = await post(hurried, "{ states(first: 1) { totalCount } }");
      expect(after.status).toBe(200);
      // the same query within the default limit
      const normal = await post(server, query);
      expect(normal.status).toBe(200);
      expect(normal.json.data.a19.nodes).toHaveLength(graph.keys.priority.length);
    } finally {
      clock.mockRestore();
      await hurried.close();
    }
  });

  it("stops it the same way when Yoga executes it (a GET: the shortcut's direct pipeline takes plain POSTs only)", async () => {
    const hurried = await startServer(graph, { limits: hurriedLimits });
    const clock = hurryTheClock();
    try {
      const response = await send(hurried, {
        path: `/graphql?query=${encodeURIComponent(query)}`,
        headers: { accept: "application/graphql-response+json" },
      });
      clock.mockRestore();
      // the whole answer is the one error: no partial data, no error per stopped field
      expect({ status: response.status, json: response.json }).toEqual({
        status: 503,
        json: {
          errors: [
            {
              message:
                "The query took longer than 1 ms to execute (the execution time limit) and was stopped. Ask for less.",
              extensions: { code: "EXECUTION_TIMEOUT", limit: 1 },
            },
          ],
        },
      });
    } finally {
      clock.mockRestore();
      await hurried.close();
    }
  });

  it("leaves no promise rejection unhandled when it stops an execution with many root fields in flight (an unhandled one ends the Node process)", async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", record);
    const hurried = await startServer(graph, { limits: hurriedLimits });
    const clock = hurryTheClock();
    try {
      for (let round = 0; round < 5; round++) {
        const response = await post(hurried, query);
        expect(response.status).toBe(503);
        expect(firstError(response).code).toBe("EXECUTION_TIMEOUT");
      }
      clock.mockRestore();
      // fields still in flight after the answer throw at their next checkpoint, within a turn or
      // two of the event loop; a whole request's round trip takes many turns, and rejections are
      // reported after the microtasks of the turn that dropped them: one more turn, and all are in
      expect((await post(hurried, "{ states { totalCount } }")).json).toEqual({
        data: { states: { totalCount: 6 } },
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled.map((reason) => String(reason))).toEqual([]);
    } finally {
      clock.mockRestore();
      process.off("unhandledRejection", record);
      await hurried.close();
    }
  });
});
