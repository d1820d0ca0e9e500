/**
 * Ranked full-text search over the names of every entity, built once at load.
 *
 * A compact inverted index: every (entity, name) pair is one numbered "name"; the distinct
 * normalised terms of all names are one sorted dictionary; each term has a posting list (the
 * names it occurs in, with the term's static BM25 score there) in one flat typed array. A query
 * term is expanded over the dictionary (exact, prefix: a range of the sorted dictionary, fuzzy: a
 * bounded Levenshtein walk over its trie), the postings of every expansion are summed per name
 * in reusable arrays indexed by name (see Scratch), folded to the best name per entity, and only the
 * page asked for is selected (a bounded heap) instead of sorting every hit. `totalCount` stays
 * exact: it is the number of distinct entities reached. No object is made per hit, except for
 * the hits of the page returned.
 *
 * The scores are those minisearch (which this replaced) gave: BM25+ (k 1.2, b 0.7, d 0.5) over
 * the names as documents, prefix matches weighted 0.375·len/(len + 0.3·extra letters), fuzzy
 * ones 0.45·len/(len + edits), times the kind of name's weight, summed over the query terms and
 * multiplied by the number of distinct query terms that matched.
 */
import { type Deadline, runToEnd, type Steps } from "./deadline.js";
import type { EntityByKind, KnowledgeGraph } from "./graph.js";
import type { EntityKind } from "./model.js";
import { type TableLease, TablePool, type WaitTicket } from "./search-tables.js";
import { hasCyrillic, transliterate, transliterations } from "./transliterate.js";

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
  /** Drop hits scoring below this fraction of the best hit's score; default MIN_RELATIVE_SCORE, 0 keeps every hit. */
  minRelativeScore?: number;
  /** Checked between the terms of the search (deadline.ts); a search abandoned midway leaves nothing behind. */
  deadline?: Deadline;
  /**
   * Keep, beside each hit's best name, the entity's other names the search reached (above the
   * relative cut-off), for `SearchResults.otherNames`: a filter on the matched name's period or
   * kind then tests each of them, not the best alone (search-hits.ts).
   */
  everyName?: boolean;
}

export interface BuildOptions {
  /** A search of more postings than this pauses at its checkpoints (`findSteps`); default PAUSING_POSTINGS. For tests. */
  pausingPostings?: number;
  /** The postings, and names folded, between two checkpoints of a search that pauses; a power of two, default POSTINGS_PER_STEP. For tests. */
  postingsPerStep?: number;
  /** The most tables of searches that pause at once (search-tables.ts); default MAX_PAUSING_TABLES. For tests. */
  maxPausingTables?: number;
  /** How long a free table of the pool is kept, unused; default PAUSING_TABLES_KEPT_MS. For tests. */
  pausingTablesKeptMs?: number;
}

/** A query the index refuses to run (empty, or too long); the message says what to change. */
export class SearchInputError extends Error {
  override name = "SearchInputError";
}

/** Longer queries (in UTF-16 code units) are rejected before any work is done: names are short. */
export const MAX_QUERY_LENGTH = 200;
/** Only the first this many words of a query are searched: each word costs a prefix and fuzzy lookup. */
export const MAX_QUERY_TERMS = 20;
/** Query terms this long or longer also match as prefixes of longer terms. */
export const MIN_PREFIX_LENGTH = 3;
/** Query terms this long or longer also match terms a few edits away (typos). */
export const MIN_FUZZY_LENGTH = 4;
/** Edits allowed: 20% of the query term's length, rounded, at most this many (1 for 4-7 letters, 2 from 8). */
export const MAX_EDITS = 2;

/**
 * The longest query term looked up with typos: a walk's table is (length + edits + 2) × (length +
 * 1) numbers, and a dataset may hold a term of any length (a word of a description), which would
 * let a term grown by normalising (200 × U+FDFA: 3,600 letters) be walked (review 52). A longer
 * one matches exactly and as a prefix only.
 */
export const MAX_FUZZY_LENGTH = 64;

/** The number of edits (Levenshtein distance) a query term of this length tolerates. */
export function allowedEdits(termLength: number): number {
  return termLength < MIN_FUZZY_LENGTH ? 0 : Math.min(MAX_EDITS, Math.round(termLength * 0.2));
}

/** A dictionary term that a query term matches. */
export interface Expansion {
  term: string;
  match: "exact" | "prefix" | "fuzzy";
  /** the edits (Levenshtein distance) of a fuzzy match; 0 otherwise */
  edits: number;
  /** how much a match through this term counts (1 for the term itself) */
  weight: number;
  /** the number of names the term occurs in */
  names: number;
}

export const searchableKinds = [
  "source",
  "state",
  "place",
  "dimension",
  "office",
  "person",
  "post",
  "event",
  "priority",
] as const satisfies readonly SearchableKind[];

/**
 * How much a match on each kind of name counts. Every name is a real name of the entity, so all
 * count fully and the best-matching one wins. Descriptions are prose: a word in them is weak
 * evidence, and even a prefix match on a name ("kazakh" -> "Kazakhstan") must outrank an exact
 * one in a description ("Kazakh diplomat"), whose rare words get a high BM25 idf.
 * The key order is also the tie-break between names of one entity that score exactly the same
 * (e.g. "György Szabó" and its variant "Gyorgy Szabo"): the canonical name is reported first.
 */
export const NAME_WEIGHT: Readonly<Record<MatchedNameKind, number>> = {
  CANONICAL: 1,
  ABBREVIATION: 1,
  FULL_NAME: 1,
  VARIANT: 1,
  DOCUMENT_SPELLING: 1,
  FORMER_NAME: 1,
  DESCRIPTION: 0.1,
};
/** Name kinds by rank; a name's kind is stored as its position here. */
const NAME_RANK = Object.keys(NAME_WEIGHT) as MatchedNameKind[];
const RANK_WEIGHT = NAME_RANK.map((kind) => NAME_WEIGHT[kind]);

/** In postingFlags: the entity has several names (the best one reached must be picked). */
const MULTI = 0x80;
/** In Scratch.terms: the last distinct query term that reached a name; one more term reached; the entity has several names. */
const LAST_TERM = 0xff;
const ONE_TERM = 0x100;
const SEVERAL_NAMES = 0x10000;

// BM25+ parameters and expansion weights, as minisearch's defaults (the scores stay comparable).
const BM25_K = 1.2;
const BM25_B = 0.7;
const BM25_D = 0.5;
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;

/**
 * Phrase boost: a name in which a run of k consecutive query words (as typed, without repeats)
 * occurs word for word, in order, scores 1 + PHRASE_WEIGHT·(k − 1) times more. "decision to hold
 * the OSCE Summit in Kazakhstan" then finds the event described "Decided to hold the OSCE Summit
 * in Kazakhstan." (a run of 7) above names that share a few of its words scattered.
 */
export const PHRASE_WEIGHT = 1;
/** Words beyond the first this many of a name take no part in phrase runs (positions are a 16-bit mask). */
export const POSITIONS = 16;
/**
 * Hits scoring below this fraction of the best hit of their search are dropped, both scores taken
 * before the phrase boost: the long tail of names that share one common word ("in", "human") with
 * a query of several, and descriptions that merely mention a name others bear.
 */
export const MIN_RELATIVE_SCORE = 0.1;

// Marks (\p{M}) belong to words, so that decomposed input like "o\u0308" is not split apart.
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
// A lower-case letter (with any accents) followed by an upper-case one: "NursultanNazarbayev".
const CAMEL_BOUNDARY = /(?<=\p{Ll}\p{M}*)(?=\p{Lu})/u;

// Format characters (\p{Cf}: zero-width joiners and non-joiners, soft hyphens, a BOM), which show
// nothing and split no word: "o\u200Dsce" was two words, "o" and "sce", and found nothing (red team 13, F5).
const INVISIBLE = /\p{Cf}/u;
const INVISIBLES = /\p{Cf}/gu;

function words(text: string): string[] {
  return (INVISIBLE.test(text) ? text.replace(INVISIBLES, "") : text).match(WORD) ?? [];
}

/** The word itself plus its camelCase parts, so run-together spellings match whole and by part. */
function withCamelParts(word: string): string[] {
  const parts = word.split(CAMEL_BOUNDARY);
  return parts.length > 1 ? [word, ...parts] : [word];
}

