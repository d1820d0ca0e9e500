import { builder } from "./builder.js";
import { EntityRef, evidenceOf, EvidenceRef, keyArgDescription, keyOf, NameRef, namesOf, pageOf } from "./entity.js";
import { PostKindEnum } from "./kinds.js";
import { OfficeRef, PostRef, StateRef, TenureRef } from "./refs.js";
import { isKind } from "./type-guards.js";

PostRef.implement({
  description: "A post that can be held: the head of an office, a head of state, a chairmanship. Its `tenures` say who held it when.",
  interfaces: [EntityRef],
  isTypeOf: isKind("post"),
  fields: (t) => ({
    name: t.string({ description: "The post's title, e.g. Head of the OSCE Programme Office in Astana.", resolve: (p) => p.name.text }),
    names: t.field({ type: [NameRef], description: "Every name of the post, with kinds and provenance.", resolve: (p) => namesOf(p) }),
    kind: t.field({ type: PostKindEnum, description: "What sort of post this is.", resolve: (p) => p.kind }),
    office: t.field({ type: OfficeRef, nullable: true, description: "The office the post belongs to; null for a state's post.", resolve: (p) => p.office?.ref ?? null }),
    state: t.field({ type: StateRef, nullable: true, description: "The state the post belongs to (a head of state); null for an office's post.", resolve: (p) => p.state?.ref ?? null }),
    tenures: t.connection({
      type: TenureRef,
      description: "Who held this post, and when, chronologically.",
      resolve: (p, args, ctx) => pageOf(args, ctx.graph.tenuresByPost.get(p.id)),
    }),
    evidence: t.field({
      type: [EvidenceRef],
      description: "Provenance of the post's single-valued fields (`name`, `office`, `state`).",
      resolve: (p) => evidenceOf({ name: p.name, office: p.office, state: p.state }),
    }),
  }),
});

builder.queryFields((t) => ({
  posts: t.connection({ type: PostRef, description: "Every post, by title.", resolve: (_root, args, ctx) => pageOf(args, ctx.graph.keys.post) }),
  post: t.field({
    type: PostRef,
    nullable: true,
    description: "One post by its readable key; null when there is none.",
    args: { key: t.arg.string({ required: true, description: keyArgDescription("post", "head-of-osce-field-office-kazakhstan") }) },
    resolve: (_root, args, ctx) => ctx.graph.get("post", keyOf("post", args.key)) ?? null,
  }),
}));
