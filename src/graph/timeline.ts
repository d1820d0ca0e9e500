/**
 * The timeline: every dated fact of the graph as one chronological list, built once, on first use (GraphCore.timeline).
 *
 * Entries:
 * - EVENT: an event, on its date.
 * - NAME_CHANGE: an office takes a new name (every name of `nameHistory` after the first), on
 *   the day its period starts. The first name is the one the office opened under: its opening,
 *   where the source dates it, is an EVENT.
 * - LOCATION_START / LOCATION_END: an office starts or stops sitting in a place, on the start or
 *   end of the location's period.
 * - TENURE_START / TENURE_END: a PERIOD tenure begins or ends, on the start or end of its `when`.
 * - TENURE_ATTESTED: a POINT_IN_TIME tenure, on the moment the source attests it.
 * A start or end entry's date is that bound of the period (a DatePoint, as precise as the source
 * gives it). An unknown bound (`2014-09/`) yields no entry, and neither does an open end
 * (`2016-02-09/..`): the fact was still true when the source was last updated, it did not end.
 *
 * Order: a moment (an event, a start, a change of name, an attested tenure) chronologically as
 * everywhere (by first possible day, a year before its months and a date whose first day an event
 * raised after that day's others, then by last possible day: dates.ts `compareChronologically`);
 * an end (TENURE_END, LOCATION_END) by its last possible day, after the moments of that day
 * (dates.ts `closingKey`): a period ends after what it may hold, so the order agrees with
 * coverage (the 2010 Chairmanship's end after the Summit of December 2010, as `tenures(asOf:
 * "2010-12-31")` is YES; the audit of 5 December, findings 5 and 13). A start thus comes before
 * the end of the same partial date (`2010`: first day against last). Then by kind in the order
 * above (on one day a start before an end), then by entry id; so the order is total and the
 * same on every load.
 *
 * Memory: the timeline keeps only what cannot be derived, in typed arrays in timeline order (per
 * entry: its kind, the position of its event, tenure or office in the graph's lists, the index of
 * the name or location, and its date among the timeline's distinct dates), about 8 bytes an entry.
 * Everything else (id, label, date, involved entities, provenance) is derived from the graph when
 * an entry is read: `entries.at(order)` hands out a TimelineEntry whose fields are getters, so a
 * request only pays for the entries it returns. The entries involving an entity are found through
 * the graph's relation indexes (tenuresByHolder, participationsByEntity, ...) and the order
 * numbers of each event's, tenure's and office's own entries, rather than through an index keyed
 * by every involved entity. (tests/graph/timeline-reference.test.ts checks every entry and every
 * candidate list against the former timeline of plain objects, tests/support/reference-timeline.ts.)
 */

import { officeNamesOn } from "./asof.js";
import type { DecidedName, GraphCore } from "./core.js";
import {
  type Certainty,
  chronologicalKey,
  closingKey,
  compareChronologicalKeys,
  coverageOfSpan,
  coverageSpan,
  type DatePoint,
  dateOfPoint,
  dayNumber,
  dayRange,
  horizonDayOf,
  momentSpan,
  type PartialDate,
  parsePartialDate,
  rankKeys,
} from "./dates.js";
import { compareKeys } from "./filter.js";
import {
  type Dated,
  type Event,
  kindOf,
  LASTING_EVENT_KINDS,
  type Office,
  type OfficeLocation,
  type Provenance,
  provenanceOfBound,
  type Tenure,
} from "./model.js";

export const timelineEntryKinds = [
  "EVENT",
  "NAME_CHANGE",
  "LOCATION_START",
  "LOCATION_END",
  "TENURE_START",
  "TENURE_ATTESTED",
  "TENURE_END",
] as const;
export type TimelineEntryKind = (typeof timelineEntryKinds)[number];

