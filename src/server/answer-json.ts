/**
 * A long answer's JSON made in pieces, between which its request gives the event loop back.
 *
 * `JSON.stringify` of a page of source texts (9 MB at 100,000 entities) holds the loop 15-20 ms,
 * and its UTF-8 encoding 12 more, in one go: every other client waits. Here the answer is
 * written as `JSON.stringify` writes it, byte for byte, but a list's items a few at a time (each
 * whole: an item is a node of a page, small next to the page), encoded a batch of about 64 KB at
 * a time, and the request's deadline is asked after each batch whether its slice is used
 * (Deadline.pause): a long answer is written over several turns, as its execution ran.
 *
 * The shortcut's direct path writes answers so (shortcut.ts `sendResult`), and Yoga's (answers.ts:
 * GET, batches, answers with errors, event streams, multipart), only those the size walk found
 * longer than SLICED_ANSWER_BYTES: a short answer is one `JSON.stringify`. Either way the bytes are
 * what is handed on, never the text: encoding 16 MB of text at once is the stall avoided here.
 */
import type { Deadline } from "../graph/deadline.js";

/** Answers longer than this (bytes, as the size walk counts them) are written in pieces. */
export const SLICED_ANSWER_BYTES = 1 << 20;

/**
 * The `data` of answers Yoga writes (GET, batches, event streams...: answers.ts) that the size
 * walk found longer than SLICED_ANSWER_BYTES, with the deadline of the operation they are written
 * in the slices of (limits.ts marks them as it weighs them).
 */
const longAnswers = new WeakMap<object, Deadline>();

/** `data` is long: its answer is to be written in `deadline`'s slices. */
export function writeInSlices(data: object, deadline: Deadline): void {
  longAnswers.set(data, deadline);
}

/** The deadline in whose slices the answer of `data` is to be written, if it is long. */
export function slicesOf(data: unknown): Deadline | undefined {
  return typeof data === "object" && data !== null ? longAnswers.get(data) : undefined;
}

/** Characters of JSON encoded at a time, between two checks of the deadline. */
const BATCH_CHARS = 1 << 16;

/** Items of a list stringified together at most, and the piece lengths the group is sized by. */
const MAX_GROUP = 1024;
const SMALL_PIECE = 4096;
const LARGE_PIECE = 16_384;

/**
 * The JSON of `value` in pieces whose concatenation is `JSON.stringify(value)`: plain objects
 * (what execution makes, with no `toJSON`) are descended into; a list's items are stringified
 * whole, a few together while they are short (one yield per item of a page of 30,000 small
 * items cost twice `JSON.stringify`), one at a time when they are long; anything else (a `Date`
 * or a JSON value a scalar might give, a boxed primitive) is stringified whole, as `JSON.stringify`
 * would write it.
 */
export function* jsonPieces(value: unknown): Generator<string, void, undefined> {
  if (Array.isArray(value)) {
    yield "[";
    let group = 1;
    for (let i = 0; i < value.length; ) {
      const end = Math.min(value.length, i + group);
      // the items from i to end, as JSON.stringify writes them inside a list (undefined: null)
      const piece =
        end - i === 1
          ? (JSON.stringify(value[i]) ?? "null")
          : JSON.stringify(value.slice(i, end)).slice(1, -1);
      yield i > 0 ? `,${piece}` : piece;
      if (piece.length < SMALL_PIECE && group < MAX_GROUP) group *= 2;
      else if (piece.length > LARGE_PIECE && group > 1) group >>= 1;
      i = end;
    }
    yield "]";
    return;
  }
  if (!isPlainObject(value)) {
    yield JSON.stringify(value) ?? "null";
    return;
  }
  yield "{";
  let first = true;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const field = value[key];
    // as JSON.stringify leaves out a property it cannot write
    if (field === undefined || typeof field === "function" || typeof field === "symbol") continue;
    yield `${first ? "" : ","}${JSON.stringify(key)}:`;
    first = false;
    yield* jsonPieces(field);
  }
  yield "}";
}

