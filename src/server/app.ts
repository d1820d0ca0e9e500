/**
 * The HTTP application over one loaded graph, composed of named parts:
 * - admission (before anything): a connection beyond the cap, or a request while the event loop
 *   lags, gets 503 with Retry-After (connections.ts, pressure.ts);
 * - /graphql: GraphQL Yoga, where every request is interpreted; the shortcut (shortcut.ts) answers
 *   before it only what Yoga would answer the same way: cached answers, 304s, successful plain
 *   queries; a browser's GET or HEAD for a page there (and at /graphql/) gets GraphiQL, rendered
 *   off the main thread when first asked for and served compressed, with an ETag (graphiql.ts);
 * - /health, /ready, /metrics: Yoga plugins (endpoints.ts), as is the 404 for any other path;
 * - /graph.jsonld and /graph.nt: the whole graph as RDF (export-routes.ts);
 * - the web explorer at `/` and its client routes (static files from web/dist, static.ts);
 * - a JSON log line and metrics per request, with its request id (also sent back as `x-request-id`);
 * - `swap(graph)` to serve another graph atomically, `shutdown()` to stop gracefully, without
 *   resetting any connection the server has accepted.
 */

import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type DocumentNode, GraphQLError } from "graphql";
import { createYoga, maskError, type Plugin } from "graphql-yoga";
import type { KnowledgeGraph } from "../graph/graph.js";
import { shown } from "../graph/keys.js";
import { sliceScheduler } from "../graph/scheduler.js";
import { SearchIndex } from "../graph/search.js";
import { onUnreadable, prebuiltSearchIndex } from "../graph/snapshot/snapshot.js";
import { type Context, schema, subgraphSchema } from "../schema/index.js";
import { acceptByPreference } from "./accept.js";
import { answersPlugin, graphqlMethods } from "./answers.js";
import { answersCodeOf } from "./answers-code.js";
import {
  awaitContinue,
  cameAfterClose,
  closesConnection,
  declaresBody,
  discardsInPieces,
  errorJson,
  noteRequest,
  sendError,
  stopBodyEvents,
} from "./body.js";
import { BodyRates } from "./body-rate.js";
import { allClosed, requestEnded } from "./client-gone.js";
import { type Config, DEFAULT_CONFIG } from "./config.js";
import {
  answerMalformedRequests,
  Connections,
  type DrainResult,
  MAX_HEADER_FIELDS,
} from "./connections.js";
import { corsHeaders, corsPlugin } from "./cors.js";
import { directPipelineOf } from "./direct.js";
import {
  DocumentCache,
  documentWeight,
  NO_ERROR_CACHE,
  weighValidationResults,
} from "./document-cache.js";
import {
  useHealth,
  useMetricsEndpoint,
  useNotFound,
  useReadiness,
  YOGA_HEALTH_CHECK_OFF,
} from "./endpoints.js";
import { errorBytesPlugin } from "./error-bytes.js";
import { examples, exampleTabs } from "./examples.js";
import { createExports, EXPORT_METHODS, EXPORTS } from "./export-routes.js";
import { type GraphiQLPages, graphiqlPages } from "./graphiql.js";
import { type KernelQueues, procKernelQueues } from "./kernel-queues.js";
import {
  clearerValidationErrors,
  hideSuggestionsPlugin,
  limitPlugins,
  noIntrospectionPlugin,
} from "./limits.js";
import {
  createLogger,
  type Logger,
  type LogSink,
  SNAPSHOT_RETRY_AFTER_SECONDS,
  SNAPSHOT_UNREADABLE_MESSAGE,
  unreadableIn,
  useErrorRequestIds,
  useOperationNames,
  yogaLogger,
} from "./log.js";
import { createMetrics, type Metrics, methodOf, routeOf, useErrorCounts } from "./metrics.js";
import { PressureMonitor, type Shed } from "./pressure.js";
import { requestPlugins } from "./requests.js";
import {
  DEFAULT_RESPONSE_CACHE,
  ResponseCache,
  type ResponseCacheOptions,
} from "./response-cache.js";
import { cutOf, cutResponse } from "./server-cuts.js";
import { clientOf } from "./share-client.js";
import { createShortcut, type Yoga } from "./shortcut.js";
import { createStaticHandler } from "./static.js";
import { gatewayGuard } from "./subgraph.js";
import { loadTrustedDocuments, trustedDocumentsPlugin } from "./trusted-documents.js";
import { UnsentAnswers } from "./unsent.js";
import { validationPlugin } from "./validate.js";
import {
  type QueriesRun,
  type QueryWarming,
  type Warmed,
  type Warming,
  warmEntities,
  warmQueries,
} from "./warm.js";

/** One graph with its search index: what a request is answered from, from start to end. */
export interface Served {
  graph: KnowledgeGraph;
  search: SearchIndex;
  /** When this graph started being served. */
  loadedAt: Date;
  /** The content hash of the graph the app started with (Context.startVersion: old page cursors are read as of it). */
  startVersion: string;
}

/** The configuration createApp reads (anything left out has its default; start-up settings are ignored), and where to log. */
export type AppOptions = Partial<Config> & {
  /** How often the event loop's delay is sampled for load shedding, in ms (default 500). */
  pressureSampleIntervalMs?: number;
  /** Where log lines go (default: stdout). */
  logSink?: LogSink;
  /** The built web explorer to serve at `/`; default web/dist. */
  webDir?: string;
  /** Where /metrics comes from (default: this process's registry); a cluster worker asks the primary for every worker's (cluster.ts). */
  metricsSource?: () => Promise<{ text: string; contentType: string }>;
  /** This process's worker number when it is one of several (cluster.ts), shown in /health and /ready. */
  worker?: number;
  /** The trusted documents accepted as `documentId` (default: the web explorer's, trusted-documents.ts). */
  trustedDocuments?: ReadonlyMap<string, string>;
  /** The cache of whole answers (response-cache.ts); `false` turns it off. */
  responseCache?: ResponseCacheOptions | false;
  /** `false`: successful plain queries go through Yoga's HTTP layer too, not the shortcut's (shortcut.ts, point 4); for benchmarks. */
  fastAnswers?: boolean;
  /** The size of a slice of an RDF export's work (export-routes.ts): default 10 ms or 256 KiB; tests make slices small. */
  exportSlice?: { exportSliceMs?: number; exportSliceBytes?: number; exportStallMs?: number };
  /** How long unsent answers are spared and may stall, and how often they are looked at (unsent.ts): default 10 s, 60 s, 1 s; tests make them short. */
  unsent?: {
    graceMs?: number;
    stallMs?: number;
    intervalMs?: number;
    /** The window of the least response rate (default 60 s). */
    rateWindowMs?: number;
    /** Where the kernel's send queues are read (default /proc/net/tcp and tcp6; kernel-queues.ts); `false`: not read. */
    kernel?: KernelQueues | false;
  };
  /** How long a connection may stay open without a whole request's headers before a newcomer at the connection cap takes its place (connections.ts; default 1 s); tests of the cap itself make it long. */
  connectionEvictAfterMs?: number;
  /**
   * Loads the dataset again and serves it (a reload: reload.ts), when the snapshot the graph
   * served is read from fails a read (SnapshotUnreadable); main.ts gives it for a JSON dataset.
   * Resolves once done (its outcome logged by itself); a graph swapped in ends the fault.
   */
  recover?: (signal: AbortSignal) => Promise<unknown>;
  /** The wait before `recover` is tried again while the graph served is still the unreadable one: doubled after each attempt, from `firstMs` (default 1 s) to `maxMs` (60 s); tests make it short. */
  recoveryRetry?: { firstMs?: number; maxMs?: number };
  /** How long /ready may say "warming" after the app is made (WARMING_READY_BOUND_MS); tests make it short. */
  warmingReadyBoundMs?: number;
  /** What runs the example queries at start (default warm.ts `warmQueries`); tests hold it back. */
  queryWarmer?: typeof warmQueries;
};

/**
 * How long, at most, /ready says "warming" (503) after the app is made, while the warm-up of the
 * graph it started with (warm.ts: its entities, and the example queries) is under way. Until it
 * is over, every request competes with it (each slice of it holds the loop up to a slice's length,
 * and the entities it makes fill the young generation: scavenges of 100-200 ms at 100k entities),
 * so a replica just started answered the explorer's first 30 requests in 1.6-2.3 s, against
 * 0.24-0.31 s once it is over. At 100k entities it takes 1.6 s, at a million 2.0-2.3 s (the
 * persons left: too long to scan), with no request; it waits for requests, so that a server sent
 * requests all along (no balancer reading /ready) would say "warming" for as long as they come:
 * past this bound it says "ready" whatever is left.
 */
