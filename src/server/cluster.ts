/**
 * Every core: `--workers N` (or `auto`) serves from N processes with node:cluster, the way PM2's
 * cluster mode and Hive Gateway's `--fork` do. The primary process loads no graph and answers
 * no request: it starts the workers (a few at a time, see `atOnce`), which listen on the one port
 * (the primary hands each new connection to the next worker that listens), and
 * - restarts a worker that dies, logging why (one that keeps failing before it listens, after a
 *   wait that doubles up to a minute: `restartDelay`);
 * - on SIGTERM (or SIGINT), passes the signal to every worker, each of which stops gracefully as
 *   a single process does (app.shutdown: requests received are answered, no connection is
 *   reset), and exits 0 once all did so cleanly;
 * - sums the workers' Prometheus metrics (prom-client's AggregatorRegistry) for /metrics, which a
 *   worker serves by asking the primary.
 * Each worker loads and watches the dataset itself: a reload happens in every worker. A JSON
 * dataset's workers load it from its snapshot, which main.ts makes current and checks before they
 * start (src/graph/snapshot): none loads in full, and none hashes the dataset again while its files
 * are those the primary checked (`workerEnv` carries the check). Each holds its own indexes and
 * the entities it read.
 *
 * A reload is the same (`--watch`, `SharedReloads`): each worker sees the change, and asks the
 * primary for the dataset's snapshot made current (`snapshotFromPrimary`); the primary loads and
 * validates the changed dataset and writes its snapshot once, in a child process, for all the
 * workers that ask while it does, and each then reads the snapshot. Loaded by every worker, a
 * reload was N full loads at once on the machine's cores, beside the requests. Where no snapshot
 * can be written in the snapshots' directory, the primary's child writes it in a private
 * temporary one (private-snapshots.ts), at the start as at each reload, which the workers are
 * told of and read, and the primary removes at the next reload or as it exits. A worker whose
 * snapshot fails a read while served (truncated in place: createApp's `recover`) asks the same,
 * with or without --watch: without it, each worker loaded in a child of its own, all at once.
 */
import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import { AggregatorRegistry, type Registry } from "prom-client";
import { DatasetError, type Problem } from "../graph/problems.js";
import { snapshotsPlaced } from "../graph/snapshot/place.js";
import { type Config, snapshotDirHint } from "./config.js";
import { createLogger, type Logger } from "./log.js";
import { PrimaryQueue } from "./primary-queue.js";
import type { PlacedSnapshot } from "./private-snapshots.js";
import { outOfTimeMessage, RELOAD_TIMED_OUT, withinBound } from "./reload-codes.js";
import { onStopSignals } from "./signals.js";

/** Messages between the primary and its workers. */
type Message =
  | { kind: "kz-listening"; url: string }
  /** From a stopping primary: it no longer accepts, and every connection it held is taken (`primaryStoppedAccepting`). */
  | { kind: "kz-stopped-accepting" }
  /** From a worker at its own stop signal: the primary, if not stopping itself, answers kz-stopped-accepting at once. */
  | { kind: "kz-worker-stopping" }
  | { kind: "kz-metrics-request"; id: number }
  | { kind: "kz-metrics"; id: number; text?: string; contentType?: string; error?: string }
  | { kind: "kz-snapshot-request"; id: number }
  | {
      kind: "kz-snapshot";
      id: number;
      ensured?: PlacedSnapshot;
      /** A refused dataset's problems (DatasetError), beside `error`, its message. */
      problems?: Problem[];
      /** How many problems were found in all (`problems` holds the first of them: MAX_PROBLEMS_KEPT). */
      found?: number;
      error?: string;
      /** `RELOAD_TIMED_OUT` when the primary's load ran out of time (`sharedLoads`). */
      code?: string;
    };

/**
 * The primary's part in the workers' live reload of a JSON dataset, and in their loads of it to
 * mend a snapshot that failed a read while served (with or without --watch): `ensure` makes the dataset's
 * snapshot current (checked, or loaded in full, validated and written anew) off the primary's
 * thread, and rejects with a DatasetError when the dataset is refused, with an AbortError once
 * `signal` is aborted; `files` says what the dataset's files are now (their names and
 * identities), to tell whether they changed during a load.
 */
export interface SharedReloads {
  ensure(signal: AbortSignal): Promise<PlacedSnapshot>;
  files(): string;
}

/** Loads done for one request of the workers when the dataset keeps changing under them. */
const SHARED_LOAD_ATTEMPTS = 3;

