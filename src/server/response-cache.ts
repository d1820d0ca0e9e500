/**
 * A cache of whole HTTP answers to GraphQL requests, in front of Yoga.
 *
 * The graph is read-only and every resolver is a function of the graph and the request, so the
 * same request (method, URL, body, and the headers that change an answer) always gets the same
 * answer from the same graph: it is safe to send the bytes sent the first time again.
 * Only complete, successful answers are kept (status 200, a JSON body that starts with `{"data":`
 * and has no `errors`), so a limit hit, a deadline or a masked error is never replayed.
 * The cache belongs to one graph: when the served graph is replaced (a reload), it empties
 * itself on the next request. Memory is bounded: least recently used answers are dropped once
 * what the entries hold passes `maxBytes`, each weighed by its key, its headers, its body and
 * what an entry costs besides (`ENTRY_OVERHEAD`, measured). Red team 14: counted by its key and
 * body and 200 bytes, a small answer was a quarter of what it held (about 1.3 KB, its headers and
 * the 8 KiB slab its pooled body was a slice of uncounted), and the 64 MiB bound about 290 MB.
 *
 * What is kept is the answer as it was sent, with its caching headers and in its content coding
 * (http-cache.ts): the coding the client accepts is part of the key, so a hit is answered with
 * bytes compressed once, not compressed again per request, and a brotli and a gzip copy of one
 * answer are two entries, each counted at its compressed size.
 *
 * An answer is only kept when its request comes a second time (the first time, only a hash of
 * the key is noted): one-off documents, which no cache can help, then cost neither a copy of
 * their answer nor a larger heap to collect.
 *
 * Measured in bench/RESULTS.md ("response cache"): a hit skips Yoga's request pipeline, parsing,
 * validation and execution, which is most of what a small query costs.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Coding } from "./compression.js";
import { sendsShared } from "./unsent.js";

interface Entry {
  headers: OutgoingHttpHeaders;
  body: Buffer;
  bytes: number;
}

export interface ResponseCacheOptions {
  /** What the entries hold (keys, headers, bodies and their bookkeeping: `weightOf`) stays under this many bytes. */
  maxBytes: number;
  /** Larger answers (or requests) are not kept. */
  maxEntryBytes: number;
}

export const DEFAULT_RESPONSE_CACHE: ResponseCacheOptions = {
  maxBytes: 64 * 1024 * 1024,
  maxEntryBytes: 1024 * 1024,
};

/** Request headers that can change an answer: its media type, CORS. (The coding is in the key: keyOf.) */
const VARYING = ["accept", "content-type", "origin"] as const;

/** Keeps an answer once it is sent: its bytes as sent, with the headers set since the request was seen (so not its request id). */
export type Keeper = (body: Buffer) => void;

export class ResponseCache {
  private entries = new Map<string, Entry>();
  /** Hashes of the keys seen once (a collision only means an answer is kept one request early). */
  private seen = new Set<number>();
  private bytes = 0;
  /**
   * The graph the entries are answers of. Held weakly: a graph a reload replaced is let go as soon
   * as no request runs on it (its snapshot's mapped file is unmapped once it is collected), not
   * kept until the next request.
   */
  private owner: WeakRef<object> | undefined;
  /** Answers sent from the cache. */
  hits = 0;

  constructor(private readonly options: ResponseCacheOptions = DEFAULT_RESPONSE_CACHE) {}

  /**
   * The key of a request whose answer may be cached, or undefined (other methods, no query, too
   * large). `coding`: the content coding the answer will be sent in if it is large enough
   * (compression.ts's negotiateCoding), undefined for none.
   */
  keyOf(
    req: IncomingMessage,
    body: Buffer | undefined,
    coding: Coding | undefined,
  ): string | undefined {
    let key: string;
    if (req.method === "POST") {
      if (body === undefined || body.length === 0 || body.length > this.options.maxEntryBytes)
        return undefined;
      key = `POST ${req.url}`;
    } else if (req.method === "GET") {
      if (!req.url?.includes("?")) return undefined;
      key = `GET ${req.url}`;
    } else return undefined;
    key += `\n${coding ?? ""}`;
    for (const name of VARYING) key += `\n${req.headers[name] ?? ""}`;
    // latin1 maps bytes one to one: two different bodies never share a key. The body is the
    // last field, and a client chooses all of it: whatever a caller adds to a key goes before it
    // (shortcut.ts's gateway mark; review 13)
    return body === undefined ? key : `${key}\n${body.toString("latin1")}`;
  }

