/**
 * The answer size limit (limits.ts `maxResponseBytes`, `answerSize`): a request of 2.2 KB whose
 * answer repeats a source's whole text under every quote of every item of 30 aliases made an
 * answer past 512 MB at 100,000 entities; its JSON.stringify held the event loop for seconds,
 * threw, and the unhandled rejection ended the process. On a generated graph of 200 entities
 * (sources of about 9 KB) the same document asks about 36 MB: it is refused, on every way of
 * asking (POST, GET, a batch, an event stream), and whatever still fails inside a /graphql
 * request is that request's 500, not the process's end.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { answerSize } from "../../src/server/limits.js";
import { JSON_HEADERS, post, send } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

/** Every quote of every person of a page, with its source's whole text, under each of 30 aliases. */
const TEXTS = `{ ${Array.from(
  { length: 30 },
  (_, i) =>
    `p${i}: persons(first: 100) { nodes { provenance { ... on SourceQuote { source { text } } } } }`,
).join(" ")} }`;
const SMALL = "{ states(first: 1) { totalCount } }";
/** The same under one alias: about 1.2 MB, under the limit. */
const ONE =
  "{ p0: persons(first: 100) { nodes { provenance { ... on SourceQuote { source { text } } } } } }";

let server: TestServer;
let graph: KnowledgeGraph;
beforeAll(async () => {
  graph = loadJsonGraph(generatedDataset(200));
  // the cost limit out of the way: what is tested is the answer's size (texts are priced
  // separately), with the size limit at its default
  server = await startServer(graph, {
    limits: { ...DEFAULT_CONFIG.limits, maxCost: 1_000_000_000 },
  });
});
afterAll(() => server.close());

const tooLarge = {
  code: "RESPONSE_TOO_LARGE",
  limit: DEFAULT_CONFIG.limits.maxResponseBytes,
};

