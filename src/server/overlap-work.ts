/**
 * What graphql-js's OverlappingFieldsCanBeMergedRule would spend on a document, from above, in
 * one walk: the rule compares every two fields of a selection set that give the same response
 * name (through inline fragments and fragment spreads too), and then their selections, every two
 * of the same name, down to the leaves. Its work is the product of the repetitions at each level,
 * and it gives up only past a budget of 500,000 comparisons: 480 times `persons { totalCount }` (10
 * KB) held the event loop 0.6-1.1 s before it did, 20 times `persons { totalCount × 20 }` 43 ms and
 * was answered. validate.ts refuses a document whose work this says is past MAX_OVERLAP_WORK before
 * any rule runs.
 *
 * How: each selection set's fields are merged by response name (fragments spread into it, inline
 * fragments too), counting how many fields each name stands for, and their selections merged in
 * turn. The rule spends 2 on each pair of fields it compares, one for each argument of the first,
 * up to one for each wrapper of their types (typeSpendOf) and one for each name of the first's
 * selection when both have one; pairs are counted by the merged counts: for a name given by n
 * fields, n(n-1)/2 within a selection set, and between two merged selections n₁·n₂ for each
 * name both hold, then between their merged selections. Fragments add 1 for each one spread
 * against the selection set's fields, and 2 and a name each for every two of them; and between
 * two fields' selections, each fragment either spreads (known or not, or spreading itself: other
 * rules refuse those, but this one spends on them) against the other's fields and fragments,
 * and every two fragments reached from them (review 31). Comparing
 * merged selections counts every pair of the fields merged (and, within, each field with itself),
 * so the figure is never below the rule's: it leaves out only the rule's caches (a fragment
 * compared with another once), which only save it work. Each selection set of the document is
 * counted, as the rule visits each.
 */
import {
  BREAK,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type GraphQLType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type SelectionNode,
  type SelectionSetNode,
  visit,
} from "graphql";

/**
 * The most work (comparisons, as graphql-js counts them) a document's overlapping fields may ask
 * for: 10-50 ms of the event loop at the dearest (0.2-1 µs a comparison), where graphql-js's own
 * budget is 500,000. A real query repeats a field a few times (fragments that each select `id`):
 * a few hundred comparisons; the explorer's documents count at most 37, GraphiQL's introspection
 * query 0. Review 31 measured fragment-heavy documents: 20 Apollo-style fragments on a list's
 * items count 15,192, 40 Relay-style ones at the root 16,620 (graphql-js takes 3-4 ms on each);
 * 30 and 60 of them, 34,215 and 37,530, which a limit of 20,000 refused.
 */
export const MAX_OVERLAP_WORK = 50_000;

/**
 * The most fields the merges may visit in all (each selection set's own, each spread's again,
 * and the selections of its repeated names). Fragments spread inside fragments, each several
 * times, multiply them. A visit under a nested field costs 0.8-0.9 µs (its merged field, its
 * spreads, then the recursion), and at 100,000 a 1.1 KB document of ten fragments, each spreading
 * the next under three fields, held the loop 25-63 ms only to be refused, up to 0.5 s on a busy
 * host (red team 40); at 10,000 about a tenth. Real documents are far under it, once only
 * repeated names' selections are merged (review 41): the explorer's and
 * tests/fixtures/page-documents.ts's under 1,000.
 */
export const MAX_MERGE_VISITS = 10_000;

/**
 * The most graphql-js's `doTypesConflict` may spend on one pair of fields of `schema` (one a
 * wrapper, list or non-null, that both types have, and one for what they wrap), by schema.
 */
const typeSpends = new WeakMap<GraphQLSchema, number>();

function typeSpendOf(schema: GraphQLSchema): number {
  let spend = typeSpends.get(schema);
  if (spend !== undefined) return spend;
  const wrappers = (type: GraphQLType): number =>
    isListType(type) || isNonNullType(type) ? 1 + wrappers(type.ofType) : 0;
  spend = 1;
  for (const type of Object.values(schema.getTypeMap()))
    if (isObjectType(type) || isInterfaceType(type))
      for (const field of Object.values(type.getFields()))
        spend = Math.max(spend, 1 + wrappers(field.type));
  typeSpends.set(schema, spend);
  return spend;
}

/** The fields a merged selection holds, by response name. */
type Merged = Map<string, MergedField>;

