/**
 * GraphQL answers as HTTP caches (a CDN, nginx, Varnish, a browser) expect them.
 *
 * A GET is a query (mutations are refused over GET), and the graph is read-only between reloads:
 * the same GET on the same graph gets the same answer. So a successful GET answer carries
 * - a strong `ETag` derived from the graph's content hash (the same on every replica serving
 *   the same data) and the request's parameters and Accept header, one per content coding;
 * - `Cache-Control: public, max-age=N, stale-while-revalidate=M` (settings; without
 *   `stale-while-revalidate` when M is 0);
 * and a GET whose `If-None-Match` holds its ETag gets 304 (below: when, and what it carries).
 * An answer given for a credential the request carried (subgraph mode: the gateway's secret, which
 * `_entities` and `_service` need) is `private` instead of `public`, its 304 too: a shared cache
 * must not keep it (RFC 9111, 5.2.2.7), where `public, max-age=60` let a CDN in front of the
 * subgraph replay the gateway's `_service` answer, for the same URL, to callers without the
 * secret (red team 11, F4).
 * POSTs and answers with errors (a limit hit, a deadline, a bad variable) get `no-store`: an
 * error may be the client's, or of the moment, and must not be replayed to others. So do
 * streams (multipart/mixed, an event stream): they are never held, so never tagged.
 *
 * Every /graphql answer says what it varies on, so that a shared cache keyed by URL never hands
 * one client's answer to another (red team 8: a multipart GET answer had neither `Vary` nor
 * `Cache-Control`, and a cache applying a default freshness would serve it to JSON clients):
 * `Vary: Accept` always; `Origin` where CORS lists origins (the answer to a request without
 * `Origin` has no CORS headers, one with it has them, and a listed origin is reflected: all depend
 * on it), not under `*`, where every answer says `Access-Control-Allow-Origin: *` whatever the
 * request's Origin (cors.ts), so that a shared cache keeps one copy for every site;
 * `Accept-Encoding` when the answer is large enough to be compressed. A 304 says the `Vary` its
 * 200 would (RFC 9110, 15.4.5), with the CORS headers: a cache that updates its stored headers from
 * a 304 (RFC 9111, 4.3.4) otherwise narrowed them, and served a copy with one origin's CORS header
 * to others.
 *
 * A 304 is only ever given for an answer that would have been a cacheable 200. The ETag is no
 * secret (a SHA-256 of public inputs: red team 8 computed one for a GET whose answer is an error,
 * never tagged, and got 304 with `public, max-age=60`), so a tag is trusted only when this process
 * issued it for a successful answer since it started (`IssuedTags`, bounded), and the 304 is then
 * sent at once, without executing anything. A tag it did not issue (another replica's, or one from
 * before a restart, or a forged one) is not refused: the request is executed, and answered 304 only
 * if its answer is a cacheable 200 with that tag, else as usual (the error, `no-store`). An HMAC
 * keyed with a per-deployment secret was the other way: it would also spare that execution, but
 * needs a secret shared by every replica and worker; a random default key would make the
 * replicas' tags differ (a cache revalidating against another replica would get the whole
 * answer), and a configured one is one more secret to distribute and rotate. And a 304 sent
 * before executing cannot know whether the answer is large enough for `Vary: Accept-Encoding`;
 * the issued tag records it.
 *
 * Every GraphQL answer passes through here, whoever produced it (Yoga, the fast path, the
 * response cache), so they all carry the same headers: the answer is held until it ends, then
 * its headers are set and it is compressed (brotli or gzip, negotiated) when it is at least
 * `compressMinBytes` long. Answers that are not JSON (a stream; GraphiQL's page, should Yoga
 * render it: app.ts serves it before Yoga, compressed, graphiql.ts) pass through, with their
 * `Vary` and `Cache-Control: no-store` set before their headers go.
 */

