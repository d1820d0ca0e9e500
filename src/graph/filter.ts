/**
 * The filter and order engine behind every list of the API, free of GraphQL.
 *
 * A filter arrives as plain input (strings, as a client typed them) and is compiled once per
 * request into a `Condition`: a predicate plus, where an index allows, a short list of candidates
 * that can possibly match, so that a root list starts from an index (`eventsByPlace`,
 * `officesByKind`, ...) instead of the whole list. The predicate always checks everything, so the
 * candidates are only ever an optimisation, never a source of wrong answers.
 *
 * Conventions (the same for every list):
 * - Fields of one filter object, and operators of one field filter, must all hold (AND);
 *   `and`, `or` and `not` combine whole filters.
 * - `eq`/`in` compare exactly; `contains`/`startsWith` ignore case and diacritics.
 * - A value the item lacks (a person without nationality) matches no operator; `not` inverts that.
 * - Keys may be given in full (`state/hungary`) or as a slug (`hungary`) where the kind is known;
 *   an unknown key is an error, not an empty result, so that a typo never passes for "no match".
 * - An empty `in`, `and` or `or` list, an empty `contains` or `startsWith`, and an invalid date
 *   are errors (FilterInputError) naming the path of the offending input, e.g. `filter.when.activeAt`.
 */

import type { GraphCore } from "./core.js";
import {
  type Certainty,
  coverage,
  endsBefore,
  overlaps,
  type PartialDate,
  startsAfter,
  tryParsePartialDate,
  UNKNOWN_PERIOD,
} from "./dates.js";
import { type Deadline, runToEnd, type Steps } from "./deadline.js";
import { normalizeKey, shown, UnknownKey } from "./keys.js";
import { type EntityKind, entityKinds, kindOf } from "./model.js";

/** Invalid filter, order or as-of input; `path` names the argument, e.g. `filter.and[1].name.in`. */
export class FilterInputError extends Error {
  override name = "FilterInputError";
  constructor(
    readonly path: string,
    message: string,
    /** For a key no entity has: the message without suggestions, for the request to add them. */
    readonly unknownKey?: UnknownKey,
  ) {
    super(message);
  }
}

type Maybe<T> = T | null | undefined;

export interface StringFilterInput {
  eq?: Maybe<string>;
  in?: Maybe<readonly string[]>;
  contains?: Maybe<string>;
  startsWith?: Maybe<string>;
}
export interface KeyFilterInput {
  eq?: Maybe<string>;
  in?: Maybe<readonly string[]>;
}
export interface EnumFilterInput<E extends string> {
  eq?: Maybe<E>;
  in?: Maybe<readonly E[]>;
}
export interface DateFilterInput {
  overlaps?: Maybe<string>;
  activeAt?: Maybe<string>;
  certainty?: Maybe<readonly Certainty[]>;
  before?: Maybe<string>;
  after?: Maybe<string>;
}
/** The logical part every `<Type>Filter` has. */
export interface LogicalInput<F> {
  and?: Maybe<readonly F[]>;
  or?: Maybe<readonly F[]>;
  not?: Maybe<F>;
}

export type Direction = "ASC" | "DESC";
export interface OrderInput<F extends string> {
  field: F;
  direction?: Maybe<Direction>;
}

/** A compiled filter: a complete predicate, and optionally an upper bound on the matches. */
export interface Condition<T> {
  test(item: T): boolean;
  /** Every item that can match is among these (taken from an index); undefined when no index applies. */
  candidates?: Candidates<T>;
  /**
   * The work one `test` may do, in the deadline's units (deadline.ts): about the number of
   * predicates it evaluates, a text search counting more. 1 when absent.
   */
  weight?: number;
}

/**
 * The candidates of a condition, made only when a root list starts from them. How many there are
 * at most is known before: an `and` makes only its fewest, and a relation list, a `not`, or a
 * conjunct that is not the fewest makes none (making them reads an index entry per value and
 * loads every item it names: the candidates of `nationality: {in: [every state]}` are every
 * person with a nationality, which an `and` beside a `key` filter would otherwise load for nothing).
 */
