import type { GraphQLResolveInfo } from "graphql";
import { tenureCertaintiesOn, tenureCertaintyBasis } from "../graph/asof.js";
import type { Certainty } from "../graph/dates.js";
import {
  asOfSliced,
  type ListArgs,
  selectKeysSliced,
  type TenureFilterInput,
  type TenureOrderField,
} from "../graph/lists.js";
import { builder, type Context } from "./builder.js";
import { EntityRef, keyArgDescription, lookUp } from "./entity.js";
import {
  asOfArgs,
  asOfConnectionDescription,
  asOfEdgeDescription,
  asOfInput,
  certaintyEdgeFields,
  DateFilter,
  KeyFilter,
  listArgs,
  logicalFields,
  orderInput,
  withInputErrors,
} from "./filters.js";
import { PostKindFilter, TenureTimingEnum, TenureTimingFilter } from "./kinds.js";
import { afterTurn, asOfPage, type Relation, relatedKeys } from "./pages.js";
import { NULL_WHEN_INVALID } from "./pagination.js";
import { datedShape, PartialDateRef } from "./partial-date.js";
import { EventRef, loadEntity, PostRef, TenureRef } from "./refs.js";
import { isKind } from "./type-guards.js";

export const TenureFilter = builder.inputRef<TenureFilterInput>("TenureFilter").implement({
  description: "Conditions on a tenure; every field given must hold.",
  fields: (t) => ({
    key: t.field({
      type: KeyFilter,
      description:
        "The tenure's own key, e.g. `tenure/gyorgy-szabo-head-of-programme-office` (or just the slug).",
    }),
    post: t.field({
      type: KeyFilter,
      description: "The post held, e.g. `head-of-osce-field-office-kazakhstan`.",
    }),
    postKind: t.field({
      type: PostKindFilter,
      description: "The kind of the post held, e.g. CHAIRMANSHIP.",
    }),
    office: t.field({
      type: KeyFilter,
      description: "The office whose post it is, e.g. `osce-field-office-kazakhstan`.",
    }),
    holder: t.field({
      type: KeyFilter,
      description: "Who held it: a person or a state, e.g. `person/gyorgy-szabo` or `kazakhstan`.",
    }),
    timing: t.field({
      type: TenureTimingFilter,
      description: "Whether `when` is the tenure's period or a moment it is attested at.",
    }),
    when: t.field({
      type: DateFilter,
      description:
        "When the tenure held: a PERIOD's `when`. A POINT_IN_TIME tenure's `when` is only a moment within a span the source does not give, " +
        "so `overlaps` holds for it at any date, and `before` and `after` never do (Nazarbayev's presidency, attested on 2010-12-01/02, did not end before 2011 for all the source says); " +
        "`activeAt` follows the `asOf` rule: YES within its attested moment and MAYBE at any other date.",
    }),
    ...logicalFields(t, TenureFilter),
  }),
});

export const TenureOrder = orderInput<TenureOrderField>("Tenure", {
  DATE: "Chronologically by `when`: by first possible day, a year before its months and a start an event bounds after that event's day, then by last possible day. A period whose start is unknown is placed by its known end, on the last day that end may denote (the Troika tenure, `/2011-12`, after the FSC Chairmanship of September-December 2011).",
  KEY: "By key.",
});

/** The one connection type of every list of tenures: its edges carry their `asOf` certainty. */
export const TenureConnection = builder.connectionObject(
  { type: TenureRef, name: "TenureConnection", description: asOfConnectionDescription("tenures") },
  {
    name: "TenureEdge",
    description: asOfEdgeDescription("tenures"),
    fields: (t) => certaintyEdgeFields(t),
  },
);

/** `filter`, `orderBy`, `asOf` and `certainty`: the arguments of every list of tenures. */
export const tenureListArgs = (arg: Parameters<typeof listArgs>[0]) => ({
  ...listArgs(arg, TenureFilter, TenureOrder, "tenures", "chronological"),
  ...asOfArgs(arg),
});

type TenureListArgs = ListArgs<TenureFilterInput, TenureOrderField> & {
  asOf?: string | null;
  certainty?: readonly Certainty[] | null;
  first?: number | null;
  last?: number | null;
  before?: string | null;
  after?: string | null;
};

/**
 * A page of tenures, filtered, ordered and taken as of a date: of the root list, or, given `of`, of
 * the tenures related to a parent (filtered in slices of the event loop either way: pages.ts).
 */
