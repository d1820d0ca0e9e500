/**
 * Answers with errors, made as Yoga makes them (status, headers and bytes) for a fraction of
 * the cost per error.
 *
 * Yoga's regular result processor (`processRegularResult`) leaves out the errors' internal
 * extensions (`http`, `unexpected`) by rebuilding every error twice, the error and its
 * `originalError`, before `JSON.stringify`: each rebuild is a GraphQLError, which captures a
 * stack trace, and the outer one copies the inner one's `stack`, which formats it (through source
 * maps under tsx). With the errors made by the resolver and by graphql-js, about 100 µs per error:
 * a batch of ten `nodes(ids:)` of 1,000 malformed ids each (a 90 KB request) held the event loop
 * for over a second, all of it in one turn (bench/RESULTS.md, "Errors by the thousand").
 *
 * Here each error's JSON is made from the error itself: its message, locations and path as they
 * are, and its extensions as its `toJSON` gives them without the same keys (or, when none are
 * left, its `originalError`'s, as GraphQLError's constructor falls back to them); the status and
 * headers by Yoga's rules. A result without errors or `http` extensions is left to Yoga's
 * processor: there it costs nothing more. tests/server/answers.test.ts holds this to Yoga's
 * processor, answer for answer, and the media type chosen to Yoga's choice.
 *
 * Where Yoga would answer otherwise, for errors this server never makes: an error whose
 * `locations` were changed after it was made (Yoga's rebuild works them out again from its
 * nodes, source and positions), and an `originalError` that is a plain object shaped like a
 * GraphQLError (Yoga makes one of it).
 *
 * A long answer (answer-json.ts) is made here too, in its request's slices, and written by
 * stand-ins for each of Yoga's processors (regular, event stream, multipart) from its bytes as
 * made, a piece at a time: Yoga's take a text and encode it all at once.
 */
import type { ServerResponse } from "node:http";
import { GraphQLError } from "graphql";
import { getSSEProcessor, type Plugin, processRegularResult } from "graphql-yoga";
import { DeadlineExceededError } from "../graph/deadline.js";
import { joinedInSlices, slicedPieces, slicesOf } from "./answer-json.js";
import type { Config } from "./config.js";
import { stoppedError } from "./limits.js";
import { holdsBody } from "./unsent.js";

type Result = Parameters<typeof processRegularResult>[0];
type FetchAPI = Parameters<typeof processRegularResult>[1];
type Extensions = Record<string, unknown>;

interface HttpExtension {
  status?: number;
  headers?: Record<string, string>;
  spec?: boolean;
}

const isObject = (value: unknown): value is Extensions =>
  typeof value === "object" && value !== null;

