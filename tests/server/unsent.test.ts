/**
 * Answers written but not taken by their clients (src/server/unsent.ts): a connection whose
 * answer makes no progress is closed, and while the unsent bytes of all connections are over the
 * limit the oldest holders are closed, never one within its grace. Red team 4 held 9.6 MB per
 * connection with clients that never read (1 GB for 100), with no bound but the connection cap.
 */
import { get } from "node:http";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { type CutReason, UnsentAnswers } from "../../src/server/unsent.js";
import { post } from "../support/http.js";
import { startedServers, type TestServer } from "../support/server.js";

/** A socket as the guard sees it: its unsent bytes, set by the test. */
class FakeSocket {
  writableLength = 0;
  /** What libuv has yet to hand the kernel: it shrinks as a long piece is taken, bit by bit. */
  _handle = { writeQueueSize: 0 };
  destroyed = false;
  destroy() {
    this.destroyed = true;
  }
}

function guard(maxUnsentBytes: number, sockets: FakeSocket[]) {
  let now = 0;
  const cut: [number, CutReason, number][] = [];
  const unsent = new UnsentAnswers(
    new Set(sockets) as unknown as Set<Socket>,
    { maxUnsentBytes, graceMs: 10_000, stallMs: 60_000, intervalMs: 3_600_000 },
    (socket, reason, bytes) =>
      cut.push([sockets.indexOf(socket as unknown as FakeSocket), reason, bytes]),
    () => now,
  );
  const at = (ms: number) => {
    now = ms;
    unsent.look();
  };
  return { unsent, cut, at };
}

describe("UnsentAnswers", () => {
  it("closes a connection whose unsent bytes have not shrunk for the stall time, not one whose have, nor one whose long piece the kernel takes bit by bit", () => {
    const [stuck, slow, done, piece] = Array.from({ length: 4 }, () => new FakeSocket()) as [
      FakeSocket,
      FakeSocket,
      FakeSocket,
      FakeSocket,
    ];
    const { unsent, cut, at } = guard(1e12, [stuck, slow, done, piece]);
    try {
      stuck.writableLength = 5000;
      slow.writableLength = 5000;
      done.writableLength = 5000;
      // one long piece: writableLength stays whole until its last byte is taken
      piece.writableLength = 5000;
      piece._handle.writeQueueSize = 4000;
      at(0);
      for (let t = 10_000; t < 60_000; t += 10_000) {
        slow.writableLength -= 100; // a client that reads, however slowly
        piece._handle.writeQueueSize -= 100;
        at(t);
      }
      done.writableLength = 0; // all taken
      at(59_999);
      expect(cut).toEqual([]);
      // 60 s without a byte taken; the slow one took its last 10 s ago
      at(60_000);
      expect(cut).toEqual([[0, "stalled", 5000]]);
      expect([stuck, slow, done, piece].map((s) => s.destroyed)).toEqual([
        true,
        false,
        false,
        false,
      ]);
      expect(unsent.bytes).toBe(4500 + 5000);
      // a connection that held none at the last look starts afresh when it holds again
      done.writableLength = 10;
      at(100_000);
      expect(done.destroyed).toBe(false);
    } finally {
      unsent.close();
    }
  });

  it("while over the limit, closes the oldest holders past their grace until under it, sparing the young", () => {
    const sockets = Array.from({ length: 4 }, () => new FakeSocket());
    const { unsent, cut, at } = guard(1000, sockets);
    try {
      sockets[0]!.writableLength = 400;
      at(0);
      sockets[1]!.writableLength = 400;
      at(1000);
      sockets[2]!.writableLength = 400;
      at(2000);
      // 1,200 over 1,000, but none has held for 10 s: a burst of answers being read
      expect(cut).toEqual([]);
      sockets[3]!.writableLength = 400;
      // at 11 s the first two are past their grace: the oldest alone brings 1,600 to 1,200, still
      // over, so the second goes too; the two young are spared however far over it is
      for (const socket of sockets) socket.writableLength -= 1; // all progressing
      at(11_000);
      expect(cut).toEqual([
        [0, "over-limit", 399],
        [1, "over-limit", 399],
      ]);
      expect(unsent.bytes).toBe(798);
      // under the limit now: nothing more, however old
      at(50_000);
      expect(cut).toHaveLength(2);
      expect(sockets.map((s) => s.destroyed)).toEqual([true, true, false, false]);
    } finally {
      unsent.close();
    }
  });

  it("while over the limit, closes those that took nothing first, before an older holder that goes on taking", async () => {
    // an RDF export read steadily for a minute: never empty at a look (each drain is refilled at
    // once), a little taken each second; non-reading clients come, and then one more brings the
    // total over the limit
    const [exporting, ...stuck] = Array.from({ length: 4 }, () => new FakeSocket());
    const { unsent, cut, at } = guard(1000, [exporting!, ...stuck]);
    try {
      exporting!.writableLength = 300;
      for (let t = 0; t <= 60_000; t += 1000) {
        exporting!.writableLength = exporting!.writableLength === 300 ? 299 : 300;
        if (t === 30_000) stuck[0]!.writableLength = stuck[1]!.writableLength = 300;
        if (t === 45_000) stuck[2]!.writableLength = 300;
        at(t);
      }
      // the oldest of those that took nothing brings 1,200 under 1,000; the export is spared (it
      // had held bytes longest, and was cut instead)
      expect(cut.map(([index, reason]) => [index, reason])).toEqual([[1, "over-limit"]]);
      expect(exporting!.destroyed).toBe(false);
      // one that took nothing, within its grace, is spared, and does not shield an older one past it
      const [young, hog] = [new FakeSocket(), new FakeSocket()];
      const other = guard(1000, [hog, young]);
      hog.writableLength = 2000;
      other.at(0);
      young.writableLength = 100;
      for (let t = 1000; t <= 20_000; t += 1000) {
        hog.writableLength -= 1; // a slow reader of 2,000 bytes, past its grace
        other.at(t);
      }
      expect(other.cut.map(([index, reason]) => [index, reason])).toEqual([[0, "over-limit"]]);
      other.unsent.close();
      // past twice the limit, the grace ends: answers made faster than read are cut down to it
      const burst = Array.from({ length: 3 }, () => new FakeSocket());
      const fast = guard(1000, burst);
      for (const socket of burst) socket.writableLength = 900;
      fast.at(0);
      expect(fast.cut.map(([, reason, bytes]) => [reason, bytes])).toEqual([["over-limit", 900]]);
      expect(fast.unsent.bytes).toBe(1800);
      fast.unsent.close();
    } finally {
      unsent.close();
    }
  });
});

