/**
 * `node bench/attack/export-beside.mjs ROOT DATASET_DIR [K]`: a server started as
 * `npm start -- --data DIR` (run in ROOT; set KZ_OSCE_SNAPSHOT_DIR to keep its snapshot out of
 * the dataset's directory) is sent one download of /graph.nt alone, then K (default 8) downloads
 * of the RDF exports at once (N-Triples and JSON-LD, plain, gzip and br in turn), while /health is
 * polled every 5 ms. Prints the worst and p99 /health latency of each round, each download's
 * status, time and bytes (as sent: compressed ones compressed), and the server's RSS before,
 * at its peak (VmHWM) and after; says so if the server dies.
 */
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { pollHealth, serve } from "./serve.mjs";

const [root, data, k = "8"] = process.argv.slice(2);
const K = Number(k);
const { child, url, output } = await serve(root, data, "warn");
let died;
child.once("exit", (code, signal) => {
  died = { code, signal };
});

const mib = (kb) => `${(kb / 1024).toFixed(0)} MiB`;
/** The server's resident memory now and at its peak, from /proc (Linux). */
function rss() {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1]);
    return { now: field("VmRSS"), peak: field("VmHWM") };
  } catch {
    return { now: Number.NaN, peak: Number.NaN };
  }
}

/** A download through node:http on a connection of its own: status, bytes as sent, time. */
function download(path, coding) {
  return new Promise((resolve) => {
    const t = performance.now();
    const headers = coding ? { "accept-encoding": coding } : {};
    const req = request(`${url}${path}`, { headers, agent: false }, (res) => {
      let bytes = 0;
      let refusal = "";
      res.on("data", (c) => {
        bytes += c.length;
        if (res.statusCode !== 200 && refusal.length < 4096) refusal += c;
      });
      res.on("end", () =>
        resolve({
          path,
          coding: coding ?? "plain",
          status: refusal
            ? `${res.statusCode} ${/"code":"(\w+)"/.exec(refusal)?.[1] ?? ""}`
            : res.statusCode,
          bytes,
          ms: performance.now() - t,
          sent: res.headers["content-encoding"] ?? "identity",
        }),
      );
      res.on("error", (e) =>
        resolve({
          path,
          coding: coding ?? "plain",
          status: `cut off (${e.code ?? e.message})`,
          bytes,
          ms: performance.now() - t,
        }),
      );
    });
    req.on("error", (e) =>
      resolve({
        path,
        coding: coding ?? "plain",
        status: `error (${e.code ?? e.message})`,
        bytes: 0,
        ms: performance.now() - t,
      }),
    );
    req.end();
  });
}

/** Runs `work` while /health is polled every 5 ms; returns its result and the latencies. */
async function beside(work) {
  const poll = pollHealth(url, { until: () => died !== undefined });
  await new Promise((r) => setTimeout(r, 50));
  const result = await work();
  await new Promise((r) => setTimeout(r, 50));
  const { waits: latencies, failed } = await poll.stop();
  const failures = failed.length;
  const failedAfter = Math.max(0, ...failed);
  const sorted = [...latencies].sort((a, b) => a - b);
  const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? Number.NaN;
  const max = sorted.at(-1) ?? Number.NaN;
  return {
    result,
    health: `/health ${latencies.length} answers${failures ? `, ${failures} failed (the longest after ${failedAfter.toFixed(0)} ms)` : ""}: max ${max.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
  };
}

const line = (d) =>
  `  ${d.path} ${d.coding} -> ${d.status} ${d.sent ?? ""} ${(d.bytes / 1e6).toFixed(1)} MB in ${(d.ms / 1000).toFixed(2)} s`;

console.log(`dataset ${data}; ${K} concurrent downloads; node ${process.version}`);
const before = rss();
console.log(`server RSS before: ${mib(before.now)}`);

const alone = await beside(() => download("/graph.nt"));
console.log(`round 1: one GET /graph.nt alone; ${alone.health}`);
console.log(line(alone.result));

/** Waits until /ready says ready (load shedding over, after an export that held the loop). */
async function ready() {
  const t = performance.now();
  while (!died && performance.now() - t < 30_000) {
    try {
      if ((await fetch(`${url}/ready`)).status === 200) return performance.now() - t;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  return performance.now() - t;
}

if (!died) {
  console.log(`(/ready after ${(await ready()).toFixed(0)} ms)`);
  const kinds = [
    ["/graph.nt", undefined],
    ["/graph.nt", "gzip"],
    ["/graph.jsonld", "br"],
    ["/graph.nt", "br"],
    ["/graph.jsonld", undefined],
    ["/graph.jsonld", "gzip"],
  ];
  const t = performance.now();
  const together = await beside(() =>
    Promise.all(Array.from({ length: K }, (_, i) => download(...kinds[i % kinds.length]))),
  );
  console.log(
    `round 2: ${K} downloads at once, all done in ${((performance.now() - t) / 1000).toFixed(2)} s; ${together.health}`,
  );
  for (const d of together.result) console.log(line(d));
  const statuses = {};
  for (const d of together.result) statuses[d.status] = (statuses[d.status] ?? 0) + 1;
  console.log(`  statuses: ${JSON.stringify(statuses)}`);
}

await new Promise((r) => setTimeout(r, 1000));
const after = rss();
if (died) {
  console.log(`THE SERVER DIED (exit code ${died.code}, signal ${died.signal})`);
  const tail = output().split("\n").filter(Boolean).slice(-12).join("\n");
  console.log(`its last output:\n${tail}`);
} else {
  console.log(`server RSS after (1 s later): ${mib(after.now)}; peak (VmHWM): ${mib(after.peak)}`);
  child.kill("SIGTERM");
}
