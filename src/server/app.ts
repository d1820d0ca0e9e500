/**
 * The HTTP application over one loaded graph:
 * - /graphql: GraphQL Yoga (and GraphiQL, served from the package, no CDN), with the request
 *   body read and limited here before Yoga sees it, and queries limited by limits.ts;
 * - /health (the process is up), /ready (a graph is loaded and the server is neither shutting
 *   down nor overloaded), /metrics (Prometheus); other methods than GET and HEAD get 405;
 * - connections bounded in time and number (connections.ts), and new requests refused with 503
 *   while the event loop lags (pressure.ts);
 * - /graph.jsonld and /graph.nt: the whole graph as RDF (export-routes.ts);
 * - the web explorer at `/` and its client routes (static files from web/dist, static.ts);
 * - a JSON log line per request, with its request id (also sent back as `x-request-id`);
 * - `swap(graph)` to serve another graph atomically, `shutdown()` to stop gracefully, without
 *   resetting any connection the server has accepted.
 */
import { randomUUID } from "node:crypto";
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import type { GraphQLError } from "graphql";
import { createYoga, type Plugin } from "graphql-yoga";
import type { KnowledgeGraph } from "../graph/graph.js";
import { SearchIndex } from "../graph/search.js";
import { prebuiltSearchIndex } from "../graph/snapshot/snapshot.js";
import { schema, subgraphSchema, type Context } from "../schema/index.js";
import { bufferedBody, readBody, sendError } from "./body.js";
import { DEFAULT_CONFIG, type Config } from "./config.js";
import { Connections, type DrainResult } from "./connections.js";
import { corsHeaders, yogaCors } from "./cors.js";
import { exampleTabs } from "./examples.js";
import { answerFast, handOverPlugin, operationNameOf } from "./fast-path.js";
import { EXPORTS, serveExport } from "./export-routes.js";
import { clearerValidationErrors, hideSuggestionsPlugin, limitPlugins, noIntrospectionPlugin, withExecutionDeadline } from "./limits.js";
import { createLogger, requestContext, yogaLogger, type LogSink } from "./log.js";
import { createMetrics, routeOf, type Metrics } from "./metrics.js";
import { PressureMonitor } from "./pressure.js";
import { requestPlugins } from "./requests.js";
import { DEFAULT_RESPONSE_CACHE, ResponseCache, type ResponseCacheOptions } from "./response-cache.js";
import { answerNotModified, etagOf, finishAnswer } from "./http-cache.js";
import { negotiateCoding } from "./compression.js";
import { createStaticHandler } from "./static.js";
import { loadTrustedDocuments, trustedDocumentsPlugin } from "./trusted-documents.js";
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
  Pick<
    Config,
    | "limits"
    | "maxBatch"
    | "maxBodyBytes"
    | "introspection"
    | "graphiql"
    | "exposeErrors"
    | "metrics"
    | "cors"
    | "logLevel"
    | "headersTimeoutMs"
    | "requestTimeoutMs"
    | "keepAliveTimeoutMs"
    | "maxConnections"
    | "maxEventLoopDelayMs"
    | "subgraph"
    | "cacheMaxAgeSeconds"
    | "cacheStaleWhileRevalidateSeconds"
    | "compression"
    | "compressMinBytes"
    | "trustedDocumentsOnly"
  >
> & {
  /** How often the event loop's delay is sampled for load shedding, in ms (default 500). */
  pressureSampleIntervalMs?: number;
  /** Where log lines go (default: stdout). */
  logSink?: LogSink;
  /** The built web explorer to serve at `/`; default web/dist. */
  webDir?: string;
  /** Where /metrics comes from (default: this process's registry); a cluster worker asks the primary for every worker's (cluster.ts). */
  metricsSource?: () => Promise<{ text: string; contentType: string }>;
  /** This process's worker number when it is one of several (cluster.ts), shown in /health. */
  worker?: number;
  /** The trusted documents accepted as `documentId` (default: the web explorer's, trusted-documents.ts). */
  trustedDocuments?: ReadonlyMap<string, string>;
  /** The cache of whole answers (response-cache.ts); `false` turns it off. */
  responseCache?: ResponseCacheOptions | false;
};

