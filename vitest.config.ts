import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships both CJS and .mjs; Node (and so Pothos and Yoga) load the CJS build, while
    // Vite would pick the .mjs one for our own imports: two copies of graphql break `instanceof`.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["tests/**/*.test.ts"],
    // the browser tests (tests/web/) need the built explorer: build it first when it is stale
    globalSetup: ["tests/support/web-build.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
