/**
 * Live reload (`npm run dev`, or `--watch`): when a file of the dataset changes, load and
 * validate the whole dataset again, build its indexes and search, and only then swap it in
 * (App.swap: one assignment, so no request sees half a graph). An invalid edit is logged with
 * the validator's full report, and the previous graph keeps serving.
 *
 * The dataset's directory is watched with chokidar, recursively: every file the loader reads
 * (collections as `.json` or `.ndjson`, source texts wherever `sources[].file` puts them, the
 * built-in dataset's modules), whatever its name, except editors' swap, backup and lock files.
 * Symbolic links are not followed: a link replaced is a change, a change inside its target is not.
 * A dataset's path that is (or goes through) a symbolic link (`--data current`, `current ->
 * release-1`) is watched where it leads, and every link met on the way there (a chain, `current ->
 * stage -> release-1`; a link inside a link's target: dataset-way.ts) is watched for its
 * replacement: an atomic swap to another release is reloaded from there, and that release watched
 * from then on. So is every directory on the way, for another put in its place (`mv data data.old
 * && mv data.new data`, or the same of a directory above it). When the directory itself is
 * removed, or its path leads to no directory (a link removed, a loop of links, a file), the
 * watcher waits for it to come back (watching where its way ends, and the links and directories
 * on it), then watches it again and reloads. A watcher that fails (chokidar reports an error: no
 * inotify watches left, a permission lost) is closed and reported in /ready (`"watch": "failed"`),
 * in the metric `kz_osce_dataset_watch_up` and in the log; the graph already loaded keeps serving. So is a reload that refused the dataset or failed
 * (`"watch": "refused"`, `"failed"`, with why), until a reload is applied: the graph served is then
 * not the dataset on disk.
 *
 * Changes are debounced (an editor's save is often several events), and reloads never overlap:
 * a change during a reload schedules one more reload after it.
 */
