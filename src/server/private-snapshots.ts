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
 *
 * A start does the same (main.ts): a `--workers` primary has its child write the snapshot of its
 * load in such a directory, which every worker starts from, and keeps it until a reload's
 * replaces it; a single process's start has its child do the same (start-in-child.ts), serves
 * the graph read back from it, and removes the directory.
 */
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { directoryProblem } from "../graph/data-file.js";
import { DatasetError } from "../graph/problems.js";
import {
  checkSnapshotOffThread,
  type EnsuredSnapshot,
  ensureSnapshotOffThread,
} from "../graph/snapshot/off-thread.js";
import { leftBehind, ownerTag } from "../graph/snapshot/owners.js";
import {
  makeDirectories,
  snapshotHome,
  snapshotsPlaced,
  temporaryMark,
} from "../graph/snapshot/place.js";
import { SNAPSHOT_FILE } from "../graph/snapshot/snapshot.js";
import { snapshotDirHint } from "./config.js";
import type { Logger } from "./log.js";

/** What a snapshot made current says, and where it is when not in its own directory. */
export type PlacedSnapshot = EnsuredSnapshot & {
  /** The private directory the snapshot was written in (snapshotHome's `placedIn`). */
  placedIn?: string;
  /** Why not in the snapshots' own directory (with `placedIn`). */
  placedBecause?: string;
  /**
   * With `placedIn`, where the snapshot was first written in its own directory and that failed:
   * the write's error (a single process's start logs it as `writeError`, as it did when it
   * loaded in its own thread: main.ts).
   */
  homeWriteError?: string;
  /** With `writeError`, where no snapshot could be written anywhere: the errors (Nowhere's), for the log. */
  details?: Record<string, unknown>;
};

/**
 * The prefix of a private directory's name: the server's own snapshots' (dataset-files.ts ignores
 * them), then the pid of the process that made it and its start time (owners.ts, ownerTag):
 * `.kz-osce-snapshot-reload-PID-START-XXXXXX`.
 */
export const PRIVATE_PREFIX = ".kz-osce-snapshot-reload-";

/**
 * How old a private directory of a process that is gone must be before another removes it: a
 * process killed outright (SIGKILL, a crash) leaves its own, as large as a snapshot. Its pid and
 * start time may still be another's, in another pid namespace (containers sharing a temporary
 * directory): a directory that old has long been read by whoever made it.
 */
export const LEFT_BEHIND_MS = 60 * 60 * 1000;

/** No snapshot could be written anywhere: why, and the log fields that say more. */
export interface Nowhere {
  nowhere: string;
  details: Record<string, unknown>;
}

/** The directories this process made and has not removed: never swept as left behind. */
const made = new Set<string>();

/**
 * Makes the snapshot of the JSON dataset in `dir` current in a child process (off-thread.ts),
 * in its own directory when a snapshot can be written there, else in a private temporary one
 * (`placedIn` in the answer): the caller removes it (`removePrivate`) once no process has yet to
 * read it. Resolves with a Nowhere when no snapshot can be written anywhere: the caller loads the
 * dataset otherwise (and logs so). Rejects as ensureSnapshotOffThread does (a refused dataset, a
 * stop). A private directory made for an answer that does not name it is removed here.
 *
 * `elsewhere`: why the snapshot's own directory would not do, found by an earlier attempt of
 * the same reload (its snapshot then found stale): straight to a private directory. `unusable`:
 * why the snapshot is not current, found just before: the child loads in full without checking
 * it again. `doing`: what the log says is done through a temporary snapshot ("reloading").
 *
 * `reuse`: a private directory this process made for the same dataset's snapshot (a `--workers`
 * primary keeps the last one while its workers read it). Checked first, in a child (the dataset's
 * content hash, every byte of the snapshot), and answered as it is when current: a primary asked
 * again and again for an unchanged dataset (each worker's recovery from a snapshot that failed a
 * read) loaded it in full into a new directory each time (review 16a, finding 3). Not current
 * (the dataset changed, the snapshot damaged), a new one is made as without it; it is left as it
 * is, the caller's to remove.
 */
