/**
 * `npx tsx bench/scale/compare-load.ts --base DIR --data DATASET [--runs 3]`: loads one dataset
 * with two checkouts of this project, alternating, each load in a fresh process
 * (bench/scale/load-child.ts of this checkout, copied into the base), and prints both side by
 * side: entities per second of wall and CPU time, search index time, heap per entity after load
 * and after the lazily built indexes (timeline, paths) were asked for. The base is e.g. a
 * `git archive` of the commit to compare against, with node_modules linked in.
 */
import { median } from "../harness.js";
import { compareCheckouts } from "./compare.js";

interface Result {
  entities: number;
  loadWallMs: number;
  loadCpuMs: number;
  searchWallMs: number;
  heapBytes: number;
  heapWithLazyBytes: number;
  lazyWallMs: number;
  rssBytes: number;
}
const results = compareCheckouts<Result>("bench/scale/load-child.ts", line);
for (const name of ["base", "this"] as const) {
  const rs = results[name];
  const m = (f: (r: Result) => number) => median(rs.map(f));
  console.log(
    `${name.padEnd(4)} median: ${m((r) => (r.entities / r.loadWallMs) * 1000).toFixed(0)} entities/s wall, ` +
      `${m((r) => (r.entities / r.loadCpuMs) * 1000).toFixed(0)}/s CPU, load ${(m((r) => r.loadWallMs) / 1000).toFixed(2)} s, ` +
      `search index ${(m((r) => r.searchWallMs) / 1000).toFixed(2)} s, heap ${m((r) => r.heapBytes / r.entities).toFixed(0)} B/entity ` +
      `(${m((r) => r.heapWithLazyBytes / r.entities).toFixed(0)} with timeline and paths built, ${(m((r) => r.lazyWallMs) / 1000).toFixed(2)} s to build them), ` +
      `RSS ${(m((r) => r.rssBytes) / 2 ** 20).toFixed(0)} MB`,
  );
}

function line(r: Result): string {
  return (
    `${r.entities} entities, load ${(r.loadWallMs / 1000).toFixed(2)} s (${((r.entities / r.loadWallMs) * 1000).toFixed(0)}/s wall, ` +
    `${((r.entities / r.loadCpuMs) * 1000).toFixed(0)}/s CPU), search ${(r.searchWallMs / 1000).toFixed(2)} s, ` +
    `heap ${(r.heapBytes / r.entities).toFixed(0)} B/entity, ${(r.heapWithLazyBytes / r.entities).toFixed(0)} with lazy indexes`
  );
}
