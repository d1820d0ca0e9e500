/**
 * Search results: the API's search, which tolerates typos and knows the source's own spellings.
 * Every result is reachable (further pages are added below the first with "Show more"), and a
 * filter by kind (with each kind's count) narrows the list; both are in the URL's `kind`. When the
 * data changed since the list was shown (a reload: "Show more"'s cursor is stale), the list starts
 * again from its first page by itself, and says why.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, request, requestAfresh } from "../api.js";
import { Heading, KindBadge, Status, useLoad, useTitle } from "../components.js";
import { DataOut } from "../dataout.js";
import { SearchDocument, SearchKindCountsDocument } from "../documents.js";
import type { HitFragment, SearchableKind } from "../gql/graphql.js";
import {
  type AsOf,
  hitAsOf,
  hitSummary,
  KIND_LABELS,
  type Kind,
  sameAsOf,
  words,
} from "../model.js";
import { entityUrl, quoteUrl, searchUrl } from "../router.js";
import { asOfMeaning } from "../section-sources.js";
import { asOfWords } from "../timeaxis.js";

/** The kinds search can filter on, in the order of the filter. */
const FILTER_KINDS = [
  "state",
  "office",
  "person",
  "post",
  "event",
  "place",
  "dimension",
  "priority",
  "source",
] as const satisfies readonly Kind[];
type FilterKind = (typeof FILTER_KINDS)[number];

const toSearchable = (kind: FilterKind): SearchableKind => kind.toUpperCase() as SearchableKind;
const isFilterKind = (kind: Kind | null): kind is FilterKind =>
  !!kind && (FILTER_KINDS as readonly string[]).includes(kind);

interface Page {
  total: number;
  hits: HitFragment[];
  next: string | null;
}

async function searchPage(
  query: string,
  kind: FilterKind | null,
  after: string | null,
): Promise<Page> {
  const { search } = await request(SearchDocument, {
    query,
    kinds: kind ? [toSearchable(kind)] : null,
    after,
  });
  return {
    total: search.totalCount,
    hits: search.nodes,
    next: search.pageInfo.hasNextPage ? (search.pageInfo.endCursor ?? null) : null,
  };
}

