import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Typed documents for the tests (client preset): write `graphql(\`query ...\`)` in a test, run
 * `npm run codegen`, and the result type follows the committed schema. A test fails when the
 * generated files are stale.
 */
const config: CodegenConfig = {
  schema: "schema/schema.graphql",
  documents: ["tests/**/*.ts", "!tests/gql/**"],
  ignoreNoDocuments: false,
  generates: {
    "tests/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Date: "string" },
        emitLegacyCommonJSImports: false,
      },
    },
  },
};

export default config;
