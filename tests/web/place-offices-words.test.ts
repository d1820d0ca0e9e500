/**
 * The explorer names an office in a place by what it was called there, beside its name today
 * (the honest53 audit, F4; review 53b): the Almaty page listed the field office only as "OSCE
 * Programme Office in Astana", a name it took seven years after it left Almaty. The entity page's
 * model (web/src/model.ts) runs in Node against a real server: no browser needed.
 */
import { describe, expect, it } from "vitest";
import { loadEntity } from "../../web/src/model.js";
import { explorerModelAgainstServer } from "./model-in-node.js";

explorerModelAgainstServer();

describe("the explorer's offices of a place", () => {
  const officesOf = async (place: string) => {
    const view = await loadEntity("place", place);
    const group = view!.groups.find((g) => g.id === "offices")!;
    return group.items.map((item) => [item.ref?.label, item.detail]);
  };

  it("says what the field office was called in Almaty, and nothing more where its name is today's", async () => {
    expect(await officesOf("almaty")).toContainEqual([
      "OSCE Programme Office in Astana",
      "here as OSCE Centre in Almaty (and maybe another name)",
    ]);
    const astana = await officesOf("astana");
    expect(astana).toContainEqual(["OSCE Programme Office in Astana", undefined]);
  });

  it("says so at a glance too, where the page is read first (the honest54 audit, F7)", async () => {
    const glanceOf = async (place: string) => {
      const view = await loadEntity("place", place);
      const line = view!.glance.find((g) => g.label === "Offices located here")!;
      return line.parts.map((part) => [part.ref?.label, part.text]);
    };
    expect(await glanceOf("almaty")).toContainEqual([
      "OSCE Programme Office in Astana",
      ", here as OSCE Centre in Almaty (and maybe another name)",
    ]);
    expect(await glanceOf("astana")).toContainEqual(["OSCE Programme Office in Astana", undefined]);
  });
});
