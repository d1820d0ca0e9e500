/** Events seen from one of their participants, and the Participant type itself. */
import type { Participation } from "../graph/graph.js";
import type { EventKind, ParticipantRole } from "../graph/model.js";
import { kindOf } from "../graph/model.js";
import { builder, type Context } from "./builder.js";
import { EntityRef, pageOf } from "./entity.js";
import { EventKindEnum, ParticipantRoleEnum } from "./kinds.js";
import { ProvenanceRef } from "./provenance.js";
import { EventRef, refOfKind, TenureRef } from "./refs.js";

export const ParticipantRef = builder.objectRef<Participation>("Participant").implement({
  description: "An entity's part in an event: who or what, in which role, and in which capacity (tenure) if the source says.",
  fields: (t) => ({
    role: t.field({ type: ParticipantRoleEnum, description: "The part the entity plays in the event.", resolve: (p) => p.participant.role }),
    entity: t.field({
      type: EntityRef,
      description: "The participating entity: a state, office, person, place or another event. Use `label`, or `... on Person { }` and so on.",
      resolve: (p, _args, ctx) => loadEntity(ctx, p.participant.ref),
    }),
    event: t.field({ type: EventRef, description: "The event.", resolve: (p) => p.event }),
    capacity: t.field({
      type: TenureRef,
      nullable: true,
      description: "The tenure in which the participant acted, e.g. Nazarbayev's tenure as President when he chaired the Astana Summit; null when the source gives none.",
      resolve: (p) => p.participant.capacity ?? null,
    }),
    provenance: t.field({ type: [ProvenanceRef], description: "Why the graph says the entity took part in this role.", resolve: (p) => p.participant.provenance }),
  }),
});

/** Load an entity of any kind through its kind's per-request loader. */
export function loadEntity(ctx: Context, key: string) {
  const kind = kindOf(key);
  if (!kind) throw new Error(`"${key}" is not an entity key`);
  return refOfKind[kind].getDataloader(ctx).load(key);
}

/** Keys of the events an entity takes part in, chronologically, once each, optionally narrowed. */
export function eventKeysOf(ctx: Context, key: string, filter: { kind?: EventKind | null; role?: ParticipantRole | null }): string[] {
  const keys = new Set<string>();
  for (const { event, participant } of ctx.graph.participationsByEntity.get(key)) {
    if (filter.role && participant.role !== filter.role) continue;
    if (filter.kind && event.kind !== filter.kind) continue;
    keys.add(event.id);
  }
  return [...keys];
}

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** The `events` connection of an entity that takes part in events, with its kind and role filters. */
export function eventsField(t: PothosSchemaTypes.ObjectFieldBuilder<Types, { id: string }>, what: string) {
  return t.connection({
    type: EventRef,
    description: `The events ${what} takes part in, in chronological order (a year before its months, ties by key).`,
    args: {
      kind: t.arg({ type: EventKindEnum, description: "Only events of this kind." }),
      role: t.arg({ type: ParticipantRoleEnum, description: `Only events where ${what} plays this role.` }),
    },
    resolve: (parent, args, ctx) => pageOf(args, eventKeysOf(ctx, parent.id, args)),
  });
}
