/**
 * Partial dates of the knowledge graph, written in EDTF (ISO 8601-2, Library of Congress).
 *
 * The supported subset is deliberately small: a plain date of year, month or day precision
 * (`1992`, `2007-12`, `2010-06-21`) or an interval of two such dates, where either side may be
 * open (`..`: ongoing as of the source) or unknown (empty). Qualifiers (`?`, `~`, `%`),
 * unspecified digits (`X`), seasons, sets, lists, times and years outside 0000-9999 are rejected:
 * the source document never needs them, and every consumer would otherwise have to reason
 * about them.
 *
 * Within that subset the calendar work is small (the first and last day a year, month or day
 * covers) and done here: the `edtf` library's grammar took 170 µs per distinct date, the
 * largest part of loading a dataset of 100k entities. A test checks that every supported date
 * gets the same days as from `edtf` (tests/graph/dates.test.ts). Dates are never compared as
 * strings: comparisons go through day numbers (see `dayNumber`).
 */

export type Precision = "YEAR" | "MONTH" | "DAY";
/** KNOWN: a date is given; OPEN (`..`): still ongoing as of the source; UNKNOWN (empty): not given. */
export type BoundStatus = "KNOWN" | "OPEN" | "UNKNOWN";

/** One plain EDTF date. */
export interface DatePoint {
  edtf: string;
  precision: Precision;
  year: number;
  month: number | null;
  day: number | null;
  /** First day covered, YYYY-MM-DD. */
  earliest: string;
  /** Last day covered, YYYY-MM-DD. */
  latest: string;
}

export interface PartialDate {
  /** Normalised input, e.g. "2016-02-09/..". */
  edtf: string;
  isInterval: boolean;
  /** For a single date: the date itself; null when the start is open or unknown. */
  start: DatePoint | null;
  /** For a single date: the date itself; null when the end is open or unknown. */
  end: DatePoint | null;
  /** KNOWN for single dates. */
  startStatus: BoundStatus;
  endStatus: BoundStatus;
  /** Coarsest precision among the known bounds (a single date: its own). */
  precision: Precision;
  /** First day possibly covered; null when unbounded (open or unknown start). */
  earliest: string | null;
  /** Last day possibly covered; null when unbounded (open or unknown end). */
  latest: string | null;
  /**
   * Its first possible day is an event's, not its text's (`narrowed`): "2007, not before June 21"
   * came of what happened that day, and sorts after the dates of that day. So is an interval's
   * end taken as a date of its own (`dateOfPoint`) whose first day is its start's (the end of
   * `2011-09/2011`: not before September 1): it sorts after the start.
   */
  startBounded?: true;
}

export class EdtfError extends Error {
  override name = "EdtfError";
}

const PRECISIONS: readonly Precision[] = ["YEAR", "MONTH", "DAY"];
const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
/** A year before 0000 (`-0001`, `-0500-03`): what EDTF writes for 2 BCE and before. */
const NEGATIVE_YEAR = /^(-\d+)(?:-|$)/;
const DAY_MS = 86_400_000;

