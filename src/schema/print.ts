/**
 * `npm run schema:print`: writes the SDL printed from the code to schema/schema.graphql, and the
 * Federation v2 subgraph SDL (subgraph mode, see federation.ts) to schema/subgraph.graphql (both
 * committed; a test guards each against drift).
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { printSubgraphSchema } from "@apollo/subgraph";
import { printSchema } from "graphql";
import { sortedSchema, subgraphSchema } from "./index.js";

export const schemaFile = new URL("../../schema/schema.graphql", import.meta.url);
export const printedSchema = () => `${printSchema(sortedSchema)}\n`;

export const subgraphSchemaFile = new URL("../../schema/subgraph.graphql", import.meta.url);
/** What `_service { sdl }` answers in subgraph mode, as the gateway's composition reads it. */
export const printedSubgraphSchema = () => `${printSubgraphSchema(subgraphSchema())}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(schemaFile, printedSchema());
  console.log(`wrote ${schemaFile.pathname}`);
  writeFileSync(subgraphSchemaFile, printedSubgraphSchema());
  console.log(`wrote ${subgraphSchemaFile.pathname}`);
}