/**
 * The snapshot made current for the workers' reloads, one load for every worker that asks while
 * it runs (`ensure`), and the load under way, if any (`running`, for a primary that stops).
 *
 * A worker may ask for a change made after the load it joins began. When that load succeeds,
 * the worker finds the snapshot stale as it reads it (its check is of the files as they were),
 * and asks again. When it fails (the dataset refused: a copy landing file by file, mended a
 * moment later), the worker would keep the refusal, and its old graph, though the dataset on
 * disk is valid: so a load that fails while the dataset's files changed is done again, up to
 * three loads, and every worker that joined it gets the last one's outcome.
 *
 * A load has the bound of a single process's reload, `timeoutMs` (KZ_OSCE_RELOAD_TIMEOUT_MS), its
 * attempts together: past it its child is killed (off-thread.ts, as `signal` does), and every
 * worker that joined it is told (RELOAD_TIMED_OUT), keeps its graph and reports the watch failed.
 * Only each worker's wait was bounded: a child wedged for good went on, and every later reload
 * joined it, each to run out of time in turn.
 */
export function sharedLoads(
  shared: SharedReloads,
  logger: Logger,
  signal: AbortSignal,
  timeoutMs: number,
): { ensure(): Promise<PlacedSnapshot>; running(): Promise<unknown> | undefined } {
  let ensuring: Promise<PlacedSnapshot> | undefined;
  const load = async (): Promise<PlacedSnapshot> => {
    const bound = withinBound(signal, timeoutMs);
    try {
      return await attempts(bound.signal);
    } catch (error) {
      if (!bound.ranOut() || signal.aborted) throw error;
      const message = outOfTimeMessage("the primary's load for the workers' reload", timeoutMs);
      logger.error("reload for the workers failed: every worker keeps its graph", {
        error: message,
      });
      throw Object.assign(new Error(message), { code: RELOAD_TIMED_OUT });
    } finally {
      bound.clear();
    }
  };
  const attempts = async (bounded: AbortSignal): Promise<PlacedSnapshot> => {
    for (let attempt = 1; ; attempt++) {
      const before = shared.files();
      logger.info(
        "reload for the workers: making the dataset's snapshot current",
        attempt > 1 ? { attempt } : {},
      );
      try {
        const ensured = await shared.ensure(bounded);
        const { verified: _, ...outcome } = ensured;
        if (ensured.writeError !== undefined)
          logger.warn(
            "reload for the workers: no snapshot could be written: each worker loads in full, on its serving thread",
            { ...outcome, ...snapshotDirHint(snapshotsPlaced()) },
          );
        else if (ensured.wrote !== undefined)
          logger.info(
            ensured.placedIn !== undefined
              ? "reload for the workers: loaded in full; temporary snapshot written"
              : "reload for the workers: loaded in full; snapshot written",
            outcome,
          );
        else
          logger.info(
            "reload for the workers: snapshot checked (the dataset's bytes are unchanged)",
            outcome,
          );
        return ensured;
      } catch (error) {
        if (bounded.aborted) throw error;
        const message = String((error as Error)?.message ?? error);
        if (attempt < SHARED_LOAD_ATTEMPTS && shared.files() !== before) {
          logger.info(
            "reload for the workers: the dataset changed during its load: loading it again",
            { attempt, error: error instanceof DatasetError ? "refused" : message },
          );
          continue;
        }
        if (error instanceof DatasetError)
          logger.info("reload for the workers: the dataset is refused (each worker logs why)", {
            problems: error.found,
          });
        else logger.warn("reload for the workers: the load failed", { error: message });
        throw error;
      }
    }
  };
  return {
    ensure() {
      ensuring ??= load().finally(() => {
        ensuring = undefined;
      });
      return ensuring;
    },
    running: () => ensuring,
  };
}

/**
 * The exit code of a worker that could not listen where the server was told to (a port taken
 * since the primary tried it, main.ts): the primary stops, rather than start it again and again
 * (every worker would fail the same way, each after loading the dataset). 78: sysexits' EX_CONFIG.
 */
export const LISTEN_FAILED = 78;

/** A worker that dies within this long of starting is restarted only after this long, so that a crash at start does not spin. */
const RESTART_DELAY_MS = 1000;
/** The longest wait before starting again a worker that keeps failing before it listens. */
const RESTART_DELAY_MAX_MS = 60_000;

