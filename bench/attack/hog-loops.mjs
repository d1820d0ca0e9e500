// Red team 47's probe (F2, F3, F4), kept with the benchmarks so that bench/results/2026-12-07-late-owed.txt can be run again.
// node bench/attack/hog-loops.mjs PORT N ADDRS QUERY-KIND DURATION_MS: N concurrent loops (each its own address among ADDRS), each sending QUERY back to back on keep-alive; honest + /health beside
import http from "node:http";
import { tally, timedPost, timeStats } from "./lib.mjs";

const [port, n = "20", addrs = "20", kind = "title", dur = "6000"] = process.argv.slice(2);
const Q = {
  title: () => `{ persons(first: 1, filter: {title: {eq: "t${Math.random()}"}}) { totalCount } }`,
  page: () => `{ persons(first: 100) { nodes { key name } } } # ${Math.random()}`,
  scan: () =>
    `{ persons(first: 1, filter: {anyName: {contains: "ar"}}) { totalCount } } # ${Math.random()}`,
};
const post = (body, agent, localAddress, path) => timedPost(port, body, agent, localAddress, path);
const stat = timeStats;
let on = true;
const att = [],
  honest = [],
  health = [];
const loops = Array.from({ length: Number(n) }, async (_, i) => {
  const a = new http.Agent({ keepAlive: true, maxSockets: 1 });
  while (on)
    att.push(
      await post(JSON.stringify({ query: Q[kind]() }), a, `127.0.8.${1 + (i % Number(addrs))}`),
    );
  a.destroy();
});
const hk = new http.Agent({ keepAlive: true, maxSockets: 1 }),
  hh = new http.Agent({ keepAlive: true, maxSockets: 1 });
const hl = (async () => {
  await new Promise((r) => setTimeout(r, 500));
  while (on) {
    honest.push(
      await post(
        JSON.stringify({
          query: process.env.HONEST
            ? `{ persons(first: 5, filter: {name: {contains: "ab"}}) { totalCount nodes { key } } } # ${Math.random()}`
            : `{ persons(first: 2) { nodes { key } } } # ${Math.random()}`,
        }),
        hk,
      ),
    );
    await new Promise((r) => setTimeout(r, process.env.HONEST ? 200 : 20));
  }
})();
const hp = (async () => {
  await new Promise((r) => setTimeout(r, 500));
  while (on) {
    health.push(await post(undefined, hh, "127.0.7.1", "/health"));
    await new Promise((r) => setTimeout(r, 50));
  }
})();
const neigh = [];
const nl = (async () => {
  if (!process.env.NEIGHBOUR) return;
  const na = new http.Agent({ keepAlive: true, maxSockets: 1 });
  await new Promise((r) => setTimeout(r, 500));
  while (on) {
    neigh.push(
      await post(
        JSON.stringify({
          query: `{ persons(first: 5, filter: {name: {contains: "ab"}}) { totalCount nodes { key } } } # ${Math.random()}`,
        }),
        na,
        "127.0.0.1",
      ),
    );
    await new Promise((r) => setTimeout(r, Number(process.env.NEIGHBOUR)));
  }
  na.destroy();
})();
await new Promise((r) => setTimeout(r, Number(dur)));
on = false;
await Promise.all([...loops, hl, hp, nl]);
if (process.env.NEIGHBOUR)
  console.log(`neighbour (same address as honest) ${JSON.stringify(tally(neigh))} ${stat(neigh)}`);
hk.destroy();
hh.destroy();
console.log(
  `port ${port} ${n}x${kind} from ${addrs} addrs ${dur} ms: attack ${JSON.stringify(tally(att))} ${stat(att)}; honest ${JSON.stringify(tally(honest))} ${stat(honest)}; health ${stat(health)}`,
);
