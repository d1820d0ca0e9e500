/**
 * Every document the explorer sends (web/src/documents.ts) stays within the server's default cost
 * limit (src/server/cost.ts, docs/operations.md, "Limits"), computed the way the server computes it, with the
 * variables the explorer sends. A document over the limit gets HTTP 400 and an empty view; this
 * test says so before a browser does. No browser needed.
 */
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { schema } from "../../src/schema/index.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { operationCost } from "../../src/server/cost.js";
import * as documents from "../../web/src/documents.js";

const { maxCost, costListSize } = DEFAULT_CONFIG.limits;
// the built-in graph's shape sizes the lists, as on the server that serves it
const { shape } = await loadBuiltInGraph();

/**
 * What the explorer sends with each document: the variables that make it cost the most (every
 * certainty, a date, a cursor). A document added to web/src/documents.ts without an entry here
 * fails the first test below.
 */
const VARIABLES: Record<string, Record<string, unknown>> = {
  SearchDocument: {
    query: "Kazakhstan",
    kinds: ["PERSON", "OFFICE"],
    after: "T2Zmc2V0Q29ubmVjdGlvbjox",
  },
  SearchKindCountsDocument: { query: "Kazakhstan" },
  SuggestDocument: { query: "Kazakhstan" },
  PathDocument: { from: "person/gyorgy-szabo", to: "event/2010-12-astana-osce-summit" },
  BrowseDocument: {},
  SourceTextDocument: { key: "source/kazakhstan-osce-cooperation" },
  StatePageDocument: { key: "state/kazakhstan" },
  OfficePageDocument: { key: "office/osce-field-office-kazakhstan" },
  PersonPageDocument: { key: "person/gyorgy-szabo" },
  PostPageDocument: { key: "post/head-of-osce-field-office-kazakhstan" },
  TenurePageDocument: { key: "tenure/gyorgy-szabo-head-of-programme-office" },
  EventPageDocument: { key: "event/2010-12-astana-osce-summit" },
  PlacePageDocument: { key: "place/astana" },
  DimensionPageDocument: { key: "dimension/human" },
  PriorityPageDocument: { key: "priority/tolerance" },
  SourcePageDocument: { key: "source/kazakhstan-osce-cooperation" },
  SourcesUpdatedDocument: {},
  TimelineDocument: {
    filter: {
      date: { overlaps: "2010/2016" },
      kind: { in: ["EVENT", "TENURE_END"] },
      entity: { eq: "office/osce-field-office-kazakhstan" },
    },
    after: "YXJyYXljb25uZWN0aW9uOjk5",
  },
  OfficesTenuresDocument: {
    asOf: "2016-03-01",
    certainty: ["YES", "MAYBE", "NO"],
    after: "YXJyYXljb25uZWN0aW9uOjk5",
  },
  OfficesNamesDocument: { asOf: "2016-03-01" },
};

const exported = Object.entries(documents).map(([name, document]) => ({
  name,
  query: String(document),
}));

function costOf(name: string, query: string): number {
  const result = operationCost(schema, parse(query), undefined, VARIABLES[name], {
    shape,
    listSize: costListSize,
  });
  if (!result.ok)
    throw new Error(
      `${name}: its variables do not fit the operation, so no cost could be computed`,
    );
  return result.cost;
}

describe("the explorer's documents and the server's cost limit", () => {
  it("has realistic variables for every document web/src/documents.ts exports, and for nothing else", () => {
    expect(exported.length).toBeGreaterThan(10);
    expect(exported.map((d) => d.name).sort()).toEqual(Object.keys(VARIABLES).sort());
  });

  it.each(exported)("keeps $name within the default cost limit", ({ name, query }) => {
    const cost = costOf(name, query);
    expect(cost).toBeGreaterThan(0);
    expect(cost, `${name} costs ${cost}, the default limit is ${maxCost}`).toBeLessThanOrEqual(
      maxCost,
    );
  });

  it("counts the way the server does: the offices view's old nested document is over the limit where every page is full", () => {
    // offices × tenures and states × posts × tenures, as the view asked before the limit existed
    const nested = `query Nested($asOf: String) {
      offices(first: 100) { nodes { key tenures(first: 100, asOf: $asOf) { edges { certainty node { key when { edtf } holder { ... on Entity { key } } } } } } }
      states(first: 100) { nodes { key posts(first: 100) { nodes { key tenures(first: 100, asOf: $asOf) { edges { node { key } } } } } } }
    }`;
    const result = operationCost(
      schema,
      parse(nested),
      undefined,
      { asOf: "2016-03-01" },
      { listSize: costListSize },
    );
    expect(result.ok && result.cost).toBeGreaterThan(maxCost);
  });
});
