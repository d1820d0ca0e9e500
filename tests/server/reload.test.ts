/**
 * Live reload: a valid edit of the dataset is served (graph and search together), an invalid
 * one is reported with the validator's full report while the previous graph keeps serving, and
 * no request ever sees half of one graph and half of another. Every file the loader reads is
 * watched (an NDJSON collection, a source text in a subdirectory), the watch survives the
 * directory being removed and created again, and a watcher that dies is reported in /ready and
 * the log. The JSON dataset is reloaded in process; the built-in TypeScript dataset through the
 * real `--watch` server, on a copy of the project (the real data/ is never touched), run from
 * the server's bundle (tests/support/server-bundle.ts) moved into the copy, its paths made the
 * copy's: the data/*.ts it starts with are compiled into it, and those it reloads are imported
 * afresh from the copy's data/ with tsx, as `npm run dev` does.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  watch,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { watch as chokidarWatch, type FSWatcher } from "chokidar";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { type DatasetError, formatProblem, MAX_PROBLEMS_KEPT } from "../../src/graph/problems.js";
import { loadJsonGraphWithSnapshot } from "../../src/graph/snapshot/load.js";
import { placeSnapshots, snapshotHome } from "../../src/graph/snapshot/place.js";
import { prebuiltSearchIndex, readSnapshot } from "../../src/graph/snapshot/snapshot.js";
import { datasetFiles } from "../../src/server/dataset-files.js";
import { LEFT_BEHIND_MS, PRIVATE_PREFIX } from "../../src/server/private-snapshots.js";
import {
  isEditorJunk,
  type Reloader,
  type ReloadOutcome,
  watchDataset,
} from "../../src/server/reload.js";
import {
  buildLikeBuiltIn,
  cloneBuiltIn,
  editJson,
  exportToTmp,
  makeTmpDir,
  removeDir,
} from "../fixtures/datasets.js";
import { post, send } from "../support/http.js";
import { bundleMovedTo } from "../support/moved-bundle.js";
import { childEnv } from "../support/processes.js";
import { startServer, type TestServer } from "../support/server.js";
import { bundled } from "../support/server-bundle.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

const SZABO = '{ person(key: "gyorgy-szabo") { name nationality { key } } }';

/** Resolves with the next reload outcome. */
function outcomes() {
  const waiting: ((o: ReloadOutcome) => void)[] = [];
  const seen: ReloadOutcome[] = [];
  return {
    onReload: (o: ReloadOutcome) => {
      seen.push(o);
      waiting.shift()?.(o);
    },
    next: () => new Promise<ReloadOutcome>((resolve) => waiting.push(resolve)),
    seen,
  };
}

