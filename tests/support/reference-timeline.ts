/**
 * The timeline as it was before the compact timeline of src/graph/timeline.ts: every entry a plain
 * object with its id, label, date and `involves` list built at once, and `byEntity` / `byKind`
 * MultiIndexes of entries. Copied verbatim from src/graph/timeline.ts at aa966d6 (only the import
 * paths changed), followed by the selection of src/graph/lists.ts that ran over it (taking the
 * timeline as an argument): tests/graph/timeline-reference.test.ts
 * checks that the compact timeline gives the same entries, in the same order, and the same candidates.
 *
 * (Original module comment follows.)
 *
 * The timeline: every dated fact of the graph as one chronological list, built once, on first use (KnowledgeGraph.timeline).
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
 * Order: chronological as everywhere (by first possible day, a year before its months, then by
 * last possible day), an end by its last possible day after the dates of that day, then by kind
 * in the order above, then by entry id; so the order is total and the same on every load.
 */

import {
  chronologicalKey,
  closingKey,
  compareChronologicalKeys,
  type DatePoint,
  narrowed,
  type PartialDate,
  parsePartialDate,
  rankKeys,
} from "../../src/graph/dates.js";
// (for the selection, at the end)
import {
  type Comparator,
  compareKeys,
  compileFilter,
  compileOrder,
  dateField,
  enumField,
  type FilterSpec,
  keyField,
  select,
} from "../../src/graph/filter.js";
import { type DecidedName, type KnowledgeGraph, MultiIndex } from "../../src/graph/graph.js";
import type {
  DatedRecordOrderField,
  ListArgs,
  TimelineFilterInput,
} from "../../src/graph/lists.js";
import type { Dated, Office, OfficeLocation, Provenance, Tenure } from "../../src/graph/model.js";
import { entityKinds } from "../../src/graph/model.js";

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

/** An office location together with its office. */
export interface LocatedOffice {
  office: Office;
  location: OfficeLocation;
}

export interface TimelineEntry {
  /** Unique and stable: the key of the fact's entity plus what the entry marks, e.g. `tenure/x#start`. */
  id: string;
  kind: TimelineEntryKind;
  /** The entry's date: the event's own, or the bound of a period (then without wording). */
  date: Dated;
  parsed: PartialDate;
  /** A one-line description for lists, e.g. "OSCE Centre in Almaty renamed OSCE Centre in Astana". */
  label: string;
  /** The key of the entity the entry is about: the event, the tenure's holder, the office renamed or located. */
  subject: string;
  event?: string;
  tenure?: string;
  officeName?: DecidedName;
  officeLocation?: LocatedOffice;
  /** Keys of every entity the entry involves (what `entity` filters match). */
  involves: readonly string[];
  provenance: readonly Provenance[];
  /** The entry's place in the timeline's `entries`. */
  order: number;
}

export interface Timeline {
  /** In timeline order. */
  entries: readonly TimelineEntry[];
  /** Entries involving an entity, in timeline order. */
  byEntity: MultiIndex<TimelineEntry>;
  /** Entries of a kind, in timeline order. */
  byKind: MultiIndex<TimelineEntry>;
}

/**
 * An entry with every field in one fixed order, present or undefined: entries built from spreads
 * of different shapes kept their fields outside the object (a third of the timeline's memory).
 */
function entry(e: Omit<TimelineEntry, "order">): TimelineEntry {
  return {
    id: e.id,
    kind: e.kind,
    date: e.date,
    parsed: e.parsed,
    label: e.label,
    subject: e.subject,
    event: e.event,
    tenure: e.tenure,
    officeName: e.officeName,
    officeLocation: e.officeLocation,
    involves: e.involves,
    provenance: e.provenance,
    order: 0,
  };
}

const KIND_RANK = new Map<TimelineEntryKind, number>(
  timelineEntryKinds.map((kind, i) => [kind, i]),
);

/** Timeline order, as described in the module comment. */
const isEnd = (e: TimelineEntry) => e.kind === "TENURE_END" || e.kind === "LOCATION_END";
/** An end by its last possible day, after the dates of that day; anything else by its first. */
const placeOf = (e: TimelineEntry) =>
  isEnd(e) ? closingKey(e.parsed) : chronologicalKey(e.parsed);

export function compareEntries(a: TimelineEntry, b: TimelineEntry): number {
  return (
    compareChronologicalKeys(placeOf(a), placeOf(b)) ||
    KIND_RANK.get(a.kind)! - KIND_RANK.get(b.kind)! ||
    compareKeys(a.id, b.id)
  );
}

