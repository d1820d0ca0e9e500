/**
 * One build of the path index of a dataset directory, in a fresh process (run by
 * bench/scale/compare-paths.ts with --expose-gc): prints one JSON line with the graph's load time,
 * the path index's build time (wall and CPU), the heap it keeps (after a full GC, array buffers
 * included), and the time of a fixed set of searches (keys picked by a seeded PRNG, each
 * maxLength 1..6), with a digest of their answers so that two checkouts can be seen to agree.
 */
import { createHash } from "node:crypto";
import { loadJsonGraph } from "../../src/graph/load.js";

const dir = process.argv[2];
if (!dir) throw new Error("usage: paths-child.ts DIR");
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const kept = (m: NodeJS.MemoryUsage) => m.heapUsed + m.arrayBuffers;

const start = performance.now();
const graph = loadJsonGraph(dir);
const loadWallMs = performance.now() - start;
const entities = Object.values(graph.keys).reduce((n, k) => n + k.length, 0);
gc();
gc();
const before = kept(process.memoryUsage());
const cpu = process.cpuUsage();
const t0 = performance.now();
const paths = graph.paths;
const buildWallMs = performance.now() - t0;
const used = process.cpuUsage(cpu);
gc();
gc();
const after = kept(process.memoryUsage());

// searches: 300 pairs of random entities (sources aside), each asked with maxLength 1..6
let seed = 12345;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const keys = Object.entries(graph.keys).flatMap(([kind, list]) => (kind === "source" ? [] : list));
const hash = createHash("sha256");
let found = 0;
let budget = 0;
const q0 = performance.now();
for (let i = 0; i < 300; i++) {
  const from = keys[Math.floor(random() * keys.length)]!;
  const to = keys[Math.floor(random() * keys.length)]!;
  for (let maxLength = 1; maxLength <= 6; maxLength++) {
    try {
      const path = paths.shortest(from, to, maxLength);
      if (path) found++;
      hash.update(JSON.stringify(path));
    } catch (error) {
      budget++;
      hash.update(String(error));
    }
  }
}
const queryMs = performance.now() - q0;
console.log(
  JSON.stringify({
    entities,
    edges: paths.edgeCount,
    loadWallMs,
    buildWallMs,
    buildCpuMs: (used.user + used.system) / 1000,
    pathHeapBytes: after - before,
    searches: 1800,
    found,
    budget,
    queryMs,
    digest: hash.digest("hex").slice(0, 16),
  }),
);
if (graph.keys.person.length < 0) process.exit(2);