/**
 * How long the primary waits before starting a worker in the place of one that exited:
 * `failedStarts` workers in a row exited before they listened (a dataset that no longer loads, a
 * crash at start): 1 s, doubled at each, up to a minute, so that a start that cannot succeed
 * (minutes of CPU at a million entities) is not run again and again on the cores that serve;
 * otherwise at once, or after 1 s for a worker that died within 1 s of starting.
 */
export function restartDelay(failedStarts: number, ageMs: number): number {
  if (failedStarts > 0)
    return Math.min(RESTART_DELAY_MAX_MS, RESTART_DELAY_MS * 2 ** (failedStarts - 1));
  return ageMs < RESTART_DELAY_MS ? RESTART_DELAY_MS : 0;
}

/**
 * How long after a worker died unexpectedly a connection last handed to it, and still held by the
 * primary, is taken for stranded, and closed (`closeStranded`). A hand-off to a live worker is
 * answered in milliseconds (the time for its event loop to take the message), and one handed to a
 * dead worker never is.
 */
export const STRANDED_AFTER_MS = 10_000;

/**
 * The primary's wait for `closeStranded`: STRANDED_AFTER_MS, or as many milliseconds as
 * KZ_OSCE_INTERNAL_STRANDED_AFTER_MS says (1 to 999999). Not a setting of the server's
 * (docs/operations.md): tests/server/workers.test.ts sets it for the primary it starts, whose two
 * workers' deaths each waited the 10 s before.
 */
export function strandedAfterMs(env: NodeJS.ProcessEnv): number {
  const text = env.KZ_OSCE_INTERNAL_STRANDED_AFTER_MS ?? "";
  return /^[1-9]\d{0,5}$/.test(text) ? Number(text) : STRANDED_AFTER_MS;
}

/** A TCP handle as node's internals hold it (node:cluster's round-robin keeps its connections so). */
interface TcpHandle {
  getpeername(out: object): number;
  close(): void;
}

/**
 * The connections this process holds as bare TCP handles: in the primary, those node:cluster's
 * round-robin accepted and has not yet seen a worker take (it closes its copy then), whether queued
 * for the next free worker or in a hand-off. Read through `process._getActiveHandles`, Node's
 * undocumented but long-standing list of the handles that keep a process alive (why-is-node-running
 * reads it too): node:cluster exposes none of them. A net.Socket (or a listening net.Server) is
 * listed as itself, not as its handle; a bare listening handle has `onconnection`. A connection
 * its client has reset is held all the same, though it has no peer any more (`getpeername` fails
 * with ENOTCONN): told apart by its peer, it was never closed, its descriptor kept and counted
 * held by primary-queue.ts for good (review 19).
 */