/** `extensions` without Yoga's internal keys, or undefined when nothing else is left. */
function withoutInternals(extensions: unknown): Extensions | undefined {
  if (!isObject(extensions)) return undefined;
  const { http: _http, unexpected: _unexpected, ...rest } = extensions;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/**
 * The extensions Yoga's rebuilt error ends up with: its own without the internal keys, or, when
 * none are left, those of its `originalError` as rebuilt (GraphQLError's constructor falls back
 * to the original's extensions).
 */
function answeredExtensions(error: GraphQLError): Extensions | undefined {
  // from toJSON, as Yoga reads them (a subclass may give others than its `extensions`)
  const serialized = typeof error.toJSON === "function" ? error.toJSON() : error;
  const own = withoutInternals(serialized.extensions);
  if (own !== undefined) return own;
  const original = error.originalError as unknown;
  if (original instanceof GraphQLError) return answeredExtensions(original);
  const extensions = isObject(original) ? original.extensions : undefined;
  return isObject(extensions) ? extensions : undefined;
}

/** What Yoga's answer says of `error` (what its rebuilt error's `toJSON` gives). */
export function answeredError(error: unknown): unknown {
  if (!(error instanceof GraphQLError)) return error;
  const json: Extensions = { message: error.message };
  if (error.locations != null) json.locations = error.locations;
  if (error.path != null) json.path = error.path;
  const extensions = answeredExtensions(error);
  if (extensions !== undefined && Object.keys(extensions).length > 0) json.extensions = extensions;
  return json;
}

/** One result's JSON text, as Yoga's `jsonStringifyResultWithoutInternals` writes it. */
function resultText(result: Extensions): string {
  const stringify =
    (result as { stringify?: (value: unknown) => string }).stringify || JSON.stringify;
  return stringify(answeredResult(result));
}

/** What Yoga writes of `result`: without its errors' internals and its `http` extensions. */
function answeredResult(result: Extensions): Extensions {
  const errors = result.errors as unknown[] | undefined;
  const extensions = result.extensions as Extensions | undefined;
  if (!errors?.length && !extensions?.http) return result;
  const answered: Extensions = { ...result };
  if (answered.errors) answered.errors = errors!.map(answeredError);
  if (answered.extensions) {
    const { http: _http, ...rest } = extensions!;
    answered.extensions = Object.keys(rest).length > 0 ? rest : undefined;
  }
  return answered;
}

/** Whether `error` is a GraphQLError all the way down its `originalError`s (Yoga's isOriginalGraphQLError). */
function isOriginal(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError == null ? true : isOriginal(error.originalError);
}

/** The status and headers Yoga gives `result` (its getResponseInitByRespectingErrors), but for a request that is not well-formed (below). */
function responseInit(
  result: Extensions,
  headers: Record<string, string>,
  isApplicationJson: boolean,
): { status: number; headers: Record<string, string> } {
  let status: number | undefined;
  let unexpected = false;
  const http = (result.extensions as Extensions | undefined)?.http as HttpExtension | undefined;
  if (http) {
    if (http.headers) Object.assign(headers, http.headers);
    if (http.status) status = http.status;
  }
  const errors = result.errors as GraphQLError[] | undefined;
  if (errors?.length) {
    for (const error of errors) {
      const errorHttp = error.extensions?.http as HttpExtension | undefined;
      if (errorHttp) {
        if (errorHttp.headers) Object.assign(headers, errorHttp.headers);
        // Yoga marks `spec` the errors whose status GraphQL over HTTP leaves at 200 in
        // application/json (a document that does not parse or validate), and also those of a
        // request that is not well-formed (BAD_REQUEST: no query, parameters that are not an
        // object), which it answers 400 in either media type, as every other refused parameter
        // is here: a request with no query got 200 in application/json, curl's default
        if (isApplicationJson && errorHttp.spec && error.extensions?.code !== "BAD_REQUEST")
          continue;
        if (errorHttp.status && (!status || errorHttp.status > status)) status = errorHttp.status;
      } else if (!isOriginal(error) || error.extensions?.unexpected) {
        unexpected = true;
      }
    }
  } else {
    status ||= 200;
  }
  if (!status) status = unexpected && !("data" in result) ? 500 : 200;
  return { status, headers };
}

/**
 * Yoga's regular processor, but for a result with errors, answered at the cost of its JSON; and
 * for a long one (writtenInSlices), whose bytes were made beforehand.
 */
export function processAnswer(result: Result, fetchAPI: FetchAPI, acceptedMediaType: string) {
  const single = !Array.isArray(result) && isObject(result) ? (result as Extensions) : undefined;
  const items = Array.isArray(result) ? (result as Extensions[]) : single ? [single] : [];
  const costly = items.some(
    (item) =>
      (item.errors as unknown[] | undefined)?.length ||
      (item.extensions as Extensions | undefined)?.http,
  );
  const long = items.some((item) => isObject(item) && madeBeforehand.has(item));
  if (!costly && !long) return processRegularResult(result, fetchAPI, acceptedMediaType);
  const errors = single?.errors as unknown[] | undefined;
  // Yoga prefers 200 for application/json when every error is a GraphQL error of the request's
  // own making (regular.js)
  const preferOk =
    acceptedMediaType === "application/json" &&
    single !== undefined &&
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.some((error) => error instanceof GraphQLError) &&
    errors.some((error) => {
      const original = (error as GraphQLError | null)?.extensions?.originalError;
      return !original || original instanceof GraphQLError;
    });
  const init = responseInit(
    single ?? {},
    { "Content-Type": `${acceptedMediaType}; charset=utf-8` },
    preferOk,
  );
  // a long one's bytes, joined over several turns (as the direct path's), never its text: Yoga's
  // Response measures a text's UTF-8 length and the HTTP cache encodes it, each over all of it
  // at once (16 MB: 100 ms)
  if (long)
    return joinedInSlices(answerPieces(result)).then((body) => new fetchAPI.Response(body, init));
  const body = single
    ? resultText(single)
    : `[${(result as Extensions[]).map(resultText).join(",")}]`;
  return new fetchAPI.Response(body, init);
}

type Bytes = Buffer<ArrayBuffer>;
const bytes = (text: string): Bytes => Buffer.from(text);
const [OPEN, COMMA, CLOSE] = ["[", ",", "]"].map(bytes) as [Bytes, Bytes, Bytes];

/**
 * The UTF-8 JSON of each long result (writtenInSlices), made beforehand in its operation's
 * slices, in its batches of about 64 KB.
 */
const madeBeforehand = new WeakMap<object, Bytes[]>();

/**
 * `result` (one, or a batch's) with the JSON of each long one (answer-json.ts `slicesOf`: past
 * SLICED_ANSWER_BYTES as weighed) made in its operation's slices beforehand, as the direct path
 * makes it, as UTF-8 in pieces; then its operation finished. This file's processors write those
 * pieces where Yoga's would write the text (`processAnswer`, `processEventStream`,
 * `processMultipart`): Yoga's encode it, or measure it, all at once. The text is still the
 * result's own `stringify` (which Yoga's processors call instead of `JSON.stringify`), for any
 * other processor. One that runs out of time meanwhile is answered its EXECUTION_TIMEOUT instead,
 * alone or at its place in the batch (CLIENT_GONE, which nobody reads, when its client went
 * away). Undefined when none is long.
 */
export function writtenInSlices(result: unknown): Promise<unknown> | undefined {
  const items = Array.isArray(result) ? result : isObject(result) ? [result] : [];
  if (!items.some(isLong)) return undefined;
  const written = Promise.all(
    items.map(async (item: Extensions) => {
      if (!isLong(item)) return item;
      const deadline = slicesOf(item.data)!;
      try {
        const pieces = await slicedPieces(answeredResult(item), deadline);
        const made = { ...item, stringify: () => Buffer.concat(pieces).toString() };
        madeBeforehand.set(made, pieces);
        return made;
      } catch (error) {
        if (!(error instanceof DeadlineExceededError)) throw error;
        return { errors: [stoppedError(deadline)] };
      } finally {
        deadline.finish();
      }
    }),
  );
  return Array.isArray(result) ? written : written.then(([single]) => single);
}

/** One result's JSON in pieces: those made beforehand when it is long, else its text's bytes. */
const piecesOf = (item: Extensions): Bytes[] =>
  madeBeforehand.get(item) ?? [bytes(resultText(item))];

/** The bytes of `pieces` in all. */
const lengthOf = (pieces: readonly Bytes[]): number =>
  pieces.reduce((sum, piece) => sum + piece.length, 0);

/** The JSON of `result` (one, or a batch's) in pieces, as Yoga's processors write its text. */
function answerPieces(result: unknown): Bytes[] {
  if (!Array.isArray(result)) return piecesOf(result as Extensions);
  const pieces = [OPEN];
  for (const [i, item] of (result as Extensions[]).entries()) {
    if (i > 0) pieces.push(COMMA);
    for (const piece of piecesOf(item)) pieces.push(piece);
  }
  pieces.push(CLOSE);
  return pieces;
}

/**
 * A body of `first`, then `parts` one at a time, each as the client takes the one before (a pull
 * of the stream), so that no part is joined to the others: Yoga's fetch API joins what is
 * enqueued together into one buffer before it writes it. What the parts not yet taken hold is
 * counted towards the server's unsent answers (`holdsBody`, unsent.ts) as `res`'s: a client that
 * never reads would otherwise hold 16 MB here that no limit saw (red team 5: 100 connections
 * asking event streams held 1.6 GB, the limit counting 18 MB). `partsLength` is the bytes of
 * `parts`, given by the caller, which may have summed most of them already (processMultipart,
 * for its Content-Length).
 */
function piecewise(
  fetchAPI: FetchAPI,
  first: Bytes,
  parts: Bytes[],
  partsLength: number,
  res: ServerResponse | undefined,
) {
  let next = 0;
  let held = first.length + partsLength;
  if (res !== undefined) holdsBody(res, () => held);
  return new fetchAPI.ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(first);
      held -= first.length;
    },
    pull(controller) {
      const part = parts[next];
      if (part !== undefined) {
        controller.enqueue(part);
        held -= part.length;
      }
      next++;
      if (next >= parts.length) controller.close();
    },
    cancel() {
      parts.length = 0;
      held = 0;
    },
  });
}

