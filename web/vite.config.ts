/**
 * Build of the web explorer (`npm run build:web`): Preact with Vite's own JSX transform (no Babel
 * preset needed), output in web/dist, which the server serves at `/`. Everything is bundled: no CDN
 * at run time.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/",
  publicDir: "public",
  logLevel: "warn",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // cytoscape (the graph view) is loaded on demand and is ~450 kB by itself
    chunkSizeWarningLimit: 600,
  },
});
