/**
 * Prometheus metrics, served at /metrics: HTTP requests by route, method and status, their
 * latency, GraphQL errors by code, connections, requests shed, the graph being served and its
 * watcher, and the process's own (memory, CPU, event loop). Each app has its own registry, so that several apps in one process (tests) do not
 * mix their counts.
 */
import type { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

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

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "kz_osce_" });
  return {
    registry,
    requests: new Counter({
      name: "kz_osce_http_requests_total",
      help: "HTTP requests answered, by route (an unknown path counts as other), method and status.",
      labelNames: ["route", "method", "status"] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: "kz_osce_http_request_duration_seconds",
      help: "Time from receiving a request to finishing its response, by route, method and status.",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    graphqlErrors: new Counter({
      name: "kz_osce_graphql_errors_total",
      help: "Errors in GraphQL responses, by extensions.code (none: an error without a code, such as a variable of the wrong type).",
      labelNames: ["code"] as const,
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: "kz_osce_http_requests_in_flight",
      help: "Requests being handled right now.",
      registers: [registry],
    }),
    entities: new Gauge({
      name: "kz_osce_graph_entities",
      help: "Entities in the graph being served.",
      registers: [registry],
    }),
    openConnections: new Gauge({
      name: "kz_osce_http_open_connections",
      help: "Connections open right now.",
      registers: [registry],
    }),
    shed: new Counter({
      name: "kz_osce_http_requests_shed_total",
      help: "Requests refused with 503 before any work: SERVER_OVERLOADED (the event loop lagged), TOO_MANY_CONNECTIONS (a connection beyond the cap).",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    connectionsDropped: new Counter({
      name: "kz_osce_http_connections_dropped_total",
      help: "Connections closed as soon as accepted, unanswered: more than the cap and its margin were open.",
      registers: [registry],
    }),
    overloaded: new Gauge({
      name: "kz_osce_overloaded",
      help: "1 while new requests are shed because the event loop lags (see KZ_OSCE_MAX_EVENT_LOOP_DELAY_MS), else 0.",
      registers: [registry],
    }),
    watchUp: new Gauge({
      name: "kz_osce_dataset_watch_up",
      help: "1 while live reload watches the dataset (or is not asked for), 0 while its directory is missing or the watcher failed.",
      registers: [registry],
    }),
    reloads: new Counter({
      name: "kz_osce_graph_reloads_total",
      help: "Reloads of the dataset after a change: applied, or refused (the dataset was invalid and the previous graph kept serving).",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
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