export interface Candidates<T> {
  /** At most this many (the index entries' sizes, duplicates counted), known without making them. */
  readonly most: number;
  /** The candidates, without duplicates: made on the first call, then remembered. */
  list(): readonly T[];
  /**
   * The same candidates, each made as it is read (entities decoded one by one on a graph loaded
   * from a snapshot), where the index can give them so: what a scan with checkpoints reads, so
   * that the first reading of many does not hold the event loop in one piece. It may give items
   * the condition does not hold for (a date's index gives the events of the years a period
   * touches: core.ts `eventsDuringEach`), never leave one out: the scan tests each item it reads,
   * with a checkpoint after each.
   */
  each?(): Iterable<T>;
}

/** Candidates made by `make` when first asked for, of which there are at most `most`. */
export function lazyCandidates<T>(most: number, make: () => readonly T[]): Candidates<T> {
  let made: readonly T[] | undefined;
  return { most, list: () => (made ??= make()) };
}

/** Candidates already at hand. */
export function givenCandidates<T>(list: readonly T[]): Candidates<T> {
  return { most: list.length, list: () => list };
}

/**
 * The items one key (or enum value) of a field selects, from an index; `size`, when the index
 * can tell, says how many without making them (otherwise they are made to be counted).
 */
export type FieldIndex<T, K extends string = string> = ((key: K) => readonly T[]) & {
  size?: (key: K) => number;
  /** The keys of the items one key selects, and (`item`) the item of such a key: items made one by one. */
  keys?: (key: K) => readonly string[];
  item?: (key: string) => T;
};

/** The candidates of the keys or values `allowed`, from `index`: made only when asked for. */
function indexCandidates<T, K extends string>(
  index: FieldIndex<T, K>,
  allowed: readonly K[],
): Candidates<T> {
  const { size, keys, item } = index;
  if (!size) return givenCandidates([...new Set(allowed.flatMap((k) => index(k)))]);
  const most = allowed.reduce((n, k) => n + size(k), 0);
  const candidates = lazyCandidates(most, () => [...new Set(allowed.flatMap((k) => index(k)))]);
  if (!keys || !item) return candidates;
  return {
    ...candidates,
    *each() {
      const seen = new Set<string>();
      for (const value of allowed) {
        for (const key of keys(value)) {
          if (seen.has(key)) continue;
          seen.add(key);
          yield item(key);
        }
      }
    },
  };
}

/** Work units of a `contains`/`startsWith` check: a remembered fold and a substring search per text of the item. */
const TEXT_WEIGHT = 4;

const weightOf = (conditions: readonly Condition<unknown>[]) =>
  conditions.reduce((sum, c) => sum + (c.weight ?? 1), 0);

/** Compiles the input of one filter field at `path`. */
export type FieldCompiler<T> = (input: unknown, path: string) => Condition<T>;
/** The fields a `<Type>Filter` has besides `and`, `or`, `not`. */
export type FilterSpec<T> = Record<string, FieldCompiler<T>>;

/** Deeper nesting of `and`/`or`/`not` than this is refused: no real question needs it. */
export const MAX_FILTER_DEPTH = 8;

/**
 * How many conditions a filter input holds: each operator of a field (`eq`, `contains`,
 * `activeAt`, `in` with all its values, ...) counts one, and so does each member of an `and`/`or` list and each `not`
 * (an empty `{}` among them too: it is compiled and tested like any other). What a filter costs
 * per item it tests, and what the limit on a filter's size counts.
 */
export function filterConditions(input: unknown): number {
  return filterSize(input).conditions;
}

/**
 * A filter input's conditions (`filterConditions`) and, all together, the values its `in` lists
 * name: each value is resolved and compiled (a key looked up, with suggestions when unknown)
 * whatever the list it filters, so a query's cost counts them besides the conditions, where an
 * `in` counts one (src/server/cost.ts). Walked once, without recursion: the input may come from a
 * client's variables, nested as deep as JSON allows.
 */