/** An object JSON.stringify writes field by field: no prototype or Object's, and no toJSON. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value);
  return (
    (prototype === null || prototype === Object.prototype) &&
    typeof (value as { toJSON?: unknown }).toJSON !== "function"
  );
}

/**
 * `value`'s JSON as UTF-8, made in batches of about 64 KB, giving the event loop back between
 * them whenever `deadline`'s slice is used, then joined in its slices too (joinedInSlices).
 * Rejects with DeadlineExceededError once the deadline has passed (nothing is written yet: the
 * caller answers the time limit's error instead).
 */
export async function slicedJson(value: unknown, deadline: Deadline): Promise<Buffer<ArrayBuffer>> {
  return joinedInSlices(await slicedPieces(value, deadline), deadline);
}

/**
 * `value`'s JSON as `slicedJson` makes it, left in its batches (about 64 KB each) for a writer
 * that sends them one by one (Yoga's event stream and multipart: answers.ts). Handing such a
 * writer the text instead had it encode all of it in one go: 16 MB held the loop 100-140 ms.
 */
export async function slicedPieces(
  value: unknown,
  deadline: Deadline,
): Promise<Buffer<ArrayBuffer>[]> {
  const pieces: Buffer<ArrayBuffer>[] = [];
  await inBatches(value, deadline, (batch) => {
    const bytes = Buffer.from(batch);
    pieces.push(bytes);
    return bytes.length;
  });
  return pieces;
}

/** Bytes copied between two turns when pieces are joined without a deadline. */
const JOIN_BYTES = 1 << 20;

/**
 * `pieces` in one buffer, copied a piece at a time, giving the event loop back whenever
 * `deadline`'s slice is used (without one, after each JOIN_BYTES). `Buffer.concat` copies them in
 * one go: a cheap copy, but into memory the process has not written yet, and on a virtual machine
 * each page's first write traps to the host: a 16 MB answer's join held the loop 50-100 ms there
 * (bench/results/2026-12-05-long-answer-paths.txt).
 */
export async function joinedInSlices(
  pieces: readonly Buffer<ArrayBuffer>[],
  deadline?: Deadline,
): Promise<Buffer<ArrayBuffer>> {
  if (pieces.length === 1) return pieces[0]!;
  let length = 0;
  for (const piece of pieces) length += piece.length;
  // not written, so not yet touched: each piece's copy touches its own part of it
  const joined = Buffer.allocUnsafe(length);
  let offset = 0;
  let sinceTurn = 0;
  for (const piece of pieces) {
    if (deadline) {
      // a unit of deadline work is 256 bytes copied (a few µs where the memory is new): a clock
      // read every 256 KB
      const work = piece.length >> 8;
      for (let turn = deadline.pause(work); turn; turn = deadline.pause(work)) await turn;
    } else if (sinceTurn >= JOIN_BYTES) {
      sinceTurn = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    piece.copy(joined, offset);
    offset += piece.length;
    sinceTurn += piece.length;
  }
  return joined;
}

/**
 * Hands `value`'s JSON to `take` in batches of about BATCH_CHARS characters (`take` answers
 * their size, which is charged to the deadline), pausing after each when the slice is used.
 */
async function inBatches(
  value: unknown,
  deadline: Deadline,
  take: (batch: string) => number,
): Promise<void> {
  let batch = "";
  for (const piece of jsonPieces(value)) {
    batch += piece;
    if (batch.length < BATCH_CHARS) continue;
    const size = take(batch);
    batch = "";
    // a unit of deadline work is about a simple test's time: 64 characters of JSON written
    const work = size >> 6;
    for (let turn = deadline.pause(work); turn; turn = deadline.pause(work)) await turn;
  }
  if (batch !== "") take(batch);
}