import { type FSWatcher as DirectoryWatcher, watch as fsWatch, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { watch as chokidarWatch, type FSWatcher } from "chokidar";
import type { KnowledgeGraph } from "../graph/graph.js";
import { loadJsonGraph } from "../graph/load.js";
import { snapshotsPlaced } from "../graph/snapshot/place.js";
import { codeOf, codeOnDisk, readSnapshot, SnapshotUnusable } from "../graph/snapshot/snapshot.js";
import { DatasetError, formatProblem } from "../graph/validate.js";
import type { App, WatchStatus } from "./app.js";
import { snapshotDirHint } from "./config.js";
import { datasetFiles, isEditorJunk, regenerateHint } from "./dataset-files.js";
import {
  directoryIdOf,
  type Lstat,
  MAX_LINKS,
  partsOf,
  replacedOn,
  sameEnd,
  sameWay,
  type Way,
  wayTo,
} from "./dataset-way.js";
import { ensureWritableSnapshot, type PlacedSnapshot, removePrivate } from "./private-snapshots.js";
import { outOfTimeMessage, RELOAD_TIMED_OUT, withinBound } from "./reload-codes.js";

export type ReloadOutcome =
  | { outcome: "applied"; entities: number; durationMs: number }
  | { outcome: "refused"; problems: string[]; found: number; durationMs: number }
  | { outcome: "failed"; error: string; durationMs: number };

export interface Reloader {
  /** Reload now (as a change would), resolving when done. */
  reload(): Promise<ReloadOutcome>;
  /** The watcher's state, as /ready shows it. */
  status(): WatchStatus;
  /** Resolves once the first watch is in place: changes from then on are seen. */
  ready: Promise<void>;
  /**
   * Stop watching, and stop a reload under way (its child process, and the temporary files of a
   * snapshot it was writing); resolves once that reload has ended.
   */
  close(): Promise<void>;
}

/** A watch of the directories that hold the parts of the dataset's way: its links and directories (watchEntries). */
interface WayWatch {
  close(): void;
  /** false when one of them went before it could be watched: the way is looked at again, whatever it is then. */
  complete: boolean;
}

/** The directory a dataset lives in: a JSON dataset's own, or data/ for the built-in one. */
export function datasetDirectory(dataDir: string | undefined, builtIn?: BuiltInDataset): string {
  if (dataDir !== undefined) return resolve(dataDir);
  if (builtIn === undefined)
    throw new Error("watchDataset: give dataDir, or the built-in dataset to watch (builtIn)");
  return resolve(builtIn.directory);
}

/**
 * The built-in dataset, for a reloader without `dataDir`: where it lives and how to load it
 * afresh. Chosen where the server starts (main.ts passes data/load.ts's), so that this module
 * does not import data/.
 */
export interface BuiltInDataset {
  directory: string;
  reload: () => Promise<KnowledgeGraph>;
}

export { isEditorJunk };

export interface WatchOptions {
  dataDir: string | undefined;
  /** Watched and reloaded when `dataDir` is undefined. */
  builtIn?: BuiltInDataset;
  debounceMs?: number;
  onReload?: (outcome: ReloadOutcome) => void;
  /**
   * A JSON dataset is reloaded through its snapshot (src/graph/snapshot): read from it when the
   * dataset's bytes are those it was written from (a file touched, not changed), else loaded and
   * validated in full and the snapshot written anew, so that the next start (or a worker started
   * later) starts from the reloaded dataset's snapshot rather than loading it in full. The full
   * load and the write run in a child process at a lower priority (off-thread.ts; or the
   * primary's, for a cluster worker: `fromPrimary`), so that the server keeps answering during them; only the
   * snapshot's read is on the serving thread, in parts (0.1 s at 100k, about 1 s at 1M in all).
   */
  snapshot?: boolean;
  /**
   * In a cluster worker: the dataset's snapshot made current for a reload (with `snapshot`) by
   * the primary, once for all the workers (cluster.ts, `snapshotFromPrimary`). Without it, this
   * process makes it current itself, in a child process (off-thread.ts).
   */
  fromPrimary?: (signal: AbortSignal) => Promise<PlacedSnapshot>;
  /** How a directory is watched (chokidar's `watch`); a test may wrap it to see the watchers made. */
  watch?: typeof chokidarWatch;
  /** How the directories holding the parts of the dataset's way (its links and directories) are watched (fs.watch); a test may wrap it. */
  watchEntries?: typeof fsWatch;
  /** Told of each event of those directories' watches taken for a change of the way (the way is then resolved again); a test counts them. */
  onWayEvent?: (place: string) => void;
  /** How the parts of the dataset's way are looked at (lstat, bigint: dataset-way.ts); a test may give one of a file system that keeps no birth times. */
  lstat?: Lstat;
  /**
   * How long a reload may take, in ms (KZ_OSCE_RELOAD_TIMEOUT_MS; RELOAD_TIMEOUT_MS unless
   * told): past it, its child process is stopped and the reload reported failed.
   */
  reloadTimeoutMs?: number;
  /**
   * The dataset's files (dataset-files.ts `datasetFiles`) as they were when the load of the graph
   * now served began. If they differ once the first watch is in place, the dataset changed
   * before it was watched, while the server started, and it is reloaded at once: else the graph
   * loaded would be served until the next change.
   */
  filesAtLoad?: string;
}

/** Times a load is made again when the dataset changed while it was loaded (its snapshot stale at once). */
const RELOAD_ATTEMPTS = 3;

/**
 * How long a reload may take unless told (KZ_OSCE_RELOAD_TIMEOUT_MS, config.ts): 15 minutes, five
 * times the longest reload measured at a million entities (160-178 s). Without a bound, a child
 * wedged for good (red team 11, F2: a named pipe where states.json was, before the loader refused
 * one) held every later reload behind it, logged nothing, and /ready still said "watch":"ok".
 */
export const RELOAD_TIMEOUT_MS = 900_000;

/** Loads the JSON dataset in `dir` as a reload does (through a snapshot made current in a child process, unless `snapshot` is false); also what a server without live reload loads again with when its snapshot fails a read (main.ts). */
export function jsonLoader(
  dir: string,
  snapshot: boolean,
  app: Pick<App, "logger">,
  fromPrimary: WatchOptions["fromPrimary"],
): (signal: AbortSignal) => Promise<KnowledgeGraph> {
  if (!snapshot) return async () => loadJsonGraph(dir);
  return async (signal) => {
    /**
     * The private directory the last attempt's snapshot was written in, where none could be in
     * the snapshots' own (private-snapshots.ts): removed once read, or once the attempt or the
     * reload failed. (A cluster worker's are the primary's, which removes them.)
     */
    let privateDir: string | undefined;
    /** Why the last attempt's snapshot was unusable, for the next attempt's child. */
    let unusable: string | undefined;
    /** Why the snapshots' own directory would not do, found by the last attempt: a private one. */
    let elsewhere: string | undefined;
    /**
     * The graph's code on disk, when it is no longer the code this process runs (a deploy or a
     * `git pull` before the restart): a reload's child (the primary's, for a worker) runs the
     * code on disk, and names and stamps its snapshot after it, which this process cannot read
     * (snapshot.ts `readHeader`: a layout of another code is refused as stale, not misread).
     * Red team 12 (F4): every such reload read this code's name, found it stale or missing, loaded
     * three times in full and failed, until a restart.
     */
    const codeChanged = (): string | undefined => {
      const now = codeOnDisk();
      return now === codeOf() ? undefined : now;
    };
    /**
     * Refused, saying why: the previous graph keeps serving until the restart that runs the new
     * code. Not loaded here with this process's code: a whole load on the serving thread holds
     * every request (review 15: 15.5 s at 100,000 entities, minutes at a million, every worker at
     * once), to save the wait for a restart a deploy that changed the code brings anyway.
     */
    const withOwnCode = (onDisk: string): never => {
      throw new Error(
        `the graph's code on disk changed since this server started (${codeOf().slice(0, 12)} then, ${onDisk.slice(0, 12)} now): a reload's child would run it, and its snapshot is not one this server can read; restart the server to run the new code and load the dataset`,
      );
    };
    try {
      for (let attempt = 1; ; attempt++) {
        const onDisk = codeChanged();
        if (onDisk !== undefined) return withOwnCode(onDisk);
        // validated, loaded and written in a child process (or by the primary, for every
        // worker): the requests go on meanwhile
        const ensured = await (fromPrimary
          ? fromPrimary(signal)
          : ensureWritableSnapshot(dir, signal, app.logger, { unusable, elsewhere }));
        if ("nowhere" in ensured) {
          // no snapshot could be written anywhere: loaded here, holding the requests
          app.logger.warn(`reloading on the serving thread: ${ensured.nowhere}`, {
            ...ensured.details,
            ...snapshotDirHint(snapshotsPlaced()),
          });
          return loadJsonGraph(dir);
        }
        if (ensured.writeError !== undefined) {
          // the primary's, when it could write none anywhere either
          app.logger.warn("reloading on the serving thread: the primary could write no snapshot", {
            ...ensured,
            verified: undefined,
            ...snapshotDirHint(snapshotsPlaced()),
          });
          return loadJsonGraph(dir);
        }
        if (!fromPrimary && ensured.placedIn !== undefined) {
          privateDir = ensured.placedIn;
          elsewhere = ensured.placedBecause;
        }
        const read = performance.now();
        try {
          const graph = await readSnapshot(dir, {
            verified: ensured.verified,
            placedIn: ensured.placedIn,
          });
          app.logger.info(
            fromPrimary
              ? "reloaded from the snapshot the primary made current"
              : ensured.placedIn !== undefined
                ? "reloaded in full; read from a temporary snapshot"
                : ensured.from === "snapshot"
                  ? "reloaded from the snapshot (the dataset's bytes are unchanged)"
                  : "reloaded in full; snapshot written",
            { ...ensured, verified: undefined, readMs: Math.round(performance.now() - read) },
          );
          return graph;
        } catch (error) {
          // the snapshot the child wrote cannot be used here: stale already (the dataset changed
          // while the child loaded it), or refused (something else in its place: a named pipe,
          // a directory) or gone; it is loaded again in a child (never here, which would hold
          // the requests), the child told why
          if (!(error instanceof SnapshotUnusable)) throw error;
          // the code changed while the child ran: its snapshot is the new code's
          const onDisk = codeChanged();
          if (onDisk !== undefined) return withOwnCode(onDisk);
          if (attempt === RELOAD_ATTEMPTS) throw error;
          unusable = `${error.reason}: ${error.message}`;
          // said as it is: a pipe renamed over the snapshot was logged "the dataset changed"
          app.logger.info(
            error.reason === "stale"
              ? "the dataset changed during its reload: loading it again"
              : `the snapshot its reload wrote could not be read (${error.reason}): loading the dataset again`,
            { dir, reason: unusable },
          );
        }
        if (privateDir !== undefined) removePrivate(privateDir, app.logger);
        privateDir = undefined;
      }
    } finally {
      if (privateDir !== undefined) removePrivate(privateDir, app.logger);
    }
  };
}

export function watchDataset(
  app: Pick<App, "swap" | "logger" | "metrics" | "setWatchStatus">,
  options: WatchOptions,
): Reloader {
  const directory = datasetDirectory(options.dataDir, options.builtIn);
  // aborted by close(): stops a reload's child process (off-thread.ts)
  const stopping = new AbortController();
  const load: (signal: AbortSignal) => Promise<KnowledgeGraph> =
    options.dataDir !== undefined
      ? jsonLoader(options.dataDir, options.snapshot === true, app, options.fromPrimary)
      : options.builtIn!.reload;
  const timeoutMs = options.reloadTimeoutMs ?? RELOAD_TIMEOUT_MS;
  const dataset = options.dataDir ?? "the built-in dataset";
  const debounceMs = options.debounceMs ?? 200;
  const watch = options.watch ?? chokidarWatch;
  const watchEntriesOf = options.watchEntries ?? fsWatch;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<ReloadOutcome> | undefined;
  let again = false;
  let closed = false;
  let watcher: FSWatcher | undefined;
  /** The watch of the links and directories on the dataset's way (watchWay), or of where it ends while it leads nowhere (waitForDirectory). */
  let wayWatch: WayWatch | undefined;
  const lstat = options.lstat;
  /** Whether the warning that a directory of the way has no birth time has been logged (once). */
  let saidNoBirthTime = false;
  /** The directories of parts of the way this server may not watch, said once each (watchEntries). */
  const unwatchable = new Set<string>();
  /** The log line said of the wait under way (waitForDirectory), said again only for another. */
  let absentSaid: string | undefined;
  /** The watcher's own state: ok, waiting for the directory, or failed (live reload off for good). */
  let watcherState: WatchStatus = { state: "ok" };
  /**
   * The last reload's, when it ended refused or failed (its time bound, its load, the code on disk
   * changed): the graph served is not the dataset on disk, until a reload is applied. A review
   * found /ready at "watch":"ok" after every such reload but one that ran out of time (only
   * kz_osce_graph_reloads_total said so), so a load balancer or an operator reading /ready never
   * knew the dataset on disk was not the one served.
   */
  let lastReload: WatchStatus | undefined;
  /** What /ready says: the watcher's own state when not ok (it says more: no watch, or no directory), else the last reload's. */
  let status: WatchStatus = watcherState;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let started = false;
  /** The first watch is in place (or waits for the directory): say so once. */
  const watching = () => {
    if (started) return;
    started = true;
    app.logger.info("watching the dataset for changes", { dataset, directory });
    if (options.dataDir !== undefined && options.snapshot !== true)
      // said once, where an operator looks when requests stall at each save
      app.logger.warn(
        "snapshots are off (KZ_OSCE_SNAPSHOT=false): each reload loads the dataset on the serving thread, and requests wait for it (seconds at 100k entities)",
        { dataset },
      );
    markReady();
  };

  /** When the reload under way began; undefined while none is. */
  let reloadingSince: Date | undefined;
  const publish = () => {
    const said = watcherState.state !== "ok" ? watcherState : (lastReload ?? watcherState);
    status = reloadingSince ? { ...said, reloadingSince } : said;
    app.setWatchStatus(status);
  };
  /** The watcher's own state. */
  const report = (next: WatchStatus) => {
    watcherState = next;
    publish();
  };

  const reload = async (): Promise<ReloadOutcome> => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let result: ReloadOutcome;
    // stops the load (its child process) when the server stops, or when it runs out of time
    const bound = withinBound(stopping.signal, timeoutMs);
    reloadingSince = new Date();
    publish();
    try {
      // closed (the server is shutting down): nothing more is loaded
      if (closed) throw new Error("stopped");
      const graph = await load(bound.signal);
      // stopped meanwhile (the server is shutting down): not swapped in
      if (closed) throw new Error("stopped");
      app.swap(graph);
      const entities = Object.values(graph.keys).reduce((n, k) => n + k.length, 0);
      result = { outcome: "applied", entities, durationMs: elapsed() };
      app.logger.info("dataset reloaded", {
        dataset,
        entities,
        graphVersion: graph.contentHash,
        durationMs: result.durationMs,
      });
    } catch (error) {
      if (closed) {
        // stopped by close() (the server is shutting down): nothing to report
        bound.clear();
        reloadingSince = undefined;
        publish();
        result = { outcome: "failed", error: "stopped", durationMs: elapsed() };
        options.onReload?.(result);
        return result;
      }
      // (a worker's load is the primary's, whose own bound may end it first: cluster.ts)
      const primaryRanOut = (error as { code?: unknown } | null)?.code === RELOAD_TIMED_OUT;
      if (bound.ranOut() || primaryRanOut) {
        result = {
          outcome: "failed",
          error: bound.ranOut()
            ? outOfTimeMessage("the reload", timeoutMs, "its load")
            : String((error as Error).message),
          durationMs: elapsed(),
        };
        app.logger.error("dataset reload failed: the previous graph keeps serving", {
          dataset,
          error: result.error,
        });
      } else if (error instanceof DatasetError) {
        result = {
          outcome: "refused",
          problems: error.problems.map(formatProblem),
          found: error.found,
          durationMs: elapsed(),
        };
        app.logger.error(
          error.unreadable
            ? "dataset reload refused: the dataset cannot be read, the previous graph keeps serving"
            : "dataset reload refused: the dataset is invalid, the previous graph keeps serving",
          {
            dataset,
            problems: result.problems,
            report: error.message,
            // (not for a dataset that could not be read: making it again gives the same permissions)
            ...(options.dataDir !== undefined && !error.unreadable && hintOf(options.dataDir)),
          },
        );
      } else {
        result = {
          outcome: "failed",
          error: String((error as Error)?.message ?? error),
          durationMs: elapsed(),
        };
        app.logger.error("dataset reload failed: the previous graph keeps serving", {
          dataset,
          error,
        });
      }
    }
    bound.clear();
    // kept beside the watcher's own state, not over it: reported over it, the next reload cleared
    // the watcher's wait for its directory to "ok" (review 12: /ready said "watch":"ok" while the
    // dataset's directory was gone)
    lastReload = reloadStatus(result);
    reloadingSince = undefined;
    publish();
    // a reload that failed (its load, its time bound) is not a refusal of the dataset
    app.metrics.reloads.inc({ outcome: result.outcome });
    options.onReload?.(result);
    return result;
  };

  /** Run a reload, or, if one is running, one more right after it. */
  const run = (): Promise<ReloadOutcome> => {
    if (running) {
      again = true;
      return running;
    }
    running = reload().finally(() => {
      running = undefined;
      if (again && !closed) {
        again = false;
        void run();
      }
    });
    return running;
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  };

  const stopWatching = () => {
    const current = watcher;
    watcher = undefined;
    if (current) closeForGood(current);
    const way = wayWatch;
    wayWatch = undefined;
    way?.close();
  };

  const fail = (error: unknown) => {
    if (closed) return;
    stopWatching();
    report({
      state: "failed",
      reason: `${(error as NodeJS.ErrnoException)?.code ?? "error"}: ${String((error as Error)?.message ?? error)}`,
    });
    markReady();
    app.logger.error(
      "watching the dataset failed: live reload is off, the loaded graph keeps serving; restart the server to watch again",
      {
        dataset,
        directory,
        code: (error as NodeJS.ErrnoException)?.code,
        error,
      },
    );
  };

  /**
   * Watch the dataset's directory, recursively; `thenReload` once the watcher is ready. A path
   * through symbolic links (`--data current`, `current -> release-1`) is watched where it leads
   * now, and the links and directories on the way for their replacement (watchWay).
   */
  const watchDirectory = (thenReload: boolean) => {
    const way = wayTo(directory, lstat);
    if (way.reached !== "directory") {
      lost();
      return;
    }
    const target = way.end;
    // its target, not the link: chokidar, told not to follow links, watched a link given as the
    // root as a file, its entry in its parent, and no change inside it was ever seen
    const current = watch(target, {
      ignoreInitial: true,
      persistent: false,
      // a link is watched as a link (its replacement is a change), not followed: red team 12 linked
      // a large tree (node_modules) into the dataset's directory, and the watcher walked it on the
      // serving thread (turns of 200-650 ms, 300 MB kept, 58,000 inotify watches, a reload at any
      // write in it), and a link to itself made it fail (ELOOP), live reload off
      followSymlinks: false,
      ignored: (path: string) => path !== target && isEditorJunk(path),
    });
    watcher = current;
    watchWay(current, way);
    current.on("all", (event, path) => {
      if (watcher !== current) return;
      if (path === target && event === "unlinkDir") {
        lost();
        return;
      }
      schedule();
    });
    current.on("error", (error) => {
      if (watcher === current) fail(error);
    });
    current.once("ready", () => {
      if (watcher !== current) return;
      // the directory may have gone between the watch and now
      if (!isDirectory(directory)) {
        lost();
        return;
      }
      report({ state: "ok" });
      const first = !started;
      watching();
      if (thenReload) schedule();
      else if (
        first &&
        options.filesAtLoad !== undefined &&
        datasetFiles(directory) !== options.filesAtLoad
      ) {
        app.logger.info("the dataset changed while the server started: reloading it", {
          dataset,
          directory,
        });
        schedule();
      }
    });
  };

  /**
   * The parts of the dataset's way (dataset-way.ts: every symbolic link met while its path
   * resolves, those inside a link's target too, and every directory passed), watched in their
   * directories for their replacement: a release switched by an atomic swap (`ln -sfn release-2
   * current.tmp && mv -T current.tmp current`) leaves the old target in place, whose watcher saw
   * nothing of it (red team 12, F5: the old graph served until some write in the old release, whose
   * reload then read the new one); so did a swap of any link but the one the path names (`current
   * -> stage -> release-1`, the stage swapped: the review after it), and a directory renamed aside
   * with another put at its path (`mv data data.old && mv data.new data`, or `site` above it: review
   * 16b), the watcher's own directory's rename being no event of its own. When the path leads
   * elsewhere, or to another directory at the same place, that one is watched and reloaded; when to
   * no directory, it is gone (lost). `main`: the watcher of the directory the way led to.
   */
  const watchWay = (main: FSWatcher, way: Way) => {
    const unborn = way.directories.filter((dir) => !dir.birthTime).map((dir) => dir.path);
    if (unborn.length > 0 && !saidNoBirthTime) {
      saidNoBirthTime = true;
      app.logger.warn(
        "the file system of the dataset's directory (or of a directory on its way) keeps no birth times: a directory there removed and made again at once can get its inode back and look the same, so any rename naming it is taken for its replacement (watched anew and reloaded); replace the dataset by renaming (mv), not rm -r and mkdir (docs/operations.md)",
        { dataset, directory, directories: unborn },
      );
    }
    /** `renamedUnborn`: the event was a rename naming a directory of the way without a birth time (watchEntries). */
    const check = (renamedUnborn = false) => {
      if (current === undefined || wayWatch !== current || watcher !== main) return;
      const now = wayTo(directory, lstat);
      const alike = current.complete && sameWay(now, way);
      if (alike && !renamedUnborn) return;
      if (now.reached !== "directory") {
        lost();
        return;
      }
      if (alike) {
        // the same directories by their identities, but one of them perhaps removed and made
        // again with its inode back, which its file system cannot tell (no birth time): the
        // watches of a directory removed are deaf to its successor's files (review 18, finding 2)
        app.logger.info(
          "a directory on the dataset's way was renamed, removed or made, and its file system keeps no birth times to tell whether it is another now: watching it anew and reloading",
          { dataset, directory },
        );
        stopWatching();
        watchDirectory(true);
        return;
      }
      if (sameEnd(now, way)) {
        // another way to the same directory (a stage swapped for another leading to the same
        // release; a directory above it renamed and the dataset's moved into its new one): the
        // new way watched, nothing to reload
        wayWatch?.close();
        wayWatch = undefined;
        watchWay(main, now);
        return;
      }
      app.logger.info(
        "the dataset directory leads elsewhere now (a symbolic link or a directory on its path was replaced): watching it there and reloading",
        {
          dataset,
          directory,
          from: way.end,
          to: now.end,
          replaced: replacedOn(way, now) ?? way.end,
        },
      );
      stopWatching();
      watchDirectory(true);
    };
    const current = watchEntries(partsOf(way), check, unborn);
    if (current === undefined) return;
    // replaced between the way's resolution and this watch: seen here, not as an event
    setImmediate(check);
  };

  /**
   * Watch the directories that hold `paths` (one level, and no link followed: each watch is one
   * inotify watch of a directory, whatever is in it, and reads none of it), calling `changed` when one of `paths` is
   * made, replaced or removed, or one of those directories goes. Node's fs.watch, not chokidar:
   * chokidar, told not to follow links, resolves each link in a directory it watches and reports
   * one only when it resolves, to somewhere new, so that a link swapped for a loop (`stage ->
   * current -> stage`) or for one whose target is not there was never reported; nor, at first,
   * a link it could not resolve, and it reports each link it can at its start, `ignoreInitial`
   * or not. fs.watch reads nothing of what it watches, so a link to itself beside the dataset
   * costs nothing either (review 14: chokidar, following links, failed on one, ELOOP). undefined
   * when a directory cannot be watched (then failed: live reload is off); one gone since the way
   * was resolved is a change. `unborn`: the directories of the way whose file system keeps no
   * birth time (dataset-way.ts): a rename naming one is told to `changed` as such.
   */
  const watchEntries = (
    paths: string[],
    changed: (renamedUnborn: boolean) => void,
    unborn: string[] = [],
  ): WayWatch | undefined => {
    const wanted = new Set(paths);
    const withoutBirthTime = new Set(unborn);
    const watchers: DirectoryWatcher[] = [];
    /** The places watched, to know whose removal its parent's watch sees under its own name. */
    const watchedPlaces = new Set<string>();
    const handle: WayWatch = {
      complete: true,
      close: () => {
        for (const one of watchers.splice(0)) one.close();
      },
    };
    wayWatch = handle;
    // (`/` is in no directory: it is never replaced)
    for (const place of new Set(paths.filter((p) => dirname(p) !== p).map((p) => dirname(p)))) {
      // the directory watched, to tell its own removal or rename from a file in it named like it
      const watched = directoryIdOf(place, lstat);
      const ownName = basename(place);
      try {
        const one = watchEntriesOf(place, { persistent: false }, (event, name) => {
          if (wayWatch !== handle) return;
          // A directory removed or renamed is reported with its own name, as an entry of itself
          // (a "rename"): so is a file made or removed in it under that name (`/tmp/tmp`,
          // `/srv/srv`), which review 16d found taken for the directory's removal, the whole way
          // walked again at each (2,000 such files: 316 ms of the serving thread's time). Only a
          // directory no longer the one watched is one gone. Where the file system keeps no birth
          // time, the directory removed and made again at once can be the one watched by its
          // identity (its inode back): then a rename naming a directory of the way in it may be
          // that one's replacement, and is taken for one (review 18, finding 2). A rename naming
          // the directory itself is taken for one only where its parent could not be watched
          // (EACCES): else the parent's watch sees its removal or making under its real name,
          // and a file of its name made in it (`/tmp/tmp`, by any local user where /tmp keeps no
          // birth time) reloaded the whole dataset at each (review 20, finding 3)
          const ownUnborn =
            withoutBirthTime.has(place) &&
            !(wanted.has(place) && watchedPlaces.has(dirname(place)));
          const renamedUnborn =
            event === "rename" &&
            name !== null &&
            (name === ownName ? ownUnborn : withoutBirthTime.has(join(place, name)));
          const ofTheWay =
            name === null ||
            wanted.has(join(place, name)) ||
            (event === "rename" &&
              name === ownName &&
              (ownUnborn || directoryIdOf(place, lstat) !== watched));
          if (!ofTheWay) return;
          options.onWayEvent?.(place);
          changed(renamedUnborn);
        });
        one.on("error", (error) => {
          if (wayWatch === handle) fail(error);
        });
        watchers.push(one);
        watchedPlaces.add(place);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EACCES" || code === "EPERM") {
          if (unwatchable.has(place)) continue;
          unwatchable.add(place);
          // a directory this server may pass through but not read (`/srv`, mode 711): the
          // replacement of its links or directories on the way is not seen, said so, but the
          // dataset's own files still are. Failed, live reload was off for good, for a link whose
          // swap is perhaps never made
          app.logger.warn(
            "a part of the dataset's way (a symbolic link or a directory) is in a directory this server may not watch: its replacement will not be seen, the dataset's files still are",
            {
              dataset,
              directory,
              place,
              parts: paths.filter((path) => dirname(path) === place),
              code,
            },
          );
          continue;
        }
        if (code !== "ENOENT" && code !== "ENOTDIR") {
          fail(error);
          return undefined;
        }
        // gone since the way was resolved: the way is looked at again, whatever it is then
        handle.complete = false;
      }
    }
    return handle;
  };

  /** The dataset's directory is gone, or leads to no directory: the loaded graph keeps serving, and its return is watched for. */
  const lost = () => {
    stopWatching();
    clearTimeout(timer);
    waitForDirectory();
    watching();
  };

  /**
   * Wait for the dataset's path to lead to a directory again, watching where the way to it ends
   * (the nearest directory above a part that does not exist, or that holds what is not a
   * directory) and every link and directory on it: the next step back (a directory made, a link
   * made again or swapped to a release, a directory above put back by a rename) is seen as it is
   * made, wherever the links lead.
   */
  const waitForDirectory = () => {
    if (closed) return;
    const way = wayTo(directory, lstat);
    if (way.reached === "directory") {
      app.logger.info("the dataset directory is back: watching it again", { dataset, directory });
      watchDirectory(true);
      return;
    }
    const absent = absence(way);
    const waitingAlready = watcherState.state === "waiting";
    if (!waitingAlready || watcherState.reason !== absent.reason)
      report({ state: "waiting", reason: absent.reason });
    // said once a wait, and again only when it is another (not at each step of a `mkdir -p`)
    if (!waitingAlready || absentSaid !== absent.msg) {
      absentSaid = absent.msg;
      app.logger.warn(absent.msg, { dataset, directory, ...absent.fields });
    }
    const step = () => {
      if (current === undefined || wayWatch !== current) return;
      if (current.complete && sameWay(wayTo(directory, lstat), way)) return;
      stopWatching();
      waitForDirectory();
    };
    const current = watchEntries(partsOf(way), step);
    if (current === undefined) return;
    // made between the way's resolution and this watch: seen here, not as an event
    setImmediate(step);
  };

  /** What /ready and the log say of a way that leads to no directory. */
  const absence = (way: Way): { reason: string; msg: string; fields: Record<string, unknown> } => {
    if (way.reached === "loop") {
      const links = way.links.map((link) => `${link.path} -> ${link.target}`);
      return {
        reason: `the dataset directory ${directory} is a loop of symbolic links (ELOOP: more than ${MAX_LINKS} followed): ${links.join(", ")}: waiting for it to lead to a directory`,
        msg: "the dataset directory's path is a loop of symbolic links: waiting for it to lead to a directory, the loaded graph keeps serving",
        fields: { links },
      };
    }
    if (way.reached === "not a directory")
      return {
        reason:
          way.end === directory
            ? `the dataset directory ${directory} is not a directory: waiting for it to be one`
            : `the dataset directory ${directory} leads to ${way.end}, which is not a directory: waiting for it to lead to one`,
        msg: "the dataset directory's path leads to something not a directory: waiting for it to lead to a directory, the loaded graph keeps serving",
        fields: { leadsTo: way.end },
      };
    return {
      reason:
        way.end === directory
          ? `the dataset directory ${directory} does not exist: waiting for it to be created again`
          : `the dataset directory ${directory} does not exist (${way.end}, on its way, does not): waiting for it to be created again`,
      msg: "the dataset directory is gone: waiting for it to come back, the loaded graph keeps serving",
      fields: way.end === directory ? {} : { missing: way.end },
    };
  };

  app.setWatchStatus(status);
  if (isDirectory(directory)) watchDirectory(false);
  else lost();

  return {
    reload: run,
    status: () => status,
    ready,
    close() {
      closed = true;
      clearTimeout(timer);
      stopWatching();
      stopping.abort();
      return (running ?? Promise.resolve()).then(() => undefined);
    },
  };
}

