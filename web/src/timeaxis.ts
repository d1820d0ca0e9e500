/**
 * Geometry of the time axis shared by the timeline and the "who headed which office" view: where
 * a partial date goes on a horizontal axis, drawn as honestly as the API states it. Pure functions
 * (no DOM, no GraphQL) over the API's `PartialDate` fields:
 *
 * - a year is a bar across the year, a month across the month, a day across the day (the view
 *   gives bars a minimum visible width);
 * - an interval runs from its start's first possible day to its end's last;
 * - an OPEN end (`..`, "still so") is solid up to the source's last update and fades out after it;
 * - an UNKNOWN end (or start) is drawn as unknown: a dashed stretch fading out towards the edge of
 *   the axis, never a bound the source does not give.
 *
 * Certainty "as of" a date is not computed here: the API gives it (`asOf` + `certainty`).
 */

const DAY_MS = 86_400_000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** Days since 1970-01-01 of a calendar day written YYYY-MM-DD. */
export function dayNumber(iso: string): number {
  const match = /^(-?\d{4,})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new Error(`not a day: ${iso}`);
  return Math.round(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS);
}

/** The calendar day (YYYY-MM-DD) of a day number. */
export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

function firstOfYear(year: number): number {
  return Math.round(Date.UTC(year, 0, 1) / DAY_MS);
}

/** One end of a period, as the API's `DatePoint` gives it. */
export interface PointLike {
  earliest: string;
  latest: string;
}

/** A date as the API's `PartialDate` gives it (the fields the axis needs). */
export interface SpanLike {
  isInterval: boolean;
  startStatus: "KNOWN" | "OPEN" | "UNKNOWN";
  endStatus: "KNOWN" | "OPEN" | "UNKNOWN";
  start?: PointLike | null | undefined;
  end?: PointLike | null | undefined;
}

/** The days an axis shows: from `start` (inclusive) to `end` (exclusive), as day numbers. */
export interface Domain {
  start: number;
  end: number;
}

/** The first and last possible day of a simple date the user typed (YYYY, YYYY-MM, YYYY-MM-DD, or A/B of those), or null. */
export function daysOf(text: string): { earliest: number; latest: number } | null {
  const parts = text.trim().split("/");
  if (parts.length > 2) return null;
  const bounds = parts.map((part) => {
    const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(part);
    if (!match) return null;
    const year = Number(match[1]);
    const month = match[2] === undefined ? null : Number(match[2]);
    const day = match[3] === undefined ? null : Number(match[3]);
    if (month !== null && (month < 1 || month > 12)) return null;
    if (month === null) return { earliest: firstOfYear(year), latest: firstOfYear(year + 1) - 1 };
    const first = Math.round(Date.UTC(year, month - 1, 1) / DAY_MS);
    const last = Math.round(Date.UTC(year, month, 1) / DAY_MS) - 1;
    if (day === null) return { earliest: first, latest: last };
    if (day < 1 || first + day - 1 > last) return null;
    return { earliest: first + day - 1, latest: first + day - 1 };
  });
  const [from, to] = [bounds[0], bounds[bounds.length - 1]];
  if (!from || !to || to.latest < from.earliest) return null;
  return { earliest: from.earliest, latest: to.latest };
}

/** The known days of a span: its first possible day when the start is known, its last when the end is. */
export function knownDays(span: SpanLike): number[] {
  const days: number[] = [];
  if (span.startStatus === "KNOWN" && span.start)
    days.push(dayNumber(span.start.earliest), dayNumber(span.start.latest));
  if (span.endStatus === "KNOWN" && span.end)
    days.push(dayNumber(span.end.earliest), dayNumber(span.end.latest));
  return days;
}

/**
 * An axis over whole years that holds every given day, with room after the source's last update
 * (`horizon`) for an open end to fade out when `fadeRoom` is set, and `padYears` whole years on
 * either side. `from`/`to` (day numbers) fix the ends instead, as a filter asks.
 */