export function filterSize(input: unknown): { conditions: number; values: number } {
  let conditions = 0;
  let values = 0;
  const stack: unknown[] = [input];
  while (stack.length > 0) {
    const filter = stack.pop();
    if (typeof filter !== "object" || filter === null) continue;
    for (const [field, value] of Object.entries(filter)) {
      if (value === null || value === undefined) continue;
      if (field === "and" || field === "or") {
        if (!Array.isArray(value)) continue;
        conditions += value.length;
        for (const member of value) stack.push(member);
      } else if (field === "not") {
        conditions += 1;
        stack.push(value);
      } else if (typeof value === "object" && !Array.isArray(value)) {
        // a field's filter: its operators count (and a nested filter's own and/or/not)
        stack.push(value);
      } else {
        conditions += 1;
        if (field === "in" && Array.isArray(value)) values += value.length;
      }
    }
  }
  return { conditions, values };
}

/** The condition of an absent or empty filter: everything matches (lists skip filtering for it). */
export const ALWAYS: Condition<never> = { test: () => true };

export function allOf<T>(given: readonly Condition<T>[]): Condition<T> {
  // a part that asks nothing (a field given no operator, compileFilter) is left out: `and: [{},
  // {name: {}}]` scanned the list for a test every item passed (review 54)
  const conditions = given.filter((c) => c !== ALWAYS);
  if (conditions.length === 0) return ALWAYS;
  if (conditions.length === 1) return conditions[0]!;
  // any one conjunct's candidates bound the conjunction: take the fewest (the others are never made)
  const bounded = conditions
    .map((c) => c.candidates)
    .filter((c): c is Candidates<T> => c !== undefined);
  const candidates = bounded.length
    ? bounded.reduce((a, b) => (b.most < a.most ? b : a))
    : undefined;
  return {
    test: (item) => conditions.every((c) => c.test(item)),
    weight: weightOf(conditions),
    ...(candidates && { candidates }),
  };
}

export function anyOf<T>(conditions: readonly Condition<T>[]): Condition<T> {
  // one part that asks nothing, and every item matches
  if (conditions.includes(ALWAYS)) return ALWAYS;
  const bounded = conditions.every((c) => c.candidates !== undefined);
  return {
    test: (item) => conditions.some((c) => c.test(item)),
    weight: weightOf(conditions),
    ...(bounded && {
      candidates: lazyCandidates(
        conditions.reduce((n, c) => n + c.candidates!.most, 0),
        () => [...new Set(conditions.flatMap((c) => c.candidates!.list()))],
      ),
    }),
  };
}

export function noneOf<T>(condition: Condition<T>): Condition<T> {
  // not of what asks nothing: no item, and none to test (its candidates are none)
  if (condition === ALWAYS) return { test: () => false, candidates: lazyCandidates(0, () => []) };
  return { test: (item) => !condition.test(item), weight: condition.weight ?? 1 };
}

function nonEmptyList<V>(value: Maybe<readonly V[]>, path: string): readonly V[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (value.length === 0)
    throw new FilterInputError(path, "an empty list matches nothing; omit the field instead");
  return value;
}

/** Compiles a `<Type>Filter` input: its fields, then `and`, `or`, `not`. */
export function compileFilter<T>(
  spec: FilterSpec<T>,
  input: Maybe<object>,
  path: string,
  depth = 0,
): Condition<T> {
  if (!input) return ALWAYS;
  if (depth > MAX_FILTER_DEPTH) {
    throw new FilterInputError(
      path,
      `filters nest at most ${MAX_FILTER_DEPTH} levels of and/or/not`,
    );
  }
  const parts: Condition<T>[] = [];
  for (const [field, value] of Object.entries(input)) {
    if (value === null || value === undefined) continue;
    const at = `${path}.${field}`;
    if (field === "and" || field === "or") {
      const list = nonEmptyList(value as readonly object[], at)!;
      const compiled = list.map((f, i) => compileFilter(spec, f, `${at}[${i}]`, depth + 1));
      parts.push(field === "and" ? allOf(compiled) : anyOf(compiled));
    } else if (field === "not") {
      parts.push(noneOf(compileFilter(spec, value as object, at, depth + 1)));
    } else {
      const compile = spec[field];
      if (!compile) throw new Error(`filter field ${at} has no compiler`);
      // a field's filter with no operator (`name: {}`, `when: {}`, `participant: {}`) asks
      // nothing, as an empty filter does: it was compiled to a test of every item that every
      // item passed, priced as no filter (filterSize counts its operators: none) while the list
      // was scanned, 30 aliases of `persons(filter: {name: {}})` 0.8 s of CPU at 100k for a
      // price of 0.2 ms (red team 54, F5)
      if (asksNothing(value)) continue;
      parts.push(compile(value, at));
    }
  }
  return allOf(parts);
}

