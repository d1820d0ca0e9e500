/**
 * `node bench/attack/burst-turns.mjs ROOT DATASET_DIR [RUNS]`: how long one turn of a server's
 * event loop lasts while many requests execute at once. A server started as
 * `npm start -- --data DIR` (KZ_OSCE_SNAPSHOT_DIR as the environment says) is sent bursts of
 * distinct (cache-busted) slow queries: 20, 50 and 200 at once of a filtered `persons` scan
 * (`contains`), 20 of 30 aliased `path`s, and 50 pipelined on one connection; `/health` is polled
 * every 5 ms from a process of its own (this one is busy sending), and its longest and 99th
 * percentile wait are what a turn of the loop cost every other client. Also the time of a lone
 * query, cheap and slow, asked one after the other (the cost of the scheduling when nothing else
 * runs). Each scenario RUNS times (default 3).
 */
import http from "node:http";
import net from "node:net";
import { aliases, beside, client } from "./queries.mjs";
import { serve } from "./serve.mjs";

if (process.argv[2] === "--poll") {
  // the poller: /health every 5 ms on one kept-alive connection, until told to stop
  const url = process.argv[3];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const waits = [];
  let failed = 0;
  let stop = false;
  process.on("message", () => (stop = true));
  const get = () =>
    new Promise((resolve) => {
      const t = performance.now();
      const r = http.get(`${url}/health`, { agent }, (res) => {
        res.resume();
        res.on("end", () => resolve(performance.now() - t));
      });
      r.on("error", () => resolve(-1));
    });
  process.send?.("ready");
  while (!stop) {
    const ms = await get();
    if (ms < 0) failed++;
    else waits.push(ms);
    await new Promise((r) => setTimeout(r, 5));
  }
  waits.sort((a, b) => a - b);
  const at = (q) => waits[Math.min(waits.length - 1, Math.floor(q * waits.length))] ?? 0;
  process.send?.({ n: waits.length, failed, max: at(1), p99: at(0.99), p50: at(0.5) });
  process.exit(0);
}

const [root, data, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);
const { child, url } = await serve(root, data, "warn");

const QUERIES = {
  contains: () =>
    'persons(first: 100, filter: {anyName: {contains: "ar"}}) { totalCount nodes { key } }',
  path: () => aliases(30, 'path(from: "state/s-1", to: "state/s-499", maxLength: 6) { length }'),
  small: () => "persons(first: 5) { totalCount nodes { key } }",
};
const { text, post } = client(url, QUERIES);

function pipelined(n, kind) {
  return new Promise((resolve) => {
    const socket = net.connect(Number(new URL(url).port), "127.0.0.1");
    let got = "";
    const requests = Array.from({ length: n }, () => {
      const body = JSON.stringify({ query: text(kind) });
      return `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    }).join("");
    const statuses = () => [...got.matchAll(/HTTP\/1\.1 (\d+)/g)].map((m) => m[1]);
    socket.on("data", (chunk) => {
      got += chunk.toString("latin1");
      if (statuses().length >= n) socket.end();
    });
    socket.on("close", () => resolve(statuses()));
    socket.on("error", () => {});
    socket.write(requests);
    setTimeout(() => socket.destroy(), 60_000).unref();
  });
}

const f = (ms) => ms.toFixed(0).padStart(5);
const scenarios = [
  ["burst 20 contains", () => Promise.all(Array.from({ length: 20 }, () => post("contains")))],
  ["burst 50 contains", () => Promise.all(Array.from({ length: 50 }, () => post("contains")))],
  ["burst 200 contains", () => Promise.all(Array.from({ length: 200 }, () => post("contains")))],
  ["burst 20 path x30", () => Promise.all(Array.from({ length: 20 }, () => post("path")))],
  ["burst 20 small", () => Promise.all(Array.from({ length: 20 }, () => post("small")))],
  ["pipelined 50 contains", () => pipelined(50, "contains")],
];
// the entities read from the snapshot and the code warmed, by each query alone, before measuring
for (const kind of ["small", "contains", "path"]) await post(kind);
console.log(`server: ${root}, data: ${data}, node ${process.version}, ${runs} runs`);
console.log("scenario               run   wall  /health max   p99   p50 (ms)  statuses");
for (const [name, work] of scenarios) {
  for (let run = 1; run <= runs; run++) {
    const { wall, health, counts } = await beside(url, work);
    console.log(
      `${name.padEnd(22)} ${String(run).padStart(3)} ${f(wall)}        ${f(health.max)} ${f(health.p99)} ${f(health.p50)}      ${JSON.stringify(counts)}${health.failed ? ` (${health.failed} /health failed)` : ""}`,
    );
    await new Promise((r) => setTimeout(r, 1500)); // the pressure monitor's state settles
  }
}
// a lone query after another: what the scheduling costs when nothing else runs
for (const kind of ["small", "contains"]) {
  const times = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await post(kind);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(
    `lone ${kind.padEnd(9)} x30: median ${times[15].toFixed(1)} ms, min ${times[0].toFixed(1)} ms`,
  );
}
child.kill("SIGTERM");
