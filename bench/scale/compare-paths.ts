/**
 * `npx tsx bench/scale/compare-paths.ts --base DIR --data DATASET [--runs 3]`: builds the path
 * index of one dataset with two checkouts of this project, alternating, each in a fresh process
 * (bench/scale/paths-child.ts of this checkout, copied into the base), and prints both side by
 * side: build time, heap per entity the index keeps, the time of 1,800 searches, and a digest of
 * their answers (equal digests: both checkouts found the same paths and the same errors). The
 * base is e.g. a `git archive` of the commit to compare against, with node_modules linked in.
 */
import { median } from "../harness.js";
import { compareCheckouts } from "./compare.js";

interface Result {
  entities: number;
  edges: number;
  buildWallMs: number;
  buildCpuMs: number;
  pathHeapBytes: number;
  queryMs: number;
  found: number;
  budget: number;
  digest: string;
}
const results = compareCheckouts<Result>("bench/scale/paths-child.ts", (r) => JSON.stringify(r));
const m = (name: "base" | "this", f: (r: Result) => number) => median(results[name].map(f));
for (const name of ["base", "this"] as const) {
  const r = results[name][0]!;
  console.log(
    `${name.padEnd(4)} median: ${r.entities} entities, ${r.edges} edges; path index built in ${(m(name, (x) => x.buildWallMs) / 1000).toFixed(2)} s ` +
      `(${(m(name, (x) => x.buildCpuMs) / 1000).toFixed(2)} s CPU), ${m(name, (x) => x.pathHeapBytes / x.entities).toFixed(1)} B/entity of heap; ` +
      `1,800 searches in ${m(name, (x) => x.queryMs).toFixed(0)} ms (${r.found} found, ${r.budget} stopped by the budget), digest ${r.digest}`,
  );
}
const ratio = (f: (r: Result) => number) => (m("this", f) / m("base", f)).toFixed(2);
console.log(
  `this/base: build ${ratio((x) => x.buildWallMs)}x wall, ${ratio((x) => x.buildCpuMs)}x CPU; heap ${ratio((x) => x.pathHeapBytes)}x; searches ${ratio((x) => x.queryMs)}x; ` +
    `same answers: ${results.base.every((b) => results.this.every((t) => t.digest === b.digest))}`,
);
