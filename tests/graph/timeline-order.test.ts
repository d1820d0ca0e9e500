/**
 * Where the timeline puts the end of a period: on its last possible day, so that its order agrees
 * with coverage (the audit of 5 December, findings 5 and 13). Before, an end sorted by its first
 * possible day: the 2010 Chairmanship's end before the Summit of December 2010 it held.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { tenureCertainty } from "../../src/graph/asof.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { buildLikeBuiltIn, cloneBuiltIn } from "../fixtures/datasets.js";

const JARBUSSYNOVA = "tenure/madina-jarbussynova-special-representative";
const SZABO = "tenure/gyorgy-szabo-head-of-programme-office";

let builtIn: KnowledgeGraph;
let raised: KnowledgeGraph;
beforeAll(async () => {
  builtIn = await loadBuiltInGraph();
  // the audit's dataset for finding 13: an end ("2014") raised to its own start's day, no event
  // bounding it
  const dataset = cloneBuiltIn();
  const tenure = dataset.tenures.find((t: { id: string }) => t.id === JARBUSSYNOVA);
  tenure.when = { ...tenure.when, edtf: "2014-12-18/2014" };
  // and a start between that day and the end of the year, which the end may come before or after
  const szabo = dataset.tenures.find((t: { id: string }) => t.id === SZABO);
  szabo.when = { ...szabo.when, edtf: "2014-12-20/.." };
  raised = buildLikeBuiltIn(dataset);
});

/**
 * Every entry after a tenure's end at whose date the tenure is certainly held (YES): what an order
 * that disagrees with coverage shows.
 */
function heldAfterTheirEnd(graph: KnowledgeGraph): string[] {
  const entries = [...graph.timeline.entries];
  const found: string[] = [];
  entries.forEach((end, i) => {
    if (end.kind !== "TENURE_END") return;
    const tenure = graph.get("tenure", end.tenure!)!;
    for (const later of entries.slice(i + 1))
      if (tenureCertainty(graph, tenure, later.parsed) === "YES")
        found.push(`${later.id} after ${end.id}`);
  });
  return found;
}

describe("the end of a period in the timeline", () => {
  it("never comes before an entry on whose date the period certainly still ran", () => {
    expect(heldAfterTheirEnd(builtIn)).toEqual([]);
    expect(heldAfterTheirEnd(raised)).toEqual([]);
  });

  it("puts the 2010 Chairmanship's end after the July and December 2010 events it held", () => {
    const of2010 = [...builtIn.timeline.entries]
      .filter((e) => e.parsed.earliest!.startsWith("2010"))
      .map((e) => e.id);
    expect(of2010).toEqual([
      "event/2010-kazakhstan-osce-chairmanship",
      "tenure/kazakhstan-osce-chairmanship-2010#start",
      "event/2010-07-informal-ministerial-council-in-almaty",
      "event/2010-12-astana-osce-summit",
      "tenure/nursultan-nazarbayev-president-at-astana-summit#attested",
      "tenure/kazakhstan-osce-chairmanship-2010#end",
    ]);
  });

  it("puts an end raised only to its start's day on its last possible day, not as if an event bounded it", () => {
    // "2014-12-18/2014": started on December 18, ended some day from then to December 31. As an
    // event-bounded date it came right after every entry of December 18, before a start of
    // December 20, as if that day's decision placed it; on its last possible day it follows every
    // entry of the days it may fall on, as the 2010 Chairmanship's end does
    const december = [...raised.timeline.entries]
      .filter((e) => e.parsed.earliest!.startsWith("2014-12"))
      .map((e) => `${e.kind} ${e.id}`);
    expect(december).toEqual([
      "EVENT event/2014-12-18-permanent-council-transformation",
      "NAME_CHANGE office/osce-field-office-kazakhstan#name-2",
      `TENURE_START ${JARBUSSYNOVA}#start`,
      `TENURE_START ${SZABO}#start`,
      `TENURE_END ${JARBUSSYNOVA}#end`,
    ]);
    const end = [...raised.timeline.entries].find((e) => e.id === `${JARBUSSYNOVA}#end`)!;
    expect([end.parsed.earliest, end.parsed.latest]).toEqual(["2014-12-18", "2014-12-31"]);
  });
});
