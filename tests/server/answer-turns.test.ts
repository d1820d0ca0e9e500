/**
 * A request's answer is written within its own turn of the event loop: the process's scheduler
 * (src/graph/scheduler.ts) counts the request as executing until its answer's JSON is made, so
 * that the next request waiting is let run only after it, in what is left of the turn. Finished as
 * soon as execution was over, several answers were written in one turn: four pages of source
 * texts (9 MB each) at 100,000 entities held /health 100 ms, where one holds it 50.
 *
 * Each server here has a slice length of its own, so a scheduler of its own (one per length).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { sliceScheduler } from "../../src/graph/scheduler.js";
import { SearchIndex } from "../../src/graph/search.js";
import { createApp } from "../../src/server/app.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { directPipelineOf } from "../../src/server/direct.js";
import { startServer } from "../support/server.js";

const graph = await loadBuiltInGraph();
const search = SearchIndex.build(graph);
const QUERY = "{ persons(first: 3) { nodes { key name } } }";

/** The settings of a server whose scheduler is its own: slices of `sliceMs`. */
const withSlice = (sliceMs: number) => ({
  ...DEFAULT_CONFIG,
  limits: { ...DEFAULT_CONFIG.limits, executionSliceMs: sliceMs },
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("an answer is written before the request's execution counts as finished", () => {
  it("through the direct pipeline: the answer is delivered while the request still executes", async () => {
    const settings = withSlice(37);
    const scheduler = sliceScheduler(37);
    const app = createApp(graph, {
      ...settings,
      logLevel: "silent",
      responseCache: false,
      warmQueries: false,
    });
    const pipeline = directPipelineOf(app.yoga, settings, () => ({ graph, search }));
    let executingWhenDelivered: number | undefined;
    const sent = await pipeline.run({ query: QUERY }, (result) => {
      executingWhenDelivered = scheduler.active;
      return JSON.stringify(result);
    });
    app.pressure.close();
    expect(JSON.parse(sent!).data.persons.nodes).toHaveLength(3);
    expect(executingWhenDelivered).toBe(1);
    // and finished once it is
    expect(scheduler.active).toBe(0);
  });

  it("over HTTP, by the shortcut (POST) and by Yoga (GET): its JSON is made while the request still executes", async () => {
    const scheduler = sliceScheduler(41);
    const server = await startServer(graph, { ...withSlice(41), responseCache: false });
    try {
      const executing: number[] = [];
      const stringify = JSON.stringify;
      vi.spyOn(JSON, "stringify").mockImplementation(function (this: unknown, ...args) {
        const [value] = args as [{ data?: { persons?: unknown } } | undefined];
        if (value?.data?.persons !== undefined) executing.push(scheduler.active);
        return stringify.apply(this, args as Parameters<typeof JSON.stringify>);
      });
      const posted = await fetch(server.graphql, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: QUERY }),
      });
      expect(posted.status).toBe(200);
      const got = await fetch(`${server.graphql}?query=${encodeURIComponent(QUERY)}`, {
        headers: { accept: "application/json" },
      });
      expect(got.status).toBe(200);
      expect(
        ((await got.json()) as { data: { persons: { nodes: unknown[] } } }).data.persons.nodes,
      ).toHaveLength(3);
      await posted.text();
      // one answer each way, each made while its request counted as executing
      expect(executing).toEqual([1, 1]);
      // and each finished after it
      await new Promise((resolve) => setImmediate(resolve));
      expect(scheduler.active).toBe(0);
    } finally {
      await server.close();
    }
  });
});
