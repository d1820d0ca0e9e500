/**
 * The cost limit, the filter-size limit and the bounds on variables, through the real HTTP app
 * (issue 11): natural questions pass at default page sizes, the two requests that held the event
 * loop (1.2 s on the built-in data, 19.6 s at 100k entities) are refused before anything runs,
 * and variables nested 10,000 deep or 100,000 long get a 400 naming the place instead of a 500.
 * At 100k entities the natural question is put to the server's limits without being executed
 * (its price is the subject there, not reading every person of the snapshot).
 */
import { parse, print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraphWithSnapshot } from "../../src/graph/snapshot/load.js";
import { schema } from "../../src/schema/index.js";
import { DEFAULT_CONFIG, INT_SETTINGS } from "../../src/server/config.js";
import { COST_WEIGHTS } from "../../src/server/cost.js";
import { costCounts } from "../../src/server/limits.js";
import { loadTrustedDocuments } from "../../src/server/trusted-documents.js";
import { buildLikeBuiltIn, cloneBuiltIn } from "../fixtures/datasets.js";
import { fragmentTree } from "../fixtures/page-documents.js";
import { graphql } from "../gql/index.js";
import { admissionOf } from "../support/admission.js";
import { JSON_HEADERS, post, type RawResponse, send } from "../support/http.js";
import { query, startServer, type TestServer } from "../support/server.js";

const limits = DEFAULT_CONFIG.limits;

const ALMATY_DECISIONS = graphql(`
  query AlmatyNameDecisions {
    offices(filter: { anyName: { contains: "Almaty" } }) {
      nodes {
        name
        nameHistory {
          nodes {
            name
            decidedBy {
              name
              participants {
                nodes {
                  role
                  entity { key label }
                }
              }
            }
          }
        }
      }
    }
  }
`);

/** Attack (a) of issue 11: 30 aliases of offices × tenures, each filtered by an `or` of 25,000 empty filters. */
const EMPTY_OR_ATTACK = `query($f: TenureFilter) { ${Array.from(
  { length: 30 },
  (_, i) => `o${i}: offices(first: 100) { nodes { tenures(first: 0, filter: $f) { totalCount } } }`,
).join(" ")} }`;
const EMPTY_OR = { or: Array.from({ length: 25_000 }, () => ({})) };

/** Attack (b) of issue 11 (a 7 KB body): 10 aliases of persons filtered by 200 `contains` that match nothing. */
const CONTAINS_ATTACK = `query($f: PersonFilter) { ${Array.from({ length: 10 }, (_, i) => `p${i}: persons(first: 1, filter: $f) { totalCount }`).join(" ")} }`;
const CONTAINS_200 = { or: Array.from({ length: 200 }, () => ({ anyName: { contains: "zzqq" } })) };

const errorOf = (response: RawResponse) =>
  response.json.errors?.[0] as { message: string; extensions: Record<string, unknown> };

let graph: KnowledgeGraph;
let server: TestServer;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
  server = await startServer(graph);
});
afterAll(() => server.close());

describe("natural questions pass at default page sizes", () => {
  it("answers the offices named like Almaty with the participants of the decisions that named them", async () => {
    const data = await query(server, ALMATY_DECISIONS);
    expect(data.offices.nodes.length).toBeGreaterThan(0);
    const names = data.offices.nodes.flatMap((o) => o.nameHistory.nodes);
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(names.some((n) => n.decidedBy && n.decidedBy.participants.nodes.length > 0)).toBe(true);
  });

  it("answers the largest pages of the built-in data nested three deep", async () => {
    const response = await post(
      server,
      "{ offices(first: 100) { nodes { posts(first: 100) { nodes { tenures(first: 100) { nodes { key holder { __typename } } } } } } } }",
    );
    expect(response.status).toBe(200);
    expect(response.json.errors).toBeUndefined();
    expect(response.json.data.offices.nodes).toHaveLength(graph.keys.office.length);
  });
});

