/**
 * A request body sent in pieces too small (body.ts, `inPiecesTooSmall`, `stopBodyEvents`): Node's
 * HTTP parser hands each chunk of a chunked body to JavaScript as a Buffer and a callback of its
 * own, about 6 µs of the event loop each, so a body within the size limit sent in one-byte chunks
 * (102,000 of them) took 588 ms of it, and four such clients held /health 1.3-3.5 s (red team 14,
 * F5). Such a body is refused once it has come in more than 1,024 pieces averaging under 64
 * bytes, and what is left of it, and any body sent where none is read, is parsed without a call
 * into JavaScript. What JavaScript sees is counted here by the pushes of the parser's body
 * callback into the request (`IncomingMessage.push`), not by time: bench figures in the commit.
 * A body Node discards itself (`req._dump()`, once a request is answered without its body being
 * read) is never pushed, yet each chunk of it is still a call of the parser's body callback from
 * C++: for refusals, those calls are counted (`countBodyCallbacks`; review 18, finding 1).
 */
import { createServer, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { discardsInPieces, MIN_PIECE_BYTES, PIECES_ALLOWED } from "../../src/server/body.js";
import { rawConnection } from "../support/raw-connection.js";
import { startServer, type TestServer } from "../support/server.js";

const QUERY = JSON.stringify({ query: '{ person(key: "gyorgy-szabo") { name } }' });

/** `text` as a chunked body of `size`-byte chunks (and its last, empty chunk). */
function chunked(text: string, size: number): string {
  let out = "";
  for (let i = 0; i < text.length; i += size) {
    const piece = text.slice(i, i + size);
    out += `${Buffer.byteLength(piece).toString(16)}\r\n${piece}\r\n`;
  }
  return `${out}0\r\n\r\n`;
}

/** A request with a chunked body, written by hand. */
function request(method: string, path: string, body: string, headers = ""): string {
  return `${method} ${path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n${headers}Transfer-Encoding: chunked\r\n\r\n${body}`;
}

/** The query padded with spaces to `length` characters (still the same JSON). */
const padded = (length: number) => `${QUERY.slice(0, -1)}${" ".repeat(length - QUERY.length)}}`;

/** `count` one-byte chunks of a chunked body, without its last chunk (the body goes on). */
const oneByteChunks = (count: number) => "1\r\n \r\n".repeat(count);

/** The calls of Node's parser body callback (`parserOnBody`) since `calls.n` was last set. */
const calls = { n: 0 };
const counted = new WeakSet<object>();
/**
 * Counts each call of the body callback of the parser of each connection `server` accepts (after
 * Node's own listener has given it one), whether or not the chunk is pushed to the request:
 * what stopBodyEvents takes out is this callback. Parsers are pooled: each is wrapped once.
 */
function countBodyCallbacks(server: TestServer): void {
  server.app.server.on("connection", (socket: Socket) => {
    const parser = (socket as Socket & { parser?: Record<number, unknown> }).parser;
    if (!parser || counted.has(parser)) return;
    for (let i = 0; i < 16; i++) {
      const onBody = parser[i];
      if (typeof onBody !== "function" || onBody.name !== "parserOnBody") continue;
      // (named as Node's is: body.ts finds the callback by its name)
      parser[i] = {
        parserOnBody(this: unknown, ...args: unknown[]) {
          calls.n++;
          return (onBody as (...a: unknown[]) => unknown).apply(this, args);
        },
      }.parserOnBody;
      counted.add(parser);
    }
  });
}

/** Writes `text` on `socket`, resolved once it is handed to the system. */
const written = (socket: Socket, text: string) =>
  new Promise<void>((resolve) => socket.write(text, () => resolve()));

let server: TestServer;
/** The pieces of each request's body that reached JavaScript, by request, in arrival order. */
const pushed: number[] = [];
beforeAll(async () => {
  server = await startServer(await loadBuiltInGraph(), { logLevel: "silent" });
  // before the app's own listener: each request's pushes counted, whoever reads them
  server.app.server.prependListener("request", (req: IncomingMessage) => {
    const at = pushed.push(0) - 1;
    const push = req.push.bind(req);
    req.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (chunk !== null) pushed[at]!++;
      return push(chunk, encoding);
    };
  });
});
afterAll(() => server.close());

