/**
 * `node bench/attack/long-answer-paths.mjs ROOT DATASET_DIR [RUNS] [WAY...]`: how long a server's
 * event loop is held by one long answer (about 16 MB: 140 source texts at 100,000 entities) asked
 * each way a client can ask it: a plain POST (the shortcut's direct path), and those Yoga writes
 * (an error beside it, an event stream, multipart, a batch, GET, an odd Accept, extensions). After
 * the red team's script of 2026-12-05 (its long-answer-paths.mjs), with the server started here.
 *
 * The server (`npm start -- --data DATASET_DIR` in ROOT) runs with loop-stalls.mjs preloaded, told
 * to say every stall of `KZ_BENCH_STALL_MS` (default 20) or more. For each request: the longest
 * stall while it was answered (`stall`; of it, `gc` in collections and `on a core` the thread's
 * time on a core, from Linux's schedstat), the most time on a core in any one stall (the work
 * that held the loop, without the waits for a core that a busy machine adds: the figure to
 * compare there), and the longest wait of a /health poller (every 5 ms, a process of its own:
 * burst-turns.mjs). Each way is asked once unmeasured, then RUNS times (default 3), each answer
 * distinct (a comment in the query: no cache answers it).
 */
import { fileURLToPath } from "node:url";
import { beside } from "./queries.mjs";
import { serve } from "./serve.mjs";

const [root, data, runsArg, ...only] = process.argv.slice(2);
if (!root || !data) {
  console.error("usage: node bench/attack/long-answer-paths.mjs ROOT DATASET_DIR [RUNS] [WAY...]");
  process.exit(2);
}
const runs = Number(runsArg ?? 3);
const stallMs = Number(process.env.KZ_BENCH_STALL_MS ?? 20);
// this checkout's monitor, whichever ROOT is measured (a ROOT before it said shorter stalls)
const monitor = fileURLToPath(new URL("./loop-stalls.mjs", import.meta.url));
process.env.KZ_BENCH_NODE_FLAGS = `${process.env.KZ_BENCH_NODE_FLAGS ?? ""} --import=${monitor}`;
process.env.KZ_BENCH_STALL_MS = String(stallMs);
const { child, url, output } = await serve(root, data, "warn");

let unique = 0;
const selection = `a: sources(first: 100) { nodes { text } } b: sources(first: ${Number(process.env.B ?? 40)}) { nodes { text } }`;
const query = (extra = "") => `# ${process.pid}-${unique++}\n{ ${selection} ${extra} }`;
const JSON_TYPE = { "content-type": "application/json" };
const posted = (body, accept) => ({
  method: "POST",
  headers: { ...JSON_TYPE, ...(accept && { accept }) },
  body: JSON.stringify(body),
});
const WAYS = {
  plain: () => posted({ query: query() }),
  withError: () => posted({ query: query('x: person(key: "nobody-at-all-zz") { key }') }),
  sse: () => posted({ query: query() }, "text/event-stream"),
  multipart: () => posted({ query: query() }, "multipart/mixed"),
  batch: () => posted([{ query: query() }]),
  get: () => [
    `/graphql?query=${encodeURIComponent(query())}`,
    { headers: { accept: "application/json" } },
  ],
  oddAccept: () => posted({ query: query() }, "application/json, text/plain"),
  withExtensions: () => posted({ query: query(), extensions: {} }),
};

async function ask(way) {
  const made = WAYS[way]();
  const [path, init] = Array.isArray(made) ? made : ["/graphql", made];
  const response = await fetch(`${url}${path}`, init);
  const bytes = (await response.arrayBuffer()).byteLength;
  return { status: String(response.status), bytes };
}

/**
 * The stalls the server said between two times (Date.now()): the longest, and the most time on a
 * core in one (`cpuMs`, the thread's own work then: the rest of a stall is its wait for a core).
 */
function stallsBetween(from, to) {
  let longest = { ms: 0, gcMs: 0, cpuMs: 0 };
  let cpuMs = 0;
  for (const line of output().split("\n")) {
    if (!line.includes('"loop stall"')) continue;
    const stall = JSON.parse(line);
    const at = Date.parse(stall.at);
    if (at < from || at > to) continue;
    if (stall.ms > longest.ms) longest = stall;
    cpuMs = Math.max(cpuMs, stall.cpuMs ?? 0);
  }
  return { ...longest, mostCpuMs: cpuMs };
}

const ways = only.length > 0 ? only : Object.keys(WAYS);
for (const way of ways) await ask(way);
const f = (ms) => ms.toFixed(0).padStart(6);
console.log(
  `server: ${root}, data: ${data}, node ${process.version}, ${runs} runs, stalls from ${stallMs} ms`,
);
console.log(
  "way              run   wall  stall (gc, on a core)  most on a core  /health max  bytes     status",
);
const longest = {};
const mostCpu = {};
for (const way of ways) {
  for (let run = 1; run <= runs; run++) {
    const from = Date.now();
    const { wall, health, answers } = await beside(url, async () => [await ask(way)]);
    // a stall is said 50 ms after it ends (loop-stalls.mjs)
    await new Promise((r) => setTimeout(r, 100));
    const stall = stallsBetween(from, Date.now());
    longest[way] = Math.max(longest[way] ?? 0, stall.ms);
    mostCpu[way] = Math.max(mostCpu[way] ?? 0, stall.mostCpuMs);
    console.log(
      `${way.padEnd(15)} ${String(run).padStart(4)} ${f(wall)} ${f(stall.ms)} (${String(stall.gcMs).padStart(3)}, ${String(stall.cpuMs ?? "-").padStart(3)})      ${f(stall.mostCpuMs)}       ${f(health.max)}      ${String(answers[0].bytes).padStart(9)} ${answers[0].status}`,
    );
    await new Promise((r) => setTimeout(r, 500));
  }
}
const summary = (figures) =>
  Object.entries(figures)
    .map(([way, ms]) => `${way} ${ms}`)
    .join(", ");
console.log(`longest stall per way (ms): ${summary(longest)}`);
console.log(`most time on a core in one stall per way (ms): ${summary(mostCpu)}`);
child.kill("SIGTERM");
