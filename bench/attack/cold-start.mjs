/**
 * `node bench/attack/cold-start.mjs DATASET_DIR ROOT [CONTROL_ROOT] [--rounds 3]`: how long the
 * serving thread is held in a server's first seconds, while the entities and indexes of a graph
 * read from its snapshot are made on first use (the closing note's "warm-up holds /health": the
 * first /health after a start waited 119-158 ms on a quiet host, 0.6-0.85 s at load 8). Each round
 * starts, for each root in turn, a server with the stall logger (loop-stalls.mjs, at
 * KZ_BENCH_STALL_MS, 20 ms here) and:
 * - "start": with its warm-ups (warm.ts), /health polled every 10 ms from when it serves until
 *   /ready says 200: the polls' p50 and max, and the stalls;
 * - each cold request below on a server of its own started without warm-ups (nothing made before
 *   it comes: what a request finds in the first seconds after a start or a reload, and at a million
 *   entities, where the warm-up makes no list a request cannot scan whole, always): a
 *   `{ __typename }` first (the server's first request has costs of its own), then the request,
 *   its status, wall time and the stalls meanwhile.
 * A stall is printed as wall/CPU/GC ms (CPU: the thread's time on a core; the rest of a stall,
 * on a busy machine, is its wait for one). The last lines give, per root, the worst stall's CPU
 * of each part over the rounds.
 */
import { readFileSync } from "node:fs";
import { pollHealth, serve } from "./serve.mjs";

const args = process.argv.slice(2);
const roundsAt = args.indexOf("--rounds");
const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 3;
const [data, ...roots] = args;
if (!data || roots.length === 0)
  throw new Error(
    "usage: node bench/attack/cold-start.mjs DATASET_DIR ROOT [CONTROL_ROOT] [--rounds 3]",
  );
process.env.KZ_OSCE_MAX_EVENT_LOOP_DELAY_MS ??= "0"; // load shedding off: a stall is measured, not shed
process.env.KZ_BENCH_STALL_MS ??= "20";

const COLD = [
  // candidates from the date index: its events made on their first read (core.ts eventsDuringEach)
  [
    "events of one year",
    '{ events(filter: { when: { overlaps: "2009" } }, first: 1) { totalCount } }',
  ],
  // a list of every office with tenures, each named: the offices made as graphql-js resolves them
  ["every office's name", "{ statistics { tenuresByOffice { office { name } count } } }"],
  // a date filter over every tenure: the tenures and the dates' index made on first use
  [
    "tenures active in 2005",
    '{ tenures(filter: { when: { activeAt: "2005" } }, first: 1) { totalCount } }',
  ],
];

const post = async (url, query) => {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  const body = await response.json();
  return { status: response.status, errors: body.errors ?? [] };
};
const stop = (child) =>
  new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", resolve);
    child.kill("SIGTERM");
  });
const stallsIn = (text) =>
  text
    .split("\n")
    .filter((line) => line.includes('"loop stall"'))
    .map((line) => JSON.parse(line));
const said = (stalls) =>
  stalls.map((s) => `${s.ms}/${s.cpuMs ?? "?"}/${s.gcMs}`).join(" ") || "none";
const cpuOf = (s) => s.cpuMs ?? s.ms;
const withStallLogger = async (root, extraEnv) => {
  const saved = { ...process.env };
  Object.assign(process.env, extraEnv, {
    KZ_BENCH_NODE_FLAGS: "--import=./bench/attack/loop-stalls.mjs",
  });
  try {
    return await serve(root, data, "warn");
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
};

const worst = new Map(roots.map((root) => [root, new Map()]));
const note = (root, part, stalls) => {
  const parts = worst.get(root);
  parts.set(part, Math.max(parts.get(part) ?? 0, 0, ...stalls.map(cpuOf)));
};

console.log(
  `cold-start: ${data}, node ${process.version}, load ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
);
for (let round = 1; round <= rounds; round++) {
  for (const root of roots) {
    // the start, warm-ups on
    {
      const { child, url, output } = await withStallLogger(root, {});
      const from = output().length;
      const health = pollHealth(url, { everyMs: 10 });
      const started = performance.now();
      for (;;) {
        const ready = await fetch(`${url}/ready`);
        await ready.text();
        if (ready.status === 200 || performance.now() - started > 60_000) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const readyMs = performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 150)); // the logger's last stall
      const { waits } = await health.stop();
      const sorted = [...waits].sort((a, b) => a - b);
      const stalls = stallsIn(output().slice(from));
      note(root, "start", stalls);
      console.log(
        `round ${round} ${root} start: ready in ${readyMs.toFixed(0)} ms; /health p50 ${sorted[sorted.length >> 1]?.toFixed(1)} max ${sorted.at(-1)?.toFixed(1)} ms over ${sorted.length}; stalls ≥ ${process.env.KZ_BENCH_STALL_MS} ms (wall/CPU/GC): ${said(stalls)}`,
      );
      await stop(child);
    }
    for (const [name, query] of COLD) {
      const { child, url, output } = await withStallLogger(root, {
        KZ_OSCE_WARM_ENTITIES: "false",
        KZ_OSCE_WARM_QUERIES: "false",
      });
      await post(url, "{ __typename }");
      await new Promise((resolve) => setTimeout(resolve, 300)); // the start's own stalls said
      const from = output().length;
      const t = performance.now();
      const answer = await post(url, query);
      const wall = performance.now() - t;
      await new Promise((resolve) => setTimeout(resolve, 150));
      const stalls = stallsIn(output().slice(from));
      note(root, name, stalls);
      console.log(
        `round ${round} ${root} ${name}: ${answer.status}, ${answer.errors.length} errors, ${wall.toFixed(0)} ms wall; stalls (wall/CPU/GC): ${said(stalls)}`,
      );
      await stop(child);
    }
  }
}
for (const [root, parts] of worst)
  console.log(
    `worst stall's CPU over ${rounds} rounds, ${root}: ${[...parts].map(([part, cpu]) => `${part} ${cpu} ms`).join("; ")}`,
  );
