/**
 * `npx tsx bench/search-price.ts [DATASET_DIR]`: what a `search` is priced (src/server/cost.ts)
 * against the CPU it takes, for the searches red team 6 found refused at 100,000 entities
 * (finding 2: any `filter` or `orderBy`) and the dearest shapes of the ranked path (every hit of
 * common words, dated and sorted). Each document runs in process (graphql's `execute`, no HTTP):
 * the first run cold (the dates of its hits read for the first time), then warm for about 300 ms.
 * Prints the price, the hits, CPU ms cold and warm (process.cpuUsage), and µs of CPU per unit
 * (the model's unit is about 2 µs: a figure above 2 is work priced below it).
 *
 * Without DATASET_DIR, `.cache/datasets/100000` (`npm run gen -- --entities 100000`). The graph
 * and its index are read as the server reads them (from the dataset's snapshot, written on the
 * first run: a million entities then take minutes to load, seconds after).
 */
import { type DocumentNode, execute, parse } from "graphql";
import { SearchIndex } from "../src/graph/search.js";
import { loadJsonGraphWithSnapshot } from "../src/graph/snapshot/load.js";
import { prebuiltSearchIndex } from "../src/graph/snapshot/snapshot.js";
import { schema } from "../src/schema/index.js";
import { DEFAULT_CONFIG as config } from "../src/server/config.js";
import { operationCost } from "../src/server/cost.js";

const dir = process.argv[2] ?? ".cache/datasets/100000";
const { graph } = await loadJsonGraphWithSnapshot(dir);
const search = prebuiltSearchIndex(graph) ?? SearchIndex.build(graph);

const page = "totalCount nodes { entity { key label } date { edtf } }";
const documents: [string, string][] = [
  // the plain searches of common words, priced by their words (red team 51, F5)
  ["the, no filter", `search(query: "the", first: 1)`],
  ["on the in of, no filter", `search(query: "on the in of", first: 1)`],
  [
    "8 common words, no filter",
    `search(query: "osce office centre programme the of on in", first: 1)`,
  ],
  ["kinds: [PERSON] (deprecated)", `search(query: "nazarbayev", first: 20, kinds: [PERSON])`],
  [
    "filter kind in [PERSON]",
    `search(query: "nazarbayev", first: 20, filter: {kind: {in: [PERSON]}})`,
  ],
  ["filter kind eq PERSON", `search(query: "galina", first: 20, filter: {kind: {eq: PERSON}})`],
  ["orderBy RELEVANCE", `search(query: "galina", first: 20, orderBy: [{field: RELEVANCE}])`],
  [
    "filter date overlaps 2010",
    `search(query: "nazarbayev", first: 20, filter: {date: {overlaps: "2010"}})`,
  ],
  [
    "osce centre, kind OFFICE",
    `search(query: "osce centre", first: 20, filter: {kind: {in: [OFFICE]}})`,
  ],
  ["osce, no filter", `search(query: "osce", first: 20)`],
  [
    "osce, orderBy DATE DESC",
    `search(query: "osce", first: 20, orderBy: [{field: DATE, direction: DESC}])`,
  ],
  ["osce, orderBy NAME, last 100", `search(query: "osce", last: 100, orderBy: [{field: NAME}])`],
  [
    "osce, date overlaps 2000/2020",
    `search(query: "osce", first: 100, filter: {date: {overlaps: "2000/2020"}})`,
  ],
  [
    "5 common words, orderBy DATE",
    `search(query: "osce centre office programme mission", first: 100, orderBy: [{field: DATE}])`,
  ],
  [
    "5 common words, matchedNameKind",
    `search(query: "osce centre office programme mission", first: 100, filter: {matchedNameKind: {eq: CANONICAL}})`,
  ],
  [
    "5 common words, no filter",
    `search(query: "osce centre office programme mission", first: 100)`,
  ],
  [
    "20 prefixes, no filter",
    `search(query: "${"osc cen off pro mis kaz ast ala dec app ope acc com sum min amb dir hea dep cha"}", first: 100)`,
  ],
  [
    "20 prefixes, orderBy KEY",
    `search(query: "${"osc cen off pro mis kaz ast ala dec app ope acc com sum min amb dir hea dep cha"}", first: 100, orderBy: [{field: KEY}])`,
  ],
];

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
async function run(document: DocumentNode): Promise<{ ms: number; hits: number; error?: string }> {
  const started = cpuMs();
  const result = (await execute({ schema, document, contextValue: { graph, search } })) as {
    data?: { s?: { totalCount: number } };
    errors?: { message: string }[];
  };
  return {
    ms: cpuMs() - started,
    hits: result.data?.s?.totalCount ?? -1,
    ...(result.errors && { error: result.errors[0]!.message }),
  };
}

console.log(
  `${dir}: ${graph.shape.searchable} searchable entities; cost limit ${config.limits.maxCost}`,
);
console.log(
  "search | price | hits | bound (reach) | reach CPU ms | cold CPU ms | warm CPU ms | µs/unit (warm)",
);
for (const [label, field] of documents) {
  const document = parse(`{ s: ${field} { ${page} } }`);
  const priced = operationCost(schema, document, undefined, undefined, {
    shape: graph.shape,
    listSize: config.limits.costListSize,
    searchHits: (query, kinds, everyName) =>
      everyName ? search.reach(query, kinds).names : search.reach(query, kinds).hits,
    searchNames: search.nameCount,
  });
  const price = priced.ok ? priced.cost : Number.NaN;
  const query = /query: "([^"]*)"/.exec(field)![1]!;
  const pricing = cpuMs();
  const { hits: bound } = search.reach(query);
  const reachMs = cpuMs() - pricing;
  const cold = await run(document);
  let runs = 0;
  let spent = 0;
  while (spent < 300 || runs < 3) {
    spent += (await run(document)).ms;
    runs++;
  }
  const warm = spent / runs;
  console.log(
    `${label} | ${price} | ${cold.hits} | ${bound} | ${reachMs.toFixed(2)} | ${cold.ms.toFixed(1)} | ${warm.toFixed(2)} | ${((warm * 1000) / price).toFixed(2)}${cold.error ? ` | error: ${cold.error}` : ""}`,
  );
}
