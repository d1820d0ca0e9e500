/**
 * Content codings: which one a client accepts (brotli, then gzip), and compressing an answer
 * with it. Used for GraphQL answers above a size (http-cache.ts) and, precompressed at build,
 * for the explorer's files (static.ts, web/build.ts).
 *
 * The levels are chosen from bench/compression.ts (bench/RESULTS.md, "compression"): brotli's
 * quality 4 makes answers smaller than gzip's level 6 in less CPU; quality 11 is for files
 * compressed once, at build.
 *
 * Compression runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise),
 * whose queue is first come, first served. Brotli given a whole body at once does most of it in
 * one job (a 16.6 MB answer: 433 ms before its first output, of 541): clients pulling such
 * answers in brotli kept all four threads busy, and a small answer's compression waited behind
 * them (red team 4: an 8 KB answer's p50 from 8 to 123 ms over HTTP). So bodies of `BIG_BYTES` or
 * more are compressed at most `BIG_LANES` at a time (half the pool), the others waiting here in
 * the order they came (at most `BIG_WAITING`; one more is sent uncompressed), and small bodies go
 * to the pool at once, where threads are left for them
 * (and for the pool's other users: file reads, DNS). Chosen by bench/attack/compression-lanes.mjs
 * (KZ_BENCH_STRATEGIES=1; bench/RESULTS.md, "Compression lanes"): in process, a 4.8 KB body
 * compressed every 20 ms beside 8 loops compressing the 16.6 MB one, two runs at load 7-12:
 * - at once (as before): p50 82-97 ms, p95 and max 4.7-7.7 s (alone: p50 0.7);
 * - in 64 KiB slices written to a stream (the same bytes), p50 20-21 ms, p95 76-83: every slice
 *   of every big body still queues ahead of the small one;
 * - at most 2 at once, in order: p50 0.7-1.8 ms, p95 21-52; at most 1: p50 0.8-1.1, p95 20-41,
 *   the big bodies' throughput no lower (1.30 a second either way in the second run), but one
 *   lane would leave a larger machine's cores idle: half the pool it is.
 * A big body's bytes are the same either way: the lanes only decide when its job goes to the pool.
 */
import { brotliCompress, constants, gzip } from "node:zlib";

export type Coding = "br" | "gzip";

/**
 * The coding to answer with for this Accept-Encoding header: the one of br and gzip the client
 * prefers (the higher q-value, RFC 9110 12.5.3), br when it prefers neither (smaller); none when
 * it accepts neither. A coding with `q=0` is refused; `*` stands for each not named.
 */
export function negotiateCoding(header: string | string[] | undefined): Coding | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(",") : header;
  const q = new Map<string, number>();
  for (const part of text.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const weight = qValueOf(params);
    // a q-value that is no number (`q=abc`, `q=1.2.3`) refuses it; above 1, it counts as 1 (review 45)
    const value = weight === undefined ? 1 : Number(weight);
    q.set(name, Number.isNaN(value) ? 0 : Math.min(1, value));
  }
  const br = weightOf(q, "br");
  const gzip = weightOf(q, "gzip");
  if (br <= 0 && gzip <= 0) return undefined;
  // (red team 44: `gzip;q=1, br;q=0.1` got br, whatever the client preferred)
  return br >= gzip ? "br" : "gzip";
}

/**
 * The text of the first `q=` parameter of a coding (its spaces around it trimmed: `Number` reads
 * what is left), or undefined when it has none. Read by a scan, not a regular expression: the
 * lazy `/^\s*q=(.*?)\s*$/` took time in the square of a parameter's spaces, and a 16 KB header of
 * `gzip;q=` and 16,000 spaces before an `x` held the event loop 0.2-0.6 s at each request, twice a
 * request, for any route that may compress (red team 50, F1).
 */
function qValueOf(params: readonly string[]): string | undefined {
  for (const param of params) {
    const text = param.trim();
    if (text.startsWith("q=")) return text.slice(2);
  }
  return undefined;
}

/**
 * The q-value `q` gives `coding` (0: refused). A function of the module, not a closure made per
 * answer: tsx names each closure assigned to a name with Object.defineProperty whenever one is
 * made (docs/performance.md).
 */
function weightOf(q: Map<string, number>, coding: Coding): number {
  return q.get(coding) ?? (coding === "gzip" ? q.get("x-gzip") : undefined) ?? q.get("*") ?? 0;
}

/** How hard to compress: brotli's quality and gzip's level. */
export interface Effort {
  brotliQuality: number;
  gzipLevel: number;
}

/** For answers compressed per request: brotli's quality (0-11) and gzip's level (1-9). */
export const ANSWER_EFFORT: Effort = { brotliQuality: 4, gzipLevel: 6 };

/**
 * For the RDF exports (export-routes.ts), compressed once per graph and coding and kept: the
 * built-in graph's N-Triples (587 KB) take 54 ms at brotli 6 for 29 KB, 17% smaller than
 * quality 4 for the same time; quality 9 and 11 take 12 and 65 times as long for 2% and 15%
 * less, too long for a graph 100 times larger (bench/RESULTS.md, "RDF exports").
 */
