/**
 * Edit distance, for "did you mean": a dataset's dangling reference (validate.ts) and a client's
 * unknown key (keys.ts) are told the nearest known one. Its own module so that suggesting keys does
 * not pull in the dataset validator.
 */

/** The candidate nearest by edit distance, when it is near enough to be a likely typo. */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshtein(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? best : undefined;
}

/** Edit distance (insertions, deletions, substitutions) between two strings, the textbook way. */
export function levenshtein(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

/**
 * Whether `word` is a likely typo of `known`: equal, or (for words of four letters or more) within
 * one edit per four letters (`nazarbaev` ↔ `nazarbayev`). Short words must match exactly, or
 * everything would be near everything.
 */
export function nearWord(word: string, known: string): boolean {
  if (word === known) return true;
  if (word.length < 4) return false;
  const allowed = Math.floor(word.length / 4);
  return Math.abs(word.length - known.length) <= allowed && levenshtein(word, known) <= allowed;
}