  /** Answer from the cache if it holds `key` for this graph; true when it did. */
  serve(graph: object, key: string, res: ServerResponse): boolean {
    if (graph !== this.owner?.deref()) this.reset(graph);
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    this.hits++;
    // most recently used last: Map keeps insertion order
    this.entries.delete(key);
    this.entries.set(key, entry);
    for (const [name, value] of Object.entries(entry.headers))
      if (value !== undefined) res.setHeader(name, value);
    res.writeHead(200);
    // one buffer for every hit: unsent, counted once (unsent.ts)
    sendsShared(res, entry.body);
    res.end(entry.body);
    return true;
  }

  /**
   * A keeper for the answer to `key`, to be called with the bytes sent once the answer is known to
   * be complete and successful (http-cache.ts's finishAnswer does), or undefined when the request
   * is seen for the first time and nothing is to be kept.
   */
  capture(graph: object, key: string, res: ServerResponse): Keeper | undefined {
    if (graph !== this.owner?.deref()) this.reset(graph);
    const hash = hashOf(key);
    if (!this.seen.has(hash)) {
      if (this.seen.size >= MAX_SEEN) this.seen.clear();
      this.seen.add(hash);
      return undefined;
    }
    // the headers set for this request alone (its id, Connection) are not replayed
    const before = new Set(res.getHeaderNames());
    return (body) => {
      if (body.length > this.options.maxEntryBytes || graph !== this.owner?.deref()) return;
      const headers: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(res.getHeaders()))
        if (!before.has(name)) headers[name] = value;
      // a body of its own: a small one is a slice of a pooled slab (Buffer.from, Buffer.concat)
      // that the slice would keep alive, 8 KiB for an answer of 31 bytes
      const kept = body.byteLength === body.buffer.byteLength ? body : copyUnpooled(body);
      this.store(key, { headers, body: kept, bytes: weightOf(key, headers, kept) });
    };
  }

  get size(): number {
    return this.entries.size;
  }

  /** What the entries are weighed at, in bytes (`weightOf`): kept under `maxBytes`. */
  get weight(): number {
    return this.bytes;
  }

  private store(key: string, entry: Entry): void {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.options.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.bytes;
    }
  }

  private reset(graph: object): void {
    this.entries.clear();
    this.seen.clear();
    this.bytes = 0;
    this.owner = new WeakRef(graph);
  }
}

const MAX_SEEN = 200_000;

/**
 * What an entry costs besides its key's, its headers' and its body's bytes, in bytes: the Map's
 * slot, the entry and headers objects, the strings' own headers, the body's Buffer and
 * ArrayBuffer objects and its allocation. Measured once by bench/response-cache-weight.ts
 * (results/2026-12-06-response-cache-weight.txt): 20,000 small answers of the real server
 * (`{ __typename }`, a 58-character key, 5 headers, 31 bytes) held 709 bytes each, 439 over
 * those counted below, with none dropped; at the bound, dropping as many as it keeps (the Map's
 * table then holds the slots of those dropped until it is rebuilt), such entries held 806 bytes
 * each, 553 over (tests/server/response-cache.test.ts, "the response cache's bound"); rounded up.
 */
export const ENTRY_OVERHEAD = 640;

/** The bytes an entry holds: its key, the names and values of its headers, its body, and `ENTRY_OVERHEAD`. */
export function weightOf(key: string, headers: OutgoingHttpHeaders, body: Buffer): number {
  let bytes = ENTRY_OVERHEAD + key.length + body.byteLength;
  for (const [name, value] of Object.entries(headers)) {
    bytes += name.length;
    if (Array.isArray(value)) for (const item of value) bytes += item.length;
    else bytes += String(value).length;
  }
  return bytes;
}

/** A copy of `body` in an ArrayBuffer of its own (never a pooled slab's slice). */
function copyUnpooled(body: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(body.byteLength);
  body.copy(copy);
  return copy;
}

/** FNV-1a, 32 bits, kept within V8's small integers. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash & 0x3fffffff;
}

const DATA = Buffer.from('{"data":');
const ERRORS = Buffer.from('"errors":');

/** A single, successful GraphQL result: `{"data":...}` without a top-level (or any) `errors` key. */
export function isCompleteResult(body: Buffer): boolean {
  return body.subarray(0, DATA.length).equals(DATA) && !body.includes(ERRORS);
}