/**
 * Yoga's event stream processor (its sse.js) for a long result (written by writtenInSlices): the
 * same status, headers and bytes, the JSON sent a piece at a time. Yoga's encodes all of its
 * `data:` line at once: 16 MB held the event loop 100-140 ms. Yoga pings (`:`) every 12 s while
 * its stream is open, which only a client that takes the answer slowly could see between the two
 * events: not here, where a ping could fall inside the `data:` line being sent.
 */
export function processEventStream(result: Result, fetchAPI: FetchAPI, res?: ServerResponse) {
  const init = responseInit(
    result as Extensions,
    {
      "Content-Type": "text/event-stream",
      Connection: "keep-alive",
      "Cache-Control": "no-cache",
      "Content-Encoding": "none",
    },
    true,
  );
  const parts = [
    bytes("event: next\ndata: "),
    ...answerPieces(result),
    bytes("\n\nevent: complete\ndata:\n\n"),
  ];
  const body = piecewise(fetchAPI, bytes(":\n\n"), parts, lengthOf(parts), res);
  return new fetchAPI.Response(body, init);
}

/**
 * Yoga's multipart processor (its multipart.js) for a long result (written by writtenInSlices):
 * the same status, headers and bytes, the JSON sent a piece at a time. Yoga's encodes all of it
 * at once (16 MB held the event loop about 100 ms); its length is the pieces'.
 */
