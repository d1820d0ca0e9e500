import type { NamedOrderField, SourceFilterInput } from "../graph/lists.js";
import type { LocalDateTime, Source } from "../graph/model.js";
import { builder } from "./builder.js";
import { EntityRef, keyArgDescription, lookUp } from "./entity.js";
import { listArgs, logicalFields, namedFilterFields, orderInput } from "./filters.js";
import { rootPage } from "./pages.js";
import { NULL_WHEN_INVALID } from "./pagination.js";
import { datedShape, PartialDateRef } from "./partial-date.js";
import { ProvenanceRef } from "./provenance.js";
import { SourceRef } from "./refs.js";
import { isKind } from "./type-guards.js";

const SourceMomentRef = builder.objectRef<LocalDateTime>("SourceMoment").implement({
  description:
    'A moment the source states to the minute, e.g. its "Created at : 4.12.2013, 19:36": a local date and time as written, without a time zone, since the source gives none.',
  fields: (t) => ({
    dateTime: t.exposeString("dateTime", {
      description:
        "ISO 8601 local date and time, `YYYY-MM-DDTHH:MM` (or with seconds), e.g. 2013-12-04T19:36; no UTC offset: the source gives none.",
    }),
    date: t.string({
      description: "The day, `YYYY-MM-DD`, e.g. 2013-12-04.",
      resolve: (m) => m.dateTime.slice(0, 10),
    }),
    time: t.string({
      description: "The time of day, `HH:MM` (or `HH:MM:SS`), e.g. 19:36.",
      resolve: (m) => m.dateTime.slice(11),
    }),
    timeZone: t.string({
      nullable: true,
      description:
        "The time zone the source gives for the time; null when it gives none (as in the built-in source), so the time is local to an unknown place.",
      resolve: () => null,
    }),
    wording: t.string({
      nullable: true,
      description:
        'The source\'s own words for the moment, e.g. "Created at : 4.12.2013, 19:36"; null when not given.',
      resolve: (m) => m.wording ?? null,
    }),
    provenance: t.field({
      type: [ProvenanceRef],
      description: "Why the graph gives this moment.",
      resolve: (m) => m.provenance,
    }),
  }),
});

SourceRef.implement({
  description: "A source document the graph's facts are quoted from.",
  interfaces: [EntityRef],
  isTypeOf: isKind("source"),
  fields: (t) => ({
    name: t.string({ description: "The document's title.", resolve: (s) => s.name.text }),
    file: t.exposeString("file", {
      description: "The file holding the document's text, relative to the dataset directory.",
    }),
    created: t.field({
      type: PartialDateRef,
      description: "When the document was created.",
      resolve: (s, _a, ctx) => datedShape(s.created, ctx),
    }),
    updated: t.field({
      type: PartialDateRef,
      description:
        "When the document was last updated: nothing after this day is known from it, so open-ended facts are only certain until then.",
      resolve: (s, _a, ctx) => datedShape(s.updated, ctx),
    }),
    createdAt: t.field({
      type: SourceMomentRef,
      nullable: true,
      description:
        "When the document was created, to the minute, as it says (`created` gives the day only); null when it gives no time.",
      resolve: (s: Source) => s.createdAt ?? null,
    }),
    updatedAt: t.field({
      type: SourceMomentRef,
      nullable: true,
      description:
        "When the document was last updated, to the minute, as it says (`updated` gives the day only); null when it gives no time.",
      resolve: (s: Source) => s.updatedAt ?? null,
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
    resolve: (_root, args, ctx, info) => rootPage(ctx, info, "source", args),
  }),
  source: t.field({
    type: SourceRef,
    nullable: true,
    description:
      "One source document by its readable key; null when there is none, with a NOT_FOUND error that suggests near keys.",
    args: {
      key: t.arg.string({
        required: true,
        description: keyArgDescription("source", "kazakhstan-osce-cooperation"),
      }),
    },
    resolve: (_root, args, ctx) => lookUp(ctx, "source", args.key),
  }),
}));