import { createHash } from "node:crypto";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { answersCodeOf } from "./answers-code.js";
import { escapesAreUtf8 } from "./body.js";
import { ANSWER_EFFORT, type Coding, compress, negotiateCoding } from "./compression.js";
import type { Config } from "./config.js";
import { corsHeaders } from "./cors.js";
import { repeatedInSearch } from "./repeated-parameters.js";
import { isCompleteResult, type Keeper } from "./response-cache.js";
import { clientOf } from "./share-client.js";

/** The settings of caching headers and compression (Config says what each is). */
export type HttpCacheOptions = Pick<
  Config,
  | "cacheMaxAgeSeconds"
  | "cacheStaleWhileRevalidateSeconds"
  | "compression"
  | "compressMinBytes"
  | "cors"
>;

/** The parameters of a GET that decide its answer (GraphQL over HTTP), in this order. */
const PARAMETERS = ["query", "documentId", "variables", "operationName", "extensions"] as const;

/**
 * The ETag of a GET's answer on the graph `graphVersion` (before any content coding), or
 * undefined for a request that is not a cacheable GraphQL GET. `variant` separates answers
 * that differ by something else about the request (a gateway's secret); `code`, the code that
 * makes the answers (answers-code.ts).
 */
export function etagOf(
  graphVersion: string,
  req: IncomingMessage,
  variant = "",
  code = answersCodeOf(),
): string | undefined {
  if (req.method !== "GET") return undefined;
  const url = req.url ?? "";
  const start = url.indexOf("?");
  if (start < 0) return undefined;
  const search = url.slice(start + 1);
  // escapes that are not UTF-8 are refused (requests.ts, URL_NOT_UTF8): URLSearchParams reads each
  // bad byte as U+FFFD, so `%E9` had the tag of the valid `%EF%BF%BD`, and a client holding that
  // tag got a 304 for bad input (review 11)
  if (!escapesAreUtf8(search)) return undefined;
  const params = new URLSearchParams(search);
  if (!params.has("query") && !params.has("documentId")) return undefined;
  // a parameter given twice is refused (requests.ts): no tag can name its answer
  if (repeatedInSearch(params) !== undefined) return undefined;
  const identity = [
    graphVersion,
    // the code that made the answer, as the RDF exports' tags carry theirs (answers-code.ts)
    code,
    ...PARAMETERS.map((name) => params.get(name)),
    req.headers.accept ?? "",
    variant,
  ];
  return `"${createHash("sha256").update(JSON.stringify(identity)).digest("base64url").slice(0, 32)}"`;
}

/** The ETag of the answer in a content coding: the coding's name after the tag, inside the quotes. */
export function codedTag(etag: string, coding: Coding | undefined): string {
  return coding === undefined ? etag : `${etag.slice(0, -1)}-${coding}"`;
}

/**
 * The tag of `If-None-Match` that names this answer (in any coding: the client holds one of
 * them and can decode it), or undefined. Weak comparison, as RFC 9110 asks for If-None-Match.
 * `*` (any current representation) names the one this client would be sent: in `coding`, the
 * coding negotiated for it (a 304 says the ETag its 200 would, RFC 9110 15.4.5).
 */
