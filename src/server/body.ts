/**
 * Request bodies, read and limited (in size here, in rate by body-rate.ts, in time by the
 * server's request timeout, connections.ts) before Yoga sees them. Yoga's own limit (`maxRequestBodySize`)
 * pipes every body through a web TransformStream, which costs throughput (docs/operations.md, "Limits");
 * reading the body here into one Buffer checks the limit as cheaply as it can be checked.
 */
import { isUtf8 } from "node:buffer";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { BodyRates } from "./body-rate.js";

export type BodyResult =
  | { ok: true; buffer: Buffer }
  | { ok: false; status: number; code: string; message: string };

/** The pieces a body may come in before their average size is looked at (`inPiecesTooSmall`). */
export const PIECES_ALLOWED = 1024;
/** The least average size of a body's pieces once there are more than PIECES_ALLOWED (bytes). */
export const MIN_PIECE_BYTES = 64;

/**
 * Whether a body that has come as `pieces` pieces of `bytes` in all comes in pieces too small:
 * more than PIECES_ALLOWED, of under MIN_PIECE_BYTES on average. Node's HTTP parser hands each
 * chunk of a chunked body (and each read of one with a Content-Length) to JavaScript as a Buffer
 * and a `data` event of its own, about 6 µs of the event loop each: a body within the size limit
 * sent in one-byte chunks (102,000 of them, 612 KB on the wire) took 588 ms of it, where the same
 * bytes in one piece take a millisecond, and four such clients held /health 1.3-3.5 s (red team
 * 14, F5). 64-byte pieces cost as one does. Honest clients send a body in one piece, or in
 * chunks and segments of kilobytes.
 */
export function inPiecesTooSmall(pieces: number, bytes: number): boolean {
  return pieces > PIECES_ALLOWED && bytes < pieces * MIN_PIECE_BYTES;
}

/** The refusal of a body that comes in pieces too small (`inPiecesTooSmall`). */
function piecesTooSmall(pieces: number, bytes: number): BodyResult {
  return {
    ok: false,
    status: 400,
    code: "BODY_IN_PIECES_TOO_SMALL",
    message: `The request body came in ${pieces} pieces of ${Math.round((bytes / pieces) * 10) / 10} bytes on average: send it in one piece (with a Content-Length), or in chunks of at least ${MIN_PIECE_BYTES} bytes on average.`,
  };
}

/** Whether `req` says it has a body: chunked (any transfer coding), or a Content-Length but 0. */
export function declaresBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/** Where Node's HTTP parser keeps its callbacks for a body's chunk and a message's end (HTTPParser.kOnBody, kOnMessageComplete): found on the first parser looked at; null when not found. */
let callbacksAt: { body: number; complete: number } | null | undefined;

function parserCallbacks(
  parser: Record<number, unknown>,
): { body: number; complete: number } | null {
  if (callbacksAt !== undefined) return callbacksAt;
  let body: number | undefined;
  let complete: number | undefined;
  for (let i = 0; i < 16; i++) {
    const name = typeof parser[i] === "function" ? (parser[i] as () => void).name : undefined;
    if (name === "parserOnBody") body = i;
    else if (name === "parserOnMessageComplete") complete = i;
  }
  callbacksAt = body !== undefined && complete !== undefined ? { body, complete } : null;
  return callbacksAt;
}

/**
 * Stops Node's HTTP parser from handing what is left of `req`'s body to JavaScript: the rest of
 * it is parsed in C++ only, at no cost to the event loop. Refusing the body or closing the
 * connection is not enough: the parser goes on through what it has read (up to 64 KB), calling
 * back into JavaScript for each chunk (a Buffer, a callback, the ticks after it), and one read of
 * one-byte chunks is 10,900 of them, some 60 ms (red team 14, F5; a socket destroyed, or the
 * parser paused, within the read: the same). The parser skips a body callback that is not a
 * function, so it is taken out until this request's message ends (put back by the parser's
 * message-end callback, wrapped, before a request pipelined behind it is parsed) or its
 * connection closes (parsers are pooled, and given to later connections). Node's parser API,
 * not a public one: where it is not as expected, nothing is changed and false is returned.
 */