// kind codes: each kind's place in timelineEntryKinds, which is also its rank on one date
const EVENT = 0;
const NAME_CHANGE = 1;
const LOCATION_START = 2;
const LOCATION_END = 3;
const TENURE_START = 4;
const TENURE_ATTESTED = 5;
const TENURE_END = 6;
const KIND_COUNT = timelineEntryKinds.length;
const KIND_CODE = new Map<TimelineEntryKind, number>(
  timelineEntryKinds.map((kind, i) => [kind, i]),
);

/** An office location together with its office. */
export interface LocatedOffice {
  office: Office;
  location: OfficeLocation;
}

/** A list of entries that can be paged (a page is materialised when asked for). */
export interface TimelineEntryList {
  readonly length: number;
  slice(start: number, end: number): TimelineEntry[];
}

type IndexArray = Uint8Array | Uint16Array | Int32Array;
/** The narrowest typed array that holds `length` numbers from 0 to `max`. */
function indexArray(max: number, length: number): IndexArray {
  return max < 2 ** 8
    ? new Uint8Array(length)
    : max < 2 ** 16
      ? new Uint16Array(length)
      : new Int32Array(length);
}

/** Positions 0..length-1 of `keys`, in the order of compareKeys on the keys. */
function byKey(keys: readonly string[]): Int32Array {
  const positions = Array.from({ length: keys.length }, (_, i) => i);
  positions.sort((a, b) => compareKeys(keys[a]!, keys[b]!));
  return Int32Array.from(positions);
}

/** 0..length-1 in the order of their decimal texts (`name-10` sorts before `name-2` in an entry id). */
function byDecimalText(length: number): number[] {
  const indexes = Array.from({ length }, (_, i) => i);
  return length > 10 ? indexes.sort((a, b) => compareKeys(String(a), String(b))) : indexes;
}

/**
 * One entry of the timeline, read from the timeline's columns and the graph on access: a
 * short-lived object made for a page (two entries for the same order are equal, not identical).
 */
export class TimelineEntry {
  constructor(
    private readonly timeline: Timeline,
    /** The entry's place in the timeline's `entries`. */
    readonly order: number,
  ) {}

  get kind(): TimelineEntryKind {
    return this.timeline.kindAt(this.order);
  }
  /** Unique and stable: the key of the fact's entity plus what the entry marks, e.g. `tenure/x#start`. */
  get id(): string {
    return this.timeline.idAt(this.order);
  }
  /** The entry's date: the event's own, or the bound of a period (then without wording). */
  get date(): Dated {
    return this.timeline.datedAt(this.order);
  }
  get parsed(): PartialDate {
    return this.timeline.dateAt(this.order);
  }
  /** The date its subject is named at (`subjectNameThen`): its own, but for some renamings (`subjectDateAt`). */
  get subjectDate(): PartialDate {
    return this.timeline.subjectDateAt(this.order);
  }
  /** A one-line description for lists, e.g. "OSCE Centre in Almaty renamed OSCE Centre in Astana". */
  get label(): string {
    return this.timeline.labelAt(this.order);
  }
  /** The key of the entity the entry is about: the event, the tenure's holder, the office renamed or located. */
  get subject(): string {
    return this.timeline.subjectAt(this.order);
  }
  get event(): string | undefined {
    return this.timeline.eventAt(this.order)?.id;
  }
  get tenure(): string | undefined {
    return this.timeline.tenureAt(this.order)?.id;
  }
  get officeName(): DecidedName | undefined {
    return this.timeline.officeNameAt(this.order);
  }
  get officeLocation(): LocatedOffice | undefined {
    return this.timeline.officeLocationAt(this.order);
  }
  /** Keys of every entity the entry involves (what `entity` filters match). */
  get involves(): readonly string[] {
    return this.timeline.involvesAt(this.order);
  }
  get provenance(): readonly Provenance[] {
    return this.timeline.provenanceAt(this.order);
  }
}

/** Where an entry's date places it: an end (of a tenure or a stay) by its last possible day. */
const orderKey = (kind: number, date: PartialDate) =>
  kind === TENURE_END || kind === LOCATION_END ? closingKey(date) : chronologicalKey(date);

