import * as zlib from "node:zlib";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

/**
 * The jobs handed to libuv's pool, watched where compression.ts hands them over: zlib's
 * brotliCompress and gzip, each counted from its call to its callback, in the order called.
 */
import {
  ANSWER_EFFORT,
  BIG_BYTES,
  BIG_LANES,
  bigCompressions,
  brotliParams,
  compress,
  lanesFor,
  threadPool,
} from "../../src/server/compression.js";
import { createMetrics } from "../../src/server/metrics.js";

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
    expect(bigCompressions()).toEqual({ running: 2, waiting: 4 });
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
    expect(bigCompressions()).toEqual({ running: 0, waiting: 0 });
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

  it("frees a lane when a big compression fails, for those waiting behind it", async () => {
    const bigs = Array.from({ length: 3 }, (_, i) => body(BIG_BYTES, i));
    // gzip refuses level 42: the job fails
    const failing = compress(bigs[0]!, "gzip", { brotliQuality: 4, gzipLevel: 42 });
    const others = bigs.slice(1).map((b) => compress(b, "br"));
    expect(bigCompressions()).toEqual({ running: 2, waiting: 1 });
    await expect(failing).rejects.toThrow();
    await Promise.all(others);
    expect(bigCompressions()).toEqual({ running: 0, waiting: 0 });
  });

  it("does not compress a big body whose client went away while it waited, and hands its lane on", async () => {
    const bigs = Array.from({ length: 4 }, (_, i) => body(BIG_BYTES, i));
    let gone = false;
    const first = bigs.slice(0, 2).map((b) => compress(b, "br"));
    const abandoned = compress(bigs[2]!, "br", ANSWER_EFFORT, { abandoned: () => gone });
    const last = compress(bigs[3]!, "br");
    expect(bigCompressions()).toEqual({ running: 2, waiting: 2 });
    gone = true;
    await expect(abandoned).rejects.toThrow(/client has gone/);
    await Promise.all([...first, last]);
    expect(pool.started.map((b) => bigs.indexOf(b))).toEqual([0, 1, 3]);
    expect(bigCompressions()).toEqual({ running: 0, waiting: 0 });
  });

  it("takes half of the pool's threads as libuv counts them from UV_THREADPOOL_SIZE, at least one", () => {
    expect([undefined, "8", "3", "1", "0", "", "many", "-3", "5000"].map(lanesFor)).toEqual([
      2, 4, 1, 1, 1, 1, 1, 512, 512,
    ]);
  });
});