/** Whether a field's filter input gives no operator: an object whose values are all null or absent. */
export function asksNothing(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  for (const operator of Object.values(value))
    if (operator !== null && operator !== undefined) return false;
  return true;
}

/**
 * Case-, diacritic- and width-insensitive form of a text, as search's terms are (search.ts
 * `normalizeTerm`): "Szabó", "SZABO" and the full-width "ＳＺＡＢＯ" all become "szabo", and
 * format characters (a zero-width joiner, a soft hyphen) are dropped. A review found
 * `contains: "ＳＺＡＢＯ"` matching nothing where search found Szabó: the filter folded by NFD only.
 */
export function fold(text: string): string {
  // plain ASCII has no marks to strip: most names, at a tenth of the price
  return ASCII.test(text)
    ? text.toLowerCase()
    : text
        .normalize("NFKD")
        .replace(/[\p{M}\p{Cf}]/gu, "")
        .toLowerCase();
}
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is all of ASCII, control characters included
const ASCII = /^[\x00-\x7f]*$/;

/**
 * `fold` of an item's text, remembered: a filter with many text predicates folds each text of
 * each item once, not once per predicate (and leaves no garbage to collect per test). The texts
 * are the graph's own names, so the table is bounded by the graph, and emptied when it holds
 * more than FOLDED_MAX.
 */
function foldedText(text: string): string {
  let folded = foldedTexts.get(text);
  if (folded === undefined) {
    if (foldedTexts.size >= FOLDED_MAX) foldedTexts.clear();
    foldedTexts.set(text, (folded = fold(text)));
  }
  return folded;
}
const foldedTexts = new Map<string, string>();
const FOLDED_MAX = 1 << 18;

function nonEmptyText(value: Maybe<string>, path: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value === "")
    throw new FilterInputError(path, "an empty string matches everything; omit the field instead");
  return value;
}

/**
 * The folded form of a `contains` or `startsWith` text, refused when folding leaves nothing of it
 * (combining marks alone, "\u0301"; a zero-width joiner alone): it would match everything, as the
 * empty string it is refused.
 */
function foldedNeedle(value: string, path: string): string {
  const folded = fold(value);
  if (folded === "")
    throw new FilterInputError(
      path,
      "nothing is left of this text once accents, marks and invisible characters are set aside (they are ignored): it matches everything; omit the field instead",
    );
  return folded;
}

/**
 * A StringFilter over the texts `values` gives an item (one name, or all its names): the item
 * matches when one of its texts satisfies every operator given.
 */
export function stringField<T>(values: (item: T) => readonly string[]): FieldCompiler<T> {
  return (raw, path) => {
    const input = raw as StringFilterInput;
    const checks: ((text: string) => boolean)[] = [];
    if (input.eq !== null && input.eq !== undefined) {
      const eq = input.eq;
      checks.push((text) => text === eq);
    }
    const list = nonEmptyList(input.in, `${path}.in`);
    if (list) {
      const set = new Set(list);
      checks.push((text) => set.has(text));
    }
    const contains = nonEmptyText(input.contains, `${path}.contains`);
    if (contains !== undefined) {
      const folded = foldedNeedle(contains, `${path}.contains`);
      checks.push((text) => foldedText(text).includes(folded));
    }
    const startsWith = nonEmptyText(input.startsWith, `${path}.startsWith`);
    if (startsWith !== undefined) {
      const folded = foldedNeedle(startsWith, `${path}.startsWith`);
      checks.push((text) => foldedText(text).startsWith(folded));
    }
    const weight = contains !== undefined || startsWith !== undefined ? TEXT_WEIGHT : 1;
    return {
      test: (item) => values(item).some((text) => checks.every((check) => check(text))),
      weight,
    };
  };
}

