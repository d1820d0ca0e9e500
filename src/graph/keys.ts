/**
 * Keys as clients type them. Every argument that takes an entity's key (a root lookup, `path`'s
 * ends, a KeyFilter) reads it through here, so that all of them forgive the same slips and make
 * the same suggestions:
 *
 * - case, diacritics and spaces are folded to the form keys have: `person/Gyorgy-Szabo`,
 *   `György Szabó` and `gyorgy_szabo` all name `person/gyorgy-szabo` (keys are lowercase ASCII, so
 *   folding never makes two keys of one kind collide);
 * - an unknown key gets "did you mean" candidates: keys near by edit distance (`kazakstan`), keys
 *   whose slug holds every word given (`nazarbayev` → `person/nursultan-nazarbayev`), and entities
 *   one of whose names holds every word (`odihr` → the office whose abbreviation is ODIHR); then
 *   the same with a typo allowed in each word (`nazarbaev` → `person/nursultan-nazarbayev`).
 */
import type { GraphCore } from "./core.js";
import { boundedDistance, nearWord, nearWordAt, typoBound, wordTypoBound } from "./distance.js";
import { type Entity, type EntityKind, kindOf } from "./model.js";

/** How many candidates a "did you mean" offers at most. */
const MAX_SUGGESTIONS = 3;

// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is all of ASCII, control characters included
const ASCII = /^[\x00-\x7f]*$/;

/** Lowercase, without diacritics, for comparing names. */
const foldText = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/**
 * A key as typed, folded to the form keys have: trimmed, lowercase, without diacritics, with
 * hyphens for runs of spaces and underscores. Other characters are left for the caller to refuse.
 */
export function normalizeKey(text: string): string {
  return foldText(text.trim()).replace(/[\s_]+/g, "-");
}

/** The words of a slug or a name, folded. */
const wordsOf = (text: string) =>
  foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);

function namesOf(entity: Entity): string[] {
  if (!("name" in entity)) return [];
  return [
    entity.name.text,
    ...(entity.abbreviation ? [entity.abbreviation.text] : []),
    ...entity.aliases.map((a) => a.text),
    ...("nameHistory" in entity ? entity.nameHistory.map((n) => n.text) : []),
  ];
}

/** What suggestions are looked for in: the keys of each kind, and the entity of a key. */
export interface KeyedEntities {
  /** Keys have the form `kind/slug`, the slug of lowercase letters, digits and hyphens (model.ts). */
  keys(kind: EntityKind): readonly string[];
  /** The entity of a key, or undefined for a key the graph does not have. */
  entity(key: string): Entity | undefined;
}

/** The entities of a graph, for `suggestKeys`. */
export const entitiesOf = (graph: Pick<GraphCore, "keys" | "entity">): KeyedEntities => ({
  // methods, not arrow functions as properties' values: tsx names each of those with
  // Object.defineProperty whenever one is made (docs/performance.md)
  keys(kind) {
    return graph.keys[kind];
  },
  entity(key) {
    return graph.entity(key);
  },
});

/**
 * What one suggestion may cost, whatever the graph and the text: a request with an unknown key
 * must not hold the server for long. Up to these sizes the answer is exactly the rules below;
 * beyond them (a graph of a million entities) it is drawn from the keys and names looked at.
 */
export const SUGGESTION_BUDGET = {
  /** Keys compared with the text, by slug and by the words of the slug. */
  keys: 10_000,
  /** Entities whose names are read. */
  entities: 1_000,
  /**
   * Keys looked up (not scanned) to find every key one edit from the text: a text whose keys one
   * edit away, in all the kinds asked, are more than this is not looked up this way (75 per
   * letter and kind: a slug of up to 132 letters in one kind, of 13 in the nine kinds of a path's end).
   */
  probes: 10_000,
} as const;

/** Letters of a slug, for the keys one edit away. */
const SLUG_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789-";

