/**
 * The cost walk's per-document plan (cost.ts, PlanCache): what depends only on the document is
 * worked out once and kept from a document's second request on, keyed by the DocumentNode. Every
 * cost computed from a kept plan must be exactly the cost of a fresh walk of a freshly parsed
 * copy of the same text, whatever the variables and the graph's shape, and a document that
 * differs from another by one character must never get the other's plan.
 */
import { type DocumentNode, parse } from "graphql";
import { describe, expect, it } from "vitest";
import type { GraphShape } from "../../src/graph/shape.js";
import { schema } from "../../src/schema/index.js";
import {
  type CostOptions,
  MAX_PLAN_ENTRIES,
  operationCost,
  planCacheOf,
} from "../../src/server/cost.js";
import { fragmentTree, docs as pageDocuments } from "../fixtures/page-documents.js";

const shapeA: GraphShape = {
  relations: new Map([
    ["Query.offices", 13],
    ["Query.persons", 1000],
    ["Query.states", 57],
    ["Office.tenures", 4],
    ["Office.names", 6],
    ["Person.tenures", 3],
    ["State.tenures", 5],
    ["State.persons", 40],
  ]),
  provenance: 2,
  searchable: 500,
  pathVisits: 75,
  filterIndexes: new Map(),
  textLengths: new Map(),
};
const shapeB: GraphShape = {
  relations: new Map([
    ["Query.offices", 4000],
    ["Query.persons", 9],
    ["Query.states", 2],
    ["Office.tenures", 70],
    ["State.persons", 3],
  ]),
  provenance: 7,
  searchable: 90_000,
  pathVisits: 3000,
  filterIndexes: new Map(),
  textLengths: new Map([["Source.text", 50_000]]),
};
const options = (shape?: GraphShape, maxFilterConditions?: number): CostOptions => ({
  shape,
  listSize: 10,
  maxFilterConditions,
});

/** The cost of `text` as a fresh walk sees it: a new DocumentNode, never seen, so never planned. */
const fresh = (
  text: string,
  variables: Record<string, unknown>,
  opts: CostOptions,
  operationName?: string,
) => operationCost(schema, parse(text), operationName, variables, opts);

/** Cost `document` until its plan is kept (the second request keeps it, the third uses it). */
function warm(
  document: DocumentNode,
  variables: Record<string, unknown>,
  opts: CostOptions,
  operationName?: string,
): void {
  for (let i = 0; i < 3; i++) operationCost(schema, document, operationName, variables, opts);
}

const documents: { text: string; variables: Record<string, unknown>[] }[] = [
  {
    text: "query($n: Int, $m: Int) { states(first: $n) { totalCount nodes { key persons(first: $m) { nodes { key tenures { nodes { key } } } } } } }",
    variables: [{ n: 1, m: 1 }, { n: 50, m: 2 }, { n: 0, m: 9 }, {}, { n: 100, m: 100 }],
  },
  {
    text: "query($f: PersonFilter, $o: [PersonOrder!]) { persons(first: 20, filter: $f, orderBy: $o) { nodes { key names { text provenance { kind } } } } }",
    variables: [
      {},
      { f: { name: { contains: "a" } } },
      { f: { or: [{ name: { eq: "x" } }, { name: { eq: "y" } }, { not: { name: { eq: "z" } } }] } },
      { o: [{ field: "NAME" }] },
    ],
  },
  {
    text: "query($q: String!) { search(query: $q, first: 5) { totalCount nodes { entity { key label } } } }",
    variables: [{ q: "osce" }, { q: "one two three four" }, { q: "" }],
  },
  {
    text: "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Office { tenures { nodes { key } } } } }",
    variables: [{ ids: [] }, { ids: ["a"] }, { ids: ["a", "b", "c", "d"] }],
  },
  {
    text: "fragment F on Office { key tenures(first: 3) { nodes { key } } } query($k: String!) { office(key: $k) { ...F ...F names { text } } offices(first: 4) { nodes { ...F } } }",
    variables: [{ k: "a" }, { k: "b" }],
  },
  {
    text: "query A($n: Int) { offices(first: $n) { nodes { key } } } query B { persons(first: 3) { nodes { key tenures { nodes { key } } } } }",
    variables: [{ n: 2 }, { n: 90 }, {}],
  },
];

