/**
 * Imports run one way (docs/contributing.md, "Layers and imports"): model → graph core →
 * derived indexes → schema → server, with the built-in dataset (data/) chosen at the edge. Read
 * from the real files, so a circle or a wrong-way import fails here, naming the files.
 */
import { describe, expect, it } from "vitest";
import { circles, type ImportEdge, importGraph } from "../support/import-graph.js";
import { contentKey, remember, remembered } from "../support/remembered.js";

// the edges are a function of the files read (and of how they are read): remembered under a
// hash of them (tests/support/remembered.ts), so that an unchanged tree costs neither the
// TypeScript compiler's load nor its parse of every file (about 2 CPU-seconds)
const key = contentKey(
  [
    "tests/support/import-graph.ts",
    "tsconfig.json",
    "package.json",
    "node_modules/.package-lock.json",
  ],
  ["src", "data"],
  /./,
);
const edges = remembered<ImportEdge[]>("imports", key) ?? importGraph(["src", "data"]);
remember("imports", key, edges);

/** The files where the built-in dataset is chosen: the server's start. */
const EDGES_INTO_DATA = ["src/server/main.ts"];

describe("imports between the project's modules", () => {
  it("are read from the real files (the walker sees the imports it must judge)", () => {
    const has = (from: string, to: string, typeOnly: boolean) =>
      edges.some((e) => e.from === from && e.to === to && e.typeOnly === typeOnly);
    expect(has("src/graph/graph.ts", "src/graph/core.ts", false)).toBe(true);
    expect(has("src/graph/timeline.ts", "src/graph/core.ts", true)).toBe(true);
    expect(has("src/server/main.ts", "data/load.ts", false)).toBe(true); // a dynamic import()
    expect(has("data/fresh-import.ts", "data/index.ts", false)).toBe(true); // new URL(…, import.meta.url)
  });

  it("form no circle, not even through type-only imports", () => {
    expect(circles(edges).map((group) => group.join(" ↔ "))).toEqual([]);
  });

  it("from src/ never reach data/, except where the server starts", () => {
    const intoData = edges.filter((e) => e.from.startsWith("src/") && e.to.startsWith("data/"));
    expect(
      intoData.filter((e) => !EDGES_INTO_DATA.includes(e.from)).map((e) => `${e.from} → ${e.to}`),
    ).toEqual([]);
  });

  it("run down the layers: the graph knows no schema or server, the schema no server", () => {
    const wrongWay = edges.filter(
      (e) =>
        (e.from.startsWith("src/graph/") &&
          (e.to.startsWith("src/schema/") || e.to.startsWith("src/server/"))) ||
        (e.from.startsWith("src/schema/") && e.to.startsWith("src/server/")),
    );
    expect(wrongWay.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it("reach the several-processes mode (cluster.ts, with prom-client's aggregator) only from where the server starts", () => {
    // reload.ts imported it for one string (RELOAD_TIMED_OUT, now reload-codes.ts), which loaded
    // the cluster's code and its metrics aggregator in a single process too
    const intoCluster = edges.filter(
      (e) => e.to === "src/server/cluster.ts" && !e.typeOnly && e.from !== "src/server/main.ts",
    );
    expect(intoCluster.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it("keep the derived indexes off the composed graph: they import the core (core.ts), never graph.ts", () => {
    const derived = [
      "timeline",
      "paths",
      "shape",
      "lineage",
      "statistics",
      "asof",
      "filter",
      "keys",
    ].map((m) => `src/graph/${m}.ts`);
    const intoGraph = edges.filter(
      (e) => derived.includes(e.from) && e.to === "src/graph/graph.ts",
    );
    expect(intoGraph.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });
});

describe("the circle finder", () => {
  it("finds a circle of two files and one through a third, and ignores type-only imports when asked", () => {
    const found = circles([
      { from: "a.ts", to: "b.ts", typeOnly: false },
      { from: "b.ts", to: "a.ts", typeOnly: true },
      { from: "c.ts", to: "d.ts", typeOnly: false },
      { from: "d.ts", to: "e.ts", typeOnly: false },
      { from: "e.ts", to: "c.ts", typeOnly: false },
      { from: "e.ts", to: "f.ts", typeOnly: false },
    ]);
    expect(found).toEqual([
      ["a.ts", "b.ts"],
      ["c.ts", "d.ts", "e.ts"],
    ]);
    expect(
      circles(
        [
          { from: "a.ts", to: "b.ts", typeOnly: false },
          { from: "b.ts", to: "a.ts", typeOnly: true },
        ],
        { runtimeOnly: true },
      ),
    ).toEqual([]);
  });
});
