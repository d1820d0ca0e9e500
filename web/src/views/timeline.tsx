/**
 * The timeline: every dated fact (the API's `timeline`, paged through), in the API's chronological
 * order, as a list that reads on its own (each entry a link to its subject's page, with its date in
 * words and EDTF) and, beside each entry, its date drawn on a shared time axis. Filters (period,
 * kinds, an entity) live in the URL, so a link reloads the same view.
 */
import { useEffect, useState } from "preact/hooks";
import { type Answered, readAgainWhenStale, request } from "../api.js";
import { DateText, Heading, Status, useLoad, useTitle } from "../components.js";
import { DataOut } from "../dataout.js";
import { SourcesUpdatedDocument, TimelineDocument } from "../documents.js";
import type {
  ExplorerTimelineQuery,
  SpanFragment,
  TimelineEntryKind,
  TimelineFilter,
} from "../gql/graphql.js";
import { entityUrl, navigate, type TimelineParams, timelineUrl } from "../router.js";
import {
  type Domain,
  dayNumber,
  daysOf,
  domainFor,
  knownDays,
  position,
  readableBounds,
  readablePoint,
} from "../timeaxis.js";
import { AxisHeader, Legend, SpanMarks, Track } from "../timetrack.js";

type Entry = Answered<ExplorerTimelineQuery>["timeline"]["nodes"][number];

/** The kinds of entry, in the API's order, with how the view names them. */
export const ENTRY_KINDS: { kind: TimelineEntryKind; label: string; plural: string }[] = [
  { kind: "EVENT", label: "Event", plural: "events" },
  { kind: "NAME_CHANGE", label: "Name change", plural: "name changes" },
  { kind: "LOCATION_START", label: "Seat from", plural: "seats taken up" },
  { kind: "LOCATION_END", label: "Seat until", plural: "seats left" },
  { kind: "TENURE_START", label: "Tenure starts", plural: "tenure starts" },
  { kind: "TENURE_ATTESTED", label: "Tenure attested", plural: "tenures attested" },
  { kind: "TENURE_END", label: "Tenure ends", plural: "tenure ends" },
];
const KIND_INFO = new Map(ENTRY_KINDS.map((k) => [k.kind, k]));

/** How many pages of 100 the view fetches at most (the API caps a page at 100 entries). */
const MAX_PAGES = 50;

interface TimelineData {
  entries: Entry[];
  totalCount: number;
  /** The day the newest source was last updated (YYYY-MM-DD), or null. */
  updated: string | null;
}

function isKindName(kind: string): kind is TimelineEntryKind {
  return KIND_INFO.has(kind as TimelineEntryKind);
}

function toFilter(params: TimelineParams): TimelineFilter | null {
  const filter: TimelineFilter = {};
  if (params.from || params.to)
    filter.date = { overlaps: `${params.from || ".."}/${params.to || ".."}` };
  const kinds = params.kinds.filter(isKindName);
  if (kinds.length && kinds.length < ENTRY_KINDS.length) filter.kind = { in: kinds };
  if (params.entity) filter.entity = { eq: params.entity };
  return Object.keys(filter).length ? filter : null;
}

async function loadTimeline(params: TimelineParams): Promise<TimelineData> {
  const filter = toFilter(params);
  const sources = request(SourcesUpdatedDocument);
  const entries: Entry[] = [];
  let after: string | null = null;
  let totalCount = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer: Answered<ExplorerTimelineQuery> = await request(TimelineDocument, {
      filter,
      after,
    });
    totalCount = answer.timeline.totalCount;
    entries.push(...answer.timeline.nodes);
    if (!answer.timeline.pageInfo.hasNextPage || !answer.timeline.pageInfo.endCursor) break;
    after = answer.timeline.pageInfo.endCursor;
  }
  const updated = (await sources).sources.nodes
    .map((s) => s.updated?.latest ?? null)
    .filter((d): d is string => d !== null)
    .sort()
    .at(-1);
  return { entries, totalCount, updated: updated ?? null };
}

