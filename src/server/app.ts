/**
 * The HTTP application over one loaded graph:
 * - /graphql: GraphQL Yoga (and GraphiQL, served from the package, no CDN), with the request
 *   body read and limited here before Yoga sees it, and queries limited by limits.ts;
 * - /health (the process is up), /ready (a graph is loaded and the server is not shutting down),
 *   /metrics (Prometheus);
 * - /graph.jsonld and /graph.nt: the whole graph as RDF (export-routes.ts);
 * - the web explorer at `/` and its client routes (static files from web/dist, static.ts);
 * - a JSON log line per request, with its request id (also sent back as `x-request-id`);
 * - `swap(graph)` to serve another graph atomically, `shutdown()` to stop gracefully.
 */
import { randomUUID } from "node:crypto";
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Server as NetServer, type AddressInfo } from "node:net";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import type { GraphQLError } from "graphql";
import { createYoga, type Plugin } from "graphql-yoga";
import type { KnowledgeGraph } from "../graph/graph.js";
import { SearchIndex } from "../graph/search.js";
import { schema, subgraphSchema, type Context } from "../schema/index.js";
import { bufferedBody, readBody, sendError } from "./body.js";
import { DEFAULT_CONFIG, type Config } from "./config.js";
import { exampleTabs } from "./examples.js";
import { answerFast, handOverPlugin, operationNameOf } from "./fast-path.js";
import { serveExport } from "./export-routes.js";
import { clearerValidationErrors, hideSuggestionsPlugin, limitPlugins, noIntrospectionPlugin, withExecutionDeadline } from "./limits.js";
import { createLogger, requestContext, yogaLogger, type Logger, type LogSink } from "./log.js";
import { createMetrics, routeOf, type Metrics } from "./metrics.js";
import { requestPlugins } from "./requests.js";
import { DEFAULT_RESPONSE_CACHE, ResponseCache, type ResponseCacheOptions } from "./response-cache.js";
import { createStaticHandler } from "./static.js";
import { gatewayGuard } from "./subgraph.js";
import { validationPlugin } from "./validate.js";

/** One graph with its search index: what a request is answered from, from start to end. */
export interface Served {
  graph: KnowledgeGraph;
  search: SearchIndex;
  /** When this graph started being served. */
  loadedAt: Date;
}

/** What createApp takes from the configuration (anything left out has its default), and where to log. */
export type AppOptions = Partial<
  Pick<Config, "limits" | "maxBatch" | "maxBodyBytes" | "introspection" | "graphiql" | "exposeErrors" | "metrics" | "cors" | "logLevel" | "subgraph">
> & {
  /** Where log lines go (default: stdout). */
  logSink?: LogSink;
  /** The built web explorer to serve at `/`; default web/dist. */
  webDir?: string;
  /** The cache of whole answers (response-cache.ts); `false` turns it off. */
  responseCache?: ResponseCacheOptions | false;
};

