/**
 * `npx tsx bench/name-bases.ts`: what the certainty bases of an office's names cost for one
 * date (asof.ts officeNameCertaintyBases: `nameHistory(asOf:)`/`namesOn` with `certaintyBasis`),
 * in one turn, for an office of 3 to 100 names each bound by editorial notes
 * (tests/support/many-names.ts). Median of 5 runs, after one to warm up, ms.
 */
import { officeNameCertaintyBases } from "../src/graph/asof.js";
import { parsePartialDate } from "../src/graph/dates.js";
import { graphWithManyNames, MANY_NAMES_OFFICE } from "../tests/support/many-names.js";

for (const count of [3, 10, 30, 60, 100]) {
  const graph = graphWithManyNames(count);
  const office = graph.get("office", MANY_NAMES_OFFICE)!;
  const at = parsePartialDate(`${1900 + Math.floor(count / 2)}-06-15`);
  officeNameCertaintyBases(graph, office, at);
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    officeNameCertaintyBases(graph, office, at);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${String(count).padStart(3)} names: ${times[2]!.toFixed(2)} ms (runs ${times.map((t) => t.toFixed(2)).join(", ")})`,
  );
}