export const WARMING_READY_BOUND_MS = 30_000;

/** The state of the dataset's watcher (reload.ts), shown by /ready when the server watches. */
export interface WatchStatus {
  /**
   * ok: watching, the graph served the dataset on disk as of the last change; waiting: the
   * directory is gone (or its path leads to none), and is watched for until it is back; failed: no
   * longer watching, or the last reload failed (ran out of time, KZ_OSCE_RELOAD_TIMEOUT_MS; its
   * load failed; the code on disk changed) and none has been applied since; refused: the last
   * reload refused the dataset (invalid, or unreadable) and none has been applied since. In each
   * but ok the graph served is not the dataset on disk, and it keeps serving (/ready stays 200).
   */
  state: "ok" | "waiting" | "failed" | "refused";
  /** What went wrong, for all but ok. */
  reason?: string;
  /**
   * While a reload is under way, when it began: until it is applied the graph served is the one
   * before it, whatever `state` says of the last (red team 41: /ready said only "watch":"ok" for
   * the whole of a 51 s reload at 100k entities).
   */
  reloadingSince?: Date;
}

/** The status of a request whose client closed the connection before any of its answer: nginx's, "client closed request". */
const CLIENT_CLOSED_REQUEST = 499;

/** A request id from a client is kept if it is this sane; otherwise a fresh one is made. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type Settings = typeof DEFAULT_CONFIG & AppOptions;

/** GraphiQL's options: the title of its page, and the examples as its tabs. */
const GRAPHIQL_OPTIONS = {
  title: "kz-osce-graph: Kazakhstan and the OSCE",
  defaultTabs: exampleTabs,
};

/** The paths at which a browser gets GraphiQL: the endpoint's, with or without its slash (as Yoga). */
const GRAPHIQL_PATHS: readonly string[] = ["/graphql", "/graphql/"];

/** Whether Yoga would answer this request with GraphiQL's page: a GET (or HEAD) accepting text/html. */
function asksForGraphiQL(req: IncomingMessage, path: string): boolean {
  return (
    (req.method === "GET" || req.method === "HEAD") &&
    GRAPHIQL_PATHS.includes(path) &&
    (req.headers.accept ?? "").includes("text/html")
  );
}

const entityCount = (graph: KnowledgeGraph) =>
  Object.values(graph.keys).reduce((n, k) => n + k.length, 0);

/** A graph ready to serve: every index built first, so that no request waits for one (a graph from a snapshot comes with its search index). */
function serving(graph: KnowledgeGraph, startVersion = graph.contentHash): Served {
  graph.buildDeferredIndexes();
  void graph.contentHash;
  return {
    graph,
    search: prebuiltSearchIndex(graph) ?? SearchIndex.build(graph),
    loadedAt: new Date(),
    startVersion,
  };
}