/**
 * The full key a client means by `text`, among entities of `kinds`: a full key `kind/slug`, or a
 * bare slug when exactly one of the kinds has it; case, diacritics and spaces are forgiven (see
 * keys.ts). Unknown or ambiguous keys are errors; an unknown one carries an UnknownKey, to which
 * the request adds what it may have meant (suggestions are the request's to budget: a filter is
 * compiled once per parent of a nested list, and each compiling looking for them cost a
 * suggestion per parent). The text is quoted cut short (`shown`).
 */
export function resolveKey(
  graph: GraphCore,
  kinds: readonly EntityKind[],
  text: string,
  path: string,
): string {
  const expected = kinds.length === 1 ? `a ${kinds[0]} key` : `a key of a ${kinds.join(", ")}`;
  const key = normalizeKey(text);
  if (key.includes("/")) {
    const kind = kindOf(key);
    if (!kind || !kinds.includes(kind)) {
      throw new FilterInputError(
        path,
        `"${shown(text)}" is not ${expected} (keys look like "${kinds[0]}/slug")`,
      );
    }
    if (graph.entity(key)) return key;
    throw unknownKeyError(path, [kind], text, `no ${kind}`);
  }
  const found = kinds.map((kind) => `${kind}/${key}`).filter((k) => graph.entity(k));
  if (found.length === 1) return found[0]!;
  if (found.length > 1)
    throw new FilterInputError(
      path,
      `"${shown(text)}" is ambiguous: give the full key, one of ${found.join(", ")}`,
    );
  const what = kinds.length === entityKinds.length ? "entity" : kinds.join(" or ");
  throw unknownKeyError(path, kinds, text, `no ${what}`);
}

function unknownKeyError(
  path: string,
  kinds: readonly EntityKind[],
  text: string,
  none: string,
): FilterInputError {
  const unknown = new UnknownKey(
    kinds,
    text,
    (note) => `${none} has the key "${shown(text)}"${note}`,
  );
  return new FilterInputError(path, unknown.message(), unknown);
}

/** The keys a KeyFilter's operators each allow (resolved and checked); undefined for an operator not given. */
function resolveKeyFilter(
  graph: GraphCore,
  kinds: readonly EntityKind[],
  input: KeyFilterInput,
  path: string,
) {
  const eq =
    input.eq === null || input.eq === undefined
      ? undefined
      : resolveKey(graph, kinds, input.eq, `${path}.eq`);
  const list = nonEmptyList(input.in, `${path}.in`);
  const inKeys = list?.map((k, i) => resolveKey(graph, kinds, k, `${path}.in[${i}]`));
  // every operator must hold, so the allowed keys are the intersection
  let allowed: string[] | undefined;
  if (eq !== undefined) allowed = [eq];
  if (inKeys) allowed = allowed ? allowed.filter((k) => inKeys.includes(k)) : [...new Set(inKeys)];
  return allowed;
}

/**
 * A KeyFilter on a reference (or list of references) of an item: matches when one of the item's
 * references is allowed by every operator. `index` gives the items referencing a key, for candidates.
 */
export function keyField<T>(
  graph: GraphCore,
  kinds: readonly EntityKind[],
  refs: (item: T) => readonly string[],
  index?: FieldIndex<T>,
): FieldCompiler<T> {
  return (raw, path) => {
    const allowed = resolveKeyFilter(graph, kinds, raw as KeyFilterInput, path);
    if (!allowed) return ALWAYS;
    const set = new Set(allowed);
    return {
      test: (item) => refs(item).some((ref) => set.has(ref)),
      ...(index && { candidates: indexCandidates(index, allowed) }),
    };
  };
}

