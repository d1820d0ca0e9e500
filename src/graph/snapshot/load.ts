/**
 * Loading a JSON dataset through its snapshot (snapshot.ts): from the snapshot when it is current,
 * else in full (read, parse, validate as strictly as ever, index), then writing the snapshot
 * for the next start. What happened is returned, for the server to log.
 */
import type { KnowledgeGraph } from "../graph.js";
import { loadJsonGraph } from "../load.js";
import { SearchIndex } from "../search.js";
import type { QuotePlaces } from "../text-index.js";
import { Phases } from "./phases.js";
import {
  attachSearchIndex,
  readSnapshot,
  SnapshotUnusable,
  type VerifiedSnapshot,
  verifySnapshot,
  writeSnapshot,
} from "./snapshot.js";

export interface SnapshotOutcome {
  /** Where the graph came from. */
  from: "snapshot" | "full load";
  /** Why not from the snapshot (missing, stale, corrupt: with the reason). */
  reason?: string;
  /** The snapshot written after a full load, or why it could not be. */
  wrote?: string;
  writeError?: string;
  /**
   * With `readBack`, after a full load that wrote the snapshot: whether the graph returned is the
   * one read back from it ("snapshot written"), or the fully loaded one, and why (the read failed,
   * or the dataset changed during the load: `readBackError`).
   */
  servedFrom?: "snapshot written" | "full load";
  readBackError?: string;
  /**
   * With `elsewhere`: the directory for snapshots the snapshot was written in and read back
   * from, its own not taking it (`writeError` says why). The caller removes it once read.
   */
  placedIn?: string;
  durationMs: number;
  /** Where the time went (phases.ts): `name wall/CPU ms, ...`. */
  phases?: string;
}

/**
 * Whether the snapshot of `dir` is current and whole, checked as `ensureSnapshot` checks it (the
 * dataset's content hash, every byte of the snapshot): its check, or why not. Nothing is loaded or
 * written.
 */
export async function checkSnapshot(
  dir: string,
): Promise<{ verified: VerifiedSnapshot } | { unusable: string }> {
  try {
    return { verified: await verifySnapshot(dir) };
  } catch (error) {
    return { unusable: unusableReason(error) };
  }
}

/** Why a snapshot could not be read: its SnapshotUnusable's reason, or any other error's message. */
function unusableReason(error: unknown): string {
  return error instanceof SnapshotUnusable
    ? `${error.reason}: ${error.message}`
    : `unreadable: ${(error as Error).message}`;
}

/**
 * The graph of the JSON dataset in `dir`. A DatasetError of the full load propagates as from
 * loadJsonGraph; a snapshot that cannot be used or written never fails the load.
 */
