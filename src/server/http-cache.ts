/**
 * GraphQL answers as HTTP caches (a CDN, nginx, Varnish, a browser) expect them.
 *
 * A GET is a query (mutations are refused over GET), and the graph is read-only between reloads:
 * the same GET on the same graph gets the same answer. So a successful GET answer carries
 * - a strong `ETag` derived from the graph's content hash (the same on every replica serving
 *   the same data) and the request's parameters and Accept header, one per content coding;
 * - `Cache-Control: public, max-age=N, stale-while-revalidate=M` (settings; without
 *   `stale-while-revalidate` when M is 0);
 * - `Vary: Accept` (and `Accept-Encoding` when the answer is large enough to be compressed);
 * and a GET whose `If-None-Match` holds its ETag gets 304 at once, without being executed.
 * POSTs and answers with errors (a limit hit, a deadline, a bad variable) get `no-store`: an
 * error may be the client's, or of the moment, and must not be replayed to others.
 *
 * Every GraphQL answer passes through here, whoever produced it (Yoga, the fast path, the
 * response cache), so they all carry the same headers: the answer is held until it ends, then
 * its headers are set and it is compressed (brotli or gzip, negotiated) when it is at least
 * `compressMinBytes` long. Answers that are not JSON (an event stream; GraphiQL's page, should
 * Yoga render it: app.ts serves it before Yoga, compressed, graphiql.ts) pass through untouched.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { ANSWER_EFFORT, type Coding, compress, negotiateCoding } from "./compression.js";
import type { Config } from "./config.js";
import { repeatedInSearch } from "./repeated-parameters.js";
import { isCompleteResult, type Keeper } from "./response-cache.js";

/** The settings of caching headers and compression (Config says what each is). */
export type HttpCacheOptions = Pick<
  Config,
  "cacheMaxAgeSeconds" | "cacheStaleWhileRevalidateSeconds" | "compression" | "compressMinBytes"
>;

/** The parameters of a GET that decide its answer (GraphQL over HTTP), in this order. */
const PARAMETERS = ["query", "documentId", "variables", "operationName", "extensions"] as const;

/**
 * The ETag of a GET's answer on the graph `graphVersion` (before any content coding), or
 * undefined for a request that is not a cacheable GraphQL GET. `variant` separates answers
 * that differ by something else about the request (a gateway's secret).
 */
