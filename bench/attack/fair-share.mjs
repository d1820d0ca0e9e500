/**
 * `node bench/attack/fair-share.mjs ROOT DATASET_DIR [C] [SECS] [HONEST_FROM...]`: red team 9's
 * fair.mjs (finding 3) against a server started as `npm start -- --data DIR` in ROOT. One client
 * (127.0.0.1) loops an uncached person scan (`anyName: {contains: $s}`, $s two random letters or
 * digits, as red team 9's, and a page of a random size, 1-100, so that the response cache does not
 * answer: two letters alone repeat after a thousand requests, and a round at low load then got
 * 24,541 answers from the cache; four letters match few names, and the scans, cheaper, never
 * filled the queue) on C keep-alive connections (default 50); after 2 s an
 * honest client asks `{ persons(first: 1) { nodes { key } } }` every 250 ms on a connection of its
 * own, for SECS seconds (default 20), bound to each address of HONEST_FROM in turn (default
 * 127.0.0.2, another client, then 127.0.0.1, the attacker's own address, as every client is behind
 * a proxy). Prints per round the honest client's statuses and latency when served, the attacker's
 * statuses, and the first refusals the honest client got. A first round of 10 s, the attack alone,
 * is not printed: the entities the scans read are made then (a fresh server makes them as first
 * read, and the honest client's first answers waited up to 1.6-6.8 s behind that). (Linux: the whole of 127.0.0.0/8
 * reaches a server listening on 127.0.0.1.)
 */
import http from "node:http";
import { serve } from "./serve.mjs";

const [root, data, c = "50", secs = "20", ...from] = process.argv.slice(2);
const C = Number(c);
const SECS = Number(secs);
const HONEST_FROM = from.length ? from : ["127.0.0.2", "127.0.0.1"];
const ATTACK =
  "query A($s: String!, $n: Int!) { persons(first: $n, filter: {anyName: {contains: $s}}) { totalCount nodes { key } } }";
const HONEST = "{ persons(first: 1) { nodes { key } } }";

const { child, url } = await serve(root, data, "warn");
const U = new URL(url);

function post(body, agent) {
  return new Promise((resolve) => {
    const t = performance.now();
    const request = http.request(
      {
        host: U.hostname,
        port: U.port,
        path: "/graphql",
        method: "POST",
        agent,
        headers: { "content-type": "application/json" },
      },
      (response) => {
        let text = "";
        response.on("data", (d) => {
          if (text.length < 400) text += d;
        });
        response.on("end", () =>
          resolve({ status: response.statusCode, ms: performance.now() - t, text }),
        );
      },
    );
    request.on("error", () => resolve({ status: "ERR", ms: performance.now() - t }));
    request.end(JSON.stringify(body));
  });
}

/** The status, and the code of the first error when there is one ("503 SERVER_OVERLOADED"). */
const outcome = (r) => {
  const code = /"code":"([A-Z_]+)"/.exec(r.text ?? "")?.[1];
  return code ? `${r.status} ${code}` : String(r.status);
};
const count = (tally, key) => (tally[key] = (tally[key] ?? 0) + 1);

async function round(honestFrom, secs = SECS, print = true) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: C + 5 });
  const honestAgent = new http.Agent({ keepAlive: true, maxSockets: 2, localAddress: honestFrom });
  const attacker = {};
  let stop = false;
  const attackers = Array.from({ length: C }, async () => {
    while (!stop) {
      const variables = {
        s: Math.random().toString(36).slice(2, 4),
        n: 1 + Math.floor(Math.random() * 100),
      };
      count(attacker, outcome(await post({ query: ATTACK, variables }, agent)));
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const end = Date.now() + secs * 1000;
  const served = [];
  const honest = {};
  const refusals = [];
  while (Date.now() < end) {
    const r = await post({ query: HONEST }, honestAgent);
    count(honest, outcome(r));
    if (r.status === 200) served.push(r.ms);
    else if (refusals.length < 2) refusals.push(r.text);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  stop = true;
  await Promise.all(attackers);
  agent.destroy();
  honestAgent.destroy();
  if (!print) return;
  served.sort((a, b) => a - b);
  const p = (q) =>
    served.length
      ? served[Math.min(served.length - 1, Math.floor(q * served.length))].toFixed(0)
      : "-";
  const tries = Object.values(honest).reduce((a, b) => a + b, 0);
  console.log(
    `## attacker 127.0.0.1 x ${C} connections; honest client from ${honestFrom}\n` +
      `  honest: ${tries} tries, ${tries - (honest[200] ?? 0)} not 200, statuses ${JSON.stringify(honest)}; ` +
      `served p50=${p(0.5)} ms p90=${p(0.9)} ms max=${p(1)} ms\n` +
      `  attacker statuses ${JSON.stringify(attacker)}`,
  );
  for (const text of refusals) console.log(`  refused: ${text}`);
  // the queue drains before the next round
  await new Promise((resolve) => setTimeout(resolve, 3000));
}

try {
  await round("127.0.0.1", 8, false); // the warm-up
  await new Promise((resolve) => setTimeout(resolve, 3000));
  for (const honestFrom of HONEST_FROM) await round(honestFrom);
} finally {
  child.kill();
}
