/**
 * The server's entry point as the tests' bundle holds it (server-bundle.ts, ENTRIES.main):
 * src/server/main.ts, once bundled-child.ts has told the snapshot's child process to run from its
 * own bundle beside this one. ES modules run in the order they are imported: that is set before
 * the server starts.
 */
import "./bundled-child.js";
import "../../src/server/main.js";
