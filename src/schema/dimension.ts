import type { DimensionFilterInput, NamedOrderField } from "../graph/lists.js";
import { builder, type Context } from "./builder.js";
import {
  EntityRef,
  EvidenceRef,
  evidenceOf,
  keyArgDescription,
  lookUp,
  namesOf,
} from "./entity.js";
import { listArgs, logicalFields, namedFilterFields, orderInput } from "./filters.js";
import { nameFields } from "./names.js";
import { OFFICE_DIMENSION_STATED_AS_OF, officeListArgs } from "./office.js";
import { relationPage, rootPage } from "./pages.js";
import { type Edge, NULL_WHEN_INVALID } from "./pagination.js";
import { PartialDateRef, statedByQuotesAsOfShape } from "./partial-date.js";
import { priorityListArgs } from "./priority.js";
import { ProvenanceRef } from "./provenance.js";
import { DimensionRef, OfficeRef, PriorityRef } from "./refs.js";
import { isKind } from "./type-guards.js";

/** An edge of a dimension's offices: the office's key, and the dimension, for the link's provenance. */
class DimensionOfficeEdge {
  readonly node: string;
  constructor(
    private readonly edge: Edge<string>,
    readonly dimension: string,
  ) {
    this.node = edge.node;
  }

  get cursor(): string {
    return this.edge.cursor;
  }
}

/** The office's link to the dimension an edge of `Dimension.offices` stands for. */
const linkOf = (edge: DimensionOfficeEdge, ctx: Context) =>
  ctx.graph.get("office", edge.node)!.dimensions.find((link) => link.ref === edge.dimension)!;

DimensionRef.implement({
  description:
    "One of the OSCE's three dimensions of security: politico-military, economic and environmental, human.",
  interfaces: [EntityRef],
  isTypeOf: isKind("dimension"),
  fields: (t) => ({
    name: t.string({
      description: "The dimension's name, e.g. Human dimension.",
      resolve: (d) => d.name.text,
    }),
    ...nameFields(t, "Every name of the dimension, with kinds and provenance.", namesOf),
    priorities: t.connection({
      type: PriorityRef,
      description: "Priorities stated in this dimension, in the source's order.",
      args: priorityListArgs(t.arg),
      resolve: (d, args, ctx, info) =>
        relationPage(ctx, info, d, "priority", "prioritiesByDimension", args),
    }),
    offices: t.connection(
      {
        type: OfficeRef,
        description:
          "Offices that work in this dimension, by name; each edge gives the link's `provenance` (the document assigns no office to a dimension).",
        args: officeListArgs(t.arg),
        resolve: async (d, args, ctx, info) => {
          const page = await relationPage(ctx, info, d, "office", "officesByDimension", args);
          return { ...page, edges: page.edges.map((edge) => new DimensionOfficeEdge(edge, d.id)) };
        },
      },
      {},
      {
        fields: (t) => ({
          provenance: t.field({
            type: [ProvenanceRef],
            description:
              "Why the graph says this office works in the dimension (as in the office's `dimensionLinks`).",
            resolve: (edge, _args, ctx) => linkOf(edge as DimensionOfficeEdge, ctx).provenance,
          }),
          statedAsOf: t.field({
            type: PartialDateRef,
            nullable: true,
            description: `${OFFICE_DIMENSION_STATED_AS_OF} As in the office's \`dimensionLinks\`.`,
            resolve: (edge, _args, ctx) =>
              statedByQuotesAsOfShape(linkOf(edge as DimensionOfficeEdge, ctx).provenance, ctx),
          }),
        }),
      },
    ),
    evidence: t.field({
      type: [EvidenceRef],
      description: "Provenance of the dimension's `name`.",
      resolve: (d) => evidenceOf({ name: d.name }),
    }),
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
    nullable: true,
    description: `The OSCE's three dimensions, in the source's order. ${NULL_WHEN_INVALID}`,
    args: listArgs(t.arg, DimensionFilter, DimensionOrder, "dimensions", "the source's order"),
    resolve: (_root, args, ctx, info) => rootPage(ctx, info, "dimension", args),
  }),
  dimension: t.field({
    type: DimensionRef,
    nullable: true,
    description:
      "One dimension by its readable key; null when there is none, with a NOT_FOUND error that suggests near keys.",
    args: {
      key: t.arg.string({
        required: true,
        description: keyArgDescription("dimension", "economic-and-environmental"),
      }),
    },
    resolve: (_root, args, ctx) => lookUp(ctx, "dimension", args.key),
  }),
}));
