/**
 * Every core: `--workers N` (or `auto`) serves from N processes with node:cluster, the way PM2's
 * cluster mode and Hive Gateway's `--fork` do. The primary process loads no graph and answers
 * no request: it starts the workers (a few at a time, see `atOnce`), which listen on the one port
 * (the primary hands each new connection to the next worker that listens), and
 * - restarts a worker that dies, logging why;
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
 */
import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import { AggregatorRegistry, type Registry } from "prom-client";
import type { Config } from "./config.js";
import { createLogger } from "./log.js";

/** Messages between the primary and its workers. */
type Message =
  | { kind: "kz-listening"; url: string }
  | { kind: "kz-metrics-request"; id: number }
  | { kind: "kz-metrics"; id: number; text?: string; contentType?: string; error?: string };

/** A worker that dies within this long of starting is restarted only after this long, so that a crash at start does not spin. */
const RESTART_DELAY_MS = 1000;

/** Run the primary process: start `config.workers` workers and supervise them; resolves when they all stopped. */
export function runPrimary(
  config: Config,
  describe: (url: string) => string,
  workerEnv: Record<string, string> = {},
): void {
  const logger = createLogger(config.logLevel);
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  let allClean = true;
  let announced = false;
  const listening = new Set<number>();
  const started = new Map<number, number>();

  const start = () => {
    // a worker restarted later gets the same: it checks the files are still those checked (VerifiedSnapshot)
    const worker = cluster.fork(workerEnv);
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

  const onMessage = (worker: Worker, message: Message) => {
    if (message?.kind === "kz-listening") {
      listening.add(worker.id);
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
    } else if (message?.kind === "kz-metrics-request") {
      aggregator.clusterMetrics().then(
        (text) =>
          worker.send({
            kind: "kz-metrics",
            id: message.id,
            text,
            contentType: aggregator.contentType,
          } satisfies Message),
        (error: Error) =>
          worker.send({
            kind: "kz-metrics",
            id: message.id,
            error: error.message,
          } satisfies Message),
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
        process.exit(allClean ? 0 : 1);
      }
      return;
    }
    const age = Date.now() - (started.get(worker.id) ?? 0);
    logger.error("a worker exited unexpectedly: starting a new one", {
      worker: worker.id,
      pid: worker.process.pid,
      code,
      signal,
      restartInMs: age < RESTART_DELAY_MS ? RESTART_DELAY_MS : 0,
    });
    if (age < RESTART_DELAY_MS) setTimeout(() => !stopping && start(), RESTART_DELAY_MS);
    else start();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", {
      signal,
      workers: Object.keys(cluster.workers ?? {}).length,
      timeoutMs: config.shutdownTimeoutMs,
    });
    // each worker drains as a single process does (main.ts), then exits
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);

  logger.info("starting workers", { workers: config.workers, atOnce });
  for (let i = 0; i < atOnce; i++) startNext();
}

/** In a worker: report the worker's metrics to the primary when it aggregates them, and say where it listens. */
export function joinCluster(registry: Registry, url: string): void {
  AggregatorRegistry.setRegistries([registry]);
  // constructing one installs prom-client's answer to the primary's requests
  new AggregatorRegistry();
  process.send?.({ kind: "kz-listening", url } satisfies Message);
}

let nextRequest = 0;
const pending = new Map<
  number,
  {
    resolve: (value: { text: string; contentType: string }) => void;
    reject: (error: Error) => void;
  }
>();

/** In a worker: every worker's metrics, summed by the primary (for /metrics). */
export function clusterMetrics(): Promise<{ text: string; contentType: string }> {
  if (pending.size === 0) process.on("message", onReply);
  const id = nextRequest++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    process.send?.({ kind: "kz-metrics-request", id } satisfies Message);
  });
}

function onReply(message: Message): void {
  if (message?.kind !== "kz-metrics") return;
  const request = pending.get(message.id);
  if (!request) return;
  pending.delete(message.id);
  if (pending.size === 0) process.off("message", onReply);
  if (message.error !== undefined || message.text === undefined)
    request.reject(new Error(message.error ?? "no metrics"));
  else request.resolve({ text: message.text, contentType: message.contentType ?? "text/plain" });
}
