/**
 * Ranked full-text search over the names of every entity, built once at load with minisearch.
 *
 * Each (entity, name) pair is one minisearch document, so a hit can say which name matched;
 * the results are then folded to one hit per entity, keeping its best-scoring name.
 */
import MiniSearch from "minisearch";
import type { KnowledgeGraph } from "./graph.js";
import type { EntityKind } from "./model.js";

export type SearchableKind = Exclude<EntityKind, "tenure">;
export type MatchedNameKind =
  | "CANONICAL"
  | "ABBREVIATION"
  | "DOCUMENT_SPELLING"
  | "VARIANT"
  | "FULL_NAME"
  | "FORMER_NAME"
  | "DESCRIPTION";

export interface SearchHit {
  id: string;
  kind: SearchableKind;
  score: number;
  matchedName: string;
  /** which of the entity's names matched */
  matchedNameKind: MatchedNameKind;
}

export interface SearchOptions {
  /** Only hits of these kinds; an empty list matches nothing. */
  kinds?: readonly SearchableKind[];
}

/** A query the index refuses to run (empty, or too long); the message says what to change. */
export class SearchInputError extends Error {
  override name = "SearchInputError";
}

/** Longer queries (in UTF-16 code units) are rejected before any work is done: names are short. */
export const MAX_QUERY_LENGTH = 200;
/** Only the first this many words of a query are searched: each word costs a prefix and fuzzy lookup. */
export const MAX_QUERY_TERMS = 20;

export const searchableKinds = [
  "source", "state", "place", "dimension", "office", "person", "post", "event", "priority",
] as const satisfies readonly SearchableKind[];

/**
 * How much a match on each kind of name counts. Every name is a real name of the entity, so all
 * count fully and the best-matching one wins. Descriptions are prose: a word in them is weak
 * evidence, and even a prefix match on a name ("kazakh" -> "Kazakhstan") must outrank an exact
 * one in a description ("Kazakh diplomat"), whose rare words get a high BM25 idf.
 * The key order is also the tie-break between names of one entity that score exactly the same
 * (e.g. "György Szabó" and its variant "Gyorgy Szabo"): the canonical name is reported first.
 */
const NAME_WEIGHT: Record<MatchedNameKind, number> = {
  CANONICAL: 1,
  ABBREVIATION: 1,
  FULL_NAME: 1,
  VARIANT: 1,
  DOCUMENT_SPELLING: 1,
  FORMER_NAME: 1,
  DESCRIPTION: 0.1,
};
const NAME_RANK = Object.keys(NAME_WEIGHT) as MatchedNameKind[];

interface IndexedName {
  entityId: string;
  kind: SearchableKind;
  nameKind: MatchedNameKind;
  text: string;
}

// Marks (\p{M}) belong to words, so that decomposed input like "o\u0308" is not split apart.
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
// A lower-case letter (with any accents) followed by an upper-case one: "NursultanNazarbayev".
const CAMEL_BOUNDARY = /(?<=\p{Ll}\p{M}*)(?=\p{Lu})/u;

function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** The word itself plus its camelCase parts, so run-together spellings match whole and by part. */
function withCamelParts(word: string): string[] {
  const parts = word.split(CAMEL_BOUNDARY);
  return parts.length > 1 ? [word, ...parts] : [word];
}

export function tokenize(text: string): string[] {
  return words(text).flatMap(withCamelParts);
}

/** Case- and diacritic-insensitive form of a term: "Szabó" and "SZABO" both become "szabo". */
export function normalizeTerm(term: string): string | null {
  return term.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase() || null;
}

export class SearchIndex {
  private constructor(
    private readonly names: readonly IndexedName[],
    private readonly index: MiniSearch<{ id: number; text: string }>,
  ) {}

  static build(graph: KnowledgeGraph): SearchIndex {
    const names: IndexedName[] = [];
    for (const kind of searchableKinds) {
      for (const entity of graph.lists[kind]) {
        const seen = new Set<string>();
        const add = (text: string | undefined, nameKind: MatchedNameKind) => {
          // one document per distinct text: an office's current name is also in its history
          if (text === undefined || seen.has(text)) return;
          seen.add(text);
          names.push({ entityId: entity.id, kind, nameKind, text });
        };
        add(entity.name.text, "CANONICAL");
        add(entity.abbreviation?.text, "ABBREVIATION");
        for (const alias of entity.aliases) add(alias.text, alias.kind);
        if ("nameHistory" in entity) for (const former of entity.nameHistory) add(former.text, "FORMER_NAME");
        add(entity.description?.text, "DESCRIPTION");
      }
    }

    const index = new MiniSearch<{ id: number; text: string }>({
      fields: ["text"],
      tokenize,
      processTerm: normalizeTerm,
      searchOptions: {
        tokenize: (query) => words(query).slice(0, MAX_QUERY_TERMS).flatMap(withCamelParts),
        // Short terms would match too much: prefix from 3 characters, typos from 4.
        prefix: (term) => term.length >= 3,
        fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
        maxFuzzy: 2,
        boostDocument: (id: number) => NAME_WEIGHT[names[id]!.nameKind],
      },
    });
    index.addAll(names.map((name, id) => ({ id, text: name.text })));
    return new SearchIndex(names, index);
  }

  /**
   * Entities whose names match `query`, best first (score descending, then id ascending), one
   * hit per entity. Words are any runs of letters and digits; everything else, including regex
   * metacharacters, only separates words. Only the first MAX_QUERY_TERMS words are used.
   */
  search(query: string, options: SearchOptions = {}): SearchHit[] {
    if (query.length > MAX_QUERY_LENGTH) {
      throw new SearchInputError(
        `search query is too long: ${query.length} characters, the limit is ${MAX_QUERY_LENGTH}`,
      );
    }
    if (query.trim() === "") {
      throw new SearchInputError(
        `search query is empty: give at least one word (at most ${MAX_QUERY_LENGTH} characters)`,
      );
    }
    const kinds = options.kinds && new Set<string>(options.kinds);
    const results = this.index.search(query, {
      filter: kinds && ((result) => kinds.has(this.names[result.id as number]!.kind)),
    });

    const best = new Map<string, SearchHit>();
    for (const result of results) {
      const name = this.names[result.id as number]!;
      const current = best.get(name.entityId);
      if (
        current === undefined ||
        result.score > current.score ||
        (result.score === current.score && NAME_RANK.indexOf(name.nameKind) < NAME_RANK.indexOf(current.matchedNameKind))
      ) {
        best.set(name.entityId, {
          id: name.entityId,
          kind: name.kind,
          score: result.score,
          matchedName: name.text,
          matchedNameKind: name.nameKind,
        });
      }
    }
    return [...best.values()].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
