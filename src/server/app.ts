/**
 * The HTTP application: GraphQL Yoga at /graphql (with GraphiQL, served from the package, no CDN),
 * a plain /health endpoint, and the web explorer at `/` (static files from web/dist), over one
 * loaded graph.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { createYoga } from "graphql-yoga";
import type { KnowledgeGraph } from "../graph/graph.js";
import { SearchIndex } from "../graph/search.js";
import { schema, type Context } from "../schema/index.js";
import { exampleTabs } from "./examples.js";
import { serveExport } from "./export-routes.js";
import { createStaticHandler } from "./static.js";

export interface Served {
  graph: KnowledgeGraph;
  search: SearchIndex;
}

export interface AppOptions {
  /** The built web explorer to serve at `/`; default web/dist. */
  webDir?: string;
}

export function createApp(graph: KnowledgeGraph, options: AppOptions = {}) {
  const served: Served = { graph, search: SearchIndex.build(graph) };
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    landingPage: false,
    renderGraphiQL,
    graphiql: {
      title: "kz-osce-graph: Kazakhstan and the OSCE",
      defaultTabs: exampleTabs,
    },
    // a fresh context per request: Pothos keys its DataLoaders on it, so caches never outlive a request
    context: () => ({ graph: served.graph, search: served.search }),
  });

  const serveWeb = createStaticHandler(options.webDir);
  const server = createServer((req, res) => {
    if (req.url === "/health" || req.url?.startsWith("/health?")) {
      const body = JSON.stringify({ status: "ok", entities: Object.values(graph.keys).reduce((n, k) => n + k.length, 0) });
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(body);
      return;
    }
    // the whole graph as JSON-LD (/graph.jsonld) and N-Triples (/graph.nt)
    if (serveExport(req, res, served.graph)) return;
    // the explorer's pages and files; it takes only its own paths, never an endpoint's
    if (serveWeb(req, res)) return;
    void yoga(req, res);
  });
  return { server, yoga, served };
}

/** Listen and resolve with the actual address (port 0 picks a free port). */
export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolvePromise(server.address() as AddressInfo);
    });
  });
}