/**
 * Up to three keys of `kinds` a client may have meant by `text` (a full key or a slug), nearest
 * first: the one nearest by edit distance, then keys whose slug holds every word of `text`, then
 * entities one of whose names does, then both again with a typo allowed per word (each group in
 * key order, so that the answer does not depend on the order of the lists). Empty when nothing is
 * near. Bounded by SUGGESTION_BUDGET.
 */
export function suggestKeys(
  entities: KeyedEntities,
  kinds: readonly EntityKind[],
  text: string,
): string[] {
  suggestionCount.computed++;
  const given = normalizeKey(text);
  const kind = given.includes("/") ? kindOf(given) : undefined;
  const within = kind && kinds.includes(kind) ? [kind] : [...kinds];
  const slug = given.slice(given.indexOf("/") + 1);
  const words = wordsOf(slug);
  const scan = scanKeys(entities, within, slug, words);

  const found = new Set<string>();
  const near = scan.complete
    ? scan.nearest
    : (nearestByProbing(entities, within, slug) ?? scan.nearest);
  if (near !== undefined) {
    const slugOfNear = near.slice(near.indexOf("/") + 1);
    for (const k of [...within].sort())
      if (entities.entity(`${k}/${slugOfNear}`)) found.add(`${k}/${slugOfNear}`);
  }
  if (words.length === 0) return [...found].slice(0, MAX_SUGGESTIONS);
  // exact words first, then words with a typo in them: a slip in one word of a longer key is
  // too far from the whole slug for the nearest rule (`nazarbaev` against `nursultan-nazarbayev`)
  const named = namesReader(entities, scan, scan.wordPieces);
  for (const [bySlug, holds] of [
    [scan.holdingEvery, holdsEvery],
    [scan.holdingNearly, holdsNearly],
  ] as const) {
    for (const key of bySlug) if (found.size < MAX_SUGGESTIONS) found.add(key);
    for (const key of named.keys) {
      if (found.size >= MAX_SUGGESTIONS) break;
      if (named.names(key).some((nameWords) => holds(nameWords, words))) found.add(key);
    }
  }
  return [...found].slice(0, MAX_SUGGESTIONS);
}

const holdsEvery = (words: readonly string[], given: readonly string[]) =>
  given.every((w) => words.includes(w));
/** Every given word is one of `words` or a likely typo of one (`nazarbaev` for `nazarbayev`). */
const holdsNearly = (words: readonly string[], given: readonly string[]) =>
  given.every((w) => words.some((known) => nearWord(w, known)));

/** What one pass over the keys found. */
interface Scan {
  /** The key whose slug is nearest to the text within `typoBound` (the least key of equals). */
  nearest: string | undefined;
  /** The least keys whose slug holds every word, and every word or a typo of it, in key order. */
  holdingEvery: string[];
  holdingNearly: string[];
  /** The keys looked at, in the order met; `complete` when that is every key of the kinds. */
  seen: string[];
  complete: boolean;
  /** For each word, pieces one of which any text near it holds (longest words first; see piecesOf). */
  wordPieces: (string[] | undefined)[];
}

/**
 * One pass over the keys of `kinds`, at most SUGGESTION_BUDGET.keys of them, comparing each slug
 * in place (no key is cut into words or copied): its distance to `slug` when its length allows a
 * near one, and whether its words hold `words`.
 */
