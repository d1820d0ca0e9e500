/**
 * `node bench/attack/stranger.mjs ROOT DATASET_DIR` (SKIP_SLOW=1 leaves out the 30 s slow body): a
 * server started as `npm start -- --data DIR` is sent malformed, huge and deep requests and bad
 * variables, a body trickled at 10 bytes a second, then 40 clients of load and SIGTERM in the middle
 * of it, while /health is timed beside everything. Prints each answer, how the load fared, the exit.
 */
import { connect } from "node:net";
import { pollHealth, serve } from "./serve.mjs";

const [root, data] = process.argv.slice(2);
const { child, url, output } = await serve(root, data, "warn");
const port = Number(new URL(url).port);
// until the server stops answering (it is sent SIGTERM below)
const poll = pollHealth(url, { until: () => true });
const post = (body, headers = {}) =>
  fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  })
    .then(async (r) => [r.status, (await r.text()).slice(0, 90)])
    .catch((e) => ["error", e.cause?.code ?? e.code ?? e.message]);
const results = {};
results.malformedJson = await post('{"query": "{ states { totalCount } ');
results.notJson = await post("\u0000\u0001\u0002", { "content-type": "application/json" });
results.huge = await post(JSON.stringify({ query: `{ ${"a: __typename ".repeat(200000)} }` }));
results.deep = await post(
  JSON.stringify({ query: `{ ${"persons(first:1){nodes{".repeat(300)}key${"}}".repeat(300)} }` }),
);
results.badVariables = await post(
  JSON.stringify({
    query: "query($n: Int){ persons(first: $n){ totalCount } }",
    variables: { n: { a: [1, 2, { b: "x".repeat(1000) }] } },
  }),
);
// a slow body: 10 bytes a second, announced as 2,000
const slow = await new Promise((resolve) => {
  const s = connect(port, "127.0.0.1");
  const t0 = performance.now();
  let got = "";
  s.on("data", (c) => (got += c));
  s.on("close", () => resolve([got.split("\r\n")[0], Math.round(performance.now() - t0)]));
  s.write(
    `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n`,
  );
  if (process.env.SKIP_SLOW) {
    s.destroy();
  }
  const i = setInterval(() => {
    if (s.destroyed) clearInterval(i);
    else s.write("{{{{{{{{{{");
  }, 1000);
  s.on("close", () => clearInterval(i));
});
results.slowBody = slow;
// load, then SIGTERM in the middle of it
const q = JSON.stringify({
  query: "{ offices(first: 50) { nodes { key label posts(first: 5) { nodes { key } } } } }",
});
const statuses = {};
let sent = 0;
const load = Array.from({ length: 40 }, async () => {
  for (let i = 0; i < 30; i++) {
    sent++;
    const [st, why] = await post(q);
    const k = st === "error" ? why : st;
    statuses[k] = (statuses[k] ?? 0) + 1;
  }
});
await new Promise((r) => setTimeout(r, 300));
const termAt = performance.now();
child.kill("SIGTERM");
const code = await new Promise((r) =>
  child.on("exit", (c, sig) => r([c, sig, Math.round(performance.now() - termAt)])),
);
await Promise.all(load);
const health = (await poll.stop()).waits.sort((a, b) => a - b);
console.log(JSON.stringify(results, null, 1));
console.log("under SIGTERM:", sent, "requests:", statuses, "exit", code);
console.log(
  `/health: ${health.length} answers, p50 ${health[health.length >> 1].toFixed(1)} ms, max ${health.at(-1).toFixed(1)} ms`,
);
console.log(
  output()
    .split("\n")
    .filter((l) => /shutdown|stopp|signal|error|5\d\d/i.test(l))
    .slice(0, 6)
    .join("\n"),
);