/** Timeline order, as described in the module comment. */
export function compareEntries(a: TimelineEntry, b: TimelineEntry): number {
  return (
    compareChronologicalKeys(
      orderKey(KIND_CODE.get(a.kind)!, a.parsed),
      orderKey(KIND_CODE.get(b.kind)!, b.parsed),
    ) ||
    KIND_CODE.get(a.kind)! - KIND_CODE.get(b.kind)! ||
    compareKeys(a.id, b.id)
  );
}

/** The columns of a timeline, in timeline order, and where each event's, tenure's and office's entries are. */
interface Columns {
  kinds: Uint8Array;
  /** Position of the entry's event, tenure or office in the graph's list of its kind. */
  sources: Int32Array;
  /** The index of the name (NAME_CHANGE) or location (LOCATION_*) in the office's lists; 0 otherwise. */
  subs: IndexArray;
  /** The entry's date: an index into `dates`. */
  dateIndexes: IndexArray;
  /** Each distinct date of the timeline, parsed. */
  dates: PartialDate[];
  /** The order of each event's entry, by the event's position. */
  eventOrders: Int32Array;
  /** The orders of each tenure's entries (start or attested, then end; -1 where none), by the tenure's position times two. */
  tenureOrders: Int32Array;
  /** The orders of office `p`'s entries are officeOrders[officeStarts[p] .. officeStarts[p + 1]). */
  officeStarts: Int32Array;
  officeOrders: Int32Array;
}

export class Timeline {
  /** In timeline order. */
  readonly entries: TimelineEntryList &
    Iterable<TimelineEntry> & { at(order: number): TimelineEntry };
  private readonly kinds: Uint8Array;
  private readonly sources: Int32Array;
  private readonly subs: IndexArray;
  private readonly dateIndexes: IndexArray;
  private readonly dates: PartialDate[];
  private readonly eventOrders: Int32Array;
  private readonly tenureOrders: Int32Array;
  private readonly officeStarts: Int32Array;
  private readonly officeOrders: Int32Array;

  constructor(
    private readonly graph: GraphCore,
    columns: Columns,
  ) {
    ({
      kinds: this.kinds,
      sources: this.sources,
      subs: this.subs,
      dateIndexes: this.dateIndexes,
      dates: this.dates,
      eventOrders: this.eventOrders,
      tenureOrders: this.tenureOrders,
      officeStarts: this.officeStarts,
      officeOrders: this.officeOrders,
    } = columns);
    this.entries = this.range(false);
  }

  get length(): number {
    return this.kinds.length;
  }

  /** The whole timeline, in timeline order or its reverse. */
  range(
    descending: boolean,
  ): TimelineEntryList & Iterable<TimelineEntry> & { at(order: number): TimelineEntry } {
    const length = this.length;
    const at = (i: number) => new TimelineEntry(this, descending ? length - 1 - i : i);
    return {
      length,
      at,
      slice: (start, end) => {
        const [from, to] = [
          Math.max(0, Math.min(start, length)),
          Math.max(0, Math.min(end, length)),
        ];
        const page: TimelineEntry[] = [];
        for (let i = from; i < to; i++) page.push(at(i));
        return page;
      },
      *[Symbol.iterator]() {
        for (let i = 0; i < length; i++) yield at(i);
      },
    };
  }

  /** The entries at these orders, in the order given. */
  select(orders: readonly number[]): TimelineEntryList {
    return {
      length: orders.length,
      slice: (start, end) =>
        orders.slice(start, end).map((order) => new TimelineEntry(this, order)),
    };
  }

  kindAt(order: number): TimelineEntryKind {
    return timelineEntryKinds[this.kinds[order]!]!;
  }

  /** The entry's date, parsed (its `parsed`; one object per distinct date, shared among entries). */
  dateAt(order: number): PartialDate {
    return this.dates[this.dateIndexes[order]!]!;
  }

