/**
 * The cost estimate on small documents whose cost can be counted by hand: first without a graph's
 * shape (every list holds its page, or `listSize`), in objects; then sized by a shape.
 */
import { getIntrospectionQuery, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { filterConditions } from "../../src/graph/filter.js";
import { queryLookups } from "../../src/graph/search.js";
import type { GraphShape } from "../../src/graph/shape.js";
import { schema } from "../../src/schema/index.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { COST_WEIGHTS, operationCost } from "../../src/server/cost.js";
import { loadTrustedDocuments } from "../../src/server/trusted-documents.js";
import { lowercasedLengths } from "../support/lowercased.js";

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
    expect(
      cost(
        "{ states(first: 5) { totalCount pageInfo { hasNextPage } nodes { key } edges { cursor node { key } } } }",
      ),
    ).toEqual({ ok: true, cost: 17 });
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
    expect(
      cost(
        "{ states(first: 2) { nodes { persons(first: 3) { nodes { nationality { key } } } } } }",
      ),
    ).toEqual({ ok: true, cost: 1 + 2 * (1 + 1 + 3 * 2) });
  });

  it("assumes listSize entries for a plain list", () => {
    // state 1 + names 10 x (1 + provenance 10)
    expect(cost('{ state(key: "kazakhstan") { names { text provenance { kind } } } }')).toEqual({
      ok: true,
      cost: 1 + 10 * (1 + 10),
    });
  });

  it("counts nodes(ids:) by the number of ids, each decoded and loaded on its own", () => {
    expect(
      cost("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", { ids: ["a", "b", "c"] }),
    ).toEqual({ ok: true, cost: (3 * (OBJECT + COST_WEIGHTS.NODE_ID)) / OBJECT });
  });

  it("refuses 30 lists of 1,000 ids (the red team's nodes1000x30: /health held 371-802 ms), naming `nodes`", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `bogus-${i}`);
    const query = `query($ids: [ID!]!) { ${Array.from({ length: 30 }, (_, i) => `a${i}: nodes(ids: $ids) { id }`).join(" ")} }`;
    const result = operationCost(schema, parse(query), undefined, { ids }, options);
    expect(result.ok && result.cost).toBeGreaterThan(DEFAULT_CONFIG.limits.maxCost);
    expect(result.ok && result.costliest?.path).toBe("nodes");
    // one list of 1,000 ids passes
    const one = operationCost(
      schema,
      parse("query($ids: [ID!]!) { nodes(ids: $ids) { id } }"),
      undefined,
      { ids },
      options,
    );
    expect(one.ok && one.cost).toBeLessThan(DEFAULT_CONFIG.limits.maxCost / 5);
  });

  it("counts a fragment spread twice in one selection set once, as execution does", () => {
    const once = cost(
      '{ state(key: "kazakhstan") { ...F } } fragment F on State { persons(first: 4) { nodes { key } } }',
    );
    const twice = cost(
      '{ state(key: "kazakhstan") { ...F ...F } } fragment F on State { persons(first: 4) { nodes { key } } }',
    );
    expect(once).toEqual({ ok: true, cost: 1 + 1 + 4 });
    expect(twice).toEqual(once);
  });

  it("counts every distinct fragment spread in one selection set", () => {
    const both = cost(
      '{ state(key: "kazakhstan") { ...F ...G } } fragment F on State { persons(first: 4) { nodes { key } } } fragment G on State { p: persons(first: 3) { nodes { key } } }',
    );
    expect(both).toEqual({ ok: true, cost: 1 + (1 + 4) + (1 + 3) });
  });

  it("merges fields with one response key, and counts aliases separately", () => {
    expect(
      cost('{ state(key: "kazakhstan") { nationality: persons(first: 2) { nodes { key } } } }'),
    ).toEqual({ ok: true, cost: 1 + 1 + 2 });
    expect(
      cost("{ a: states(first: 2) { nodes { key } } b: states(first: 2) { nodes { key } } }"),
    ).toEqual({ ok: true, cost: 6 });
  });

  it("counts inline fragments on an interface as if the object were of every type", () => {
    // node 1 + Person's nationality 1 + State's persons 1 + its 2 nodes
    expect(
      cost(
        '{ node(id: "x") { ... on Person { nationality { key } } ... on State { persons(first: 2) { nodes { key } } } } }',
      ),
    ).toEqual({ ok: true, cost: 5 });
  });

  it("prices `__schema` and `__type` by the objects their selection returns (tests/server/cost-introspection.test.ts), `__typename` not at all", () => {
    const { INTROSPECTION, INTROSPECTION_FIELD } = COST_WEIGHTS;
    // the schema and its query type, and their fields `__schema`, `queryType` and `name`
    expect(cost("{ __schema { queryType { name } } }")).toEqual({
      ok: true,
      cost: Math.ceil(2 * INTROSPECTION + 3 * INTROSPECTION_FIELD) / OBJECT,
    });
    const type = cost('{ __type(name: "Query") { name fields { name } } }');
    expect(type.ok && type.cost).toBeGreaterThan((10 * INTROSPECTION) / OBJECT);
    expect(cost("{ __typename }")).toEqual({ ok: true, cost: 0 });
  });

  it("refuses 30 aliases of `__schema` (the red team's introspect30: /health held 200-618 ms), naming `__schema`, and admits GraphiQL's introspection", () => {
    const query = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: __schema { types { fields { name type { name fields { name } ofType { name fields { name } } } } } }`).join(" ")} }`;
    const result = operationCost(schema, parse(query), undefined, {}, options);
    expect(result.ok && result.cost).toBeGreaterThan(DEFAULT_CONFIG.limits.maxCost);
    expect(result.ok && result.costliest?.path).toBe("__schema");
    const graphiql = operationCost(schema, parse(getIntrospectionQuery()), undefined, {}, options);
    expect(graphiql.ok && graphiql.cost).toBeLessThan(DEFAULT_CONFIG.limits.maxCost / 10);
  });

  it("gives no cost when the variables do not fit (execution reports that)", () => {
    expect(cost("query($n: Int!) { states(first: $n) { nodes { key } } }", { n: "ten" })).toEqual({
      ok: false,
    });
    expect(cost("query A { __typename } query B { __typename }")).toEqual({ ok: false });
  });

  it("costs the operation named, not its neighbours", () => {
    const document =
      "query Cheap { __typename } query Dear { states(first: 100) { nodes { key } } }";
    expect(cost(document, {}, "Cheap")).toEqual({ ok: true, cost: 0 });
    expect(cost(document, {}, "Dear")).toEqual({ ok: true, cost: 101 });
  });
});