export function tokenize(text: string): string[] {
  return words(text).flatMap(withCamelParts);
}

/**
 * Case-, diacritic- and width-insensitive form of a term: "Szabó", "SZABO" and the full-width
 * "ＳＺＡＢＯ" all become "szabo" (compatibility decomposition, NFKD: full-width and other
 * compatibility forms of letters and digits, ligatures such as "ﬁ"; red team 13, F5: "ＯＳＣＥ" found
 * nothing where "OSCE" found 28). Kazakh and Russian Cyrillic is romanised first (its primary
 * form, see transliterate.ts): "Назарбаев" becomes "nazarbaev", one typo from "nazarbayev".
 */
export function normalizeTerm(term: string): string | null {
  // composed and lowered first: NFD would split й into и and a breve, and lose the letter
  const romanised = hasCyrillic(term) ? transliterate(term.normalize("NFC").toLowerCase()) : term;
  return romanised.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase() || null;
}

/** Every spelling a query term is looked up in: its normal form and, for a Cyrillic word, its other romanisations. */
export function querySpellings(token: string): string[] {
  if (!hasCyrillic(token)) {
    const term = normalizeTerm(token);
    return term ? [term] : [];
  }
  const spellings = transliterations(token.normalize("NFC").toLowerCase()).map((t) =>
    normalizeTerm(t),
  );
  return [...new Set(spellings.filter((t): t is string => t !== null))];
}

/**
 * At most this many tokens of a query are searched, its words' camelCase parts counted: each is a
 * fuzzy walk of the dictionary (eight for a Cyrillic one, one per romanisation), and one word of
 * 199 letters run together in camelCase was 67 tokens, priced as one word (red team 51, F2, F3).
 */
export const MAX_QUERY_TOKENS = 2 * MAX_QUERY_TERMS;
// a query term's number (1 to MAX_QUERY_TOKENS) and the count of them that reach a name are 8 bits
// each of Scratch.terms: a higher bound must widen them
if (MAX_QUERY_TOKENS > LAST_TERM) throw new Error("MAX_QUERY_TOKENS does not fit Scratch.terms");

/**
 * The tokens of a query: its first MAX_QUERY_TERMS words, each followed by its camelCase parts
 * while they fit in MAX_QUERY_TOKENS with the words after it: a part is dropped before a word
 * (cut at 40 tokens, a 14th camelCase surname pushed a last word, the place asked for, out of
 * the search: review 51).
 */
export function queryTokens(query: string): string[] {
  const kept = words(query).slice(0, MAX_QUERY_TERMS);
  const tokens: string[] = [];
  for (let w = 0; w < kept.length; w++) {
    const [word, ...parts] = withCamelParts(kept[w]!);
    tokens.push(word!);
    // room for the words still to come
    const room = MAX_QUERY_TOKENS - tokens.length - (kept.length - w - 1);
    tokens.push(...parts.slice(0, Math.max(0, room)));
  }
  return tokens;
}

/**
 * The distinct terms of a query (by their first spelling), each with how often it comes and every
 * spelling it is looked up in: what a search expands (SearchIndex `expand`).
 */
function distinctTerms(query: string): Map<string, { times: number; spellings: string[] }> {
  const distinct = new Map<string, { times: number; spellings: string[] }>();
  for (const token of queryTokens(query)) {
    const spellings = querySpellings(token);
    const term = spellings[0];
    if (term === undefined) continue;
    const known = distinct.get(term);
    if (known) known.times++;
    else distinct.set(term, { times: 1, spellings });
  }
  return distinct;
}

/**
 * What a search of `query` looks up: its distinct terms (each the postings of what it reaches,
 * summed), and their spellings (each a fuzzy walk of the dictionary; a Cyrillic term has up to
 * eight). What the cost model prices a search by (src/server/cost.ts), where it counted the
 * query's words (a Cyrillic camelCase word of 199 letters, 355 units, ran 17-64 ms, its lower-case
 * twin at the same price 4.8 ms: red team 51, F2). None for a query the search refuses as too long.
 */
export function queryLookups(query: string): { terms: number; spellings: number } {
  if (query.length > MAX_QUERY_LENGTH) return { terms: 0, spellings: 0 };
  const distinct = distinctTerms(query);
  let spellings = 0;
  for (const term of distinct.values()) spellings += term.spellings.length;
  return { terms: distinct.size, spellings };
}

/** The normalised terms of a query, in order (duplicates kept), from its first MAX_QUERY_TERMS words. */
export function queryTerms(query: string): string[] {
  const terms: string[] = [];
  for (const token of queryTokens(query)) {
    const term = normalizeTerm(token);
    if (term) terms.push(term);
  }
  return terms;
}

/**
 * The trie of a sorted list of distinct strings, breadth first: node 0 is the root (the empty
 * prefix); the children of node v are nodes first[v] to first[v + 1] - 1, in letter order, so
 * that a walk reads a node's children side by side; term[v] is the string v completes, or -1.
 */
function trieOf(sorted: readonly string[]): {
  char: Uint16Array;
  first: Int32Array;
  term: Int32Array;
} {
  // depth first (as the sorted strings give it) with child and sibling links, then renumbered
  let capacity = 1;
  for (const term of sorted) capacity += term.length;
  const char = new Uint16Array(capacity);
  const child = new Int32Array(capacity).fill(-1);
  const sibling = new Int32Array(capacity).fill(-1);
  const term = new Int32Array(capacity).fill(-1);
  const lastChild = new Int32Array(capacity).fill(-1);
  const path = [0]; // path[d]: the node of the previous string's prefix of length d
  let nodes = 1;
  let previous = "";
  sorted.forEach((text, t) => {
    let shared = 0;
    while (
      shared < text.length &&
      shared < previous.length &&
      text.charCodeAt(shared) === previous.charCodeAt(shared)
    )
      shared++;
    for (let d = shared + 1; d <= text.length; d++) {
      const parent = path[d - 1]!;
      const node = nodes++;
      char[node] = text.charCodeAt(d - 1);
      // sorted input: a new child always comes after its elder siblings
      if (lastChild[parent]! < 0) child[parent] = node;
      else sibling[lastChild[parent]!] = node;
      lastChild[parent] = node;
      path[d] = node;
    }
    term[path[text.length]!] = t;
    previous = text;
  });
  const order = new Int32Array(nodes); // breadth-first position -> depth-first node
  const bfs = {
    char: new Uint16Array(nodes),
    first: new Int32Array(nodes + 1),
    term: new Int32Array(nodes),
  };
  let next = 1;
  for (let v = 0; v < nodes; v++) {
    const old = order[v]!;
    bfs.char[v] = char[old]!;
    bfs.term[v] = term[old]!;
    bfs.first[v] = next;
    for (let c = child[old]!; c >= 0; c = sibling[c]!) order[next++] = c;
  }
  bfs.first[nodes] = next;
  return bfs;
}

/**
 * A name's phrase run (packed as in Scratch.phrase) after query term `query` matched it exactly at
 * `positions`: the run of consecutive query terms found at consecutive positions grows by one if
 * the previous query term ended a run just before one of them, and otherwise starts anew here.
 * (A run is followed greedily: where a longer run breaks, a shorter one that started later and
 * goes on is counted from the break.)
 */
function extendRun(packed: number, query: number, positions: number): number {
  const ends = packed & 0xffff;
  let run = (packed >>> 16) & 31;
  let longest = (packed >>> 21) & 31;
  const follows = packed >>> 26 === query - 1 ? (ends << 1) & positions & 0xffff : 0;
  let nextEnds: number;
  if (follows !== 0) {
    nextEnds = follows;
    run = Math.min(run + 1, 31);
  } else {
    nextEnds = positions;
    run = positions !== 0 ? 1 : 0;
  }
  if (run > longest) longest = run;
  return nextEnds | (run << 16) | (longest << 21) | (query << 26);
}

