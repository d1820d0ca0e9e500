/**
 * Many slow requests at once, through HTTP: the event loop's turns stay about one execution slice
 * long whatever their number (src/graph/scheduler.ts), every request is answered 200 or with a
 * clear 503, and a burst beyond what the queue serves in time is refused as it arrives.
 *
 * Each request yielding on its own held the loop for about N slices per turn: N requests
 * resuming in the same check phase, or arriving in the same poll phase, each ran a slice
 * (at 100,000 entities, 20 concurrent filter scans held `/health` 438-732 ms). The test's own
 * process is the server's, so the longest time the loop was held is measured here, by
 * `monitorEventLoopDelay`, and bounded by a few slices, where N slices is what the attack gives
 * without the scheduler: a structural bound, not a timing one (a 2-core machine busy with other
 * work stretches both, but not by a factor of N).
 */
import { spawn } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { beforeAll, describe, expect, it } from "vitest";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { sliceScheduler } from "../../src/graph/scheduler.js";
import { loadJsonGraphWithSnapshot } from "../../src/graph/snapshot/load.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { post } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

/**
 * A person filter of 45 text searches that match nothing: a scan of every person, about 50 ms at
 * 20,000 entities. `request` makes each request's texts its own, so that no request is answered
 * from what an earlier one found (a review saw the same filter cost 4 ms after the first, under
 * tsx): each does its scan, however fast the code runs.
 */
const filterOf = (request = 0) => ({
  or: Array.from({ length: 45 }, (_, i) => ({ anyName: { contains: `zzqq${i}r${request}` } })),
});
const FILTER = filterOf();
const SLOW =
  "query Slow($f: PersonFilter) { a: persons(first: 1, filter: $f) { totalCount } b: persons(first: 1, filter: $f) { totalCount } }";
/** The slice the attack is measured against: long enough to stand well above a busy machine's noise. */
const SLICE_MS = 100;
const N = 30;
/**
 * The bound on the longest block: 8 slices, where the old code held the loop about N (2.6 s
 * measured). One turn runs a slice of execution and whatever else came in that turn (reading
 * and admitting 30 requests, writing answers); on this 2-core machine shared with other work,
 * that took 120-170 ms alone and up to 600 ms at a load average of 9.
 */
const LONGEST_TURN_MS = 8 * SLICE_MS;
/** The cost limit out of the way: this is about what happens once slow requests run. */
const limits = {
  ...DEFAULT_CONFIG.limits,
  maxCost: 1_000_000_000,
  executionSliceMs: SLICE_MS,
  executionTimeoutMs: 120_000,
};

let graph: KnowledgeGraph;
beforeAll(async () => {
  ({ graph } = await loadJsonGraphWithSnapshot(
    generatedDataset(20_000, { seed: 5, format: "json" }),
  ));
}, 120_000);

