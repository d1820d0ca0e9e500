/**
 * `npm run supergraph`: composes the kz-osce subgraph (subgraph mode) and the countries subgraph
 * (examples/countries-subgraph) into `supergraph.graphql` with @theguild/federation-composition,
 * from the SDL each prints in process (no server needs to run). The file is committed; a test
 * fails when it drifts. The subgraphs' URLs are those `npm run subgraphs` listens on; the
 * gateway can point elsewhere (examples/supergraph/gateway.ts).
 */
import "../../src/schema/with-federation.js"; // first, before the schema loads: the subgraph SDL needs the federation plugins
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { printSubgraphSchema } from "@apollo/subgraph";
import { composeServices } from "@theguild/federation-composition";
import { parse } from "graphql";
import { printedSubgraphSchema } from "../../src/schema/print.js";
import { countriesSchema } from "../countries-subgraph/schema.js";

/** The subgraphs of the supergraph: their names (the gateway's `transportEntries` keys) and default URLs. */
export const SUBGRAPHS = {
  "kz-osce": { url: "http://127.0.0.1:4001/graphql", sdl: () => printedSubgraphSchema() },
  countries: {
    url: "http://127.0.0.1:4002/graphql",
    sdl: () => printSubgraphSchema(countriesSchema()),
  },
} as const;

export type SubgraphName = keyof typeof SUBGRAPHS;

export const supergraphFile = new URL("../../supergraph.graphql", import.meta.url);

/** The supergraph SDL, or an error listing every composition error. */
export function composeSupergraph(): string {
  const result = composeServices(
    Object.entries(SUBGRAPHS).map(([name, { url, sdl }]) => ({
      name,
      url,
      typeDefs: parse(sdl()),
    })),
  );
  if (result.errors) {
    throw new Error(
      `the subgraphs do not compose:\n${result.errors.map((error) => `- ${error.message}`).join("\n")}`,
    );
  }
  return `${result.supergraphSdl.trimEnd()}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(supergraphFile, composeSupergraph());
  console.log(`wrote ${supergraphFile.pathname}`);
}