describe("a request body in pieces too small", () => {
  it("is refused 400 BODY_IN_PIECES_TOO_SMALL past the pieces allowed, the rest of it never reaching JavaScript", async () => {
    pushed.length = 0;
    const c = rawConnection(server);
    // 20,000 one-byte chunks in one write: the parser has them all at once
    c.socket.write(request("POST", "/graphql", chunked(padded(20_000), 1)));
    const answer = await c.answer(1);
    expect(answer.status).toBe(400);
    const error = JSON.parse(answer.body).errors[0];
    expect(error.extensions.code).toBe("BODY_IN_PIECES_TOO_SMALL");
    expect(error.message).toMatch(
      new RegExp(
        `^The request body came in ${PIECES_ALLOWED + 1} pieces of 1 bytes on average: send it in one piece \\(with a Content-Length\\), or in chunks of at least ${MIN_PIECE_BYTES} bytes on average\\.$`,
      ),
    );
    expect(answer.headers.connection).toBe("close");
    await c.closed;
    // what came after the refusal in the same read was parsed without a call into JavaScript:
    // without that, the rest of the read (some 10,000 pieces) was pushed, each a callback
    expect(pushed).toEqual([PIECES_ALLOWED + 1]);
  });

  it("is read when its pieces are large enough on average, however many", async () => {
    pushed.length = 0;
    const c = rawConnection(server);
    // 1,200 pieces of 80 bytes (96,000 bytes, within the size limit): past the pieces allowed,
    // over the least average size (a chunk split between two reads is two pieces)
    c.socket.write(request("POST", "/graphql", chunked(padded(1_200 * 80), 80)));
    const answer = await c.answer(1);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).data.person.name).toBe("György Szabó");
    expect(pushed[0]).toBeGreaterThan(PIECES_ALLOWED);
    c.socket.destroy();
  });

  it("leaves the parser whole for the next connection given it (parsers are pooled)", async () => {
    // a body refused in pieces, its connection closed before it ended, then new connections, each
    // given a pooled parser (the last freed first): every body of theirs reaches the server whole
    const refused = rawConnection(server);
    // its body not ended (no last chunk): the parser is freed with the connection, mid-body
    refused.socket.write(request("POST", "/graphql", chunked(padded(5_000), 1).slice(0, -5)));
    expect((await refused.answer(1)).status).toBe(400);
    await refused.closed;
    for (let i = 0; i < 3; i++) {
      const c = rawConnection(server);
      c.socket.write(request("POST", "/graphql", chunked(QUERY, 16)));
      const answer = await c.answer(1);
      expect(answer.status, answer.body).toBe(200);
      expect(JSON.parse(answer.body).data.person.name).toBe("György Szabó");
      c.socket.destroy();
    }
  });
});

describe("a request body sent where none is read", () => {
  it("leaves no listener behind on its connection, however many such requests it carries", async () => {
    const accepted = new Promise<Socket>((resolve) =>
      server.app.server.once("connection", (socket: Socket) => resolve(socket)),
    );
    const c = rawConnection(server);
    const ours = await accepted;
    const before = ours.listenerCount("close");
    const requests = 30;
    c.socket.write(request("GET", "/health", chunked("x".repeat(100), 10)).repeat(requests));
    for (let n = 1; n <= requests; n++) expect((await c.answer(n)).status).toBe(200);
    // the server's side of this connection: no listener more than before the first (each
    // silenced body's was added until its connection closed: Node warned at 11)
    expect(ours.listenerCount("close")).toBeLessThanOrEqual(before + 1);
    c.socket.destroy();
  });

  it.each([
    ["a path that takes none (404)", "POST", "/nothing", 404],
    ["/health", "GET", "/health", 200],
    ["a GET of /graphql", "GET", "/graphql?query=%7B__typename%7D", 200],
  ] as const)(
    "never reaches JavaScript, in one-byte chunks, and a request pipelined behind it has its own body whole: %s",
    async (_, method, path, status) => {
      pushed.length = 0;
      const c = rawConnection(server);
      c.socket.write(
        request(method, path, chunked(" ".repeat(20_000), 1)) +
          request("POST", "/graphql", chunked(QUERY, 16)),
      );
      expect((await c.answer(1)).status).toBe(status);
      const second = await c.answer(2);
      expect(second.status, second.body).toBe(200);
      expect(JSON.parse(second.body).data.person.name).toBe("György Szabó");
      // none of the first body's 20,000 pieces was pushed; the second's pieces all were
      expect(pushed).toEqual([0, Math.ceil(QUERY.length / 16)]);
      c.socket.destroy();
    },
  );
});

