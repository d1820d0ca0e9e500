/** `npm run schema:print`: writes the SDL printed from the code to schema/schema.graphql (committed; a test guards drift). */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { printSchema } from "graphql";
import { sortedSchema } from "./index.js";

export const schemaFile = new URL("../../schema/schema.graphql", import.meta.url);
export const printedSchema = () => `${printSchema(sortedSchema)}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(schemaFile, printedSchema());
  console.log(`wrote ${schemaFile.pathname}`);
}