/**
 * The names one search reaches, with their score so far, in arrays indexed by name: a slot for
 * every name of the index, and one for every entity (to find the hit of an entity with several
 * names). A term's postings are in name order, so a term read sweeps the arrays in one direction,
 * as the memory's prefetch expects. The hash table keyed by name that stood here (its slots
 * scattered at random, eight arrays a posting, sized by the postings to stay in the cache) missed
 * the cache on nearly every posting once a search reached more than a few thousand names: `on
 * the in of` at a million entities (455,531 postings, 307,010 names) summed them in 100-110 ms
 * there, against 6-7 ms here (bench/results/2026-12-08-search-dense.txt). A slot belongs to the
 * current search when its stamp is that search's: nothing is cleared between searches.
 */
export class Scratch {
  /** by name: the search that last reached it */
  readonly stamp: Int32Array;
  /** by name: its score so far */
  readonly score: Float64Array;
  /** by name: its entity */
  readonly entity: Int32Array;
  /**
   * by name, packed: bits 0-7 the last distinct query term (1, 2, ...) that reached it, bits 8-15
   * how many distinct query terms reached it, bit 16 whether its entity has several names (MULTI)
   */
  readonly terms: Int32Array;
  /**
   * The phrase run of the name, packed in one number: bits 0-15 the positions where the current
   * run of consecutive query terms ends, 16-20 its length, 21-25 the longest run so far, 26-30
   * the last query term (1-31) that matched the name exactly. See extendRun.
   */
  readonly phrase: Int32Array;
  /** by entity: the search that last reached one of its names */
  readonly entityStamp: Int32Array;
  /** by entity: its hit (a position in the hit arrays) in that search */
  readonly entityHit: Int32Array;
  /** the hits of the search folded last (fold): grown to the most names a search reached */
  hitScore = new Float64Array(0);
  /** each hit's score before the phrase boost (what the relative cut-off compares) */
  hitBase = new Float64Array(0);
  hitName = new Int32Array(0);
  hitEntity = new Int32Array(0);
  /** the names reached, in the order they were reached */
  readonly used = new IntList();
  private search = 0;

  constructor(
    readonly names: number,
    readonly entities: number,
  ) {
    this.stamp = new Int32Array(names);
    this.score = new Float64Array(names);
    this.entity = new Int32Array(names);
    this.terms = new Int32Array(names);
    this.phrase = new Int32Array(names);
    this.entityStamp = new Int32Array(entities);
    this.entityHit = new Int32Array(entities);
  }

  /** Empties the table for a new search (by a new stamp), and returns that stamp. */
  begin(): number {
    if (this.search === 0x7fffffff) {
      this.stamp.fill(0);
      this.entityStamp.fill(0);
      this.search = 0;
    }
    this.used.length = 0;
    return ++this.search;
  }

  /** Room for `hits` hits in the hit arrays (made once, grown by doubling: a search's hits are at most its names). */
  roomForHits(hits: number): void {
    if (this.hitScore.length >= hits) return;
    const size = Math.min(this.names, Math.max(1024, 2 ** Math.ceil(Math.log2(hits))));
    this.hitScore = new Float64Array(size);
    this.hitBase = new Float64Array(size);
    this.hitName = new Int32Array(size);
    this.hitEntity = new Int32Array(size);
  }
}

/** A growable list of int32s, reused from search to search. */
export class IntList {
  data = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

/**
 * The hits of one search, one per entity: `totalCount` is exact; `top(n)` and `slice` select and
 * order only what is asked for (best score first, then key ascending), and make a hit only for
 * what they return.
 *
 * Ranking is work in proportion to the hits (a common word matches most of a large graph:
 * 9,893 hits for "osce centre" at 100,000 entities, 3 ms to sort them all), so it is charged to
 * the search's deadline, one unit per comparison: a request asking many pages of searches gives
 * the event loop back between them (deadline.ts) instead of ranking them all in one go, and stops
 * at its time limit. A page at the end (`last: 100`) keeps the worst hits, as the first page
 * keeps the best, instead of sorting every hit.
 */
/**
 * Each hit's other names reached (SearchOptions.everyName), in typed arrays: the names' entries
 * chained by hit (`head[hit]` its first entry, `next[entry]` the one after, -1 none), each entry a
 * name ordinal and its score. Made in `fold` without an object a name (at a million entities, a
 * map of each hit's names made at once was 50-340 ms of one piece: review 55).
 */
interface OtherNames {
  readonly head: Int32Array;
  readonly next: Int32Array;
  readonly name: Int32Array;
  readonly score: Float64Array;
}

export class SearchResults {
  private sorted: Int32Array | undefined;

  constructor(
    private readonly index: SearchIndex,
    /** entity ordinals (ordered by key), one per hit, in no particular order */
    private readonly entities: Int32Array,
    /** each hit's score */
    private readonly scores: Float64Array,
    /** each hit's best name (a name ordinal) */
    private readonly names: Int32Array,
    /** the search's deadline, charged for the ranking */
    private readonly deadline?: Deadline,
    /** With `everyName`: each hit's other names reached (OtherNames) */
    private readonly others?: OtherNames,
  ) {}

  /**
   * The other names of the entity of the hit at position `at` (`positions`) that the search
   * reached, as hits of their own (their own score), best first (a better score, then the better
   * kind of name, then the earlier name: as `fold` picks the best): empty unless the search was run
   * with `everyName`. Worked out when asked, for the hit asked about: a filter asks only where the
   * best name failed.
   */
  otherNamesAt(at: number): SearchHit[] {
    const others = this.others;
    if (!others) return [];
    const found: number[] = [];
    for (let j = others.head[at]!; j >= 0; j = others.next[j]!) found.push(j);
    const { name, score } = others;
    found.sort(
      (a, b) =>
        score[b]! - score[a]! ||
        this.index.rankOf(name[a]!) - this.index.rankOf(name[b]!) ||
        name[a]! - name[b]!,
    );
    return found.map((j) => this.index.hit(this.entities[at]!, score[j]!, name[j]!));
  }

  /** The number of entities found. */
  get totalCount(): number {
    return this.entities.length;
  }

  /** Same as totalCount: lets the results be paged like a list. */
  get length(): number {
    return this.entities.length;
  }

  /** Whether hit `a` ranks before hit `b`: higher score, then the smaller key. */
  private before(a: number, b: number): boolean {
    const sa = this.scores[a]!;
    const sb = this.scores[b]!;
    return sa > sb || (sa === sb && this.entities[a]! < this.entities[b]!);
  }

  /** The positions of the best `n` hits, in rank order. */
  private best(n: number): Int32Array {
    const count = this.entities.length;
    if (n >= count || this.sorted) {
      if (!this.sorted) {
        const order = Array.from({ length: count }, (_, i) => i);
        order.sort((a, b) => (this.before(a, b) ? -1 : this.before(b, a) ? 1 : 0));
        this.sorted = Int32Array.from(order);
        // charged once done, so that the clock read it may make sees the time it took
        this.deadline?.check(count * Math.ceil(Math.log2(count + 1)));
      }
      return this.sorted.subarray(0, Math.min(n, count));
    }
    return this.select(n, (a, b) => this.before(a, b));
  }

  /** The positions of the worst `n` hits (n < totalCount), in rank order (best first). */
  private worst(n: number): Int32Array {
    if (this.sorted) return this.sorted.subarray(this.entities.length - n);
    return this.select(n, (a, b) => this.before(b, a)).reverse();
  }

  /**
   * The positions of the first `n` hits (0 < n < totalCount) in the order `first` says (whether
   * `a` comes before `b`), in that order: a heap of the first n so far, the last of them at the
   * root, over every hit.
   */
  private select(n: number, first: (a: number, b: number) => boolean): Int32Array {
    const count = this.entities.length;
    if (n <= 0) return new Int32Array(0);
    const heap = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      heap[i] = i;
      for (let c = i; c > 0; ) {
        const p = (c - 1) >> 1;
        const parent = heap[p]!;
        if (!first(parent, i)) break;
        heap[c] = parent;
        heap[p] = i;
        c = p;
      }
    }
    for (let i = n; i < count; i++) {
      if (!first(i, heap[0]!)) continue;
      // replace the last, and let the new one sink to its place
      let p = 0;
      for (;;) {
        const l = 2 * p + 1;
        if (l >= n) break;
        const r = l + 1;
        const later = r < n && first(heap[l]!, heap[r]!) ? r : l;
        if (!first(i, heap[later]!)) break;
        heap[p] = heap[later]!;
        p = later;
      }
      heap[p] = i;
    }
    heap.sort((a, b) => (first(a, b) ? -1 : 1));
    // each hit is compared with the root, and at most log2(n) times more when it enters;
    // charged once done, so that the clock read it may make sees the time it took
    this.deadline?.check(count + n * Math.ceil(Math.log2(n + 1)) * 2);
    return heap;
  }

