/**
 * The bytes an answer's errors may take, in proportion to the request's (red team 38, F2). Each
 * limit on errors bounds their number (100 per operation, for validation and for execution, 10
 * operations a batch), not their size, and an error says much more than what caused it: a message
 * naming every level of two fields that conflict, with 20 locations, from a few characters of the
 * document; an example key, or the list of every entity type, for a malformed id or
 * representation. Answers of errors ran to 50-94 times their request: a batch of 27 KB was
 * answered with 1.9 MB, 100 `_entities` representations `1` (293 bytes) with 27.6 KB.
 *
 * Now the errors of a request's answers (every operation's of a batch, in order) take at most the
 * larger of `KZ_OSCE_MAX_ERROR_BYTES` (32 KiB) and ten times the request's own bytes (its body
 * and its URL): past it, each operation keeps each field's first error (up to FIRSTS_PAST_BUDGET),
 * then others while they fit, and one more, TOO_MANY_ERRORS, says how many were left out. An
 * operation's 100 errors of an ordinary size fit the floor (100 malformed ids: 27.9 KB); what is
 * cut is mostly the same message again.
 *
 * Run on every answer Yoga makes (onResultProcess), whatever its media type, after every error of
 * it is made, masked and cut to the error limit (limits.ts `withErrorsCut`); the direct path
 * (direct.ts) hands Yoga every answer with an error, so every answer with errors comes here. A
 * stream's results (an event stream of a subscription) are not cut: the API has none.
 */
