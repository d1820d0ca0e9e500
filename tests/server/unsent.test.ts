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
import { type KernelReading, keyOf } from "../../src/server/kernel-queues.js";
import { type CutReason, UnsentAnswers, type UnsentLimits } from "../../src/server/unsent.js";
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

/** A socket whose kernel share the test sets: what it handed the kernel, and what the kernel holds not acknowledged. */
class KernelSocket extends FakeSocket {
  static next = 50_000;
  localAddress = "127.0.0.1";
  localPort = 4000;
  remoteAddress = "127.0.0.2";
  remotePort = KernelSocket.next++;
  _bytesDispatched = 0;
  inKernel = 0;
}

/** The kernel's queues of `sockets` as they are set when a reading is asked for, unless `frozen`. */
function fakeKernel(sockets: KernelSocket[]) {
  const kernel = {
    frozen: false,
    available: true,
    latest: undefined as KernelReading | undefined,
    refresh(at: number) {
      if (!kernel.frozen)
        kernel.latest = {
          at,
          queued: new Map(
            sockets.map((socket) => [keyOf(socket as unknown as Socket)!, socket.inKernel]),
          ),
        };
      return Promise.resolve();
    },
  };
  return kernel;
}

function kernelGuard(limits: Partial<UnsentLimits>, sockets: KernelSocket[]) {
  let now = 0;
  const cut: [number, CutReason][] = [];
  const kernel = fakeKernel(sockets);
  const unsent = new UnsentAnswers(
    new Set(sockets) as unknown as Set<Socket>,
    { maxUnsentBytes: 1e9, graceMs: 10_000, stallMs: 60_000, intervalMs: 3_600_000, ...limits },
    (socket, reason) => cut.push([sockets.indexOf(socket as unknown as KernelSocket), reason]),
    () => now,
    () => [],
    kernel,
  );
  const at = (ms: number) => {
    now = ms;
    unsent.look();
  };
  return { unsent, cut, at, kernel };
}

