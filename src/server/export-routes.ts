/**
 * `/graph.jsonld` and `/graph.nt`: the whole graph as JSON-LD and as N-Triples (src/graph/rdf.ts),
 * for HTTP caches as GraphQL GETs are (http-cache.ts):
 * - a strong ETag derived from the graph's content hash and the fingerprint of the code and of
 *   what runs it, as a GraphQL answer's (answers-code.ts: src/graph writes the exports from what
 *   src/graph's loading and zod made of the files, src/server compresses them; Node's version,
 *   its zlib and its ICU data, the installed packages), known before the body is (the same on
 *   every replica serving the same data with the same code on the same Node and packages, another
 *   after a reload that changes it), one per content coding, and `If-None-Match` → 304 without
 *   producing anything;
 * - the same `Cache-Control` as a GraphQL GET;
 * - brotli or gzip, as the client accepts (`Vary: Accept-Encoding`);
 * - the CORS headers of a /graphql answer (cors.ts), on every answer, 304s and HEADs too, with
 *   `Vary: Origin` where CORS lists origins (under `*` they are the same for every Origin, and
 *   a shared cache keeps one copy for all): they had none, so that a page of another origin could
 *   read an export's 503 `EXPORTS_BUSY` (sent with them, as every refusal) but not the export;
 *   and a CORS preflight (OPTIONS) answered as /graphql's, for GET and HEAD and the request
 *   headers an export honours (`If-None-Match`, `X-Request-Id`).
 *
 * Why it is produced the way it is: the export used to be built as one string per graph, at once,
 * on the first request. At 20,000 entities that held the event loop 5 s for 165 MB; at 100,000 it
 * held it 17-24 s and then ended the process (`RangeError: Invalid string length`: V8's strings
 * stop at 512 MiB), so one unauthenticated GET killed the server; 20 concurrent downloads took
 * 7 GB. So now:
 * - the export is made a slice at a time (rdf.ts's exportPieces: one entity's triples at a time),
 *   each slice at most ~10 ms or 256 KiB of text, with a turn of the event loop (setImmediate)
 *   between slices: other requests are answered between them, and no string is ever larger than
 *   a slice;
 * - each slice is written to the response (through a zlib stream when the client accepts br or
 *   gzip) and the next is made only once the response has taken it ('drain'): a slow or stalled
 *   client holds one slice and the socket's buffers, not the export; a client that goes away
 *   stops the work at the next slice;
 * - at most `maxExports` exports are produced at once (2 by default, the cores of a small
 *   machine); one more gets 503 `EXPORTS_BUSY` with Retry-After, as load shedding answers, since
 *   each costs a core's worth of work for seconds. 304s, HEADs and kept exports take no slot; a
 *   client that takes nothing for 60 s is cut off, its slot freed;
 * - a slot goes to a newcomer rather than to a client too slow to use it: a newcomer that finds
 *   every slot taken cuts off the export whose socket took the fewest bytes over the last
 *   DISPLACE_WINDOW_MS (10 s), if that is under DISPLACE_FLOOR (128 KiB/s, compressed bytes as
 *   sent) and bytes wait for its client, and takes its slot (counted as displaced, logged);
 *   otherwise it gets 503 as above. Without it two clients reading a few bytes every 50 s held
 *   both slots for hours (an export ends only once read to its end), and every other export was
 *   refused meanwhile, for a slot whose CPU such a reader barely uses (a red team's finding).
 *   Only an export streamed for the whole window is judged (the rate of a younger one is TCP's
 *   slow start and the burst into the kernel's buffers), and only while bytes wait for its
 *   client: an export slow because the server is (brotli at 8 exports at once on 2 cores sent
 *   ~320 KB/s to clients taking all it made) waits on its making, not on its client, and is
 *   using the slot. The pace is the connection's. An export queued behind other answers on a
 *   pipelined connection takes no slot until its turn comes (its response is given the
 *   connection): holding one while it waited, two exports pipelined on one connection held both
 *   slots, which no rule could take without closing the connection and both (red team 7). The
 *   floor is 1 Mbit/s: a client below it takes more
 *   than an hour for the N-Triples of 100,000 entities plain, and ~5 min even in brotli; one
 *   above it, or alone, is never cut off for its speed;
 * - the slots are shared between the clients' addresses: a newcomer that finds every slot taken,
 *   none too slow to keep, takes the place of the youngest export (the least sent) of the address
 *   holding the most slots, if that is more than its share (the slots divided among the addresses
 *   holding one or asking, rounded down) and the newcomer's address holds less than its own
 *   (counted as displaced, with the reason `share`, logged). Without it one client reading two
 *   exports at ~265 KiB/s each, just above the floor, held both slots for as long as an export
 *   takes (minutes plain at 100,000 entities) and every other client got 503 (red team 5's
 *   export-floor.mjs; bench/results/2026-12-05-export-share.txt). An address alone takes every
 *   slot (no one else asks), and one holding a single slot is never displaced by this rule, only
 *   by the slow-reader one. The address is the connection's, never a header's (X-Forwarded-For is
 *   whatever the client writes): behind a proxy every request comes from the proxy's one address,
 *   so this rule never fires there (the slow-reader rule still does), as before it; sharing
 *   them is the proxy's work then (docs/operations.md). An IPv6 address counts by its /64 prefix
 *   (`shareClient`): one host is given a whole /64 and picks any address of it, so two exports
 *   from two addresses of one /64 counted as two clients and held both slots, as one address
 *   could before the rule; an IPv4 address (mapped into IPv6 or not) counts whole;
 * - an export of at most `exportKeepMaxBytes` (16 MiB by default; the built-in graph's
 *   N-Triples are 587 KB) is held until it ends, then sent with Content-Length and kept with its
 *   compressed forms (compressed once per graph and coding, off the event loop) for as long as its
 *   graph is served, as before: the built-in graph's exports are answered from memory after the
 *   first request, byte for byte as before. A longer export is sent chunked as it is made (what
 *   was held first, then the rest), made anew for each request and compressed as a stream (brotli
 *   6 or gzip 6, EXPORT_EFFORT): keeping it would cost memory for the life of the graph (165 MB
 *   at 20,000 entities, gigabytes at a million), and the graph is remembered as too large, so a
 *   later request streams from its first slice.
 * The figures of the change: bench/results/2026-12-05-export-stream.txt, docs/performance.md.
 */

