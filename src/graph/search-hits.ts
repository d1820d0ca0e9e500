/**
 * `search` as a list like every other: a typed filter (the hit's kind, its date, the sort of name
 * that matched) and an `orderBy`, over the hits of the index (search.ts).
 *
 * The common case stays the index's: a filter on kinds only is handed to the index as the set of
 * kinds it allows (every kind is tried against the filter once), so that only the page asked for
 * is ranked. A filter on dates or name kinds, or an order other than relevance, takes every hit
 * of the search and filters and sorts them here.
 */
import { eventCertaintiesOn } from "./asof.js";
import { compareChronologically, coverage, type PartialDate, UNKNOWN_PERIOD } from "./dates.js";
import { DEFAULT_CHECK_EVERY, type Deadline, runSliced, runToEnd, type Steps } from "./deadline.js";
import {
  asksNothing,
  compileFilter,
  compileOrder,
  type DateFilterInput,
  dateField,
  type EnumFilterInput,
  enumField,
  FilterInputError,
  type LogicalInput,
  type OrderInput,
  sortSteps,
} from "./filter.js";
import type { KnowledgeGraph } from "./graph.js";
import {
  type MatchedNameKind,
  type SearchableKind,
  type SearchHit,
  type SearchIndex,
  type SearchResults,
  searchableKinds,
} from "./search.js";
import { hitDated } from "./summary.js";

type Maybe<T> = T | null | undefined;

export interface SearchFilterInput extends LogicalInput<SearchFilterInput> {
  kind?: Maybe<EnumFilterInput<SearchableKind>>;
  date?: Maybe<DateFilterInput>;
  matchedNameKind?: Maybe<EnumFilterInput<MatchedNameKind>>;
}
export type SearchOrderField = "RELEVANCE" | "NAME" | "DATE" | "KEY";

export interface SearchListArgs {
  query: string;
  /** The former `kinds` argument, still honoured (both must allow a kind). */
  kinds?: Maybe<readonly SearchableKind[]>;
  filter?: Maybe<SearchFilterInput>;
  orderBy?: Maybe<readonly OrderInput<SearchOrderField>[]>;
  /** The request's deadline, which the index checks as it works (deadline.ts). */
  deadline?: Deadline | undefined;
}

/** A hit with what the filter and the order read of it. */
interface Facts {
  hit: SearchHit;
  kind: SearchableKind;
  date: PartialDate | undefined;
}

const byName = new Intl.Collator("en");
const byRank = (a: Facts, b: Facts) =>
  b.hit.score - a.hit.score || (a.hit.id < b.hit.id ? -1 : a.hit.id > b.hit.id ? 1 : 0);

/** A hit with its kind and the period of its matched name (an event's date; an office's name's period). */
function factsOf(graph: KnowledgeGraph, hit: SearchHit): Facts {
  const dated = hitDated(graph, hit.id, hit.matchedName);
  return { hit, kind: hit.kind, date: dated ? graph.date(dated) : undefined };
}

/** Whether a filter input uses a field anywhere in it, its `and`, `or` and `not` included. */
function uses(input: Maybe<SearchFilterInput>, field: keyof SearchFilterInput): boolean {
  if (!input) return false;
  // a field given no operator asks nothing (filter.ts compileFilter: `date: {}` ranked and
  // dated every hit, priced as a plain search; red team 54)
  if (input[field] !== null && input[field] !== undefined && !asksNothing(input[field]))
    return true;
  return [...(input.and ?? []), ...(input.or ?? []), ...(input.not ? [input.not] : [])].some((f) =>
    uses(f, field),
  );
}

/** Whether a filter asks nothing but kinds (which the index answers: SearchOptions.kinds). */
function onKindsOnly(filter: Maybe<SearchFilterInput>): boolean {
  return !uses(filter, "date") && !uses(filter, "matchedNameKind");
}

/**
 * Whether a search with this filter tests it on every name of a hit's entity that the search
 * reached (a filter on the matched name's period or kind), rather than on each hit once.
 */
export function testsEveryName(filter: Maybe<SearchFilterInput>): boolean {
  return !onKindsOnly(filter);
}

/**
 * Whether a search with this filter and order takes every hit and ranks, dates and sorts them
 * all (a filter on dates or name kinds, an order other than relevance), rather than only the page
 * asked for: what the cost model prices by the hits (cost.ts).
 */
export function ranksEveryHit(
  filter: Maybe<SearchFilterInput>,
  orderBy: Maybe<readonly OrderInput<SearchOrderField>[]>,
): boolean {
  const byRelevance =
    !orderBy ||
    (orderBy.length === 1 && orderBy[0]!.field === "RELEVANCE" && orderBy[0]!.direction !== "DESC");
  return !(onKindsOnly(filter) && byRelevance);
}

/** The hits of a search that satisfy the filter, in the order asked for; a list to page through. */
export function selectSearchHits(
  graph: KnowledgeGraph,
  index: SearchIndex,
  args: SearchListArgs,
): SearchResults | SearchHit[] {
  return runToEnd(selectSearchHitsSteps(graph, index, args), args.deadline);
}

/**
 * `selectSearchHits` for the server's resolver: where every hit is ranked, dated and sorted, it
 * gives the event loop back whenever the request's slice is used (deadline.ts). Red team 6 saw a
 * search of a common word ordered by date (9,893 hits at 100k) hold the loop 364 ms of CPU in one
 * turn on a cold server, the first reading of its hits' dates.
 */