interface MergedField {
  /** How many fields of the document (counting each spread of a fragment) give this name here. */
  count: number;
  /** The most arguments one of them has (graphql-js compares each argument of a pair's first). */
  args: number;
  /**
   * The type condition they were first found under ("" for the selection set's own type), and
   * whether some were found under another: only fields of different parent types can have types
   * graphql-js compares wrapper by wrapper (typeSpendOf).
   */
  context: string;
  mixed: boolean;
  /** Their selections, merged; undefined for leaves. */
  selections: Merged | undefined;
  /** The most fragment names one of their selection sets spreads itself (known or not), and reaches in all. */
  frags: number;
  reach: number;
  /** The most selections of a fragment they reach. */
  widest: number;
  /**
   * At a counted selection set's own level, their selection sets, each with the times it counts,
   * not yet merged (`count` merges them only for a name given more than once: a field given once
   * there is compared with nothing, and its selections are counted where the walk reaches them).
   */
  pending: [SelectionSetNode, number][] | undefined;
}

/** The fragments a selection set spreads: at its own level, and in all, through fragments. */
interface Spreads {
  direct: Set<string>;
  reached: number;
  /** What each direct spread reached (itself and the spreads inside it). */
  reaches: number[];
  /** The most selections one of them has. */
  widest: number;
}

/**
 * graphql-js's overlapping fields' work on `document` (see the module's comment), or a number
 * over `limit` as soon as it is known to be: the walk stops there. A document whose fragments
 * spread one another so many times that merging them would visit over MAX_MERGE_VISITS fields (a
 * merge visits each spread's fields again) is over it too: Infinity.
 */
