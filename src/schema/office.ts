import type { ArgBuilder } from "@pothos/core";
import type { Cooperation, DecidedName } from "../graph/graph.js";
import type { OfficeLocation, PostKind } from "../graph/model.js";
import { edtfArgument, EDTF_ARGUMENT_HELP } from "./arguments.js";
import { builder, type Context } from "./builder.js";
import { EntityRef, evidenceOf, EvidenceRef, keyArgDescription, keyOf, NameRef, namesOf, pageOf } from "./entity.js";
import { OfficeKindEnum, PostKindEnum } from "./kinds.js";
import { eventsField } from "./participation.js";
import { datedShape, PartialDateRef } from "./partial-date.js";
import { ProvenanceRef } from "./provenance.js";
import { DimensionRef, EventRef, OfficeRef, PlaceRef, PostRef, StateRef, TenureRef } from "./refs.js";
import { isKind } from "./type-guards.js";

export const OfficeNameRef = builder.objectRef<DecidedName>("OfficeName").implement({
  description: "One name an office bore, over the period it bore it, and the decision that gave it.",
  fields: (t) => ({
    name: t.string({ description: "The name, e.g. OSCE Centre in Astana.", resolve: (n) => n.name.text }),
    period: t.field({
      type: PartialDateRef,
      description: "When the office bore this name. Consecutive names share their boundary day: the day of the decision that renamed it.",
      resolve: (n, _args, ctx) => datedShape(n.name.when, ctx),
    }),
    decidedBy: t.field({
      type: EventRef,
      nullable: true,
      description: "The decision that gave the office this name; null for the name it opened under.",
      resolve: (n) => n.name.decidedBy ?? null,
    }),
    office: t.field({ type: OfficeRef, description: "The office that bore the name.", resolve: (n) => n.office.id }),
    provenance: t.field({ type: [ProvenanceRef], description: "Why the graph says the office bore this name.", resolve: (n) => n.name.provenance }),
  }),
});

const OfficeLocationRef = builder.objectRef<OfficeLocation>("OfficeLocation").implement({
  description: "Where an office sat, and when if the source says.",
  fields: (t) => ({
    place: t.field({ type: PlaceRef, description: "The place.", resolve: (l) => l.place }),
    period: t.field({
      type: PartialDateRef,
      nullable: true,
      description: "When the office sat there; null when the source gives the place without a date.",
      resolve: (l, _args, ctx) => (l.when ? datedShape(l.when, ctx) : null),
    }),
    provenance: t.field({ type: [ProvenanceRef], description: "Why the graph places the office there.", resolve: (l) => l.provenance }),
  }),
});

export const CooperationRef = builder.objectRef<Cooperation>("Cooperation").implement({
  description: "A state's cooperation with an OSCE office or institution.",
  fields: (t) => ({
    state: t.field({ type: StateRef, description: "The cooperating state.", resolve: (c) => c.state }),
    office: t.field({ type: OfficeRef, description: "The office or institution it cooperates with.", resolve: (c) => c.office }),
    provenance: t.field({ type: [ProvenanceRef], description: "Why the graph records this cooperation.", resolve: (c) => c.provenance }),
  }),
});

/**
 * Keys of the tenures of an office's posts, chronologically, optionally of one post kind only;
 * with `followLineage`, of the posts of all its predecessors too (transitively).
 */
function tenureKeysOf(ctx: Context, office: string, postKind: PostKind | null | undefined, followLineage?: boolean | null): string[] {
  const offices = followLineage ? ctx.graph.lineage.withPredecessors(office) : [office];
  const posts = offices
    .flatMap((o) => ctx.graph.postsByOffice.get(o))
    .filter((key) => !postKind || ctx.graph.get("post", key)?.kind === postKind);
  const keys = posts.flatMap((post) => ctx.graph.tenuresByPost.get(post));
  return keys.sort(ctx.graph.chronologically((key: string) => ctx.graph.get("tenure", key)!.when));
}

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
const followLineageArg = (arg: ArgBuilder<Types>) =>
  arg.boolean({
    required: true,
    defaultValue: false,
    description:
      "Also the tenures at the offices this one succeeded (see `predecessors`), transitively, merged chronologically; `post { office }` says which office each was at.",
  });

