/** Partial dates: a year, a month, a day, or an interval of them with open or unknown ends (EDTF). */
import type { DatePoint, PartialDate } from "../graph/dates.js";
import {
  DAY_BOUNDS,
  type Dated,
  type DayBound,
  type Editorial,
  type Provenance,
} from "../graph/model.js";
import { statedAsOf, statedByQuotesAsOf } from "../graph/stated-as-of.js";
import { builder, type Context } from "./builder.js";
import { EditorialNoteRef, ProvenanceRef } from "./provenance.js";
import { EventRef } from "./refs.js";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

builder.scalarType("Date", {
  description: "A calendar day written YYYY-MM-DD (ISO 8601), e.g. 2016-02-09.",
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== "string" || !DAY.test(value))
      throw new TypeError(`Date must be a day written YYYY-MM-DD, got ${JSON.stringify(value)}`);
    return value;
  },
});

export const Precision = builder.enumType("DatePrecision", {
  description: "How precisely a date is known.",
  values: {
    YEAR: { description: "Only the year is known, e.g. 1992." },
    MONTH: { description: "The year and month are known, e.g. 2007-12." },
    DAY: { description: "The exact day is known, e.g. 2007-06-21." },
  } as const,
});

export const BoundStatus = builder.enumType("BoundStatus", {
  description: "What the source says about one end of a period.",
  values: {
    KNOWN: { description: "The source gives this end (to the date's precision)." },
    OPEN: {
      description:
        "Ongoing as of the source: it was still true when the source was last updated, and nothing is known after that (EDTF `..`).",
    },
    UNKNOWN: { description: "The source does not give this end (EDTF: empty)." },
  } as const,
});

export const DayBoundEnum = builder.enumType("DayBound", {
  description:
    "One of the four days a date's certainty reads: the first and the last day its start may be on, the first and the last day its end may be on.",
  values: {
    EARLIEST_START: { value: "earliestStart", description: "The first day the start may be on." },
    LATEST_START: {
      value: "latestStart",
      description: "The last day the start may be on: from then on the fact certainly holds.",
    },
    EARLIEST_END: {
      value: "earliestEnd",
      description: "The first day the end may be on: until then the fact certainly holds.",
    },
    LATEST_END: { value: "latestEnd", description: "The last day the end may be on." },
  } as const,
});

interface EditorialBoundShape {
  bound: DayBound;
  note: Editorial;
  documentAlone: string | null;
}

/**
 * A day bound of a date that only an editorial note gives (model.ts `Dated.assumed`): the honest54
 * audit (F6) found the explorer showing the field office "in Astana since 2007-06-21", a move the
 * editors date like the renaming, as plainly as a date the document gives; a client could not tell.
 */
const EditorialBoundRef = builder.objectRef<EditorialBoundShape>("EditorialBound").implement({
  description:
    "A bound of a date's days that an editorial note gives, not the document's words: the field office's seat in Astana, `2007-06-21/..`, " +
    "starts by the note that dates the move like the renaming (LATEST_START 2007-06-21), where the document alone places the office there only by 2014-12-18.",
  fields: (t) => ({
    bound: t.field({
      type: DayBoundEnum,
      description: "Which day bound the note gives.",
      resolve: (b) => b.bound,
    }),
    note: t.field({
      type: EditorialNoteRef,
      description: "The editorial note that gives it (one of the date's `provenance`).",
      resolve: (b) => b.note,
    }),
    documentAlone: t.field({
      type: "Date",
      nullable: true,
      description:
        "The day the document's own words give for that bound, wider than the note's (a latest bound later, an earliest one earlier); null when they give none (that side is then unbounded by the document).",
      resolve: (b) => b.documentAlone,
    }),
  }),
});

export const DatePointRef = builder.objectRef<DatePoint>("DatePoint").implement({
  description: "One end of a period, or a single date: a year, a month or a day.",
  fields: (t) => ({
    edtf: t.exposeString("edtf", { description: "The date in EDTF, e.g. `2007-12`." }),
    precision: t.field({
      type: Precision,
      description: "Whether this is a year, a month or a day.",
      resolve: (d) => d.precision,
    }),
    year: t.exposeInt("year", { description: "The year." }),
    month: t.exposeInt("month", {
      nullable: true,
      description: "The month, 1-12; null at year precision.",
    }),
    day: t.exposeInt("day", {
      nullable: true,
      description: "The day of the month; null at year or month precision.",
    }),
    earliest: t.field({
      type: "Date",
      description:
        "The first day this date may denote (1 January for a year), or later where an event bounds it (see `PartialDate.startsNotBefore`) or, for a period's end, where the period's start allows no earlier day (the end of `2011-09/2011`: 1 September).",
      resolve: (d) => d.earliest,
    }),
    latest: t.field({
      type: "Date",
      description: "The last day this date may denote (31 December for a year).",
      resolve: (d) => d.latest,
    }),
  }),
});

/** A dated fact of the graph: the parsed date plus the fact's own wording and provenance. */
export interface DatedShape {
  dated: Dated;
  parsed: PartialDate;
}
export const datedShape = (dated: Dated, ctx: Context): DatedShape => ({
  dated,
  parsed: ctx.graph.date(dated),
});

/**
 * The `statedAsOf` of a fact the source gives without a date (stated-as-of.ts): the day its
 * source was last updated, as a PartialDate with that date's quote; null when no source states it.
 */
export const statedAsOfShape = (
  provenance: readonly Provenance[],
  ctx: Context,
): DatedShape | null => {
  const dated = statedAsOf(ctx.graph, provenance);
  return dated ? datedShape(dated, ctx) : null;
};

