import type { NamedOrderField, PriorityFilterInput } from "../graph/lists.js";
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
import { nameFields } from "./names.js";
import { rootPage } from "./pages.js";
import { NULL_WHEN_INVALID } from "./pagination.js";
import {
  datedShape,
  PartialDateRef,
  statedAsOfDescription,
  statedAsOfShape,
} from "./partial-date.js";
import { eventsField } from "./participation.js";
import { DimensionRef, PriorityRef, StateRef } from "./refs.js";
import { isKind } from "./type-guards.js";

const PriorityKindEnum = builder.enumType("PriorityKind", {
  description: "What a priority is.",
  values: {
    PRIORITY: {
      description:
        "A line of the state's activity within the OSCE that the source states, e.g. The Aral Sea.",
    },
    STATE_PROGRAMME: {
      description:
        'A programme the state ran, with the dates the source gives, e.g. the State program "Path to Europe" (completed December 2011).',
    },
  } as const,
});

PriorityRef.implement({
  description:
    "A priority a state pursues within the OSCE, usually in one of its three dimensions, or a programme it ran (`kind` STATE_PROGRAMME, e.g. Path to Europe, with its `period` and `events`).",
  interfaces: [EntityRef],
  isTypeOf: isKind("priority"),
  fields: (t) => ({
    name: t.string({
      description: "The priority, e.g. The Aral Sea.",
      resolve: (p) => p.name.text,
    }),
    ...nameFields(t, "Every name of the priority, with kinds and provenance.", namesOf),
    description: t.string({
      nullable: true,
      description:
        "A short description; null when there is none. E.g. for the heritage of the OSCE Astana Summit, the keynote of Kazakhstan's activities within the OSCE during the \"upcoming years\", as stated by the source's last update. Its provenance is in `evidence` (field `description`).",
      resolve: (p) => p.description?.text ?? null,
    }),
    keynote: t.boolean({
      description:
        "Whether the source calls this priority the keynote (the main theme) of its state's activities within the OSCE: " +
        '"Promotion of the heritage of the OSCE Astana Summit will be the keynote of the Kazakhstan’s activities within the Organization during upcoming years." ' +
        "It is said for upcoming years, stated by the source's last update (see `statedAsOf`) and maybe written before it: the source gives those years no start or end. At most one priority of a state is its keynote; " +
        "its provenance is in `evidence` (field `keynote`). False for every other priority. `State.priorities` is not ordered by it.",
      resolve: (p) => p.keynote !== undefined,
    }),
    state: t.field({
      type: StateRef,
      description: "The state whose priority it is.",
      resolve: (p) => p.state.ref,
    }),
    dimension: t.field({
      type: DimensionRef,
      nullable: true,
      description:
        "The dimension the priority belongs to; null when the source states it without tying it to a dimension.",
      resolve: (p) => p.dimension?.ref ?? null,
    }),
    concerns: t.field({
      type: [StateRef],
      description:
        "The states the priority is about, as the source states it: Ukraine for Kazakhstan's attention to \"the OSCE's activities in connection with the situation in Ukraine\". " +
        "Empty when it is about no state in particular. The quote of each link is on the path between them (`path(from:, to:)`, relation `Priority.concerns`).",
      resolve: (p) => p.concerns.map((c) => c.ref),
    }),
    kind: t.field({
      type: PriorityKindEnum,
      description:
        "Whether this is a line of the state's activity (PRIORITY) or a programme the state ran (STATE_PROGRAMME, e.g. Path to Europe).",
      resolve: (p) => p.kind,
    }),
    period: t.field({
      type: PartialDateRef,
      nullable: true,
      description:
        "When it ran, as far as the source dates it: Path to Europe ended in December 2011 (its completion), from a start the source does not give (`/2011-12`). " +
        "Null when the source gives no date.",
      resolve: (p, _args, ctx) => (p.when ? datedShape(p.when, ctx) : null),
    }),
    statedAsOf: t.field({
      type: PartialDateRef,
      nullable: true,
      description: statedAsOfDescription(
        "this priority",
        '"Kazakhstan continues to support ...", "An important priority ... remains ..."',
        "for a programme the source dates (see `period`: Path to Europe, completed in December 2011) and for a priority that rests on editorial notes alone",
      ),
      // a programme's own date says when it ran: the update's day would only blur it
      resolve: (p, _args, ctx) => (p.when ? null : statedAsOfShape(p.provenance, ctx)),
    }),
    events: eventsField(t, "the priority or programme"),
    evidence: t.field({
      type: [EvidenceRef],
      description:
        "Provenance of the priority's single-valued fields (`name`, `description`, `state`, `dimension`, `period`, and `keynote` where it is true).",
      resolve: (p) =>
        evidenceOf({
          name: p.name,
          description: p.description,
          state: p.state,
          dimension: p.dimension,
          period: p.when,
          keynote: p.keynote,
        }),
    }),
  }),
});

export const PriorityFilter = builder.inputRef<PriorityFilterInput>("PriorityFilter").implement({
  description: "Conditions on a priority; every field given must hold.",
  fields: (t) => ({
    ...namedFilterFields(t, "priority", "priority/aral-sea"),
    state: t.field({
      type: KeyFilter,
      description: "The state whose priority it is, e.g. `kazakhstan`.",
    }),
    dimension: t.field({
      type: KeyFilter,
      description:
        "The dimension it belongs to, e.g. `human`; a priority without a dimension never matches.",
    }),
    concerns: t.field({
      type: KeyFilter,
      description:
        "A state the priority is about, e.g. `ukraine`; a priority about no state never matches.",
    }),
    keynote: t.boolean({
      description:
        "`true`: only the priority the source calls the keynote of its state's activities within the OSCE (see `Priority.keynote`), e.g. `{state: {eq: \"kazakhstan\"}, keynote: true}` for Kazakhstan's, the heritage of the OSCE Astana Summit; `false`: every other priority. Omit it (or give null) for both.",
    }),
    ...logicalFields(t, PriorityFilter),
  }),
});

export const PriorityOrder = orderInput<NamedOrderField>("Priority", {
  NAME: "By name, alphabetically.",
  KEY: "By key.",
});

/** The `filter` and `orderBy` arguments of a list of priorities. */
export const priorityListArgs = (arg: Parameters<typeof listArgs>[0]) =>
  listArgs(arg, PriorityFilter, PriorityOrder, "priorities", "the source's order");

builder.queryFields((t) => ({
  priorities: t.connection({
    type: PriorityRef,
    nullable: true,
    description: `Every priority, in the source's order. ${NULL_WHEN_INVALID}`,
    args: priorityListArgs(t.arg),
    resolve: (_root, args, ctx, info) => rootPage(ctx, info, "priority", args),
  }),
  priority: t.field({
    type: PriorityRef,
    nullable: true,
    description:
      "One priority by its readable key; null when there is none, with a NOT_FOUND error that suggests near keys.",
    args: {
      key: t.arg.string({ required: true, description: keyArgDescription("priority", "aral-sea") }),
    },
    resolve: (_root, args, ctx) => lookUp(ctx, "priority", args.key),
  }),
}));
