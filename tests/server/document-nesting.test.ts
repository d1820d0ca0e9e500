/**
 * A GraphQL document whose brackets nest deeper than any query needs is refused before it is
 * parsed (src/server/limits.ts, overNestingLimit): graphql-js's parser recurses once or more per
 * level of a selection set, a list or object literal or a list type, and with KZ_OSCE_MAX_TOKENS
 * raised a 4 KB `nodes(ids: [[[...]]])` ran it out of stack, answered 500 (red team 11, F5). The
 * subgraph's `_entities` case is in tests/federation/subgraph-limits.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { SearchIndex } from "../../src/graph/search.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { directPipelineOf } from "../../src/server/direct.js";
import { MAX_DOCUMENT_NESTING, overNestingLimit } from "../../src/server/limits.js";
import { firstError, JSON_HEADERS, post, send } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

/** The highest token limit KZ_OSCE_MAX_TOKENS allows (config.ts): the red team's setting. */
const MOST_TOKENS = 100_000;
const limits = { ...DEFAULT_CONFIG.limits, maxTokens: MOST_TOKENS };

const graph = await loadBuiltInGraph();
let server: TestServer;
beforeAll(async () => {
  server = await startServer(graph, { limits });
});
afterAll(() => server.close());

/** `levels` lists one inside the other around a 1 (red team 11's deep-post.mjs, `list`). */
const lists = (levels: number) => `${"[".repeat(levels)}1${"]".repeat(levels)}`;
/** `levels` input objects one inside the other (deep-post.mjs, `obj`). */
const objects = (levels: number) => `${"{a:".repeat(levels)}1${"}".repeat(levels)}`;
/** A query nesting `levels` inline fragments on Query, its brackets `levels` + 1 deep. */
const fragments = (levels: number) =>
  `{ ${"... on Query { ".repeat(levels)}__typename${" }".repeat(levels)} }`;

const TOO_DEEP = {
  code: "DOCUMENT_TOO_DEEP",
  message: `The document nests brackets ({ }, [ ], ( ): selection sets, lists, input objects, arguments) more than ${MAX_DOCUMENT_NESTING} deep (the document nesting limit), far deeper than any query needs: send a flatter document.`,
};

describe("overNestingLimit", () => {
  it("counts every kind of bracket, up to the first one over the limit", () => {
    expect(overNestingLimit("{ a(b: [{ c: 1 }]) { d } }", 5)).toBe(false);
    expect(overNestingLimit("{ a(b: [{ c: [1] }]) { d } }", 4)).toBe(true);
    // closing brackets end a level: a wide document is not a deep one
    expect(overNestingLimit(`{ ${"a { b } ".repeat(200)} }`, 2)).toBe(false);
    expect(overNestingLimit(lists(6), 5)).toBe(true);
  });

  it("counts no bracket inside a string, a block string or a comment, escapes included", () => {
    const deep = "[".repeat(10);
    expect(overNestingLimit(`{ a(b: "${deep}") }`, 2)).toBe(false);
    // an escaped quote does not end the string; an escaped backslash before the quote does
    expect(overNestingLimit(`{ a(b: "\\"${deep}") }`, 2)).toBe(false);
    expect(overNestingLimit(`{ a(b: "\\\\", c: [[1]]) }`, 3)).toBe(true);
    // a block string ends at its closing """ only, not at a quote or an escaped \"""
    expect(overNestingLimit(`{ a(b: """ " ${deep} \\""" ${deep} """) }`, 2)).toBe(false);
    expect(overNestingLimit(`{ a(b: """x""", c: [[1]]) }`, 3)).toBe(true);
    expect(overNestingLimit(`# ${deep}\n{ a }`, 1)).toBe(false);
    expect(overNestingLimit(`# ${deep}\r{ a(b: [[1]]) }`, 3)).toBe(true);
    // a string left open ends with its line, as graphql-js's lexer ends it (with an error)
    expect(overNestingLimit(`{ a(b: "open\n${deep}`, 5)).toBe(true);
  });
});

describe("a document nested deeper than any query needs, with the token limit at its highest", () => {
  it("is refused 400 DOCUMENT_TOO_DEEP over POST, where a list literal of 2,000 levels (4 KB) answered 500", async () => {
    for (const query of [
      `{ nodes(ids: ${lists(2000)}) { id } }`,
      `{ nodes(ids: ${lists(40_000)}) { id } }`,
      `{ nodes(ids: ${objects(2000)}) { id } }`,
      fragments(3000),
      `query($v: ${lists(20_000).replace("1", "ID")}) { __typename }`,
    ]) {
      const response = await post(server, query);
      expect(response.status, query.slice(0, 40)).toBe(400);
      expect(firstError(response), query.slice(0, 40)).toEqual(TOO_DEEP);
    }
  });

  it("is refused over GET, and in one operation of a batch while the other is answered", async () => {
    const query = `{ nodes(ids: ${lists(2000)}) { id } }`;
    const get = await send(server, {
      path: `/graphql?query=${encodeURIComponent(query)}`,
      headers: { accept: "application/graphql-response+json" },
    });
    expect(get.status).toBe(400);
    expect(firstError(get)).toEqual(TOO_DEEP);
    const batch = await send(server, {
      headers: JSON_HEADERS,
      body: JSON.stringify([{ query: '{ state(key: "kazakhstan") { name } }' }, { query }]),
    });
    expect(batch.json[0]).toEqual({ data: { state: { name: "Kazakhstan" } } });
    expect(batch.json[1].errors[0]).toMatchObject({
      message: TOO_DEEP.message,
      extensions: { code: TOO_DEEP.code },
    });
  });

  it(`answers a document ${MAX_DOCUMENT_NESTING} brackets deep as before, and refuses one a bracket deeper`, async () => {
    const deepest = await post(server, fragments(MAX_DOCUMENT_NESTING - 1));
    expect(deepest.json).toEqual({ data: { __typename: "Query" } });
    const over = await post(server, fragments(MAX_DOCUMENT_NESTING));
    expect(firstError(over)).toEqual(TOO_DEEP);
  });

  it("answers a document whose deep brackets are in a string, a block string and a comment", async () => {
    const deep = lists(3000);
    const response = await post(
      server,
      `# ${deep}\n{ a: state(key: "${deep}") { name } b: state(key: """${deep}""") { name } }`,
    );
    expect(response.status).toBe(200);
    expect(response.json.data).toEqual({ a: null, b: null });
    // each key refused as a key, not the document as too deep
    expect(
      response.json.errors.map((e: { extensions: { code: string } }) => e.extensions.code),
    ).toEqual(["BAD_USER_INPUT", "BAD_USER_INPUT"]);
  });
});

describe("the direct pipeline (the shortcut's, for plain queries)", () => {
  it("leaves a document over the nesting limit to Yoga, which refuses it, without parsing it", async () => {
    const search = SearchIndex.build(graph);
    const pipeline = directPipelineOf(server.app.yoga, { ...DEFAULT_CONFIG, limits }, () => ({
      graph,
      search,
    }));
    // a document graphql-js parses, validates and executes, but one bracket too deep
    expect(await pipeline.run({ query: fragments(MAX_DOCUMENT_NESTING) })).toBeUndefined();
    expect(await pipeline.run({ query: fragments(MAX_DOCUMENT_NESTING - 1) })).toEqual({
      data: { __typename: "Query" },
    });
  });
});