import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { pipeline, type Writable } from "node:stream";
import { createBrotliCompress, createGzip } from "node:zlib";
import type { KnowledgeGraph } from "../graph/graph.js";
import { type ExportFormat, exportPieces } from "../graph/rdf.js";
import { answersCodeOf } from "./answers-code.js";
import { sendError } from "./body.js";
import { allClosed } from "./client-gone.js";
import {
  brotliParams,
  type Coding,
  compress,
  EXPORT_EFFORT,
  EXPORT_SIZE_HINT,
  negotiateCoding,
} from "./compression.js";
import { corsHeaders, preflightHeaders } from "./cors.js";
import { cacheControl, codedTag, type HttpCacheOptions, matchingTag } from "./http-cache.js";
import {
  type Logger,
  SNAPSHOT_RETRY_AFTER_SECONDS,
  SNAPSHOT_UNREADABLE_MESSAGE,
  unreadableIn,
} from "./log.js";
import { cutBy, cutResponse } from "./server-cuts.js";
import { clientOf } from "./share-client.js";

/**
 * The request headers an export honours that a browser asks leave to send (not CORS-safelisted):
 * a cache's revalidation, and the request id every answer carries back (app.ts). Accept-Encoding
 * the browser sets itself, and asks no one.
 */
const HONOURED_HEADERS = ["if-none-match", "x-request-id"];
/** The methods a page may use on an export (`Access-Control-Allow-Methods`, preflight or not). */
export const EXPORT_METHODS = ["GET", "HEAD"];

export const EXPORTS = {
  "/graph.jsonld": { contentType: "application/ld+json", body: "jsonld" },
  "/graph.nt": { contentType: "application/n-triples", body: "ntriples" },
} as const;

/** What the exports read of the settings. */
export type ExportOptions = HttpCacheOptions & {
  maxExports: number;
  exportKeepMaxBytes: number;
  /** A slice of work ends once it took this long, in ms (default 10)… */
  exportSliceMs?: number;
  /** …or made this many bytes of text (default 256 KiB), whichever comes first; at least one entity. */
  exportSliceBytes?: number;
  /** A client that takes nothing of the export for this long, in ms, is cut off and its slot freed (default 60 s). */
  exportStallMs?: number;
};

/**
 * A newcomer finding every slot taken cuts off the export whose socket took the fewest bytes over
 * this long, in ms, if fewer than DISPLACE_FLOOR a second (export-routes.ts's header says why
 * these). Not settings: tests drive the server's clock (performance.now) instead of shortening them.
 */
