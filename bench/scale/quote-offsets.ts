/**
 * `NODE_ENV=production node --expose-gc --import tsx bench/scale/quote-offsets.ts [--data DIR | --entities 100000]`
 *
 * What an entity's first read costs with the offsets of its quotes (what `SourceQuote.offset`
 * answers), on a graph started from its snapshot: keys spread over every kind, in 15 groups of
 * distinct keys (a first read happens once per entity), each group's entities read and their
 * quotes placed; CPU µs per entity and per quote, median and least of the groups. Then a full
 * collection's time (`gc()`, median of 5) with every entity read so far held: what the graph's
 * record of the places (a WeakMap by quote object) costs the collector.
 */
import { entityKinds, forEachQuote } from "../../src/graph/model.js";
import { loadJsonGraphWithSnapshot } from "../../src/graph/snapshot/load.js";
import { scaleArgs } from "./args.js";

const { dir } = scaleArgs();
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");

const { graph, outcome } = await loadJsonGraphWithSnapshot(dir);
if (outcome.from !== "snapshot")
  console.log(
    `(the graph was loaded in full: ${JSON.stringify(outcome).slice(0, 200)}; run again to read it from its snapshot)`,
  );

const GROUPS = 15;
const groups: string[][] = Array.from({ length: GROUPS }, () => []);
for (const kind of entityKinds) {
  const list = graph.keys[kind];
  const n = Math.min(GROUPS * 400, list.length);
  for (let i = 0; i < n; i++) groups[i % GROUPS]!.push(list[(i * 7919) % list.length]!);
}
const perEntity: number[] = [];
const perQuote: number[] = [];
let sum = 0;
for (const keys of groups) {
  const before = process.cpuUsage();
  let quotes = 0;
  for (const key of keys) {
    forEachQuote(graph.entity(key), (quote) => {
      sum += graph.quoteOffset(quote);
      quotes++;
    });
  }
  const used = process.cpuUsage(before);
  const micros = used.user + used.system;
  perEntity.push(micros / keys.length);
  perQuote.push(micros / quotes);
}
const gcMs: number[] = [];
for (let i = 0; i < 5; i++) {
  const start = performance.now();
  gc();
  gcMs.push(performance.now() - start);
}
const median = (list: number[]) => [...list].sort((a, b) => a - b)[list.length >> 1]!;
const least = (list: number[]) => Math.min(...list);
console.log(
  `${groups.flat().length} entities of ${dir}, from its ${outcome.from}, first reads with their quotes' offsets: ` +
    `CPU µs per entity median ${median(perEntity).toFixed(1)}, least ${least(perEntity).toFixed(1)}; ` +
    `per quote median ${median(perQuote).toFixed(1)}, least ${least(perQuote).toFixed(1)}; ` +
    `full collection ${median(gcMs).toFixed(1)} ms (median of 5), heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB` +
    ` (checksum ${sum % 1000})`,
);
