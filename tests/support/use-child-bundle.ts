/**
 * vitest setup file: in the test files' processes, the snapshot's child process
 * (src/graph/snapshot/off-thread.ts: a live reload's load, a cluster's primary) runs from its
 * bundle, which vitest's global setup built current before any test (server-bundle.ts), rather
 * than from the sources through tsx: about 0.4 CPU-seconds a child instead of 1.1, for the two
 * dozen a test run starts. tests/graph/off-thread.test.ts also runs it from the sources, as
 * `npm start` does. Servers started as child processes from the bundle do the same
 * (bundled-child.ts).
 */
import { pathToFileURL } from "node:url";
import { runChildFrom } from "../../src/graph/snapshot/child-entry.js";
import { bundled } from "./server-bundle.js";

runChildFrom(pathToFileURL(bundled("snapshot-child")).href);