export function processMultipart(result: Result, fetchAPI: FetchAPI, res?: ServerResponse) {
  const init = responseInit(
    result as Extensions,
    {
      Connection: "keep-alive",
      "Content-Type": 'multipart/mixed; boundary="-"',
      "Transfer-Encoding": "chunked",
    },
    false,
  );
  const json = answerPieces(result);
  const length = lengthOf(json);
  const head = bytes(
    `\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${length}\r\n\r\n`,
  );
  const tail = bytes("\r\n-----\r\n");
  const parts = [head, ...json, tail];
  const body = piecewise(
    fetchAPI,
    bytes("\r\n---"),
    parts,
    head.length + length + tail.length,
    res,
  );
  return new fetchAPI.Response(body, init);
}

/**
 * This file's stand-ins for Yoga's stream processors, by their names: Yoga exports neither
 * function (its event stream's is made anew for each server), only how to make the first.
 */
const STREAM_PROCESSORS = new Map<string, [typeof processEventStream, string]>([
  [getSSEProcessor().name, [processEventStream, "text/event-stream"]],
  ["processMultipartResult", [processMultipart, "multipart/mixed"]],
]);

/** A result whose JSON is long and is not written by a serializer of its own. */
const isLong = (item: Extensions) => !item.stringify && slicesOf(item.data) !== undefined;

