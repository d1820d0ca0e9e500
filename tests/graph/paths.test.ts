/** The path index of the built-in graph: which relations become edges, and the bounds of a search. */
import { beforeAll, describe, expect, it } from "vitest";
import { builtInDataset } from "../../data/index.js";
import { loadBuiltInGraph } from "../../data/load.js";
import { KnowledgeGraph } from "../../src/graph/graph.js";
import type { Dataset } from "../../src/graph/model.js";
import {
  MAX_PATH_VISITS,
  PathBudgetError,
  PathIndex,
  PathInputError,
} from "../../src/graph/paths.js";
import { buildLikeBuiltIn, cloneBuiltIn } from "../fixtures/datasets.js";

let graph: KnowledgeGraph;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
});

describe("the path index", () => {
  it("makes an edge of every relation of the model", () => {
    const relations = new Set<string>();
    for (const list of Object.values(builtInDataset))
      for (const e of list)
        for (const n of graph.paths.neighbours(e.id)) relations.add(n.edge.relation);
    expect([...relations].sort()).toEqual([
      "Event.participants",
      "Event.place",
      "Office.dimensions",
      "Office.locations",
      "Office.partOf",
      "Office.state",
      "OfficeName.decidedBy",
      "Participant.capacity",
      "Person.nationality",
      "Place.state",
      "Post.office",
      "Post.state",
      "Priority.concerns",
      "Priority.dimension",
      "Priority.state",
      "State.cooperatesWith",
      "Tenure.holder",
      "Tenure.post",
    ]); // Office.predecessors and Succession.decidedBy: see the lineage dataset in tests/api/path.test.ts
  });

  it("follows partOf both ways: the field office up to the OSCE, the OSCE down to its parts", () => {
    const up = graph.paths.shortest("office/osce-field-office-kazakhstan", "office/osce", 1)!;
    expect(
      up.hops.map((h) => [h.edge.relation, h.direction, h.edge.subject, h.edge.object]),
    ).toEqual([["Office.partOf", "FORWARD", "office/osce-field-office-kazakhstan", "office/osce"]]);
    expect(up.hops[0]!.edge.provenance).toEqual(
      graph.get("office", "office/osce-field-office-kazakhstan")!.partOf!.provenance,
    );
    const parts = graph.paths
      .neighbours("office/osce")
      .filter((n) => n.edge.relation === "Office.partOf");
    expect(parts.every((n) => n.direction === "BACKWARD")).toBe(true);
    expect(parts.map((n) => n.key).sort()).toEqual(
      graph.officesByWhole.get("office/osce").slice().sort(),
    );
  });

  it("tells apart labels past the first 256 (the relations after Office.partOf, FORWARD)", () => {
    // Tenure.post FORWARD is label (18 × 2 + 1) × 7 = 259: in one byte it would read as another relation
    const tenure = "tenure/gyorgy-szabo-head-of-programme-office";
    const own = graph.paths.neighbours(tenure).filter((n) => n.direction === "FORWARD");
    expect(own.map((n) => [n.edge.relation, n.key]).sort()).toEqual([
      ["Tenure.holder", "person/gyorgy-szabo"],
      ["Tenure.post", "post/head-of-osce-field-office-kazakhstan"],
    ]);
  });

  it("orders an entity's neighbours by key, then relation, so that ties between equally short paths are always settled alike", () => {
    const keys = graph.paths.neighbours("state/kazakhstan").map((n) => n.key);
    expect(keys.length).toBeGreaterThan(10);
    expect(keys).toEqual([...keys].sort());
  });

  it("gives a path that starts where asked, ends where asked and whose hops join up", () => {
    const path = graph.paths.shortest("madina-jarbussynova", "place/vienna", 6)!;
    expect(path.hops[0]!.from).toBe("person/madina-jarbussynova");
    expect(path.hops.at(-1)!.to).toBe("place/vienna");
    path.hops.slice(1).forEach((hop, i) => expect(hop.from).toBe(path.hops[i]!.to));
    for (const hop of path.hops) {
      expect([hop.edge.subject, hop.edge.object].sort()).toEqual([hop.from, hop.to].sort());
      expect(hop.direction).toBe(hop.edge.subject === hop.from ? "FORWARD" : "BACKWARD");
      expect(hop.edge.provenance.length).toBeGreaterThan(0);
    }
  });

  it("stops with a PathBudgetError once the search reaches more entities than allowed", () => {
    expect(MAX_PATH_VISITS).toBe(10_000);
    // a state nothing links to: no path reaches it
    const dataset = cloneBuiltIn();
    dataset.states.push({
      id: "state/atlantis",
      name: { text: "Atlantis", provenance: [{ editorial: "test" }] },
      provenance: [{ editorial: "test" }],
    });
    const isolated = buildLikeBuiltIn(dataset);
    expect(() => isolated.paths.shortest("gyorgy-szabo", "state/atlantis", 6, 20)).toThrow(
      PathBudgetError,
    );
    expect(isolated.paths.shortest("gyorgy-szabo", "state/atlantis", 6)).toBeNull();
  });

  it("refuses a slug that several entities share, listing their keys", () => {
    // an office and its post share a slug
    expect([
      graph.get("office", "office/osce-chairmanship"),
      graph.get("post", "post/osce-chairmanship"),
    ]).not.toContain(undefined);
    const error = (() => {
      try {
        graph.paths.shortest("osce-chairmanship", "kazakhstan", 4);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PathInputError);
    expect((error as PathInputError).argument).toBe("from");
    expect((error as Error).message).toBe(
      'Argument "from": "osce-chairmanship" is the slug of several entities (office/osce-chairmanship, post/osce-chairmanship); give the full key.',
    );
  });
});

describe("repeated relations", () => {
  /** A dataset of one state cooperating with `n` offices, each stated twice, plus the offices. */
  function cooperating(n: number): Dataset {
    const prov = [{ editorial: "test" }];
    const offices = Array.from({ length: n }, (_, i) => ({
      id: `office/o-${i}`,
      name: { text: `O ${i}`, provenance: prov },
      aliases: [],
      provenance: prov,
      kind: "INSTITUTION",
      nameHistory: [],
      locations: [],
      dimensions: [],
      predecessors: [],
    }));
    const links = offices.flatMap((o) => [
      { ref: o.id, provenance: prov },
      { ref: o.id, provenance: [{ editorial: "again" }] },
    ]);
    const state = {
      id: "state/s",
      name: { text: "S", provenance: prov },
      aliases: [],
      provenance: prov,
      cooperatesWith: links,
    };
    return {
      sources: [],
      states: [state],
      places: [],
      dimensions: [],
      offices,
      persons: [],
      posts: [],
      tenures: [],
      events: [],
      priorities: [],
    } as unknown as Dataset;
  }

  it.each([3, 63, 64, 65, 200])(
    "keep one edge per relation between two entities, for an entity with %i of them",
    (n) => {
      const index = new PathIndex(new KnowledgeGraph(cooperating(n), new Map()));
      expect(index.edgeCount).toBe(n);
      expect(index.neighbours("state/s").map((x) => x.key)).toEqual(
        Array.from({ length: n }, (_, i) => `office/o-${i}`).sort(),
      );
      expect(index.neighbours("office/o-1")).toEqual([
        expect.objectContaining({ key: "state/s", direction: "BACKWARD" }),
      ]);
    },
  );
});
