import { selectKeys, type NamedOrderField, type SourceFilterInput } from "../graph/lists.js";
import { listOf, NULL_WHEN_INVALID } from "./pagination.js";
import { builder } from "./builder.js";
import { EntityRef, keyArgDescription, lookUp, pageOf } from "./entity.js";
import { listArgs, logicalFields, namedFilterFields, orderInput, withInputErrors } from "./filters.js";
import { datedShape, PartialDateRef } from "./partial-date.js";
import { SourceRef } from "./refs.js";
import { isKind } from "./type-guards.js";

SourceRef.implement({
  description: "A source document the graph's facts are quoted from.",
  interfaces: [EntityRef],
  isTypeOf: isKind("source"),
  fields: (t) => ({
    name: t.string({ description: "The document's title.", resolve: (s) => s.name.text }),
    file: t.exposeString("file", { description: "The file holding the document's text, relative to the dataset directory." }),
    created: t.field({ type: PartialDateRef, description: "When the document was created.", resolve: (s, _a, ctx) => datedShape(s.created, ctx) }),
    updated: t.field({
      type: PartialDateRef,
      description: "When the document was last updated: nothing after this day is known from it, so open-ended facts are only certain until then.",
      resolve: (s, _a, ctx) => datedShape(s.updated, ctx),
    }),
    text: t.string({
      description: "The document's full text, verbatim. `SourceQuote.offset` points into it.",
      resolve: (s, _a, ctx) => ctx.graph.text(s.id) ?? "",
    }),
  }),
});

export const SourceFilter = builder.inputRef<SourceFilterInput>("SourceFilter").implement({
  description: "Conditions on a source document; every field given must hold.",
  fields: (t) => ({
    ...namedFilterFields(t, "source", "source/kazakhstan-osce-cooperation"),
    ...logicalFields(t, SourceFilter),
  }),
});

export const SourceOrder = orderInput<NamedOrderField>("Source", {
  NAME: "By title, alphabetically.",
  KEY: "By key.",
});

builder.queryFields((t) => ({
  sources: t.connection({
    type: SourceRef,
    nullable: true,
    description: `Every source document, by title. ${NULL_WHEN_INVALID}`,
    args: listArgs(t.arg, SourceFilter, SourceOrder, "sources", "by title"),
    resolve: (_root, args, ctx, info) => pageOf(args, listOf(info), withInputErrors(() => selectKeys(ctx.graph, "source", args))),
  }),
  source: t.field({
    type: SourceRef,
    nullable: true,
    description: "One source document by its readable key; null when there is none, with a NOT_FOUND error that suggests near keys.",
    args: { key: t.arg.string({ required: true, description: keyArgDescription("source", "kazakhstan-osce-cooperation") }) },
    resolve: (_root, args, ctx) => lookUp(ctx.graph, "source", args.key),
  }),
}));