  /** The hits at these positions, in this order. */
  private hits(positions: Int32Array): SearchHit[] {
    return Array.from(positions, (i) => this.hitAt(i));
  }

  /** The hit at position `at` (`positions`). */
  hitAt(at: number): SearchHit {
    return this.index.hit(this.entities[at]!, this.scores[at]!, this.names[at]!);
  }

  /** The best `n` hits (all when n ≥ totalCount), best first. */
  top(n: number): SearchHit[] {
    return this.hits(this.best(n));
  }

  /** Hits from rank `start` (inclusive) to `end` (exclusive), like Array.prototype.slice. */
  slice(start = 0, end = this.entities.length): SearchHit[] {
    return this.hits(this.positions(start, end));
  }

  /**
   * The positions of the hits from rank `start` (inclusive) to `end` (exclusive), as `slice` takes
   * them: each a hit's place for `hitAt` and `otherNamesAt`.
   */
  positions(start = 0, end = this.entities.length): Int32Array {
    const count = this.entities.length;
    const to = end < 0 ? Math.max(count + end, 0) : Math.min(end, count);
    const from = start < 0 ? Math.max(count + start, 0) : Math.min(start, count);
    if (from >= to) return new Int32Array(0);
    // the ranks from..to end closer to the last hit than the first begin: keep the worst instead
    return from > 0 && count - from < to
      ? this.worst(count - from).subarray(0, to - from)
      : this.best(to).subarray(from);
  }

  /** Ranks every hit, in one sort (charged as `top` is), so that each `slice` after makes only its own hits. */
  rankAll(): void {
    this.best(this.entities.length);
  }

  /** Every hit, best first. */
  all(): SearchHit[] {
    return this.top(this.entities.length);
  }
}

/** Deadline work units (deadline.ts) of one query term's fuzzy walk of the dictionary. */
const FUZZY_WORK = 64;
/** A deadline work unit is about this many postings read, as a power of two (8: a posting is a few ns). */
const POSTINGS_PER_WORK_LOG2 = 3;

/** A search of more postings than this pauses at its checkpoints, in a table of its own (`findSteps`). */
export const PAUSING_POSTINGS = 1 << 16;
/** Postings summed between two checkpoints of a search that pauses: 16,384 (about a millisecond at a million entities). */
const POSTINGS_PER_STEP = 1 << 14;
/**
 * The most tables of searches that pause that exist at once (search-tables.ts): a slot for each
 * name and entity, 26-50 MB each at a million entities (24 bytes a name and 8 an entity, and its
 * hits' arrays, which grow with the most names a search reached, up to 24 bytes a name more: 20
 * three-letter prefixes reach 64% of the names, 49 MB: review 53). A third such search waits for
 * one of them; two let a second request's search go on while the first's waits for its turn.
 */
export const MAX_PAUSING_TABLES = 2;
/**
 * How long the pool keeps a table given back, free, when no search takes one: 3-5 MB at
 * 100,000 entities, up to 50 MB at a million, not to be held by an idle server; reused by a burst of
 * such searches, where each made its own before (milliseconds a table at a million, and as much
 * garbage).
 */
const PAUSING_TABLES_KEPT_MS = 5_000;

/**
 * A checkpoint of a search that pauses: after `work`, gives the event loop back when the
 * deadline says so; and after the pause, makes sure the search's table is still its own. A
 * request's answer written while one of its searches waits gives its table back
 * (`Deadline.whenClosed`), and a search resumed after that (its turn granted just before) must not
 * write to a table another search may hold: it stops at the deadline's checkpoint (closed, it
 * has passed).
 */
function* pauseIfDue(lease: TableLease<Scratch>, deadline: Deadline, work: number): Steps<void> {
  if (!deadline.due(work)) return;
  yield;
  if (!lease.released) return;
  deadline.checkNow();
  throw new Error("a search's table was given back before the search ended");
}

/** Each index's entities of each kind (SearchIndex.reach), counted once, kept beside it as nameBuffers are. */
const kindCounts = new WeakMap<SearchIndex, Int32Array>();

/** Each index's pool of tables for the searches that pause (SearchIndex.pausingTables), beside it: no part of a snapshot. */
const pausingTables = new WeakMap<SearchIndex, TablePool<Scratch>>();

/**
 * Each index's kept table (SearchIndex.scratch), made at its first search, beside it: no part of
 * a snapshot (a slot for every name, megabytes of zeros at a million entities).
 */
const keptTables = new WeakMap<SearchIndex, Scratch>();

/**
 * Each index's best base score of the hits of every kind, by query: what a search narrowed to
 * kinds cuts its tail by (fold), so that it reads only the postings of its kinds once the query
 * has been searched (the explorer asks a query's count, then its count of each kind). Bounded:
 * emptied when full.
 */
const bestScores = new WeakMap<SearchIndex, Map<string, number>>();
const MAX_BEST_SCORES = 256;

function bestScoresOf(index: SearchIndex): Map<string, number> {
  let scores = bestScores.get(index);
  if (!scores) bestScores.set(index, (scores = new Map()));
  return scores;
}

function rememberBest(index: SearchIndex, query: string, best: number): void {
  const scores = bestScoresOf(index);
  if (scores.size >= MAX_BEST_SCORES) scores.clear();
  scores.set(query, best);
}

/** Each index's names' bytes as a Buffer (SearchIndex.nameText). */
const nameBuffers = new WeakMap<SearchIndex, Buffer>();

export class SearchIndex {
  // ---- entities, ordered by key (so that the tie-break on key is a comparison of ordinals)
  private readonly entityIds: readonly string[];
  private readonly entityKinds: Uint8Array;
  // ---- names: every distinct name of every entity, grouped by entity
  private readonly nameRank: Uint8Array;
  /**
   * Every name's text, in UTF-8, one after the other: name n is bytes nameStart[n] to
   * nameStart[n + 1]. Read only for the names of the hits shown (`matchedName`): as bytes rather
   * than a string each, they are one column of a snapshot (snapshot/columns.ts), shared by the
   * workers of a replica (41 MiB of strings in each process's heap at a million entities).
   */
  private readonly nameBytes: Uint8Array;
  private readonly nameStart: Float64Array;
  // ---- the term dictionary, sorted by UTF-16 code units, and its postings
  private readonly terms: readonly string[];
  /** The length of the dictionary's longest term: no query term longer by more than its edits matches any. */
  private readonly longestTerm: number;
  /** postings of term t: positions postingStart[t] to postingStart[t + 1] */
  private readonly postingStart: Int32Array;
  private readonly postingName: Int32Array;
  /** the entity of that name (read along with it, rather than looked up by name at random) */
  private readonly postingEntity: Int32Array;
  /** the kind of that entity (its position in searchableKinds), + MULTI when it has several names */
  private readonly postingFlags: Uint8Array;
  /** the term's BM25+ score in that name, times the weight of the kind of name */
  private readonly postingScore: Float64Array;
  /** the positions (bit i: token i, for the first POSITIONS tokens) of the term in that name, for phrase runs */
  private readonly postingPositions: Uint16Array;
  // ---- the dictionary's trie, for typo matching (see trieOf)
  private readonly nodeChar: Uint16Array;
  private readonly nodeFirst: Int32Array;
  private readonly nodeTerm: Int32Array;

  // ---- options (the kept table, reused by every search that runs at once, so never two at a
  // time, is `scratch`; a search that pauses between turns has a table of the pool's: findSteps)
  private readonly maxPausingTables: number;
  private readonly pausingTablesKeptMs: number;
  private readonly pausingPostings: number;
  private readonly postingsPerStep: number;

