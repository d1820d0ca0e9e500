/**
 * What the idle warm-up (src/server/warm.ts) costs a serving process in heap: the graph read
 * from its snapshot, the V8 heap in use after full collections, then the same once the warm-up
 * has made every entity of the lists one request may scan whole (under the default cost limit).
 * Each worker of `--workers N` pays it: N copies.
 *   npm run bench:warm-heap -- [--data .cache/datasets/100000] [--rounds 2]
 * (runs node with --expose-gc; the snapshot is read from beside the dataset, or from
 * KZ_OSCE_SNAPSHOT_DIR, and must exist: a start of the server writes it)
 */
import { resolve } from "node:path";
import { placeSnapshots } from "../src/graph/snapshot/place.js";
import { readSnapshot } from "../src/graph/snapshot/snapshot.js";
import { DEFAULT_CONFIG } from "../src/server/config.js";
import { warmEntities } from "../src/server/warm.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const data = resolve(option("data", ".cache/datasets/100000"));
const rounds = Number(option("rounds", "2"));
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc (npm run bench:warm-heap does)");
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
/** The heap in use once what is garbage is collected (twice: weak references clear on the second). */
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

placeSnapshots(process.env.KZ_OSCE_SNAPSHOT_DIR || undefined);
console.log(`bench:warm-heap: ${data}, ${rounds} rounds, maxCost ${DEFAULT_CONFIG.limits.maxCost}`);
for (let round = 1; round <= rounds; round++) {
  // (the first round's only: what a graph read keeps is not all let go of by the next round)
  const empty = heapAfterGc();
  const graph = await readSnapshot(data);
  const read = heapAfterGc();
  // nothing else executes here: the warm-up runs its pieces back to back, as on an idle server
  const idle = { active: 0, queued: 0, sliceMs: DEFAULT_CONFIG.limits.executionSliceMs };
  const warmed = await warmEntities(graph, idle, DEFAULT_CONFIG.limits.maxCost).done;
  const after = heapAfterGc();
  console.log(
    `round ${round}: ${round === 1 ? `graph read ${mib(read - empty)}; ` : ""}warm-up made ${warmed.entities} entities ` +
      `(${warmed.kinds.join(", ")}) in ${warmed.ms} ms: +${mib(after - read)} ` +
      `(heap ${mib(read)} -> ${mib(after)})`,
  );
}
