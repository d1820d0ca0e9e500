/**
 * A body refused 413 while it is still coming: the server closes the connection lingering
 * (src/server/body.ts, `lingerOnClose`), reading and discarding what the client still sends, so
 * that the client reads its 413, and any answer pipelined before it, instead of a reset (red
 * team 8: a 5 MB body got EPIPE 10 times of 10; a 1 MB one pipelined after a 627 KB answer cut
 * that answer short). Bodies of several MB sent as fast as loopback takes them: without the
 * lingering close the kernel resets the connection while they are still being written.
 */

import { ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { AppOptions } from "../../src/server/app.js";
import { lingerLimit } from "../../src/server/connections.js";
import { httpPost, rawConnection } from "../support/raw-connection.js";
import { startedServers, type TestServer } from "../support/server.js";

const servers = startedServers();
afterAll(() => servers.closeAll());
/** A server of the built-in data with `options`: its port. */
async function serve(options: AppOptions): Promise<number> {
  return Number(new URL((await servers.start(undefined, options)).url).port);
}

/**
 * Sends `text` on a new connection as fast as it goes, then reads what came back until the close,
 * as a simple client does (it reads once it has written): what a reset destroys is what it has
 * not read yet.
 */
function exchange(port: number, text: string | Buffer) {
  return new Promise<{ received: string; error: string | undefined }>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    let error: string | undefined;
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("error", (e: NodeJS.ErrnoException) => (error ??= e.code ?? e.message));
    socket.on("close", () => resolve({ received, error }));
    socket.pause();
    socket.write(text, () => socket.resume());
  });
}

const post = (body: string | number, extra = "") =>
  `POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nAccept: application/json\r\n${extra}Content-Length: ${typeof body === "number" ? body : Buffer.byteLength(body)}\r\n\r\n${typeof body === "number" ? "" : body}`;

describe("a body refused 413 while it is still coming", () => {
  it("is answered 413, read by its client whole, not reset: the server reads and discards the rest before it closes", async () => {
    const port = await serve({ maxBodyBytes: 100_000 });
    const size = 8 * 1024 * 1024;
    // three tries, each of which a reset lost without the lingering close (the red team's 10 of 10)
    for (let i = 0; i < 3; i++) {
      const { received, error } = await exchange(
        port,
        Buffer.concat([Buffer.from(post(size)), Buffer.alloc(size, 0x20)]),
      );
      expect(error).toBeUndefined();
      expect(received).toMatch(/^HTTP\/1\.1 413 /);
      expect(received).toMatch(/\r\nconnection: close\r\n/i);
      expect(received).toContain('"code":"REQUEST_ENTITY_TOO_LARGE"');
    }
  });

  it("does not cut short an answer pipelined before it", async () => {
    const port = await serve({ maxBodyBytes: 100_000 });
    // an answer first, then a body over the limit, sent whole
    const first = post(JSON.stringify({ query: "{ sources { nodes { text } } }" }));
    const size = 4 * 1024 * 1024;
    const { received, error } = await exchange(
      port,
      Buffer.concat([Buffer.from(first + post(size)), Buffer.alloc(size, 0x20)]),
    );
    expect(error).toBeUndefined();
    const second = received.indexOf("HTTP/1.1 413 ");
    expect(received.startsWith("HTTP/1.1 200 ")).toBe(true);
    expect(second).toBeGreaterThan(0);
    const head = received.slice(0, received.indexOf("\r\n\r\n"));
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1]);
    // the first answer came whole, up to its last byte, then the 413
    expect(second - (head.length + 4)).toBe(length);
  });

  it("runs no request pipelined after the 413: the connection is closing (RFC 9112 9.6; review 3)", async () => {
    const port = await serve({ maxBodyBytes: 1024 });
    // each request the app runs is given its id first thing (app.ts): counted here
    const setHeader = vi.spyOn(ServerResponse.prototype, "setHeader");
    const ran = () => setHeader.mock.calls.filter(([name]) => name === "x-request-id").length;
    const query = post(JSON.stringify({ query: "{ __typename }" }));
    const { received, error } = await exchange(port, post("x".repeat(5000)) + query.repeat(20));
    expect(error).toBeUndefined();
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    // only the 413's request was run; Node parsed the twenty after it (review 3: it ran them all)
    expect(ran()).toBe(1);
  });

  it("runs no request pipelined after any refusal that closes the connection: one without Host, then twenty (review 4)", async () => {
    const port = await serve({});
    const setHeader = vi.spyOn(ServerResponse.prototype, "setHeader");
    const ran = () => setHeader.mock.calls.filter(([name]) => name === "x-request-id").length;
    const noHost = post(JSON.stringify({ query: "{ __typename }" })).replace("Host: test\r\n", "");
    const query = post(JSON.stringify({ query: "{ __typename }" }));
    const { received } = await exchange(port, noHost + query.repeat(20));
    expect(received.match(/HTTP\/1\.1 \d+/g)).toEqual(["HTTP/1.1 400"]);
    expect(received).toMatch(/\r\nconnection: close\r\n/i);
    // the refused one alone was run (review 4: 21)
    expect(ran()).toBe(1);
  });

  it("keeps no place at the cap for a lingering connection's requests that are not run: a newcomer takes it (review 4)", async () => {
    const port = await serve({ maxBodyBytes: 1024, maxConnections: 1, connectionEvictAfterMs: 0 });
    const query = post(JSON.stringify({ query: "{ __typename }" }));
    // A: a body over the limit, then one query pipelined (not run), its side kept open
    const a = connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    a.on("error", () => {});
    let fromA = "";
    a.setEncoding("latin1").on("data", (chunk: string) => (fromA += chunk));
    a.write(post("x".repeat(5000)) + query);
    await vi.waitFor(() => expect(fromA).toMatch(/^HTTP\/1\.1 413 [\s\S]*\r\n\r\n\{.*\}$/), {
      timeout: 10_000,
    });
    // B at the cap of one: A, answered and lingering, is idle and gives its place (it held it
    // for the linger's 5 s, its uncounted request keeping it from ever being idle: 503)
    // (its connection closed after the answer: `exchange` reads until the close, and a kept-alive
    // one waited out the test server's keep-alive timeout, 60 s)
    const { received } = await exchange(
      port,
      post(JSON.stringify({ query: "{ __typename }" }), "Connection: close\r\n"),
    );
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    a.destroy();
  });

  it("stops lingering after its bound: a client that never stops sending is closed", async () => {
    const { lingerOnClose } = await import("../../src/server/body.js");
    const { createServer } = await import("node:net");
    // a bare server whose one connection lingers for 200 ms, while its client keeps sending
    const closed = new Promise<number>((resolve) => {
      // half-open allowed on both sides, as Node's http server allows it: the client's FIN alone
      // would not close the server's side, and the client goes on sending after the server's
      const server = createServer({ allowHalfOpen: true }, (socket) => {
        lingerOnClose(socket, 200);
        const started = performance.now();
        socket.on("data", () => {});
        socket.on("close", () => {
          resolve(performance.now() - started);
          server.close();
        });
        socket.destroySoon();
      }).listen(0, "127.0.0.1", () => {
        const address = server.address() as { port: number };
        const client = connect({ port: address.port, host: "127.0.0.1", allowHalfOpen: true });
        client.on("error", () => {});
        const send = setInterval(() => client.write("x".repeat(1024)), 10);
        client.on("close", () => clearInterval(send));
      });
    });
    // closed by the bound, well before the test's own timeout; not at once either
    expect(await closed).toBeGreaterThanOrEqual(150);
  });
});

