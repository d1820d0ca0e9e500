/**
 * src/server/overlap-work.ts: what graphql-js's OverlappingFieldsCanBeMergedRule would spend on a
 * document, known from above before the rule runs, and the documents refused for it (validate.ts).
 */
import { Kind, parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schema } from "../../src/schema/index.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { MAX_OVERLAP_WORK, overlapWork } from "../../src/server/overlap-work.js";
import * as webDocuments from "../../web/src/gql/graphql.js";
import { docs as pageDocuments } from "../fixtures/page-documents.js";
import * as testDocuments from "../gql/graphql.js";
import { post } from "../support/http.js";
import { overlapSpend } from "../support/overlap-spend.js";
import { startServer, type TestServer } from "../support/server.js";

const repeated = (times: number, text: string) =>
  Array.from({ length: times }, () => text).join(" ");

/**
 * Documents that make the rule work: the same fields again and again, in every way, `scale` times
 * the repetitions of the first shapes (1: each one past the limit; the bound's test takes fewer).
 */
function shapes(scale: number): Record<string, string> {
  const n = (times: number) => Math.max(2, Math.round(times * scale));
  return {
    [`${n(480)} times persons { totalCount }`]: `{ ${repeated(n(480), "persons { totalCount }")} }`,
    [`${n(190)} times persons { nodes { name } }`]: `{ ${repeated(n(190), "persons { nodes { name } }")} }`,
    [`${n(20)} times persons { ${n(20)} times totalCount }`]: `{ ${repeated(n(20), `persons { ${repeated(n(20), "totalCount")} }`)} }`,
    [`${n(1990)} times __typename`]: `{ ${repeated(n(1990), "__typename")} }`,
    [`${n(150)} times with arguments`]: `{ ${repeated(n(150), "persons(first: 1, after: null) { totalCount }")} }`,
    [`${n(40)} fragments of the same fields`]: `{ ${Array.from({ length: n(40) }, (_, i) => `...F${i}`).join(" ")} } ${Array.from({ length: n(40) }, (_, i) => `fragment F${i} on Query { persons { nodes { name } } }`).join(" ")}`,
    [`${n(100)} fragments of fields of their own`]: `{ ${Array.from({ length: n(100) }, (_, i) => `...G${i}`).join(" ")} } ${Array.from({ length: n(100) }, (_, i) => `fragment G${i} on Query { g${i}: persons { totalCount } }`).join(" ")}`,
    // review 31: fragments spread under repeated fields, unknown ones, and ones spreading themselves
    "two persons spreading the same two fragments": `{ persons { ...A ...B } persons { ...A ...B } } fragment A on QueryPersonsConnection { a: totalCount } fragment B on QueryPersonsConnection { b: totalCount }`,
    [`${n(20)} times persons { 8 spreads }`]: `{ ${repeated(n(20), `persons { ${Array.from({ length: 8 }, (_, i) => `...S${i}`).join(" ")} }`)} } ${Array.from({ length: 8 }, (_, i) => `fragment S${i} on QueryPersonsConnection { t${i}: totalCount }`).join(" ")}`,
    [`two chains of ${n(90)} fragments side by side`]: `{ ...A0 ...B0 } ${["A", "B"].map((c) => Array.from({ length: n(90) }, (_, i) => `fragment ${c}${i} on Query { ${c.toLowerCase()}${i}: __typename ${i + 1 < n(90) ? `...${c}${i + 1}` : ""} }`).join(" ")).join(" ")}`,
    [`${n(50)} times persons { 18 unknown spreads }`]: `{ ${repeated(n(50), `persons { ${Array.from({ length: 18 }, (_, i) => `...U${i}`).join(" ")} }`)} }`,
    [`${n(80)} times persons { 10 fragments spreading themselves }`]: `{ ${repeated(n(80), `persons { ${Array.from({ length: 10 }, (_, i) => `...C${i}`).join(" ")} }`)} } ${Array.from({ length: 10 }, (_, i) => `fragment C${i} on QueryPersonsConnection { ...C${i} }`).join(" ")}`,
    "fragments spreading fragments": `{ persons { nodes { ...P ...Q ...R } } } fragment P on Person { name tenures { totalCount } ...Q } fragment Q on Person { name tenures { totalCount } ...R } fragment R on Person { name tenures { totalCount } }`,
    [`inline fragments of two types, ${n(30)} times`]: `{ node(id: "x") { ${repeated(n(30), "... on Person { id name } ... on Office { id name }")} } }`,
  };
}

