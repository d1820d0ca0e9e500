/**
 * The explorer words a priority from its kind, as the API's search summary does (audit finding
 * 11): Path to Europe is a State programme the document records as completed in December 2011,
 * not one of the 2016 text's priorities. The explorer's model (web/src/model.ts) is run in Node
 * against a real server, its fetch sent to 127.0.0.1: no browser needed.
 */
import { describe, expect, it } from "vitest";
import { request } from "../../web/src/api.js";
import { SearchDocument } from "../../web/src/documents.js";
import { hitSummary, loadEntity } from "../../web/src/model.js";
import { explorerModelAgainstServer } from "./model-in-node.js";

explorerModelAgainstServer();

describe("the explorer's words for a priority", () => {
  it("says a State programme in the line under a search hit, with the end of its period", async () => {
    const { search } = await request(SearchDocument, { query: "Path to Europe" });
    const hit = search.nodes.find((n) => n.entity.key === "priority/path-to-europe");
    expect(hitSummary(hit!.entity)).toEqual({
      description: "State programme of Kazakhstan",
      dates: "until December 2011",
    });
    const { search: heritage } = await request(SearchDocument, {
      query: "heritage of the OSCE Astana Summit",
    });
    const priority = heritage.nodes.find(
      (n) => n.entity.key === "priority/heritage-of-the-astana-summit",
    );
    // the keynote of Kazakhstan's activities, as the source calls it, as of its last update
    expect(hitSummary(priority!.entity)).toEqual({
      description: "Keynote priority of Kazakhstan",
      dates: "as of March 18, 2016",
    });
    const { search: aral } = await request(SearchDocument, { query: "Aral Sea" });
    const other = aral.nodes.find((n) => n.entity.key === "priority/aral-sea");
    expect(hitSummary(other!.entity)).toEqual({
      description: "Priority of Kazakhstan, Economic and environmental dimension",
      dates: "as of March 18, 2016",
    });
  });

  it("says a State programme at a glance on its page, with its kind and period among the facts", async () => {
    const view = await loadEntity("priority", "path-to-europe");
    expect(view!.glance.map((g) => g.label)).toContain("State programme of");
    expect(view!.glance.map((g) => g.label)).not.toContain("Priority of");
    const fact = (label: string) => view!.facts.find((f) => f.label === label)?.value;
    expect(fact("Kind")).toEqual({ type: "text", text: "State programme" });
    expect(fact("Period")).toMatchObject({ type: "date", when: { edtf: "/2011-12" } });
  });
});