/** An `<Enum>Filter` on an item's value (or values): matches when one value is allowed by every operator. */
export function enumField<T, E extends string>(
  values: (item: T) => E | readonly E[] | undefined,
  index?: FieldIndex<T, E>,
): FieldCompiler<T> {
  return (raw, path) => {
    const input = raw as EnumFilterInput<E>;
    const list = nonEmptyList(input.in, `${path}.in`);
    let allowed: E[] | undefined;
    if (input.eq !== null && input.eq !== undefined) allowed = [input.eq];
    if (list) allowed = allowed ? allowed.filter((v) => list.includes(v)) : [...new Set(list)];
    if (!allowed) return ALWAYS;
    const set = new Set<string>(allowed);
    return {
      test: (item) => {
        const value = values(item);
        if (value === undefined) return false;
        return typeof value === "string"
          ? set.has(value)
          : (value as readonly E[]).some((v) => set.has(v));
      },
      ...(index && { candidates: indexCandidates(index, allowed) }),
    };
  };
}

/**
 * A `Boolean` of a filter on an item's flag (a priority's `keynote`): matches the items whose flag
 * is the value given, `false` included (the flag is never missing). No index: a flag true of a
 * handful of items among many would gain from one, but no list filtered by one is long yet.
 */
export function booleanField<T>(value: (item: T) => boolean): FieldCompiler<T> {
  return (raw) => ({ test: (item) => value(item) === raw });
}

/** An EDTF input, parsed, or a FilterInputError naming its path. */
export function edtfInput(value: string, path: string): PartialDate {
  const parsed = tryParsePartialDate(value);
  if (!parsed.ok) throw new FilterInputError(path, parsed.error);
  return parsed.value;
}

export const ALL_CERTAINTIES: readonly Certainty[] = ["YES", "MAYBE", "NO"];
export const DEFAULT_CERTAINTIES: readonly Certainty[] = ["YES", "MAYBE"];

/** A `certainty` list input: non-empty, defaulting to YES and MAYBE. */
export function certaintiesInput(
  value: Maybe<readonly Certainty[]>,
  path: string,
): ReadonlySet<Certainty> {
  return new Set(nonEmptyList(value, path) ?? DEFAULT_CERTAINTIES);
}

/**
 * A DateFilter on an item's date. Every operator given must hold:
 * - `overlaps`: the item's date may share a day with the given one (unbounded ends reach infinitely);
 * - `activeAt`: the item is in force at the given date with a certainty in `certainty`
 *   (default YES and MAYBE: it may be), judged by `certaintiesAt` (coverage against the source horizon);
 * - `before`: the item certainly ends before the given date starts (an unbounded end never does);
 * - `after`: the item certainly starts after the given date ends (an unbounded start never does;
 *   an unknown one bounded by an event starts no earlier than the date's `earliest`).
 * An item without a date is treated as `UNKNOWN_PERIOD`: it may overlap anything and is never
 * certainly before or after anything. `duringIndex` gives candidates for `overlaps` and `activeAt`
 * (an item that is active at a date, even MAYBE, overlaps it).
 */
