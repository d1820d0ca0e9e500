/** The explorer's frame: header with the search box, the view of the current URL, footer. */

import { Heading, useTitle } from "./components.js";
import { officesUrl, parseRoute, type Route, timelineUrl, useLocation } from "./router.js";
import { SearchBox } from "./searchbox.js";
import { EntityView } from "./views/entity.js";
import { GraphView } from "./views/graph.js";
import { HomeView } from "./views/home.js";
import { OfficesView } from "./views/offices.js";
import { SearchView } from "./views/search.js";
import { TimelineView } from "./views/timeline.js";

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
      return <SearchView query={route.query} kind={route.kind} />;
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

function NotFound({ path }: { path: string }) {
  useTitle("Not found");
  return (
    <>
      <Heading>Nothing here</Heading>
      <p>
        The explorer has no page at <code>{path}</code>. The link may be mistyped or out of date.
      </p>
      <ul>
        <li>
          <a href="/">Start from the home page</a>: every entity by kind
        </li>
        <li>
          Search by name with the box above, or see the <a href={timelineUrl()}>timeline</a> or{" "}
          <a href={officesUrl()}>who headed which office</a>
        </li>
      </ul>
    </>
  );
}
