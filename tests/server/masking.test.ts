/**
 * What the server tells a client about itself: unexpected errors masked (no message, no stack),
 * intended errors kept, introspection and GraphiQL switchable, and no "Did you mean" suggestions
 * once introspection is off.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { firstError, post, send } from "../support/http.js";
import { startedServers, type TestServer } from "../support/server.js";

const SECRET = "connection string postgres://admin:hunter2@db.internal";

let graph: KnowledgeGraph;
const servers = startedServers();
const serve = servers.start;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
});
afterAll(() => servers.closeAll());

/** The built-in graph, except that looking up a person fails with an internal error. */
function brokenGraph(): KnowledgeGraph {
  const broken = Object.create(graph) as KnowledgeGraph;
  const fail = () => {
    throw new Error(`database unreachable: ${SECRET}`);
  };
  Object.defineProperty(broken, "get", {
    value: (kind: string, key: string) =>
      kind === "person" ? fail() : graph.get(kind as never, key),
  });
  Object.defineProperty(broken, "getMany", {
    value: (kind: string, keys: string[]) =>
      kind === "person" ? Promise.resolve().then(fail) : graph.getMany(kind as never, keys),
  });
  return broken;
}

describe("unexpected errors", () => {
  it("are masked: a generic message and code, no internal message or stack anywhere in the response", async () => {
    const server = await serve(brokenGraph());
    const response = await post(
      server,
      '{ state(key: "kazakhstan") { name } person(key: "gyorgy-szabo") { name } }',
    );
    expect(response.status).toBe(200);
    expect(response.json.data).toEqual({ state: { name: "Kazakhstan" }, person: null });
    expect(response.json.errors).toEqual([
      {
        message: "Unexpected error.",
        locations: [{ line: 1, column: 37 }],
        path: ["person"],
        extensions: { code: "INTERNAL_SERVER_ERROR" },
      },
    ]);
    expect(response.text).not.toContain("hunter2");
    expect(response.text).not.toContain("database");
    expect(response.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it("keep the message and stack in extensions.originalError only with exposeErrors (KZ_OSCE_EXPOSE_ERRORS=true)", async () => {
    const server = await serve(brokenGraph(), { exposeErrors: true });
    const response = await post(server, '{ person(key: "gyorgy-szabo") { name } }');
    const error = response.json.errors[0];
    expect(error.message).toBe("Unexpected error.");
    expect(error.extensions.originalError.message).toBe(`database unreachable: ${SECRET}`);
    expect(error.extensions.originalError.stack).toMatch(/masking\.test\.ts/);
  });

  it("do not mask the errors the schema raises on purpose", async () => {
    const server = await serve(graph);
    const response = await post(server, '{ person(key: "state/kazakhstan") { name } }');
    expect(firstError(response)).toEqual({
      code: "BAD_USER_INPUT",
      message:
        '"state/kazakhstan" is not a person key: person keys look like "person/slug" (or just "slug").',
    });
  });
});

describe("introspection off (KZ_OSCE_INTROSPECTION=false)", () => {
  let closed: TestServer;
  let open: TestServer;
  beforeAll(async () => {
    closed = await serve(graph, { introspection: false, graphiql: false });
    open = await serve(graph);
  });

  it("refuses __schema and __type with a message naming introspection, before executing", async () => {
    for (const query of [
      "{ __schema { queryType { name } } }",
      '{ __type(name: "Person") { name } }',
    ]) {
      const response = await post(closed, query);
      expect(response.status).toBe(400);
      expect(response.json.data).toBeUndefined();
      expect(firstError(response).message).toMatch(
        /^GraphQL introspection has been disabled, but the requested query contained the field "__(schema|type)"\.$/,
      );
    }
    expect((await post(open, "{ __schema { queryType { name } } }")).json).toEqual({
      data: { __schema: { queryType: { name: "Query" } } },
    });
  });

  it("still answers __typename and ordinary queries", async () => {
    expect((await post(closed, "{ __typename states { totalCount } }")).json).toEqual({
      data: { __typename: "Query", states: { totalCount: 6 } },
    });
  });

  it.each([
    [
      "a misspelt field",
      "{ statez { totalCount } }",
      'Cannot query field "statez" on type "Query".',
      "Did you mean",
    ],
    [
      "a misspelt argument",
      "{ states(frist: 2) { totalCount } }",
      'Unknown argument "frist" on field "Query.states".',
      "Did you mean",
    ],
    [
      "a misspelt type",
      "query($k: SearchableKnd) { __typename }",
      'Unknown type "SearchableKnd".',
      "Did you mean",
    ],
    [
      "a misspelt enum literal",
      '{ search(query: "x", kinds: [PERSN]) { totalCount } }',
      'Value "PERSN" does not exist in "SearchableKind" enum.',
      "Did you mean",
    ],
  ])(
    "hides the suggestions for %s, which introspection on would show",
    async (_what, query, message, suggestion) => {
      const hidden = await post(closed, query);
      expect(firstError(hidden).message).toBe(message);
      const shown = await post(open, query);
      expect(firstError(shown).message).toContain(suggestion);
    },
  );

  it("hides the suggestion for a misspelt enum value given as a variable", async () => {
    const query = 'query($k: [SearchableKind!]) { search(query: "x", kinds: $k) { totalCount } }';
    const hidden = await post(closed, query, { k: ["PERSN"] });
    expect(firstError(hidden).message).toBe(
      'Variable "$k" got invalid value "PERSN" at "k[0]"; Value "PERSN" does not exist in "SearchableKind" enum.',
    );
    expect(firstError(await post(open, query, { k: ["PERSN"] })).message).toContain(
      'Did you mean the enum value "PERSON"',
    );
  });
});

describe("GraphiQL", () => {
  it("is not served when KZ_OSCE_GRAPHIQL=false: a browser gets a GraphQL error, not the page", async () => {
    const server = await serve(graph, { graphiql: false });
    const response = await send(server, { headers: { accept: "text/html" } });
    expect(response.text).not.toMatch(/<html|graphiql/i);
    expect(response.status).toBeGreaterThanOrEqual(400);
  });
});

describe("validation that graphql-js would give up on", () => {
  it("is reported as QUERY_TOO_COMPLEX with a message that says what happened", async () => {
    // (refused before graphql-js compares the fields, src/server/overlap-work.ts; graphql-js's own
    // abort, should it come, is worded the same way: limits-codes.test.ts)
    const server = await serve(graph);
    const response = await post(server, `{ ${"__typename ".repeat(1500)} }`);
    expect(response.status).toBe(400);
    expect(firstError(response)).toEqual({
      code: "QUERY_TOO_COMPLEX",
      message: expect.stringMatching(/^The query selects the same fields too many times: /),
    });
  });
});