  private constructor(
    entities: { id: string; kind: SearchableKind }[],
    names: { entity: number; rank: number; text: string }[],
    options: BuildOptions,
  ) {
    this.pausingPostings = options.pausingPostings ?? PAUSING_POSTINGS;
    this.postingsPerStep = options.postingsPerStep ?? POSTINGS_PER_STEP;
    this.maxPausingTables = options.maxPausingTables ?? MAX_PAUSING_TABLES;
    this.pausingTablesKeptMs = options.pausingTablesKeptMs ?? PAUSING_TABLES_KEPT_MS;
    this.entityIds = entities.map((e) => e.id);
    // plain loops: TypedArray.from with a function goes through the iterator protocol, which at a
    // million entities was seconds of a load
    this.entityKinds = new Uint8Array(entities.length);
    for (let e = 0; e < entities.length; e++)
      this.entityKinds[e] = searchableKinds.indexOf(entities[e]!.kind);
    this.nameRank = new Uint8Array(names.length);
    for (let n = 0; n < names.length; n++) this.nameRank[n] = names[n]!.rank;
    this.nameStart = new Float64Array(names.length + 1);
    let bytes = 0;
    for (let n = 0; n < names.length; n++) {
      this.nameStart[n] = bytes;
      bytes += Buffer.byteLength(names[n]!.text, "utf8");
    }
    this.nameStart[names.length] = bytes;
    const text = Buffer.allocUnsafeSlow(bytes);
    for (let n = 0; n < names.length; n++) text.write(names[n]!.text, this.nameStart[n]!, "utf8");
    // a plain Uint8Array (a Buffer is no column)
    this.nameBytes = new Uint8Array(text.buffer, text.byteOffset, bytes);

    // terms of each name, with their frequency; the field length is the number of distinct raw
    // tokens (camelCase parts included), as minisearch counted it
    const termIds = new Map<string, number>();
    // (term, name, frequency) triples, in a typed array grown by doubling: three arrays of numbers
    // grown by push were the index's largest garbage at a million entities
    let pairs = new Int32Array(3 * Math.max(64, 4 * names.length));
    let pairCount = 0;
    const nameLength = new Float64Array(names.length);
    let totalLength = 0;
    const freq = new Map<number, number>();
    for (let n = 0; n < names.length; n++) {
      const tokens = tokenize(names[n]!.text);
      nameLength[n] = new Set(tokens).size;
      totalLength += nameLength[n]!;
      freq.clear();
      for (let i = 0; i < tokens.length; i++) {
        const term = normalizeTerm(tokens[i]!);
        if (!term) continue;
        let id = termIds.get(term);
        if (id === undefined) termIds.set(term, (id = termIds.size));
        // frequency in the low 16 bits, the positions among the first POSITIONS tokens above
        freq.set(id, ((freq.get(id) ?? 0) + 1) | (i < POSITIONS ? 1 << (16 + i) : 0));
      }
      for (const [id, f] of freq) {
        if (3 * pairCount + 3 > pairs.length) {
          const grown = new Int32Array(2 * pairs.length);
          grown.set(pairs);
          pairs = grown;
        }
        pairs[3 * pairCount] = id;
        pairs[3 * pairCount + 1] = n;
        pairs[3 * pairCount + 2] = f;
        pairCount++;
      }
    }
    const averageLength = names.length > 0 ? totalLength / names.length : 0;

    // the dictionary in code-unit order, so that a prefix is a contiguous range
    const byText = [...termIds.keys()].sort();
    const sortedId = new Int32Array(termIds.size);
    byText.forEach((term, i) => (sortedId[termIds.get(term)!] = i));
    this.terms = byText;
    let longest = 0;
    for (const term of byText) if (term.length > longest) longest = term.length;
    this.longestTerm = longest;
    termIds.clear();
    ({ char: this.nodeChar, first: this.nodeFirst, term: this.nodeTerm } = trieOf(byText));

    const start = new Int32Array(byText.length + 1);
    for (let p = 0; p < pairCount; p++) start[sortedId[pairs[3 * p]!]! + 1]!++;
    for (let t = 0; t < byText.length; t++) start[t + 1]! += start[t]!;
    this.postingStart = start;
    const postingName = new Int32Array(pairCount);
    const postingFreq = new Uint32Array(pairCount);
    const postingPositions = new Uint16Array(pairCount);
    const next = start.slice(0, byText.length);
    for (let p = 0; p < pairCount; p++) {
      const at = next[sortedId[pairs[3 * p]!]!]!++;
      postingName[at] = pairs[3 * p + 1]!;
      postingFreq[at] = pairs[3 * p + 2]! & 0xffff;
      postingPositions[at] = pairs[3 * p + 2]! >>> 16;
    }
    this.postingName = postingName;
    this.postingPositions = postingPositions;
    const postingEntity = new Int32Array(pairCount);
    for (let p = 0; p < pairCount; p++) postingEntity[p] = names[postingName[p]!]!.entity;
    this.postingEntity = postingEntity;
    const nameCount = new Int32Array(entities.length);
    for (const name of names) nameCount[name.entity]!++;
    const postingFlags = new Uint8Array(pairCount);
    for (let p = 0; p < pairCount; p++) {
      const e = postingEntity[p]!;
      postingFlags[p] = this.entityKinds[e]! | (nameCount[e]! > 1 ? MULTI : 0);
    }
    this.postingFlags = postingFlags;
    const postingScore = new Float64Array(pairCount);
    const documents = names.length;
    for (let t = 0; t < byText.length; t++) {
      const matching = start[t + 1]! - start[t]!;
      const idf = Math.log(1 + (documents - matching + 0.5) / (matching + 0.5));
      for (let p = start[t]!; p < start[t + 1]!; p++) {
        const tf = postingFreq[p]!;
        const length = nameLength[postingName[p]!]!;
        const bm25 =
          idf *
          (BM25_D +
            (tf * (BM25_K + 1)) / (tf + BM25_K * (1 - BM25_B + (BM25_B * length) / averageLength)));
        postingScore[p] = RANK_WEIGHT[names[postingName[p]!]!.rank]! * bm25;
      }
    }
    this.postingScore = postingScore;
  }

  static build(graph: KnowledgeGraph, options: BuildOptions = {}): SearchIndex {
    const entities: { id: string; kind: SearchableKind; entity: EntityByKind[SearchableKind] }[] =
      [];
    for (const kind of searchableKinds)
      for (const entity of graph.lists[kind]) entities.push({ id: entity.id, kind, entity });
    entities.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

    const names: { entity: number; rank: number; text: string }[] = [];
    entities.forEach(({ entity }, ordinal) => {
      const seen = new Set<string>();
      const add = (text: string | undefined, nameKind: MatchedNameKind) => {
        // one name per distinct text: an office's current name is also in its history
        if (text === undefined || seen.has(text)) return;
        seen.add(text);
        names.push({ entity: ordinal, rank: NAME_RANK.indexOf(nameKind), text });
      };
      add(entity.name.text, "CANONICAL");
      add(entity.abbreviation?.text, "ABBREVIATION");
      for (const alias of entity.aliases) add(alias.text, alias.kind);
      if ("nameHistory" in entity)
        for (const former of entity.nameHistory) add(former.text, "FORMER_NAME");
      add(entity.description?.text, "DESCRIPTION");
    });
    return new SearchIndex(entities, names, options);
  }

  /** Sizes, for benchmarks and tests. */
  get size(): { entities: number; names: number; terms: number; postings: number } {
    return {
      entities: this.entityIds.length,
      names: this.nameStart.length - 1,
      terms: this.terms.length,
      postings: this.postingName.length,
    };
  }

  /**
   * Entities whose names match `query`, best first (score descending, then id ascending), one
   * hit per entity. Words are any runs of letters and digits; everything else, including regex
   * metacharacters, only separates words. Only the first MAX_QUERY_TERMS words are used.
   */
  search(query: string, options: SearchOptions = {}): SearchHit[] {
    return this.find(query, options).all();
  }

  /** The same search, with the hits ranked only as far as they are asked for (`top`, `slice`). */
  find(query: string, options: SearchOptions = {}): SearchResults {
    return runToEnd(this.findSteps(query, options), options.deadline);
  }