/** A request id from a client is kept if it is this sane; otherwise a fresh one is made. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const entityCount = (graph: KnowledgeGraph) => Object.values(graph.keys).reduce((n, k) => n + k.length, 0);

export function createApp(graph: KnowledgeGraph, options: AppOptions = {}) {
  const settings = { ...DEFAULT_CONFIG, ...options };
  const logger = createLogger(settings.logLevel, options.logSink);
  const metrics = createMetrics();

  // The one reference every request reads, once, when its context is made: replacing it serves
  // a new graph, and a request that started on the old one finishes on the old one. Every index
  // is built before the graph is served, so that no request waits for one.
  graph.buildDeferredIndexes();
  const served: { current: Served } = { current: { graph, search: SearchIndex.build(graph), loadedAt: new Date() } };
  metrics.entities.set(entityCount(graph));

  /** The operation names of each request, for its log line. */
  const operations = new WeakMap<IncomingMessage, string[]>();
  // subgraph mode (subgraph.ts): the federation schema, and `_entities`/`_service` for the gateway only when it has a secret
  const guard = settings.subgraph?.gatewaySecret === undefined ? undefined : gatewayGuard(settings.subgraph.gatewaySecret);

  const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse }, Context>({
    schema: withExecutionDeadline(settings.subgraph ? subgraphSchema() : schema),
    graphqlEndpoint: "/graphql",
    landingPage: false,
    logging: yogaLogger(logger),
    renderGraphiQL,
    graphiql: settings.graphiql && {
      title: "kz-osce-graph: Kazakhstan and the OSCE",
      defaultTabs: exampleTabs,
    },
    cors:
      settings.cors === "none"
        ? false
        : { origin: settings.cors, credentials: false, methods: ["GET", "POST"], exposedHeaders: ["x-request-id"], maxAge: 600 },
    // unexpected errors become "Unexpected error." (code INTERNAL_SERVER_ERROR); errors the schema
    // raises on purpose (GraphQLError: BAD_USER_INPUT, NOT_FOUND, ...) keep their message
    maskedErrors: { isDev: settings.exposeErrors },
    batching: settings.maxBatch > 0 ? { limit: settings.maxBatch } : false,
    // the body is limited (and read) by the HTTP handler below: Yoga's own limit pipes every body
    // through a stream, which costs throughput (see README, "Limits")
    maxRequestBodySize: false,
    plugins: [
      ...(guard ? [guard.plugin] : []),
      ...limitPlugins(settings.limits),
      clearerValidationErrors(),
      ...requestPlugins(),
      ...(settings.introspection ? [] : [noIntrospectionPlugin(), hideSuggestionsPlugin()]),
      // graphql-js's validation with the rules' visitors merged cheaply (validate.ts)
      validationPlugin({ hideSuggestions: !settings.introspection }),
      observe(operations, metrics),
      // answers with errors that the fast path has already executed (fast-path.ts)
      handOverPlugin(),
    ],
    // a fresh context per request: Pothos keys its DataLoaders on it, so caches never outlive a request
    context: () => {
      const { graph: current, search } = served.current;
      return { graph: current, search };
    },
  });

  const serveWeb = createStaticHandler(options.webDir);
  const cache = options.responseCache === false ? undefined : new ResponseCache(options.responseCache ?? DEFAULT_RESPONSE_CACHE);
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  const whenIdle: (() => void)[] = [];

  const server = createServer((req, res) => {
    const started = performance.now();
    const header = req.headers["x-request-id"];
    const requestId = typeof header === "string" && SANE_REQUEST_ID.test(header) ? header : randomUUID();
    res.setHeader("x-request-id", requestId);
    // while shutting down, no connection is kept for another request
    if (draining) res.setHeader("connection", "close");
    inFlight.add(res);
    metrics.inFlight.inc();
    const path = pathOf(req.url);
    res.once("close", () => {
      inFlight.delete(res);
      metrics.inFlight.dec();
      const seconds = (performance.now() - started) / 1000;
      const labels = { route: routeOf(path), method: req.method ?? "", status: String(res.statusCode) };
      metrics.requests.inc(labels);
      metrics.duration.observe(labels, seconds);
      const names = operations.get(req);
      logger.info("request", {
        requestId,
        method: req.method,
        path: path.length > 200 ? `${path.slice(0, 200)}...` : path,
        status: res.statusCode,
        durationMs: Math.round(seconds * 1e6) / 1000,
        ...(names ? { operationName: names.join(",") } : {}),
        ...(res.writableFinished ? {} : { aborted: true }),
      });
      if (inFlight.size === 0) for (const resolve of whenIdle.splice(0)) resolve();
    });
    requestContext.run({ requestId }, () => route(path, req, res));
  });

  function route(path: string, req: IncomingMessage, res: ServerResponse): void {
    switch (path) {
      case "/graphql":
        void handleGraphQL(req, res);
        return;
      case "/health":
        sendJson(res, 200, { status: "ok", entities: entityCount(served.current.graph) });
        return;
      case "/ready": {
        const { graph: current, loadedAt } = served.current;
        if (draining) sendJson(res, 503, { status: "draining" });
        else sendJson(res, 200, { status: "ready", entities: entityCount(current), loadedAt: loadedAt.toISOString() });
        return;
      }
      case "/metrics":
        if (settings.metrics) {
          void metrics.registry.metrics().then((text) => {
            res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" }).end(text);
          });
          return;
        }
    }
    // the whole graph as JSON-LD (/graph.jsonld) and N-Triples (/graph.nt)
    if (serveExport(req, res, served.current.graph)) return;
    // the explorer's pages and files; it takes only its own paths, never an endpoint's
    if (serveWeb(req, res)) return;
    const endpoints = `/graphql (and /health, /ready${settings.metrics ? ", /metrics" : ""})`;
    sendError(res, 404, "NOT_FOUND", `Nothing at ${JSON.stringify(path.slice(0, 200))}: the GraphQL endpoint is ${endpoints}.`, true);
  }

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let buffer: Buffer | undefined;
    if (req.method !== "GET" && req.method !== "HEAD" && req.method !== "OPTIONS") {
      const body = await readBody(req, settings.maxBodyBytes);
      if (body.ok === false) {
        sendError(res, body.status, body.code, body.message);
        return;
      }
      // Yoga's node adapter takes a body already read from `req.body` (any async iterable)
      (req as IncomingMessage & { body?: unknown }).body = bufferedBody(body.buffer);
      buffer = body.buffer;
    }
    // the same request on the same graph gets the same answer: send it again without Yoga
    // (keyed on the graph object, so a reload never serves an answer from the old graph)
    const current = served.current.graph;
    let key = cache?.keyOf(req, buffer);
    // an answer to the gateway (`_entities`, `_service`) is never replayed to a request without its secret
    if (key !== undefined && guard?.fromGateway(req)) key += "\ngateway";
    if (cache && key !== undefined) {
      if (cache.serve(current, key, res)) return;
      cache.capture(current, key, res);
    }
    // a plain JSON query that succeeds is answered without Yoga's HTTP layer (fast-path.ts)
    if (buffer !== undefined && (await answerFast(yoga, req, res, buffer, (name) => operations.set(req, [name])))) return;
    await yoga(req, res);
  }

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

  return {
    server,
    yoga,
    served,
    cache,
    metrics,
    logger,

    /**
     * Serve `next` from now on. Its search index (and the indexes the graph builds on first use)
     * are built first; then one assignment replaces
     * the graph and index together, so no request ever sees the graph of one and the index of
     * the other, and requests already running finish on the graph they started with.
     */
    swap(next: KnowledgeGraph): void {
      next.buildDeferredIndexes();
      const search = SearchIndex.build(next);
      served.current = { graph: next, search, loadedAt: new Date() };
      metrics.entities.set(entityCount(next));
    },

    /**
     * Stop gracefully: /ready turns 503 and the server stops listening; requests in flight
     * finish, and every response from now on closes its connection. A keep-alive connection
     * left idle is closed only after a grace period (a second, or half the timeout): closing it
     * at once would reset a request its client may be sending on it at that very moment.
     * Resolves with whether everything finished within `timeoutMs`; what still runs then is cut off.
     */
    shutdown(timeoutMs: number): Promise<{ clean: boolean; inFlight: number }> {
      draining = true;
      const pending = inFlight.size;
      for (const res of inFlight) if (!res.headersSent) res.setHeader("connection", "close");
      return new Promise((resolve) => {
        let closed = false;
        let idle = inFlight.size === 0;
        let settled = false;
        const settle = (clean: boolean) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          clearTimeout(grace);
          resolve({ clean, inFlight: pending });
        };
        const check = () => {
          if (closed && idle) settle(true);
        };
        const timer = setTimeout(() => {
          server.closeAllConnections();
          settle(false);
        }, timeoutMs);
        const grace = setTimeout(() => server.closeIdleConnections(), Math.min(1000, timeoutMs / 2));
        whenIdle.push(() => {
          idle = true;
          check();
        });
        // net.Server's close, not http.Server's: that one would also close idle connections now
        NetServer.prototype.close.call(server, () => {
          closed = true;
          check();
        });
        check();
      });
    },
  };
}

export type App = ReturnType<typeof createApp>;

/** Records each request's operation names (for its log line) and the codes of the errors it answers with. */
function observe(operations: WeakMap<IncomingMessage, string[]>, metrics: Metrics): Plugin<{ req: IncomingMessage }> {
  return {
    onParams({ params, context }) {
      const req = (context as { req?: IncomingMessage }).req;
      if (!req) return;
      const name = operationNameOf(params);
      if (!name) return;
      const list = operations.get(req);
      if (list) list.push(name);
      else operations.set(req, [name]);
    },
    onResultProcess({ result }) {
      const results = Array.isArray(result) ? result : [result];
      for (const one of results) {
        const errors = (one as { errors?: readonly GraphQLError[] }).errors;
        for (const error of errors ?? []) metrics.graphqlErrors.inc({ code: String(error.extensions?.code ?? "none") });
      }
    },
  };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(value));
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
