/**
 * The search box in the header, with suggestions while typing: the ARIA 1.2 combobox pattern (an
 * input that owns a listbox; the highlighted option is `aria-activedescendant`, the focus stays in
 * the input). Arrow keys move through the suggestions, Enter opens the highlighted one (or the full
 * results when none is), Escape closes the list (a second Escape clears the box). The text goes to
 * the API as typed; the API does the matching (typos, other spellings, transliteration).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { request } from "./api.js";
import { KindBadge } from "./components.js";
import { SuggestDocument } from "./documents.js";
import type { HitFragment } from "./gql/graphql.js";
import { hitSummary } from "./model.js";
import { entityUrl, navigate, type Route, searchUrl } from "./router.js";

/** How long typing must pause before suggestions are asked for. */
export const SUGGEST_DELAY_MS = 180;

type Suggestions = { query: string; total: number; hits: HitFragment[] } | null;

export function SearchBox({ route }: { route: Route }) {
  const current = route.view === "search" ? route.query : "";
  const [value, setValue] = useState(current);
  const [suggestions, setSuggestions] = useState<Suggestions>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [failed, setFailed] = useState(false);
  const latest = useRef("");
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => setValue(current), [current]);
  // a new view closes the list
  useEffect(() => {
    setOpen(false);
    setActive(-1);
  }, [route]);

  // debounced: only the text typing paused on is sent; a late answer for older text is dropped
  useEffect(() => {
    const query = value.trim().slice(0, 200);
    latest.current = query;
    if (!query) {
      setSuggestions(null);
      return;
    }
    const timer = setTimeout(() => {
      request(SuggestDocument, { query }).then(
        (data) => {
          if (latest.current !== query) return;
          setFailed(false);
          setSuggestions({ query, total: data.search.totalCount, hits: data.search.nodes });
          setActive(-1);
        },
        () => latest.current === query && setFailed(true),
      );
    }, SUGGEST_DELAY_MS);
    return () => clearTimeout(timer);
  }, [value]);

  const hits =
    suggestions && suggestions.query === value.trim().slice(0, 200) ? suggestions.hits : [];
  // the options: each hit, then "all results" when there are more than shown
  const more = suggestions && suggestions.total > hits.length ? suggestions.total : 0;
  const count = hits.length + (hits.length && more ? 1 : 0);
  const expanded =
    open &&
    value.trim() !== "" &&
    (count > 0 || (suggestions?.total === 0 && suggestions.query === value.trim()));
  const optionId = (i: number) => `suggestion-${i}`;

  const choose = (i: number) => {
    setOpen(false);
    if (i >= 0 && i < hits.length) navigate(entityUrl(hits[i]!.entity.key));
    else if (value.trim()) navigate(searchUrl(value.trim()));
  };

  return (
    <form
      class="search-form"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        choose(expanded ? active : -1);
      }}
    >
      <label for="search-input">Search the graph</label>
      <div class="search-row" ref={box}>
        {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: its role, combobox (spread below, out of the linter's sight), supports aria-expanded */}
        <input
          id="search-input"
          type="search"
          name="q"
          // preact's types only allow role="combobox" on an input with a `list` (a datalist); the ARIA pattern needs none
          {...({ role: "combobox" } as Record<string, string>)}
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls="search-suggestions"
          aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
          aria-describedby="search-hint"
          value={value}
          placeholder="a name, even misspelt: Sabo, nazarbaev, ODIHR"
          autocomplete="off"
          spellcheck={false}
          maxLength={200}
          onInput={(event) => {
            setValue((event.target as HTMLInputElement).value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={(event) => {
            // a click on an option keeps the list (mousedown is prevented there); leaving the box closes it
            if (!box.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
          }}
          onKeyDown={(event) => {
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
              if (!count) return;
              event.preventDefault();
              setOpen(true);
              const step = event.key === "ArrowDown" ? 1 : -1;
              // from the box down to the first, up from the first back to the box (-1)
              setActive((a) =>
                !expanded
                  ? step > 0
                    ? 0
                    : count - 1
                  : ((a + 1 + step + count + 1) % (count + 1)) - 1,
              );
            } else if (event.key === "Escape") {
              if (expanded) {
                event.preventDefault();
                setOpen(false);
                setActive(-1);
              } else if (value) {
                event.preventDefault();
                setValue("");
              }
            } else if (event.key === "Home" || event.key === "End") {
              setActive(-1);
            }
          }}
        />
        <button type="submit">Search</button>
        <span id="search-hint" class="visually-hidden">
          Suggestions appear while you type: arrow keys to choose, Enter to open, Escape to close.
        </span>
        <ul
          id="search-suggestions"
          role="listbox"
          aria-label="Suggestions"
          class="suggestions"
          hidden={!expanded}
        >
          {expanded && hits.length === 0 ? (
            <li class="suggestion-empty" role="option" aria-disabled="true" aria-selected="false">
              No match for “{value.trim()}”
            </li>
          ) : null}
          {expanded
            ? hits.map((hit, i) => {
                const summary = hitSummary(hit.entity);
                return (
                  <li
                    key={hit.entity.key}
                    id={optionId(i)}
                    role="option"
                    aria-selected={i === active}
                    class={i === active ? "suggestion active" : "suggestion"}
                    onMouseDown={(e) => e.preventDefault()}
                    onMouseEnter={() => setActive(i)}
                    onClick={() => choose(i)}
                  >
                    <span class="suggestion-name">
                      {hit.entity.label} <KindBadge entityKey={hit.entity.key} />
                    </span>
                    {summary.description || summary.dates ? (
                      <span class="suggestion-line">
                        {summary.description}
                        {summary.description && summary.dates ? " · " : ""}
                        {summary.dates ? (
                          <span class="suggestion-dates">{summary.dates}</span>
                        ) : null}
                      </span>
                    ) : null}
                    {hit.matchedName !== hit.entity.label ? (
                      <span class="suggestion-line matched">matched “{hit.matchedName}”</span>
                    ) : null}
                  </li>
                );
              })
            : null}
          {expanded && more && hits.length ? (
            <li
              id={optionId(hits.length)}
              role="option"
              aria-selected={active === hits.length}
              class={active === hits.length ? "suggestion all active" : "suggestion all"}
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => setActive(hits.length)}
              onClick={() => choose(hits.length)}
            >
              All {more} results for “{value.trim()}”
            </li>
          ) : null}
        </ul>
        <span class="visually-hidden" aria-live="polite">
          {failed
            ? "Suggestions could not be loaded."
            : expanded
              ? `${hits.length || "No"} suggestion${hits.length === 1 ? "" : "s"}.`
              : ""}
        </span>
      </div>
    </form>
  );
}