function connectionsHeld(): TcpHandle[] {
  const active = (process as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.() ?? [];
  return active.filter(isHeldConnection);
}

/** Whether `handle` is a bare TCP connection's handle (not a listener's, not a net.Socket). */
export function isHeldConnection(handle: unknown): handle is TcpHandle {
  const tcp = handle as (Partial<TcpHandle> & { onconnection?: unknown }) | undefined;
  return (
    tcp?.constructor?.name === "TCP" &&
    typeof tcp.getpeername === "function" &&
    typeof tcp.close === "function" &&
    typeof tcp.onconnection !== "function"
  );
}

/**
 * The connections node:cluster's round-robin hands to each worker and the worker has not answered
 * for: its `newconn` message, with the connection's handle and a `seq`, goes through the worker's
 * `process.send`; the worker's answer (`ack` of that `seq`, accepted or not) comes back as an
 * 'internalMessage' of its process. A hand-off answered is no longer this worker's to strand: taken,
 * the round-robin closes its copy; declined (the worker's server had closed), the round-robin hands
 * the connection to another worker, where it is recorded again. A first version kept the worker a
 * connection was last handed to, declined or not, and closed such a connection when that worker
 * exited while it waited in the queue: the round-robin then sent the closed handle to a live worker,
 * which never got another connection (review 7).
 */
export class HandOffs {
  private readonly unanswered = new Map<number, Map<number, object>>();

  watch(worker: Pick<Worker, "id" | "process">): void {
    const channel = worker.process as unknown as {
      send: (...args: unknown[]) => boolean;
      on: (event: "internalMessage", listener: (message: unknown) => void) => void;
    };
    const pending = new Map<number, object>();
    this.unanswered.set(worker.id, pending);
    const send = channel.send.bind(channel);
    channel.send = (message: unknown, handle?: unknown, ...rest: unknown[]) => {
      const m = message as { cmd?: unknown; act?: unknown; seq?: unknown } | null | undefined;
      if (
        m?.cmd === "NODE_CLUSTER" &&
        m.act === "newconn" &&
        typeof m.seq === "number" &&
        handle &&
        typeof handle === "object"
      ) {
        pending.set(m.seq, handle);
        // one hand-off is in flight to a worker at a time: should its answers go unseen (node
        // changed them), a few are kept, not all
        if (pending.size > 4) pending.delete(pending.keys().next().value as number);
      }
      return send(message, handle, ...rest);
    };
    channel.on("internalMessage", (message) => {
      const m = message as { cmd?: unknown; ack?: unknown } | null | undefined;
      if (m?.cmd === "NODE_CLUSTER" && typeof m.ack === "number") pending.delete(m.ack);
    });
  }

  /**
   * The connections handed to `worker`, which has exited, that it has not answered for, as of each
   * call of the function returned (forgotten here). Read again when the wait is over, not taken
   * once at the exit: should the worker's answer be read after its 'exit' (messages still queued
   * in its channel), the connection it declined and the round-robin handed on would otherwise stay
   * in the list, and be closed under the round-robin (review 8).
   */
  takeUnanswered(worker: Pick<Worker, "id">): () => object[] {
    const pending = this.unanswered.get(worker.id);
    this.unanswered.delete(worker.id);
    return () => [...(pending?.values() ?? [])];
  }
}

/**
 * Closes, `afterMs` from now, those of `handedToIt()` (the connections handed to a worker that just
 * died, which it has not answered for) that this (primary) process still holds, and the worker has
 * still not answered for, now and then.
 * node:cluster's round-robin never hears back about a connection it was handing to a worker that
 * died (the worker's reply never comes: nodejs/node#21746), so it kept the connection for good,
 * unanswered and unclosed; its client waited for ever (red team 9: one in 10 minutes, then
 * CLOSE-WAIT for as long as the primary lived). Closed, the connection is reset: a failure the
 * client sees, and may retry. Only those: a connection queued for the next free worker, or in a
 * hand-off to a live one, is the round-robin's to hand on, and closed under it, it was sent later
 * (write EINVAL, an 'error' on the Worker) and the primary died (review 5). Closing the primary's
 * copy never takes a connection from a worker that received it (the worker holds its own
 * descriptor). Resolves to how many were closed.
 */
export function closeStranded(
  handedToIt: () => readonly object[],
  afterMs: number,
  stopped: () => boolean,
): Promise<number> {
  const unanswered = handedToIt();
  const suspects = connectionsHeld().filter((handle) => unanswered.includes(handle));
  if (suspects.length === 0) return Promise.resolve(0);
  return new Promise((resolve) => {
    setTimeout(() => {
      if (stopped()) return resolve(0);
      const held = new Set(connectionsHeld());
      const still = new Set(handedToIt());
      let closed = 0;
      for (const handle of suspects)
        if (held.has(handle) && still.has(handle)) {
          handle.close();
          closed++;
        }
      resolve(closed);
    }, afterMs).unref();
  });
}

/** Run the primary process: start `config.workers` workers and supervise them; resolves when they all stopped. */
export function runPrimary(
  config: Config,
  describe: (url: string) => string,
  workerEnv: Record<string, string> = {},
  reloads?: SharedReloads,
): void {
  const logger = createLogger(config.logLevel);
  // aborted on SIGTERM: stops a reload's load under way (its child process and temporary files)
  const stopReloads = new AbortController();
  const loads = reloads
    ? sharedLoads(reloads, logger, stopReloads.signal, config.reloadTimeoutMs)
    : undefined;
  /** Exits once a reload's load has stopped (its temporary files removed). */
  const exit = (code: number) => {
    void (loads?.running() ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => process.exit(code));
  };
  const aggregator = new AggregatorRegistry();
  // the connections the round-robin holds for the workers, bounded (primary-queue.ts); the
  // newcomers closed for it are logged once a second at most, with how many
  let refusedUnlogged = 0;
  const queue = new PrimaryQueue(config.maxQueuedConnections, () => {
    if (refusedUnlogged++ > 0) return;
    setTimeout(() => {
      logger.warn("closed new connections the workers had no room for", {
        refused: refusedUnlogged,
        held: queue.held,
        maxQueued: config.maxQueuedConnections,
      });
      refusedUnlogged = 0;
    }, 1000).unref();
  });
  queue.install();
  let unboundedSaid = false;
  let stopping = false;
  let allClean = true;
  let announced = false;
  const listening = new Set<number>();
  const started = new Map<number, number>();
  /** The connections the round-robin hands each worker (closeStranded). */
  const handOffs = new HandOffs();
  /** How long a connection handed to a worker that died is held before it is closed as stranded. */
  const strandedAfter = strandedAfterMs(process.env);
  /** Workers in a row that exited before they listened (restartDelay). */
  let failedStarts = 0;

  const start = () => {
    // a worker restarted later gets the same: it checks the files are still those checked (VerifiedSnapshot)
    const worker = cluster.fork(workerEnv);
    handOffs.watch(worker);
    // a failed send on a worker's channel is an 'error' on the Worker, which ends the process
    // when nothing listens. The worker is stopped (gracefully) and replaced: a hand-off whose send
    // failed is never answered, and the round-robin then gives that worker no connection again
    worker.on("error", (error: Error) => {
      logger.error("a worker's channel failed: stopping it, to start a new one", {
        worker: worker.id,
        pid: worker.process.pid,
        error: error.message,
      });
      worker.process.kill("SIGTERM");
    });
    started.set(worker.id, Date.now());
    logger.info("worker forked", { worker: worker.id, pid: worker.process.pid });
    worker.on("message", (message: Message) => onMessage(worker, message));
  };
  // Workers start a few at a time: at most one fewer than the cores (at least one), the next as
  // one listens. A start is CPU work (reading and decoding the snapshot), so two at once on two
  // cores each take twice as long: one at a time, the first answers as soon as a single process
  // would (1M entities: 6.5-7.6 s against 11.7-13.2 s for two at once, bench/RESULTS.md
  // "Start-up"), and the next starts while it serves, finishing no later than two at once did.
  // The primary hands connections only to workers that listen, so none waits on one still loading.
  const atOnce = Math.max(1, Math.min(config.workers, availableParallelism() - 1));
  let forked = 0;
  const startNext = () => {
    if (forked >= config.workers || stopping) return;
    forked++;
    start();
  };

  /**
   * Answers a worker's request. A worker that exited meanwhile (stopping, or killed) is not
   * answered: its channel is closed, and the write's error (EPIPE), which a send without a
   * callback emits as the worker's 'error' event, would end the primary.
   */
  const answer = (worker: Worker, reply: Message) => {
    if (!worker.isConnected()) return;
    worker.send(reply, undefined, undefined, (error: Error | null) => {
      if (error)
        logger.debug("a worker's answer was not sent: it has exited", {
          worker: worker.id,
          kind: reply.kind,
          error: error.message,
        });
    });
  };

  const onMessage = (worker: Worker, message: Message) => {
    if (message?.kind === "kz-listening") {
      listening.add(worker.id);
      failedStarts = 0;
      // the round-robin's listening handle is made before a worker hears it listens
      if (queue.wrapped === 0 && !unboundedSaid && cluster.schedulingPolicy === cluster.SCHED_RR) {
        unboundedSaid = true;
        logger.warn(
          "the connections the primary holds for the workers are not bounded: this Node's node:cluster is not as primary-queue.ts knows it (KZ_OSCE_MAX_QUEUED_CONNECTIONS is not in force)",
          { node: process.versions.node, schedulingPolicy: cluster.schedulingPolicy },
        );
      }
      if (!announced)
        logger.info("worker listening", {
          worker: worker.id,
          pid: worker.process.pid,
          url: message.url,
        });
      startNext();
      if (!announced && listening.size >= config.workers) {
        announced = true;
        console.log(describe(message.url));
      } else if (announced)
        logger.info("worker started", { worker: worker.id, pid: worker.process.pid });
    } else if (message?.kind === "kz-worker-stopping") {
      // a worker signaled alone (its pid killed, or by this process on a failed channel): the
      // primary goes on accepting for the others, so it has nothing to wait for. A stopping
      // primary tells every worker itself (tellOnceTaken). Answered a little later: a signal to
      // the whole process group (systemd, Ctrl-C) may reach this worker's handler before this
      // process's own, and a worker told at once would close while this process still accepts
      setTimeout(() => {
        if (!stopping) answer(worker, { kind: "kz-stopped-accepting" });
      }, ALONE_AFTER_MS).unref();
    } else if (message?.kind === "kz-metrics-request") {
      aggregator.clusterMetrics().then(
        (text) =>
          answer(worker, {
            kind: "kz-metrics",
            id: message.id,
            text: `${text.endsWith("\n") ? text : `${text}\n`}${primaryMetrics(queue)}`,
            contentType: aggregator.contentType,
          }),
        (error: Error) =>
          answer(worker, { kind: "kz-metrics", id: message.id, error: error.message }),
      );
    } else if (message?.kind === "kz-snapshot-request") {
      if (!loads) {
        answer(worker, {
          kind: "kz-snapshot",
          id: message.id,
          error: "the primary shares no reloads",
        });
        return;
      }
      loads.ensure().then(
        (ensured) => answer(worker, { kind: "kz-snapshot", id: message.id, ensured }),
        (error: unknown) => answer(worker, failedSnapshotAnswer(message.id, error)),
      );
    }
  };

  cluster.on("exit", (worker, code, signal) => {
    const served = listening.delete(worker.id);
    if (stopping) {
      // a worker still loading when the signal came had nothing in flight: killed by it, it is no loss
      if (code !== 0 && served) allClean = false;
      logger.info("worker stopped", { worker: worker.id, pid: worker.process.pid, code, signal });
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info("stopped", { clean: allClean, workers: config.workers });
        exit(allClean ? 0 : 1);
      }
      return;
    }
    // (while a worker serves, this process holds the port: a replacement's failure is its own)
    if (!served && code === LISTEN_FAILED && listening.size === 0) {
      logger.error("a worker could not listen (its line above says why): stopping", {
        worker: worker.id,
        pid: worker.process.pid,
      });
      allClean = false;
      stop();
      return;
    }
    // a connection the round-robin was handing to it is stranded in this process: closed once it
    // is clearly so (closeStranded), and said
    const handedToIt = handOffs.takeUnanswered(worker);
    void closeStranded(handedToIt, strandedAfter, () => stopping).then((closed) => {
      if (closed > 0)
        logger.warn("closed connections stranded in the hand-off to a worker that died", {
          worker: worker.id,
          pid: worker.process.pid,
          closed,
        });
    });
    const age = Date.now() - (started.get(worker.id) ?? 0);
    if (!served) failedStarts++;
    const delay = restartDelay(failedStarts, age);
    logger.error("a worker exited unexpectedly: starting a new one", {
      worker: worker.id,
      pid: worker.process.pid,
      code,
      signal,
      ...(served ? {} : { beforeListening: true, failedStartsInARow: failedStarts }),
      restartInMs: delay,
    });
    if (delay > 0) setTimeout(() => !stopping && start(), delay);
    else start();
  });

  /**
   * Stops accepting connections (queue.stopAccepting) once the kernel's queue is taken, as a
   * single process does (connections.ts, afterBacklog): at the end of a turn of the loop that
   * accepted none (its poll phase found the kernel's queue empty) and was short, so that little
   * time has passed since for one more to queue (`mayStopAccepting`); or at half the shutdown's
   * time under a stream of them. Never at the signal's own turn. Until then the workers keep
   * listening (`tellOnceTaken`). Waiting for QUIET_MS without a new connection instead (f40d071)
   * kept a primary under a stream of connections accepting for 5 s (red team 44).
   */
  const stopAcceptingOnceQuiet = () => {
    const began = performance.now();
    let emptyTurns = 0;
    const turn = () => {
      const acceptedBefore = queue.accepted;
      const startedAt = performance.now();
      setImmediate(() => {
        const now = performance.now();
        emptyTurns = queue.accepted === acceptedBefore ? emptyTurns + 1 : 0;
        if (mayStopAccepting({ now, startedAt, began, emptyTurns }, config.shutdownTimeoutMs / 2)) {
          queue.stopAccepting();
          logger.info("the primary no longer accepts connections", { held: queue.held });
          tellOnceTaken(performance.now());
        } else turn();
      });
    };
    // from this turn's check phase on, so that the first turn watched is a whole one
    setImmediate(turn);
  };
  /**
   * Tells every worker, once the connections this process still holds have been taken by them
   * (or HANDED_OFF_WITHIN_MS on: a worker whose loop is held may never take its own), that no
   * connection will come from it any more: each worker keeps listening until then. A worker
   * that closed its server at its own signal (at once: the kernel's queue is not its own) left
   * what this process accepted meanwhile with no worker to take it, and those connections, their
   * requests sent, were reset (red team 44: 1-8 in 8 of 8 stops under a stream of connections).
   */
  const tellOnceTaken = (since: number) => {
    if (queue.held > 0 && performance.now() - since < HANDED_OFF_WITHIN_MS) {
      setTimeout(() => tellOnceTaken(since), 5).unref();
      return;
    }
    for (const worker of Object.values(cluster.workers ?? {}))
      if (worker) answer(worker, { kind: "kz-stopped-accepting" });
  };

  /** Stops every worker, then this process (on a signal, or without one when a worker cannot listen). */
  const stop = (signal?: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", {
      ...(signal && { signal }),
      workers: Object.keys(cluster.workers ?? {}).length,
      timeoutMs: config.shutdownTimeoutMs,
    });
    stopReloads.abort();
    // each worker drains as a single process does (main.ts), then exits
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    if (Object.keys(cluster.workers ?? {}).length === 0) exit(allClean ? 0 : 1);
    stopAcceptingOnceQuiet();
    // a worker that does not stop (its event loop held, or the process itself stopped) kept this
    // process for good, and every connection handed to it waiting (red team 41: the healthy
    // worker gone, 60 of 60 new connections hung): killed once its own shutdown's time, and a
    // grace for its exit, have passed
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) {
        if (!worker) continue;
        allClean = false;
        logger.warn("a worker did not stop in time: killed", {
          worker: worker.id,
          pid: worker.process.pid,
          waitedMs: config.shutdownTimeoutMs + STOP_GRACE_MS,
        });
        worker.process.kill("SIGKILL");
      }
    }, config.shutdownTimeoutMs + STOP_GRACE_MS).unref();
  };
  onStopSignals(stop);

  logger.info("starting workers", { workers: config.workers, atOnce });
  for (let i = 0; i < atOnce; i++) startNext();
}

