/**
 * `NODE_ENV=production node --expose-gc --import tsx bench/scale/snapshot-read-turns.ts --data DIR [--rounds 3] [--beside full]`
 *
 * What a live reload's read of a new snapshot costs the thread that serves (src/server/reload.ts:
 * the worker thread has checked the snapshot, and the serving thread reads it with that check):
 * a graph is read from the dataset's snapshot and a third of its entities read, as a replica
 * that has served a while holds them; then, per round, the snapshot is read again with a timer
 * firing every millisecond, and the read's wall time and the longest turn of the event loop
 * during it are printed. The snapshot must be current (run `npm start -- --data DIR` or
 * bench/scale/snapshot-heap.ts `--write` once).
 *
 * `--beside full`: the graph held meanwhile is the dataset loaded in full, as a server served it
 * when its start had loaded in full (before it served the snapshot it wrote: load.ts `readBack`),
 * and no collection is forced before a round (one leaves the heap's limit far above the read's
 * allocations): the read then runs while the collector marks the loaded graph, and --trace-gc
 * says how much of that marking ran on this thread ("+ N ms in M steps").
 */

import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { entityKinds } from "../../src/graph/model.js";
import { SearchIndex } from "../../src/graph/search.js";
import { loadJsonGraphWithSnapshot } from "../../src/graph/snapshot/load.js";
import {
  attachSearchIndex,
  readSnapshot,
  verifySnapshot,
} from "../../src/graph/snapshot/snapshot.js";
import { scaleArgs } from "./args.js";

const { option, dir } = scaleArgs();
const rounds = Number(option("rounds", "3"));
const beside = option("beside", "snapshot");
if (beside !== "snapshot" && beside !== "full")
  throw new Error(`--beside is "snapshot" or "full", got ${JSON.stringify(beside)}`);
const verified = await verifySnapshot(dir);
let graph: KnowledgeGraph;
if (beside === "full") {
  // as a server served it: with its deferred indexes and search index built (app.ts)
  graph = loadJsonGraph(dir);
  graph.buildDeferredIndexes();
  attachSearchIndex(graph, SearchIndex.build(graph));
} else {
  const { graph: read, outcome } = await loadJsonGraphWithSnapshot(dir, { write: false });
  if (outcome.from !== "snapshot")
    throw new Error(`${dir}: not read from its snapshot (${outcome.reason}); write it first`);
  graph = read;
  for (const kind of entityKinds) {
    const keys = graph.keys[kind];
    for (let i = 0; i < keys.length; i += 3) graph.entity(keys[i]!);
  }
}
console.log(
  `${dir}: beside a graph ${beside === "full" ? "loaded in full" : "read from the snapshot"}, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
);
for (let round = 1; round <= rounds; round++) {
  if (beside === "snapshot") (globalThis as { gc?: () => void }).gc?.();
  let longest = 0;
  let last = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    timer = setTimeout(tick, 1);
  };
  timer = setTimeout(tick, 1);
  const started = performance.now();
  const next = await readSnapshot(dir, { verified });
  const readMs = performance.now() - started;
  clearTimeout(timer);
  longest = Math.max(longest, performance.now() - last);
  console.log(
    `${dir}: round ${round}: read in ${readMs.toFixed(0)} ms, the longest turn of the event loop ${longest.toFixed(0)} ms (${next.contentHash.slice(0, 19)})`,
  );
}
// the graph held through every round, as a served graph is until the swap
console.log(`${dir}: held ${graph.keys.person.length} persons throughout`);
