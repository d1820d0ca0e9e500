/**
 * `node --expose-gc --import tsx bench/scale/snapshot-heap.ts [--data DIR | --entities N] [--every 3]`
 *
 * The V8 heap a graph read from its snapshot holds, with its search index, after full
 * collections: at once, and again after every `--every`th entity of each kind has been read (a
 * long-running replica's entities are made on first read, lazy-list.ts, and kept). The snapshot
 * must be current: the script refuses a dataset it would have to load in full (run `npm start --
 * --data DIR` or this once with `--write` to write it; the writing process's heap is not
 * measured).
 */
import { loadJsonGraphWithSnapshot } from "../../src/graph/snapshot/load.js";
import { prebuiltSearchIndex } from "../../src/graph/snapshot/snapshot.js";
import { scaleArgs } from "./args.js";

const { argv, option, dir } = scaleArgs();
if (argv.includes("--write")) {
  const { outcome } = await loadJsonGraphWithSnapshot(dir);
  console.log(`${dir}: ${outcome.from}${outcome.wrote ? `, wrote ${outcome.wrote}` : ""}`);
  process.exit(0);
}
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");

const every = Number(option("every", "3"));
const { graph, outcome } = await loadJsonGraphWithSnapshot(dir, { write: false });
if (outcome.from !== "snapshot")
  throw new Error(`${dir}: not read from its snapshot (${outcome.reason}); run with --write first`);
const search = prebuiltSearchIndex(graph);
// held to the end: a graph no longer used would be collected before the second measure
const held = [graph, search];

const heapMiB = async () => {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  return (process.memoryUsage().heapUsed / 2 ** 20).toFixed(1);
};
const atStart = await heapMiB();
let read = 0;
for (const list of Object.values(graph.lists))
  for (let i = 0; i < list.length; i += every) if (list[i]) read++;
const afterReads = await heapMiB();
console.log(
  `${dir}: heap ${atStart} MiB read from the snapshot, ${afterReads} MiB after ${read} entities read (one in ${every} of each kind)${held[1] ? "" : " (no search index?)"}`,
);
