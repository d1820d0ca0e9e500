/**
 * `ensureSnapshot` (load.ts) in a child process, for a server that is serving while it reloads
 * its dataset (live reload, src/server/reload.ts): the full load and validation of a changed
 * dataset and the snapshot's write (about 10 s of CPU at 100k entities, minutes at 1M) run beside
 * the thread that answers requests, which then reads the graph from the snapshot written
 * (entities are read when first asked for, the rest in parts, a turn of the event loop each;
 * bench/RESULTS.md). Done on the serving thread, the load held every request, /health included,
 * for its whole length.
 *
 * A child process, at a lower priority, rather than a worker thread (tsx-child.ts says why): in
 * a worker thread, the load's garbage collection and the serving thread's shared V8's helper
 * threads and the cores at one priority, and a collection of the serving thread during a 1M
 * reload held it up to 2 s. The child runs in-child.ts: through tsx's loader (as
 * data/fresh-import.ts's worker does), so that it runs this project's TypeScript whether the
 * server runs from its sources or from a bundle, or prebuilt as one module when told where
 * (child-entry.ts, `runChildFrom`: the tests' bundles, which start dozens of these children).
 * It is told whether this process maps columns files (columns.ts), where it keeps snapshots and
 * how it marks its temporary files (place.ts), so that it writes the snapshot this process reads,
 * under names this process knows as its own. A dataset the validation refuses comes back as the
 * DatasetError it threw, with the same problems.
 *
 * `signal` stops it (a server shutting down in the middle of a reload): the child is killed,
 * wherever it is, and the temporary files of a write it had begun are removed (the snapshot and
 * its columns are written under temporary names, renamed into place once whole: a stop never
 * leaves half of one, but would leave the temporary file, hundreds of MB at 1M entities). A
 * columns file already renamed into place when the stop came, before its snapshot, stays until
 * a later write's cleanup removes the files no snapshot names (columns.ts, after ten minutes).
 * So does the temporary file of a child whose server was killed outright (SIGKILL, a crash): the
 * child ends within half a second, when it sees its parent gone, and nothing is left to remove it.
 */
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DatasetError, type Problem } from "../problems.js";
import { inTsxChild } from "../tsx-child.js";
import { WorkerFailure } from "../tsx-worker.js";
import { childEntry } from "./child-entry.js";
import { mapsColumns } from "./columns.js";
import type { ChildOrder } from "./in-child.js";
import type { SnapshotOutcome } from "./load.js";
import { snapshotHome, snapshotsPlaced, temporaryMark } from "./place.js";
import { SNAPSHOT_FILE, type VerifiedSnapshot } from "./snapshot.js";

/** What `ensureSnapshot` says it did, with the check of the snapshot a reader may take as its own. */
export type EnsuredSnapshot = SnapshotOutcome & { verified?: VerifiedSnapshot };

/**
 * Makes the snapshot of the JSON dataset in `dir` current in a child process: checked, or, when
 * stale or missing, the dataset loaded and validated in full and the snapshot written. Resolves
 * with what `ensureSnapshot` gives: where the graph would come from, why, what was written (or
 * `writeError`), and `verified`, the check the calling thread may take as its own when it reads
 * the snapshot (`readSnapshot(dir, { verified })`). Rejects with the DatasetError of an invalid
 * dataset, with an AbortError once `signal` is aborted (the child ended, this process's
 * temporary files of a write removed), and with an Error for anything else. `niceBy`: the
 * child's priority below this process's (tsx-child.ts; BACKGROUND_NICE unless told: a cluster's
 * primary, which serves nothing, loads for its workers' start at its own priority). `unusable`:
 * why the snapshot is not current, as this process just found: the child loads in full without
 * checking it again (the dataset's hash, 1.5 s at a million entities). `placedIn`: the child keeps
 * the snapshot in that directory for snapshots rather than this process's (place.ts; a live
 * reload's private one, when none can be written in this process's: src/server/reload.ts).
 */
export function ensureSnapshotOffThread(
  dir: string,
  signal?: AbortSignal,
  options: { niceBy?: number; unusable?: string; placedIn?: string } = {},
): Promise<EnsuredSnapshot> {
  return inChild("ensureInChild", dir, signal, options);
}

/**
 * Checks the snapshot of the JSON dataset in `dir` in a child process, as ensureSnapshotOffThread
 * does before it loads (the dataset's content hash, every byte of the snapshot), and nothing
 * more: its check, or why it is not current. `placedIn` and `niceBy` as there; rejects only as
 * that does for anything but a refused dataset (it loads none).
 */
export function checkSnapshotOffThread(
  dir: string,
  signal?: AbortSignal,
  options: { niceBy?: number; placedIn?: string } = {},
): Promise<{ verified: VerifiedSnapshot } | { unusable: string }> {
  return inChild("checkInChild", dir, signal, options);
}

/** `entry` of in-child.ts run in a child process, told `dir` and this process's settings. */
async function inChild<T>(
  entry: "ensureInChild" | "checkInChild",
  dir: string,
  signal: AbortSignal | undefined,
  options: { niceBy?: number; unusable?: string; placedIn?: string },
): Promise<T> {
  const { unusable, placedIn, ...child } = options;
  const order: ChildOrder = {
    dir,
    mapColumns: mapsColumns(),
    snapshotsPlaced: placedIn ?? snapshotsPlaced(),
    mark: temporaryMark(),
    ensure: unusable === undefined ? {} : { unusable },
  };
  const { href, tsx } = childEntry();
  try {
    return await inTsxChild(`return (await load(${JSON.stringify(href)})).${entry}(data);`, order, {
      signal,
      onStop: () => removeTemporaries(snapshotHome(dir, placedIn)),
      tsx,
      ...child,
    });
  } catch (error) {
    if (error instanceof Error && error.name === "AbortError") throw error;
    if (
      error instanceof WorkerFailure &&
      error.thrownName === "DatasetError" &&
      Array.isArray(error.problems)
    )
      throw new DatasetError(
        error.problems as Problem[],
        typeof error.found === "number" ? error.found : undefined,
      );
    // what it threw, or how it ended without answering (killed, out of memory, not started)
    throw new Error(
      `${entry === "checkInChild" ? "checking the snapshot" : "loading the dataset"} in a child process failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * This process's temporary files of a snapshot's write in `dir`, the snapshot's directory:
 * snapshot.ts and columns.ts name them after the snapshot's file and place.ts's
 * `temporaryMark` (`.kz-osce-snapshot….MARK.tmp`, and lmdb-js's `-lock` beside the columns' one).
 */
function removeTemporaries(dir: string): void {
  const mark = `.${temporaryMark()}.tmp`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names)
    if (name.startsWith(SNAPSHOT_FILE) && name.includes(mark)) {
      try {
        rmSync(join(dir, name), { force: true });
      } catch {
        // left for the next write's cleanup (columns.ts) or by hand: a stop must still end
      }
    }
}