export function domainFor(
  days: number[],
  options: {
    from?: number | null;
    to?: number | null;
    horizon?: number | null;
    fadeRoom?: boolean;
    padYears?: number;
  } = {},
): Domain {
  const all = days.filter((d) => Number.isFinite(d));
  if (options.horizon != null) all.push(options.horizon);
  const pad = options.padYears ?? 0;
  const start =
    options.from ?? (all.length ? firstOfYear(yearOf(Math.min(...all)) - pad) : firstOfYear(2000));
  let end =
    options.to != null
      ? options.to + 1
      : all.length
        ? firstOfYear(yearOf(Math.max(...all)) + 1 + pad)
        : firstOfYear(2001);
  if (end <= start) end = start + 1;
  if (options.to == null && options.fadeRoom && options.horizon != null) {
    // an open end fades over at least a tenth of the axis (and a year) after the source's last update
    const room = Math.max(366, Math.round((end - start) / 10));
    if (end < options.horizon + room) end = firstOfYear(yearOf(options.horizon + room) + 1);
  }
  return { start, end };
}

/** Where a day starts on the axis, 0 (its start) to 1 (its end); outside [0, 1] when off the axis. */
export function position(domain: Domain, day: number): number {
  return (day - domain.start) / (domain.end - domain.start);
}

export type SegmentKind =
  /** Known days: the date itself, or the part of a period the source gives. */
  | "solid"
  /** After an open end's last certain day (the source's last update): fading out. */
  | "open"
  /** An unknown end: dashed, fading out to the right. */
  | "unknown-end"
  /** An unknown or open start: dashed, fading out to the left. */
  | "unknown-start";

export interface Segment {
  kind: SegmentKind;
  /** Left edge, as a fraction of the axis (0..1, clipped). */
  left: number;
  /** Width, as a fraction of the axis (may be 0 for a day on a long axis: the view gives it a minimum width). */
  width: number;
  /** The segment was cut at the axis's left or right edge. */
  clippedLeft: boolean;
  clippedRight: boolean;
}

function segment(
  domain: Domain,
  kind: SegmentKind,
  fromDay: number,
  toDayExclusive: number,
): Segment | null {
  if (toDayExclusive <= domain.start || fromDay >= domain.end || toDayExclusive < fromDay)
    return null;
  const left = Math.max(0, position(domain, fromDay));
  const right = Math.min(1, position(domain, toDayExclusive));
  return {
    kind,
    left,
    width: Math.max(0, right - left),
    clippedLeft: fromDay < domain.start,
    clippedRight: toDayExclusive > domain.end,
  };
}

/**
 * The segments that draw a span on the axis. `horizon` is the day the source was last updated: an
 * open end is certain up to it and fades out after it.
 */
export function spanSegments(span: SpanLike, domain: Domain, horizon: number | null): Segment[] {
  const out: (Segment | null)[] = [];
  const start =
    span.startStatus === "KNOWN" && span.start
      ? { earliest: dayNumber(span.start.earliest), latest: dayNumber(span.start.latest) }
      : null;
  const end =
    span.endStatus === "KNOWN" && span.end
      ? { earliest: dayNumber(span.end.earliest), latest: dayNumber(span.end.latest) }
      : null;

  if (start && end) {
    out.push(segment(domain, "solid", start.earliest, end.latest + 1));
  } else if (start) {
    if (span.endStatus === "OPEN" && horizon !== null) {
      // still so at the source's last update: solid until then, fading out after it
      const certainUntil = Math.max(start.latest, horizon) + 1;
      out.push(segment(domain, "solid", start.earliest, certainUntil));
      out.push(segment(domain, "open", certainUntil, Math.max(domain.end, certainUntil)));
    } else {
      // the end is not given: only the start is drawn solid, then "unknown" towards the edge
      out.push(segment(domain, "solid", start.earliest, start.latest + 1));
      out.push(
        segment(domain, "unknown-end", start.latest + 1, Math.max(domain.end, start.latest + 1)),
      );
    }
  } else if (end) {
    out.push(segment(domain, "unknown-start", Math.min(domain.start, end.earliest), end.earliest));
    out.push(segment(domain, "solid", end.earliest, end.latest + 1));
  } else {
    // neither end is known: the whole axis, as unknown both ways
    out.push(
      segment(
        domain,
        "unknown-start",
        domain.start,
        domain.start + Math.round((domain.end - domain.start) / 2),
      ),
    );
    out.push(
      segment(
        domain,
        "unknown-end",
        domain.start + Math.round((domain.end - domain.start) / 2),
        domain.end,
      ),
    );
  }
  return out.filter((s): s is Segment => s !== null && (s.width > 0 || s.kind === "solid"));
}