describe("attack (a): 30 aliases of tenures filtered by 25,000 empty filters, on the built-in data", () => {
  it("is refused before its variables are even coerced: the `or` list is too long", async () => {
    const response = await post(server, EMPTY_OR_ATTACK, { f: EMPTY_OR });
    expect(response.status).toBe(400);
    expect(response.json.data).toBeUndefined();
    expect(errorOf(response).extensions).toMatchObject({
      code: "VARIABLE_LIST_TOO_LONG",
      variable: "f",
      path: "$f.or",
      found: 25_000,
    });
  });

  it("is refused as a filter too large, naming the list and the variable, when lists may be that long", async () => {
    const lenient = await startServer(graph, { limits: { ...limits, maxListLength: 100_000 } });
    const response = await post(lenient, EMPTY_OR_ATTACK, { f: EMPTY_OR }).finally(() =>
      lenient.close(),
    );
    expect(response.status).toBe(400);
    expect(response.json.data).toBeUndefined();
    const error = errorOf(response);
    expect(error.extensions).toMatchObject({
      code: "FILTER_TOO_LARGE",
      path: "offices.nodes.tenures",
      argument: "filter",
      variable: "f",
      found: 25_000,
      limit: limits.maxFilterConditions,
    });
    expect(error.message).toContain(
      `The argument \`filter\` of \`offices.nodes.tenures\` (variable $f) holds 25000 conditions; a filter may hold at most ${limits.maxFilterConditions}`,
    );
  });

  it("is refused by its cost alone when lists and filters may be as large as it", async () => {
    const lenient = await startServer(graph, {
      limits: { ...limits, maxListLength: 100_000, maxFilterConditions: 100_000 },
    });
    try {
      const response = await post(lenient, EMPTY_OR_ATTACK, { f: EMPTY_OR });
      expect(response.status).toBe(400);
      const error = errorOf(response);
      expect(error.extensions).toMatchObject({
        code: "COST_LIMIT_EXCEEDED",
        limit: limits.maxCost,
        path: "offices.nodes.tenures",
      });
      expect(error.extensions.cost).toBeGreaterThan(limits.maxCost);
      expect(error.message).toMatch(
        new RegExp(
          `^The query would cost ${error.extensions.cost} units of work; the cost limit is ${limits.maxCost}\\. The most costly part is \`offices\\.nodes\\.tenures\` \\(\\d+\\)\\.`,
        ),
      );
    } finally {
      await lenient.close();
    }
  });

  it("counts a filter given as a literal too", async () => {
    const literal = `{ offices(first: 100) { nodes { tenures(first: 0, filter: { or: [${Array(
      limits.maxFilterConditions + 1,
    )
      .fill("{}")
      .join(", ")}] }) { totalCount } } } }`;
    const response = await post(server, literal);
    expect(response.status).toBe(400);
    expect(errorOf(response).extensions).toMatchObject({
      code: "FILTER_TOO_LARGE",
      path: "offices.nodes.tenures",
      found: limits.maxFilterConditions + 1,
    });
    expect(errorOf(response).extensions.variable).toBeUndefined();
  });

  it("passes a filter of exactly the limit", async () => {
    const literal = `{ offices(first: 100) { nodes { tenures(first: 0, filter: { or: [${Array(limits.maxFilterConditions).fill("{}").join(", ")}] }) { totalCount } } } }`;
    const response = await post(server, literal);
    expect(response.json.errors).toBeUndefined();
  });
});

