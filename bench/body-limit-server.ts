/**
 * One variant of the body handling, served on a free port for bench/body-limit.ts (which prints
 * "port N" from this process's first line of output):
 * - yoga-limit: Yoga's own maxRequestBodySize (its default, 25 MB), which streams every body;
 * - no-limit: Yoga with maxRequestBodySize: false and nothing else (the ceiling);
 * - buffered: our handler (src/server/body.ts): Content-Length check, counted read, one Buffer;
 * - app: the whole application as served (body limit plus every other control).
 */
import { createServer, type Server } from "node:http";
import { createYoga } from "graphql-yoga";
import { loadBuiltInGraph } from "../data/load.js";
import { SearchIndex } from "../src/graph/search.js";
import { type Context, schema } from "../src/schema/index.js";
import { createApp, listen } from "../src/server/app.js";
import { bufferedBody, readBody, sendError } from "../src/server/body.js";

const variant = process.argv[2];
const graph = await loadBuiltInGraph();
const search = SearchIndex.build(graph);
const bare = (maxRequestBodySize: number | false) =>
  createYoga<Record<string, unknown>, Context>({
    schema,
    logging: false,
    maxRequestBodySize,
    context: () => ({ graph, search }),
  });

let server: Server;
if (variant === "yoga-limit") {
  const yoga = bare(25_000_000);
  server = createServer((req, res) => void yoga(req, res));
} else if (variant === "no-limit") {
  const yoga = bare(false);
  server = createServer((req, res) => void yoga(req, res));
} else if (variant === "buffered") {
  const yoga = bare(false);
  server = createServer(async (req, res) => {
    const body = await readBody(req, 102_400);
    if (!body.ok) return sendError(res, body.status, body.code, body.message);
    (req as typeof req & { body?: unknown }).body = bufferedBody(body.buffer);
    await yoga(req, res);
  });
} else if (variant === "app") {
  server = createApp(graph, { logLevel: "silent" }).server;
} else {
  throw new Error(`unknown variant ${variant}`);
}
const address = await listen(server, 0, "127.0.0.1");
console.log(`port ${address.port}`);