describe("UnsentAnswers, with what the kernel holds (kernel-queues.ts)", () => {
  it("asks the kernel again once a reading it asked for has not come for as long as a reading may be used (10 s): a wedged one is given up then", () => {
    const socket = new KernelSocket();
    socket._bytesDispatched = 1_000_000;
    socket.inKernel = 1_000_000;
    const { unsent, at, kernel } = kernelGuard({}, [socket]);
    const asked: number[] = [];
    // a reading that never ends
    kernel.refresh = (when: number) => {
      asked.push(when);
      return new Promise<void>(() => undefined);
    };
    try {
      for (let t = 0; t <= 9_000; t += 1000) at(t);
      expect(asked).toEqual([0]);
      at(10_000);
      expect(asked).toEqual([0, 10_000]);
    } finally {
      unsent.close();
    }
  });

  it("counts what the kernel holds of each connection: answers the process has handed on whole still count", () => {
    // red team 14 (F6): an answer under the kernel's buffer leaves the process at once; unread, it
    // pinned up to 4 MiB of the host's memory each, counted nowhere
    const sockets = [new KernelSocket(), new KernelSocket()];
    for (const socket of sockets) {
      socket._bytesDispatched = 100_000;
      socket.inKernel = 100_000;
    }
    const { unsent, cut, at } = kernelGuard({ maxUnsentBytes: 150_000 }, sockets);
    try {
      at(0); // asks the kernel
      at(1000);
      expect(unsent.bytes).toBe(200_000);
      expect(unsent.kernelBytes).toBe(200_000);
      expect(unsent.kernelBytesOf(sockets[0] as unknown as Socket)).toBe(100_000);
      expect(cut).toEqual([]); // within its grace
      for (let t = 2000; t <= 12_000; t += 1000) at(t);
      expect(cut).toEqual([[0, "over-limit"]]);
      expect(unsent.bytes).toBe(100_000);
    } finally {
      unsent.close();
    }
  });

  it("resets a client that reads less than the least rate with more than that waiting, not one that reads at it, nor one with little waiting", () => {
    const [slow, steady, little] = [new KernelSocket(), new KernelSocket(), new KernelSocket()];
    // slow and steady: a long answer, the kernel's buffer full (100 KB) and more in the process
    for (const socket of [slow, steady]) {
      socket.writableLength = 1_000_000;
      socket._bytesDispatched = 200_000;
      socket.inKernel = 100_000;
    }
    // little: 5 KB left in the kernel, under the window's due (20 KB), not read
    little._bytesDispatched = 5000;
    little.inKernel = 5000;
    const { unsent, cut, at } = kernelGuard({ minRateBytesPerSecond: 1000, rateWindowMs: 20_000 }, [
      slow,
      steady,
      little,
    ]);
    try {
      for (let t = 0; t <= 30_000; t += 1000) {
        at(t);
        slow.inKernel -= 500; // 500 B/s acknowledged: a trickle (it makes progress: not stalled)
        steady.inKernel -= 1000; // at the floor
      }
      expect(cut).toEqual([[0, "slow-reader"]]);
    } finally {
      unsent.close();
    }
  });

  it("closes a connection kept past its keep-alive time once the kernel says its client took all, readings stale between", async () => {
    const [kept, busy] = [new KernelSocket(), new KernelSocket()];
    kept._bytesDispatched = 10_000; // a small answer: alone, not worth a reading
    kept.inKernel = 10_000;
    busy.writableLength = 1_000_000; // a long answer being read: readings are made
    const { unsent, at, kernel } = kernelGuard({}, [kept, busy]);
    const settled = () => new Promise((resolve) => setImmediate(resolve));
    try {
      at(0);
      at(1000);
      expect(unsent.kernelBytesOf(kept as unknown as Socket)).toBe(10_000);
      unsent.closeOnceTaken(kept as unknown as Socket);
      busy.writableLength = 0;
      // readings too costly for a while: the last one is dropped once stale
      kernel.frozen = true;
      for (let t = 2000; t <= 14_000; t += 1000) {
        at(t);
        await settled();
      }
      expect(kept.destroyed).toBe(false);
      kept.inKernel = 0; // its client took all
      kernel.frozen = false;
      for (let t = 15_000; t <= 17_000; t += 1000) {
        at(t);
        await settled();
      }
      expect(kept.destroyed).toBe(true);
      expect(busy.destroyed).toBe(false);
    } finally {
      unsent.close();
    }
  });

  it("spares an honest client whose network pauses: 30 KB/s with an 18 s pause, over the default window", () => {
    const [paused, dead] = [new KernelSocket(), new KernelSocket()];
    for (const socket of [paused, dead]) {
      socket.writableLength = 5_000_000; // a long answer: the kernel's buffer full, more in the process
      socket._bytesDispatched = 4_000_000;
      socket.inKernel = 4_000_000;
    }
    const { unsent, cut, at } = kernelGuard({ minRateBytesPerSecond: 4096 }, [paused, dead]);
    try {
      for (let t = 0; t <= 90_000; t += 1000) {
        at(t);
        // 30 KB/s, but nothing from t+30 s to t+48 s
        if (t < 30_000 || t >= 48_000) paused.inKernel -= 30_000;
      }
      // the one that reads nothing is cut (at the stall time, a window: either rule), not the other
      expect(cut.map(([index]) => index)).toEqual([1]);
    } finally {
      unsent.close();
    }
  });

  it("resets a connection kept past its keep-alive time once the stall time passes with no reading saying it was taken", async () => {
    const kept = new KernelSocket();
    kept._bytesDispatched = 200_000;
    kept.inKernel = 200_000;
    const { unsent, cut, at, kernel } = kernelGuard({ stallMs: 5000 }, [kept]);
    const settled = () => new Promise((resolve) => setImmediate(resolve));
    try {
      at(0);
      at(1000);
      unsent.closeOnceTaken(kept as unknown as Socket);
      kernel.frozen = true; // readings stop: its client's progress is never known
      for (let t = 2000; t <= 7000; t += 1000) {
        at(t);
        await settled();
      }
      expect(cut).toEqual([[0, "stalled"]]);
    } finally {
      unsent.close();
    }
  });

  it("says the kernel may hold an answer no reading has covered yet, and not once a reading made after its last byte says none", async () => {
    const [small, busy] = [new KernelSocket(), new KernelSocket()];
    small._bytesDispatched = 30_000; // under what warrants a reading alone
    small.inKernel = 30_000;
    const { unsent, at } = kernelGuard({}, [small, busy]);
    const asSocket = small as unknown as Socket;
    try {
      at(0);
      // no reading: its 30 KB may be in the kernel
      expect(unsent.mayHoldInKernel(asSocket)).toBe(true);
      busy.writableLength = 1_000_000; // a reading is made (for another connection)
      at(1000);
      at(2000);
      expect(unsent.kernelBytesOf(asSocket)).toBe(30_000);
      expect(unsent.mayHoldInKernel(asSocket)).toBe(true);
      small.inKernel = 0; // taken
      at(3000);
      at(4000);
      expect(unsent.mayHoldInKernel(asSocket)).toBe(false);
      small._bytesDispatched += 100; // another answer handed since that reading
      expect(unsent.mayHoldInKernel(asSocket)).toBe(true);
    } finally {
      unsent.close();
    }
  });

  it("judges what only the kernel holds by its readings: no stall is seen between two, however far apart", async () => {
    const socket = new KernelSocket();
    socket._bytesDispatched = 100_000;
    socket.inKernel = 100_000;
    const { unsent, cut, at, kernel } = kernelGuard({ stallMs: 5000 }, [socket]);
    try {
      at(0);
      at(1000); // holding, as of the reading at 0
      kernel.frozen = true; // readings too costly to make for a while: the last one stays
      // (a reading not made is asked again at a later look, once the refresh has said so)
      const settled = () => new Promise((resolve) => setImmediate(resolve));
      for (let t = 2000; t <= 9000; t += 1000) {
        at(t);
        await settled();
      }
      expect(cut).toEqual([]);
      // readings again, and no byte acknowledged across them: stalled
      kernel.frozen = false;
      for (let t = 10_000; t <= 19_000; t += 1000) {
        at(t);
        await settled();
      }
      expect(cut).toEqual([[0, "stalled"]]);
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
      // over what the process holds (the page once) and what the kernels hold (a copy each, kernel-queues.test)
      maxUnsentBytes: 64 * 1_048_576,
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
      expect(server.app.unsent.bytes - server.app.unsent.kernelBytes).toBeLessThan(10_000_000);
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
      // over what the process holds (the answer once) and the kernels' copies (up to 4 MiB each)
      maxUnsentBytes: 16 * 1_048_576,
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
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).not.toMatch(/kz_osce_http_answers_cut_total\{reason="over-limit"\} [1-9]/);
      expect(sockets.every((socket) => !socket.destroyed && !socket.readableEnded)).toBe(true);
      expect(server.app.unsent.bytes - server.app.unsent.kernelBytes).toBeLessThan(8 * 1_048_576);
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
