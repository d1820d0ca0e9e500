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
import type { Deadline } from "./deadline.js";
import {
  compileFilter,
  compileOrder,
  type DateFilterInput,
  dateField,
  type EnumFilterInput,
  enumField,
  type LogicalInput,
  type OrderInput,
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

/** Whether a filter input uses a field anywhere in it, its `and`, `or` and `not` included. */
function uses(input: Maybe<SearchFilterInput>, field: keyof SearchFilterInput): boolean {
  if (!input) return false;
  if (input[field] !== null && input[field] !== undefined) return true;
  return [...(input.and ?? []), ...(input.or ?? []), ...(input.not ? [input.not] : [])].some((f) =>
    uses(f, field),
  );
}

/** The hits of a search that satisfy the filter, in the order asked for; a list to page through. */
export function selectSearchHits(
  graph: KnowledgeGraph,
  index: SearchIndex,
  args: SearchListArgs,
): SearchResults | SearchHit[] {
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
  const kindsOnly = !uses(args.filter, "date") && !uses(args.filter, "matchedNameKind");
  // the kinds the filter (tried on each kind alone) and the former `kinds` argument both allow
  let kinds: SearchableKind[] | undefined = args.kinds ? [...args.kinds] : undefined;
  if (args.filter && kindsOnly) {
    const allowed = searchableKinds.filter((kind) =>
      condition.test({ kind, date: undefined, hit: undefined as never }),
    );
    kinds = kinds ? kinds.filter((k) => allowed.includes(k)) : allowed;
  }
  const results = index.find(args.query, {
    ...(kinds && { kinds }),
    ...(args.deadline && { deadline: args.deadline }),
  });
  const byRelevance =
    !args.orderBy ||
    (args.orderBy.length === 1 &&
      args.orderBy[0]!.field === "RELEVANCE" &&
      args.orderBy[0]!.direction !== "DESC");
  if (kindsOnly && byRelevance) {
    // compileOrder checks an orderBy input; relevance is the index's own order
    compileOrder<Facts, SearchOrderField>(
      { RELEVANCE: byRank, NAME: byRank, DATE: byRank, KEY: byRank },
      args.orderBy,
      "orderBy",
      { order: byRank, tieBreak: byRank },
    );
    return results;
  }

  // every hit is ranked, read and sorted here: work in proportion to their number, n log n for the sort
  args.deadline?.check(results.length * (4 + Math.ceil(Math.log2(results.length + 1))));
  const facts: Facts[] = results.all().map((hit) => {
    const dated = hitDated(graph, hit.id, hit.matchedName);
    return { hit, kind: hit.kind, date: dated ? graph.date(dated) : undefined };
  });
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
  return facts
    .filter((f) => condition.test(f))
    .sort(order)
    .map((f) => f.hit);
}