/** `attack`'s answers, and the longest the event loop was held meanwhile (ms). */
async function measured(attack: () => Promise<Answer[]>) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  try {
    const responses = await attack();
    return { responses, longestMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

/**
 * The client of `burst`, run in a process of its own as the attack's clients are (a client in
 * the server's process would take turns of the same loop with it): opens N connections, then
 * writes a request on each in one go, so that the server reads them all in one poll phase, and
 * prints each answer (status, Retry-After, body) when its connection closes.
 */
const CLIENT = `
import { connect } from "node:net";
const [port, n, requests] = [Number(process.argv[1]), Number(process.argv[2]), JSON.parse(process.argv[3])];
const sockets = await Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
  const socket = connect(port, "127.0.0.1", () => resolve(socket));
  socket.once("error", reject);
})));
const answers = sockets.map((socket) => new Promise((resolve) => {
  let text = "";
  socket.setEncoding("utf8").on("data", (chunk) => (text += chunk));
  socket.once("error", (error) => resolve({ status: 0, body: String(error) }));
  socket.once("end", () => {
    const head = text.indexOf("\\r\\n\\r\\n");
    const headers = text.slice(0, head);
    let body = text.slice(head + 4);
    if (/transfer-encoding: chunked/i.test(headers)) {
      let whole = "";
      for (let at = 0; ; ) {
        const end = body.indexOf("\\r\\n", at);
        const size = Number.parseInt(body.slice(at, end), 16);
        if (!size) break;
        whole += body.slice(end + 2, end + 2 + size);
        at = end + 2 + size + 2;
      }
      body = whole;
    }
    const retryAfter = /^retry-after: *(.*)$/im.exec(headers)?.[1]?.trim() ?? null;
    resolve({ status: Number(headers.split(" ")[1]), retryAfter, body });
  });
}));
sockets.forEach((socket, i) => socket.write(requests[i]));
process.stdout.write(JSON.stringify(await Promise.all(answers)));
`;

interface Answer {
  status: number;
  retryAfter: string | null;
  json: any;
}

/**
 * `n` requests of SLOW, each with a filter of its own (or of `query`), arriving at once from
 * another process; their answers.
 */
async function burst(
  server: TestServer,
  n: number,
  query: (i: number) => { query: string; variables?: Record<string, unknown> } = (i) => ({
    query: SLOW,
    variables: { f: filterOf(i + 1) },
  }),
): Promise<Answer[]> {
  const requests = Array.from({ length: n }, (_, i) => {
    const body = JSON.stringify(query(i));
    return `POST /graphql HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  });
  const child = spawn(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      CLIENT,
      new URL(server.url).port,
      String(n),
      JSON.stringify(requests),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  await new Promise((resolve) => child.once("close", resolve));
  return (JSON.parse(out) as { status: number; retryAfter: string | null; body: string }[]).map(
    ({ status, retryAfter, body }) => {
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = body;
      }
      return { status, retryAfter, json };
    },
  );
}

/** The answer a request of SLOW got: its data, or its error's status and code. */
const outcome = (response: Answer) =>
  response.status === 200
    ? `200 ${JSON.stringify(response.json)}`
    : `${response.status} ${response.json?.errors?.[0]?.extensions?.code}`;

describe("concurrent slow requests", () => {
  it(`keep each turn of the event loop within a few slices, not ${N}, and are all answered in full`, async () => {
    const server = await startServer(graph, { limits, responseCache: false });
    try {
      // the graph's entities and the document's caches warmed by one request alone
      expect((await post(server, SLOW, { f: FILTER })).status).toBe(200);
      const scheduler = sliceScheduler(SLICE_MS);
      const turns = scheduler.turns;
      const { responses, longestMs } = await measured(() => burst(server, N));
      expect(new Set(responses.map(outcome))).toEqual(
        new Set([
          `200 ${JSON.stringify({ data: { a: { totalCount: 0 }, b: { totalCount: 0 } } })}`,
        ]),
      );
      // without the scheduler: every request that arrived or resumed in a turn ran a slice in it
      expect(longestMs).toBeLessThan(LONGEST_TURN_MS);
      // the requests took turns of the loop, and none is left waiting
      expect(scheduler.turns).toBeGreaterThan(turns);
      expect(scheduler.queued).toBe(0);
      expect(scheduler.active).toBe(0);
    } finally {
      await server.close();
    }
  }, 120_000);

  it("that wait past their deadline get 503 EXECUTION_TIMEOUT, and the loop's turns stay short", async () => {
    // a deadline shorter than the burst's work: the requests waiting their turn run out of time
    const server = await startServer(graph, {
      limits: { ...limits, executionTimeoutMs: 300 },
      responseCache: false,
    });
    try {
      await post(server, SLOW, { f: FILTER }); // warms the caches (within the deadline or not)
      const { responses, longestMs } = await measured(() => burst(server, N));
      const outcomes = responses.map(outcome);
      expect(outcomes).toContain("503 EXECUTION_TIMEOUT");
      expect(
        outcomes.filter((o) => o !== "503 EXECUTION_TIMEOUT" && !o.startsWith("200 ")),
      ).toEqual([]);
      expect(longestMs).toBeLessThan(LONGEST_TURN_MS);
      expect(sliceScheduler(SLICE_MS).queued).toBe(0);
      // and the server goes on answering
      expect((await post(server, "{ states(first: 1) { totalCount } }")).status).toBe(200);
    } finally {
      await server.close();
    }
  }, 120_000);

  it("beyond what the queue serves in time are refused as they arrive: 503 SERVER_OVERLOADED with Retry-After", async () => {
    // a scheduler of its own (a slice of another length: the process has one per length), so
    // that what the requests before ran for their price does not carry over; an execution time
    // limit of 20 slices: the queue may hold 10 slices of work (half of it), a few requests of
    // this query once one has run (it tells the scheduler what the query runs for its price), not
    // 30; the sampled lag (60 s allowed, every 10 s) plays no part
    const slice = SLICE_MS - 1;
    const server = await startServer(graph, {
      limits: { ...limits, executionSliceMs: slice, executionTimeoutMs: 20 * slice },
      responseCache: false,
      maxEventLoopDelayMs: 60_000,
      pressureSampleIntervalMs: 10_000,
    });
    try {
      await post(server, SLOW, { f: FILTER });
      const { responses, longestMs } = await measured(() => burst(server, N));
      const outcomes = responses.map(outcome);
      const refused = responses.filter(
        (r) => r.status === 503 && r.json.errors[0].extensions.code === "SERVER_OVERLOADED",
      );
      expect(refused.length).toBeGreaterThan(0);
      // not every request is refused: the first runs at once and the next one queues (the queue
      // is empty when it comes), whatever the machine; how many more, and whether those admitted
      // finish within the time limit, depend on how busy the machine is while they run compared
      // with when the first request measured what the query takes (8-20 answered here, 1 answered
      // and 1 out of time once in a CI run beside the type check)
      expect(outcomes.filter((o) => o !== "503 SERVER_OVERLOADED").length).toBeGreaterThanOrEqual(
        2,
      );
      expect(outcomes.filter((o) => o.startsWith("200 ")).length).toBeGreaterThanOrEqual(1);
      // what was admitted ran (or, on a machine too busy, ran out of time): nothing else
      expect(
        outcomes.filter(
          (o) =>
            !o.startsWith("200 ") && o !== "503 SERVER_OVERLOADED" && o !== "503 EXECUTION_TIMEOUT",
        ),
      ).toEqual([]);
      for (const response of refused) {
        expect(response.json.errors[0].message).toMatch(
          new RegExp(
            `^The server is overloaded: the queries it is executing wait for \\d+ ms of work \\(the limit is ${10 * slice} ms, half the execution time limit\\)\\. Try again in 20 s\\.$`,
          ),
        );
        expect(response.retryAfter).toBe("20");
      }
      expect(longestMs).toBeLessThan(LONGEST_TURN_MS);
      expect(server.app.pressure.overloaded).toBe(false);
    } finally {
      await server.close();
    }
  }, 120_000);

  it("of a cheap query, however many at once, are all answered: the queue counts each by its price, not as a slow one", async () => {
    // each waiter used to count as 3 slices of a slow request: 300 cheap queries, answered in
    // 138 ms once let in, had 209 refused at the defaults
    const server = await startServer(graph, {
      limits: DEFAULT_CONFIG.limits,
      responseCache: false,
      // the sampled lag out of the way (60 s allowed, every 10 s): the queue's shedding is tested
      maxEventLoopDelayMs: 60_000,
      pressureSampleIntervalMs: 10_000,
    });
    try {
      const responses = await burst(server, 300, () => ({
        query: "{ states(first: 5) { totalCount } }",
      }));
      expect(responses.map((r) => r.status).filter((status) => status !== 200)).toEqual([]);
    } finally {
      await server.close();
    }
  }, 120_000);
});