export function etagOf(
  graphVersion: string,
  req: IncomingMessage,
  variant = "",
): string | undefined {
  if (req.method !== "GET") return undefined;
  const url = req.url ?? "";
  const start = url.indexOf("?");
  if (start < 0) return undefined;
  const params = new URLSearchParams(url.slice(start + 1));
  if (!params.has("query") && !params.has("documentId")) return undefined;
  // a parameter given twice is refused (requests.ts): no tag can name its answer
  if (repeatedInSearch(params) !== undefined) return undefined;
  const identity = [
    graphVersion,
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
 */
export function matchingTag(header: string | undefined, etag: string): string | undefined {
  if (!header) return undefined;
  if (header.trim() === "*") return etag;
  const base = etag.slice(0, -1);
  for (const raw of header.split(",")) {
    const tag = raw.trim().replace(/^W\//, "");
    if (tag === etag || tag === `${base}-br"` || tag === `${base}-gzip"`) return tag;
  }
  return undefined;
}

/** `stale-while-revalidate=0` says nothing a cache would not do anyway: it is left out. */
export function cacheControl(
  options: Pick<HttpCacheOptions, "cacheMaxAgeSeconds" | "cacheStaleWhileRevalidateSeconds">,
): string {
  const stale =
    options.cacheStaleWhileRevalidateSeconds > 0
      ? `, stale-while-revalidate=${options.cacheStaleWhileRevalidateSeconds}`
      : "";
  return `public, max-age=${options.cacheMaxAgeSeconds}${stale}`;
}

/** `Vary` with these request headers added to what is there (CORS adds Origin). */
function vary(res: ServerResponse, names: readonly string[]): string {
  const have = String(res.getHeader("vary") ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "" && !names.some((n) => n.toLowerCase() === v.toLowerCase()));
  return [...have, ...names].join(", ");
}

/**
 * Answer 304 Not Modified when the client's `If-None-Match` holds this GET's ETag; true when it
 * did. Nothing is executed for it. `If-None-Match: *` is not taken: the ETag is known before the
 * request executes, its answer is not, and one with errors has no ETag (it is never stored), so
 * `*` got a 304 that a cache may keep 60 s for a validation error (a red-team run).
 */
export function answerNotModified(
  req: IncomingMessage,
  res: ServerResponse,
  etag: string | undefined,
  options: HttpCacheOptions,
): boolean {
  if (etag === undefined) return false;
  const header = req.headers["if-none-match"];
  if (header?.trim() === "*") return false;
  const tag = matchingTag(header, etag);
  if (tag === undefined) return false;
  const coded = tag.endsWith('-br"') || tag.endsWith('-gzip"');
  res.writeHead(304, {
    etag: tag,
    "cache-control": cacheControl(options),
    vary: vary(res, coded ? ["Accept", "Accept-Encoding"] : ["Accept"]),
  });
  res.end();
  return true;
}

/**
 * Hold the JSON answer written to `res` until it ends, then send it with its caching headers,
 * compressed when it is large enough and the client accepts a coding. `etag`: the request's
 * (etagOf), or undefined for a request that is not a cacheable GET. `keep`: given the bytes sent
 * (compressed or not) when the answer is a complete, successful result, for the response cache
 * (response-cache.ts) to send them again without compressing them again.
 */
export function finishAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  etag: string | undefined,
  options: HttpCacheOptions,
  keep?: Keeper,
): void {
  const { writeHead, write, end } = res;
  const chunks: Buffer[] = [];
  let status: number | undefined;
  let held: boolean | undefined;
  const restore = () => {
    res.writeHead = writeHead;
    res.write = write;
    res.end = end;
  };
  /** Whether this answer is held (JSON), decided once its headers are known. */
  const decide = () => {
    if (held === undefined) {
      held = /json/i.test(String(res.getHeader("content-type") ?? ""));
      if (!held) restore();
    }
    return held;
  };
  const collect = (chunk: unknown, encoding: unknown) => {
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
    if (decide()) return this;
    return (writeHead as (...a: unknown[]) => ServerResponse).call(
      this,
      code,
      ...rest.filter((r) => typeof r === "string"),
    );
  } as ServerResponse["writeHead"];

  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    if (!decide()) return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    collect(chunk, rest[0]);
    const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  } as ServerResponse["write"];

  res.end = function (this: ServerResponse, ...args: unknown[]) {
    if (!decide()) return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    collect(args[0], args[1]);
    restore();
    void send(
      this,
      status ?? this.statusCode,
      chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
    );
    return this;
  } as ServerResponse["end"];

  async function send(response: ServerResponse, code: number, body: Buffer): Promise<void> {
    const complete = code === 200 && isCompleteResult(body);
    const cacheable = etag !== undefined && complete;
    const coding =
      options.compression && body.length >= options.compressMinBytes
        ? negotiateCoding(req.headers["accept-encoding"])
        : undefined;
    let sent = body;
    let sentCoding: Coding | undefined;
    if (coding !== undefined) {
      try {
        sent = await compress(body, coding, ANSWER_EFFORT, {
          // or its connection: one queued behind another answer on a pipelined connection gets
          // no close of its own (client-gone.ts), and stays undestroyed when its client goes
          abandoned: () => response.destroyed || req.socket.destroyed,
        });
        sentCoding = coding;
      } catch {
        // sent as it is: a coding is an optimisation, never a reason to fail an answer
      }
    }
    if (response.destroyed || req.socket.destroyed) return;
    if (cacheable) {
      response.setHeader("etag", codedTag(etag, sentCoding));
      response.setHeader("cache-control", cacheControl(options));
    } else {
      response.removeHeader("etag");
      response.setHeader("cache-control", "no-store");
    }
    // whether the answer is compressed depends on Accept-Encoding only when it is large enough
    const varying =
      body.length >= options.compressMinBytes && options.compression
        ? ["Accept", "Accept-Encoding"]
        : ["Accept"];
    response.setHeader("vary", vary(response, varying));
    if (sentCoding) response.setHeader("content-encoding", sentCoding);
    else response.removeHeader("content-encoding");
    response.setHeader("content-length", sent.length);
    if (complete && keep) keep(sent);
    response.writeHead(code);
    response.end(req.method === "HEAD" ? undefined : sent);
  }
}