OfficeRef.implement({
  description:
    "An OSCE body, institution or field office, or a state's permanent mission to the OSCE. " +
    "An office keeps one key through its renamings: `nameHistory` and `nameOn` tell what it was called when.",
  interfaces: [EntityRef],
  isTypeOf: isKind("office"),
  fields: (t) => ({
    name: t.string({ description: "The office's current name (its latest, as of the source), e.g. OSCE Programme Office in Astana.", resolve: (o) => o.name.text }),
    names: t.field({
      type: [NameRef],
      description: "Every name of the office: canonical, abbreviation, the document's spellings, and former names.",
      resolve: (o) => [
        ...namesOf(o),
        ...o.nameHistory
          .filter((n) => n.text !== o.name.text)
          .map((n) => ({ text: n.text, kind: "FORMER_NAME" as const, provenance: n.provenance })),
      ],
    }),
    abbreviation: t.string({ nullable: true, description: "The office's abbreviation, e.g. ODIHR; null when it has none.", resolve: (o) => o.abbreviation?.text ?? null }),
    description: t.string({ nullable: true, description: "A short description; null when there is none.", resolve: (o) => o.description?.text ?? null }),
    kind: t.field({ type: OfficeKindEnum, description: "What sort of body the office is.", resolve: (o) => o.kind }),
    nameHistory: t.field({
      type: [OfficeNameRef],
      description: "The names the office bore, oldest first, each with its period and deciding event. Empty when the source gives no history.",
      resolve: (o) => o.nameHistory.map((name) => ({ office: o, name })),
    }),
    nameOn: t.field({
      type: OfficeNameRef,
      nullable: true,
      description:
        "The name the office bore on a date: the name whose period certainly covers it, else one that possibly does; on a renaming day, the new name. " +
        "Null when no name's period can cover the date.",
      args: { date: t.arg.string({ required: true, description: EDTF_ARGUMENT_HELP }) },
      resolve: (o, args, ctx) => {
        const at = edtfArgument("date", args.date);
        const rank = { YES: 2, MAYBE: 1, NO: 0 } as const;
        let best: { name: DecidedName; score: number } | undefined;
        for (const name of o.nameHistory) {
          const score = rank[ctx.graph.certainty(name.when, at)];
          if (score > 0 && (!best || score >= best.score)) best = { name: { office: o, name }, score };
        }
        return best?.name ?? null;
      },
    }),
    locations: t.field({ type: [OfficeLocationRef], description: "Where the office sat, oldest first.", resolve: (o) => o.locations }),
    state: t.field({
      type: StateRef,
      nullable: true,
      description: "The state the office is in or works for: the host of a field office, the sender of a permanent mission; null for the OSCE's own bodies.",
      resolve: (o) => o.state?.ref ?? null,
    }),
    dimensions: t.field({ type: [DimensionRef], description: "The OSCE dimensions the office works in.", resolve: (o) => o.dimensions.map((d) => d.ref) }),
    posts: t.connection({ type: PostRef, description: "The posts of this office (its head, a special representative).", resolve: (o, args, ctx) => pageOf(args, ctx.graph.postsByOffice.get(o.id)) }),
    tenures: t.connection({
      type: TenureRef,
      description: "Who held the posts of this office, and when, chronologically.",
      args: { postKind: t.arg({ type: PostKindEnum, description: "Only tenures of posts of this kind." }), followLineage: followLineageArg(t.arg) },
      resolve: (o, args, ctx) => pageOf(args, tenureKeysOf(ctx, o.id, args.postKind, args.followLineage)),
    }),
    heads: t.connection({
      type: TenureRef,
      description: "Who headed this office, and when, chronologically: the tenures of its HEAD_OF_OFFICE posts.",
      args: { followLineage: followLineageArg(t.arg) },
      resolve: (o, args, ctx) => pageOf(args, tenureKeysOf(ctx, o.id, "HEAD_OF_OFFICE", args.followLineage)),
    }),
    cooperatingStates: t.field({
      type: [CooperationRef],
      description: "The states that cooperate with this office.",
      resolve: (o, _args, ctx) => [...ctx.graph.cooperationsByOffice.get(o.id)],
    }),
    opening: t.field({
      type: EventRef,
      nullable: true,
      description: "The event at which the office opened; null when the source does not say.",
      resolve: (o, _args, ctx) =>
        ctx.graph.participationsByEntity.get(o.id).find(({ event, participant }) => event.kind === "OPENING" && participant.role === "SUBJECT")?.event ?? null,
    }),
    events: eventsField(t, "the office"),
    evidence: t.field({
      type: [EvidenceRef],
      description: "Provenance of the office's single-valued fields (`name`, `abbreviation`, `description`, `state`).",
      resolve: (o) => evidenceOf({ name: o.name, abbreviation: o.abbreviation, description: o.description, state: o.state }),
    }),
  }),
});

builder.queryFields((t) => ({
  offices: t.connection({
    type: OfficeRef,
    description: "Every office, by current name.",
    args: { kind: t.arg({ type: OfficeKindEnum, description: "Only offices of this kind." }) },
    resolve: (_root, args, ctx) =>
      pageOf(args, args.kind ? ctx.graph.officesByKind.get(args.kind) : ctx.graph.keys.office),
  }),
  office: t.field({
    type: OfficeRef,
    nullable: true,
    description: "One office by its readable key; null when there is none.",
    args: { key: t.arg.string({ required: true, description: keyArgDescription("office", "osce-field-office-kazakhstan") }) },
    resolve: (_root, args, ctx) => ctx.graph.get("office", keyOf("office", args.key)) ?? null,
  }),
}));
