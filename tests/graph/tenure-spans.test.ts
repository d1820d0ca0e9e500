/**
 * The graph's numbers for each tenure's dates (src/graph/tenure-spans.ts) give every tenure, at
 * every date, the certainty of the rule they stand for: `coverage` as written before the numbers
 * existed (below, from the objects: a period's parsed bounds and the horizon), a POINT_IN_TIME
 * tenure never NO. Checked for every tenure of the built-in graph and of a generated one, at every
 * date either graph holds and at dates around each of them (a day, a month, a year, open and
 * unknown sides), so a bound off by one day or a side read from the wrong end fails here.
 */
import { describe, expect, it } from "vitest";
import { loadGraph } from "../../data/load.js";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import { tenureCertainty } from "../../src/graph/asof.js";
import { type Certainty, type PartialDate, parsePartialDate } from "../../src/graph/dates.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";

/** `coverage` (dates.ts) as it read before the spans: from the parsed objects, date strings compared as days. */
function referenceCoverage(period: PartialDate, at: PartialDate, horizon: string): Certainty {
  const day = (iso: string) => Date.parse(iso) / 86_400_000;
  const from = (p: PartialDate) => (p.earliest === null ? -Infinity : day(p.earliest));
  const to = (p: PartialDate) => (p.latest === null ? Infinity : day(p.latest));
  if (to(period) < from(at) || from(period) > to(at)) return "NO";
  const { start, end } = period;
  const certainFrom = start && day(period.isInterval ? start.latest : start.earliest);
  const certainTo = end && day(period.isInterval ? end.earliest : end.latest);
  const startCovers = certainFrom !== null && certainFrom <= from(at);
  const endCovers =
    certainTo !== null
      ? certainTo >= to(at)
      : period.endStatus === "OPEN" && to(at) <= day(horizon);
  return startCovers && endCovers ? "YES" : "MAYBE";
}

/** Dates to ask at: each date the graph's tenures hold, its bounds as days, months and years, a day either side, and open and unknown intervals from them. */
function datesAround(graph: KnowledgeGraph): string[] {
  const dates = new Set<string>([graph.horizon, "1950", "2100-01-01"]);
  const shift = (iso: string, days: number) =>
    new Date(Date.parse(iso) + days * 86_400_000).toISOString().slice(0, 10);
  for (const tenure of graph.lists.tenure) {
    const when = graph.date(tenure.when);
    dates.add(when.edtf);
    for (const bound of [when.earliest, when.latest]) {
      if (!bound) continue;
      for (const d of [shift(bound, -1), bound, shift(bound, 1)]) {
        dates.add(d);
        dates.add(d.slice(0, 7));
        dates.add(d.slice(0, 4));
        dates.add(`${d}/..`);
        dates.add(`/${d}`);
      }
    }
  }
  return [...dates];
}

function check(graph: KnowledgeGraph, dates: readonly string[]) {
  const counts: Record<Certainty, number> = { YES: 0, MAYBE: 0, NO: 0 };
  const wrong: string[] = [];
  for (const text of dates) {
    const at = parsePartialDate(text);
    for (const tenure of graph.lists.tenure) {
      const period = referenceCoverage(graph.date(tenure.when), at, graph.horizon);
      const expected = tenure.timing === "PERIOD" || period === "YES" ? period : "MAYBE";
      const actual = tenureCertainty(graph, tenure, at);
      counts[actual]++;
      if (actual !== expected && wrong.length < 10)
        wrong.push(
          `${tenure.id} (${tenure.when.edtf}, ${tenure.timing}) at ${text}: ${actual}, not ${expected}`,
        );
    }
  }
  expect(wrong).toEqual([]);
  return counts;
}

describe("tenures' certainty as of a date, from the graph's numbers", () => {
  it("is the rule's for every tenure of the built-in graph at every date around its dates", async () => {
    const graph = await loadGraph();
    const counts = check(graph, datesAround(graph));
    // the dates reach every answer, so a rule that always says one thing fails above
    expect(Math.min(counts.YES, counts.MAYBE, counts.NO)).toBeGreaterThan(10);
  });

  it("is the rule's for every tenure of a generated graph (other shapes of dates: open ends, months, years)", async () => {
    const graph = await loadGraph(generatedDataset(1000));
    const dates = datesAround(graph);
    // every fifth date keeps the run short while still meeting every shape of bound
    const counts = check(
      graph,
      dates.filter((_, i) => i % 5 === 0),
    );
    expect(Math.min(counts.YES, counts.MAYBE, counts.NO)).toBeGreaterThan(100);
    expect(graph.lists.tenure.some((t) => graph.date(t.when).endStatus === "OPEN")).toBe(true);
    expect(graph.lists.tenure.some((t) => t.timing !== "PERIOD")).toBe(true);
  });
});