  /**
   * `find`, pausing at its checkpoints when it reads more than PAUSING_POSTINGS postings under a
   * deadline: their sums are then made in a table lent by the pool (`pausingTables`: the kept one
   * is shared, and another search may run while this one waits for its turn; the pool holds
   * MAX_PAUSING_TABLES, and a search that finds none free waits for one), POSTINGS_PER_STEP
   * between two checkpoints. One search of four common words at a million entities (`on the in
   * of`, 455,000 postings) held the event loop 450-1,025 ms in one piece (red team 51, F5); a
   * search of fewer postings runs at once, in the kept table, as before.
   */
  *findSteps(query: string, options: SearchOptions = {}): Steps<SearchResults> {
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
    let allowed: Uint8Array | undefined;
    if (options.kinds) {
      allowed = new Uint8Array(searchableKinds.length);
      for (const kind of options.kinds) allowed[searchableKinds.indexOf(kind)] = 1;
    }
    const { deadline } = options;
    const { expansions, postings } = this.expand(query, deadline);
    const step = this.postingsPerStep;
    let lease: TableLease<Scratch> | undefined;
    if (deadline !== undefined && postings > this.pausingPostings) {
      // (the expansions of `on the in of` at a million entities, and a table made: milliseconds)
      if (deadline.due(step)) yield;
      lease = yield* this.pausingTable(deadline);
    }
    // given back when the request's answer is written while the search waits for a turn it will
    // never get; else here, below
    const forget = lease && deadline!.whenClosed(lease.release);
    try {
      const pausing = lease !== undefined;
      // a search narrowed to kinds cuts its tail by the best hit of every kind (fold): known from
      // an earlier search of the same query, it reads the postings of the kinds asked for alone
      const bestOfAll = allowed ? bestScoresOf(this).get(query) : undefined;
      const skipped = bestOfAll !== undefined ? allowed : undefined;
      const scratch = lease?.table ?? this.scratch;
      const search = scratch.begin();
      for (const { term, weight, query, times, exact } of expansions) {
        const start = this.postingStart[term]!;
        const end = this.postingStart[term + 1]!;
        // a repeated query term adds its score as many times, but counts once among the terms
        // matched: one pass, weighted by its repetitions (a pass each, `of` 20 times at a million
        // entities summed 1.19 M postings in one piece, priced and bounded as one word's 59,501:
        // red team 52, F6)
        const repeated = weight * times;
        if (!pausing) {
          this.accumulate(scratch, search, repeated, query, exact, skipped, start, end);
          deadline?.check(1 + ((end - start) >> POSTINGS_PER_WORK_LOG2));
          continue;
        }
        for (let from = start; from < end; from += step) {
          const to = Math.min(end, from + step);
          this.accumulate(scratch, search, repeated, query, exact, skipped, from, to);
          yield* pauseIfDue(lease!, deadline!, 1 + ((to - from) >> POSTINGS_PER_WORK_LOG2));
        }
      }
      const folding = 1 + (scratch.used.length >> POSTINGS_PER_WORK_LOG2);
      if (pausing) yield* pauseIfDue(lease!, deadline!, folding);
      else deadline?.check(folding);
      return yield* this.fold(
        scratch,
        search,
        options.minRelativeScore ?? MIN_RELATIVE_SCORE,
        deadline,
        allowed,
        { query, known: bestOfAll },
        options.everyName === true,
        lease,
      );
    } finally {
      // given back however the search ends: done, failed, or closed by its driver (deadline.ts)
      lease?.release();
      forget?.();
    }
  }

  /** The tables of the searches that pause, lent one per search (search-tables.ts). */
  get pausingTables(): TablePool<Scratch> {
    let pool = pausingTables.get(this);
    if (!pool) {
      // (the sizes, not the index: the pool's timer holds the pool, and an index read from a
      // snapshot holds its whole graph, kept 5 s after a reload by a closure over it: review 53)
      const names = this.nameStart.length - 1;
      const entities = this.entityIds.length;
      pool = new TablePool(
        this.maxPausingTables,
        () => new Scratch(names, entities),
        this.pausingTablesKeptMs,
      );
      pausingTables.set(this, pool);
    }
    return pool;
  }

  /**
   * A table of the pool's (`pausingTables`) for a search that pauses, waiting, the event loop
   * given back, while every one is lent; undefined when it is run synchronously (`runToEnd`,
   * which cannot wait: nothing else runs until it ends, so it runs unpaused in the kept table, as
   * a search of fewer postings does). Lent until the search ends or the
   * request's answer is written (`Deadline.whenClosed`: a search that waits for a turn it never
   * gets is never resumed, and would hold its table for good).
   */
  private *pausingTable(
    deadline: Deadline,
  ): Generator<Promise<void>, TableLease<Scratch> | undefined, void> {
    let ticket: { waiting: WaitTicket; forget: () => void } | undefined;
    const leave = (passOn: boolean) => {
      ticket?.waiting.done(passOn);
      ticket?.forget();
      ticket = undefined;
    };
    try {
      for (;;) {
        const lease = this.pausingTables.take();
        // its place in the line used (or, where none is free, nothing to pass on)
        leave(false);
        if (lease) return lease;
        const waiting = this.pausingTables.wait();
        // answered while it waits for a turn after its wake: its wake passed on
        ticket = { waiting, forget: deadline.whenClosed(() => waiting.done(true)) };
        // resumed before a microtask ran: its driver did not wait (runToEnd)
        let waited = false;
        queueMicrotask(() => {
          waited = true;
        });
        yield waiting.freed;
        if (!waited) return undefined;
      }
    } finally {
      // stopped while it waited (its deadline passed, its client gone), or run at once: out of
      // the line, its wake passed on
      leave(true);
    }
  }

  /**
   * The most hits a search of `query` can have (an upper bound, the search itself not run): the
   * postings its words' expansions hold (every name reached is one of them, every hit one name),
   * at most the entities of the kinds allowed; and the most names it can reach (at most the
   * index's names), which a search run with `everyName` may try each. What the cost model prices a search's ranking of
   * every hit by (cost.ts): the words' expansions only, a prefix range and a walk of the trie per
   * word, a small part of the search's own work. 0 for a query the search refuses.
   */
  reach(
    query: string,
    kinds?: readonly SearchableKind[],
  ): { postings: number; hits: number; names: number } {
    let postings: number;
    try {
      if (query.length > MAX_QUERY_LENGTH) return { postings: 0, hits: 0, names: 0 };
      postings = this.expand(query, undefined).postings;
    } catch (error) {
      // refused when run
      if (error instanceof SearchInputError) return { postings: 0, hits: 0, names: 0 };
      throw error;
    }
    let entities = 0;
    const counts = this.kindCounts();
    for (let k = 0; k < searchableKinds.length; k++)
      if (!kinds || kinds.includes(searchableKinds[k]!)) entities += counts[k]!;
    // (the names: every one reached, each hit's best and the others `everyName` keeps)
    return {
      postings,
      hits: Math.min(postings, entities),
      names: Math.min(postings, this.nameCount),
    };
  }

  /** How many entities of each searchable kind (by position in searchableKinds) the index holds. */
  private kindCounts(): Int32Array {
    let counts = kindCounts.get(this);
    if (!counts) {
      counts = new Int32Array(searchableKinds.length);
      for (const kind of this.entityKinds) counts[kind]!++;
      kindCounts.set(this, counts);
    }
    return counts;
  }

