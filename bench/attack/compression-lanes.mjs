/**
 * `node bench/attack/compression-lanes.mjs ROOT DATASET_DIR [CLIENTS] [SECONDS]`: whether a small
 * compressed answer waits behind big ones on libuv's thread pool (red team 4's br-pool.mjs,
 * 2026-12-05: 8 clients pulling the 16.6 MB answer in brotli took an 8 KB compressed answer from
 * p50 8 ms to 123 ms). A server started as `npm start -- --data DIR` in ROOT is asked, in three
 * phases of SECONDS each (default 12):
 * - alone: one client asks a small answer (a page of 100 persons, 4.8 KB, compressed) every 100 ms;
 * - beside CLIENTS (default 8) clients each asking the big answer (`sources(first: 100)` and
 *   `sources(first: 40)`, 16.6 MB at 100,000 entities) again and again with `Accept-Encoding: br`;
 * - beside as many asking it uncompressed: the same work on the event loop, none on the pool (what
 *   is left of the small one's wait there is not the pool's).
 * Prints the small one's p50/p95/max (ms) and statuses, and the big ones' answers, bytes as sent
 * and throughput. Every query is distinct (a comment): no cache answers it. The clients read with
 * node:http and do not decode (fetch would decompress 16 MB per answer in this process).
 *
 * With `KZ_BENCH_STRATEGIES=1`, then, in this process and without a server: the big answer's
 * body compressed by CLIENTS loops on the pool while a small body is compressed every 20 ms, each
 * way a big compression can be put on the pool: at once (brotliCompress), in 64 KiB slices (a
 * stream written a slice at a time), and at most 1 or 2 big ones at once (the rest waiting in
 * order). How the server's compression.ts chose its way.
 */
import { Agent, request } from "node:http";
import { brotliCompress, constants, createBrotliCompress } from "node:zlib";
import { quantile, sleep } from "./lib.mjs";
import { serve } from "./serve.mjs";

const [root, data, clientsArg, secondsArg] = process.argv.slice(2);
if (!root || !data) {
  console.error(
    "usage: node bench/attack/compression-lanes.mjs ROOT DATASET_DIR [CLIENTS] [SECONDS]",
  );
  process.exit(2);
}
const CLIENTS = Number(clientsArg ?? 8);
const PHASE_MS = Number(secondsArg ?? 12) * 1000;
const SMALL = "persons(first: 100) { nodes { key name } }";
const BIG = "a: sources(first: 100) { nodes { text } } b: sources(first: 40) { nodes { text } }";

const { child, url } = await serve(root, data, "warn");
let unique = 0;

/** A POST of `selection` (distinct each time): status, bytes as sent, content coding, time (ms). */
function post(selection, agent, coding) {
  const body = JSON.stringify({ query: `# ${process.pid}-${unique++}\n{ ${selection} }` });
  const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(body) };
  if (coding) headers["accept-encoding"] = coding;
  return new Promise((resolve) => {
    const t = performance.now();
    const req = request(`${url}/graphql`, { method: "POST", headers, agent }, (res) => {
      let bytes = 0;
      let raw = "";
      res.on("data", (c) => {
        bytes += c.length;
        if (res.statusCode !== 200 && raw.length < 4096) raw += c;
      });
      res.on("end", () => {
        const code = res.statusCode === 200 ? "" : (/"code":"([A-Z_]+)"/.exec(raw)?.[1] ?? "");
        resolve({
          status: `${res.statusCode}${code && ` ${code}`}`,
          bytes,
          coding: res.headers["content-encoding"] ?? "none",
          ms: performance.now() - t,
        });
      });
    });
    req.on("error", (e) => resolve({ status: e.code ?? "error", bytes: 0, ms: 0 }));
    req.end(body);
  });
}

const count = (list) => {
  const counts = {};
  for (const key of list) counts[key] = (counts[key] ?? 0) + 1;
  return JSON.stringify(counts);
};

/** The small client for `ms`: one answer every 100 ms on a kept-alive connection. */
async function small(ms) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const answers = [];
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    answers.push(await post(SMALL, agent, "br"));
    await sleep(100);
  }
  agent.destroy();
  const waits = answers.map((a) => a.ms).sort((a, b) => a - b);
  return {
    n: answers.length,
    p50: quantile(waits, 0.5),
    p95: quantile(waits, 0.95),
    max: waits.at(-1),
    statuses: count(answers.map((a) => `${a.status} ${a.coding}`)),
  };
}

/** `clients` loops asking the big answer (in `coding`, or none) while the small client runs. */
async function beside(clients, coding) {
  let stop = false;
  const big = [];
  const t0 = performance.now();
  const loops = Array.from({ length: clients }, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    while (!stop) {
      const answer = await post(BIG, agent, coding);
      if (!stop) big.push(answer);
    }
    agent.destroy();
  });
  const measured = await small(PHASE_MS);
  const seconds = (performance.now() - t0) / 1000;
  stop = true;
  await Promise.all(loops);
  return { measured, big, seconds };
}