export const DISPLACE_WINDOW_MS = 10_000;
/** Bytes a second (compressed, as the socket took them): 1 Mbit/s. */
export const DISPLACE_FLOOR = 128 * 1024;

/**
 * The share rule: for a newcomer from `client` (`shareClient`) finding every one of `maxExports`
 * slots taken, the export to cut off, if the client holding the most slots holds more than its
 * share (the slots divided among the clients holding one or asking, rounded down) and the
 * newcomer holds less than its own: that client's export that has sent the least (the youngest:
 * the least work lost; of two alike, the later, `slots` being in the order taken). Neither side
 * passes its share after, so the two cannot take a slot back and forth (the last test of
 * export-stream.test's share).
 */
export function overShare<S extends { client: string; sent: number }>(
  slots: Iterable<S>,
  client: string,
  maxExports: number,
): { slot: S; held: number; share: number } | undefined {
  const held = new Map<string, S[]>();
  for (const slot of slots) {
    const ones = held.get(slot.client);
    if (ones) ones.push(slot);
    else held.set(slot.client, [slot]);
  }
  const asking = held.has(client) ? held.size : held.size + 1;
  // (more clients than slots: each holds one, the share is none, and nothing is taken)
  const share = Math.floor(maxExports / asking);
  if ((held.get(client)?.length ?? 0) >= share) return undefined;
  let most: S[] = [];
  for (const ones of held.values()) if (ones.length > most.length) most = ones;
  if (most.length <= share) return undefined;
  const youngest = most.reduce((young, slot) => (slot.sent <= young.sent ? slot : young));
  return { slot: youngest, held: most.length, share };
}

/** Why an export was cut off for a newcomer: its client too slow, or its address over its share. */
export type DisplacedReason = "slow" | "share";

/** How to refuse a request with 503 (app.ts's `refuse`: counted in the metrics, with CORS headers). */
export type Refuse = (
  req: IncomingMessage,
  res: ServerResponse,
  code: string,
  message: string,
  retryAfterSeconds: number,
  keepAlive: boolean,
) => void;

/** An export kept in memory: its bytes, and its compressed forms (a promise while being compressed). */
interface Kept {
  body: Buffer;
  coded: Map<Coding, Promise<Buffer>>;
}
/** What is known of a graph's exports: each format's ETag, each kept export, and which are too large to keep. */
interface GraphExports {
  etags: Map<ExportFormat, string>;
  kept: Map<ExportFormat, Kept>;
  tooLarge: Set<ExportFormat>;
}

/**
 * What tests and the bench can see of the exports (app.ts's `exports()`; not on /metrics, whose
 * only export figures are the EXPORTS_BUSY refusals among the shed requests and the displaced,
 * kz_osce_http_exports_displaced_total): in progress now, and counts since start.
 */
export interface ExportStats {
  inProgress: number;
  /**
   * Exports started (a slot taken), finished (every byte handed to the response), abandoned (the
   * client went away, or was cut off for taking nothing), displaced (cut off, too slow, to give
   * its slot to another request: logged), failed (an error of the server's own while making or
   * compressing it: logged). (Displaced counts both reasons; the metric tells them apart.)
   */
  started: number;
  finished: number;
  abandoned: number;
  displaced: number;
  failed: number;
  /** Slices made, and refusals for want of a slot. */
  slices: number;
  refused: number;
}

/** An export holding a slot, as the choice of one to cut off for a newcomer sees it (`displaceSlowest`). */
interface Slot {
  path: string;
  res: ServerResponse;
  /**
   * Its request's connection: what its client takes is measured there, since a response queued
   * behind another on a pipelined connection has no socket of its own yet, and waits on its
   * client's reading of the answers before it (one read slowly held a slot for as long).
   */
  connection: Socket;
  /** Its client's address, as the connection had it (logged). */
  address: string;
  /** The client the slot counts for in the share rule: the address, an IPv6 one by its /64 (`shareClient`). */
  client: string;
  /** The bytes of the export written to its response (or compressor) so far: its age, for the share rule. */
  sent: number;
  /**
   * What its connection had taken (`taken`) and when (performance.now), since its export began
   * streaming: at most one an eighth of the window apart, the last the freshest, none older than
   * the last at or before the window's start (the one its rate is measured from); see `sample`.
   */
  samples: { at: number; taken: number }[];
  /** Cut off for a newcomer: its slot is free at once, and it counts as displaced, not abandoned. */
  displaced: boolean;
}

