/**
 * A client that goes away before its answer stops its execution (src/server/client-gone.ts): a
 * slow query whose connection closes mid-way runs a turn or two more, not to its end, on the
 * direct path (POST) and through Yoga (GET); a client that stays still gets its whole answer.
 *
 * Measured in turns of the scheduler (src/graph/scheduler.ts), not time: a slow query alone runs
 * a slice per turn, so the turns an uncut run takes, against those taken after the close, say
 * whether it went on, however fast or busy the machine.
 *
 * And `allClosed`, the wait of app.ts's refusals and of the exports' slots for responses that may
 * be queued on a pipelined connection: over a bare node server, where node's own behaviour (no
 * close for a queued response) is seen too.
 */
import { once } from "node:events";
import { createServer, type ServerResponse } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { sliceScheduler } from "../../src/graph/scheduler.js";
import { loadJsonGraphWithSnapshot } from "../../src/graph/snapshot/load.js";
import { allClosed } from "../../src/server/client-gone.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { startServer, type TestServer } from "../support/server.js";

/** This file's slice (each file has its own: the process's scheduler is one per slice length). */
const SLICE_MS = 7;
const scheduler = sliceScheduler(SLICE_MS);
const limits = {
  ...DEFAULT_CONFIG.limits,
  maxCost: 1_000_000_000,
  executionSliceMs: SLICE_MS,
  executionTimeoutMs: 120_000,
};

/**
 * Twelve scans of every person, each a filter of 45 text searches that match nothing (about
 * 50 ms a scan at 20,000 entities): several hundred ms, a slice per turn. `run` makes the texts
 * its own, so that no run is answered from what an earlier one found.
 */
function slowQuery(run: number) {
  const filter = {
    or: Array.from({ length: 45 }, (_, i) => ({ anyName: { contains: `zzqq${i}g${run}` } })),
  };
  const fields = Array.from(
    { length: 12 },
    (_, i) => `a${i}: persons(first: 1, filter: $f) { totalCount }`,
  );
  return {
    query: `query Slow($f: PersonFilter) { ${fields.join(" ")} }`,
    variables: { f: filter },
  };
}

let graph: KnowledgeGraph;
let server: TestServer;
beforeAll(async () => {
  ({ graph } = await loadJsonGraphWithSnapshot(
    generatedDataset(20_000, { seed: 5, format: "json" }),
  ));
  server = await startServer(graph, { limits, responseCache: false });
  return () => server.close();
}, 120_000);

