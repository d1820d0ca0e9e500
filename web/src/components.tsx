/** Small pieces every view uses: links to entities, kind badges, dates, provenance, loading. */
import { type ComponentChildren, createContext } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "./api.js";
import {
  type AsOf,
  KIND_LABELS,
  kindOfKey,
  type Prov,
  type Ref,
  type When,
  words,
} from "./model.js";
import { entityUrl, navigatedInApp } from "./router.js";
import { asOfWords } from "./timeaxis.js";

// Kinds -------------------------------------------------------------------------------------------

export function KindBadge({ entityKey }: { entityKey: string }) {
  const kind = kindOfKey(entityKey);
  if (!kind) return null;
  return <span class={`badge kind-${kind}`}>{KIND_LABELS[kind].one}</span>;
}

export function EntityLink({ entity, badge = false }: { entity: Ref; badge?: boolean }) {
  return (
    <>
      <a href={entityUrl(entity.key)}>{entity.label}</a>
      {badge ? (
        <>
          {" "}
          <KindBadge entityKey={entity.key} />
        </>
      ) : null}
    </>
  );
}

// Dates -------------------------------------------------------------------------------------------

/** What DateText shows of a partial date (the `When` fragment, or the time views' `Span`). */
export type DateLike = Pick<
  When,
  | "edtf"
  | "wording"
  | "precision"
  | "isInterval"
  | "startStatus"
  | "endStatus"
  | "earliest"
  | "latest"
>;

/**
 * A partial date as the source gives it: its wording, the exact EDTF value, and what is not known
 * (an unknown start or end, an end that is open as of the source's last update). Nothing is inferred.
 */
export function DateText({
  when,
  readable,
  updated,
}: {
  when: DateLike;
  readable?: string | null;
  updated?: string | null;
}) {
  const notes: string[] = [];
  if (when.startStatus === "UNKNOWN") notes.push("start not given");
  if (when.startStatus === "OPEN") notes.push("open start");
  if (when.endStatus === "OPEN")
    notes.push(`still so at the source's last update${updated ? ` (${updated})` : ""}`);
  if (when.endStatus === "UNKNOWN") notes.push("end not given");
  const precision = when.isInterval ? "" : ` (${words(when.precision).toLowerCase()} precision)`;
  const span =
    when.earliest || when.latest
      ? `may cover ${when.earliest ?? "…"} to ${when.latest ?? "…"}`
      : "";
  // the source's wording, or else (a bound of a period has none) a readable form of the date
  const text = when.wording ?? readable ?? null;
  return (
    <span class="date">
      {text && text !== when.edtf ? (
        <>
          <span class="date-wording">{text}</span>{" "}
        </>
      ) : null}
      <code class="edtf" title={`EDTF${precision}${span ? `; ${span}` : ""}`}>
        {when.edtf}
      </code>
      {notes.length ? <span class="date-note"> · {notes.join(", ")}</span> : null}
    </span>
  );
}

/**
 * "as of March 18, 2016" beside a fact the source states as of its last update and gives no date
 * of its own. What that means is in words a screen reader reads (and the keyboard reaches with it),
 * not in a `title` only the pointer shows; not where a note for the list it is in says it for
 * the entry (`noted`: a section's note under its heading, a summary line's `AsOfMeaning`). Its
 * quote (the source's "Updated at") is in the fact's provenance. The date is not broken across
 * lines. The words hidden from sight are a parenthesis after a space: a screen reader reads a
 * piece hidden so (absolutely positioned) apart from the words around it, with a space between,
 * which before a comma was a stray one ("2016 , the date": review 16e).
 */
export function AsOfText({ date, noted = false }: { date: AsOf; noted?: boolean }) {
  return (
    <span class="as-of">
      as of {asOfWords(date)}
      {noted ? null : (
        <>
          {" "}
          <span class="visually-hidden">
            (the date of the source's last update, as of which it states this; it gives it no date
            of its own)
          </span>
        </>
      )}
    </span>
  );
}

/**
 * What "as of" means, read once to a screen reader after a list whose entries' "as of" say
 * nothing themselves (`noted`): a summary line (`glanceAsOfNote`). Nothing where `note` is null.
 */
