/**
 * `node bench/attack/health-new-connections.mjs ROOT DATASET_DIR [RUNS]`: a `/health` polled every 10 ms, each on a
 * connection of its own (as a prober without keep-alive asks), for the first 8 s after the server says `serving`:
 * the waits in all, and while the entities are made ahead of requests (src/server/warm.ts; red team 44, F3).
 */
import { request } from "node:http";
import { serve } from "./serve.mjs";

const [root, data, runs = "2"] = process.argv.slice(2);
const get = (url) =>
  new Promise((resolve) => {
    const t = performance.now();
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(performance.now() - t));
    });
    req.on("error", () => resolve(-1));
    req.end();
  });
for (let run = 0; run < Number(runs); run++) {
  const server = await serve(root, data, "info");
  const t0 = performance.now();
  const polls = [];
  while (performance.now() - t0 < 8000) {
    const at = performance.now() - t0;
    polls.push([at, await get(`${server.url}/health`)]);
    await new Promise((r) => setTimeout(r, 10));
  }
  const waits = polls.map(([, w]) => w).sort((a, b) => a - b);
  const out = server.output();
  const warm = /"msg":"entities made ahead of requests".*?"ms":(\d+)/.exec(out)?.[1];
  const during = polls
    .filter(([at]) => warm === undefined || at < Number(warm))
    .map(([, w]) => w)
    .sort((a, b) => a - b);
  console.log(
    `run ${run}: ${polls.length} polls, p50 ${waits[waits.length >> 1].toFixed(1)}, max ${waits.at(-1).toFixed(0)} ms; while entities were made (${warm} ms): ${during.length} polls, p50 ${during[during.length >> 1]?.toFixed(1)}, p90 ${during[Math.floor(during.length * 0.9)]?.toFixed(0)}, max ${during.at(-1)?.toFixed(0)} ms`,
  );
  server.child.kill("SIGTERM");
  await new Promise((r) => server.child.once("exit", r));
}
