/**
 * `node --expose-gc --max-old-space-size=12288 --import tsx bench/suggest.ts [--sizes 1000,100000,1000000]
 * [--rounds 15] [--before-cases 2]`: what
 * one "did you mean" costs (src/graph/keys.ts `suggestKeys`: an unknown key of a lookup, a path's
 * end or a key filter), on generated graphs of each size, bounded (this checkout) against the
 * unbounded algorithm it replaced (tests/support/reference-suggest.ts, "before").
 *
 * Prints, per size and case, the median and the slowest of `rounds` bounded suggestions and one
 * unbounded one, in milliseconds of the event loop (wall) and of this process's CPU time (what
 * other processes on a busy machine disturb least), with both answers. The unbounded one takes
 * seconds per suggestion from 100k entities on: on the largest size only the first
 * `--before-cases` cases run it. Loading the 1M graph takes one to several minutes and about 6 GB.
 */

import { loadavg } from "node:os";
import { generatedDataset } from "../data/synthetic/datasets.js";
import { entitiesOf, suggestKeys } from "../src/graph/keys.js";
import { loadJsonGraph } from "../src/graph/load.js";
import { type EntityKind, entityKinds } from "../src/graph/model.js";
import { referenceSuggestKeys } from "../tests/support/reference-suggest.js";
import { median } from "./harness.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const sizes = option("sizes", "1000,100000,1000000").split(",").map(Number);
const rounds = Number(option("rounds", "15"));
const beforeCases = Number(option("before-cases", "2"));

const PATH_KINDS = entityKinds.filter((kind) => kind !== "source");
const ms = (start: number) => performance.now() - start;
/** Wall and CPU milliseconds of `run`. */
function timed<T>(run: () => T): { value: T; wall: number; cpu: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = run();
  const wall = ms(start);
  const used = process.cpuUsage(cpu);
  return { value, wall, cpu: (used.user + used.system) / 1000 };
}

console.log(
  `node ${process.version}; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")} (the machine is shared: other processes run beside this one)`,
);
for (const size of sizes) {
  const started = performance.now();
  const graph = loadJsonGraph(generatedDataset(size));
  console.log(
    `\n## ${size} entities (loaded in ${(ms(started) / 1000).toFixed(1)} s; ${Object.values(graph.keys).flat().length} keys)`,
  );
  const persons = graph.keys.person;
  const last = persons[persons.length - 1]!;
  // a typo of the last person's key: far past what a bounded scan reads
  const typo = `${last.slice(0, -2)}${last.at(-1)}`;
  const cases: { name: string; kinds: readonly EntityKind[]; text: string }[] = [
    { name: "lookup, noise", kinds: ["person"], text: "person/zzzz-qqqq" },
    { name: "path end, many short words", kinds: PATH_KINDS, text: "x-y-z-w-v-u" },
    { name: "lookup, a word with a typo", kinds: ["person"], text: "nazarbaev" },
    { name: "lookup, typo of the last key", kinds: ["person"], text: typo },
    { name: "path end, 60 letters", kinds: PATH_KINDS, text: "a".repeat(60) },
    {
      name: "key filter, a name's words",
      kinds: ["office", "state", "place"],
      text: "osce-centre-in-almaty",
    },
  ];
  const entities = entitiesOf(graph);
  const largest = size === Math.max(...sizes);
  console.log(
    "| case | bounded: median wall ms | max wall ms | median CPU ms | unbounded: wall ms | CPU ms | same answer | bounded answer |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---|---|");
  // a collection first (a load's garbage is not a suggestion's), then every case once unmeasured:
  // compilation, and the sweeping that follows a collection of a large heap, fall on no case
  (globalThis as { gc?: () => void }).gc?.();
  for (const { kinds, text } of cases) suggestKeys(entities, kinds, text);
  cases.forEach(({ name, kinds, text }, i) => {
    const runs = Array.from({ length: rounds }, () =>
      timed(() => suggestKeys(entities, kinds, text)),
    );
    const answer = runs[0]!.value;
    let before = "not run | not run";
    let same = "";
    if (!largest || i < beforeCases) {
      const reference = timed(() => referenceSuggestKeys(entities, kinds, text));
      before = `${reference.wall.toFixed(0)} | ${reference.cpu.toFixed(0)}`;
      same =
        JSON.stringify(reference.value) === JSON.stringify(answer)
          ? "yes"
          : `no: ${JSON.stringify(reference.value)}`;
    }
    const wall = runs.map((r) => r.wall);
    const cpu = median(runs.map((r) => r.cpu));
    console.log(
      `| ${name} | ${median(wall).toFixed(2)} | ${Math.max(...wall).toFixed(2)} | ${cpu.toFixed(2)} | ${before} | ${same} | ${JSON.stringify(answer)} |`,
    );
  });
}
console.log(
  `\nload average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
