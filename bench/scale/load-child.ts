/**
 * One load of a dataset directory, phase by phase, in a fresh process (run by bench/scale/run.ts
 * with --expose-gc): prints one JSON line with wall and CPU time per phase and the heap the loaded
 * graph and search index keep (after a full GC, less the heap before loading; array buffers
 * included).
 *
 * With `--floor`, only reads the collection files and JSON.parses every entity, keeping them, and
 * prints the time that took: the least any load of this format can cost on this machine, against
 * which the real load is compared.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { SearchIndex } from "../../src/graph/search.js";

const dir = process.argv[2];
if (!dir) throw new Error("usage: load-child.ts DIR [--floor]");
if (process.argv.includes("--floor")) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const kept: unknown[] = [];
  for (const name of readdirSync(dir)) {
    if (name.endsWith(".ndjson")) {
      // in slices of lines, as the loader reads in chunks: a 200 MB file is more than one string may hold
      const text = readFileSync(join(dir, name));
      let from = 0;
      for (let end = text.indexOf(10, from); from < text.length; end = text.indexOf(10, from)) {
        if (end < 0) end = text.length;
        if (end > from) kept.push(JSON.parse(text.toString("utf8", from, end)));
        from = end + 1;
      }
    } else if (name.endsWith(".json")) {
      const parsed = JSON.parse(readFileSync(join(dir, name), "utf8")) as unknown;
      if (Array.isArray(parsed)) for (const item of parsed) kept.push(item);
    }
  }
  const used = process.cpuUsage(cpu);
  console.log(
    JSON.stringify({
      entities: kept.length,
      wallMs: performance.now() - start,
      cpuMs: (used.user + used.system) / 1000,
    }),
  );
  process.exit(0);
}
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");

// warm the modules' code paths on nothing, so that compilation is not billed to the first phase
void KnowledgeGraph;
gc();
gc();
// typed arrays' contents (the search index's postings, ...) live outside the JS heap, in array
// buffers: counted with it, so that "heap per entity" stays all-in
const kept = (m: NodeJS.MemoryUsage) => m.heapUsed + m.arrayBuffers;
const heapBefore = kept(process.memoryUsage());

function timed<T>(run: () => T): { value: T; wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = run();
  const used = process.cpuUsage(cpu);
  return { value, wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

// loadJsonGraph is read + parse + validate + index; the search index is what createApp adds
const graph = timed(() => loadJsonGraph(dir));
const search = timed(() => SearchIndex.build(graph.value));
const entities = Object.values(graph.value.keys).reduce((n, k) => n + k.length, 0);
gc();
gc();
const memory = process.memoryUsage();
// the indexes only some queries need (timeline, shortest paths) may be built on first use: the
// heap is reported both before and after they are asked for (on a graph that builds them at
// load, the two figures are equal)
const lazy = timed(() => [graph.value.timeline.entries.length, graph.value.paths.edgeCount]);
gc();
gc();
const withLazy = process.memoryUsage();
console.log(
  JSON.stringify({
    entities,
    loadWallMs: graph.wallMs,
    loadCpuMs: graph.cpuMs,
    searchWallMs: search.wallMs,
    searchCpuMs: search.cpuMs,
    heapBytes: kept(memory) - heapBefore,
    lazyWallMs: lazy.wallMs,
    lazyCpuMs: lazy.cpuMs,
    heapWithLazyBytes: kept(withLazy) - heapBefore,
    externalBytes: memory.external + memory.arrayBuffers,
    rssBytes: memory.rss,
  }),
);
// keep both alive until measured
if (graph.value.keys.person.length < 0 || !search.value) process.exit(2);
