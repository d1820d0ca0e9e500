/**
 * Variants of this server, for the decisions recorded in bench/RESULTS.md. Each is Yoga over
 * this project's schema on node:http, like src/server/app.ts, with one thing changed:
 *
 * - yoga-limit:  Yoga's own request-body limit (its default), no response cache: the server as it was;
 * - own-limit:   the body read and limited at the node:http layer (`maxRequestBodySize: false`), no response cache;
 * - no-pv-cache: own-limit without Yoga's parse and validation caches;
 * - jit:         own-limit, executing with graphql-jit (@envelop/graphql-jit), every document compiled on first use;
 * - jit-hot:     own-limit, graphql-jit only for documents already run 3 times;
 * - cache:       own-limit plus the response cache (src/server/response-cache.ts): what `npm start` serves;
 * - plugin-cache: own-limit plus Yoga's @graphql-yoga/plugin-response-cache (in memory, one
 *                 session for all), the library our response cache stands beside (docs/performance.md);
 * - app-no-cache: the application itself (createApp, as `npm start`) with the response cache off,
 *                 so that a benchmark measures the graph rather than the cache (bench:scale);
 * - app-no-fast:  the application itself with the shortcut's fast answers off: every request its
 *                 response cache does not answer goes through Yoga's HTTP layer (docs/performance.md).
 *
 * `npm run bench -- --servers raw,ours,variant:yoga-limit,variant:own-limit,...`
 */
// first: production mode as `npm start` runs ours (src/server/node-env.ts), before graphql-js loads
import "../../src/server/node-env.js";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { useGraphQlJit } from "@envelop/graphql-jit";
// a devDependency of the root package (tests/server/response-cache.test.ts holds ours against it), at the version Yoga 5.24 pairs with
import { useResponseCache } from "@graphql-yoga/plugin-response-cache";
import type { DocumentNode } from "graphql";
import { createYoga, type Plugin } from "graphql-yoga";
import { type Context, schema } from "../../src/schema/index.js";
import { bufferedBody, readBody, sendError } from "../../src/server/body.js";
import { finishAnswer, IssuedTags } from "../../src/server/http-cache.js";
import { ResponseCache } from "../../src/server/response-cache.js";
import { flag, listenLocal, loadServed } from "./common.js";

const variant = flag("variant") ?? "";

const known = [
  "yoga-limit",
  "own-limit",
  "no-pv-cache",
  "jit",
  "jit-hot",
  "cache",
  "plugin-cache",
  "app-no-cache",
  "app-no-fast",
];
if (!known.includes(variant))
  throw new Error(`unknown variant "${variant}" (one of ${known.join(", ")})`);

const ofTheApp = variant.startsWith("app-");
if (ofTheApp) {
  const { loadGraph } = await import("../../data/load.js");
  const { createApp } = await import("../../src/server/app.js");
  // no load shedding: on a shared machine a lagging event loop gets a variant 503s that fail the run
  const options = {
    maxEventLoopDelayMs: 0,
    ...(variant === "app-no-cache" ? { responseCache: false as const } : { fastAnswers: false }),
  };
  await listenLocal(createApp(await loadGraph(flag("data")), options).server);
}
const served = ofTheApp ? undefined! : await loadServed();
const seen = new WeakMap<DocumentNode, number>();
const plugins: Plugin[] =
  variant === "jit"
    ? [useGraphQlJit() as Plugin]
    : variant === "jit-hot"
      ? [
          useGraphQlJit(
            {},
            {
              enableIf: ({ document }) => {
                const count = (seen.get(document) ?? 0) + 1;
                seen.set(document, count);
                return count >= 3;
              },
            },
          ) as Plugin,
        ]
      : variant === "plugin-cache"
        ? [useResponseCache({ session: () => null, includeExtensionMetadata: false }) as Plugin]
        : [];

const yoga = createYoga<Record<string, unknown>, Context>({
  schema,
  graphqlEndpoint: "/graphql",
  landingPage: false,
  graphiql: false,
  ...(variant === "yoga-limit" ? {} : { maxRequestBodySize: false }),
  ...(variant === "no-pv-cache" ? { parserAndValidationCache: false } : {}),
  plugins,
  context: () => ({ graph: served.graph, search: served.search }),
});
const cache = variant === "cache" ? new ResponseCache() : undefined;

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (variant === "yoga-limit") return void yoga(req, res);
  let body: Buffer | undefined;
  if (req.method !== "GET" && req.method !== "HEAD") {
    const read = await readBody(req, 102_400);
    if (read.ok === false) return sendError(res, read.status, read.code, read.message);
    body = read.buffer;
    (req as IncomingMessage & { body?: unknown }).body = bufferedBody(body);
  }
  const key = cache?.keyOf(req, body, undefined);
  if (key !== undefined) {
    if (cache!.serve(served.graph, key, res)) return;
    // the cache keeps what finishAnswer sends (here uncompressed, as everything else in this variant)
    const keep = cache!.capture(served.graph, key, res);
    if (keep)
      finishAnswer(
        req,
        res,
        undefined,
        {
          compression: false,
          compressMinBytes: 0,
          // no CORS headers, as before finishAnswer added them (the bench's clients send no Origin)
          cors: "none",
          cacheMaxAgeSeconds: 0,
          cacheStaleWhileRevalidateSeconds: 0,
        },
        // no ETag here, so no tag is ever issued
        new IssuedTags(),
        "shared",
        keep,
      );
  }
  await yoga(req, res);
}

if (!ofTheApp) {
  await listenLocal(createServer((req, res) => void handle(req, res)));
}
