import {
  MAX_QUERY_LENGTH,
  type MatchedNameKind,
  MIN_RELATIVE_SCORE,
  PHRASE_WEIGHT,
  type SearchHit,
  SearchInputError,
  searchableKinds,
} from "../graph/search.js";
import type { SearchFilterInput, SearchOrderField } from "../graph/search-hits.js";
import { selectSearchHitsSliced } from "../graph/search-hits.js";
import { hitDated, summaryOf } from "../graph/summary.js";
import { builder } from "./builder.js";
import { EntityRef } from "./entity.js";
import { userError } from "./errors.js";
import { DateFilter, enumFilter, listArgs, logicalFields, orderInput } from "./filters.js";
import { recordPage } from "./pages.js";
import { NULL_WHEN_INVALID } from "./pagination.js";
import { datedShape, PartialDateRef } from "./partial-date.js";
import { loadEntity } from "./refs.js";

const SearchableKindEnum = builder.enumType("SearchableKind", {
  description: "A kind of entity that `search` can return.",
  values: Object.fromEntries(
    searchableKinds.map((kind) => [
      kind.toUpperCase(),
      { value: kind, description: `${kind[0]!.toUpperCase()}${kind.slice(1)} entities.` },
    ]),
  ) as Record<
    Uppercase<(typeof searchableKinds)[number]>,
    { value: (typeof searchableKinds)[number]; description: string }
  >,
});
const SearchableKindFilter = enumFilter<(typeof searchableKinds)[number]>(
  "SearchableKind",
  SearchableKindEnum,
  "the kind of entity a search hit is",
);

const MatchedNameKindEnum = builder.enumType("MatchedNameKind", {
  description: "Which sort of name a search matched.",
  values: {
    CANONICAL: { description: "The entity's main name." },
    ABBREVIATION: { description: "An abbreviation, e.g. FSC." },
    FULL_NAME: { description: "The full or formal name." },
    DOCUMENT_SPELLING: {
      description: "The source document's own spelling, typos included (e.g. Gyorgy Sabo).",
    },
    VARIANT: { description: "Another spelling or form." },
    FORMER_NAME: { description: "A name an office bore before its current one." },
    DESCRIPTION: {
      description: "Words of the entity's description rather than a name (weighted low).",
    },
  } as const,
});
const MatchedNameKindFilter = enumFilter<MatchedNameKind>(
  "MatchedNameKind",
  MatchedNameKindEnum,
  "the sort of name a search matched",
);

const SearchHitRef = builder.objectRef<SearchHit>("SearchHit").implement({
  description:
    "One entity found by `search`, with the name that matched and how well, a one-line summary and its date.",
  fields: (t) => ({
    entity: t.field({
      type: EntityRef,
      description: "The entity found. Use `label`, `key`, or `... on Person { }` and so on.",
      resolve: (h, _args, ctx) => loadEntity(ctx, h.id),
    }),
    score: t.float({
      description: "Relevance (higher is better); only meaningful to compare hits of one search.",
      resolve: (h) => h.score,
    }),
    matchedName: t.exposeString("matchedName", {
      description: "The entity's name (or description) that matched best, as written.",
    }),
    matchedNameKind: t.field({
      type: MatchedNameKindEnum,
      description: "Which sort of name matched.",
      resolve: (h) => h.matchedNameKind,
    }),
    kind: t.field({
      type: SearchableKindEnum,
      description: "The kind of entity found (what `filter: {kind}` tests).",
      resolve: (h) => h.kind,
    }),
    summary: t.string({
      description:
        "The entity in one line (at most 160 characters): its description where the source gives one, else its kind and what the graph knows of it, " +
        "e.g. `Summit, December 1-2, 2010, in Astana` or `Person, Ambassador, of Hungary`.",
      resolve: (h, _args, ctx) => {
        const entity = ctx.graph.entity(h.id);
        return entity ? summaryOf(ctx.graph, entity) : h.matchedName;
      },
    }),
    date: t.field({
      type: PartialDateRef,
      nullable: true,
      description:
        "The date the hit is about, as precisely as the source gives it: an event's date; for an office found by one of its former or current names, " +
        "the period it bore that name. Null for undated entities (persons, places, states, ...).",
      resolve: (h, _args, ctx) => {
        const dated = hitDated(ctx.graph, h.id, h.matchedName);
        return dated ? datedShape(dated, ctx) : null;
      },
    }),
  }),
});