/** 30 aliases of every source's text at 2,000 entities: a 5.4 MB answer. */
const LONG = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: sources(first: 100) { nodes { text } }`).join(" ")} }`;

/**
 * Connections that send `LONG` and never read; `closed` resolves when the server has closed them
 * all (seen on its side: a client that reads nothing hears no close).
 */
function neverReading(
  server: TestServer,
  n: number,
  pipelined = 1,
  accept = "application/json",
): { sockets: Socket[]; closed: Promise<void> } {
  const { port } = new URL(server.url);
  const closes: Promise<void>[] = [];
  const onConnection = (socket: Socket) => {
    closes.push(new Promise<void>((resolve) => socket.once("close", () => resolve())));
  };
  server.app.server.on("connection", onConnection);
  const body = JSON.stringify({ query: LONG });
  const sockets = Array.from({ length: n }, () => {
    const socket = connect(Number(port), "127.0.0.1");
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nAccept: ${accept}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`.repeat(
        pipelined,
      ),
    );
    socket.pause();
    socket.on("error", () => {}); // a reset is how the close may come
    return socket;
  });
  const accepted = new Promise<void>((resolve) => {
    const check = () => (closes.length >= n ? resolve() : setImmediate(check));
    check();
  });
  const closed = accepted.then(async () => {
    server.app.server.off("connection", onConnection);
    await Promise.all(closes);
  });
  return { sockets, closed };
}

/** Within a bound that only keeps a broken guard from hanging the test (a minute). */
const within = <T>(promise: Promise<T>, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: not within a minute`)), 60_000).unref(),
    ),
  ]);

