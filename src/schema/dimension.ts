import { builder } from "./builder.js";
import { EntityRef, evidenceOf, EvidenceRef, keyArgDescription, keyOf, NameRef, namesOf, pageOf } from "./entity.js";
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
      resolve: (d, args, ctx) => pageOf(args, ctx.graph.prioritiesByDimension.get(d.id)),
    }),
    offices: t.connection({
      type: OfficeRef,
      description: "Offices that work in this dimension, by name.",
      resolve: (d, args, ctx) => pageOf(args, ctx.graph.officesByDimension.get(d.id)),
    }),
    evidence: t.field({ type: [EvidenceRef], description: "Provenance of the dimension's `name`.", resolve: (d) => evidenceOf({ name: d.name }) }),
  }),
});

builder.queryFields((t) => ({
  dimensions: t.connection({
    type: DimensionRef,
    description: "The OSCE's three dimensions.",
    resolve: (_root, args, ctx) => pageOf(args, ctx.graph.keys.dimension),
  }),
  dimension: t.field({
    type: DimensionRef,
    nullable: true,
    description: "One dimension by its readable key; null when there is none.",
    args: { key: t.arg.string({ required: true, description: keyArgDescription("dimension", "economic-and-environmental") }) },
    resolve: (_root, args, ctx) => ctx.graph.get("dimension", keyOf("dimension", args.key)) ?? null,
  }),
}));
