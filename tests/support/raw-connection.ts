/**
 * A TCP connection speaking HTTP/1.1 by hand, for the tests that must see exactly what the server
 * does with a connection (tests/server/connections.test.ts, shutdown.test.ts): the answers it
 * gets, parsed as they complete, and how it ended (`ended` when the server closed it with a FIN,
 * `error` a code such as ECONNRESET when it was reset).
 */
import { connect, type Socket } from "node:net";
import type { TestServer } from "./server.js";

/** A POST of `body` to /graphql as JSON, written by hand; `headers` are whole lines ("Name: value\r\n"). */
export function httpPost(body: string, headers = ""): string {
  return `POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What a connection got, once it closed. */
export interface Closed {
  answers: Answer[];
  /** The server ended it with a FIN. */
  ended: boolean;
  /** The socket's error code (ECONNRESET for a reset), if any. */
  error: string | undefined;
}

/**
 * A raw connection to `server` (a test server, or the port of a server in a child process) on
 * 127.0.0.1; `allowHalfOpen` keeps our side open after the server's FIN; `from`, the client's
 * address (another of the loopback's, 127.0.0.2 say: a client of another address to the server).
 */
export function rawConnection(
  server: TestServer | number,
  options: { allowHalfOpen?: boolean; from?: string } = {},
) {
  const socket: Socket = connect({
    port: typeof server === "number" ? server : Number(new URL(server.url).port),
    host: "127.0.0.1",
    allowHalfOpen: options.allowHalfOpen ?? false,
    ...(options.from === undefined ? {} : { localAddress: options.from }),
  });
  let buffer = Buffer.alloc(0);
  const answers: Answer[] = [];
  const waiting: (() => void)[] = [];
  let error: string | undefined;
  let ended = false;
  socket.on("data", (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const head = buffer.indexOf("\r\n\r\n");
      if (head < 0) break;
      const lines = buffer.subarray(0, head).toString("latin1").split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers["content-length"] ?? 0);
      if (buffer.length < head + 4 + length) break;
      answers.push({
        status: Number(lines[0]!.split(" ")[1]),
        headers,
        body: buffer.subarray(head + 4, head + 4 + length).toString("utf8"),
      });
      buffer = buffer.subarray(head + 4 + length);
      for (const wake of waiting.splice(0)) wake();
    }
  });
  socket.on("end", () => (ended = true));
  socket.on("error", (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
  const connected = new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  // rejects only for a test that awaits it: one that does not, and whose connection the server
  // refuses, sees that in `closed`
  connected.catch(() => undefined);
  const closed = new Promise<Closed>((resolve) =>
    socket.once("close", () => {
      for (const wake of waiting.splice(0)) wake();
      resolve({ answers, ended, error });
    }),
  );
  return {
    socket,
    connected,
    /** The `n`th answer (1-based), once it has arrived; throws if the connection closes first. */
    answer: async (n: number): Promise<Answer> => {
      while (answers.length < n && !socket.destroyed)
        await new Promise<void>((resolve) => waiting.push(resolve));
      if (answers.length < n)
        throw new Error(
          `the connection closed after ${answers.length} answers (${error ?? "no error"})`,
        );
      return answers[n - 1]!;
    },
    closed,
  };
}
