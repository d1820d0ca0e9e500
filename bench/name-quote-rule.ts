/**
 * What the quote rule for names (src/graph/mentions.ts, unquotedNameProblems) adds to a load's
 * validation, beside the rule for links it sits next to: each run over a synthetic dataset's
 * collections as read from its NDJSON files, the median of five after one warm-up.
 *   npx tsx bench/name-quote-rule.ts [.cache/datasets/100000]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unquotedNameProblems, unstatedRelationProblems } from "../src/graph/mentions.js";
import { type CollectionName, collectionNames, type Dataset } from "../src/graph/model.js";

const dir = process.argv[2] ?? ".cache/datasets/100000";
const dataset = Object.fromEntries(
  collectionNames.map((name) => [
    name,
    readFileSync(join(dir, `${name}.ndjson`), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line)),
  ]),
) as unknown as Dataset;
const fileOf = (collection: CollectionName) => collection;
const entities = collectionNames.reduce((n, name) => n + dataset[name].length, 0);

function median(run: () => unknown): { ms: number; result: unknown } {
  let result = run();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    result = run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: times[2]!, result };
}

const names = median(() => unquotedNameProblems(dataset, fileOf));
const links = median(() => unstatedRelationProblems(dataset, fileOf));
console.log(`${dir}: ${entities} entities`);
console.log(
  `names rule: median ${names.ms.toFixed(1)} ms, ${(names.result as unknown[]).length} problems`,
);
console.log(
  `links rule: median ${links.ms.toFixed(1)} ms, ${(links.result as unknown[]).length} problems`,
);