/** The media types of the request's Accept header that Yoga considers, last first (its accept.js). */
function acceptedInOrder(request: Request): string[] {
  const types: string[] = [];
  for (const accept of (request.headers.get("accept") || "*/*")
    .replace(/\s/g, "")
    .toLowerCase()
    .split(",")) {
    const [type, ...params] = accept.split(";");
    if (type === undefined) continue;
    const charset = params.find((param) => param.includes("charset=")) ?? "charset=utf-8";
    if (charset === "charset=utf-8") types.push(type);
  }
  return types.reverse();
}

const matches = (offered: string, asked: string) => {
  const [offeredType, offeredSub] = offered.split("/");
  const [askedType, askedSub] = asked.split("/");
  return (
    (askedType === "*" || askedType === offeredType) &&
    (askedSub === "*" || askedSub === offeredSub)
  );
};

/**
 * The media type Yoga's result processors chose for a regular answer to `request`: of its two
 * types, the last to match in the order Yoga goes through them (use-result-processor.js).
 */
export function regularMediaType(request: Request): string | undefined {
  let chosen: string | undefined;
  for (const asked of acceptedInOrder(request))
    for (const offered of ["application/graphql-response+json", "application/json"])
      if (matches(offered, asked)) chosen = offered;
  return chosen;
}

/**
 * The methods /graphql answers, as its refusals' `Allow` says them: OPTIONS too while CORS is on,
 * when a preflight is answered 204 (it said `GET, HEAD, POST` then too, and a client that read
 * the header was told an OPTIONS it had just been answered was not allowed); with CORS off an
 * OPTIONS is refused 405 with the rest.
 */
export function graphqlMethods(cors: Config["cors"]): string {
  return cors === "none" ? "GET, HEAD, POST" : "GET, HEAD, POST, OPTIONS";
}

/**
 * Answers that Yoga's regular processor would make are made by `processAnswer`. Runs after
 * Yoga's own choice (its result processors come before the app's plugins): it takes over only
 * where Yoga chose the regular processor, with the media type Yoga chose. `allow` is what
 * /graphql's refusals say it answers (`graphqlMethods`; by default, that of the default setting).
 */
export function answersPlugin({ allow = graphqlMethods("*") }: { allow?: string } = {}): Plugin {
  return {
    onResultProcess({
      request,
      result,
      setResult,
      resultProcessor,
      setResultProcessor,
      serverContext,
    }) {
      if (resultProcessor === processRegularResult) {
        const mediaType = regularMediaType(request);
        if (mediaType !== undefined) setResultProcessor(processAnswer as never, mediaType);
      }
      // a long answer (of any processor: none chosen, a 406, makes nothing of it)
      if (resultProcessor === undefined) return;
      const stream = STREAM_PROCESSORS.get(resultProcessor.name);
      return writtenInSlices(result)?.then((written) => {
        setResult(written as never);
        // the node response it is written to (Yoga's node adapter's server context), whose unsent
        // bytes the pieces held count in
        const res = (serverContext as { res?: ServerResponse } | undefined)?.res;
        if (stream)
          setResultProcessor(
            ((result: Result, fetchAPI: FetchAPI) => stream[0](result, fetchAPI, res)) as never,
            stream[1],
          );
      });
    },
    onResponse({ response }) {
      // Yoga's event streams say `Content-Encoding: none`, which is no coding (RFC 9110 knows
      // `identity`, and says to leave it out): a strict client or proxy may refuse the stream
      if (response.headers.get("content-encoding") === "none")
        response.headers.delete("content-encoding");
      // Yoga's refusals of a request's parameters (no query, a query that is not a string) say
      // `Allow: GET, POST`, which leaves out the HEAD /graphql answers (app.ts's route)
      // (the endpoints' own 405s, /health's `GET, HEAD`, are left as they are)
      // (deleted first: the fetch ponyfill's `set` keeps a header given in another case, `Allow`,
      // beside the one it sets; node's response took the last, other adapters would send both)
      if (response.headers.get("allow") === "GET, POST") {
        response.headers.delete("allow");
        response.headers.set("allow", allow);
      }
    },
  };
}
