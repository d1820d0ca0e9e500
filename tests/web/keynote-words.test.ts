/**
 * The explorer's words for a keynote come from the dataset, not from the built-in one (review
 * 16c, finding 3): its kind's word, and the years it is for only where its sentence names them.
 * The built-in dataset served with its keynote made a State programme whose keynote rests on an
 * editorial note alone (as the reviewer's synthetic dataset ds-two had it); the model is run in
 * Node against a real server (model-in-node.ts).
 */
import { describe, expect, it } from "vitest";
import { builtInDataset } from "../../data/index.js";
import { builtInDatasetDir } from "../../data/load.js";
import { buildGraph } from "../../src/graph/load.js";
import { request } from "../../web/src/api.js";
import { SearchDocument } from "../../web/src/documents.js";
import { hitSummary, loadEntity } from "../../web/src/model.js";
import { explorerModelAgainstServer } from "./model-in-node.js";

const KEYNOTE = "priority/heritage-of-the-astana-summit";

explorerModelAgainstServer(() => {
  const dataset = structuredClone(builtInDataset);
  const keynote = dataset.priorities.find((p) => p.id === KEYNOTE)!;
  keynote.kind = "STATE_PROGRAMME";
  keynote.keynote = { provenance: [{ editorial: "test: a keynote by an editorial note alone" }] };
  return buildGraph(dataset as unknown as Record<string, unknown>, {
    dir: builtInDatasetDir,
    fileOf: (collection) => collection,
  });
});

describe("the explorer's words for a keynote of another dataset", () => {
  it("names a State programme that is the keynote by its kind, in a search hit and at a glance", async () => {
    const { search } = await request(SearchDocument, {
      query: "heritage of the OSCE Astana Summit",
    });
    const hit = search.nodes.find((n) => n.entity.key === KEYNOTE);
    expect(hitSummary(hit!.entity).description).toBe("Keynote state programme of Kazakhstan");
    const view = await loadEntity("priority", "heritage-of-the-astana-summit");
    expect(view!.glance[0]!.label).toBe("Keynote state programme of");
  });

  it("quotes the years a keynote is for only where its sentence says them", async () => {
    const view = await loadEntity("priority", "heritage-of-the-astana-summit");
    expect(view!.facts.find((f) => f.label === "Keynote")!.value).toEqual({
      type: "text",
      text: "Yes: the keynote of Kazakhstan's activities within the OSCE",
    });
    // stated on the source's last update, for no years it names
    expect(view!.glance[0]!.parts[0]!.stated).toMatchObject({
      date: { edtf: "2016-03-18" },
      span: null,
    });
    const state = await loadEntity("state", "kazakhstan");
    const line = state!.glance.find((g) => g.label === "Keynote of its activities in the OSCE");
    expect(line!.parts[0]).toMatchObject({ stated: { span: null } });
    expect(line!.parts[0]!.asOf).toBeUndefined();
  });
});
