/**
 * `npm run subgraph:countries`: the countries subgraph on 127.0.0.1:4002 (`PORT`, `HOST` to
 * change). Stops on SIGTERM or Ctrl-C once its connections are closed.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createYoga } from "graphql-yoga";
import { countriesSchema } from "./schema.js";

/** The subgraph's HTTP server (not listening yet); `codes` as for `countriesSchema`. */
export function createCountriesServer(codes?: Readonly<Record<string, string>>) {
  const yoga = createYoga({
    schema: countriesSchema(codes),
    graphqlEndpoint: "/graphql",
    landingPage: false,
    logging: "warn",
  });
  return createServer(yoga);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT || 4002);
  const host = process.env.HOST || "127.0.0.1";
  const server = createCountriesServer();
  server.listen(port, host, () => {
    const address = server.address() as AddressInfo;
    console.log(
      `countries-subgraph: serving at http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}/graphql`,
    );
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