export async function loadJsonGraphWithSnapshot(
  dir: string,
  options: {
    write?: boolean;
    skipRead?: boolean;
    verified?: VerifiedSnapshot;
    /** The snapshot other processes serve, read though the dataset changed (ReadOptions). */
    asServed?: boolean;
    /** Read from this directory for snapshots rather than this process's (ReadOptions). */
    placedIn?: string;
    /**
     * After a full load that wrote the snapshot, return the graph read back from it rather than
     * the one loaded: for a process that serves it (src/server/main.ts). A fully loaded graph
     * holds every entity and index as objects of the heap (a server's heap 1,093 MiB at a million
     * entities, against 163 MiB read from a snapshot, whose entities are read when first asked
     * for), and every major collection of the serving thread marks it all: the first live reload
     * of a server started that way held its thread 1.2-1.3 s at 1M, marking the old graph while
     * it read the new one (bench/RESULTS.md). Read back, the graph is the one every later start
     * serves. The loaded graph is kept until the read succeeds, and returned if it fails.
     */
    readBack?: boolean;
    /**
     * With `readBack`: where the snapshot may be written instead, when it cannot be in its own
     * directory (told the write's error): a directory for snapshots (place.ts), or undefined.
     * A server whose dataset's directory is read-only serves the graph read back from there
     * rather than the one loaded (src/server/private-snapshots.ts).
     */
    elsewhere?: (writeError: string) => string | undefined;
    /**
     * Where the snapshot cannot be read: loads the dataset in full and writes its snapshot
     * elsewhere than in this thread (a single server process: in a child process, which a stop
     * signal kills at once, main.ts), told why it could not be read. Answers with what was done
     * (`outcome`: what was written, where when not in its own directory, `placedIn`) and the
     * child's check of the snapshot written (`verified`), which the read back takes as its own,
     * as a `--workers` primary's workers take theirs; or with `nowhere`, why no snapshot could be
     * written anywhere: the dataset is then loaded in full here, without a write (one would fail
     * again). The graph returned is the one read back, as with `readBack`; where that read
     * fails (the dataset changed during the load), the dataset is loaded in full here and that
     * graph served (`servedFrom` "full load", `readBackError`). A DatasetError it throws
     * propagates, as the load's own would.
     */
    inFull?: (
      reason: string,
    ) => Promise<{ outcome: SnapshotOutcome; verified?: VerifiedSnapshot } | { nowhere: string }>;
    phases?: Phases;
    /**
     * Told what the load does next ("reading the snapshot", "loading the dataset in full", ...):
     * a server's start says it when a stop signal ends it (src/server/start-stop.ts). The full
     * load's synchronous steps are taken a turn of the event loop apart, so that a signal's
     * handler runs between them rather than after all of them (a minute and more at a million
     * entities), and a stop during the load ends it before the snapshot's write.
     */
    doing?: (what: string) => void;
  } = {},
): Promise<{ graph: KnowledgeGraph; outcome: SnapshotOutcome }> {
  const started = performance.now();
  const doing = options.doing ?? (() => undefined);
  /**
   * A poll phase of the event loop apart, where a signal's handler runs: two setImmediates, since
   * one called in a poll phase (the load goes on from an I/O callback's) runs in that same turn's
   * check phase, before any other poll (a SIGTERM during the load was acted on only once the
   * indexes were built, a minute later at a million entities).
   */
  const nextStep = options.doing
    ? () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)))
    : () => Promise.resolve();
  /**
   * The graph read back from the snapshot just written, served as every later start serves it,
   * checked as at any start (the dataset hashed again: a file edited during the load makes it
   * stale); or undefined, `outcome` saying why, and the graph loaded is served.
   */
  const readBack = async (
    from: string,
    read: { verified?: VerifiedSnapshot; placedIn?: string },
    outcome: SnapshotOutcome,
  ): Promise<KnowledgeGraph | undefined> => {
    options.phases?.mark("full load and snapshot write");
    doing("reading back the snapshot written");
    try {
      const graph = await readSnapshot(from, { ...read, phases: options.phases });
      outcome.servedFrom = "snapshot written";
      outcome.durationMs = Math.round(performance.now() - started);
      return graph;
    } catch (error) {
      outcome.servedFrom = "full load";
      outcome.readBackError = unusableReason(error);
      return undefined;
    }
  };
  let reason: string | undefined;
  if (!options.skipRead) {
    doing("reading the snapshot");
    try {
      const phases = options.phases ?? new Phases();
      const graph = await readSnapshot(dir, {
        verified: options.verified,
        asServed: options.asServed,
        placedIn: options.placedIn,
        phases,
      });
      return {
        graph,
        outcome: {
          from: "snapshot",
          durationMs: Math.round(performance.now() - started),
          phases: phases.toString(),
        },
      };
    } catch (error) {
      // a snapshot this code cannot read for any reason (a bug included) costs the start its speed, not its data
      reason = unusableReason(error);
    }
  }
  if (options.inFull !== undefined && reason !== undefined) {
    const done = await options.inFull(reason);
    const outcome: SnapshotOutcome = { from: "full load", reason, durationMs: 0 };
    if ("outcome" in done) {
      Object.assign(outcome, done.outcome, { reason });
      const read = await readBack(
        dir,
        { verified: done.verified, placedIn: outcome.placedIn },
        outcome,
      );
      if (read) return { graph: read, outcome };
    } else outcome.writeError = done.nowhere;
    // no snapshot to serve: loaded here after all, as with `write: false`
    doing("loading the dataset in full");
    const graph = loadJsonGraph(dir);
    await nextStep();
    outcome.durationMs = Math.round(performance.now() - started);
    return { graph, outcome };
  }
  // where validation found each quote, for the writer only (keyed by the strings the graph keeps
  // anyway: a map's entries, held until the write, then let go with this call)
  let quotePlaces: QuotePlaces | undefined;
  doing("loading the dataset in full");
  const graph = loadJsonGraph(dir, {
    onQuotePlaces: options.write === false ? undefined : (places) => (quotePlaces = places),
  });
  await nextStep();
  const outcome: SnapshotOutcome = { from: "full load", reason, durationMs: 0 };
  if (options.write !== false) {
    // what a server builds before it serves anyway (app.ts): built once, written, and handed over
    doing("building the dataset's indexes");
    graph.buildDeferredIndexes();
    await nextStep();
    doing("building the search index");
    const search = SearchIndex.build(graph);
    attachSearchIndex(graph, search);
    await nextStep();
    doing("writing the snapshot");
    try {
      outcome.wrote = writeSnapshot(dir, graph, search, quotePlaces);
    } catch (error) {
      outcome.writeError = (error as Error).message;
    }
    const placedIn =
      outcome.writeError !== undefined && options.readBack
        ? options.elsewhere?.(outcome.writeError)
        : undefined;
    if (placedIn !== undefined) {
      outcome.placedIn = placedIn;
      try {
        outcome.wrote = writeSnapshot(dir, graph, search, quotePlaces, { placedIn });
      } catch (error) {
        outcome.writeError += `; in ${placedIn} too: ${(error as Error).message}`;
      }
    }
    quotePlaces = undefined; // a map of every quote: not held through the read back
    await nextStep();
    if (options.readBack && outcome.wrote !== undefined) {
      const read = await readBack(dir, { placedIn }, outcome);
      if (read) return { graph: read, outcome };
    }
  }
  outcome.durationMs = Math.round(performance.now() - started);
  return { graph, outcome };
}

