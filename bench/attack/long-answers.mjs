/**
 * `node bench/attack/long-answers.mjs ROOT DATASET_DIR [RUNS]`: how long one turn of a server's
 * event loop lasts while it ranks many searches or writes long answers. A server started as
 * `npm start -- --data DIR` is sent distinct (cache-busted) requests, one or four at once: 30
 * aliased `search(last: 100)` of a common phrase (every hit ranked), the same with `first: 100`,
 * and a page of 100 source texts (9 MB at 100,000 entities); `/health` is polled every 5 ms from a
 * process of its own (burst-turns.mjs's poller), and its longest wait is what a turn cost every
 * other client. Each scenario RUNS times (default 3).
 */
import { aliases, beside, client } from "./queries.mjs";
import { serve } from "./serve.mjs";

const [root, data, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);
const { child, url } = await serve(root, data, "warn");

const QUERIES = {
  searchLast: () => aliases(30, 'search(query: "osce centre", last: 100) { nodes { summary } }'),
  searchFirst: () => aliases(30, 'search(query: "osce centre", first: 100) { nodes { summary } }'),
  texts: () => "sources(first: 100) { nodes { text } }",
};
const { post } = client(url, QUERIES);

const f = (ms) => ms.toFixed(0).padStart(5);
const times = (n, kind) => () => Promise.all(Array.from({ length: n }, () => post(kind)));
const scenarios = [
  ["1 x 30 search last:100", times(1, "searchLast")],
  ["4 x 30 search last:100", times(4, "searchLast")],
  ["1 x 30 search first:100", times(1, "searchFirst")],
  ["4 x 30 search first:100", times(4, "searchFirst")],
  ["1 x page of texts", times(1, "texts")],
  ["4 x page of texts", times(4, "texts")],
];
// the entities read from the snapshot and the code warmed, by each query alone, before measuring
for (const kind of Object.keys(QUERIES)) await post(kind);
console.log(`server: ${root}, data: ${data}, node ${process.version}, ${runs} runs`);
console.log(
  "scenario                 run   wall  /health max   p99   p50 (ms)  answer bytes  statuses",
);
for (const [name, work] of scenarios) {
  for (let run = 1; run <= runs; run++) {
    const { wall, health, counts, answers } = await beside(url, work);
    const bytes = answers[0]?.bytes ?? 0;
    console.log(
      `${name.padEnd(24)} ${String(run).padStart(3)} ${f(wall)}        ${f(health.max)} ${f(health.p99)} ${f(health.p50)}      ${String(bytes).padStart(10)}  ${JSON.stringify(counts)}${health.failed ? ` (${health.failed} /health failed)` : ""}`,
    );
    await new Promise((r) => setTimeout(r, 1500)); // the pressure monitor's state settles
  }
}
child.kill("SIGTERM");
