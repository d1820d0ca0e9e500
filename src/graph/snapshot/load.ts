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
  durationMs: number;
  /** Where the time went (phases.ts): `name wall/CPU ms, ...`. */
  phases?: string;
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
    phases?: Phases;
  } = {},
): Promise<{ graph: KnowledgeGraph; outcome: SnapshotOutcome }> {
  const started = performance.now();
  let reason: string | undefined;
  if (!options.skipRead) {
    try {
      const phases = options.phases ?? new Phases();
      const graph = await readSnapshot(dir, {
        verified: options.verified,
        asServed: options.asServed,
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
      reason =
        error instanceof SnapshotUnusable
          ? `${error.reason}: ${error.message}`
          : `unreadable: ${(error as Error).message}`;
    }
  }
  // where validation found each quote, for the writer only (keyed by the strings the graph keeps
  // anyway: a map's entries, held until the write, then let go with this call)
  let quotePlaces: QuotePlaces | undefined;
  const graph = loadJsonGraph(dir, {
    onQuotePlaces: options.write === false ? undefined : (places) => (quotePlaces = places),
  });
  const outcome: SnapshotOutcome = { from: "full load", reason, durationMs: 0 };
  if (options.write !== false) {
    // what a server builds before it serves anyway (app.ts): built once, written, and handed over
    graph.buildDeferredIndexes();
    const search = SearchIndex.build(graph);
    attachSearchIndex(graph, search);
    try {
      outcome.wrote = writeSnapshot(dir, graph, search, quotePlaces);
    } catch (error) {
      outcome.writeError = (error as Error).message;
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
): Promise<SnapshotOutcome & { verified?: VerifiedSnapshot }> {
  const started = performance.now();
  let reason: string;
  try {
    const verified = await verifySnapshot(dir);
    return { from: "snapshot", durationMs: Math.round(performance.now() - started), verified };
  } catch (error) {
    reason =
      error instanceof SnapshotUnusable
        ? `${error.reason}: ${error.message}`
        : `unreadable: ${(error as Error).message}`;
  }
  const { outcome } = await loadJsonGraphWithSnapshot(dir, { skipRead: true });
  let verified: VerifiedSnapshot | undefined;
  // checked anew rather than vouched for from the load: a file edited during the load must not pass
  if (outcome.wrote !== undefined) verified = await verifySnapshot(dir).catch(() => undefined);
  return { ...outcome, reason, durationMs: Math.round(performance.now() - started), verified };
}
