/**
 * `npx tsx bench/scale/compare-paths.ts --base DIR --data DATASET [--runs 3]`: builds the path
 * index of one dataset with two checkouts of this project, alternating, each in a fresh process
 * (bench/scale/paths-child.ts of this checkout, copied into the base), and prints both side by
 * side: build time, heap per entity the index keeps, the time of 1,800 searches, and a digest of
 * their answers (equal digests: both checkouts found the same paths and the same errors). The
 * base is e.g. a `git archive` of the commit to compare against, with node_modules linked in.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const argv = process.argv.slice(2);
const option = (name: string, fallback?: string) => {
  const i = argv.indexOf(`--${name}`);
  const value = i >= 0 ? argv[i + 1] : fallback;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
};
const here = fileURLToPath(new URL("../..", import.meta.url));
const base = resolve(option("base"));
const data = resolve(option("data"));
const runs = Number(option("runs", "3"));
copyFileSync(join(here, "bench/scale/paths-child.ts"), join(base, "bench/scale/paths-child.ts"));

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
const results: Record<"base" | "this", Result[]> = { base: [], this: [] };
for (let run = 0; run < runs; run++) {
  for (const [name, root] of (run % 2 === 0 ? [["base", base], ["this", here]] : [["this", here], ["base", base]]) as ["base" | "this", string][]) {
    const out = execFileSync(process.execPath, ["--expose-gc", "--max-old-space-size=16384", "--import", "tsx", "bench/scale/paths-child.ts", data], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 1 << 20,
    });
    const r = JSON.parse(out.trim().split("\n").at(-1)!) as Result;
    results[name].push(r);
    console.log(`${name.padEnd(4)} run ${run + 1}: ${JSON.stringify(r)}`);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
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
