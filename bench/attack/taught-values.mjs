// Red team 48's probe (F1: a pattern taught down with its cheap values, then a burst of its dear ones), kept with the benchmarks so that bench/results/2026-12-07-taught-values.txt can be run again; refusals told apart by message (waited-out: never begun; not-begun: given up).
/**
 * node bench/attack/taught-values.mjs KIND PORT [BURSTS=2] [N=300] [ADDRESSES=90] [TEACH=12]
 * One pattern (src/server/work-pattern.ts), KIND:
 * - `in`: persons(first:100, filter:{nationality:{in:$n}, anyName:{contains:"a"}}), priced ~106 ms;
 *   taught with lists of 10 states and 190 copies of one (FEW=10), which the filter dedups
 *   (runs 5-28 ms), then a burst with 200 distinct states.
 * - `names`: states(first:100, filter:{name:{contains:$s}}){ totalCount nodes { key persons(first:100){...} } },
 *   priced ~123.5 ms; taught with $s matching no state (runs ~8 ms), then a burst with $s="a" or "i"
 *   (matches every state: runs ~130 ms). Q, TEACH_S, BURST_S and NOVARS change it.
 * TEACH runs (sequential, one address) before each burst of N from ADDRESSES addresses. Honest
 * persons(first:2) every 20 ms, /health every 50 ms.
 */
import http from "node:http";
import { tally, timedPost, timeStats } from "./lib.mjs";

const [kind, port, bursts = "2", n = "300", addresses = "90", teach = "12"] = process.argv.slice(2);
/** 500 keys in a random order. */
const shuffled = () => {
  const l = Array.from({ length: 500 }, (_, i) => `s-${i}`);
  for (let i = l.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [l[i], l[j]] = [l[j], l[i]];
  }
  return l;
};
const few = Number(process.env.FEW ?? 10);
const KINDS = {
  in: {
    query: `query($n: [String!]){ persons(first: 100, filter: {nationality: {in: $n}, anyName: {contains: "a"}}) { totalCount nodes { key label nationality { key label } } } }`,
    taught: () => {
      const l = shuffled();
      return { n: [...l.slice(0, few), ...Array(200 - few).fill(l[0])] };
    },
    bursting: () => ({ n: shuffled().slice(0, 200) }),
  },
  names: {
    query:
      process.env.Q ??
      `query($s:String!){ states(first: 100, filter: {name: {contains: $s}}) { totalCount nodes { key persons(first: 100) { nodes { key name label nationality { key name } } } } } }`,
    taught: () => ({ s: process.env.TEACH_S ?? String(10 + Math.floor(Math.random() * 90)) }),
    bursting: () =>
      process.env.NOVARS
        ? undefined
        : { s: process.env.BURST_S ?? ["a", "i", "a"][Math.floor(Math.random() * 3)] },
  },
};
if (!(kind in KINDS) || !port) {
  console.error(
    "usage: node bench/attack/taught-values.mjs in|names PORT [BURSTS] [N] [ADDRESSES] [TEACH]",
  );
  process.exit(2);
}
const { query: Q, taught: taughtValues, bursting } = KINDS[kind];
const post = (body, agent, localAddress, path) => timedPost(port, body, agent, localAddress, path);
const stat = timeStats;
console.log(
  `port ${port}: ${bursts} bursts of ${n} from ${addresses} addrs, teach ${teach} before each`,
);
for (let burst = 1; burst <= Number(bursts); burst++) {
  const teachAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const taught = [];
  for (let i = 0; i < Number(teach); i++)
    taught.push(
      await post(
        JSON.stringify({ query: Q + ` # ${Math.random()}`, variables: taughtValues() }),
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
          "127.0.8.1",
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
        JSON.stringify({
          query: Q + ` # ${burst}-${i}-${Math.random()}`,
          variables: bursting(),
        }),
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
  const ok = answers.filter((a) => a.code === "200");
  console.log(
    `burst ${burst}: teach ${JSON.stringify(tally(taught))} ${stat(taught)}; burst ${took.toFixed(0)} ms ${JSON.stringify(tally(answers))} answered ${stat(ok)}; honest ${JSON.stringify(tally(honest))} ${stat(honest)}; health ${stat(health)}`,
  );
  await new Promise((r) => setTimeout(r, 2000));
}