/** The period a start or end entry belongs to (the tenure's, the name's, the seat's), if any. */
function periodOf(
  entry: Entry,
): { span: SpanFragment; what: string; link?: { href: string; text: string } } | null {
  if (entry.tenure && entry.kind !== "TENURE_ATTESTED") {
    return {
      span: entry.tenure.when,
      what: "Tenure",
      link: { href: entityUrl(entry.tenure.key), text: "tenure record" },
    };
  }
  if (entry.officeName)
    return { span: entry.officeName.period, what: `Named ${entry.officeName.name}` };
  if (entry.officeLocation?.period) {
    return {
      span: entry.officeLocation.period,
      what: `Seat in ${entry.officeLocation.place.label}`,
      link: {
        href: entityUrl(entry.officeLocation.place.key),
        text: entry.officeLocation.place.label,
      },
    };
  }
  return null;
}

/** A readable form of a date without wording of its own (a bound of a period). */
export function readableSpan(span: SpanFragment): string | null {
  if (span.wording) return span.wording;
  if (!span.isInterval && span.start) return readablePoint(span.start);
  return readableBounds(span.start, span.end, {
    start: span.startStatus === "OPEN" ? "…" : "?",
    end: span.endStatus === "OPEN" ? "…" : "?",
  });
}

function describeFilters(params: TimelineParams): string {
  const parts: string[] = [];
  if (params.from && params.to)
    parts.push(
      params.from === params.to ? `in ${params.from}` : `from ${params.from} to ${params.to}`,
    );
  else if (params.from) parts.push(`from ${params.from} on`);
  else if (params.to) parts.push(`up to ${params.to}`);
  const kinds = params.kinds.filter(isKindName);
  if (kinds.length && kinds.length < ENTRY_KINDS.length)
    parts.push(`${kinds.map((k) => KIND_INFO.get(k)!.plural).join(", ")} only`);
  if (params.entity) parts.push(`involving ${params.entity}`);
  return parts.length ? ` (${parts.join("; ")})` : "";
}

export function TimelineView({ filters }: { filters: TimelineParams }) {
  useTitle("Timeline");
  const cacheKey = timelineUrl(filters);
  const loaded = useLoad(() => readAgainWhenStale(() => loadTimeline(filters)), [cacheKey]);
  const unknownKinds = filters.kinds.filter((k) => !isKindName(k));
  return (
    <>
      <Heading focusKey="timeline">Timeline</Heading>
      <p class="lead">
        Every dated fact of the graph in order: events, changes of name, where offices sat, and when
        tenures began and ended. A date is drawn as precisely as the source gives it: a year across
        its year, a month across its month.
      </p>
      <TimelineForm filters={filters} />
      {unknownKinds.length ? (
        <p class="note" role="note">
          Ignored: {unknownKinds.join(", ")} (not a kind of entry).
        </p>
      ) : null}
      <Status
        loaded={loaded}
        explain={(error) => {
          if (!error.argument?.startsWith("filter.date")) return null;
          const bad = [
            { name: "From", value: filters.from },
            { name: "To", value: filters.to },
          ].filter((f) => f.value && !daysOf(f.value));
          const what = bad.length
            ? bad.map((f) => `“${f.value}” (${f.name})`).join(" and ")
            : `“${filters.from}” to “${filters.to}”`;
          return (
            <>
              {what}{" "}
              {bad.length > 1 ? "are not dates" : bad.length ? "is not a date" : "is not a period"}{" "}
              the explorer can read. Write a day (2016-03-01), a month (2016-03) or a year (2016),
              with From before To, or{" "}
              <a href={timelineUrl({ kinds: filters.kinds, entity: filters.entity })}>
                clear the dates
              </a>
              .
            </>
          );
        }}
      >
        {loaded.state === "done" ? (
          <>
            <TimelineBody data={loaded.value} filters={filters} />
            <DataOut
              name="timeline"
              queries={[
                {
                  document: TimelineDocument,
                  variables: { filter: toFilter(filters), after: null },
                },
              ]}
              data={{
                filter: toFilter(filters),
                totalCount: loaded.value.totalCount,
                entries: loaded.value.entries,
              }}
              table={{
                columns: ["date (EDTF)", "kind", "label", "subject", "subject key"],
                rows: loaded.value.entries.map((e) => [
                  e.date.edtf,
                  e.kind,
                  e.label,
                  e.subject?.label ?? "",
                  e.subject?.key ?? "",
                ]),
              }}
            />
          </>
        ) : null}
      </Status>
    </>
  );
}