export async function tenurePage(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: TenureListArgs,
  of?: { parent: { id: string }; relation: Relation },
) {
  const { at, certainties } = asOfInput(args.asOf, args.certainty);
  const relation = of && relatedKeys(ctx.graph, of.relation, of.parent);
  // keys, not tenures: without a filter or an order the list itself (no tenure read), and each
  // tenure's certainty comes from the graph's numbers for its dates (tenure-spans.ts)
  const keys = await withInputErrors(ctx, () =>
    selectKeysSliced(ctx.graph, "tenure", args, { relation, deadline: ctx.deadline }),
  );
  // past the field's checkpoint, with every other list of the request (pages.ts, afterTurn)
  const held = await afterTurn(ctx, () =>
    asOfSliced(
      keys,
      at,
      certainties,
      (date) => {
        const on = tenureCertaintiesOn(ctx.graph, date);
        // the root list unfiltered and in its own order is graph.keys.tenure itself: a key's
        // position is its index there
        return keys === ctx.graph.keys.tenure
          ? (_: string, i: number) => on.ofPosition(i)
          : on.ofKey;
      },
      ctx.deadline,
    ),
  );
  const basisOf =
    at && ((key: string) => tenureCertaintyBasis(ctx.graph, ctx.graph.get("tenure", key)!, at));
  return afterTurn(ctx, () => asOfPage(ctx, info, of?.parent, args, held, basisOf));
}

export const PostHolderRef = builder.interfaceRef<{ id: string }>("PostHolder").implement({
  description:
    "Whoever can hold a post: a person (a head of office, a president) or a state (a chairmanship).",
  fields: (t) => ({
    tenures: t.connection(
      {
        type: TenureRef,
        description: "The posts this holder held, and when, chronologically.",
        args: tenureListArgs(t.arg),
        resolve: (holder, args, ctx, info) =>
          tenurePage(ctx, info, args, { parent: holder, relation: "tenuresByHolder" }),
      },
      TenureConnection,
    ),
  }),
});

TenureRef.implement({
  description:
    "Who held which post, from when to when: a person heading an office, a state holding a chairmanship. " +
    "Read `when` with `timing`: a PERIOD is the tenure's span; a POINT_IN_TIME only attests the post was held then.",
  interfaces: [EntityRef],
  isTypeOf: isKind("tenure"),
  fields: (t) => ({
    post: t.field({
      type: PostRef,
      description: "The post held (its `office` or `state` says whose post it is).",
      resolve: (tenure) => tenure.post,
    }),
    holder: t.field({
      type: PostHolderRef,
      description:
        "Who held the post: a Person or a State. Use `... on Person { name }` or the Entity `label`.",
      resolve: (tenure, _args, ctx) => loadEntity(ctx, tenure.holder),
    }),
    when: t.field({
      type: PartialDateRef,
      description:
        "When the post was held; see `timing` for how to read it. An end the source does not give is UNKNOWN or OPEN, never invented.",
      resolve: (tenure, _args, ctx) => datedShape(tenure.when, ctx),
    }),
    timing: t.field({
      type: TenureTimingEnum,
      description:
        "Whether `when` is the tenure's period or only a moment at which it is attested.",
      resolve: (tenure) => tenure.timing,
    }),
    events: t.field({
      type: [EventRef],
      description:
        "Events the holder took part in by virtue of this tenure (the appointment, the chairmanship, a summit chaired).",
      resolve: (tenure, _args, ctx) => [...ctx.graph.eventsByCapacity.get(tenure.id)],
    }),
  }),
});

builder.queryFields((t) => ({
  tenures: t.connection(
    {
      type: TenureRef,
      nullable: true,
      description:
        "Every tenure, chronologically (see `TenureOrderField.DATE`: a tenure whose start is unknown is placed by its known end): who held which post, from when to when. Ask `asOf` a date for who held what then, with each edge's `certainty`." +
        ` ${NULL_WHEN_INVALID}`,
      args: tenureListArgs(t.arg),
      resolve: (_root, args, ctx, info) => tenurePage(ctx, info, args),
    },
    TenureConnection,
  ),
  tenure: t.field({
    type: TenureRef,
    nullable: true,
    description:
      "One tenure by its readable key; null when there is none, with a NOT_FOUND error that suggests near keys.",
    args: {
      key: t.arg.string({
        required: true,
        description: keyArgDescription("tenure", "gyorgy-szabo-head-of-programme-office"),
      }),
    },
    resolve: (_root, args, ctx) => lookUp(ctx, "tenure", args.key),
  }),
}));
