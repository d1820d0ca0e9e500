/**
 * What a search's arguments ask before it runs (src/graph/search-hits.ts, red team 54): an order
 * it cannot take is refused before any hit is ranked, and a date filter given no operator asks
 * nothing, as every field's filter without one does (filter.ts compileFilter).
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { FilterInputError } from "../../src/graph/filter.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { SearchIndex } from "../../src/graph/search.js";
import { ranksEveryHit, selectSearchHits } from "../../src/graph/search-hits.js";

let graph: KnowledgeGraph;
let index: SearchIndex;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
  index = SearchIndex.build(graph);
});

const keys = (hits: ReturnType<typeof selectSearchHits>) =>
  [...(Array.isArray(hits) ? hits : hits.slice(0, hits.length))].map((hit) => hit.id);

describe("a search's arguments", () => {
  it("refuse an empty orderBy before the search runs (red team 54, F3)", () => {
    // it was refused once every hit had been ranked, made and dated: 120 ms of CPU an alias at
    // 100k for a price of 1.5 ms
    const find = vi.spyOn(index, "findSteps");
    expect(() => selectSearchHits(graph, index, { query: "osce", orderBy: [] })).toThrow(
      FilterInputError,
    );
    expect(find).not.toHaveBeenCalled();
    find.mockRestore();
  });

  it("ask nothing of the dates given a date filter without an operator: undated hits stay, nothing ranked", () => {
    // `date: {}` ranked and dated every hit, priced as a plain search, and left out the undated
    // ones (persons, places)
    expect(ranksEveryHit({ date: {} }, undefined)).toBe(false);
    expect(ranksEveryHit({ and: [{ date: {} }] }, undefined)).toBe(false);
    expect(ranksEveryHit({ date: { overlaps: "2010" } }, undefined)).toBe(true);
    const plain = keys(selectSearchHits(graph, index, { query: "astana" }));
    expect(plain).toContain("place/astana");
    expect(keys(selectSearchHits(graph, index, { query: "astana", filter: { date: {} } }))).toEqual(
      plain,
    );
  });
});