/** How long after its own shutdown's time a worker that has not exited is killed (`runPrimary`'s stop). */
export const STOP_GRACE_MS = 2000;

/** How long after a worker says it stops the primary, not stopping itself by then, lets it close at once (a signal to the group reaches both). */
export const ALONE_AFTER_MS = 100;

/** How long a stopping primary waits for its workers to take the connections it holds before telling them it no longer accepts. */
export const HANDED_OFF_WITHIN_MS = 1000;

/**
 * In a worker: resolves once its stopping primary no longer accepts connections and has handed
 * over every one it held (`tellOnceTaken`): until then, a stopping worker keeps listening, so
 * that what the primary accepted meanwhile is served rather than reset. Listened for from the
 * worker's start (the message may come before its own signal). Outside a cluster, never.
 */
export function primaryStoppedAccepting(): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return;
    const done = () => {
      process.off("message", listen);
      process.off("disconnect", done);
      resolve();
    };
    const listen = (message: Message) => {
      if (message?.kind === "kz-stopped-accepting") done();
    };
    process.on("message", listen);
    // no primary left to hand this worker anything
    process.once("disconnect", done);
  });
}

/**
 * In a worker, at its own stop signal: asks its primary whether it is stopping too; one that is
 * not answers kz-stopped-accepting at once (the other workers go on taking its connections), so
 * that a worker signaled alone does not keep listening, its /ready saying 503, for half the
 * shutdown's time.
 */
