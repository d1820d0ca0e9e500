/**
 * The memory the tables of searches that pause take when many requests run such searches at once
 * (review 51, finding 1): each search of more than PAUSING_POSTINGS postings sums them in a table
 * of its own (a slot for every name and entity of the index), and gives the event loop back between
 * its steps, so the searches of requests that run at once all held theirs together. The pool
 * (src/graph/search-tables.ts) lends at most MAX_PAUSING_TABLES.
 *
 *   npm run bench:search-tables -- [--entities 100000] [--requests 16] [--slice 2] [--rounds 3]
 *
 * Runs `--requests` searches of common words at once, each under a deadline of its own (one a
 * request), the turns given back every `--slice` ms (20 ms in the server, where a search at a
 * million entities reads ten times the postings: a shorter slice here gives as many turns per
 * search at 100,000), with the pool as it is and with a pool that never makes one wait (one table
 * a search, as before). Prints, for each, the most ArrayBuffer bytes over the baseline sampled at
 * every turn (and kept after the searches, once collected), the tables lent at once, the wall time,
 * and whether the hits equal a search run alone.
 */
import { generatedDataset } from "../data/synthetic/datasets.js";
import { Deadline, runSliced } from "../src/graph/deadline.js";
import { MAX_PAUSING_TABLES, PAUSING_POSTINGS, SearchIndex } from "../src/graph/search.js";
import { loadJsonGraphWithSnapshot } from "../src/graph/snapshot/load.js";
import { option } from "./probe-options.js";

const entities = Number(option("entities", "100000"));
const requests = Number(option("requests", "16"));
const sliceMs = Number(option("slice", "2"));
const rounds = Number(option("rounds", "3"));
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc (npm run bench:search-tables does)");
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const { graph } = await loadJsonGraphWithSnapshot(generatedDataset(entities));
const QUERIES = [
  "osce office centre programme the of on in",
  "the of on in osce centre programme office",
  "office programme of the in on osce",
];
const pooled = SearchIndex.build(graph);
const unbounded = SearchIndex.build(graph, { maxPausingTables: Number.POSITIVE_INFINITY });
for (const query of QUERIES) {
  const { postings } = pooled.reach(query);
  if (postings <= PAUSING_POSTINGS)
    throw new Error(
      `"${query}" reads ${postings} postings, no more than ${PAUSING_POSTINGS}: it would not pause`,
    );
}
const alone = new Map(QUERIES.map((q) => [q, JSON.stringify(pooled.search(q))]));

async function run(index: SearchIndex) {
  // the tables the last run gave back let go (PAUSING_TABLES_KEPT_MS), as on a server that was idle
  await new Promise((resolve) => setTimeout(resolve, 5_200));
  gc!();
  gc!();
  const base = process.memoryUsage().arrayBuffers;
  let peak = 0;
  let sampling = true;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
  };
  const sampler = (async () => {
    while (sampling) {
      sample();
      await new Promise(setImmediate);
    }
  })();
  index.pausingTables.mostLent = 0;
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: requests }, (_, r) => {
      const query = QUERIES[r % QUERIES.length]!;
      const deadline = new Deadline(60_000, { sliceMs });
      return runSliced(index.findSteps(query, { deadline }), deadline).then((found) => {
        sample();
        return JSON.stringify(found.all()) === alone.get(query);
      });
    }),
  );
  const wallMs = performance.now() - started;
  sampling = false;
  await sampler;
  gc!();
  gc!();
  // (the tables kept free for the next burst: let go 5 s after the last)
  const kept = process.memoryUsage().arrayBuffers - base;
  return { peak, kept, lent: index.pausingTables.mostLent, wallMs, right: results.every(Boolean) };
}

console.log(
  `${entities} entities, ${requests} searches at once (each its own deadline), slices of ${sliceMs} ms; pool of ${MAX_PAUSING_TABLES}`,
);
for (let round = 1; round <= rounds; round++) {
  for (const [name, index] of [
    ["pool", pooled],
    ["one table a search", unbounded],
  ] as const) {
    const { peak, kept, lent, wallMs, right } = await run(index);
    console.log(
      `round ${round} ${name.padEnd(18)} most ArrayBuffers over baseline ${mb(peak).padStart(9)} (${mb(kept)} after), tables lent at once ${String(lent).padStart(2)}, ${wallMs.toFixed(0).padStart(5)} ms, hits ${right ? "as alone" : "DIFFERENT"}`,
    );
  }
}