function scanKeys(
  entities: KeyedEntities,
  kinds: readonly EntityKind[],
  slug: string,
  words: readonly string[],
): Scan {
  // a group needs at most this many of its least keys: three, past those found before it
  const keep = 2 * MAX_SUGGESTIONS + kinds.length;
  const wordPieces = [...words]
    .sort((a, b) => b.length - a.length)
    .map((word) => piecesOf(word, wordTypoBound(word)));
  const scan: Scan = {
    nearest: undefined,
    holdingEvery: [],
    holdingNearly: [],
    seen: [],
    complete: true,
    wordPieces,
  };
  let budget = SUGGESTION_BUDGET.keys;
  const bound = typoBound(slug);
  // the best distance so far: a key further off cannot be the nearest; one as near can, when it
  // is the lesser key (the least key of equals wins, whatever the order of the lists)
  let best = bound;
  const slugPieces = piecesOf(slug, bound);
  // a slug shorter than this cannot hold a word near every given word
  const shortestHolding = words.reduce(
    (most, word) => Math.max(most, word.length - wordTypoBound(word)),
    0,
  );
  for (const kind of kinds) {
    const keys = entities.keys(kind);
    const from = kind.length + 1;
    const count = Math.min(keys.length, budget);
    if (count < keys.length) scan.complete = false;
    budget -= count;
    for (let i = 0; i < count; i++) {
      const key = keys[i]!;
      if (scan.seen.length < SUGGESTION_BUDGET.entities) scan.seen.push(key);
      if (Math.abs(key.length - from - slug.length) <= best && holdsAPiece(key, from, slugPieces)) {
        const d = boundedDistance(slug, key, best, from);
        if (d < best || (d === best && (scan.nearest === undefined || key < scan.nearest))) {
          scan.nearest = key;
          best = d;
        }
      }
      if (
        words.length > 0 &&
        key.length - from >= shortestHolding &&
        holdsPieces(key, from, wordPieces) &&
        slugHolds(key, from, words, true)
      ) {
        insertLeast(scan.holdingNearly, key, keep);
        if (slugHolds(key, from, words, false)) insertLeast(scan.holdingEvery, key, keep);
      }
    }
  }
  return scan;
}

/**
 * Pieces of `text`, one of which anything within `edits` edits of it holds unchanged: each edit
 * spoils at most one of `edits + 1` pieces. Checking them is a native substring search, far
 * cheaper than a distance, and rules out nearly every key. Undefined when the pieces would be
 * empty (a text shorter than that): then nothing is ruled out.
 */
function piecesOf(text: string, edits: number): string[] | undefined {
  const count = edits + 1;
  if (text.length < count) return undefined;
  return Array.from({ length: count }, (_, i) =>
    text.slice(Math.floor((i * text.length) / count), Math.floor(((i + 1) * text.length) / count)),
  );
}

/** Whether the slug of `key` (from `from`) holds one of `pieces` (always, without pieces). */
function holdsAPiece(key: string, from: number, pieces: readonly string[] | undefined): boolean {
  if (pieces === undefined) return true;
  for (const piece of pieces) if (key.includes(piece, from)) return true;
  return false;
}

/** Whether the slug of `key` holds one piece of each of `pieces`. */
function holdsPieces(
  key: string,
  from: number,
  pieces: readonly (readonly string[] | undefined)[],
): boolean {
  for (const some of pieces) if (!holdsAPiece(key, from, some)) return false;
  return true;
}

/** Whether every word of `words` is a word of the slug of `key` (from `from`), or with `nearly` a typo of one. */
function slugHolds(key: string, from: number, words: readonly string[], nearly: boolean): boolean {
  for (const word of words) {
    let held = false;
    for (let start = from; start <= key.length && !held; ) {
      let end = key.indexOf("-", start);
      if (end < 0) end = key.length;
      if (end > start)
        held = nearly
          ? nearWordAt(word, key, start, end)
          : end - start === word.length && key.startsWith(word, start);
      start = end + 1;
    }
    if (!held) return false;
  }
  return true;
}

/** Puts `key` into the sorted `least` if it is among the `keep` least. */
function insertLeast(least: string[], key: string, keep: number): void {
  if (least.length >= keep && key >= least[least.length - 1]!) return;
  let at = least.length;
  while (at > 0 && least[at - 1]! > key) at--;
  if (least[at] === key) return;
  least.splice(at, 0, key);
  if (least.length > keep) least.pop();
}

