// Red team 48's probe (F1: a pattern taught down with its cheap values, then a burst of its dear ones), kept with the benchmarks so that bench/results/2026-12-07-taught-values.txt can be run again; refusals told apart by message (waited-out: never begun; not-begun: given up).
/**
 * node bench/attack/taught-values-pattern-burst.mjs PORT [BURSTS=2] [N=300] [ADDRESSES=90] [TEACH=12]
 * One pattern: states(first:100, filter:{name:{contains:$s}}){ totalCount nodes { key persons(first:100){...} } }
 * priced ~123.5 ms. TEACH runs (sequential, one address) with $s matching no state (runs ~8 ms,
 * ratio ~0.065, over the 0.05 floor, so it teaches), then a burst of N with $s="a" (matches every
 * state: runs ~130 ms, ratio ~1.05) from ADDRESSES addresses. Honest persons(first:2) every 20 ms,
 * /health every 50 ms.
 */
import http from "node:http";

const [port, bursts = "2", n = "300", addresses = "90", teach = "12"] = process.argv.slice(2);
const Q =
  process.env.Q ??
  `query($s:String!){ states(first: 100, filter: {name: {contains: $s}}) { totalCount nodes { key persons(first: 100) { nodes { key name label nationality { key name } } } } } }`;
const TEACH_S = () => process.env.TEACH_S ?? String(10 + Math.floor(Math.random() * 90));
const BURST_S = () => process.env.BURST_S ?? ["a", "i", "a"][Math.floor(Math.random() * 3)];
const post = (body, agent, localAddress, path = "/graphql") =>
  new Promise((resolve) => {
    const began = performance.now();
    const req = http.request(
      {
        host: "127.0.0.1",
        port: Number(port),
        path,
        method: body === undefined ? "GET" : "POST",
        agent,
        localAddress,
        headers: { "content-type": "application/json" },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (c) => (text += c));
        res.on("end", () => {
          const code =
            res.statusCode === 200
              ? /"errors"/.test(text) && path === "/graphql"
                ? `200 ${/"code":"([A-Z_]+)"/.exec(text)?.[1] ?? "err"}`
                : "200"
              : `${res.statusCode} ${/"code":"([A-Z_]+)"/.exec(text)?.[1] ?? ""}${/waited for its turn to execute until/.test(text) ? " waited-out" : /it was not begun/.test(text) ? " not-begun" : ""}`;
          resolve({ code, ms: performance.now() - began });
        });
      },
    );
    req.on("error", (e) => resolve({ code: e.code, ms: performance.now() - began }));
    req.end(body);
  });
const tally = (a) => a.reduce((c, { code }) => ((c[code] = (c[code] ?? 0) + 1), c), {});
const stat = (a) => {
  const t = a.map((x) => x.ms).sort((x, y) => x - y);
  return `n=${t.length} med ${t[t.length >> 1]?.toFixed(0)} p90 ${t[Math.floor(t.length * 0.9)]?.toFixed(0)} worst ${t.at(-1)?.toFixed(0)}`;
};
console.log(
  `port ${port}: ${bursts} bursts of ${n} from ${addresses} addrs, teach ${teach} before each`,
);
for (let burst = 1; burst <= Number(bursts); burst++) {
  const teachAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const taught = [];
  for (let i = 0; i < Number(teach); i++)
    taught.push(
      await post(
        JSON.stringify({ query: Q + ` # ${Math.random()}`, variables: { s: TEACH_S() } }),
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
          ...(process.env.NOVARS ? {} : { variables: { s: BURST_S() } }),
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