/** Resolves once `condition` holds, asked after each turn of the loop (within the test's time). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

/** The raw HTTP request of `slowQuery(run)`: by POST (the direct path) or GET (through Yoga). */
function requestOf(run: number, method: "POST" | "GET"): string {
  const { query, variables } = slowQuery(run);
  if (method === "GET") {
    const search = new URLSearchParams({ query, variables: JSON.stringify(variables) });
    return `GET /graphql?${search} HTTP/1.1\r\nHost: test\r\nAccept: application/json\r\n\r\n`;
  }
  const body = JSON.stringify({ query, variables });
  return `POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/**
 * Sends `request` on a connection of its own; when `leaveAfterTurns` is given, closes it once
 * the execution has taken that many turns. Resolves when the server has no execution left, with
 * the turns it took in all and after the close, and what came back.
 */
async function run(request: string, leaveAfterTurns?: number) {
  await until(() => scheduler.active === 0);
  const turnsBefore = scheduler.turns;
  const socket = connect(Number(new URL(server.url).port), "127.0.0.1");
  let answer = "";
  socket.setEncoding("utf8").on("data", (chunk: string) => (answer += chunk));
  socket.on("error", () => {});
  socket.write(request);
  await until(() => scheduler.active > 0);
  let turnsAtClose: number | undefined;
  if (leaveAfterTurns !== undefined) {
    await until(() => scheduler.turns - turnsBefore >= leaveAfterTurns || scheduler.active === 0);
    turnsAtClose = scheduler.turns;
    socket.destroy();
  }
  await until(() => scheduler.active === 0);
  const turns = scheduler.turns - turnsBefore;
  if (leaveAfterTurns === undefined) {
    await until(() => /\r\n\r\n[\s\S]*\}\s*$/.test(answer));
    socket.destroy();
  }
  return {
    turns,
    turnsAfterClose: turnsAtClose === undefined ? undefined : scheduler.turns - turnsAtClose,
    answer,
  };
}

describe("a client that goes away before its answer", () => {
  for (const method of ["POST", "GET"] as const) {
    it(`stops its execution within a turn or two, by ${method}${method === "POST" ? " (the direct path)" : " (through Yoga)"}, and one that stays gets it whole`, async () => {
      const whole = await run(requestOf(method === "POST" ? 1 : 2, method));
      expect(whole.answer).toMatch(/^HTTP\/1\.1 200 /);
      expect(whole.answer).toContain('"a11":{"totalCount":0}');
      // an uncut run takes a slice a turn: many turns
      expect(whole.turns).toBeGreaterThanOrEqual(20);

      const cut = await run(requestOf(method === "POST" ? 3 : 4, method), 3);
      // it was executing when its client left (not done already)
      expect(cut.answer).toBe("");
      expect(cut.turnsAfterClose).toBeLessThanOrEqual(2);
      expect(cut.turns).toBeLessThan(whole.turns / 4);
    });
  }

  it("stops the requests pipelined behind the first too, when their connection closes", async () => {
    await until(() => scheduler.active === 0);
    const socket = connect(Number(new URL(server.url).port), "127.0.0.1");
    socket.on("error", () => {});
    // three in one write: node reads them in one go, and answers them in order
    socket.write(requestOf(7, "POST") + requestOf(8, "GET") + requestOf(9, "POST"));
    await until(() => scheduler.active > 0);
    const turnsBefore = scheduler.turns;
    await until(() => scheduler.turns - turnsBefore >= 3);
    const turnsAtClose = scheduler.turns;
    socket.destroy();
    await until(() => scheduler.active === 0);
    // none runs on (node emits close only for the response on the socket, not those queued):
    // three slow queries ran on for 109-160 turns
    expect(scheduler.turns - turnsAtClose).toBeLessThanOrEqual(3);
  });

  it("leaves none of the pipelined requests in flight (with what it held) once their connection has closed", async () => {
    await until(() => scheduler.active === 0);
    const inFlight = async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      // the /metrics request itself is one
      return Number(/^kz_osce_http_requests_in_flight (\d+)$/m.exec(text)?.[1]) - 1;
    };
    expect(await inFlight()).toBe(0);
    const closed = new Promise<void>((resolve) =>
      server.app.server.once("connection", (socket) => socket.once("close", () => resolve())),
    );
    const socket = connect(Number(new URL(server.url).port), "127.0.0.1");
    socket.on("error", () => {});
    socket.write(requestOf(10, "POST") + requestOf(11, "POST") + requestOf(12, "GET"));
    await until(() => scheduler.active > 0);
    socket.destroy();
    await closed;
    await until(() => scheduler.active === 0);
    // node emits no close for a response queued behind another when the connection ends: the
    // two behind the first stayed in flight for good, holding their answers
    expect(await inFlight()).toBe(0);
  });

  it("leaves the queue at once when it goes while waiting for its turn, and the others run on", async () => {
    // two slow requests: the second waits behind the first for its turns
    const stays = run(requestOf(5, "POST"));
    await until(() => scheduler.active === 1);
    const socket = connect(Number(new URL(server.url).port), "127.0.0.1");
    socket.on("error", () => {});
    socket.write(requestOf(6, "POST"));
    await until(() => scheduler.active === 2 && scheduler.queued > 0);
    const turnsAtClose = scheduler.turns;
    socket.destroy();
    // over without a turn of its own: at most the two the loop may take before the close is
    // seen (the end of the connection is read in one poll phase, its close comes in the close
    // phase after the next check phase); its work leaving what waits is scheduler.test.ts's
    await until(() => scheduler.active === 1);
    expect(scheduler.turns - turnsAtClose).toBeLessThanOrEqual(2);
    const { answer } = await stays;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('"a11":{"totalCount":0}');
  });

  it("is counted in /metrics while it executes or waits, and no longer once it is over or gone", async () => {
    const gauges = async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const value = (name: string) => Number(text.match(new RegExp(`^${name} (\\S+)$`, "m"))?.[1]);
      return {
        active: value("kz_osce_executions_active"),
        waiting: value("kz_osce_executions_waiting"),
      };
    };
    await until(() => scheduler.active === 0);
    expect(await gauges()).toEqual({ active: 0, waiting: 0 });
    const stays = run(requestOf(7, "POST"));
    await until(() => scheduler.active === 1);
    const socket = connect(Number(new URL(server.url).port), "127.0.0.1");
    socket.on("error", () => {});
    socket.write(requestOf(8, "POST"));
    await until(() => scheduler.active === 2 && scheduler.queued > 0);
    // /metrics is answered between the two executions' slices
    const during = await gauges();
    expect(during.active).toBe(2);
    expect(during.waiting).toBeGreaterThanOrEqual(1);
    socket.destroy();
    await stays;
    await until(() => scheduler.active === 0);
    expect(await gauges()).toEqual({ active: 0, waiting: 0 });
  });
});

describe("allClosed", () => {
  /** Three requests pipelined on one connection to a bare node server that answers none itself. */
  async function pipelinedThree() {
    const responses: ServerResponse[] = [];
    const bare = createServer((_req, res) => responses.push(res));
    await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
    const client = connect((bare.address() as AddressInfo).port, "127.0.0.1");
    client.on("error", () => {});
    client.write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".repeat(3));
    await until(() => responses.length === 3);
    const connection = responses[0]!.req.socket;
    return { responses, connection, client, close: () => bare.close() };
  }
  /** Whether `promise` has settled, asked after a turn of the loop. */
  async function settled(promise: Promise<void>): Promise<boolean> {
    let done = false;
    void promise.then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    return done;
  }

  it("waits for every one of the responses, not the first to close", async () => {
    const { responses, connection, client, close } = await pipelinedThree();
    try {
      const all = allClosed(responses, connection);
      responses[0]!.end("a");
      responses[1]!.end("b");
      await once(responses[1]!, "close");
      expect(await settled(all)).toBe(false);
      responses[2]!.end("c");
      await once(responses[2]!, "close");
      expect(await settled(all)).toBe(true);
    } finally {
      client.destroy();
      close();
    }
  });

  it("ends with their connection, though the responses queued behind the first never close", async () => {
    const { responses, connection, client, close } = await pipelinedThree();
    try {
      const all = allClosed(responses, connection);
      client.destroy();
      await once(connection, "close");
      // what it is for: node closes the response on the socket, not those queued behind it
      expect(responses.map((res) => res.closed)).toEqual([true, false, false]);
      expect(await settled(all)).toBe(true);
      // and asked once the connection is gone
      expect(await settled(allClosed(responses.slice(1), connection))).toBe(true);
    } finally {
      close();
    }
  });
});