export const EXPORT_EFFORT: Effort = { brotliQuality: 6, gzipLevel: 6 };

/**
 * Brotli's size hint for the RDF exports, kept (compressed at once) or streamed alike: a
 * stream's size is not known, and the same export must be the same bytes either way (one strong
 * ETag). Past 1 MiB, as most exports that are compressed are large.
 */
export const EXPORT_SIZE_HINT = 16 * 1024 * 1024;

/**
 * For GraphiQL's page (graphiql.ts), compressed once per process and coding and kept: its 9.05 MB
 * take 235-312 ms at brotli 6 for 1.92 MB, against 98-161 ms for 2.08 MB at quality 4, 672-864 ms
 * for 1.86 MB at 9 and 12 s for 1.71 MB at 11; gzip 6 gives 2.44 MB in 167 ms, level 9 saves
 * 0.4% more in twice the time (measured on @graphql-yoga/render-graphiql 5.24.1's page).
 */
export const PAGE_EFFORT: Effort = { brotliQuality: 6, gzipLevel: 6 };

/**
 * Brotli's parameters for `effort` and a size hint, for a body compressed at once (compress) as
 * for one compressed as a stream (the exports too long to keep, export-routes.ts). The hint
 * changes the bytes brotli makes (from 1 MiB on it chooses another match finder); without one,
 * brotli takes the input of its first call for it: all of a body compressed at once, the first
 * write of a stream. So the same hint on both ways makes the same bytes (EXPORT_SIZE_HINT).
 */
export function brotliParams(effort: Effort, sizeHint: number): Record<number, number> {
  return {
    [constants.BROTLI_PARAM_QUALITY]: effort.brotliQuality,
    [constants.BROTLI_PARAM_SIZE_HINT]: sizeHint,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
  };
}

/**
 * Bodies from this size on are big: compressed at most `BIG_LANES` at a time. Brotli 4 takes
 * about 35 ms a MB here (16.6 MB in 541-636 ms), so a job under it holds a thread some 10 ms.
 */
export const BIG_BYTES = 256 * 1024;

/**
 * How many big bodies are compressed at once for a pool sized by `UV_THREADPOOL_SIZE` (`value`):
 * half its threads (2 of 4), so that half is left for the small ones. Read as libuv reads it, once
 * at its first job: unset, 4 threads; else C's atoi of it, 0 (or text that is no number) taken
 * for 1, and at most 1024 (a negative number, read unsigned, is over it).
 */
export function lanesFor(value: string | undefined): number {
  const asked = value === undefined ? 4 : Number.parseInt(value, 10) || 0;
  const threads = asked === 0 ? 1 : asked < 0 ? 1024 : Math.min(asked, 1024);
  return Math.max(1, Math.floor(threads / 2));
}

/** How many big bodies this process compresses at once (`lanesFor`). */
export const BIG_LANES = lanesFor(process.env.UV_THREADPOOL_SIZE);

/**
 * How many big bodies may wait for a lane: one more is not compressed at all, but sent as it is
 * (`LanesFullError`). Unbounded, the queue was first come, first served: one client asking long
 * answers in brotli at the pace load shedding let through kept 10-25 bodies (up to 230 MB)
 * waiting, and an honest client's 550 KB answer waited p50 4.4 s, max 15.5 s, against 1.4 s and
 * 3.7 s uncompressed (red team 8). A coding is an optimisation: past the bound the answer goes
 * out now, larger, and the queue's bytes and wait stay bounded.
 */
export const BIG_WAITING = 2 * BIG_LANES;

/** A big body not compressed because BIG_WAITING bodies already wait for a lane: send it as it is. */
export class LanesFullError extends Error {
  override name = "LanesFullError";
  constructor() {
    super(`not compressed: ${BIG_WAITING} big bodies already wait for a lane`);
  }
}

/** A big body waiting for a lane: how to start it, or decline it, and whose answer it is. */
interface BigWaiter {
  start: () => void;
  decline: (error: Error) => void;
  /** The client the answer is for (share-client.ts), when it is one client's. */
  client: string | undefined;
  /** Whether its answer is no longer wanted (its client has gone). */
  abandoned: (() => boolean) | undefined;
}

/** The big compressions on the pool now, and those waiting for a lane, in order. */
let bigRunning = 0;
const bigWaiting: BigWaiter[] = [];
/** Big bodies sent uncompressed because the lanes' queue was full. */
let bigDeclined = 0;

/**
 * The queue is full and `client`'s body comes: whether a place was made for it, by declining the
 * newest body of the client holding the most places (sent uncompressed, at once), when `client`
 * holds at least two fewer. First come, first served, one client asking long answers in a loop
 * held every place, and another's big answers were nearly all sent uncompressed (26-28 of 30:
 * 7.7-9.6 MB instead of 0.59; red team 10). A body that is no one client's (an export, GraphiQL's
 * page: compressed once for all) neither takes nor loses a place so.
 */
