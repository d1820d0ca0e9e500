/**
 * "Does this quote occur verbatim in that text?", asked for every quote and date wording of a
 * dataset at load. `text.includes(quote)` scans the text once per question: for a large dataset
 * (hundreds of thousands of quotes into long source texts) that is quadratic in practice.
 *
 * A TextIndex is built once per text: the position of every place where a quote would normally
 * start (a change between letters/digits, spaces and punctuation), keyed by the next few
 * characters. A question then looks only at the positions that start with the quote's first
 * characters. Quotes that start mid-word, are shorter than the key, or are not found that way
 * fall back to a full scan, so the answer is always exactly `text.includes(quote)`.
 *
 * Six characters ("Janos ") may start hundreds of places in a long text, and checking each of
 * them for every quote cost more than the rest of the load: such a long list of positions is
 * divided further, on first use, by a hash of the next 12 or 24 characters (the longest the
 * quote fills), which rarely start more than a few places.
 */

const KEY = 6;
/** The longer keys a long list of positions is divided by, longest first. */
const REFINED_KEYS = [24, 12] as const;
/** A list longer than this is divided. */
const REFINE_OVER = 16;

/** 0: letter, digit or mark; 1: white space; 2: anything else (punctuation). */
function classOf(code: number): number {
  if (code === 32 || code === 10 || code === 13 || code === 9) return 1;
  if ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122))
    return 0;
  if (code < 128) return 2;
  // beyond ASCII: letters (with any accents) of any script count as word characters
  return /[\p{L}\p{M}\p{N}]/u.test(String.fromCharCode(code))
    ? 0
    : /\s/.test(String.fromCharCode(code))
      ? 1
      : 2;
}