describe("operationCost sized by a graph's shape", () => {
  const {
    SCAN,
    CONDITION,
    COMPILE,
    IN_VALUE,
    SEARCH_WORD,
    SEARCH_SPELLING,
    PATH_VISIT,
    SPAN_TEST,
    SPAN_TEST_BY_KEY,
    GATHER,
  } = COST_WEIGHTS;
  const shape: GraphShape = {
    relations: new Map([
      ["Query.offices", 13],
      ["Query.persons", 1000],
      ["Query.tenures", 2000],
      ["Office.tenures", 3],
      ["Office.names", 6],
      ["Person.names", 4],
      ["Person.tenures", 3],
      ["State.tenures", 5],
      ["Query.search", 500],
    ]),
    provenance: 2,
    searchable: 500,
    pathVisits: 75,
    filterIndexes: new Map(),
    textLengths: new Map(),
  };
  const shaped = (
    query: string,
    variables: Record<string, unknown> = {},
    maxFilterConditions?: number,
  ) =>
    operationCost(schema, parse(query), undefined, variables, {
      shape,
      listSize: 10,
      maxFilterConditions,
    });
  const costOf = (query: string, variables: Record<string, unknown> = {}) => {
    const result = shaped(query, variables);
    if (!result.ok) throw new Error("no cost");
    return result.cost;
  };

  it("sizes a page by what the relation can hold: min(first, the largest fan-out)", () => {
    // offices 1 + 13 nodes (not 100) x (1 + tenures 1 + 3 nodes (not 100)), and each office's 3
    // tenures gathered
    expect(
      costOf("{ offices(first: 100) { nodes { tenures(first: 100) { nodes { key } } } } }"),
    ).toBe(OBJECT * (1 + 13 * (1 + 1 + 3)) + 13 * 3 * GATHER);
    // a smaller page than the data holds keeps its size
    expect(costOf("{ offices(first: 2) { nodes { key } } }")).toBe(OBJECT * (1 + 2));
  });

  it("sizes a plain list by the shape, and provenance by the longest provenance", () => {
    // office 1 + 6 names x (1 + 2 provenance)
    expect(costOf('{ office(key: "x") { names { text provenance { kind } } } }')).toBe(
      OBJECT * (1 + 6 * (1 + 2)),
    );
  });

  it("sizes a list of an interface by the largest of its implementations", () => {
    // node 1 + tenures 1 + a page of the most of Person (3) and State (5)
    expect(costOf('{ node(id: "x") { ... on PostHolder { tenures { nodes { key } } } } }')).toBe(
      OBJECT * (1 + 1 + 5),
    );
  });

  it("costs a root filter every item of the list, taken and tested by each condition, even for an empty page", () => {
    const cost = costOf(
      '{ persons(first: 0, filter: { anyName: { contains: "x" } }) { totalCount } }',
    );
    expect(cost).toBe(Math.ceil(OBJECT + 1 * COMPILE + 1000 * (SCAN + 1 * CONDITION)));
  });

  it("costs a nested filter per parent, times the largest fan-out, and names the costliest path", () => {
    const result = shaped(
      "{ offices(first: 5) { nodes { tenures(first: 0, filter: { or: [{}, {}] }) { totalCount } } } }",
    );
    const filter = 5 * (2 * COMPILE + 3 * (SCAN + 2 * CONDITION) + 3 * GATHER);
    expect(result).toMatchObject({
      ok: true,
      cost: Math.ceil(OBJECT * (1 + 5 + 5) + filter),
      complete: true,
    });
    expect(result.ok && result.costliest).toEqual({
      path: "offices.nodes.tenures",
      cost: Math.ceil(OBJECT * 5 + filter),
    });
  });

  it("merges aliases in the costliest path, so that 30 copies of one list add up", () => {
    const query = `{ ${Array.from({ length: 30 }, (_, i) => `o${i}: offices(first: 1) { nodes { tenures(filter: { or: [{}, {}] }) { totalCount } } }`).join(" ")} }`;
    const result = shaped(query);
    expect(result.ok && result.costliest?.path).toBe("offices.nodes.tenures");
    expect(result.ok && result.costliest!.cost).toBe(
      Math.ceil(30 * (OBJECT + 2 * COMPILE + 3 * (SCAN + 2 * CONDITION) + 3 * GATHER)),
    );
  });

  it("counts each order key and asOf as a condition", () => {
    const plain = costOf("{ persons(first: 0) { totalCount } }");
    expect(costOf("{ persons(first: 0, orderBy: [{ field: NAME }]) { totalCount } }")).toBe(
      Math.ceil(plain + COMPILE + 1000 * (SCAN + CONDITION)),
    );
  });

  it("prices tenures as of a date by their numbers, and only the page when every certainty is asked", () => {
    const page = costOf("{ tenures(first: 0) { totalCount } }");
    expect(page).toBe(OBJECT);
    // each tenure's four numbers compared: no tenure taken, no condition compiled
    expect(costOf('{ tenures(first: 0, asOf: "2012") { totalCount } }')).toBe(
      Math.ceil(page + 2000 * SPAN_TEST),
    );
    expect(costOf('{ tenures(first: 0, asOf: "2012", certainty: [YES]) { totalCount } }')).toBe(
      Math.ceil(page + 2000 * SPAN_TEST),
    );
    // nothing left out: only the page's tenures get their certainty
    expect(
      costOf('{ tenures(first: 0, asOf: "2012", certainty: [NO, MAYBE, YES]) { totalCount } }'),
    ).toBe(page);
    // with a filter the tenures are taken and tested as before, and their numbers besides
    expect(
      costOf(
        '{ tenures(first: 0, asOf: "2012", certainty: [YES, MAYBE, NO], filter: { timing: { in: [PERIOD] } }) { totalCount } }',
      ),
    ).toBe(Math.ceil(page + COMPILE + 2000 * (SCAN + CONDITION)));
    expect(
      costOf(
        '{ tenures(first: 0, asOf: "2012", filter: { timing: { in: [PERIOD] } }) { totalCount } }',
      ),
    ).toBe(Math.ceil(page + COMPILE + 2000 * (SCAN + CONDITION) + 2000 * SPAN_TEST));
    // a relation's tenures find each one's numbers by its key; an office's are gathered first
    expect(
      costOf('{ person(key: "x") { tenures(first: 0, asOf: "2012") { totalCount } } }') -
        costOf('{ person(key: "x") { tenures(first: 0) { totalCount } } }'),
    ).toBe(Math.ceil(3 * SPAN_TEST_BY_KEY));
    // (heads: a relation this shape does not know, so listSize)
    expect(costOf('{ office(key: "x") { heads(first: 0) { totalCount } } }')).toBe(
      Math.ceil(2 * OBJECT + 10 * GATHER),
    );
    expect(costOf('{ office(key: "x") { tenures(first: 0, asOf: "2012") { totalCount } } }')).toBe(
      Math.ceil(2 * OBJECT + 3 * GATHER + 3 * SPAN_TEST_BY_KEY),
    );
    // another list read as of a date still tests each item as a condition
    expect(
      costOf('{ office(key: "x") { nameHistory(first: 0, asOf: "2012") { totalCount } } }') -
        costOf('{ office(key: "x") { nameHistory(first: 0) { totalCount } } }'),
    ).toBe(Math.ceil(COMPILE + 10 * (SCAN + CONDITION)));
  });

  it("admits the explorer's chart of every tenure at a million entities, as of a date or not", () => {
    const text = [...loadTrustedDocuments().values()].find((d) =>
      d.includes("query ExplorerOfficesTenures"),
    )!;
    const big: GraphShape = {
      ...shape,
      relations: new Map([...shape.relations, ["Query.tenures", 300_000]]),
    };
    for (const variables of [
      { asOf: null, certainty: null, after: null },
      { asOf: "2012-05", certainty: ["YES", "MAYBE", "NO"], after: null },
    ]) {
      const result = operationCost(schema, parse(text), undefined, variables, {
        shape: big,
        listSize: 10,
      });
      expect(result.ok && result.cost).toBeLessThan(DEFAULT_CONFIG.limits.maxCost);
    }
  });

  describe("a root list whose filter an index answers", () => {
    // 100,000 events, of which one participant takes part in 7 at most and one kind has 40
    const indexed: GraphShape = {
      ...shape,
      relations: new Map([...shape.relations, ["Query.events", 100_000]]),
      filterIndexes: new Map([
        [
          "Query.events",
          new Map([
            ["key", 1],
            ["kind", 40],
            ["participant.entity", 7],
          ]),
        ],
      ]),
    };
    const listCost = (filter: Record<string, unknown>) => {
      const result = operationCost(
        schema,
        parse("query($f: EventFilter) { events(filter: $f, first: 0) { totalCount } }"),
        undefined,
        { f: filter },
        { shape: indexed, listSize: 10 },
      );
      if (!result.ok) throw new Error("no cost");
      return result.cost;
    };
    // the connection, and its items tested (`in` counts one condition, whatever its length)
    const tested = (items: number, conditions: number, values = 0) =>
      OBJECT +
      Math.ceil(conditions * COMPILE + values * IN_VALUE + items * (SCAN + conditions * CONDITION));
    const entity = (key: string) => ({ participant: { entity: { eq: key } } });

    it("prices the items its index gives, not the whole list (an event's page asks for the events it took part in)", () => {
      expect(listCost(entity("event/a"))).toBe(tested(7, 1));
      expect(listCost({ kind: { eq: "MEETING" } })).toBe(tested(40, 1));
      expect(listCost({ participant: { entity: { in: ["a", "b", "c"] } } })).toBe(tested(21, 1, 3));
      // the fewest of the fields that hold together, in one filter or in an `and`
      expect(listCost({ ...entity("a"), kind: { eq: "MEETING" } })).toBe(tested(7, 2));
      expect(listCost({ and: [{ kind: { eq: "MEETING" } }, entity("a")] })).toBe(tested(7, 4));
      expect(
        listCost({ participant: { and: [{ entity: { eq: "a" } }, { role: { eq: "HOST" } }] } }),
      ).toBe(tested(7, 4));
      // an `or` whose every member is bounded: their sum
      expect(listCost({ or: [entity("a"), { kind: { eq: "MEETING" } }] })).toBe(tested(47, 4));
    });

    it("prices the whole list when no index bounds the filter", () => {
      const whole = (conditions: number) => tested(100_000, conditions);
      expect(listCost({ participant: { role: { eq: "HOST" } } })).toBe(whole(1));
      expect(listCost({ not: entity("a") })).toBe(whole(2));
      expect(listCost({ or: [entity("a"), { name: { contains: "x" } }] })).toBe(whole(4));
      // deeper than filters may nest: not read (compiling refuses it)
      let deep: Record<string, unknown> = entity("a");
      for (let i = 0; i < 12; i++) deep = { and: [deep] };
      expect(listCost(deep)).toBe(whole(13));
    });

    it("never prices more than the whole list, however many values are named", () => {
      const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}`);
      expect(listCost({ participant: { entity: { in: keys } } })).toBe(tested(100_000, 1, 20_000));
    });

    it("prices each value of an `in` list, which is resolved for every parent's list", () => {
      // the review's attack: 12 lists of 1,000 keys on each of 100 states' persons, 1.6 s of
      // CPU, was priced as 12 conditions
      const keys = Array.from({ length: 1000 }, (_, i) => `person/p${i}`);
      const result = operationCost(
        schema,
        parse(
          "query($f: PersonFilter) { states(first: 100) { nodes { persons(filter: $f) { totalCount } } } }",
        ),
        undefined,
        { f: { and: Array.from({ length: 12 }, () => ({ key: { in: keys } })) } },
        { shape: indexed, listSize: 10 },
      );
      expect(result.ok && result.cost).toBeGreaterThan(100 * 12_000 * IN_VALUE);
      expect(result.ok && result.cost).toBeGreaterThan(DEFAULT_CONFIG.limits.maxCost);
    });

    it("prices a relation's list as before: only a root list is narrowed by an index", () => {
      const result = operationCost(
        schema,
        parse(
          '{ person(key: "p") { events(filter: { kind: { eq: MEETING } }, first: 0) { totalCount } } }',
        ),
        undefined,
        {},
        { shape: indexed, listSize: 10 },
      );
      expect(result.ok && result.cost).toBe(OBJECT + tested(10, 1));
    });
  });

  it("admits the explorer's event page at a million entities, whose `partOf` an index answers", () => {
    const text = [...loadTrustedDocuments().values()].find((d) => d.includes("query EventPage"))!;
    // about the 1M dataset's figures: 200,000 events, and an entity in at most a few hundred
    const big = (filterIndexes: GraphShape["filterIndexes"]): GraphShape => ({
      ...shape,
      relations: new Map([...shape.relations, ["Query.events", 200_000]]),
      filterIndexes,
    });
    const costAt = (at: GraphShape) => {
      const result = operationCost(
        schema,
        parse(text),
        undefined,
        { key: "event/x" },
        {
          shape: at,
          listSize: 10,
        },
      );
      return result.ok ? result.cost : Number.NaN;
    };
    const indexes = new Map([["Query.events", new Map([["participant.entity", 500]])]]);
    expect(costAt(big(indexes))).toBeLessThan(DEFAULT_CONFIG.limits.maxCost / 20);
    // priced as a scan of every event, it was refused
    expect(costAt(big(new Map()))).toBeGreaterThan(DEFAULT_CONFIG.limits.maxCost);
  });

  describe("long strings, priced by their longest value (the red team's 277 MB answers and the crash past 512 MB)", () => {
    // the 100k dataset's figures: 51 sources of up to 186,858 characters, quotes under a KB
    const texts: GraphShape = {
      ...shape,
      relations: new Map([...shape.relations, ["Query.sources", 51]]),
      textLengths: new Map([
        ["Source.text", 186_858],
        ["SourceQuote.quote", 300],
        ["SourceQuote.text", 300],
      ]),
    };
    const priced = (query: string, variables: Record<string, unknown> = {}) => {
      const result = operationCost(schema, parse(query), undefined, variables, {
        shape: texts,
        listSize: 10,
      });
      if (!result.ok) throw new Error("no cost");
      return result;
    };
    const aliases = (n: number, field: string) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(" ")} }`;
    const TEXT = (186_858 / 1024) * COST_WEIGHTS.TEXT_KB;

    it("charges a source's text TEXT_KB per kilobyte of the longest text, and a string under a kilobyte nothing", () => {
      expect(priced('{ source(key: "x") { text } }').cost).toBe(Math.ceil(OBJECT + TEXT));
      const quotes = "{ persons(first: 1) { nodes { provenance { kind } } } }";
      expect(
        priced(
          "{ persons(first: 1) { nodes { provenance { kind text ... on SourceQuote { quote } } } } }",
        ).cost,
      ).toBe(priced(quotes).cost);
    });

    it("refuses 30 pages of source texts (sources30.json), naming the text", () => {
      const result = priced(aliases(30, "sources(first: 100) { nodes { text } }"));
      expect(result.cost).toBeGreaterThan(DEFAULT_CONFIG.limits.maxCost);
      expect(result.costliest?.path).toBe("sources.nodes.text");
      // one page of them passes
      expect(priced(aliases(1, "sources(first: 100) { nodes { text } }")).cost).toBeLessThan(
        DEFAULT_CONFIG.limits.maxCost,
      );
    });

    it("refuses the texts of the sources of 30 pages of provenance (crash_post.json), and of 3 × 1,000 node ids (nodes3.json)", () => {
      const provenance = priced(
        aliases(
          30,
          "persons(first: 100) { nodes { provenance { ... on SourceQuote { source { text } } } } }",
        ),
      );
      expect(provenance.cost).toBeGreaterThan(DEFAULT_CONFIG.limits.maxCost);
      expect(provenance.costliest?.path).toBe("persons.nodes.provenance.source.text");
      const ids = Array.from({ length: 1000 }, (_, i) => `id${i}`);
      const nodes = priced(
        `query($ids: [ID!]!) { a: nodes(ids: $ids) { ... on Source { text } } b: nodes(ids: $ids) { ... on Source { text } } c: nodes(ids: $ids) { ... on Source { text } } }`,
        { ids },
      );
      expect(nodes.cost).toBeGreaterThan(DEFAULT_CONFIG.limits.maxCost);
      expect(nodes.costliest?.path).toBe("nodes.text");
    });
  });

  describe("the timeline, narrowed by its `entity` and `kind` indexes", () => {
    const text = [...loadTrustedDocuments().values()].find((d) =>
      d.includes("query ExplorerTimeline"),
    )!;
    // the 100k dataset's shape (89,089 entries; an entity in at most 782, a kind 29,700), and a
    // million entities' about ten times as large
    const at = (scale: number): GraphShape => ({
      ...shape,
      relations: new Map([...shape.relations, ["Query.timeline", 89_089 * scale]]),
      filterIndexes: new Map([
        [
          "Query.timeline",
          new Map([
            ["entity", 782 * scale],
            ["kind", 29_700 * scale],
          ]),
        ],
      ]),
    });
    const timelineCost = (filter: unknown, scale: number) => {
      const result = operationCost(
        schema,
        parse(text),
        undefined,
        { filter, after: null },
        {
          shape: at(scale),
          listSize: 10,
        },
      );
      if (!result.ok) throw new Error("no cost");
      return result.cost;
    };
    const entity = { entity: { eq: "office/osce-field-office-kazakhstan" } };
    const kind = { kind: { in: ["EVENT", "TENURE_END"] } };
    const date = { date: { overlaps: "2010/2016" } };

    it("admits the explorer's timeline with any of its filters at 100k entities (refused at 206,157 before)", () => {
      for (const filter of [entity, kind, date, { ...entity, ...kind, ...date }])
        expect(timelineCost(filter, 1), JSON.stringify(filter)).toBeLessThan(
          DEFAULT_CONFIG.limits.maxCost / 2,
        );
    });

    it("admits it at a million entities wherever an index narrows it, and prices a date alone, which no index answers, as a scan of every entry", () => {
      for (const filter of [entity, { kind: { eq: "EVENT" } }, { ...entity, ...kind, ...date }])
        expect(timelineCost(filter, 10), JSON.stringify(filter)).toBeLessThan(
          DEFAULT_CONFIG.limits.maxCost,
        );
      const { TIMELINE_SCAN, TIMELINE_CONDITION, TIMELINE_ENTITY_TEST } = COST_WEIGHTS;
      expect(timelineCost(date, 10) - timelineCost(null, 10)).toBe(
        Math.ceil(COMPILE + 890_890 * (TIMELINE_SCAN + TIMELINE_CONDITION)),
      );
      // an `entity` test derives each entry's entities: dearer, and a `not` is no index
      expect(timelineCost({ not: entity }, 1) - timelineCost(null, 1)).toBe(
        Math.ceil(
          2 * COMPILE + 89_089 * (TIMELINE_SCAN + 2 * TIMELINE_CONDITION + TIMELINE_ENTITY_TEST),
        ),
      );
    });
  });

  it("costs a search its words times the searchable entities, and a walk of the dictionary per spelling", () => {
    const one = costOf('{ search(query: "astana", first: 0) { totalCount } }');
    const three = costOf('{ search(query: "astana programme office", first: 0) { totalCount } }');
    expect(three - one).toBe(Math.ceil(2 * 500 * SEARCH_WORD + 2 * SEARCH_SPELLING));
    // a Cyrillic word is looked up in each of its romanisations (Юрий: yurii, iurii, jurij, ...)
    const { terms, spellings } = queryLookups("Юрий");
    expect(terms).toBe(1);
    expect(spellings).toBeGreaterThan(1);
    const cyrillic = costOf('{ search(query: "Юрий", first: 0) { totalCount } }');
    expect(cyrillic - one).toBe(Math.ceil((spellings - 1) * SEARCH_SPELLING));
  });

  it("costs a path the entities its search may visit", () => {
    expect(costOf('{ path(from: "a", to: "b") { __typename } }')).toBe(
      Math.ceil(OBJECT + 75 * PATH_VISIT),
    );
  });

  it("finds a filter with too many conditions, literal or variable, naming its list and variable", () => {
    const literal = shaped(
      "{ offices { nodes { tenures(filter: { or: [{}, {}, {}] }) { totalCount } } } }",
      {},
      2,
    );
    expect(literal.ok && literal.tooLargeFilter).toEqual({
      path: "offices.nodes.tenures",
      variable: undefined,
      conditions: 3,
    });
    const variable = shaped(
      "query($f: PersonFilter) { persons(filter: $f) { totalCount } }",
      { f: { or: [{}, {}, {}] } },
      2,
    );
    expect(variable.ok && variable.tooLargeFilter).toEqual({
      path: "persons",
      variable: "f",
      conditions: 3,
    });
    expect(
      shaped(
        "query($f: PersonFilter) { persons(filter: $f) { totalCount } }",
        { f: { or: [{}, {}] } },
        2,
      ),
    ).not.toHaveProperty("tooLargeFilter");
  });

  it("walks a document whose fragments multiply without end only so far, and says the cost is a lower bound", () => {
    // each fragment spreads the next twice under two fields: 2^18 paths through 18 levels
    const levels = 18;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Office { key }`
        : `fragment F${i} on Office { a: lineage { predecessor { ...F${i + 1} } } b: lineage { successor { ...F${i + 1} } } }`,
    );
    const result = shaped(`{ office(key: "x") { ...F0 } } ${fragments.join(" ")}`);
    expect(result.ok && result.complete).toBe(false);
  });

  it("stops such a walk by its object fields alone: a fragment bomb whose every path ends in an empty page reaches no leaf", () => {
    // as above, but the last fragment's list holds no entry (`first: 0`): the walk never reaches
    // a leaf field, so only its count of object fields can stop it
    const levels = 18;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Office { tenures(first: 0) { nodes { key } } }`
        : `fragment F${i} on Office { a: lineage { predecessor { ...F${i + 1} } } b: lineage { successor { ...F${i + 1} } } }`,
    );
    const result = shaped(`{ office(key: "x") { ...F0 } } ${fragments.join(" ")}`);
    expect(result.ok && result.complete).toBe(false);
  });
});

