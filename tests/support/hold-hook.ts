/**
 * A test-only hook, preloaded into a child process (`node --import tsx --import
 * ./tests/support/hold-hook.ts ...`): it holds the process in the middle of a
 * synchronous step of a full load, until the file KZ_OSCE_TEST_HOLD_UNTIL names exists (at most a
 * minute), having told stdout where (`test hook: holding at PATH in PID`). Where, as
 * KZ_OSCE_TEST_HOLD_AT says:
 * - `snapshot-write`: right after fs.openSync has opened a snapshot's temporary file for its
 *   write (snapshot.ts, SnapshotFile: `.kz-osce-snapshot….tmp`), the write under way;
 * - `dataset-read:DIR`: at the first file of the dataset in DIR opened for reading
 *   (data-file.ts), the full load under way.
 * A test thus signals the process during such a step without guessing when that is. Nothing of
 * it is in the server's own code.
 */
import { existsSync } from "node:fs";
import { createRequire, syncBuiltinESMExports } from "node:module";

const fs = createRequire(import.meta.url)("node:fs") as typeof import("node:fs");
const openSync = fs.openSync;
const at = process.env.KZ_OSCE_TEST_HOLD_AT ?? "";
const until = process.env.KZ_OSCE_TEST_HOLD_UNTIL ?? "";
const datasetDir = /^dataset-read:(.+)$/.exec(at)?.[1];
let held = false;

/** Whether `path`, opened with `flags`, is where the hook holds. */
function holdsAt(path: string, flags: unknown): boolean {
  if (at === "snapshot-write") return /\/\.kz-osce-snapshot[^/]*\.tmp$/.test(path) && flags === "w";
  if (datasetDir === undefined || held) return false;
  return path.startsWith(`${datasetDir}/`) && /\.(?:nd)?json$/.test(path);
}

fs.openSync = ((path: import("node:fs").PathLike, ...rest: unknown[]) => {
  const fd = (openSync as (...args: unknown[]) => number)(path, ...rest);
  if (!holdsAt(String(path), rest[0])) return fd;
  held = true;
  // a pipe's writes are synchronous on Linux: the line is out before the hold
  process.stdout.write(`test hook: holding at ${String(path)} in ${process.pid}\n`);
  const end = performance.now() + 60_000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (until !== "" && !existsSync(until) && performance.now() < end)
    Atomics.wait(pause, 0, 0, 10);
  return fd;
}) as typeof fs.openSync;
// the named imports of node:fs (snapshot.ts's and data-file.ts's openSync) follow the change
syncBuiltinESMExports();
