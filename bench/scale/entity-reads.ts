/**
 * `NODE_ENV=production npx tsx bench/scale/entity-reads.ts [--data DIR | --entities 100000]`
 *
 * What one read of an entity by its key costs on a graph started from its snapshot, once the
 * entity is decoded (the steady state of a server that has run a while): `graph.entity(key)` over
 * up to 3,000 keys of each kind, spread over the lists, each read once first (decoding), then 20
 * times more per round; CPU ns per read, median and least of 15 rounds. A frontend request reads
 * about 140 entities this way (bench/scale/profile-frontend.ts has where the rest goes).
 */
import { entityKinds } from "../../src/graph/model.js";
import { loadJsonGraphWithSnapshot } from "../../src/graph/snapshot/load.js";
import { scaleArgs } from "./args.js";

const { dir } = scaleArgs();

const { graph, outcome } = await loadJsonGraphWithSnapshot(dir);
if (outcome.from !== "snapshot")
  console.log(
    `(the graph was loaded in full: ${JSON.stringify(outcome).slice(0, 200)}; run again to read it from its snapshot)`,
  );
const keys: string[] = [];
for (const kind of entityKinds) {
  const list = graph.keys[kind];
  for (let i = 0; i < Math.min(3000, list.length); i++) keys.push(list[(i * 7919) % list.length]!);
}
for (const key of keys) graph.entity(key);
const perRead: number[] = [];
for (let round = 0; round < 15; round++) {
  const before = process.cpuUsage();
  for (let pass = 0; pass < 20; pass++) for (const key of keys) graph.entity(key);
  const used = process.cpuUsage(before);
  perRead.push(((used.user + used.system) * 1000) / (20 * keys.length));
}
perRead.sort((a, b) => a - b);
console.log(
  `${keys.length} keys of ${dir}, from its ${outcome.from}: CPU ns per read, median ${perRead[7]!.toFixed(0)}, least ${perRead[0]!.toFixed(0)}`,
);
