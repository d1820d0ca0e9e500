/**
 * A request body sent in pieces too small (body.ts, `inPiecesTooSmall`, `stopBodyEvents`): Node's
 * HTTP parser hands each chunk of a chunked body to JavaScript as a Buffer and a callback of its
 * own, about 6 µs of the event loop each, so a body within the size limit sent in one-byte chunks
 * (102,000 of them) took 588 ms of it, and four such clients held /health 1.3-3.5 s (red team 14,
 * F5). Such a body is refused once it has come in more than 1,024 pieces averaging under 64
 * bytes, and what is left of it, and any body sent where none is read, is parsed without a call
 * into JavaScript. What JavaScript sees is counted here by the pushes of the parser's body
 * callback into the request (`IncomingMessage.push`), not by time: bench figures in the commit.
 */
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { MIN_PIECE_BYTES, PIECES_ALLOWED } from "../../src/server/body.js";
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
