/** The timeline: every dated fact in chronological order (built once, on the first query that needs it; see src/graph/timeline.ts). */
import {
  type DatedRecordOrderField,
  selectTimelineSliced,
  type TimelineFilterInput,
} from "../graph/lists.js";
import {
  type TimelineEntry,
  type TimelineEntryKind,
  timelineEntryKinds,
} from "../graph/timeline.js";
import { builder } from "./builder.js";
import { EntityRef } from "./entity.js";
import {
  DateFilter,
  enumFilter,
  KeyFilter,
  listArgs,
  logicalFields,
  orderInput,
} from "./filters.js";
import { NameThenRef, nameThenOf } from "./name-then.js";
import { OfficeLocationRef } from "./office.js";
import { recordPage } from "./pages.js";
import { NULL_WHEN_INVALID } from "./pagination.js";
import { PartialDateRef } from "./partial-date.js";
import { ProvenanceRef } from "./provenance.js";
import { EventRef, loadEntity, OfficeNameRef, TenureRef } from "./refs.js";

const KIND_DESCRIPTIONS: Record<TimelineEntryKind, string> = {
  EVENT: "An event, on its date (see `event`).",
  NAME_CHANGE:
    "An office takes a new name, on the day its period starts (see `officeName`; its `decidedBy` is the decision). The name an office opened under is not a change: its opening is an EVENT.",
  LOCATION_START:
    "An office starts sitting in a place, on the start of the location's period (see `officeLocation`).",
  LOCATION_END: "An office stops sitting in a place, on the known end of the location's period.",
  TENURE_START:
    "A tenure (of timing PERIOD) begins, on the start of its `when` (see `tenure`). An unknown start gives no entry.",
  TENURE_ATTESTED:
    "A POINT_IN_TIME tenure: the source attests the post was held at this moment, and says nothing of its start or end.",
  TENURE_END:
    "A tenure (of timing PERIOD) ends, on the end of its `when`. An unknown end gives no entry, and neither does an open one (still held when the source was last updated).",
};

const TimelineEntryKindEnum = builder.enumType("TimelineEntryKind", {
  description:
    "What a timeline entry marks. On the same date, entries come in the order of this list: EVENT, NAME_CHANGE, LOCATION_START, LOCATION_END, TENURE_START, TENURE_ATTESTED, TENURE_END.",
  values: Object.fromEntries(
    timelineEntryKinds.map((kind) => [kind, { value: kind, description: KIND_DESCRIPTIONS[kind] }]),
  ) as Record<TimelineEntryKind, { value: TimelineEntryKind; description: string }>,
});
const TimelineEntryKindFilter = enumFilter<TimelineEntryKind>(
  "TimelineEntryKind",
  TimelineEntryKindEnum,
  "what a timeline entry marks",
);