describe("an answer larger than maxResponseBytes", () => {
  it("is refused with RESPONSE_TOO_LARGE when POSTed, in a short answer, and the server goes on", async () => {
    const one = await post(server, ONE);
    // one alias is under the limit (each quote's text once per quote): sent whole
    expect(one.status).toBe(200);
    const size = Buffer.byteLength(one.text);
    expect(size * 30).toBeGreaterThan(DEFAULT_CONFIG.limits.maxResponseBytes);

    const response = await post(server, TEXTS);
    expect(response.status).toBe(400);
    expect(response.text.length).toBeLessThan(1000);
    expect(response.json.data).toBeUndefined();
    expect(response.json.errors).toHaveLength(1);
    expect(response.json.errors[0].extensions).toEqual(tooLarge);
    expect(response.json.errors[0].message).toContain(
      `more than ${DEFAULT_CONFIG.limits.maxResponseBytes} bytes (the answer size limit)`,
    );
    expect((await post(server, SMALL)).status).toBe(200);
  });

  it("is refused the same way by GET, in a batch (the other operations answered) and in an event stream, which ends", async () => {
    const get = await send(server, {
      path: `/graphql?query=${encodeURIComponent(TEXTS)}`,
      headers: { accept: "application/graphql-response+json" },
    });
    expect(get.status).toBe(400);
    expect(get.json.errors[0].extensions.code).toBe("RESPONSE_TOO_LARGE");

    const batch = await send(server, {
      headers: JSON_HEADERS,
      body: JSON.stringify([{ query: TEXTS }, { query: SMALL }]),
    });
    expect(batch.json).toHaveLength(2);
    expect(batch.json[0].errors[0].extensions.code).toBe("RESPONSE_TOO_LARGE");
    expect(batch.json[1].data.states.totalCount).toBeGreaterThan(0);

    // Yoga's event stream: the error as its one event, then the stream's end (the response
    // completes: `send` reads the body to its end)
    const stream = await send(server, {
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ query: TEXTS }),
    });
    expect(stream.text).toContain("RESPONSE_TOO_LARGE");
    expect(stream.text).toContain("event: complete");
  });

  it("counts a batch's operations together, as their answers are written as one array", async () => {
    const one = await post(server, ONE);
    const size = Buffer.byteLength(one.text);
    const tight = await startServer(graph, {
      limits: { ...DEFAULT_CONFIG.limits, maxCost: 1_000_000_000, maxResponseBytes: size * 2.5 },
    });
    try {
      // each alone is under the limit: a batch of three is not (10 such operations of 6.7 MB
      // each made one answer of 67 MB under a 16 MiB limit)
      const batch = await send(tight, {
        headers: JSON_HEADERS,
        body: JSON.stringify([{ query: ONE }, { query: ONE }, { query: ONE }]),
      });
      expect(batch.json.map((r: { data?: unknown }) => r.data !== undefined)).toEqual([
        true,
        true,
        false,
      ]);
      expect(batch.json[2].errors[0].extensions.code).toBe("RESPONSE_TOO_LARGE");
      expect(batch.json[2].errors[0].message).toContain(
        "for all the operations of a batch together",
      );
      // the budget is the request's: the next request starts afresh
      expect((await post(tight, ONE)).status).toBe(200);
    } finally {
      await tight.close();
    }
  });

  it("is measured as its JSON's bytes are, escapes and characters beyond ASCII included", () => {
    const cases: Record<string, unknown> = {
      control: { text: "\u0001\u0002\u001f".repeat(300) },
      escapes: { text: '\n\t"\\'.repeat(300) },
      cjk: { text: "合作".repeat(500) },
      cyrillic: { text: "Казахстан".repeat(200) },
      emoji: { text: "🇰🇿".repeat(300) },
      lone: { text: "\ud800x".repeat(300) },
      numbers: { values: Array.from({ length: 500 }, (_, i) => i / 7) },
      flags: { values: Array.from({ length: 500 }, (_, i) => (i % 3 ? i % 2 === 0 : null)) },
    };
    for (const [name, answer] of Object.entries(cases)) {
      const json = Buffer.byteLength(JSON.stringify(answer));
      const size = answerSize(answer, Number.MAX_SAFE_INTEGER);
      expect(size, name).toBeGreaterThanOrEqual(json);
      expect(size, name).toBeLessThan(json * 1.1 + 16);
    }
  });

  it("counts a long text once however often it recurs (a source's text under every quote), and others of its length apart", () => {
    const text = "A report.\n".repeat(10_000);
    const other = "B report.\n".repeat(10_000);
    const answer = {
      quotes: Array.from({ length: 500 }, (_, i) => ({ source: { text: i % 100 ? text : other } })),
    };
    const byteLength = vi.spyOn(Buffer, "byteLength");
    const size = answerSize(answer, Number.MAX_SAFE_INTEGER);
    const counted = byteLength.mock.calls.filter(([value]) => value === text || value === other);
    byteLength.mockRestore();
    expect(counted).toHaveLength(2);
    const json = Buffer.byteLength(JSON.stringify(answer));
    expect(size).toBeGreaterThanOrEqual(json);
    expect(size).toBeLessThan(json * 1.01);
  });

  it("is measured as its JSON is, without walking past the limit", () => {
    const text = "x".repeat(1000);
    const answer = {
      persons: { nodes: Array.from({ length: 50 }, (_, i) => ({ key: `person/p${i}`, text })) },
    };
    const json = Buffer.byteLength(JSON.stringify(answer));
    const size = answerSize(answer, Number.MAX_SAFE_INTEGER);
    expect(size).toBeGreaterThanOrEqual(json);
    expect(size).toBeLessThan(json * 1.05);
    // stopped soon after the limit: a few items' worth past it, not the whole answer
    expect(answerSize(answer, 5000)).toBeLessThan(7500);
  });
});

describe("a failure inside a /graphql request", () => {
  it("is answered 500 with a JSON error, and the server goes on answering", async () => {
    const stringify = JSON.stringify;
    // the answer's JSON fails as a 600 MB one did (V8's RangeError), for this request's answer only
    vi.spyOn(JSON, "stringify").mockImplementation(function (this: unknown, ...args) {
      const [value] = args as [{ data?: { failHere?: unknown } } | undefined];
      if (value?.data?.failHere !== undefined) throw new RangeError("Invalid string length");
      return stringify.apply(JSON, args as Parameters<typeof JSON.stringify>);
    });
    const failed = await post(server, "{ failHere: __typename }");
    expect(failed.status).toBe(500);
    expect(failed.json).toEqual({
      errors: [
        {
          message: "The request failed inside the server.",
          extensions: { code: "INTERNAL_SERVER_ERROR" },
        },
      ],
    });
    vi.restoreAllMocks();
    expect((await post(server, SMALL)).status).toBe(200);
  });
});
