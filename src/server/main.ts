/** Entry point of `npm start`: read the config, load and validate the dataset, serve it, stop gracefully. */
// first, before anything imports graphql-js (node-env.ts)
import "./node-env.js";
// a stop signal from here until the server's own handlers: exit 0, said, temporaries removed
import "./start-stop.js";
import { rmSync, writeSync } from "node:fs";
import { DatasetError } from "../graph/validate.js";
import { enableFederation } from "../schema/federation-mode.js";
import { ConfigError, parseConfig, snapshotDirHint } from "./config.js";
import { formatNodeStacksPlainly } from "./node-stacks.js";
import { ignoreInspectorSignal, offStopSignals } from "./signals.js";
import {
  handleStopsDuringStart,
  handStopsTo,
  sayStopDuringStart,
  startingTo,
  stopDuringStart,
  stopsDuringStartHandedOver,
} from "./start-stop.js";

// the stacks of errors made inside Node alone (a request aborted as its connection closes) are
// formatted without looking up source maps in Node's own files; every other stack keeps its
// TypeScript lines (node-stacks.ts)
formatNodeStacksPlainly();

/** How the primary hands its check of the snapshot to its workers (cluster.ts); read only in a worker. */
const VERIFIED_SNAPSHOT_ENV = "KZ_OSCE_INTERNAL_VERIFIED_SNAPSHOT";
/**
 * Set ("1") while the workers' last reload refused the dataset: a worker started then (one
 * replacing a worker that died) reads the snapshot the others serve, with the primary's check of
 * it, rather than loading the refused dataset, failing to start, and being started again.
 */
const DATASET_REFUSED_ENV = "KZ_OSCE_INTERNAL_DATASET_REFUSED";
/**
 * The private directory of the snapshot of the workers' last reload, where none could be written
 * in the snapshots' own (private-snapshots.ts): a worker started later starts from it.
 */
const PLACED_SNAPSHOT_ENV = "KZ_OSCE_INTERNAL_PLACED_SNAPSHOT";
/** The address the primary's try of the host found (listen-check.ts): its workers listen there, not looking the name up again. */
const LISTEN_ON_ENV = "KZ_OSCE_INTERNAL_LISTEN_ON";
/** Whether this process is a worker of this server's (not of another supervisor's cluster): set by main. */
let ourWorker = false;
/** The dataset directory, for the hint to make a generated one again should it be refused. */
let startingDataDir: string | undefined;

