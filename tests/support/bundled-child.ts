/**
 * In the server's bundle (bundled-main.ts), before the server starts: the snapshot's child
 * process (src/graph/snapshot/off-thread.ts, child-entry.ts) runs from its own bundle, `snapshot-child.mjs`
 * (server-bundle.ts, ENTRIES), beside the server's, rather than from the sources through tsx:
 * about 0.4 CPU-seconds a child instead of 1.1. `process.argv[1]` is the server's bundle, in a
 * cluster's workers too (forked from it); a test that moves the bundles moves both.
 * The test files' own processes do the same through use-child-bundle.ts.
 */
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { runChildFrom } from "../../src/graph/snapshot/child-entry.js";

runChildFrom(pathToFileURL(join(dirname(process.argv[1] ?? "."), "snapshot-child.mjs")).href);
