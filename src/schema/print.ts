/**
 * The printed schemas: the public SDL (schema/schema.graphql) and the Federation v2 subgraph SDL
 * (schema/subgraph.graphql, subgraph mode, see federation.ts). Both are committed, written by
 * `npm run schema:print` (write-schemas.ts), and a test guards each against drift.
 */
import { printSubgraphSchema } from "@apollo/subgraph";
import { printSchema } from "graphql";
import { sortedSchema, subgraphSchema } from "./index.js";

export const schemaFile = new URL("../../schema/schema.graphql", import.meta.url);
export const printedSchema = () => `${printSchema(sortedSchema)}\n`;

export const subgraphSchemaFile = new URL("../../schema/subgraph.graphql", import.meta.url);
/** What `_service { sdl }` answers in subgraph mode, as the gateway's composition reads it (needs the federation plugins). */
export const printedSubgraphSchema = () => `${printSubgraphSchema(subgraphSchema())}\n`;