function TimelineForm({ filters }: { filters: TimelineParams }) {
  const selected = (params: TimelineParams) => {
    const kinds = params.kinds.filter(isKindName);
    return new Set<TimelineEntryKind>(kinds.length ? kinds : ENTRY_KINDS.map((k) => k.kind));
  };
  const [from, setFrom] = useState(filters.from);
  const [to, setTo] = useState(filters.to);
  const [kinds, setKinds] = useState(selected(filters));
  const [problem, setProblem] = useState<string | null>(null);
  const key = timelineUrl(filters);
  useEffect(() => {
    setFrom(filters.from);
    setTo(filters.to);
    setKinds(selected(filters));
    setProblem(null);
  }, [key]);

  return (
    <form
      class="filters"
      aria-label="Timeline filters"
      onSubmit={(event) => {
        event.preventDefault();
        if (kinds.size === 0) {
          setProblem("Choose at least one kind of entry.");
          return;
        }
        setProblem(null);
        const all = kinds.size === ENTRY_KINDS.length;
        navigate(
          timelineUrl({
            from: from.trim(),
            to: to.trim(),
            kinds: all ? [] : ENTRY_KINDS.map((k) => k.kind).filter((k) => kinds.has(k)),
            entity: filters.entity,
          }),
        );
      }}
    >
      <div class="filter-dates">
        <p id="date-hint" class="note">
          A year (2010), a month (2010-07) or a day (2010-07-16); leave empty for no bound.
        </p>
        <div class="field">
          <label for="timeline-from">From</label>
          <input
            id="timeline-from"
            name="from"
            value={from}
            size={10}
            autocomplete="off"
            spellcheck={false}
            aria-describedby="date-hint"
            onInput={(e) => setFrom((e.target as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="timeline-to">To</label>
          <input
            id="timeline-to"
            name="to"
            value={to}
            size={10}
            autocomplete="off"
            spellcheck={false}
            aria-describedby="date-hint"
            onInput={(e) => setTo((e.target as HTMLInputElement).value)}
          />
        </div>
      </div>
      <fieldset class="filter-kinds">
        <legend>Show</legend>
        {ENTRY_KINDS.map(({ kind, label }) => (
          <label key={kind} class="check">
            <input
              type="checkbox"
              name="kind"
              value={kind}
              checked={kinds.has(kind)}
              onChange={(e) => {
                const next = new Set(kinds);
                if ((e.target as HTMLInputElement).checked) next.add(kind);
                else next.delete(kind);
                setKinds(next);
              }}
            />{" "}
            <span class={`badge tl-kind tl-${kind}`}>{label}</span>
          </label>
        ))}
      </fieldset>
      {filters.entity ? (
        <p class="entity-filter">
          Involving <a href={entityUrl(filters.entity)}>{filters.entity}</a>{" "}
          <a href={timelineUrl({ ...filters, entity: "" })}>(show every entity)</a>
        </p>
      ) : null}
      <div class="filter-actions">
        <button type="submit">Show</button>
        <a href="/timeline">Reset</a>
        <span class="note">
          Try:{" "}
          <a href={timelineUrl({ from: "2010", to: "2010", kinds: ["EVENT"] })}>events of 2010</a>,{" "}
          <a href={timelineUrl({ entity: "office/osce-field-office-kazakhstan" })}>
            the office in Kazakhstan
          </a>
        </span>
      </div>
      {problem ? (
        <p class="status error" role="alert">
          {problem}
        </p>
      ) : null}
    </form>
  );
}

function TimelineBody({ data, filters }: { data: TimelineData; filters: TimelineParams }) {
  const { entries, totalCount, updated } = data;
  const horizon = updated ? dayNumber(updated) : null;
  const days = entries.flatMap((e) => knownDays(e.date));
  // every span drawn: each entry's date, and the period a start or end belongs to
  const spans = entries.flatMap((e) => {
    const period = periodOf(e);
    return [
      { span: e.date, context: false },
      ...(period ? [{ span: period.span, context: true }] : []),
    ];
  });
  const loose = spans.some(
    ({ span }) => span.endStatus !== "KNOWN" || span.startStatus !== "KNOWN",
  );
  const from = filters.from ? (daysOf(filters.from)?.earliest ?? null) : null;
  const to = filters.to ? (daysOf(filters.to)?.latest ?? null) : null;
  const domain: Domain = domainFor(days, {
    from,
    to,
    horizon: loose ? horizon : null,
    fadeRoom: loose,
  });
  const horizonAt = horizon !== null ? position(domain, horizon + 1) : null;
  const asText = describeFilters(filters);

  return (
    <section aria-labelledby="timeline-results">
      <h2 id="timeline-results">
        {totalCount === 1 ? "1 dated fact" : `${totalCount} dated facts`}
        {asText}
      </h2>
      <p role="status" class="note">
        {totalCount === 0
          ? "No dated fact matches these filters."
          : `${totalCount === 1 ? "One entry" : `${totalCount} entries`}, oldest first` +
            (entries.length < totalCount ? `; the first ${entries.length} are shown.` : ".")}
      </p>
      {entries.length ? (
        <>
          <Legend
            items={[
              {
                sample: "sample-solid",
                text: "a date: a year spans its year, a month its month, a day its day",
              },
              ...(spans.some((s) => s.context)
                ? [
                    {
                      sample: "sample-context",
                      text: "the whole period a start or an end belongs to",
                    },
                  ]
                : []),
              ...(spans.some((s) => s.span.endStatus === "OPEN")
                ? [
                    {
                      sample: "sample-open",
                      text: `fading out: still so at the source's last update${updated ? ` (${updated}, dotted line)` : ""}, unknown after it`,
                    },
                  ]
                : []),
              ...(spans.some(
                (s) => s.span.endStatus === "UNKNOWN" || s.span.startStatus !== "KNOWN",
              )
                ? [
                    {
                      sample: "sample-unknown",
                      text: "dashed and fading: an end (or start) the source does not give",
                    },
                  ]
                : []),
            ]}
          />
          <div class="time-grid">
            <div class="time-row axis-row" aria-hidden="true">
              <div class="row-text" />
              <AxisHeader
                domain={domain}
                marks={
                  horizonAt !== null
                    ? [
                        {
                          at: horizonAt,
                          label: `The source's last update: ${updated}`,
                          className: "horizon-mark",
                        },
                      ]
                    : []
                }
              />
            </div>
            <ol class="timeline-list" aria-label="Dated facts, oldest first">
              {entries.map((entry, i) => (
                <TimelineRow
                  key={i}
                  entry={entry}
                  domain={domain}
                  horizon={horizon}
                  horizonAt={horizonAt}
                  updated={updated}
                />
              ))}
            </ol>
          </div>
        </>
      ) : null}
    </section>
  );
}

function TimelineRow({
  entry,
  domain,
  horizon,
  horizonAt,
  updated,
}: {
  entry: Entry;
  domain: Domain;
  horizon: number | null;
  horizonAt: number | null;
  updated: string | null;
}) {
  const info = KIND_INFO.get(entry.kind);
  const period = periodOf(entry);
  return (
    <li class="time-row" data-kind={entry.kind}>
      <div class="row-text">
        <span class={`badge tl-kind tl-${entry.kind}`}>{info?.label ?? entry.kind}</span>{" "}
        <a href={entityUrl(entry.subject.key)}>{entry.label}</a>
        <span class="detail">
          <DateText when={entry.date} readable={readableSpan(entry.date)} updated={updated} />
        </span>
        {period ? (
          <span class="detail period">
            {period.what}:{" "}
            <DateText when={period.span} readable={readableSpan(period.span)} updated={updated} />
            {period.link ? (
              <>
                {" "}
                · <a href={period.link.href}>{period.link.text}</a>
              </>
            ) : null}
          </span>
        ) : null}
      </div>
      <Track domain={domain} horizon={horizonAt}>
        <SpanMarks
          span={entry.date}
          domain={domain}
          horizon={horizon}
          className={`tl-${entry.kind}`}
          title={`${entry.label}: ${entry.date.edtf}`}
        />
        {period ? (
          <SpanMarks
            span={period.span}
            domain={domain}
            horizon={horizon}
            className={`tl-${entry.kind}`}
            context
            title={`${period.what}: ${period.span.edtf}`}
          />
        ) : null}
      </Track>
    </li>
  );
}
