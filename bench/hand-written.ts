/**
 * `npm run bench:hand-written -- [--sizes 100000] [--rounds 3]`
 *
 * Do the hand-written parts of src/graph still earn their keep against the library each replaced
 * (docs/performance.md, "Why hand-written")? Ours and the library side by side in one process, on
 * realistic work, on the built-in data and on generated datasets (.cache/datasets):
 *
 * - the search index (src/graph/search.ts) against minisearch (the former index, kept as the
 *   reference in tests/support/minisearch-index.ts): build time, memory kept after a full GC, and
 *   CPU per search by kind of query — a surname, a prefix of one (3 letters), one with a typo,
 *   a full name (two words), a word found nowhere — doing what `search(first: 10)` needs: the
 *   exact total and the first 10 hits; and whether both give the same total and first 10;
 * - EDTF dates (src/graph/dates.ts) against the `edtf` library (the grammar it replaced, used
 *   the way dates.ts used it: each bound of an interval read by `edtf`): CPU per date string to
 *   the first and last day covered and the precision, on every date string of the built-in data,
 *   of the generated datasets, and of every day, month and year of 1900-2100; and whether both
 *   give the same days.
 *
 * Figures are medians of the rounds, ours and the library's interleaved in each round; a ratio
 * above 1 means the library costs that many times ours. The machine is shared: the load average
 * is printed.
 */

import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import edtf from "edtf";
import { builtInDataset } from "../data/index.js";
import { loadBuiltInGraph } from "../data/load.js";
import { generatedDataset } from "../data/synthetic/datasets.js";
import { type PartialDate, parsePartialDate } from "../src/graph/dates.js";
import type { KnowledgeGraph } from "../src/graph/graph.js";
import { loadJsonGraph } from "../src/graph/load.js";
import { SearchIndex, searchableKinds } from "../src/graph/search.js";
import { MiniSearchIndex } from "../tests/support/minisearch-index.js";
import { median } from "./harness.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const sizes = option("sizes", "100000").split(",").filter(Boolean).map(Number);
const rounds = Number(option("rounds", "3"));

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc (npm run bench:hand-written does)");
const kept = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const cpuUs = (run: () => void): number => {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return used.user + used.system;
};
const f1 = (x: number) => x.toFixed(1);
const ratio = (library: number, ours: number) => `${(library / ours).toFixed(1)}×`;

console.log(
  `bench:hand-written: ${new Date().toISOString()}, Node ${process.version}; rounds ${rounds}; load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(", ")}`,
);

// ------------------------------------------------------------------ search

/** A small seedable PRNG (mulberry32), so that the same data gives the same queries. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Queries of each kind, from the graph's own names. */
function queriesOf(graph: KnowledgeGraph, perKind = 100): Record<string, string[]> {
  const next = prng(42);
  const names: string[] = [];
  for (const kind of searchableKinds)
    for (const entity of graph.lists[kind] as readonly { name: { text: string } }[])
      names.push(entity.name.text);
  const pick = () => names[Math.floor(next() * names.length)]!;
  const wordOf = (min: number) => {
    for (let tries = 0; tries < 1000; tries++) {
      const words = pick()
        .split(/[^\p{L}]+/u)
        .filter((w) => w.length >= min);
      if (words.length > 0) return words[Math.floor(next() * words.length)]!;
    }
    throw new Error(`no word of ${min} letters in the names`);
  };
  const fullName = () => {
    for (let tries = 0; tries < 1000; tries++) {
      const words = pick()
        .split(/[^\p{L}]+/u)
        .filter((w) => w.length >= 3);
      if (words.length >= 2) return `${words[0]} ${words[1]}`;
    }
    return wordOf(3);
  };
  const typo = (word: string) => {
    const at = 1 + Math.floor(next() * (word.length - 2));
    return word.slice(0, at) + (word[at] === "x" ? "q" : "x") + word.slice(at + 1);
  };
  const times = (make: () => string) => Array.from({ length: perKind }, make);
  return {
    word: times(() => wordOf(4)),
    prefix: times(() => wordOf(5).slice(0, 3)),
    typo: times(() => typo(wordOf(6))),
    "two words": times(fullName),
    "found nowhere": times(() => `zq${wordOf(4).toLowerCase()}xv`),
  };
}

