/**
 * `npx tsx bench/scale/compare-timeline.ts --base DIR --data DATASET [--runs 3]`: builds the
 * timeline of one dataset with two checkouts of this project, alternating, each in a fresh process
 * (bench/scale/timeline-child.ts of this checkout, copied into the base), and prints both side by
 * side: heap the timeline keeps per entity, time to build it, and the time of a few timeline
 * queries. The base is e.g. a `git archive` of the commit to compare against, with node_modules linked in.
 */
import { median } from "../harness.js";
import { compareCheckouts } from "./compare.js";

interface Result {
  entities: number;
  entries: number;
  buildMs: number;
  timelineBytes: number;
  queries: Record<string, { ms: number; count: number }>;
}
const results = compareCheckouts<Result>("bench/scale/timeline-child.ts", line);
const summary = (rs: Result[]): Result => ({
  entities: rs[0]!.entities,
  entries: rs[0]!.entries,
  buildMs: median(rs.map((r) => r.buildMs)),
  timelineBytes: median(rs.map((r) => r.timelineBytes)),
  queries: Object.fromEntries(
    Object.keys(rs[0]!.queries).map((q) => [
      q,
      { ms: median(rs.map((r) => r.queries[q]!.ms)), count: rs[0]!.queries[q]!.count },
    ]),
  ),
});
const [b, t] = [summary(results.base), summary(results.this)];
console.log(`base median: ${line(b)}`);
console.log(`this median: ${line(t)}`);
console.log(
  `this/base: heap ${(t.timelineBytes / b.timelineBytes).toFixed(3)}x, build ${(t.buildMs / b.buildMs).toFixed(3)}x; queries ` +
    Object.keys(b.queries)
      .map((q) => `${q} ${(t.queries[q]!.ms / b.queries[q]!.ms).toFixed(2)}x`)
      .join(", "),
);
for (const q of Object.keys(b.queries)) {
  if (b.queries[q]!.count !== t.queries[q]!.count)
    console.log(
      `MISMATCH: ${q} gives ${b.queries[q]!.count} entries in base, ${t.queries[q]!.count} here`,
    );
}

function line(r: Result): string {
  return (
    `${r.entities} entities, ${r.entries} entries, timeline heap ${(r.timelineBytes / r.entities).toFixed(1)} B/entity ` +
    `(${(r.timelineBytes / r.entries).toFixed(1)} B/entry), build ${(r.buildMs / 1000).toFixed(2)} s; queries ` +
    Object.entries(r.queries)
      .map(([q, { ms, count }]) => `${q} ${ms.toFixed(1)} ms (${count})`)
      .join(", ")
  );
}
