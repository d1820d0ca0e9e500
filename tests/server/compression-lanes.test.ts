import { request } from "node:http";
import { connect } from "node:net";
import * as zlib from "node:zlib";
import { getIntrospectionQuery } from "graphql";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

/**
 * The jobs handed to libuv's pool, watched where compression.ts hands them over: zlib's
 * brotliCompress and gzip, each counted from its call to its callback, in the order called.
 */
import {
  ANSWER_EFFORT,
  BIG_BYTES,
  BIG_LANES,
  BIG_WAITING,
  bigCompressions,
  brotliParams,
  compress,
  lanesFor,
  threadPool,
} from "../../src/server/compression.js";
import { createMetrics } from "../../src/server/metrics.js";
import { startServer } from "../support/server.js";

/**
 * The jobs handed to libuv's pool, watched where compression.ts hands them over (its
 * `threadPool`: zlib's brotliCompress and gzip), each counted from its call to its callback, in
 * the order called. Spied on before each test (restoreMocks undoes spies before each), not
 * mocked: vi.mock reaches no module another file of a shared worker imported first.
 */
const pool = { onPool: 0, bigOnPool: 0, mostBig: 0, started: [] as Buffer[] };
const real = { ...threadPool };
const watched =
  (name: "brotliCompress" | "gzip") =>
  (body: Buffer, options: object, done: (error: Error | null, result: Buffer) => void) => {
    const big = body.length >= BIG_BYTES;
    const end = () => {
      pool.onPool--;
      if (big) pool.bigOnPool--;
    };
    pool.onPool++;
    if (big) pool.mostBig = Math.max(pool.mostBig, ++pool.bigOnPool);
    pool.started.push(body);
    try {
      (real[name] as (...args: unknown[]) => void)(
        body,
        options,
        (error: Error | null, result: Buffer) => {
          end();
          done(error, result);
        },
      );
    } catch (error) {
      end();
      throw error;
    }
  };
beforeEach(() => {
  vi.spyOn(threadPool, "brotliCompress").mockImplementation(
    watched("brotliCompress") as typeof threadPool.brotliCompress,
  );
  vi.spyOn(threadPool, "gzip").mockImplementation(watched("gzip") as typeof threadPool.gzip);
});

/** A JSON-like text of `bytes`, different for each `seed` (so each job's body is told apart). */
function body(bytes: number, seed: number): Buffer {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const part = `{"key":"person/${seed}-${i}","name":"Person ${(i * 7919 + seed) % 100003}"},`;
    parts.push(part);
    length += part.length;
  }
  return Buffer.from(parts.join("").slice(0, bytes));
}

afterEach(() => {
  pool.started.length = 0;
  pool.mostBig = 0;
});

