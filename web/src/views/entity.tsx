/**
 * An entity's page, the same for every kind: names, facts, relations as links, and the provenance
 * of each; a quote shows in its source text beside the page (pointer or keyboard focus previews
 * it, a click pins it and records it in the URL).
 */
import type { ComponentChildren } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { request } from "../api.js";
import {
  AsOfMeaning,
  AsOfText,
  DateText,
  EntityLink,
  Heading,
  KindBadge,
  MarkedText,
  ProvenanceList,
  QuoteContext,
  QuoteIndex,
  type QuoteState,
  type QuoteTarget,
  Status,
  useLoad,
  useTitle,
} from "../components.js";
import { DataOut } from "../dataout.js";
import { SourceTextDocument } from "../documents.js";
import {
  type Fact,
  KIND_LABELS,
  type Kind,
  loadEntity,
  PAGE_DOCUMENTS,
  type Prov,
  type RelGroup,
  relationTable,
  suggestionsFor,
  type EntityView as View,
  words,
} from "../model.js";
import {
  entityUrl,
  graphUrl,
  navigate,
  replaceSearchParams,
  searchUrl,
  timelineUrl,
  useLocation,
} from "../router.js";
import { glanceAsOfNote, groupSources } from "../section-sources.js";
import { asOfWords, glanceDate } from "../timeaxis.js";

export function useEntity(kind: Kind, key: string) {
  const loaded = useLoad(() => loadEntity(kind, key), [kind, key]);
  const canonical = loaded.state === "done" ? loaded.value?.ref.key : undefined;
  useEffect(() => {
    // a slip the API forgave (`/entity/person/Gyorgy-Szabo`): show the entity's own URL instead
    if (canonical && canonical !== key) {
      const path = location.pathname.replace(/^\/entity\/[^/]+\/[^/]+/, entityUrl(canonical));
      navigate(`${path}${location.search}`, { replace: true });
    }
  }, [canonical, key]);
  return loaded;
}

/** The Page / Graph switch of an entity. */
export function EntityTabs({
  entityKey,
  current,
}: {
  entityKey: string;
  current: "page" | "graph";
}) {
  return (
    <nav class="tabs" aria-label="Views of this entity">
      <a href={entityUrl(entityKey)} aria-current={current === "page" ? "page" : undefined}>
        Page
      </a>
      <a href={graphUrl(entityKey)} aria-current={current === "graph" ? "page" : undefined}>
        Graph
      </a>
      {/^(?:state|office|person|post|tenure|event|place)\//.test(entityKey) ? (
        <a href={timelineUrl({ entity: entityKey })}>Timeline</a>
      ) : null}
    </nav>
  );
}

export function EntityHeader({ view, current }: { view: View; current: "page" | "graph" }) {
  return (
    <div class="entity-header">
      <p class="eyebrow">
        <KindBadge entityKey={view.ref.key} /> <code class="key">{view.ref.key}</code>
      </p>
      <Heading focusKey={`${current} ${view.ref.key}`} id="entity-title">
        {view.title}
      </Heading>
      {view.subtitle ? <p class="subtitle">{view.subtitle}</p> : null}
      <EntityTabs entityKey={view.ref.key} current={current} />
    </div>
  );
}

