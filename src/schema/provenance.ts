/** Provenance: why the graph asserts a fact. Either a verbatim quote of a source, or an editor's reason. */
import type { Provenance } from "../graph/model.js";
import { builder } from "./builder.js";
import { SourceRef } from "./refs.js";

type QuoteShape = Extract<Provenance, { quote: string }>;
type EditorialShape = Extract<Provenance, { editorial: string }>;

export const ProvenanceKind = builder.enumType("ProvenanceKind", {
  description:
    "Whether a fact rests on the source document's own words or on an editor's background knowledge.",
  values: {
    QUOTE: { description: "The fact is supported by a verbatim quote of a source." },
    EDITORIAL: {
      description:
        "The fact is background knowledge the source takes for granted, asserted by the editors with a reason.",
    },
  } as const,
});

export const ProvenanceRef = builder.interfaceRef<Provenance>("Provenance").implement({
  description:
    "Why the graph asserts a fact. Every fact (an entity's existence, a name, a relation, a date) has at least one. " +
    "Select `kind` and `text`, and `... on SourceQuote { source { name } }` for where a quote comes from.",
  fields: (t) => ({
    kind: t.field({
      type: ProvenanceKind,
      description: "QUOTE for a verbatim quote of a source, EDITORIAL for an editor's reason.",
      resolve: (p) => ("quote" in p ? "QUOTE" : "EDITORIAL"),
    }),
    text: t.string({
      description: "The quote itself (verbatim), or the editor's reason.",
      resolve: (p) => ("quote" in p ? p.quote : p.editorial),
    }),
  }),
});

builder.objectRef<QuoteShape>("SourceQuote").implement({
  description: "A verbatim quote of a source document that supports a fact.",
  interfaces: [ProvenanceRef],
  isTypeOf: (p) => typeof p === "object" && p !== null && "quote" in p,
  fields: (t) => ({
    source: t.field({
      type: SourceRef,
      description: "The document the quote is taken from.",
      resolve: (p) => p.source,
    }),
    quote: t.exposeString("quote", {
      description:
        "The quoted words, exactly as the source writes them (its spelling errors included).",
    }),
    offset: t.int({
      description:
        "Where the quote starts in the source's `text`, counted in UTF-16 code units from 0: use it to highlight the quote. A quote that occurs more than once is placed at one of its occurrences, the same on every server: for a quote of six characters or more, the first where it starts a word (rather than one inside a longer word), if there is one; otherwise its first occurrence.",
      resolve: (p, _args, ctx) => ctx.graph.quoteOffset(p),
    }),
  }),
});

export const EditorialNoteRef = builder.objectRef<EditorialShape>("EditorialNote").implement({
  description:
    "A background fact the source takes for granted (which state a city lies in, the usual spelling of a name), asserted by the editors.",
  interfaces: [ProvenanceRef],
  isTypeOf: (p) => typeof p === "object" && p !== null && "editorial" in p,
  fields: (t) => ({
    reason: t.exposeString("editorial", { description: "Why the editors assert the fact." }),
  }),
});
