/**
 * History routing: every view has a plain URL that can be shared and reloaded. The server answers
 * these paths with index.html (see CLIENT_ROUTES in src/server/static.ts, which must list the same
 * prefixes).
 *
 *   /                                   home: search and browse
 *   /search?q=WORDS&kind=K              search results (`kind`: only entities of that kind)
 *   /entity/KIND/SLUG                   an entity's page (?source=KEY&at=OFFSET&length=N pins a quote)
 *   /entity/KIND/SLUG/graph             the entity's neighbourhood as a graph
 *   /timeline?from=Y&to=Y&kind=K&entity=KEY
 *                                       every dated fact on a time axis (each parameter optional;
 *                                       `kind` may repeat or list kinds separated by commas)
 *   /offices?asOf=DATE                  who headed which office: tenures on a time axis, marked
 *                                       certain or possible on DATE
 */
import { useEffect, useState } from "preact/hooks";
import { isKind, type Kind } from "./model.js";

export type Route =
  | { view: "home" }
  | { view: "search"; query: string; kind: Kind | null }
  | { view: "entity"; kind: Kind; key: string }
  | { view: "graph"; kind: Kind; key: string }
  | { view: "timeline"; filters: TimelineParams }
  | { view: "offices"; asOf: string }
  | { view: "not-found"; path: string };

export function parseRoute(pathname: string, search: string): Route {
  const params = new URLSearchParams(search);
  if (pathname === "/" || pathname === "/index.html") return { view: "home" };
  if (pathname === "/search") {
    const kind = (params.get("kind") ?? "").trim().toLowerCase();
    return { view: "search", query: params.get("q") ?? "", kind: isKind(kind) ? kind : null };
  }
  if (pathname === "/timeline") return { view: "timeline", filters: parseTimelineParams(params) };
  if (pathname === "/offices") return { view: "offices", asOf: (params.get("asOf") ?? "").trim() };
  // the kind in any case (`/entity/Person/Gyorgy-Szabo`); the API forgives the slug's case and accents
  const match = /^\/entity\/([a-z]+)\/([^/]+)(\/graph)?\/?$/i.exec(pathname);
  if (match && isKind(match[1]!.toLowerCase())) {
    let slug: string;
    try {
      slug = decodeURIComponent(match[2]!);
    } catch {
      return { view: "not-found", path: pathname };
    }
    const kind = match[1]!.toLowerCase() as Kind;
    return { view: match[3] ? "graph" : "entity", kind, key: `${kind}/${slug}` };
  }
  return { view: "not-found", path: pathname };
}

export function entityUrl(key: string): string {
  const slash = key.indexOf("/");
  return `/entity/${key.slice(0, slash)}/${encodeURIComponent(key.slice(slash + 1))}`;
}

/** A quote marked in its source, on the source's own page (`?source=KEY&at=OFFSET&length=N`). */
export function quoteUrl(quote: {
  source: { key: string };
  offset: number;
  quote: string;
}): string {
  const params = new URLSearchParams({
    source: quote.source.key,
    at: String(quote.offset),
    length: String(quote.quote.length),
  });
  return `${entityUrl(quote.source.key)}?${params}`;
}

export function graphUrl(key: string): string {
  return `${entityUrl(key)}/graph`;
}

export function searchUrl(query: string, kind: Kind | null = null): string {
  return `/search?${new URLSearchParams(kind ? { q: query, kind } : { q: query }).toString()}`;
}

/** The timeline's filters, as its URL gives them (`from`, `to`: EDTF dates; `kind`; `entity`: a key). */
export interface TimelineParams {
  from: string;
  to: string;
  kinds: string[];
  entity: string;
}

export function parseTimelineParams(params: URLSearchParams): TimelineParams {
  const kinds = params
    .getAll("kind")
    .flatMap((value) => value.split(","))
    .map((kind) => kind.trim().toUpperCase())
    .filter((kind, i, all) => kind && all.indexOf(kind) === i);
  return {
    from: (params.get("from") ?? "").trim(),
    to: (params.get("to") ?? "").trim(),
    kinds,
    entity: (params.get("entity") ?? "").trim(),
  };
}

