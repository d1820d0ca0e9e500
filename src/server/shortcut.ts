/**
 * The one place where requests to the GraphQL endpoint are answered outside Yoga, for speed.
 * Yoga is where a request is interpreted; this module only answers, before it, what Yoga would
 * answer the same way. Its contract:
 *
 * 1. `handle(req, res)` reads the body within its size limit (413 above it, 400 when it breaks
 *    off: Yoga's own limit pipes every body through a stream, docs/performance.md) and refuses a
 *    multipart body (415: the API has no uploads, and Yoga's multipart parser answers malformed
 *    parts with 500s). Nothing else is refused here.
 * 2. Every answer, Yoga's too, gets the CORS headers of cors.ts (set before anything answers:
 *    under `*` they are there with or without Origin) and the caching headers and content coding
 *    of http-cache.ts; a GET whose ETag the client holds gets 304, without being executed when
 *    this process issued that tag.
 * 3. A request answered before (response-cache.ts) gets the bytes sent then.
 * 4. A POST of one plain JSON operation (`{"query", "variables", "operationName"}`) that is a
 *    query and executes without an error is answered here, with the status, media type and body
 *    Yoga would send: Yoga's fetch `Request`/`Response` layer costs about as much as executing a
 *    small query. It runs through the direct pipeline (direct.ts: the same parser with its token
 *    limit, the same validation rules, limits, deadline and graphql-js's execute, called without
 *    envelop) when the app gives one (`direct`), else through Yoga's own envelop pipeline
 *    (`yoga.getEnveloped`, as in subgraph mode, where the gateway guard must see each operation).
 * 5. Anything else goes to Yoga: another method, content type, Accept header or body shape, a
 *    batch, `extensions`, a request with Origin (left to Yoga when Yoga added the CORS headers;
 *    point 2 now sets them for every answer, so point 4 could take it), a document that
 *    does not parse or validate, an operation that is not a query. An answer with an error that
 *    point 4 already executed is handed to Yoga with the request (`plugin`, which must be among
 *    Yoga's plugins), and Yoga answers it without executing it again: a result of the direct
 *    pipeline stands in for Yoga's execution (so Yoga's hooks mask, log and count its errors as
 *    they would their own), one of envelop's is Yoga's result as it was.
 *
 * tests/server/shortcut.test.ts holds it to this: on a corpus of requests, malformed ones
 * included, what it answers itself is Yoga's answer (status, headers, body), it takes every plain
 * request Yoga answers without error, and the whole app answers everything as Yoga does, each
 * query executed once.
 */
import { isUtf8 } from "node:buffer";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type ExecutionResult, getOperationAST } from "graphql";
import type { Plugin, YogaServerInstance } from "graphql-yoga";
import { DeadlineExceededError } from "../graph/deadline.js";
import { shown } from "../graph/keys.js";
import type { SliceScheduler } from "../graph/scheduler.js";
import type { Context } from "../schema/index.js";
import { slicedJson, slicesOf } from "./answer-json.js";
import {
  awaitsContinue,
  bodyTooDeep,
  bufferedBody,
  cameAfterClose,
  escapesAreUtf8,
  isForm,
  MAX_BODY_DEPTH,
  readBody,
  sendContinue,
  sendError,
} from "./body.js";
import type { BodyRates } from "./body-rate.js";
import { withdrawWhenClientGone } from "./client-gone.js";
import { negotiateCoding } from "./compression.js";
import type { DirectPipeline, QueryParams } from "./direct.js";
import {
  answerNotModified,
  etagOf,
  finishAnswer,
  type HttpCacheOptions,
  IssuedTags,
} from "./http-cache.js";
import { executedBeforeYoga, finishAnswered, stoppedError } from "./limits.js";
import { operationNameOf } from "./log.js";
import { repeatedInJson } from "./repeated-parameters.js";
import type { ResponseCache } from "./response-cache.js";
import { clientOf } from "./share-client.js";

export type Yoga = YogaServerInstance<{ req: IncomingMessage; res: ServerResponse }, Context>;

