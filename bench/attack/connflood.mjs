// connflood.mjs PORT SECS CONC|rRATE HOW [PIDS...]: a flood of connections each closed by its client as soon as it is
// connected (HOW = "fin": end(); "rst": resetAndDestroy(); "hold": kept open, never sending, until SECS end),
// CONC at a time, from 127.0.2.x. The client holds (almost) no descriptors for fin/rst; the server's primary
// (node:cluster round-robin) accepts each and queues it for a hand-off to a worker.
// Meanwhile: an honest client (127.0.0.2), a new connection every 100 ms, GET /health; fds and RSS of PIDS each second.

import { readdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { count, outcome, req, sleep, summary } from "./lib14.mjs";

const [port, secs = "10", conc = "200", how = "fin", ...pids] = process.argv.slice(2);
const P = Number(port);
let stop = false;
let made = 0,
  failed = 0;
const held = [];
const proc = () =>
  pids
    .map((p) => {
      try {
        return `${p}:${readdirSync(`/proc/${p}/fd`).length}fd/${Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))[1]) / 1024)}MB`;
      } catch {
        return `${p}:gone`;
      }
    })
    .join(" ");
function one(i) {
  if (stop) return;
  const s = connect({ port: P, host: "127.0.0.1", localAddress: `127.0.2.${1 + (i % 250)}` });
  s.on("error", () => {
    failed++;
  });
  s.on("connect", () => {
    made++;
    if (how === "fin") s.end();
    else if (how === "rst") s.resetAndDestroy();
    else held.push(s);
  });
  s.on("close", () => {
    if (!stop) setImmediate(() => one(i + 1000));
  });
  if (how === "hold") s.on("connect", () => setImmediate(() => one(i + 1000)));
}
console.log(`# connflood ${how} x${conc} for ${secs} s, ${new Date().toISOString()}: ${proc()}`);
const honest = { statuses: {}, ms: [] };
let honestStop = false;
const honestLoop = (async () => {
  while (!honestStop) {
    const r = await req(P, { path: "/health", localAddress: "127.0.0.2", timeoutMs: 20000 });
    count(honest.statuses, outcome(r));
    if (r.status === 200) honest.ms.push(r.ms);
    await sleep(100);
  }
})();
await sleep(2000);
console.log(`## baseline /health: ${summary(honest.ms)} ${JSON.stringify(honest.statuses)}`);
honest.ms = [];
honest.statuses = {};
const t0 = Date.now();
// CONC given as "r2500": a fixed rate of 2500 connections a second (each closed as HOW says), not a number of loops
let pacer;
if (conc.startsWith("r")) {
  const rate = Number(conc.slice(1));
  let i = 0;
  const launch = (k) => {
    const s = connect({ port: P, host: "127.0.0.1", localAddress: `127.0.2.${1 + (k % 250)}` });
    s.on("error", () => {
      failed++;
    });
    s.on("connect", () => {
      made++;
      if (how === "fin") s.end();
      else if (how === "rst") s.resetAndDestroy();
      else held.push(s);
    });
  };
  pacer = setInterval(() => {
    if (!stop) for (let k = 0; k < rate / 100; k++) launch(i++);
  }, 10);
} else for (let i = 0; i < Number(conc); i++) one(i);
const sampler = setInterval(
  () =>
    console.log(
      `   t+${((Date.now() - t0) / 1000).toFixed(0)}s made ${made} failed ${failed} ${proc()}`,
    ),
  1000,
);
await sleep(Number(secs) * 1000);
stop = true;
clearInterval(pacer);
for (const s of held) s.destroy();
clearInterval(sampler);
console.log(
  `## during: /health ${summary(honest.ms)} ${JSON.stringify(honest.statuses)}; made ${made}, failed ${failed}`,
);
honest.ms = [];
honest.statuses = {};
const _t1 = Date.now();
for (let k = 0; k < 30; k++) {
  await sleep(1000);
  const line = proc();
  console.log(`   after +${k + 1}s ${line}`);
  if (!/(\d{3,})fd/.test(line)) break;
}
await sleep(2000);
honestStop = true;
await honestLoop;
console.log(`## after: /health ${summary(honest.ms)} ${JSON.stringify(honest.statuses)}`);
