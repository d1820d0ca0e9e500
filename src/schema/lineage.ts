/**
 * Lineage of offices: the change that gave each name of an office (RENAMING, TRANSFORMATION) with
 * its neighbouring names, and successions between distinct offices (Office.predecessors,
 * successors, lineage; Event.successionsDecided). `Office.heads`/`tenures(followLineage: true)`
 * in office.ts use the same index.
 */

import type { EnumRef } from "@pothos/core";
import type { DecidedName } from "../graph/graph.js";
import type { SuccessionLink } from "../graph/lineage.js";
import {
  type SuccessionFilterInput,
  type SuccessionOrderField,
  selectSuccessions,
} from "../graph/lists.js";
import type { Office, OfficeName, SuccessionKind } from "../graph/model.js";
import { builder, type Context, type Types } from "./builder.js";
import {
  DateFilter,
  enumFilter,
  KeyFilter,
  listArgs,
  logicalFields,
  orderInput,
  withInputErrors,
} from "./filters.js";
import { NameThenRef, nameThenOf } from "./name-then.js";
import { recordPage } from "./pages.js";
import { datedShape, PartialDateRef } from "./partial-date.js";
import { ProvenanceRef } from "./provenance.js";
import { EventRef, OfficeNameRef, OfficeRef } from "./refs.js";

export const OfficeChangeKindEnum = builder.enumType("OfficeChangeKind", {
  description:
    "How an office came to be what it is: a new name, a new form, or other offices joined or divided.",
  values: {
    RENAMING: {
      description:
        "The office was renamed; what it does stayed the same (e.g. OSCE Centre in Almaty to OSCE Centre in Astana, 2007).",
    },
    TRANSFORMATION: {
      description:
        "The office was turned into a different kind of office, usually under a new name (e.g. OSCE Centre in Astana to OSCE Programme Office in Astana, 2014).",
    },
    MERGER: {
      description: "Several offices were joined into this one: each of them is a predecessor.",
    },
    SPLIT: {
      description:
        "One office was divided: each of the offices made from it has it as a predecessor.",
    },
  } as const,
});

const LineageDirectionEnum = builder.enumType("LineageDirection", {
  description: "Which way to follow a lineage of offices.",
  values: {
    PREDECESSORS: {
      description: "Back in time: the offices this one succeeded, theirs, and so on.",
    },
    SUCCESSORS: {
      description: "Forward in time: the offices that succeeded this one, theirs, and so on.",
    },
  } as const,
});

type NameChange = NonNullable<OfficeName["change"]>;

const OfficeNameChangeRef = builder.objectRef<NameChange>("OfficeNameChange").implement({
  description: "The change that gave an office one of its names, as the source calls it.",
  fields: (t) => ({
    kind: t.field({
      type: OfficeChangeKindEnum,
      description: "RENAMING or TRANSFORMATION (a name change never merges or splits offices).",
      resolve: (c) => c.kind,
    }),
    provenance: t.field({
      type: [ProvenanceRef],
      description: "Why the graph calls the change a renaming or a transformation.",
      resolve: (c) => c.provenance,
    }),
  }),
});

/** The name before or after this one in its office's history, or null at either end. */
function neighbourName(n: DecidedName, step: -1 | 1): DecidedName | null {
  const history = n.office.nameHistory;
  const next = history[history.indexOf(n.name) + step];
  return next ? { office: n.office, name: next } : null;
}

builder.objectFields(OfficeNameRef, (t) => ({
  change: t.field({
    type: OfficeNameChangeRef,
    nullable: true,
    description:
      "What kind of change gave the office this name (with the `decidedBy` event); null for the name it opened under or when the source does not say.",
    resolve: (n) => n.name.change ?? null,
  }),
  previous: t.field({
    type: OfficeNameRef,
    nullable: true,
    description: "The name the office bore before this one; null for its first name.",
    resolve: (n) => neighbourName(n, -1),
  }),
  next: t.field({
    type: OfficeNameRef,
    nullable: true,
    description: "The name the office bore after this one; null for its latest name.",
    resolve: (n) => neighbourName(n, 1),
  }),
}));

