/** Events seen from one of their participants, and the Participant type itself. */
import type { KnowledgeGraph, Participation } from "../graph/graph.js";
import type {
  EntityEventFilterInput,
  EventOrderField,
  ParticipantFilterInput,
  ParticipantOrderField,
} from "../graph/lists.js";
import { builder, type Types } from "./builder.js";
import { EntityRef } from "./entity.js";
import {
  DateFilter,
  KeyFilter,
  listArgs,
  logicalFields,
  namedFilterFields,
  orderInput,
} from "./filters.js";
import { EventKindFilter, ParticipantRoleEnum, ParticipantRoleFilter } from "./kinds.js";
import { NameThenRef, nameThenOf } from "./name-then.js";
import { relationPage } from "./pages.js";
import { ProvenanceRef } from "./provenance.js";
import { EventRef, loadEntity, TenureRef } from "./refs.js";

export const ParticipantRef = builder.objectRef<Participation>("Participant").implement({
  description:
    "An entity's part in an event: who or what, in which role, and in which capacity (tenure) if the source says.",
  fields: (t) => ({
    role: t.field({
      type: ParticipantRoleEnum,
      description: "The part the entity plays in the event.",
      resolve: (p) => p.participant.role,
    }),
    entity: t.field({
      type: EntityRef,
      description:
        "The participating entity: a state, office, person, place or another event. Use `... on Person { }` and so on; " +
        "its `label` is its name as of the source, while `nameThen` is what it was called at the event.",
      resolve: (p, _args, ctx) => loadEntity(ctx, p.participant.ref),
    }),
    event: t.field({ type: EventRef, description: "The event.", resolve: (p) => p.event }),
    nameThen: t.field({
      type: NameThenRef,
      description:
        "What the participant was called at the event's date, from its name history, with how certainly: the subject of the 2007 renaming " +
        "is OSCE Centre in Almaty (a renaming decision acts on the office under its old name).",
      resolve: (p, _args, ctx) =>
        nameThenOf(
          ctx,
          p.participant.ref,
          ctx.graph.date(p.event.when),
          (name) => name.decidedBy === p.event.id,
        ),
    }),
    capacity: t.field({
      type: TenureRef,
      nullable: true,
      description:
        "The tenure in which the participant acted, e.g. Nazarbayev's tenure as President when he chaired the Astana Summit; null when the source gives none.",
      resolve: (p) => p.participant.capacity ?? null,
    }),
    provenance: t.field({
      type: [ProvenanceRef],
      description: "Why the graph says the entity took part in this role.",
      resolve: (p) => p.participant.provenance,
    }),
  }),
});

type InputFields = PothosSchemaTypes.InputFieldBuilder<Types, "InputObject">;

export const ParticipantFilter = builder
  .inputRef<ParticipantFilterInput>("ParticipantFilter")
  .implement({
    description:
      "Conditions on a participant of an event; every field given must hold. Given no field (`{}`, or fields given no operator), it asks nothing: every event matches, one without participants too, as with the filter left out.",
    fields: (t) => ({
      entity: t.field({
        type: KeyFilter,
        description:
          "The participating entity: a state, place, office, person, event, post or dimension, by full key (`office/permanent-council`) or by slug where only one kind has it.",
      }),
      role: t.field({
        type: ParticipantRoleFilter,
        description: "The part it plays in the event.",
      }),
      capacity: t.field({
        type: KeyFilter,
        description:
          "The tenure in which it acted, e.g. `tenure/nursultan-nazarbayev-president-at-astana-summit`.",
      }),
      ...logicalFields(t, ParticipantFilter),
    }),
  });

export const ParticipantOrder = orderInput<ParticipantOrderField>(
  "Participant",
  { ROLE: "By role name, alphabetically.", ENTITY: "By the participating entity's key." },
  "by the source's order",
);

/** The fields of an EventFilter (the logical ones aside), shared with EntityEventFilter. */
export const eventFilterFields = (t: InputFields) => ({
  ...namedFilterFields(t, "event", "event/2010-12-astana-osce-summit"),
  kind: t.field({ type: EventKindFilter, description: "The event's kind." }),
  place: t.field({
    type: KeyFilter,
    description:
      "Where it took place, a place key, e.g. `almaty`; an event without a place never matches.",
  }),
  participant: t.field({
    type: ParticipantFilter,
    description:
      'At least one participant satisfies this filter (all its fields by the same participant), e.g. `{entity: {eq: "office/permanent-council"}, role: {eq: DECIDING_BODY}}`.',
  }),
  when: t.field({
    type: DateFilter,
    description:
      'The event\'s date, e.g. `{overlaps: "2010"}` for the events that may have happened in 2010.',
  }),
});

export const EntityEventFilter = builder
  .inputRef<EntityEventFilterInput>("EntityEventFilter")
  .implement({
    description:
      "Conditions on an event an entity takes part in: those of an EventFilter, plus `role`, the part that entity plays.",
    fields: (t) => ({
      ...eventFilterFields(t),
      role: t.field({
        type: ParticipantRoleFilter,
        description:
          "The part this entity (whose `events` these are) plays in the event, e.g. SUBJECT.",
      }),
      ...logicalFields(t, EntityEventFilter),
    }),
  });

export const EventOrder = orderInput<EventOrderField>("Event", {
  DATE: "Chronologically: by first possible day, a year before its months and a start an event bounds after that event's day, then by last possible day. A date whose start is unknown is placed by its known end, on the last day that end may denote.",
  NAME: "By name, alphabetically.",
  KIND: "By kind name, alphabetically.",
  KEY: "By key.",
});

/** The events an entity takes part in, once each, in the order of the list of events. */
const eventsOfEntity = (graph: KnowledgeGraph, entity: string) => [
  ...new Set(graph.participationsByEntity.get(entity).map(({ event }) => event.id)),
];

/** The `events` connection of an entity that takes part in events, with its filter and order. */
export function eventsField(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, { id: string }>,
  what: string,
) {
  return t.connection({
    type: EventRef,
    description: `The events ${what} takes part in (once each), in chronological order (a year before its months and a start an event bounds after that event's day, ties by key).`,
    args: listArgs(t.arg, EntityEventFilter, EventOrder, "events", "chronological"),
    resolve: (parent, args, ctx, info) =>
      relationPage(ctx, info, parent, "event", eventsOfEntity, args, { eventsOf: parent.id }),
  });
}