  /**
   * How certainly each entry's date holds `at` (a date filter's `activeAt`): an entry marks a
   * moment (a start, an end, a change of name, an act) on one day of its date, which is certain
   * only when the date is that day; a lasting event's and an attested tenure's run through their
   * dates (asof.ts). A tenure's start dated 2010 did not happen on every day of 2010.
   */
  certaintiesAt(at: PartialDate): (order: number) => Certainty {
    const [atFrom, atTo] = dayRange(at);
    const horizon = horizonDayOf(this.graph.horizon);
    // each distinct date judged once per call, as a moment and as a period (entries share their
    // dates: the review of 5 December measured a span made per entry 44% dearer than before)
    const asMoment = new Map<number, Certainty>();
    const asPeriod = new Map<number, Certainty>();
    const judged = (memo: Map<number, Certainty>, order: number, lasting: boolean) => {
      const index = this.dateIndexes[order]!;
      let certainty = memo.get(index);
      if (certainty === undefined) {
        const date = this.dates[index]!;
        const span = lasting ? coverageSpan(date, horizon) : momentSpan(date);
        memo.set(index, (certainty = coverageOfSpan(span, atFrom, atTo)));
      }
      return certainty;
    };
    return (order) => {
      const kind = this.kinds[order]!;
      const lasting =
        kind === TENURE_ATTESTED ||
        (kind === EVENT && LASTING_EVENT_KINDS.has(this.eventAt(order)!.kind));
      return judged(lasting ? asPeriod : asMoment, order, lasting);
    };
  }

  /** Orders of the entries of a kind, ascending. */
  ofKind(kind: TimelineEntryKind): number[] {
    const code = KIND_CODE.get(kind);
    const orders: number[] = [];
    for (let i = 0; i < this.kinds.length; i++) if (this.kinds[i] === code) orders.push(i);
    return orders;
  }

  /**
   * Orders of the entries involving an entity (whose `involves` holds the key), ascending: its own
   * entries (an event, tenure or office), the events it takes part in, is the capacity of or the
   * place of, the tenures it holds or that are of a post it is, or whose post belongs to it (an
   * office or state), the renamings it decided, and the locations it is the place of.
   */
  involving(key: string): number[] {
    const graph = this.graph;
    if (!graph.entity(key)) return [];
    const orders: number[] = [];
    const ofEvent = (id: string) => orders.push(this.eventOrders[graph.position(id)]!);
    const ofTenure = (id: string) => {
      const p = graph.position(id) * 2;
      for (const order of [this.tenureOrders[p]!, this.tenureOrders[p + 1]!])
        if (order >= 0) orders.push(order);
    };
    const ofOffice = (id: string, keep: (kind: number, sub: number) => boolean) => {
      const p = graph.position(id);
      for (let i = this.officeStarts[p]!; i < this.officeStarts[p + 1]!; i++) {
        const order = this.officeOrders[i]!;
        if (keep(this.kinds[order]!, this.subs[order]!)) orders.push(order);
      }
    };
    switch (kindOf(key)) {
      case "event":
        ofEvent(key);
        break;
      case "tenure":
        ofTenure(key);
        break;
      case "office":
        ofOffice(key, () => true);
        break;
      default:
    }
    for (const { event } of graph.participationsByEntity.get(key)) ofEvent(event.id);
    for (const id of graph.eventsByCapacity.get(key)) ofEvent(id);
    for (const id of graph.eventsByPlace.get(key)) ofEvent(id);
    for (const id of graph.tenuresByHolder.get(key)) ofTenure(id);
    for (const id of graph.tenuresByPost.get(key)) ofTenure(id);
    for (const post of [...graph.postsByOffice.get(key), ...graph.postsByState.get(key)])
      for (const id of graph.tenuresByPost.get(post)) ofTenure(id);
    for (const { office, name } of graph.namesDecidedBy.get(key)) {
      const index = office.nameHistory.indexOf(name);
      ofOffice(office.id, (kind, sub) => kind === NAME_CHANGE && sub === index);
    }
    for (const id of graph.officesByPlace.get(key)) {
      const office = graph.get("office", id)!;
      ofOffice(
        id,
        (kind, sub) =>
          (kind === LOCATION_START || kind === LOCATION_END) &&
          office.locations[sub]!.place === key,
      );
    }
    orders.sort((a, b) => a - b);
    return orders.filter((order, i) => i === 0 || order !== orders[i - 1]);
  }

