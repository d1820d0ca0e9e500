/**
 * Which errors an answer keeps when it has more than it may hold (the error limit, limits.ts
 * `withErrorsCut`; the error size limit, error-bytes.ts `withErrorBytesCut`), and in which order
 * they are answered (red team 53, F2).
 *
 * Before, both cuts kept the first errors in the order the executor made them: the first list's
 * hundred items used the whole limit, and a field's error made later, explaining another null
 * (a bad argument of the next alias, the only error of another list), was left out; and which
 * errors were kept could differ from one run to the next, as the executor's promises settled.
 * Now each field's first error comes before a second of any other (`preferred`), and the errors
 * kept are answered in the document's order (`inDocumentOrder`): the same request is answered
 * the same errors.
 */

/** What a cut's TOO_MANY_ERRORS says of the errors it kept. */
export const KEPT_FIRST = "each field's first error is kept before a second of any";

/** What this module reads of an error: a GraphQLError's, or an error's as JSON. */
interface ErrorLike {
  readonly path?: readonly (string | number)[];
  readonly locations?: readonly { readonly line: number; readonly column: number }[];
  readonly extensions?: { readonly code?: unknown };
}

/**
 * The place an error stands for: its code and its path without list indexes (`offices.3.name`
 * and `offices.7.name` are one place, `a: nodes` and `b: nodes` two).
 */
function placeOf(error: unknown): string {
  const { path, extensions } = (error ?? {}) as ErrorLike;
  let place = String(extensions?.code ?? "");
  if (Array.isArray(path)) for (const key of path) if (typeof key === "string") place += `.${key}`;
  return place;
}

/**
 * The indexes of `errors`, each place's first (`placeOf`) before the others, each part in its own
 * order: the order in which a cut takes them, so that a cut to N keeps an error of N places
 * before a second of any of them; `firsts` says how many places there are. (Indexes, not the
 * errors: an answer may hold one error twice.)
 */
export function preferred(errors: readonly unknown[]): number[] & { firsts: number } {
  const seen = new Set<string>();
  const firsts: number[] = [];
  const others: number[] = [];
  errors.forEach((error, index) => {
    const place = placeOf(error);
    if (seen.has(place)) others.push(index);
    else {
      seen.add(place);
      firsts.push(index);
    }
  });
  // how many of the order are a place's first: the byte cut keeps them all
  return Object.assign(firsts.concat(others), { firsts: firsts.length });
}

/**
 * `errors` (a copy) in the document's order: those without a location first (a request's, an
 * operation's: a variable, the deadline), then by the field's line and column, then by path, list
 * indexes as numbers. Each error's place in `errors` breaks what is left of a tie.
 */
export function inDocumentOrder<E>(errors: readonly E[]): E[] {
  return errors
    .map((error, index) => ({ error, index }))
    .sort((a, b) => compare(a.error, b.error) || a.index - b.index)
    .map(({ error }) => error);
}

function compare(a: unknown, b: unknown): number {
  const x = (a ?? {}) as ErrorLike;
  const y = (b ?? {}) as ErrorLike;
  const p = x.locations?.[0];
  const q = y.locations?.[0];
  if (!p || !q) return (p ? 1 : 0) - (q ? 1 : 0);
  if (p.line !== q.line) return p.line - q.line;
  if (p.column !== q.column) return p.column - q.column;
  const s = Array.isArray(x.path) ? x.path : [];
  const t = Array.isArray(y.path) ? y.path : [];
  for (let i = 0; i < Math.min(s.length, t.length); i++) {
    const [u, v] = [s[i], t[i]];
    if (u === v) continue;
    if (typeof u === "number" && typeof v === "number") return u - v;
    return String(u) < String(v) ? -1 : 1;
  }
  return s.length - t.length;
}
