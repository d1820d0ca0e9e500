/**
 * The HTTP application: GraphQL Yoga at /graphql (with GraphiQL, served from the package, no CDN)
 * and a plain /health endpoint, over one loaded graph; request bodies are limited here, before
 * Yoga sees them, and queries by the plugins of limits.ts.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { createYoga } from "graphql-yoga";
import type { KnowledgeGraph } from "../graph/graph.js";
import { SearchIndex } from "../graph/search.js";
import { schema, type Context } from "../schema/index.js";
import { DEFAULT_CONFIG, type Config } from "./config.js";
import { exampleTabs } from "./examples.js";
import { requestPlugins } from "./requests.js";
import { bufferedBody, readBody, sendError } from "./body.js";
import { clearerValidationErrors, hideSuggestionsPlugin, limitPlugins, noIntrospectionPlugin } from "./limits.js";

export interface Served {
  graph: KnowledgeGraph;
  search: SearchIndex;
}

/** What createApp takes from the configuration (anything left out has its default). */
export type AppOptions = Partial<Pick<Config, "limits" | "maxBatch" | "maxBodyBytes" | "introspection" | "graphiql" | "exposeErrors">>;

export function createApp(graph: KnowledgeGraph, options: AppOptions = {}) {
  const settings = { ...DEFAULT_CONFIG, ...options };
  const served: Served = { graph, search: SearchIndex.build(graph) };
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    landingPage: false,
    renderGraphiQL,
    graphiql: settings.graphiql && {
      title: "kz-osce-graph: Kazakhstan and the OSCE",
      defaultTabs: exampleTabs,
    },
    // unexpected errors become "Unexpected error." (code INTERNAL_SERVER_ERROR); errors the schema
    // raises on purpose (GraphQLError: BAD_USER_INPUT, NOT_FOUND, ...) keep their message
    maskedErrors: { isDev: settings.exposeErrors },
    batching: settings.maxBatch > 0 ? { limit: settings.maxBatch } : false,
    // the body is limited (and read) by the HTTP handler below: Yoga's own limit pipes every body
    // through a stream, which costs throughput (see README, "Limits")
    maxRequestBodySize: false,
    plugins: [
      ...limitPlugins(settings.limits),
      clearerValidationErrors(),
      ...requestPlugins(),
      ...(settings.introspection ? [] : [noIntrospectionPlugin(), hideSuggestionsPlugin()]),
    ],
    // a fresh context per request: Pothos keys its DataLoaders on it, so caches never outlive a request
    context: () => ({ graph: served.graph, search: served.search }),
  });

  const server = createServer((req, res) => {
    const path = pathOf(req.url);
    if (path === "/health") {
      const body = JSON.stringify({ status: "ok", entities: Object.values(served.graph.keys).reduce((n, k) => n + k.length, 0) });
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(body);
      return;
    }
    if (path === "/graphql") {
      void handleGraphQL(req, res);
      return;
    }
    sendError(res, 404, "NOT_FOUND", `Nothing at ${JSON.stringify(path.slice(0, 200))}: the GraphQL endpoint is /graphql (and /health tells whether the server is up).`, true);
  });
  // requests Node cannot even parse (a header or URL over its size limit, a malformed request
  // line, a bad Content-Length) get a JSON answer too, instead of a bare status line
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, message] =
      error.code === "HPE_HEADER_OVERFLOW"
        ? [431, "The request's headers (or its URL) are larger than the server accepts (16 KB): send a shorter URL, or POST the query as JSON."]
        : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? [408, "The request took too long to arrive."]
          : [400, `The HTTP request is malformed: ${(error as { reason?: string }).reason ?? "Node's HTTP parser refused it"} (${error.code ?? "unparsable"}).`];
    const body = JSON.stringify({ errors: [{ message, extensions: { code: "BAD_REQUEST" } }] });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") {
      const body = await readBody(req, settings.maxBodyBytes);
      if (body.ok === false) {
        sendError(res, body.status, body.code, body.message);
        return;
      }
      // Yoga's node adapter takes a body already read from `req.body` (any async iterable)
      (req as IncomingMessage & { body?: unknown }).body = bufferedBody(body.buffer);
    }
    await yoga(req, res);
  }

  return { server, yoga, served };
}

/** The path of a request URL, without its query string. */
function pathOf(url: string | undefined): string {
  const end = url?.search(/[?#]/) ?? -1;
  return (end >= 0 ? url!.slice(0, end) : url) || "/";
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
