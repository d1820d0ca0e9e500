/**
 * The server's own endpoints, as Yoga plugins in the manner of Yoga's `useHealthCheck` and
 * `useReadinessCheck`: each answers its path in `onRequest`, before Yoga parses anything, with
 * JSON and `cache-control: no-store`, for GET and HEAD only (405 with `Allow` otherwise).
 * Unlike Yoga's, a path matches exactly: Yoga's match the end of the URL, so that
 * `/graphql?x=/health` was a health check (`YOGA_HEALTH_CHECK_OFF` turns Yoga's own off).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Plugin } from "graphql-yoga";
import { errorJson } from "./body.js";
import { type Logger, requestIdFrom } from "./log.js";

/**
 * Where Yoga's built-in health check is sent (`healthCheckEndpoint`): no URL ends in a NUL
 * character (Node's HTTP parser refuses it), so it never answers, and `useHealth` does instead.
 */
export const YOGA_HEALTH_CHECK_OFF = "\u0000";

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

/** The media type of the server's refusals (body.ts's sendError); /health and /ready say plain application/json. */
const ERROR_TYPE = { "content-type": "application/json; charset=utf-8" };

/** A plugin answering GET and HEAD at `path` with what `answer` gives (a promise for /metrics). */
function endpoint(
  path: string,
  answer: (
    req: IncomingMessage | undefined,
    res: ServerResponse | undefined,
  ) => Answer | Promise<Answer>,
): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      if (url.pathname !== path) return;
      const respond = ({ status, body, headers }: Answer) => {
        const text = typeof body === "string" ? body : JSON.stringify(body);
        endResponse(
          new fetchAPI.Response(text, {
            status,
            headers: {
              "content-type": "application/json",
              "cache-control": "no-store",
              ...headers,
            },
          }),
        );
      };
      if (request.method !== "GET" && request.method !== "HEAD") {
        respond({
          status: 405,
          body: errorJson(
            "METHOD_NOT_ALLOWED",
            `${path} answers GET and HEAD only, not ${request.method}.`,
          ),
          headers: { allow: "GET, HEAD", ...ERROR_TYPE },
        });
        return;
      }
      const { req, res } = serverContext as { req?: IncomingMessage; res?: ServerResponse };
      const answered = answer(req, res);
      if (answered instanceof Promise) return answered.then(respond);
      respond(answered);
    },
  };
}

/** `/health`: the process is up; `status` says what it serves (always 200). */
export function useHealth(options: { status: () => Record<string, unknown> }): Plugin {
  return endpoint("/health", () => ({
    status: 200,
    body: { status: "ok", ...options.status() },
  }));
}

/**
 * `/ready`: whether this replica should be sent traffic. `check` gives the body, whose `status`
 * is "ready" (200) or why not ("draining", "overloaded", "snapshot unreadable", "warming": 503).
 */
export function useReadiness(options: {
  check: (req: IncomingMessage | undefined) => { status: string } & Record<string, unknown>;
}): Plugin {
  return endpoint("/ready", (req) => {
    const body = options.check(req);
    return { status: body.status === "ready" ? 200 : 503, body };
  });
}

/** How long a collection under way is shared at most (ms): a later scrape collects afresh. */
const SHARED_COLLECTION_MS = 10_000;

/**
 * `/metrics`: Prometheus's text format from `collect`; 503 when it cannot be collected.
 *
 * Scrapes that arrive while one is collected, or in the same turn of the event loop, share its
 * text: each collection renders every series (2 ms; a primary asks each worker for theirs), and
 * 200 scrapes sent at once held `/health` 296 ms, 1,000 for 1.3 s. A scrape in a later turn
 * collects afresh, so counters are never older than the turn.
 */
export function useMetricsEndpoint(options: {
  collect: () => Promise<{ text: string; contentType: string }>;
  logger: Logger;
  /** How long a collection under way is shared at most, in ms (default SHARED_COLLECTION_MS). */
  sharedForMs?: number;
}): Plugin {
  let shared: ReturnType<typeof options.collect> | undefined;
  const collect = () => {
    if (shared) return shared;
    const collecting = options.collect();
    shared = collecting;
    const forgetNow = () => {
      if (shared === collecting) shared = undefined;
    };
    // one that never settles (a worker's answer lost) holds its own scrapes, not every later one
    const bound = setTimeout(forgetNow, options.sharedForMs ?? SHARED_COLLECTION_MS).unref();
    // cleared once it settles: left to run, the timer would hold the collection, and what
    // `options` reach (in the tests, a whole app and its graph), for its whole 10 s
    const forget = () => {
      clearTimeout(bound);
      setImmediate(forgetNow);
    };
    collecting.then(forget, forget);
    return collecting;
  };
  return endpoint("/metrics", (_req, res) =>
    collect().then(
      ({ text, contentType }) => ({
        status: 200,
        body: text,
        headers: { "content-type": contentType },
      }),
      (error: unknown) => {
        const requestId = requestIdFrom(res);
        options.logger.error("metrics could not be collected", {
          ...(requestId ? { requestId } : {}),
          error,
        });
        return {
          status: 503,
          body: errorJson("METRICS_UNAVAILABLE", "The metrics could not be collected: try again."),
          headers: ERROR_TYPE,
        };
      },
    ),
  );
}

/**
 * 404 for every path that is not the GraphQL endpoint (nor one of the above), naming the
 * endpoints, where Yoga answers an empty 404. Put after the endpoints it names.
 */
export function useNotFound(options: {
  graphqlEndpoint: string;
  endpoints: readonly string[];
}): Plugin {
  const endpoints = `${options.graphqlEndpoint} (and ${options.endpoints.join(", ")})`;
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname === options.graphqlEndpoint) return;
      const path = JSON.stringify(url.pathname.slice(0, 200));
      const body = errorJson(
        "NOT_FOUND",
        `Nothing at ${path}: the GraphQL endpoint is ${endpoints}.`,
      );
      // a fresh object: the response's headers are kept in the object given, and grow there
      endResponse(new fetchAPI.Response(body, { status: 404, headers: { ...ERROR_TYPE } }));
    },
  };
}
