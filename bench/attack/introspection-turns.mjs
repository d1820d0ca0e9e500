/**
 * `node bench/attack/introspection-turns.mjs ROOT [TRIES]`: the introspections red team 8 sent
 * (/work/redteam8 intro2.mjs, intro.mjs, g3.mjs), each TRIES times (default 6), one after the
 * other, to a server started in ROOT on the built-in dataset with bench/attack/loop-stalls.mjs
 * preloaded (every turn of 5 ms or more logged, load shedding off). graphql-js answers `__schema`
 * and `__type` in one turn of the event loop, with no slice, so the figure is the longest turn
 * held while each request was answered: the thread's CPU in it (`cpuMs`, what the code did: on a
 * machine busier than its cores the wall time is mostly the wait for one), and the server's CPU
 * per request (/proc). Prints per document its answers (status and code), the answer's size, and
 * the worst turn's CPU: median and max over the tries. Each request carries a comment of its own,
 * so no cache answers it, except in the last row (the same body each time, as GraphiQL sends it). Run it on two checkouts back to back to compare them
 * (bench/results/2026-12-05-introspection.txt).
 */
import { readFileSync } from "node:fs";
import { getIntrospectionQuery } from "graphql";
import { aliases } from "./queries.mjs";
import { serve } from "./serve.mjs";

const [root, triesArg] = process.argv.slice(2);
if (!root) throw new Error("usage: node bench/attack/introspection-turns.mjs ROOT [TRIES]");
const tries = Number(triesArg ?? 6);
process.env.KZ_OSCE_MAX_EVENT_LOOP_DELAY_MS ??= "0";
process.env.KZ_BENCH_STALL_MS ??= "5";
process.env.KZ_BENCH_NODE_FLAGS = `${process.env.KZ_BENCH_NODE_FLAGS ?? ""} --import=./bench/attack/loop-stalls.mjs`;
const { child, url, output } = await serve(root, undefined, "warn");

/** Red team 8's full introspection (intro2.mjs): 10,320 units. */
const FULL =
  "__schema { types { name kind description fields(includeDeprecated: true) { name description args(includeDeprecated: true) { name description type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } defaultValue } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } isDeprecated deprecationReason } inputFields { name type { kind name ofType { kind name } } } enumValues(includeDeprecated: true) { name description } possibleTypes { name } interfaces { name } } }";
const CHAIN =
  "__schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } }";
const TYPE = '__type(name: "Query") { fields { args { type { ofType { ofType { name } } } } } }';
const documents = [
  [
    "GraphiQL's introspection, every option",
    getIntrospectionQuery({
      descriptions: true,
      inputValueDeprecation: true,
      schemaDescription: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
    }),
  ],
  ["a full introspection (intro2.mjs K=1)", `{ ${FULL} }`],
  ["2 aliases of it", `{ ${aliases(2, FULL)} }`],
  ["3 aliases of it (intro2.mjs K=3)", `{ ${aliases(3, FULL)} }`],
  ["30 aliases of an ofType chain (intro.mjs, g3.mjs)", `{ ${aliases(30, CHAIN)} }`],
  ["30 aliases of __type(Query) args (g3.mjs)", `{ ${aliases(30, TYPE)} }`],
  ["control: { __typename }", "{ __typename }"],
];
const GRAPHIQL = documents[0][1];
// GraphiQL's again, the code warm (the first row is the server's first introspection), and then
// the same body each time, as GraphiQL sends it: kept by the response cache at its second coming
// (response-cache.ts) and sent from it after
documents.push(["GraphiQL's introspection again (warm)", GRAPHIQL]);
documents.push(["GraphiQL's introspection, the same body each time", GRAPHIQL, { same: true }]);

const cpuOf = () => {
  const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const turns = (from, to) =>
  output()
    .split("\n")
    .filter((line) => line.startsWith('{"msg":"loop stall"'))
    .map((line) => JSON.parse(line))
    .filter((stall) => {
      const at = Date.parse(stall.at);
      return at >= from && at <= to;
    });
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

let tag = 0;
console.log(`introspection-turns at ${root} (${tries} tries each, one after the other)`);
for (const [label, query, { same = false } = {}] of documents) {
  const answers = {};
  const worst = [];
  const cpu = [];
  /** The collector's pauses within each worst turn. */
  const gc = [];
  let bytes = 0;
  for (let i = 0; i < tries; i++) {
    const from = Date.now();
    const cpu0 = cpuOf();
    const res = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: same ? query : `# ${++tag}\n${query}` }),
    });
    const text = await res.text();
    bytes = text.length;
    const code = res.status === 200 ? "" : (/"code":"([A-Z_]+)"/.exec(text)?.[1] ?? "");
    const status = `${res.status}${code && ` ${code}`}`;
    answers[status] = (answers[status] ?? 0) + 1;
    // the stall is said 50 ms after it ends (loop-stalls.mjs), and the timer must run again first
    await new Promise((resolve) => setTimeout(resolve, 250));
    cpu.push(cpuOf() - cpu0);
    const held = turns(from, Date.now()).sort((a, b) => (b.cpuMs ?? 0) - (a.cpuMs ?? 0))[0];
    worst.push(held?.cpuMs ?? 0);
    gc.push(held?.gcMs ?? 0);
  }
  console.log(
    `${label}: ${JSON.stringify(answers)} ${bytes} B; worst turn's CPU median ${median(worst)} ms, max ${Math.max(...worst)} ms (${worst.join(", ")}; of which GC ${gc.join(", ")}); server CPU a request median ${median(cpu)} ms`,
  );
}
console.log(
  `load average: ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
);
child.kill();
