/** A real server on 127.0.0.1:0 for HTTP-level tests, and a typed GraphQL client for it. */
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { type ExecutionResult, print } from "graphql";
import { loadBuiltInGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { type App, type AppOptions, createApp, listen } from "../../src/server/app.js";
import { DEFAULT_CONFIG, INT_SETTINGS } from "../../src/server/config.js";
import { corsHeaders } from "../../src/server/cors.js";
import { createShortcut, type ShortcutOptions, type Yoga } from "../../src/server/shortcut.js";

export interface TestServer {
  url: string;
  graphql: string;
  app: App;
  close(): Promise<void>;
}

/**
 * The app on 127.0.0.1:0; silent unless the test asks for logs (`logLevel`, `logSink`). Load
 * shedding is off unless the test sets `maxEventLoopDelayMs`: on a machine busy with other
 * work, the test's own event loop can lag a second, and a test about something else must not
 * then get a 503 (tests/server/pressure.test.ts tests shedding).
 */
export async function startServer(
  graph?: KnowledgeGraph,
  options: AppOptions = {},
): Promise<TestServer> {
  const app = createApp(graph ?? (await loadBuiltInGraph()), {
    logLevel: "silent",
    maxEventLoopDelayMs: 0,
    // above fetch's (undici's) own 4 s, so that the test's client never sends on a kept-alive
    // connection the server is closing that moment: a POST so sent fails ("fetch failed",
    // ECONNRESET), which answer-size.test's first request after its unit tests did twice in
    // fifteen full runs at load 8-16 (the server and the client share one event loop here)
    keepAliveTimeoutMs: 60_000,
    // the example queries run at start (warm.ts) are a start's, not a test's: on, each of the
    // suite's hundreds of servers would run them beside the test's own requests (warm.test turns them on)
    warmQueries: false,
    ...options,
  });
  const { server } = app;
  const address = await listen(server, 0, "127.0.0.1", options.listenBacklog);
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    graphql: `${url}/graphql`,
    app,
    close: () =>
      new Promise<void>((resolve, reject) => {
        app.pressure.close();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * The servers a test file starts as it goes (`start` takes what startServer takes), closed
 * together by `closeAll` in the file's afterAll or afterEach, so that a test that fails midway
 * leaves none listening. With `ignoreErrors`, a server that will not close fails no hook.
 */
export function startedServers() {
  const servers: TestServer[] = [];
  return {
    async start(...args: Parameters<typeof startServer>): Promise<TestServer> {
      const server = await startServer(...args);
      servers.push(server);
      return server;
    },
    async closeAll(options: { ignoreErrors?: boolean } = {}): Promise<void> {
      await Promise.all(
        servers
          .splice(0)
          .map((s) => (options.ignoreErrors ? s.close().catch(() => undefined) : s.close())),
      );
    },
  };
}

/** POST a typed document; returns the whole result (data and errors) as the server sent it. */
export async function execute<TData, TVariables>(
  server: TestServer,
  document: TypedDocumentNode<TData, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<ExecutionResult<TData>> {
  const response = await fetch(server.graphql, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return (await response.json()) as ExecutionResult<TData>;
}

type Connection =
  | { totalCount: number }
  | { nodes: unknown }
  | { edges: unknown }
  | { pageInfo: unknown };

/**
 * The data of an answer without errors. The root lists (connections) are nullable only so that a
 * bad argument nulls that field alone: without an error, they are never null.
 */
export type Answered<TData> = {
  [K in keyof TData]: NonNullable<TData[K]> extends Connection ? NonNullable<TData[K]> : TData[K];
};

/** POST a typed document and return its data, failing loudly on any GraphQL error. */
export async function query<TData, TVariables>(
  server: TestServer,
  document: TypedDocumentNode<TData, TVariables>,
  ...variables: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<Answered<TData>> {
  const result = await execute(server, document, ...variables);
  if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  if (!result.data) throw new Error("no data in the response");
  // no error, so no root list is null (see Answered)
  return result.data as Answered<TData>;
}

/**
 * Resolves once `count` more requests have reached the server's handler (their headers are
 * read): the event a test waits for before acting on requests in flight, instead of a sleep.
 * Call it before sending them.
 */
export function requestsArrived(server: TestServer, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const onRequest = () => {
      if (++seen < count) return;
      server.app.server.off("request", onRequest);
      resolve();
    };
    server.app.server.on("request", onRequest);
  });
}

/**
 * The shortcut (src/server/shortcut.ts) alone, over `app`'s graph, handing what it does not
 * answer to `yoga`: the default settings (CORS `*`, its headers on every answer as the app's)
 * with the largest body limit allowed and no compression, every answered operation's name given to
 * `onOperation`, and `direct` making its direct pipeline (absent: point 4 runs through envelop's
 * pipeline).
 */
export function shortcutOf(
  app: App,
  yoga: Yoga,
  options: { onOperation: (name: string) => void; direct?: ShortcutOptions["direct"] },
) {
  return createShortcut(() => yoga, {
    ...DEFAULT_CONFIG,
    maxBodyBytes: INT_SETTINGS.maxBodyBytes.max,
    compression: false,
    graph: () => app.served.current.graph,
    fastAnswers: true,
    corsHeaders: (req) => corsHeaders(DEFAULT_CONFIG.cors, req),
    onOperation: (_req, name) => options.onOperation(name),
    direct: options.direct,
  });
}

/** `/ready`'s status and JSON body at `url` (a server's base URL). */
export async function readiness(
  url: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/ready`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