const SearchFilter = builder.inputRef<SearchFilterInput>("SearchFilter").implement({
  description:
    "Conditions on a search hit; every field given must hold. A condition on `date` or `matchedNameKind` is tested on each name of the entity that the search reached, best first, and the hit is the best name for which the whole filter holds: " +
    "so a filter and its `not` may both find one entity, by different names (`Astana` in 2016 finds the field office as the OSCE Programme Office in Astana, and not in 2016 as the OSCE Centre in Astana).",
  fields: (t) => ({
    kind: t.field({
      type: SearchableKindFilter,
      description: "The kind of entity found, e.g. `{in: [EVENT, OFFICE]}`.",
    }),
    date: t.field({
      type: DateFilter,
      description:
        "The hit's `date` (an event's date, the period of an office's matched name), e.g. `{overlaps: \"2010\"}`. An undated hit never matches. " +
        "Tested on every name of the entity that the search reached, best first: the hit is the best name that passes (`Astana` in 2016 finds the field office as the OSCE Programme Office in Astana).",
    }),
    matchedNameKind: t.field({
      type: MatchedNameKindFilter,
      description:
        "The sort of name that matched, e.g. `{eq: FORMER_NAME}`; tested, as `date` is, on every name of the entity that the search reached, best first.",
    }),
    ...logicalFields(t, SearchFilter),
  }),
});

const SearchOrder = orderInput<SearchOrderField>(
  "Search",
  {
    RELEVANCE: "Best match first (score descending, ties by key); DESC is its reverse.",
    NAME: "By the name that matched, alphabetically.",
    DATE: "Chronologically by the hit's `date`, undated hits first.",
    KEY: "By the entity's key.",
  },
  "by relevance, then by key",
);

builder.queryFields((t) => ({
  search: t.connection({
    type: SearchHitRef,
    nullable: true,
    description:
      "Finds entities by any of their names and their descriptions: canonical, abbreviations, former names and the source's own misspellings, " +
      "ignoring case, diacritics, width and invisible characters and tolerating typos (`nazarbaev`, `Sabo`, `Programmme`, `ＯＳＣＥ`); Kazakh and Russian Cyrillic is romanised, so `Назарбаев` finds Nazarbayev. " +
      `A name holding k consecutive query words word for word, in order, scores 1 + ${PHRASE_WEIGHT}·(k − 1) times as much; ` +
      `hits scoring (before that boost) below ${MIN_RELATIVE_SCORE * 100}% of the best hit's are left out. Best match first, ties by key; ` +
      "`filter` and `orderBy` as on every list. The rules in full: docs/querying.md. " +
      NULL_WHEN_INVALID,
    args: {
      query: t.arg.string({
        required: true,
        description: `Words to look for, 1 to ${MAX_QUERY_LENGTH} characters; only the first 20 words count.`,
      }),
      kinds: t.arg({
        type: [SearchableKindEnum],
        description:
          "Only entities of these kinds; all kinds when omitted. An empty list is refused (it would match nothing): omit the argument instead.",
        deprecationReason:
          "Use `filter: {kind: {in: [...]}}`, the filter every list takes (kept working: both must allow a kind).",
      }),
      ...listArgs(
        t.arg,
        SearchFilter,
        SearchOrder,
        "hits",
        "by relevance (best first)",
        "by relevance, then by key",
      ),
    },
    resolve: async (_root, args, ctx, info) => {
      try {
        // by relevance, the hits are counted in full but ranked only as far as the page reaches
        return await recordPage(ctx, info, undefined, args, (deadline) =>
          selectSearchHitsSliced(ctx.graph, ctx.search, { ...args, deadline }),
        );
      } catch (error) {
        if (error instanceof SearchInputError) {
          throw userError(`Argument "query": ${error.message}`, {
            extensions: { code: "BAD_USER_INPUT", argumentName: "query" },
          });
        }
        throw error;
      }
    },
  }),
}));
