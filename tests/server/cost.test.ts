/**
 * The cost estimate on small documents whose cost can be counted by hand: first without a graph's
 * shape (every list holds its page, or `listSize`), in objects; then sized by a shape.
 */
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { schema } from "../../src/schema/index.js";
import { COST_WEIGHTS, operationCost } from "../../src/server/cost.js";

const { OBJECT } = COST_WEIGHTS;
const options = { listSize: 10 };
/** The cost in objects (each costs OBJECT units), without a graph's shape. */
const cost = (query: string, variables: Record<string, unknown> = {}, operationName?: string) => {
  const result = operationCost(schema, parse(query), operationName, variables, options);
  return result.ok ? { ok: true, cost: result.cost / OBJECT } : result;
};

describe("operationCost", () => {
  it("counts nothing for scalars and __typename", () => {
    expect(cost("{ __typename }")).toEqual({ ok: true, cost: 0 });
  });

  it("counts 1 for a single object and nothing for its scalars", () => {
    expect(cost('{ state(key: "kazakhstan") { key name } }')).toEqual({ ok: true, cost: 1 });
  });

  it("counts a connection as 1, its pageInfo as 1, and each entry of its page", () => {
    // states 1 + pageInfo 1 + nodes 5 + edges 5 + node 5
    expect(cost("{ states(first: 5) { totalCount pageInfo { hasNextPage } nodes { key } edges { cursor node { key } } } }")).toEqual({ ok: true, cost: 17 });
  });

  it("assumes the default page of 20 without first or last, and takes last when given", () => {
    expect(cost("{ states { nodes { key } } }")).toEqual({ ok: true, cost: 21 });
    expect(cost("{ states(last: 3) { nodes { key } } }")).toEqual({ ok: true, cost: 4 });
  });

  it("takes the page size from a variable", () => {
    const query = "query($n: Int) { states(first: $n) { nodes { key } } }";
    expect(cost(query, { n: 7 })).toEqual({ ok: true, cost: 8 });
    expect(cost(query, {})).toEqual({ ok: true, cost: 21 });
  });

  it("caps a page size over 100 at 100, since the resolver refuses it anyway", () => {
    expect(cost("{ states(first: 5000) { nodes { key } } }")).toEqual({ ok: true, cost: 101 });
  });

  it("multiplies nested connections", () => {
    // states 1 + 2 nodes x (1 + persons 1 + 3 nodes x (1 + nationality 1))
    expect(cost("{ states(first: 2) { nodes { persons(first: 3) { nodes { nationality { key } } } } } }")).toEqual({ ok: true, cost: 1 + 2 * (1 + 1 + 3 * 2) });
  });

  it("assumes listSize entries for a plain list", () => {
    // state 1 + names 10 x (1 + provenance 10)
    expect(cost('{ state(key: "kazakhstan") { names { text provenance { kind } } } }')).toEqual({ ok: true, cost: 1 + 10 * (1 + 10) });
  });

  it("counts nodes(ids:) by the number of ids", () => {
    expect(cost("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", { ids: ["a", "b", "c"] })).toEqual({ ok: true, cost: 3 });
  });

  it("counts a fragment spread twice in one selection set once, as execution does", () => {
    const once = cost('{ state(key: "kazakhstan") { ...F } } fragment F on State { persons(first: 4) { nodes { key } } }');
    const twice = cost('{ state(key: "kazakhstan") { ...F ...F } } fragment F on State { persons(first: 4) { nodes { key } } }');
    expect(once).toEqual({ ok: true, cost: 1 + 1 + 4 });
    expect(twice).toEqual(once);
  });

  it("merges fields with one response key, and counts aliases separately", () => {
    expect(cost('{ state(key: "kazakhstan") { nationality: persons(first: 2) { nodes { key } } } }')).toEqual({ ok: true, cost: 1 + 1 + 2 });
    expect(cost('{ a: states(first: 2) { nodes { key } } b: states(first: 2) { nodes { key } } }')).toEqual({ ok: true, cost: 6 });
  });

  it("counts inline fragments on an interface as if the object were of every type", () => {
    // node 1 + Person's nationality 1 + State's persons 1 + its 2 nodes
    expect(cost('{ node(id: "x") { ... on Person { nationality { key } } ... on State { persons(first: 2) { nodes { key } } } } }')).toEqual({ ok: true, cost: 5 });
  });

  it("does not count introspection", () => {
    expect(cost("{ __schema { types { name fields { name type { name ofType { name } } } } } }")).toEqual({ ok: true, cost: 0 });
  });

  it("gives no cost when the variables do not fit (execution reports that)", () => {
    expect(cost("query($n: Int!) { states(first: $n) { nodes { key } } }", { n: "ten" })).toEqual({ ok: false });
    expect(cost("query A { __typename } query B { __typename }")).toEqual({ ok: false });
  });

  it("costs the operation named, not its neighbours", () => {
    const document = "query Cheap { __typename } query Dear { states(first: 100) { nodes { key } } }";
    expect(cost(document, {}, "Cheap")).toEqual({ ok: true, cost: 0 });
    expect(cost(document, {}, "Dear")).toEqual({ ok: true, cost: 101 });
  });
});