interface Page {
  totalCount: number;
  keys: string;
}

function compareSearch(label: string, graph: KnowledgeGraph): void {
  const entities = Object.values(graph.keys).reduce((n, k) => n + k.length, 0);
  console.log(`\n## Search: ${label} (${entities} entities)`);
  const builds: { ours: number[]; library: number[] } = { ours: [], library: [] };
  const bytes: { ours: number; library: number } = { ours: 0, library: 0 };
  let ours: SearchIndex | undefined;
  let library: MiniSearchIndex | undefined;
  for (let round = 0; round < rounds; round++) {
    // the previous round's index is let go before the heap is read, or its release would be
    // counted against the new one
    ours = undefined;
    let before = kept();
    builds.ours.push(cpuUs(() => (ours = SearchIndex.build(graph))) / 1000);
    bytes.ours = kept() - before;
    library = undefined;
    before = kept();
    builds.library.push(cpuUs(() => (library = MiniSearchIndex.build(graph))) / 1000);
    bytes.library = kept() - before;
  }
  const page = {
    ours: (q: string): Page => {
      const found = ours!.find(q);
      return {
        totalCount: found.totalCount,
        keys: found
          .top(10)
          .map((h) => h.id)
          .join(),
      };
    },
    library: (q: string): Page => {
      const hits = library!.search(q);
      return {
        totalCount: hits.length,
        keys: hits
          .slice(0, 10)
          .map((h) => h.id)
          .join(),
      };
    },
  };
  const lines = [
    "| work | ours | minisearch | minisearch ÷ ours | same answers |",
    "|---|---:|---:|---:|---|",
    `| build, ms CPU | ${f1(median(builds.ours))} | ${f1(median(builds.library))} | ${ratio(median(builds.library), median(builds.ours))} | |`,
    `| memory kept, KB | ${(bytes.ours / 1024).toFixed(0)} | ${(bytes.library / 1024).toFixed(0)} | ${ratio(bytes.library, bytes.ours)} | |`,
  ];
  for (const [kind, queries] of Object.entries(queriesOf(graph))) {
    const same = queries.filter((q) => {
      const a = page.ours(q);
      const b = page.library(q);
      return a.totalCount === b.totalCount && a.keys === b.keys;
    }).length;
    const hits = queries.reduce((n, q) => n + page.ours(q).totalCount, 0) / queries.length;
    // warm both up (the JIT), then take turns
    for (let pass = 0; pass < 2; pass++) for (const q of queries) page.ours(q), page.library(q);
    const per: { ours: number[]; library: number[] } = { ours: [], library: [] };
    for (let round = 0; round < rounds; round++) {
      for (const who of ["ours", "library"] as const)
        per[who].push(cpuUs(() => queries.forEach((q) => page[who](q))) / queries.length);
    }
    lines.push(
      `| search "${kind}" (${queries.length} queries, e.g. ${JSON.stringify(queries[0])}, ${f1(hits)} hits each), µs CPU | ${f1(median(per.ours))} | ${f1(median(per.library))} | ${ratio(median(per.library), median(per.ours))} | ${same} of ${queries.length} |`,
    );
  }
  console.log(lines.join("\n"));
}

// ------------------------------------------------------------------ EDTF

/** The days a date covers, as the `edtf` library reads them: each bound by itself, as dates.ts did. */
function withLibrary(text: string): string {
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const point = (side: string) => {
    const date = edtf(side);
    if (date.type !== "Date") throw new Error(`edtf read ${side} as ${date.type}`);
    return { precision: date.precision as number, earliest: iso(date.min), latest: iso(date.max) };
  };
  const sides = text.trim().split("/");
  if (sides.length === 1) {
    const p = point(sides[0]!);
    return `${p.precision} ${p.earliest} ${p.latest}`;
  }
  const bound = (side: string) => (side === "" || side === ".." ? null : point(side));
  const [start, end] = [bound(sides[0]!), bound(sides[1]!)];
  const precision = Math.min(...[start, end].filter((p) => p !== null).map((p) => p!.precision));
  return `${precision} ${start?.earliest ?? null} ${end?.latest ?? null}`;
}