export function timelineUrl(filters: Partial<TimelineParams> = {}): string {
  const params = new URLSearchParams();
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  for (const kind of filters.kinds ?? []) params.append("kind", kind);
  if (filters.entity) params.set("entity", filters.entity);
  const query = params.toString();
  return query ? `/timeline?${query}` : "/timeline";
}

export function officesUrl(asOf = ""): string {
  return asOf ? `/offices?${new URLSearchParams({ asOf }).toString()}` : "/offices";
}

type Listener = () => void;
const listeners = new Set<Listener>();
let lastNavigationWasInApp = false;

/** Whether the current view was reached inside the app (then focus moves to its heading). */
export function navigatedInApp(): boolean {
  return lastNavigationWasInApp;
}

// The explorer restores the scroll position itself on Back and Forward: the browser's own
// restoration runs before a view has loaded its data, when the page is still too short to scroll.
if (typeof history !== "undefined" && "scrollRestoration" in history)
  history.scrollRestoration = "manual";

interface EntryState {
  /** How far the page was scrolled when the reader left this entry. */
  scrollY?: number;
}

function entryState(): EntryState {
  return (history.state as EntryState | null) ?? {};
}

/** Record the current scroll position in the current history entry, for a later Back to it. */
function saveScroll(): void {
  history.replaceState({ ...entryState(), scrollY: window.scrollY }, "");
}

let restoring = 0;

/**
 * Scroll back to `y` once the view is tall enough (its data loaded), or after 3 s at the latest;
 * given up when the reader navigates again.
 */
function restoreScroll(y: number): void {
  const token = ++restoring;
  const started = performance.now();
  const attempt = () => {
    if (token !== restoring) return;
    const room = document.documentElement.scrollHeight - window.innerHeight;
    const loading = document.querySelector("main .status[role='status']");
    if ((room >= y && !loading) || performance.now() - started > 3000) {
      window.scrollTo(0, Math.min(y, Math.max(room, 0)));
      return;
    }
    requestAnimationFrame(attempt);
  };
  requestAnimationFrame(attempt);
}

export function navigate(url: string, options: { replace?: boolean } = {}): void {
  const target = new URL(url, location.href);
  if (target.href === location.href) return;
  restoring++;
  if (options.replace) history.replaceState(entryState(), "", target);
  else {
    saveScroll();
    history.pushState({}, "", target);
  }
  lastNavigationWasInApp = !options.replace;
  if (!options.replace) window.scrollTo(0, 0);
  for (const listener of listeners) listener();
}

/** Replace the query string of the current URL (a pinned quote, a search) without a new history entry. */
export function replaceSearchParams(params: Record<string, string | null>): void {
  const target = new URL(location.href);
  for (const [name, value] of Object.entries(params)) {
    if (value === null) target.searchParams.delete(name);
    else target.searchParams.set(name, value);
  }
  history.replaceState(entryState(), "", target);
  for (const listener of listeners) listener();
}

export function useLocation(): { pathname: string; search: string } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const update = () => setTick((n) => n + 1);
    const onPop = () => {
      lastNavigationWasInApp = true;
      update();
      restoreScroll(entryState().scrollY ?? 0);
    };
    listeners.add(update);
    window.addEventListener("popstate", onPop);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", onPop);
    };
  }, []);
  return { pathname: location.pathname, search: location.search };
}

/** Follow same-origin links inside the app without reloading the page. */
export function interceptLinks(root: HTMLElement): void {
  root.addEventListener("click", (event) => {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    const anchor = (event.target as Element | null)?.closest("a");
    if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin) return;
    // a link within the page (the skip link to #main): move the focus there, not to a new view
    if (url.hash && url.pathname === location.pathname && url.search === location.search) {
      const target = document.getElementById(decodeURIComponent(url.hash.slice(1)));
      if (!target) return;
      event.preventDefault();
      // a target inside a folded section is unfolded first
      for (
        let fold = target.closest("details");
        fold;
        fold = fold.parentElement?.closest("details") ?? null
      )
        fold.open = true;
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "start" });
      return;
    }
    if (parseRoute(url.pathname, url.search).view === "not-found") return; // e.g. /graphql: a real page
    event.preventDefault();
    navigate(url.href);
  });
}
