/**
 * `node --expose-gc --max-old-space-size=16384 --import tsx bench/scale/search.ts
 *    [--sizes 1000,10000,100000,1000000] [--rounds 3] [--passes 5] [--no-old]`
 *
 * The search index alone, at each size of .cache/datasets: the former minisearch index
 * (tests/support/minisearch-index.ts) and the compact one (src/graph/search.ts) side by side in
 * one process, on the words of bench:scale's `search` scenario (200 surnames of the dataset),
 * doing what the `search(query:, first: 10) { totalCount nodes ... }` resolver needs: the total
 * and the first 10 hits.
 * The per-word figures are the last round's (mean of its passes per word).
 * Prints per size: build time and memory kept (heap + array buffers, after a full GC) of each
 * index; whether both give the same total, the same first 10 keys and names, and the same scores;
 * the number of hits and postings; CPU time per search (this process's, over a round of every
 * word `passes` times: what scheduling on a shared machine disturbs least) and wall time per
 * search (mean and median over the words, p99), medians of the rounds, old and new interleaved
 * per round; and the ratios to the smallest size.
 */

import { generatedDataset } from "../../data/synthetic/datasets.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { SearchIndex } from "../../src/graph/search.js";
import { MiniSearchIndex } from "../../tests/support/minisearch-index.js";
import { median } from "../harness.js";
import { wordsOf } from "./scenarios.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const sizes = option("sizes", "1000,10000,100000,1000000").split(",").map(Number);
const rounds = Number(option("rounds", "3"));
const passes = Number(option("passes", "5"));
const withOld = !argv.includes("--no-old");
const FIRST = 10;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");
const kept = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

function timed<T>(run: () => T): { value: T; ms: number; bytes: number } {
  const before = kept();
  const start = performance.now();
  const value = run();
  const ms = performance.now() - start;
  return { value, ms, bytes: kept() - before };
}

interface Index {
  name: string;
  page: (q: string) => { totalCount: number; ids: string[]; names: string[]; scores: number[] };
}

/**
 * A full GC, so that the garbage of the other index's round is not billed to the next one, then
 * a pause as long as twice the collection took: V8 sweeps after it on helper threads, and the
 * process CPU time (all threads) of a round that overlapped that sweeping would include it.
 */
async function settle(): Promise<void> {
  const start = performance.now();
  gc!();
  await new Promise((resolve) =>
    setTimeout(resolve, Math.max(200, 2 * (performance.now() - start))),
  );
}

/** Mean µs per search over `words`, `passes` times each: of wall time per search, and of this process's CPU time. */
function latency(
  index: Index,
  words: string[],
): { meanUs: number; cpuUs: number; perWordUs: number[] } {
  const perWord = words.map(() => 0);
  const cpu = process.cpuUsage();
  for (let pass = 0; pass < passes; pass++) {
    words.forEach((q, i) => {
      const start = performance.now();
      index.page(q);
      perWord[i]! += performance.now() - start;
    });
  }
  const used = process.cpuUsage(cpu);
  const perWordUs = perWord.map((ms) => (ms * 1000) / passes);
  return {
    meanUs: perWordUs.reduce((a, b) => a + b, 0) / words.length,
    cpuUs: (used.user + used.system) / (passes * words.length),
    perWordUs,
  };
}

const pct = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
const f1 = (x: number) => x.toFixed(1);

interface Row {
  n: number;
  entities: number;
  oldBuildMs?: number;
  oldBytes?: number;
  newBuildMs: number;
  newBytes: number;
  hits: number;
  postings: number;
  oldUs?: number;
  newUs: number;
  oldCpuUs?: number;
  newCpuUs: number;
  newP99Us: number;
  oldP99Us?: number;
  newP50Us: number;
  oldP50Us?: number;
  mismatches?: number;
  maxScoreDiff?: number;
}
const rows: Row[] = [];