export function AsOfMeaning({ note }: { note: string | null }) {
  return note ? (
    <>
      {" "}
      <span class="visually-hidden">{note}</span>
    </>
  ) : null;
}

// Provenance --------------------------------------------------------------------------------------

/** A quote to show in its source: where it starts in the source's text and how long it is. */
export interface QuoteTarget {
  sourceKey: string;
  sourceName: string;
  offset: number;
  length: number;
}

export interface QuoteState {
  /** The quote under the pointer or keyboard focus, shown while it is there. */
  preview: QuoteTarget | null;
  /** The quote chosen by a click (kept in the URL). */
  pinned: QuoteTarget | null;
  setPreview(target: QuoteTarget | null): void;
  togglePin(target: QuoteTarget): void;
}

export const QuoteContext = createContext<QuoteState | null>(null);

/**
 * Where each quote of the page is first shown (see indexQuotes in views/entity.tsx): a quote shown
 * before is given as a reference to that first showing, not repeated.
 */
export const QuoteIndex = createContext<Map<
  Prov,
  { n: number; first: boolean; section: string }
> | null>(null);

function sameQuote(a: QuoteTarget | null, b: QuoteTarget): boolean {
  return !!a && a.sourceKey === b.sourceKey && a.offset === b.offset && a.length === b.length;
}