/** The same for a link the quotes must state by themselves (`statedByQuotesAsOf`): an office's dimension. */
export const statedByQuotesAsOfShape = (
  provenance: readonly Provenance[],
  ctx: Context,
): DatedShape | null => {
  const dated = statedByQuotesAsOf(ctx.graph, provenance);
  return dated ? datedShape(dated, ctx) : null;
};

/** The description of a `statedAsOf` field: `fact` is what the source states, `example` a sentence stating it. */
export const statedAsOfDescription = (fact: string, example: string, nullWhen: string) =>
  `The date as of which the source states ${fact}, which it gives no date of its own: the day the source was last updated (its \`updated\`, with its quote). ` +
  `The built-in source states it in the present tense of its update, 2016-03-18 (${example}): it is so as of that day, as the source words it; ` +
  "the source gives no start, and says nothing of it after that day. " +
  `Null ${nullWhen}.`;

export const PartialDateRef = builder.objectRef<DatedShape>("PartialDate").implement({
  description:
    "A date as precisely as the source gives it: a single year, month or day, or a period between two of them whose " +
    "ends may be open (ongoing as of the source) or unknown. `edtf` is the exact value (Library of Congress EDTF); " +
    "`earliest`/`latest` bound every day it may cover. Never compare dates as strings: `2016` is not before `2016-05`.",
  fields: (t) => ({
    edtf: t.string({
      description:
        "The date in EDTF, e.g. `1992`, `2010-07-16/2010-07-17`, `2016-02-09/..` (open end), `2014-09/` (unknown end).",
      resolve: (d) => d.parsed.edtf,
    }),
    isInterval: t.boolean({
      description: "True for a period between two ends, false for a single year, month or day.",
      resolve: (d) => d.parsed.isInterval,
    }),
    precision: t.field({
      type: Precision,
      description: "The coarsest precision among the known ends.",
      resolve: (d) => d.parsed.precision,
    }),
    start: t.field({
      type: DatePointRef,
      nullable: true,
      description:
        "When it started: the date itself for a single date; null when the start is open or unknown (see `startStatus`).",
      resolve: (d) => d.parsed.start,
    }),
    end: t.field({
      type: DatePointRef,
      nullable: true,
      description:
        "When it ended: the date itself for a single date; null when the end is open or unknown (see `endStatus`).",
      resolve: (d) => d.parsed.end,
    }),
    startStatus: t.field({
      type: BoundStatus,
      description: "Whether the start is known, open or unknown.",
      resolve: (d) => d.parsed.startStatus,
    }),
    endStatus: t.field({
      type: BoundStatus,
      description:
        "Whether the end is known, open (still ongoing when the source was last updated) or unknown.",
      resolve: (d) => d.parsed.endStatus,
    }),
    earliest: t.field({
      type: "Date",
      nullable: true,
      description:
        "The first day it may cover; null when the start is open or unknown and no event bounds it (see `startsNotBefore`).",
      resolve: (d) => d.parsed.earliest,
    }),
    latest: t.field({
      type: "Date",
      nullable: true,
      description: "The last day it may cover; null when the end is open or unknown.",
      resolve: (d) => d.parsed.latest,
    }),
    startsNotBefore: t.field({
      type: EventRef,
      nullable: true,
      description:
        "The event the start is bounded by, where `edtf` alone allows earlier days: the fact began on or after this event's first day " +
        "(e.g. `2007` bounded by a decision of 2007-06-21: in 2007, but not before June 21). For a single date: it fell on " +
        "or after that day. `earliest`, `start.earliest` and every certainty already honour it. Null when only `edtf` bounds the start.",
      resolve: (d) => d.dated.startsNotBefore ?? null,
    }),
    endsNotBefore: t.field({
      type: EventRef,
      nullable: true,
      description:
        "The event the end is bounded by, where `edtf` alone allows earlier days: the fact lasted at least until this event's first day " +
        "(e.g. `1999/2007` bounded by a decision of 2007-06-21: still true on that day). `end.earliest` and every certainty " +
        "already honour it. Null when only `edtf` bounds the end.",
      resolve: (d) => d.dated.endsNotBefore ?? null,
    }),
    wording: t.string({
      nullable: true,
      description:
        "How the source words this date, verbatim (e.g. `Since February 9, 2016`); null when it has no wording of its own.",
      resolve: (d) => d.dated.wording ?? null,
    }),
    provenance: t.field({
      type: [ProvenanceRef],
      description: "Why the graph gives this date.",
      resolve: (d) => d.dated.provenance,
    }),
    editorialBounds: t.field({
      type: [EditorialBoundRef],
      description:
        "The bounds of its days that an editorial note gives, not the document's words, in the order EARLIEST_START, LATEST_START, EARLIEST_END, LATEST_END: " +
        "a change of name dated to its decision's day, a move dated like the renaming (the field office's seat in Astana from 2007-06-21; by the document alone, by 2014-12-18). " +
        "Every certainty that holds only by such a bound says so (`certaintyBasis: EDITORIAL`). Empty where the document's words give every bound.",
      resolve: (d) => editorialBoundsOf(d.dated),
    }),
  }),
});

/** A date's `assumed` bounds, in DAY_BOUNDS order. */
function editorialBoundsOf(dated: Dated): EditorialBoundShape[] {
  const assumed = dated.assumed;
  if (!assumed) return [];
  const bounds: EditorialBoundShape[] = [];
  for (const bound of DAY_BOUNDS) {
    const given = assumed[bound];
    if (given) bounds.push({ bound, note: given.note, documentAlone: given.documentAlone ?? null });
  }
  return bounds;
}