export const SuccessionRef = builder.objectRef<SuccessionLink>("Succession").implement({
  description:
    "One office succeeding another that is a separate entity: renamed, transformed, merged into it or split from it. " +
    "(A renaming that keeps one office is in `Office.nameHistory` instead, with `change`.)",
  fields: (t) => ({
    predecessor: t.field({
      type: OfficeRef,
      description: "The earlier office.",
      resolve: (s) => s.predecessor,
    }),
    successor: t.field({
      type: OfficeRef,
      description: "The later office, that took over from the predecessor.",
      resolve: (s) => s.successor,
    }),
    kind: t.field({
      type: OfficeChangeKindEnum,
      description: "How the successor came from the predecessor.",
      resolve: (s) => s.kind,
    }),
    decidedBy: t.field({
      type: EventRef,
      nullable: true,
      description: "The decision that made the change; null when the source does not say.",
      resolve: (s) => s.decidedBy ?? null,
    }),
    when: t.field({
      type: PartialDateRef,
      nullable: true,
      description: "When the successor took over; null when the source does not say.",
      resolve: (s, _args, ctx) => (s.when ? datedShape(s.when, ctx) : null),
    }),
    predecessorNameThen: t.field({
      type: NameThenRef,
      nullable: true,
      description:
        "What the predecessor was called when the successor took over (at `when`), with how certainly; null when the source gives no date. " +
        "`predecessor { name }` is its latest name, which it may have taken only later.",
      resolve: (s, _args, ctx) =>
        s.when ? nameThenOf(ctx, s.predecessor, ctx.graph.date(s.when)) : null,
    }),
    successorNameThen: t.field({
      type: NameThenRef,
      nullable: true,
      description:
        "What the successor was called when it took over (at `when`), with how certainly; null when the source gives no date.",
      resolve: (s, _args, ctx) =>
        s.when ? nameThenOf(ctx, s.successor, ctx.graph.date(s.when)) : null,
    }),
    provenance: t.field({
      type: [ProvenanceRef],
      description: "Why the graph says the one office succeeded the other.",
      resolve: (s) => s.provenance,
    }),
  }),
});

const OfficeChangeKindFilter = enumFilter(
  "OfficeChangeKind",
  OfficeChangeKindEnum as EnumRef<Types, SuccessionKind, SuccessionKind>,
  "how an office succeeded another",
);

const SuccessionFilter = builder.inputRef<SuccessionFilterInput>("SuccessionFilter").implement({
  description: "Conditions on a succession between offices; every field given must hold.",
  fields: (t) => ({
    predecessor: t.field({ type: KeyFilter, description: "The earlier office, by key." }),
    successor: t.field({ type: KeyFilter, description: "The later office, by key." }),
    kind: t.field({
      type: OfficeChangeKindFilter,
      description: "How the successor came from the predecessor, e.g. `{eq: TRANSFORMATION}`.",
    }),
    decidedBy: t.field({
      type: KeyFilter,
      description:
        "The deciding event, by key; a succession whose decision the source does not give never matches.",
    }),
    when: t.field({
      type: DateFilter,
      description:
        "When the successor took over; a succession without a date may have been at any time.",
    }),
    ...logicalFields(t, SuccessionFilter),
  }),
});

const SuccessionOrder = orderInput<SuccessionOrderField>(
  "Succession",
  { DATE: "Chronologically by when the successor took over (an unknown date reaches infinitely)." },
  "by the list's own order",
);

const successionListArgs = (arg: Parameters<typeof listArgs>[0], defaultOrder: string) =>
  listArgs(arg, SuccessionFilter, SuccessionOrder, "successions", defaultOrder, "by that order");

const SuccessionConnection = builder.connectionObject(
  {
    type: SuccessionRef,
    name: "SuccessionConnection",
    description:
      "A page of successions between offices, with cursors; `totalCount` counts the whole (filtered) list.",
  },
  { name: "SuccessionEdge", description: "One succession between offices, with its cursor." },
);

const PREDECESSORS =
  "The offices this one directly succeeded (each a separate entity), oldest succession first; empty when none.";