/** A document of random repetitions (names from a few, aliases, arguments, fragments, inline fragments). */
function randomDocument(next: () => number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const names = ["persons", "offices", "nodes", "name", "totalCount", "tenures", "id", "key"];
  const types = ["Person", "Office", "Query", "PersonConnection"];
  const selection = (depth: number, fragments: readonly string[]): string => {
    const parts: string[] = [];
    for (let i = 1 + Math.floor(next() * 6); i > 0; i--) {
      const r = next();
      if (r < 0.12 && fragments.length > 0) parts.push(`...${pick(fragments)}`);
      else if (r < 0.2 && depth > 0)
        parts.push(`... on ${pick(types)} { ${selection(depth - 1, fragments)} }`);
      else {
        const alias = next() < 0.2 ? `${pick(["a", "b"])}: ` : "";
        const args =
          next() < 0.3
            ? `(first: ${Math.floor(next() * 3)}${next() < 0.3 ? ", after: null" : ""})`
            : "";
        const below = depth > 0 && next() < 0.5 ? ` { ${selection(depth - 1, fragments)} }` : "";
        const field = `${alias}${pick(names)}${args}${below}`;
        parts.push(repeated(next() < 0.3 ? 1 + Math.floor(next() * 5) : 1, field));
      }
    }
    return parts.join(" ");
  };
  const names_ = Array.from({ length: Math.floor(next() * 5) }, (_, i) => `F${i}`);
  // (a fragment spreads only those after it: no cycle)
  const fragments = names_.map(
    (name, i) => `fragment ${name} on ${pick(types)} { ${selection(2, names_.slice(i + 1))} }`,
  );
  return `{ ${selection(3, names_)} } ${fragments.join(" ")}`;
}

