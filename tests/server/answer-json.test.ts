/**
 * A long answer's JSON made in pieces (src/server/answer-json.ts): the same bytes as
 * `JSON.stringify`, made over several turns of the event loop when the request's slice is used,
 * and through the server for an answer past SLICED_ANSWER_BYTES (a page of source texts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import { Deadline, DeadlineExceededError } from "../../src/graph/deadline.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { SearchIndex } from "../../src/graph/search.js";
import { jsonPieces, SLICED_ANSWER_BYTES, slicedJson } from "../../src/server/answer-json.js";
import { createApp } from "../../src/server/app.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { directPipelineOf } from "../../src/server/direct.js";
import { post, send } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

afterEach(() => {
  vi.restoreAllMocks();
});

/** An object as graphql-js makes one: no prototype. */
const bare = (fields: Record<string, unknown>) => Object.assign(Object.create(null), fields);

const SHAPES: unknown[] = [
  null,
  0,
  -0,
  1e21,
  Number.NaN,
  true,
  "plain",
  'quote " backslash \\ newline \n tab \t control \u0001 line sep \u2028 lone \ud800 pair 🇰🇿',
  [],
  {},
  [[1, [2, [3]]], [], [{}], null, "x"],
  { a: undefined, b: () => 1, c: 1 },
  [undefined, () => 1],
  bare({
    data: bare({
      persons: bare({
        totalCount: 2,
        nodes: [bare({ key: "person/a", names: ["A", "Ä"] }), bare({ key: "person/b", names: [] })],
      }),
      empty: null,
    }),
  }),
];

describe("jsonPieces", () => {
  it("joins to exactly what JSON.stringify writes", () => {
    for (const value of SHAPES)
      expect(Array.from(jsonPieces(value)).join(""), JSON.stringify(value)).toBe(
        JSON.stringify(value),
      );
  });

  it("writes a list's items one by one, and descends into objects only", () => {
    const page = bare({ nodes: Array.from({ length: 5 }, (_, i) => bare({ n: i, deep: [i] })) });
    const pieces = Array.from(jsonPieces(bare({ data: page })));
    expect(pieces).toContain('{"n":3,"deep":[3]}');
    expect(pieces.length).toBeGreaterThan(5);
  });
});

describe("slicedJson", () => {
  const text = "a source's text, \n".repeat(20_000);
  const answer = bare({
    data: bare({ sources: bare({ nodes: Array.from({ length: 30 }, () => bare({ text })) }) }),
  });

  it("gives the bytes Buffer.from(JSON.stringify()) gives, over several turns when the slice is used", async () => {
    // a clock that moves a millisecond at each read, read at every checkpoint: 5 ms slices
    let now = 0;
    const deadline = new Deadline(1e9, { now: () => now++, sliceMs: 5, checkEvery: 1 });
    const bytes = await slicedJson(answer, deadline);
    expect(bytes.equals(Buffer.from(JSON.stringify(answer)))).toBe(true);
    expect(bytes.length).toBeGreaterThan(10_000_000);
    expect(deadline.yields).toBeGreaterThan(5);
  });

  it("rejects with DeadlineExceededError once the deadline has passed", async () => {
    let now = 0;
    const deadline = new Deadline(10, { now: () => now, sliceMs: 5, checkEvery: 1 });
    now = 11;
    await expect(slicedJson(answer, deadline)).rejects.toBeInstanceOf(DeadlineExceededError);
  });
});

describe("a long answer through the server", () => {
  /** Every quote of a page of persons with its source's whole text: about 1.2 MB. */
  const LONG =
    "{ p0: persons(first: 100) { nodes { provenance { ... on SourceQuote { source { text } } } } } }";
  let server: TestServer;
  let graph: KnowledgeGraph;
  beforeAll(async () => {
    graph = loadJsonGraph(generatedDataset(200));
    // slices of 2 ms (a scheduler of their own: no other test uses that length): the answer's
    // pieces take several turns
    server = await startServer(graph, {
      limits: { ...DEFAULT_CONFIG.limits, maxCost: 1_000_000_000, executionSliceMs: 2 },
      responseCache: false,
    });
  });
  afterAll(() => server.close());

  it("is written in the request's slices, and is byte for byte Yoga's answer", async () => {
    const stringify = JSON.stringify;
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    const itemTurns: number[] = [];
    let whole = 0;
    vi.spyOn(JSON, "stringify").mockImplementation(function (this: unknown, ...args) {
      const [value] = args as [{ data?: unknown; provenance?: unknown } | undefined];
      if (value?.data !== undefined) whole++;
      if (value?.provenance !== undefined) itemTurns.push(turns);
      return stringify.apply(this, args as Parameters<typeof JSON.stringify>);
    });
    setImmediate(tick);
    const posted = await post(server, LONG);
    ticking = false;
    vi.restoreAllMocks();
    expect(posted.status).toBe(200);
    expect(Buffer.byteLength(posted.text)).toBeGreaterThan(SLICED_ANSWER_BYTES);
    // never stringified whole; its items over more than one turn of the loop
    expect(whole).toBe(0);
    expect(itemTurns).toHaveLength(JSON.parse(posted.text).data.p0.nodes.length);
    expect(itemTurns.length).toBeGreaterThan(10);
    expect(itemTurns.at(-1)!).toBeGreaterThan(itemTurns[0]!);
    // Yoga (a GET) writes the same answer with one JSON.stringify
    const got = await send(server, { path: `/graphql?query=${encodeURIComponent(LONG)}` });
    expect(got.status).toBe(200);
    expect(posted.text).toBe(got.text);
  });

  it("answers a short one with one JSON.stringify, as before", async () => {
    let whole = 0;
    const stringify = JSON.stringify;
    vi.spyOn(JSON, "stringify").mockImplementation(function (this: unknown, ...args) {
      if ((args[0] as { data?: unknown } | undefined)?.data !== undefined) whole++;
      return stringify.apply(this, args as Parameters<typeof JSON.stringify>);
    });
    const response = await post(server, "{ persons(first: 3) { nodes { key } } }");
    vi.restoreAllMocks();
    expect(response.status).toBe(200);
    expect(whole).toBe(1);
  });
});

describe("a long answer that runs out of time while it is written", () => {
  it("is answered with the time limit's error, nothing of it sent", async () => {
    const graph = await loadBuiltInGraph();
    const settings = {
      ...DEFAULT_CONFIG,
      limits: { ...DEFAULT_CONFIG.limits, executionSliceMs: 53 },
    };
    const app = createApp(graph, { ...settings, logLevel: "silent", responseCache: false });
    app.pressure.close();
    const pipeline = directPipelineOf(app.yoga, settings, () => ({
      graph,
      search: SearchIndex.build(graph),
    }));
    const written: unknown[] = [];
    const answer = await pipeline.run(
      { query: "{ states(first: 1) { totalCount } }" },
      (result) => {
        written.push(result);
        // as slicedJson rejects at a checkpoint past the deadline
        if (!result.errors) throw new DeadlineExceededError(5000, 5001);
        return result;
      },
    );
    expect(written).toHaveLength(2);
    expect(answer).toEqual({
      errors: [
        expect.objectContaining({
          extensions: expect.objectContaining({ code: "EXECUTION_TIMEOUT" }),
        }),
      ],
    });
  });
});