export function createApp(graph: KnowledgeGraph, options: AppOptions = {}) {
  const settings: Settings = { ...DEFAULT_CONFIG, ...options };
  // the code's fingerprints, which ETags and cursors carry, read now (10-20 ms of files hashed),
  // not by the first request that needs them
  answersCodeOf();
  const logger = createLogger(settings.logLevel, options.logSink);
  // the process's scheduler of the loop's turns (src/graph/scheduler.ts), shared by every app of
  // the process with this slice, as they share the loop
  const scheduler = sliceScheduler(settings.limits.executionSliceMs);
  const metrics = createMetrics(scheduler);
  metrics.watchUp.set(1);
  // the one reference every request reads, once, when its context is made: replacing it serves
  // a new graph, and a request that started on the old one finishes on the old one
  const served: { current: Served } = { current: serving(graph) };
  metrics.entities.set(entityCount(graph));
  // the entities a request may read every one of, made in idle time (warm.ts): for each graph served
  const warm = (next: KnowledgeGraph): Warming | undefined => {
    if (!settings.warmEntities) return undefined;
    const warming = warmEntities(next, scheduler, settings.limits.maxCost);
    void warming.done.then((warmed) => {
      if (warmed.failed !== undefined)
        logger.warn("the entities made ahead of requests stopped at a read that failed", {
          ...warmed,
        });
      else if (warmed.kinds.length > 0 || warmed.indexes > 0)
        logger.info("entities made ahead of requests", { ...warmed });
    });
    return warming;
  };
  let warming = warm(graph);
  // /ready says "warming" while the warm-up of the graph served first is under way (not one of a
  // graph swapped in later: a reload comes to every replica at once, and none should leave the
  // balancer for it), within the bound
  const warmingBoundMs = options.warmingReadyBoundMs ?? WARMING_READY_BOUND_MS;
  const startWarming = { warming, since: new Date(), at: performance.now() };
  /** The example queries run once the server listens, the code of the request path warmed (warm.ts). */
  let queryWarming: QueryWarming | undefined;
  const warmingUp = () => {
    if (performance.now() - startWarming.at >= warmingBoundMs) return undefined;
    const queries = queryWarming?.progress();
    const entities = startWarming.warming === warming ? warming?.progress() : undefined;
    const entitiesLeft = entities !== undefined && !entities.over && entities.toMake > 0;
    const queriesLeft = queries !== undefined && !queries.over;
    if (!entitiesLeft && !queriesLeft) return undefined;
    return {
      ...(entitiesLeft ? { entitiesMade: entities.made, entitiesToMake: entities.toMake } : {}),
      ...(queriesLeft ? { queriesRun: queries.run, queriesToRun: queries.toRun } : {}),
    };
  };
  const state = {
    draining: false,
    /** the listener is closed: every response closes its connection */ closing: false,
    watch: undefined as WatchStatus | undefined,
    /** The graph served failed a read of its snapshot: until a graph is swapped in, /ready says so. */
    unreadable: undefined as
      | {
          file: string;
          reason: string;
          since: Date;
          /** The dataset's loads tried and failed so far, and when the next is, unless one is under way (recoverFrom). */
          retry?: { attempts: number; next?: Date };
        }
      | undefined,
  };
  // a read of the served graph's snapshot that fails (the file truncated or written over in place):
  // said once, in the log and /ready, and the dataset loaded again (`recover`), so that the
  // entities not yet read are answered from a good graph rather than failing for good. Tried
  // again, with a growing wait, for as long as the graph served is the unreadable one: a load that
  // failed or was refused (the dataset caught mid-edit, a reload's time bound) was never tried
  // again, and every entity not yet read answered 503, /ready 503, until a restart (review 15)
  const recovery = { stop: new AbortController(), timer: undefined as NodeJS.Timeout | undefined };
  const firstRetryMs = options.recoveryRetry?.firstMs ?? 1000;
  const maxRetryMs = options.recoveryRetry?.maxMs ?? 60_000;
  const recoverFrom = (
    watched: KnowledgeGraph,
    recover: (signal: AbortSignal) => Promise<unknown>,
  ) => {
    // (a graph swapped in that fails in turn: the wait for the one before it, if any, is moot)
    clearTimeout(recovery.timer);
    let attempts = 0;
    const stillFaulty = () => served.current.graph === watched && !recovery.stop.signal.aborted;
    const attempt = async () => {
      recovery.timer = undefined;
      if (!stillFaulty()) return;
      attempts += 1;
      // under way: /ready no longer names a time now past (review 16a)
      if (state.unreadable?.retry) state.unreadable.retry.next = undefined;
      try {
        await recover(recovery.stop.signal);
      } catch (error) {
        if (stillFaulty())
          logger.error("loading the dataset again failed", {
            attempt: attempts,
            error: (error as Error)?.message ?? String(error),
          });
      }
      if (!stillFaulty()) return;
      const waitMs = Math.min(maxRetryMs, firstRetryMs * 2 ** (attempts - 1));
      const next = new Date(Date.now() + waitMs);
      if (state.unreadable) state.unreadable.retry = { attempts, next };
      metrics.snapshotRecoveriesFailed.inc();
      logger.error("the snapshot served is still unreadable: loading the dataset again later", {
        attempts,
        retryInMs: waitMs,
      });
      recovery.timer = setTimeout(() => void attempt(), waitMs);
      // (a retry does not keep a stopping process alive: shutdown clears it anyway)
      recovery.timer.unref();
    };
    void attempt();
  };
  const watchReads = (watched: KnowledgeGraph) =>
    onUnreadable(watched, (failure) => {
      if (served.current.graph !== watched) return;
      state.unreadable = { file: failure.file, reason: failure.reason, since: new Date() };
      metrics.snapshotUnreadable.inc();
      logger.error(
        options.recover
          ? "the snapshot served could not be read: loading the dataset again"
          : "the snapshot served could not be read",
        { file: failure.file, reason: failure.reason },
      );
      if (options.recover && !recovery.stop.signal.aborted) recoverFrom(watched, options.recover);
    });
  watchReads(graph);
  const inFlight = new Set<ServerResponse>();
  /**
   * The responses in flight on each connection (those pipelined behind the first included), each
   * with what ends it. One `close` listener a connection ends them all: one a request, on a
   * connection of many pipelined requests, passed node's limit of 10 (MaxListenersExceededWarning
   * on stderr, once for every such connection a client opened).
   */
  const pendingOn = new WeakMap<Socket, Map<ServerResponse, () => void>>();
  /** The requests refused by node's parser while being answered (answerMalformedRequests): what it answered. */
  const refusedByParser = new WeakMap<ServerResponse, { status: number; code: string }>();
  /** The operation names of each request, for its log line. */
  const operations = new WeakMap<IncomingMessage, string[]>();
  const nameOperation = (req: IncomingMessage, name: string) =>
    void (operations.get(req)?.push(name) ?? operations.set(req, [name]));
  const pressure = pressureMonitor(settings, metrics, logger);
  // subgraph mode (subgraph.ts): the federation schema, and `_entities`/`_service` for the gateway only when it has a secret
  const guard =
    settings.subgraph?.gatewaySecret === undefined
      ? undefined
      : gatewayGuard(settings.subgraph.gatewaySecret);
  const cache =
    options.responseCache === false
      ? undefined
      : new ResponseCache(options.responseCache ?? DEFAULT_RESPONSE_CACHE);
  // a body that comes too slowly is refused, 408 (body-rate.ts): counted, and logged with its rate
  const bodyRates = new BodyRates(settings, (req, slow) => {
    metrics.bodiesTooSlow.inc();
    logger.warn("refused a request body that came too slowly", {
      bytes: slow.bytes,
      ms: slow.ms,
      floorBytesPerSecond: settings.minBodyRate,
      remote: req.socket.remoteAddress,
    });
  });
  // The graph each /graphql request is answered from, chosen by the shortcut once its body is in
  // (its ETag, cache entry and x-graph-version name it): Yoga's context for the request reads it
  // there rather than the graph served when Yoga gets to it, a reload meanwhile notwithstanding.
  const servedTo = new WeakMap<IncomingMessage, Served>();
  /** What a direct pipeline's execution reads of the graph served now (direct.ts, `context`). */
  const servedContext = () => {
    const { graph, search, startVersion } = served.current;
    return { graph, search, startVersion };
  };
  const shortcut = createShortcut(() => yoga, {
    ...settings,
    bodyRates,
    graph: (req) => {
      const chosen = served.current;
      servedTo.set(req, chosen);
      return chosen.graph;
    },
    cache,
    onNotModified: (reason) => metrics.notModified.inc({ reason }),
    // with trusted documents only, every request goes to Yoga, whose plugin refuses query texts
    fastAnswers: !settings.trustedDocumentsOnly && options.fastAnswers !== false,
    fromGateway: guard?.fromGateway,
    corsHeaders: (req) => corsHeaders(settings.cors, req),
    onOperation: nameOperation,
    // plain queries run without envelop (direct.ts), but in subgraph mode, where the gateway
    // guard (subgraph.ts) must see each operation
    direct: settings.subgraph
      ? undefined
      : (yoga) => directPipelineOf(yoga, settings, servedContext),
    turns: scheduler,
    shedAfterWait: (req, res) => pressure.overloaded && shedNow(req, res),
  });
  // which of `--workers` answered, in /health and /ready: behind a balancer an operator cannot
  // tell otherwise which worker is not ready (none for a single process)
  const answeredBy =
    options.worker === undefined ? {} : { worker: options.worker, pid: process.pid };
  const endpoints = ownEndpoints(settings, logger, metrics, {
    health: () => ({
      entities: entityCount(served.current.graph),
      graphVersion: served.current.graph.contentHash,
      ...answeredBy,
      overloaded: pressure.overloaded,
      eventLoopDelayMs: pressure.delayMs,
    }),
    readiness: (req) => ({ ...readiness(req), ...answeredBy }),
  });
  /** /ready's body, but for the worker that answers (`answeredBy`). */
  function readiness(
    req: IncomingMessage | undefined,
  ): { status: string } & Record<string, unknown> {
    const { graph: current, loadedAt } = served.current;
    const watching = state.watch && {
      watch: state.watch.state,
      ...(state.watch.reason ? { watchReason: state.watch.reason } : {}),
      ...(state.watch.reloadingSince
        ? { reloadingSince: state.watch.reloadingSince.toISOString() }
        : {}),
    };
    if (state.draining) return { status: "draining" };
    if (pressure.overloaded)
      return { status: "overloaded", eventLoopDelayMs: pressure.delayMs, ...watching };
    // (not for one told its address holds its share: the server is not full)
    if (req && connections.overCapBecause(req.socket as Socket) === "cap")
      return { status: "overloaded", openConnections: connections.open.size, ...watching };
    if (state.unreadable)
      return {
        status: "snapshot unreadable",
        snapshot: state.unreadable.file,
        snapshotReason: state.unreadable.reason,
        since: state.unreadable.since.toISOString(),
        ...(state.unreadable.retry && {
          recoveryAttempts: state.unreadable.retry.attempts,
          ...(state.unreadable.retry.next
            ? { nextRecoveryAt: state.unreadable.retry.next.toISOString() }
            : { recovering: true }),
        }),
        graphVersion: current.contentHash,
        ...watching,
      };
    const warmingNow = warmingUp();
    if (warmingNow)
      return {
        status: "warming",
        ...warmingNow,
        warmingSince: startWarming.since.toISOString(),
        entities: entityCount(current),
        graphVersion: current.contentHash,
        ...watching,
      };
    return {
      status: "ready",
      entities: entityCount(current),
      graphVersion: current.contentHash,
      loadedAt: loadedAt.toISOString(),
      ...watching,
    };
  }
  const graphiql = graphiqlPages();
  const yoga = graphqlServer(
    settings,
    logger,
    (req) => (req && servedTo.get(req)) ?? served.current,
    graphiql,
    {
      endpoints,
      gateway: guard ? [guard.plugin] : [],
      last: [
        useOperationNames(nameOperation),
        useErrorRequestIds(),
        useErrorCounts(metrics),
        shortcut.plugin,
      ],
    },
  );
  // the RDF exports, made a slice at a time, a few at once (export-routes.ts)
  const exports = createExports({ ...settings, ...options.exportSlice }, refuse, logger, (reason) =>
    metrics.exportsDisplaced.inc({ reason }),
  );
  // an entity page for a key the graph does not hold is answered 404 (still the explorer's page)
  const serveWeb = createStaticHandler(options.webDir, {
    entityExists: (key) => served.current.graph.entity(key) !== undefined,
  });

  // a request without Host is refused by targetOf, in words: node's own check answered a bare
  // 400, with no body saying what was missing, before the request was logged or counted
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    // a request that came after a refusal answered "Connection: close" (body.ts, sendError; a
    // 413 lingering): not run, as RFC 9112 9.6 requires; Node's parser still parses what the
    // client sends, and 416 of 2,000 such pipelined queries ran for nothing (reviews 3 and 4)
    noteRequest(req);
    // a connection kept to be closed once its client has read its answer brings another request: kept
    unsent.keep(req.socket as Socket);
    if (cameAfterClose(req)) {
      stopBodyEvents(req);
      req.resume();
      return;
    }
    const requestId = requestIdOf(req);
    res.setHeader("x-request-id", requestId);
    // which graph answered (content-hash.ts): the same on every replica serving the same data;
    // set again once a /graphql request's body is in, from the graph that answers it (shortcut.ts)
    res.setHeader("x-graph-version", served.current.graph.contentHash);
    // while shutting down, and on a connection beyond the cap, no connection is kept for another
    // request; nor after a request asking to switch protocols (`Upgrade: websocket`, `h2c`),
    // which this server never does: Node's parser reads nothing more of such a connection, so a
    // request pipelined behind it was never answered, its connection idle until the keep-alive
    // timeout (red team 9). Said, the client knows to send it again on a new connection.
    // (while shutting down, none after it on the connection is run either: body.ts)
    if (state.closing) closesConnection(res);
    else if (connections.isOverCap(req.socket as Socket) || req.headers.upgrade !== undefined)
      res.setHeader("connection", "close");
    // one path for every part below and for Yoga, which reads it as a WHATWG URL does
    const target = targetOf(req);
    // (the path as it came, of an absolute URL too, without its scheme and credentials)
    const rawPath = pathOf(target.url);
    req.url = canonicalUrl(target.url);
    // q-values read, before Yoga or the shortcut read the header in its written order
    acceptByPreference(req);
    const path = pathOf(req.url);
    // a body sent where none is taken (pages, exports, /health, a 404, any /graphql request but
    // a POST) is never handed to JavaScript chunk by chunk only to be discarded: one in one-byte
    // chunks cost the event loop about 6 µs a byte (red team 14, F5). One that is read is
    // watched where it is read (body.ts, readBody), and what is left of it after its answer here
    // (a refusal before it is read, shed or beyond the cap, silences it: body.ts, sendError)
    if (declaresBody(req)) {
      if (path !== "/graphql" || req.method !== "POST") stopBodyEvents(req);
      else
        res.once("finish", () => {
          if (!req.complete) discardsInPieces(req);
        });
    }
    // as the client sent it, for the log and the metrics (a HEAD to /graphql goes on as a GET)
    const method = req.method;
    inFlight.add(res);
    metrics.inFlight.inc();
    const started = performance.now();
    // once the response is sent (or cut off): the request's log line and metrics. Also when its
    // connection closes first: a response queued behind another on a pipelined connection gets
    // no `close` of its own when the connection ends, and was held for good, its answer in it
    // (red team 4: 20 pipelined requests of a 9 MB answer, and the client gone, left 350 MB)
    const socket = req.socket;
    let pending = pendingOn.get(socket);
    if (pending === undefined) {
      const all = (pending = new Map());
      pendingOn.set(socket, all);
      socket.once("close", () => {
        for (const end of [...all.values()]) end();
      });
    }
    let ended = false;
    // a method, not a function assigned to a name: tsx names each of those with
    // Object.defineProperty whenever one is made, a few µs of every request (docs/performance.md)
    const request = {
      whenEnded() {
        if (ended) return;
        ended = true;
        res.off("close", request.whenEnded);
        pending.delete(res);
        // its executions stop, when it was not written (client-gone.ts)
        requestEnded(res);
        inFlight.delete(res);
        metrics.inFlight.dec();
        connections.responseEnded(req.socket as Socket);
        const seconds = (performance.now() - started) / 1000;
        const refused = refusedByParser.get(res);
        // the parser's answer is the request's, unless all it says is that the client closed the
        // connection in the middle of the request: that client left
        const parserAnswered = refused !== undefined && refused.code !== "HPE_INVALID_EOF_STATE";
        const aborted = !parserAnswered && !res.writableFinished;
        // a client that left before any of its answer went out is logged and counted 499, not as
        // the 200 the response held by default (a success): none of it was sent, its headers not
        // made, or made behind a pipelined response and never given the connection. An answer cut
        // off midway keeps the status its client was sent
        const status = parserAnswered
          ? refused.status
          : aborted && (!res.headersSent || res.socket === null)
            ? CLIENT_CLOSED_REQUEST
            : res.statusCode;
        const labels = { route: routeOf(path), method: methodOf(method), status: `${status}` };
        // closed by the server, and why (server-cuts.ts): not a client that left
        const cut = aborted ? cutOf(req.socket as Socket) : undefined;
        metrics.requests.inc(labels);
        metrics.duration.observe(labels, seconds);
        const names = operations.get(req);
        logger.info("request", {
          requestId,
          method,
          path: path.length > 200 ? `${path.slice(0, 200)}...` : path,
          // as it came, when routed as another (`/x/../graphql`): an attempt leaves its trace
          ...(rawPath === path
            ? {}
            : { rawPath: rawPath.length > 200 ? `${rawPath.slice(0, 200)}...` : rawPath }),
          status,
          durationMs: Math.round(seconds * 1e6) / 1000,
          ...(names ? { operationName: names.join(",") } : {}),
          ...(refused ? { refusedByParser: refused.code } : {}),
          ...(aborted ? { aborted: true } : {}),
          ...(cut ? { cut } : {}),
        });
      },
    };
    pending.set(res, request.whenEnded);
    // (`on`: it takes itself off, and `once` made a wrapper for it)
    res.on("close", request.whenEnded);
    if (target.serverWide) {
      res.writeHead(204, { ...corsHeaders(settings.cors, req), allow: "GET, HEAD, POST, OPTIONS" });
      res.end();
      return;
    }
    if (target.problem !== undefined) {
      sendError(res, target.status ?? 400, target.code ?? "BAD_REQUEST", target.problem, {
        headers: corsFor(req, path),
      });
      return;
    }
    route(path, req, res, target.sent ?? target.url);
  });

  // a connection taken from the kernel's queue: the turns that follow are given to taking the
  // rest of that queue, before the requests' work (src/graph/scheduler.ts, `accepted`)
  server.on("connection", () => scheduler.accepted());

  // CONNECT (a proxy's tunnel: this server is none): Node emits it apart from requests, and with
  // no listener destroyed the socket, an empty reply (red team 9). Refused in words, and closed,
  // once the answers to the requests pipelined before it are sent (or their connection closed):
  // written at once, it took the place of one still being made (review 5: [200, 405] for three).
  server.on("connect", (req: IncomingMessage, socket: Socket) => {
    const body = errorJson(
      "METHOD_NOT_ALLOWED",
      `This server is no proxy: it does not answer CONNECT (to ${shown(req.url ?? "")}). Its API is /graphql, by GET, HEAD or POST.`,
    );
    socket.on("error", () => socket.destroy());
    const refuse = () => {
      if (!socket.writable) return void socket.destroy();
      socket.end(
        `HTTP/1.1 405 Method Not Allowed\r\nallow: GET, HEAD, POST, OPTIONS\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
      // a client that keeps the connection open after its answer is cut off a second later
      setTimeout(() => socket.destroy(), 1000).unref();
    };
    const before = [...(pendingOn.get(socket)?.keys() ?? [])];
    if (before.length === 0) return refuse();
    // at most a request's time: a client reading its earlier answers slowly keeps it no longer
    const bound = setTimeout(() => socket.destroy(), settings.requestTimeoutMs).unref();
    void allClosed(before, socket).then(() => {
      clearTimeout(bound);
      refuse();
    });
  });

  // an Expect other than 100-continue: node answered a bare 417 itself, unless told here, and the
  // request's handler answers it in words, logged and counted as any other (`unmetExpectations`)
  server.on("checkExpectation", (req, res) => {
    unmetExpectations.add(req);
    server.emit("request", req, res);
  });
  // "Expect: 100-continue": node wrote "100 Continue" itself, unless told here, as soon as the
  // headers came: also to a request whose Content-Length is over the body limit, refused 413
  // without reading any of it (body.ts), whose client then sent the whole body that the lingering
  // close read and threw away (up to 16 MB or 5 s; review 3), and to one refused before its body
  // is read (a path that takes none, a connection beyond the cap, load shed: red team 10). The 100
  // is now written when the body is about to be read (body.ts sendContinue, from the shortcut),
  // and never over the limit: a refused request's final answer comes without it (RFC 9110 10.1.1;
  // a client that waits sends nothing, and node closes the connection after it). Every request
  // still goes through every 'request' listener (the app's, Connections', a test's).
  server.on("checkContinue", (req, res) => {
    // written when the body is to be read (body.ts, sendContinue), and only then: a request
    // refused before that (404, 405, beyond the cap, shed) gets its answer without a 100
    awaitContinue(req);
    server.emit("request", req, res);
  });

  /**
   * Admission first, then the parts that answer on node:http, then Yoga (its plugins answer
   * /health, /ready, /metrics and 404s). `sentUrl`: the target as the client sent it, before
   * canonicalUrl, for the explorer's files, which are served at their own path only (static.ts).
   */
  function route(path: string, req: IncomingMessage, res: ServerResponse, sentUrl: string): void {
    // a connection accepted beyond the cap: told so, and closed (/health and /ready still answer)
    const overCap = connections.overCapBecause(req.socket as Socket);
    if (overCap !== undefined && path !== "/health" && path !== "/ready") {
      const message =
        overCap === "cap"
          ? `The server has ${settings.maxConnections} connections open, as many as it serves at once: try again in a few seconds, on a new connection.`
          : `Your address has ${settings.maxConnectionsPerAddress} connections open to the server, as many as it serves for one address (KZ_OSCE_MAX_CONNECTIONS_PER_ADDRESS): send this request on one of them, or close one and try again.`;
      // the same code in the answer; in the metric, the address's share told from the cap: an
      // operator behind a proxy who left the share on sees no capacity trouble (review 20)
      const reason = overCap === "cap" ? undefined : "TOO_MANY_CONNECTIONS_FROM_ADDRESS";
      refuse(req, res, "TOO_MANY_CONNECTIONS", message, 5, false, reason);
      return;
    }
    if ((path === "/graphql" || path in EXPORTS) && pressure.overloaded) {
      // (the body, if any, is left for Node to discard, parsed in C++ only: body.ts, sendError)
      if (shedNow(req, res)) return;
      // the queue is over its bound, but this client has less than its share of it waiting
      metrics.admittedByShare.inc();
    }
    if (settings.graphiql && asksForGraphiQL(req, path)) {
      serveGraphiQL(req, res);
      return;
    }
    if (path === "/graphql") {
      // a HEAD is answered as its GET, without the body (RFC 9110, 9.3.2: a server that answers
      // GET answers HEAD; an HTTP cache in front may check an answer so): everything from here
      // on, Yoga included, reads it as the GET, with its ETag, 304 and cached answer, while node's
      // response, made for a HEAD, sends the headers and drops whatever body it is given
      if (req.method === "HEAD") req.method = "GET";
      // any other method but OPTIONS (CORS's preflight, Yoga's) is refused here in this API's
      // words and code, as /health's are, with every method /graphql answers (Yoga's 405 said
      // "GraphQL only supports GET and POST requests.", BAD_REQUEST and `Allow: GET, POST`,
      // leaving out HEAD); the body, if any, is left for Node to discard
      else if (
        req.method !== "GET" &&
        req.method !== "POST" &&
        // OPTIONS is a CORS preflight, Yoga's to answer, unless CORS is off
        (req.method !== "OPTIONS" || settings.cors === "none")
      ) {
        sendError(
          res,
          405,
          "METHOD_NOT_ALLOWED",
          `/graphql answers GET, HEAD and POST only, not ${shown(req.method ?? "")}: POST the query as JSON ({"query": "{ __typename }"}) or send it by GET (/graphql?query=...).`,
          { headers: { ...corsHeaders(settings.cors, req), allow: graphqlMethods(settings.cors) } },
        );
        return;
      }
      // whatever fails in there is this request's failure, not the process's (an unhandled
      // rejection ends a Node process: a RangeError from an answer's JSON.stringify did)
      shortcut.handle(req, res).catch((error) => {
        logger.error("a /graphql request failed", { error });
        if (res.headersSent) cutResponse(res, "failed");
        else
          sendError(res, 500, "INTERNAL_SERVER_ERROR", "The request failed inside the server.", {
            headers: { "cache-control": "no-store" },
          });
      });
      return;
    }
    // the whole graph as JSON-LD (/graph.jsonld) and N-Triples (/graph.nt); the explorer's pages and files
    if (exports.serve(req, res, served.current.graph) || serveWeb(req, res, sentUrl)) return;
    void yoga(req, res);
  }

  /** GraphiQL's page (graphiql.ts); if it cannot be rendered at all, a 500 that says so. */
  function serveGraphiQL(req: IncomingMessage, res: ServerResponse): void {
    graphiql.serve(req, res, GRAPHIQL_OPTIONS, corsHeaders(settings.cors, req)).catch((error) => {
      logger.error("GraphiQL's page could not be rendered", { error });
      if (res.headersSent) res.destroy();
      else
        sendError(res, 500, "INTERNAL_SERVER_ERROR", "GraphiQL's page could not be rendered.", {
          headers: { "cache-control": "no-store" },
        });
    });
  }

  /** Why a request is shed (pressure.ts), in words. */
  function overloadedMessage(shed: Shed): string {
    const retry = `Try again in ${pressure.retryAfterSeconds} s.`;
    if (shed.reason === "lagging")
      return `The server is overloaded: its event loop runs ${pressure.delayMs} ms late (the limit is ${settings.maxEventLoopDelayMs} ms). ${retry}`;
    const queue = `The server is overloaded: the queries it is executing wait for ${Math.round(shed.waitMs)} ms of work (the limit is ${pressure.queueLimitMs} ms, half the execution time limit)`;
    if (shed.everyone) return `${queue}, twice the limit, whoever sends the request. ${retry}`;
    // the same words whether the address is alone or not, and nothing of its own part: either told
    // a client whether other clients had work waiting, and how much (reviews 7 and 8)
    return `${queue}. ${retry}`;
  }

  /**
   * The CORS headers of a refusal, with the methods of the path it was for: an export's (GET, HEAD)
   * said /graphql's GET, POST when refused by load shedding, the connection cap, its target's
   * check or EXPORTS_BUSY, though its own answers and preflight say GET, HEAD.
   */
  function corsFor(req: IncomingMessage, path: string): Record<string, string> {
    return corsHeaders(settings.cors, req, path in EXPORTS ? EXPORT_METHODS : undefined);
  }

  /**
   * A 503 for a request the server will not take now, and why, with when to try again; with CORS
   * headers, so that a page in a browser can read it and wait instead of seeing a network error.
   */

  /**
   * Refuses `req` 503 SERVER_OVERLOADED if load shedding refuses its client now (by the
   * connection's address, never a header's: share-client.ts): whether it did.
   */
  function shedNow(req: IncomingMessage, res: ServerResponse): boolean {
    const client = clientOf(req.socket);
    const shed = pressure.shed(client, scheduler.lateOwedMs(req.socket));
    if (shed === undefined) return false;
    const message = overloadedMessage(shed);
    // a connection whose operation was refused lately as it was about to execute (told then to
    // try again in as long as the work ahead takes), which comes back meanwhile, has its refusal
    // held until the server forgets that refusal: refused at once before its request was read,
    // 150 addresses each looping a filter scan sent about 2,500 requests a second, and answering
    // them doubled /health's median (red team 47, F2). Held, each such loop sends about one a
    // second. Not while the server stops: the shutdown sends every refusal held at once
    const holdMs =
      shed.reason === "queue" && !state.draining ? scheduler.lateMemoryLeftMs(req.socket) : 0;
    if (holdMs <= 0) {
      refuse(req, res, "SERVER_OVERLOADED", message, pressure.retryAfterSeconds, true);
      return true;
    }
    metrics.shed.inc({ reason: "SERVER_OVERLOADED" });
    const timer = setTimeout(() => release(), holdMs);
    const gone = () => {
      clearTimeout(timer);
      heldRefusals.delete(release);
    };
    const release = () => {
      gone();
      res.off("close", gone);
      sendRefusal(req, res, "SERVER_OVERLOADED", message, pressure.retryAfterSeconds, true);
    };
    res.once("close", gone);
    heldRefusals.add(release);
    return true;
  }
  /** The refusals `shedNow` holds, each to send now: the shutdown sends them at once. */
  const heldRefusals = new Set<() => void>();

  function refuse(
    req: IncomingMessage,
    res: ServerResponse,
    code: string,
    message: string,
    retryAfterSeconds: number,
    keepAlive: boolean,
    /** kz_osce_http_requests_shed_total's reason, where it says more than `code`. */
    reason: string = code,
  ): void {
    metrics.shed.inc({ reason });
    sendRefusal(req, res, code, message, retryAfterSeconds, keepAlive);
  }

  /** `refuse`'s answer, counted already. */
  function sendRefusal(
    req: IncomingMessage,
    res: ServerResponse,
    code: string,
    message: string,
    retryAfterSeconds: number,
    keepAlive: boolean,
  ): void {
    sendError(res, 503, code, message, {
      keepAlive,
      headers: {
        ...corsFor(req, pathOf(req.url)),
        "retry-after": String(retryAfterSeconds),
        "cache-control": "no-store",
      },
    });
  }

  const connections = new Connections(
    server,
    settings,
    {
      onDrop: () => metrics.connectionsDropped.inc(),
      onCountChange: (open) => metrics.openConnections.set(open),
      onEvict: () => metrics.connectionsEvicted.inc(),
      onLingerCut: () => metrics.lingersCut.inc(),
    },
    options.connectionEvictAfterMs,
  );
  const { kernel, ...unsentTimes } = options.unsent ?? {};
  const unsent = new UnsentAnswers(
    connections.open,
    {
      maxUnsentBytes: settings.maxUnsentBytes,
      minRateBytesPerSecond: settings.minResponseRate,
      ...unsentTimes,
    },
    (socket, reason, bytes) => {
      metrics.answersCut.inc({ reason });
      logger.warn("closed a connection whose answer was not taken", {
        reason,
        unsentBytes: bytes,
        limitBytes: settings.maxUnsentBytes,
        remote: socket.remoteAddress,
      });
    },
    undefined,
    (socket) => pendingOn.get(socket)?.keys() ?? [],
    kernel === false
      ? undefined
      : (kernel ??
          procKernelQueues({
            onTooLong: (bytes) =>
              logger.warn(
                "the kernel's lists of connections are too long to read: what the kernel holds of each answer is not counted until they are shorter (tried again every 30 s; said again only after a reading)",
                // read no further than past the bound: the lists hold at least this
                { atLeastBytes: bytes },
              ),
            onAvailable: () =>
              logger.info(
                "the kernel's lists of connections are read again: what the kernel holds of each answer is counted",
              ),
          })),
  );
  unsent.onLook = (bytes) => {
    metrics.unsentBytes.set(bytes);
    metrics.unsentKernelBytes.set(unsent.kernelBytes);
    metrics.kernelReadings.set(unsent.kernelReadable ? 1 : 0);
  };
  // A connection idle past its keep-alive time is closed, as Node would (it leaves it to this
  // listener), but not while the kernel still holds some of its answer for its client: closed
  // then, that copy was left to the kernel as an orphan, out of every count, for as long as the
  // client acknowledged the kernel's probes without reading (up to 4 MiB each: one client could
  // ask for answers and leave them unread, one connection after another). It is closed once its
  // client has taken them, or cut by the unsent guard's rules, which reset it.
  // A timeout of a request or response with a listener of its own (none in this server today)
  // is left to that listener, as Node does.
  server.on("timeout", (socket: Socket) => {
    const { _httpMessage: res, parser } = socket as unknown as {
      _httpMessage?: ServerResponse | null;
      parser?: { incoming?: IncomingMessage | null } | null;
    };
    const req = parser?.incoming;
    if (res?.listenerCount("timeout") || (req && !req.complete && req.listenerCount("timeout")))
      return;
    if (unsent.mayHoldInKernel(socket)) unsent.closeOnceTaken(socket);
    else socket.destroy();
  });
  // the code a request runs, warmed by the README's example queries once the server listens
  // (warm.ts), through a direct pipeline of their own: the same functions as requests' (the
  // shortcut's is made when it first answers), their documents not kept among requests'
  if (settings.warmQueries) {
    // run cold, 2-4 times a request's time for its price: not what the scheduler should learn
    const pipeline = directPipelineOf(yoga, settings, () => ({
      ...servedContext(),
      warmUp: true,
    }));
    queryWarming = (options.queryWarmer ?? warmQueries)(
      async (query) =>
        (await pipeline.run({ query }, (result) => {
          JSON.stringify(result);
          return result.errors === undefined;
        })) === true,
      examples.map((example) => example.query),
      new Promise((resolve) => server.once("listening", resolve)),
    );
    void queryWarming.done.then((run) =>
      run.firstError === undefined
        ? logger.info("example queries run ahead of requests", { ...run })
        : logger.warn("example queries run ahead of requests, one failing", { ...run }),
    );
  }
  server.once("close", () => unsent.close());
  // after it listens, an error of the listening socket (accept failing for want of file
  // descriptors) is logged; unhandled, it would end the process
  server.once("listening", () =>
    server.on("error", (error) =>
      logger.error("the server could not accept a connection", { error }),
    ),
  );
  answerMalformedRequests(server, settings, (status, code, socket) => {
    const answering = [...(pendingOn.get(socket)?.keys() ?? [])];
    const last = answering.at(-1);
    if (last !== undefined && !last.req.complete && !last.writableFinished) {
      // the request whose body the parser was reading (too slow, or malformed) is the one
      // refused: its own line and count say so. Apart, it was two requests: the refusal, and
      // the request itself, a 200 never sent
      refusedByParser.set(last, { status, code });
      answering.pop();
    } else {
      // a request of its own, after those received whole (which keep their own status): as the
      // log line and metrics of a request the server parsed (the route: "unparsed")
      metrics.requests.inc({ route: "unparsed", method: "", status: `${status}` });
      logger.info("request", { status, refusedByParser: code });
    }
    // the refusal follows the answers received before it (answerMalformedRequests): it waits for
    // them to be sent, or for their connection to close (their responses may then never close)
    return answering.length > 0 ? allClosed(answering, socket) : undefined;
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
    /** Answers not yet taken by their clients (unsent.ts). */
    unsent,
    /** The RDF exports' counts (export-routes.ts). */
    exports: exports.stats,

    /** The watcher's state, shown by /ready (reload.ts reports it). */
    setWatchStatus(status: WatchStatus | undefined): void {
      state.watch = status;
      metrics.watchUp.set(status === undefined ? 1 : status.state === "ok" ? 1 : 0);
    },

    /**
     * Serve `next` from now on. Its indexes are built first; then one assignment replaces the
     * graph and its search index together, so no request ever sees the graph of one and the index
     * of the other, and requests already running finish on the graph they started with.
     */
    swap(next: KnowledgeGraph): void {
      // a graph that mends an unreadable one: this replica alone was out of the balancer (503
      // "snapshot unreadable"), and stays out while its entities are made, as at a start
      const mending = state.unreadable !== undefined;
      served.current = serving(next, served.current.startVersion);
      state.unreadable = undefined;
      watchReads(next);
      metrics.entities.set(entityCount(next));
      warming?.stop();
      warming = warm(next);
      if (mending)
        Object.assign(startWarming, { warming, since: new Date(), at: performance.now() });
    },

    /** The example queries run once the server listens (warm.ts), once done; undefined when off. */
    queriesWarmed(): Promise<QueriesRun> | undefined {
      return queryWarming?.done;
    },

    /** What the graph served now had made ahead of requests (warm.ts), once done; undefined when off. */
    entitiesWarmed(): Promise<Warmed> | undefined {
      return warming?.done;
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
    shutdown(timeoutMs: number, listenUntil?: Promise<unknown>): Promise<DrainResult> {
      state.draining = true;
      // the refusals held for clients that came back too soon, sent now rather than at their time
      for (const release of [...heldRefusals]) release();
      warming?.stop();
      queryWarming?.stop();
      // no more loads of the dataset to mend an unreadable snapshot, and the one under way stopped
      // (its child killed, its temporary files removed: main.ts waits for it)
      clearTimeout(recovery.timer);
      recovery.stop.abort();
      const closeConnections = () => {
        state.closing = true;
        // one answer per connection says so: the latest in flight (`inFlight` is in the order
        // the requests came), if its headers are unsent; none after it is run (RFC 9112 9.6), and
        // one that comes after an answer already under way says it itself (`state.closing`).
        // Every answer unsent used to, and on a pipelining connection the first closed it: the
        // requests after it, run, were dropped and logged 499
        const latest = new Map<Socket, ServerResponse>();
        for (const res of inFlight) latest.set(res.req.socket as Socket, res);
        for (const res of latest.values()) if (!res.headersSent) closesConnection(res);
        // when new connections began to be refused (the backlog taken first: connections.ts)
        logger.info("no longer listening", { inFlight: inFlight.size });
      };
      const drained = connections.drain(
        timeoutMs,
        Math.min(1000, timeoutMs / 2),
        inFlight.size,
        closeConnections,
        listenUntil,
      );
      void drained.then(() => pressure.close());
      return drained;
    },
  };
}

export type App = ReturnType<typeof createApp>;

/**
 * GraphQL Yoga over the schema, with the limits and the request plugins, and the app's own:
 * its `endpoints` first, the `gateway` guard once trusted documents are resolved, and `last` the
 * log and metrics hooks and the shortcut's, which see each operation as it is run.
 */
/**
 * Yoga's masking, but for a failed read of the snapshot: said as such (SNAPSHOT_UNREADABLE, 503,
 * Retry-After), not as "Unexpected error.", since the server is loading the dataset again and the
 * request will be answered when asked again. The file and the reason are in the log (createApp).
 */
const maskUnreadable: typeof maskError = (error, message, isDev) => {
  if (unreadableIn(error) === undefined) return maskError(error, message, isDev);
  const located = error instanceof GraphQLError ? error : undefined;
  return new GraphQLError(SNAPSHOT_UNREADABLE_MESSAGE, {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    path: located?.path,
    extensions: {
      code: "SNAPSHOT_UNREADABLE",
      http: {
        status: 503,
        headers: { "retry-after": String(SNAPSHOT_RETRY_AFTER_SECONDS) },
      },
    },
  });
};

function graphqlServer(
  settings: Settings,
  logger: Logger,
  /** The graph that answers `req` (the one the shortcut chose for it, else the one served now). */
  current: (req: IncomingMessage | undefined) => Served,
  graphiql: GraphiQLPages,
  own: { endpoints: Plugin[]; gateway: Plugin[]; last: Plugin[] },
): Yoga {
  // the explorer's trusted documents; required only when they are all the server answers
  const trustedDocuments =
    settings.trustedDocuments ??
    loadTrustedDocuments(undefined, { optional: !settings.trustedDocumentsOnly });
  if (trustedDocuments.size === 0)
    logger.warn(
      "no trusted documents (web/src/gql/persisted-documents.json is missing): documentId requests will be refused; run `npm run codegen`",
    );
  const cors = corsPlugin(settings.cors);
  const documents = new DocumentCache<DocumentNode>(documentWeight, 1024);
  return createYoga<{ req: IncomingMessage; res: ServerResponse }, Context>({
    schema: settings.subgraph ? subgraphSchema() : schema,
    graphqlEndpoint: "/graphql",
    healthCheckEndpoint: YOGA_HEALTH_CHECK_OFF,
    landingPage: false,
    logging: yogaLogger(logger),
    // the app answers GraphiQL itself at /graphql and /graphql/ (graphiql.ts), before Yoga; Yoga
    // would also answer it at any URL ending in /graphql (/x?y=/graphql): those get its 404
    renderGraphiQL: graphiql.render,
    graphiql:
      settings.graphiql &&
      ((request: Request) =>
        GRAPHIQL_PATHS.includes(new URL(request.url).pathname) && GRAPHIQL_OPTIONS),
    // CORS by cors.ts's plugin in place of Yoga's own (whose headers reflect the origin under `*`),
    // put after the app's endpoints (below) so that they answer every method themselves, a
    // preflight included: they are not for pages (the same headers go on the answers and the
    // refusals sent before Yoga, cors.ts)
    cors: false,
    // unexpected errors become "Unexpected error." (code INTERNAL_SERVER_ERROR); errors the schema
    // raises on purpose (GraphQLError: BAD_USER_INPUT, NOT_FOUND, ...) keep their message
    // a read of the snapshot that failed (SnapshotUnreadable) is said as such, 503 with
    // Retry-After: the server loads the dataset again meanwhile (createApp, `recover`)
    maskedErrors: { isDev: settings.exposeErrors, maskError: maskUnreadable },
    batching: settings.maxBatch > 0 ? { limit: settings.maxBatch } : false,
    // no uploads: multipart bodies are refused by the shortcut, and never parsed
    multipart: false,
    // a trusted document's id (trusted-documents.ts), which Yoga's parameter check would refuse
    extraParamNames: ["documentId"],
    // the body is read and limited by the shortcut: Yoga's own limit pipes every body through a
    // stream, which costs throughput (see docs/operations.md, "Limits")
    maxRequestBodySize: false,
    // its parse cache bounded by what it holds too, and no cache of parse errors: each kept its
    // request whole (document-cache.ts; red team 13, F1: 4.8 GB pinned at a 1 MB body limit)
    parserAndValidationCache: {
      documentCache: documents,
      errorCache: NO_ERROR_CACHE,
      validationCache: true,
    },
    plugins: [
      ...own.endpoints,
      ...(cors === undefined ? [] : [cors]),
      // first of the GraphQL plugins: every plugin after it sees the trusted document's text in place of its id
      trustedDocumentsPlugin({ documents: trustedDocuments, only: settings.trustedDocumentsOnly }),
      ...own.gateway,
      ...limitPlugins(settings.limits),
      clearerValidationErrors(),
      ...requestPlugins({ allow: graphqlMethods(settings.cors) }),
      ...(settings.introspection ? [] : [noIntrospectionPlugin(), hideSuggestionsPlugin()]),
      // graphql-js's validation with the rules' visitors merged cheaply (validate.ts)
      validationPlugin({ hideSuggestions: !settings.introspection }),
      // the errors of a request's answers in proportion to the request (error-bytes.ts)
      errorBytesPlugin(settings.limits.maxErrorBytes),
      // answers with errors made at the cost of their JSON (Yoga rebuilds each error twice)
      answersPlugin({ allow: graphqlMethods(settings.cors) }),
      ...own.last,
      // the validation results Yoga keeps let their requests go, and weigh in its parse cache
      // (document-cache.ts); last, so that its after-hook sees the errors other plugins'
      // after-hooks put in place (clearerValidationErrors)
      weighValidationResults(documents),
    ],
    // a fresh context per request: Pothos keys its DataLoaders on it, so caches never outlive a request
    context: ({ req }: { req?: IncomingMessage }) => {
      const { graph, search, startVersion } = current(req);
      return { graph, search, startVersion };
    },
  });
}

/** /health, /ready, /metrics (when turned on) and the 404 for other paths, as Yoga plugins (endpoints.ts). */
function ownEndpoints(
  settings: Settings,
  logger: Logger,
  metrics: Metrics,
  answers: {
    health: () => Record<string, unknown>;
    readiness: Parameters<typeof useReadiness>[0]["check"];
  },
): Plugin[] {
  const collect =
    settings.metricsSource ??
    (async () => ({
      text: await metrics.registry.metrics(),
      contentType: metrics.registry.contentType,
    }));
  return [
    useHealth({ status: answers.health }),
    useReadiness({ check: answers.readiness }),
    ...(settings.metrics ? [useMetricsEndpoint({ collect, logger })] : []),
    useNotFound({
      graphqlEndpoint: "/graphql",
      endpoints: ["/health", "/ready", ...(settings.metrics ? ["/metrics"] : [])],
    }),
  ];
}

/**
 * How long a cluster worker's turns stay given to accepts after a connection came, ms
 * (scheduler.ts, `acceptGapMs`): its connections come from the primary over IPC, each once the
 * worker has answered for the one before. With 2 ms, a mark connection behind a burst of 60 was
 * taken after 3-7 of the burst's requests had run, against 16-58 with none (review 46, f4).
 */
export const WORKER_ACCEPT_GAP_MS = 2;

/** Load shedding (pressure.ts), its state in the metrics and the log. */
function pressureMonitor(settings: Settings, metrics: Metrics, logger: Logger): PressureMonitor {
  const scheduler = sliceScheduler(settings.limits.executionSliceMs);
  return new PressureMonitor(
    {
      maxEventLoopDelayMs: settings.maxEventLoopDelayMs,
      sampleIntervalMs: settings.pressureSampleIntervalMs,
      // the work waiting for its turn to execute (src/graph/scheduler.ts), at most what the loop
      // gets through in half an execution time limit (a turn runs a slice, and I/O between)
      queue: {
        waitMs: () => scheduler.waitMs,
        maxWaitMs: settings.limits.executionTimeoutMs / 2,
        // each client's part, to refuse by share (pressure.ts)
        clientWaitMs: (client) => scheduler.clientWaitMs(client),
        clientsWaiting: () => scheduler.clientsWaiting,
        refusedLately: (client) => scheduler.refusedLately(client),
        revaluedMs: () => scheduler.revaluedMs,
      },
    },
    (overloaded, state) => {
      metrics.overloaded.set(overloaded ? 1 : 0);
      // the measure that tripped it: an overload by the queue logged the loop's delay against its
      // limit alone (9 ms of 1,000), which told an operator nothing of why (red team 11)
      if (overloaded && state.reason === "lagging")
        logger.warn("overloaded: new requests get 503 until the event loop catches up", {
          eventLoopDelayMs: state.delayMs,
          limitMs: settings.maxEventLoopDelayMs,
        });
      else if (overloaded)
        logger.warn(
          "overloaded: the queries executing wait for more work than the queue may hold; new requests of the clients holding it get 503 until it drains",
          {
            queueWaitMs: state.queueWaitMs,
            queueLimitMs: state.queueLimitMs,
            eventLoopDelayMs: state.delayMs,
          },
        );
      else
        logger.info("no longer overloaded", {
          eventLoopDelayMs: state.delayMs,
          queueWaitMs: state.queueWaitMs,
        });
    },
  );
}

/** The client's request id if it is sane, else a fresh one. */
function requestIdOf(req: IncomingMessage): string {
  const header = req.headers["x-request-id"];
  return typeof header === "string" && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * A Host header Yoga can read as a host and nothing more: a name or IPv4 address (letters,
 * digits, `.-_~`) or a bracketed IPv6 address, and a port. Yoga reads a request's URL as
 * `http://${Host}${url}`, so a Host of `x/graphql?` or `x\graphql#` made it read any path
 * (`POST /nothing`) as /graphql, past the router, its body limit and every check before Yoga.
 */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~-]+)(?::\d{1,5})?$/;

/** The last Host taken (a server hears one or two): not parsed again at every request, 0.8 µs each. */
let lastHostTaken: string | undefined;

/**
 * Whether WHATWG's URL parser (Yoga's) takes `host` as a host: one that passes HOST can still be
 * no host to it (a port over 65535, `1.2.3.256`, `[1.2.3.4]`), and Yoga answered those 500 with
 * a stack trace, whatever the error masking (@whatwg-node answers a request it cannot parse so).
 */
function isUrlHost(host: string): boolean {
  try {
    new URL(`http://${host}/`);
    return true;
  } catch {
    return false;
  }
}

/** The requests whose Expect node does not understand (its `checkExpectation`): refused 417. */
const unmetExpectations = new WeakSet<IncomingMessage>();

/**
 * The header of those a request may give once only that it gives more than once, if any: Host
 * (RFC 9112, 3.2: a server must answer such a request 400) and Content-Type. Node keeps the
 * first of either, where a proxy or cache in front of the server may read the other: a body
 * let through as one type would be read as another, a request routed for one host answered for
 * another. On every request: one pass over the raw headers, names matched by their length
 * first, nothing allocated (about 60 ns for a browser's dozen headers).
 */
export function repeatedHeader(raw: readonly string[]): "Host" | "Content-Type" | undefined {
  let host = false;
  let type = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 4 && HOST_NAME.test(name)) {
      if (host) return "Host";
      host = true;
    } else if (name.length === 12 && CONTENT_TYPE_NAME.test(name)) {
      if (type) return "Content-Type";
      type = true;
    }
  }
  return undefined;
}