/** What `socket` has handed to the kernel: bytes written less those still buffered. */
function takenBy(socket: Socket | null): number {
  return socket ? socket.bytesWritten - socket.writableLength : 0;
}

/** The most written to the response at once (export-routes.ts's produce, `send`). */
const WRITE_BYTES = 64 * 1024;

/**
 * Compresses as a stream with the parameters of the kept exports (the same size hint on either:
 * a stream's size is not known), so that both make the same bytes under the same strong ETag.
 */
function compressor(coding: Coding) {
  return coding === "br"
    ? createBrotliCompress({ params: brotliParams(EXPORT_EFFORT, EXPORT_SIZE_HINT) })
    : createGzip({ level: EXPORT_EFFORT.gzipLevel });
}

/**
 * The ETag of the export in `format` of the graph `contentHash` (before any content coding),
 * written by `code`: the answers' fingerprint (answers-code.ts), which carries what runs the code.
 * The format is in it: a strong tag names one representation, and /graph.nt's and
 * /graph.jsonld's were the same, so that either's tag got a 304 from the other (red team 50, F4;
 * a cache keys by URL, but a client that keys its validators by tag took one for the other). Only
 * src/graph's was taken (snapshot.ts codeOf), so another Node (its zlib, whose brotli and gzip
 * make the coded bytes, or its ICU), another `npm ci` or another src/server (the compression's
 * settings) could change an export's bytes under the same strong tag, and a cache revalidating
 * was told 304 and kept the old copy.
 */
export function exportTagOf(
  contentHash: string,
  format: ExportFormat,
  code = answersCodeOf(),
): string {
  return `"${createHash("sha256")
    .update(`rdf-export\0${format}\0${code}\0${contentHash}`)
    .digest("hex")
    .slice(0, 32)}"`;
}

