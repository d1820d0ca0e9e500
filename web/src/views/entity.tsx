/**
 * An entity's page, the same for every kind: names, facts, relations as links, and the provenance
 * of each; a quote shows in its source text beside the page (pointer or keyboard focus previews
 * it, a click pins it and records it in the URL).
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { request } from "../api.js";
import {
  DateText,
  EntityLink,
  Heading,
  KindBadge,
  MarkedText,
  ProvenanceList,
  QuoteContext,
  Status,
  useLoad,
  useTitle,
  type QuoteState,
  type QuoteTarget,
} from "../components.js";
import { SourceTextDocument } from "../documents.js";
import { KIND_LABELS, loadEntity, words, type EntityView as View, type Fact, type Kind, type Prov, type RelGroup, type When } from "../model.js";
import { entityUrl, graphUrl, navigate, replaceSearchParams, timelineUrl, useLocation } from "../router.js";

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
export function EntityTabs({ entityKey, current }: { entityKey: string; current: "page" | "graph" }) {
  return (
    <nav class="tabs" aria-label="Views of this entity">
      <a href={entityUrl(entityKey)} aria-current={current === "page" ? "page" : undefined}>
        Page
      </a>
      <a href={graphUrl(entityKey)} aria-current={current === "graph" ? "page" : undefined}>
        Graph
      </a>
      {/^(?:state|office|person|post|tenure|event|place)\//.test(entityKey) ? <a href={timelineUrl({ entity: entityKey })}>Timeline</a> : null}
    </nav>
  );
}

export function EntityHeader({ view, current }: { view: View; current: "page" | "graph" }) {
  return (
    <div class="entity-header">
      <p class="eyebrow">
        <KindBadge entityKey={view.ref.key} /> <code class="key">{view.ref.key}</code>
      </p>
      <Heading focusKey={`${current} ${view.ref.key}`} id="entity-title">{view.title}</Heading>
      {view.subtitle ? <p class="subtitle">{view.subtitle}</p> : null}
      <EntityTabs entityKey={view.ref.key} current={current} />
    </div>
  );
}

export function MissingEntity({ kind, entityKey }: { kind: Kind; entityKey: string }) {
  return (
    <>
      <Heading>No such {KIND_LABELS[kind].one.toLowerCase()}</Heading>
      <p>
        The graph has no entity with the key <code>{entityKey}</code>. Search for it by name with the box above.
      </p>
    </>
  );
}

/** The pinned quote, read from the URL (`?source=KEY&at=OFFSET&length=N`). */
function pinnedFromUrl(search: string): QuoteTarget | null {
  const params = new URLSearchParams(search);
  const sourceKey = params.get("source");
  const offset = Number(params.get("at"));
  const length = Number(params.get("length"));
  if (!sourceKey || !Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length <= 0) return null;
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
      const same = pinned && pinned.sourceKey === target.sourceKey && pinned.offset === target.offset && pinned.length === target.length;
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
      {loaded.state === "done" && !view ? <MissingEntity kind={kind} entityKey={entityKey} /> : null}
      {view ? (
        <QuoteContext.Provider value={quotes}>
          <div class={view.kind === "source" ? "entity-layout source-page" : "entity-layout"}>
            <article class="entity" aria-labelledby="entity-title">
              <EntityHeader view={view} current="page" />
              <EntityBody view={view} quote={preview ?? pinned} scrollToQuote={!preview} />
            </article>
            {view.kind === "source" ? null : <SourcePanel quote={preview ?? pinned} pinned={pinned} onClose={() => quotes.togglePin(pinned!)} />}
          </div>
        </QuoteContext.Provider>
      ) : null}
    </Status>
  );
}

function EntityBody({ view, quote, scrollToQuote }: { view: View; quote: QuoteTarget | null; scrollToQuote: boolean }) {
  const groups = view.groups.filter((g) => g.items.length > 0);
  return (
    <>
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
          <div class="scroll-box tall">
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
        <section aria-labelledby="names-heading">
          <h2 id="names-heading">Names and spellings</h2>
          <ul class="items">
            {view.names.map((name, i) => (
              <li key={i}>
                <span class="item-main">
                  <strong>{name.text}</strong> <span class="badge">{words(name.kind).toLowerCase()}</span>
                </span>
                <ProvenanceList items={name.provenance} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {groups.map((group) => (
        <Group key={group.id} group={group} />
      ))}

      <section aria-labelledby="provenance-heading">
        <h2 id="provenance-heading">Why the graph holds this {KIND_LABELS[view.kind].one.toLowerCase()}</h2>
        {view.provenance.length ? <ProvenanceList items={view.provenance} /> : <p class="note">No provenance recorded.</p>}
      </section>
    </>
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
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>
        {group.title} <span class="count">({group.total})</span>
      </h2>
      <ul class="items">
        {group.items.map((item, i) => (
          <li key={item.ref?.key ?? `${item.text}-${i}`}>
            <span class="item-main">
              {item.ref ? <EntityLink entity={item.ref} badge /> : <strong>{item.text}</strong>}
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
            </span>
            {item.detail ? <span class="detail">{item.detail}</span> : null}
            {item.via ? (
              <a class="via" href={entityUrl(item.via.key)}>
                tenure record
              </a>
            ) : null}
            <ProvenanceList items={withDateProvenance(item.provenance ?? [], item.when)} />
          </li>
        ))}
      </ul>
      {group.total > group.items.length ? (
        <p class="note">
          Showing the first {group.items.length} of {group.total}.
        </p>
      ) : null}
    </section>
  );
}

/** An entry's provenance followed by that of its date, each quote once. */
function withDateProvenance(provenance: Prov[], when: When | null | undefined): Prov[] {
  const seen = new Set(provenance.map((p) => p.text));
  return [...provenance, ...(when?.provenance ?? []).filter((p) => !seen.has(p.text) && seen.add(p.text))];
}

/** The source text with the previewed or pinned quote marked in it. */
function SourcePanel({ quote, pinned, onClose }: { quote: QuoteTarget | null; pinned: QuoteTarget | null; onClose: () => void }) {
  const loaded = useLoad(() => (quote ? request(SourceTextDocument, { key: quote.sourceKey }) : Promise.resolve(null)), [quote?.sourceKey]);
  const source = loaded.state === "done" ? loaded.value?.source : null;
  return (
    <aside class={quote ? "source-panel active" : "source-panel"} aria-labelledby="source-panel-heading">
      <div class="source-panel-head">
        <h2 id="source-panel-heading">In the source</h2>
        {pinned ? (
          <button type="button" class="close" onClick={onClose} aria-label="Unpin the quote">
            Unpin
          </button>
        ) : null}
      </div>
      {!quote ? (
        <p class="note">Point at a quote (or focus it with the keyboard) to see it in its source; select it to keep it here.</p>
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
            <a href={`${entityUrl(source.key)}?${new URLSearchParams({ source: source.key, at: String(quote.offset), length: String(quote.length) }).toString()}`}>
              {source.name}
            </a>
            , characters {quote.offset}–{quote.offset + quote.length}
          </p>
          <div class="scroll-box">
            <MarkedText text={source.text} offset={quote.offset} length={quote.length} />
          </div>
        </>
      )}
    </aside>
  );
}
