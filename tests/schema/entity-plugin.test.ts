/**
 * Keys returned for entity-typed fields become entities at once (src/schema/entity-plugin.ts),
 * not through a DataLoader's promise: what a DataLoader answered, and how it kept to the
 * request's deadline, is kept.
 */
import { execute, parse } from "graphql";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph, loadGraph } from "../../data/load.js";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import { Deadline } from "../../src/graph/deadline.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { schema } from "../../src/schema/index.js";

let graph: KnowledgeGraph;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
});

/** Runs `query` on the schema with this context (no server: the plugin is the schema's). */
async function run(query: string, context: Record<string, unknown>) {
  const result = await execute({ schema, document: parse(query), contextValue: context });
  return JSON.parse(JSON.stringify(result)) as {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path: (string | number)[]; extensions?: { code?: string } }[];
  };
}

/** The graph, but with these keys unknown to `get` (as a stale key in an unchecked graph would be). */
function withUnknown(...unknown: string[]): KnowledgeGraph {
  const broken = Object.create(graph) as KnowledgeGraph;
  Object.defineProperty(broken, "get", {
    value: (kind: never, key: string) => (unknown.includes(key) ? undefined : graph.get(kind, key)),
  });
  return broken;
}

const NATIONALITIES = `{ persons { nodes { key nationality { name } tenures { nodes { post { name } } } } } }`;

describe("entity-typed fields", () => {
  it("read each relation's entity at once, without a DataLoader's batch", async () => {
    const getMany = vi.spyOn(graph, "getMany");
    const get = vi.spyOn(graph, "get");
    try {
      const result = await run(NATIONALITIES, { graph });
      expect(result.errors).toBeUndefined();
      const persons = (result.data as { persons: { nodes: { nationality: { name: string } }[] } })
        .persons.nodes;
      expect(persons.map((p) => p.nationality?.name)).toEqual([
        "Hungary",
        "Kazakhstan",
        "Kazakhstan",
      ]);
      expect(getMany).not.toHaveBeenCalled();
      expect(get.mock.calls.map(([kind]) => kind)).toEqual(
        expect.arrayContaining(["person", "state", "tenure", "post"]),
      );
    } finally {
      getMany.mockRestore();
      get.mockRestore();
    }
  });

  it("answer an unknown key with NOT_FOUND at its field, the rest of the answer kept", async () => {
    const result = await run(NATIONALITIES, { graph: withUnknown("state/hungary") });
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: 'No state has the key "state/hungary".',
        path: ["persons", "nodes", 0, "nationality"],
        extensions: { code: "NOT_FOUND" },
      }),
    ]);
    const persons = (result.data as { persons: { nodes: { nationality: unknown }[] } }).persons
      .nodes;
    expect(persons[0]!.nationality).toBeNull();
    expect(persons[1]!.nationality).toEqual({ name: "Kazakhstan" });
  });

  it("answer an unknown key in a list with NOT_FOUND at its item", async () => {
    const tenure = graph.keys.tenure[1]!;
    const result = await run(`{ tenures(first: 3) { nodes { key } } }`, {
      graph: withUnknown(tenure),
    });
    // the items are non-null: the error nulls the page, as a DataLoader's did
    expect(result.data).toEqual({ tenures: null });
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: `No tenure has the key "${tenure}".`,
        path: ["tenures", "nodes", 1],
        extensions: { code: "NOT_FOUND" },
      }),
    ]);
  });

  it("leave no rejection unhandled when an unknown key fails a non-null list item beside pending ones", async () => {
    // tenure 0's holder (an interface field, read through loadEntity) fails on a later tick while
    // tenure 1 itself is unknown: an error given at once there made graphql-js abandon the list,
    // tenure 0's pending holder with it, and its rejection went unheard
    const [first, second] = graph.keys.tenure as [string, string];
    const holder = graph.get("tenure", first)!.holder;
    const unheard: unknown[] = [];
    const listen = (reason: unknown) => unheard.push(reason);
    process.on("unhandledRejection", listen);
    try {
      const result = await run(`{ tenures(first: 3) { nodes { key holder { __typename } } } }`, {
        graph: withUnknown(second, holder),
      });
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(unheard).toEqual([]);
      expect(result.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            message: `No tenure has the key "${second}".`,
            path: ["tenures", "nodes", 1],
            extensions: { code: "NOT_FOUND" },
          }),
        ]),
      );
    } finally {
      process.off("unhandledRejection", listen);
    }
  });

  it("read a long list within the request's slice of the event loop, the answer unchanged", async () => {
    const large = await loadGraph(generatedDataset(1000));
    const SLICE_MS = 10;
    // a clock that moves 1 ms at each read, read at every checkpoint: a slice is ~10 checkpoints
    let now = 0;
    const deadline = new Deadline(1e9, { now: () => now++, sliceMs: SLICE_MS, checkEvery: 1 });
    const readIn = new Map<number, number>();
    const read = large.get.bind(large);
    const get = vi.spyOn(large, "get").mockImplementation(((kind, key) => {
      if (kind === "tenure") readIn.set(deadline.yields, (readIn.get(deadline.yields) ?? 0) + 1);
      return read(kind, key);
    }) as typeof large.get);
    const query = `{ tenures(first: 100) { nodes { key } } }`;
    let sliced: Awaited<ReturnType<typeof run>>;
    try {
      sliced = await run(query, { graph: large, deadline });
    } finally {
      get.mockRestore();
    }
    expect(sliced.errors).toBeUndefined();
    expect(sliced).toEqual(await run(query, { graph: large }));
    const count = 100;
    expect(large.keys.tenure.length).toBeGreaterThanOrEqual(count);
    expect([...readIn.values()].reduce((a, b) => a + b, 0)).toBe(count);
    // without the list's checkpoints, all of them were read in the turn the page was ready in
    expect(Math.max(...readIn.values())).toBeLessThanOrEqual(SLICE_MS + 1);
  });
});