/** The exports' handler: `serve` answers a request if it is for an export (false and nothing done otherwise). */
export function createExports(
  options: ExportOptions,
  refuse: Refuse,
  logger: Logger,
  /** Told of each export cut off to give its slot to another request, and why (app.ts: the metric). */
  onDisplaced: (reason: DisplacedReason) => void = () => {},
) {
  const sliceMs = options.exportSliceMs ?? 10;
  const sliceBytes = options.exportSliceBytes ?? 256 * 1024;
  const stallMs = options.exportStallMs ?? 60_000;
  const graphs = new WeakMap<KnowledgeGraph, GraphExports>();
  const stats: Omit<ExportStats, "inProgress"> = {
    started: 0,
    finished: 0,
    abandoned: 0,
    displaced: 0,
    failed: 0,
    slices: 0,
    refused: 0,
  };
  /** The exports holding a slot. */
  const slots = new Set<Slot>();

  /** Notes what `slot`'s connection has taken by now (at each write of its export; see Slot.samples). */
  function sample(slot: Slot): void {
    const at = performance.now();
    const taken = takenBy(slot.connection);
    const samples = slot.samples;
    if (samples.length >= 2 && at - samples[samples.length - 2]!.at < DISPLACE_WINDOW_MS / 8)
      samples[samples.length - 1] = { at, taken };
    else samples.push({ at, taken });
    while (samples.length >= 2 && samples[1]!.at <= at - DISPLACE_WINDOW_MS) samples.shift();
  }

  /**
   * The bytes a second `slot`'s connection took over the last window (from the last sample at or
   * before its start: a client that stalled is measured from its last write on), or undefined if
   * it is not to be judged: streamed for less than the window, or nothing waits for its client
   * (the export waits on its making, the server's speed, not the client's). (A response's
   * writableLength counts what it holds itself, a queued one's too, and its socket's.)
   */
  function rateOf(slot: Slot, now: number): number | undefined {
    const { res, connection, samples } = slot;
    if (res.writableLength === 0) return undefined;
    let from: { at: number; taken: number } | undefined;
    for (const one of samples) {
      if (one.at > now - DISPLACE_WINDOW_MS) break;
      from = one;
    }
    if (!from) return undefined;
    return ((takenBy(connection) - from.taken) * 1000) / (now - from.at);
  }

  /**
   * For a newcomer finding every slot taken (`path`): cuts off the export whose client took the
   * fewest bytes over the last window, if under the floor, and frees its slot at once. Whether it
   * did.
   */
  function displaceSlowest(path: string): boolean {
    const now = performance.now();
    let slowest: Slot | undefined;
    let slowestRate = Number.POSITIVE_INFINITY;
    for (const slot of slots) {
      const rate = rateOf(slot, now);
      if (rate !== undefined && rate < slowestRate) {
        slowest = slot;
        slowestRate = rate;
      }
    }
    if (!slowest || slowestRate >= DISPLACE_FLOOR) return false;
    cutOff(
      slowest,
      "slow",
      "cut off an RDF export whose client took it too slowly, to make another",
      {
        bytesPerSecond: Math.round(slowestRate),
        floorBytesPerSecond: DISPLACE_FLOOR,
        windowMs: DISPLACE_WINDOW_MS,
        for: path,
      },
    );
    return true;
  }

  /**
   * For a newcomer from `address` (its `client`) finding every slot taken (`path`), none too slow
   * to keep: cuts off the export the share rule gives (`overShare`), and frees its slot at once.
   * Whether it did.
   */
  function displaceOverShare(path: string, address: string, client: string): boolean {
    const over = overShare(slots, client, options.maxExports);
    if (!over) return false;
    // (cutting one off closes its connection, which holds no other slot: an export pipelined
    // behind another takes its slot only when its turn comes, `serve`; the review of 5 December
    // saw two pipelined on one connection both go for one newcomer)
    cutOff(
      over.slot,
      "share",
      "cut off an RDF export of a client holding more than its share of the slots, to make another",
      {
        held: over.held,
        share: over.share,
        for: path,
        forRemote: address,
      },
    );
    return true;
  }

  /**
   * Cuts off `slot`'s export for a newcomer, for `reason`: its slot is free at once, and it is
   * counted and logged (`msg`, with `fields`) as displaced.
   */
  function cutOff(
    slot: Slot,
    reason: DisplacedReason,
    msg: string,
    fields: Record<string, unknown>,
  ): void {
    slots.delete(slot);
    slot.displaced = true;
    logger.warn(msg, { path: slot.path, reason, remote: slot.address, ...fields });
    onDisplaced(reason);
    // its client sees a chunked answer cut short, as a stalled one does (or, queued, none: the
    // connection, not the response, is closed, which a queued response has not yet); its work
    // stops at its next slice, as that of a client gone
    cutBy(slot.connection, "export-displaced");
  }

  function exportsOf(graph: KnowledgeGraph): GraphExports {
    let known = graphs.get(graph);
    if (!known) {
      graphs.set(graph, (known = { etags: new Map(), kept: new Map(), tooLarge: new Set() }));
    }
    return known;
  }

  /** The kept body in `coding`, compressed on first use and kept. */
  function codedBody(kept: Kept, coding: Coding): Promise<Buffer> {
    let body = kept.coded.get(coding);
    if (!body) {
      // brotli's size hint that of a stream: the bytes of the same export streamed (compressor)
      body = compress(kept.body, coding, EXPORT_EFFORT, { sizeHint: EXPORT_SIZE_HINT });
      // a failure is not kept: the next request tries again (this one is sent plain)
      body.catch(() => kept.coded.delete(coding));
      kept.coded.set(coding, body);
    }
    return body;
  }

  function serve(req: IncomingMessage, res: ServerResponse, graph: KnowledgeGraph): boolean {
    const path = (req.url ?? "").split("?")[0]!;
    const route = EXPORTS[path as keyof typeof EXPORTS];
    if (!route) return false;
    // a CORS preflight, as /graphql's (Yoga answers any OPTIONS 204 there while CORS is on, and
    // 405 with it off): a page's fetch of an export with If-None-Match was refused by the browser
    // at the preflight's 405 (the exports' own CORS headers came with f8c47be)
    // the methods an export answers: OPTIONS too while CORS is on (the 405's `Allow` left it out,
    // though the same OPTIONS was answered 204)
    const allow = options.cors === "none" ? "GET, HEAD" : "GET, HEAD, OPTIONS";
    if (req.method === "OPTIONS" && options.cors !== "none") {
      res
        .writeHead(204, {
          ...preflightHeaders(options.cors, req, {
            methods: EXPORT_METHODS,
            allowedHeaders: HONOURED_HEADERS,
          }),
          allow,
          "cache-control": "no-store",
          // Safari waits for the body of a 204 without it (as Yoga's)
          "content-length": "0",
        })
        .end();
      return true;
    }
    const cors = corsHeaders(options.cors, req, EXPORT_METHODS);
    if (req.method !== "GET" && req.method !== "HEAD") {
      // a JSON error, as every other refusal of this server (it was a line of plain text)
      sendError(
        res,
        405,
        "METHOD_NOT_ALLOWED",
        `${path} answers GET and HEAD only, not ${req.method}: it is the whole graph, read-only.`,
        { keepAlive: true, headers: { ...cors, allow, "cache-control": "no-store" } },
      );
      return true;
    }
    const format = route.body;
    const known = exportsOf(graph);
    const kept = known.kept.get(format);
    // an export not yet made is compressible unless it turns out shorter than compressMinBytes
    const compressible =
      options.compression && (!kept || kept.body.length >= options.compressMinBytes);
    // the CORS headers depend on Origin (`Vary: Origin`, where origins are listed), whether the
    // answer is compressed on Accept-Encoding: a shared cache keyed by URL alone gave one origin's
    // `Access-Control-Allow-Origin` to another, or a br body to a client without it
    const { Vary: corsVary, ...allowed } = cors;
    const varying = [...(corsVary ? [corsVary] : []), ...(compressible ? ["Accept-Encoding"] : [])];
    const headers: Record<string, string> = {
      ...allowed,
      "cache-control": cacheControl(options),
      ...(varying.length > 0 ? { vary: varying.join(", ") } : {}),
    };
    const coding = compressible ? negotiateCoding(req.headers["accept-encoding"]) : undefined;
    let etag = known.etags.get(format);
    if (etag === undefined)
      known.etags.set(format, (etag = exportTagOf(graph.contentHash, format)));
    const tag = matchingTag(req.headers["if-none-match"], etag, coding);
    if (tag !== undefined) {
      res.writeHead(304, { ...headers, etag: tag }).end();
      return true;
    }
    const head = (sentCoding: Coding | undefined, length?: number) => ({
      ...headers,
      etag: codedTag(etag, sentCoding),
      "content-type": route.contentType,
      ...(length === undefined ? {} : { "content-length": String(length) }),
      ...(sentCoding ? { "content-encoding": sentCoding } : {}),
    });
    if (kept) {
      sendKept(req, res, kept, coding, head);
      return true;
    }
    // a HEAD of an export not kept: its headers, without a length (it would take making it)
    if (req.method === "HEAD") {
      res.writeHead(200, head(coding)).end();
      return true;
    }
    /** Takes a slot for the export and makes it, or refuses it (EXPORTS_BUSY). */
    const start = (): void => {
      // the connection's address (a header's would be the client's to choose)
      const address = req.socket.remoteAddress ?? "";
      const client = clientOf(req.socket);
      if (
        slots.size >= options.maxExports &&
        !displaceSlowest(path) &&
        !displaceOverShare(path, address, client)
      ) {
        stats.refused++;
        refuse(
          req,
          res,
          "EXPORTS_BUSY",
          `The server is making ${slots.size} exports of the whole graph, as many as it makes at once: try again in a few seconds.`,
          5,
          true,
        );
        return;
      }
      const slot: Slot = {
        path,
        res,
        connection: req.socket,
        address,
        client,
        sent: 0,
        samples: [],
        displaced: false,
      };
      slots.add(slot);
      stats.started++;
      produce(req, res, path, graph, format, known, coding, head, slot).then(
        (outcome) => {
          slots.delete(slot);
          stats[slot.displaced ? "displaced" : outcome]++;
        },
        (error) => {
          // produce handles its own errors; this is a last guard: never an unhandled rejection
          slots.delete(slot);
          stats.failed++;
          logger.error("an RDF export failed", { path, error });
          cutResponse(res, "export-failed");
        },
      );
    };
    // queued behind another answer on a pipelined connection, it takes a slot only when its
    // turn comes, and is judged then: holding one while it waited, two exports pipelined on one
    // connection held both slots against every other address, the share rule unable to take
    // either without closing the connection and both (red team 7: one connection at ~2 Mbit/s
    // held every export for ~1.6 h at 100k entities)
    if (!res.socket) {
      const connection = req.socket;
      const gone = () => res.off("socket", turn);
      const turn = () => {
        connection.off("close", gone);
        start();
      };
      res.once("socket", turn);
      connection.once("close", gone);
      return true;
    }
    start();
    return true;
  }

  function sendKept(
    req: IncomingMessage,
    res: ServerResponse,
    kept: Kept,
    coding: Coding | undefined,
    head: (coding: Coding | undefined, length?: number) => Record<string, string>,
  ): void {
    const send = (body: Buffer, sentCoding: Coding | undefined) => {
      if (res.destroyed) return;
      res.writeHead(200, head(sentCoding, body.length));
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (coding === undefined) send(kept.body, undefined);
    else
      codedBody(kept, coding).then(
        (body) => send(body, coding),
        // a coding is an optimisation, never a reason to fail an answer
        () => send(kept.body, undefined),
      );
  }

  /**
   * Makes the export a slice at a time and writes it to `res`: held while it may still be kept,
   * streamed once it is longer. Resolves with what became of it: finished (the whole export
   * handed to the response), abandoned (the client went away, or was cut off for taking nothing)
   * or failed (an error of ours, logged; the response was cut off).
   */
  async function produce(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    graph: KnowledgeGraph,
    format: ExportFormat,
    known: GraphExports,
    coding: Coding | undefined,
    head: (coding: Coding | undefined, length?: number) => Record<string, string>,
    slot: Slot,
  ): Promise<"finished" | "abandoned" | "failed"> {
    let gone = false;
    // (a response also closes once it is sent)
    const onClose = () => {
      if (!res.writableFinished) gone = true;
    };
    res.once("close", onClose);
    // a response queued behind another on a pipelined connection gets no close of its own when
    // the connection ends: its export waited for ever, and held its slot until the process ended
    const connection = req.socket;
    connection.once("close", onClose);
    /** Where slices go once streaming: the response, or the compressor piped into it. */
    let sink: Writable | undefined;
    /** An error of ours (the export's code, the compressor), as against the client's going away. */
    let failed: unknown;
    /** Stops the watchdog (watchProgress), once streaming. */
    let stopWatching: (() => void) | undefined;
    const fail = (error: unknown) => {
      if (failed !== undefined) return;
      failed = error;
      // a snapshot's failed read is logged once, where the graph heard it (createApp), not per export
      if (unreadableIn(error) !== undefined) logger.debug("an RDF export failed", { path, error });
      else logger.error("an RDF export failed", { path, error });
    };
    try {
      const pieces = exportPieces(graph, format);
      let held: Buffer[] | undefined = known.tooLarge.has(format) ? undefined : [];
      let heldBytes = 0;
      const startStreaming = () => {
        res.writeHead(200, head(coding));
        // from here to the response's close, a client that takes nothing for stallMs is cut off
        stopWatching = watchProgress(res, stallMs);
        // its rate is measured from here (an export not yet streamed is judged by nobody)
        sample(slot);
        if (coding === undefined) sink = res;
        else {
          const zip = compressor(coding);
          // the compressor's own error is ours; the response's (the client gone) is not
          zip.once("error", (error) => {
            if (!gone && !res.destroyed) fail(error);
          });
          // an error of either side ends both; the response's own 'close' then stops the work
          pipeline(zip, res, () => {});
          sink = zip;
        }
      };
      /** The next turn of the event loop: other requests are answered between two slices. */
      const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
      /**
       * Writes a slice to the sink, at most WRITE_BYTES per turn, each once the one before was
       * taken: the watchdog sees a client's progress at each write the socket completes, so a
       * slow client reading a slice of 256 KiB (or an entity of 361 KB) is seen reading it.
       */
      const send = async (bytes: Buffer) => {
        for (let at = 0; at < bytes.length && !gone && failed === undefined; at += WRITE_BYTES) {
          if (at > 0) await nextTurn();
          sample(slot);
          const piece = bytes.subarray(at, at + WRITE_BYTES);
          slot.sent += piece.length;
          if (!sink!.write(piece)) await drained(sink!, res, connection);
        }
      };
      if (!held) startStreaming();
      for (let done = false; !done; ) {
        // one slice: whole entities, until the time or the size of a slice is reached
        const start = performance.now();
        let text = "";
        do {
          const next = pieces.next();
          if (next.done) done = true;
          else text += next.value;
        } while (!done && text.length < sliceBytes && performance.now() - start < sliceMs);
        stats.slices++;
        if (gone || failed !== undefined) break;
        const bytes = Buffer.from(text);
        if (held) {
          held.push(bytes);
          heldBytes += bytes.length;
          if (heldBytes > options.exportKeepMaxBytes) {
            // too long to keep: sent as it is made, what was held first, a slice per turn as it
            // was made, each once the response has taken the one before (not all at once: up to
            // exportKeepMaxBytes in the response's buffers)
            known.tooLarge.add(format);
            startStreaming();
            const first = held;
            held = undefined;
            for (const [i, chunk] of first.entries()) {
              if (i > 0) await nextTurn();
              await send(chunk);
              if (gone || failed !== undefined) break;
            }
          }
        } else await send(bytes);
        if (gone || failed !== undefined) break;
        if (!done) await nextTurn();
      }
      if (failed !== undefined) return "failed";
      if (gone) return "abandoned";
      if (held) {
        // short enough to keep: kept, and sent with its length as every later request will be
        const kept: Kept = { body: Buffer.concat(held), coded: new Map() };
        known.kept.set(format, kept);
        sendKept(req, res, kept, coding, head);
        return "finished";
      }
      sink!.end();
      // the slot is held until the last bytes are compressed and sent (or the watchdog cuts off
      // a client that stopped taking them)
      if (!res.closed && !gone) await allClosed([res], connection);
      if (failed !== undefined) return "failed";
      return res.writableFinished ? "finished" : "abandoned";
    } catch (error) {
      fail(error);
      return "failed";
    } finally {
      // (reached once the response has closed, or is cut off below)
      stopWatching?.();
      res.off("close", onClose);
      connection.off("close", onClose);
      if (failed !== undefined || gone) {
        if (sink && sink !== res) sink.destroy();
        if (!res.headersSent && !res.destroyed && unreadableIn(failed) !== undefined)
          // the snapshot failed a read (truncated or written over in place): the dataset is being
          // loaded again (createApp), as /graphql says; it was a 500 here (review 15)
          sendError(res, 503, "SNAPSHOT_UNREADABLE", SNAPSHOT_UNREADABLE_MESSAGE, {
            headers: {
              "cache-control": "no-store",
              "retry-after": String(SNAPSHOT_RETRY_AFTER_SECONDS),
            },
          });
        else if (!res.headersSent && !res.destroyed)
          sendError(res, 500, "INTERNAL_SERVER_ERROR", "The export failed.", {
            headers: { "cache-control": "no-store" },
          });
        else if (failed !== undefined) cutResponse(res, "export-failed");
        else res.destroy();
      }
    }
  }

  return {
    serve,
    /** The counts of exports so far (tests; bench). */
    stats: (): Readonly<ExportStats> => ({ inProgress: slots.size, ...stats }),
  };
}

/**
 * Cuts `res` off once its client has taken nothing for `stallMs` while something waits to be
 * sent, until the response closes: a client that reads nothing would otherwise hold a slot for
 * ever, and refuse every other export. Progress, not the time of one wait: what the socket has
 * handed to the kernel (bytes written less those still buffered) is compared every quarter of
 * `stallMs`, so a slow client that reads steadily is never cut off however long a drain takes
 * (a switch from held to streamed once wrote up to 16 MiB at once and cut off any client slower
 * than ~2 Mbit/s), and one that stops reading after the export's end (the compressed tail in
 * zlib's and the response's buffers) is cut off as one that stops midway. Returns what stops it.
 */
function watchProgress(res: ServerResponse, stallMs: number): () => void {
  const sent = () => takenBy(res.socket);
  const every = Math.max(1, Math.ceil(stallMs / 4));
  let last = sent();
  let since = performance.now();
  const timer = setInterval(() => {
    // no socket yet: queued behind an answer before it on a pipelined connection, it is owed
    // nothing, and its client stalls nothing
    if (!res.socket) {
      since = performance.now();
      return;
    }
    const now = sent();
    // nothing waiting (res.writableLength counts the socket's buffer too): the client is owed nothing
    if (now !== last || res.writableLength === 0) {
      last = now;
      since = performance.now();
    } else if (performance.now() - since >= stallMs) cutResponse(res, "export-stalled");
  }, every);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Resolves once `sink` drains, or either side closes, or the connection does (a client gone
 * never drains it).
 */
function drained(sink: Writable, res: ServerResponse, connection: Socket): Promise<void> {
  if (!sink.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      sink.off("drain", done);
      sink.off("close", done);
      res.off("close", done);
      connection.off("close", done);
      resolve();
    };
    sink.once("drain", done);
    sink.once("close", done);
    res.once("close", done);
    connection.once("close", done);
  });
}
