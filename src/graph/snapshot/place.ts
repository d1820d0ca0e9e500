/**
 * Where a dataset's snapshot lives (`KZ_OSCE_SNAPSHOT_DIR`): beside the dataset by default, in
 * its own directory; or, when this process was given a directory for snapshots, in a directory
 * of that one named after the dataset's path. The second is for a dataset this process may not
 * write beside: a read-only volume (a container's mounted config, a shared read-only disk), where
 * no snapshot could be written, so that every start and every reload loaded the dataset in full.
 * Replicas that mount the same dataset at the same path and share the snapshots' directory (a
 * shared volume) start from the snapshot the first of them wrote.
 *
 * A process-wide setting, like the columns' mapping (columns.ts): main.ts sets it from the
 * config, and a child process that writes a snapshot for this process is told it (off-thread.ts).
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** The snapshot's file name, in the dataset's directory (or the one `snapshotHome` gives it). */
export const SNAPSHOT_FILE = ".kz-osce-snapshot";

let placed: string | undefined;
let mark = `${process.pid}-${randomBytes(4).toString("hex")}`;

/**
 * Keeps this process's snapshots in `dir` (absolute, or resolved from the working directory), or
 * beside their datasets (undefined). A child process writing for this process is also given its
 * `temporaryMark`, so that this process knows the temporary files it leaves.
 */
export function placeSnapshots(dir: string | undefined, markOfTemporaries?: string): void {
  placed = dir === undefined ? undefined : resolve(dir);
  if (markOfTemporaries !== undefined) mark = markOfTemporaries;
}

/**
 * What this process's temporary files of a write are named with (`.kz-osce-snapshot.MARK.tmp`):
 * its pid and a random part, since processes on other machines writing in the same directory (a
 * volume shared by replicas) may have the same pid (each container's first process is pid 1),
 * and must neither write the same temporary file nor remove each other's.
 */
export function temporaryMark(): string {
  return mark;
}

/** The directory this process keeps its snapshots in, when not beside their datasets (for a child process writing for it: placeSnapshots). */
export function snapshotsPlaced(): string | undefined {
  return placed;
}

/**
 * The directory of the snapshot (and its columns file) of the dataset in `datasetDir`: the
 * dataset's own, or `<KZ_OSCE_SNAPSHOT_DIR>/<the dataset directory's name>-<hash of its absolute
 * path>`, so that two datasets never share one (a dataset moved elsewhere gets another).
 * `placedIn`: another directory for snapshots than this process's (a live reload's private one,
 * when no snapshot can be written in this one: src/server/reload.ts).
 */
export function snapshotHome(datasetDir: string, placedIn: string | undefined = placed): string {
  const dataset = resolve(datasetDir);
  if (placedIn === undefined) return dataset;
  const id = createHash("sha256").update(dataset).digest("hex").slice(0, 16);
  const name = basename(dataset).replace(/[^A-Za-z0-9._-]/g, "_") || "dataset";
  return join(placedIn, `${name}-${id}`);
}

/**
 * Makes `dir` and the directories above it that are missing, as `mkdirSync(dir, { recursive:
 * true })` does, which Node 20 never ends where `mkdir` answers ENOENT though the directory above
 * exists (under /proc, as for `KZ_OSCE_SNAPSHOT_DIR=/proc/self/snapshots`): it makes the one
 * above, finds it there, and tries again, for ever, at a whole core, in one synchronous call.
 * Here each directory is tried once, from the nearest that exists down, and a refusal is thrown.
 */
export function makeDirectories(dir: string): void {
  let failure: unknown;
  try {
    mkdirSync(dir);
    return;
  } catch (error) {
    failure = error;
  }
  if ((failure as NodeJS.ErrnoException).code === "ENOENT" && dirname(dir) !== dir) {
    makeDirectories(dirname(dir));
    try {
      mkdirSync(dir);
      return;
    } catch (error) {
      failure = error;
    }
  }
  // made meanwhile by another process (replicas sharing the directory), or there already
  if ((failure as NodeJS.ErrnoException).code === "EEXIST" && statSync(dir).isDirectory()) return;
  throw failure;
}