export function overlapWork(schema: GraphQLSchema, document: DocumentNode, limit: number): number {
  const typeSpend = typeSpendOf(schema);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  let visits = 0;
  const spreading = new Set<string>();

  /**
   * Merges `selections` (each counted `times`, found under the type condition `context`) into
   * `into`, and notes the fragments they spread in `spreads` (`direct` when at the selection set's
   * own level); false once past MAX_MERGE_VISITS.
   */
  const mergeInto = (
    into: Merged,
    selections: readonly SelectionNode[],
    times: number,
    context: string,
    spreads: Spreads | undefined,
    direct: boolean,
    lazy = false,
  ): boolean => {
    for (const selection of selections) {
      if (++visits > MAX_MERGE_VISITS) return false;
      if (selection.kind === Kind.FIELD) {
        const name = selection.alias?.value ?? selection.name.value;
        let field = into.get(name);
        if (!field) {
          field = {
            count: 0,
            args: 0,
            context,
            mixed: false,
            selections: undefined,
            frags: 0,
            reach: 0,
            widest: 0,
            pending: undefined,
          };
          into.set(name, field);
        }
        field.count += times;
        field.args = Math.max(field.args, selection.arguments?.length ?? 0);
        if (field.context !== context) field.mixed = true;
        if (selection.selectionSet) {
          if (lazy) (field.pending ??= []).push([selection.selectionSet, times]);
          else if (!mergeBelow(field, selection.selectionSet, times)) return false;
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value ?? context;
        if (
          !mergeInto(
            into,
            selection.selectionSet.selections,
            times,
            condition,
            spreads,
            direct,
            lazy,
          )
        )
          return false;
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // (an unknown fragment, or one spread inside itself: other rules refuse the document, but
        // graphql-js's rule still spends on each spread of it, for every two selection sets)
        const before = spreads?.reached ?? 0;
        if (spreads) {
          if (direct) spreads.direct.add(name);
          spreads.reached += times;
          if (fragment)
            spreads.widest = Math.max(spreads.widest, fragment.selectionSet.selections.length);
        }
        if (!fragment || spreading.has(name)) {
          if (spreads && direct) spreads.reaches.push(1);
          continue;
        }
        spreading.add(name);
        const condition = fragment.typeCondition.name.value;
        const merged = mergeInto(
          into,
          fragment.selectionSet.selections,
          times,
          condition,
          spreads,
          false,
          lazy,
        );
        spreading.delete(name);
        if (!merged) return false;
        if (spreads && direct) spreads.reaches.push((spreads.reached - before) / times);
      }
    }
    return true;
  };

  /** Merges one selection set of `field` (counted `times`) into its selections, wholly. */
  const mergeBelow = (field: MergedField, selectionSet: SelectionSetNode, times: number) => {
    field.selections ??= new Map();
    const sub: Spreads = { direct: new Set(), reached: 0, reaches: [], widest: 0 };
    if (!mergeInto(field.selections, selectionSet.selections, times, "", sub, true)) return false;
    field.frags = Math.max(field.frags, sub.direct.size);
    field.reach = Math.max(field.reach, sub.reached / times);
    field.widest = Math.max(field.widest, sub.widest);
    return true;
  };

  /** What comparing `pairs` pairs of fields named as `field` costs, before their selections. */
  const pairCost = (pairs: number, field: MergedField, other: MergedField | undefined): number =>
    pairs *
    (2 +
      field.args +
      (field.mixed || (other !== undefined && other.context !== field.context) ? typeSpend : 0) +
      (field.selections && other?.selections
        ? field.selections.size +
          field.frags +
          other.frags +
          // (each two fragments reached, once each: a call from each side, 2 each, and a look at
          // each name of the first)
          field.frags * other.frags * (2 + Math.max(field.widest, other.widest)) +
          (field.reach * other.reach - field.frags * other.frags) *
            (4 + Math.max(field.widest, other.widest))
        : 0));

  /** The comparisons between the fields of `a` and those of `b`, and down their selections. */
  const between = (a: Merged, b: Merged): number => {
    let work = 0;
    for (const [name, field] of a) {
      const other = b.get(name);
      if (!other) continue;
      work += pairCost(field.count * other.count, field, other);
      if (field.selections && other.selections) work += between(field.selections, other.selections);
      if (work > limit) return work;
    }
    return work;
  };

  /** The comparisons within one selection set, merged. */
  const within = (merged: Merged): number => {
    let work = 0;
    for (const field of merged.values()) {
      if (field.count < 2) continue;
      work += pairCost((field.count * (field.count - 1)) / 2, field, field);
      // (its merged selections compared with themselves: every pair of the fields' selections)
      if (field.selections) work += between(field.selections, field.selections) / 2;
      if (work > limit) return work;
    }
    return work;
  };

  let work = 0;
  const count = (selectionSet: SelectionSetNode): boolean => {
    const merged: Merged = new Map();
    const spreads: Spreads = { direct: new Set(), reached: 0, reaches: [], widest: 0 };
    // its own level first; then, wholly, the selections of each name given more than once, which
    // the rule compares two by two down to the leaves. Merging every field's wholly re-merged
    // each nested selection at every level above it: 512 tokens of fragments side by side (six
    // offices) visited 11,779 fields, past the visits' bound, though no field repeats (review 41)
    let complete = mergeInto(merged, selectionSet.selections, 1, "", spreads, true, true);
    for (const field of merged.values()) {
      if (!complete) break;
      if (field.count < 2 || !field.pending) continue;
      for (const [below, times] of field.pending)
        if (!(complete = mergeBelow(field, below, times))) break;
    }
    if (!complete) {
      work = Number.POSITIVE_INFINITY;
      return false;
    }
    // its own fields against each fragment it reaches (1, and a look at each of their names),
    // and each two fragments it spreads (2, and a look at each name of the first): the pairs of
    // fields these compare are counted as the merged fields'
    const own = ownNames(selectionSet);
    const pairs = (spreads.direct.size * (spreads.direct.size - 1)) / 2;
    // (and the pairs of fragments graphql-js reaches from each two: 2 each)
    let sum = 0;
    let squares = 0;
    for (const r of spreads.reaches) {
      sum += r;
      squares += r * r;
    }
    work +=
      spreads.reached * (1 + own) +
      pairs * (2 + spreads.widest) +
      ((sum * sum - squares) / 2 - pairs) * (4 + spreads.widest) +
      within(merged);
    return work <= limit;
  };
  visit(document, {
    SelectionSet(selectionSet, _key, parent) {
      // (an inline fragment's selections are its enclosing selection set's: counted there; and
      // graphql-js compares nothing in a selection set of one selection, but an inline fragment)
      if (parent && "kind" in parent && parent.kind === Kind.INLINE_FRAGMENT) return;
      const [first, second] = selectionSet.selections;
      if (!second && first?.kind !== Kind.INLINE_FRAGMENT) return;
      if (!count(selectionSet)) return BREAK;
    },
  });
  return work;
}

/** How many response names a selection set gives itself (its fields, and its inline fragments'). */
function ownNames(selectionSet: SelectionSetNode): number {
  const names = new Set<string>();
  const add = (selections: readonly SelectionNode[]) => {
    for (const selection of selections)
      if (selection.kind === Kind.FIELD) names.add(selection.alias?.value ?? selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) add(selection.selectionSet.selections);
  };
  add(selectionSet.selections);
  return names.size;
}