describe("compression on the thread pool", () => {
  it("hands at most 2 big bodies to the pool at once, the others in the order they came, and a small body at once while they wait", async () => {
    expect(BIG_LANES).toBe(2); // UV_THREADPOOL_SIZE unset: half of libuv's 4 threads
    const bigs = Array.from({ length: 6 }, (_, i) => body(BIG_BYTES + i, i));
    const small = body(4800, 99);
    const answers = bigs.map((b, i) => compress(b, i % 2 === 0 ? "br" : "gzip"));
    // the lanes taken at once, the other four waiting, and the pool given only the two
    expect(pool.onPool).toBe(2);
    expect(bigCompressions()).toMatchObject({ running: 2, waiting: 4 });
    // a small body goes to the pool at once, ahead of the big ones waiting
    const smallAnswer = compress(small, "br");
    expect(pool.onPool).toBe(3);
    expect(pool.started.at(-1)).toBe(small);
    expect(bigCompressions().waiting).toBe(4);
    // and counted for the metrics (the gauge reads it when scraped)
    expect(
      await createMetrics().registry.getSingleMetricAsString("kz_osce_compressions_waiting"),
    ).toMatch(/^kz_osce_compressions_waiting 4$/m);
    const results = await Promise.all([...answers, smallAnswer]);
    expect(pool.mostBig).toBe(BIG_LANES);
    expect(bigCompressions()).toMatchObject({ running: 0, waiting: 0 });
    // handed to the pool in the order asked for (the small one third: it did not wait)
    const asked = [...bigs, small];
    const order = pool.started.map((b) => asked.indexOf(b));
    expect(order).toEqual([0, 1, 6, 2, 3, 4, 5]);
    // the bytes are those of a body compressed alone
    for (const [i, b] of bigs.entries()) {
      const alone =
        i % 2 === 0
          ? zlib.brotliCompressSync(b, { params: brotliParams(ANSWER_EFFORT, b.length) })
          : zlib.gzipSync(b, { level: ANSWER_EFFORT.gzipLevel });
      expect(results[i]!.equals(alone)).toBe(true);
    }
  });

  it("sends a big body uncompressed, at once, when as many as may wait for a lane already do (red team 8: 10-25 waited, an honest answer 4.4 s)", async () => {
    expect(BIG_WAITING).toBe(4); // twice the lanes
    const bigs = Array.from({ length: BIG_LANES + BIG_WAITING + 3 }, (_, i) =>
      body(BIG_BYTES + i, i),
    );
    const declinedBefore = bigCompressions().declined;
    const answers = bigs.map((b) =>
      compress(b, "br").then(
        () => "compressed",
        (e: Error) => e.name,
      ),
    );
    // two on the pool, four waiting, the last three refused at once: none of them reaches the pool
    expect(bigCompressions()).toMatchObject({ running: BIG_LANES, waiting: BIG_WAITING });
    expect(bigCompressions().declined - declinedBefore).toBe(3);
    expect(
      await createMetrics().registry.getSingleMetricAsString("kz_osce_compressions_declined_total"),
    ).toMatch(
      new RegExp(`^kz_osce_compressions_declined_total ${bigCompressions().declined}$`, "m"),
    );
    expect(await Promise.all(answers)).toEqual([
      ...Array(BIG_LANES + BIG_WAITING).fill("compressed"),
      ...Array(3).fill("LanesFullError"),
    ]);
    expect(pool.started.length).toBe(BIG_LANES + BIG_WAITING);
    // the queue emptied, a big body is compressed again
    expect(await compress(bigs[0]!, "br").then(() => "compressed")).toBe("compressed");
  });

  // red team 10: first come, first served, one client's loop of long answers held every place,
  // and another's big answers were nearly all sent uncompressed
  it("makes a place in the full queue for a client holding at least two fewer, declining the newest body of the client holding most; a body of no one client neither takes nor loses one", async () => {
    const declinedBefore = bigCompressions().declined;
    const outcome = (promise: Promise<Buffer>) =>
      promise.then(
        () => "compressed",
        (e: Error) => e.name,
      );
    let seed = 100;
    const big = (client?: string) =>
      outcome(compress(body(BIG_BYTES, seed++), "br", ANSWER_EFFORT, { client }));
    // the flood: two on the pool, four waiting
    const flood = Array.from({ length: BIG_LANES + BIG_WAITING }, () => big("flood"));
    expect(bigCompressions()).toMatchObject({ running: BIG_LANES, waiting: BIG_WAITING });
    // another client: its body takes the place of the flood's newest
    const honest = big("honest");
    // the flood again, and an export's body (no one client's): declined at once, as before
    const floodAgain = big("flood");
    const shared = big(undefined);
    // a third client: the flood (3 places) still holds two more than it (0)
    const third = big("third");
    // the honest client again: it holds 1, the flood 2: not two fewer, declined
    const honestAgain = big("honest");
    expect(bigCompressions().waiting).toBe(BIG_WAITING);
    expect(bigCompressions().declined - declinedBefore).toBe(5);
    expect(await Promise.all(flood)).toEqual([
      ...Array(BIG_LANES + 2).fill("compressed"),
      "LanesFullError",
      "LanesFullError",
    ]);
    expect(await Promise.all([honest, floodAgain, shared, third, honestAgain])).toEqual([
      "compressed",
      "LanesFullError",
      "LanesFullError",
      "compressed",
      "LanesFullError",
    ]);
    expect(pool.started.length).toBe(BIG_LANES + BIG_WAITING);
  });

  // review 9: a body no one will read took a place by declining a live client's, and of two
  // clients holding as many, the one that came first lost its place
  it("gives no place to a body whose client has gone, frees one a waiting body's client left, and takes a place from the holder that came last", async () => {
    const outcome = (promise: Promise<Buffer>) =>
      promise.then(
        () => "compressed",
        (e: Error) => (e.name === "LanesFullError" ? "declined" : "gone"),
      );
    let seed = 200;
    const big = (client: string, abandoned = () => false) =>
      outcome(compress(body(BIG_BYTES, seed++), "br", ANSWER_EFFORT, { client, abandoned }));
    const running = Array.from({ length: BIG_LANES }, () => big("running"));
    let leaves = false;
    const waiting = [big("first"), big("first"), big("second"), big("second", () => leaves)];
    expect(bigCompressions()).toMatchObject({ running: BIG_LANES, waiting: BIG_WAITING });
    // its client gone before it came: it takes no place, and declines no one
    const dead = big("third", () => true);
    expect(bigCompressions().waiting).toBe(BIG_WAITING);
    // a waiting body's client leaves: the next comer takes its place, declining no one
    leaves = true;
    const fourth = big("fourth");
    // a fifth client, holding none: "first" holds two places, "second" and "fourth" one each, so
    // "first" loses its newest
    const fifth = big("fifth");
    expect(await Promise.all(running)).toEqual(Array(BIG_LANES).fill("compressed"));
    expect(await Promise.all([...waiting, dead, fourth, fifth])).toEqual([
      "compressed",
      "declined",
      "compressed",
      "gone",
      "gone",
      "compressed",
      "compressed",
    ]);
    expect(bigCompressions()).toMatchObject({ running: 0, waiting: 0 });
  });

  it("of two clients holding as many places, declines the newest body of the one that came last", async () => {
    const outcome = (promise: Promise<Buffer>) =>
      promise.then(
        () => "compressed",
        (e: Error) => e.name,
      );
    let seed = 300;
    const big = (client: string) =>
      outcome(compress(body(BIG_BYTES, seed++), "br", ANSWER_EFFORT, { client }));
    const running = Array.from({ length: BIG_LANES }, () => big("running"));
    const waiting = [big("honest"), big("honest"), big("flood"), big("flood")];
    const newcomer = big("newcomer");
    await Promise.all(running);
    expect(await Promise.all([...waiting, newcomer])).toEqual([
      "compressed",
      "compressed",
      "compressed",
      "LanesFullError",
      "compressed",
    ]);
  });

  it("answers uncompressed, and keeps no copy under the coding's key, a long answer whose compression the full queue declined", async () => {
    const server = await startServer();
    try {
      // the lanes and their queue full of big bodies whose jobs are held (until `holding` ends)
      const held: (() => void)[] = [];
      let holding = true;
      const fill: Buffer[] = Array.from({ length: BIG_LANES + BIG_WAITING }, (_, i) =>
        Buffer.alloc(BIG_BYTES, 97 + i),
      );
      vi.spyOn(threadPool, "brotliCompress").mockImplementation(((
        b: Buffer,
        options: object,
        done: (error: Error | null, result: Buffer) => void,
      ) => {
        if (holding && fill.includes(b))
          held.push(() => watched("brotliCompress")(b, options, done));
        else watched("brotliCompress")(b, options, done);
      }) as typeof threadPool.brotliCompress);
      const filling = fill.map((f) => compress(f, "br"));
      expect(bigCompressions()).toMatchObject({ running: BIG_LANES, waiting: BIG_WAITING });
      // a 374 KB answer asked in brotli, twice (the response cache keeps an answer the second time)
      const ask = () =>
        fetch(server.graphql, {
          method: "POST",
          headers: { "content-type": "application/json", "accept-encoding": "br" },
          body: JSON.stringify({ query: getIntrospectionQuery() }),
        });
      for (let i = 0; i < 2; i++) {
        const answer = await ask();
        expect(answer.status).toBe(200);
        expect(answer.headers.get("content-encoding")).toBeNull();
        expect((await answer.json()).data.__schema.types.length).toBeGreaterThan(10);
      }
      holding = false;
      for (const release of held) release();
      await Promise.all(filling);
      // the lanes free: the same answer now comes in brotli, not a kept plain copy
      const later = await ask();
      expect(later.headers.get("content-encoding")).toBe("br");
      expect((await later.json()).data.__schema.types.length).toBeGreaterThan(10);
    } finally {
      await server.close();
    }
  });

  // red team 10's finding over HTTP: compression.ts shares the places by the client it is given,
  // and http-cache.ts must give it each answer's (its `compress` is an ES module binding, which
  // no spy reaches: the unit cases above cannot tell a caller that gives none)
  it("keeps a place for another address's long answer, compressed, while one address's long answers fill the lanes and their queue (http-cache.ts passes each connection's client)", async () => {
    const server = await startServer(undefined, { responseCache: false });
    // the answers' brotli jobs held on the pool (until `holding` ends): the flood's first
    // two hold both lanes, its next four wait, as its slow answers would on a busy pool
    const held: (() => void)[] = [];
    let holding = true;
    try {
      vi.spyOn(threadPool, "brotliCompress").mockImplementation(((
        b: Buffer,
        options: object,
        done: (error: Error | null, result: Buffer) => void,
      ) => {
        if (holding) held.push(() => watched("brotliCompress")(b, options, done));
        else watched("brotliCompress")(b, options, done);
      }) as typeof threadPool.brotliCompress);
      const declinedBefore = bigCompressions().declined;
      // a 374 KB answer in brotli, on a connection of its own from `localAddress` (the server
      // listens on 127.0.0.1; on Linux the whole of 127.0.0.0/8 reaches it)
      let asked = 0;
      const ask = (localAddress: string) =>
        new Promise<{ coding: string | undefined; body: Buffer }>((resolve, reject) => {
          const text = JSON.stringify({ query: `# ${asked++}\n${getIntrospectionQuery()}` });
          const req = request(
            server.graphql,
            {
              method: "POST",
              localAddress,
              agent: false,
              headers: { "content-type": "application/json", "accept-encoding": "br" },
            },
            (res) => {
              const chunks: Buffer[] = [];
              res.on("data", (chunk: Buffer) => chunks.push(chunk));
              res.on("end", () =>
                resolve({
                  coding: res.headers["content-encoding"] as string | undefined,
                  body: Buffer.concat(chunks),
                }),
              );
            },
          );
          req.once("error", reject);
          req.end(text);
        });
      const flood = Array.from({ length: BIG_LANES + BIG_WAITING }, () => ask("127.0.0.1"));
      // (should an assertion below fail, the server's close ends these: no unhandled rejection)
      for (const asking of flood) asking.catch(() => undefined);
      await expect
        .poll(() => bigCompressions(), { timeout: 60_000 })
        .toMatchObject({ running: BIG_LANES, waiting: BIG_WAITING });
      // another address: it holds none, the flood four, so the flood's newest gives its place
      // (given no client, or one client for all, it is itself declined: sent uncompressed)
      const honest = ask("127.0.0.2");
      honest.catch(() => undefined);
      await expect
        .poll(() => bigCompressions().declined, { timeout: 60_000 })
        .toBe(declinedBefore + 1);
      expect(bigCompressions().waiting).toBe(BIG_WAITING);
      holding = false;
      for (const release of held.splice(0)) release();
      const answer = await honest;
      expect(answer.coding).toBe("br");
      const types = JSON.parse(zlib.brotliDecompressSync(answer.body).toString()).data.__schema
        .types;
      expect(types.length).toBeGreaterThan(10);
      // the flood's: one sent as it is (the newest waiting), the others in brotli
      const codings = (await Promise.all(flood)).map((a) => a.coding ?? "none");
      expect(codings.filter((c) => c === "none")).toHaveLength(1);
      expect(codings.filter((c) => c === "br")).toHaveLength(BIG_LANES + BIG_WAITING - 1);
      await expect.poll(() => bigCompressions()).toMatchObject({ running: 0, waiting: 0 });
    } finally {
      // the lanes are this module's, shared with the tests after this one (and the files after
      // this one in the worker): should an assertion fail while the jobs are held, they are let
      // go, or every later test found both lanes taken (review 11)
      holding = false;
      for (const release of held.splice(0)) release();
      await server.close();
      await expect
        .poll(() => bigCompressions(), { timeout: 60_000 })
        .toMatchObject({ running: 0, waiting: 0 });
    }
  });

  it("frees a lane when a big compression fails, for those waiting behind it", async () => {
    const bigs = Array.from({ length: 3 }, (_, i) => body(BIG_BYTES, i));
    // gzip refuses level 42: the job fails
    const failing = compress(bigs[0]!, "gzip", { brotliQuality: 4, gzipLevel: 42 });
    const others = bigs.slice(1).map((b) => compress(b, "br"));
    expect(bigCompressions()).toMatchObject({ running: 2, waiting: 1 });
    await expect(failing).rejects.toThrow();
    await Promise.all(others);
    expect(bigCompressions()).toMatchObject({ running: 0, waiting: 0 });
  });

  it("does not compress a big body whose client went away while it waited, and hands its lane on", async () => {
    const bigs = Array.from({ length: 4 }, (_, i) => body(BIG_BYTES, i));
    let gone = false;
    const first = bigs.slice(0, 2).map((b) => compress(b, "br"));
    const abandoned = compress(bigs[2]!, "br", ANSWER_EFFORT, { abandoned: () => gone });
    const last = compress(bigs[3]!, "br");
    expect(bigCompressions()).toMatchObject({ running: 2, waiting: 2 });
    gone = true;
    await expect(abandoned).rejects.toThrow(/client has gone/);
    await Promise.all([...first, last]);
    expect(pool.started.map((b) => bigs.indexOf(b))).toEqual([0, 1, 3]);
    expect(bigCompressions()).toMatchObject({ running: 0, waiting: 0 });
  });

  it("does not compress a big answer queued behind another on a pipelined connection whose client has gone (the review of 5 December)", async () => {
    const server = await startServer();
    try {
      // both lanes taken by two big bodies whose jobs are held until the client has gone
      const held: (() => void)[] = [];
      const fill: Buffer[] = [Buffer.alloc(BIG_BYTES, 97), Buffer.alloc(BIG_BYTES, 98)];
      vi.spyOn(threadPool, "brotliCompress").mockImplementation(((
        body: Buffer,
        options: object,
        done: (error: Error | null, result: Buffer) => void,
      ) => {
        if (fill.includes(body)) held.push(() => watched("brotliCompress")(body, options, done));
        else watched("brotliCompress")(body, options, done);
      }) as typeof threadPool.brotliCompress);
      const filling = fill.map((f) => compress(f, "br"));
      // two pipelined requests on one connection, each a 374 KB answer in brotli: the second
      // gets no close of its own when the connection goes (client-gone.ts)
      const body = JSON.stringify({ query: getIntrospectionQuery() });
      const one = `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAccept-Encoding: br\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      const socket = connect(Number(new URL(server.url).port), "127.0.0.1");
      socket.on("error", () => {});
      socket.write(one + one);
      await expect.poll(() => bigCompressions().waiting).toBe(2);
      socket.destroy();
      // the server has seen the client go
      const open = () =>
        new Promise<number>((resolve) =>
          server.app.server.getConnections((_error, count) => resolve(count)),
        );
      await expect.poll(open).toBe(0);
      for (const release of held) release();
      await Promise.all(filling);
      await expect.poll(() => bigCompressions()).toMatchObject({ running: 0, waiting: 0 });
      // only the two held bodies reached the pool: neither answer was compressed for no one
      expect(pool.started.filter((b) => !fill.includes(b))).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("takes half of the pool's threads as libuv counts them from UV_THREADPOOL_SIZE, at least one", () => {
    expect([undefined, "8", "3", "1", "0", "", "many", "-3", "5000"].map(lanesFor)).toEqual([
      2, 4, 1, 1, 1, 1, 1, 512, 512,
    ]);
  });
});
