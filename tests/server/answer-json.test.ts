/**
 * A long answer's JSON made in pieces (src/server/answer-json.ts): the same bytes as
 * `JSON.stringify`, made over several turns of the event loop when the request's slice is used,
 * and through the server for an answer past SLICED_ANSWER_BYTES (a page of source texts).
 */
import { request } from "node:http";
import { connect } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import { Deadline, DeadlineExceededError } from "../../src/graph/deadline.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { sliceScheduler } from "../../src/graph/scheduler.js";
import {
  joinedInSlices,
  jsonPieces,
  SLICED_ANSWER_BYTES,
  slicedJson,
  writeInSlices,
} from "../../src/server/answer-json.js";
import { writtenInSlices } from "../../src/server/answers.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { JSON_HEADERS, post, send } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";
import { countTurns } from "../support/turns.js";

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
  // what a scalar might give: stringified whole, as JSON.stringify writes it (toJSON, boxed)
  bare({ at: new Date(0), json: { toJSON: () => "T", a: 1 }, boxed: [new String("ab")] }),
  bare({
    number: new Number(3),
    bytes: Buffer.from("ab"),
    list: Array.from({ length: 3000 }, (_, i) => i),
  }),
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

  it("writes a list's short items a few at a time and its long ones one at a time, descending into objects only", () => {
    const short = Array.from({ length: 5000 }, (_, i) => bare({ n: i }));
    const long = Array.from({ length: 20 }, (_, i) => bare({ text: `${i}`.repeat(20_000) }));
    const pieces = Array.from(jsonPieces(bare({ data: bare({ short, long }) })));
    // a yield per item of 5,000 short ones was twice JSON.stringify's cost: a few dozen pieces
    expect(pieces.length).toBeLessThan(60);
    // each long item a piece of its own (after its comma)
    for (let i = 1; i < 20; i++) expect(pieces).toContain(`,${JSON.stringify(long[i])}`);
    expect(pieces.join("")).toBe(JSON.stringify(bare({ data: bare({ short, long }) })));
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

describe("joinedInSlices", () => {
  const pieces = Array.from({ length: 40 }, (_, i) => Buffer.alloc(65_536, i));

  it("joins to Buffer.concat's bytes, giving the loop back when the slice is used, or each MiB without a deadline", async () => {
    // a clock that moves a millisecond at each read, read at every checkpoint: 5 ms slices
    let now = 0;
    const deadline = new Deadline(1e9, { now: () => now++, sliceMs: 5, checkEvery: 1 });
    expect((await joinedInSlices(pieces, deadline)).equals(Buffer.concat(pieces))).toBe(true);
    expect(deadline.yields).toBeGreaterThan(5);
    const ticker = countTurns();
    const alone = await joinedInSlices(pieces).finally(() => ticker.stop());
    expect(alone.equals(Buffer.concat(pieces))).toBe(true);
    // 2.5 MiB: the loop given back twice
    expect(ticker.turns).toBeGreaterThanOrEqual(2);
    // one piece is its own join
    expect(await joinedInSlices([pieces[0]!])).toBe(pieces[0]);
  });
});

/** Every quote of a page of persons with its source's whole text: about 1.2 MB. */
const LONG_ANSWER =
  "{ p0: persons(first: 100) { nodes { provenance { ... on SourceQuote { source { text } } } } } }";

/**
 * Runs `ask` while JSON.stringify is watched: how many times it wrote a whole result (`isWhole`),
 * and, for each item of a page it wrote alone (a node with `provenance`), the turn of the event
 * loop it came in (tests/support/turns.ts).
 */
async function watched<T>(ask: () => Promise<T>, isWhole: (value: any) => boolean) {
  const stringify = JSON.stringify;
  const ticker = countTurns();
  const itemTurns: number[] = [];
  let whole = 0;
  vi.spyOn(JSON, "stringify").mockImplementation(function (this: unknown, ...args) {
    const [value] = args as [{ provenance?: unknown } | undefined];
    if (isWhole(value)) whole++;
    if (value?.provenance !== undefined) itemTurns.push(ticker.turns);
    return stringify.apply(this, args as Parameters<typeof JSON.stringify>);
  });
  const response = await ask().finally(() => {
    ticker.stop();
    vi.restoreAllMocks();
  });
  return { response, whole, itemTurns };
}

describe("a long answer through the server", () => {
  const LONG = LONG_ANSWER;
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
    const {
      response: posted,
      whole,
      itemTurns,
    } = await watched(
      () => post(server, LONG),
      (value) => value?.data !== undefined,
    );
    expect(posted.status).toBe(200);
    expect(Buffer.byteLength(posted.text)).toBeGreaterThan(SLICED_ANSWER_BYTES);
    // never stringified whole; its items over more than one turn of the loop
    expect(whole).toBe(0);
    expect(itemTurns).toHaveLength(JSON.parse(posted.text).data.p0.nodes.length);
    expect(itemTurns.length).toBeGreaterThan(10);
    expect(itemTurns.at(-1)!).toBeGreaterThan(itemTurns[0]!);
    // the same answer by GET (through Yoga)
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

  // Yoga's own processors wrote these with one JSON.stringify (answers.ts now makes their JSON);
  // each way's answer, and the JSON text of the result in it. Four aliases of the page (4.8 MB):
  // one alone can be written within a slice, once its execution has given the loop back
  const LONGER = `{ ${[0, 1, 2, 3].map((i) => LONG.slice(2, -2).replace("p0:", `p${i}:`)).join(" ")} }`;
  const body = (accept: string) => ({
    headers: { ...JSON_HEADERS, accept },
    body: JSON.stringify({ query: LONGER }),
  });
  const WAYS: Record<string, () => Promise<{ status: number; text: string; json: string }>> = {
    GET: () => answered(send(server, { path: `/graphql?query=${encodeURIComponent(LONGER)}` })),
    "a batch": () =>
      answered(
        send(server, {
          headers: JSON_HEADERS,
          body: JSON.stringify([
            { query: LONGER },
            { query: "{ states(first: 1) { totalCount } }" },
          ]),
        }),
      ),
    "an error beside it": () =>
      answered(post(server, LONGER.replace("{ p0:", '{ x: person(key: "zz-nobody") { key } p0:'))),
    "an event stream": () =>
      answered(send(server, body("text/event-stream")), (text) => {
        expect(text).toMatch(/^:\n\nevent: next\ndata: /);
        expect(text).toMatch(/\n\nevent: complete\ndata:\n\n$/);
        return /\ndata: (\{.*\})\n\n/.exec(text)![1]!;
      }),
    multipart: () =>
      answered(send(server, body("multipart/mixed")), (text) => {
        const json = text.split("\r\n").find((line) => line.startsWith('{"'));
        return json!;
      }),
  };
  async function answered(
    response: Promise<{ status: number; text: string }>,
    jsonOf: (text: string) => string = (text) => text,
  ) {
    const { status, text } = await response;
    return { status, text, json: jsonOf(text) };
  }
  for (const [way, ask] of Object.entries(WAYS)) {
    it(`is written in the request's slices through Yoga too (${way}), as JSON.stringify writes it`, async () => {
      const { response, whole, itemTurns } = await watched(
        ask,
        (value) => value?.data?.p0 !== undefined,
      );
      expect(response.status).toBe(200);
      expect(Buffer.byteLength(response.json)).toBeGreaterThan(SLICED_ANSWER_BYTES);
      // what JSON.stringify writes: its own output parses back to the same text
      const parsed = JSON.parse(response.json);
      expect(JSON.stringify(parsed)).toBe(response.json);
      const answer = Array.isArray(parsed) ? parsed[0] : parsed;
      const items = answer.data.p0.nodes.length;
      expect(items).toBeGreaterThan(10);
      if (way === "a batch") expect(parsed[1].data.states.totalCount).toBeGreaterThan(0);
      if (way === "an error beside it")
        expect(
          answer.errors.map((e: { extensions: { code: string } }) => e.extensions.code),
        ).toEqual(["NOT_FOUND"]);
      // never stringified whole; its items over more than one turn of the loop
      expect(whole).toBe(0);
      expect(itemTurns.length).toBeGreaterThanOrEqual(items);
      expect(itemTurns.at(-1)!).toBeGreaterThan(itemTurns[0]!);
    });
  }
  /**
   * Runs `ask` while every string made into bytes in this process is watched (`Buffer.from`,
   * `Buffer.byteLength`, TextEncoder's `encode`: whoever calls them, Yoga's processors, its fetch
   * API's Response, the HTTP cache): the length of each, and the turn of the event loop
   * (tests/support/turns.ts) it was encoded in; and the longest `Buffer.concat`.
   */
  async function encodings<T>(ask: () => Promise<T>) {
    const ticker = countTurns();
    const encoded: { turn: number; length: number }[] = [];
    const seen = (input: unknown) => {
      if (typeof input === "string") encoded.push({ turn: ticker.turns, length: input.length });
    };
    const from = Buffer.from.bind(Buffer) as (...args: unknown[]) => Buffer;
    vi.spyOn(Buffer, "from").mockImplementation(((...args: unknown[]) => {
      seen(args[0]);
      return from(...args);
    }) as never);
    const byteLength = Buffer.byteLength.bind(Buffer) as (...args: unknown[]) => number;
    vi.spyOn(Buffer, "byteLength").mockImplementation(((...args: unknown[]) => {
      seen(args[0]);
      return byteLength(...args);
    }) as never);
    let longestConcat = 0;
    const concat = Buffer.concat.bind(Buffer) as (...args: unknown[]) => Buffer;
    vi.spyOn(Buffer, "concat").mockImplementation(((...args: unknown[]) => {
      const joined = concat(...args);
      longestConcat = Math.max(longestConcat, joined.length);
      return joined;
    }) as never);
    const encode = TextEncoder.prototype.encode;
    vi.spyOn(TextEncoder.prototype, "encode").mockImplementation(function (
      this: TextEncoder,
      input?: string,
    ) {
      seen(input);
      return encode.call(this, input);
    });
    const response = await ask().finally(() => {
      ticker.stop();
      vi.restoreAllMocks();
    });
    return { response, encoded, longestConcat };
  }

  /**
   * The answer's status and bytes as they came, in the chunks they came in: a request through
   * node:http, which joins nothing (fetch joins a body whole, which the watch would count).
   */
  function chunksOf(
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<{ status: number; chunks: Buffer[] }> {
    return new Promise((resolve, reject) => {
      const req = request(
        `${server.url}${path}`,
        { method: init.method ?? "GET", headers: init.headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => resolve({ status: res.statusCode!, chunks }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(init.body);
    });
  }

  const SHORT = "{ states(first: 1) { totalCount } }";
  const posted = (body: unknown, accept?: string) => ({
    method: "POST",
    headers: { ...JSON_HEADERS, ...(accept && { accept }) },
    body: JSON.stringify(body),
  });
  /**
   * Each way to ask the long answer, and the check of what came back: the plain POST's answer
   * (`long`), byte for byte, framed as Yoga frames it.
   */
  const FRAMED: Record<
    string,
    [
      ask: () => ReturnType<typeof chunksOf>,
      check: (bytes: Buffer, long: Buffer, short: Buffer) => void,
    ]
  > = {
    "POST, the direct path": [
      () => chunksOf("/graphql", posted({ query: LONGER })),
      (bytes, long) => expect(bytes.equals(long)).toBe(true),
    ],
    GET: [
      () => chunksOf(`/graphql?query=${encodeURIComponent(LONGER)}`),
      (bytes, long) => expect(bytes.equals(long)).toBe(true),
    ],
    "a batch": [
      () => chunksOf("/graphql", posted([{ query: LONGER }, { query: SHORT }])),
      (bytes, long, short) =>
        expect(
          bytes.equals(
            Buffer.concat([Buffer.from("["), long, Buffer.from(","), short, Buffer.from("]")]),
          ),
        ).toBe(true),
    ],
    "an event stream": [
      () => chunksOf("/graphql", posted({ query: LONGER }, "text/event-stream")),
      (bytes, long) => {
        // a ping (":") first, and maybe one between the two events (every 300 ms in tests)
        const text = bytes.toString();
        const framed =
          /^:\n\n(?::\n\n)*event: next\ndata: ([^\n]*)\n\n(?::\n\n)*event: complete\ndata:\n\n$/.exec(
            text,
          );
        expect(framed).not.toBeNull();
        expect(Buffer.from(framed![1]!).equals(long)).toBe(true);
      },
    ],
    multipart: [
      () => chunksOf("/graphql", posted({ query: LONGER }, "multipart/mixed")),
      (bytes, long) =>
        expect(
          bytes.equals(
            Buffer.concat([
              Buffer.from(
                `\r\n---\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${long.length}\r\n\r\n`,
              ),
              long,
              Buffer.from("\r\n-----\r\n"),
            ]),
          ),
        ).toBe(true),
    ],
  };
  for (const [way, [ask, check]] of Object.entries(FRAMED)) {
    it(`is encoded and joined in pieces over several turns (${way}), never whole, byte for byte the plain POST's answer`, async () => {
      // the plain POST's answer (the direct path's, made in slices): what every way must send
      const long = Buffer.concat((await chunksOf("/graphql", posted({ query: LONGER }))).chunks);
      const short = Buffer.concat((await chunksOf("/graphql", posted({ query: SHORT }))).chunks);
      expect(long.length).toBeGreaterThan(SLICED_ANSWER_BYTES);
      const { response, encoded, longestConcat } = await encodings(ask);
      expect(response.status).toBe(200);
      check(Buffer.concat(response.chunks), long, short);
      // no string as long as a long answer made into bytes at once (an item of the page is
      // about 17 KB, a batch of them about 64 KB): it was the whole text, in one turn
      const longest = Math.max(...encoded.map((e) => e.length));
      expect(longest).toBeLessThan(SLICED_ANSWER_BYTES / 4);
      // nor its bytes joined at once (a first write to so much new memory is slow on a VM)
      expect(longestConcat).toBeLessThan(SLICED_ANSWER_BYTES / 4);
      // the answer's batches, encoded over more than one turn of the loop
      const batches = encoded.filter((e) => e.length >= 16_384);
      expect(batches.reduce((sum, e) => sum + e.length, 0)).toBeGreaterThanOrEqual(long.length / 2);
      expect(new Set(batches.map((e) => e.turn)).size).toBeGreaterThan(1);
    });
  }
});

describe("writtenInSlices (answers.ts): a long result's JSON made before Yoga's processor writes it", () => {
  const long = () => ({ text: "x".repeat(200_000) });
  it("hands the text over as the result's own stringify, and finishes its operation", async () => {
    const deadline = new Deadline(60_000);
    const data = long();
    writeInSlices(data, deadline);
    const finish = vi.spyOn(deadline, "finish");
    const written = (await writtenInSlices({ data })) as { stringify: () => string };
    expect(written.stringify()).toBe(JSON.stringify({ data }));
    expect(finish).toHaveBeenCalledOnce();
    // none long: nothing to do
    expect(writtenInSlices({ data: { text: "short" } })).toBeUndefined();
  });

  it("answers EXECUTION_TIMEOUT when its time runs out meanwhile, and CLIENT_GONE when its client went away", async () => {
    const late = new Deadline(0);
    const gone = new Deadline(60_000);
    gone.abandon();
    const [first, second] = [long(), long()];
    writeInSlices(first, late);
    writeInSlices(second, gone);
    const written = (await writtenInSlices([{ data: first }, { data: second }])) as {
      errors: { extensions: { code: string } }[];
    }[];
    expect(written.map((one) => one.errors[0]!.extensions.code)).toEqual([
      "EXECUTION_TIMEOUT",
      "CLIENT_GONE",
    ]);
  });
});

describe("a long answer whose client goes away while it is written", () => {
  // 13 aliases of the long page: about 15.6 MB, under the size limit, made over many slices
  const ALIASES = 13;
  const LONG4 = `{ ${Array.from({ length: ALIASES }, (_, i) => LONG_ANSWER.slice(2, -2).replace("p0:", `p${i}:`)).join(" ")} }`;
  for (const method of ["POST", "GET"] as const)
    it(`is no longer made once the connection closes (${method}${method === "GET" ? ", through Yoga" : ""})`, async () => {
      const graph = loadJsonGraph(generatedDataset(200));
      // a scheduler of its own (slices of 4 ms: no other test uses that length)
      const scheduler = sliceScheduler(4);
      const server = await startServer(graph, {
        limits: { ...DEFAULT_CONFIG.limits, maxCost: 1_000_000_000, executionSliceMs: 4 },
        responseCache: false,
      });
      const stringify = JSON.stringify;
      let items = 0;
      vi.spyOn(JSON, "stringify").mockImplementation(function (this: unknown, ...args) {
        if ((args[0] as { provenance?: unknown } | undefined)?.provenance !== undefined) items++;
        return stringify.apply(this, args as Parameters<typeof JSON.stringify>);
      });
      const turns = async (n: number) => {
        for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
      };
      try {
        const body = JSON.stringify({ query: LONG4 });
        const request =
          method === "GET"
            ? `GET /graphql?query=${encodeURIComponent(LONG4)} HTTP/1.1\r\nHost: t\r\nAccept: application/json\r\n\r\n`
            : `POST /graphql HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
        const socket = connect(Number(new URL(server.url).port), "127.0.0.1");
        socket.on("error", () => {});
        socket.write(request);
        // its first items made: the answer is being written, over many turns
        while (items < 1) await turns(1);
        socket.destroy();
        while (scheduler.active > 0) await turns(1);
        await turns(50);
        // 13 × 71 items in all: those of a turn or two more after the close, not the rest
        const persons = graph.keys.person.length;
        expect(persons).toBeGreaterThan(50);
        expect(items).toBeLessThan((ALIASES * persons) / 2);
      } finally {
        vi.restoreAllMocks();
        await server.close();
      }
    });
});

describe("a long answer that runs out of time while it is written", () => {
  for (const way of ["POST", "GET"] as const)
    it(`is answered 503 EXECUTION_TIMEOUT, nothing of it sent, and executed once (${way})`, async () => {
      const graph = loadJsonGraph(generatedDataset(200));
      // a scheduler of its own (slices of 3 ms: no other test uses that length)
      const server = await startServer(graph, {
        limits: { ...DEFAULT_CONFIG.limits, maxCost: 1_000_000_000, executionSliceMs: 3 },
        responseCache: false,
      });
      try {
        // the clock jumps past the execution time limit once the answer's first item is written
        const now = performance.now.bind(performance);
        let late = 0;
        vi.spyOn(performance, "now").mockImplementation(() => now() + late);
        const stringify = JSON.stringify;
        let whole = 0;
        vi.spyOn(JSON, "stringify").mockImplementation(function (this: unknown, ...args) {
          const [value] = args as [{ data?: unknown; provenance?: unknown } | undefined];
          if (value?.data !== undefined) whole++;
          if (value?.provenance !== undefined) late = 10 * 60_000;
          return stringify.apply(this, args as Parameters<typeof JSON.stringify>);
        });
        const response = await (way === "POST"
          ? post(server, LONG_ANSWER)
          : send(server, {
              path: `/graphql?query=${encodeURIComponent(LONG_ANSWER)}`,
              headers: { accept: "application/graphql-response+json" },
            })
        ).finally(() => vi.restoreAllMocks());
        expect(response.status).toBe(503);
        expect(response.json.data).toBeUndefined();
        expect(
          response.json.errors.map((e: { extensions: { code: string } }) => e.extensions.code),
        ).toEqual(["EXECUTION_TIMEOUT"]);
        // the timeout's answer only: no part of the long one, and no second execution (which
        // would have stringified it whole through Yoga)
        expect(response.text.length).toBeLessThan(1000);
        expect(whole).toBe(0);
        // and the server goes on
        expect((await post(server, "{ states(first: 1) { totalCount } }")).status).toBe(200);
      } finally {
        await server.close();
      }
    });
});