/** Where a point marker (a POINT_IN_TIME tenure's moment) sits: the middle of its days. */
export function markerPosition(span: SpanLike, domain: Domain): number | null {
  const days = knownDays(span);
  if (!days.length) return null;
  const first = Math.min(...days);
  const last = Math.max(...days) + 1;
  const at = position(domain, (first + last) / 2);
  return at >= 0 && at <= 1 ? at : null;
}

export interface Tick {
  /** Where the tick is, 0..1. */
  at: number;
  /** Where its label goes, 0..1: at the tick for a year, in the middle of its month for a month. */
  labelAt: number;
  label: string;
  /** A labelled tick; the others are drawn as light lines only. */
  major: boolean;
  /** Labelled on a wide screen only (every other label is dropped on a phone). */
  wideOnly: boolean;
}

/** Year ticks (month ticks on an axis of two years or less), labelled sparsely enough to read. */
export function ticks(domain: Domain): Tick[] {
  const out: Tick[] = [];
  const years = (domain.end - domain.start) / 365.25;
  const firstYear = yearOf(domain.start);
  const lastYear = yearOf(domain.end - 1);
  if (years <= 2.05) {
    // months, labelled in their middle; January by its year
    let labelled = 0;
    for (let year = firstYear; year <= lastYear; year++) {
      for (let month = 0; month < 12; month++) {
        const day = Math.round(Date.UTC(year, month, 1) / DAY_MS);
        const next = Math.round(Date.UTC(year, month + 1, 1) / DAY_MS);
        if (next <= domain.start || day >= domain.end) continue;
        const major = years <= 1.05 || month % 3 === 0;
        const middle = position(
          domain,
          (Math.max(day, domain.start) + Math.min(next, domain.end)) / 2,
        );
        out.push({
          at: position(domain, Math.max(day, domain.start)),
          labelAt: middle,
          label: month === 0 ? String(year) : MONTHS[month]!,
          major,
          wideOnly: major && labelled++ % 2 === 1,
        });
      }
    }
    return out;
  }
  const step = [1, 2, 5, 10, 20, 50, 100].find((s) => years / s <= 10) ?? 100;
  let labelled = 0;
  for (let year = firstYear; year <= lastYear + 1; year++) {
    const day = firstOfYear(year);
    if (day < domain.start || day >= domain.end) continue;
    const major = year % step === 0;
    const at = position(domain, day);
    out.push({
      at,
      labelAt: at,
      label: String(year),
      major,
      wideOnly: major && labelled++ % 2 === 1,
    });
  }
  return out;
}

interface Point {
  year: number;
  month?: number | null;
  day?: number | null;
}

/**
 * A readable form of a date without wording of its own, in the source's style: `September 2014`,
 * `February 9, 2016`. A year below 1000 keeps its four digits (`0099`, as in EDTF), not to be read
 * as a short form of another.
 */
export function readablePoint(point: Point): string {
  const year =
    point.year >= 0 && point.year < 1000 ? String(point.year).padStart(4, "0") : String(point.year);
  if (point.month == null) return year;
  const month = MONTH_NAMES[point.month - 1] ?? String(point.month);
  return point.day == null ? `${month} ${year}` : `${month} ${point.day}, ${year}`;
}

/**
 * A period's bounds, each a readable point (`June 2015 – August 2015`), one not given as `missing`
 * says (the timeline's `…` for an open bound, `?` for an unknown one).
 */
export function readableBounds(
  start: Point | null | undefined,
  end: Point | null | undefined,
  missing: { start: string; end: string } = { start: "…", end: "…" },
): string {
  return `${start ? readablePoint(start) : missing.start} – ${end ? readablePoint(end) : missing.end}`;
}

/**
 * "March 18, 2016" for a fact the source states as of a date (`statedAsOf`: its last update), as
 * precise as the date is: a year alone is the year, a month its month and year; a period (a source
 * updated on a day not known within it) its bounds, as the timeline words a period.
 */
export function asOfWords(date: {
  edtf: string;
  isInterval: boolean;
  start?: Point | null;
  end?: Point | null;
}): string {
  // a bound not given: open (`..`) or unknown (empty), as the timeline says them
  if (date.isInterval)
    return readableBounds(date.start, date.end, {
      start: date.edtf.startsWith("..") ? "…" : "?",
      end: date.edtf.endsWith("..") ? "…" : "?",
    });
  return date.start ? readablePoint(date.start) : date.edtf;
}

