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
      documents: ["tests/**/*.ts", "!tests/gql/**"],
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: shared,
    },
    "web/src/gql/": {
      documents: ["web/src/**/*.ts", "web/src/**/*.tsx", "!web/src/gql/**"],
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