  /**
   * Every dictionary term each distinct query term matches, and how much; and the total postings
   * to read, which bound the number of names reached (and size the table they are summed in).
   * A query with no word left once normalised (punctuation, combining marks) is refused as empty.
   */
  private expand(
    query: string,
    deadline: Deadline | undefined,
  ): {
    expansions: { term: number; weight: number; query: number; times: number; exact: boolean }[];
    postings: number;
  } {
    const distinct = distinctTerms(query);
    if (distinct.size === 0) {
      // nothing but separators, or marks the folding removes: as empty as a blank query
      throw new SearchInputError(
        `search query is empty: give at least one word (at most ${MAX_QUERY_LENGTH} characters; punctuation, symbols and accents alone are no word)`,
      );
    }
    const expansions: {
      term: number;
      weight: number;
      query: number;
      times: number;
      exact: boolean;
    }[] = [];
    let postings = 0;
    let q = 0;
    for (const { times, spellings } of distinct.values()) {
      q++;
      // a fuzzy walk of the dictionary's trie per spelling: a few hundred nodes for a long word
      deadline?.check(FUZZY_WORK * spellings.length);
      const add = (t: number, weight: number, exact: boolean) => {
        expansions.push({ term: t, weight, query: q, times, exact });
        postings += this.postingStart[t + 1]! - this.postingStart[t]!;
      };
      if (spellings.length === 1)
        this.eachExpansion(spellings[0]!, (t, weight, match) => add(t, weight, match === "exact"));
      else {
        // a Cyrillic word: each dictionary term once, through whichever romanisation matches it best
        const best = new Map<number, { weight: number; exact: boolean }>();
        for (const spelling of spellings) {
          this.eachExpansion(spelling, (t, weight, match) => {
            const held = best.get(t);
            if (!held || weight > held.weight) best.set(t, { weight, exact: match === "exact" });
          });
        }
        for (const [t, { weight, exact }] of best) add(t, weight, exact);
      }
    }
    return { expansions, postings };
  }

  /** The kept table: the searches that run at once share it (`keptTables`). */
  private get scratch(): Scratch {
    let table = keptTables.get(this);
    if (!table) keptTables.set(this, (table = this.newTable()));
    return table;
  }

  /** A table for a search of this index: a slot for every name and every entity. */
  private newTable(): Scratch {
    return new Scratch(this.nameStart.length - 1, this.entityIds.length);
  }

  /** Adds postings `from` to `to` (of one dictionary term), weighted, to the names they are in. */
  private accumulate(
    scratch: Scratch,
    search: number,
    weight: number,
    query: number,
    exact: boolean,
    /** Skip the postings of the kinds not allowed (when the best hit of every kind is known already). */
    skipped: Uint8Array | undefined,
    from: number,
    to: number,
  ): void {
    const { postingName, postingEntity, postingFlags, postingScore, postingPositions } = this;
    const { stamp, entity, score, terms, phrase, used } = scratch;
    // query terms past the 31st take no part in phrase runs (their number must fit in 5 bits)
    const tracked = exact && query < 32;
    for (let p = from; p < to; p++) {
      const flags = postingFlags[p]!;
      if (skipped && skipped[flags & ~MULTI] === 0) continue;
      const n = postingName[p]!;
      const add = weight * postingScore[p]!;
      if (stamp[n] !== search) {
        stamp[n] = search;
        entity[n] = postingEntity[p]!;
        score[n] = add;
        terms[n] = query | ONE_TERM | (flags & MULTI ? SEVERAL_NAMES : 0);
        used.push(n);
        phrase[n] = tracked ? extendRun(0, query, postingPositions[p]!) : 0;
        continue;
      }
      score[n]! += add;
      const reached = terms[n]!;
      if ((reached & LAST_TERM) !== query) terms[n] = ((reached & ~LAST_TERM) + ONE_TERM) | query;
      if (tracked && phrase[n]! >>> 26 !== query)
        phrase[n] = extendRun(phrase[n]!, query, postingPositions[p]!);
    }
  }

  /** The best name of every entity reached, as SearchResults, without those below `minRelative` × the best score. */
  private *fold(
    scratch: Scratch,
    search: number,
    minRelative: number,
    deadline: Deadline | undefined,
    /** The kinds of hits kept (by position in searchableKinds), all when undefined. */
    allowed: Uint8Array | undefined,
    /** The query, and the best base score of its hits of every kind when known (the table then holds the kinds allowed alone). */
    best: { query: string; known: number | undefined },
    /** Whether to keep every name of an entity reached, not only its best (SearchOptions.everyName). */
    everyName: boolean,
    /** The pool's table it folds, when the search pauses: it pauses at the deadline's checkpoints, every `postingsPerStep` names. */
    lease?: TableLease<Scratch>,
  ): Steps<SearchResults> {
    const step = this.postingsPerStep;
    const { nameRank } = this;
    const { entity, score, terms, phrase, used, entityStamp, entityHit } = scratch;
    const count = used.length;
    scratch.roomForHits(count);
    const scores = scratch.hitScore;
    const bases = scratch.hitBase;
    const names = scratch.hitName;
    const entities = scratch.hitEntity;
    let hits = 0;
    // with everyName: the hit, name, score and base of every name of an entity with several names
    const alternates = everyName
      ? {
          hit: new Int32Array(count),
          name: new Int32Array(count),
          score: new Float64Array(count),
          base: new Float64Array(count),
          length: 0,
        }
      : undefined;
    for (let i = 0; i < count; i++) {
      // (the names of `on the in of` at a million entities, 307,010: 90 ms in one piece in the
      // hash table that stood before Scratch)
      if (lease && (i & (step - 1)) === 0 && i > 0) yield* pauseIfDue(lease, deadline!, step);
      const n = used.data[i]!;
      const e = entity[n]!;
      const reached = terms[n]!;
      // the score times the number of distinct query terms that matched, times the phrase boost
      const longest = (phrase[n]! >>> 21) & 31;
      const base = score[n]! * ((reached >>> 8) & 0xff);
      const value = longest > 1 ? base * (1 + PHRASE_WEIGHT * (longest - 1)) : base;
      let hit = -1;
      if (reached & SEVERAL_NAMES) {
        // an entity with several names: the first of them reached holds the entity's hit
        if (entityStamp[e] !== search) {
          entityStamp[e] = search;
          entityHit[e] = hits;
        } else hit = entityHit[e]!;
        if (alternates) {
          const r = alternates.length++;
          alternates.hit[r] = hit < 0 ? hits : hit;
          alternates.name[r] = n;
          alternates.score[r] = value;
          alternates.base[r] = base;
        }
      }
      if (hit < 0) {
        scores[hits] = value;
        bases[hits] = base;
        names[hits] = n;
        entities[hits] = e;
        hits++;
        continue;
      }
      const best = scores[hit]!;
      const held = names[hit]!;
      // a better score wins; on a tie the better kind of name, then the earlier name
      if (
        value > best ||
        (value === best &&
          (nameRank[n]! < nameRank[held]! || (nameRank[n] === nameRank[held] && n < held)))
      ) {
        scores[hit] = value;
        bases[hit] = base;
        names[hit] = n;
      }
    }
    // where each hit went in the cut below (-1: cut), with everyName
    let keptAt: Int32Array | undefined;
    let floor = 0;
    if ((minRelative > 0 || allowed) && hits > 0) {
      // drop the long tail: hits far below the best one, compared before the phrase boost (which
      // orders hits, and would otherwise cut whatever does not hold the phrase); in place. The
      // best of every kind: the kinds asked for are then kept, so that a kind filter only narrows
      // the hits. The cut taken from the best of the kinds asked kept hits the search without
      // the filter left out, and the explorer's counts of each kind summed to more than "All"
      // (9,941 against 9,918 for `osce centre in astana` at 100k: red team 52, F5)
      let top = best.known ?? 0;
      for (let h = 0; h < hits; h++) if (bases[h]! > top) top = bases[h]!;
      // (the table holds every kind: its best is the best of every kind)
      if (best.known === undefined) rememberBest(this, best.query, top);
      floor = top * minRelative;
      const { entityKinds } = this;
      if (alternates) keptAt = new Int32Array(hits).fill(-1);
      let kept = 0;
      for (let h = 0; h < hits; h++) {
        if (bases[h]! < floor || (allowed && allowed[entityKinds[entities[h]!]!] === 0)) continue;
        if (keptAt) keptAt[h] = kept;
        scores[kept] = scores[h]!;
        names[kept] = names[h]!;
        entities[kept] = entities[h]!;
        kept++;
      }
      hits = kept;
    }
    return new SearchResults(
      this,
      entities.slice(0, hits),
      scores.slice(0, hits),
      names.slice(0, hits),
      deadline,
      alternates && otherNamesOf(alternates, hits, keptAt, floor, names, deadline),
    );
  }

  /** How many names the index holds (every distinct name of every entity, descriptions included). */
  get nameCount(): number {
    return this.nameStart.length - 1;
  }

  /** @internal the rank of name `name`'s kind (NAME_RANK), for SearchResults */
  rankOf(name: number): number {
    return this.nameRank[name]!;
  }