describe("lingering connections at the connection cap (red team 9, finding 2)", () => {
  /**
   * A connection that announces a body over the limit, sends its first KB, and reads its 413;
   * then, with `drip`, goes on sending a byte of that body every 50 ms and ignores the server's
   * FIN, as the red team's attacker did. Its client side, and the server's side of it.
   */
  async function lingerer(server: TestServer, drip: boolean) {
    const mine = new Promise<Socket>((resolve) =>
      server.app.server.once("connection", (socket: Socket) => resolve(socket)),
    );
    const client = rawConnection(server, { allowHalfOpen: true });
    await client.connected;
    client.socket.write(
      `POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 200000\r\n\r\n${" ".repeat(1000)}`,
    );
    expect((await client.answer(1)).status).toBe(413);
    const dripping = drip
      ? setInterval(() => client.socket.writable && client.socket.write(" "), 50)
      : undefined;
    client.socket.once("close", () => clearInterval(dripping));
    return { client, socket: await mine, stop: () => client.socket.destroy() };
  }

  it("gives a newcomer the place of every connection lingering after its 413, however it keeps sending", async () => {
    // the default eviction rule (a second): the lingering connections would wait for it
    const server = await servers.start(undefined, { maxBodyBytes: 100_000, maxConnections: 2 });
    const held = [await lingerer(server, true), await lingerer(server, true)];
    // both places hold a connection that was answered, closes lingering, and keeps sending: the
    // body bytes made each look see an idle connection beginning its next request, whose age
    // restarted then, so none was ever old enough to evict (503 TOO_MANY_CONNECTIONS here)
    const newcomer = rawConnection(server);
    await newcomer.connected;
    newcomer.socket.write(httpPost(JSON.stringify({ query: "{ __typename }" })));
    expect((await newcomer.answer(1)).status).toBe(200);
    // served beside them, not in place of them: they still linger, so their clients read their 413s
    for (const { socket } of held) expect(socket.destroyed).toBe(false);
    const metrics = await server.app.metrics.registry.metrics();
    expect(metrics).toMatch(/^kz_osce_http_connections_evicted_total 0$/m);
    for (const { stop } of held) stop();
  });

  it("lingers on at most lingerLimit connections at once: the oldest is closed for one more", async () => {
    const server = await servers.start(undefined, { maxBodyBytes: 100_000, maxConnections: 1 });
    // one after another at a cap of one: each takes the place the one before left as it lingered
    const held = [];
    for (let i = 0; i < lingerLimit(1); i++) held.push(await lingerer(server, false));
    expect(await server.app.metrics.registry.metrics()).toMatch(
      /^kz_osce_http_lingering_closed_total 0$/m,
    );
    const last = await lingerer(server, false);
    // the oldest went as the last began to linger, before its client read its 413 (it lingered
    // the longest, and its client read its own first); the others linger on
    expect(held[0]!.socket.destroyed).toBe(true);
    for (const { socket } of [...held.slice(1), last]) expect(socket.destroyed).toBe(false);
    expect(await server.app.metrics.registry.metrics()).toMatch(
      /^kz_osce_http_lingering_closed_total 1$/m,
    );
    for (const { stop } of [...held, last]) stop();
  });
});