export function tellPrimaryStopping(): void {
  if (process.connected) process.send?.({ kind: "kz-worker-stopping" } satisfies Message);
}

/**
 * Whether a stopping primary may stop accepting at the end of a turn of its loop
 * (`runPrimary`'s stopAcceptingOnceQuiet), as a single process decides (connections.ts,
 * afterBacklog): the turn, from one check phase to the next, accepted no connection (`emptyTurns`
 * counts such turns in a row), and was short (under a millisecond: a turn that was long, its
 * loop held, may have let the kernel's queue fill since its poll phase looked), or three turns in
 * a row were empty; or `boundMs` have passed since the stop began, whatever comes.
 */
export function mayStopAccepting(
  turn: { now: number; startedAt: number; began: number; emptyTurns: number },
  boundMs: number,
): boolean {
  const quiet = turn.emptyTurns > 0 && (turn.now - turn.startedAt < 1 || turn.emptyTurns >= 3);
  return quiet || turn.now - turn.began >= boundMs;
}

/** The primary's own series, in Prometheus' text format (after the workers' sums). */
function primaryMetrics(queue: PrimaryQueue): string {
  return [
    "# HELP kz_osce_cluster_connections_queued Connections the primary holds for the workers (accepted, not yet taken by one), at the moment asked: at most KZ_OSCE_MAX_QUEUED_CONNECTIONS.",
    "# TYPE kz_osce_cluster_connections_queued gauge",
    `kz_osce_cluster_connections_queued ${queue.held}`,
    "# HELP kz_osce_cluster_connections_refused_total New connections the primary closed at once, holding KZ_OSCE_MAX_QUEUED_CONNECTIONS the workers had not yet taken (a flood of connections, or workers too busy to take them).",
    "# TYPE kz_osce_cluster_connections_refused_total counter",
    `kz_osce_cluster_connections_refused_total ${queue.refused}`,
    "",
  ].join("\n");
}

