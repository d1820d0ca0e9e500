/**
 * Prometheus metrics, served at /metrics: HTTP requests by route, method and status (each from a
 * fixed set, so that no request can make new series), their
 * latency, GraphQL errors by code, connections, requests shed, the graph being served and its
 * watcher, and the process's own (memory, CPU, event loop). Each app has its own registry, so that several apps in one process (tests) do not
 * mix their counts.
 */
import type { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { SliceScheduler } from "../graph/scheduler.js";
import { mappedColumnsFiles } from "../graph/snapshot/columns.js";
import { bigCompressions } from "./compression.js";

/** The routes requests are counted under: a fixed set, so that arbitrary paths cannot create series. */
export const ROUTES = [
  "/graphql",
  "/health",
  "/ready",
  "/metrics",
  "/graph.jsonld",
  "/graph.nt",
] as const;
export const routeOf = (path: string): string =>
  (ROUTES as readonly string[]).includes(path) ? path : "other";

/**
 * The methods requests are counted under; any other (PROPFIND, MKCOL, a made-up one) counts as
 * other. Each method made new series under every route and status: 240 requests with 33 methods
 * took /metrics from 30 KB to 356 KB, and every scrape after cost 12 times as much.
 */
export const METHODS = ["GET", "HEAD", "POST", "OPTIONS"] as const;
export const methodOf = (method: string | undefined): string =>
  method !== undefined && (METHODS as readonly string[]).includes(method) ? method : "other";

/** What the metrics read of the process's execution scheduler (src/graph/scheduler.ts). */
export type ExecutionsSeen = Pick<SliceScheduler, "active" | "queued">;

/** `executions`: the scheduler whose operations the executions gauges count (the app's). */
/** How the primary's /metrics joins the workers' figures of the default metric `name`. */
function setAggregator(registry: Registry, name: string, aggregator: "max" | "min"): void {
  const metric = registry.getSingleMetric(name) as { aggregator?: string } | undefined;
  if (metric) metric.aggregator = aggregator;
}

export function createMetrics(executions?: ExecutionsSeen) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "kz_osce_" });
  // each process's own file descriptors against its own limit: with --workers, the most open in
  // one worker and the least limit (prom-client adds both up: 40000 for a limit of 20000)
  setAggregator(registry, "kz_osce_process_open_fds", "max");
  setAggregator(registry, "kz_osce_process_max_fds", "min");
  const registers = [registry];
  const byRequest = ["route", "method", "status"] as const;
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter({ name, help, labelNames, registers });
  /**
   * A counter by reason with each reason's series at 0 from the start: a labelled counter shows
   * no series until it is first counted, and Prometheus's increase() then misses that first count
   * (the review of 5 December: the displaced exports' series vanished when `reason` was added).
   */
  const byReason = (name: string, help: string, reasons: readonly string[]) => {
    const made = counter(name, help, ["reason"]);
    for (const reason of reasons) made.inc({ reason }, 0);
    return made;
  };
  /**
   * A gauge; with `--workers` the primary's /metrics adds up the workers' (prom-client's
   * AggregatorRegistry), unless `aggregator` says otherwise: a figure each worker has of the same
   * thing (the graph's entities, a 0/1 state) was answered times the workers (red team 41:
   * `kz_osce_graph_entities` 200000 for 100,000 entities, `kz_osce_dataset_watch_up` 2).
   */
  const gauge = (name: string, help: string, aggregator?: "max" | "min") =>
    new Gauge({ name, help, registers, ...(aggregator && { aggregator }) });
  return {
    registry,
    requests: counter(
      "kz_osce_http_requests_total",
      "HTTP requests answered, by route (an unknown path counts as other), method and status.",
      byRequest,
    ),
    duration: new Histogram({
      name: "kz_osce_http_request_duration_seconds",
      help: "Time from receiving a request to finishing its response, by route, method and status.",
      labelNames: byRequest,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    graphqlErrors: counter(
      "kz_osce_graphql_errors_total",
      "Errors in GraphQL responses, by extensions.code (none: an error without a code).",
      ["code"],
    ),
    inFlight: gauge("kz_osce_http_requests_in_flight", "Requests being handled right now."),
    entities: gauge(
      "kz_osce_graph_entities",
      "Entities in the graph being served (with --workers, the most any worker serves).",
      "max",
    ),
    openConnections: gauge("kz_osce_http_open_connections", "Connections open right now."),
    shed: counter(
      "kz_osce_http_requests_shed_total",
      "Requests refused with 503 before any work: SERVER_OVERLOADED (the event loop lagged; or the work waiting to execute was over its bound, half KZ_OSCE_EXECUTION_TIMEOUT_MS, and the client address held an equal share of it or, with work of its own waiting, had an operation refused lately as it was about to execute, or the work passed twice the bound; refusals of an operation as it is about to execute are counted in kz_osce_graphql_errors_total), TOO_MANY_CONNECTIONS (a connection beyond the cap), TOO_MANY_CONNECTIONS_FROM_ADDRESS (its address holding KZ_OSCE_MAX_CONNECTIONS_PER_ADDRESS; answered with the code TOO_MANY_CONNECTIONS), EXPORTS_BUSY (as many RDF exports in progress as KZ_OSCE_MAX_EXPORTS).",
      ["reason"],
    ),
    admittedByShare: counter(
      "kz_osce_http_requests_admitted_by_share_total",
      "Requests let in while the work waiting to execute was over its bound (half KZ_OSCE_EXECUTION_TIMEOUT_MS), their client address having less than an equal share of it waiting; those refused are counted in kz_osce_http_requests_shed_total.",
    ),
    answersCut: byReason(
      "kz_osce_http_answers_cut_total",
      "Connections closed while their answer was not taken: stalled (no byte taken for a minute), over-limit (the unsent bytes of all answers were over KZ_OSCE_MAX_UNSENT_BYTES, and this one had held them longest), slow-reader (its client read less than KZ_OSCE_MIN_RESPONSE_RATE bytes/s over a minute with more than that waiting for it).",
      ["stalled", "over-limit", "slow-reader"],
    ),
    exportsDisplaced: byReason(
      "kz_osce_http_exports_displaced_total",
      "RDF exports cut off to give their slot to a request that found every slot (KZ_OSCE_MAX_EXPORTS) taken, by reason: slow (streamed 10 s or more, with bytes waiting for a client that took less than 128 KiB/s over the last 10 s), share (the youngest export of a client address holding more than its share of the slots, for a request from another address holding less).",
      ["slow", "share"],
    ),
    notModified: byReason(
      "kz_osce_http_not_modified_total",
      "GraphQL GETs answered 304 Not Modified, by reason: issued (the tag was given by this process, and nothing was executed), executed (a tag it had not given, another replica's or one from before a restart: the GET was executed to learn that its answer is a successful one).",
      ["issued", "executed"],
    ),
    unsentBytes: gauge(
      "kz_osce_http_unsent_bytes",
      "Bytes of answers written but not yet taken by their clients, over all connections, at the last look (every second): those the process holds, and those the kernel holds not yet acknowledged (where /proc/net/tcp can be read).",
    ),
    unsentKernelBytes: gauge(
      "kz_osce_http_unsent_kernel_bytes",
      "Of kz_osce_http_unsent_bytes, those the kernel holds in the connections' send buffers, not yet acknowledged by their clients (0 where /proc/net/tcp cannot be read).",
    ),
    kernelReadings: gauge(
      "kz_osce_http_kernel_readings_available",
      "1 while the kernel's lists of connections (/proc/net/tcp and tcp6) are read, so that what the kernel holds of each answer is counted and slow readers are judged by what they acknowledged; 0 before the first reading, where they cannot be read, or while they are over 64 MiB (docs/operations.md). With --workers, 0 while any worker's are not.",
      "min",
    ),
    connectionsEvicted: counter(
      "kz_osce_http_connections_evicted_total",
      "Connections closed at the connection cap to make room for a new one: open a second or more without having sent a whole request's headers.",
    ),
    lingersCut: counter(
      "kz_osce_http_lingering_closed_total",
      "Lingering closes (a 413 written while its body was still coming, then up to 5 s reading what follows) ended early: a tenth of KZ_OSCE_MAX_CONNECTIONS (at least 16) lingered already, and the oldest was closed.",
    ),
    bodiesTooSlow: counter(
      "kz_osce_http_bodies_too_slow_total",
      "Requests refused 408 BODY_TOO_SLOW: their body came at less than KZ_OSCE_MIN_BODY_RATE bytes/s on average once KZ_OSCE_MIN_BODY_RATE_GRACE_MS had passed.",
    ),
    connectionsDropped: counter(
      "kz_osce_http_connections_dropped_total",
      "Connections closed as soon as accepted, unanswered: more than the cap and its margin were open.",
    ),
    overloaded: gauge(
      "kz_osce_overloaded",
      "1 while new requests are shed because the event loop lags (see KZ_OSCE_MAX_EVENT_LOOP_DELAY_MS), else 0. With --workers, 1 while any worker sheds.",
      "max",
    ),
    snapshotUnreadable: counter(
      "kz_osce_snapshot_unreadable_total",
      "Graphs served whose snapshot failed a read while served (the file truncated or written over in place): each answered 503 SNAPSHOT_UNREADABLE until the dataset was loaded again.",
    ),
    snapshotRecoveriesFailed: counter(
      "kz_osce_snapshot_recoveries_failed_total",
      "Loads of the dataset, made to mend an unreadable snapshot, that left the unreadable graph served (the load failed, or the dataset was refused): each is tried again after a wait doubled from 1 s to 60 s.",
    ),
    watchUp: gauge(
      "kz_osce_dataset_watch_up",
      "1 while live reload watches the dataset and serves it as on disk (or is not asked for), 0 while its directory is missing, the watcher failed, or the last reload failed or was refused (/ready's watch: waiting, failed, refused). With --workers, 0 while any worker's is.",
      "min",
    ),
    mappedColumns: new Gauge({
      aggregator: "max",
      name: "kz_osce_snapshot_columns_files_mapped",
      help: "Snapshot columns files this process has memory-mapped (datasets of more than ~110k entities): the served graph's, and those of graphs a reload replaced that are not yet collected (a removed file keeps its disk space while mapped).",
      registers,
      collect() {
        this.set(mappedColumnsFiles().length);
      },
    }),
    compressionsWaiting: new Gauge({
      name: "kz_osce_compressions_waiting",
      help: "Bodies of 256 KiB or more (long answers, exports, GraphiQL's page) waiting to be compressed: half of libuv's thread pool compresses them at once, in the order they came, so that small answers find a thread free.",
      registers,
      collect() {
        this.set(bigCompressions().waiting);
      },
    }),
    // A Deadline begun and never finished (an execution path that forgets `finish`) would keep
    // `active` above 0 for good, and the idle warm-up (warm.ts) would never run again: watch it
    // here; the test suite fails a file that leaves it raised (tests/support/executions-settled.ts).
    executionsActive: new Gauge({
      name: "kz_osce_executions_active",
      help: "GraphQL operations executing now in this process (begun, not yet finished; each holds the event loop a slice at a time): 0 when the server is idle. The idle warm-up of entities runs only while it is 0 and nothing waits.",
      registers,
      collect() {
        this.set(executions?.active ?? 0);
      },
    }),
    executionsWaiting: new Gauge({
      name: "kz_osce_executions_waiting",
      help: "GraphQL requests waiting for their turn of the event loop in this process, for their document's parse and validation or for their execution's next slice (each turn runs queued work for one slice, KZ_OSCE_EXECUTION_SLICE_MS: work before execution and cheap executions first, clients in turn, then the oldest execution); load shedding refuses new requests while the work they bring passes half the execution time limit.",
      registers,
      collect() {
        this.set(executions?.queued ?? 0);
      },
    }),
    compressionsDeclined: new Counter({
      name: "kz_osce_compressions_declined_total",
      help: "Bodies of 256 KiB or more sent uncompressed because as many as may wait for compression already did (twice its lanes): the answer goes out at once, larger, rather than wait behind them; or, having waited, declined to give its place to a client holding at least two fewer.",
      registers,
      collect() {
        // the process's count, kept by compression.ts (which serves every app of the process)
        this.reset();
        this.inc(bigCompressions().declined);
      },
    }),
    reloads: counter(
      "kz_osce_graph_reloads_total",
      "Reloads of the dataset after a change: applied; refused (the dataset was invalid or could not be read, and the previous graph kept serving); or failed (the load failed or ran out of time, and the previous graph kept serving).",
      ["outcome"],
    ),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** A Yoga plugin counting the errors of every answer by their code (`kz_osce_graphql_errors_total`). */
export function useErrorCounts(metrics: Metrics): Plugin {
  return {
    onResultProcess({ result }) {
      for (const one of Array.isArray(result) ? result : [result]) {
        for (const error of (one as { errors?: readonly GraphQLError[] }).errors ?? [])
          metrics.graphqlErrors.inc({ code: String(error.extensions?.code ?? "none") });
      }
    },
  };
}