describe("the cost walk's per-document plan", () => {
  it("gives exactly a fresh walk's cost from the third request of a document on, for every variable set and shape", () => {
    for (const { text, variables } of documents) {
      const names = /query A/.test(text) ? ["A", "B"] : [undefined];
      for (const operationName of names) {
        const document = parse(text);
        for (const shape of [shapeA, shapeB, undefined]) {
          for (const maxFilterConditions of [undefined, 2]) {
            const opts = options(shape, maxFilterConditions);
            warm(document, variables[0]!, opts, operationName);
            for (const v of variables) {
              expect(
                operationCost(schema, document, operationName, v, opts),
                `${text} ${JSON.stringify(v)} ${operationName}`,
              ).toEqual(fresh(text, v, opts, operationName));
            }
          }
        }
      }
    }
  });

  it("keeps the plan of a document seen twice, and of none seen once", () => {
    const cache = planCacheOf(schema);
    const text = `query Once { offices(first: 2) { nodes { key } } } # ${Math.random()}`;
    const before = cache.documents;
    operationCost(schema, parse(text), undefined, {}, options(shapeA));
    expect(cache.documents).toBe(before);
    const document = parse(text);
    operationCost(schema, document, undefined, {}, options(shapeA));
    operationCost(schema, document, undefined, {}, options(shapeA));
    expect(cache.documents).toBe(before + 1);
  });

  it("never gives a document the plan of a near-identical one", () => {
    // each differs from the one before in one character or one token: a literal, an alias, a
    // fragment's type condition, a field, an operation's name
    const family = [
      "{ offices(first: 5) { nodes { tenures(first: 3) { nodes { key } } } } }",
      "{ offices(first: 50) { nodes { tenures(first: 2) { nodes { key } } } } }",
      "{ offices(first: 50) { nodes { tenures(last: 1) { nodes { key } } } } }",
      "{ offices(first: 50) { nodes { tenures(last: 1) { edges { node { key } } } } } }",
      "{ offices(first: 50) { nodes { t: tenures(last: 1) { edges { node { key } } } tenures { nodes { key } } } } }",
      "{ offices(first: 50) { nodes { tenures(last: 1) { edges { node { key } } } tenures { nodes { key } } } } }",
      '{ offices(first: 50, filter: { name: { eq: "a" } }) { nodes { key } } }',
      '{ offices(first: 50, filter: { or: [{ name: { eq: "a" } }, { name: { eq: "b" } }, { name: { eq: "c" } }] }) { nodes { key } } }',
      '{ node(id: "x") { ... on Office { tenures { nodes { key } } } } }',
      '{ node(id: "x") { ... on Person { tenures { nodes { key } } } } }',
      '{ node(id: "x") { ... on PostHolder { tenures { nodes { key } } } } }',
      "fragment F on Office { names { text } } { offices(first: 4) { nodes { ...F } } }",
      "fragment F on Person { names { text } } { offices(first: 4) { nodes { ...F } } }",
      '{ search(query: "a", first: 5) { nodes { entity { key } } } }',
      '{ search(query: "a b", first: 5) { nodes { entity { key } } } }',
    ];
    const opts = options(shapeA, 2);
    const parsed = family.map((text) => parse(text));
    // interleaved: every plan is kept while the others are
    for (let i = 0; i < 3; i++)
      for (const document of parsed) operationCost(schema, document, undefined, {}, opts);
    const costs = parsed.map((document) => operationCost(schema, document, undefined, {}, opts));
    family.forEach((text, i) => expect(costs[i], text).toEqual(fresh(text, {}, opts)));
    // and they do differ from their neighbours: the family tests something
    for (let i = 1; i < family.length; i++)
      expect(costs[i], `${family[i]} against ${family[i - 1]}`).not.toEqual(costs[i - 1]);
    // the same text parsed again is another document: it gets its own plan, and the same cost
    const again = parse(family[8]!);
    expect(operationCost(schema, again, undefined, {}, opts)).toEqual(costs[8]);
  });

  it("reports a filter over the limit given as a literal from a kept plan, and one given by a variable only when it is", () => {
    const literal =
      '{ persons(first: 5, filter: { or: [{ name: { eq: "a" } }, { name: { eq: "b" } }, { name: { eq: "c" } }] }) { nodes { key } } }';
    const document = parse(literal);
    warm(document, {}, options(shapeA, 2));
    const refused = operationCost(schema, document, undefined, {}, options(shapeA, 2));
    expect(refused).toMatchObject({
      ok: true,
      complete: false,
      tooLargeFilter: { path: "persons", variable: undefined },
    });
    expect(refused).toEqual(fresh(literal, {}, options(shapeA, 2)));
    expect(operationCost(schema, document, undefined, {}, options(shapeA, 5))).toEqual(
      fresh(literal, {}, options(shapeA, 5)),
    );

    const byVariable =
      "query($f: PersonFilter) { persons(first: 5, filter: $f) { nodes { key } } }";
    const doc = parse(byVariable);
    warm(doc, {}, options(shapeA, 2));
    const three = {
      f: { or: [{ name: { eq: "a" } }, { name: { eq: "b" } }, { name: { eq: "c" } }] },
    };
    expect(operationCost(schema, doc, undefined, three, options(shapeA, 2))).toMatchObject({
      tooLargeFilter: { path: "persons", variable: "f" },
    });
    expect(operationCost(schema, doc, undefined, three, options(shapeA, 2))).toEqual(
      fresh(byVariable, three, options(shapeA, 2)),
    );
    expect(operationCost(schema, doc, undefined, {}, options(shapeA, 2))).toEqual(
      fresh(byVariable, {}, options(shapeA, 2)),
    );
  });

  it("refuses variables that do not fit, whether or not the document has a plan", () => {
    const text = "query($n: Int!) { offices(first: $n) { nodes { key } } }";
    const document = parse(text);
    warm(document, { n: 3 }, options(shapeA));
    expect(operationCost(schema, document, undefined, {}, options(shapeA))).toEqual({ ok: false });
    expect(operationCost(schema, document, undefined, { n: "three" }, options(shapeA))).toEqual({
      ok: false,
    });
    expect(operationCost(schema, document, undefined, { n: 3 }, options(shapeA))).toEqual(
      fresh(text, { n: 3 }, options(shapeA)),
    );
  });

  it("keeps at most 1,000 documents, and no plan larger than 5,000 fields", () => {
    const cache = planCacheOf(schema);
    for (let i = 0; i < 1_100; i++) {
      const document = parse(`{ a${i}: offices(first: ${1 + (i % 90)}) { nodes { key } } }`);
      operationCost(schema, document, undefined, {}, options(shapeA));
      operationCost(schema, document, undefined, {}, options(shapeA));
    }
    expect(cache.documents).toBeLessThanOrEqual(1_000);
    expect(cache.documents).toBeGreaterThan(900);

    // 5,001 aliased objects, one over: walked correctly every time, its plan never kept
    const large = `{ ${Array.from({ length: 5_001 }, (_, i) => `o${i}: office(key: "k${i}") { key }`).join(" ")} }`;
    const document = parse(large);
    const kept = cache.documents;
    warm(document, {}, options(shapeA));
    expect(cache.documents).toBe(kept);
    expect(operationCost(schema, document, undefined, {}, options(shapeA))).toEqual(
      fresh(large, {}, options(shapeA)),
    );
  });

  it("stops a walk past 100,000 fields at the same place with or without a plan", () => {
    // 950 objects of 110 fields each: a plan of 950 fields (kept; under MAX_PLAN_ENTRIES), a
    // walk of 105,450 visits. The 110 fields are a fragment's, spread in each object (the walk
    // expands it there, as it would 110 fields written out: the same plan, visits and cost), so
    // that the document is 950 fields long and not 105,450: parsing that, twice, was most of
    // this file's time.
    expect(950).toBeLessThan(MAX_PLAN_ENTRIES);
    const leaves = Array.from({ length: 110 }, (_, i) => `k${i}: key`).join(" ");
    const text = `fragment Leaves on Office { ${leaves} } { ${Array.from({ length: 950 }, (_, i) => `o${i}: office(key: "k${i}") { ...Leaves }`).join(" ")} }`;
    const result = fresh(text, {}, options(shapeA));
    expect(result).toMatchObject({ ok: true, complete: false });
    const cache = planCacheOf(schema);
    const document = parse(text);
    operationCost(schema, document, undefined, {}, options(shapeA));
    const kept = cache.documents;
    operationCost(schema, document, undefined, {}, options(shapeA));
    expect(cache.documents).toBe(Math.min(kept + 1, 1_000));
    expect(operationCost(schema, document, undefined, {}, options(shapeA))).toEqual(result);
  });

  it("stops a walk past MAX_PLAN_ENTRIES places, which fragments spread in fragments multiply", () => {
    // each fragment spreads the next under `previous` and `next`: 2^levels places in a kilobyte
    // (red team 40's tree: 13 levels made 8,192 plans, 45-65 ms of the loop on a quiet host)
    expect(2 ** 10).toBeLessThan(MAX_PLAN_ENTRIES);
    expect(fresh(fragmentTree(10), {}, options(shapeA))).toMatchObject({
      ok: true,
      complete: true,
    });
    expect(2 ** 11).toBeGreaterThan(MAX_PLAN_ENTRIES);
    expect(fresh(fragmentTree(11), {}, options(shapeA))).toMatchObject({
      ok: true,
      complete: false,
    });
    expect(fresh(fragmentTree(13), {}, options(shapeA))).toMatchObject({
      ok: true,
      complete: false,
    });
  });

  it("prices whole a page's Relay-style fragments side by side, hundreds of places (review 41)", () => {
    for (const [name, text] of Object.entries(pageDocuments)) {
      const variables = Object.fromEntries(
        [...text.matchAll(/\$(\w+): String!/g)].map(([, variable]) => [variable, "k"]),
      );
      expect({ name, ...fresh(text, variables, options(shapeA)) }).toMatchObject({
        name,
        ok: true,
        complete: true,
      });
    }
  });
});