const PRECISION = { YEAR: 1, MONTH: 2, DAY: 3 } as const;
const ourDays = (d: PartialDate) => `${PRECISION[d.precision]} ${d.earliest} ${d.latest}`;

/** Every `edtf` value in a dataset's files (or objects), as written. */
function datesInFiles(dir: string): string[] {
  const dates: string[] = [];
  for (const file of readdirSync(dir).filter((f) => /\.(nd)?json$/.test(f))) {
    for (const m of readFileSync(join(dir, file), "utf8").matchAll(/"edtf":"([^"]*)"/g))
      dates.push(m[1]!);
  }
  return dates;
}
function datesIn(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) datesIn(v, into);
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key === "edtf" && typeof v === "string") into.push(v);
      else datesIn(v, into);
    }
  }
  return into;
}
function everyDay(from: number, to: number): string[] {
  const texts: string[] = [];
  for (let year = from; year <= to; year++) {
    texts.push(String(year));
    for (let month = 1; month <= 12; month++) {
      const m = `${year}-${String(month).padStart(2, "0")}`;
      texts.push(m);
      const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
      for (let day = 1; day <= days; day++) texts.push(`${m}-${String(day).padStart(2, "0")}`);
    }
  }
  return texts;
}

let padding = 0;
function compareDates(label: string, all: string[]): void {
  const distinct = [...new Set(all)];
  const differ = distinct.filter((t) => withLibrary(t) !== ourDays(parsePartialDate(t)));
  const per: { ours: number[]; library: number[] } = { ours: [], library: [] };
  for (let round = 0; round < rounds; round++) {
    // dates.ts keeps each distinct text it parsed (a load meets the same dates again and again);
    // a leading space it trims makes each round's texts new to it, so that parsing is measured
    const pad = " ".repeat(++padding);
    const texts = distinct.map((t) => pad + t);
    per.ours.push(cpuUs(() => texts.forEach((t) => parsePartialDate(t))) / texts.length);
    per.library.push(cpuUs(() => texts.forEach((t) => withLibrary(t))) / texts.length);
  }
  // what a load does: every date as written, each distinct one parsed once (dates.ts's own memo)
  const loadOurs = cpuUs(() =>
    all.forEach((t) => parsePartialDate(` ${" ".repeat(padding + 1)}${t}`)),
  );
  padding += 1;
  const memo = new Map<string, string>();
  const loadLibrary = cpuUs(() => all.forEach((t) => memo.get(t) ?? memo.set(t, withLibrary(t))));
  console.log(
    `| ${label}: ${all.length} dates, ${distinct.length} distinct | ${per.ours.length ? f1(median(per.ours)) : "-"} | ${f1(median(per.library))} | ${ratio(median(per.library), median(per.ours))} | ` +
      `${f1(loadOurs / 1000)} ms against ${f1(loadLibrary / 1000)} ms | ${differ.length === 0 ? "all" : `${distinct.length - differ.length} (differ: ${differ.slice(0, 3).join(", ")})`} |`,
  );
}

// ------------------------------------------------------------------ run

const builtIn = await loadBuiltInGraph();
const generated = sizes.map((n) => ({ n, dir: generatedDataset(n) }));

console.log(
  "\n## EDTF: ours (src/graph/dates.ts) against the `edtf` library, per distinct date string",
);
console.log(
  "| date strings | ours, µs CPU per date | edtf, µs CPU per date | edtf ÷ ours | all of them as a load reads them (each distinct once) | same days |",
);
console.log("|---|---:|---:|---:|---|---|");
compareDates("the built-in data", datesIn(builtInDataset));
for (const { n, dir } of generated) compareDates(`generated ${n}`, datesInFiles(dir));
compareDates("every day, month and year of 1900-2100", everyDay(1900, 2100));

compareSearch("the built-in data", builtIn);
for (const { n, dir } of generated) compareSearch(`generated ${n}`, loadJsonGraph(dir));

console.log(
  `\nLoad average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(", ")}`,
);