/**
 * For a primary process that serves through workers (`--workers`): make sure the dataset's
 * snapshot is current before the workers start, so that they all start from it rather than each
 * loading the dataset in full. Loads in full (and validates: a DatasetError propagates) and
 * writes the snapshot only when it is not current; the graph is then let go. `verified` (when the
 * snapshot is usable) is the check the workers may take as theirs instead of hashing the dataset
 * again each (VerifiedSnapshot).
 */
export async function ensureSnapshot(
  dir: string,
  options: {
    /**
     * Loads in full and writes the snapshot elsewhere when the check finds it not current (a
     * primary: ensureSnapshotOffThread, in a child process), rather than in this process; told
     * why, so that it need not check again.
     */
    inFull?: (unusable: string) => Promise<SnapshotOutcome & { verified?: VerifiedSnapshot }>;
    /**
     * Why the snapshot is not current, found by a check made just before (the process that
     * asked for this load): it is not checked again, and is loaded in full at once.
     */
    unusable?: string;
  } = {},
): Promise<SnapshotOutcome & { verified?: VerifiedSnapshot }> {
  const started = performance.now();
  let reason: string;
  if (options.unusable !== undefined) reason = options.unusable;
  else
    try {
      const verified = await verifySnapshot(dir);
      return { from: "snapshot", durationMs: Math.round(performance.now() - started), verified };
    } catch (error) {
      reason = unusableReason(error);
    }
  if (options.inFull) {
    const answer = await options.inFull(reason);
    // the check here, the child's start and its load
    return { ...answer, durationMs: Math.round(performance.now() - started) };
  }
  const { outcome } = await loadJsonGraphWithSnapshot(dir, { skipRead: true });
  let verified: VerifiedSnapshot | undefined;
  // checked anew rather than vouched for from the load: a file edited during the load must not pass
  if (outcome.wrote !== undefined) verified = await verifySnapshot(dir).catch(() => undefined);
  return { ...outcome, reason, durationMs: Math.round(performance.now() - started), verified };
}