const f = (ms) => ms.toFixed(1).padStart(7);
const line = (name, s, extra = "") =>
  console.log(
    `${name.padEnd(28)} ${String(s.n).padStart(4)} ${f(s.p50)} ${f(s.p95)} ${f(s.max)}  ${s.statuses}${extra}`,
  );

// warmed: the code paths and the entities read from the snapshot
await post(BIG, undefined, "br");
await post(SMALL, undefined, "br");
console.log(
  `server: ${root}, data: ${data}, node ${process.version}, ${CLIENTS} big clients, phases of ${PHASE_MS / 1000} s`,
);
console.log(
  "small answer (every 100 ms)     n     p50     p95     max (ms)  statuses | big answers",
);
line("alone", await small(PHASE_MS));
for (const coding of ["br", undefined]) {
  const { measured, big, seconds } = await beside(CLIENTS, coding);
  const sent = big.reduce((sum, a) => sum + a.bytes, 0);
  const waits = big.map((a) => a.ms).sort((a, b) => a - b);
  line(
    `beside ${CLIENTS} big, ${coding ?? "uncompressed"}`,
    measured,
    ` | ${big.length} answered (${count(big.map((a) => `${a.status} ${a.coding}`))}) in ${seconds.toFixed(1)} s, ${(big.length / seconds).toFixed(2)}/s, ${(sent / 1e6 / seconds).toFixed(1)} MB/s sent, each p50 ${waits.length ? quantile(waits, 0.5).toFixed(0) : "-"} ms`,
  );
}
child.kill("SIGTERM");

if (process.env.KZ_BENCH_STRATEGIES === "1") await strategies();

/** The ways to put a big compression on the pool, in this process, on the big answer's body. */
async function strategies() {
  const bigBody = await bodyOf(BIG);
  const smallBody = await bodyOf(SMALL);
  const options = (b) => ({
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 4,
      [constants.BROTLI_PARAM_SIZE_HINT]: b.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
  const once = (b) =>
    new Promise((resolve, reject) =>
      brotliCompress(b, options(b), (e, r) => (e ? reject(e) : resolve(r))),
    );
  const sliced = (b) =>
    new Promise((resolve, reject) => {
      const stream = createBrotliCompress(options(b));
      const out = [];
      stream.on("data", (c) => out.push(c));
      stream.on("end", () => resolve(Buffer.concat(out)));
      stream.on("error", reject);
      for (let i = 0; i < b.length; i += 65536) stream.write(b.subarray(i, i + 65536));
      stream.end();
    });
  const lane = (n) => {
    let running = 0;
    const waiting = [];
    return async (b) => {
      if (running < n) running++;
      else await new Promise((resolve) => waiting.push(resolve));
      try {
        return await once(b);
      } finally {
        const next = waiting.shift();
        if (next) next();
        else running--;
      }
    };
  };
  console.log(
    `\nin process: ${CLIENTS} loops compressing the big body (${bigBody.length} bytes, brotli 4) beside a small one (${smallBody.length} bytes) every 20 ms, ${PHASE_MS / 1000} s each`,
  );
  console.log("way                  n     p50     p95     max (ms) | big bodies/s  MB/s in");
  const ways = [
    ["alone", undefined],
    ["at once", once],
    ["64 KiB slices", sliced],
    ["1 at once, in order", lane(1)],
    ["2 at once, in order", lane(2)],
  ];
  for (const [name, big] of ways) {
    let stop = false;
    let done = 0;
    const t0 = performance.now();
    const loops = Array.from({ length: big ? CLIENTS : 0 }, async () => {
      while (!stop) {
        await big(bigBody);
        if (!stop) done++;
      }
    });
    const waits = [];
    while (performance.now() - t0 < PHASE_MS) {
      const t = performance.now();
      await once(smallBody);
      waits.push(performance.now() - t);
      await sleep(20);
    }
    const seconds = (performance.now() - t0) / 1000;
    stop = true;
    await Promise.all(loops);
    waits.sort((a, b) => a - b);
    console.log(
      `${name.padEnd(20)} ${String(waits.length).padStart(4)} ${f(quantile(waits, 0.5))} ${f(quantile(waits, 0.95))} ${f(waits.at(-1))} | ${(done / seconds).toFixed(2).padStart(12)} ${((done * bigBody.length) / 1e6 / seconds).toFixed(1).padStart(8)}`,
    );
  }
}

/** The uncompressed answer to `selection`, from a server of its own (the first one is stopped). */
async function bodyOf(selection) {
  if (!bodyOf.server) bodyOf.server = await serve(root, data, "warn");
  const { url: at } = bodyOf.server;
  const res = await fetch(`${at}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: `{ ${selection} }` }),
  });
  const body = Buffer.from(await res.arrayBuffer());
  if (selection === SMALL) bodyOf.server.child.kill("SIGTERM");
  return body;
}