export function matchingTag(
  header: string | undefined,
  etag: string,
  coding?: Coding,
): string | undefined {
  if (!header) return undefined;
  if (header.trim() === "*") return codedTag(etag, coding);
  const base = etag.slice(0, -1);
  for (const raw of header.split(",")) {
    const tag = raw.trim().replace(/^W\//, "");
    if (tag === etag || tag === `${base}-br"` || tag === `${base}-gzip"`) return tag;
  }
  return undefined;
}

/**
 * Which caches may keep an answer: any (`shared`: a CDN, nginx, a browser), or only the client's
 * own (`private`), for an answer given for a credential the request carried (the gateway's
 * secret). `private` rather than `Vary: x-gateway-secret`: nginx's proxy_cache, Varnish's built-in
 * rules, CloudFront and Cloudflare all refuse to store a `private` answer, where the last two
 * ignore a `Vary` on any other header than Accept-Encoding, and a cache that honours it would keep
 * the secret's value in its key; rather than `no-store`, so that the gateway's own cache, should
 * it keep one, can still revalidate it by its ETag (the tag's "gateway" variant).
 */
export type Audience = "shared" | "private";

/** `stale-while-revalidate=0` says nothing a cache would not do anyway: it is left out. */
export function cacheControl(
  options: Pick<HttpCacheOptions, "cacheMaxAgeSeconds" | "cacheStaleWhileRevalidateSeconds">,
  audience: Audience = "shared",
): string {
  const stale =
    options.cacheStaleWhileRevalidateSeconds > 0
      ? `, stale-while-revalidate=${options.cacheStaleWhileRevalidateSeconds}`
      : "";
  return `${audience === "shared" ? "public" : "private"}, max-age=${options.cacheMaxAgeSeconds}${stale}`;
}

/** `Vary` with these request headers added to what is there (CORS's, where origins are listed). */
function vary(res: ServerResponse, names: readonly string[]): string {
  const have = String(res.getHeader("vary") ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "" && !names.some((n) => n.toLowerCase() === v.toLowerCase()));
  return [...have, ...names].join(", ");
}

/**
 * What a /graphql answer varies on, one rule for its 200, its 304 and its streams: Origin when
 * CORS lists origins (under `*` the CORS headers are the same for every Origin: cors.ts), Accept,
 * and Accept-Encoding when the answer is `compressible` (large enough, with compression on: whether
 * it is compressed then depends on Accept-Encoding, whatever coding this client took).
 */
function varying(options: HttpCacheOptions, compressible: boolean): string[] {
  return [
    ...(Array.isArray(options.cors) ? ["Origin"] : []),
    "Accept",
    ...(compressible ? ["Accept-Encoding"] : []),
  ];
}

/**
 * Tags this process issued most recently: at most this many, about 150 bytes each, 7.1 MB of heap
 * at the bound (bench/issued-tags.ts, bench/results/2026-12-05-issued-tags.txt).
 */
const MAX_ISSUED_TAGS = 50_000;

/**
 * The ETags this process issued for successful answers, with whether each answer was compressible
 * (for its 304's `Vary`). Bounded: the oldest go first, and a tag no longer known only costs its
 * next revalidation an execution (a flood of distinct GETs, each executed, can push out others'
 * tags, never make a 304 wrong).
 */
export class IssuedTags {
  private readonly tags = new Map<string, boolean>();

  /** `counted`: told of each 304 sent, and whether the tag was issued or the GET was executed. */
  constructor(
    private readonly counted: (reason: "issued" | "executed") => void = () => {},
    private readonly max = MAX_ISSUED_TAGS,
  ) {}

  /** Count a 304 sent. */
  notModified(reason: "issued" | "executed"): void {
    this.counted(reason);
  }

  /**
   * Where the oldest tag is: one iterator kept across issues, which goes on from the last tag it
   * gave (a Map's iterator stays live as entries are added and deleted). A new one each time began
   * at the Map's start, past every entry deleted before it, which V8 keeps until the Map is
   * rebuilt: at the bound, 18 µs a tag, up to 1.6 ms for one (red team 10; bench/issued-tags.ts).
   */
  private oldest: Iterator<string> | undefined;

  issue(etag: string, compressible: boolean): void {
    // issued again: the newest (moved to the end, past the iterator if it had passed it)
    this.tags.delete(etag);
    this.tags.set(etag, compressible);
    if (this.tags.size <= this.max) return;
    let next = this.oldest?.next();
    if (next === undefined || next.done) {
      this.oldest = this.tags.keys();
      next = this.oldest.next();
    }
    this.tags.delete(next.value as string);
  }

  /** Whether the answer tagged `etag` was compressible, or undefined if this process did not tag it. */
  compressible(etag: string): boolean | undefined {
    return this.tags.get(etag);
  }

  get size(): number {
    return this.tags.size;
  }
}

/**
 * The tag of `If-None-Match` that names this GET's answer, or undefined; for `If-None-Match: *`,
 * the tag its 200 would carry (in the coding it would be sent in, when it is `compressible`).
 * RFC 9110 13.1.2: `*` matches any current representation, and a GET that has one gets 304; one
 * whose answer would not be a 2xx ignores the condition (13.2.1). Only a cacheable success counts
 * as one here, as for any tag: `*` is taken only where the tag it stands for is, at once when this
 * process issued it (answerNotModified), else once the answer is known to be a cacheable 200
 * (finishAnswer). Taken before either, it got a 304 that a cache may keep 60 s for a validation
 * error (a red-team run); left out, the GET was executed and answered whole, 200.
 */
function heldTag(req: IncomingMessage, etag: string, compressible: boolean): string | undefined {
  const coding = compressible ? negotiateCoding(req.headers["accept-encoding"]) : undefined;
  return matchingTag(req.headers["if-none-match"], etag, coding);
}

/** Send 304 for `tag`, with the headers the 200 would have (its CORS headers set on `res`). */
function sendNotModified(
  res: ServerResponse,
  tag: string,
  options: HttpCacheOptions,
  compressible: boolean,
  audience: Audience,
): void {
  for (const name of ["content-type", "content-length", "content-encoding"]) res.removeHeader(name);
  res.setHeader("etag", tag);
  res.setHeader("cache-control", cacheControl(options, audience));
  res.setHeader("vary", vary(res, varying(options, compressible)));
  res.writeHead(304);
  res.end();
}

/**
 * Answer 304 Not Modified when the client's `If-None-Match` holds this GET's ETag and this
 * process issued that tag (`issued`); true when it did. Nothing is executed for it. A tag not
 * issued here is left to finishAnswer, which answers 304 once the answer is known to be cacheable.
 * `audience`: the caches that may keep the answer (its 200's, as finishAnswer is given it).
 */
export function answerNotModified(
  req: IncomingMessage,
  res: ServerResponse,
  etag: string | undefined,
  options: HttpCacheOptions,
  issued: IssuedTags,
  audience: Audience,
): boolean {
  if (etag === undefined) return false;
  const compressible = issued.compressible(etag);
  if (compressible === undefined) return false;
  const tag = heldTag(req, etag, compressible);
  if (tag === undefined) return false;
  for (const [name, value] of Object.entries(corsHeaders(options.cors, req)))
    res.setHeader(name, value);
  sendNotModified(res, tag, options, compressible, audience);
  issued.notModified("issued");
  return true;
}

/**
 * Hold the JSON answer written to `res` until it ends, then send it with its caching headers,
 * compressed when it is large enough and the client accepts a coding. `etag`: the request's
 * (etagOf), or undefined for a request that is not a cacheable GET; a successful answer's tag is
 * recorded in `issued`, and the answer is a 304 if the client holds it. `audience`: the caches
 * that may keep a cacheable answer (`private` for one given for a credential the request carried).
 * `keep`: given the bytes sent (compressed or not) when the answer is a complete, successful result,
 * for the response cache (response-cache.ts) to send them again without compressing them again.
 */
export function finishAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  etag: string | undefined,
  options: HttpCacheOptions,
  issued: IssuedTags,
  audience: Audience,
  keep?: Keeper,
): void {
  const { writeHead, write, end } = res;
  const chunks: Buffer[] = [];
  let status: number | undefined;
  let held: boolean | undefined;
  // methods of one object, not functions assigned to names: tsx names each of those with
  // Object.defineProperty whenever one is made, a few µs of every request (docs/performance.md)
  const answer = {
    restore() {
      res.writeHead = writeHead;
      res.write = write;
      res.end = end;
    },
    /** Whether this answer is held (JSON), decided once its headers are known. */
    decide() {
      if (held === undefined) {
        held = /json/i.test(String(res.getHeader("content-type") ?? ""));
        if (!held) {
          // a stream (multipart/mixed, an event stream) is sent as it comes: never tagged, it
          // is not to be kept, and its media type depends on Accept (red team 8: no Vary, and
          // multipart had no Cache-Control at all)
          res.setHeader("cache-control", "no-store");
          res.setHeader("vary", vary(res, varying(options, false)));
          answer.restore();
        }
      }
      return held;
    },
    collect(chunk: unknown, encoding: unknown) {
      if (chunk === undefined || chunk === null || typeof chunk === "function") return;
      chunks.push(
        typeof chunk === "string"
          ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
          : Buffer.from(
              (chunk as Uint8Array).buffer,
              (chunk as Uint8Array).byteOffset,
              (chunk as Uint8Array).byteLength,
            ),
      );
    },
    async send(response: ServerResponse, code: number, body: Buffer): Promise<void> {
      const complete = code === 200 && isCompleteResult(body);
      const cacheable = etag !== undefined && complete;
      const compressible = options.compression && body.length >= options.compressMinBytes;
      if (cacheable) {
        issued.issue(etag, compressible);
        // a tag this process had not issued (answerNotModified let it through): now it is known
        // to name a cacheable answer
        const tag = heldTag(req, etag, compressible);
        if (tag !== undefined) {
          if (response.destroyed || req.socket.destroyed) return;
          sendNotModified(response, tag, options, compressible, audience);
          issued.notModified("executed");
          return;
        }
      }
      const coding = compressible ? negotiateCoding(req.headers["accept-encoding"]) : undefined;
      let sent = body;
      let sentCoding: Coding | undefined;
      if (coding !== undefined) {
        try {
          sent = await compress(body, coding, ANSWER_EFFORT, {
            // or its connection: one queued behind another answer on a pipelined connection gets
            // no close of its own (client-gone.ts), and stays undestroyed when its client goes
            // (a method: an arrow function as a property's value is named by tsx, each time)
            abandoned() {
              return response.destroyed || req.socket.destroyed;
            },
            // its big bodies share the places waiting for a lane with other clients' (red team 10)
            client: clientOf(req.socket),
          });
          sentCoding = coding;
        } catch {
          // sent as it is: a coding is an optimisation, never a reason to fail an answer
        }
      }
      if (response.destroyed || req.socket.destroyed) return;
      if (cacheable) {
        response.setHeader("etag", codedTag(etag, sentCoding));
        response.setHeader("cache-control", cacheControl(options, audience));
      } else {
        response.removeHeader("etag");
        response.setHeader("cache-control", "no-store");
      }
      response.setHeader("vary", vary(response, varying(options, compressible)));
      if (sentCoding) response.setHeader("content-encoding", sentCoding);
      else response.removeHeader("content-encoding");
      response.setHeader("content-length", sent.length);
      // one sent as it is because compression's lanes were full is not kept under its coding's key
      if (complete && keep && sentCoding === coding) keep(sent);
      response.writeHead(code);
      response.end(req.method === "HEAD" ? undefined : sent);
    },
  };

  res.writeHead = function (this: ServerResponse, code: number, ...rest: unknown[]) {
    status = code;
    // writeHead(status, [statusMessage], [headers]): the headers become set headers, so that they can still change
    const headers = rest.find((r) => r !== null && typeof r === "object");
    if (Array.isArray(headers)) {
      const flat = Array.isArray(headers[0])
        ? (headers as [string, string][]).flat()
        : (headers as string[]);
      for (let i = 0; i + 1 < flat.length; i += 2) this.setHeader(flat[i]!, flat[i + 1]!);
    } else if (headers) {
      for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders))
        if (value !== undefined) this.setHeader(name, value);
    }
    if (answer.decide()) return this;
    return (writeHead as (...a: unknown[]) => ServerResponse).call(
      this,
      code,
      ...rest.filter((r) => typeof r === "string"),
    );
  } as ServerResponse["writeHead"];

  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    if (!answer.decide()) return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    answer.collect(chunk, rest[0]);
    const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  } as ServerResponse["write"];

  res.end = function (this: ServerResponse, ...args: unknown[]) {
    if (!answer.decide()) return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    answer.collect(args[0], args[1]);
    answer.restore();
    void answer.send(
      this,
      status ?? this.statusCode,
      chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
    );
    return this;
  } as ServerResponse["end"];
}