/** The state of the dataset's watcher (reload.ts), shown by /ready when the server watches. */
export interface WatchStatus {
  /** ok: watching; waiting: the directory is gone, and is watched for until it is back; failed: no longer watching. */
  state: "ok" | "waiting" | "failed";
  /** What went wrong, for waiting and failed. */
  reason?: string;
}

/** The endpoints of the server itself: they answer GET and HEAD only. */
const OWN_ENDPOINTS = new Set(["/health", "/ready", "/metrics"]);

/** A request id from a client is kept if it is this sane; otherwise a fresh one is made. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const entityCount = (graph: KnowledgeGraph) => Object.values(graph.keys).reduce((n, k) => n + k.length, 0);

export function createApp(graph: KnowledgeGraph, options: AppOptions = {}) {
  const settings = { ...DEFAULT_CONFIG, ...options };
  const logger = createLogger(settings.logLevel, options.logSink);
  const metrics = createMetrics();
  metrics.watchUp.set(1);

  // The one reference every request reads, once, when its context is made: replacing it serves
  // a new graph, and a request that started on the old one finishes on the old one. Every index
  // is built before the graph is served, so that no request waits for one.
  graph.buildDeferredIndexes();
  void graph.contentHash;
  // a graph from a snapshot (or loaded to write one) comes with its search index (src/graph/snapshot)
  const served: { current: Served } = { current: { graph, search: prebuiltSearchIndex(graph) ?? SearchIndex.build(graph), loadedAt: new Date() } };
  metrics.entities.set(entityCount(graph));

  /** The operation names of each request, for its log line. */
  const operations = new WeakMap<IncomingMessage, string[]>();
  // subgraph mode (subgraph.ts): the federation schema, and `_entities`/`_service` for the gateway only when it has a secret
  const guard = settings.subgraph?.gatewaySecret === undefined ? undefined : gatewayGuard(settings.subgraph.gatewaySecret);

  // the explorer's trusted documents; required only when they are all the server answers
  const trustedDocuments = options.trustedDocuments ?? loadTrustedDocuments(undefined, { optional: !settings.trustedDocumentsOnly });
  if (trustedDocuments.size === 0) logger.warn("no trusted documents (web/src/gql/persisted-documents.json is missing): documentId requests will be refused; run `npm run codegen`");
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
    // the same CORS headers go on the answers sent before Yoga (cors.ts)
    cors: yogaCors(settings.cors),
    // unexpected errors become "Unexpected error." (code INTERNAL_SERVER_ERROR); errors the schema
    // raises on purpose (GraphQLError: BAD_USER_INPUT, NOT_FOUND, ...) keep their message
    maskedErrors: { isDev: settings.exposeErrors },
    batching: settings.maxBatch > 0 ? { limit: settings.maxBatch } : false,
    // no uploads: multipart bodies are refused before Yoga (handleGraphQL), and never parsed
    multipart: false,
    // a trusted document's id (trusted-documents.ts), which Yoga's parameter check would refuse
    extraParamNames: ["documentId"],
    // the body is limited (and read) by the HTTP handler below: Yoga's own limit pipes every body
    // through a stream, which costs throughput (see docs/operations.md, "Limits")
    maxRequestBodySize: false,
    plugins: [
      // first: every plugin after it sees the trusted document's text in place of its id
      trustedDocumentsPlugin({ documents: trustedDocuments, only: settings.trustedDocumentsOnly }),
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

  // an entity page for a key the graph does not hold is answered 404 (still the explorer's page)
  const serveWeb = createStaticHandler(options.webDir, { entityExists: (key) => served.current.graph.entity(key) !== undefined });
  const cache = options.responseCache === false ? undefined : new ResponseCache(options.responseCache ?? DEFAULT_RESPONSE_CACHE);
  let draining = false;
  /** Set once the listener is closed while draining: from then on every response closes its connection. */
  let closing = false;
  let watch: WatchStatus | undefined;
  const inFlight = new Set<ServerResponse>();
  const pressure = new PressureMonitor(
    { maxEventLoopDelayMs: settings.maxEventLoopDelayMs, sampleIntervalMs: options.pressureSampleIntervalMs },
    (overloaded, delayMs) => {
      metrics.overloaded.set(overloaded ? 1 : 0);
      if (overloaded) logger.warn("overloaded: new requests get 503 until the event loop catches up", { eventLoopDelayMs: delayMs, limitMs: settings.maxEventLoopDelayMs });
      else logger.info("no longer overloaded", { eventLoopDelayMs: delayMs });
    },
  );

  const server = createServer((req, res) => {
    const started = performance.now();
    const header = req.headers["x-request-id"];
    const requestId = typeof header === "string" && SANE_REQUEST_ID.test(header) ? header : randomUUID();
    res.setHeader("x-request-id", requestId);
    // which graph answered (content-hash.ts): the same on every replica serving the same data
    res.setHeader("x-graph-version", served.current.graph.contentHash);
    // while shutting down, and on a connection beyond the cap, no connection is kept for another request
    if (closing || connections.isOverCap(req.socket as Socket)) res.setHeader("connection", "close");
    inFlight.add(res);
    metrics.inFlight.inc();
    const path = pathOf(req.url);
    res.once("close", () => {
      inFlight.delete(res);
      metrics.inFlight.dec();
      connections.responseEnded();
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
    });
    requestContext.run({ requestId }, () => route(path, req, res));
  });

  const connections = new Connections(
    server,
    {
      headersTimeoutMs: settings.headersTimeoutMs,
      requestTimeoutMs: settings.requestTimeoutMs,
      keepAliveTimeoutMs: settings.keepAliveTimeoutMs,
      maxConnections: settings.maxConnections,
    },
    {
      onDrop: () => metrics.connectionsDropped.inc(),
      onCountChange: (open) => metrics.openConnections.set(open),
    },
  );
  // after it listens, an error of the listening socket (accept failing for want of file
  // descriptors) is logged; unhandled, it would end the process
  server.once("listening", () => server.on("error", (error) => logger.error("the server could not accept a connection", { error })));

  /**
   * A 503 for a request the server will not take now, and why, with when to try again; with CORS
   * headers, so that a page in a browser can read it and wait instead of seeing a network error.
   */
  function refuse(req: IncomingMessage, res: ServerResponse, code: string, message: string, retryAfterSeconds: number, keepAlive: boolean): void {
    metrics.shed.inc({ reason: code });
    sendError(res, 503, code, message, { keepAlive, headers: { ...corsHeaders(settings.cors, req), "retry-after": String(retryAfterSeconds), "cache-control": "no-store" } });
  }

  function route(path: string, req: IncomingMessage, res: ServerResponse): void {
    // a connection accepted beyond the cap: told so, and closed (/health and /ready still answer)
    if (connections.isOverCap(req.socket as Socket) && path !== "/health" && path !== "/ready") {
      refuse(
        req,
        res,
        "TOO_MANY_CONNECTIONS",
        `The server has ${settings.maxConnections} connections open, as many as it serves at once: try again in a few seconds, on a new connection.`,
        5,
        false,
      );
      return;
    }
    const own = OWN_ENDPOINTS.has(path) && (path !== "/metrics" || settings.metrics);
    if (own && req.method !== "GET" && req.method !== "HEAD") {
      methodNotAllowed(res, path, req.method);
      return;
    }
    switch (path) {
      case "/graphql":
        if (pressure.overloaded) {
          shed(req, res);
          return;
        }
        void handleGraphQL(req, res);
        return;
      case "/health":
        sendJson(res, 200, {
          status: "ok",
          entities: entityCount(served.current.graph),
          graphVersion: served.current.graph.contentHash,
          ...(options.worker === undefined ? {} : { worker: options.worker, pid: process.pid }),
          overloaded: pressure.overloaded,
          eventLoopDelayMs: pressure.delayMs,
        });
        return;
      case "/ready": {
        const { graph: current, loadedAt } = served.current;
        const watching = watch && { watch: watch.state, ...(watch.reason ? { watchReason: watch.reason } : {}) };
        if (draining) sendJson(res, 503, { status: "draining" });
        else if (pressure.overloaded) sendJson(res, 503, { status: "overloaded", eventLoopDelayMs: pressure.delayMs, ...watching });
        else if (connections.isOverCap(req.socket as Socket)) sendJson(res, 503, { status: "overloaded", openConnections: connections.open.size, ...watching });
        else sendJson(res, 200, { status: "ready", entities: entityCount(current), graphVersion: current.contentHash, loadedAt: loadedAt.toISOString(), ...watching });
        return;
      }
      case "/metrics":
        if (settings.metrics) {
          const source = options.metricsSource ?? (async () => ({ text: await metrics.registry.metrics(), contentType: metrics.registry.contentType }));
          void source().then(
            ({ text, contentType }) => res.writeHead(200, { "content-type": contentType, "cache-control": "no-store", "content-length": Buffer.byteLength(text) }).end(text),
            (error: unknown) => {
              logger.error("metrics could not be collected", { error });
              sendError(res, 503, "METRICS_UNAVAILABLE", "The metrics could not be collected: try again.", { keepAlive: true, headers: { "cache-control": "no-store" } });
            },
          );
          return;
        }
    }
    // the whole graph as JSON-LD (/graph.jsonld) and N-Triples (/graph.nt)
    if (path in EXPORTS && pressure.overloaded) {
      shed(req, res);
      return;
    }
    if (serveExport(req, res, served.current.graph, settings)) return;
    // the explorer's pages and files; it takes only its own paths, never an endpoint's
    if (serveWeb(req, res)) return;
    const endpoints = `/graphql (and /health, /ready${settings.metrics ? ", /metrics" : ""})`;
    sendError(res, 404, "NOT_FOUND", `Nothing at ${JSON.stringify(path.slice(0, 200))}: the GraphQL endpoint is ${endpoints}.`, { keepAlive: true });
  }

  /** Refuse a request while the event loop lags (the body, if any, is left for Node to discard). */
  function shed(req: IncomingMessage, res: ServerResponse): void {
    refuse(
      req,
      res,
      "SERVER_OVERLOADED",
      `The server is overloaded: its event loop runs ${pressure.delayMs} ms late (the limit is ${settings.maxEventLoopDelayMs} ms). Try again in ${pressure.retryAfterSeconds} s.`,
      pressure.retryAfterSeconds,
      true,
    );
  }

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let buffer: Buffer | undefined;
    if (req.method !== "GET" && req.method !== "HEAD" && req.method !== "OPTIONS") {
      const body = await readBody(req, settings.maxBodyBytes);
      if (body.ok === false) {
        sendError(res, body.status, body.code, body.message, { headers: corsHeaders(settings.cors, req) });
        return;
      }
      // the API has no uploads: a multipart body is refused here, before Yoga's multipart
      // parser (which answers malformed parts with 500s) sees it; the body has been read whole,
      // so the connection is kept
      if (/^multipart\//i.test(req.headers["content-type"] ?? "")) {
        sendError(res, 415, "BAD_REQUEST", MULTIPART_REFUSED, { keepAlive: true, headers: corsHeaders(settings.cors, req) });
        return;
      }
      // Yoga's node adapter takes a body already read from `req.body` (any async iterable)
      (req as IncomingMessage & { body?: unknown }).body = bufferedBody(body.buffer);
      buffer = body.buffer;
    }
    // the same request on the same graph gets the same answer: send it again without Yoga
    // (keyed on the graph object, so a reload never serves an answer from the old graph)
    const current = served.current.graph;
    const etag = etagOf(current.contentHash, req, guard?.fromGateway(req) ? "gateway" : "");
    if (answerNotModified(req, res, etag, settings)) return;
    // the cache keeps answers as they were sent, compressed, with their caching headers: a hit is
    // sent as it is, so the coding it will be sent in is part of its key
    let key = cache?.keyOf(req, buffer, settings.compression ? negotiateCoding(req.headers["accept-encoding"]) : undefined);
    // an answer to the gateway (`_entities`, `_service`) is never replayed to a request without its secret
    if (key !== undefined && guard?.fromGateway(req)) key += "\ngateway";
    if (cache && key !== undefined && cache.serve(current, key, res)) return;
    // caching headers and compression, the same for every answer below (http-cache.ts)
    finishAnswer(req, res, etag, settings, cache && key !== undefined ? cache.capture(current, key, res) : undefined);
    // a plain JSON query that succeeds is answered without Yoga's HTTP layer (fast-path.ts); with
    // trusted documents only, every request goes through Yoga, whose plugin refuses query texts
    if (buffer !== undefined && !settings.trustedDocumentsOnly && (await answerFast(yoga, req, res, buffer, (name) => operations.set(req, [name])))) return;
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
          ? [
              408,
              `The request did not arrive in time: the server waits ${seconds(settings.headersTimeoutMs)} for a request's headers and ${seconds(settings.requestTimeoutMs)} for the whole request.`,
            ]
          : [400, `The HTTP request is malformed: ${(error as { reason?: string }).reason ?? "Node's HTTP parser refused it"} (${error.code ?? "unparsable"}).`];
    const body = JSON.stringify({ errors: [{ message, extensions: { code: "BAD_REQUEST" } }] });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
    // the client has a second to read the answer and close; one that keeps the connection open
    // (sending more, slowly) is cut off then: no timeout of Node's applies to it any more
    setTimeout(() => socket.destroy(), 1000).unref();
  });

  return {
    server,
    yoga,
    served,
    cache,
    metrics,
    logger,
    connections,
    pressure,

    /** The watcher's state, shown by /ready (reload.ts reports it). */
    setWatchStatus(status: WatchStatus | undefined): void {
      watch = status;
      metrics.watchUp.set(status === undefined ? 1 : status.state === "ok" ? 1 : 0);
    },

    /**
     * Serve `next` from now on. Its search index (and the indexes the graph builds on first use)
     * are built first; then one assignment replaces
     * the graph and index together, so no request ever sees the graph of one and the index of
     * the other, and requests already running finish on the graph they started with.
     */
    swap(next: KnowledgeGraph): void {
      next.buildDeferredIndexes();
      void next.contentHash;
      const search = prebuiltSearchIndex(next) ?? SearchIndex.build(next);
      served.current = { graph: next, search, loadedAt: new Date() };
      metrics.entities.set(entityCount(next));
    },

    /**
     * Stop gracefully: /ready turns 503, the connections the kernel has already accepted are
     * taken, and the server stops listening; every request received is answered, and every
     * response from then on closes its connection. A keep-alive connection left idle is closed
     * only after a grace period (a second, or half the timeout), and only once nothing it sent
     * is left unread (connections.ts): closing it at once would reset a request its client may
     * be sending on it at that very moment. Resolves with whether every connection closed
     * within `timeoutMs` with nothing cut off; what is still open then is cut off, and counted.
     */
    shutdown(timeoutMs: number): Promise<DrainResult> {
      draining = true;
      const closeConnections = () => {
        closing = true;
        for (const res of inFlight) if (!res.headersSent) res.setHeader("connection", "close");
      };
      const drained = connections.drain(timeoutMs, Math.min(1000, timeoutMs / 2), inFlight.size, closeConnections);
      void drained.then(() => pressure.close());
      return drained;
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

const MULTIPART_REFUSED =
  'Multipart requests are not accepted: this API has no file uploads. POST the request as application/json ({"query": "...", "variables": {...}}), application/graphql or application/x-www-form-urlencoded, or use GET.';

/** 405 for a method an endpoint does not answer, with the methods it does in `Allow`. */
function methodNotAllowed(res: ServerResponse, path: string, method: string | undefined): void {
  sendError(res, 405, "METHOD_NOT_ALLOWED", `${path} answers GET and HEAD only, not ${method}.`, { keepAlive: true, headers: { allow: "GET, HEAD" } });
}

/** A duration in ms, as a client reads it ("10 s", "250 ms"). */
function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(text) }).end(text);
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
