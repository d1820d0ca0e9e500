/**
 * `node --expose-gc --import tsx bench/scale/frontend-costs.ts [--data DIR | --entities 100000] [--per 60] [--rounds 3]
 *    [--only snapshot|full|jit[,...]]`
 *
 * (`--only full` under `node --cpu-prof` is a profile of this server's frontend requests alone.)
 *
 * Where bench:scale's frontend scenario spends its CPU, operation by operation, in one process
 * (no HTTP, no other process: what a busy machine disturbs least): the explorer's documents with
 * random keys and variables (bench/frontend.ts) over a generated dataset, each operation's
 * requests run
 * - through this server's Yoga (createApp(...).yoga.fetch, response cache off: with random keys it
 *   rarely answers), on the graph as `npm start` serves it (read from the dataset's snapshot), and
 *   on the graph loaded in full (what the peers serve);
 * - by graphql-jit on the same schema object, as Mercurius runs it (compiled once per document,
 *   then run per request with the same context: graph and search index).
 * Prints CPU µs per request for each, and ours ÷ jit: the operations where a frontend request
 * costs this server more than the peer, and by how much.
 */
import { loadavg } from "node:os";
import { parse } from "graphql";
import { compileQuery, isCompiledQuery } from "graphql-jit";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { SearchIndex } from "../../src/graph/search.js";
import { loadJsonGraphWithSnapshot } from "../../src/graph/snapshot/load.js";
import { schema } from "../../src/schema/index.js";
import { createApp } from "../../src/server/app.js";
import { frontendRequests, PEERS_CANNOT_ANSWER } from "../frontend.js";
import { median } from "../harness.js";
import { idsOf, wordsOf } from "./scenarios.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) =>
  argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : fallback;
const dir = argv.includes("--data")
  ? option("data", "")
  : generatedDataset(Number(option("entities", "100000")));
const per = Number(option("per", "60"));
const rounds = Number(option("rounds", "3"));
const only = argv.includes("--only") ? option("only", "").split(",") : undefined;

const COLLECTIONS: Record<string, string> = {
  person: "persons",
  office: "offices",
  event: "events",
  tenure: "tenures",
  state: "states",
  post: "posts",
  place: "places",
  priority: "priorities",
  source: "sources",
  dimension: "dimensions",
};
const keys: Record<string, string[]> = {};
for (const [kind, collection] of Object.entries(COLLECTIONS)) {
  try {
    keys[kind] = idsOf(dir, collection, 2000);
  } catch {
    keys[kind] = [];
  }
}
const requests = frontendRequests({ keys, words: wordsOf(dir, 200) }, 20_000, {
  seed: 11,
  leaveOut: PEERS_CANNOT_ANSWER,
});
const byOperation = new Map<string, string[]>();
for (const r of requests) {
  const name = JSON.parse(r.body).operationName as string;
  const list = byOperation.get(name) ?? byOperation.set(name, []).get(name)!;
  if (list.length < per) list.push(r.body);
}

console.log(
  `frontend-costs: ${dir}; ${per} requests per operation, ${rounds} rounds; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(", ")}`,
);
const started = performance.now();
const { graph: snapshotGraph, outcome } =
  only === undefined || only.includes("snapshot")
    ? await loadJsonGraphWithSnapshot(dir)
    : { graph: undefined, outcome: "not asked for" };
console.log(
  `snapshot graph in ${((performance.now() - started) / 1000).toFixed(1)} s (${JSON.stringify(outcome).slice(0, 120)})`,
);
const fullStarted = performance.now();
const fullGraph = loadJsonGraph(dir);
const fullSearch = SearchIndex.build(fullGraph);
console.log(`full graph in ${((performance.now() - fullStarted) / 1000).toFixed(1)} s`);

const yogaOf = (graph: KnowledgeGraph) =>
  createApp(graph, { responseCache: false, logLevel: "silent" }).yoga;
const ours = {
  snapshot: snapshotGraph ? yogaOf(snapshotGraph) : undefined,
  full: yogaOf(fullGraph),
};
const post = async (yoga: typeof ours.full | undefined, body: string) =>
  (
    await yoga!.fetch("http://localhost/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body,
    })
  ).text();

const compiled = new Map<
  string,
  ReturnType<typeof compileQuery<Record<string, unknown>, Record<string, unknown>>>
>();
async function jit(body: string): Promise<string> {
  const { query, variables, operationName } = JSON.parse(body) as {
    query: string;
    variables: Record<string, unknown>;
    operationName: string;
  };
  let c = compiled.get(query);
  if (!c)
    compiled.set(
      query,
      (c = compileQuery<Record<string, unknown>, Record<string, unknown>>(
        schema,
        parse(query),
        operationName,
      )),
    );
  if (!isCompiledQuery(c)) throw new Error(`jit cannot compile ${operationName}`);
  return JSON.stringify(
    await c.query(undefined, { graph: fullGraph, search: fullSearch }, variables),
  );
}

async function cpuPer(run: (body: string) => Promise<string>, bodies: string[]): Promise<number> {
  const before = process.cpuUsage();
  for (const body of bodies) await run(body);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / bodies.length;
}

const rows: string[] = [];
for (const [name, bodies] of byOperation) {
  const all = {
    snapshot: (b: string) => post(ours.snapshot, b),
    full: (b: string) => post(ours.full, b),
    jit,
  };
  const runs = Object.entries(all).filter(([who]) => only === undefined || only.includes(who));
  for (const [, run] of runs) await cpuPer(run, bodies); // warm up (and compile)
  const figures: Record<keyof typeof all, number[]> = { snapshot: [], full: [], jit: [] };
  for (let round = 0; round < rounds; round++)
    for (const [who, run] of runs) figures[who as keyof typeof all].push(await cpuPer(run, bodies));
  const [s, f, j] = [median(figures.snapshot), median(figures.full), median(figures.jit)];
  rows.push(
    `| ${name} | ${bodies.length} | ${s.toFixed(0)} | ${f.toFixed(0)} | ${j.toFixed(0)} | ${(s / j).toFixed(2)}× | ${(f / j).toFixed(2)}× |`,
  );
  console.log(rows.at(-1));
}
console.log(
  `\n| operation | requests | ours, snapshot graph (µs CPU) | ours, graph loaded in full | graphql-jit, graph loaded in full | ours (snapshot) ÷ jit | ours (full) ÷ jit |`,
);
console.log("|---|---:|---:|---:|---:|---:|---:|");
console.log(rows.join("\n"));
console.log(
  `\nload average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(", ")}`,
);
