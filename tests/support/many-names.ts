/**
 * The built-in graph with one office (ODIHR) given a history of `count` names, one a year from
 * 1900, each bound by editorial notes on the day it took effect (the document alone giving only
 * the year), as the decision-day rule bounds the field office's renamings: what certainty bases
 * cost, and answer, for an office of many names (tests/graph/certainty-basis.test.ts,
 * bench/name-bases.ts).
 */
import { builtInDataset } from "../../data/index.js";
import { builtInDatasetDir } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { buildGraph } from "../../src/graph/load.js";
import type { Dataset, Office } from "../../src/graph/model.js";

const TOOK_EFFECT = {
  editorial: "Each of these renamings took effect on the day of its decision (a graph for tests).",
};

export const MANY_NAMES_OFFICE = "office/odihr";

/**
 * `open`: the bounds are the document's none (no `documentAlone`: it gives no day at all), so that
 * put back, every name's period reaches every date.
 */
export function graphWithManyNames(count: number, open = false): KnowledgeGraph {
  const data = structuredClone(builtInDataset) as Dataset;
  const office = data.offices.find((o) => o.id === MANY_NAMES_OFFICE) as Office;
  const last = count - 1;
  const bound = (documentAlone: string) =>
    open ? { note: TOOK_EFFECT } : { note: TOOK_EFFECT, documentAlone };
  office.nameHistory = Array.from({ length: count }, (_, k) => ({
    text: k === last ? office.name.text : `${office.name.text} (${k + 1})`,
    when: {
      edtf: k === last ? `${1900 + k}-06-15/..` : `${1900 + k}-06-15/${1901 + k}-06-15`,
      assumed: {
        ...(k > 0 && {
          earliestStart: bound(`${1900 + k}-01-01`),
          latestStart: bound(`${1900 + k}-12-31`),
        }),
        ...(k < last && {
          earliestEnd: bound(`${1901 + k}-01-01`),
          latestEnd: bound(`${1901 + k}-12-31`),
        }),
      },
      provenance: [TOOK_EFFECT],
    },
    ...(k > 0 && { change: { kind: "RENAMING" as const, provenance: [TOOK_EFFECT] } }),
    provenance: [TOOK_EFFECT],
  }));
  return buildGraph(data, { dir: builtInDatasetDir, fileOf: (collection) => collection });
}
