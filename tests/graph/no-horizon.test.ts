/**
 * A graph built without a source (by hand: a dataset needs one, the validator says so) has no
 * horizon (`graph.horizon` is ""): nothing says how long an open end lasted, so no open end is
 * certain, and every question of certainty is still answered. `coverage(..., graph.horizon)`
 * threw `"" is not a valid EDTF date` there, where the graph's own indexes (tenure spans, events,
 * names) answered MAYBE.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { builtInDataset } from "../../data/index.js";
import { builtInDatasetDir, loadBuiltInGraph } from "../../data/load.js";
import { participatingOn, periodCertainty, tenureCertainty } from "../../src/graph/asof.js";
import { coverage, parsePartialDate } from "../../src/graph/dates.js";
import { KnowledgeGraph } from "../../src/graph/graph.js";
import { validateDataset } from "../../src/graph/validate.js";

let withSource: KnowledgeGraph;
let sourceless: KnowledgeGraph;
beforeAll(async () => {
  withSource = await loadBuiltInGraph();
  // the built-in dataset, validated, then its sources dropped
  const { dataset, texts } = validateDataset(structuredClone(builtInDataset) as never, {
    fileOf: (collection) => collection,
    readSource: (file) => readFileSync(join(builtInDatasetDir, file), "utf8"),
  });
  sourceless = new KnowledgeGraph({ ...dataset, sources: [] }, texts);
});

// the source's horizon is 2016-03-18 (its last update): an open end is certain up to it
const DATES = ["1991-12-16", "1992", "2010-06-01", "2016-02-09", "2016-03-01", "2020-01-01"];
const SZABO = "tenure/gyorgy-szabo-head-of-programme-office";

describe("a graph without a source", () => {
  it("has no horizon, and no open end is certain against it", () => {
    expect(withSource.horizon).not.toBe("");
    expect(sourceless.horizon).toBe("");
    const open = parsePartialDate("2016-02-09/..");
    const at = parsePartialDate("2016-03-01");
    expect(withSource.horizon).toBe("2016-03-18");
    expect(coverage(open, at, withSource.horizon)).toBe("YES");
    expect(coverage(open, at, sourceless.horizon)).toBe("MAYBE");
    // what is known stays certain: a closed period, and the open one's own past
    expect(coverage(parsePartialDate("2010/2012"), parsePartialDate("2011"), "")).toBe("YES");
    expect(coverage(open, parsePartialDate("2015"), "")).toBe("NO");
  });

  it("answers how certainly each tenure held, an open one never YES", () => {
    const szabo = sourceless.get("tenure", SZABO)!;
    expect(szabo.when.edtf).toBe("2016-02-09/..");
    expect(sourceless.certainty(szabo.when, parsePartialDate("2016-03-01"))).toBe("MAYBE");
    expect(withSource.certainty(szabo.when, parsePartialDate("2016-03-01"))).toBe("YES");
    // every tenure on each date, by its date (coverage) and by the tenure index: never more
    // certain than against the source's horizon, and as certain where no open end is asked
    for (const date of DATES) {
      const at = parsePartialDate(date);
      for (const tenure of sourceless.lists.tenure) {
        const where = `${tenure.id} on ${date}`;
        const same = withSource.get("tenure", tenure.id)!;
        for (const [here, there] of [
          [sourceless.certainty(tenure.when, at), withSource.certainty(same.when, at)],
          [tenureCertainty(sourceless, tenure, at), tenureCertainty(withSource, same, at)],
        ]) {
          if (here === "YES") expect(there, where).toBe("YES");
          if (tenure.when.edtf.endsWith("..")) expect(here, where).not.toBe("YES");
          else expect(here, where).toBe(there);
        }
      }
    }
  });

  it("answers a fact without a date and a state's participation", () => {
    const at = parsePartialDate("2010");
    expect(periodCertainty(sourceless, undefined, at)).toBe("MAYBE");
    expect(participatingOn(withSource, "state/kazakhstan", at)?.certainty).toBe("YES");
    expect(participatingOn(sourceless, "state/kazakhstan", at)?.certainty).toBe("MAYBE");
    expect(
      participatingOn(sourceless, "state/kazakhstan", parsePartialDate("1980"))?.certainty,
    ).toBe("NO");
  });
});