export function stopBodyEvents(req: IncomingMessage): boolean {
  const parser = (req.socket as Socket & { parser?: Record<number, unknown> | null }).parser;
  if (!parser || req.complete) return false;
  const at = parserCallbacks(parser);
  if (at === null) return false;
  const onBody = parser[at.body];
  const onComplete = parser[at.complete];
  if (typeof onBody !== "function" || typeof onComplete !== "function") return false;
  let stopped = true;
  const socket = req.socket;
  const restore = () => {
    if (!stopped) return;
    stopped = false;
    parser[at.body] = onBody;
    parser[at.complete] = onComplete;
    // (a keep-alive connection's requests would pile up listeners on it)
    socket.off("close", restore);
  };
  parser[at.body] = undefined;
  parser[at.complete] = function messageComplete(this: unknown, ...args: unknown[]) {
    restore();
    return (onComplete as (...a: unknown[]) => unknown).apply(this, args);
  };
  socket.once("close", restore);
  return true;
}

/**
 * What still comes of `req`'s body after its answer, which nobody reads (Node's http server
 * discards it, parsing every chunk): the connection is closed as soon as it comes in pieces too
 * small (`inPiecesTooSmall`). Red team 14 (F5): a body in one-byte chunks sent to a path that
 * takes none (404), or refused by its headers, cost the event loop as much as one read.
 */
export function discardsInPieces(req: IncomingMessage): void {
  let pieces = 0;
  let bytes = 0;
  const onData = (chunk: Buffer) => {
    pieces++;
    bytes += chunk.length;
    if (!inPiecesTooSmall(pieces, bytes)) return;
    req.off("data", onData);
    stopBodyEvents(req);
    req.socket?.destroy();
  };
  req.on("data", onData);
  req.once("end", () => req.off("data", onData));
}

/**
 * The whole request body, or a refusal: a Content-Length above the limit is refused before
 * reading anything; a body without one (chunked) is counted as it arrives and refused as soon
 * as it passes the limit. With `rates`, a body that comes too slowly is refused (408
 * `BODY_TOO_SLOW`, body-rate.ts); one that comes in pieces too small (`inPiecesTooSmall`), 400
 * `BODY_IN_PIECES_TOO_SMALL` (its connection closed, not lingering: what still comes of it would
 * cost as much).
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  rates?: BodyRates,
): Promise<BodyResult> {
  const tooLarge: BodyResult = {
    ok: false,
    status: 413,
    code: "REQUEST_ENTITY_TOO_LARGE",
    message: `The request body is larger than ${limit} bytes (the body size limit). Send a smaller query, and pass large values as variables only if they fit.`,
  };
  const declared = req.headers["content-length"];
  if (declared !== undefined) {
    if (!/^\d+$/.test(declared)) {
      return Promise.resolve({
        ok: false,
        status: 400,
        code: "BAD_REQUEST",
        message: `Content-Length must be a number of bytes, got "${declared}".`,
      });
    }
    if (declaredTooLarge(req, limit)) return Promise.resolve(tooLarge);
  }
  return new Promise((resolvePromise) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let pieces = 0;
    let done = false;
    // the read's listeners, methods of one object, not functions assigned to names: tsx names
    // each of those with Object.defineProperty whenever one is made, a few µs of every request
    // (docs/performance.md). None reads `this`: `req` calls them
    const read = {
      finish(result: BodyResult) {
        if (done) return;
        done = true;
        watched?.end();
        // every listener of this read taken off: one left on `req` keeps this closure, its
        // chunks and the promise's continuation (the whole request) reachable from `req` for as
        // long as anything holds `req`. A minor collection keeps the values of a WeakMap whose
        // keys it has not yet found dead (a WeakMap keyed by `req`, here or in a library, is
        // one), so each request, long answered, was copied and moved to the old generation
        req.off("data", read.onData);
        req.off("end", read.ended);
        req.off("error", read.broken);
        req.off("close", read.broken);
        resolvePromise(result);
      },
      onData(chunk: Buffer) {
        watched?.grew(chunk.length);
        size += chunk.length;
        if (size > limit) {
          read.finish(tooLarge);
          return;
        }
        if (inPiecesTooSmall(++pieces, size)) {
          stopBodyEvents(req);
          read.finish(piecesTooSmall(pieces, size));
          return;
        }
        chunks.push(chunk);
      },
      ended() {
        read.finish({
          ok: true,
          buffer: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size),
        });
      },
      broken() {
        read.finish({
          ok: false,
          status: 400,
          code: "BAD_REQUEST",
          message: "The request body could not be read: the connection closed before its end.",
        });
      },
    };
    const watched = rates?.watch(req, (slow) =>
      read.finish({ ok: false, status: 408, code: "BODY_TOO_SLOW", message: rates.message(slow) }),
    );
    // (`on`, not `once`: `finish` takes every one of them off at the first, and `once` made a
    // wrapper for each, whose own removal ran when its event came: 10 µs of a one-off document)
    req.on("data", read.onData);
    req.on("end", read.ended);
    req.on("error", read.broken);
    // a body that stops arriving, or comes too slowly, is refused by the floor under its rate
    // (with `rates`), else ended by the server's request timeout (connections.ts), which closes
    // the connection: the read ends with it, so nothing waits for it forever
    req.on("close", read.broken);
  });
}

/**
 * Whether `req` declares a body (Content-Length) longer than `limit`: `readBody` refuses it 413
 * before reading any of it, and it gets no `100 Continue` (app.ts, `checkContinue`).
 */
