/**
 * The floor under a request body's rate (src/server/body-rate.ts): a body dripped, or never sent
 * after its headers, is refused 408 `BODY_TOO_SLOW` once its grace has passed, long before the
 * request timeout; an honest body, slow but above the floor, paused in its grace, or sent after
 * `100 Continue`, is answered. The settings are small (a floor of 100 bytes/s after 0.5-2 s)
 * so that the tests are quick, with margins of 5x or more either way: the machine is shared.
 */

import type { IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import type { AppOptions } from "../../src/server/app.js";
import { BodyRates, type TooSlow } from "../../src/server/body-rate.js";
import { startedServers, type TestServer } from "../support/server.js";

let graph: KnowledgeGraph;
const servers = startedServers();
beforeAll(async () => {
  graph = await loadBuiltInGraph();
});
afterAll(() => servers.closeAll());

const serve = (options: AppOptions) => servers.start(graph, options);

/** A raw connection to `server`, with everything it is sent gathered, and when it closed. */
function open(server: TestServer) {
  const socket = connect(Number(new URL(server.url).port), "127.0.0.1");
  let text = "";
  const seen: { test: (text: string) => boolean; resolve: () => void }[] = [];
  socket.setEncoding("utf8").on("data", (chunk: string) => {
    text += chunk;
    for (const s of seen.filter((s) => s.test(text))) {
      seen.splice(seen.indexOf(s), 1);
      s.resolve();
    }
  });
  const closed = new Promise<string>((resolve) => {
    socket.on("error", () => {});
    socket.on("close", () => resolve(text));
  });
  return {
    socket,
    closed,
    /** Resolves once what came so far passes `test`. */
    received: (test: (text: string) => boolean) =>
      new Promise<void>((resolve) => {
        if (test(text)) resolve();
        else seen.push({ test, resolve });
      }),
    get text() {
      return text;
    },
  };
}

/** The status and JSON body of the last answer in `text`. */
function lastAnswer(text: string): { status: number; json: any } {
  const start = text.lastIndexOf("HTTP/1.1 ");
  const status = Number(text.slice(start + 9, start + 12));
  const body = text.slice(text.indexOf("\r\n\r\n", start) + 4);
  return { status, json: JSON.parse(body) };
}

const head = (length: number, extra = "") =>
  `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n`;

/** `{"query":"{ __typename }"}` padded with spaces to `length` bytes. */
function typenameBody(length: number): string {
  const json = '{"query":"{ __typename }"}';
  return json.slice(0, -1) + " ".repeat(length - json.length) + json.slice(-1);
}

/**
 * Write `body` on `socket` at `bytesPerSecond` on average from now, catching up whatever a late
 * timer lost (so a busy machine makes it no slower on average): resolves when all is written.
 */
function sendAt(socket: Socket, body: string, bytesPerSecond: number): Promise<void> {
  const started = performance.now();
  let sent = 0;
  return new Promise((resolve) => {
    const tick = () => {
      if (socket.destroyed) return resolve();
      const owed = Math.min(
        body.length,
        Math.floor(((performance.now() - started) * bytesPerSecond) / 1000),
      );
      if (owed > sent) socket.write(body.slice(sent, owed));
      sent = Math.max(sent, owed);
      if (sent >= body.length) resolve();
      else setTimeout(tick, 20);
    };
    tick();
  });
}

const slowSettings: AppOptions = {
  minBodyRate: 100,
  minBodyRateGraceMs: 500,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 20_000,
};

describe("the floor under a request body's rate", () => {
  it("refuses a body dripped a byte every 100 ms (10 bytes/s) with 408 BODY_TOO_SLOW, long before the request timeout, closes the connection, and counts it", async () => {
    const lines: Record<string, unknown>[] = [];
    const server = await serve({
      ...slowSettings,
      logLevel: "warn",
      logSink: { write: (text: string) => lines.push(JSON.parse(text)) },
    });
    const client = open(server);
    const started = performance.now();
    client.socket.write(`${head(1000)}{`);
    const drip = setInterval(() => client.socket.write(" "), 100);
    const text = await client.closed;
    clearInterval(drip);
    const elapsed = performance.now() - started;
    const { status, json } = lastAnswer(text);
    expect(status).toBe(408);
    expect(text).toMatch(/\r\nconnection: close\r\n/i);
    expect(json.errors[0].extensions.code).toBe("BODY_TOO_SLOW");
    expect(json.errors[0].message).toMatch(
      /^The request body came too slowly: \d+ bytes in \d+ ms \(\d+ bytes\/s\), under the server's floor of 100 bytes\/s once 500 ms have passed\. Send the body with its headers, or at least 100 bytes a second\.$/,
    );
    // the request timeout (20 s) would have cut it too, later and as BAD_REQUEST: this is the
    // floor's, at about 0.5-0.6 s; 10 s leaves room for a busy machine
    expect(elapsed).toBeLessThan(10_000);
    expect(await server.app.metrics.registry.metrics()).toMatch(
      /^kz_osce_http_bodies_too_slow_total 1$/m,
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "warn",
        msg: "refused a request body that came too slowly",
        floorBytesPerSecond: 100,
      }),
    );
  });

  it("refuses a body of which nothing comes after the headers", async () => {
    const server = await serve(slowSettings);
    const client = open(server);
    const started = performance.now();
    client.socket.write(head(100));
    const text = await client.closed;
    expect(lastAnswer(text).status).toBe(408);
    expect(lastAnswer(text).json.errors[0].extensions.code).toBe("BODY_TOO_SLOW");
    expect(lastAnswer(text).json.errors[0].message).toMatch(/: 0 bytes in \d+ ms \(0 bytes\/s\)/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("answers a body paused in its grace, then sent slowly but above the floor", async () => {
    // a floor of 100 bytes/s after 2 s; the body waits 1 s, then comes at 1,000 bytes/s: 500
    // bytes/s on average when the grace ends, and rising; 3,000 bytes in all, 4 s
    const server = await serve({ ...slowSettings, minBodyRateGraceMs: 2000 });
    const client = open(server);
    client.socket.write(head(3000));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await sendAt(client.socket, typenameBody(3000), 1000);
    await client.received((text) => text.includes('"__typename"'));
    const { status, json } = lastAnswer(client.text);
    expect(status).toBe(200);
    expect(json).toEqual({ data: { __typename: "Query" } });
    expect(await server.app.metrics.registry.metrics()).toMatch(
      /^kz_osce_http_bodies_too_slow_total 0$/m,
    );
    client.socket.destroy();
  });

  it("answers an Expect: 100-continue client that sends its body only once told to, slowly but above the floor", async () => {
    const server = await serve(slowSettings);
    const client = open(server);
    client.socket.write(head(1500, "Expect: 100-continue\r\n"));
    await client.received((text) => text.startsWith("HTTP/1.1 100 Continue\r\n\r\n"));
    // 500 bytes/s, five times the floor, for 3 s
    await sendAt(client.socket, typenameBody(1500), 500);
    await client.received((text) => text.includes('"__typename"'));
    expect(lastAnswer(client.text)).toEqual({
      status: 200,
      json: { data: { __typename: "Query" } },
    });
    client.socket.destroy();
  });

  it("answers pipelined requests, and a large body sent at once, with the floor on", async () => {
    const server = await serve({ ...slowSettings, maxBodyBytes: 500_000 });
    const client = open(server);
    const large = typenameBody(500_000);
    client.socket.write(
      `${head(30)}${typenameBody(30)}${head(500_000)}${large}${head(30)}${typenameBody(30)}`,
    );
    await client.received((text) => text.split('"__typename"').length === 4);
    expect(client.text.match(/HTTP\/1\.1 \d{3}/g)).toEqual([
      "HTTP/1.1 200",
      "HTTP/1.1 200",
      "HTTP/1.1 200",
    ]);
    client.socket.destroy();
  });

  it("does not hold against a body the time the server stopped reading its connection, up to a grace's worth", async () => {
    // Node pauses a connection whose client pipelines requests without taking the answers (http's
    // backpressure: a request's headers arriving with answers waiting); here the test pauses it
    // as Node does (its `_paused` flag, without which reading the body resumes the socket), just
    // after the request's headers and the first bytes of its body were read. A grace of 2 s: as
    // long as the pause, which is credited up to a grace (the driven-clock case below has the bound)
    const server = await serve({ ...slowSettings, minBodyRateGraceMs: 2000 });
    type NodeSocket = Socket & { _paused: boolean; parser?: { resume(): void } };
    const paused = new Promise<NodeSocket>((resolve) =>
      server.app.server.once("request", (req) => {
        const socket = req.socket as NodeSocket;
        socket._paused = true;
        socket.pause();
        resolve(socket);
      }),
    );
    const client = open(server);
    const body = typenameBody(200);
    client.socket.write(`${head(200)}${body.slice(0, 10)}`);
    const serverSide = await paused;
    // the rest waits in the kernel for 2 s: 10 bytes in 2 s is under the floor
    client.socket.write(body.slice(10));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // and resumes it as Node does once the answers are taken (_http_server.js, socketOnDrain)
    serverSide._paused = false;
    serverSide.parser?.resume();
    serverSide.resume();
    // (or its refusal: the assertion below then says which)
    await client.received((text) => /"__typename"|"errors"/.test(text));
    expect(lastAnswer(client.text)).toEqual({
      status: 200,
      json: { data: { __typename: "Query" } },
    });
    client.socket.destroy();
  });

  it("is off with KZ_OSCE_MIN_BODY_RATE=0: a drip is cut by the request timeout alone", async () => {
    const server = await serve({
      ...slowSettings,
      minBodyRate: 0,
      headersTimeoutMs: 2500,
      requestTimeoutMs: 2500,
    });
    const client = open(server);
    const started = performance.now();
    client.socket.write(`${head(1000)}{`);
    const drip = setInterval(() => client.socket.write(" "), 100);
    const text = await client.closed;
    clearInterval(drip);
    expect(lastAnswer(text).status).toBe(408);
    expect(lastAnswer(text).json.errors[0].extensions.code).toBe("BAD_REQUEST");
    expect(performance.now() - started).toBeGreaterThanOrEqual(2400);
  });
});

describe("the floor's sweep, on a driven clock (BodyRates alone)", () => {
  const settings = { minBodyRate: 100, minBodyRateGraceMs: 500 };
  /** A request as the sweep reads it: its headers and whether Node has paused its socket. */
  const request = (headers: Record<string, string> = {}) =>
    ({ headers, socket: { isPaused: () => false } }) as unknown as IncomingMessage;
  afterEach(() => {
    vi.useRealTimers();
  });

  it("judges no body in a sweep the server held up, and counts the delay against none (the review of 5 December)", () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const refused: TooSlow[] = [];
    const rates = new BodyRates(settings);
    const body = rates.watch(request(), (slow) => refused.push(slow));
    const start = performance.now();
    vi.spyOn(performance, "now").mockReturnValue(start + 100);
    vi.advanceTimersByTime(100); // the first sweep, on time: inside the grace
    expect(refused).toEqual([]);
    // one long turn (the server's loop held 1 s): the clock moves with no sweep, then the late
    // one runs, before the socket's bytes are read
    const now = start + 100;
    vi.spyOn(performance, "now").mockReturnValue(now + 1000);
    vi.advanceTimersByTime(100);
    expect(refused).toEqual([]);
    // the bytes come in the same turn, once the sockets are read: well above the floor
    body.grew(26);
    body.end();
    vi.spyOn(performance, "now").mockReturnValue(now + 1200);
    vi.advanceTimersByTime(100);
    expect(refused).toEqual([]);
  });

  it("still refuses, after a late sweep, a body that stays under the floor", () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const refused: TooSlow[] = [];
    const rates = new BodyRates(settings);
    rates.watch(request(), (slow) => refused.push(slow));
    const now = performance.now();
    vi.spyOn(performance, "now").mockReturnValue(now + 1000);
    vi.advanceTimersByTime(100); // late: nothing judged
    expect(refused).toEqual([]);
    for (let t = 1100; t <= 2000; t += 100) {
      vi.spyOn(performance, "now").mockReturnValue(now + t);
      vi.advanceTimersByTime(100);
    }
    expect(refused).toHaveLength(1);
    expect(refused[0]!.bytes).toBe(0);
  });

  it("holds against a body no more than a grace of its connection's pause: then it is judged as any other (red team 7)", () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const refused: number[] = [];
    const rates = new BodyRates(settings);
    // a connection paused by its own client (a big answer not read) whose pipelined POST sends nothing
    const socket = { isPaused: () => true, destroyed: false, destroy: vi.fn() };
    const paused = { headers: {}, socket } as unknown as IncomingMessage;
    const start = performance.now();
    rates.watch(paused, () => refused.push(performance.now() - start));
    for (let t = 100; t <= 2000; t += 100) {
      vi.spyOn(performance, "now").mockReturnValue(start + t);
      vi.advanceTimersByTime(100);
    }
    // the grace (500 ms) plus as much paused time credited, then refused at the next sweep: not
    // at the grace (no credit) and not never (the pause credited without bound)
    expect(refused).toHaveLength(1);
    expect(Math.round(refused[0]!)).toBeGreaterThanOrEqual(1000);
    // (rounded: the driven clock's times are sums of floats, 1100.0000000000018 in one run)
    expect(Math.round(refused[0]!)).toBeLessThanOrEqual(1100);
    // and its connection goes: the refusal would wait behind the answers its client does not take
    expect(socket.destroy).toHaveBeenCalledTimes(1);
  });

  it("never refuses an upload that stalls for longer than a grace after sending fast: the floor is an average since the start (review 3)", () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const refused: TooSlow[] = [];
    const rates = new BodyRates(settings);
    const start = performance.now();
    const body = rates.watch(request(), (slow) => refused.push(slow));
    // 1,000 bytes a second (ten times the floor) for 1 s, a stall of three graces, then on again:
    // a window of a grace (a leaky bucket) refused it in the stall
    for (let t = 100; t <= 4000; t += 100) {
      if (t <= 1000 || t > 2500) body.grew(100);
      vi.spyOn(performance, "now").mockReturnValue(start + t);
      vi.advanceTimersByTime(100);
    }
    expect(refused).toEqual([]);
    body.end();
  });

  it("judges a client waiting for 100 Continue from its first byte: pipelined, Node holds the 100 back until the answers before it are sent", () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const refused: TooSlow[] = [];
    const rates = new BodyRates(settings);
    const body = rates.watch(request({ expect: "100-continue" }), (slow) => refused.push(slow));
    const now = performance.now();
    // 19 s waiting for its 100 (behind an export): sweeps on time, nothing sent, not refused
    for (let t = 100; t <= 19_000; t += 100) {
      vi.spyOn(performance, "now").mockReturnValue(now + t);
      vi.advanceTimersByTime(100);
    }
    expect(refused).toEqual([]);
    // then it sends, and is judged from then: a drip is refused once its grace has passed
    body.grew(1);
    for (let t = 19_100; t <= 20_000; t += 100) {
      vi.spyOn(performance, "now").mockReturnValue(now + t);
      vi.advanceTimersByTime(100);
    }
    expect(refused).toHaveLength(1);
    expect(refused[0]!.bytes).toBe(1);
  });
});