const TimelineEntryRef = builder.objectRef<TimelineEntry>("TimelineEntry").implement({
  description:
    "One dated fact on the timeline: an event, the start or end of a tenure or of an office's location, a renaming. " +
    "`kind` says which, and the matching field (`event`, `tenure`, `officeName`, `officeLocation`) holds the fact.",
  fields: (t) => ({
    date: t.field({
      type: PartialDateRef,
      description:
        "When: the event's date, or the bound of the period that starts or ends here, as precisely as the source gives it (such a bound has no `wording` of its own, " +
        "and its `provenance` is what gives that end of the period: for the 2007 renaming, the renaming's line and note, not the 2014 line that ends the name it gave).",
      resolve: (e) => ({ dated: e.date, parsed: e.parsed }),
    }),
    kind: t.field({
      type: TimelineEntryKindEnum,
      description: "What the entry marks.",
      resolve: (e) => e.kind,
    }),
    label: t.exposeString("label", {
      description:
        "A one-line description, e.g. `OSCE Centre in Almaty renamed OSCE Centre in Astana` (a change the source calls a transformation says `transformed into`).",
    }),
    subject: t.field({
      type: EntityRef,
      description:
        "The entity the entry is about: the event, the tenure's holder, the office renamed or located.",
      resolve: (e, _args, ctx) => loadEntity(ctx, e.subject),
    }),
    subjectNameThen: t.field({
      type: NameThenRef,
      description:
        "What `subject` was called on the entry's date, from its name history, with how certainly (its `label` is its name as of the source). " +
        "For an event or a NAME_CHANGE, the name that event or change gives is left out: the renamed office bore its old name when it was renamed. " +
        "Where that old name's period ends before the change (the CSCE's ends on 1994-12-31, the OSCE's begins on 1995-01-01), a NAME_CHANGE names its subject on the last day it may have borne that name (here the day before the change): Conference on Security and Co-operation in Europe, with that day's certainty.",
      resolve: (e, _args, ctx) => {
        const given = e.officeName?.name;
        const event = e.event;
        return nameThenOf(
          ctx,
          e.subject,
          // a renaming after its former name's end: the day before it (graph/timeline.ts)
          e.subjectDate,
          (name) => name === given || (event !== undefined && name.decidedBy === event),
          // the end of a stay: among tied names, the one it bore while there, as `label` says
          e.kind === "LOCATION_END",
        );
      },
    }),
    event: t.field({
      type: EventRef,
      nullable: true,
      description: "The event, for an EVENT entry; null otherwise.",
      resolve: (e) => e.event ?? null,
    }),
    tenure: t.field({
      type: TenureRef,
      nullable: true,
      description: "The tenure, for a TENURE_* entry; null otherwise.",
      resolve: (e) => e.tenure ?? null,
    }),
    officeName: t.field({
      type: OfficeNameRef,
      nullable: true,
      description: "The new name, for a NAME_CHANGE entry; null otherwise.",
      resolve: (e) => e.officeName ?? null,
    }),
    officeLocation: t.field({
      type: OfficeLocationRef,
      nullable: true,
      description: "The location, for a LOCATION_* entry; null otherwise. `subject` is the office.",
      resolve: (e) => e.officeLocation?.location ?? null,
    }),
    provenance: t.field({
      type: [ProvenanceRef],
      description:
        "Why the graph holds this entry: for an EVENT, the provenance of its date (the source's line gives both); " +
        "for a tenure, name or location, the provenance of the fact and then that of its date, each quote once: for a start, a change of name or an end, " +
        "only what gives that end of the period (the 2007 renaming cites its own line and note, not the lines and notes of the 2014 transformation that ended the name), " +
        "for an attested tenure its whole date.",
      resolve: (e) => [...e.provenance],
    }),
  }),
});

export const TimelineFilter = builder.inputRef<TimelineFilterInput>("TimelineFilter").implement({
  description: "Conditions on a timeline entry; every field given must hold.",
  fields: (t) => ({
    date: t.field({
      type: DateFilter,
      description: 'The entry\'s date, e.g. `{overlaps: "2010"}` for the period 2010.',
    }),
    entity: t.field({
      type: KeyFilter,
      description:
        "An entity the entry involves, by full key (e.g. `office/osce-field-office-kazakhstan`) or by a slug only one kind has: " +
        "an event's participants and place, a tenure's holder, post and the post's office or state, a renamed or located office, its place and deciding event.",
    }),
    kind: t.field({ type: TimelineEntryKindFilter, description: "What the entry marks." }),
    ...logicalFields(t, TimelineFilter),
  }),
});

const TimelineOrder = orderInput<DatedRecordOrderField>(
  "Timeline",
  { DATE: "In timeline order; DESC is its exact reverse (newest first)." },
  "by the timeline order",
);

builder.queryFields((t) => ({
  timeline: t.connection({
    type: TimelineEntryRef,
    nullable: true,
    description:
      "Every dated fact (events, tenure starts and ends, renamings, office locations) in chronological order. An event, a start, a renaming or an attested tenure " +
      "by the first day its date may denote (a year before its months, a start an event bounds after that event's day, then by last possible day); " +
      "an end (TENURE_END, LOCATION_END) by the last day its date may denote, after the other entries of that day: a period ends after what it may hold " +
      "(the end of the 2010 Chairmanship after the Astana Summit of December 2010), so a start comes before the end of the same partial date. " +
      "Then by kind (see TimelineEntryKind), then by a stable id." +
      ` ${NULL_WHEN_INVALID}`,
    args: listArgs(
      t.arg,
      TimelineFilter,
      TimelineOrder,
      "entries",
      "chronological",
      "by the timeline order",
    ),
    resolve: (_root, args, ctx, info) =>
      recordPage(ctx, info, undefined, args, (deadline) =>
        selectTimelineSliced(ctx.graph, args, deadline),
      ),
  }),
}));
