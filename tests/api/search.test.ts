/** Search over HTTP: the spellings, descriptions, kinds, ranking and bad input. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "../gql/index.js";
import type { SearchableKind } from "../gql/graphql.js";
import { execute, query, startServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const SearchDocument = graphql(`
  query SearchOverHttp($query: String!, $kinds: [SearchableKind!], $first: Int, $after: String) {
    search(query: $query, kinds: $kinds, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { entity { key } matchedName matchedNameKind score }
    }
  }
`);
const search = async (text: string, kinds?: SearchableKind[]) => (await query(server, SearchDocument, { query: text, kinds, first: 100 })).search;

describe("search over HTTP", () => {
  it.each([
    ["szabo", "person/gyorgy-szabo", "György Szabó", "CANONICAL"],
    ["nazarbaev", "person/nursultan-nazarbayev", "Nursultan Nazarbayev", "CANONICAL"],
    ["Jarbusinova", "person/madina-jarbussynova", "Madina Jarbussynova", "CANONICAL"],
    ["Programmme", "office/osce-field-office-kazakhstan", "OSCE Programmme Office in Astana", "DOCUMENT_SPELLING"],
    ["NursultanNazarbayev", "person/nursultan-nazarbayev", "NursultanNazarbayev", "DOCUMENT_SPELLING"],
  ])("%s finds %s first, saying which name matched", async (text, key, matchedName, matchedNameKind) => {
    const [hit] = (await search(text)).nodes;
    expect(hit).toMatchObject({ entity: { key }, matchedName, matchedNameKind });
    expect(hit!.score).toBeGreaterThan(0);
  });

  it("matches descriptions too, below names", async () => {
    const { nodes } = await search("diplomat");
    expect(nodes[0]).toMatchObject({ entity: { key: "person/madina-jarbussynova" }, matchedNameKind: "DESCRIPTION", matchedName: "Kazakh diplomat" });
  });

  it("ranks best first and restricts to the kinds asked for", async () => {
    const all = await search("Astana");
    const scores = all.nodes.map((n) => n.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const events = await search("Astana", ["EVENT"]);
    expect(events.nodes.length).toBeGreaterThan(0);
    expect(events.nodes.every((n) => n.entity.key.startsWith("event/"))).toBe(true);
    expect(events.totalCount).toBeLessThan(all.totalCount);
  });

  it("pages through hits with cursors", async () => {
    const whole = (await search("osce")).nodes.map((n) => n.entity.key);
    const first = (await query(server, SearchDocument, { query: "osce", first: 2 })).search;
    const next = (await query(server, SearchDocument, { query: "osce", first: 2, after: first.pageInfo.endCursor })).search;
    expect([...first.nodes, ...next.nodes].map((n) => n.entity.key)).toEqual(whole.slice(0, 4));
  });
});

const SearchPageDocument = graphql(`
  query SearchPage($query: String!, $first: Int, $after: String, $last: Int, $before: String) {
    search(query: $query, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { entity { key } score } }
    }
  }
`);

describe("search pages, ranked only as far as they reach", () => {
  it("gives every page of the full ranking, forwards with first/after and backwards with last/before", async () => {
    const page = async (variables: { first?: number; after?: string | null; last?: number; before?: string | null }) =>
      (await query(server, SearchPageDocument, { query: "osce", ...variables })).search;
    const whole = await page({ first: 100 });
    expect(whole.totalCount).toBe(whole.edges.length);
    expect(whole.totalCount).toBeGreaterThan(7);
    const keys = whole.edges.map((e) => e.node.entity.key);

    const forwards: string[] = [];
    for (let after: string | null = null, more = true; more; ) {
      const next: Awaited<ReturnType<typeof page>> = await page({ first: 3, after });
      expect(next.totalCount).toBe(whole.totalCount);
      forwards.push(...next.edges.map((e) => e.node.entity.key));
      ({ endCursor: after, hasNextPage: more } = next.pageInfo);
    }
    expect(forwards).toEqual(keys);

    const tail = await page({ last: 3 });
    expect(tail.edges.map((e) => e.node.entity.key)).toEqual(keys.slice(-3));
    const before = await page({ last: 2, before: tail.pageInfo.startCursor });
    expect(before.edges.map((e) => e.node.entity.key)).toEqual(keys.slice(-5, -3));
    expect(before.pageInfo.hasPreviousPage).toBe(true);
  });
});

describe("bad search input over HTTP", () => {
  it.each([
    ["an empty query", ""],
    ["a blank query", "  \t "],
    ["a 10 KB query", "szabo ".repeat(1707)],
  ])("rejects %s with BAD_USER_INPUT naming the argument", async (_what, text) => {
    const result = await execute(server, SearchDocument, { query: text });
    expect(result.data?.search ?? null).toBeNull();
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", argumentName: "query" } });
    expect(result.errors?.[0]?.message).toMatch(/^Argument "query": search query is (empty|too long: 10242 characters, the limit is 200)/);
  });

  it.each([".*", "(a|b)+", "[", "\\", "^$", "+?*{2,}"])("treats %j as plain text, with a sane result", async (text) => {
    const result = await execute(server, SearchDocument, { query: text });
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.search!.nodes;
    // metacharacters only separate words; "(a|b)+" may match the word "a" in descriptions
    expect(nodes.every((n) => n.matchedNameKind === "DESCRIPTION")).toBe(true);
  });
});