export function buildTimeline(graph: KnowledgeGraph): Timeline {
  const entries: TimelineEntry[] = [];
  const nameOf = (key: string) =>
    (graph.entity(key) as { name?: { text: string } } | undefined)?.name?.text ?? key;
  /**
   * A bound of a period as a date of its own, with the provenance of that end (`sideOf`) and no
   * wording; the event bounding that end of the period, if any, bounds it (added with
   * Dated.startsNotBefore).
   */
  const boundOf = (
    point: DatePoint,
    of: Dated,
    isEnd = false,
  ): { date: Dated; parsed: PartialDate } => {
    const event = isEnd ? of.endsNotBefore : of.startsNotBefore;
    return {
      date:
        event === undefined
          ? { edtf: point.edtf, provenance: sideOf(of, isEnd) }
          : { edtf: point.edtf, startsNotBefore: event, provenance: sideOf(of, isEnd) },
      parsed: narrowed(parsePartialDate(point.edtf), point.earliest, null),
    };
  };

  for (const event of graph.lists.event) {
    entries.push(
      entry({
        id: event.id,
        kind: "EVENT",
        date: event.when,
        parsed: graph.date(event.when),
        label: event.name.text,
        subject: event.id,
        event: event.id,
        involves: [
          event.id,
          ...(event.place ? [event.place.ref] : []),
          ...event.participants.flatMap((p) => [p.ref, ...(p.capacity ? [p.capacity] : [])]),
        ].slice(), // an exact copy: a spread list keeps spare room
        provenance: event.when.provenance,
      }),
    );
  }

  for (const tenure of graph.lists.tenure)
    for (const e of tenureEntries(graph, tenure, nameOf, boundOf)) entries.push(entry(e));

  for (const office of graph.lists.office) {
    office.nameHistory.forEach((name, i) => {
      const previous = office.nameHistory[i - 1];
      const start = graph.date(name.when).start;
      if (!previous || !start) return;
      entries.push(
        entry({
          id: `${office.id}#name-${i}`,
          kind: "NAME_CHANGE",
          ...boundOf(start, name.when),
          label: `${previous.text} ${name.change?.kind === "TRANSFORMATION" ? "transformed into" : "renamed"} ${name.text}`,
          subject: office.id,
          officeName: { office, name },
          involves: [office.id, ...(name.decidedBy ? [name.decidedBy] : [])],
          provenance: andDate(name.provenance, sideOf(name.when, false)),
        }),
      );
    });
    office.locations.forEach((location, i) => {
      if (!location.when) return;
      const period = graph.date(location.when);
      const place = nameOf(location.place);
      for (const [kind, point] of [
        ["LOCATION_START", period.start],
        ["LOCATION_END", period.end],
      ] as const) {
        if (!point) continue;
        const bound = boundOf(point, location.when, kind === "LOCATION_END");
        // the names of the best certainty at the bound, in history order: a start takes the last
        // of them (the name it arrived under), an end the first (the name it bore while there)
        const held = office.nameHistory
          .map((n) => ({
            n,
            rank: { YES: 2, MAYBE: 1, NO: 0 }[graph.certainty(n.when, bound.parsed)],
          }))
          .filter(({ rank }) => rank > 0);
        const best = held.filter(({ rank }) => rank === Math.max(...held.map((h) => h.rank)));
        const officeName =
          (kind === "LOCATION_START" ? best.at(-1) : best[0])?.n.text ?? office.name.text;
        entries.push(
          entry({
            id: `${office.id}#location-${i}-${kind === "LOCATION_START" ? "start" : "end"}`,
            kind,
            ...bound,
            label:
              kind === "LOCATION_START"
                ? `${officeName} located in ${place} from this date`
                : `${officeName} located in ${place} until this date`,
            subject: office.id,
            officeLocation: { office, location },
            involves: [office.id, location.place],
            provenance: andDate(
              location.provenance,
              sideOf(location.when, kind === "LOCATION_END"),
            ),
          }),
        );
      }
    });
  }

  // in the order of compareEntries, with each distinct place ranked once (see rankKeys)
  const placeKey = (e: TimelineEntry) => `${isEnd(e)} ${e.parsed.edtf} ${e.parsed.earliest}`;
  const rank = rankKeys(entries.map((e) => [placeKey(e), placeOf(e)] as const));
  const ranked = entries.map((e) => ({
    e,
    rank: rank.get(placeKey(e))!,
    kind: KIND_RANK.get(e.kind)!,
  }));
  ranked.sort((a, b) => a.rank - b.rank || a.kind - b.kind || compareKeys(a.e.id, b.e.id));
  ranked.forEach((r, i) => (entries[i] = r.e));
  const byEntity = new MultiIndex<TimelineEntry>();
  const byKind = new MultiIndex<TimelineEntry>();
  entries.forEach((entry, i) => {
    entry.order = i;
    byKind.add(entry.kind, entry);
    for (const key of new Set(entry.involves)) byEntity.add(key, entry);
  });
  return { entries, byEntity: byEntity.compact(), byKind: byKind.compact() };
}