export function dateField<T>(
  graph: GraphCore,
  dateOf: (item: T) => PartialDate | undefined,
  options: {
    /** How certainly each item is in force at `at` (asked once per filter, then per item). */
    certaintiesAt?: (at: PartialDate) => (item: T) => Certainty;
    /**
     * The items that may overlap a period, (`size`) at most how many, known without making them,
     * and (`each`) those items, or more, made one by one as they are read (Candidates `each`).
     */
    duringIndex?: ((period: PartialDate) => readonly T[]) & {
      size?: (period: PartialDate) => number;
      each?: (period: PartialDate) => Iterable<T>;
    };
  } = {},
): FieldCompiler<T> {
  const certaintiesAt =
    options.certaintiesAt ??
    ((at: PartialDate) => (item: T) => coverage(dateOf(item) ?? UNKNOWN_PERIOD, at, graph.horizon));
  return (raw, path) => {
    const input = raw as DateFilterInput;
    const date = (field: keyof DateFilterInput) => {
      const value = input[field];
      return typeof value === "string" ? edtfInput(value, `${path}.${field}`) : undefined;
    };
    const [overlapping, activeAt, before, after] = [
      date("overlaps"),
      date("activeAt"),
      date("before"),
      date("after"),
    ];
    if (input.certainty !== null && input.certainty !== undefined && !activeAt) {
      throw new FilterInputError(
        `${path}.certainty`,
        "certainty qualifies activeAt: give activeAt too",
      );
    }
    const certainties = certaintiesInput(input.certainty, `${path}.certainty`);
    const checks: ((item: T) => boolean)[] = [];
    if (overlapping) checks.push((item) => overlaps(dateOf(item) ?? UNKNOWN_PERIOD, overlapping));
    if (activeAt) {
      const certaintyOf = certaintiesAt(activeAt);
      checks.push((item) => certainties.has(certaintyOf(item)));
    }
    if (before) checks.push((item) => endsBefore(dateOf(item) ?? UNKNOWN_PERIOD, before));
    if (after) checks.push((item) => startsAfter(dateOf(item) ?? UNKNOWN_PERIOD, after));
    // items never active (NO) do not overlap; with NO among the certainties there is no bound
    const during = overlapping ?? (activeAt && !certainties.has("NO") ? activeAt : undefined);
    return {
      test: (item) => checks.every((check) => check(item)),
      ...(options.duringIndex &&
        during && { candidates: periodCandidates(options.duringIndex, during) }),
    };
  };
}

/** The candidates of a date filter: the items that may overlap `period`, made when asked for if their number is known. */
function periodCandidates<T>(
  index: ((period: PartialDate) => readonly T[]) & {
    size?: (period: PartialDate) => number;
    each?: (period: PartialDate) => Iterable<T>;
  },
  period: PartialDate,
): Candidates<T> {
  if (!index.size) return givenCandidates(index(period));
  const candidates = lazyCandidates(index.size(period), () => index(period));
  const { each } = index;
  return each ? { ...candidates, each: () => each(period) } : candidates;
}

/** A comparator for one order field, ascending. */
export type Comparator<T> = (a: T, b: T) => number;

export const compareText = (a: string, b: string) => a.localeCompare(b, "en");
export const compareKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The comparator for an `orderBy` input: its fields in turn, each ascending or descending, then
 * `tieBreak` (ascending, e.g. by key), so that the order is total and cursors never skip or
 * repeat. Without `orderBy`, the list's default order.
 */
export function compileOrder<T, F extends string>(
  fields: Record<F, Comparator<T>>,
  orderBy: Maybe<readonly OrderInput<F>[]>,
  path: string,
  defaults: { order: Comparator<T>; tieBreak: Comparator<T> },
): Comparator<T> {
  if (orderBy === null || orderBy === undefined) return defaults.order;
  if (orderBy.length === 0)
    throw new FilterInputError(
      path,
      "an empty orderBy orders nothing; omit it for the default order",
    );
  const parts = orderBy.map(({ field, direction }, i) => {
    const compare = fields[field];
    if (!compare) throw new FilterInputError(`${path}[${i}].field`, `cannot order by ${field}`);
    return direction === "DESC" ? (a: T, b: T) => compare(b, a) : compare;
  });
  return (a, b) => {
    for (const compare of parts) {
      const c = compare(a, b);
      if (c !== 0) return c;
    }
    return defaults.tieBreak(a, b);
  };
}

/**
 * The items of a list that satisfy `condition`, in `order`. `list` gives the list (in its default
 * order; it may make its items as they are read) and is only called when needed; `size` is its length. A root list is `whole` (every item
 * of its kind), so the condition's candidates (from an index) replace it when fewer; a relation
 * list is already short and is filtered as it is. With a deadline, the scan and the sort stop
 * at the first checkpoint past it (DeadlineExceededError).
 */
