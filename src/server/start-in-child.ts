/**
 * A single server process's full load at its start (no `--workers`), where the snapshot cannot be
 * read (missing, stale, corrupt): done in a child process, which writes the snapshot (in its own
 * directory, else in a private temporary one: private-snapshots.ts), as a `--workers` primary's
 * load for its workers is (main.ts); the process then reads the graph back from the snapshot
 * with the child's check (load.ts, `inFull`), as those workers do.
 *
 * Done in this process's own thread, its synchronous steps (reading and validating the dataset,
 * building its indexes, writing the snapshot) ran tens of seconds each at a million entities,
 * and a stop signal was acted on only between them: 49 s from SIGTERM to exit on a quiet host,
 * 256 s at a load of 20. Here this thread only waits: SIGTERM or Ctrl-C kills the child (its
 * temporary files removed: off-thread.ts) and the process ends at once, as a stop during the
 * start does (start-stop.ts), saying it stopped while "loading the dataset in full".
 */
import { rmSync } from "node:fs";
import type { SnapshotOutcome } from "../graph/snapshot/load.js";
import { snapshotHome } from "../graph/snapshot/place.js";
import type { VerifiedSnapshot } from "../graph/snapshot/snapshot.js";
import type { Logger } from "./log.js";
import { ensureWritableSnapshot, homeWriteProblem } from "./private-snapshots.js";
import { offStopSignals } from "./signals.js";
import {
  handleStopsDuringStart,
  handStopsTo,
  onStopDuringStart,
  startingTo,
  stopDuringStart,
} from "./start-stop.js";

/** What the start says it does while the child loads (the line of a stop during it: start-stop.ts). */
export const LOADING_IN_FULL = "loading the dataset in full";

/**
 * Loads the JSON dataset in `dir` in full in a child process, which writes its snapshot, the
 * snapshot being unusable for `reason`: load.ts's `inFull`. A private directory the snapshot was
 * written in (`outcome.placedIn`) is the caller's to remove once read (removePrivate), and is
 * removed as the process exits should a stop come first. A stop signal meanwhile ends the
 * process once the child is gone; a refused dataset rejects with its DatasetError.
 */
export async function loadInChildForStart(
  dir: string,
  reason: string,
  logger: Logger,
): Promise<{ outcome: SnapshotOutcome; verified?: VerifiedSnapshot } | { nowhere: string }> {
  // (debug: a start that refuses its dataset says nothing on stdout)
  logger.debug("the snapshot cannot be read: loading the dataset in full in a child process", {
    dir,
    reason,
  });
  const stopping = new AbortController();
  // `on`, not `once`: a second signal while the child is being stopped is ignored (with no
  // listener it would end this process at once, the child's temporary files not yet removed)
  const stop = (signal: NodeJS.Signals) => {
    if (!stopping.signal.aborted) stopping.abort(signal);
  };
  // (the new handler first, in the same turn: red team 46, F3)
  handStopsTo(stop);
  startingTo(LOADING_IN_FULL);
  let answer: Awaited<ReturnType<typeof ensureWritableSnapshot>> | undefined;
  try {
    // at this process's priority: it serves nothing until the load is done
    answer = await ensureWritableSnapshot(dir, stopping.signal, logger, {
      niceBy: 0,
      unusable: reason,
      doing: LOADING_IN_FULL,
    });
  } catch (error) {
    if (!stopping.signal.aborted) throw error;
  } finally {
    // (in the same turn: no signal between the two that would find no handler)
    handleStopsDuringStart();
    offStopSignals(stop);
  }
  // a temporary directory the child wrote in: removed as the process exits should a stop come
  // before it is read (one that came as the child answered included); the caller removes it once read
  const placed = answer !== undefined && "placedIn" in answer ? answer.placedIn : undefined;
  if (placed !== undefined)
    onStopDuringStart(() => rmSync(placed, { recursive: true, force: true }));
  // ended as a stop during the start ends, now that the child has ended and its files are gone
  if (stopping.signal.aborted) stopDuringStart(stopping.signal.reason as NodeJS.Signals);
  if ("nowhere" in answer!) {
    logger.warn(
      `no snapshot could be written: ${answer.nowhere}; loading in full in this process`,
      {
        ...answer.details,
      },
    );
    return { nowhere: answer.nowhere };
  }
  const { verified, placedBecause, homeWriteError, ...outcome } = answer!;
  if (outcome.placedIn !== undefined) {
    // why not in its own directory, as the load in this thread said it: the write's error (its
    // own directory found read-only, no write was tried there: what one meets)
    outcome.writeError = homeWriteError ?? homeWriteProblem(snapshotHome(dir)) ?? placedBecause;
  }
  return { outcome, verified };
}
