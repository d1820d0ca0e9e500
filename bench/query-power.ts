/**
 * `npx tsx scripts/measure-query-power.ts`: prints what lineage/path/statistics/export cost, on the
 * built-in graph and on a synthetic one of 10,050 extra persons (a star around Kazakhstan, the
 * worst case for the path search's work bound). Figures only; nothing is asserted.
 */
import { builtInDataset, builtInDatasetDir } from "../data/index.js";
import { loadBuiltInGraph } from "../data/load.js";
import { buildGraph } from "../src/graph/load.js";
import { MAX_PATH_VISITS, PathBudgetError, PathIndex } from "../src/graph/paths.js";
import { rdfExport } from "../src/graph/rdf.js";
import { computeStatistics } from "../src/graph/statistics.js";

function time<T>(run: () => T, repeat = 1): { ms: number; value: T } {
  let value!: T;
  const start = performance.now();
  for (let i = 0; i < repeat; i++) value = run();
  return { ms: (performance.now() - start) / repeat, value };
}
const f = (ms: number) => `${ms < 1 ? ms.toFixed(3) : ms.toFixed(1)} ms`;

const graph = await loadBuiltInGraph();
const index = time(() => new PathIndex(graph), 20);
console.log(`built-in graph: path index of ${index.value.edgeCount} edges built in ${f(index.ms)}`);
console.log(
  `built-in graph: statistics computed in ${f(time(() => computeStatistics(graph.dataset, (d) => graph.date(d)), 20).ms)}`,
);
const szabo = time(() => graph.paths.shortest("gyorgy-szabo", "kazakhstan", 4), 1000);
console.log(`built-in graph: path Szabó → Kazakhstan (4 hops) in ${f(szabo.ms)}`);
const none = time(() => graph.paths.shortest("gyorgy-szabo", "ukraine", 6), 1000);
console.log(
  `built-in graph: unreachable Ukraine, maxLength 6 (whole component searched) in ${f(none.ms)}`,
);
const rdf = time(() => rdfExport(graph));
console.log(
  `built-in graph: RDF export built in ${f(rdf.ms)}: ${rdf.value.triples.length} triples, ` +
    `N-Triples ${(rdf.value.ntriples.length / 1024).toFixed(0)} KiB, JSON-LD ${(rdf.value.jsonld.length / 1024).toFixed(0)} KiB`,
);
console.log(
  `built-in graph: RDF export served again from the cache in ${f(time(() => rdfExport(graph), 1000).ms)}`,
);

const input = structuredClone(builtInDataset) as unknown as Record<string, unknown[]>;
for (let i = 0; i < 10_050; i++) {
  input.persons!.push({
    id: `person/p-${i}`,
    name: { text: `Person ${i}`, provenance: [{ editorial: "generated" }] },
    nationality: { ref: "state/kazakhstan", provenance: [{ editorial: "generated" }] },
    provenance: [{ editorial: "generated" }],
  });
}
const big = time(() =>
  buildGraph(input, { dir: builtInDatasetDir, fileOf: (c) => `data/${c}.ts` }),
);
console.log(`synthetic graph (+10,050 persons): validated and indexed in ${f(big.ms)}`);
const over = time(() => {
  try {
    big.value.paths.shortest("p-0", "ukraine", 6);
    return "no error";
  } catch (error) {
    return error instanceof PathBudgetError ? "PathBudgetError" : String(error);
  }
}, 100);
console.log(
  `synthetic graph: a search stopped by the bound of ${MAX_PATH_VISITS} entities gives ${over.value} after ${f(over.ms)}`,
);
const near = time(() => big.value.paths.shortest("p-0", "p-9999", 2), 100);
console.log(`synthetic graph: p-0 → p-9999 (2 hops through Kazakhstan) in ${f(near.ms)}`);