/** Why a single bound is not a supported date, or null if its shape is fine. */
function unsupported(text: string): string | null {
  if (text === "") return "empty string";
  if (/[?~%]/.test(text)) return "uncertainty/approximation qualifiers (?, ~, %) are not supported";
  if (/[[\]{}]/.test(text)) return "sets and lists ([...], {...}) are not supported";
  if (/X/i.test(text)) return "unspecified digits (X) are not supported";
  if (/T/i.test(text)) return "times are not supported, only dates";
  return null;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysInMonth = (y: number, m: number) =>
  m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

/** Parsed plain dates by their text (an interval's ends recur even more than whole dates). */
const parsedPoints = new Map<string, DatePoint | string>();

/**
 * The longest date text read: a valid date or interval is at most 21 characters
 * (`YYYY-MM-DD/YYYY-MM-DD`), with room for spaces around it. A longer text is refused at once,
 * unread (`parsePartialDate`), so that the caches of parsed dates (`parsedPoints`, `parsedDates`)
 * hold no long text either.
 *
 * The caches kept every text, bounded in entries alone: 30,000 requests of a distinct 95 KB `asOf`
 * grew the heap of a server to its limit, and it died (red team 51, F1). Kept out of the caches,
 * a long text was parsed once per parent of a field with a `date:` argument (`Office.nameOn` in
 * 30 aliases of 100 offices: 3,000 parses of 95 KB, 740-800 ms more than a short date: review
 * 51), and with the last one kept, two long texts in turn were parsed 2,000 times (8-10× the CPU
 * of short dates at the same price: red team 52, F2).
 */
const MAX_DATE_CHARS = 64;

/** Parses one plain date; returns an error message (without the input) on failure. */
function parsePoint(text: string): DatePoint | string {
  let point = parsedPoints.get(text);
  if (point === undefined) {
    point = parsePointUncached(text);
    if (typeof point !== "string") Object.freeze(point);
    // (a side of a text of MAX_DATE_CHARS at most: parsePartialDate refuses a longer one unread)
    if (parsedPoints.size >= MAX_PARSED_DATES) parsedPoints.clear();
    parsedPoints.set(text, point);
  }
  return point;
}

function parsePointUncached(text: string): DatePoint | string {
  const shape = unsupported(text);
  if (shape) return shape;
  const m = DATE.exec(text);
  if (!m) {
    // (valid EDTF, -0001 being 2 BCE, but outside the years supported: say so, not "expected YYYY")
    const negative = NEGATIVE_YEAR.exec(text);
    if (negative)
      return `year ${cut(negative[1]!)} is before 0000 (1 BCE): years before 0000 are not supported`;
    return "expected YYYY, YYYY-MM or YYYY-MM-DD";
  }
  const year = Number(m[1]);
  const month = m[2] === undefined ? null : Number(m[2]);
  const day = m[3] === undefined ? null : Number(m[3]);
  if (month !== null && month >= 21 && month <= 41 && day === null)
    return `${m[2]} is a season code; seasons are not supported`;
  if (month !== null && (month < 1 || month > 12)) return `month ${m[2]} is not between 01 and 12`;
  // (the `edtf` library accepts 2010-02-29 and silently rolls it to March: checked here)
  if (month !== null && day !== null && (day < 1 || day > daysInMonth(year, month)))
    return `day ${m[3]} does not exist in ${m[1]}-${m[2]}`;

  // the text is now YYYY, YYYY-MM or YYYY-MM-DD of a real day: it is its own normal form
  const mm = m[2] ?? "01";
  return {
    edtf: text,
    precision: day !== null ? "DAY" : month !== null ? "MONTH" : "YEAR",
    year,
    month,
    day,
    earliest: `${m[1]}-${mm}-${m[3] ?? "01"}`,
    latest:
      day !== null ? text : `${m[1]}-${m[2] ?? "12"}-${String(daysInMonth(year, month ?? 12))}`,
  };
}

/** Input as an error quotes it, cut as keys are (keys.ts `shown`): a 90 KB date in 30 aliases was echoed as 2.7 MB. */
const cut = (input: string) => (input.length > 80 ? `${input.slice(0, 80)}...` : input);

function fail(input: string, why: string): never {
  throw new EdtfError(`"${cut(input)}" is not a valid EDTF date: ${why}`);
}

/**
 * Parsed dates by their input. The same few thousand dates recur across a large dataset (and
 * `coverage` re-reads the horizon on every call), while the `edtf` grammar is slow: each distinct
 * string is parsed once. The results are frozen, as they are shared. Bounded: emptied when full.
 */
const parsedDates = new Map<string, PartialDate>();
const MAX_PARSED_DATES = 100_000;

/** Parses an EDTF date or interval of the supported subset; throws EdtfError otherwise. */
export function parsePartialDate(input: string): PartialDate {
  let parsed = parsedDates.get(input);
  if (parsed === undefined) {
    if (input.length > MAX_DATE_CHARS)
      fail(
        input,
        `it is ${input.length} characters long; a date or interval is at most ${MAX_DATE_CHARS}, spaces around it included`,
      );
    parses++;
    parsed = parseUncached(input);
    Object.freeze(parsed);
    if (parsedDates.size >= MAX_PARSED_DATES) parsedDates.clear();
    parsedDates.set(input, parsed);
  }
  return parsed;
}

/** How many texts were parsed, not found in `parsedDates` (for tests). */
let parses = 0;

/** What the caches of parsed dates hold: their entries, the characters of their keys, and how many texts were parsed (for tests). */
export function parsedDateCaches(): { entries: number; chars: number; parses: number } {
  let chars = 0;
  for (const key of parsedPoints.keys()) chars += key.length;
  for (const key of parsedDates.keys()) chars += key.length;
  return { entries: parsedPoints.size + parsedDates.size, chars, parses };
}

function parseUncached(input: string): PartialDate {
  const text = input.trim();
  const sides = text.split("/");
  if (sides.length > 2) fail(input, "at most one '/' is allowed");

  if (sides.length === 1) {
    const point = parsePoint(text);
    if (typeof point === "string") fail(input, point);
    return {
      edtf: point.edtf,
      isInterval: false,
      start: point,
      end: point,
      startStatus: "KNOWN",
      endStatus: "KNOWN",
      precision: point.precision,
      earliest: point.earliest,
      latest: point.latest,
    };
  }

  // Bounds are parsed one by one rather than by `edtf` as a whole: it cannot parse every
  // `..` start, and its own ordering check rejects one-day intervals such as `2010/2010`.
  const bound = (side: string, name: string): [BoundStatus, DatePoint | null] => {
    if (side === "") return ["UNKNOWN", null];
    if (side === "..") return ["OPEN", null];
    const point = parsePoint(side);
    if (typeof point === "string") fail(input, `${name} "${cut(side)}": ${point}`);
    return ["KNOWN", point];
  };
  const [startStatus, start] = bound(sides[0]!, "start");
  const [endStatus, end] = bound(sides[1]!, "end");
  if (!start && !end) fail(input, "an interval needs at least one known date");
  // Only reject an interval that certainly ends before it starts; `2010-05/2010` is fine
  // (it ended some time in 2010 after it started in May).
  if (start && end && dayNumber(end.latest) < dayNumber(start.earliest))
    throw new EdtfError(`"${cut(input)}": the interval ends before it starts`);

  const known = [start, end].filter((p): p is DatePoint => p !== null);
  const written = (status: BoundStatus, p: DatePoint | null) =>
    p ? p.edtf : status === "OPEN" ? ".." : "";
  // nor can it have ended before it started: `2011-09/2011` ended on September 1 at the earliest,
  // not in January (its text stays as written; `narrowed` does the same for a bounded start)
  const ended =
    start && end && dayNumber(end.earliest) < dayNumber(start.earliest)
      ? Object.freeze({ ...end, earliest: start.earliest })
      : end;
  return {
    edtf: `${written(startStatus, start)}/${written(endStatus, end)}`,
    isInterval: true,
    start,
    end: ended,
    startStatus,
    endStatus,
    precision: PRECISIONS[Math.min(...known.map((p) => PRECISIONS.indexOf(p.precision)))]!,
    earliest: start?.earliest ?? null,
    latest: end?.latest ?? null,
  };
}

/**
 * `date` as known once events bound it: it started on or after day `startFrom` and lasted at
 * least until day `endFrom` (YYYY-MM-DD; null: not bounded). The first possible day of the start
 * (of the whole date, when the start is open or unknown) and of the end is raised to that day,
 * never lowered; the text and every latest day stay as written. A single date has one point,
 * which `startFrom` bounds. Throws EdtfError when a bound leaves no possible day (`boundProblem`).
 */
export function narrowed(
  date: PartialDate,
  startFrom: string | null,
  endFrom: string | null,
): PartialDate {
  const problem = boundProblem(date, "start", startFrom) ?? boundProblem(date, "end", endFrom);
  if (problem) throw new EdtfError(`"${cut(date.edtf)}": ${problem}`);
  const raised = (point: DatePoint | null, day: string | null): DatePoint | null =>
    point && day !== null && dayNumber(day) > dayNumber(point.earliest)
      ? Object.freeze({ ...point, earliest: day })
      : point;
  const start = raised(date.start, startFrom);
  // nor can it have ended before it started: a bounded start raises the end's first day too
  // (`2011/2011` started on or after September 1 cannot have ended in January)
  const endDay =
    startFrom !== null && (endFrom === null || dayNumber(startFrom) > dayNumber(endFrom))
      ? startFrom
      : endFrom;
  const end = date.isInterval ? raised(date.end, endDay) : start;
  const earliest =
    start?.earliest ??
    (startFrom !== null && (date.earliest === null || dayNumber(startFrom) > from(date))
      ? startFrom
      : date.earliest);
  if (start === date.start && end === date.end && earliest === date.earliest) return date;
  return Object.freeze({
    ...date,
    start,
    end,
    earliest,
    ...(earliest !== date.earliest && { startBounded: true as const }),
  });
}

/** One end of a period as a date of its own, as narrowed as the end is (`narrowed`). */
export function dateOfPoint(point: DatePoint): PartialDate {
  const written = parsePartialDate(point.edtf);
  return point.earliest === written.earliest ? written : narrowed(written, point.earliest, null);
}

/**
 * Why `date` cannot have started (`side` "start") or lasted (`side` "end") until on or after
 * `day`, or null if it can: a bound may not pass the last day that side may be on, and only an
 * interval's known end can be bounded (a single date's one point is bounded as its start).
 */
export function boundProblem(
  date: PartialDate,
  side: "start" | "end",
  day: string | null,
): string | null {
  if (day === null) return null;
  if (side === "end" && !date.isInterval)
    return "a single date has no end apart from its start: bound its start instead";
  if (side === "end" && !date.end)
    return `its end is ${date.endStatus === "OPEN" ? "open (..)" : "unknown"}: only a known end can be bounded`;
  const point = side === "start" ? date.start : date.end;
  // a start may not pass the end's last day either (`2007/2007-03` started by March)
  const last = point && dayNumber(point.latest) < to(date) ? point.latest : date.latest;
  return last !== null && dayNumber(day) > dayNumber(last)
    ? `the ${side} cannot be on or after ${day}: its last possible day is ${last}`
    : null;
}

export function tryParsePartialDate(
  input: string,
): { ok: true; value: PartialDate } | { ok: false; error: string } {
  try {
    return { ok: true, value: parsePartialDate(input) };
  } catch (e) {
    if (e instanceof EdtfError) return { ok: false, error: e.message };
    throw e;
  }
}

/** Days since 1970-01-01 for a normalised YYYY-MM-DD (which Date.parse reads as UTC). */
export function dayNumber(iso: string): number {
  // sorting compares the same few thousand days over and over; Date.parse is slow
  let day = dayNumbers.get(iso);
  if (day === undefined) {
    day = Date.parse(iso) / DAY_MS;
    if (dayNumbers.size >= MAX_PARSED_DATES) dayNumbers.clear();
    dayNumbers.set(iso, day);
  }
  return day;
}
const dayNumbers = new Map<string, number>();
/** First/last possible day as a day number, unbounded sides reaching to -/+ infinity. */
const from = (p: PartialDate) => (p.earliest === null ? -Infinity : dayNumber(p.earliest));
const to = (p: PartialDate) => (p.latest === null ? Infinity : dayNumber(p.latest));
const cmp = (x: number, y: number) => (x < y ? -1 : x > y ? 1 : 0);

/**
 * What `compareChronologically` compares, in its order: first possible day, precision, last
 * possible day, EDTF text. Comparing the keys of two dates field by field gives its answer;
 * computing them once per date spares the day lookups of every comparison when sorting many.
 */
export function chronologicalKey(
  p: PartialDate,
): [from: number, precision: number, to: number, edtf: string] {
  return byEnd(p) ? closingKey(p) : [from(p), rank(p), to(p), p.edtf];
}

/**
 * A period whose start the source does not give (`/2011-12`, the Troika tenure) is placed by its
 * known end, as the timeline places an end (`closingKey`): placed by its first possible day, an
 * unbounded or editorial one (1992, Kazakhstan's accession), it came first of all tenures, before
 * the 2010 Chairmanship, an order the document does not give (the audit of 5 December, finding 6).
 */
const byEnd = (p: PartialDate) => p.start === null && p.end !== null;

/** The order among dates of one first day: coarser first, and a bounded start after them all. */
const rank = (p: PartialDate) =>
  p.startBounded ? PRECISIONS.length : PRECISIONS.indexOf(p.precision);

/**
 * The place of a period's end in a list of moments (the timeline): its last possible day, after
 * the dates of that day (a period that may last to a day holds what happens on it), then the end
 * that may come earlier first (by first possible day). `2010`'s end, the Chairmanship's, sorts on
 * 2010-12-31, after the Astana Summit of December 1-2 it held (the audit of 5 December, finding
 * 5: by its first day it came before every day of 2010, while `tenures(asOf: "2010-12-31")` says
 * YES). Comparable with `chronologicalKey`s (`compareChronologicalKeys`). A first day raised by
 * the start (`2014-12-18/2014`: not before December 18) moves no end: the raise is no event's
 * (finding 13), and the end still sorts on its last possible day.
 */
export function closingKey(
  p: PartialDate,
): [to: number, precision: number, from: number, edtf: string] {
  return [to(p), CLOSING_RANK, from(p), p.edtf];
}
/** After every rank of `rank`: a period's end after the dates of its last day. */
const CLOSING_RANK = PRECISIONS.length + 1;

/** `compareChronologically` on keys from `chronologicalKey` (and `closingKey`). */
export function compareChronologicalKeys(
  a: ReturnType<typeof chronologicalKey>,
  b: ReturnType<typeof chronologicalKey>,
): number {
  return (
    cmp(a[0], b[0]) ||
    cmp(a[1], b[1]) ||
    cmp(a[2], b[2]) ||
    (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0)
  );
}

/**
 * Chronological order for Array.sort: by first possible day (unbounded first), then coarser
 * precision first (`2010` < `2010-01` < `2010-01-01`), a start bounded by an event after the
 * dates of its first day (the decision of 2007-06-21 before the renaming "2007, not before June
 * 21" it made), then by last possible day (shorter first, unbounded last), then by EDTF text so
 * that the order is total and deterministic. A period with an unknown (or open) start and a
 * known end is placed by that end instead: on its last possible day, after the dates of that day
 * (`byEnd`, `closingKey`).
 */
export function compareChronologically(a: PartialDate, b: PartialDate): number {
  // chronologicalKey's comparison, without making the keys (lists sort thousands of dates)
  const [endA, endB] = [byEnd(a), byEnd(b)];
  return (
    cmp(endA ? to(a) : from(a), endB ? to(b) : from(b)) ||
    cmp(endA ? CLOSING_RANK : rank(a), endB ? CLOSING_RANK : rank(b)) ||
    cmp(endA ? from(a) : to(a), endB ? from(b) : to(b)) ||
    (a.edtf < b.edtf ? -1 : a.edtf > b.edtf ? 1 : 0)
  );
}

export type Certainty = "YES" | "MAYBE" | "NO";

/**
 * Does `period` certainly cover the whole of `at`?
 *
 * YES when every possible reading of the period contains every day `at` may denote: the
 * period's start is known and its latest possible day is on or before `at`'s first day, and its
 * end is known with its earliest possible day on or after `at`'s last day, or open (ongoing as
 * of the source) and `at` ends no later than `horizon`, the day the source was last updated.
 * NO when they certainly share no day (unbounded sides never cause NO). MAYBE otherwise.
 *
 * A single date used as a period (an event dated `2010`) covers all of its own days, so its
 * certain span is its whole extent rather than the interval rule's "latest start, earliest end".
 *
 * Unbounded sides of `at` (`/2011-12`, `2014-09/..`) are taken as reaching infinitely, like in
 * `overlaps`: such an `at` can never be certainly covered, and only its bounded side can make
 * the answer NO. An empty `horizon` is a graph's that has none (built by hand, without a source:
 * `graph.horizon` is then ""): no open end is certain, as `horizonDayOf` has it (it threw, "" not
 * being a date, where the graph's own indexes answered MAYBE). Throws EdtfError if `horizon` is
 * anything else but a valid YYYY-MM-DD day.
 */
export function coverage(period: PartialDate, at: PartialDate, horizon: string): Certainty {
  return coverageOfSpan(coverageSpan(period, horizonDayOf(horizon)), from(at), to(at));
}

/** The day number of `horizon` (a YYYY-MM-DD day), the last day an open end is known to reach. Throws EdtfError otherwise. */
export function horizonDay(horizon: string): number {
  const h = parsePartialDate(horizon);
  if (h.isInterval || h.precision !== "DAY")
    throw new EdtfError(`horizon "${horizon}" must be a single day, YYYY-MM-DD`);
  return to(h);
}

/**
 * `horizonDay` of a graph's horizon, or NaN when it has none (a graph built by hand, without a
 * source; a dataset needs one): then no open end is certain.
 */
export function horizonDayOf(horizon: string | undefined): number {
  return horizon ? horizonDay(horizon) : Number.NaN;
}

/**
 * What `coverage` needs of a period, as four day numbers: its first and last possible days (the
 * NO test), the day from which it certainly runs (`+Infinity` when its start is unknown: never
 * certain) and the day until which it certainly runs (an open end: the horizon's day; an unknown
 * end: `-Infinity`). Computed once per period, they make "how certainly as of `at`" four
 * comparisons (`coverageOfSpan`): what a list of thousands of tenures asked as of a date needs.
 */
export type CoverageSpan = readonly [
  from: number,
  to: number,
  certainFrom: number,
  certainTo: number,
];

export function coverageSpan(period: PartialDate, horizon: number): CoverageSpan {
  const { start, end } = period;
  // a single date used as a period covers all of its own days; an interval certainly runs from
  // its start's latest possible day to its end's earliest
  const certainFrom = start
    ? dayNumber(period.isInterval ? start.latest : start.earliest)
    : Infinity;
  const certainTo = end
    ? dayNumber(period.isInterval ? end.earliest : end.latest)
    : period.endStatus === "OPEN"
      ? horizon
      : -Infinity;
  return [from(period), to(period), certainFrom, certainTo];
}

/**
 * `coverageSpan` of a moment somewhere within `date`, not a period through it: an act done on one
 * day (an accession, an opening, a decision). On a day of its date it may have happened (MAYBE)
 * unless its date is that one day (YES); outside its date it did not (NO). "1992 - Kazakhstan
 * becomes an OSCE participating State" happened on one day of 1992, not on each of them: read as
 * a period, it certainly took place on 1992-06-01, while `participatingOn` that day is MAYBE (the
 * audit of 5 December). A date of several days is never covered certainly, not even by `at`
 * spanning all of them: no day of it is certainly the one.
 */
export function momentSpan(date: PartialDate): CoverageSpan {
  const [first, last] = [from(date), to(date)];
  return first === last ? [first, last, first, last] : [first, last, Infinity, -Infinity];
}

/** `coverage` of a period given by its `coverageSpan`, for the date whose first and last possible days are `atFrom` and `atTo`. */
export function coverageOfSpan(
  [from, to, certainFrom, certainTo]: CoverageSpan,
  atFrom: number,
  atTo: number,
): Certainty {
  if (to < atFrom || from > atTo) return "NO";
  return certainFrom <= atFrom && certainTo >= atTo ? "YES" : "MAYBE";
}

/** The first and last possible days of `p` as day numbers (unbounded sides: -/+ Infinity), as `coverageOfSpan` takes a date. */
export function dayRange(p: PartialDate): [from: number, to: number] {
  return [from(p), to(p)];
}

/** Could the two share a day? Unbounded (open or unknown) sides reach infinitely. */
export function overlaps(a: PartialDate, b: PartialDate): boolean {
  return from(a) <= to(b) && from(b) <= to(a);
}

/** Does `a` certainly end before `b` starts (its last possible day precedes `b`'s first)? An unbounded end never does. */
export function endsBefore(a: PartialDate, b: PartialDate): boolean {
  return to(a) < from(b);
}

/** Does `a` certainly start after `b` ends (its first possible day follows `b`'s last)? An unbounded start never does. */
export function startsAfter(a: PartialDate, b: PartialDate): boolean {
  return from(a) > to(b);
}

/**
 * A period of which nothing is known (both ends unknown): what a fact without a date, such as an
 * office location the source gives without dates, may have covered. It overlaps every date, is
 * never certainly before or after one, and covers any date only MAYBE.
 */
export const UNKNOWN_PERIOD: PartialDate = Object.freeze({
  edtf: "/",
  isInterval: true,
  start: null,
  end: null,
  startStatus: "UNKNOWN",
  endStatus: "UNKNOWN",
  precision: "YEAR",
  earliest: null,
  latest: null,
});

/**
 * Each date's rank in chronological order (`compareChronologically`; dates it finds equal share
 * a rank): comparing two ranks compares the dates.
 */
export function rankDates<K>(dates: Iterable<[K, PartialDate]>): Map<K, number> {
  return rankKeys([...dates].map(([key, date]) => [key, chronologicalKey(date)]));
}

/** Each key's rank in the order of `compareChronologicalKeys` (equal keys share a rank). */
export function rankKeys<K>(
  keys: Iterable<[K, ReturnType<typeof chronologicalKey>]>,
): Map<K, number> {
  const ordered = [...keys].map(([key, order]) => ({ key, order }));
  ordered.sort((a, b) => compareChronologicalKeys(a.order, b.order));
  const rank = new Map<K, number>();
  let r = 0;
  ordered.forEach(({ key, order }, i) => {
    if (i > 0 && compareChronologicalKeys(ordered[i - 1]!.order, order) !== 0) r++;
    rank.set(key, r);
  });
  return rank;
}