export function declaredTooLarge(req: IncomingMessage, limit: number): boolean {
  const declared = req.headers["content-length"];
  return declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limit;
}

/** Requests that asked for "100 Continue" (app.ts, `checkContinue`) and have not been told yet. */
const awaitingContinue = new WeakSet<IncomingMessage>();

/** `req` expects "100 Continue" before it sends its body: told when its body is to be read (`sendContinue`). */
export function awaitContinue(req: IncomingMessage): void {
  awaitingContinue.add(req);
}

/** Whether `req` waits for "100 Continue" before it sends its body (and has not been told). */
export function awaitsContinue(req: IncomingMessage): boolean {
  return awaitingContinue.has(req);
}

/**
 * Tells a client that asked for it to send its body, now that the server is about to read it,
 * unless its declared length is over `limit` (its 413 is then its final answer, and it sends
 * nothing). Only then: a request refused before its body is read (a path that takes none, 404 or
 * 405; a connection beyond the cap; load shed) was told to go on when its headers came, and its
 * client sent the body only to have it thrown away (red team 10). Node holds the 100 behind the
 * answers pipelined before it, as it did when it wrote it itself.
 */
export function sendContinue(req: IncomingMessage, res: ServerResponse, limit: number): void {
  if (awaitingContinue.delete(req) && !declaredTooLarge(req, limit)) res.writeContinue();
}

/**
 * The deepest a request body's JSON may nest (objects and lists). Far deeper than any request
 * needs, so that a variable nested deeper than KZ_OSCE_MAX_VARIABLE_DEPTH (32) still gets
 * VARIABLE_TOO_DEEP naming the variable and the place (a `not` 10,000 deep does), and shallow
 * enough that JSON.parse's time stays short: a quarter of red team 8's 50,000 levels.
 */
export const MAX_BODY_DEPTH = 12_000;

/**
 * The depth of `body`'s JSON nesting, if it is more than `max` (objects and arrays, outside
 * strings): undefined when it is within. A byte scan, about 0.1 ms for 100 KB, run before any
 * JSON.parse: V8's parser takes deep nesting slowly, and 50,000 levels in a 100 KB body held the
 * event loop 16-86 ms of CPU in one turn, parsed twice (the shortcut, then Yoga), where a flat
 * 100 KB body takes 2-19 (red team 8). Bytes of UTF-8 sequences are all 0x80 or more, so none
 * is taken for a bracket or a quote.
 */
export function jsonTooDeep(body: Uint8Array, max: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === 0x22 /* " */) {
      for (i++; i < body.length && body[i] !== 0x22; i++) if (body[i] === 0x5c /* \ */) i++;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return depth;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return undefined;
}

/**
 * Whether a request body of `contentType` holds JSON nested deeper than MAX_BODY_DEPTH: a JSON
 * body's bytes, or a form's (`application/x-www-form-urlencoded`) `variables` and `extensions`
 * once decoded, which Yoga's parser gives JSON.parse (review 4: a 50,000-deep `extensions` sent
 * as a form passed, its `[` written `%5B`).
 */
export function bodyTooDeep(contentType: string | undefined, body: Buffer): boolean {
  if (/json/i.test(contentType ?? "")) return jsonTooDeep(body, MAX_BODY_DEPTH) !== undefined;
  if (!isForm(contentType)) return false;
  const form = new URLSearchParams(body.toString("utf8"));
  for (const name of ["variables", "extensions"])
    for (const value of form.getAll(name))
      if (jsonTooDeep(Buffer.from(value, "utf8"), MAX_BODY_DEPTH) !== undefined) return true;
  return false;
}

/** Whether a Content-Type is a form (`application/x-www-form-urlencoded`), as Yoga reads one. */
export const isForm = (contentType: string | undefined) =>
  /^\s*application\/x-www-form-urlencoded/i.test(contentType ?? "");

/** Each ASCII byte's value as a hex digit, -1 for any other. */
const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++)
  HEX["0123456789abcdef".charCodeAt(i)] = HEX["0123456789ABCDEF".charCodeAt(i)] = i;

