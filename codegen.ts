import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Typed documents (client preset), one output per consumer of the API, both from the committed
 * schema. Write `graphql(\`query ...\`)`, run `npm run codegen`, and the result type follows the
 * schema. A test fails when either output is stale.
 *
 * - tests/gql/: the documents of the tests (graphql-js document nodes, sent with `print`).
 * - web/src/gql/: the documents of the web explorer, all in web/src/documents.ts; generated as
 *   plain strings (`documentMode: "string"`) so the browser bundle needs no graphql-js. Each is
 *   also a trusted document (GraphQL over HTTP, Appendix A): `persisted-documents.json` maps its
 *   id (`sha256:<hex>` of the printed document) to its text, the server accepts that id as
 *   `documentId` (src/server/trusted-documents.ts), and the explorer sends the id, by GET, instead
 *   of the text. The text stays in the bundle (`embedHashInDocument`): the tests read it.
 */
/**
 * What may hold a document: a call or tag of `graphql` or `gql` (the client preset's
 * `graphql(...)`, and the tags graphql-tag-pluck knows by those names), or pluck's
 * `/* GraphQL *\/` comment. (A document reached only through an import under another name would
 * be missed: its `graphql(...)` would then have no type, and the type check fails.)
 */
export const MAY_HOLD_DOCUMENTS = /\b(?:graphql|gql)\s*(?:<[^>]*>\s*)?[(`]|\/\*\s*GraphQL\s*\*\//i;

/**
 * The files under `dir` named like `names` that may hold a document, none under `skip`: the
 * documents codegen reads (relative to the working directory, as it reads them). graphql-tag-pluck
 * parses each file it is given with Babel: given the 147 files of tests/ and web/src/, a run cost
 * 4.2-4.3 CPU-seconds, most of them spent on the 115 that hold no document. (Listed once per
 * run: a file given its first document in `--watch` mode is seen at the next run.)
 */
function documentsIn(dir: string, names: RegExp, skip: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && names.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !path.startsWith(skip) && MAY_HOLD_DOCUMENTS.test(readFileSync(path, "utf8")))
    .sort();
}

const shared = {
  useTypeImports: true,
  enumsAsTypes: true,
  scalars: { Date: "string" },
  emitLegacyCommonJSImports: false,
};

const config: CodegenConfig = {
  schema: "schema/schema.graphql",
  ignoreNoDocuments: false,
  generates: {
    "tests/gql/": {
      documents: documentsIn("tests", /\.ts$/, join("tests", "gql")),
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: shared,
    },
    "web/src/gql/": {
      documents: documentsIn(join("web", "src"), /\.tsx?$/, join("web", "src", "gql")),
      preset: "client",
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { mode: "embedHashInDocument", hashAlgorithm: "sha256" },
      },
      config: { ...shared, documentMode: "string" },
    },
  },
};

export default config;