/** A day bound an editorial note gives (the API's `EditorialBound`), as the glance needs it. */
export interface GlanceBound {
  bound: "EARLIEST_START" | "LATEST_START" | "EARLIEST_END" | "LATEST_END";
  documentAlone?: string | null;
}

/**
 * What a glance adds to one end of a date that an editorial note gives: ", dated by the editors —
 * the document alone: by 2014-12-18" (the day the document's own words give it, where they give
 * one: a latest bound "by" it, an earliest one "not before" it). Empty where the document gives
 * that end. The field office's seat read "Seat: Astana (since 2007-06-21)", a move the editors
 * date like the renaming, as plainly as a date the source gives (the honest54 audit, F6).
 */
function editorsWords(bounds: readonly GlanceBound[] | null | undefined, end: boolean): string {
  const side = (bounds ?? []).filter((b) => b.bound.endsWith(end ? "_END" : "_START"));
  if (side.length === 0) return "";
  // the day the certainty turns on: a start's latest (certain from), an end's earliest (until)
  const latest = side.find((b) => b.bound.startsWith("LATEST") && b.documentAlone);
  const earliest = side.find((b) => b.bound.startsWith("EARLIEST") && b.documentAlone);
  const alone = end
    ? earliest
      ? `not before ${earliest.documentAlone}`
      : latest && `by ${latest.documentAlone}`
    : latest
      ? `by ${latest.documentAlone}`
      : earliest && `not before ${earliest.documentAlone}`;
  return `, dated by the editors — the document alone: ${alone ?? "no day"}`;
}

/**
 * A date beside an entry at a glance, in brackets: how the source words it, with what is not
 * given said (the honest54 audit, F5). A period the source gives one end of is worded by that end
 * alone ("December 2011" for the Troika's `/2011-12`, "September 2014" for Jarbussynova's
 * `2014-09/`): "(December 2011)" read as a membership of that month, "(September 2014)" as a
 * tenure of one month. An unknown start reads "until December 2011", an unknown end "from
 * September 2014, end not given", an open one "since ...; still so at the source's last update".
 * An end the editors date, not the document (`editorialBounds`), says so after it ("since
 * 2007-06-21, dated by the editors — the document alone: by 2014-12-18").
 */
export function glanceDate(when: {
  edtf: string;
  wording?: string | null;
  startStatus: "KNOWN" | "OPEN" | "UNKNOWN";
  endStatus: "KNOWN" | "OPEN" | "UNKNOWN";
  editorialBounds?: readonly GlanceBound[] | null;
}): string {
  const [from, to] = when.edtf.split("/");
  const startMark = editorsWords(when.editorialBounds, false);
  const endMark = editorsWords(when.editorialBounds, true);
  // neither end given (review 54: "(since ; ...)", "( to )")
  if (!when.wording && !from && (!to || to === ".."))
    return to === ".."
      ? "(start not given; still so at the source's last update)"
      : "(dates not given)";
  if (when.startStatus === "UNKNOWN" && when.endStatus === "KNOWN")
    return `(until ${when.wording ?? to}${endMark})`;
  if (when.startStatus === "KNOWN" && when.endStatus === "UNKNOWN")
    return `(from ${when.wording ?? from}${startMark}, end not given)`;
  if (when.endStatus !== "OPEN") {
    // both ends known: each marked after its own words where the date is written as two
    if (!when.wording && to !== undefined) return `(${from}${startMark} to ${to}${endMark})`;
    const marks = [startMark && `start${startMark}`, endMark && `end${endMark}`].filter(Boolean);
    return `(${when.wording ?? when.edtf}${marks.map((m) => `; ${m}`).join("")})`;
  }
  const text = when.wording ?? when.edtf.replace("/..", " on").replace("/", " to ");
  // true as of the source's last update, not known after: "Headed by: György Szabó (Since
  // February 9, 2016)" read as a head today (the honest54 audit, F6), as DateText says it
  const since = /since|from/i.test(text) ? text : `since ${text.replace(/ on$/, "")}`;
  return `(${since}${startMark}; still so at the source's last update)`;
}