  // ---- an entry's fields, derived ----------------------------------------------------------

  eventAt(order: number): Event | undefined {
    return this.kinds[order] === EVENT ? this.graph.lists.event[this.sources[order]!] : undefined;
  }
  tenureAt(order: number): Tenure | undefined {
    return this.kinds[order]! >= TENURE_START
      ? this.graph.lists.tenure[this.sources[order]!]
      : undefined;
  }
  private officeAt(order: number): Office | undefined {
    const kind = this.kinds[order]!;
    return kind >= NAME_CHANGE && kind <= LOCATION_END
      ? this.graph.lists.office[this.sources[order]!]
      : undefined;
  }
  officeNameAt(order: number): DecidedName | undefined {
    if (this.kinds[order] !== NAME_CHANGE) return undefined;
    const office = this.officeAt(order)!;
    return { office, name: office.nameHistory[this.subs[order]!]! };
  }
  officeLocationAt(order: number): LocatedOffice | undefined {
    const kind = this.kinds[order]!;
    if (kind !== LOCATION_START && kind !== LOCATION_END) return undefined;
    const office = this.officeAt(order)!;
    return { office, location: office.locations[this.subs[order]!]! };
  }

  /** The period an entry marks a bound of, and which bound (undefined for an EVENT or TENURE_ATTESTED entry). */
  private boundAt(order: number): { of: Dated; point: DatePoint; isEnd: boolean } | undefined {
    const kind = this.kinds[order]!;
    const of =
      kind === NAME_CHANGE
        ? this.officeNameAt(order)!.name.when
        : kind === LOCATION_START || kind === LOCATION_END
          ? this.officeLocationAt(order)!.location.when!
          : kind === TENURE_START || kind === TENURE_END
            ? this.tenureAt(order)!.when
            : undefined;
    if (!of) return undefined;
    const period = this.graph.date(of);
    const isEnd = kind === LOCATION_END || kind === TENURE_END;
    return { of, point: (isEnd ? period.end : period.start)!, isEnd };
  }

  idAt(order: number): string {
    const kind = this.kinds[order]!;
    const sub = this.subs[order]!;
    switch (kind) {
      case EVENT:
        return this.eventAt(order)!.id;
      case NAME_CHANGE:
        return `${this.officeAt(order)!.id}#name-${sub}`;
      case LOCATION_START:
        return `${this.officeAt(order)!.id}#location-${sub}-start`;
      case LOCATION_END:
        return `${this.officeAt(order)!.id}#location-${sub}-end`;
      case TENURE_START:
        return `${this.tenureAt(order)!.id}#start`;
      case TENURE_END:
        return `${this.tenureAt(order)!.id}#end`;
      default:
        return `${this.tenureAt(order)!.id}#attested`;
    }
  }

  /**
   * A bound of a period is a date of its own, with the provenance of that end of the period
   * (model.ts `provenanceOfBound`) and no wording; an event bounding that end of the period
   * (Dated.startsNotBefore, endsNotBefore) bounds it.
   */
  datedAt(order: number): Dated {
    const bound = this.boundAt(order);
    if (bound) {
      const { of, point, isEnd } = bound;
      const event = isEnd ? of.endsNotBefore : of.startsNotBefore;
      const provenance = provenanceOfBound(of, isEnd);
      return event === undefined
        ? { edtf: point.edtf, provenance }
        : { edtf: point.edtf, startsNotBefore: event, provenance };
    }
    return (this.eventAt(order) ?? this.tenureAt(order)!).when;
  }

  private nameOf(key: string): string {
    return (this.graph.entity(key) as { name?: { text: string } } | undefined)?.name?.text ?? key;
  }

