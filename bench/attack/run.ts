/**
 * `nice -n -15 node [--single-threaded-gc] --import tsx bench/attack/run.ts DIR CASES.json [--rounds 3]`
 * Runs each case {name, query, variables} through createApp's Yoga in process, on the graph as
 * `npm start` serves it, and prints per case: status, cost (from a refusal), wall ms, CPU ms and
 * the longest event-loop hold seen by a 1 ms setInterval (max gap between ticks).
 */
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { loadJsonGraphWithSnapshot } from "../../src/graph/snapshot/load.js";
import { schema } from "../../src/schema/index.js";
import { createApp } from "../../src/server/app.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { operationCost } from "../../src/server/cost.js";

const [dir, casesFile] = process.argv.slice(2);
const rounds = process.argv.includes("--rounds")
  ? Number(process.argv[process.argv.indexOf("--rounds") + 1])
  : 3;
const { graph } = await loadJsonGraphWithSnapshot(dir!);
const counts = Object.fromEntries(Object.entries(graph.keys).map(([k, v]) => [k, v.length]));
console.log("counts", JSON.stringify(counts));
// KZ_ATTACK_LIMITS: limits to change, as JSON, e.g. {"executionTimeoutMs": 300}
const limits = JSON.parse(process.env.KZ_ATTACK_LIMITS ?? "{}") as object;
const yoga = createApp(graph, {
  responseCache: false,
  logLevel: "silent",
  limits: { ...DEFAULT_CONFIG.limits, ...limits },
}).yoga;
process.on("unhandledRejection", (reason) => console.log("UNHANDLED REJECTION", String(reason)));
const shape = graph.shape;
const cases = JSON.parse(readFileSync(casesFile!, "utf8")) as {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}[];

let last = performance.now();
let worst = 0;
setInterval(() => {
  const now = performance.now();
  worst = Math.max(worst, now - last);
  last = now;
}, 1).unref();
const tick = () => new Promise((r) => setTimeout(r, 20));

for (const c of cases) {
  let price = "?";
  try {
    const r = operationCost(schema, parse(c.query), undefined, c.variables ?? {}, {
      shape,
      listSize: 100_000,
    } as never);
    price = r.ok ? `${r.cost} (${r.costliest?.path}:${r.costliest?.cost})` : "not ok";
  } catch (e) {
    price = `err ${String(e).slice(0, 80)}`;
  }
  for (let i = 0; i < rounds; i++) {
    await tick();
    worst = 0;
    last = performance.now();
    const cpu = process.cpuUsage();
    const t = performance.now();
    const res = await yoga.fetch("http://localhost/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query: c.query, variables: c.variables ?? {} }),
    });
    const text = await res.text();
    const wall = performance.now() - t;
    const used = process.cpuUsage(cpu);
    const gap = Math.max(worst, performance.now() - last);
    console.log(
      `${c.name.padEnd(28)} ${res.status} price=${price} wall=${wall.toFixed(0)}ms cpu=${((used.user + used.system) / 1000).toFixed(0)}ms hold=${gap.toFixed(0)}ms len=${text.length} ${text.slice(0, 160).replace(/\s+/g, " ")}`,
    );
  }
}
process.exit(0);