/** In a worker: report the worker's metrics to the primary when it aggregates them, and say where it listens. */
export function joinCluster(registry: Registry, url: string): void {
  AggregatorRegistry.setRegistries([registry]);
  // constructing one installs prom-client's answer to the primary's requests
  new AggregatorRegistry();
  process.send?.({ kind: "kz-listening", url } satisfies Message);
}

let nextRequest = 0;
/** This worker's requests to the primary that wait for its answer, by id. */
const pending = new Map<number, { kind: Message["kind"]; settle: (reply: Message) => void }>();

/** Sends a request to the primary; resolves with its answer (a message of kind `answer`, same id). */
function askPrimary(
  request: (id: number) => Message,
  answer: Message["kind"],
  signal?: AbortSignal,
): Promise<Message> {
  return new Promise((resolve, reject) => {
    if (!process.send) {
      reject(new Error("not a cluster worker: there is no primary to ask"));
      return;
    }
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const id = nextRequest++;
    if (pending.size === 0) process.on("message", onReply);
    const forget = () => {
      pending.delete(id);
      if (pending.size === 0) process.off("message", onReply);
    };
    // (the signal's reason: an AbortError, unless the caller gave another)
    const abort = () => {
      forget();
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
    pending.set(id, {
      kind: answer,
      settle: (reply) => {
        signal?.removeEventListener("abort", abort);
        forget();
        resolve(reply);
      },
    });
    process.send(request(id));
  });
}

function onReply(message: Message): void {
  if (message?.kind !== "kz-metrics" && message?.kind !== "kz-snapshot") return;
  const request = pending.get(message.id);
  if (request?.kind === message.kind) request.settle(message);
}

/** In a worker: every worker's metrics, summed by the primary (for /metrics). */
export async function clusterMetrics(): Promise<{ text: string; contentType: string }> {
  const reply = await askPrimary((id) => ({ kind: "kz-metrics-request", id }), "kz-metrics");
  if (reply.kind !== "kz-metrics" || reply.error !== undefined || reply.text === undefined)
    throw new Error((reply.kind === "kz-metrics" && reply.error) || "no metrics");
  return { text: reply.text, contentType: reply.contentType ?? "text/plain" };
}

/**
 * In a worker, for a reload (reload.ts): the dataset's snapshot made current by the primary, once
 * for every worker that asks meanwhile (`SharedReloads`), with the primary's check of it. Rejects
 * with the DatasetError of a refused dataset, and with an AbortError once `signal` is aborted.
 */
export async function snapshotFromPrimary(signal?: AbortSignal): Promise<PlacedSnapshot> {
  const reply = await askPrimary(
    (id) => ({ kind: "kz-snapshot-request", id }),
    "kz-snapshot",
    signal,
  );
  return snapshotOfReply(reply);
}

/**
 * The primary's answer to a worker whose reload's load failed with `error`: its message, a refused
 * dataset's problems, and the code of a load stopped at its bound (read back by snapshotOfReply).
 */
export function failedSnapshotAnswer(id: number, error: unknown): Message {
  return {
    kind: "kz-snapshot",
    id,
    error: String((error as Error | null)?.message ?? error),
    ...(error instanceof DatasetError ? { problems: error.problems, found: error.found } : {}),
    ...(codeOf(error) === RELOAD_TIMED_OUT ? { code: RELOAD_TIMED_OUT } : {}),
  };
}

/** The snapshot a primary's answer gives, or the error it says (its code kept: RELOAD_TIMED_OUT). */
export function snapshotOfReply(reply: Message): PlacedSnapshot {
  if (reply.kind !== "kz-snapshot") throw new Error("the primary answered something else");
  if (reply.problems !== undefined) throw new DatasetError(reply.problems, reply.found);
  if (reply.ensured === undefined)
    throw Object.assign(
      new Error(`the primary could not make the snapshot current: ${reply.error ?? "no answer"}`),
      reply.code === undefined ? {} : { code: reply.code },
    );
  return reply.ensured;
}

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}