console.log(
  `node ${process.version}; rounds ${rounds}, passes ${passes} per round; first: ${FIRST}`,
);
for (const n of sizes) {
  const dir = generatedDataset(n);
  const loadStart = performance.now();
  const graph = loadJsonGraph(dir);
  const entities = Object.values(graph.keys).reduce((a, k) => a + k.length, 0);
  console.log(
    `\n## ${n}: ${entities} entities loaded in ${f1((performance.now() - loadStart) / 1000)} s`,
  );
  const words = wordsOf(dir, 200);

  const built = timed(() => SearchIndex.build(graph));
  const compact = built.value;
  const size = compact.size;
  console.log(
    `new index: built in ${f1(built.ms)} ms, keeps ${f1(built.bytes / 2 ** 20)} MB (${(built.bytes / entities).toFixed(0)} B/entity); ` +
      `${size.names} names, ${size.terms} terms, ${size.postings} postings`,
  );
  const newIndex: Index = {
    name: "new",
    page: (q) => {
      const results = compact.find(q);
      const top = results.top(FIRST);
      return {
        totalCount: results.totalCount,
        ids: top.map((h) => h.id),
        names: top.map((h) => h.matchedName),
        scores: top.map((h) => h.score),
      };
    },
  };

  let oldIndex: Index | undefined;
  const row: Row = {
    n,
    entities,
    newBuildMs: built.ms,
    newBytes: built.bytes,
    hits: 0,
    postings: 0,
    newUs: 0,
    newCpuUs: 0,
    newP99Us: 0,
    newP50Us: 0,
  };
  if (withOld) {
    const oldBuilt = timed(() => MiniSearchIndex.build(graph));
    const mini = oldBuilt.value;
    console.log(
      `old index: built in ${f1(oldBuilt.ms)} ms, keeps ${f1(oldBuilt.bytes / 2 ** 20)} MB (${(oldBuilt.bytes / entities).toFixed(0)} B/entity)`,
    );
    row.oldBuildMs = oldBuilt.ms;
    row.oldBytes = oldBuilt.bytes;
    oldIndex = {
      name: "old",
      page: (q) => {
        const hits = mini.search(q);
        const top = hits.slice(0, FIRST);
        return {
          totalCount: hits.length,
          ids: top.map((h) => h.id),
          names: top.map((h) => h.matchedName),
          scores: top.map((h) => h.score),
        };
      },
    };
    // the same answers?
    let mismatches = 0;
    let maxDiff = 0;
    for (const q of words) {
      const a = oldIndex.page(q);
      const b = newIndex.page(q);
      const same =
        a.totalCount === b.totalCount &&
        a.ids.join() === b.ids.join() &&
        a.names.join() === b.names.join();
      if (!same) {
        mismatches++;
        if (mismatches <= 3)
          console.log(
            `  differs on ${JSON.stringify(q)}: old ${a.totalCount} ${a.ids.slice(0, 3).join(" ")} / new ${b.totalCount} ${b.ids.slice(0, 3).join(" ")}`,
          );
      }
      a.scores.forEach(
        (s, i) => (maxDiff = Math.max(maxDiff, Math.abs(s - (b.scores[i] ?? 0)) / s)),
      );
    }
    row.mismatches = mismatches;
    row.maxScoreDiff = maxDiff;
    console.log(
      `same total, first ${FIRST} keys and names on ${words.length - mismatches} of ${words.length} words; largest relative score difference ${maxDiff.toExponential(1)}`,
    );
  }

  // how much each search touches
  let hits = 0;
  for (const q of words) hits += compact.find(q).totalCount;
  row.hits = hits / words.length;
  for (const q of words)
    for (const term of q.split(/\s+/))
      for (const e of compact.expansions(term)) row.postings += e.names;
  row.postings /= words.length;
  console.log(`per word: ${f1(row.hits)} entities found, ${f1(row.postings)} postings read`);

  // warm up both (the JIT), then interleave
  for (let pass = 0; pass < 3; pass++)
    for (const index of [newIndex, oldIndex]) if (index) for (const q of words) index.page(q);
  const newRounds: number[] = [];
  const oldRounds: number[] = [];
  const newCpu: number[] = [];
  const oldCpu: number[] = [];
  let newPer: number[] = [];
  let oldPer: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (oldIndex) {
      await settle();
      const o = latency(oldIndex, words);
      oldRounds.push(o.meanUs);
      oldCpu.push(o.cpuUs);
      oldPer = o.perWordUs;
    }
    await settle();
    const m = latency(newIndex, words);
    newRounds.push(m.meanUs);
    newCpu.push(m.cpuUs);
    newPer = m.perWordUs;
    console.log(
      `round ${r + 1}: new ${f1(m.meanUs)} µs/search (${f1(m.cpuUs)} µs CPU)` +
        (oldIndex ? `, old ${f1(oldRounds.at(-1)!)} µs/search (${f1(oldCpu.at(-1)!)} µs CPU)` : ""),
    );
  }
  row.newUs = median(newRounds);
  row.newCpuUs = median(newCpu);
  row.newP99Us = pct(newPer, 0.99);
  row.newP50Us = pct(newPer, 0.5);
  if (oldIndex) {
    row.oldUs = median(oldRounds);
    row.oldCpuUs = median(oldCpu);
    row.oldP99Us = pct(oldPer, 0.99);
    row.oldP50Us = pct(oldPer, 0.5);
  }
  rows.push(row);
}

const base = rows[0]!;
console.log(
  "\n| entities | index | build ms | MB kept | B/entity | hits/word | CPU µs/search | × at " +
    base.n +
    " | wall µs/search (mean) | median over words µs | p99 over words µs | new vs old (CPU) |",
);
console.log("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  if (r.oldUs !== undefined) {
    console.log(
      `| ${r.n} | old (minisearch) | ${f1(r.oldBuildMs!)} | ${f1(r.oldBytes! / 2 ** 20)} | ${(r.oldBytes! / r.entities).toFixed(0)} | ${f1(r.hits)} | ${f1(r.oldCpuUs!)} | ${(r.oldCpuUs! / base.oldCpuUs!).toFixed(1)}× | ${f1(r.oldUs)} | ${f1(r.oldP50Us!)} | ${f1(r.oldP99Us!)} | |`,
    );
  }
  console.log(
    `| ${r.n} | new (compact) | ${f1(r.newBuildMs)} | ${f1(r.newBytes / 2 ** 20)} | ${(r.newBytes / r.entities).toFixed(0)} | ${f1(r.hits)} | ${f1(r.newCpuUs)} | ${(r.newCpuUs / base.newCpuUs).toFixed(1)}× | ${f1(r.newUs)} | ${f1(r.newP50Us)} | ${f1(r.newP99Us)} | ${r.oldCpuUs !== undefined ? `${(r.oldCpuUs / r.newCpuUs).toFixed(1)}× less` : ""} |`,
  );
}