/**
 * What /ready says after a reload: nothing once it is applied (the dataset on disk is served);
 * "refused" (the dataset is invalid, or cannot be read: fix it) or "failed" (the reload could not
 * be made: its time bound, its load, the code on disk changed) with why, the previous graph
 * serving, until a reload is applied.
 */
function reloadStatus(result: ReloadOutcome): WatchStatus | undefined {
  if (result.outcome === "applied") return undefined;
  if (result.outcome === "failed")
    return {
      state: "failed",
      reason: `the last reload failed, the previous graph keeps serving: ${result.error}`,
    };
  const [first] = result.problems;
  const more = result.found - 1; // (DatasetError's `found` counts the problems kept too)
  const logged =
    result.found > result.problems.length
      ? `the first ${result.problems.length} in the log`
      : "see the log";
  return {
    state: "refused",
    reason: `the last reload refused the dataset, the previous graph keeps serving: ${first ?? "(no problem given)"}${more > 0 ? ` (and ${more} more ${more === 1 ? "problem" : "problems"}: ${logged})` : ""}`,
  };
}

/** The hint to make a generated dataset again (regenerateHint), as a log line's field. */
function hintOf(dir: string): { hint?: string } {
  const hint = regenerateHint(dir);
  return hint === undefined ? {} : { hint };
}

/**
 * Closes a chokidar watcher for good. chokidar's `add` reopens a closed watcher (it sets `closed`
 * back to false), and chokidar calls it itself for an event read after the close: the removal of
 * a file of the dataset's directory, gone with it (`rm -r data`), is watched for its return
 * (`_remove`), which, the directory gone too, watched the directory's parent. Nothing closed those:
 * each such removal left one watch of the parent per file open for the process's life, told of
 * every change there (ten at each `rm -r` of the built-in dataset's copy).
 */
function closeForGood(watcher: FSWatcher): void {
  watcher.add = () => watcher;
  void watcher.close();
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
