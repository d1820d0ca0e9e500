/**
 * Apollo Server as a user would start it (`startStandaloneServer`, its defaults), serving this
 * project's own schema object with the same per-request context as our server.
 */
// first: production mode as `npm start` runs ours (src/server/node-env.ts), before graphql-js loads
import "../../src/server/node-env.js";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import type { Context } from "../../src/schema/index.js";
import { schema } from "../../src/schema/index.js";
import { loadServed } from "./common.js";

const served = await loadServed();
const server = new ApolloServer<Context>({ schema });
const { url } = await startStandaloneServer(server, {
  listen: { port: 0, host: "127.0.0.1" },
  context: async () => ({ graph: served.graph, search: served.search }),
});
console.log(`port ${new URL(url).port}`);
