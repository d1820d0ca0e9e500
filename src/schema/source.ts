import { selectKeys, selectKeysSliced, type NamedOrderField, type SourceFilterInput } from "../graph/lists.js";
import { builder } from "./builder.js";
import { EntityRef, keyArgDescription, keyOf, pageOf } from "./entity.js";
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
    description: "Every source document, by title.",
    args: listArgs(t.arg, SourceFilter, SourceOrder, "sources", "by title"),
    resolve: async (_root, args, ctx) => pageOf(args, await withInputErrors(() => selectKeysSliced(ctx.graph, "source", args, { deadline: ctx.deadline }))),
  }),
  source: t.field({
    type: SourceRef,
    nullable: true,
    description: "One source document by its readable key; null when there is none.",
    args: { key: t.arg.string({ required: true, description: keyArgDescription("source", "kazakhstan-osce-cooperation") }) },
    resolve: (_root, args, ctx) => ctx.graph.get("source", keyOf("source", args.key)) ?? null,
  }),
}));
