/**
 * The explorer dates no office's dimension as the source's statement (the honest54 audit, F11):
 * the human dimension's glance read "OSCE Programme Office in Astana (as of 2016-03-18)" beside
 * ODIHR's and the RFoM's undated links, although the source states only the cooperation's
 * dimensions ("Cooperation is held in all three dimensions of the Organization"), and the field
 * office's is the editors' reading. The page follows the API's `statedAsOf`, now null for it.
 * The entity page's model (web/src/model.ts) runs in Node against a real server.
 */
import { describe, expect, it } from "vitest";
import { loadEntity } from "../../web/src/model.js";
import { explorerModelAgainstServer } from "./model-in-node.js";

explorerModelAgainstServer();

describe("the explorer's offices of a dimension", () => {
  it("gives the field office in the human dimension at a glance with no 'as of'", async () => {
    const view = await loadEntity("dimension", "human");
    const line = view!.glance.find((g) => g.label === "Offices working in it")!;
    const field = line.parts.find(
      (part) => part.ref?.key === "office/osce-field-office-kazakhstan",
    );
    expect(field).toBeDefined();
    expect(field!.asOf ?? null).toBeNull();
    expect(line.asOf).toBeUndefined();
    const listed = view!.groups.find((g) => g.id === "offices")!.items;
    expect(listed.every((item) => !item.asOf)).toBe(true);
  });

  it("lists the field office's three dimensions with their note, and with no 'as of'", async () => {
    const view = await loadEntity("office", "osce-field-office-kazakhstan");
    const dimensions = view!.groups.find((g) => g.id === "dimensions")!.items;
    expect(dimensions).toHaveLength(3);
    for (const item of dimensions) {
      expect(item.asOf ?? null, item.ref?.key).toBeNull();
      expect(item.provenance?.some((p) => p.__typename === "EditorialNote")).toBe(true);
    }
  });
});