describe("a POST to /graphql refused at its headers (review 18, finding 1)", () => {
  let shedding: TestServer;
  let capped: TestServer;
  beforeAll(async () => {
    const graph = await loadBuiltInGraph();
    // overloaded when the test says so (its late event loop set by hand, never sampled)
    shedding = await startServer(graph, {
      maxEventLoopDelayMs: 200,
      pressureSampleIntervalMs: 600_000,
    });
    capped = await startServer(graph, { maxConnections: 1, connectionEvictAfterMs: 3_600_000 });
    countBodyCallbacks(shedding);
    countBodyCallbacks(capped);
  });
  afterAll(async () => {
    await shedding.close();
    await capped.close();
  });

  it("shed (503 SERVER_OVERLOADED, the connection kept): its body, however long, is parsed without a call into JavaScript", async () => {
    shedding.app.pressure.delayMs = 10_000;
    try {
      calls.n = 0;
      const c = rawConnection(shedding);
      c.socket.write(request("POST", "/graphql", oneByteChunks(20_000)));
      const answer = await c.answer(1);
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body).errors[0].extensions.code).toBe("SERVER_OVERLOADED");
      expect(answer.headers.connection).not.toBe("close");
      // the body goes on after the answer (100,000 more chunks), then ends; a request pipelined
      // behind it is answered once the parser has gone through all of it
      for (let i = 0; i < 5; i++) await written(c.socket, oneByteChunks(20_000));
      c.socket.write("0\r\n\r\nGET /nothing HTTP/1.1\r\nHost: test\r\n\r\n");
      expect((await c.answer(2)).status).toBe(404);
      // without the body callback taken out at the refusal: one call each, 120,000
      expect(calls.n).toBe(0);
      c.socket.destroy();
    } finally {
      shedding.app.pressure.delayMs = 0;
    }
  });

  it("beyond the connection cap (503 TOO_MANY_CONNECTIONS, the connection closed): its body is parsed without a call into JavaScript", async () => {
    const first = rawConnection(capped);
    first.socket.write("GET /health HTTP/1.1\r\nHost: test\r\n\r\n");
    expect((await first.answer(1)).status).toBe(200);
    calls.n = 0;
    const c = rawConnection(capped);
    c.socket.write(request("POST", "/graphql", oneByteChunks(20_000)));
    const answer = await c.answer(1);
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body).errors[0].extensions.code).toBe("TOO_MANY_CONNECTIONS");
    expect(answer.headers.connection).toBe("close");
    await c.closed;
    // without the body callback taken out at the refusal: one call for each chunk parsed before
    // the connection closed (20,000)
    expect(calls.n).toBe(0);
    first.socket.destroy();
  });
});

describe("what is left of a body after its answer (review 18, finding 4)", () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startServer(await loadBuiltInGraph(), { maxBodyBytes: 1000 });
    countBodyCallbacks(limited);
  });
  afterAll(() => limited.close());

  it("of a chunked body refused 413 (lingering), then sent in one-byte chunks, is parsed without a call into JavaScript", async () => {
    calls.n = 0;
    const c = rawConnection(limited);
    // one chunk of 2,000 bytes, over the limit, read (and refused); the body goes on
    c.socket.write(request("POST", "/graphql", `7d0\r\n${"x".repeat(2000)}\r\n`));
    const answer = await c.answer(1);
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe("close");
    for (let i = 0; i < 5 && !c.socket.destroyed; i++)
      await written(c.socket, oneByteChunks(20_000));
    c.socket.end();
    await c.closed;
    // the chunk read, in as many reads as it came in: none of the 100,000 after the answer.
    // Silenced by the refusal (sendError): without that, discardsInPieces cut it after 1,025
    // pieces (1,026 calls); without either, 29,000 and more, until the linger's bounds
    expect(calls.n).toBeLessThan(PIECES_ALLOWED);
  });

  it("is cut, its connection closed, once it comes in pieces too small (discardsInPieces)", async () => {
    // a server that answers a POST after the first piece of its body, as a refusal does once it
    // has read some of it (Node then goes on handing the rest to JavaScript: the body is being
    // consumed), and hands the rest to discardsInPieces as the app does (app.ts)
    let data = 0;
    const plain = createServer((req, res) => {
      if (req.method === "GET") return void res.writeHead(200, { "content-length": 2 }).end("ok");
      req.once("data", () => {
        req.on("data", () => data++);
        res.once("finish", () => discardsInPieces(req));
        res.writeHead(200, { "content-length": 2 }).end("ok");
      });
    });
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    try {
      const port = (plain.address() as { port: number }).port;
      const c = rawConnection(port);
      c.socket.write(request("POST", "/graphql", `40\r\n${"x".repeat(64)}\r\n`));
      expect((await c.answer(1)).status).toBe(200);
      for (let i = 0; i < 5 && !c.socket.destroyed; i++)
        await written(c.socket, oneByteChunks(20_000));
      // the body ended, and a request behind it that asks for the connection to be closed:
      // answered only where the body was let through
      if (!c.socket.destroyed)
        c.socket.write("0\r\n\r\nGET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
      const closed = await c.closed;
      expect(closed.answers).toHaveLength(1);
      // cut once the pieces after the answer were past PIECES_ALLOWED (the rest not handed on):
      // without discardsInPieces, all 100,000
      // (a piece more should the first chunk have come in two reads)
      expect(data).toBeGreaterThan(PIECES_ALLOWED);
      expect(data).toBeLessThanOrEqual(PIECES_ALLOWED + 2);
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });
});
