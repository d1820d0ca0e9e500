/**
 * `node bench/attack/graphiql-beside.mjs ROOT [ROUNDS]`: GraphiQL's page asked for by 20 clients
 * at once, beside /health polled every 5 ms, on a server started as `npm start` (the built-in
 * dataset) in ROOT. Each burst is sent with no Accept-Encoding, with `gzip, br` and with `gzip`,
 * then with the ETag of the answer before in If-None-Match (a browser's revisit). Prints, per
 * burst: the answers' status and coding, the bytes on the wire (as sent, not decoded), how long
 * the burst took, /health's latency (answers, median, p99, worst) while it ran, and the server's
 * CPU time in the burst and its resident memory after it (from /proc, on Linux), and the stalls of
 * its event loop of 100 ms or more, measured in the server (loop-stalls.mjs, preloaded): /health's
 * latency, measured here, also counts this process or the server waiting for a core.
 *
 * The 20 clients run in a worker thread, so that reading 180 MB does not hold the event loop that
 * times /health (this one); the first request of each coding (the page rendered, then
 * compressed) is timed apart.
 */
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { quantile as q } from "./lib.mjs";
import { pollHealth, serve } from "./serve.mjs";

const [root, roundsText] = process.argv.slice(2);
const rounds = Number(roundsText ?? 2);
const CLIENTS = 20;
const HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/** The clients: `count` GETs of `path` at once with `headers`; answers statuses, codings, bytes and ETags. */
const CLIENT = `
const { parentPort, workerData } = require("node:worker_threads");
const { request } = require("node:http");
const { url, path, headers, count } = workerData;
const { hostname, port } = new URL(url);
const one = () => new Promise((resolve) => {
  const req = request({ host: hostname, port, path, headers, agent: false }, (res) => {
    let bytes = 0;
    res.on("data", (c) => (bytes += c.length));
    res.on("end", () => resolve({ status: res.statusCode, coding: res.headers["content-encoding"] ?? "none", etag: res.headers.etag, bytes }));
    res.on("error", (e) => resolve({ status: "error " + e.message, bytes }));
  });
  req.on("error", (e) => resolve({ status: "error " + e.message, bytes: 0 }));
  req.end();
});
const t = performance.now();
Promise.all(Array.from({ length: count }, one)).then((answers) =>
  parentPort.postMessage({ answers, ms: performance.now() - t }),
);
`;

function clients(url, headers, count) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(CLIENT, {
      eval: true,
      workerData: { url, path: "/graphql", headers, count },
    });
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

// the server says each stall of its event loop (loop-stalls.mjs), unless told other flags
process.env.KZ_BENCH_NODE_FLAGS ??= `--import=${new URL("./loop-stalls.mjs", import.meta.url).href}`;
const { child, url, output } = await serve(root, undefined, "warn");

/** The server's CPU time (user and system) in ms and its resident memory in MB, or undefined off Linux. */
function serverUsage() {
  try {
    const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime, fields 14 and 15 of stat, in clock ticks (100 a second)
    const cpuMs = (Number(fields[11]) + Number(fields[12])) * 10;
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
    return { cpuMs, rssMb: Number(rss?.[1]) / 1024 };
  } catch {
    return undefined;
  }
}

/** /health polled every 5 ms while `work` runs; its latencies, and the server's CPU and memory. */
async function beside(work) {
  const before = serverUsage();
  const said = output().length;
  const poll = pollHealth(url);
  await new Promise((r) => setTimeout(r, 50));
  const result = await work();
  await new Promise((r) => setTimeout(r, 20));
  const { waits: lat } = await poll.stop();
  // (loop-stalls.mjs says a stall 50 ms after it)
  await new Promise((r) => setTimeout(r, 60));
  const after = serverUsage();
  const stalls = [
    ...output()
      .slice(said)
      .matchAll(/"msg":"loop stall","ms":(\d+),"gcMs":(\d+)/g),
  ].map(([, ms, gc]) => `${ms} (GC ${gc})`);
  const usage =
    before && after
      ? `; server CPU ${after.cpuMs - before.cpuMs} ms, RSS ${after.rssMb.toFixed(0)} MB`
      : "";
  const held = `; server loop stalls >= 100 ms: ${stalls.length ? stalls.join(", ") : "none"}`;
  return { result, lat, usage: usage + held };
}

const summary = (lat) => {
  const s = [...lat].sort((a, b) => a - b);
  return `/health ${s.length} answers, median ${q(s, 0.5).toFixed(1)} ms, p99 ${q(s, 0.99).toFixed(1)} ms, worst ${s.at(-1).toFixed(1)} ms`;
};
const describe = ({ answers, ms }) => {
  const kinds = new Map();
  for (const a of answers) {
    const k = `${a.status} ${a.coding ?? ""}`.trim();
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  const bytes = answers.reduce((n, a) => n + a.bytes, 0);
  return `${[...kinds].map(([k, n]) => `${n} x ${k}`).join(", ")}; ${bytes.toLocaleString("en")} bytes in ${ms.toFixed(0)} ms`;
};

const variants = [
  ["no Accept-Encoding", {}],
  ["gzip, br", { "accept-encoding": "gzip, br" }],
  ["gzip", { "accept-encoding": "gzip" }],
];

console.log(`node ${process.version}, ${CLIENTS} clients per burst, /health every 5 ms`);
// the first request of each coding: the page rendered (the first), then compressed
const tags = {};
for (const [name, headers] of variants) {
  const { result, lat, usage } = await beside(() => clients(url, { accept: HTML, ...headers }, 1));
  tags[name] = result.answers[0].etag;
  console.log(`first, ${name}: ${describe(result)}; ${summary(lat)}${usage}`);
}
for (let round = 1; round <= rounds; round++) {
  for (const [name, headers] of variants) {
    const { result, lat, usage } = await beside(() =>
      clients(url, { accept: HTML, ...headers }, CLIENTS),
    );
    console.log(`round ${round}, ${name}: ${describe(result)}; ${summary(lat)}${usage}`);
  }
  for (const [name, headers] of variants) {
    const held = tags[name];
    if (!held) {
      console.log(`round ${round}, revisit, ${name}: no ETag to send`);
      continue;
    }
    const { result, lat, usage } = await beside(() =>
      clients(url, { accept: HTML, ...headers, "if-none-match": held }, CLIENTS),
    );
    console.log(
      `round ${round}, revisit (If-None-Match), ${name}: ${describe(result)}; ${summary(lat)}${usage}`,
    );
  }
}
child.kill("SIGTERM");