  labelAt(order: number): string {
    const kind = this.kinds[order]!;
    if (kind === EVENT) return this.eventAt(order)!.name.text;
    if (kind === NAME_CHANGE) {
      const { office, name } = this.officeNameAt(order)!;
      // in the source's word for the change: the 2014 decision is a "transformation", which
      // "renamed" misread as a change of name alone (the audit of 5 December)
      const verb = name.change?.kind === "TRANSFORMATION" ? "transformed into" : "renamed";
      return `${office.nameHistory[this.subs[order]! - 1]!.text} ${verb} ${name.text}`;
    }
    if (kind === LOCATION_START || kind === LOCATION_END) {
      const { office, location } = this.officeLocationAt(order)!;
      // the name it may have borne then (certain names first); where names tie, at a start the
      // later (the name it arrived under), at an end the earlier (the name it bore while still there)
      // asked within the stay, which has the office exist then (asof.ts NameAsked), as its
      // subjectNameThen (`nameThen`) is
      const names = officeNamesOn(this.graph, office, this.dateAt(order), undefined, "IN_A_FACT");
      const tied = names.filter(({ certainty }) => certainty === names[0]?.certainty);
      const officeName =
        (kind === LOCATION_START ? tied[0] : tied.at(-1))?.name.text ?? office.name.text;
      return `${officeName} located in ${this.nameOf(location.place)} ${kind === LOCATION_START ? "from" : "until"} this date`;
    }
    const tenure = this.tenureAt(order)!;
    const post = this.graph.get("post", tenure.post);
    const what = `${this.nameOf(tenure.holder)} – ${post?.name.text ?? tenure.post}`;
    return `${what}: ${kind === TENURE_START ? "start of tenure" : kind === TENURE_END ? "end of tenure" : "tenure attested"}`;
  }

  /**
   * The date the entry's subject is named at (its `subjectNameThen`): the entry's date, except for
   * a NAME_CHANGE whose former name's period ends before the change's first possible day. A
   * renaming acts on the office under its former name, which the name it gives is left out for;
   * where the two periods meet (the field office's renamings: both hold the decision's day) the
   * former name is found on the change's date, but the CSCE (`1973/1994-12-31`) became the OSCE
   * on 1995-01-01, a day it bore the new name only, so that the entry named its subject by its
   * former name with certainty NO (the honest53 audit, F8). It is then named on the last day it
   * may have borne the former name: the day before the change where the periods follow each
   * other (the CSCE's name did end on 1994-12-31: the data is right as it is), and the former
   * name's own last day where a gap lies between them (the day before the change was NO again:
   * review 53b).
   */
  subjectDateAt(order: number): PartialDate {
    const date = this.dateAt(order);
    if (this.kinds[order] !== NAME_CHANGE || date.earliest === null) return date;
    const { office } = this.officeNameAt(order)!;
    const former = office.nameHistory[this.subs[order]! - 1];
    const formerLast = former && this.graph.date(former.when).latest;
    if (!formerLast || dayNumber(formerLast) >= dayNumber(date.earliest)) return date;
    return parsePartialDate(formerLast);
  }

  subjectAt(order: number): string {
    return this.eventAt(order)?.id ?? this.tenureAt(order)?.holder ?? this.officeAt(order)!.id;
  }

  /** Keys of every entity the entry involves, in the order the former timeline listed them (duplicates kept). */
  involvesAt(order: number): string[] {
    const event = this.eventAt(order);
    if (event) {
      return [
        event.id,
        ...(event.place ? [event.place.ref] : []),
        ...event.participants.flatMap((p) => [p.ref, ...(p.capacity ? [p.capacity] : [])]),
      ];
    }
    const tenure = this.tenureAt(order);
    if (tenure) {
      const post = this.graph.get("post", tenure.post);
      return [
        tenure.id,
        tenure.holder,
        tenure.post,
        ...(post?.office ? [post.office.ref] : []),
        ...(post?.state ? [post.state.ref] : []),
      ];
    }
    const named = this.officeNameAt(order);
    if (named) return [named.office.id, ...(named.name.decidedBy ? [named.name.decidedBy] : [])];
    const { office, location } = this.officeLocationAt(order)!;
    return [office.id, location.place];
  }

