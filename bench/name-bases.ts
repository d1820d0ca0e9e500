/**
 * `npx tsx bench/name-bases.ts`: what the certainty bases of an office's names cost for one date,
 * in one turn, for an office of 3 to 200 names each bound by editorial notes
 * (tests/support/many-names.ts): `officeNameCertaintyBases` (`nameHistory(asOf:)`/`namesOn` with
 * `certaintyBasis`) and `nameThenBasis` (NameThen.certaintyBasis: the timeline's
 * subjectNameThen, a participant's nameThen, path hops), at a day (the basis SOURCE) and at a
 * month (EDITORIAL: the day of each renaming is an editorial bound), with the bounds as the
 * document gives them and open (no `documentAlone`: every name may then reach every date).
 * Median of 5 runs, after one to warm up, ms. Red team 53 (F1) found nameThenBasis at 200 names
 * 350-750 ms at a month's date.
 */
import { nameThenBasis, officeNameCertaintyBases } from "../src/graph/asof.js";
import { parsePartialDate } from "../src/graph/dates.js";
import { graphWithManyNames, MANY_NAMES_OFFICE } from "../tests/support/many-names.js";

const median = (f: () => void) => {
  f();
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    f();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[2]!.toFixed(2);
};

for (const open of [false, true]) {
  for (const count of [3, 10, 30, 60, 100, 200]) {
    const graph = graphWithManyNames(count, open);
    const office = graph.get("office", MANY_NAMES_OFFICE)!;
    const year = 1900 + Math.floor(count / 2);
    for (const day of [`${year}-06-15`, `${year}-03`]) {
      const at = parsePartialDate(day);
      console.log(
        `${String(count).padStart(3)} names${open ? ", open bounds" : ""}, at ${day.padEnd(10)}: officeNameCertaintyBases ${median(() => officeNameCertaintyBases(graph, office, at))} ms, nameThenBasis ${median(() => nameThenBasis(graph, office, at))} ms (${nameThenBasis(graph, office, at).basis})`,
      );
    }
  }
}