  /** The text of name `name`, decoded from the names' bytes. */
  private nameText(name: number): string {
    let bytes = nameBuffers.get(this);
    if (bytes === undefined) {
      // a Buffer over the same memory, made once (kept beside the index, not in it: a field
      // would be written to the snapshot as another copy of the bytes)
      bytes = Buffer.from(this.nameBytes.buffer, this.nameBytes.byteOffset, this.nameBytes.length);
      nameBuffers.set(this, bytes);
    }
    // (Buffer's own utf8Slice over one Buffer: a Buffer made for each hit and its toString made
    // `all()` about twice as slow as reading a string, 7,426 hits at 100k: 5.1 against 2.4 ms;
    // this way 2.7-3.5 ms)
    return (bytes as Buffer & { utf8Slice(start: number, end: number): string }).utf8Slice(
      this.nameStart[name]!,
      this.nameStart[name + 1]!,
    );
  }

  /** @internal a hit, for SearchResults */
  hit(entity: number, score: number, name: number): SearchHit {
    return {
      id: this.entityIds[entity]!,
      kind: searchableKinds[this.entityKinds[entity]!]!,
      score,
      matchedName: this.nameText(name),
      matchedNameKind: NAME_RANK[this.nameRank[name]!]!,
    };
  }

  /** The position of the first dictionary term not below `term`. */
  private lowerBound(term: string): number {
    let lo = 0;
    let hi = this.terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.terms[mid]! < term) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Calls `visit` with every dictionary term that one (normalised) query term matches, and the
   * weight of that match: itself (1), longer terms it is a prefix of (from MIN_PREFIX_LENGTH
   * letters), and terms within allowedEdits(length) edits that are not prefix matches.
   */
  private eachExpansion(
    term: string,
    visit: (t: number, weight: number, match: Expansion["match"], edits: number) => void,
  ): void {
    const dictionary = this.terms;
    const exact = this.lowerBound(term);
    if (dictionary[exact] === term) visit(exact, 1, "exact", 0);
    // prefix matches: the range of the sorted dictionary that starts with the term
    let prefixEnd = exact;
    if (term.length >= MIN_PREFIX_LENGTH) {
      while (prefixEnd < dictionary.length && dictionary[prefixEnd]!.startsWith(term)) prefixEnd++;
      for (let t = exact; t < prefixEnd; t++) {
        const length = dictionary[t]!.length;
        const extra = length - term.length;
        if (extra > 0) visit(t, (PREFIX_WEIGHT * length) / (length + 0.3 * extra), "prefix", 0);
      }
    }
    // fuzzy matches that are not prefix matches (those count as prefix matches)
    const edits = allowedEdits(term.length);
    if (edits > 0) {
      this.fuzzy(term, edits, (t, distance) => {
        if (distance === 0 || (t >= exact && t < prefixEnd)) return;
        const length = dictionary[t]!.length;
        visit(t, (FUZZY_WEIGHT * length) / (length + distance), "fuzzy", distance);
      });
    }
  }

  /** What one word of a query matches in the dictionary, and how much (for tests and benchmarks). */
  expansions(word: string): Expansion[] {
    const term = normalizeTerm(word);
    const found: Expansion[] = [];
    if (term) {
      this.eachExpansion(term, (t, weight, match, edits) =>
        found.push({
          term: this.terms[t]!,
          match,
          edits,
          weight,
          names: this.postingStart[t + 1]! - this.postingStart[t]!,
        }),
      );
    }
    return found;
  }

  /**
   * Every dictionary term within `maxEdits` edits (Levenshtein) of `term`, with its distance, in
   * dictionary order: a depth-first walk of the dictionary's trie with one row of the edit-distance
   * table per letter, only its band of width 2·maxEdits + 1 computed (values beyond maxEdits are
   * all alike), and no descent below a node whose row is already beyond maxEdits. Returns the
   * trie's nodes visited (for tests).
   *
   * A term longer than the dictionary's longest by more than `maxEdits` matches nothing, and is
   * not walked, nor one longer than MAX_FUZZY_LENGTH: the table is (m + maxEdits + 2) × (m + 1) numbers, and a query word can grow 18
   * times when normalised (U+FDFA, one letter, is 18 once decomposed: 200 of them, within
   * MAX_QUERY_LENGTH, made a term of 3,600 letters and a table of 52 MB per walk, about 50-70 ms of
   * CPU mostly in the collector, priced as a word: red team 52, F1; and 8.5 s of a cost walk that
   * asked such searches' reach, F4).
   */
  fuzzy(term: string, maxEdits: number, found: (t: number, distance: number) => void): number {
    const { nodeChar, nodeFirst, nodeTerm } = this;
    const m = term.length;
    if (m > this.longestTerm + maxEdits || m > MAX_FUZZY_LENGTH) return 0;
    let visited = 0;
    const width = m + 1;
    const beyond = maxEdits + 1;
    const query = new Int32Array(m);
    for (let i = 0; i < m; i++) query[i] = term.charCodeAt(i);
    // a row's band is empty past depth m + maxEdits: no walk goes deeper than one row more
    const maxDepth = m + maxEdits + 1;
    const rows = new Int32Array((maxDepth + 1) * width);
    for (let c = 0; c <= m; c++) rows[c] = c < beyond ? c : beyond;
    // per depth, the children of the node above still to visit: next[d] up to end[d]
    const next = new Int32Array(maxDepth + 1);
    const end = new Int32Array(maxDepth + 1);
    let j = 1;
    next[1] = nodeFirst[0]!;
    end[1] = nodeFirst[1]!;
    while (j > 0) {
      if (next[j]! >= end[j]!) {
        j--;
        continue;
      }
      const node = next[j]!++;
      visited++;
      // row j of the edit-distance table, from row j - 1 (the parent's)
      const letter = nodeChar[node]!;
      const row = j * width;
      const above = row - width;
      const lo = j > maxEdits ? j - maxEdits : 1;
      const hi = j + maxEdits < m ? j + maxEdits : m;
      let min = j < beyond ? j : beyond;
      rows[row] = min;
      if (lo > 1) rows[row + lo - 1] = beyond;
      for (let c = lo; c <= hi; c++) {
        let v = rows[above + c - 1]! + (query[c - 1] === letter ? 0 : 1);
        const deletion = rows[above + c]! + 1;
        if (deletion < v) v = deletion;
        const insertion = rows[row + c - 1]! + 1;
        if (insertion < v) v = insertion;
        if (v > beyond) v = beyond;
        rows[row + c] = v;
        if (v < min) min = v;
      }
      if (hi < m) rows[row + hi + 1] = beyond;
      if (min > maxEdits) continue;
      const t = nodeTerm[node]!;
      if (t >= 0 && m >= lo && m <= hi && rows[row + m]! <= maxEdits) found(t, rows[row + m]!);
      if (nodeFirst[node]! < nodeFirst[node + 1]!) {
        j++;
        next[j] = nodeFirst[node]!;
        end[j] = nodeFirst[node + 1]!;
      }
    }
    return visited;
  }
}

/**
 * Each kept hit's other names reached, chained by hit (OtherNames): not its best, none below the
 * cut-off's floor (compared, as the hits are, before the phrase boost). `keptAt` maps a hit made
 * in `fold` to its place after the cut (-1: cut), identity when there was no cut.
 */
function otherNamesOf(
  reached: {
    hit: Int32Array;
    name: Int32Array;
    score: Float64Array;
    base: Float64Array;
    length: number;
  },
  hits: number,
  keptAt: Int32Array | undefined,
  floor: number,
  best: Int32Array,
  deadline: Deadline | undefined,
): OtherNames {
  const head = new Int32Array(hits).fill(-1);
  const next = new Int32Array(reached.length);
  for (let r = reached.length - 1; r >= 0; r--) {
    const hit = keptAt ? keptAt[reached.hit[r]!]! : reached.hit[r]!;
    if (hit < 0 || reached.name[r] === best[hit] || reached.base[r]! < floor) continue;
    next[r] = head[hit]!;
    head[hit] = r;
  }
  deadline?.check(1 + (reached.length >> POSTINGS_PER_WORK_LOG2));
  return { head, next, name: reached.name, score: reached.score };
}
