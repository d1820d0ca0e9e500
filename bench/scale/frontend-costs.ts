/**
 * `NODE_ENV=production node --expose-gc --import tsx bench/scale/frontend-costs.ts [--data DIR | --entities 100000]
 *    [--per 60] [--rounds 3] [--only snapshot|full|direct|direct-snapshot|jit[,...]]`
 *
 * (NODE_ENV=production as `npm start` runs: src/server/node-env.ts.)
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
 * - through the direct pipeline (src/server/direct.ts, what the server runs for a plain JSON query
 *   over HTTP, without Yoga's fetch layer) and JSON.stringify, on the graph loaded in full and on the
 *   snapshot's: `direct-snapshot` is measured after a first pass over the same requests (entities
 *   decoded on first use, the pass printed as "first"), so it is the snapshot graph's steady state;
 * - by graphql-jit on the same schema object, as Mercurius runs it (compiled once per document,
 *   then run per request with the same context: graph and search index).
 * Prints CPU µs per request for each, and ours ÷ jit: the operations where a frontend request
 * costs this server more than the peer, and by how much.
 */
import { loadavg } from "node:os";
import { parse } from "graphql";
import { compileQuery, isCompiledQuery } from "graphql-jit";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { SearchIndex } from "../../src/graph/search.js";
import { loadJsonGraphWithSnapshot } from "../../src/graph/snapshot/load.js";
import { prebuiltSearchIndex } from "../../src/graph/snapshot/snapshot.js";
import { schema } from "../../src/schema/index.js";
import { createApp } from "../../src/server/app.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { directPipelineOf, type QueryParams } from "../../src/server/direct.js";
import { frontendRequests, PEERS_CANNOT_ANSWER } from "../frontend.js";
import { median } from "../harness.js";
import { scaleArgs } from "./args.js";
import { frontendPool } from "./frontend.js";

const { argv, option, dir } = scaleArgs();
const per = Number(option("per", "60"));
const rounds = Number(option("rounds", "3"));
const only = argv.includes("--only") ? option("only", "").split(",") : undefined;

const requests = frontendRequests(frontendPool(dir), 20_000, {
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
  only === undefined || only.includes("snapshot") || only.includes("direct-snapshot")
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
/** The direct pipeline of `yoga` (one of `ours`), over `graph` and its search index as the server holds them. */
const directOf = (graph: KnowledgeGraph, yoga: typeof ours.full) => {
  const search =
    graph === fullGraph ? fullSearch : (prebuiltSearchIndex(graph) ?? SearchIndex.build(graph));
  const pipeline = directPipelineOf(yoga, { limits: DEFAULT_CONFIG.limits }, () => ({
    graph,
    search,
  }));
  return async (body: string) => {
    const result = await pipeline.run(JSON.parse(body) as QueryParams);
    // (an answer with errors, as a path search that gives up at 100k, is measured as it is)
    if (!result) throw new Error(`the direct pipeline left ${body.slice(0, 200)} to Yoga`);
    return JSON.stringify(result);
  };
};
const direct = {
  full: directOf(fullGraph, ours.full),
  snapshot: snapshotGraph && ours.snapshot ? directOf(snapshotGraph, ours.snapshot) : undefined,
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
/** Requests of each operation in the mix (bench/frontend.ts's weights), for the weighted means. */
const weightOf = new Map<string, number>();
for (const r of requests) {
  const name = JSON.parse(r.body).operationName as string;
  weightOf.set(name, (weightOf.get(name) ?? 0) + 1);
}
const WHO = ["snapshot", "full", "direct", "direct-snapshot", "jit"] as const;
type Who = (typeof WHO)[number];
const weighted: Record<Who | "first", number> = {
  snapshot: 0,
  full: 0,
  direct: 0,
  "direct-snapshot": 0,
  jit: 0,
  first: 0,
};
let weights = 0;
for (const [name, bodies] of byOperation) {
  const all: Record<Who, ((b: string) => Promise<string>) | undefined> = {
    snapshot: ours.snapshot && ((b: string) => post(ours.snapshot, b)),
    full: (b: string) => post(ours.full, b),
    direct: direct.full,
    "direct-snapshot": direct.snapshot,
    jit,
  };
  const runs = WHO.filter((who) => all[who] && (only === undefined || only.includes(who))).map(
    (who) => [who, all[who]!] as const,
  );
  // the first pass over the snapshot graph decodes the entities these requests read
  const first =
    direct.snapshot && runs.some(([who]) => who === "direct-snapshot")
      ? await cpuPer(direct.snapshot, bodies)
      : Number.NaN;
  for (const [who, run] of runs) if (who !== "direct-snapshot") await cpuPer(run, bodies); // warm up (and compile)
  const figures: Record<Who, number[]> = {
    snapshot: [],
    full: [],
    direct: [],
    "direct-snapshot": [],
    jit: [],
  };
  for (let round = 0; round < rounds; round++)
    for (const [who, run] of runs) figures[who].push(await cpuPer(run, bodies));
  const m = Object.fromEntries(WHO.map((who) => [who, median(figures[who])])) as Record<
    Who,
    number
  >;
  const weight = weightOf.get(name) ?? 0;
  weights += weight;
  for (const who of WHO) weighted[who] += m[who] * weight;
  weighted.first += first * weight;
  const cell = (x: number) => (Number.isNaN(x) ? "–" : x.toFixed(0));
  const ratio = (x: number) => (Number.isNaN(x) ? "–" : `${(x / m.jit).toFixed(2)}×`);
  rows.push(
    `| ${name} | ${bodies.length} | ${cell(m.snapshot)} | ${cell(m.full)} | ${cell(m.direct)} | ${cell(first)} | ${cell(m["direct-snapshot"])} | ${cell(m.jit)} | ${ratio(m.snapshot)} | ${ratio(m.full)} | ${ratio(m.direct)} | ${ratio(m["direct-snapshot"])} |`,
  );
  console.log(rows.at(-1));
}
const mean = (x: number) => (Number.isNaN(x) || weights === 0 ? "–" : (x / weights).toFixed(0));
const meanRatio = (x: number) =>
  Number.isNaN(x) || Number.isNaN(weighted.jit) ? "–" : `${(x / weighted.jit).toFixed(2)}×`;
rows.push(
  `| **the mix, weighted as bench/frontend.ts** | | ${mean(weighted.snapshot)} | ${mean(weighted.full)} | ${mean(weighted.direct)} | ${mean(weighted.first)} | ${mean(weighted["direct-snapshot"])} | ${mean(weighted.jit)} | ${meanRatio(weighted.snapshot)} | ${meanRatio(weighted.full)} | ${meanRatio(weighted.direct)} | ${meanRatio(weighted["direct-snapshot"])} |`,
);
console.log(
  `\n| operation | requests | ours through Yoga, snapshot graph (µs CPU) | ours through Yoga, graph loaded in full | direct pipeline, full graph | direct pipeline, snapshot graph, first pass | direct pipeline, snapshot graph | graphql-jit, full graph | Yoga snapshot ÷ jit | Yoga full ÷ jit | direct full ÷ jit | direct snapshot ÷ jit |`,
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
console.log(rows.join("\n"));
console.log(
  `\nload average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(", ")}`,
);