export interface ShortcutOptions extends HttpCacheOptions {
  maxBodyBytes: number;
  /** The floor under a body's rate (body-rate.ts); undefined: none. */
  bodyRates?: BodyRates;
  /**
   * The graph that answers `req`, chosen once its body is in (the graph served then): answers are
   * cached per graph, and tagged with its content hash. The app remembers the choice for the
   * request's GraphQL context, so that Yoga executes on it too.
   */
  graph: (req: IncomingMessage) => { contentHash: string };
  /** Answers kept and sent again (response-cache.ts), or undefined for none. */
  cache?: ResponseCache;
  /** Told of each 304: whether its tag was issued here, or the GET executed (http-cache.ts). */
  onNotModified?: (reason: "issued" | "executed") => void;
  /** False: every request goes to Yoga after points 1-3 (with trusted documents only, Yoga's plugin refuses query texts). */
  fastAnswers: boolean;
  /** Whether the request comes from the federation gateway (subgraph.ts): its answers are kept apart. */
  fromGateway?: (req: IncomingMessage) => boolean;
  /** The CORS headers of every answer (cors.ts), the refusals of point 1 too. */
  corsHeaders: (req: IncomingMessage) => Record<string, string>;
  /** Told the operation's name of a request answered in point 4 (for its log line). */
  onOperation: (req: IncomingMessage, name: string) => void;
  /** Point 4's direct pipeline over Yoga's (direct.ts), made once Yoga exists; undefined: envelop's. */
  direct?: (yoga: Yoga) => DirectPipeline;
  /**
   * The process's scheduler of the loop's turns (src/graph/scheduler.ts): a request that is not
   * answered from a cache waits for its turn there before its document is parsed and validated,
   * as its execution does; undefined: none waits.
   */
  turns?: Pick<SliceScheduler, "turnFor" | "workDone">;
  /**
   * A request that waited for its turn (`turns`) is refused as load shedding would refuse it
   * arriving now, and answered so here (true). What waits there counts only its parse and
   * validation in the queue, not its execution's price, which is not known before: a burst let in
   * together is so refused once those ahead of it have joined the queue with their prices,
   * rather than run out of time together.
   */
  shedAfterWait?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/**
 * About how long the work before execution takes for a request of `bytes` (its body, or its URL):
 * the parse and validation of its document, or the answer of their errors. What the scheduler's
 * queue counts for it while it waits (load shedding reads the queue's work, and refuses past
 * 2.5 s of it at the defaults). Bytes say little of it: measured warm at 100,000 entities, a small
 * query takes 0.3-0.5 ms, a 4 KB document that fails validation on 300 variables 5-10 ms, and a
 * `{ __typename }` padded to 100 KiB (whitespace, a comment) well under a millisecond. So a little
 * is counted for the bytes, and never more than WORK_BEFORE_EXECUTION_MAX_MS: a request that
 * waited is weighed again by its execution's price when its turn comes (`shedAfterWait`). At
 * 1 ms a 512 bytes, a burst of such padded queries counted 200 ms each, 2.4-2.6 s for a burst
 * whose work took under 50 ms, and was shed (review 46, f2).
 */
export function workBeforeExecutionMs(bytes: number): number {
  return Math.min(WORK_BEFORE_EXECUTION_MAX_MS, 1 + bytes / 8192);
}

/** The most a request's work before execution counts in the scheduler's queue while it waits (`workBeforeExecutionMs`). */
export const WORK_BEFORE_EXECUTION_MAX_MS = 10;

export interface Shortcut {
  /** Answer a request to the GraphQL endpoint: here when the contract above allows it, else by `yoga`. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** For Yoga's plugins: answers a request whose result `handle` has already executed. */
  plugin: Plugin;
}

export function createShortcut(yoga: () => Yoga, options: ShortcutOptions): Shortcut {
  const { cache } = options;
  /** The ETags this process gave successful answers: only these get a 304 before executing. */
  const issued = new IssuedTags(options.onNotModified);
  /** Results with errors executed in point 4 by envelop's pipeline, for Yoga to answer (keyed by the request). */
  const handedOver = new WeakMap<IncomingMessage, ExecutionResult>();
  /** The same from the direct pipeline: Yoga's execution of the request gives this result instead. */
  const executed = new WeakMap<IncomingMessage, ExecutionResult>();
  const plugin: Plugin = {
    onParams({ context, setResult }) {
      const req = (context as { req?: IncomingMessage }).req;
      const result = req && handedOver.get(req);
      if (req && result) {
        handedOver.delete(req);
        setResult(result);
      }
    },
    onExecute({ args, setExecuteFn }) {
      const req = (args.contextValue as { req?: IncomingMessage } | undefined)?.req;
      const result = req && executed.get(req);
      if (req && result) {
        executed.delete(req);
        setExecuteFn(() => result);
      }
    },
  };
  let direct: { yoga: Yoga; pipeline: DirectPipeline | undefined } | undefined;
  const directOf = (current: Yoga): DirectPipeline | undefined => {
    if (!options.direct) return undefined;
    if (direct?.yoga !== current) {
      let pipeline: DirectPipeline | undefined;
      try {
        pipeline = options.direct(current);
      } catch {
        // (a plugin that cannot answer the rules probe, say): envelop's pipeline answers instead
        pipeline = undefined;
      }
      direct = { yoga: current, pipeline };
    }
    return direct.pipeline;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let buffer: Buffer | undefined;
    if (req.method !== "GET" && req.method !== "HEAD" && req.method !== "OPTIONS") {
      // refused by its headers alone: a client waiting for "100 Continue" gets the refusal without
      // it, and sends no body (review 8: it was told to go on, then the body was thrown away);
      // node closes the connection after the answer. Any other is read whole first, so that its
      // connection is kept (a 501's is not)
      const early = refusedByHeaders(req);
      if (early !== undefined && awaitsContinue(req))
        return sendError(res, early.status, early.code, early.message, {
          headers: { ...options.corsHeaders(req), ...early.headers },
        });
      // the body is read now: a client waiting for "100 Continue" is told to send it
      sendContinue(req, res, options.maxBodyBytes);
      const body = await readBody(req, options.maxBodyBytes, options.bodyRates);
      // pipelined behind a request refused with "Connection: close" while this body was read:
      // not run (body.ts, cameAfterClose), as one that came after the refusal is not (app.ts)
      if (cameAfterClose(req)) return;
      if (body.ok === false)
        return sendError(res, body.status, body.code, body.message, {
          // a body too large is an honest client's mistake, still sending: it reads its 413
          linger: body.status === 413,
          headers: options.corsHeaders(req),
        });
      // the body has been read whole, so the connection is kept (but after a 501: RFC 9112, 6.1)
      if (early !== undefined)
        return sendError(res, early.status, early.code, early.message, {
          keepAlive: early.status !== 501,
          headers: { ...options.corsHeaders(req), ...early.headers },
        });
      const unreadable = unreadableBody(req, body.buffer);
      if (unreadable !== undefined)
        return sendError(res, 415, "BODY_NOT_UTF8", unreadable.message, {
          keepAlive: true,
          headers: { ...options.corsHeaders(req), ...unreadable.headers },
        });
      // a body read as text (JSON, GraphQL, a form) that is not UTF-8: read as UTF-8 all the same,
      // its bytes were taken as U+FFFD, and a Latin-1 "é" searched for "\uFFFD" (red team 8, minor);
      // a charset naming another encoding is answered 415 above. isUtf8 (C++) takes 12-31 µs
      // for 1 MB, where the depth scan takes 0.9 ms and JSON.parse 6-8 (bench/utf8-check.ts).
      // A form's escapes are decoded first: `query=%E9` is ASCII, and was read as U+FFFD too
      const type = req.headers["content-type"];
      if (readAsText(type) && !isUtf8(body.buffer))
        return sendError(res, 400, "BODY_NOT_UTF8", NOT_UTF8, {
          keepAlive: true,
          headers: options.corsHeaders(req),
        });
      if (isForm(type) && !escapesAreUtf8(body.buffer))
        return sendError(res, 400, "BODY_NOT_UTF8", FORM_NOT_UTF8, {
          keepAlive: true,
          headers: options.corsHeaders(req),
        });
      // refused before JSON.parse (the shortcut's, then Yoga's) reads it (body.ts, jsonTooDeep)
      if (bodyTooDeep(req.headers["content-type"], body.buffer))
        return sendError(
          res,
          400,
          "BODY_TOO_DEEP",
          `The request body's JSON nests more than ${MAX_BODY_DEPTH} levels deep (objects and lists), deeper than any request needs: a variable may nest at most KZ_OSCE_MAX_VARIABLE_DEPTH levels. Send flatter variables.`,
          { keepAlive: true, headers: options.corsHeaders(req) },
        );
      // Yoga's node adapter takes a body already read from `req.body` (any async iterable)
      (req as IncomingMessage & { body?: unknown }).body = bufferedBody(body.buffer);
      buffer = body.buffer;
    }
    // the graph this request is answered from, chosen once its body is in: the answer, its ETag,
    // its cache entry and its `x-graph-version` all name it (app.ts set the header when the
    // headers came, and a reload while the body came gave the new data under the old version:
    // red team 8). The direct pipeline reads the graph it executes on in this same run of code
    const graph = options.graph(req);
    res.setHeader("x-graph-version", graph.contentHash);
    // its CORS headers, whoever answers it (a 304, the response cache, point 4 or Yoga, whose
    // plugin sets the same again): under `*` they are there with or without Origin (cors.ts), and
    // point 4's answers, to requests without one, lacked Yoga's. Set before the response cache
    // sees the answer, so not kept in its entries (about 160 bytes each under `*`); but not Vary,
    // which http-cache.ts says once the answer is known (with Origin where origins are listed):
    // set here, a cached answer was sent again with this request's `Vary: Origin` alone
    for (const [name, value] of Object.entries(options.corsHeaders(req)))
      if (name !== "Vary") res.setHeader(name, value);
    // an answer to the gateway (`_entities`, `_service`) is tagged apart and never kept by a
    // shared cache: one in front of the subgraph replayed it to callers without the secret (F4)
    const gateway = options.fromGateway?.(req) ?? false;
    const etag = etagOf(graph.contentHash, req, gateway ? "gateway" : "");
    const audience = gateway ? "private" : "shared";
    if (answerNotModified(req, res, etag, options, issued, audience)) return;
    // a hit is sent as it was, compressed: the coding it will be sent in is part of its key; an
    // answer to the gateway (`_entities`, `_service`) is never replayed to a request without its secret
    let key = cache?.keyOf(
      req,
      buffer,
      options.compression ? negotiateCoding(req.headers["accept-encoding"]) : undefined,
    );
    // marked first: the key ends with the request's body as it came (response-cache.ts keyOf), so
    // a mark after it was a body away, and a caller without the secret who sent the gateway's
    // body with "\ngateway" after it had the gateway's answer replayed (review 13)
    if (key !== undefined && gateway) key = `gateway\n${key}`;
    if (cache && key !== undefined && cache.serve(graph, key, res)) return;
    // the rest waits for its turn of the loop when others wait or the turn is used (turnFor); not
    // a CORS preflight (OPTIONS), which has no document, and whose 503 a browser would report as a
    // failed CORS check rather than a readable refusal (review 46)
    const turns = req.method === "OPTIONS" ? undefined : options.turns;
    const waiter = turns?.turnFor(
      workBeforeExecutionMs(buffer?.length ?? req.url?.length ?? 0),
      clientOf(req.socket),
    );
    if (waiter !== undefined) {
      // a client gone meanwhile leaves the queue: its turn never comes, and this is collected.
      // app.ts tells client-gone.ts `requestEnded` when the response closes, or its connection
      // does (the response's own `close` never comes for one pipelined behind another: review 46)
      const came = withdrawWhenClientGone(res, waiter);
      await waiter.granted;
      came();
    }
    try {
      if (waiter !== undefined && options.shedAfterWait?.(req, res)) return;
      await answer(req, res, graph, etag, audience, key, buffer);
    } finally {
      turns?.workDone();
    }
  }

  /** `handle`'s answer of a request no cache answered: here (point 4), or by Yoga. */
  async function answer(
    req: IncomingMessage,
    res: ServerResponse,
    graph: { contentHash: string },
    etag: string | undefined,
    audience: "private" | "shared",
    key: string | undefined,
    buffer: Buffer | undefined,
  ): Promise<void> {
    finishAnswer(
      req,
      res,
      etag,
      options,
      issued,
      audience,
      cache && key !== undefined ? cache.capture(graph, key, res) : undefined,
    );
    if (buffer !== undefined && options.fastAnswers) {
      const current = yoga();
      const pipeline = directOf(current);
      const answered = pipeline
        ? await answerDirect(pipeline, req, res, buffer, (result) => {
            executed.set(req, result);
            // not admitted again, nor refused, now that its work is done (limits.ts)
            executedBeforeYoga(req, result);
          })
        : await answerFast(current, req, res, buffer, (result) => handedOver.set(req, result));
      if (answered !== undefined) return void (answered && options.onOperation(req, answered));
    }
    await yoga()(req, res);
  }

  return { handle, plugin };
}

/** Whether a body of `contentType` is one Yoga reads as text: JSON, a GraphQL document, a form. */
const readAsText = (contentType: string | undefined) =>
  /json|^\s*application\/(?:graphql|x-www-form-urlencoded)\s*(?:;|$)/i.test(contentType ?? "");

const NOT_UTF8 =
  "The request body is not UTF-8, the encoding of JSON (RFC 8259) and of every body this server reads: its other bytes would be read as U+FFFD. Send the body in UTF-8 (an é is the one byte 0xE9 in Latin-1 or Windows-1252, the two bytes 0xC3 0xA9 in UTF-8).";

const FORM_NOT_UTF8 =
  "The request body's percent-encoded bytes are not UTF-8, in which a form's escapes are read (the URL standard's application/x-www-form-urlencoded): they would be read as U+FFFD. Encode the text in UTF-8 before escaping it (an é is %C3%A9; %E9 is Latin-1's or Windows-1252's).";

/** A header's value quoted in an error, cut to a length that cannot swell the answer. */
const quoted = (value: string) => JSON.stringify(shown(value));

/**
 * Whether the body of `req` can be read as the server reads every body, as UTF-8 text as it came,
 * or why not. A compressed body (`Content-Encoding: gzip`) was parsed as JSON byte for byte (400,
 * quoting binary): it is refused (415), no coding being decoded. A charset has no effect on JSON,
 * which is UTF-8 (RFC 8259, 8.1 and 11), so a body labelled another is still read as UTF-8, and
 * one mislabelled (UTF-8 bytes said to be `us-ascii` or `iso-8859-1`) is read right; but one that
 * is not UTF-8 (Latin-1 bytes: é arrived as U+FFFD) or said to be UTF-16 or UTF-32 (whose bytes
 * made a parse error about NULs) is refused (415), saying why. A media type's name is
 * case-insensitive (RFC 9110, 8.3.1) where Yoga's parsers are not (`APPLICATION/JSON` got 415):
 * it is written in lower case here, for them. (What the headers alone refuse, a content coding
 * and a UTF-16 or UTF-32 charset among them, is `refusedByHeaders`'s, asked first.)
 */
function unreadableBody(
  req: IncomingMessage,
  buffer: Buffer,
): { message: string; headers?: Record<string, string> } | undefined {
  const type = req.headers["content-type"];
  if (type === undefined) return undefined;
  const name = /^[^;]*/.exec(type)![0];
  if (name !== name.toLowerCase())
    req.headers["content-type"] = name.toLowerCase() + type.slice(name.length);
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(type)?.[1];
  if (charset === undefined || /^utf-?8$/i.test(charset)) return undefined;
  // a form's escapes as well as its bytes (the form's own 400 says which)
  if (!isUtf8(buffer) || (isForm(type) && !escapesAreUtf8(buffer)))
    return {
      message: `The request body is not UTF-8, the encoding of JSON (RFC 8259), which this server reads whatever the charset named (${quoted(charset)}): send the body in UTF-8.`,
    };
  return undefined;
}

/**
 * Why a request with a body is refused by its headers alone, before any of the body is read: a
 * multipart body (415), a transfer coding other than chunked (501, RFC 9112 6.1), a content coding
 * (415, with the codings it may be in: RFC 9110 12.5.3), a charset of UTF-16 or UTF-32 (415).
 */
function refusedByHeaders(
  req: IncomingMessage,
):
  | { status: 415 | 501; code: string; message: string; headers?: Record<string, string> }
  | undefined {
  const type = req.headers["content-type"] ?? "";
  if (/^multipart\//i.test(type))
    return { status: 415, code: "BAD_REQUEST", message: MULTIPART_REFUSED };
  const transfer = req.headers["transfer-encoding"];
  if (transfer !== undefined && /(?:^|,)\s*(?!chunked\s*(?:,|$))[^,\s]/i.test(transfer))
    return {
      status: 501,
      code: "BAD_REQUEST",
      message: `The request body is sent with the transfer coding ${quoted(transfer)} (Transfer-Encoding), of which this server decodes only "chunked": send it uncompressed, with Content-Length or "Transfer-Encoding: chunked".`,
    };
  const coding = req.headers["content-encoding"];
  if (coding?.split(",").some((c) => c.trim() !== "" && c.trim().toLowerCase() !== "identity"))
    return {
      status: 415,
      code: "BAD_REQUEST",
      message: `The request body is coded as ${quoted(coding!)} (Content-Encoding), which this server does not decode: send it uncompressed.`,
      headers: { "accept-encoding": "identity" },
    };
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(type)?.[1];
  if (charset && /^(?:utf-?(?:16|32)|ucs-?[24]|(?:cs)?unicode|iso-10646-ucs)/i.test(charset))
    return {
      status: 415,
      // as a body not UTF-8 under another charset (unreadableBody): the same fix, the same code
      code: "BODY_NOT_UTF8",
      message: `The request body is said to be in ${quoted(charset)}: JSON is exchanged in UTF-8 (RFC 8259), which this server reads; send the body in UTF-8.`,
    };
  return undefined;
}

const MULTIPART_REFUSED =
  'Multipart requests are not accepted: this API has no file uploads. POST the request as application/json ({"query": "...", "variables": {...}}), application/graphql or application/x-www-form-urlencoded, or use GET.';

/** The media type of the answer for each Accept header point 4 takes (Yoga's choice for it). */
const ANSWER_TYPE: Record<string, string> = {
  "": "application/json",
  "*/*": "application/json",
  "application/json": "application/json",
  "application/graphql-response+json": "application/graphql-response+json",
};

type Params = QueryParams;

/** A POST point 4 takes: the media type of its answer and its parameters; undefined for any other request. */
function plainQueryOf(
  req: IncomingMessage,
  body: Buffer,
): { answerType: string; params: Params } | undefined {
  if (req.method !== "POST") return undefined;
  const answerType = ANSWER_TYPE[req.headers.accept ?? ""];
  if (answerType === undefined) return undefined;
  const params = paramsOf(req, body);
  return params === undefined ? undefined : { answerType, params };
}

/** The request's parameters, when it is a request point 4 takes; undefined otherwise. */
function paramsOf(req: IncomingMessage, body: Buffer): Params | undefined {
  const type = req.headers["content-type"];
  if (type !== "application/json" && type !== "application/json; charset=utf-8") return undefined;
  if (req.headers.origin !== undefined) return undefined;
  let parsed: unknown;
  const text = body.toString("utf8");
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  // a parameter given twice is refused, by Yoga's parser (requests.ts)
  if (repeatedInJson(text) !== undefined) return undefined;
  const { query, variables, operationName, ...rest } = parsed as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof query !== "string") return undefined;
  if (variables != null && (typeof variables !== "object" || Array.isArray(variables)))
    return undefined;
  if (operationName != null && typeof operationName !== "string") return undefined;
  return { query, variables, operationName } as Params;
}

/**
 * Point 4: answer `req` if it is a plain query whose answer has no error, and resolve with its
 * operation's name ("" when it has none); undefined when nothing was sent and Yoga must answer
 * it. A result with errors is given to `handOver` first. `run` executes the query, or gives
 * undefined when Yoga must answer it (nothing executed then).
 */
async function answerPlain(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  run: <R>(
    params: Params,
    deliver: (result: ExecutionResult) => R | Promise<R>,
  ) => Promise<R | undefined>,
  handOver: (result: ExecutionResult) => void,
): Promise<string | undefined> {
  const plain = plainQueryOf(req, body);
  if (plain === undefined) return undefined;
  // a failure before there is a result is Yoga's to answer; one in sending it, the handler's (500)
  let sending = false;
  try {
    return await run(plain.params, (result) => {
      sending = true;
      return sendResult(res, plain.answerType, plain.params, result, handOver);
    });
  } catch (error) {
    if (sending) throw error;
    return undefined;
  }
}

/** Point 4 through Yoga's own envelop pipeline (subgraph mode, or no direct pipeline). */
export function answerFast(
  yoga: Yoga,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  handOver: (result: ExecutionResult) => void,
): Promise<string | undefined> {
  return answerPlain(
    req,
    res,
    body,
    async (params, deliver) => {
      // `request` as Yoga's plugins read it from the context: its method (usePreventMutationViaGET
      // marks parse errors as 400s only for a request, and Yoga's parse cache keeps them marked)
      const request = { method: "POST" };
      const enveloped = yoga.getEnveloped({ req, res, params, request } as never);
      const document = enveloped.parse(params.query);
      if (enveloped.validate(enveloped.schema, document).length > 0) return undefined;
      if (getOperationAST(document, params.operationName ?? undefined)?.operation !== "query")
        return undefined;
      const contextValue = await enveloped.contextFactory();
      const result = (await enveloped.execute({
        schema: enveloped.schema,
        document,
        contextValue,
        variableValues: params.variables,
        operationName: params.operationName,
      })) as ExecutionResult;
      const streamed =
        typeof (result as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] ===
        "function";
      // its operation finished once its answer is written (limits.ts finishWhenAnswered): Yoga's
      // onResponse, which would, never comes for an answer written here
      if (streamed) {
        finishAnswered(request);
        return undefined;
      }
      let written: ReturnType<typeof deliver>;
      try {
        written = deliver(result);
      } catch (error) {
        finishAnswered(request);
        throw error;
      }
      // handed to Yoga (an answer with errors): its operation is finished once Yoga has made the
      // answer (limits.ts finishWhenAnswered), over several turns when it is long; written here
      // in slices, once written
      if (written instanceof Promise)
        return written
          .catch((error: unknown) => {
            // a long answer made in slices ran out of time (or lost its client) before anything
            // was sent: answered as an execution stopped by its deadline, as direct.ts does.
            // Uncaught, it was a 500 (red team 6's 30 aliases of `_entities` in subgraph mode,
            // whose 1.4 MB answer was still being made when the 5 s limit passed)
            const deadline = slicesOf(result.data);
            if (!(error instanceof DeadlineExceededError) || !deadline) throw error;
            return deliver({ errors: [stoppedError(deadline)] });
          })
          .finally(() => finishAnswered(request));
      // handed to Yoga, its answer is made already unless it is long (Yoga's second pass writes it
      // in this deadline's slices): what graphql-js still resolves of it stops now, not a turn
      // after the answer (review 26, f2: 1,649-2,325 fields)
      if (written !== undefined || !slicesOf(result.data)) finishAnswered(request);
      return written;
    },
    handOver,
  );
}

/** Point 4 through the direct pipeline (direct.ts). */
export function answerDirect(
  pipeline: DirectPipeline,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  handOver: (result: ExecutionResult) => void,
): Promise<string | undefined> {
  return answerPlain(
    req,
    res,
    body,
    (params, deliver) => pipeline.run(params, deliver, { req, res }),
    handOver,
  );
}

/**
 * Sends a result without errors as Yoga would, or hands one with errors (or extensions) to Yoga.
 * A long answer (marked so as it was weighed: limits.ts `answerable`) is made in its request's
 * slices (answer-json.ts), then sent as one.
 */
function sendResult(
  res: ServerResponse,
  answerType: string,
  params: Params,
  result: ExecutionResult,
  handOver: (result: ExecutionResult) => void,
): string | undefined | Promise<string | undefined> {
  // its client went away (client-gone.ts): nothing to write, nor to hand to Yoga
  if (res.destroyed) return "";
  if (result.errors?.length || result.extensions !== undefined) {
    handOver(result);
    return undefined;
  }
  const slices = slicesOf(result.data);
  if (slices)
    return slicedJson(result, slices).then((body) => writeAnswer(res, answerType, params, body));
  // encoded once: its length is the buffer's (Buffer.byteLength would scan the text a second
  // time, a few percent of a frontend request's CPU), and the buffer is what is sent and kept
  return writeAnswer(res, answerType, params, Buffer.from(JSON.stringify(result)));
}

function writeAnswer(res: ServerResponse, answerType: string, params: Params, body: Buffer) {
  res.writeHead(200, {
    "Content-Type": `${answerType}; charset=utf-8`,
    "content-length": body.length,
  });
  res.end(body);
  return operationNameOf(params) ?? "";
}
