// Red team 47's probe (F1), kept with the benchmarks so that bench/results/2026-12-07-taught-patterns.txt can be run again.
/**
 * node bench/attack/taught-burst.mjs PORT [BURSTS=3] [N=300] [ADDRESSES=90] [TEACH=40] [SCAN=anyName]
 * Before each burst, TEACH sequential `persons(first:1, filter:{title:{eq:RANDOM}}){totalCount}`
 * (priced ~171 ms, runs ~12-15 ms: teaches msPerPricedMs down to ~0.08), then a burst of N filter
 * scans (priced 172 ms) from ADDRESSES addresses. Honest persons(first:2) every 20 ms on keep-alive
 * and a /health poller every 50 ms beside.
 */
import http from "node:http";
import { tally, timedPost, timeStats } from "./lib.mjs";

const [port, bursts = "3", n = "300", addresses = "90", teach = "40", scanKind = "anyName"] =
  process.argv.slice(2);
const post = (body, agent, localAddress, path) => timedPost(port, body, agent, localAddress, path);
const stat = timeStats;
const SCANS = {
  anyName: `{ persons(first: 100, filter: {anyName: {contains: "ar"}}) { totalCount nodes { key } } }`,
};
const SCAN = SCANS[scanKind] ?? scanKind;
console.log(
  `port ${port}: ${bursts} bursts of ${n} scans from ${addresses} addrs, teach ${teach} before each`,
);
for (let burst = 1; burst <= Number(bursts); burst++) {
  const teachAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const taught = [];
  for (let i = 0; i < Number(teach); i++)
    taught.push(
      await post(
        JSON.stringify({
          query: `{ persons(first: 1, filter: {title: {eq: "t${Math.random()}"}}) { totalCount } }`,
        }),
        process.env.FRESH ? false : teachAgent,
        "127.0.6.1",
      ),
    );
  teachAgent.destroy();
  let polling = true;
  const honest = [],
    health = [];
  const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const hAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const poller = (async () => {
    while (polling) {
      honest.push(
        await post(
          JSON.stringify({ query: `{ persons(first: 2) { nodes { key } } } # ${Math.random()}` }),
          keepAlive,
        ),
      );
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const hpoller = (async () => {
    while (polling) {
      health.push(await post(undefined, hAgent, "127.0.7.1", "/health"));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  await new Promise((r) => setTimeout(r, 200));
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
  await new Promise((r) => setTimeout(r, 200));
  polling = false;
  await poller;
  await hpoller;
  keepAlive.destroy();
  hAgent.destroy();
  console.log(
    `burst ${burst}: teach ${stat(taught)}; burst ${took.toFixed(0)} ms ${JSON.stringify(tally(answers))}; honest ${JSON.stringify(tally(honest))} ${stat(honest)}; health ${stat(health)}`,
  );
  await new Promise((r) => setTimeout(r, 2000));
}
