import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Typed documents (client preset), one output per consumer of the API, both from the committed
 * schema. Write `graphql(\`query ...\`)`, run `npm run codegen`, and the result type follows the
 * schema. A test fails when either output is stale.
 *
 * - tests/gql/: the documents of the tests (graphql-js document nodes, sent with `print`).
 * - web/src/gql/: the documents of the web explorer, all in web/src/documents.ts; generated as
 *   plain strings (`documentMode: "string"`) so the browser bundle needs no graphql-js.
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
      presetConfig: { fragmentMasking: false },
      config: { ...shared, documentMode: "string" },
    },
  },
};

export default config;
