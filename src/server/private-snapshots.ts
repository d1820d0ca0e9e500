/**
 * A reload's snapshot where none can be written in the snapshots' own directory. A live reload
 * loads a changed dataset in a child process, which writes its snapshot, and the serving thread
 * reads the graph from it in parts (reload.ts; the primary of `--workers` does the load for its
 * workers, cluster.ts). Where the snapshot's directory is read-only (a dataset on a read-only
 * volume, without `KZ_OSCE_SNAPSHOT_DIR`), or the write fails (a full disk), the dataset was
 * loaded on the serving thread instead, holding every request for the whole load: 4.2-7.2 s of
 * /health's wait at 100k entities (bench/RESULTS.md), a full load's length at 1M.
 *
 * Here the child writes the snapshot in a private temporary directory instead, under the
 * system's (`os.tmpdir()`), named like the server's own snapshots (`.kz-osce-snapshot-reload-*`)
 * so that the live reload's watcher ignores it should the temporary directory be inside the
 * dataset's. Whoever asked for it reads it (`readSnapshot(dir, { placedIn })`) and removes the
 * directory once no process has yet to open it: the graph read keeps the snapshot's file open
 * and its columns mapped, which the system keeps on disk until the graph is let go.
 *
 * The dataset is loaded on the serving thread after all only when no temporary directory can be
 * made, or the snapshot cannot be written there either; not tried where the write failed for
 * lack of space and the temporary directory is on the same file system.
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type EnsuredSnapshot, ensureSnapshotOffThread } from "../graph/snapshot/off-thread.js";
import { snapshotHome, snapshotsPlaced } from "../graph/snapshot/place.js";
import { snapshotDirHint } from "./config.js";
import type { Logger } from "./log.js";

/** What a snapshot made current says, and where it is when not in its own directory. */
export type PlacedSnapshot = EnsuredSnapshot & {
  /** The private directory the snapshot was written in (snapshotHome's `placedIn`). */
  placedIn?: string;
};

/**
 * The prefix of a private directory's name: the server's own snapshots' (dataset-files.ts ignores
 * them), then the pid of the process that made it (`.kz-osce-snapshot-reload-PID-XXXXXX`).
 */
export const PRIVATE_PREFIX = ".kz-osce-snapshot-reload-";

/**
 * How old a private directory of a process that is gone must be before another removes it: a
 * process killed outright (SIGKILL, a crash) leaves its own, as large as a snapshot. Its pid
 * alone does not say it is gone: containers that share a temporary directory each number their
 * processes from 1, so another's may be alive under the same pid, reading its snapshot.
 */
export const LEFT_BEHIND_MS = 60 * 60 * 1000;

/**
 * Makes the snapshot of the JSON dataset in `dir` current in a child process (off-thread.ts),
 * in its own directory when a snapshot can be written there, else in a private temporary one
 * (`placedIn` in the answer), which `placed` is told of as soon as it is made: the caller
 * removes it (`removePrivate`) once read. Resolves with undefined when no snapshot can be
 * written anywhere, the reason logged: the caller loads the dataset itself. Rejects as
 * ensureSnapshotOffThread does (a refused dataset, a stop).
 *
 * `unusable`: why the snapshot is not current (a stale read just now), for a private directory's
 * child, which loads in full without checking first.
 */
export async function ensureWritableSnapshot(
  dir: string,
  signal: AbortSignal,
  logger: Logger,
  placed: (privateDir: string) => void,
  options: { unusable?: string; niceBy?: number } = {},
): Promise<PlacedSnapshot | undefined> {
  const home = snapshotHome(dir);
  const elsewhere = async (
    why: string,
    details: Record<string, unknown>,
  ): Promise<PlacedSnapshot | undefined> => {
    let placedIn: string;
    removeLeftBehind(logger);
    try {
      placedIn = mkdtempSync(join(tmpdir(), `${PRIVATE_PREFIX}${process.pid}-`));
    } catch (error) {
      logger.warn(
        `reloading on the serving thread: ${why}, and no temporary directory could be made for it`,
        { dir, ...details, error: (error as Error).message, ...snapshotDirHint(snapshotsPlaced()) },
      );
      return undefined;
    }
    placed(placedIn);
    logger.warn(`reloading through a temporary snapshot: ${why}`, {
      dir,
      ...details,
      temporaryDir: placedIn,
      ...snapshotDirHint(snapshotsPlaced()),
    });
    const ensured = await ensureSnapshotOffThread(dir, signal, {
      niceBy: options.niceBy,
      placedIn,
      unusable: options.unusable ?? why,
    });
    if (ensured.writeError !== undefined) {
      logger.warn(
        "reloading on the serving thread: the temporary snapshot could not be written either",
        { ...ensured, verified: undefined, temporaryDir: placedIn },
      );
      return undefined;
    }
    return { ...ensured, placedIn };
  };
  if (!isWritable(home))
    return elsewhere("the snapshot's directory is read-only", { snapshotDir: home });
  const ensured = await ensureSnapshotOffThread(dir, signal, { niceBy: options.niceBy });
  if (ensured.writeError === undefined) return ensured;
  const details = { snapshotDir: home, writeError: ensured.writeError };
  if (/^(ENOSPC|EDQUOT)\b/.test(ensured.writeError) && sameFileSystem(home, tmpdir())) {
    // the temporary directory is on the disk just found full: a second load to fail there too
    logger.warn(
      "reloading on the serving thread: the snapshot could not be written, and the temporary directory is on the same full disk",
      { dir, ...details, temporaryDir: tmpdir(), ...snapshotDirHint(snapshotsPlaced()) },
    );
    return undefined;
  }
  return elsewhere("the snapshot could not be written", details);
}

/** Removes a private directory of ensureWritableSnapshot's, saying so in the log when it cannot. */
export function removePrivate(privateDir: string, logger: Logger): void {
  try {
    rmSync(privateDir, { recursive: true, force: true });
  } catch (error) {
    logger.warn("a reload's temporary snapshot could not be removed", {
      temporaryDir: privateDir,
      error: (error as Error).message,
    });
  }
}

/** The nearest directory that exists at or above `dir`. */
function nearestExisting(dir: string): string {
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Whether a file can be made in `dir`, or in the nearest directory above it that exists (where a write makes it). */
export function isWritable(dir: string): boolean {
  try {
    accessSync(nearestExisting(dir), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether `a` and `b` (or the nearest directories above them that exist) are on one file system. */
function sameFileSystem(a: string, b: string): boolean {
  try {
    return statSync(nearestExisting(a)).dev === statSync(nearestExisting(b)).dev;
  } catch {
    return false;
  }
}

/**
 * Removes the private directories in the temporary directory that processes now gone left
 * there over LEFT_BEHIND_MS ago (their pid, in the name, is no process's; the directory not
 * changed since).
 */
export function removeLeftBehind(logger: Logger, now = Date.now()): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(PRIVATE_PREFIX)) continue;
    const pid = /^(\d+)-/.exec(name.slice(PRIVATE_PREFIX.length))?.[1];
    if (pid === undefined || Number(pid) === process.pid || alive(Number(pid))) continue;
    const at = join(tmpdir(), name);
    try {
      if (now - statSync(at).mtimeMs < LEFT_BEHIND_MS) continue;
    } catch {
      continue;
    }
    logger.info("removing a reload's temporary snapshot left by a process that is gone", {
      temporaryDir: at,
      pid: Number(pid),
    });
    removePrivate(at, logger);
  }
}

/** Whether a process of that pid exists (one of another user's included). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
