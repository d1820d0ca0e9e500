/**
 * Live reload (`npm run dev`, or `--watch`): when a file of the dataset changes, load and
 * validate the whole dataset again, build its indexes and search, and only then swap it in
 * (App.swap: one assignment, so no request sees half a graph). An invalid edit is logged with
 * the validator's full report, and the previous graph keeps serving.
 *
 * Changes are debounced (an editor's save is often several events), and reloads never overlap:
 * a change during a reload schedules one more reload after it.
 */
import { watch, type FSWatcher } from "node:fs";
import { fileURLToPath } from "node:url";
import { reloadGraph } from "../graph/load.js";
import { DatasetError, formatProblem } from "../graph/validate.js";
import type { App } from "./app.js";

export type ReloadOutcome =
  | { outcome: "applied"; entities: number; durationMs: number }
  | { outcome: "refused"; problems: string[]; durationMs: number }
  | { outcome: "failed"; error: string; durationMs: number };

export interface Reloader {
  /** Reload now (as a change would), resolving when done. */
  reload(): Promise<ReloadOutcome>;
  close(): void;
}

/** The directory a dataset lives in: a JSON dataset's own, or data/ for the built-in one. */
export function datasetDirectory(dataDir: string | undefined): string {
  return dataDir ?? fileURLToPath(new URL("../../data/", import.meta.url));
}

export function watchDataset(
  app: Pick<App, "swap" | "logger" | "metrics">,
  options: { dataDir: string | undefined; debounceMs?: number; onReload?: (outcome: ReloadOutcome) => void },
): Reloader {
  const directory = datasetDirectory(options.dataDir);
  const dataset = options.dataDir ?? "the built-in dataset";
  const debounceMs = options.debounceMs ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<ReloadOutcome> | undefined;
  let again = false;

  const reload = async (): Promise<ReloadOutcome> => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let result: ReloadOutcome;
    try {
      const graph = await reloadGraph(options.dataDir);
      app.swap(graph);
      const entities = Object.values(graph.keys).reduce((n, k) => n + k.length, 0);
      result = { outcome: "applied", entities, durationMs: elapsed() };
      app.logger.info("dataset reloaded", { dataset, entities, durationMs: result.durationMs });
    } catch (error) {
      if (error instanceof DatasetError) {
        result = { outcome: "refused", problems: error.problems.map(formatProblem), durationMs: elapsed() };
        app.logger.error("dataset reload refused: the dataset is invalid, the previous graph keeps serving", {
          dataset,
          problems: result.problems,
          report: error.message,
        });
      } else {
        result = { outcome: "failed", error: String((error as Error)?.message ?? error), durationMs: elapsed() };
        app.logger.error("dataset reload failed: the previous graph keeps serving", { dataset, error });
      }
    }
    app.metrics.reloads.inc({ outcome: result.outcome === "applied" ? "applied" : "refused" });
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
      if (again) {
        again = false;
        void run();
      }
    });
    return running;
  };

  const watcher: FSWatcher = watch(directory, { persistent: false }, (_event, filename) => {
    // only the dataset's own files: collections, modules and source texts, not editors' swap files
    if (filename && !/\.(json|ts|txt)$/.test(filename)) return;
    clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  });
  watcher.on("error", (error) => app.logger.error("watching the dataset failed: live reload is off", { dataset, error }));
  app.logger.info("watching the dataset for changes", { dataset, directory });

  return {
    reload: run,
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
