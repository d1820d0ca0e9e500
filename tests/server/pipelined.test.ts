/**
 * Many requests pipelined on one connection (src/server/app.ts): each is let go when its
 * response closes or its connection does, with one `close` listener on the connection however
 * many are in flight on it, and a log line each, once.
 */
import { connect, type Socket } from "node:net";
import { expect, it } from "vitest";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { httpPost, rawConnection } from "../support/raw-connection.js";
import { startServer } from "../support/server.js";

it("adds one close listener to a connection of 30 pipelined requests, not one a request", async () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on("warning", onWarning);
  const lines: Record<string, unknown>[] = [];
  const server = await startServer(loadJsonGraph(generatedDataset(200)), {
    logLevel: "info",
    logSink: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  try {
    let most = 0;
    server.app.server.on("request", (req) => {
      most = Math.max(most, (req.socket as Socket).listenerCount("close"));
    });
    const socket = connect(Number(new URL(server.url).port), "127.0.0.1");
    let received = "";
    socket.on("data", (chunk) => (received += chunk));
    socket.write(`GET /graphql?query=%7B__typename%7D HTTP/1.1\r\nHost: t\r\n\r\n`.repeat(30));
    while (received.split("HTTP/1.1 200").length - 1 < 30)
      await new Promise((resolve) => setTimeout(resolve, 10));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // node's own listeners and this app's one (it was one a request: 34 here)
    expect(most).toBeLessThanOrEqual(10);
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    expect(lines.filter((line) => line.msg === "request")).toHaveLength(30);
  } finally {
    process.off("warning", onWarning);
    await server.close();
  }
});

// red team 9: Node's parser reads nothing more of a connection after a request asking to switch
// protocols (which this server never does), so a request pipelined behind it was never answered
// and its connection stayed idle until the keep-alive timeout
it("closes a connection after a request asking to switch protocols, saying so, rather than leave a request pipelined behind it unanswered", async () => {
  const server = await startServer();
  try {
    for (const upgrade of ["websocket", "h2c"]) {
      const connection = rawConnection(server);
      connection.socket.write(
        `GET /graphql?query=%7B__typename%7D HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: ${upgrade}\r\n\r\n` +
          `GET /graphql?query=%7B__typename%7D HTTP/1.1\r\nHost: t\r\n\r\n`,
      );
      const first = await connection.answer(1);
      expect(first.status, upgrade).toBe(200);
      expect(JSON.parse(first.body)).toEqual({ data: { __typename: "Query" } });
      // the client is told to send the next one again, on a new connection, which it is closed for
      expect(first.headers.connection, upgrade).toBe("close");
      const closed = await connection.closed;
      expect(closed.answers).toHaveLength(1);
      expect(closed.error).toBeUndefined();
    }
  } finally {
    await server.close();
  }
});

// red team 9: with no `connect` listener, Node destroyed the socket: an empty reply
it("refuses CONNECT in words, 405, and closes the connection", async () => {
  const server = await startServer();
  try {
    const connection = rawConnection(server);
    connection.socket.write("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
    const answer = await connection.answer(1);
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe("GET, HEAD, POST, OPTIONS");
    expect(answer.headers.connection).toBe("close");
    expect(JSON.parse(answer.body)).toMatchObject({
      errors: [{ extensions: { code: "METHOD_NOT_ALLOWED" } }],
    });
    expect(JSON.parse(answer.body).errors[0].message).toMatch(/no proxy.*example\.com:443/);
    expect((await connection.closed).ended).toBe(true);
  } finally {
    await server.close();
  }
});

// review 5: written at once, the 405 took the place of an answer still being made before it
it("answers the requests pipelined before a CONNECT first, in order, then refuses it", async () => {
  const server = await startServer();
  try {
    const connection = rawConnection(server);
    await connection.connected;
    connection.socket.write(
      httpPost(JSON.stringify({ query: "{ a: __typename }" })) +
        // with an Origin, Yoga answers it: a few turns later than the direct path
        httpPost(JSON.stringify({ query: "{ b: __typename }" }), "Origin: http://x\r\n") +
        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
    );
    const closed = await connection.closed;
    // RFC 9112 9.3.2: responses in the order the requests came
    expect(closed.answers.map((a) => a.status)).toEqual([200, 200, 405]);
    expect(JSON.parse(closed.answers[1]!.body)).toEqual({ data: { b: "Query" } });
  } finally {
    await server.close();
  }
});