/** What states an entry of a fact: the fact's provenance, then what its date's adds. */
const andDate = (fact: readonly Provenance[], date: readonly Provenance[]): Provenance[] => [
  ...fact,
  ...date.filter((p) => !fact.some((known) => JSON.stringify(known) === JSON.stringify(p))),
];

/** What gives one end of a period: that end's `boundProvenance` where the date gives it, else all its provenance. */
const sideOf = (when: Dated, isEnd: boolean): Provenance[] =>
  (isEnd ? when.boundProvenance?.end : when.boundProvenance?.start) ?? when.provenance;

function tenureEntries(
  graph: KnowledgeGraph,
  tenure: Tenure,
  nameOf: (key: string) => string,
  boundOf: (point: DatePoint, of: Dated, isEnd?: boolean) => { date: Dated; parsed: PartialDate },
): Omit<TimelineEntry, "order">[] {
  const post = graph.get("post", tenure.post);
  const what = `${nameOf(tenure.holder)} – ${post?.name.text ?? tenure.post}`;
  const common = {
    subject: tenure.holder,
    tenure: tenure.id,
    involves: [
      tenure.id,
      tenure.holder,
      tenure.post,
      ...(post?.office ? [post.office.ref] : []),
      ...(post?.state ? [post.state.ref] : []),
    ].slice(),
  };
  if (tenure.timing === "POINT_IN_TIME") {
    return [
      {
        id: `${tenure.id}#attested`,
        kind: "TENURE_ATTESTED",
        date: tenure.when,
        parsed: graph.date(tenure.when),
        label: `${what}: tenure attested`,
        ...common,
        provenance: andDate(tenure.provenance, tenure.when.provenance),
      },
    ];
  }
  const { start, end } = graph.date(tenure.when);
  return [
    ...(start
      ? [
          {
            id: `${tenure.id}#start`,
            kind: "TENURE_START" as const,
            ...boundOf(start, tenure.when),
            label: `${what}: start of tenure`,
            ...common,
            provenance: andDate(tenure.provenance, sideOf(tenure.when, false)),
          },
        ]
      : []),
    ...(end
      ? [
          {
            id: `${tenure.id}#end`,
            kind: "TENURE_END" as const,
            ...boundOf(end, tenure.when, true),
            label: `${what}: end of tenure`,
            ...common,
            provenance: andDate(tenure.provenance, sideOf(tenure.when, true)),
          },
        ]
      : []),
  ];
}

// ---- the former selection, copied verbatim from src/graph/lists.ts at aa966d6 (selectRecords, selectTimeline) ----

/** Records of a list, filtered and ordered; ties are broken by their place in `list`. */
function selectRecords<T>(
  list: readonly T[],
  spec: FilterSpec<T>,
  fields: Record<string, Comparator<T>>,
  args: ListArgs<object, string>,
  options: { whole: boolean; defaultOrder?: Comparator<T> },
): T[] {
  const position = new Map(list.map((item, i) => [item, i]));
  const byPosition: Comparator<T> = (a, b) => position.get(a)! - position.get(b)!;
  const defaultOrder = options.defaultOrder ?? byPosition;
  const condition = compileFilter(spec, args.filter, "filter");
  const order = compileOrder(fields, args.orderBy, "orderBy", {
    order: defaultOrder,
    tieBreak: defaultOrder,
  });
  return select(() => list, list.length, condition, order, { whole: options.whole, defaultOrder });
}

/** Timeline entries matching the filter, in timeline order (DATE DESC is its exact reverse). */
export function selectTimeline(
  graph: KnowledgeGraph,
  timeline: Timeline,
  args: ListArgs<TimelineFilterInput, DatedRecordOrderField>,
): TimelineEntry[] {
  const { entries, byEntity, byKind } = timeline;
  const spec: FilterSpec<TimelineEntry> = {
    date: dateField(graph, (e) => e.parsed),
    entity: keyField(
      graph,
      entityKinds,
      (e) => e.involves,
      (key) => byEntity.get(key),
    ),
    kind: enumField(
      (e) => e.kind,
      (kind) => byKind.get(kind),
    ),
  };
  const inOrder: Comparator<TimelineEntry> = (a, b) => a.order - b.order;
  return selectRecords(entries, spec, { DATE: inOrder }, args, {
    whole: true,
    defaultOrder: inOrder,
  });
}
