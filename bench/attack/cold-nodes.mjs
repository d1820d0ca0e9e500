/**
 * `node bench/attack/cold-nodes.mjs ROOT DATASET_DIR`: the first reading of 1,000 entities by id
 * on a freshly started server (the closing note's hole 1: at 100k, the first `nodes(ids:)` of
 * 1,000 persons, nine aliases of it, held one turn of the event loop for 170-344 ms of CPU, though
 * the ids and the loader's batch are taken in slices). Each shape runs on a server of its own, started with the
 * stall logger (loop-stalls.mjs, at KZ_BENCH_STALL_MS, 10 ms here): a request `{ __typename }`
 * first (the server's first request has costs of its own), then the shape, then the same again
 * (warm). Prints per request the status, errors, wall time, the server's CPU (/proc/PID/stat,
 * 10 ms ticks) and each stall of 10 ms or more meanwhile as wall/CPU/GC ms, then the worst.
 * The ids are read from one more server first (ten pages of `persons(first: 100) { nodes { id key } }`).
 */
import { readFileSync } from "node:fs";
import { serve } from "./serve.mjs";

const [root, data] = process.argv.slice(2);
if (!root || !data) throw new Error("usage: node bench/attack/cold-nodes.mjs ROOT DATASET_DIR");
process.env.KZ_OSCE_MAX_EVENT_LOOP_DELAY_MS ??= "0"; // load shedding off: a stall is measured, not shed
process.env.KZ_BENCH_STALL_MS ??= "10";

const post = async (url, body) => {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
};
const stop = (child) =>
  new Promise((resolve) => {
    child.once("exit", resolve);
    child.kill("SIGTERM");
  });

const first = await serve(root, data, "warn");
const persons = [];
for (let after = null; persons.length < 1000; ) {
  const page = await post(first.url, {
    query:
      "query ($after: String) { persons(first: 100, after: $after) { nodes { id key } pageInfo { endCursor } } }",
    variables: { after },
  });
  if (!page.body.data?.persons) throw new Error(JSON.stringify(page.body.errors));
  persons.push(...page.body.data.persons.nodes);
  after = page.body.data.persons.pageInfo.endCursor;
}
await stop(first.child);

/** `count` aliases of `field` over the same variables. */
const aliases = (count, field) =>
  Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(" ");
const ids = { ids: persons.map((p) => p.id) };
const representations = { r: persons.map((p) => ({ __typename: "Person", key: p.key })) };
const shapes = [
  [
    "nodes(ids:) x 1,000 persons",
    [],
    {
      query: `query ($ids: [ID!]!) { ${aliases(1, "nodes(ids: $ids) { ... on Person { key name } }")} }`,
      variables: ids,
    },
  ],
  [
    "9 aliases of nodes(ids:) x 1,000 persons",
    [],
    {
      query: `query ($ids: [ID!]!) { ${aliases(9, "nodes(ids: $ids) { ... on Person { key name } }")} }`,
      variables: ids,
    },
  ],
  [
    "node(id:) x 30 aliases",
    [],
    {
      query: `{ ${persons
        .slice(0, 30)
        .map((p, i) => `a${i}: node(id: "${p.id}") { ... on Person { key name } }`)
        .join(" ")} }`,
    },
  ],
  [
    "9 aliases of _entities x 1,000 persons (--subgraph)",
    ["--subgraph"],
    {
      query: `query ($r: [_Any!]!) { ${aliases(9, "_entities(representations: $r) { ... on Person { key name } }")} }`,
      variables: representations,
    },
  ],
];

console.log(`cold-nodes: ${root}, ${data}, node ${process.version}`);
let worst = 0;
for (const [name, args, body] of shapes) {
  process.env.KZ_BENCH_NODE_FLAGS = "--import=./bench/attack/loop-stalls.mjs";
  const { child, url, output } = await serve(root, data, "warn", args);
  delete process.env.KZ_BENCH_NODE_FLAGS;
  const cpuMs = () => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  await post(url, { query: "{ __typename }" });
  await new Promise((resolve) => setTimeout(resolve, 300)); // the start's own stalls said
  for (const run of ["cold", "warm"]) {
    const from = output().length;
    const cpu = cpuMs();
    const started = performance.now();
    const answer = await post(url, body);
    const wall = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 150)); // the logger's last stall
    const stalls = output()
      .slice(from)
      .split("\n")
      .filter((line) => line.includes('"loop stall"'))
      .map((line) => JSON.parse(line));
    if (run === "cold") worst = Math.max(worst, ...stalls.map((s) => s.cpuMs ?? s.ms));
    const errors = answer.body.errors ?? [];
    console.log(
      `${`${name}, ${run}`.padEnd(48)} ${answer.status}, ${errors.length} errors${errors[0] ? ` (${errors[0].extensions?.code})` : ""}, ${wall.toFixed(0)} ms wall, server CPU ${cpuMs() - cpu} ms; stalls ≥ ${process.env.KZ_BENCH_STALL_MS} ms (wall/CPU/GC): ${stalls.map((s) => `${s.ms}/${s.cpuMs}/${s.gcMs}`).join(" ") || "none"}`,
    );
  }
  await stop(child);
}
console.log(`worst stall of a cold request: ${worst} ms of CPU`);