export async function ensureWritableSnapshot(
  dir: string,
  signal: AbortSignal,
  logger: Logger,
  options: {
    elsewhere?: string;
    unusable?: string;
    niceBy?: number;
    doing?: string;
    reuse?: string;
  } = {},
): Promise<PlacedSnapshot | Nowhere> {
  // a directory this process may not read is refused here, as the child's load would refuse it:
  // not taken for a read-only one (its snapshot then written elsewhere, for a load to fail)
  const unreadable = directoryProblem(resolve(dir));
  if (unreadable !== undefined) throw new DatasetError([unreadable]);
  const doing = options.doing ?? "reloading";
  if (options.reuse !== undefined && made.has(options.reuse)) {
    const began = performance.now();
    const placedIn = options.reuse;
    const checked = await checkSnapshotOffThread(dir, signal, {
      niceBy: options.niceBy,
      placedIn,
    });
    const durationMs = Math.round(performance.now() - began);
    if ("verified" in checked) {
      logger.info(`${doing}: the temporary snapshot made last is current`, {
        dir,
        temporaryDir: placedIn,
        durationMs,
      });
      return { from: "snapshot", durationMs, verified: checked.verified, placedIn };
    }
    logger.info(`${doing}: the temporary snapshot made last is not current`, {
      dir,
      temporaryDir: placedIn,
      reason: checked.unusable,
    });
  }
  const home = snapshotHome(dir);
  const elsewhere = async (
    why: string,
    details: Record<string, unknown>,
  ): Promise<PlacedSnapshot | Nowhere> => {
    let placedIn: string;
    try {
      placedIn = makePrivate(logger);
    } catch (error) {
      return {
        nowhere: `${why}, and no temporary directory could be made for it`,
        details: { dir, ...details, error: (error as Error).message },
      };
    }
    logger.warn(`${doing} through a temporary snapshot: ${why}`, {
      dir,
      ...details,
      temporaryDir: placedIn,
      ...snapshotDirHint(snapshotsPlaced()),
    });
    let ensured: EnsuredSnapshot;
    try {
      ensured = await ensureSnapshotOffThread(dir, signal, {
        niceBy: options.niceBy,
        placedIn,
        unusable: options.unusable ?? why,
      });
    } catch (error) {
      // refused, or stopped: the directory is this function's until it answers with it
      removePrivate(placedIn, logger);
      throw error;
    }
    if (ensured.writeError !== undefined) {
      removePrivate(placedIn, logger);
      return {
        nowhere: "the temporary snapshot could not be written either",
        details: { ...ensured, verified: undefined, temporaryDir: placedIn },
      };
    }
    const homeWriteError = typeof details.writeError === "string" ? details.writeError : undefined;
    return {
      ...ensured,
      placedIn,
      placedBecause: why,
      ...(homeWriteError === undefined ? {} : { homeWriteError }),
    };
  };
  if (options.elsewhere !== undefined) return elsewhere(options.elsewhere, { snapshotDir: home });
  if (!isWritable(home))
    return elsewhere("the snapshot's directory is read-only", { snapshotDir: home });
  const ensured = await ensureSnapshotOffThread(dir, signal, {
    niceBy: options.niceBy,
    unusable: options.unusable,
  });
  if (ensured.writeError === undefined) return ensured;
  const details = { snapshotDir: home, writeError: ensured.writeError };
  if (FULL_DISK.test(ensured.writeError) && sameFileSystem(home, tmpdir()))
    // the temporary directory is on the disk just found full: a second load to fail there too
    return {
      nowhere:
        "the snapshot could not be written, and the temporary directory is on the same full disk",
      details: { dir, ...details, temporaryDir: tmpdir() },
    };
  return elsewhere("the snapshot could not be written", details);
}

/**
 * A private directory for a snapshot (removing those left behind first): the caller removes it
 * (`removePrivate`) once no process has yet to read it. Throws when none can be made.
 */
function makePrivate(logger: Logger): string {
  removeLeftBehind(logger);
  const at = mkdtempSync(join(tmpdir(), `${PRIVATE_PREFIX}${ownerTag()}-`));
  made.add(at);
  return at;
}

/**
 * A Nowhere as a snapshot's outcome, for a process that hands it on (a `--workers` primary: its
 * workers then load in full): `writeError` says why, `details` the errors.
 */
export function nowhereOutcome(answer: Nowhere, began: number, reason?: string): PlacedSnapshot {
  return {
    from: "full load",
    reason,
    writeError: answer.nowhere,
    details: answer.details,
    durationMs: Math.round(performance.now() - began),
  };
}

/** A write's error for want of space: Node's (its code) or lmdb-js's (the system's words, for the columns file). */
const FULL_DISK = /^(?:ENOSPC|EDQUOT)\b|No space left on device|Disk quota exceeded/;

/** Removes a private directory of ensureWritableSnapshot's (saying so in the log when it cannot). */
export function removePrivate(privateDir: string, logger: Logger): void {
  try {
    rmSync(privateDir, { recursive: true, force: true });
    made.delete(privateDir);
  } catch (error) {
    logger.warn("a reload's temporary snapshot could not be removed", {
      temporaryDir: privateDir,
      error: (error as Error).message,
    });
  }
}

/**
 * Removes the private directories in `root` (the temporary directory) that processes now gone
 * left there over LEFT_BEHIND_MS ago (owners.ts, leftBehind), but none this process made.
 */
export function removeLeftBehind(logger: Logger, root = tmpdir(), now = Date.now()): void {
  for (const { dir, pid } of leftBehind(root, PRIVATE_PREFIX, LEFT_BEHIND_MS, now)) {
    if (made.has(dir)) continue;
    logger.info("removing a reload's temporary snapshot left by a process that is gone", {
      temporaryDir: dir,
      pid,
    });
    removePrivate(dir, logger);
  }
}

/** The nearest directory that exists at or above `dir`. */
function nearestExisting(dir: string): string {
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * The error a snapshot's write in `dir` meets, which `isWritable` found it would: its directory
 * made as the write makes it, then a file of this process's in it (removed at once), for the
 * system's own words (ENOENT, EACCES, EROFS); undefined if both succeed after all.
 */
export function homeWriteProblem(dir: string): string | undefined {
  const probe = join(dir, `${SNAPSHOT_FILE}-probe.${temporaryMark()}.tmp`);
  try {
    makeDirectories(dir);
    closeSync(openSync(probe, "wx"));
  } catch (error) {
    return (error as Error).message;
  }
  rmSync(probe, { force: true });
  return undefined;
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
