/**
 * The explorer words a change of name as the source does, as the API's timeline does (audit
 * finding 10): the 2007 decision renamed the field office, the 2014 decision transformed it. The
 * entity page's model (web/src/model.ts) is run in Node against a real server, its fetch sent to
 * 127.0.0.1: no browser needed.
 */
import { describe, expect, it } from "vitest";
import { loadEntity, neighbourhood } from "../../web/src/model.js";
import { explorerModelAgainstServer } from "./model-in-node.js";

explorerModelAgainstServer();

describe("the explorer's words for a change of name", () => {
  it("labels the edge to each deciding event by the change's kind in the office's graph", async () => {
    const view = await loadEntity("office", "osce-field-office-kazakhstan");
    expect(view).not.toBeNull();
    const { edges } = neighbourhood(view!);
    // an edge joins its labels: the office also took part in each decision, as its subject
    const labelsTo = (key: string) => edges.find((e) => e.to === key)?.label.split(", ");
    expect(labelsTo("event/2007-06-21-permanent-council-renaming")).toContain("renamed by");
    const transformation = labelsTo("event/2014-12-18-permanent-council-transformation");
    expect(transformation).toContain("transformed by");
    expect(transformation).not.toContain("renamed by");
  });
});