const HOST_NAME = /^host$/i;
const CONTENT_TYPE_NAME = /^content-type$/i;

/**
 * The request's target as a path (origin-form), which the router and Yoga read alike; or why it
 * is refused: a target that is no path and no URL (`*`: only OPTIONS asks for the server as a
 * whole, 204), or a header that makes the request unclear (`headerProblem`), refused with the
 * path it was sent to, for its log line and metrics. An absolute URL as the target (`POST
 * http://example.org/graphql`, which a server must accept) is taken as its path.
 */
function targetOf(req: IncomingMessage): {
  url: string;
  /** An absolute URL's path and query as sent, before the URL parser resolved its dot segments and backslashes. */
  sent?: string;
  problem?: string;
  /** The status of the refusal, when it is not 400. */
  status?: number;
  /** The refusal's code, when it is not BAD_REQUEST. */
  code?: string;
  serverWide?: true;
} {
  const target = pathOfTarget(req.url ?? "/", req.method);
  if (target.problem !== undefined) return target;
  const refused = headerProblem(req);
  return refused === undefined ? target : { url: target.url, ...refused };
}

/** The request target as a path (see targetOf). */
function pathOfTarget(
  url: string,
  method: string | undefined,
): { url: string; sent?: string; problem?: string; serverWide?: true } {
  if (url.startsWith("/")) return { url };
  if (/^https?:\/\//i.test(url)) {
    try {
      const absolute = new URL(url);
      // (the explorer's files are served at their own path only, as sent: static.ts; red team 44
      // N3's spellings came back through an absolute URL, `GET http://host/assets\x.js`)
      const sent = url.replace(/^https?:\/\/[^/?#]*/i, "");
      return {
        url: absolute.pathname + absolute.search,
        sent: sent.startsWith("/") ? sent : `/${sent}`,
      };
    } catch {
      // not a URL: refused below
    }
  }
  if (url === "*" && method === "OPTIONS") return { url: "/", serverWide: true };
  return {
    url: "/",
    problem: `The request target ${JSON.stringify(shown(url))} is not a path: send a path such as /graphql (or an absolute URL).`,
  };
}

/**
 * Why a request's headers make it unclear, if they do: more than MAX_HEADER_FIELDS fields (431),
 * an Expect the server does not meet (417,
 * RFC 9110 10.1.1), Host or Content-Type given twice (`repeatedHeader`), an HTTP/1.1 request
 * without a Host, or a Host that is no host (400, RFC 9112 3.2).
 */
function headerProblem(
  req: IncomingMessage,
): { problem: string; status?: number; code?: string } | undefined {
  // more fields than Node's parser keeps in `headers` (`rawHeaders` has them all): those past
  // them were dropped, a Host among them maybe
  if (req.rawHeaders.length > 2 * MAX_HEADER_FIELDS)
    return {
      status: 431,
      problem: `The request has more than ${MAX_HEADER_FIELDS} header fields, more than the server reads (it would not see those after them): send fewer.`,
    };
  const expect = req.headers.expect;
  if (expect !== undefined && unmetExpectations.has(req))
    return {
      status: 417,
      // its own code, as 413's has: a client told BAD_REQUEST would look for a fault in its
      // query, where the header is at fault
      code: "EXPECTATION_FAILED",
      problem: `The request expects ${JSON.stringify(shown(expect))} (its Expect header), which this server does not understand: the only expectation it meets is "100-continue". Send the request without Expect, or with "Expect: 100-continue".`,
    };
  const repeated = repeatedHeader(req.rawHeaders);
  if (repeated !== undefined)
    return {
      problem: `The ${repeated} header is given more than once: give it once, so that it is clear which one counts${repeated === "Host" ? " (RFC 9112, 3.2)" : ""}.`,
    };
  const host = req.headers.host;
  // an HTTP/1.0 request may come without one, as node's own check (turned off) lets it
  if (host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor >= 1)
    return {
      problem: `The request has no Host header, which HTTP/1.1 requires (RFC 9112, 3.2): send the server's, as in "Host: example.org" or "Host: 127.0.0.1:4000".`,
    };
  if (host !== undefined && host !== lastHostTaken) {
    if (!(HOST.test(host) && isUrlHost(host)))
      return {
        problem: `The Host header ${JSON.stringify(shown(host))} is not a host name or address with a port: send the server's, as in "Host: example.org" or "Host: 127.0.0.1:4000".`,
      };
    lastHostTaken = host;
  }
  return undefined;
}

/** A dot segment (`.`, `..`, also percent-encoded) or a backslash in a URL's path. */
const DOT_SEGMENT_OR_BACKSLASH = /\\|(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

/**
 * The request's URL with its path as Yoga reads it (`new URL("http://host" + url)`, WHATWG's
 * parser: dot segments resolved, `%2e` taken as a dot, a backslash as a slash), so that the
 * router below and Yoga agree on it. They did not: `/x/../graphql`, `/%2e%2e/graphql` and
 * `/x/..\graphql` were no path of the router's (which compared the raw path with `/graphql`),
 * passed the shortcut and its body limit by, and were executed by Yoga as /graphql, with no limit
 * on the body (250 MB answered 200, holding the event loop over a second). A URL without dot
 * segments or backslashes (every browser's, every client's) is left as it came.
 */
export function canonicalUrl(url: string | undefined): string {
  if (url === undefined || !url.startsWith("/")) return url ?? "/";
  const end = url.search(/[?#]/);
  const path = end >= 0 ? url.slice(0, end) : url;
  if (!DOT_SEGMENT_OR_BACKSLASH.test(path)) return url;
  let canonical: string;
  try {
    canonical = new URL(`http://host${path}`).pathname;
  } catch {
    return url;
  }
  return end >= 0 ? canonical + url.slice(end) : canonical;
}

/** The path of a request URL, without its query string. */
function pathOf(url: string | undefined): string {
  const end = url?.search(/[?#]/) ?? -1;
  return (end >= 0 ? url!.slice(0, end) : url) || "/";
}

/**
 * Listen and resolve with the actual address (port 0 picks a free port); `backlog`, the kernel's
 * queue of connections not yet taken (connections.ts, `listenBacklog`). With `--workers`, the
 * first worker's is the primary's (node:cluster listens for it with the backlog it asked), or,
 * under `NODE_CLUSTER_SCHED_POLICY=none`, each worker listens on the shared socket with its own.
 */
export function listen(
  server: Server,
  port: number,
  host: string,
  backlog = DEFAULT_CONFIG.listenBacklog,
): Promise<AddressInfo> {
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen({ port, host, backlog }, () => {
      server.off("error", reject);
      resolvePromise(server.address() as AddressInfo);
    });
  });
}