/** How many keys are one edit or less from a slug, in `kinds` kinds (each is looked up). */
export const probesFor = (slug: string, kinds: number) =>
  kinds * (1 + (2 * SLUG_LETTERS.length + 1) * (slug.length + 1));

/**
 * The nearest key one edit or less from `slug`, found by looking up every slug one edit away in
 * each kind rather than by scanning: for a graph too large to scan, the usual typo is still found
 * wherever its key is. Undefined when there is none (or that is more than SUGGESTION_BUDGET.probes keys).
 */
function nearestByProbing(
  entities: KeyedEntities,
  kinds: readonly EntityKind[],
  slug: string,
): string | undefined {
  if (probesFor(slug, kinds.length) > SUGGESTION_BUDGET.probes) return undefined;
  const variants = new Set<string>([slug]);
  for (let i = 0; i <= slug.length; i++) {
    const head = slug.slice(0, i);
    if (i < slug.length) variants.add(head + slug.slice(i + 1));
    for (const letter of SLUG_LETTERS) {
      variants.add(head + letter + slug.slice(i));
      if (i < slug.length) variants.add(head + letter + slug.slice(i + 1));
    }
  }
  let best: { key: string; exact: boolean } | undefined;
  for (const kind of kinds) {
    for (const variant of variants) {
      const key = `${kind}/${variant}`;
      const exact = variant === slug;
      if (entities.entity(key) === undefined) continue;
      if (!best || (exact && !best.exact) || (exact === best.exact && key < best.key))
        best = { key, exact };
    }
  }
  return best?.key;
}

/**
 * The keys whose names are read, in key order: every key of the kinds when the scan saw them all
 * and they are few enough (the exact rule), else the first keys the scan saw; and the words of
 * their names, read once per key. Only names holding a piece of every word (see piecesOf) are
 * cut into words: folding and splitting every name was most of a suggestion's time.
 */
function namesReader(
  entities: KeyedEntities,
  scan: Scan,
  wordPieces: readonly (readonly string[] | undefined)[],
) {
  const keys = scan.seen.slice(0, SUGGESTION_BUDGET.entities).sort();
  const cache = new Map<string, string[][]>();
  return {
    keys,
    names(key: string): string[][] {
      let words = cache.get(key);
      if (!words) {
        const entity = entities.entity(key);
        words = [];
        for (const name of entity ? namesOf(entity) : []) {
          // an ASCII name folds to its lowercase: no normalisation needed to rule it out
          const folded = ASCII.test(name) ? name.toLowerCase() : foldText(name);
          if (holdsPieces(folded, 0, wordPieces)) words.push(wordsOf(folded));
        }
        cache.set(key, words);
      }
      return words;
    },
  };
}

/** ` (did you mean a, b or c?)`, or nothing when there is no candidate. */
export function didYouMean(candidates: readonly string[]): string {
  if (candidates.length === 0) return "";
  const list =
    candidates.length === 1
      ? candidates[0]!
      : `${candidates.slice(0, -1).join(", ")} or ${candidates.at(-1)!}`;
  return ` (did you mean ${list}?)`;
}

/**
 * The longest text that gets suggestions. The longest key of the datasets is 58 characters
 * (`event/2007-12-ministerial-council-decision-on-chairmanship`; the generated ones are shorter),
 * so a typo of a real key is far below this; a longer text is not a slip of one, and a suggestion
 * for it was the costliest kind: each of the 10,000 keys scanned is compared with all of it (a
 * key of 20,000 letters held the server 100 ms per lookup at 100,000 entities).
 */
export const MAX_SUGGESTED_LENGTH = 100;

/**
 * How many distinct unknown keys one request (one GraphQL operation) gets suggestions for. Each
 * is bounded by SUGGESTION_BUDGET, about 15 ms at 100,000 entities, and a request can name as
 * many keys as it has aliases, list items and parents of a nested filter: 30 aliases of one
 * lookup held /health for half a second. A client rarely mistypes more than a key or two at
 * once; past these, an unknown key is still named, with a note that suggestions were skipped.
 */