describe("live reload of a JSON dataset", () => {
  let dir: string;
  let server: TestServer;
  let reloader: Reloader;
  const reloads = outcomes();
  const logs: Record<string, any>[] = [];

  beforeAll(async () => {
    dir = exportToTmp();
    dirs.push(dir);
    server = await startServer(loadJsonGraph(dir), {
      logLevel: "info",
      logSink: { write: (line: string) => logs.push(JSON.parse(line)) },
    });
    reloader = watchDataset(server.app, {
      dataDir: dir,
      debounceMs: 50,
      onReload: reloads.onReload,
    });
    await reloader.ready;
  });
  afterAll(async () => {
    await reloader.close();
    await server.close();
  });

  it("serves a valid edit once the file is saved, search included", async () => {
    const before = (await send(server, { path: "/ready" })).json.loadedAt;
    // a name edit keeps every entity: the reloaded graph has as many as the one served before
    const entities = (await send(server, { path: "/health" })).json.entities as number;
    expect(entities).toBeGreaterThan(50);
    const next = reloads.next();
    editJson(dir, "persons", (persons) => {
      persons[0].name.text = "György Szabó-Kovács";
    });
    expect(await next).toMatchObject({ outcome: "applied", entities });
    expect((await post(server, SZABO)).json).toEqual({
      data: { person: { name: "György Szabó-Kovács", nationality: { key: "state/hungary" } } },
    });
    const found = await post(
      server,
      '{ search(query: "kovacs", first: 1) { nodes { matchedName entity { key } } } }',
    );
    expect(found.json.data.search.nodes).toEqual([
      { matchedName: "György Szabó-Kovács", entity: { key: "person/gyorgy-szabo" } },
    ]);
    expect((await send(server, { path: "/ready" })).json.loadedAt).not.toBe(before);
    expect(logs.find((l) => l.msg === "dataset reloaded")).toMatchObject({
      level: "info",
      dataset: dir,
      entities,
    });
  });

  it("reports an invalid edit with the validator's full report and keeps serving the previous graph", async () => {
    const next = reloads.next();
    editJson(dir, "persons", (persons) => {
      persons[0].nationality.ref = "state/hungaryy";
      persons[1].name.text = "";
    });
    const outcome = await next;
    expect(outcome.outcome).toBe("refused");
    const problems = (outcome as { problems: string[] }).problems;
    expect(problems).toContain(
      `${path.join(dir, "persons.json")}: person/gyorgy-szabo.nationality.ref: unknown state "state/hungaryy" (did you mean state/hungary?)`,
    );
    expect(problems.length).toBeGreaterThanOrEqual(2);
    const logged = logs.find((l) => l.msg.startsWith("dataset reload refused"));
    expect(logged).toMatchObject({ level: "error", dataset: dir, problems });
    expect(logged!.report).toMatch(
      new RegExp(`^The dataset is invalid \\(${problems.length} problems\\):\\n  - `),
    );
    // still the graph of the last valid edit
    expect((await post(server, SZABO)).json.data.person).toEqual({
      name: "György Szabó-Kovács",
      nationality: { key: "state/hungary" },
    });
    expect((await send(server, { path: "/ready" })).status).toBe(200);
  });

  it(`reports a file of thousands of problems by its first ${MAX_PROBLEMS_KEPT} and their count, in the log and in /ready (red team 50, F2)`, async () => {
    // 5,000 empty persons, three problems each: unbounded, 200,000 held the serving thread 7.5 s
    // to take the refusal in and log it, and 2,000,000 made a report too long to be a string
    const file = path.join(dir, "persons.json");
    const before = readFileSync(file, "utf8");
    let next = reloads.next();
    editJson(dir, "persons", (persons) => {
      for (let i = 0; i < 5000; i++) persons.push({});
    });
    const outcome = await next;
    expect(outcome.outcome).toBe("refused");
    const { problems, found } = outcome as { problems: string[]; found: number };
    expect(problems).toHaveLength(MAX_PROBLEMS_KEPT);
    expect(found).toBeGreaterThanOrEqual(15_000);
    const logged = [...logs].reverse().find((l) => l.msg.startsWith("dataset reload refused"));
    expect(logged).toMatchObject({ level: "error", dataset: dir, problems });
    expect(logged!.report).toMatch(
      new RegExp(
        `^The dataset is invalid \\(${found} problems; the first ${MAX_PROBLEMS_KEPT} below\\):\\n  - `,
      ),
    );
    expect(logged!.report.split("\n")).toHaveLength(MAX_PROBLEMS_KEPT + 1);
    expect((await send(server, { path: "/ready" })).json.watchReason).toBe(
      `the last reload refused the dataset, the previous graph keeps serving: ${problems[0]} (and ${found - 1} more problems: the first ${MAX_PROBLEMS_KEPT} in the log)`,
    );
    // the file as it was before: refused again, for the edit of the case before
    next = reloads.next();
    writeFileSync(file, before);
    expect((await next).outcome).toBe("refused");
  });

  it("refuses a half-written file, then serves the file once it is whole", async () => {
    const file = path.join(dir, "persons.json");
    const whole = readFileSync(file, "utf8");
    let next = reloads.next();
    writeFileSync(file, whole.slice(0, whole.length / 2));
    const half = await next;
    expect(half.outcome).toBe("refused");
    expect((half as { problems: string[] }).problems[0]).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not valid JSON: `),
    );

    next = reloads.next();
    writeFileSync(
      file,
      whole
        .replace('"state/hungaryy"', '"state/hungary"')
        .replace('"text": ""', '"text": "Madina Jarbussynova"'),
    );
    expect(await next).toMatchObject({ outcome: "applied" });
    expect((await post(server, SZABO)).json.data.person.nationality).toEqual({
      key: "state/hungary",
    });
  });

  it("counts reloads in the metrics", async () => {
    const metrics = (await send(server, { path: "/metrics" })).text;
    expect(metrics).toMatch(/^kz_osce_graph_reloads_total\{outcome="applied"\} [1-9]/m);
    expect(metrics).toMatch(/^kz_osce_graph_reloads_total\{outcome="refused"\} [1-9]/m);
  });
});

/** chokidar's `watch`, each watcher it makes pushed to `made`. */
function recording(made: FSWatcher[]): typeof chokidarWatch {
  return (...args) => {
    const watcher = chokidarWatch(...args);
    made.push(watcher);
    return watcher;
  };
}

/** A JSON dataset in a fresh directory, served and watched, with its reloads and log lines. */
async function watchedDataset(
  prepare: (dir: string) => void = () => {},
  watch?: typeof chokidarWatch,
  start: {
    /** Give the watcher the dataset's files as they were when the graph was loaded (main.ts does). */
    filesAtLoad?: boolean;
    /** Done after the graph is loaded, before the watch begins. */
    afterLoad?: (dir: string) => void;
    /** The path the watcher is given, from the dataset's directory (a symbolic link to it); that directory unless told. */
    dataDir?: (dir: string) => string;
  } = {},
) {
  const dir = exportToTmp();
  dirs.push(dir);
  prepare(dir);
  const filesAtLoad = start.filesAtLoad ? datasetFiles(dir) : undefined;
  const logs: Record<string, any>[] = [];
  const waiting: { msg: string; resolve: () => void }[] = [];
  const write = (line: string) => {
    const entry = JSON.parse(line) as Record<string, any>;
    logs.push(entry);
    for (const waiter of waiting.filter((w) => entry.msg.startsWith(w.msg))) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const server = await startServer(loadJsonGraph(dir), { logLevel: "info", logSink: { write } });
  start.afterLoad?.(dir);
  const reloads = outcomes();
  const reloader = watchDataset(server.app, {
    dataDir: start.dataDir?.(dir) ?? dir,
    debounceMs: 50,
    onReload: reloads.onReload,
    ...(watch ? { watch } : {}),
    ...(filesAtLoad !== undefined ? { filesAtLoad } : {}),
  });
  await reloader.ready;
  return {
    dir,
    server,
    reloader,
    reloads,
    logs,
    /** Resolves at the next log line that starts with `msg`. */
    nextLog: (msg: string) => new Promise<void>((resolve) => waiting.push({ msg, resolve })),
    close: async () => {
      await reloader.close();
      await server.close();
    },
  };
}

const TEXT_QUERY = '{ source(key: "kazakhstan-osce-cooperation") { file text } }';

/** The longest turn of this thread's event loop while `work` runs (a timer every millisecond). */
async function longestTurn<T>(work: Promise<T>): Promise<{ result: T; longestMs: number }> {
  let longestMs = 0;
  let last = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const now = performance.now();
    longestMs = Math.max(longestMs, now - last);
    last = now;
    timer = setTimeout(tick, 1);
  };
  timer = setTimeout(tick, 1);
  try {
    return { result: await work, longestMs };
  } finally {
    clearTimeout(timer);
  }
}

describe("live reload of a JSON dataset through its snapshot (as `npm start -- --data DIR --watch` runs)", () => {
  // 1,000 generated entities (those of tests/server/entity-plugin.test.ts, copied: they are
  // edited here): a full load on the serving thread is most of a reload's time, so that a
  // reload that holds the requests cannot pass for one that does not
  let dir: string;
  let server: TestServer;
  let reloader: Reloader;
  let validPersons: Buffer;
  const logged: string[] = [];
  const reloads = outcomes();
  beforeAll(async () => {
    dir = makeTmpDir();
    dirs.push(dir);
    cpSync(generatedDataset(1000), dir, { recursive: true });
    validPersons = readFileSync(path.join(dir, "persons.json"));
    const { graph } = await loadJsonGraphWithSnapshot(dir);
    server = await startServer(graph, {
      logLevel: "info",
      logSink: { write: (line: string) => logged.push(JSON.parse(line).msg) },
    });
    reloader = watchDataset(server.app, {
      dataDir: dir,
      snapshot: true,
      debounceMs: 50,
      onReload: reloads.onReload,
    });
    await reloader.ready;
  }, 120_000);
  afterAll(async () => {
    await reloader.close();
    await server.close();
  });

  it("validates and loads the edited dataset beside the requests, which go on being answered", async () => {
    // (and says nothing of a reload on the serving thread: it is not one)
    expect(logged).toContain("watching the dataset for changes");
    expect(logged).not.toContain(SNAPSHOTS_OFF);
    const person = server.app.served.current.graph.dataset.persons[0]!;
    const next = reloads.next();
    // a shorter name its quotes still state: the person's surname alone
    let surname = "";
    editJson(dir, "persons", (persons) => {
      surname = persons[0].name.text.split(" ").at(-1);
      persons[0].name.text = surname;
    });
    const { result, longestMs } = await longestTurn(next);
    expect(result, JSON.stringify(result).slice(0, 600)).toMatchObject({
      outcome: "applied",
      entities: 1000,
    });
    const asked = await post(server, `{ person(key: "${person.id}") { name } }`);
    expect(asked.json).toEqual({ data: { person: { name: surname } } });
    // the full load, the validation and the snapshot's write took most of the reload, on
    // another thread: no turn of this one came near the reload's length (on this thread, the
    // load was one turn, most of it)
    expect(longestMs).toBeLessThan(result.durationMs / 3);
    // and the snapshot the next start reads is the reloaded dataset's
    expect((await readSnapshot(dir)).contentHash).toBe(server.app.served.current.graph.contentHash);
  }, 120_000);

  it("loads the dataset again, in the worker, when it changed while the worker loaded it", async () => {
    // the moment the worker begins writing the snapshot (its temporary file appears), another
    // file changes: the snapshot is stale as soon as it is written
    let changed = false;
    const writing = watch(dir, (_event, name) => {
      if (changed || !name?.endsWith(".tmp")) return;
      changed = true;
      appendFileSync(path.join(dir, "states.json"), "\n");
    });
    try {
      const next = reloads.next();
      editJson(dir, "persons", (persons) => {
        persons[0].name.text = persons[0].name.provenance[0].quote; // the whole name again
      });
      const { result, longestMs } = await longestTurn(next);
      const outcomesSoFar = reloads.seen.length;
      expect(changed).toBe(true);
      expect(result, JSON.stringify(result).slice(0, 600)).toMatchObject({ outcome: "applied" });
      expect(logged).toContain("the dataset changed during its reload: loading it again");
      expect(longestMs).toBeLessThan(result.durationMs / 3);
      // the change seen during the reload asks for one more, which must end before the next test
      if (reloads.seen.length === outcomesSoFar) await reloads.next();
      expect(reloads.seen.at(-1)).toMatchObject({ outcome: "applied" });
      const served = server.app.served.current.graph;
      expect((await readSnapshot(dir)).contentHash).toBe(served.contentHash);
    } finally {
      writing.close();
    }
  }, 120_000);

  it("reports an invalid edit with the problems the validator finds here, and keeps serving", async () => {
    const served = server.app.served.current.graph;
    const next = reloads.next();
    editJson(dir, "persons", (persons) => {
      persons[0].nationality.ref = "state/nowhere";
      persons[1].name.text = "";
    });
    const outcome = await next;
    let expected: string[] = [];
    try {
      loadJsonGraph(dir);
    } catch (error) {
      expected = (error as DatasetError).problems.map(formatProblem);
    }
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(outcome).toMatchObject({ outcome: "refused", problems: expected });
    expect(server.app.served.current.graph).toBe(served);
    expect((await send(server, { path: "/health" })).status).toBe(200);
  }, 120_000);

  it("swaps in no graph whose load ended after close()", async () => {
    const swapped: KnowledgeGraph[] = [];
    const app = {
      swap: (graph: KnowledgeGraph) => swapped.push(graph),
      logger: server.app.logger,
      metrics: server.app.metrics,
      setWatchStatus: () => undefined,
    };
    const graph = server.app.served.current.graph;
    // a loader that finishes after the server began to stop (close() called during its load)
    let closing: Promise<void> | undefined;
    const stopped: Reloader = watchDataset(app, {
      dataDir: undefined,
      builtIn: {
        directory: dir,
        reload: async () => {
          closing = stopped.close();
          return graph;
        },
      },
      debounceMs: 60_000,
    });
    await stopped.ready;
    expect(await stopped.reload()).toMatchObject({ outcome: "failed", error: "stopped" });
    await closing;
    expect(swapped).toEqual([]);
  });

  it("stops a reload under way when closed (a server shutting down), and keeps the graph it served", async () => {
    // valid again, and other bytes than the snapshot's: a reload left to run would load and swap
    writeFileSync(path.join(dir, "persons.json"), Buffer.concat([validPersons, Buffer.from("\n")]));
    const served = server.app.served.current.graph;
    const reloading = reloader.reload();
    const closed = reloader.close();
    expect(await reloading).toMatchObject({ outcome: "failed", error: "stopped" });
    await closed;
    expect(server.app.served.current.graph).toBe(served);
    // nothing follows once closed, not even a reload the edit asked for
    await expect(reloader.reload()).resolves.toMatchObject({ outcome: "failed", error: "stopped" });
    expect(server.app.served.current.graph).toBe(served);
  }, 120_000);
});

describe("live reload of a JSON dataset where no snapshot can be written", () => {
  // as the describe above: 1,000 generated entities, whose full load is most of a reload's time
  let dir: string;
  let server: TestServer;
  let reloader: Reloader;
  const logs: Record<string, any>[] = [];
  const reloads = outcomes();
  /** The log lines with `msg`, from `from` on. */
  const said = (msg: string, from = 0) => logs.slice(from).filter((line) => line.msg === msg);
  beforeAll(async () => {
    dir = makeTmpDir();
    dirs.push(dir);
    cpSync(generatedDataset(1000), dir, { recursive: true });
    server = await startServer(loadJsonGraph(dir), {
      logLevel: "info",
      logSink: { write: (line: string) => logs.push(JSON.parse(line)) },
    });
    reloader = watchDataset(server.app, {
      dataDir: dir,
      snapshot: true,
      debounceMs: 50,
      onReload: reloads.onReload,
    });
    await reloader.ready;
  }, 120_000);
  afterEach(() => {
    placeSnapshots(undefined);
    // now, not before the next test (vitest's unstubEnvs): the next file in this process must
    // not start with TMPDIR where no directory can be made
    vi.unstubAllEnvs();
  });
  afterAll(async () => {
    await reloader.close();
    await server.close();
  });

  /**
   * Renames the first person (to the surname alone, or back to the whole name its quote states:
   * names its quotes state), waits for the reload, and checks it is served.
   */
  async function renameAndReload() {
    const from = logs.length;
    const next = reloads.next();
    let name = "";
    editJson(dir, "persons", (persons) => {
      const whole = persons[0].name.provenance[0].quote;
      name = persons[0].name.text === whole ? whole.split(" ").at(-1) : whole;
      persons[0].name.text = name;
    });
    const { result, longestMs } = await longestTurn(next);
    expect(result, JSON.stringify(result).slice(0, 600)).toMatchObject({ outcome: "applied" });
    const person = server.app.served.current.graph.dataset.persons[0]!;
    const asked = await post(server, `{ person(key: "${person.id}") { name } }`);
    expect(asked.json).toEqual({ data: { person: { name } } });
    return { result, longestMs, from, readFromSnapshot: snapshotRead() };
  }
  /** Whether the graph served was read from a snapshot (its search index came with it), not loaded here. */
  const snapshotRead = () => prebuiltSearchIndex(server.app.served.current.graph) !== undefined;

  it("loads beside the requests and reads a temporary snapshot when the snapshots' directory is read-only, then removes it", async () => {
    // /proc/self: a directory no process may make one in, root included (access says EPERM)
    placeSnapshots("/proc/self/kz-osce-snapshots");
    // one a server killed during such a reload left, over an hour ago: removed by this one
    const gone = spawnSync(process.execPath, ["-e", ""]).pid!;
    const left = path.join(tmpdir(), `${PRIVATE_PREFIX}${gone}-12345-left00`);
    mkdirSync(left);
    dirs.push(left);
    const old = (Date.now() - LEFT_BEHIND_MS - 60_000) / 1000;
    utimesSync(left, old, old);
    const { result, longestMs, from, readFromSnapshot } = await renameAndReload();
    expect(existsSync(left)).toBe(false);
    expect(readFromSnapshot).toBe(true);
    const [placed = {}] = said(
      "reloading through a temporary snapshot: the snapshot's directory is read-only",
      from,
    );
    expect(placed).toMatchObject({ level: "warn", dir, snapshotDir: snapshotHome(dir) });
    expect(said("reloaded in full; read from a temporary snapshot", from)).toMatchObject([
      { from: "full load", reason: "the snapshot's directory is read-only" },
    ]);
    expect(path.dirname(placed.temporaryDir)).toBe(tmpdir());
    // named as the server's own snapshots: where the temporary directory is inside the dataset's
    // (TMPDIR=/data/tmp), the watcher ignores it, else each reload's would make another reload
    expect(isEditorJunk(placed.temporaryDir)).toBe(true);
    // loaded in a child process: no turn of this thread came near the reload's length (the
    // load on the serving thread was one turn, most of it)
    expect(longestMs).toBeLessThan(result.durationMs / 3);
    expect(existsSync(placed.temporaryDir)).toBe(false);
  }, 120_000);

  it("loads again beside the requests, for a temporary snapshot, when the snapshot cannot be written (a full disk)", async () => {
    // the snapshot's directory is a file: writable, and no directory can be made there
    const base = makeTmpDir();
    dirs.push(base);
    placeSnapshots(base);
    writeFileSync(snapshotHome(dir), "in the way");
    const { result, longestMs, from, readFromSnapshot } = await renameAndReload();
    expect(readFromSnapshot).toBe(true);
    const [placed = {}] = said(
      "reloading through a temporary snapshot: the snapshot could not be written",
      from,
    );
    expect(placed).toMatchObject({
      level: "warn",
      snapshotDir: snapshotHome(dir),
      temporaryDir: expect.any(String),
    });
    expect(placed.writeError).toMatch(/EEXIST/);
    expect(said("reloaded in full; read from a temporary snapshot", from)).toHaveLength(1);
    expect(longestMs).toBeLessThan(result.durationMs / 3);
    expect(existsSync(placed.temporaryDir)).toBe(false);
  }, 120_000);

  it("loads on the serving thread, and says so, when no temporary directory can be made either", async () => {
    placeSnapshots("/proc/self/kz-osce-snapshots");
    vi.stubEnv("TMPDIR", "/proc/self/kz-osce-tmp");
    const { from, readFromSnapshot } = await renameAndReload();
    expect(readFromSnapshot).toBe(false);
    expect(
      said(
        "reloading on the serving thread: the snapshot's directory is read-only, and no temporary directory could be made for it",
        from,
      ),
    ).toMatchObject([{ level: "warn", dir, error: expect.stringMatching(/ENOENT/) }]);
    expect(said("reloaded in full; read from a temporary snapshot", from)).toEqual([]);
  }, 120_000);

  it("removes the temporary snapshot of a reload stopped under way (a server shutting down)", async () => {
    placeSnapshots("/proc/self/kz-osce-snapshots");
    const served = server.app.served.current.graph;
    // other bytes than the served graph's: a reload left to run would load and swap
    appendFileSync(path.join(dir, "states.json"), "\n");
    const from = logs.length;
    const reloading = reloader.reload();
    const closed = reloader.close();
    expect(await reloading).toMatchObject({ outcome: "failed", error: "stopped" });
    await closed;
    const [placed = {}] = said(
      "reloading through a temporary snapshot: the snapshot's directory is read-only",
      from,
    );
    expect(placed.temporaryDir).toEqual(expect.any(String));
    expect(existsSync(placed.temporaryDir)).toBe(false);
    expect(server.app.served.current.graph).toBe(served);
  }, 120_000);
});

const SNAPSHOTS_OFF =
  "snapshots are off (KZ_OSCE_SNAPSHOT=false): each reload loads the dataset on the serving thread, and requests wait for it (seconds at 100k entities)";

describe("what live reload watches", () => {
  it("follows no symbolic link: a link to itself or to a large tree leaves the watch as it was, and an edit still reloads", async () => {
    // red team 12: `ln -s loop DIR/loop` made the watcher report ELOOP (and the logger's throw on
    // it killed the server); a link to node_modules had it walk 58,000 directories on the
    // serving thread and reload at every write there
    const made: FSWatcher[] = [];
    const watched = await watchedDataset(undefined, recording(made));
    try {
      const tree = makeTmpDir();
      dirs.push(tree);
      for (let i = 0; i < 20; i++)
        mkdirSync(path.join(tree, `d${i}`, "inner"), { recursive: true });
      symlinkSync("loop", path.join(watched.dir, "loop"));
      symlinkSync(tree, path.join(watched.dir, "tree"));
      // an edit after the links: its reload is the first, none was made for the links' trees
      const reload = watched.reloads.next();
      editJson(watched.dir, "persons", (persons) => {
        persons[0].name.text = "György Szabó-Linked";
      });
      expect(await reload).toMatchObject({ outcome: "applied" });
      expect((await post(watched.server, SZABO)).json.data.person.name).toBe("György Szabó-Linked");
      const ready = await send(watched.server, { path: "/ready" });
      expect(ready.json).toMatchObject({ status: "ready", watch: "ok" });
      // the linked tree's directories are not watched
      const watchedDirs = Object.keys(made[0]!.getWatched());
      expect(watchedDirs.filter((d) => d.includes(`${path.sep}tree`))).toEqual([]);
      expect(watched.logs.filter((l) => l.level === "error")).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it("waits for a removed dataset directory whose parent holds a link to itself, and reloads once it is back (review 14)", async () => {
    // the watcher that waits for the directory's return watches its parent, one level deep; it
    // followed links (chokidar's default), failed on the loop (ELOOP), and live reload was off
    // for good, the return never seen
    const parent = makeTmpDir();
    dirs.push(parent);
    const dir = path.join(parent, "data");
    renameSync(exportToTmp(), dir);
    symlinkSync("loop", path.join(parent, "loop"));
    const server = await startServer(loadJsonGraph(dir), { logLevel: "silent" });
    const reloads = outcomes();
    const reloader = watchDataset(server.app, {
      dataDir: dir,
      debounceMs: 50,
      onReload: reloads.onReload,
    });
    await reloader.ready;
    try {
      const away = path.join(parent, "away");
      renameSync(dir, away);
      await vi.waitFor(() => expect(reloader.status().state).toBe("waiting"), { timeout: 20_000 });
      const back = reloads.next();
      renameSync(away, dir);
      editJson(dir, "persons", (persons) => {
        persons[0].name.text = "György Szabó-Back";
      });
      expect(await back).toMatchObject({ outcome: "applied" });
      expect((await post(server, SZABO)).json.data.person.name).toBe("György Szabó-Back");
      expect(reloader.status()).toMatchObject({ state: "ok" });
    } finally {
      await reloader.close();
      await server.close();
    }
  });

  it("says once, as it starts watching, that without snapshots each reload holds the requests", async () => {
    const watched = await watchedDataset();
    try {
      expect(watched.logs.filter((l) => l.msg === SNAPSHOTS_OFF)).toMatchObject([
        { level: "warn", dataset: watched.dir },
      ]);
    } finally {
      await watched.close();
    }
  });

  it("reloads at once a dataset changed after the graph served was loaded and before the first watch (a server's start)", async () => {
    const watched = await watchedDataset(() => {}, undefined, {
      filesAtLoad: true,
      afterLoad: (dir) =>
        editJson(dir, "persons", (persons) => {
          persons[0].name.text = "György Szabó-Start";
        }),
    });
    try {
      const reload = watched.reloads.next();
      // (the watcher saw no event: the edit was made before it watched)
      expect(await reload).toMatchObject({ outcome: "applied" });
      expect(watched.logs.map((l) => l.msg)).toContain(
        "the dataset changed while the server started: reloading it",
      );
      expect((await post(watched.server, SZABO)).json.data.person.name).toBe("György Szabó-Start");
    } finally {
      await watched.close();
    }
  });

  it("does not reload at once a dataset unchanged since the graph served was loaded", async () => {
    const watched = await watchedDataset(() => {}, undefined, { filesAtLoad: true });
    try {
      // the first reload is the one this edit makes: none was made at the watch's start
      const reload = watched.reloads.next();
      editJson(watched.dir, "persons", (persons) => {
        persons[0].name.text = "György Szabó-Later";
      });
      expect(await reload).toMatchObject({ outcome: "applied" });
      expect(watched.reloads.seen).toHaveLength(1);
      expect(watched.logs.map((l) => l.msg)).not.toContain(
        "the dataset changed while the server started: reloading it",
      );
    } finally {
      await watched.close();
    }
  });

  it("reloads an edit of an NDJSON collection", async () => {
    const watched = await watchedDataset((dir) => {
      const persons = JSON.parse(readFileSync(path.join(dir, "persons.json"), "utf8")) as unknown[];
      writeFileSync(
        path.join(dir, "persons.ndjson"),
        `${persons.map((p) => JSON.stringify(p)).join("\n")}\n`,
      );
      unlinkSync(path.join(dir, "persons.json"));
    });
    try {
      const file = path.join(watched.dir, "persons.ndjson");
      const next = watched.reloads.next();
      writeFileSync(
        file,
        readFileSync(file, "utf8").replace('"György Szabó"', '"György Szabó-Kovács"'),
      );
      expect(await next).toMatchObject({ outcome: "applied" });
      expect((await post(watched.server, SZABO)).json.data.person.name).toBe("György Szabó-Kovács");
    } finally {
      await watched.close();
    }
  });

  it("reloads an edit of a source text in a subdirectory", async () => {
    const watched = await watchedDataset((dir) => {
      mkdirSync(path.join(dir, "texts", "osce"), { recursive: true });
      renameSync(
        path.join(dir, "kazakhstan-osce-cooperation.txt"),
        path.join(dir, "texts", "osce", "kazakhstan-osce-cooperation.txt"),
      );
      editJson(dir, "sources", (sources) => {
        sources[0].file = "texts/osce/kazakhstan-osce-cooperation.txt";
      });
    });
    try {
      const file = path.join(watched.dir, "texts", "osce", "kazakhstan-osce-cooperation.txt");
      const before = (await post(watched.server, TEXT_QUERY)).json.data.source;
      expect(before.file).toBe("texts/osce/kazakhstan-osce-cooperation.txt");
      const next = watched.reloads.next();
      // an addition at the end keeps every quote where it was
      writeFileSync(file, `${readFileSync(file, "utf8")}\nA line added after the last quote.\n`);
      expect(await next).toMatchObject({ outcome: "applied" });
      expect((await post(watched.server, TEXT_QUERY)).json.data.source.text).toBe(
        `${before.text}\nA line added after the last quote.\n`,
      );
    } finally {
      await watched.close();
    }
  });

  it("keeps serving while the directory is gone, says so in /ready, and reloads once it is back, then follows its edits; the watcher of the directory gone stays closed", async () => {
    const made: FSWatcher[] = [];
    const watched = await watchedDataset(undefined, recording(made));
    const { dir, server, reloads } = watched;
    try {
      const copy = makeTmpDir();
      dirs.push(copy);
      cpSync(dir, copy, { recursive: true });
      expect((await send(server, { path: "/ready" })).json).toMatchObject({
        status: "ready",
        watch: "ok",
      });

      // the watcher says so in the log once it has seen the directory go
      const gone = watched.nextLog("the dataset directory is gone");
      removeDir(dir);
      await gone;
      expect(watched.reloader.status().state).toBe("waiting");
      const waiting = await send(server, { path: "/ready" });
      expect(waiting.status).toBe(200);
      expect(waiting.json).toMatchObject({
        status: "ready",
        watch: "waiting",
        watchReason: `the dataset directory ${dir} does not exist: waiting for it to be created again`,
      });
      // the graph loaded before keeps serving
      expect((await post(server, SZABO)).json.data.person.name).toBe("György Szabó");
      expect(
        watched.logs.find((l) => l.msg.startsWith("the dataset directory is gone")),
      ).toMatchObject({ level: "warn", dataset: dir });

      // created again, with an edit: it is reloaded as soon as it is back
      let next = reloads.next();
      mkdirSync(dir);
      cpSync(copy, dir, { recursive: true });
      editJson(dir, "persons", (persons) => {
        persons[0].name.text = "György Szabó-Kovács";
      });
      expect(await next).toMatchObject({ outcome: "applied" });
      expect((await post(server, SZABO)).json.data.person.name).toBe("György Szabó-Kovács");
      expect((await send(server, { path: "/ready" })).json).toMatchObject({
        status: "ready",
        watch: "ok",
      });

      // and an edit after that is followed too
      next = reloads.next();
      editJson(dir, "persons", (persons) => {
        persons[0].name.text = "György Szabó";
      });
      expect(await next).toMatchObject({ outcome: "applied" });
      expect((await post(server, SZABO)).json.data.person.name).toBe("György Szabó");
      // the watcher of the directory removed, closed when it went, is closed still: chokidar
      // reopened it to watch for its files' return (its `add`, called for each file's removal
      // read after the close), and it watched the directory's parent, one fs.watch per file,
      // for the process's life (the session after review 25). (Its bookkeeping may still name
      // the parent: no watch is made for it once closed.)
      expect(made.length).toBeGreaterThan(1);
      expect(made.slice(0, -1).map((watcher) => watcher.closed)).toEqual(
        made.slice(0, -1).map(() => true),
      );
    } finally {
      await watched.close();
    }
  });

  it("follows a directory replaced by another one renamed into its place", async () => {
    const watched = await watchedDataset();
    const { dir, server, reloads } = watched;
    try {
      const replacement = `${dir}.next`;
      dirs.push(replacement);
      cpSync(dir, replacement, { recursive: true });
      editJson(replacement, "persons", (persons) => {
        persons[0].name.text = "György Szabó (replaced)";
      });
      const next = reloads.next();
      rmSync(dir, { recursive: true });
      renameSync(replacement, dir);
      expect(await next).toMatchObject({ outcome: "applied" });
      expect((await post(server, SZABO)).json.data.person.name).toBe("György Szabó (replaced)");
      // the directory now in its place is the one watched: once its watch is ready, the state is
      // "ok" and the log says it watches (in the same turn, so not yet "ok" means not yet logged)
      if (watched.reloader.status().state !== "ok")
        await watched.nextLog("watching the dataset for changes");
      expect(watched.reloader.status().state).toBe("ok");
      const again = reloads.next();
      editJson(dir, "persons", (persons) => {
        persons[0].name.text = "György Szabó (edited after)";
      });
      expect(await again).toMatchObject({ outcome: "applied" });
      expect((await post(server, SZABO)).json.data.person.name).toBe("György Szabó (edited after)");
    } finally {
      await watched.close();
    }
  });

  it("follows the edits of a dataset given as a symbolic link, an atomic swap of the link (a release switched), and the edits of the release it leads to then", async () => {
    // red team 12, F5: `ln -sfn release-2 current.tmp && mv -T current.tmp current`, the usual
    // release pattern; the watcher stayed on the old target. Since the watcher follows no link, a
    // link given as the dataset's path was watched as a file: no edit in it was ever seen
    const made: FSWatcher[] = [];
    const current = `${makeTmpDir()}/current`;
    dirs.push(path.dirname(current));
    const watched = await watchedDataset(undefined, recording(made), {
      dataDir: (dir) => {
        symlinkSync(dir, current);
        return current;
      },
    });
    const { dir: release1, server, reloads } = watched;
    try {
      const named = async () => (await post(server, SZABO)).json.data.person.name;
      // an edit in the release the link leads to
      let next = reloads.next();
      editJson(release1, "persons", (persons) => {
        persons[0].name.text = "György Szabó (release 1, edited)";
      });
      expect(await next).toMatchObject({ outcome: "applied" });
      expect(await named()).toBe("György Szabó (release 1, edited)");

      // the release switched by an atomic swap of the link
      const release2 = `${release1}-2`;
      dirs.push(release2);
      cpSync(release1, release2, { recursive: true });
      editJson(release2, "persons", (persons) => {
        persons[0].name.text = "György Szabó (release 2)";
      });
      // the watcher of the dataset's files, made first
      const first = made[0]!;
      next = reloads.next();
      const swapped = watched.nextLog("the dataset directory leads elsewhere now");
      symlinkSync(release2, `${current}.tmp`);
      renameSync(`${current}.tmp`, current);
      expect(await next).toMatchObject({ outcome: "applied" });
      expect(await named()).toBe("György Szabó (release 2)");
      await swapped;
      expect(
        watched.logs.find((l) => l.msg.startsWith("the dataset directory leads elsewhere now")),
      ).toMatchObject({
        level: "info",
        directory: current,
        from: release1,
        to: release2,
      });
      // the old release is no longer watched: its edits are not the dataset's
      expect(first.closed).toBe(true);
      if (watched.reloader.status().state !== "ok")
        await watched.nextLog("watching the dataset for changes");

      // an edit in the release it leads to now
      next = reloads.next();
      editJson(release2, "persons", (persons) => {
        persons[0].name.text = "György Szabó (release 2, edited)";
      });
      expect(await next).toMatchObject({ outcome: "applied" });
      expect(await named()).toBe("György Szabó (release 2, edited)");
    } finally {
      await watched.close();
    }
  });

  it("reports a watcher that dies in /ready, in the metrics and in the log, and keeps serving", async () => {
    const made: FSWatcher[] = [];
    const watched = await watchedDataset(undefined, recording(made));
    const { server } = watched;
    try {
      expect(made).toHaveLength(1);
      // what chokidar reports when the system has no inotify watches left: Node's system error,
      // whose `path` is a string (the logger took it for a GraphQL path and threw, killing the
      // server: red team 12)
      made[0]!.emit(
        "error",
        Object.assign(new Error("System limit for number of file watchers reached, watch '/x'"), {
          code: "ENOSPC",
          errno: -28,
          syscall: "watch",
          path: "/x",
        }),
      );
      const ready = await send(server, { path: "/ready" });
      expect(ready.status).toBe(200);
      expect(ready.json).toMatchObject({
        status: "ready",
        watch: "failed",
        watchReason: "ENOSPC: System limit for number of file watchers reached, watch '/x'",
      });
      expect((await send(server, { path: "/metrics" })).text).toMatch(
        /^kz_osce_dataset_watch_up 0$/m,
      );
      expect(
        watched.logs.find((l) => l.msg.startsWith("watching the dataset failed")),
      ).toMatchObject({
        level: "error",
        msg: "watching the dataset failed: live reload is off, the loaded graph keeps serving; restart the server to watch again",
        code: "ENOSPC",
        error: { name: "Error", code: "ENOSPC", syscall: "watch", path: "/x" },
      });
      expect((await post(server, SZABO)).json.data.person.name).toBe("György Szabó");
    } finally {
      await watched.close();
    }
  });

  it.each([
    [".persons.json.swp", true],
    [".persons.json.swx", true],
    ["4913", true],
    ["persons.json~", true],
    ["#persons.json#", true],
    [".#persons.json", true],
    ["persons.json___jb_tmp___", true],
    [".DS_Store", true],
    ["persons.json.bak", true],
    ["persons.json", false],
    ["persons.ndjson", false],
    ["kazakhstan-osce-cooperation.txt", false],
    ["texts/osce/charter.md", false],
    ["..data", false],
  ])("ignores editors' files: %s → %s", (name, junk) => {
    expect(isEditorJunk(path.join("/data", name))).toBe(junk);
  });
});

describe("atomic swaps", () => {
  let a: KnowledgeGraph;
  let b: KnowledgeGraph;
  let server: TestServer;
  beforeAll(async () => {
    a = buildLikeBuiltIn(cloneBuiltIn());
    const edited = cloneBuiltIn();
    edited.persons[0].name.text = "György Szabó-Kovács";
    edited.persons[0].aliases[1].text = "Gyorgy Szabo-Kovacs";
    edited.states.find((s: { id: string }) => s.id === "state/hungary").name.text = "Magyarország";
    b = buildLikeBuiltIn(edited);
    server = await startServer(a);
  });
  afterAll(() => server.close());

  it("builds the indexes a graph otherwise builds on first use before serving it, at start and on a swap", () => {
    const fresh = buildLikeBuiltIn(cloneBuiltIn());
    expect(fresh.deferredIndexesBuilt).toBe(false);
    expect(a.deferredIndexesBuilt).toBe(true);
    server.app.swap(fresh);
    expect(fresh.deferredIndexesBuilt).toBe(true);
    server.app.swap(a);
  });

  it("never answers from the graph of one version and the search index of another, when a graph is swapped in while a request runs", async () => {
    // a reload landing in the middle of a request, every time: the graph served swaps in the
    // other as soon as a request reads an entity of it (`person`, whose resolver runs before
    // `search`'s), so each request finishes after the swap, and the next starts on the other
    // graph. A swap on a timer never landed inside a request: a request this small runs in one
    // turn of the event loop.
    let serving = a;
    const swapOnRead = (graph: KnowledgeGraph, next: KnowledgeGraph) => {
      const get = graph.get;
      Object.defineProperty(graph, "get", {
        configurable: true,
        value: function (this: KnowledgeGraph, ...args: Parameters<typeof get>) {
          if (serving === graph) {
            server.app.swap(next);
            serving = next;
          }
          return get.apply(this, args);
        },
      });
    };
    swapOnRead(a, b);
    swapOnRead(b, a);
    // graph and search are read in different resolvers: a half-swapped request would mix them
    const query = `{
      person(key: "gyorgy-szabo") { name names { text } nationality { name } }
      search(query: "szabo", first: 1) { nodes { matchedName entity { ... on Person { name } } } }
    }`;
    const versions: string[] = [];
    try {
      // through the direct pipeline (a POST) and through Yoga's (a GET): each makes its own context
      for (const method of ["POST", "GET"])
        for (let i = 0; i < 2; i++) {
          const { json } =
            method === "POST"
              ? await post(server, query)
              : await send(server, { path: `/graphql?query=${encodeURIComponent(query)}` });
          expect(json.errors).toBeUndefined();
          const { person, search } = json.data;
          const hit = search.nodes[0];
          const version = `${person.name} / ${person.nationality.name}`;
          expect(hit.entity.name, version).toBe(person.name);
          // the name the search index matched is a name of the person in the same version
          expect(
            person.names.map((n: { text: string }) => n.text),
            version,
          ).toContain(hit.matchedName);
          versions.push(version);
        }
    } finally {
      Reflect.deleteProperty(a, "get");
      Reflect.deleteProperty(b, "get");
      server.app.swap(a);
    }
    // every request started on the graph the one before it swapped in, and answered from it alone
    expect(versions).toEqual(
      Array.from({ length: 4 }, (_, i) =>
        i % 2 ? "György Szabó-Kovács / Magyarország" : "György Szabó / Hungary",
      ),
    );
  });
});

describe("live reload of the built-in dataset (npm run dev)", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  /** A copy of the project (sources, data, GraphiQL's example queries, configuration; node_modules linked) to edit freely. */
  function projectCopy(): string {
    const copy = makeTmpDir();
    dirs.push(copy);
    for (const entry of ["src", "data", "examples/queries", "package.json", "tsconfig.json"])
      cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
    symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
    mkdirSync(path.join(copy, "schema"), { recursive: true });
    return copy;
  }

  it("reloads data/*.ts on change, reports an invalid edit in full and keeps serving, and survives a syntax error", async () => {
    const copy = projectCopy();
    const bundleDir = bundleMovedTo(copy);
    child = spawn(process.execPath, [bundled("main", bundleDir), "--watch", "--port", "0"], {
      cwd: copy,
      env: childEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    // whole lines only: the last may still be arriving
    const lines = () =>
      stdout
        .split("\n")
        .slice(0, -1)
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, any>);
    /** Resolves once `found` holds, looked at each time the server writes. */
    const waitFor = (what: string, found: () => unknown) =>
      new Promise<void>((resolve, reject) => {
        const look = () => {
          if (!found()) return;
          child!.stdout!.off("data", look);
          resolve();
        };
        child!.stdout!.on("data", look);
        child!.once("exit", () => reject(new Error(`no ${what}:\n${stdout}`)));
        look();
      });
    await waitFor("serving line", () =>
      /serving the built-in dataset at http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout),
    );
    const port = Number(
      /serving the built-in dataset at http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout)![1],
    );
    await waitFor("watching line", () =>
      lines().some((l) => l.msg === "watching the dataset for changes"),
    );
    const ask = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: SZABO }),
      });
      return (
        (await response.json()) as {
          data: { person: { name: string; nationality: { key: string } } };
        }
      ).data.person;
    };
    expect(await ask()).toEqual({ name: "György Szabó", nationality: { key: "state/hungary" } });

    const file = path.join(copy, "data/persons.ts");
    const original = readFileSync(file, "utf8");
    const count = (msg: string) => lines().filter((l) => l.msg.startsWith(msg)).length;

    // a valid edit
    // (the replaced texts are checked to be there: an edit that matched nothing would reload the
    // same data, and a formatter rewrapping data/persons.ts once made it so)
    const edit = (text: string, from: string, to: string) => {
      expect(text).toContain(from);
      return text.replace(from, to);
    };
    const renamed = edit(original, 'text: "György Szabó",', 'text: "György Szabó-Kovács",');
    writeFileSync(file, renamed);
    await waitFor("reload", () => count("dataset reloaded") === 1);
    expect(await ask()).toEqual({
      name: "György Szabó-Kovács",
      nationality: { key: "state/hungary" },
    });

    // an invalid edit: the full report, and the previous graph keeps serving
    writeFileSync(file, edit(renamed, 'ref: "state/hungary"', 'ref: "state/hungaryy"'));
    await waitFor("refusal", () => count("dataset reload refused") === 1);
    const refusal = lines().find((l) => l.msg.startsWith("dataset reload refused"))!;
    expect(refusal).toMatchObject({
      level: "error",
      dataset: "the built-in dataset",
      problems: [
        'data/persons.ts: person/gyorgy-szabo.nationality.ref: unknown state "state/hungaryy" (did you mean state/hungary?)',
      ],
      report:
        'The dataset is invalid (1 problem):\n  - data/persons.ts: person/gyorgy-szabo.nationality.ref: unknown state "state/hungaryy" (did you mean state/hungary?)',
    });
    expect(await ask()).toEqual({
      name: "György Szabó-Kovács",
      nationality: { key: "state/hungary" },
    });

    // a syntax error: refused too, naming the file
    writeFileSync(file, `${original}\nexport const broken = ;\n`);
    await waitFor("second refusal", () => count("dataset reload refused") === 2);
    const syntax = lines().filter((l) => l.msg.startsWith("dataset reload refused"))[1]!;
    expect(syntax.problems).toHaveLength(1);
    expect(syntax.problems[0]).toMatch(/^data\/persons\.ts: could not be loaded: /);
    expect(await ask()).toEqual({
      name: "György Szabó-Kovács",
      nationality: { key: "state/hungary" },
    });

    child.kill("SIGTERM");
    const code = await new Promise((resolve) => child!.once("close", resolve));
    expect(code).toBe(0);
  }, 90_000);
});
