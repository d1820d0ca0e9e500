/**
 * The date of a search hit (src/graph/summary.ts hitDated): an office found by the document's
 * spelling of a name is dated by the name it spells, where one name is nearer it than any other
 * (the honest54 audit, F2; review 54, L4).
 */
import { describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { hitDated } from "../../src/graph/summary.js";
import { buildLikeBuiltIn, cloneBuiltIn } from "../fixtures/datasets.js";

const FIELD_OFFICE = "office/osce-field-office-kazakhstan";

describe("hitDated", () => {
  it("dates a document spelling by the name it spells, and a history name by its own period", async () => {
    const graph = await loadBuiltInGraph();
    expect(hitDated(graph, FIELD_OFFICE, "OSCE Center in Almaty")?.edtf).toBe("1999/2007-06-21");
    expect(hitDated(graph, FIELD_OFFICE, "OSCE Programmme Office in Astana")?.edtf).toBe(
      "2014-12-18/..",
    );
    expect(hitDated(graph, FIELD_OFFICE, "OSCE Centre in Astana")?.edtf).toBe(
      "2007-06-21/2014-12-18",
    );
    // a text that is no spelling of the office's
    expect(hitDated(graph, FIELD_OFFICE, "OSCE Centre in Almaty!")).toBeUndefined();
  });

  it("gives no date where the spelling is as near two names (an office renamed back)", () => {
    const dataset = cloneBuiltIn();
    const office = dataset.offices.find((o: { id: string }) => o.id === FIELD_OFFICE);
    const [almaty, , programme] = office.nameHistory;
    programme.when = { ...programme.when, edtf: "2014-12-18/2019" };
    delete programme.when.assumed;
    office.nameHistory.push({
      ...almaty,
      when: { ...almaty.when, edtf: "2020/.." },
      decidedBy: undefined,
      change: { kind: "RENAMING", provenance: almaty.provenance },
    });
    delete office.nameHistory.at(-1).when.assumed;
    const graph = buildLikeBuiltIn(dataset);
    expect(hitDated(graph, FIELD_OFFICE, "OSCE Center in Almaty")).toBeUndefined();
  });
});