describe("a server's answers not taken", () => {
  let graph: KnowledgeGraph;
  const servers = startedServers();
  beforeAll(() => {
    graph = loadJsonGraph(generatedDataset(2000));
  });
  afterAll(() => servers.closeAll());

  it("closes connections that never read once their answers are over the limit, and goes on answering the others", async () => {
    const server = await servers.start(graph, {
      maxUnsentBytes: 1_048_576,
      unsent: { graceMs: 0, intervalMs: 20 },
      responseCache: false,
    });
    const clients = neverReading(server, 4);
    await within(clients.closed, "the unread answers' connections closed");
    for (const socket of clients.sockets) socket.destroy();
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/kz_osce_http_answers_cut_total\{reason="over-limit"\} [1-9]/);
    // a client that reads gets the whole answer, and the server is well
    const read = await post(server, LONG);
    expect(read.status).toBe(200);
    expect(Object.keys(read.json.data)).toHaveLength(30);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  }, 120_000);

  it("counts the long answers of event streams and multipart, held piece by piece until their clients take them", async () => {
    for (const accept of ["text/event-stream", "multipart/mixed"]) {
      const server = await servers.start(graph, {
        maxUnsentBytes: 1_048_576,
        unsent: { graceMs: 0, intervalMs: 20 },
        responseCache: false,
      });
      const clients = neverReading(server, 4, 1, accept);
      await within(clients.closed, `the unread ${accept} answers' connections closed`);
      for (const socket of clients.sockets) socket.destroy();
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics, accept).toMatch(
        /kz_osce_http_answers_cut_total\{reason="over-limit"\} [1-9]/,
      );
    }
  }, 150_000);

  it("counts the answers pipelined behind the one being sent, which wait in their responses", async () => {
    // one connection: the answer being sent (5.4 MB) is under the limit, the three behind it
    // bring it over
    const server = await servers.start(graph, {
      maxUnsentBytes: 8 * 1_048_576,
      unsent: { graceMs: 0, intervalMs: 20 },
      responseCache: false,
    });
    const client = neverReading(server, 1, 4);
    await within(client.closed, "the pipelined connection closed");
    for (const socket of client.sockets) socket.destroy();
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/kz_osce_http_answers_cut_total\{reason="over-limit"\} 1\b/);
  }, 120_000);

  it("counts GraphiQL's page, one buffer for all its clients, once towards the limit; its stall still closes", async () => {
    const server = await servers.start(graph, {
      graphiql: true,
      maxUnsentBytes: 16 * 1_048_576,
      unsent: { graceMs: 0, stallMs: 1500, intervalMs: 20 },
    });
    // the page made once, before the clients that do not read it
    await (await fetch(server.graphql, { headers: { accept: "text/html" } })).arrayBuffer();
    const { port } = new URL(server.url);
    const closed: Promise<void>[] = [];
    server.app.server.on("connection", (socket) =>
      closed.push(new Promise((resolve) => socket.once("close", () => resolve()))),
    );
    const cuts = async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      return [...text.matchAll(/^kz_osce_http_answers_cut_total\{reason="([a-z-]+)"\} (\d+)$/gm)]
        .map(([, reason, count]) => `${reason} ${count}`)
        .filter((line) => !line.endsWith(" 0"));
    };
    const sockets = Array.from({ length: 4 }, () => {
      const socket = connect(Number(port), "127.0.0.1");
      socket.write("GET /graphql HTTP/1.1\r\nHost: test\r\nAccept: text/html\r\n\r\n");
      socket.pause();
      socket.on("error", () => {});
      return socket;
    });
    try {
      // a few MB each left unsent (26 MB in all), of the one 9 MB page: under the limit
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await cuts()).toEqual([]);
      expect(server.app.unsent.bytes).toBeLessThan(10_000_000);
      await within(
        (async () => {
          while (closed.length < 4) await new Promise((resolve) => setTimeout(resolve, 20));
          await Promise.all(closed.slice(0, 4));
        })(),
        "the stalled page's connections closed",
      );
      expect(await cuts()).toEqual(["stalled 4"]);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  }, 120_000);

  it("counts an answer of the response cache once however many responses it is left unsent in", async () => {
    const server = await servers.start(graph, {
      maxUnsentBytes: 8 * 1_048_576,
      unsent: { graceMs: 0, intervalMs: 20 },
    });
    // a 900 KB answer, kept by the cache from its second request on
    const query = `{ ${Array.from({ length: 5 }, (_, i) => `a${i}: sources(first: 100) { nodes { text } }`).join(" ")} }`;
    const path = `/graphql?query=${encodeURIComponent(query)}`;
    // (asked as the clients below ask: no Accept-Encoding, which is part of the cache's key)
    for (let i = 0; i < 3; i++)
      await new Promise<void>((resolve, reject) =>
        get(server.url + path, { headers: { accept: "application/json" } }, (res) => {
          res.resume().once("end", () => resolve());
        }).once("error", reject),
      );
    const { port } = new URL(server.url);
    const sockets = Array.from({ length: 2 }, () => {
      const socket = connect(Number(port), "127.0.0.1");
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: test\r\nAccept: application/json\r\n\r\n`.repeat(30),
      );
      socket.pause();
      socket.on("error", () => {});
      return socket;
    });
    try {
      // 60 answers of 900 KB, 54 MB as if each were its own: one buffer of 900 KB
      await new Promise((resolve) => setTimeout(resolve, 1000));
      console.log("DBG", server.app.unsent.bytes, process.memoryUsage().arrayBuffers);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).not.toMatch(/kz_osce_http_answers_cut_total\{reason="over-limit"\} [1-9]/);
      expect(sockets.every((socket) => !socket.destroyed && !socket.readableEnded)).toBe(true);
      expect(server.app.unsent.bytes).toBeLessThan(8 * 1_048_576);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  }, 120_000);

  it("closes a connection whose answer is not taken for the stall time, under the limit", async () => {
    const server = await servers.start(graph, {
      unsent: { stallMs: 200, intervalMs: 20 },
      responseCache: false,
    });
    const client = neverReading(server, 1);
    await within(client.closed, "the stalled connection closed");
    for (const socket of client.sockets) socket.destroy();
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/kz_osce_http_answers_cut_total\{reason="stalled"\} 1\b/);
    expect(server.app.unsent.bytes).toBe(0);
  }, 120_000);
});
