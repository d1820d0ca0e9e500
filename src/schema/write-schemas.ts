/** `npm run schema:print`: writes schema/schema.graphql and schema/subgraph.graphql from the code (see print.ts). */
import "./with-federation.js"; // first, before the schema loads: the subgraph SDL needs the federation plugins
import { writeFileSync } from "node:fs";
import { printedSchema, printedSubgraphSchema, schemaFile, subgraphSchemaFile } from "./print.js";

for (const [file, text] of [
  [schemaFile, printedSchema()],
  [subgraphSchemaFile, printedSubgraphSchema()],
] as const) {
  writeFileSync(file, text);
  console.log(`wrote ${file.pathname}`);
}
