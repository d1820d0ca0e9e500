/**
 * The search index as it was before the compact index of src/graph/search.ts (issue 5): minisearch,
 * one document per (entity, name), every hit scored and folded to one per entity, then sorted.
 *
 * Kept as a reference (its tokenizer and name weights are the index's own, imported): tests/graph/search-reference.test.ts checks that the compact index
 * ranks and scores like it, and bench/scale/search.ts measures both side by side.
 *
 * Two ranking rules were added to the compact index since (issue 12), and this reference applies
 * them on its own, on top of minisearch's scores, from their documented definitions rather than
 * from the index's code: the phrase boost (a name holding a run of k consecutive query words, word
 * for word, in its first POSITIONS words, scores 1 + PHRASE_WEIGHT·(k − 1) times more; runs are
 * followed greedily, as src/graph/search.ts documents), and the cut-off (hits whose score before
 * the boost is below MIN_RELATIVE_SCORE × the best such score are dropped). Cyrillic is romanised
 * by `normalizeTerm` here as there; the alternative romanisations of a Cyrillic query word are the
 * index's alone (minisearch looks up one spelling), so Cyrillic queries are not compared.
 */
import MiniSearch from "minisearch";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import {
  MAX_QUERY_LENGTH,
  type MatchedNameKind,
  MIN_RELATIVE_SCORE,
  NAME_WEIGHT,
  normalizeTerm,
  PHRASE_WEIGHT,
  POSITIONS,
  queryTokens,
  type SearchableKind,
  type SearchHit,
  SearchInputError,
  type SearchOptions,
  searchableKinds,
  tokenize,
} from "../../src/graph/search.js";

const NAME_RANK = Object.keys(NAME_WEIGHT) as MatchedNameKind[];

interface IndexedName {
  entityId: string;
  kind: SearchableKind;
  nameKind: MatchedNameKind;
  text: string;
}

export class MiniSearchIndex {
  private constructor(
    private readonly names: readonly IndexedName[],
    private readonly index: MiniSearch<{ id: number; text: string }>,
  ) {}

  static build(graph: KnowledgeGraph): MiniSearchIndex {
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
        if ("nameHistory" in entity)
          for (const former of entity.nameHistory) add(former.text, "FORMER_NAME");
        add(entity.description?.text, "DESCRIPTION");
      }
    }

    const index = new MiniSearch<{ id: number; text: string }>({
      fields: ["text"],
      tokenize,
      processTerm: normalizeTerm,
      searchOptions: {
        tokenize: queryTokens,
        // Short terms would match too much: prefix from 3 characters, typos from 4.
        prefix: (term) => term.length >= 3,
        fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
        maxFuzzy: 2,
        boostDocument: (id: number) => NAME_WEIGHT[names[id]!.nameKind],
      },
    });
    index.addAll(names.map((name, id) => ({ id, text: name.text })));
    return new MiniSearchIndex(names, index);
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

    // the distinct query words in order, normalised, for the phrase boost
    const queryWords = [
      ...new Set(
        queryTokens(query)
          .map(normalizeTerm)
          .filter((t): t is string => t !== null),
      ),
    ];
    const best = new Map<string, SearchHit & { base: number }>();
    for (const result of results) {
      const name = this.names[result.id as number]!;
      const run = longestRun(queryWords, tokenize(name.text).map(normalizeTerm));
      const score = run > 1 ? result.score * (1 + PHRASE_WEIGHT * (run - 1)) : result.score;
      const current = best.get(name.entityId);
      if (
        current === undefined ||
        score > current.score ||
        (score === current.score &&
          NAME_RANK.indexOf(name.nameKind) < NAME_RANK.indexOf(current.matchedNameKind))
      ) {
        best.set(name.entityId, {
          id: name.entityId,
          kind: name.kind,
          score,
          base: result.score,
          matchedName: name.text,
          matchedNameKind: name.nameKind,
        });
      }
    }
    const hits = [...best.values()];
    const floor =
      Math.max(0, ...hits.map((h) => h.base)) * (options.minRelativeScore ?? MIN_RELATIVE_SCORE);
    return hits
      .filter((h) => h.base >= floor)
      .map(({ base: _base, ...hit }) => hit)
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

/**
 * The longest run of consecutive query words found word for word at consecutive positions of a
 * name (its first POSITIONS tokens), followed greedily through the query: the run goes on while
 * the next word stands right after an end of the current run, and otherwise starts anew at that
 * word. 0 when no query word occurs exactly.
 */
function longestRun(queryWords: readonly string[], nameTerms: readonly (string | null)[]): number {
  let ends = new Set<number>();
  let run = 0;
  let longest = 0;
  let previous = -2; // the index of the query word that last matched exactly
  queryWords.forEach((word, q) => {
    const at = new Set<number>();
    nameTerms.forEach((term, i) => {
      if (term === word && i < POSITIONS) at.add(i);
    });
    // a word that does not occur exactly leaves the run as it is, but breaks its continuity
    if (![...nameTerms].includes(word)) return;
    const follows = previous === q - 1 ? [...ends].map((e) => e + 1).filter((e) => at.has(e)) : [];
    if (follows.length > 0) {
      ends = new Set(follows);
      run++;
    } else {
      ends = at;
      run = at.size > 0 ? 1 : 0;
    }
    longest = Math.max(longest, run);
    previous = q;
  });
  return longest;
}