const SUCCESSORS =
  "The offices that directly succeeded this one, oldest succession first; empty when none.";
const LINEAGE =
  "Every succession linking this office to its predecessors (or successors), transitively, nearest first: " +
  "a predecessor's own predecessors follow it. Empty when the office has none.";
/** What a plain list of successions says of its paged twin, and the twin of the plain list. */
const whole = (connection: string) =>
  `The whole list at once; \`${connection}\` gives it in pages.`;
const paged = (list: string) =>
  `In pages (\`first\`/\`after\`), with \`totalCount\`: the same list, filter and order as \`${list}\`.`;

type Direction = "PREDECESSORS" | "SUCCESSORS";
const lineageOf = (ctx: Context, office: Office, direction: Direction) =>
  ctx.graph.lineage.transitive(office.id, direction, ctx.deadline);

builder.objectFields(OfficeRef, (t) => {
  const lineageArgs = () => ({
    direction: t.arg({
      type: LineageDirectionEnum,
      required: true,
      defaultValue: "PREDECESSORS",
      description: "Back to the predecessors (the default) or forward to the successors.",
    }),
    ...successionListArgs(t.arg, "nearest first"),
  });
  return {
    predecessors: t.field({
      type: [SuccessionRef],
      description: `${PREDECESSORS} ${whole("predecessorsConnection")}`,
      args: successionListArgs(t.arg, "oldest succession first"),
      resolve: (o, args, ctx) =>
        withInputErrors(ctx, () =>
          selectSuccessions(ctx.graph, ctx.graph.lineage.predecessorsOf(o.id), args, ctx.deadline),
        ),
    }),
    predecessorsConnection: t.connection(
      {
        type: SuccessionRef,
        description: `${PREDECESSORS} ${paged("predecessors")}`,
        args: successionListArgs(t.arg, "oldest succession first"),
        resolve: (o, args, ctx, info) =>
          recordPage(ctx, info, o, args, (deadline) =>
            selectSuccessions(ctx.graph, ctx.graph.lineage.predecessorsOf(o.id), args, deadline),
          ),
      },
      SuccessionConnection,
    ),
    successors: t.field({
      type: [SuccessionRef],
      description: `${SUCCESSORS} ${whole("successorsConnection")}`,
      args: successionListArgs(t.arg, "oldest succession first"),
      resolve: (o, args, ctx) =>
        withInputErrors(ctx, () =>
          selectSuccessions(ctx.graph, ctx.graph.lineage.successorsOf(o.id), args, ctx.deadline),
        ),
    }),
    successorsConnection: t.connection(
      {
        type: SuccessionRef,
        description: `${SUCCESSORS} ${paged("successors")}`,
        args: successionListArgs(t.arg, "oldest succession first"),
        resolve: (o, args, ctx, info) =>
          recordPage(ctx, info, o, args, (deadline) =>
            selectSuccessions(ctx.graph, ctx.graph.lineage.successorsOf(o.id), args, deadline),
          ),
      },
      SuccessionConnection,
    ),
    lineage: t.field({
      type: [SuccessionRef],
      description: `${LINEAGE} ${whole("lineageConnection")}`,
      args: lineageArgs(),
      resolve: (o, args, ctx) =>
        withInputErrors(ctx, () =>
          selectSuccessions(ctx.graph, lineageOf(ctx, o, args.direction), args, ctx.deadline),
        ),
    }),
    lineageConnection: t.connection(
      {
        type: SuccessionRef,
        description: `${LINEAGE} ${paged("lineage")}`,
        args: lineageArgs(),
        resolve: (o, args, ctx, info) =>
          recordPage(ctx, info, o, args, (deadline) =>
            selectSuccessions(ctx.graph, lineageOf(ctx, o, args.direction), args, deadline),
          ),
      },
      SuccessionConnection,
    ),
  };
});

builder.objectFields(EventRef, (t) => ({
  successionsDecided: t.field({
    type: [SuccessionRef],
    description:
      "The successions between offices this event (a decision) made; empty for other events.",
    resolve: (e, _args, ctx) => [...ctx.graph.lineage.decidedBy(e.id)],
  }),
}));