/**
 * Whether the `%XX` escapes of a form body or a query string decode to UTF-8 (`formBytes`), as
 * they are read: the one test of the shortcut's form check, its charset check, Yoga's GET parser
 * (requests.ts) and the ETag of a GET (http-cache.ts). The text's own bytes are checked apart.
 */
export function escapesAreUtf8(text: Buffer | string): boolean {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  return bytes.indexOf(0x25 /* % */) < 0 || isUtf8(formBytes(bytes));
}

/**
 * The bytes of a form body once its `%XX` escapes are decoded (the body itself when it has none),
 * as the URL standard's form parser decodes them before reading them as UTF-8 (a `%` not followed
 * by two hex digits is kept as it is, and `+` is a space: ASCII either way, so UTF-8 or not as
 * the body's other bytes). An escape of a byte that is not UTF-8 (`%E9`, Latin-1's é) was read
 * as U+FFFD, though the body's own bytes are all ASCII: isUtf8 of these tells. The separators
 * (`&`, `=`) are ASCII, which never falls inside a UTF-8 character, so the whole is UTF-8 exactly
 * when each name and value is.
 */
export function formBytes(body: Buffer): Buffer {
  const first = body.indexOf(0x25 /* % */);
  if (first < 0) return body;
  // a byte at a time in one loop: 4-6 ms median for a form of 1.5-3 MB escaped as a browser
  // escapes it, where URLSearchParams' reading of it (Yoga's, after) takes 20-41; indexOf called
  // for each escape took 12-36 (bench/utf8-check.ts). At the default body limit, a tenth of that
  const out = Buffer.allocUnsafe(body.length);
  body.copy(out, 0, 0, first);
  let length = first;
  for (let i = first; i < body.length; i++) {
    const byte = body[i]!;
    if (byte === 0x25 && i + 2 < body.length) {
      const high = HEX[body[i + 1]!]!;
      const low = HEX[body[i + 2]!]!;
      if (high >= 0 && low >= 0) {
        out[length++] = high * 16 + low;
        i += 2;
        continue;
      }
    }
    out[length++] = byte;
  }
  return out.subarray(0, length);
}

/** A body already read, in the form Yoga's node adapter accepts in place of the request stream. */
export function bufferedBody(buffer: Buffer) {
  return {
    length: buffer.length,
    async *[Symbol.asyncIterator]() {
      if (buffer.length > 0) yield buffer;
    },
  };
}

/** The JSON body of a refusal: a GraphQL-style error with its code, as Yoga's errors have them. */
export const errorJson = (code: string, message: string) =>
  JSON.stringify({ errors: [{ message, extensions: { code } }] });

/**
 * An error answered before Yoga: a GraphQL-style JSON body. The connection is closed unless
 * `keepAlive` (when the body has been read, or Node may read and discard what is left of it).
 * What is left of a body not yet read whole is parsed from then on without a call into
 * JavaScript (`stopBodyEvents`): after a refusal nothing reads it.
 * With `linger`, a connection closed while its request's body is still coming closes lingering
 * (`lingerOnClose`), so that its client reads the answer. The answer says
 * `Cache-Control: no-store` unless the caller says otherwise: an error is of this request, and a
 * 405 or 501 is cacheable by default (RFC 9110, 15.1), so a cache applying a default freshness
 * kept `PUT /graphql`'s 405 or a 501 without it (red team 8, finding 5).
 */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  options: { keepAlive?: boolean; linger?: boolean; headers?: Record<string, string> } = {},
): void {
  // its connection is closed (by the server, evicting it for a newcomer, or by its client while
  // its body was read): no answer can reach anyone. Written all the same, Node made its headers,
  // then refused its body with an error (ERR_STREAM_DESTROYED) whose stack it captured whole, for
  // nobody: 2-5% of the server's time under red team 14's F3, 3,000 dripping bodies renewed as
  // they were evicted (bench/results/2026-12-06-slowloris-events.txt). Its log line and metrics
  // were made at its close already (app.ts)
  if (res.destroyed) return;
  const body = errorJson(code, message);
  // nothing reads what is left of a refused request's body (a lingering close reads it, in C++
  // only): a POST to /graphql shed or refused beyond the connection cap at its headers kept its
  // parser's body callback, one call into JavaScript for each chunk (120,000 one-byte ones after
  // a shed 503 on a connection kept open; review 18, finding 1)
  if (res.req && !res.req.complete) stopBodyEvents(res.req);
  const headers: Record<string, string | number> = {
    "cache-control": "no-store",
    ...options.headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  };
  if (!options.keepAlive) {
    headers.connection = "close";
    noteClose(res);
  }
  if (!options.keepAlive && options.linger && res.req && !res.req.complete)
    lingerOnClose(res.req.socket as Socket);
  res.writeHead(status, headers);
  res.end(body);
}

