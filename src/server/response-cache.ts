/**
 * A cache of whole HTTP answers to GraphQL requests, in front of Yoga.
 *
 * The graph is read-only and every resolver is a function of the graph and the request, so the
 * same request (method, URL, body, and the headers that change an answer) always gets the same
 * answer from the same graph: it is safe to send the bytes Yoga produced the first time again.
 * Only complete, successful answers are kept (status 200, a JSON body that starts with `{"data":`
 * and has no `errors`), so a limit hit, a deadline or a masked error is never replayed.
 * The cache belongs to one graph: when the served graph is replaced (a reload), it empties
 * itself on the next request. Memory is bounded: least recently used answers are dropped once
 * the keys and bodies pass `maxBytes`.
 *
 * An answer is only kept when its request comes a second time (the first time, only a hash of
 * the key is noted): one-off documents, which no cache can help, then cost neither a copy of
 * their answer nor a larger heap to collect.
 *
 * Measured in bench/RESULTS.md ("response cache"): a hit skips Yoga's request pipeline, parsing,
 * validation and execution, which is most of what a small query costs.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";

interface Entry {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  bytes: number;
}

export interface ResponseCacheOptions {
  /** Keys and bodies together stay under this many bytes. */
  maxBytes: number;
  /** Larger answers (or requests) are not kept. */
  maxEntryBytes: number;
}

export const DEFAULT_RESPONSE_CACHE: ResponseCacheOptions = { maxBytes: 64 * 1024 * 1024, maxEntryBytes: 1024 * 1024 };

/** Request headers that can change an answer: its media type, its encoding, CORS. */
const VARYING = ["accept", "content-type", "origin"] as const;

export class ResponseCache {
  private entries = new Map<string, Entry>();
  /** Hashes of the keys seen once (a collision only means an answer is kept one request early). */
  private seen = new Set<number>();
  private bytes = 0;
  private owner: object | undefined;
  hits = 0;
  misses = 0;

  constructor(private readonly options: ResponseCacheOptions = DEFAULT_RESPONSE_CACHE) {}

  /** The key of a request whose answer may be cached, or undefined (other methods, no query, too large). */
  keyOf(req: IncomingMessage, body: Buffer | undefined): string | undefined {
    let key: string;
    if (req.method === "POST") {
      if (body === undefined || body.length === 0 || body.length > this.options.maxEntryBytes) return undefined;
      key = `POST ${req.url}`;
    } else if (req.method === "GET") {
      if (!req.url?.includes("?")) return undefined;
      key = `GET ${req.url}`;
    } else return undefined;
    for (const name of VARYING) key += `\n${req.headers[name] ?? ""}`;
    // latin1 maps bytes one to one: two different bodies never share a key
    return body === undefined ? key : `${key}\n${body.toString("latin1")}`;
  }

  /** Answer from the cache if it holds `key` for this graph; true when it did. */
  serve(graph: object, key: string, res: ServerResponse): boolean {
    if (graph !== this.owner) this.reset(graph);
    const entry = this.entries.get(key);
    if (entry === undefined) {
      this.misses++;
      return false;
    }
    this.hits++;
    // most recently used last: Map keeps insertion order
    this.entries.delete(key);
    this.entries.set(key, entry);
    for (const [name, value] of Object.entries(entry.headers)) if (value !== undefined) res.setHeader(name, value);
    res.writeHead(entry.status);
    res.end(entry.body);
    return true;
  }

  /**
   * Watch what is written to `res` (by Yoga) and keep it under `key` if it is a cacheable answer
   * and the request was seen before.
   */
  capture(graph: object, key: string, res: ServerResponse): void {
    if (graph !== this.owner) this.reset(graph);
    const hash = hashOf(key);
    if (!this.seen.has(hash)) {
      if (this.seen.size >= MAX_SEEN) this.seen.clear();
      this.seen.add(hash);
      return;
    }
    const before = new Set(res.getHeaderNames());
    const chunks: Buffer[] = [];
    let size = 0;
    let explicit: OutgoingHttpHeaders = {};
    let tooLarge = false;
    const collect = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function" || tooLarge) return;
      const buffer =
        typeof chunk === "string"
          ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
          : Buffer.from((chunk as Uint8Array).buffer, (chunk as Uint8Array).byteOffset, (chunk as Uint8Array).byteLength);
      size += buffer.length;
      if (size > this.options.maxEntryBytes) tooLarge = true;
      else chunks.push(buffer);
    };
    const { writeHead, write, end } = res;
    res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
      const headers = rest.find((r) => r !== null && typeof r === "object");
      if (headers && !Array.isArray(headers)) explicit = { ...(headers as OutgoingHttpHeaders) };
      return (writeHead as (...a: unknown[]) => ServerResponse).call(this, status, ...rest);
    } as ServerResponse["writeHead"];
    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      collect(chunk, rest[0]);
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as ServerResponse["write"];
    res.end = function (this: ServerResponse, ...args: unknown[]) {
      collect(args[0], args[1]);
      return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse["end"];
    res.once("finish", () => {
      if (tooLarge || res.statusCode !== 200 || graph !== this.owner) return;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      if (!isCompleteResult(body)) return;
      const headers: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(res.getHeaders())) if (!before.has(name)) headers[name] = value;
      for (const [name, value] of Object.entries(explicit)) headers[name.toLowerCase()] = value;
      if (!String(headers["content-type"] ?? "").includes("json")) return;
      this.store(key, { status: 200, headers, body, bytes: key.length + body.length + 200 });
    });
  }

  get size(): number {
    return this.entries.size;
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
    this.owner = graph;
  }
}

const MAX_SEEN = 200_000;

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