/** A hash of the `length` characters at `at` (collisions are harmless: every hit is checked). */
function hashAt(text: string, at: number, length: number): number {
  let hash = 0;
  for (let i = at; i < at + length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  // kept within V8's small integers, which a Map stores and hashes without boxing
  return hash & 0x3fffffff;
}

function add(starts: Map<number, number | number[]>, key: number, position: number): void {
  const known = starts.get(key);
  if (known === undefined) starts.set(key, position);
  else if (typeof known === "number") starts.set(key, [known, position]);
  else known.push(position);
}

type Positions = Map<number, number | number[]>;

export class TextIndex {
  /** Positions by a hash of the KEY characters that start there (one position is stored unboxed). */
  private readonly starts: Positions = new Map();
  /** Per length of REFINED_KEYS: a long list of `starts`, by its KEY hash, divided by the hash of that many characters. */
  private readonly refined = REFINED_KEYS.map(() => new Map<number, Positions>());

  constructor(readonly text: string) {
    let previous = -1;
    for (let i = 0; i + KEY <= text.length; i++) {
      const current = classOf(text.charCodeAt(i));
      if (current !== previous) add(this.starts, hashAt(text, i, KEY), i);
      previous = current;
    }
  }

  /** Whether `quote` occurs at one of the indexed starts: fast, and never a false yes. */
  hasAtStart(quote: string): boolean {
    return this.positionAtStart(quote) >= 0;
  }

  /** A position of `quote` among the indexed starts, or -1 (it may still occur elsewhere). */
  positionAtStart(quote: string): number {
    if (quote.length < KEY) return -1;
    const key = hashAt(quote, 0, KEY);
    let known = this.starts.get(key);
    if (known === undefined) return -1;
    const k = REFINED_KEYS.findIndex((length) => quote.length >= length);
    if (typeof known !== "number" && known.length > REFINE_OVER && k >= 0) {
      // every position where the quote occurs has at least `length` characters after it
      const length = REFINED_KEYS[k]!;
      let divided = this.refined[k]!.get(key);
      if (divided === undefined) {
        divided = new Map();
        for (const position of known)
          if (position + length <= this.text.length)
            add(divided, hashAt(this.text, position, length), position);
        this.refined[k]!.set(key, divided);
      }
      known = divided.get(hashAt(quote, 0, length));
      if (known === undefined) return -1;
    }
    if (typeof known === "number") return this.text.startsWith(quote, known) ? known : -1;
    for (const position of known) if (this.text.startsWith(quote, position)) return position;
    return -1;
  }

  /** Exactly `text.includes(quote)`. */
  includes(quote: string): boolean {
    return this.find(quote) >= 0;
  }

  /** A position where `quote` occurs (not necessarily the first), or -1 exactly when `text.includes(quote)` is false. */
  find(quote: string): number {
    const position = this.positionAtStart(quote);
    return position >= 0 ? position : this.text.indexOf(quote);
  }
}

/**
 * The place `new TextIndex(text).find(quote)` gives, without building an index: for a quote of
 * KEY characters or more, its first occurrence that starts where the text changes between
 * letters or digits, spaces and punctuation (a word's start, not inside a longer word), if any;
 * otherwise its first occurrence (-1 when there is none). One scan when the first occurrence is
 * such a start, as it nearly always is: what a graph uses to place a quote nobody placed for it.
 */
export function placeOf(text: string, quote: string): number {
  const first = text.indexOf(quote);
  if (quote.length < KEY) return first;
  for (let at = first; at >= 0; at = text.indexOf(quote, at + 1))
    if (at === 0 || classOf(text.charCodeAt(at)) !== classOf(text.charCodeAt(at - 1))) return at;
  return first;
}

/** Where each quote occurs in its source (by `placeOf`'s rule): source id → quote → offset. */
export type QuotePlaces = Map<string, Map<string, number>>;

/**
 * Answers many "occurs in source S" and "occurs in any source" questions at once: each text is
 * indexed in turn (one index alive at a time, so memory stays bounded by the largest text), the
 * questions are answered from the index, and only the ones it cannot answer are scanned for.
 * A phrase asked of any source names the sources to try first (a date's wording is normally in
 * the source its provenance quotes); what they do not hold is then looked for everywhere.
 * `found` gives, for each quote found in its source, a position where it occurs there.
 */
export function findVerbatim(
  texts: ReadonlyMap<string, string>,
  perSource: ReadonlyMap<string, ReadonlySet<string>>,
  anywhere: ReadonlyMap<string, ReadonlySet<string>>,
): {
  missingIn: Map<string, Set<string>>;
  missingAnywhere: Set<string>;
  found: QuotePlaces;
} {
  const missingIn = new Map<string, Set<string>>();
  const found = new Map<string, Map<string, number>>();
  const unfound = new Set(anywhere.keys());
  const hinted = new Map<string, string[]>();
  for (const [phrase, sources] of anywhere) {
    for (const source of sources) {
      const list = hinted.get(source);
      if (list) list.push(phrase);
      else hinted.set(source, [phrase]);
    }
  }
  for (const [source, text] of texts) {
    const wanted = perSource.get(source);
    const phrases = hinted.get(source);
    if ((wanted === undefined || wanted.size === 0) && phrases === undefined) continue;
    const index = new TextIndex(text);
    const positions = new Map<string, number>();
    if (wanted !== undefined && wanted.size > 0) found.set(source, positions);
    for (const quote of wanted ?? []) {
      const position = index.find(quote);
      if (position >= 0) positions.set(quote, position);
      else {
        const missing = missingIn.get(source) ?? new Set<string>();
        missing.add(quote);
        missingIn.set(source, missing);
      }
    }
    for (const phrase of phrases ?? [])
      if (unfound.has(phrase) && index.hasAtStart(phrase)) unfound.delete(phrase);
  }
  // what no index found: a full scan of every text (a phrase that starts mid-word, elsewhere, or wrong)
  for (const phrase of unfound) {
    for (const text of texts.values()) {
      if (text.includes(phrase)) {
        unfound.delete(phrase);
        break;
      }
    }
  }
  return { missingIn, missingAnywhere: unfound, found };
}
