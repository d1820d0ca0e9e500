import { type EventFilterInput, selectParticipants } from "../graph/lists.js";
import { builder } from "./builder.js";
import {
  EntityRef,
  EvidenceRef,
  evidenceOf,
  keyArgDescription,
  lookUp,
  namesOf,
} from "./entity.js";
import { listArgs, logicalFields } from "./filters.js";
import { EventKindEnum } from "./kinds.js";
import { nameFields } from "./names.js";
import { recordPage, rootPage } from "./pages.js";
import { NULL_WHEN_INVALID } from "./pagination.js";
import { datedShape, PartialDateRef } from "./partial-date.js";
import {
  EventOrder,
  eventFilterFields,
  ParticipantFilter,
  ParticipantOrder,
  ParticipantRef,
} from "./participation.js";
import { EventRef, OfficeNameRef, PlaceRef } from "./refs.js";
import { isKind } from "./type-guards.js";

EventRef.implement({
  description:
    "Something that happened on a (partial) date: an opening, a decision, a meeting, a summit, an appointment, a chairmanship.",
  interfaces: [EntityRef],
  isTypeOf: isKind("event"),
  fields: (t) => ({
    name: t.string({
      description: "What happened, e.g. Astana OSCE Summit.",
      resolve: (e) => e.name.text,
    }),
    ...nameFields(t, "Every name of the event, with kinds and provenance.", namesOf),
    description: t.string({
      nullable: true,
      description:
        "More on what happened (e.g. what a meeting decided); null when there is nothing more.",
      resolve: (e) => e.description?.text ?? null,
    }),
    kind: t.field({
      type: EventKindEnum,
      description: "What sort of event this is.",
      resolve: (e) => e.kind,
    }),
    when: t.field({
      type: PartialDateRef,
      description: "When it happened, as precisely as the source says.",
      resolve: (e, _args, ctx) => datedShape(e.when, ctx),
    }),
    place: t.field({
      type: PlaceRef,
      nullable: true,
      description: "Where it happened; null when the source does not say.",
      resolve: (e) => e.place?.ref ?? null,
    }),
    participants: t.connection({
      type: ParticipantRef,
      description:
        "Who and what took part, in which role: the deciding body, the chair, the office opened, the person appointed. In the source's order.",
      args: listArgs(
        t.arg,
        ParticipantFilter,
        ParticipantOrder,
        "participants",
        "the source's order",
        "by the source's order",
      ),
      resolve: (e, args, ctx, info) =>
        recordPage(ctx, info, e, args, (deadline) =>
          selectParticipants(ctx.graph, e, args, deadline),
        ),
    }),
    officeNamesGiven: t.field({
      type: [OfficeNameRef],
      description:
        "The office names this event (a renaming decision) gave; empty for other events.",
      resolve: (e, _args, ctx) => [...ctx.graph.namesDecidedBy.get(e.id)],
    }),
    evidence: t.field({
      type: [EvidenceRef],
      description:
        "Provenance of the event's single-valued fields (`name`, `description`, `when`, `place`).",
      resolve: (e) =>
        evidenceOf({ name: e.name, description: e.description, when: e.when, place: e.place }),
    }),
  }),
});

export const EventFilter = builder.inputRef<EventFilterInput>("EventFilter").implement({
  description: "Conditions on an event; every field given must hold.",
  fields: (t) => ({
    ...eventFilterFields(t),
    ...logicalFields(t, EventFilter),
  }),
});

/** The `filter` and `orderBy` arguments of a list of events. */
export const eventListArgs = (arg: Parameters<typeof listArgs>[0]) =>
  listArgs(arg, EventFilter, EventOrder, "events", "chronological");

builder.queryFields((t) => ({
  events: t.connection({
    type: EventRef,
    nullable: true,
    description: `Every event in chronological order: by first possible day, a year before its months and a start an event bounds after that event's day, then by key. ${NULL_WHEN_INVALID}`,
    args: eventListArgs(t.arg),
    resolve: (_root, args, ctx, info) => rootPage(ctx, info, "event", args),
  }),
  event: t.field({
    type: EventRef,
    nullable: true,
    description:
      "One event by its readable key; null when there is none, with a NOT_FOUND error that suggests near keys.",
    args: {
      key: t.arg.string({
        required: true,
        description: keyArgDescription("event", "2010-12-astana-osce-summit"),
      }),
    },
    resolve: (_root, args, ctx) => lookUp(ctx, "event", args.key),
  }),
}));
