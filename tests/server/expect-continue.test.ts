/**
 * "Expect: 100-continue" (RFC 9110 10.1.1): a request whose Content-Length is over the body limit
 * gets its 413 without "100 Continue" first, so that its client never sends the body the server
 * would only throw away (src/server/app.ts, `checkContinue`; review 3: Node wrote the 100 itself,
 * and the lingering close then read up to 16 MB of body for nothing); any other gets its 100, in
 * its place among the answers pipelined before it, and is answered as before.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawConnection } from "../support/raw-connection.js";
import { startedServers, type TestServer } from "../support/server.js";

const LIMIT = 1024;
const servers = startedServers();
let server: TestServer;
beforeAll(async () => {
  server = await servers.start(undefined, { maxBodyBytes: LIMIT });
});
afterAll(() => servers.closeAll());

const TYPENAME = '{"query":"{__typename}"}';
/** A POST's headers to /graphql (no body), each of `headers` a whole line. */
const head = (length: number | "chunked", headers = "Expect: 100-continue\r\n") =>
  `POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nAccept: application/json\r\n${headers}${length === "chunked" ? "Transfer-Encoding: chunked" : `Content-Length: ${length}`}\r\n\r\n`;
/** `{__typename}` as a JSON body of exactly `bytes` bytes (spaces after it). */
const typenameOf = (bytes: number) => TYPENAME.padEnd(bytes, " ");

/** A raw connection and every byte it received, to look for a `100` anywhere in them. */
function connection() {
  const client = rawConnection(server);
  let received = "";
  client.socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
  return { ...client, received: () => received };
}

/** How many 413s the server counted for POST /graphql (its metrics). */
async function counted413(): Promise<number> {
  const text = await server.app.metrics.registry.metrics();
  const line =
    /^kz_osce_http_requests_total\{route="\/graphql",method="POST",status="413"\} (\d+)$/m;
  return Number(line.exec(text)?.[1] ?? 0);
}

describe("a request that expects 100-continue", () => {
  // red team 10: told to continue when its headers came, its client sent a body the route was
  // never going to read, then got the refusal
  it("refused before its body is read (a path that takes none), gets its answer and never a 100", async () => {
    for (const [path, status] of [
      ["/graph.nt", 405],
      ["/nothing-here", 404],
    ] as const) {
      const client = connection();
      client.socket.write(
        `POST ${path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${TYPENAME.length}\r\n\r\n`,
      );
      const answer = await client.answer(1);
      expect(answer.status, path).toBe(status);
      expect(client.received(), path).not.toMatch(/HTTP\/1\.1 100/);
      client.socket.destroy();
    }
  });

  it("over the body limit by its Content-Length, gets its 413 and never a 100: its client sends nothing and is closed", async () => {
    const before = await counted413();
    const client = connection();
    // a hundred times the limit, declared; not a byte of it is sent
    client.socket.write(head(100 * LIMIT));
    const { answers, ended, error } = await client.closed;
    expect(client.received()).not.toMatch(/HTTP\/1\.1 100/);
    expect(answers.map((answer) => answer.status)).toEqual([413]);
    expect(answers[0]!.headers.connection).toBe("close");
    expect(JSON.parse(answers[0]!.body)).toEqual({
      errors: [
        {
          message: `The request body is larger than ${LIMIT} bytes (the body size limit). Send a smaller query, and pass large values as variables only if they fit.`,
          extensions: { code: "REQUEST_ENTITY_TOO_LARGE" },
        },
      ],
    });
    // the server closed it, gracefully, having waited for no body
    expect(ended).toBe(true);
    expect(error).toBeUndefined();
    // logged and counted as the one request it is
    expect(await counted413()).toBe(before + 1);
  });

  it("pipelined after a query, gets its 413 after that answer, and no 100", async () => {
    const client = connection();
    client.socket.write(head(TYPENAME.length, "") + TYPENAME + head(LIMIT + 1));
    const { answers, error } = await client.closed;
    expect(client.received()).not.toMatch(/HTTP\/1\.1 100/);
    expect(answers.map((answer) => answer.status)).toEqual([200, 413]);
    expect(JSON.parse(answers[0]!.body)).toEqual({ data: { __typename: "Query" } });
    expect(error).toBeUndefined();
  });

  it("at the body limit exactly, gets its 100, then the answer to the body it sends after", async () => {
    const client = connection();
    client.socket.write(head(LIMIT));
    expect((await client.answer(1)).status).toBe(100);
    client.socket.write(typenameOf(LIMIT));
    const answer = await client.answer(2);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { __typename: "Query" } });
    client.socket.destroy();
  });

  it("pipelined after a query, within the limit, gets its 100 after that answer, then its own", async () => {
    const client = connection();
    client.socket.write(head(TYPENAME.length, "") + TYPENAME + head(TYPENAME.length));
    expect((await client.answer(1)).status).toBe(200);
    expect((await client.answer(2)).status).toBe(100);
    client.socket.write(TYPENAME);
    const answer = await client.answer(3);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { __typename: "Query" } });
    client.socket.destroy();
  });

  it("with a chunked body (no Content-Length), gets its 100, then the answer to the chunks it sends after", async () => {
    const client = connection();
    client.socket.write(head("chunked"));
    expect((await client.answer(1)).status).toBe(100);
    client.socket.write(`${TYPENAME.length.toString(16)}\r\n${TYPENAME}\r\n0\r\n\r\n`);
    const answer = await client.answer(2);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { __typename: "Query" } });
    client.socket.destroy();
  });
});

// review 8: refused by its headers alone, it was told to continue, and its body thrown away
describe("a request that expects 100-continue, refused by its headers alone", () => {
  for (const [name, headers, status] of [
    ["multipart", "Content-Type: multipart/form-data; boundary=x\r\n", 415],
    ["a content coding", "Content-Type: application/json\r\nContent-Encoding: gzip\r\n", 415],
    ["a UTF-16 charset", "Content-Type: application/json; charset=utf-16\r\n", 415],
    ["a transfer coding other than chunked", "Transfer-Encoding: gzip, chunked\r\n", 501],
  ] as const)
    it(`(${name}) gets its ${status} and never a 100, and is closed`, async () => {
      const client = connection();
      const length = name.startsWith("a transfer") ? "" : `Content-Length: ${TYPENAME.length}\r\n`;
      client.socket.write(
        `POST /graphql HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\n${headers}${length}\r\n`,
      );
      const { answers } = await client.closed;
      expect(client.received()).not.toMatch(/HTTP\/1\.1 100/);
      expect(answers.map((answer) => answer.status)).toEqual([status]);
      expect(answers[0]!.headers.connection).toBe("close");
    });

  it("without Expect, is read whole and answered the same, its connection kept but after a 501", async () => {
    const client = connection();
    client.socket.write(
      `POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${TYPENAME.length}\r\n\r\n${TYPENAME}`,
    );
    const answer = await client.answer(1);
    expect(answer.status).toBe(415);
    expect(answer.headers["accept-encoding"]).toBe("identity");
    expect(answer.headers.connection).toBe("keep-alive");
    client.socket.destroy();
  });
});
