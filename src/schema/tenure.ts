import type { PostKind } from "../graph/model.js";
import { builder, type Context } from "./builder.js";
import { EntityRef, keyArgDescription, keyOf, pageOf } from "./entity.js";
import { PostKindEnum, TenureTimingEnum } from "./kinds.js";
import { loadEntity } from "./participation.js";
import { datedShape, PartialDateRef } from "./partial-date.js";
import { EventRef, PostRef, TenureRef } from "./refs.js";
import { isKind } from "./type-guards.js";

/** Keys of a holder's tenures, chronologically, optionally of one post kind only. */
function tenureKeysOfHolder(ctx: Context, holder: string, postKind: PostKind | null | undefined): readonly string[] {
  const keys = ctx.graph.tenuresByHolder.get(holder);
  if (!postKind) return keys;
  return keys.filter((key) => ctx.graph.get("post", ctx.graph.get("tenure", key)!.post)?.kind === postKind);
}

export const PostHolderRef = builder.interfaceRef<{ id: string }>("PostHolder").implement({
  description: "Whoever can hold a post: a person (a head of office, a president) or a state (a chairmanship).",
  fields: (t) => ({
    tenures: t.connection({
      type: TenureRef,
      description: "The posts this holder held, and when, chronologically.",
      args: { postKind: t.arg({ type: PostKindEnum, description: "Only tenures of posts of this kind, e.g. CHAIRMANSHIP." }) },
      resolve: (holder, args, ctx) => pageOf(args, tenureKeysOfHolder(ctx, holder.id, args.postKind)),
    }),
  }),
});

TenureRef.implement({
  description:
    "Who held which post, from when to when: a person heading an office, a state holding a chairmanship. " +
    "Read `when` with `timing`: a PERIOD is the tenure's span; a POINT_IN_TIME only attests the post was held then.",
  interfaces: [EntityRef],
  isTypeOf: isKind("tenure"),
  fields: (t) => ({
    post: t.field({ type: PostRef, description: "The post held (its `office` or `state` says whose post it is).", resolve: (tenure) => tenure.post }),
    holder: t.field({
      type: PostHolderRef,
      description: "Who held the post: a Person or a State. Use `... on Person { name }` or the Entity `label`.",
      resolve: (tenure, _args, ctx) => loadEntity(ctx, tenure.holder) as Promise<{ id: string }>,
    }),
    when: t.field({
      type: PartialDateRef,
      description: "When the post was held; see `timing` for how to read it. An end the source does not give is UNKNOWN or OPEN, never invented.",
      resolve: (tenure, _args, ctx) => datedShape(tenure.when, ctx),
    }),
    timing: t.field({ type: TenureTimingEnum, description: "Whether `when` is the tenure's period or only a moment at which it is attested.", resolve: (tenure) => tenure.timing }),
    events: t.field({
      type: [EventRef],
      description: "Events the holder took part in by virtue of this tenure (the appointment, the chairmanship, a summit chaired).",
      resolve: (tenure, _args, ctx) => [...ctx.graph.eventsByCapacity.get(tenure.id)],
    }),
  }),
});

builder.queryFields((t) => ({
  tenures: t.connection({
    type: TenureRef,
    description: "Every tenure, chronologically: who held which post, from when to when.",
    args: { postKind: t.arg({ type: PostKindEnum, description: "Only tenures of posts of this kind." }) },
    resolve: (_root, args, ctx) =>
      pageOf(args, args.postKind ? ctx.graph.tenuresByPostKind.get(args.postKind) : ctx.graph.keys.tenure),
  }),
  tenure: t.field({
    type: TenureRef,
    nullable: true,
    description: "One tenure by its readable key; null when there is none.",
    args: { key: t.arg.string({ required: true, description: keyArgDescription("tenure", "gyorgy-szabo-head-of-programme-office") }) },
    resolve: (_root, args, ctx) => ctx.graph.get("tenure", keyOf("tenure", args.key)) ?? null,
  }),
}));