describe("overlapWork", () => {
  it("is never below what graphql-js's rule spends, for every shape of repetition and 200 random documents", () => {
    let seed = 20261207;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const documents = shapes(0.25);
    for (let i = 0; i < 200; i++) documents[`random ${i}`] = randomDocument(next);
    const below: string[] = [];
    let spentInAll = 0;
    for (const [name, text] of Object.entries(documents)) {
      const document = parse(text, { maxTokens: 1_000_000 });
      const spent = overlapSpend(schema, document);
      spentInAll += spent;
      const counted = overlapWork(schema, document, Number.POSITIVE_INFINITY);
      if (counted < spent) below.push(`${name}: ${counted} < ${spent}`);
    }
    expect(below).toEqual([]);
    // (the corpus makes the rule work: each of the first five shapes alone past the limit)
    expect(spentInAll).toBeGreaterThan(5 * MAX_OVERLAP_WORK);
  });

  it("stops counting once past its limit, and is past any for fragments that spread fields without end", () => {
    // two selection sets of 1,990 __typename each: the first alone is past the limit
    const twice = parse(
      `{ a: node(id: "x") { ${repeated(1990, "__typename")} } b: node(id: "y") { ${repeated(1990, "__typename")} } }`,
      { maxTokens: 1_000_000 },
    );
    const all = overlapWork(schema, twice, Number.POSITIVE_INFINITY);
    const past = overlapWork(schema, twice, 1000);
    expect(past).toBeGreaterThan(1000);
    expect(past).toBeLessThan(all);
    // each fragment spreads the next twice, under the same name: 2^20 fields to merge
    const doubling = parse(
      `{ ...F0 } ${Array.from({ length: 20 }, (_, i) => `fragment F${i} on Query { x { ...F${i + 1} } x { ...F${i + 1} } }`).join(" ")} fragment F20 on Query { z }`,
    );
    expect(overlapWork(schema, doubling, MAX_OVERLAP_WORK)).toBe(Number.POSITIVE_INFINITY);
  });

  it("merges the selections of a name given more than once, and gives up past 10,000 fields merged", () => {
    // fragments that each spread the next under three fields: no name repeats, so nothing is
    // compared and nothing merged below a selection set's own level (merging every field's
    // selections wholly re-merged each nested one at every level above it: 10 levels held the
    // loop 25-63 ms only to be refused, red team 40; and 512 tokens of fragments side by side,
    // six offices, were refused, review 41)
    const tree = (levels: number, names: [string, string, string]) =>
      parse(
        `{ office(key: "osce") { nameOn(date: "2010") { ...L0 } } } ${Array.from(
          { length: levels },
          (_, i) =>
            i === levels - 1
              ? `fragment L${i} on OfficeName { name }`
              : `fragment L${i} on OfficeName { name ${names[0]}: previous { ...L${i + 1} } ${names[1]}: next { ...L${i + 1} } ${names[2]}: office { nameOn(date: "2010") { ...L${i + 1} } } }`,
        ).join(" ")}`,
      );
    expect(overlapWork(schema, tree(10, ["a", "b", "c"]), MAX_OVERLAP_WORK)).toBe(0);
    // the same names given twice at every level: graphql-js compares them down to the leaves
    expect(overlapWork(schema, tree(10, ["a", "a", "c"]), MAX_OVERLAP_WORK)).toBe(
      Number.POSITIVE_INFINITY,
    );
    // 30 Apollo-style fragments on a list's items, the most the token limit lets through: 2,856
    // fields merged (review 31's heaviest real shape)
    const fragment = (i: number) =>
      `fragment P${i} on Person { __typename id key name${i % 3 === 0 ? " title" : ""} tenures(first: 5) { __typename nodes { __typename id key post { __typename id key } } } events(first: 3) { __typename nodes { __typename id key name } } }`;
    const apollo = `query { persons(first: 20) { __typename nodes { __typename id ${Array.from({ length: 30 }, (_, i) => `...P${i}`).join(" ")} } } } ${Array.from({ length: 30 }, (_, i) => fragment(i)).join(" ")}`;
    expect(() => parse(apollo, { maxTokens: DEFAULT_CONFIG.limits.maxTokens })).not.toThrow();
    const work = overlapWork(schema, parse(apollo), MAX_OVERLAP_WORK);
    expect(work).toBeGreaterThan(10_000);
    expect(work).toBeLessThanOrEqual(MAX_OVERLAP_WORK);
  });

  it("counts a page's Relay-style fragments side by side as graphql-js spends on them, far under the limit (review 41)", () => {
    // merging every field's selections wholly re-merged each nested one at every level above it:
    // six offices side by side (512 tokens) visited 11,779 fields, and were refused
    for (const [name, text] of Object.entries(pageDocuments)) {
      const document = parse(text);
      const work = overlapWork(schema, document, MAX_OVERLAP_WORK);
      expect({ name, work: work >= overlapSpend(schema, document) }).toEqual({ name, work: true });
      expect({ name, under: work < 1_000 }).toEqual({ name, under: true });
    }
  });

  it("counts nothing for the explorer's and the tests' documents, and little for fragments that each select an id", () => {
    const counted: Record<string, number> = {};
    for (const [name, value] of [...Object.entries(testDocuments), ...Object.entries(webDocuments)])
      if ((value as { kind?: unknown } | undefined)?.kind === Kind.DOCUMENT)
        counted[name] = overlapWork(schema, value as never, MAX_OVERLAP_WORK);
    expect(Object.keys(counted).length).toBeGreaterThan(100);
    expect(Object.entries(counted).filter(([, work]) => work > 0)).toEqual([]);
    // a page of 30 components, each with its fragment on the same person (Relay's way)
    const relay = `query { person(key: "person/x") { id ${Array.from({ length: 30 }, (_, i) => `...C${i}`).join(" ")} } } ${Array.from({ length: 30 }, (_, i) => `fragment C${i} on Person { id name }`).join(" ")}`;
    expect(overlapWork(schema, parse(relay), MAX_OVERLAP_WORK)).toBeLessThan(MAX_OVERLAP_WORK / 2);
  });
});

describe("a document that repeats the same fields past the overlapping fields limit", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it.each(Object.entries(shapes(1)).slice(0, 5))(
    "is refused before graphql-js compares them: %s",
    async (_name, text) => {
      const response = await post(server, text);
      expect(response.status).toBe(400);
      expect(response.json.errors).toEqual([
        {
          message: expect.stringMatching(
            /^The query selects the same fields too many times: checking that its fields of the same response name can be merged would take graphql-js over 50000 comparisons/,
          ),
          extensions: { code: "QUERY_TOO_COMPLEX", limit: MAX_OVERLAP_WORK },
        },
      ]);
    },
  );

  it("lets a query through that repeats a field as real ones do", async () => {
    const response = await post(
      server,
      `{ persons(first: 2) { nodes { name name ...N } } } fragment N on Person { name key }`,
    );
    expect(response.status).toBe(200);
    expect(response.json.errors).toBeUndefined();
    expect(response.json.data.persons.nodes).toHaveLength(2);
  });
});