import type { IncomingMessage } from "node:http";
import { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";
import { userError } from "../schema/errors.js";
import { answeredError } from "./answers.js";
import { KEPT_FIRST, preferred } from "./error-order.js";

/**
 * The most first errors of fields (error-order.ts `preferred`) an operation keeps past the bytes
 * its errors may take: as many as the aliases a document may have by default (30).
 */
export const FIRSTS_PAST_BUDGET = 30;

/** How many bytes of errors a request may be answered with, per byte of its own. */
export const ERROR_BYTES_PER_REQUEST_BYTE = 10;

/** The bytes a request's answers' errors may take: `floor`, or ten times the request's when more. */
export function errorBytesBudget(requestBytes: number, floor: number): number {
  return Math.max(floor, ERROR_BYTES_PER_REQUEST_BYTE * requestBytes);
}

/**
 * The bytes `request` came with: its URL (a GET's document and variables), and its body as read
 * (shortcut.ts hands Yoga's node adapter the body already read, with its length; none for a
 * request whose body is not read), or as its Content-Length says when Yoga is called without
 * node's request (`yoga.fetch`).
 */
export function requestBytesOf(request: Request, serverContext: unknown): number {
  const req = (serverContext as { req?: IncomingMessage } | undefined)?.req;
  if (req !== undefined) {
    const body = (req as { body?: { length?: unknown } }).body?.length;
    // a body not read (a GET's, a HEAD's: the shortcut reads none, and Yoga ignores it) counts
    // nothing: its Content-Length is only what the client says (review 40: a GET saying
    // `Content-Length: 100000000` lifted its budget to 1 GB, and was answered its 95 KB of errors)
    return (req.url?.length ?? 0) + (typeof body === "number" ? body : 0);
  }
  return request.url.length + declaredBytes(request.headers.get("content-length"));
}

/** A Content-Length's bytes; 0 for none. */
function declaredBytes(header: string | null | undefined): number {
  const bytes = Number(header ?? 0);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : 0;
}

interface Answer {
  errors?: readonly unknown[];
}

/**
 * graphql-js's notices that it stopped at its limit of errors (100: validation's, and the
 * variables' coercion's), by their words: they carry nothing else that tells them apart.
 */
const STOPPED_NOTICES = new Set([
  "Too many validation errors, error limit reached. Validation aborted.",
  "Too many errors processing variables, error limit reached. Execution aborted.",
]);

function isStoppedNotice(error: unknown): boolean {
  return STOPPED_NOTICES.has((error as { message?: unknown } | null)?.message as string);
}

/** Whether `error` is a TOO_MANY_ERRORS of the error limit (limits.ts `withErrorsCut`), and what it left out. */
function omittedBy(error: unknown): number | undefined {
  const extensions = (error as GraphQLError | undefined)?.extensions;
  return error instanceof GraphQLError &&
    extensions?.code === "TOO_MANY_ERRORS" &&
    typeof extensions.omitted === "number"
    ? extensions.omitted
    : undefined;
}

/** The UTF-8 bytes `error` takes in an answer, as answers.ts writes it, and its comma. */
function bytesOf(error: unknown): number {
  return Buffer.byteLength(JSON.stringify(answeredError(error)) ?? "") + 1;
}

/**
 * What the errors left out said of the answer's status and headers, for the TOO_MANY_ERRORS that
 * stands for them: their `extensions.http` (its highest status, every header; `spec` only when
 * each was) and `unexpected`, which no answer shows (answers.ts leaves them out) but its status is
 * made of. Without it, a SNAPSHOT_UNREADABLE past the budget, 503 with Retry-After, was answered
 * 200 without the header (review 40).
 */
function saidFor(left: readonly unknown[]): { http?: HttpSaid; unexpected?: true } {
  let http: HttpSaid | undefined;
  let unexpected = false;
  for (const error of left) {
    const extensions = (error as GraphQLError | undefined)?.extensions;
    const said = extensions?.http as HttpSaid | undefined;
    if (said) {
      http ??= { headers: {}, spec: true };
      Object.assign(http.headers!, said.headers);
      if (said.status && (!http.status || said.status > http.status)) http.status = said.status;
      if (!said.spec || extensions?.code === "BAD_REQUEST") http.spec = false;
    } else if (extensions?.unexpected || !(error instanceof GraphQLError)) unexpected = true;
  }
  return { ...(http && { http }), ...(unexpected && { unexpected: true as const }) };
}

interface HttpSaid {
  status?: number;
  headers?: Record<string, string>;
  spec?: boolean;
}

/**
 * `result` (one answer, or a batch's) with its errors cut to `budget` bytes in all, in order: an
 * operation whose errors reach past it keeps each field's first error (error-order.ts `preferred`),
 * then others while they fit, and one more, TOO_MANY_ERRORS, which counts the rest (and those the
 * error limit left out before). Answers within it are returned as they are (the same objects).
 */
export function withErrorBytesCut<R>(result: R, budget: number): R {
  if (Array.isArray(result)) {
    const used = { bytes: 0 };
    let changed = false;
    const cut = result.map((answer) => {
      const next = cutAnswer(answer, budget, used);
      if (next !== answer) changed = true;
      return next;
    });
    return (changed ? cut : result) as R;
  }
  return cutAnswer(result, budget, { bytes: 0 });
}

function cutAnswer<A>(answer: A, budget: number, used: { bytes: number }): A {
  const errors = (answer as Answer | null | undefined)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return answer;
  const sizes = errors.map(bytesOf);
  let all = 0;
  for (const bytes of sizes) {
    all += bytes;
    if (used.bytes + all > budget) break;
  }
  // within the budget, or one error alone, which is kept however long
  if (used.bytes + all <= budget || errors.length === 1) {
    used.bytes += all;
    return answer;
  }
  // the error limit's TOO_MANY_ERRORS, last, is replaced: its count goes into this one's
  const before = omittedBy(errors[errors.length - 1]) ?? 0;
  const candidates = before > 0 ? errors.slice(0, -1) : errors;
  // each field's first error whatever the bytes (up to FIRSTS_PAST_BUDGET of them past it), then
  // others while they fit (error-order.ts), answered in the order they came: the budget spent by
  // a batch's first operations, a later one kept only its first error, and its other fields'
  // nulls came with none (red team 54, F3). Fragments repeat fields without bytes (review 54):
  // the firsts past the budget are bounded by number, not by the document's size.
  const kept = candidates.map(() => false);
  const order = preferred(candidates);
  let past = 0;
  for (const [rank, index] of order.entries()) {
    if (used.bytes + sizes[index]! > budget) {
      if (rank >= order.firsts || past >= FIRSTS_PAST_BUDGET) break;
      past++;
    }
    used.bytes += sizes[index]!;
    kept[index] = true;
  }
  // graphql-js's notice that it stopped at its own limit is not an error of the request's, and
  // says that there were more than it found (review 40 f5: it was counted as one left out)
  const left = candidates.filter((_, index) => !kept[index]);
  const stopped = left.some(isStoppedNotice);
  const omitted = left.length - (stopped ? 1 : 0) + before;
  const said = userError(
    `${omitted} more error${omitted === 1 ? "" : "s"} left out${stopped ? ", and graphql-js stopped looking at its limit of 100, so there may be more" : ""}: the errors of a request's answers take at most ${budget} bytes beside the first error of each field (up to ${FIRSTS_PAST_BUDGET} an operation) and these notices (the error size limit: KZ_OSCE_MAX_ERROR_BYTES, or ${ERROR_BYTES_PER_REQUEST_BYTE} times the request's bytes when more). ` +
      `Mend what the errors above say (${KEPT_FIRST}) and ask again.`,
    {
      extensions: {
        code: "TOO_MANY_ERRORS",
        limitBytes: budget,
        omitted,
        ...saidFor(left),
      },
    },
  );
  used.bytes += bytesOf(said);
  return { ...answer, errors: [...candidates.filter((_, index) => kept[index]), said] };
}

/** `withErrorBytesCut` on every answer Yoga makes, with the request's budget (`errorBytesBudget`). */
export function errorBytesPlugin(floor: number): Plugin {
  return {
    onResultProcess({ request, result, setResult, serverContext }) {
      if (!Array.isArray(result) && !(result as Answer | null)?.errors?.length) return;
      const budget = errorBytesBudget(requestBytesOf(request, serverContext), floor);
      const cut = withErrorBytesCut(result, budget);
      if (cut !== result) setResult(cut);
    },
  };
}