export function MissingEntity({ kind, entityKey }: { kind: Kind; entityKey: string }) {
  // the slug's words are usually the name: offer the search for them
  const guess = entityKey
    .slice(entityKey.indexOf("/") + 1)
    .replace(/[-_]+/g, " ")
    .trim()
    .slice(0, 200);
  // the keys the API suggested with its NOT_FOUND ("did you mean"); none while they load or if
  // they fail: the search and the home page are offered either way
  const suggested = useLoad(() => suggestionsFor(kind, entityKey), [kind, entityKey]);
  const suggestions = suggested.state === "done" ? suggested.value : [];
  return (
    <>
      <Heading>No such {KIND_LABELS[kind].one.toLowerCase()}</Heading>
      <p>
        The graph has no {KIND_LABELS[kind].one.toLowerCase()} with the key <code>{entityKey}</code>
        . The link may be mistyped, or the entity renamed.
      </p>
      {suggestions.length > 0 ? (
        <section aria-labelledby="did-you-mean">
          <h2 id="did-you-mean">Did you mean</h2>
          <ul>
            {suggestions.map((s) => (
              <li key={s.key}>
                <a href={entityUrl(s.key)}>{s.name ?? s.key}</a>
                {s.name ? (
                  <>
                    {" "}
                    <code class="key">{s.key}</code>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <ul>
        {guess ? (
          <li>
            <a href={searchUrl(guess)}>Search for “{guess}”</a>
          </li>
        ) : null}
        <li>
          <a href="/">Browse every {KIND_LABELS[kind].one.toLowerCase()} from the home page</a>
        </li>
      </ul>
    </>
  );
}

/** The pinned quote, read from the URL (`?source=KEY&at=OFFSET&length=N`). */
function pinnedFromUrl(search: string): QuoteTarget | null {
  const params = new URLSearchParams(search);
  const sourceKey = params.get("source");
  const offset = Number(params.get("at"));
  const length = Number(params.get("length"));
  if (
    !sourceKey ||
    !Number.isInteger(offset) ||
    !Number.isInteger(length) ||
    offset < 0 ||
    length <= 0
  )
    return null;
  return { sourceKey, sourceName: "", offset, length };
}

export function EntityView({ kind, entityKey }: { kind: Kind; entityKey: string }) {
  const loaded = useEntity(kind, entityKey);
  const { search } = useLocation();
  const pinned = useMemo(() => pinnedFromUrl(search), [search]);
  const [preview, setPreview] = useState<QuoteTarget | null>(null);
  const quotes: QuoteState = {
    preview,
    pinned,
    setPreview,
    togglePin: (target) => {
      const same =
        pinned &&
        pinned.sourceKey === target.sourceKey &&
        pinned.offset === target.offset &&
        pinned.length === target.length;
      replaceSearchParams(
        same
          ? { source: null, at: null, length: null }
          : { source: target.sourceKey, at: String(target.offset), length: String(target.length) },
      );
    },
  };
  const view = loaded.state === "done" ? loaded.value : null;
  useTitle(view ? view.title : loaded.state === "done" ? "Not found" : null);

  return (
    <Status loaded={loaded}>
      {loaded.state === "done" && !view ? (
        <MissingEntity kind={kind} entityKey={entityKey} />
      ) : null}
      {view ? (
        <QuoteContext.Provider value={quotes}>
          <div class={view.kind === "source" ? "entity-layout source-page" : "entity-layout"}>
            <article class="entity" aria-labelledby="entity-title">
              <EntityHeader view={view} current="page" />
              <EntityBody view={view} quote={preview ?? pinned} scrollToQuote={!preview} />
            </article>
            {view.kind === "source" ? null : (
              <SourcePanel
                quote={preview ?? pinned}
                pinned={pinned}
                onClose={() => quotes.togglePin(pinned!)}
              />
            )}
          </div>
        </QuoteContext.Provider>
      ) : null}
    </Status>
  );
}

/** A section with more entries than this starts folded (details/summary), its count in the heading. */
export const FOLD_OVER = 5;

/** Where a quote is shown on a page: its number and the section of its first showing. */
export interface QuoteSeen {
  n: number;
  first: boolean;
  section: string;
}

function quoteKey(p: Prov): string | null {
  // the same words of a source are one quote, wherever the source repeats them
  return p.__typename === "SourceQuote" ? `${p.source.key}|${p.quote}` : null;
}

/**
 * Each quote of the page is shown once: the first time in full, later as a reference to that
 * first showing. Walks the page's provenance lists in the order EntityBody renders them.
 */
export function indexQuotes(view: View): Map<Prov, QuoteSeen> {
  const seen = new Map<Prov, QuoteSeen>();
  const firsts = new Map<string, QuoteSeen>();
  const visit = (list: Prov[], section: string) => {
    for (const p of list) {
      const key = quoteKey(p);
      if (!key) continue;
      const first = firsts.get(key);
      if (first) seen.set(p, { n: first.n, first: false, section: first.section });
      else {
        const entry = { n: firsts.size + 1, first: true, section };
        firsts.set(key, entry);
        seen.set(p, entry);
      }
    }
  };
  for (const fact of view.facts) visit(fact.provenance, "Facts");
  for (const name of view.names) visit(name.provenance, "Names and spellings");
  for (const group of view.groups.filter((g) => g.items.length > 0)) {
    const sources = groupSources(group);
    visit(sources.asOfSources, group.title);
    visit(sources.every, group.title);
    for (const item of group.items) visit(sources.of(item), group.title);
  }
  visit(view.provenance, `Why the graph holds this ${KIND_LABELS[view.kind].one.toLowerCase()}`);
  return seen;
}

/** A section of the page, folded when it is long: its heading stays visible either way. */
function Section({
  id,
  title,
  count,
  children,
}: {
  id: string;
  title: string;
  count?: number;
  children: ComponentChildren;
}) {
  const heading = (
    <h2 id={id}>
      {title} {count !== undefined ? <span class="count">({count})</span> : null}
    </h2>
  );
  if (count === undefined || count <= FOLD_OVER) {
    return (
      <section aria-labelledby={id}>
        {heading}
        {children}
      </section>
    );
  }
  return (
    <section aria-labelledby={id}>
      <details class="fold">
        <summary>{heading}</summary>
        {children}
      </details>
    </section>
  );
}

function Glance({ view }: { view: View }) {
  if (!view.glance.length) return null;
  return (
    <section class="glance" aria-labelledby="glance-heading">
      <h2 id="glance-heading">At a glance</h2>
      <dl>
        {view.glance.map((item) => (
          <div key={item.label}>
            <dt>{item.label}</dt>
            <dd>
              {item.parts.map((part, i) => (
                <span key={i} class="glance-part">
                  {part.ref ? <EntityLink entity={part.ref} /> : null}
                  {part.text ? <span>{part.text}</span> : null}
                  {part.when ? (
                    <span class="glance-date">
                      {part.ref ? " " : ""}
                      {glanceDate(part.when)}
                    </span>
                  ) : null}
                  {part.stated ? (
                    // by that date, not on it: the source's last update (its sentence may be older;
                    // review 16e); the date alone kept on one line
                    <span class="glance-date">
                      {" (stated by "}
                      <span class="as-of">{asOfWords(part.stated.date)}</span>
                      {", the source's last update"}
                      {part.stated.span ? `, for the ${part.stated.span}` : ""})
                    </span>
                  ) : null}
                  {part.asOf ? (
                    <span class="glance-date">
                      {" ("}
                      <AsOfText date={part.asOf} noted />)
                    </span>
                  ) : null}
                  {i < item.parts.length - 1
                    ? part.ref && item.parts[i + 1]?.ref
                      ? "; "
                      : " "
                    : null}
                </span>
              ))}
              {item.more ? <span class="glance-more"> and {item.more} more below</span> : null}
              {item.asOf ? (
                <span class="glance-date">
                  {item.parts.length > 1 ? " (all " : " ("}
                  <AsOfText date={item.asOf} noted />)
                </span>
              ) : null}
              <AsOfMeaning note={glanceAsOfNote(item)} />
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function EntityBody({
  view,
  quote,
  scrollToQuote,
}: {
  view: View;
  quote: QuoteTarget | null;
  scrollToQuote: boolean;
}) {
  const groups = view.groups.filter((g) => g.items.length > 0);
  const quotes = useMemo(() => indexQuotes(view), [view]);
  return (
    <QuoteIndex.Provider value={quotes}>
      <Glance view={view} />
      {view.facts.length ? (
        <section aria-labelledby="facts-heading">
          <h2 id="facts-heading">Facts</h2>
          <dl class="facts">
            {view.facts.map((fact) => (
              <FactRow key={fact.label} fact={fact} />
            ))}
          </dl>
        </section>
      ) : null}

      {view.text !== undefined ? (
        <section aria-labelledby="text-heading">
          <h2 id="text-heading">Text</h2>
          <p class="note">Quotes on other pages link here with the quote highlighted.</p>
          {/* focusable, so the keyboard can scroll it */}
          <div
            class="scroll-box tall"
            tabIndex={0}
            role="region"
            aria-label={`Text of ${view.title}`}
          >
            <MarkedText
              text={view.text}
              offset={quote?.sourceKey === view.ref.key ? quote.offset : undefined}
              length={quote?.sourceKey === view.ref.key ? quote.length : undefined}
              bringIntoView={scrollToQuote}
            />
          </div>
        </section>
      ) : null}

      {view.names.length ? (
        <Section
          id="names-heading"
          title="Names and spellings"
          count={view.names.length > FOLD_OVER ? view.names.length : undefined}
        >
          <ul class="items">
            {view.names.map((name, i) => (
              <li key={i}>
                <span class="item-main">
                  <strong>{name.text}</strong>{" "}
                  <span class="badge">{words(name.kind).toLowerCase()}</span>
                </span>
                <ProvenanceList items={name.provenance} />
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      {groups.map((group) => (
        <Group key={group.id} group={group} />
      ))}

      <DataOut
        name={view.ref.key}
        queries={[{ document: PAGE_DOCUMENTS[view.kind], variables: { key: view.ref.key } }]}
        table={relationTable(view)}
      />

      <section aria-labelledby="provenance-heading">
        <h2 id="provenance-heading">
          Why the graph holds this {KIND_LABELS[view.kind].one.toLowerCase()}
        </h2>
        {view.provenance.length ? (
          <ProvenanceList items={view.provenance} />
        ) : (
          <p class="note">No provenance recorded.</p>
        )}
      </section>
    </QuoteIndex.Provider>
  );
}

function FactRow({ fact }: { fact: Fact }) {
  const value = fact.value;
  return (
    <div class="fact">
      <dt>{fact.label}</dt>
      <dd>
        {value.type === "text" ? value.text : null}
        {value.type === "date" ? <DateText when={value.when} /> : null}
        {value.type === "asOf" ? <AsOfText date={value.date} /> : null}
        {value.type === "ref" ? (
          <>
            <EntityLink entity={value.ref} />
            {value.when ? (
              <>
                {", "}
                <DateText when={value.when} />
              </>
            ) : null}
          </>
        ) : null}
        {value.type === "refs" ? (
          <ul class="inline-list">
            {value.refs.map((ref) => (
              <li key={ref.key}>
                <EntityLink entity={ref} />
              </li>
            ))}
          </ul>
        ) : null}
        <ProvenanceList items={fact.provenance} label={`Source of ${fact.label.toLowerCase()}`} />
      </dd>
    </div>
  );
}

function Group({ group }: { group: RelGroup }) {
  const headingId = `group-${group.id}`;
  const sources = groupSources(group);
  return (
    <Section id={headingId} title={group.title} count={group.total}>
      {sources.asOfNote || sources.asOfSources.length || sources.every.length ? (
        <div class="as-of-note">
          {sources.asOfNote ? <p class="note">{sources.asOfNote}</p> : null}
          <ProvenanceList items={sources.asOfSources} label="Source of “as of”" />
          {sources.every.length ? (
            <>
              <p class="note">Every entry below rests on these:</p>
              <ProvenanceList items={sources.every} label="Source of every entry" />
            </>
          ) : null}
        </div>
      ) : null}
      <ul class="items">
        {group.items.map((item, i) => (
          <li key={item.ref?.key ?? `${item.text}-${i}`}>
            <span class="item-main">
              {item.ref ? <EntityLink entity={item.ref} badge /> : <strong>{item.text}</strong>}
              {item.mark ? (
                <>
                  {" "}
                  <span class="badge badge-mark">{item.mark}</span>
                </>
              ) : null}
              {item.also?.map((link) => (
                <span key={link.ref.key}>
                  {" "}
                  {link.label} <EntityLink entity={link.ref} />
                </span>
              ))}
              {item.when ? (
                <>
                  {" "}
                  <span class="sep">·</span> <DateText when={item.when} />
                </>
              ) : null}
              {item.asOf ? (
                <>
                  {" "}
                  <span class="sep">·</span>{" "}
                  <AsOfText date={item.asOf} noted={!!sources.asOfNote} />
                </>
              ) : null}
            </span>
            {item.detail ? <span class="detail">{item.detail}</span> : null}
            {item.via ? (
              <a class="via" href={entityUrl(item.via.key)}>
                tenure record
              </a>
            ) : null}
            <ProvenanceList items={sources.of(item)} />
          </li>
        ))}
      </ul>
      {group.total > group.items.length ? (
        <p class="note">
          Showing the first {group.items.length} of {group.total}.
        </p>
      ) : null}
    </Section>
  );
}

/** The source text with the previewed or pinned quote marked in it. */
function SourcePanel({
  quote,
  pinned,
  onClose,
}: {
  quote: QuoteTarget | null;
  pinned: QuoteTarget | null;
  onClose: () => void;
}) {
  const loaded = useLoad(
    () => (quote ? request(SourceTextDocument, { key: quote.sourceKey }) : Promise.resolve(null)),
    [quote?.sourceKey],
  );
  const source = loaded.state === "done" ? loaded.value?.source : null;
  return (
    <aside
      class={quote ? "source-panel active" : "source-panel"}
      aria-labelledby="source-panel-heading"
    >
      <div class="source-panel-head">
        <h2 id="source-panel-heading">In the source</h2>
        {pinned ? (
          <button type="button" class="close" onClick={onClose} aria-label="Unpin the quote">
            Unpin
          </button>
        ) : null}
      </div>
      {!quote ? (
        <p class="note">
          Point at a quote (or focus it with the keyboard) to see it in its source; select it to
          keep it here.
        </p>
      ) : loaded.state === "failed" ? (
        <p class="status error" role="alert">
          Could not load the source: {loaded.message}
        </p>
      ) : !source ? (
        <p class="status" role="status">
          {loaded.state === "loading" ? "Loading…" : "This source is not in the graph."}
        </p>
      ) : (
        <>
          <p class="note" aria-live="polite">
            <a
              href={`${entityUrl(source.key)}?${new URLSearchParams({ source: source.key, at: String(quote.offset), length: String(quote.length) }).toString()}`}
            >
              {source.name}
            </a>
            , characters {quote.offset}–{quote.offset + quote.length}
          </p>
          <div
            class="scroll-box"
            tabIndex={0}
            role="region"
            aria-label={`Text of ${source.name}, around the quote`}
          >
            <MarkedText text={source.text} offset={quote.offset} length={quote.length} />
          </div>
        </>
      )}
    </aside>
  );
}