async function main(): Promise<void> {
  const config = parseConfig(process.argv.slice(2), process.env);
  startingDataDir = config.dataDir;
  sayStopDuringStart(config.logLevel === "debug" || config.logLevel === "info");
  // every process of the server: a single one, a primary, each worker (said at most once a
  // minute, with how many signals the line stands for)
  ignoreInspectorSignal(
    (count) =>
      void import("./log.js").then(({ createLogger }) =>
        createLogger(config.logLevel).warn(
          "SIGUSR1 ignored: it would open Node's inspector, through which any process of this host could run code in the server; to debug, start it with node --inspect",
          { signal: "SIGUSR1", pid: process.pid, count },
        ),
      ),
  );
  // whether this process maps a snapshot's columns file, primary and workers alike (columns.ts)
  if (config.dataDir !== undefined && config.snapshot) {
    (await import("../graph/snapshot/columns.js")).mapColumns(config.snapshotMap);
    // and where it keeps snapshots: beside the dataset, or in KZ_OSCE_SNAPSHOT_DIR (place.ts)
    (await import("../graph/snapshot/place.js")).placeSnapshots(config.snapshotDir);
  }
  const describe = (url: string, workers = "") =>
    `kz-osce-graph: serving ${config.dataDir ?? "the built-in dataset"}${config.subgraph ? ` as a federation subgraph${config.subgraph.gatewaySecret ? " (gateway secret set)" : ""}` : ""}${workers} at ${url}/graphql`;
  // several workers (cluster.ts): this process only starts and supervises them
  const cluster = config.workers > 1 ? (await import("node:cluster")).default : undefined;
  // a single process maps a private copy of a snapshot's columns file, out of other writers'
  // reach; a worker maps the file its primary checked, shared with the other workers through the
  // page cache (columns.ts, mapPrivateCopies)
  if (cluster === undefined && config.dataDir !== undefined && config.snapshot)
    (await import("../graph/snapshot/columns.js")).mapPrivateCopies(true);
  // the host and port tried before the load (minutes at a million entities), not after it; a
  // worker listens through its primary, which tried them
  ourWorker = cluster?.isWorker === true;
  startingTo("checking the host and port");
  const listenOn = cluster?.isWorker
    ? process.env[LISTEN_ON_ENV] || config.host
    : await (await import("./listen-check.js")).checkListenable(config.host, config.port);
  if (cluster?.isPrimary) {
    // the workers start from the dataset's snapshot: made current and checked here, once,
    // rather than by each worker loading in full or hashing the dataset again
    // always set, so that a value in the primary's own environment never reaches a worker
    const workerEnv: Record<string, string> = {
      [VERIFIED_SNAPSHOT_ENV]: "",
      [DATASET_REFUSED_ENV]: "",
      [PLACED_SNAPSHOT_ENV]: "",
      [LISTEN_ON_ENV]: listenOn,
    };
    /**
     * The private directory of the snapshot of the start or of the last reload, where none could
     * be written in the snapshots' own (private-snapshots.ts): the workers read it after this
     * process answered them, and a worker started later (one replacing a worker that died)
     * starts from it, so it is kept until the next reload's replaces it, and removed as this
     * process exits (the workers' graphs keep its files open and mapped meanwhile).
     */
    let privateDir: string | undefined;
    /**
     * The dataset's files (dataset-files.ts) as the load that made `privateDir` began: while they
     * are the same, the next ask (a worker's recovery) checks that snapshot rather than loading
     * the dataset into a new one (ensureWritableSnapshot's `reuse`); once they changed (a reload),
     * it is stale, and not checked for nothing.
     */
    let privateFiles: string | undefined;
    /** Removes `privateDir`, when there is one (at exit, or at a signal's death). */
    const removePrivateDir = () => {
      if (privateDir === undefined) return;
      // (here, not through private-snapshots.ts, which a primary without a JSON dataset never
      // imports; said at once: the log's lines are written a turn later, and there is none left)
      try {
        rmSync(privateDir, { recursive: true, force: true });
      } catch (error) {
        writeSync(
          2,
          `kz-osce-graph: the temporary snapshot ${privateDir} could not be removed: ${(error as Error).message}\n`,
        );
      }
      privateDir = undefined;
    };
    // (a stop during the start ends this process through process.exit too: start-stop.ts)
    process.on("exit", removePrivateDir);
    if (config.dataDir !== undefined && config.snapshot) {
      // checked here; loaded in full, when it must be, in a child process at this one's priority
      // (the workers wait for it): a full load takes the heap of a graph loaded in full (GBs at
      // a million entities), which this process, the replica's supervisor for its whole life,
      // kept as its resident memory long after (0.8 GiB at 200k entities, against 0.23 GiB for
      // each worker, whose graph is read from the snapshot)
      const { ensureSnapshot } = await import("../graph/snapshot/load.js");
      const dir = config.dataDir;
      const { createLogger } = await import("./log.js");
      const logger = createLogger(config.logLevel);
      // SIGTERM or Ctrl-C during this load stops its child (killed, its temporary files removed:
      // off-thread.ts), and then this process, as a stop during the start does (start-stop.ts).
      // Without a handler this process ended at once, and the child only noticed within half a
      // second, leaving its temporary snapshot file to the hourly clean-up.
      const stopping = new AbortController();
      // `on`, not `once`: a second signal while the child is being stopped is ignored (with no
      // listener left it would end this process at once, the child's clean-up not yet done)
      const stop = (signal: NodeJS.Signals) => {
        if (stopping.signal.aborted) return;
        logger.info("stopping: the dataset's load for the workers is stopped first", { signal });
        stopping.abort(signal);
      };
      // (the new handler first, in the same turn: with none between the two, Node closes the
      // signal's watcher, and a signal it had caught and not yet told is lost: red team 46, F3)
      handStopsTo(stop);
      startingTo("checking the snapshot for the workers, or loading the dataset in full for them");
      let ensured: Awaited<ReturnType<typeof ensureSnapshot>> | undefined;
      const { ensureWritableSnapshot, nowhereOutcome } = await import("./private-snapshots.js");
      const filesAtStart = (await import("./dataset-files.js")).datasetFiles(dir);
      try {
        ensured = await ensureSnapshot(dir, {
          // where no snapshot can be written in the snapshots' own directory, in a temporary
          // one (private-snapshots.ts) that every worker reads: one load rather than one each
          inFull: async (unusable) => {
            const began = performance.now();
            const answer = await ensureWritableSnapshot(dir, stopping.signal, logger, {
              niceBy: 0,
              unusable,
              doing: "loading for the workers",
            });
            return "nowhere" in answer ? nowhereOutcome(answer, began, unusable) : answer;
          },
        });
      } catch (error) {
        if (!stopping.signal.aborted) throw error;
        logger.debug("the dataset's load for the workers ended on the stop", {
          error: String((error as Error)?.message ?? error),
        });
      } finally {
        // (in the same turn: no signal between the two that would find no handler)
        handleStopsDuringStart();
        offStopSignals(stop);
      }
      // ended as a stop during the start ends, now that the child has ended
      if (stopping.signal.aborted) stopDuringStart(stopping.signal.reason as NodeJS.Signals);
      const { verified, ...outcome } = ensured!;
      const placedIn = (ensured as import("./private-snapshots.js").PlacedSnapshot).placedIn;
      if (outcome.writeError !== undefined)
        logger.warn("no snapshot could be written: each worker loads in full", {
          ...outcome,
          ...snapshotDirHint(config.snapshotDir),
        });
      else if (placedIn !== undefined)
        logger.info("loaded in full; temporary snapshot written for the workers", { ...outcome });
      else if (outcome.wrote !== undefined)
        logger.info("loaded in full; snapshot written for the workers", { ...outcome });
      else logger.info("snapshot checked for the workers", { ...outcome });
      if (verified) workerEnv[VERIFIED_SNAPSHOT_ENV] = JSON.stringify(verified);
      // the workers start from it; kept until a reload's replaces it (below)
      if (placedIn !== undefined) {
        privateDir = placedIn;
        privateFiles = filesAtStart;
        workerEnv[PLACED_SNAPSHOT_ENV] = placedIn;
      }
    }
    // the workers' reloads of a JSON dataset (with live reload), and their loads to mend a snapshot
    // that failed a read while served (createApp's `recover`, with or without it), are loaded
    // here, once for all: without --watch each worker loaded in a child of its own, all at once
    // (N full loads, each written over the others' snapshot; review 15)
    const dataDir = config.dataDir;
    const { datasetFiles } = await import("./dataset-files.js");
    const reloads: import("./cluster.js").SharedReloads | undefined =
      dataDir !== undefined && config.snapshot
        ? {
            async ensure(signal) {
              const { ensureWritableSnapshot, nowhereOutcome, removePrivate } = await import(
                "./private-snapshots.js"
              );
              const logger = (await import("./log.js")).createLogger(config.logLevel);
              let answer: Awaited<ReturnType<typeof ensureWritableSnapshot>>;
              const began = performance.now();
              const files = datasetFiles(dataDir);
              // the dataset unchanged since the last private snapshot was made: that one checked
              // (a recovery's ask, each worker's in turn), not the dataset loaded again
              const reuse = files === privateFiles ? privateDir : undefined;
              try {
                answer = await ensureWritableSnapshot(dataDir, signal, logger, { reuse });
              } catch (error) {
                // a worker started from now on serves what the others serve (the check of the
                // last snapshot read, kept), until a reload is applied
                if (error instanceof DatasetError) workerEnv[DATASET_REFUSED_ENV] = "1";
                throw error;
              }
              // no snapshot written anywhere: each worker loads in full (cluster.ts logs it)
              const ensured = "nowhere" in answer ? nowhereOutcome(answer, began) : answer;
              // the snapshot the workers read now replaces the last reload's in a private directory
              if (privateDir !== undefined && privateDir !== ensured.placedIn)
                removePrivate(privateDir, logger);
              if (ensured.placedIn !== privateDir) privateFiles = files;
              privateDir = ensured.placedIn;
              // a worker started from now on takes this check, and reads where it was written
              workerEnv[VERIFIED_SNAPSHOT_ENV] = ensured.verified
                ? JSON.stringify(ensured.verified)
                : "";
              workerEnv[PLACED_SNAPSHOT_ENV] = privateDir ?? "";
              workerEnv[DATASET_REFUSED_ENV] = "";
              return ensured;
            },
            files: () => datasetFiles(dataDir),
          }
        : undefined;
    startingTo("starting the workers");
    const { runPrimary } = await import("./cluster.js");
    // its own handlers from now on, installed in the same turn (runPrimary's, before this
    // module's are taken off: red team 46, F3)
    runPrimary(
      config,
      (url) => describe(url, ` with ${config.workers} workers`),
      workerEnv,
      reloads,
    );
    stopsDuringStartHandedOver();
    return;
  }
  const phases = new (await import("../graph/snapshot/phases.js")).Phases();
  const cpu = process.cpuUsage();
  phases.add({
    name: "node + tsx and config",
    wallMs: Math.round(process.uptime() * 1000),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  });
  const {
    clusterMetrics,
    joinCluster,
    snapshotFromPrimary,
    primaryStoppedAccepting,
    tellPrimaryStopping,
  } = cluster ? await import("./cluster.js") : {};
  // a worker's shutdown keeps listening until its primary no longer accepts for it (cluster.ts):
  // listened for from now on, the primary's word may come before the worker's own signal
  const primaryStopped = primaryStoppedAccepting?.();
  // subgraph mode decides how the schema is built, so before anything imports it (federation-mode.ts)
  if (config.subgraph) enableFederation();
  // loaded after the config is checked, so that a bad setting is reported at once
  // the built-in dataset is chosen here, at the edge: nothing else under src/ imports data/
  const builtIn = await import("../../data/load.js");
  // a JSON dataset starts from its snapshot when current (src/graph/snapshot), else loads in full and writes one
  let snapshot: import("../graph/snapshot/load.js").SnapshotOutcome | undefined;
  let graph: import("../graph/graph.js").KnowledgeGraph;
  /** A worker started while the workers' last reload was refused (DATASET_REFUSED_ENV). */
  let servingRefused = false;
  // with live reload: the dataset's files as the load begins, for the watcher to tell whether
  // they changed before it watched them (reload.ts `filesAtLoad`)
  const filesAtLoad = config.watch
    ? (await import("./dataset-files.js")).datasetFiles(config.dataDir ?? builtIn.builtInDatasetDir)
    : undefined;
  if (config.dataDir !== undefined && config.snapshot) {
    startingTo("importing the dataset's modules");
    const { loadJsonGraphWithSnapshot } = await import("../graph/snapshot/load.js");
    phases.mark("imports");
    // a worker takes its primary's check of the snapshot as its own if every file is still the same (VerifiedSnapshot)
    const vouched = cluster?.isWorker ? process.env[VERIFIED_SNAPSHOT_ENV] : undefined;
    servingRefused = cluster?.isWorker === true && process.env[DATASET_REFUSED_ENV] === "1";
    const verified = vouched
      ? (JSON.parse(vouched) as import("../graph/snapshot/snapshot.js").VerifiedSnapshot)
      : undefined;
    const dataDir = config.dataDir;
    const privately = cluster?.isWorker
      ? undefined
      : {
          ...(await import("./private-snapshots.js")),
          logger: (await import("./log.js")).createLogger(config.logLevel),
        };
    ({ graph, outcome: snapshot } = await loadJsonGraphWithSnapshot(dataDir, {
      verified,
      asServed: servingRefused,
      // where the workers' last reload was written, when not in the snapshots' own directory
      placedIn: (cluster?.isWorker && process.env[PLACED_SNAPSHOT_ENV]) || undefined,
      // a graph loaded in full is served as read back from the snapshot written, as at every
      // later start: a fraction of the heap, and collections that do not mark every entity
      readBack: true,
      // a single process's full load in a child process, which writes the snapshot (where it
      // cannot be beside the dataset, a read-only directory: in a temporary one, removed once
      // read, or as the process exits should the start be stopped before): this thread only
      // waits, and a stop signal ends the start at once (start-in-child.ts)
      inFull: privately
        ? async (reason) =>
            (await import("./start-in-child.js")).loadInChildForStart(
              dataDir,
              reason,
              privately.logger,
            )
        : undefined,
      phases,
      // what a stop during the start says it stopped (start-stop.ts)
      doing: startingTo,
    }));
    if (snapshot.placedIn !== undefined)
      privately?.removePrivate(snapshot.placedIn, privately.logger);
  } else {
    startingTo("loading the dataset");
    graph = await builtIn.loadGraph(config.dataDir);
  }
  if (snapshot === undefined) phases.mark("imports and load");
  else if (snapshot.servedFrom === "full load") phases.mark("snapshot read back (failed)");
  else if (snapshot.from === "full load" && snapshot.servedFrom === undefined)
    phases.mark("full load and snapshot write");
  // the schema and HTTP server's modules (Yoga, Pothos, graphql: most of what a start imports)
  // only once the dataset is loaded: an invalid one is refused without them
  startingTo("importing the server's modules and making the schema");
  const { createApp, listen, WORKER_ACCEPT_GAP_MS } = await import("./app.js");
  phases.mark("server imports");
  // a read of the snapshot served that fails (the file truncated or written over in place): the
  // dataset loaded again, by the reloader when watching (one reload at a time; a worker's through
  // its primary), else as a reload loads it: in a child of this process, or a worker's by its
  // primary, once for every worker that asks; one at a time either way. createApp tries it again
  // while the graph served is the unreadable one
  let recovering: Promise<unknown> | undefined;
  const jsonDir = config.snapshot ? config.dataDir : undefined;
  /** The reloader, once made (below): a fault found before, by the warm-up, is loaded in a child. */
  let watcher: import("./reload.js").Reloader | undefined;
  /**
   * The dataset's files (their names and identities) when a load was refused: until they change,
   * the next attempt is refused without loading (review 16a: each attempt loaded the whole
   * dataset in a child, 130 CPU-s at a million entities, to log the same 50 KB report again).
   */
  let refusedAt: { files: string; problems: number } | undefined;
  const recover =
    jsonDir === undefined
      ? undefined
      : async (signal: AbortSignal) => {
          recovering ??= (async () => {
            const { datasetFiles } = await import("./dataset-files.js");
            const files = datasetFiles(jsonDir);
            if (refusedAt !== undefined && files === refusedAt.files)
              throw new Error(
                `the dataset is refused (${refusedAt.problems} problem${refusedAt.problems === 1 ? "" : "s"}, logged above) and unchanged since: mend it, and it is loaded at the next attempt`,
              );
            refusedAt = undefined;
            if (watcher) {
              const outcome = await watcher.reload();
              if (outcome.outcome === "refused")
                refusedAt = { files, problems: outcome.problems.length };
              return outcome;
            }
            const { jsonLoader } = await import("./reload.js");
            const { outOfTimeMessage, withinBound } = await import("./reload-codes.js");
            const load = jsonLoader(jsonDir, true, app, snapshotFromPrimary);
            // stopped by a shutdown (its child killed and its temporary files removed), or past a
            // reload's bound, as a reload is (a child wedged for good held the recovery for good;
            // a worker's load has its primary's bound)
            let loaded: import("../graph/graph.js").KnowledgeGraph;
            const bound = withinBound(signal, config.reloadTimeoutMs);
            try {
              loaded = await load(bound.signal);
            } catch (error) {
              if (error instanceof DatasetError)
                refusedAt = { files, problems: error.problems.length };
              else if (!signal.aborted && bound.ranOut())
                throw new Error(outOfTimeMessage("the load", config.reloadTimeoutMs));
              throw error;
            } finally {
              bound.clear();
            }
            if (signal.aborted) return;
            app.swap(loaded);
            app.logger.info("loaded the dataset again", { dir: jsonDir });
          })().finally(() => {
            recovering = undefined;
          });
          return recovering;
        };
  // a worker's connections come from its primary a turn or two apart (scheduler.ts, acceptGapMs);
  // set here, not in createApp: the scheduler is the process's, which the tests' apps share
  if (cluster) {
    const { sliceScheduler } = await import("../graph/scheduler.js");
    sliceScheduler(config.limits.executionSliceMs).acceptGapMs = WORKER_ACCEPT_GAP_MS;
  }
  const app = createApp(graph, {
    ...config,
    ...(cluster ? { metricsSource: clusterMetrics, worker: cluster.worker!.id } : {}),
    recover,
  });
  phases.mark("schema and server");
  if (snapshot?.placedIn !== undefined && snapshot.servedFrom === "snapshot written")
    app.logger.warn(
      "loaded in full; the snapshot could not be written in its directory: serving it as read back from a temporary one",
      { ...snapshot, ...snapshotDirHint(config.snapshotDir) },
    );
  else if (snapshot?.writeError !== undefined)
    app.logger.warn("loaded in full; the snapshot could not be written", {
      ...snapshot,
      ...snapshotDirHint(config.snapshotDir),
    });
  else if (snapshot?.from === "snapshot" && servingRefused)
    app.logger.warn(
      "loaded from the snapshot the other workers serve: the dataset as it is now was refused by their last reload",
      { ...snapshot },
    );
  else if (snapshot?.readBackError !== undefined)
    app.logger.warn(
      "loaded in full; snapshot written, but serving the graph loaded: it could not be read back",
      { ...snapshot },
    );
  else if (snapshot)
    app.logger.info(
      snapshot.from === "snapshot"
        ? "loaded from the snapshot"
        : "loaded in full; snapshot written",
      { ...snapshot },
    );
  const { watchDataset } = await import("./reload.js");
  const { fileLimitWarning, listenBacklog } = await import("./connections.js");
  const { readFileSync } = await import("node:fs");
  /** A file of /proc, or undefined where there is none (not Linux: nothing to check against). */
  const proc = (path: string): string | undefined => {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  };
  const backlog = listenBacklog(config.listenBacklog, proc("/proc/sys/net/core/somaxconn"));
  startingTo("listening");
  const address = await listen(app.server, config.port, listenOn, backlog.backlog).catch(
    async (error) => {
      const { listenProblem, unprivilegedPortStart } = await import("./listen-check.js");
      const problem = listenProblem(error, config.host, config.port, unprivilegedPortStart());
      throw Object.assign(new Error(problem), {
        name: "ListenError",
      });
    },
  );
  phases.mark("listen");
  // beside the dataset's load line for a JSON dataset (what a large one's start is tuned by); the built-in one starts quietly
  app.logger[config.dataDir !== undefined ? "info" : "debug"]("start phases", {
    phases: phases.list,
    uptimeMs: Math.round(process.uptime() * 1000),
  });
  const warning = fileLimitWarning(config.maxConnections, proc("/proc/self/limits"));
  if (warning) app.logger.warn(warning, { maxConnections: config.maxConnections });
  if (backlog.warning)
    app.logger.warn(backlog.warning, {
      listenBacklog: config.listenBacklog,
      backlog: backlog.backlog,
    });
  /** Started on the snapshot the other workers serve, their last reload refused: reloads once watching. */
  const reloadsWhenReady = servingRefused && snapshot?.from === "snapshot";
  const reloader = config.watch
    ? watchDataset(app, {
        dataDir: config.dataDir,
        snapshot: config.snapshot,
        reloadTimeoutMs: config.reloadTimeoutMs,
        // a worker's reload of a JSON dataset: loaded by the primary, once for all (cluster.ts)
        ...(snapshotFromPrimary ? { fromPrimary: snapshotFromPrimary } : {}),
        builtIn: { directory: builtIn.builtInDatasetDir, reload: () => builtIn.reloadGraph() },
        // (a worker started on the snapshot the others serve reloads once ready anyway: below)
        ...(reloadsWhenReady ? {} : { filesAtLoad }),
      })
    : undefined;
  watcher = reloader;
  // started on the snapshot the others serve: the dataset may have been mended since the refusal
  // (its change seen by the others before this worker watched), so it is reloaded at once, as a
  // change would be: applied if valid now, else refused again, and the graph read keeps serving
  if (reloadsWhenReady && reloader) void reloader.ready.then(() => reloader.reload());

  // SIGTERM (or Ctrl-C, or SIGHUP: signals.ts): finish the requests in flight, then exit; 0 if
  // they all finished in time.
  // Installed before the "serving" line is printed: whoever reads that line (a supervisor, a test)
  // may stop the server at once, and must get the graceful exit, not the default signal death.
  const stop = async (signal: NodeJS.Signals) => {
    app.logger.info("shutting down", { signal, timeoutMs: config.shutdownTimeoutMs });
    const reloadStopped = reloader?.close();
    tellPrimaryStopping?.();
    const { clean, inFlight, cutOff } = await app.shutdown(
      config.shutdownTimeoutMs,
      primaryStopped,
    );
    await reloadStopped;
    // a load mending an unreadable snapshot, stopped by the shutdown (createApp): once its child is
    // gone and its temporary snapshot removed (it was left running, and its files behind)
    await recovering?.catch(() => undefined);
    if (clean) app.logger.info("stopped", { clean, inFlightAtSignal: inFlight });
    else
      app.logger.warn("stopped, cutting off connections still open", {
        clean,
        inFlightAtSignal: inFlight,
        cutOff,
      });
    process.exit(clean ? 0 : 1);
  };
  // (start-stop.ts's taken off in the same turn as these are installed, after them: handStopsTo)
  if (cluster) {
    // a worker gets the signal twice when its supervisor signals the whole process group (as
    // systemd and `timeout` do) and the primary passes it on too: the second must not kill it
    let stopping = false;
    const once = (signal: NodeJS.Signals) => {
      if (!stopping) void stop(signal);
      stopping = true;
    };
    handStopsTo(once);
  } else {
    // the first stop signal stops it gracefully; a second (Ctrl-C again) finds no listener, and
    // ends it at once, as Node's default does
    const first = (signal: NodeJS.Signals) => {
      offStopSignals(first);
      void stop(signal);
    };
    handStopsTo(first);
  }

  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  // a worker tells the primary, which says it once for all of them
  if (joinCluster) joinCluster(app.metrics.registry, `http://${host}:${address.port}`);
  else console.log(describe(`http://${host}:${address.port}`));
}

main().catch(async (error: unknown) => {
  if (error instanceof ConfigError) console.error(`kz-osce-graph: ${error.message}`);
  else if ((error as Error)?.name === "TrustedDocumentsError")
    console.error(`kz-osce-graph: ${(error as Error).message}`);
  else if (error instanceof DatasetError) {
    console.error(`kz-osce-graph: refusing to start.\n${error.message}`);
    // (not for a dataset that could not be read: making it again gives the same permissions)
    const hint =
      startingDataDir === undefined || error.unreadable
        ? undefined
        : (await import("./dataset-files.js")).regenerateHint(startingDataDir);
    if (hint !== undefined) console.error(`kz-osce-graph: ${hint}`);
  } else if ((error as Error)?.name === "ListenError") {
    console.error(`kz-osce-graph: ${(error as Error).message}`);
    // a worker tells its primary, which stops rather than start it again (cluster.ts)
    if (ourWorker) process.exit((await import("./cluster.js")).LISTEN_FAILED);
  } else console.error("kz-osce-graph: failed to start:", error);
  process.exit(1);
});
