/** Search results: the API's search, which tolerates typos and knows the source's own spellings. */
import { request } from "../api.js";
import { EntityLink, Heading, Status, useLoad, useTitle } from "../components.js";
import { SearchDocument } from "../documents.js";
import { words } from "../model.js";

export function SearchView({ query }: { query: string }) {
  useTitle(query ? `Search: ${query}` : "Search");
  const loaded = useLoad(
    () => (query.trim() ? request(SearchDocument, { query: query.trim().slice(0, 200) }) : Promise.resolve(null)),
    [query],
  );
  return (
    <>
      <Heading focusKey={query}>Search results</Heading>
      {!query.trim() ? (
        <p>Type a name in the search box above: a person, an office, a place, an event…</p>
      ) : (
        <Status loaded={loaded}>
          {loaded.state === "done" && loaded.value ? (
            <>
              <p role="status" class="result-count">
                {loaded.value.search.totalCount === 0
                  ? `Nothing matches “${query}”.`
                  : `${loaded.value.search.totalCount} ${loaded.value.search.totalCount === 1 ? "entity matches" : "entities match"} “${query}”` +
                    (loaded.value.search.totalCount > loaded.value.search.nodes.length ? `; the best ${loaded.value.search.nodes.length} are shown.` : ".")}
              </p>
              <ol class="results">
                {loaded.value.search.nodes.map((hit) => (
                  <li key={hit.entity.key}>
                    <EntityLink entity={hit.entity} badge />
                    {hit.matchedName !== hit.entity.label ? (
                      <span class="matched">
                        {" "}
                        matched “{hit.matchedName}” ({words(hit.matchedNameKind).toLowerCase()})
                      </span>
                    ) : null}
                  </li>
                ))}
              </ol>
            </>
          ) : null}
        </Status>
      )}
    </>
  );
}
