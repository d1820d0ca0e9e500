/**
 * The explorer says at a glance which date the editors give, not the document (the honest54
 * audit, F6): the field office's glance read "Seat: Astana (since 2007-06-21)", a move the
 * editors date like the renaming (line 12, "June 21, 2007 - Decision of the Permanent Council on
 * renaming of the OSCE Centre into the OSCE Centre in Astana."), where the document alone places
 * the office in Astana only by the decision of December 18, 2014 (line 28, "... the OSCE Centre in
 * Astana ..."). The entity page's model (web/src/model.ts) runs in Node against a real server,
 * and the glance's words are glanceDate's (web/src/timeaxis.ts), as entity.tsx renders them.
 */
import { describe, expect, it } from "vitest";
import { loadEntity } from "../../web/src/model.js";
import { glanceDate } from "../../web/src/timeaxis.js";
import { explorerModelAgainstServer } from "./model-in-node.js";

explorerModelAgainstServer();

/** Each glance line as the page reads it: label, then its parts' entities, words and dates. */
const glanceOf = async (kind: "office" | "place", key: string) => {
  const view = await loadEntity(kind, key);
  return Object.fromEntries(
    view!.glance.map((item) => [
      item.label,
      item.parts
        .map((part) =>
          [part.ref?.label, part.text, part.when ? glanceDate(part.when) : undefined]
            .filter(Boolean)
            .join(" "),
        )
        .join(" "),
    ]),
  );
};

describe("the explorer's glance at an editorially dated fact", () => {
  it("says the field office's seat in Astana is dated by the editors, and what the document alone gives", async () => {
    const glance = await glanceOf("office", "osce-field-office-kazakhstan");
    expect(glance.Seat).toBe(
      "Astana (since 2007-06-21, dated by the editors — the document alone: by 2014-12-18; still so at the source's last update)",
    );
    // "Since February 9, 2016": the document's own date, unmarked
    expect(glance["Headed by"]).toContain(
      "(Since February 9, 2016; still so at the source's last update)",
    );
    expect(glance["Headed by"]).not.toContain("editors");
  });
});