/**
 * Says `Connection: close` on `res`, whose headers are not yet sent: its connection ends after
 * it, and no request after it on the connection is run (`cameAfterClose`). The shutdown's last
 * answer on each connection (app.ts).
 */
export function closesConnection(res: ServerResponse): void {
  res.setHeader("connection", "close");
  noteClose(res);
  // closed lingering: a client that pipelined a request with a body behind it is still sending
  // when the answer has been written, and a socket closed then is reset, which destroyed the part
  // of the answer its client had not yet read (a 721 KB export cut to 195 KB by 200 KB pipelined
  // after it at a SIGTERM: /work/linger/shutdown-rst.mjs, 6 December). A client that closes once
  // it has read the answer ends the linger then.
  if (res.req) lingerOnClose(res.req.socket as Socket);
}

/** No request after `res`'s on its connection is run (RFC 9112 9.6; `cameAfterClose`). */
function noteClose(res: ServerResponse): void {
  const place = res.req && order.get(res.req);
  if (place === undefined) return;
  const socket = res.req.socket as Socket;
  closedBy.set(socket, Math.min(place, closedBy.get(socket) ?? place));
}

/**
 * Connections a refusal answered "Connection: close" (`sendError`), lingering or not, or the
 * shutdown closes after an answer (`closesConnection`): no request
 * after that answer is run. Node's parser goes on parsing what the client sent after it, and the
 * app ran each such request for nobody (review 4: one request without Host, or with an unknown
 * transfer coding, then 20 pipelined queries: 21 run).
 */
const closedBy = new WeakMap<Socket, number>();
/** Each request's place among its connection's (`noteRequest`), and the last place given. */
const order = new WeakMap<IncomingMessage, number>();
const lastPlace = new WeakMap<Socket, number>();

/** Gives `req` its place among its connection's requests: called as it comes, before anything else. */
export function noteRequest(req: IncomingMessage): void {
  const socket = req.socket as Socket;
  const place = (lastPlace.get(socket) ?? 0) + 1;
  lastPlace.set(socket, place);
  order.set(req, place);
}

/**
 * Whether `req` came after a request refused with "Connection: close" (`sendError`): it is not
 * run. By place, not by time: a request before the refused one may still be reading its body
 * when the refusal is made, and is answered.
 */
export function cameAfterClose(req: IncomingMessage): boolean {
  const closed = closedBy.get(req.socket as Socket);
  const place = order.get(req);
  return closed !== undefined && place !== undefined && place > closed;
}

/** How long a lingering close reads what still comes before it closes the connection (ms). */
export const LINGER_MS = 5000;
/** How much a lingering close reads at most before it closes the connection (bytes). */
export const LINGER_BYTES = 16 * 1024 * 1024;

/**
 * The event a socket emits as its lingering close begins (`lingerOnClose`): Connections frees
 * its place at the cap then, and bounds how many linger at once (connections.ts).
 */
export const LINGERING = "lingering";

/**
 * Close `socket`, once its last answer is sent, lingering as nginx's `lingering_close` does:
 * the server ends its side, then reads and discards what the client still sends, until the
 * client closes too, or for `ms` at most, or `bytes`. Node closes a connection at once after an
 * answer that says `Connection: close`, and a socket closed with received bytes unread is reset
 * by the kernel (RST), which destroys at the client what it had not read yet: the answer itself,
 * and any answer pipelined before it. A body refused 413 while still coming was answered by a
 * reset instead of its 413 (red team 8: 10 of 10 bodies of 5 MB got EPIPE, and a 1 MB one
 * pipelined after a 627 KB answer cut that answer short, 2 of 3). The bounds keep a client that
 * never stops sending from holding its connection longer than the request timeout would.
 */
export function lingerOnClose(socket: Socket, ms = LINGER_MS, bytes = LINGER_BYTES): void {
  // Node's http server calls destroySoon after the last answer of a connection it closes
  socket.destroySoon = function lingering(this: Socket) {
    if (this.writable) this.end();
    // answered, and never served again: its place at the connection cap is free (connections.ts)
    this.emit(LINGERING);
    const from = this.bytesRead;
    const started = performance.now();
    const timer = setInterval(
      () => {
        if (performance.now() - started < ms && this.bytesRead - from <= bytes) return;
        clearInterval(timer);
        this.destroy();
      },
      Math.min(100, ms),
    ).unref();
    this.once("close", () => clearInterval(timer));
  };
}