export function select<T>(
  list: () => Iterable<T>,
  size: number,
  condition: Condition<T>,
  order: Comparator<T>,
  options: { whole: boolean; defaultOrder: Comparator<T>; deadline?: Deadline },
): T[] {
  return runToEnd(selectSteps(list, size, condition, order, options), options.deadline);
}

/** Work units of one comparison of a sort (an `orderBy: NAME` compares texts by locale). */
const COMPARE_WEIGHT = 4;

/** `select`, pausing at its checkpoints (deadline.ts): the scan and the sort yield. */
export function* selectSteps<T>(
  list: () => Iterable<T>,
  size: number,
  condition: Condition<T>,
  order: Comparator<T>,
  options: { whole: boolean; defaultOrder: Comparator<T>; deadline?: Deadline },
): Steps<T[]> {
  const { deadline } = options;
  const fromIndex =
    options.whole && condition.candidates !== undefined && condition.candidates.most < size;
  const { candidates } = condition;
  // with a deadline, candidates that can be made one by one are, between the checkpoints
  const items = !fromIndex
    ? list()
    : deadline && candidates!.each
      ? candidates!.each()
      : candidates!.list();
  let result: T[];
  if (!deadline)
    result =
      condition === ALWAYS
        ? [...items]
        : // an array is filtered as it is; an iterable (items made as read) is gathered first
          (Array.isArray(items) ? (items as readonly T[]) : [...items]).filter((item) =>
            condition.test(item),
          );
  else {
    // item by item, with checkpoints: `list` may make each item as it is read (a root list of a
    // snapshot-loaded graph, whose first reading of 38,000 persons took 650 ms)
    result = [];
    const weight = condition.weight ?? 1;
    for (const item of items) {
      if (condition === ALWAYS || condition.test(item)) result.push(item);
      if (deadline.due(weight)) yield;
    }
  }
  // `list` is already in the default order; candidates from an index are sorted here
  if (fromIndex || order !== options.defaultOrder) {
    if (deadline) yield* sortSteps(result, order, deadline);
    else result.sort(order);
  }
  return result;
}

/**
 * Items a sort orders in one go (Array.prototype.sort, which cannot pause): the longest it holds
 * the event loop, some 512 × 9 comparisons (a few ms of `orderBy: NAME`), before it may yield.
 */
export const SORT_RUN = 512;

/**
 * Sorts `items` in place, stably, as Array.prototype.sort does, pausing at its checkpoints: runs
 * of SORT_RUN items are sorted natively, then merged, a checkpoint every few comparisons. A sort
 * of 38,000 persons by NAME held the event loop for 70-300 ms in one piece, for a request within
 * the cost limit and a slice of 20 ms.
 */
export function* sortSteps<T>(items: T[], compare: Comparator<T>, deadline: Deadline): Steps<void> {
  const checked = (a: T, b: T) => {
    deadline.check(COMPARE_WEIGHT);
    return compare(a, b);
  };
  const n = items.length;
  if (n <= SORT_RUN) {
    items.sort(checked);
    return;
  }
  for (let start = 0; start < n; start += SORT_RUN) {
    const run = items.slice(start, start + SORT_RUN).sort(checked);
    for (let i = 0; i < run.length; i++) items[start + i] = run[i]!;
    yield;
  }
  let from = items;
  let to = new Array<T>(n);
  for (let width = SORT_RUN; width < n; width *= 2) {
    for (let low = 0; low < n; low += 2 * width) {
      const middle = Math.min(low + width, n);
      const high = Math.min(low + 2 * width, n);
      let i = low;
      let j = middle;
      let k = low;
      // the left item first when equal: stable
      while (i < middle && j < high) {
        to[k++] = compare(from[j]!, from[i]!) < 0 ? from[j++]! : from[i++]!;
        if (deadline.due(COMPARE_WEIGHT)) yield;
      }
      while (i < middle) to[k++] = from[i++]!;
      while (j < high) to[k++] = from[j++]!;
    }
    [from, to] = [to, from];
  }
  if (from !== items) for (let i = 0; i < n; i++) items[i] = from[i]!;
}