function placeMadeFor(client: string | undefined): boolean {
  // a body no one will read gives its place to anyone, at no loss
  const gone = bigWaiting.findIndex((waiter) => waiter.abandoned?.() === true);
  if (gone >= 0) {
    const [dropped] = bigWaiting.splice(gone, 1);
    dropped!.decline(new Error("not compressed: its client has gone"));
    return true;
  }
  if (client === undefined) return false;
  const held = new Map<string, number>();
  for (const waiter of bigWaiting)
    if (waiter.client !== undefined) held.set(waiter.client, (held.get(waiter.client) ?? 0) + 1);
  const most = Math.max(0, ...held.values());
  if ((held.get(client) ?? 0) + 1 >= most) return false;
  // the newest body among the clients holding the most: of two holding as many, the one whose body
  // came last, which has waited least, whichever client came first (review 9 found the first
  // client of the Map always losing its place; review 10, that "the client that came last" was not
  // what this does in a queue where their bodies alternate)
  const newest = bigWaiting.findLastIndex(
    (waiter) => waiter.client !== undefined && held.get(waiter.client) === most,
  );
  const [declined] = bigWaiting.splice(newest, 1);
  bigDeclined++;
  declined!.decline(new LanesFullError());
  return true;
}

/**
 * Runs `job` (a big compression for `client`) once a lane is free, and frees it for the next when
 * the job ends.
 */
async function inLane<T>(
  job: () => Promise<T>,
  client: string | undefined,
  abandoned: (() => boolean) | undefined,
): Promise<T> {
  // one whose client has gone takes no place, and declines no one's
  if (abandoned?.()) throw new Error("not compressed: its client has gone");
  if (bigRunning < BIG_LANES) bigRunning++;
  else if (bigWaiting.length >= BIG_WAITING && !placeMadeFor(client)) {
    bigDeclined++;
    throw new LanesFullError();
  }
  // the lane is handed over by the job that ends (below): running stays counted
  else
    await new Promise<void>((start, decline) =>
      bigWaiting.push({ start, decline, client, abandoned }),
    );
  try {
    return await job();
  } finally {
    const next = bigWaiting.shift();
    if (next) next.start();
    else bigRunning--;
  }
}

/** The big compressions on the pool now and those waiting for a lane (tests watch the bound with it). */
export function bigCompressions(): { running: number; waiting: number; declined: number } {
  return { running: bigRunning, waiting: bigWaiting.length, declined: bigDeclined };
}

/**
 * zlib's two jobs on libuv's pool, called through this object so that a test can watch them
 * (`vi.spyOn`): `vi.mock` of node:zlib reaches no module that another file of a shared test
 * worker imported first (tests/server/compression-lanes.test.ts).
 */
export const threadPool = { brotliCompress, gzip };

/**
 * Compress `body` with `coding` on libuv's thread pool, off the event loop (brotli's size hint:
 * the body's length unless given); a big body once a lane is free (`BIG_BYTES`; rejected with
 * LanesFullError at once when the lanes' queue is full), and not at all
 * if by then `abandoned()` says its answer is no longer wanted (its client has gone): the promise
 * is rejected, and the lane goes to the next at once, where it would have held a thread for a
 * body no one reads.
 */
export function compress(
  body: Buffer,
  coding: Coding,
  effort: Effort = ANSWER_EFFORT,
  {
    sizeHint = body.length,
    abandoned,
    client,
  }: {
    sizeHint?: number;
    abandoned?: () => boolean;
    /** The client the answer is for (share-client.ts): its big bodies share the waiting places. */
    client?: string;
  } = {},
): Promise<Buffer> {
  compressions++;
  // (functions passed as arguments, not closures assigned to names: tsx names each of those with
  // Object.defineProperty whenever one is made, docs/performance.md)
  return body.length >= BIG_BYTES
    ? inLane(
        () => compressUnlessAbandoned(body, coding, effort, sizeHint, abandoned),
        client,
        abandoned,
      )
    : compressUnlessAbandoned(body, coding, effort, sizeHint, abandoned);
}

/** `body` compressed on libuv's thread pool, unless `abandoned()` says its answer is no longer wanted. */
function compressUnlessAbandoned(
  body: Buffer,
  coding: Coding,
  effort: Effort,
  sizeHint: number,
  abandoned: (() => boolean) | undefined,
): Promise<Buffer> {
  if (abandoned?.()) return Promise.reject(new Error("not compressed: its client has gone"));
  return new Promise<Buffer>((resolve, reject) => {
    if (coding === "br")
      threadPool.brotliCompress(
        body,
        { params: brotliParams(effort, sizeHint) },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
    else
      threadPool.gzip(body, { level: effort.gzipLevel }, (error, result) =>
        error ? reject(error) : resolve(result),
      );
  });
}

let compressions = 0;

/** How many times this process has compressed something with compress(): tests count with it that a cached form is not compressed again. */
export function compressionCount(): number {
  return compressions;
}
