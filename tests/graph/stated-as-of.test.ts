/** stated-as-of.ts: the date as of which a source states an undated fact. */
import { describe, expect, it } from "vitest";
import { parsePartialDate } from "../../src/graph/dates.js";
import type { Dated, Provenance } from "../../src/graph/model.js";
import { statedAsOf, statedByQuotesAsOf } from "../../src/graph/stated-as-of.js";

const updated = (edtf: string): Dated => ({ edtf, provenance: [{ editorial: `updated ${edtf}` }] });
const sources: Record<string, { updated: Dated }> = {
  "source/older": { updated: updated("2013-12-04") },
  "source/newer": { updated: updated("2016-03-18") },
};
// the two reads statedAsOf needs of a graph: a source by id, and a date parsed
const graph = {
  get: (kind: string, id: string) => (kind === "source" ? sources[id] : undefined),
  date: (dated: Dated) => parsePartialDate(dated.edtf),
} as unknown as Parameters<typeof statedAsOf>[0];
const quote = (source: string): Provenance => ({
  source: source as `source/${string}`,
  quote: "x",
});

describe("statedAsOf", () => {
  it("is the update of the source quoted", () => {
    expect(statedAsOf(graph, [quote("source/older")])?.edtf).toBe("2013-12-04");
  });

  it("is the later update where the fact is quoted from two sources, in either order", () => {
    expect(statedAsOf(graph, [quote("source/older"), quote("source/newer")])?.edtf).toBe(
      "2016-03-18",
    );
    expect(statedAsOf(graph, [quote("source/newer"), quote("source/older")])?.edtf).toBe(
      "2016-03-18",
    );
  });

  it("is undefined for a fact resting on editorial notes alone, whatever their number", () => {
    expect(statedAsOf(graph, [{ editorial: "background knowledge" }])).toBeUndefined();
    expect(statedAsOf(graph, [])).toBeUndefined();
  });

  it("reads an editorial note beside a quote as the quote's date", () => {
    expect(
      statedAsOf(graph, [{ editorial: "the link's reading" }, quote("source/newer")])?.edtf,
    ).toBe("2016-03-18");
  });
});

describe("statedByQuotesAsOf (an office's dimension)", () => {
  it("is the quote's update where the quotes alone state the link", () => {
    expect(statedByQuotesAsOf(graph, [quote("source/newer")])?.edtf).toBe("2016-03-18");
  });

  it("is undefined where an editorial note supplies what the quotes leave out (the honest54 audit, F11)", () => {
    // the field office's dimensions: the source states the cooperation's, the note the office's
    expect(
      statedByQuotesAsOf(graph, [
        quote("source/newer"),
        { editorial: "we take it to work in all three" },
      ]),
    ).toBeUndefined();
    expect(statedByQuotesAsOf(graph, [{ editorial: "background knowledge" }])).toBeUndefined();
  });
});