export function SearchView({ query: raw, kind: asked }: { query: string; kind: Kind | null }) {
  const query = raw.trim().slice(0, 200);
  const kind = isFilterKind(asked) ? asked : null;
  useTitle(
    query
      ? `Search: ${query}${kind ? ` (${KIND_LABELS[kind].many.toLowerCase()})` : ""}`
      : "Search",
  );
  // how many times the list started again because the data changed under it (see showMore)
  const [restarts, setRestarts] = useState(0);
  const first = useLoad(
    () => (query ? searchPage(query, kind, null) : Promise.resolve(null)),
    [query, kind, restarts],
  );
  // how many times the kinds' counts were asked again, found of other data than the list (below)
  const [recounts, setRecounts] = useState(0);
  const counts = useLoad(
    () =>
      query
        ? (recounts ? requestAfresh : request)(SearchKindCountsDocument, { query })
        : Promise.resolve(null),
    [query, restarts, recounts],
  );
  // the pages added with "Show more", after the first
  const [more, setMore] = useState<Page[]>([]);
  const [loadingMore, setLoadingMore] = useState<"idle" | "loading" | { failed: string }>("idle");
  const [restarted, setRestarted] = useState(false);
  const firstNew = useRef<string | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const restartNote = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    setMore([]);
    setLoadingMore("idle");
    setRestarted(false);
  }, [query, kind]);
  // the "Show more" button that had the keyboard focus is gone while the list loads again: the
  // note that says why takes it
  useEffect(() => {
    if (restarted) restartNote.current?.focus();
  }, [restarted]);
  // after "Show more", the keyboard focus goes to the first new result
  useEffect(() => {
    if (!firstNew.current) return;
    const link = list.current?.querySelector<HTMLAnchorElement>(
      `a[href="${CSS.escape(entityUrl(firstNew.current))}"]`,
    );
    firstNew.current = null;
    link?.focus();
  }, [more]);

  const page = first.state === "done" ? first.value : null;
  const countsOf = counts.state === "done" && counts.value ? counts.value : null;
  // a list read after a reload of the data (one of a kind not shown before) counts otherwise than
  // the kinds' counts read before it ("Events (10)" beside "11 events match"): they are asked
  // again, of the server itself, once for each list
  const recountedFor = useRef<Page | null>(null);
  useEffect(() => {
    if (!page || !countsOf || recountedFor.current === page) return;
    if ((kind ? countsOf[kind] : countsOf.all).totalCount === page.total) return;
    recountedFor.current = page;
    setRecounts((n) => n + 1);
  }, [page, countsOf, kind]);
  // the list shown, known by its first page (each load of it is another): an answer to "Show more"
  // for another list (the query or the kind changed, or the list was read again, while it was on
  // its way) is dropped, not added to the list shown now
  const shownList = useRef<Page | null>(null);
  shownList.current = page;
  const hits = page ? [...page.hits, ...more.flatMap((p) => p.hits)] : [];
  const next = more.length ? more[more.length - 1]!.next : (page?.next ?? null);
  const showMore = async () => {
    if (!next || !page) return;
    setLoadingMore("loading");
    setRestarted(false);
    const asked = page;
    try {
      const added = await searchPage(query, kind, next);
      if (shownList.current !== asked) return;
      firstNew.current = added.hits[0]?.entity.key ?? null;
      setMore((m) => [...m, added]);
      setLoadingMore("idle");
    } catch (error) {
      if (shownList.current !== asked) return;
      if (error instanceof ApiError && error.staleCursor) {
        // the data was reloaded since the list was shown: its cursor means nothing now, and
        // sending it again is refused again (review 17, finding 7); the list starts again
        setMore([]);
        setLoadingMore("idle");
        setRestarted(true);
        setRestarts((n) => n + 1);
        return;
      }
      setLoadingMore({
        failed:
          error instanceof ApiError
            ? error.message
            : "The next results could not be loaded; try again.",
      });
    }
  };

  const what = kind ? KIND_LABELS[kind].many.toLowerCase() : "entities";
  return (
    <>
      <Heading focusKey={`${query} ${kind}`}>Search results</Heading>
      {!query ? (
        <p>Type a name in the search box above: a person, an office, a place, an event…</p>
      ) : (
        <>
          {countsOf && countsOf.all.totalCount > 0 ? (
            <nav class="kind-filter" aria-label="Show only one kind">
              <ul>
                <li>
                  <a href={searchUrl(query)} aria-current={kind === null ? "page" : undefined}>
                    All <span class="count">({countsOf.all.totalCount})</span>
                  </a>
                </li>
                {FILTER_KINDS.filter((k) => countsOf[k].totalCount > 0 || k === kind).map((k) => (
                  <li key={k}>
                    <a href={searchUrl(query, k)} aria-current={kind === k ? "page" : undefined}>
                      {KIND_LABELS[k].many} <span class="count">({countsOf[k].totalCount})</span>
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          {restarted ? (
            <p class="status" role="status" tabIndex={-1} ref={restartNote}>
              The data was updated since this list was shown: it starts again from the best results.
            </p>
          ) : null}
          <Status loaded={first}>
            {page ? (
              <>
                <p role="status" class="result-count">
                  {page.total === 0
                    ? `No ${kind ? what : "entity"} matches “${query}”.`
                    : `${page.total} ${page.total === 1 ? (kind ? KIND_LABELS[kind].one.toLowerCase() : "entity") + " matches" : what + " match"} “${query}”` +
                      (page.total > hits.length ? `; the best ${hits.length} are shown.` : ".")}
                  {page.total === 0 && kind ? (
                    <>
                      {" "}
                      <a href={searchUrl(query)}>Search every kind</a>.
                    </>
                  ) : null}
                </p>
                <ol class="results" ref={list}>
                  {hits.map((hit) => {
                    const summary = hitSummary(hit.entity);
                    return (
                      <li key={hit.entity.key}>
                        <span class="item-main">
                          <a href={entityUrl(hit.entity.key)}>{hit.entity.label}</a>{" "}
                          <KindBadge entityKey={hit.entity.key} />
                          {hit.matchedName !== hit.entity.label ? (
                            <span class="matched">
                              {" "}
                              matched “{hit.matchedName}” (
                              {words(hit.matchedNameKind).toLowerCase()})
                            </span>
                          ) : null}
                        </span>
                        {summary.description || summary.dates ? (
                          <span class="detail">
                            {summary.description}
                            {summary.description && summary.dates ? " · " : ""}
                            {summary.dates}
                          </span>
                        ) : null}
                      </li>
                    );
                  })}
                </ol>
                <HitsAsOf hits={hits} />
                <DataOut
                  name={`search ${query}${kind ? ` ${kind}` : ""}`}
                  queries={[
                    {
                      document: SearchDocument,
                      variables: { query, kinds: kind ? [toSearchable(kind)] : null, after: null },
                    },
                  ]}
                  data={{ query, kind, totalCount: page.total, hits }}
                  table={{
                    columns: [
                      "rank",
                      "label",
                      "key",
                      "kind",
                      "matched name",
                      "description",
                      "dates",
                    ],
                    rows: hits.map((hit, i) => {
                      const summary = hitSummary(hit.entity);
                      return [
                        i + 1,
                        hit.entity.label,
                        hit.entity.key,
                        hit.entity.__typename,
                        hit.matchedName,
                        summary.description,
                        summary.dates,
                      ];
                    }),
                  }}
                />
                {next ? (
                  <p>
                    <button
                      type="button"
                      class="more"
                      onClick={showMore}
                      disabled={loadingMore === "loading"}
                    >
                      {loadingMore === "loading"
                        ? "Loading…"
                        : `Show ${Math.min(20, page.total - hits.length)} more of ${page.total - hits.length}`}
                    </button>
                    {typeof loadingMore === "object" ? (
                      <span class="status error" role="alert">
                        {" "}
                        {loadingMore.failed}
                      </span>
                    ) : null}
                  </p>
                ) : null}
              </>
            ) : null}
          </Status>
        </>
      )}
    </>
  );
}

/**
 * What the hits' "as of" means and the quote that dates it (the source's "Updated at"), said once
 * under the list as an entity page says it once under a section's heading: a hit said "as of
 * March 18, 2016" and nowhere what states it. Each quote links to its place in its source.
 */
function HitsAsOf({ hits }: { hits: HitFragment[] }) {
  const dated = hits.flatMap((hit) => {
    const asOf = hitAsOf(hit.entity);
    return asOf ? [asOf] : [];
  });
  const distinct = dated.filter((d, i) => dated.findIndex((e) => sameAsOf(d, e)) === i);
  if (!distinct.length) return null;
  const shared = distinct.length === 1 ? distinct[0]! : null;
  return (
    <div class="as-of-note hits-as-of">
      <p class="note">{asOfMeaning(shared, dated.length, hits.length)}</p>
      <ul class="provenance" aria-label="Source of “as of”">
        {distinct.map((asOf, i) => (
          <AsOfSource key={i} asOf={asOf} named={!shared} />
        ))}
      </ul>
    </div>
  );
}

/** The quotes (or editorial notes) an "as of" rests on, named by its date where several are listed. */
function AsOfSource({ asOf, named }: { asOf: AsOf; named: boolean }) {
  return (
    <>
      {asOf.provenance.map((p, i) => (
        <li key={i} class={p.__typename === "EditorialNote" ? "editorial" : undefined}>
          {named ? `As of ${asOfWords(asOf)}: ` : null}
          {p.__typename === "SourceQuote" ? (
            <>
              <a href={quoteUrl(p)}>“{p.quote}”</a> ({p.source.name})
            </>
          ) : (
            <>
              <span class="badge badge-editorial">editorial</span> {p.reason}
            </>
          )}
        </li>
      ))}
    </>
  );
}
