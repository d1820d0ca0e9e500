/**
 * The fastest peer a user would pick: Fastify + Mercurius with graphql-jit (compiled after the
 * first run of a document, `jit: 1`), serving this project's own schema object with the same
 * per-request context as our server ({ graph, search }).
 */
// first: production mode as `npm start` runs ours (src/server/node-env.ts), before graphql-js loads
import "../../src/server/node-env.js";
import Fastify from "fastify";
import mercurius from "mercurius";
import { schema } from "../../src/schema/index.js";
import { announce, loadServed } from "./common.js";

const served = await loadServed();
const app = Fastify({ logger: false });
await app.register(mercurius, {
  schema,
  jit: 1,
  graphiql: false,
  // a fresh object per request: Pothos keys its DataLoaders on the context
  context: () => ({ graph: served.graph, search: served.search }),
});
await app.listen({ port: 0, host: "127.0.0.1" });
announce(app.server.address());
