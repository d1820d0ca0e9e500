import { selectKeys, selectKeysSliced, type DimensionFilterInput, type NamedOrderField } from "../graph/lists.js";
import { builder } from "./builder.js";
import { EntityRef, evidenceOf, EvidenceRef, keyArgDescription, keyOf, NameRef, namesOf, pageOf } from "./entity.js";
import { listArgs, logicalFields, namedFilterFields, orderInput, withInputErrors } from "./filters.js";
import { officeListArgs } from "./office.js";
import { priorityListArgs } from "./priority.js";
import { DimensionRef, OfficeRef, PriorityRef } from "./refs.js";
import { isKind } from "./type-guards.js";

DimensionRef.implement({
  description: "One of the OSCE's three dimensions of security: politico-military, economic and environmental, human.",
  interfaces: [EntityRef],
  isTypeOf: isKind("dimension"),
  fields: (t) => ({
    name: t.string({ description: "The dimension's name, e.g. Human dimension.", resolve: (d) => d.name.text }),
    names: t.field({ type: [NameRef], description: "Every name of the dimension, with kinds and provenance.", resolve: (d) => namesOf(d) }),
    priorities: t.connection({
      type: PriorityRef,
      description: "Priorities stated in this dimension, in the source's order.",
      args: priorityListArgs(t.arg),
      resolve: (d, args, ctx) =>
        pageOf(args, withInputErrors(() => selectKeys(ctx.graph, "priority", args, { relation: ctx.graph.prioritiesByDimension.get(d.id), deadline: ctx.deadline }))),
    }),
    offices: t.connection({
      type: OfficeRef,
      description: "Offices that work in this dimension, by name.",
      args: officeListArgs(t.arg),
      resolve: (d, args, ctx) =>
        pageOf(args, withInputErrors(() => selectKeys(ctx.graph, "office", args, { relation: ctx.graph.officesByDimension.get(d.id), deadline: ctx.deadline }))),
    }),
    evidence: t.field({ type: [EvidenceRef], description: "Provenance of the dimension's `name`.", resolve: (d) => evidenceOf({ name: d.name }) }),
  }),
});

export const DimensionFilter = builder.inputRef<DimensionFilterInput>("DimensionFilter").implement({
  description: "Conditions on a dimension; every field given must hold.",
  fields: (t) => ({
    ...namedFilterFields(t, "dimension", "dimension/human"),
    ...logicalFields(t, DimensionFilter),
  }),
});

export const DimensionOrder = orderInput<NamedOrderField>("Dimension", {
  NAME: "By name, alphabetically.",
  KEY: "By key.",
});

builder.queryFields((t) => ({
  dimensions: t.connection({
    type: DimensionRef,
    description: "The OSCE's three dimensions, in the source's order.",
    args: listArgs(t.arg, DimensionFilter, DimensionOrder, "dimensions", "the source's order"),
    resolve: async (_root, args, ctx) => pageOf(args, await withInputErrors(() => selectKeysSliced(ctx.graph, "dimension", args, { deadline: ctx.deadline }))),
  }),
  dimension: t.field({
    type: DimensionRef,
    nullable: true,
    description: "One dimension by its readable key; null when there is none.",
    args: { key: t.arg.string({ required: true, description: keyArgDescription("dimension", "economic-and-environmental") }) },
    resolve: (_root, args, ctx) => ctx.graph.get("dimension", keyOf("dimension", args.key)) ?? null,
  }),
}));
