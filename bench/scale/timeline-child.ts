/**
 * One build of the timeline alone, in a fresh process (run by bench/scale/compare-timeline.ts with
 * --expose-gc): loads a dataset directory, then prints one JSON line with the heap the timeline
 * keeps (after a full GC, array buffers included), the time to build it, and the time of a few
 * timeline queries through selectTimeline (the whole timeline's first page, an entity filter on
 * the state with the most posts, a kind filter, a date filter), each the median of 5.
 */

import { selectTimeline } from "../../src/graph/lists.js";
import { loadJsonGraph } from "../../src/graph/load.js";

const dir = process.argv[2];
if (!dir) throw new Error("usage: timeline-child.ts DIR");
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const kept = (m: NodeJS.MemoryUsage) => m.heapUsed + m.arrayBuffers;

const graph = loadJsonGraph(dir);
const entities = Object.values(graph.keys).reduce((n, k) => n + k.length, 0);
gc();
gc();
const before = kept(process.memoryUsage());
const start = performance.now();
const timeline = graph.timeline;
const buildMs = performance.now() - start;
gc();
gc();
const after = kept(process.memoryUsage());

const busiestState = graph.keys.state.reduce((a, b) =>
  graph.postsByState.get(b).length > graph.postsByState.get(a).length ? b : a,
);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function timed(args: Parameters<typeof selectTimeline>[1]): { ms: number; count: number } {
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const list = selectTimeline(graph, args);
    // what a page of 20 asks of the list
    count = list.length;
    list.slice(0, 20).forEach((e) => void e.label);
    times.push(performance.now() - t);
  }
  return { ms: median(times), count };
}
const queries = {
  whole: timed({}),
  wholeDesc: timed({ orderBy: [{ field: "DATE", direction: "DESC" }] }),
  busiestState: timed({ filter: { entity: { eq: busiestState } } }),
  aPerson: timed({
    filter: { entity: { eq: graph.keys.person[Math.floor(graph.keys.person.length / 2)]! } },
  }),
  kindNameChange: timed({ filter: { kind: { eq: "NAME_CHANGE" } } }),
  year2010: timed({ filter: { date: { overlaps: "2010" } } }),
};
console.log(
  JSON.stringify({
    entities,
    entries: timeline.entries.length,
    buildMs,
    timelineBytes: after - before,
    queries,
  }),
);