export function ProvenanceList({ items, label = "Source" }: { items: Prov[]; label?: string }) {
  const quotes = useContext(QuoteContext);
  const index = useContext(QuoteIndex);
  if (!items.length) return null;
  return (
    <ul class="provenance" aria-label={label}>
      {items.map((p, i) => {
        if (p.__typename === "EditorialNote") {
          return (
            <li key={i} class="editorial">
              <span class="badge badge-editorial">editorial</span> {p.reason}
            </li>
          );
        }
        const target: QuoteTarget = {
          sourceKey: p.source.key,
          sourceName: p.source.name,
          offset: p.offset,
          length: p.quote.length,
        };
        const pinned = sameQuote(quotes?.pinned ?? null, target);
        const seen = index?.get(p);
        if (seen && !seen.first) {
          const words = p.quote.split(/\s+/);
          return (
            <li key={i} class="quote-ref">
              <a
                href={`#quote-${seen.n}`}
                onMouseEnter={() => quotes?.setPreview(target)}
                onMouseLeave={() => quotes?.setPreview(null)}
                onFocus={() => quotes?.setPreview(target)}
                onBlur={() => quotes?.setPreview(null)}
              >
                Same quote as under “{seen.section}”
              </a>
              <span class="quote-start" aria-hidden="true">
                {" "}
                “{words.slice(0, 6).join(" ")}
                {words.length > 6 ? "…" : ""}”
              </span>
            </li>
          );
        }
        return (
          <li key={i}>
            <button
              type="button"
              id={seen ? `quote-${seen.n}` : undefined}
              class="quote"
              aria-pressed={pinned}
              title={`Quote from ${p.source.name}, character ${p.offset}: select to keep it highlighted in the source`}
              onMouseEnter={() => quotes?.setPreview(target)}
              onMouseLeave={() => quotes?.setPreview(null)}
              onFocus={() => quotes?.setPreview(target)}
              onBlur={() => quotes?.setPreview(null)}
              onClick={() => quotes?.togglePin(target)}
            >
              “{p.quote}”
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** A source's text with one quote marked; `scrollBox` scrolls (itself) to the mark. */
export function MarkedText({
  text,
  offset,
  length,
  id,
  bringIntoView = false,
}: {
  text: string;
  offset?: number | undefined;
  length?: number | undefined;
  id?: string;
  /** Also scroll the page to the mark (for the source's own page, not for a preview beside a page). */
  bringIntoView?: boolean;
}) {
  const [box, setBox] = useState<HTMLElement | null>(null);
  useEffect(() => {
    const mark = box?.querySelector("mark");
    if (!box || !mark) return;
    // scroll the text's own box, not the page, so the quote shows without moving the reader
    const scroller = box.closest(".scroll-box") ?? box;
    const top = (mark as HTMLElement).offsetTop - (scroller as HTMLElement).offsetTop;
    scroller.scrollTop = Math.max(0, top - scroller.clientHeight / 3);
    if (bringIntoView) {
      const rect = mark.getBoundingClientRect();
      if (rect.top < 0 || rect.bottom > window.innerHeight)
        mark.scrollIntoView({ block: "center" });
    }
  }, [box, text, offset, length, bringIntoView]);
  if (offset === undefined || length === undefined || offset < 0 || offset + length > text.length) {
    return (
      <pre class="source-text" id={id} ref={setBox}>
        {text}
      </pre>
    );
  }
  return (
    <pre class="source-text" id={id} ref={setBox}>
      {text.slice(0, offset)}
      <mark>{text.slice(offset, offset + length)}</mark>
      {text.slice(offset + length)}
    </pre>
  );
}

// Loading -----------------------------------------------------------------------------------------

export type Loaded<T> =
  | { state: "loading" }
  | { state: "done"; value: T }
  | { state: "failed"; message: string; error?: ApiError };

/**
 * Run `load` whenever `deps` change; a late answer for old deps is dropped. A result is only
 * returned for the deps it was loaded for: in the render right after the deps change (before the
 * effect below has run) the answer is "loading", not the previous entity's value — an effect that
 * compared the old value with the new deps would otherwise act on a mismatch that is not one (the
 * entity page's canonical-URL redirect sent every in-app link back to the page it came from).
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [result, setResult] = useState<{ deps: unknown[]; loaded: Loaded<T> }>({
    deps,
    loaded: { state: "loading" },
  });
  useEffect(() => {
    let current = true;
    setResult({ deps, loaded: { state: "loading" } });
    load().then(
      (value) => current && setResult({ deps, loaded: { state: "done", value } }),
      (error: unknown) =>
        current &&
        setResult({
          deps,
          loaded:
            error instanceof ApiError
              ? { state: "failed", message: error.message, error }
              : { state: "failed", message: `Unexpected error: ${String(error)}` },
        }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  const same =
    result.deps.length === deps.length && result.deps.every((dep, i) => Object.is(dep, deps[i]));
  return same ? result.loaded : { state: "loading" };
}

/**
 * A view's loading and failure states. `explain` turns a refusal of the view's own input (a date in
 * its URL) into words for a reader; the API's own text is then kept as a detail.
 */
export function Status({
  loaded,
  children,
  explain,
}: {
  loaded: Loaded<unknown>;
  children?: ComponentChildren;
  explain?: (error: ApiError) => ComponentChildren | null;
}) {
  if (loaded.state === "loading") {
    return (
      <p class="status" role="status">
        Loading…
      </p>
    );
  }
  if (loaded.state === "failed") {
    const plain =
      loaded.error && loaded.error.code === "BAD_USER_INPUT"
        ? (explain?.(loaded.error) ?? null)
        : null;
    if (plain) {
      return (
        <div class="status error" role="alert">
          <p>{plain}</p>
          <details>
            <summary>What the server said</summary>
            <p>{loaded.message}</p>
          </details>
        </div>
      );
    }
    return (
      <p class="status error" role="alert">
        Could not load this view: {loaded.message}
      </p>
    );
  }
  return <>{children}</>;
}

/** Sets the document title and, after an in-app navigation, moves focus to the view's heading. */
export function useTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} · Kazakhstan–OSCE explorer` : "Kazakhstan–OSCE explorer";
  }, [title]);
}

/** The view's main heading; after an in-app navigation it takes the keyboard focus. */
export function Heading({
  children,
  focusKey,
  id,
}: {
  children: ComponentChildren;
  focusKey?: string;
  id?: string;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  const key = focusKey ?? (typeof children === "string" ? children : null);
  useEffect(() => {
    if (navigatedInApp()) ref.current?.focus({ preventScroll: true });
  }, [key]);
  return (
    <h1 ref={ref} tabIndex={-1} id={id}>
      {children}
    </h1>
  );
}
