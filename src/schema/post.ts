import type { PostFilterInput, PostOrderField } from "../graph/lists.js";
import { headsItsOffice } from "../graph/model.js";
import { builder } from "./builder.js";
import {
  EntityRef,
  EvidenceRef,
  evidenceOf,
  keyArgDescription,
  lookUp,
  namesOf,
} from "./entity.js";
import { KeyFilter, listArgs, logicalFields, namedFilterFields, orderInput } from "./filters.js";
import { PostKindEnum, PostKindFilter } from "./kinds.js";
import { nameFields } from "./names.js";
import { rootPage } from "./pages.js";
import { NULL_WHEN_INVALID } from "./pagination.js";
import { OfficeRef, PostRef, StateRef, TenureRef } from "./refs.js";
import { TenureConnection, tenureListArgs, tenurePage } from "./tenure.js";
import { isKind } from "./type-guards.js";

PostRef.implement({
  description:
    "A post that can be held: the head of an office, a head of state, a chairmanship. Its `tenures` say who held it when.",
  interfaces: [EntityRef],
  isTypeOf: isKind("post"),
  fields: (t) => ({
    name: t.string({
      description: "The post's title, e.g. Head of the OSCE Programme Office in Astana.",
      resolve: (p) => p.name.text,
    }),
    ...nameFields(t, "Every name of the post, with kinds and provenance.", namesOf),
    kind: t.field({
      type: PostKindEnum,
      description: "What sort of post this is.",
      resolve: (p) => p.kind,
    }),
    office: t.field({
      type: OfficeRef,
      nullable: true,
      description: "The office the post belongs to; null for a state's post.",
      resolve: (p) => p.office?.ref ?? null,
    }),
    state: t.field({
      type: StateRef,
      nullable: true,
      description: "The state the post belongs to (a head of state); null for an office's post.",
      resolve: (p) => p.state?.ref ?? null,
    }),
    tenures: t.connection(
      {
        type: TenureRef,
        description:
          "Who held this post, and when, chronologically. Ask `asOf` a date for who held it then.",
        args: tenureListArgs(t.arg),
        resolve: (p, args, ctx, info) =>
          tenurePage(ctx, info, args, { parent: p, relation: "tenuresByPost" }),
      },
      TenureConnection,
    ),
    headsOffice: t.boolean({
      description:
        "Whether whoever holds the post heads its `office` (and is among the office's `heads`): true for a HEAD_OF_OFFICE post, " +
        "and for a post of another kind the data says heads its office (the OSCE Special Representative on Combating Trafficking in Human Beings heads the Office of the Special Representative; " +
        "its provenance is in `evidence`, field `headsOffice`). False for a chairmanship, a membership, a head of state.",
      resolve: (p) => headsItsOffice(p),
    }),
    evidence: t.field({
      type: [EvidenceRef],
      description:
        "Provenance of the post's single-valued fields (`name`, `office`, `state`, and `headsOffice` where the data says a post of another kind than HEAD_OF_OFFICE heads its office).",
      resolve: (p) =>
        evidenceOf({ name: p.name, office: p.office, state: p.state, headsOffice: p.headsOffice }),
    }),
  }),
});

export const PostFilter = builder.inputRef<PostFilterInput>("PostFilter").implement({
  description: "Conditions on a post; every field given must hold.",
  fields: (t) => ({
    ...namedFilterFields(t, "post", "post/osce-chairmanship"),
    kind: t.field({ type: PostKindFilter, description: "The post's kind." }),
    office: t.field({
      type: KeyFilter,
      description: "The office the post belongs to, e.g. `osce-field-office-kazakhstan`.",
    }),
    state: t.field({
      type: KeyFilter,
      description: "The state the post belongs to, e.g. `kazakhstan`.",
    }),
    ...logicalFields(t, PostFilter),
  }),
});

export const PostOrder = orderInput<PostOrderField>("Post", {
  NAME: "By title, alphabetically.",
  KIND: "By kind name, alphabetically.",
  KEY: "By key.",
});

/** The `filter` and `orderBy` arguments of a list of posts. */
export const postListArgs = (arg: Parameters<typeof listArgs>[0]) =>
  listArgs(arg, PostFilter, PostOrder, "posts", "by title");

builder.queryFields((t) => ({
  posts: t.connection({
    type: PostRef,
    nullable: true,
    description: `Every post, by title. ${NULL_WHEN_INVALID}`,
    args: postListArgs(t.arg),
    resolve: (_root, args, ctx, info) => rootPage(ctx, info, "post", args),
  }),
  post: t.field({
    type: PostRef,
    nullable: true,
    description:
      "One post by its readable key; null when there is none, with a NOT_FOUND error that suggests near keys.",
    args: {
      key: t.arg.string({
        required: true,
        description: keyArgDescription("post", "head-of-osce-field-office-kazakhstan"),
      }),
    },
    resolve: (_root, args, ctx) => lookUp(ctx, "post", args.key),
  }),
}));
