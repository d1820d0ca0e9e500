/**
 * Edit distance, for "did you mean": a dataset's dangling reference (validate.ts) and a client's
 * unknown key (keys.ts) are told the nearest known one. Its own module so that suggesting keys does
 * not pull in the dataset validator.
 *
 * Comparisons are bounded: a suggestion compares one word against up to tens of thousands of
 * keys, and all but a few are far off. `boundedDistance` computes only the band of the table a
 * distance within the bound can pass through, and gives up on a pair as soon as a whole row is
 * beyond it: a far-off key costs a few cells instead of the full table.
 */

/** The candidate nearest by edit distance (the first of equals), when it is near enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  // only strictly nearer candidates replace the best: the first of equals wins, as it always has
  let beyond = typoBound(word) + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - word.length) >= beyond) continue;
    const d = boundedDistance(word, c, beyond - 1);
    if (d < beyond) [best, beyond] = [c, d];
  }
  return best;
}

/** How many edits `closest` forgives a word: two, or one per four letters of a longer word. */
export const typoBound = (word: string) => Math.max(2, Math.floor(word.length / 4));

/** Edit distance (insertions, deletions, substitutions) between two strings, the textbook way. */
export function levenshtein(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        row[j]! + 1,
        next[j - 1]! + 1,
        row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length]!;
}

// two rows of the table, reused by every call (calls are synchronous, never interleaved)
let above = new Int32Array(64);
let below = new Int32Array(64);

/**
 * The edit distance between `a` and `b.slice(from, to)` when it is at most `max`, else `max + 1`;
 * reads `b` in place, so that a key's slug is compared without cutting it out. Only the cells
 * within `max` of the diagonal are computed (a path through any other cell costs more than `max`
 * edits), and a row with every cell beyond `max` ends the comparison.
 */
export function boundedDistance(
  a: string,
  b: string,
  max: number,
  from = 0,
  to = b.length,
): number {
  const n = a.length;
  const m = to - from;
  const beyond = max + 1;
  if (Math.abs(n - m) > max) return beyond;
  if (m + 2 > above.length) {
    above = new Int32Array(2 * (m + 2));
    below = new Int32Array(2 * (m + 2));
  }
  let prev = above;
  let cur = below;
  const first = Math.min(m, max);
  for (let j = 0; j <= first; j++) prev[j] = j;
  if (first < m) prev[first + 1] = beyond;
  for (let i = 1; i <= n; i++) {
    const lo = i > max ? i - max : 1;
    const hi = i + max < m ? i + max : m;
    cur[lo - 1] = lo === 1 && i <= max ? i : beyond;
    const letter = a.charCodeAt(i - 1);
    let rowMin = cur[lo - 1]!;
    for (let j = lo; j <= hi; j++) {
      let v = prev[j - 1]! + (letter === b.charCodeAt(from + j - 1) ? 0 : 1);
      const deletion = prev[j]! + 1;
      if (deletion < v) v = deletion;
      const insertion = cur[j - 1]! + 1;
      if (insertion < v) v = insertion;
      if (v > beyond) v = beyond;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi < m) cur[hi + 1] = beyond;
    if (rowMin > max) return beyond;
    [prev, cur] = [cur, prev];
  }
  return prev[m]! > max ? beyond : prev[m]!;
}

/** How many edits `nearWord` forgives a word: none below four letters, then one per four letters. */
export const wordTypoBound = (word: string) => (word.length < 4 ? 0 : Math.floor(word.length / 4));

/**
 * Whether `word` is a likely typo of `known`: equal, or (for words of four letters or more) within
 * one edit per four letters (`nazarbaev` ↔ `nazarbayev`). Short words must match exactly, or
 * everything would be near everything.
 */
export function nearWord(word: string, known: string): boolean {
  return nearWordAt(word, known, 0, known.length);
}

/** `nearWord(word, known.slice(from, to))`, without cutting `known`. */
export function nearWordAt(word: string, known: string, from: number, to: number): boolean {
  const length = to - from;
  if (length === word.length && known.startsWith(word, from)) return true;
  const allowed = wordTypoBound(word);
  return (
    allowed > 0 &&
    Math.abs(word.length - length) <= allowed &&
    boundedDistance(word, known, allowed, from, to) <= allowed
  );
}
