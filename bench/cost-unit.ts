/**
 * `npx tsx bench/cost-unit.ts [DATASET_DIR] [--cost-only]`: what one cost unit (src/server/cost.ts) is worth in
 * CPU time. Each probe isolates one kind of work (objects returned, filter conditions tested,
 * search words, path visits) in queries of growing size; it executes them in process (graphql's
 * `execute`, no HTTP) and prints, per probe, the time per run, the cost the estimate gives it,
 * and µs per cost unit. The weights in COST_WEIGHTS are set so that this figure stays near 2 µs
 * for the dearest case of each kind (it is an upper bound: cheaper conditions cost less).
 *
 * Without DATASET_DIR it uses the built-in data; with it (e.g. `.cache/datasets/100000` after
 * `npm run gen -- --entities 100000`), that dataset. Each probe runs for about half a second.
 * `--cost-only` prints the costs without running anything (to price earlier timings anew).
 */
import { type DocumentNode, execute, parse } from "graphql";
import { loadBuiltInGraph, loadGraph } from "../data/load.js";
import { SearchIndex } from "../src/graph/search.js";
import { schema } from "../src/schema/index.js";
import { DEFAULT_CONFIG } from "../src/server/config.js";
import { operationCost } from "../src/server/cost.js";

const costOnly = process.argv.includes("--cost-only");
const dir = process.argv.slice(2).find((a) => !a.startsWith("--"));
const graph = dir ? await loadGraph(dir) : await loadBuiltInGraph();
graph.buildDeferredIndexes();
const search = SearchIndex.build(graph);
const person = graph.keys.person[0]!.slice("person/".length);
const state = graph.keys.state[0]!.slice("state/".length);

/** Mean ms per run of `document`, over runs of about `budgetMs` after a warm-up. */
async function time(
  document: DocumentNode,
  budgetMs = 500,
): Promise<{ ms: number; errors: number }> {
  const run = async () =>
    (await execute({ schema, document, contextValue: { graph, search } })) as {
      errors?: unknown[];
    };
  const first = await run();
  for (let i = 0; i < 3; i++) await run();
  let runs = 0;
  const started = performance.now();
  while (performance.now() - started < budgetMs) {
    await run();
    runs++;
  }
  return { ms: (performance.now() - started) / runs, errors: first.errors?.length ?? 0 };
}

const or = (n: number, condition: string) =>
  `{or: [${Array.from({ length: n }, () => condition).join(", ")}]}`;

const probes: Record<string, string[]> = {
  "objects: persons with names and tenures": [1, 10, 100].map(
    (n) =>
      `{ persons(first: ${n}) { nodes { key name names { text kind provenance { kind } } tenures(first: 5) { nodes { key post { key name } } } } } }`,
  ),
  "objects: offices with names and name history": [1, 10, 100].map(
    (n) =>
      `{ offices(first: ${n}) { nodes { key name names { text kind } nameHistory { nodes { text period { edtf } } } } } }`,
  ),
  "filter: anyName contains (a miss), on persons": [1, 10, 50].map(
    (n) =>
      `{ persons(first: 1, filter: ${or(n, '{anyName: {contains: "zzqq"}}')}) { totalCount } }`,
  ),
  "filter: key eq, on persons": [1, 10, 50].map(
    (n) =>
      `{ persons(first: 1, filter: ${or(n, `{nationality: {eq: "${state}"}}`)}) { totalCount } }`,
  ),
  "filter: empty members (the attack of issue 11), on tenures": [1, 10, 100].map(
    (n) => `{ tenures(first: 0, filter: ${or(n, "{}")}) { totalCount } }`,
  ),
  "filter: timeline by date": [1, 10].map(
    (n) => `{ timeline(first: 1, filter: ${or(n, '{date: {overlaps: "2010"}}')}) { totalCount } }`,
  ),
  "search: words": [1, 5, 20].map(
    (n) =>
      `{ search(query: "${Array.from({ length: n }, (_, i) => `nazarbae${"vwxyz"[i % 5]}${"abcd"[i % 4]}`).join(" ")}", first: 1) { totalCount } }`,
  ),
  "path: between two entities": [
    `{ __typename }`,
    `{ path(from: "${person}", to: "${graph.keys.priority.at(-1)!.slice("priority/".length)}", maxLength: 6) { entities { key } } }`,
  ],
};

/** Each probe's queries, from the smallest: the time and cost of each, and the marginal µs per unit from the smallest. */
const rows: string[] = [];
for (const [probe, queries] of Object.entries(probes)) {
  let base: { ms: number; cost: number } | undefined;
  for (const query of queries) {
    const document = parse(query);
    const cost = operationCost(
      schema,
      document,
      undefined,
      {},
      { shape: graph.shape, listSize: DEFAULT_CONFIG.limits.costListSize },
    );
    if (!cost.ok) throw new Error(`no cost for ${query}`);
    const { ms, errors } = costOnly ? { ms: Number.NaN, errors: 0 } : await time(document);
    const marginal =
      base && cost.cost > base.cost ? ((ms - base.ms) * 1000) / (cost.cost - base.cost) : undefined;
    base ??= { ms, cost: cost.cost };
    const shown = query.length > 80 ? `${query.slice(0, 77)}...` : query;
    const whole = (ms * 1000) / Math.max(1, cost.cost);
    rows.push(
      `| ${probe} | \`${shown}\` | ${ms.toFixed(3)} | ${cost.cost} | ${whole.toFixed(2)} | ${marginal === undefined ? "" : marginal.toFixed(2)}${errors ? ` (${errors} errors)` : ""} |`,
    );
  }
}
const entities = Object.values(graph.keys).reduce((n, k) => n + k.length, 0);
console.log(`dataset: ${dir ?? "built-in"} (${entities} entities)\n`);
console.log(
  "| probe | query | ms per run | cost | µs per unit | µs per extra unit (vs the probe's first query) |\n|---|---|---:|---:|---:|---:|",
);
for (const row of rows) console.log(row);
