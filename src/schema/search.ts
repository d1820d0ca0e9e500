import { GraphQLError } from "graphql";
import { MAX_QUERY_LENGTH, SearchInputError, searchableKinds, type SearchHit } from "../graph/search.js";
import { builder } from "./builder.js";
import { EntityRef, pageOf } from "./entity.js";
import { loadEntity } from "./participation.js";

const SearchableKindEnum = builder.enumType("SearchableKind", {
  description: "A kind of entity that `search` can return.",
  values: Object.fromEntries(
    searchableKinds.map((kind) => [kind.toUpperCase(), { value: kind, description: `${kind[0]!.toUpperCase()}${kind.slice(1)} entities.` }]),
  ) as Record<Uppercase<(typeof searchableKinds)[number]>, { value: (typeof searchableKinds)[number]; description: string }>,
});

const MatchedNameKindEnum = builder.enumType("MatchedNameKind", {
  description: "Which sort of name a search matched.",
  values: {
    CANONICAL: { description: "The entity's main name." },
    ABBREVIATION: { description: "An abbreviation, e.g. FSC." },
    FULL_NAME: { description: "The full or formal name." },
    DOCUMENT_SPELLING: { description: "The source document's own spelling, typos included (e.g. Gyorgy Sabo)." },
    VARIANT: { description: "Another spelling or form." },
    FORMER_NAME: { description: "A name an office bore before its current one." },
    DESCRIPTION: { description: "Words of the entity's description rather than a name (weighted low)." },
  } as const,
});

const SearchHitRef = builder.objectRef<SearchHit>("SearchHit").implement({
  description: "One entity found by `search`, with the name that matched and how well.",
  fields: (t) => ({
    entity: t.field({ type: EntityRef, description: "The entity found. Use `label`, `key`, or `... on Person { }` and so on.", resolve: (h, _args, ctx) => loadEntity(ctx, h.id) }),
    score: t.float({ description: "Relevance (higher is better); only meaningful to compare hits of one search.", resolve: (h) => h.score }),
    matchedName: t.exposeString("matchedName", { description: "The entity's name (or description) that matched best, as written." }),
    matchedNameKind: t.field({ type: MatchedNameKindEnum, description: "Which sort of name matched.", resolve: (h) => h.matchedNameKind }),
  }),
});

builder.queryFields((t) => ({
  search: t.connection({
    type: SearchHitRef,
    description:
      "Finds entities by any of their names: canonical, abbreviations, former names and the source's own misspellings, " +
      "ignoring case and diacritics and tolerating typos (`nazarbaev`, `Sabo`, `Programmme`). Best match first, ties by key.",
    args: {
      query: t.arg.string({ required: true, description: `Words to look for, 1 to ${MAX_QUERY_LENGTH} characters; only the first 20 words count.` }),
      kinds: t.arg({ type: [SearchableKindEnum], description: "Only entities of these kinds; all kinds when omitted." }),
    },
    resolve: (_root, args, ctx) => {
      try {
        // the hits are counted in full but ranked only as far as the page reaches
        return pageOf(args, ctx.search.find(args.query, { ...(args.kinds && { kinds: args.kinds }), deadline: ctx.deadline }));
      } catch (error) {
        if (error instanceof SearchInputError) {
          throw new GraphQLError(`Argument "query": ${error.message}`, { extensions: { code: "BAD_USER_INPUT", argumentName: "query" } });
        }
        throw error;
      }
    },
  }),
}));
