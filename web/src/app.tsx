/** The explorer's frame: header with the search box, the view of the current URL, footer. */
import { useEffect, useState } from "preact/hooks";
import { navigate, officesUrl, parseRoute, searchUrl, timelineUrl, useLocation, type Route } from "./router.js";
import { EntityView } from "./views/entity.js";
import { GraphView } from "./views/graph.js";
import { HomeView } from "./views/home.js";
import { OfficesView } from "./views/offices.js";
import { SearchView } from "./views/search.js";
import { TimelineView } from "./views/timeline.js";
import { Heading, useTitle } from "./components.js";

export function App() {
  const { pathname, search } = useLocation();
  const route = parseRoute(pathname, search);
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="site-header">
        <a class="site-name" href="/">
          Kazakhstan–OSCE explorer
        </a>
        <nav class="site-nav" aria-label="Views">
          <a href={timelineUrl()} aria-current={route.view === "timeline" ? "page" : undefined}>
            Timeline
          </a>
          <a href={officesUrl()} aria-current={route.view === "offices" ? "page" : undefined}>
            Who headed which office
          </a>
        </nav>
        <SearchBox route={route} />
      </header>
      <main id="main" tabIndex={-1}>
        <RouteView route={route} />
      </main>
      <footer class="site-footer">
        Every fact is quoted from its source or marked editorial. Data through the public{" "}
        <a href="/graphql">GraphQL API</a> (GraphiQL).
      </footer>
    </>
  );
}

function RouteView({ route }: { route: Route }) {
  switch (route.view) {
    case "home":
      return <HomeView />;
    case "search":
      return <SearchView query={route.query} />;
    case "entity":
      return <EntityView kind={route.kind} entityKey={route.key} />;
    case "graph":
      return <GraphView kind={route.kind} entityKey={route.key} />;
    case "timeline":
      return <TimelineView filters={route.filters} />;
    case "offices":
      return <OfficesView asOf={route.asOf} />;
    case "not-found":
      return <NotFound path={route.path} />;
  }
}

function SearchBox({ route }: { route: Route }) {
  const current = route.view === "search" ? route.query : "";
  const [value, setValue] = useState(current);
  useEffect(() => setValue(current), [current]);
  return (
    <form
      class="search-form"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        const query = value.trim();
        if (query) navigate(searchUrl(query));
      }}
    >
      <label for="search-input">Search the graph</label>
      <div class="search-row">
        <input
          id="search-input"
          type="search"
          name="q"
          value={value}
          placeholder="a name, even misspelt: Sabo, nazarbaev, ODIHR"
          autocomplete="off"
          spellcheck={false}
          maxLength={200}
          onInput={(event) => setValue((event.target as HTMLInputElement).value)}
        />
        <button type="submit">Search</button>
      </div>
    </form>
  );
}

function NotFound({ path }: { path: string }) {
  useTitle("Not found");
  return (
    <>
      <Heading>Nothing here</Heading>
      <p>
        The explorer has no view at <code>{path}</code>. Try the search box, or start from the <a href="/">home page</a>.
      </p>
    </>
  );
}