describe("filterConditions", () => {
  it("counts operators, and/or members and nots, nested filters included", () => {
    expect(filterConditions({})).toBe(0);
    expect(filterConditions({ or: [{}, {}] })).toBe(2);
    expect(filterConditions({ not: { not: {} } })).toBe(2);
    expect(
      filterConditions({
        anyName: { contains: "a", startsWith: "b" },
        and: [{ key: { in: ["x", "y", "z"] } }],
      }),
    ).toBe(4);
    expect(
      filterConditions({
        participant: { or: [{ role: { eq: "CHAIR" } }, { role: { eq: "SUBJECT" } }] },
      }),
    ).toBe(4);
  });

  it("counts a filter nested 100,000 deep without recursion", () => {
    let filter: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) filter = { not: filter };
    expect(filterConditions(filter)).toBe(100_000);
  });
});

describe("the repository's own queries, on the built-in data", () => {
  it("keeps every GraphiQL example and every document of the tests (tests/gql) within the default cost limit", async () => {
    const { loadBuiltInGraph } = await import("../../data/load.js");
    const { examples } = await import("../../src/server/examples.js");
    const documents = await import("../gql/graphql.js");
    const { DEFAULT_CONFIG } = await import("../../src/server/config.js");
    const { shape } = await loadBuiltInGraph();
    const { maxCost, costListSize } = DEFAULT_CONFIG.limits;
    const queries = [
      ...examples.map((e) => ({ name: e.title, document: parse(e.query) })),
      ...Object.entries(documents)
        .filter(
          ([name, value]) =>
            name.endsWith("Document") &&
            typeof value === "object" &&
            value !== null &&
            "definitions" in value,
        )
        .map(([name, document]) => ({
          name,
          document: document as unknown as import("graphql").DocumentNode,
        })),
    ];
    const costed: string[] = [];
    for (const { name, document } of queries) {
      // documents that need variables are costed with each required variable left out where possible:
      // those whose variables cannot be left out are run through the server by their own tests
      const result = operationCost(
        schema,
        document,
        undefined,
        {},
        { shape, listSize: costListSize },
      );
      if (!result.ok) continue;
      costed.push(name);
      expect(result.cost, `${name} costs ${result.cost}`).toBeLessThanOrEqual(maxCost);
    }
    expect(costed.length).toBeGreaterThan(40);
  });
});

describe("the cost walk's variables", () => {
  it("are coerced without suggestions: only whether they coerce is read, and graphql-js's suggestions for a long enum value or input key cost its length", () => {
    const big = "x".repeat(50_000);
    const lowered = lowercasedLengths();
    for (const [query, variables] of [
      [
        "query($c: [Certainty!]) { tenures(first: 1, certainty: $c) { nodes { key } } }",
        { c: [big] },
      ],
      [
        "query($f: TenureFilter) { tenures(first: 1, filter: $f) { nodes { key } } }",
        { f: { [big]: 1 } },
      ],
    ] as const) {
      const result = operationCost(schema, parse(query), undefined, variables, {
        listSize: DEFAULT_CONFIG.limits.costListSize,
      });
      // (not priced: execution refuses such variables itself)
      expect(result).toEqual({ ok: false });
    }
    expect(lowered.filter((length) => length >= 50_000)).toEqual([]);
  });
});