  /**
   * What states the entry: an event's date's provenance (its line gives the event and the date);
   * for a tenure, a name or a location, the fact's provenance and then its date's, each once. The
   * fact's quote alone may not give the date ("…is headed by Hungarian Ambassador Gyorgy Sabo."
   * for a tenure's start "Since February 9, 2016"), and the date's alone may not give the fact.
   * A start, a change of name or an end cites only what gives that end of the period
   * (`provenanceOfBound`): the 2007 renaming cited the 2014 transformation's line, the 2016 line
   * and the 2014 note, which give the end of the name it gave (the honest54 audit, F8); an
   * attested tenure, a moment within the period, its whole date.
   */
  provenanceAt(order: number): readonly Provenance[] {
    const event = this.eventAt(order);
    if (event) return event.when.provenance;
    const kind = this.kinds[order]!;
    const isEnd = kind === TENURE_END || kind === LOCATION_END;
    const tenure = this.tenureAt(order);
    if (tenure)
      return withDate(
        tenure.provenance,
        kind === TENURE_ATTESTED ? tenure.when.provenance : provenanceOfBound(tenure.when, isEnd),
      );
    const named = this.officeNameAt(order);
    if (named) return withDate(named.name.provenance, provenanceOfBound(named.name.when, false));
    const { location } = this.officeLocationAt(order)!;
    // a location's entry has a date (none is made for a location without one)
    return withDate(location.provenance, provenanceOfBound(location.when!, isEnd));
  }
}

/** A fact's provenance followed by its date's, leaving out what the date repeats (the same quote or note). */
function withDate(fact: readonly Provenance[], date: readonly Provenance[]): readonly Provenance[] {
  const added = date.filter((p) => !fact.some((known) => sameProvenance(known, p)));
  return added.length === 0 ? fact : [...fact, ...added];
}

const sameProvenance = (a: Provenance, b: Provenance): boolean =>
  a === b ||
  ("quote" in a
    ? "quote" in b && a.quote === b.quote && a.source === b.source
    : "editorial" in b && a.editorial === b.editorial);

/**
 * Builds the columns in one pass per kind of fact, then orders the entries with a stable counting
 * sort by (date rank, kind): each kind of fact is produced in the order of its entry ids, so that
 * ties come out by id with no string comparison in the sort.
 */