export const SUGGESTIONS_PER_REQUEST = 3;

/** How much of a text an error message quotes (as `node(id:)` does): a key is never this long. */
export const SHOWN_LENGTH = 80;

/** `text` as an error message quotes it: cut to SHOWN_LENGTH characters, `...` marking the cut. */
export const shown = (text: string) =>
  text.length > SHOWN_LENGTH ? `${text.slice(0, SHOWN_LENGTH)}...` : text;

/** Suggestion computations run by this process so far (for tests and benchmarks: they count work, not time). */
export const suggestionCount = { computed: 0 };

/** What a request has for one unknown key: candidates (maybe none), or why it got none looked for. */
export type Suggested = { candidates: readonly string[] } | { skipped: string };

/**
 * The suggestions of one request: each distinct unknown key (by kinds and folded text) is
 * looked for once, whatever the number of aliases, list items or parents that name it (a nested
 * filter is compiled once per parent: 1,000 parents named it 1,000 times), and at most
 * SUGGESTIONS_PER_REQUEST of them; texts longer than MAX_SUGGESTED_LENGTH are not looked for.
 * So what a request spends on suggestions is bounded by a few SUGGESTION_BUDGETs, whatever its shape.
 */
export class KeySuggestions {
  private readonly found = new Map<string, readonly string[]>();

  /**
   * `afterEach` runs after each suggestion computed: the server reads its deadline's clock there,
   * since a suggestion is thousands of its work units done in one go (without it, 30 of them
   * in one request never reached the clock read that makes a request give the event loop back).
   */
  constructor(
    private readonly entities: KeyedEntities,
    private readonly afterEach?: () => void,
    private readonly perRequest = SUGGESTIONS_PER_REQUEST,
  ) {}

  /** Distinct keys looked for so far. */
  get computed(): number {
    return this.found.size;
  }

  /** Suggestions for `text` among `kinds` (see suggestKeys), within the request's budget. */
  suggest(kinds: readonly EntityKind[], text: string): Suggested {
    if (text.trim().length > MAX_SUGGESTED_LENGTH)
      return { skipped: `suggestions skipped: no key is over ${MAX_SUGGESTED_LENGTH} characters` };
    const memo = `${kinds.join(" ")}\n${normalizeKey(text)}`;
    const known = this.found.get(memo);
    if (known) return { candidates: known };
    if (this.found.size >= this.perRequest)
      return {
        skipped: `suggestions skipped: an operation gets them for ${this.perRequest} unknown keys at most`,
      };
    const candidates = suggestKeys(this.entities, kinds, text);
    this.found.set(memo, candidates);
    this.afterEach?.();
    return { candidates };
  }

  /** What a message says of them: ` (did you mean ...?)`, the reason they were skipped, or nothing. */
  note(kinds: readonly EntityKind[], text: string): string {
    return noteOf(this.suggest(kinds, text));
  }
}

/** ` (did you mean ...?)`, ` (suggestions skipped: ...)`, or nothing for no candidate. */
export const noteOf = (suggested: Suggested) =>
  "skipped" in suggested ? ` (${suggested.skipped})` : didYouMean(suggested.candidates);

/**
 * An unknown key, as the graph's errors report it (a KeyFilter's, a path's end): its message
 * leaves the suggestions out, for the request that asked to add them within its budget
 * (KeySuggestions); a caller without one (a test, a script) gets the message without them.
 */
export class UnknownKey {
  constructor(
    readonly kinds: readonly EntityKind[],
    readonly given: string,
    private readonly say: (note: string) => string,
  ) {}

  /** The message with `note` (see noteOf) where the suggestions go. */
  message(note = ""): string {
    return this.say(note);
  }
}
