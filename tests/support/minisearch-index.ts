/**
 * The search index as it was before the compact index of src/graph/search.ts (issue 5): minisearch,
 * one document per (entity, name), every hit scored and folded to one per entity, then sorted.
 *
 * Kept as a reference (its tokenizer and name weights are the index's own, imported): tests/graph/search-reference.test.ts checks that the compact index
 * ranks and scores like it, and bench/scale/search.ts measures both side by side.
 */
import MiniSearch from "minisearch";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import {
  MAX_QUERY_LENGTH,
  NAME_WEIGHT,
  SearchInputError,
  normalizeTerm,
  queryTokens,
  searchableKinds,
  tokenize,
  type MatchedNameKind,
  type SearchHit,
  type SearchOptions,
  type SearchableKind,
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
        if ("nameHistory" in entity) for (const former of entity.nameHistory) add(former.text, "FORMER_NAME");
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
