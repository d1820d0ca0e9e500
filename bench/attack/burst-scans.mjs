/**
 * `node bench/attack/burst-scans.mjs ROOT DATASET_DIR [BURSTS] [N] [ADDRESSES]`: bursts of N (300)
 * filter scans sent at once, each on a connection of its own, from ADDRESSES (90) loopback
 * addresses (127.0.5.x), BURSTS (7) of them 2 s apart, on one server started as `npm start --
 * --data DATASET_DIR` does (serve.mjs). Beside them an honest client on an address of its own
 * sends `persons(first: 2)` every 20 ms on one keep-alive connection (red team 46, F0).
 *
 * A scan, `persons(first: 100, filter: { anyName: { contains: "ar" } })`, runs 30-60 ms at
 * 100,000 entities and is priced about 172 ms: each request is the same scan (made unique by a
 * comment, so that no cache of answers serves it). Prints, per burst, how long it took in all and
 * how its requests were answered (200, or the 503's code: SERVER_OVERLOADED refused at once,
 * EXECUTION_TIMEOUT let in and run out of time), and the honest client's answers and its median
 * and worst time. What should hold: nothing let in runs out of time (the queue's bound is meant
 * for that), and the honest client is answered, quickly. `EXTRA_ARGS="--workers 2"` passes flags
 * to the server.
 */
import http from "node:http";
import { serveReady } from "./serve.mjs";

const [root, data, bursts = "7", n = "300", addresses = "90"] = process.argv.slice(2);
if (!root || !data) {
  console.error(
    "usage: node bench/attack/burst-scans.mjs ROOT DATASET_DIR [BURSTS] [N] [ADDRESSES]",
  );
  process.exit(2);
}
// (EXTRA_ARGS: the server's own flags, e.g. "--workers 2")
const server = await serveReady(root, data, "warn");
const { port } = new URL(server.url);

/** POSTs `body`; resolves to its status (and the 503's code) and time. */
const post = (body, agent, localAddress) =>
  new Promise((resolve) => {
    const began = performance.now();
    const req = http.request(
      {
        host: "127.0.0.1",
        port: Number(port),
        path: "/graphql",
        method: "POST",
        agent,
        localAddress,
        headers: { "content-type": "application/json" },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (chunk) => (text += chunk));
        res.on("end", () => {
          const code =
            res.statusCode === 200
              ? "200"
              : `${res.statusCode} ${/"code":"([A-Z_]+)"/.exec(text)?.[1] ?? ""}`;
          resolve({ code, ms: performance.now() - began });
        });
      },
    );
    req.on("error", (error) => resolve({ code: error.code, ms: performance.now() - began }));
    req.end(body);
  });

const tally = (answers) =>
  answers.reduce((counts, { code }) => ((counts[code] = (counts[code] ?? 0) + 1), counts), {});
const SCAN = `{ persons(first: 100, filter: {anyName: {contains: "ar"}}) { totalCount nodes { key } } }`;

console.log(
  `${bursts} bursts of ${n} scans from ${addresses} addresses, 2 s apart; an honest persons(first: 2) every 20 ms beside`,
);
for (let burst = 1; burst <= Number(bursts); burst++) {
  let polling = true;
  const honest = [];
  const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const poller = (async () => {
    while (polling) {
      honest.push(
        await post(
          JSON.stringify({ query: `{ persons(first: 2) { nodes { key } } } # ${Math.random()}` }),
          keepAlive,
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const began = performance.now();
  const answers = await Promise.all(
    Array.from({ length: Number(n) }, (_, i) =>
      post(
        JSON.stringify({ query: `${SCAN} # ${burst}-${i}-${Math.random()}` }),
        false,
        `127.0.5.${1 + (i % Number(addresses))}`,
      ),
    ),
  );
  const took = performance.now() - began;
  await new Promise((resolve) => setTimeout(resolve, 200));
  polling = false;
  await poller;
  keepAlive.destroy();
  const times = honest.map(({ ms }) => ms).sort((a, b) => a - b);
  console.log(
    `burst ${burst}: ${took.toFixed(0)} ms ${JSON.stringify(tally(answers))}; honest ${JSON.stringify(tally(honest))}, median ${times[times.length >> 1].toFixed(0)} ms, worst ${times.at(-1).toFixed(0)} ms`,
  );
  await new Promise((resolve) => setTimeout(resolve, 2000));
}
server.child.kill("SIGTERM");
