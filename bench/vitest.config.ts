import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

// The benchmark harness's own tests (`npm test --prefix bench`); the root's vitest and its
// settings (../vitest.config.ts) do not look in bench/.
export default defineConfig({
  resolve: {
    // one graphql, the CJS build Node (and so Pothos and Yoga) loads: see ../vitest.config.ts
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
