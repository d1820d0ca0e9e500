/**
 * A server serving a JSON dataset with live reload on (reload.ts `watchDataset`), for the tests
 * of live reload: its reloads' outcomes and its log lines as they come, and what a test asks of
 * it most (/ready, Szabó's name as served).
 */
import { loadJsonGraph } from "../../src/graph/load.js";
import { type ReloadOutcome, watchDataset } from "../../src/server/reload.js";
import { post, send } from "./http.js";
import { startServer } from "./server.js";

/** Szabó's name, which the tests edit in the dataset's persons.json. */
const SZABO = '{ person(key: "gyorgy-szabo") { name } }';

export type WatchedServer = Awaited<ReturnType<typeof watchedServer>>;

/**
 * Serves the dataset at `dataDir` and watches it (`options` passed on to watchDataset), with its
 * log kept (at info) when `logged`, else silent.
 */
export async function watchedServer(
  dataDir: string,
  options: Partial<Parameters<typeof watchDataset>[1]> = {},
  { logged = true }: { logged?: boolean } = {},
) {
  const logs: Record<string, any>[] = [];
  const waiting: { msg: string; resolve: (line: Record<string, any>) => void }[] = [];
  const write = (line: string) => {
    const entry = JSON.parse(line) as Record<string, any>;
    logs.push(entry);
    for (const waiter of waiting.filter((w) => entry.msg.startsWith(w.msg))) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(entry);
    }
  };
  const server = await startServer(
    loadJsonGraph(dataDir),
    logged ? { logLevel: "info", logSink: { write } } : { logLevel: "silent" },
  );
  const next: ((o: ReloadOutcome) => void)[] = [];
  /** Reloads made so far, and who waits for their count to pass a number. */
  let reloads = 0;
  const counting: { after: number; resolve: () => void }[] = [];
  const reloader = watchDataset(server.app, {
    dataDir,
    debounceMs: 50,
    onReload: (o) => {
      reloads++;
      for (const waiter of counting.filter((c) => reloads > c.after)) {
        counting.splice(counting.indexOf(waiter), 1);
        waiter.resolve();
      }
      next.shift()?.(o);
    },
    ...options,
  });
  await reloader.ready;
  return {
    dir: dataDir,
    server,
    reloader,
    logs,
    /** Resolves with the next reload's outcome. */
    nextReload: () => new Promise<ReloadOutcome>((resolve) => next.push(resolve)),
    /** How many reloads were made so far. */
    reloadCount: () => reloads,
    /** Resolves once more than `count` reloads were made (at once if they were). */
    reloadAfter: (count: number) =>
      new Promise<void>((resolve) =>
        reloads > count ? resolve() : counting.push({ after: count, resolve }),
      ),
    /** Resolves with the next log line that starts with `msg` (with `logged`). */
    nextLog: (msg: string) =>
      new Promise<Record<string, any>>((resolve) => waiting.push({ msg, resolve })),
    /** Szabó's name as served now. */
    named: async () => (await post(server, SZABO)).json.data.person.name as string,
    /** /ready's answer. */
    ready: () => send(server, { path: "/ready" }),
    /** The metric kz_osce_dataset_watch_up's value, as /metrics says it. */
    watchUp: async () =>
      /^kz_osce_dataset_watch_up (\d)$/m.exec((await send(server, { path: "/metrics" })).text)?.[1],
    close: async () => {
      await reloader.close();
      await server.close();
    },
  };
}
