/**
 * `npm run gateway`: Hive Gateway (@graphql-hive/gateway's runtime, embedded) serving
 * supergraph.graphql on 127.0.0.1:4000, in front of the subgraphs `npm run subgraphs` starts.
 *
 * Embedded rather than the `hive-gateway` CLI, for three things the CLI does not give as simply:
 * - a port of 0 picks a free one, and the line "hive-gateway: serving the supergraph at URL"
 *   says which (tests start it that way);
 * - a clean stop: the runtime registers its own SIGTERM/SIGINT handlers, which dispose of it but
 *   leave the process (and its HTTP server) running, so the first SIGTERM would be swallowed.
 *   Here SIGTERM and SIGINT stop listening, close the connections, dispose of the runtime and
 *   exit (0 when everything closed in time); a second signal exits at once;
 * - no configuration file read from the working directory (the CLI loads a gateway.config.ts or
 *   mesh.config.ts it finds there).
 *
 * Environment: PORT (default 4000, 0 = any free port), HOST (default 127.0.0.1),
 * KZ_OSCE_SUBGRAPH_URL and COUNTRIES_SUBGRAPH_URL (the subgraphs, instead of the URLs composed
 * into the supergraph), KZ_OSCE_GATEWAY_SECRET (sent to the kz-osce subgraph in the
 * `x-gateway-secret` header: the value the subgraph was started with), SUPERGRAPH (the file).
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createGatewayRuntime, type TransportEntryAdditions } from "@graphql-hive/gateway-runtime";
import { ExecutableDefinitionsRule, isExecutableDefinitionNode, validate } from "graphql";
import { boundGraphqlSuggestions } from "../../src/schema/graphql-suggestions.js";
import { GATEWAY_SECRET_HEADER } from "../../src/server/subgraph.js";

/**
 * The gateway validates documents with graphql-js too, and its "Did you mean …?" costs time in an
 * unknown name's length, or in the product of two names' lengths when the document defines the
 * other itself (review 29: two names of 20,000 characters, 2.5 s). The server's two bounds, here
 * as well: graphql-js's suggestion list bounded (src/schema/graphql-suggestions.ts), and a
 * document that defines types or directives answered with its "not executable" errors alone.
 */
const executableOnly = {
  onValidate({
    params,
    setResult,
  }: {
    params: { schema: Parameters<typeof validate>[0]; documentAST: Parameters<typeof validate>[1] };
    setResult: (errors: readonly unknown[]) => void;
  }) {
    if (!params.documentAST.definitions.every(isExecutableDefinitionNode))
      setResult(validate(params.schema, params.documentAST, [ExecutableDefinitionsRule]));
  },
};

export interface GatewayOptions {
  /** The supergraph SDL. */
  supergraph: string;
  /** Subgraph URLs to use instead of those composed into the supergraph, by subgraph name. */
  locations?: Partial<Record<"kz-osce" | "countries", string>>;
  /** The kz-osce subgraph's gateway secret, if it has one. */
  gatewaySecret?: string | undefined;
}

export function createGateway({ supergraph, locations = {}, gatewaySecret }: GatewayOptions) {
  boundGraphqlSuggestions();
  const transportEntries: TransportEntryAdditions = {};
  for (const [name, location] of Object.entries(locations))
    if (location) transportEntries[name] = { location };
  if (gatewaySecret)
    transportEntries["kz-osce"] = {
      ...transportEntries["kz-osce"],
      headers: [[GATEWAY_SECRET_HEADER, gatewaySecret]],
    };
  const gateway = createGatewayRuntime({
    supergraph,
    transportEntries,
    graphqlEndpoint: "/graphql",
    landingPage: false,
    logging: "warn",
    plugins: () => [executableOnly],
  });
  const server = createServer(gateway);
  return { gateway, server };
}

/** Stop listening, close every connection, dispose of the runtime; true when all of it finished within `timeoutMs`. */
export async function stopGateway(
  { gateway, server }: ReturnType<typeof createGateway>,
  timeoutMs: number,
): Promise<boolean> {
  const closed = new Promise<boolean>((resolve) => server.close(() => resolve(true)));
  server.closeIdleConnections();
  const timeout = new Promise<boolean>((resolve) =>
    setTimeout(() => resolve(false), timeoutMs).unref(),
  );
  const clean = await Promise.race([closed, timeout]);
  if (!clean) server.closeAllConnections();
  await gateway.dispose();
  return clean;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file =
    process.env.SUPERGRAPH || fileURLToPath(new URL("../../supergraph.graphql", import.meta.url));
  const port = Number(process.env.PORT || 4000);
  const host = process.env.HOST || "127.0.0.1";
  const running = createGateway({
    supergraph: readFileSync(file, "utf8"),
    locations: {
      "kz-osce": process.env.KZ_OSCE_SUBGRAPH_URL,
      countries: process.env.COUNTRIES_SUBGRAPH_URL,
    },
    gatewaySecret: process.env.KZ_OSCE_GATEWAY_SECRET || undefined,
  });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`hive-gateway: ${signal}, stopping`);
    void stopGateway(running, 10_000).then((clean) => process.exit(clean ? 0 : 1));
  };
  // `on`, not `once`: a second signal must reach `stop` (and exit at once), not the default handler
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  running.server.listen(port, host, () => {
    const address = running.server.address() as AddressInfo;
    const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
    console.log(`hive-gateway: serving the supergraph at http://${shown}:${address.port}/graphql`);
  });
}
