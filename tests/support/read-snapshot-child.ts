/**
 * A child process that maps private copies of columns files, as a single server process does
 * (main.ts; columns.ts, mapPrivateCopies), and reads the snapshot of the directory given as its
 * argument: `node --import tsx tests/support/read-snapshot-child.ts DIR`, or its bundle (as the
 * test runs it: tests/support/server-bundle.ts). Prints `read DIR` once the graph is read. For
 * tests/graph/columns-copies-left-behind.test.ts.
 */
import { mapPrivateCopies } from "../../src/graph/snapshot/columns.js";
import { readSnapshot } from "../../src/graph/snapshot/snapshot.js";

const dir = process.argv[2]!;
mapPrivateCopies(true);
await readSnapshot(dir);
console.log(`read ${dir}`);
