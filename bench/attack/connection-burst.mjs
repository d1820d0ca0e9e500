/**
 * `node bench/attack/connection-burst.mjs ROOT DATASET_DIR [N] [RUNS]`: how long a `/health` polled
 * every 5 ms waits beside bursts of N (90) requests sent at once, each on a connection of its own
 * (red team 44, F4 and F5): documents that fail validation on 300 variables (5-10 ms of work each,
 * answered 200 with a hundred errors), the same 300 variables unused, 30 aliases of
 * `source(key) { text }` (5.5 MB answers at 100,000 entities), and `{ __typename }` as the control.
 * Each request is made unique, so that no cache answers it. Starts the server as
 * `npm start -- --data DATASET_DIR` does (serve.mjs) and waits for /ready 200. Prints, for each
 * burst, the time until every answer was in, the worst `/health` and when its first byte came
 * (its connect is the kernel's, at once: the wait is for Node to take its connection), and the
 * median. `EXTRA_ARGS="--workers 2"` passes flags to the server. Node takes one connection a turn of the event loop (accept-turn.mjs): a `/health`
 * behind the burst waits for every turn before its own.
 */
import { request } from "node:http";
import { serveReady } from "./serve.mjs";

const [root, data, n = "90", runs = "2"] = process.argv.slice(2);
if (!root || !data) {
  console.error("usage: node bench/attack/connection-burst.mjs ROOT DATASET_DIR [N] [RUNS]");
  process.exit(2);
}
// (EXTRA_ARGS: the server's own flags, e.g. "--workers 2")
const s = await serveReady(root, data, "warn");
const { hostname, port } = new URL(s.url);

const call = (path, body) =>
  new Promise((resolve) => {
    const began = performance.now();
    const req = request(
      {
        host: hostname,
        port,
        path,
        method: body ? "POST" : "GET",
        agent: false,
        headers: { "content-type": "application/json" },
      },
      (res) => {
        const first = performance.now() - began;
        res.resume();
        res.on("end", () =>
          resolve({ status: res.statusCode, ms: performance.now() - began, firstMs: first }),
        );
      },
    );
    req.on("error", (error) =>
      resolve({ status: `ERR ${error.code}`, ms: performance.now() - began, firstMs: NaN }),
    );
    req.end(body);
  });

const variables = Array.from({ length: 300 }, (_, i) => `$v${i}: String`).join(" ");
const used = Array.from({ length: 300 }, (_, i) => `$v${i}`).join(",");
const documents = {
  "{ __typename }": (tag) => `{ __typename } # ${tag}`,
  "300 variables, wrong type": (tag) =>
    `query Q(${variables}) { persons(first: 1, filter: { or: [{ key: { in: [${used}] } }] }) { totalCount } } # ${tag}`,
  "300 variables, unused": (tag) => `query Q(${variables}) { __typename } # ${tag}`,
  "30 source texts": (tag, i) =>
    `{ ${Array.from({ length: 30 }, (_, a) => `a${a}: source(key: "block-${(a + i * 7) % 60}") { text }`).join(" ")} } # ${tag}`,
};

for (let run = 0; run < Number(runs); run++)
  for (const [name, document] of Object.entries(documents)) {
    const burst = name === "30 source texts" ? Math.min(20, Number(n)) : Number(n);
    let polling = true;
    const polls = [];
    const poller = (async () => {
      while (polling) {
        polls.push(await call("/health"));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const began = performance.now();
    const tag = Math.random().toString(36).slice(2);
    const answers = await Promise.all(
      Array.from({ length: burst }, (_, i) =>
        call("/graphql", JSON.stringify({ query: document(`${tag}-${i}`, i) })),
      ),
    );
    const tookMs = performance.now() - began;
    await new Promise((resolve) => setTimeout(resolve, 30));
    polling = false;
    await poller;
    const worst = polls.reduce((a, b) => (b.ms > a.ms ? b : a));
    const median = polls.map((p) => p.ms).sort((a, b) => a - b)[polls.length >> 1];
    const statuses = {};
    for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    console.log(
      `${name.padEnd(26)} x${burst}: all in ${tookMs.toFixed(0)} ms ${JSON.stringify(statuses)}; /health worst ${worst.ms.toFixed(0)} ms (first byte ${worst.firstMs.toFixed(0)}), median ${median.toFixed(0)} ms`,
    );
  }
s.child.kill("SIGTERM");
await new Promise((resolve) => s.child.once("exit", resolve));