export function selectSearchHitsSliced(
  graph: KnowledgeGraph,
  index: SearchIndex,
  args: SearchListArgs,
): Promise<SearchResults | SearchHit[]> {
  return runSliced(selectSearchHitsSteps(graph, index, args), args.deadline);
}

/**
 * Hits made, dated and tested between two checkpoints, and the deadline work units of each: a
 * clock read per step (DEFAULT_CHECK_EVERY), 64 hits being 0.2 ms warm and 3 ms cold. With 256
 * a step, the first date-ordered search of a server held the loop 20 ms of CPU between clock reads.
 */
const HITS_PER_STEP = 64;
const HIT_WORK = DEFAULT_CHECK_EVERY / HITS_PER_STEP;

function* selectSearchHitsSteps(
  graph: KnowledgeGraph,
  index: SearchIndex,
  args: SearchListArgs,
): Steps<SearchResults | SearchHit[]> {
  const condition = compileFilter<Facts>(
    {
      kind: enumField((f) => f.kind),
      // an undated hit (a person, a place) never matches a date condition: it is not a fact of unknown date
      date: (raw, path) => {
        const dated = dateField<Facts>(graph, (f) => f.date, {
          // an event's as `events` judges it (an act on one day of its date), a name's period as
          // `namesOn` does
          certaintiesAt: (at) => {
            const ofEvent = eventCertaintiesOn(graph, at);
            return (f) =>
              f.kind === "event"
                ? ofEvent(graph.get("event", f.hit.id)!)
                : coverage(f.date ?? UNKNOWN_PERIOD, at, graph.horizon);
          },
        })(raw, path);
        return { test: (f) => f.date !== undefined && dated.test(f) };
      },
      matchedNameKind: enumField((f) => f.hit.matchedNameKind),
    },
    args.filter,
    "filter",
  );
  // refused as `filter: {kind: {in: []}}` is (it answered 0 hits, silently)
  if (args.kinds?.length === 0)
    throw new FilterInputError("kinds", "an empty list matches nothing; omit the argument instead");
  const kindsOnly = onKindsOnly(args.filter);
  // the kinds the filter (tried on each kind alone) and the former `kinds` argument both allow
  let kinds: SearchableKind[] | undefined = args.kinds ? [...args.kinds] : undefined;
  if (args.filter && kindsOnly) {
    const allowed = searchableKinds.filter((kind) =>
      condition.test({ kind, date: undefined, hit: undefined as never }),
    );
    kinds = kinds ? kinds.filter((k) => allowed.includes(k)) : allowed;
  }
  // the order checked before the search runs: `orderBy: []` was refused once every hit had been
  // ranked, made and dated, 120 ms of CPU for a price of 1.5 ms (red team 54, F3)
  const order = compileOrder<Facts, SearchOrderField>(
    {
      RELEVANCE: byRank,
      NAME: (a, b) => byName.compare(a.hit.matchedName, b.hit.matchedName),
      // undated hits first, as undated facts are everywhere
      DATE: (a, b) =>
        a.date && b.date ? compareChronologically(a.date, b.date) : a.date ? 1 : b.date ? -1 : 0,
      KEY: (a, b) => (a.hit.id < b.hit.id ? -1 : a.hit.id > b.hit.id ? 1 : 0),
    },
    args.orderBy,
    "orderBy",
    { order: byRank, tieBreak: byRank },
  );
  // a filter on the matched name (its period, its kind) is tested on each name of an entity that
  // the search reached, best first: the hit is the best that passes. Tested on the best alone, the
  // field office, found by "OSCE Centre in Astana" (2007-2014), was no hit of `Astana` in 2016,
  // when it was the "OSCE Programme Office in Astana" (the honest54 audit, F2)
  const everyName = testsEveryName(args.filter);
  const results = yield* index.findSteps(args.query, {
    ...(kinds && { kinds }),
    ...(args.deadline && { deadline: args.deadline }),
    ...(everyName && { everyName }),
  });
  // relevance is the index's own order
  if (!ranksEveryHit(args.filter, args.orderBy)) return results;

  // every hit is ranked, read and sorted here: work in proportion to their number, n log n for
  // the sorts, given back to the loop between steps
  const { deadline } = args;
  const facts: Facts[] = [];
  // the hits ranked in one native sort (3 ms for 10,000 hits), then made a step's worth at a
  // time, each made, dated (the graph parses a date the first time it is
  // read: about 46 µs a hit on a cold server) and tested
  if (deadline?.due(results.length * Math.ceil(Math.log2(results.length + 1)))) yield;
  results.rankAll();
  for (let from = 0; from < results.length; from += HITS_PER_STEP) {
    // each hit made, and each other name of it tried: a hit's work each
    let made = 0;
    for (const at of results.positions(from, from + HITS_PER_STEP)) {
      const hit = results.hitAt(at);
      made++;
      const f = factsOf(graph, hit);
      if (condition.test(f)) {
        facts.push(f);
        continue;
      }
      if (!everyName) continue;
      for (const other of results.otherNamesAt(at)) {
        made++;
        const g = factsOf(graph, other);
        // the same date and sort of name as the best (an event's names): the same answer
        if (g.date === f.date && other.matchedNameKind === hit.matchedNameKind) continue;
        if (!condition.test(g)) continue;
        facts.push(g);
        break;
      }
    }
    if (deadline?.due(made * HIT_WORK)) yield;
  }
  if (deadline) yield* sortSteps(facts, order, deadline);
  else facts.sort(order);
  return facts.map((f) => f.hit);
}