describe("attack (b): 10 aliases of persons filtered by 200 `contains`", () => {
  it("is refused before execution on the built-in data (as a filter too large)", async () => {
    const response = await post(server, CONTAINS_ATTACK, { f: CONTAINS_200 });
    expect(response.status).toBe(400);
    expect(errorOf(response).extensions).toMatchObject({
      code: "FILTER_TOO_LARGE",
      path: "persons",
      variable: "f",
      found: 400,
    });
  });

  // 100k generated entities: those of `npm run gen -- --entities 100000` (.cache/datasets is not
  // in git), generated here when no run before has kept them, so that the test runs everywhere.
  // Loaded as `npm start` loads them, from the dataset's snapshot (written by the first run that
  // needs it): a fifth of the CPU of a full load. The natural question is put to the limits the
  // server runs (executionAdmission, which Yoga's plugin and the direct pipeline call), not
  // executed: executing it reads every person from the snapshot, a second of CPU, and what this
  // test is about is its price at 100k, which the limits judge before anything executes (that a
  // snapshot's graph answers as the whole graph does: tests/graph/snapshot.test.ts).
  it("is refused by its cost at 100k entities, while one `contains` on every person passes", async () => {
    const { graph: large } = await loadJsonGraphWithSnapshot(generatedDataset(100_000));
    const big = await startServer(large, { limits: { ...limits, maxFilterConditions: 100_000 } });
    try {
      const refused = await post(big, CONTAINS_ATTACK, { f: CONTAINS_200 });
      expect(refused.status).toBe(400);
      expect(errorOf(refused).extensions).toMatchObject({
        code: "COST_LIMIT_EXCEEDED",
        path: "persons",
      });
      expect(errorOf(refused).extensions.cost).toBeGreaterThan(100 * limits.maxCost);
    } finally {
      await big.close();
    }
    const natural = admissionOf(limits)({
      schema,
      document: parse(
        '{ persons(first: 10, filter: { anyName: { contains: "zzqq" } }) { totalCount nodes { key } } }',
      ),
      contextValue: { graph: large },
      variableValues: {},
    });
    expect(natural.refused?.toJSON()).toBeUndefined();

    // the second red team's documents (bench/attack/priced-leaves.mjs), refused before execution
    // by the 100k graph's own shape, naming the costly path; the explorer's filtered timeline admitted
    const admit = (query: string, variables: Record<string, unknown> = {}) =>
      admissionOf(limits)({
        schema,
        document: parse(query),
        contextValue: { graph: large },
        variableValues: variables,
      }).refused?.toJSON() as { extensions?: Record<string, unknown> } | undefined;
    const aliases = (n: number, field: string) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(" ")} }`;
    const sourceIds = large.lists.source.map((s) =>
      Buffer.from(`Source:${s.id}`).toString("base64"),
    );
    const ids = Array.from({ length: 1000 }, (_, i) => sourceIds[i % sourceIds.length]!);
    const refusals: [string, Record<string, unknown>, string][] = [
      [aliases(30, "sources(first: 100) { nodes { text } }"), {}, "sources.nodes.text"],
      [
        aliases(
          30,
          "persons(first: 100) { nodes { provenance { ... on SourceQuote { source { text } } } } }",
        ),
        {},
        "persons.nodes.provenance.source.text",
      ],
      [
        `query($ids: [ID!]!) { ${Array.from({ length: 3 }, (_, i) => `a${i}: nodes(ids: $ids) { ... on Source { text } }`).join(" ")} }`,
        { ids },
        "nodes.text",
      ],
      [
        `query($ids: [ID!]!) { ${Array.from({ length: 30 }, (_, i) => `a${i}: nodes(ids: $ids) { id }`).join(" ")} }`,
        { ids },
        "nodes",
      ],
      [aliases(30, "__schema { types { fields { name type { name } } } }"), {}, "__schema"],
    ];
    for (const [text, variables, path] of refusals)
      expect(admit(text, variables)?.extensions, path).toMatchObject(
        // introspection is refused past its own limit, which names no path
        path === "__schema"
          ? { code: "INTROSPECTION_LIMIT_EXCEEDED", introspection: true }
          : { code: "COST_LIMIT_EXCEEDED", path },
      );
    const timeline = [...loadTrustedDocuments().values()].find((d) =>
      d.includes("query ExplorerTimeline"),
    )!;
    const office = large.lists.office[0]!.id;
    for (const filter of [
      { entity: { eq: office } },
      { kind: { in: ["EVENT", "TENURE_END"] } },
      { date: { overlaps: "2010/2016" } },
      { entity: { eq: office }, kind: { in: ["EVENT"] }, date: { overlaps: "2010/2016" } },
    ])
      expect(admit(timeline, { filter, after: null }), JSON.stringify(filter)).toBeUndefined();
  }, 300_000);
});

describe("variables bounded before coercion", () => {
  const nested = (depth: number, wrap: (inner: string) => string) => {
    let text = "{}";
    for (let i = 0; i < depth; i++) text = wrap(text);
    return text;
  };
  const body = (queryText: string, variablesJson: string) =>
    `{"query":${JSON.stringify(queryText)},"variables":${variablesJson}}`;
  const TENURES = "query($f: TenureFilter) { tenures(first: 1, filter: $f) { totalCount } }";

  it("refuses a `not` nested 10,000 deep with VARIABLE_TOO_DEEP, naming the variable and the place", async () => {
    const response = await send(server, {
      headers: JSON_HEADERS,
      body: body(TENURES, `{"f":${nested(10_000, (inner) => `{"not":${inner}}`)}}`),
    });
    expect(response.status).toBe(400);
    const error = errorOf(response);
    expect(error.extensions).toMatchObject({
      code: "VARIABLE_TOO_DEEP",
      variable: "f",
      path: `$f${".not".repeat(limits.maxVariableDepth)}`,
      limit: limits.maxVariableDepth,
    });
    expect(error.message).toBe(
      `The variable $f nests objects and lists more than ${limits.maxVariableDepth} levels deep (the variable depth limit), at $f${".not".repeat(limits.maxVariableDepth)}: send a flatter value.`,
    );
  });

  it("refuses an `and` list nested 5,000 deep (10,000 levels of JSON) with VARIABLE_TOO_DEEP", async () => {
    // (deeper than MAX_BODY_DEPTH, 12,000 levels, the body is refused before it is parsed)
    const response = await send(server, {
      headers: JSON_HEADERS,
      body: body(TENURES, `{"f":${nested(5_000, (inner) => `{"and":[${inner}]}`)}}`),
    });
    expect(response.status).toBe(400);
    expect(errorOf(response).extensions).toMatchObject({
      code: "VARIABLE_TOO_DEEP",
      variable: "f",
    });
    expect(errorOf(response).extensions.path).toMatch(/^\$f(\.and\[0\])+/);
  });

  it("refuses a list of 20,000 items with VARIABLE_LIST_TOO_LONG, naming the place", async () => {
    // (the largest body limit allowed: KZ_OSCE_MAX_BODY_BYTES goes no higher)
    const roomy = await startServer(graph, { maxBodyBytes: INT_SETTINGS.maxBodyBytes.max });
    try {
      const f = { key: { in: Array.from({ length: 20_000 }, (_, i) => `tenure/t${i}`) } };
      const response = await post(roomy, TENURES, { f });
      expect(response.status).toBe(400);
      expect(errorOf(response).extensions).toMatchObject({
        code: "VARIABLE_LIST_TOO_LONG",
        variable: "f",
        path: "$f.key.in",
        found: 20_000,
        limit: limits.maxListLength,
      });
      expect(errorOf(response).message).toBe(
        `The list at $f.key.in has 20000 items; the list length limit for variables is ${limits.maxListLength}: send fewer items, or split the request.`,
      );
    } finally {
      await roomy.close();
    }
  });

  it("applies to GET with the variables in the URL", async () => {
    const variables = JSON.stringify({ f: JSON.parse(nested(100, (inner) => `{"not":${inner}}`)) });
    const response = await send(server, {
      method: "GET",
      path: `/graphql?query=${encodeURIComponent(TENURES)}&variables=${encodeURIComponent(variables)}`,
      headers: { accept: "application/json" },
    });
    expect(response.status).toBe(400);
    expect(errorOf(response).extensions.code).toBe("VARIABLE_TOO_DEEP");
  });

  it("applies to each item of a batch, and answers the others", async () => {
    const deep = nested(10_000, (inner) => `{"not":${inner}}`);
    const batch = `[${body(TENURES, `{"f":${deep}}`)}, ${JSON.stringify({ query: print(ALMATY_DECISIONS) })}]`;
    const response = await send(server, { headers: JSON_HEADERS, body: batch });
    expect(response.status).toBeLessThan(500);
    expect(response.json[0].errors[0].extensions.code).toBe("VARIABLE_TOO_DEEP");
    expect(response.json[1].errors).toBeUndefined();
  });

  it("passes a variable exactly as deep as the limit on to validation of its value", async () => {
    // `not` objects: the innermost `{}` is level `maxVariableDepth`
    const f = JSON.parse(nested(limits.maxVariableDepth - 1, (inner) => `{"not":${inner}}`));
    const response = await post(server, TENURES, { f });
    expect(response.status).toBeLessThan(500);
    expect(errorOf(response)?.extensions.code).not.toBe("VARIABLE_TOO_DEEP");
  });
});

describe("the cost limit's edge", () => {
  it("accepts a query that costs exactly the limit and refuses it, naming its cost, when the limit is one unit less", async () => {
    const query = "{ persons(first: 100) { nodes { tenures(first: 100) { nodes { key } } } } }";
    // objects: persons 1 + each person's tenures connection 1 and the tenures of its page
    const cost =
      COST_WEIGHTS.OBJECT *
      (1 + graph.keys.person.length * (2 + graph.shape.relations.get("Person.tenures")!));
    const atLimit = await startServer(graph, { limits: { ...limits, maxCost: cost } });
    const underIt = await startServer(graph, { limits: { ...limits, maxCost: cost - 1 } });
    try {
      const accepted = await post(atLimit, query);
      expect(accepted.status).toBe(200);
      expect(accepted.json.errors).toBeUndefined();
      const refused = await post(underIt, query);
      expect(refused.status).toBe(400);
      expect(refused.json.data).toBeUndefined();
      expect(errorOf(refused).extensions).toMatchObject({
        code: "COST_LIMIT_EXCEEDED",
        cost,
        limit: cost - 1,
      });
    } finally {
      await Promise.all([atLimit.close(), underIt.close()]);
    }
  });
});

describe("the shape follows the graph served", () => {
  it("costs a query by the new graph's shape after a reload, not by a cost remembered from the old one", async () => {
    const query = "{ persons(first: 100) { nodes { tenures(first: 100) { nodes { key } } } } }";
    const dataset = cloneBuiltIn();
    const holder = dataset.persons[0].id;
    const template =
      dataset.tenures.find((t: { holder: string }) => t.holder === holder) ?? dataset.tenures[0];
    for (let i = 0; i < 10; i++)
      dataset.tenures.push({ ...structuredClone(template), id: `tenure/extra-${i}`, holder });
    const larger = buildLikeBuiltIn(dataset);
    const most = (g: KnowledgeGraph) => g.shape.relations.get("Person.tenures")!;
    expect(most(larger)).toBeGreaterThan(most(graph));
    // objects: persons 1 + each person's tenures connection 1 and the tenures of its page
    const costOn = (g: KnowledgeGraph) =>
      COST_WEIGHTS.OBJECT * (1 + g.keys.person.length * (2 + most(g)));
    const limit = costOn(graph);
    const reloading = await startServer(graph, { limits: { ...limits, maxCost: limit } });
    try {
      expect((await post(reloading, query)).json.errors).toBeUndefined();
      reloading.app.swap(larger);
      const refused = await post(reloading, query);
      expect(errorOf(refused).extensions).toMatchObject({
        code: "COST_LIMIT_EXCEEDED",
        cost: costOn(larger),
        limit,
      });
    } finally {
      await reloading.close();
    }
  });
});

describe("a refusal of the cost limit, by POST", () => {
  it("is priced once: the direct pipeline's admission, and Yoga's for its answer, share the work", async () => {
    // thirteen fragments, each spreading the next under `previous` and `next`: too large to
    // price (past MAX_PLAN_ENTRIES), 15-20 ms a walk, and it was walked twice
    const text = fragmentTree(13);
    const before = costCounts.computed;
    const response = await post(server, text);
    expect(response.status).toBe(400);
    expect(response.json.errors[0].extensions).toMatchObject({
      code: "COST_LIMIT_EXCEEDED",
      complete: false,
    });
    expect(costCounts.computed - before).toBe(1);
  });
});