export function buildTimeline(graph: GraphCore): Timeline {
  const { event: events, tenure: tenures, office: offices } = graph.lists;
  let capacity = events.length + 2 * tenures.length;
  let maxSub = 0;
  for (const office of offices) {
    capacity += office.nameHistory.length + 2 * office.locations.length;
    maxSub = Math.max(maxSub, office.nameHistory.length, office.locations.length);
  }
  // entries in the order they are produced (by id within each kind of fact)
  const kinds = new Uint8Array(capacity);
  const sources = new Int32Array(capacity);
  const subs = indexArray(maxSub, capacity);
  const dateIndexes = new Int32Array(capacity);
  const dates: PartialDate[] = [];
  // each distinct date's place in the order: an end's is its last day (`orderKey`), so the same
  // date as an end and as anything else is two dates here
  const orderKeys: ReturnType<typeof chronologicalKey>[] = [];
  const dateIndex = new Map<string, number>();
  let count = 0;
  const add = (kind: number, source: number, sub: number, date: PartialDate | DatePoint) => {
    const parsed = "isInterval" in date ? date : dateOfPoint(date);
    const closing = kind === TENURE_END || kind === LOCATION_END;
    // the same text narrowed by a bound (Dated.startsNotBefore, endsNotBefore) is another date
    const key = `${closing ? "end " : ""}${parsed.edtf} ${parsed.earliest ?? ""} ${parsed.end?.earliest ?? ""}`;
    let index = dateIndex.get(key);
    if (index === undefined) {
      index = dates.length;
      dates.push(parsed);
      orderKeys.push(orderKey(kind, parsed));
      dateIndex.set(key, index);
    }
    kinds[count] = kind;
    sources[count] = source;
    subs[count] = sub;
    dateIndexes[count] = index;
    count++;
  };

  for (const p of byKey(graph.keys.event)) add(EVENT, p, 0, graph.date(events[p]!.when));
  for (const p of byKey(graph.keys.tenure)) {
    const tenure = tenures[p]!;
    const period = graph.date(tenure.when);
    if (tenure.timing === "POINT_IN_TIME") add(TENURE_ATTESTED, p, 0, period);
    else {
      if (period.start) add(TENURE_START, p, 0, period.start);
      if (period.end) add(TENURE_END, p, 0, period.end);
    }
  }
  let officeEntries = count;
  for (const p of byKey(graph.keys.office)) {
    const office = offices[p]!;
    // in an id, `#location-` sorts before `#name-`; the kinds never tie, so either order does
    for (const i of byDecimalText(office.nameHistory.length)) {
      const start = graph.date(office.nameHistory[i]!.when).start;
      if (i > 0 && start) add(NAME_CHANGE, p, i, start);
    }
    for (const i of byDecimalText(office.locations.length)) {
      const when = office.locations[i]!.when;
      if (!when) continue;
      const period = graph.date(when);
      if (period.start) add(LOCATION_START, p, i, period.start);
      if (period.end) add(LOCATION_END, p, i, period.end);
    }
  }

  officeEntries = count - officeEntries;

  // stable counting sort by (rank of the date, kind)
  const rank = rankKeys(orderKeys.map((key, i) => [i, key] as const));
  const rankOf = Int32Array.from(dates, (_, i) => rank.get(i)!);
  const buckets = (rankOf.reduce((a, b) => Math.max(a, b), -1) + 1) * KIND_COUNT;
  const starts = new Int32Array(buckets + 1);
  const bucketOf = new Int32Array(count);
  for (let i = 0; i < count; i++)
    starts[(bucketOf[i] = rankOf[dateIndexes[i]!]! * KIND_COUNT + kinds[i]!) + 1]!++;
  for (let b = 0; b < buckets; b++) starts[b + 1]! += starts[b]!;

  const columns: Columns = {
    kinds: new Uint8Array(count),
    sources: new Int32Array(count),
    subs: indexArray(maxSub, count),
    dateIndexes: indexArray(dates.length, count),
    dates,
    eventOrders: new Int32Array(events.length),
    tenureOrders: new Int32Array(2 * tenures.length).fill(-1),
    officeStarts: new Int32Array(offices.length + 1),
    officeOrders: new Int32Array(officeEntries),
  };
  const officeCounts = columns.officeStarts;
  for (let i = 0; i < count; i++) {
    const order = starts[bucketOf[i]!]!++;
    const kind = kinds[i]!;
    const source = sources[i]!;
    columns.kinds[order] = kind;
    columns.sources[order] = source;
    columns.subs[order] = subs[i]!;
    columns.dateIndexes[order] = dateIndexes[i]!;
    if (kind === EVENT) columns.eventOrders[source] = order;
    else if (kind >= TENURE_START)
      columns.tenureOrders[2 * source + (kind === TENURE_END ? 1 : 0)] = order;
    else officeCounts[source + 1]!++;
  }
  // each office's entries, in timeline order
  for (let p = 0; p < offices.length; p++) officeCounts[p + 1]! += officeCounts[p]!;
  const next = officeCounts.slice(0, offices.length);
  for (let order = 0; order < count; order++) {
    const kind = columns.kinds[order]!;
    if (kind >= NAME_CHANGE && kind <= LOCATION_END)
      columns.officeOrders[next[columns.sources[order]!]!++] = order;
  }
  return new Timeline(graph, columns);
}
