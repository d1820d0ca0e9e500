/** The succession relation between offices: validation rules and the index built at load. */
import { describe, expect, it } from "vitest";
import { formatProblem } from "../../src/graph/validate.js";
import {
  buildLikeBuiltIn,
  cloneBuiltIn,
  errorAfter,
  type LooseDataset,
} from "../fixtures/datasets.js";

const ODIHR = "office/odihr";
const HCNM = "office/hcnm";
const RFOM = "office/representative-on-freedom-of-the-media";
const RENAMING_2007 = "event/2007-06-21-permanent-council-renaming";
const note = [{ editorial: "test" }];

function office(d: LooseDataset, id: string): Record<string, any> {
  const found = d.offices.find((o: { id: string }) => o.id === id);
  if (!found) throw new Error(`fixture: no ${id}`);
  return found;
}
const succeeds = (d: LooseDataset, successor: string, ...predecessors: string[]) => {
  office(d, successor).predecessors = predecessors.map((ref) => ({
    ref,
    kind: "MERGER",
    provenance: note,
  }));
};

describe("validation of successions", () => {
  it("refuses an office that succeeds itself", () => {
    const error = errorAfter((d) => succeeds(d, ODIHR, ODIHR));
    expect(error.problems).toEqual([
      {
        file: "data/offices.ts",
        entity: ODIHR,
        path: "predecessors[0].ref",
        message: "an office cannot succeed itself",
      },
    ]);
  });

  it("refuses the same predecessor listed twice, pointing at the first", () => {
    const error = errorAfter((d) => succeeds(d, ODIHR, HCNM, HCNM));
    expect(error.problems).toEqual([
      {
        file: "data/offices.ts",
        entity: ODIHR,
        path: "predecessors[1].ref",
        message: `${HCNM} is already a predecessor (predecessors[0])`,
      },
    ]);
  });

  it("refuses a cycle of two offices, reported once, naming the chain", () => {
    const error = errorAfter((d) => {
      succeeds(d, ODIHR, HCNM);
      succeeds(d, HCNM, ODIHR);
    });
    expect(error.problems.map(formatProblem)).toEqual([
      `data/offices.ts: ${ODIHR}.predecessors[0].ref: succession cycle: ${HCNM} succeeded ${ODIHR} succeeded ${HCNM} (an office cannot be its own predecessor, even indirectly)`,
    ]);
  });

  it("refuses a longer cycle, and accepts the same chain without its closing link", () => {
    const error = errorAfter((d) => {
      succeeds(d, ODIHR, HCNM);
      succeeds(d, HCNM, RFOM);
      succeeds(d, RFOM, ODIHR);
    });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.message).toMatch(
      /^succession cycle: (office\/\S+ succeeded ){3}office\/\S+ \(/,
    );

    const chain = cloneBuiltIn();
    succeeds(chain, ODIHR, HCNM);
    succeeds(chain, HCNM, RFOM);
    const graph = buildLikeBuiltIn(chain);
    expect(graph.lineage.withPredecessors(ODIHR)).toEqual([ODIHR, HCNM, RFOM]);
    expect(
      graph.lineage.transitive(RFOM, "SUCCESSORS").map((l) => `${l.predecessor}>${l.successor}`),
    ).toEqual([`${RFOM}>${HCNM}`, `${HCNM}>${ODIHR}`]);
  });

  it("reports a predecessor that does not exist with a suggestion", () => {
    const error = errorAfter((d) => succeeds(d, ODIHR, "office/hcmn"));
    expect(error.problems).toEqual([
      {
        file: "data/offices.ts",
        entity: ODIHR,
        path: "predecessors[0].ref",
        message: 'unknown office "office/hcmn" (did you mean office/hcnm?)',
      },
    ]);
  });

  it("refuses a predecessor that is not an office", () => {
    const error = errorAfter((d) => succeeds(d, ODIHR, "state/kazakhstan"));
    expect(error.problems).toEqual([
      {
        file: "data/offices.ts",
        entity: ODIHR,
        path: "predecessors[0].ref",
        message: 'must be an id of the form "office/lowercase-slug"',
      },
    ]);
  });

  it("refuses a deciding event that names neither office among its participants", () => {
    const error = errorAfter((d) => {
      office(d, ODIHR).predecessors = [
        { ref: HCNM, kind: "MERGER", decidedBy: RENAMING_2007, provenance: note },
      ];
    });
    expect(error.problems).toEqual([
      {
        file: "data/offices.ts",
        entity: ODIHR,
        path: "predecessors[0].decidedBy",
        message: `${RENAMING_2007} names neither ${ODIHR} nor ${HCNM} among its participants`,
      },
    ]);
  });

  it("refuses a succession kind it does not know, and a name change that merges or splits", () => {
    const error = errorAfter((d) => {
      office(d, ODIHR).predecessors = [{ ref: HCNM, kind: "ABSORPTION", provenance: note }];
      office(d, "office/osce-field-office-kazakhstan").nameHistory[1].change.kind = "MERGER";
    });
    expect(error.problems.map((p) => `${p.entity}.${p.path}`)).toEqual([
      "office/osce-field-office-kazakhstan.nameHistory[1].change.kind",
      `${ODIHR}.predecessors[0].kind`,
    ]);
    expect(error.problems.every((p) => p.message.startsWith("Invalid option"))).toBe(true);
  });

  it("requires provenance for a succession and for a name change", () => {
    const error = errorAfter((d) => {
      office(d, ODIHR).predecessors = [{ ref: HCNM, kind: "MERGER" }];
      delete office(d, "office/osce-field-office-kazakhstan").nameHistory[2].change.provenance;
    });
    expect(error.problems.map((p) => `${p.entity}.${p.path}: ${p.message}`)).toEqual([
      "office/osce-field-office-kazakhstan.nameHistory[2].change.provenance: provenance is required: at least one quote or editorial note",
      `${ODIHR}.predecessors[0].provenance: provenance is required: at least one quote or editorial note`,
    ]);
  });
});
