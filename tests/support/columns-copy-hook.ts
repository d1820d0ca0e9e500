/**
 * A test-only hook, preloaded into a child process (`node --import tsx --import
 * ./tests/support/columns-copy-hook.ts ...`, or its bundle before the child's:
 * tests/support/server-bundle.ts): right after fs.copyFileSync has made a private copy
 * of a mapped columns file (columns.ts, privateCopy: its destination under a `.kz-osce-columns-`
 * directory), before the copy is summed, mapped and removed, it tells stdout
 * (`test hook: columns copied to PATH by PID`), then, as KZ_OSCE_TEST_AFTER_COLUMNS_COPY says:
 * - `kill`: the process kills itself with SIGKILL there, as the OOM killer might;
 * - `hold:FILE`: it holds there until FILE exists (at most a minute), then goes on.
 * A test thus acts between the copy and its removal without guessing when that is. Nothing of it
 * is in the server's own code.
 */
import { existsSync } from "node:fs";
import { createRequire, syncBuiltinESMExports } from "node:module";

const fs = createRequire(import.meta.url)("node:fs") as typeof import("node:fs");
const copyFileSync = fs.copyFileSync;
const after = process.env.KZ_OSCE_TEST_AFTER_COLUMNS_COPY ?? "";

fs.copyFileSync = (source, destination, mode) => {
  copyFileSync(source, destination, mode);
  if (!String(destination).includes("/.kz-osce-columns-")) return;
  // a pipe's writes are synchronous on Linux: the line is out before the kill or the hold
  process.stdout.write(`test hook: columns copied to ${destination} by ${process.pid}\n`);
  if (after === "kill") process.kill(process.pid, "SIGKILL");
  const until = /^hold:(.+)$/.exec(after)?.[1];
  if (until === undefined) return;
  const end = performance.now() + 60_000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(until) && performance.now() < end) Atomics.wait(pause, 0, 0, 10);
};
// the named imports of node:fs (columns.ts's copyFileSync) follow the change
syncBuiltinESMExports();
