/**
 * Import this first (before anything that imports the schema) to build the schema with the
 * federation plugins, as `--subgraph` does: `import "../src/schema/with-federation.js";`.
 * See federation-mode.ts.
 */
import { enableFederation } from "./federation-mode.js";

enableFederation();
