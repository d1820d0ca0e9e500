/**
 * A dataset's snapshot made current in a child process (src/graph/snapshot/off-thread.ts, child-entry.ts), as a
 * live reload of a JSON dataset makes it while the server goes on answering: the same snapshot,
 * check and refusals as on the calling thread, at a lower priority than this process, and a stop
 * that leaves nothing behind.
 */
import { mkdirSync, readdirSync, readFileSync, watch, writeFileSync } from "node:fs";
import { getPriority } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadJsonGraph } from "../../src/graph/load.js";
import { DatasetError, formatProblem, MAX_PROBLEMS_KEPT } from "../../src/graph/problems.js";
import { runChildFrom } from "../../src/graph/snapshot/child-entry.js";
import { ensureSnapshotOffThread } from "../../src/graph/snapshot/off-thread.js";
import { temporaryMark } from "../../src/graph/snapshot/place.js";
import {
  readSnapshot,
  SNAPSHOT_FILE,
  snapshotFileName,
} from "../../src/graph/snapshot/snapshot.js";
import { BACKGROUND_NICE } from "../../src/graph/tsx-child.js";
import { editJson, exportToTmp, removeDir } from "../fixtures/datasets.js";
import { childrenOf } from "../support/processes.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});
function dataset(): string {
  const dir = exportToTmp();
  dirs.push(dir);
  return dir;
}

/**
 * The child's code: the sources through tsx, as a server run with `npm start` runs it, and the
 * bundle the other tests use (tests/support/use-child-bundle.ts), which runs without tsx.
 */
const FROM = {
  "its sources through tsx": { entry: "/src/graph/snapshot/in-child.ts", tsx: true },
  "its bundle": { entry: "/snapshot-child.mjs", tsx: false },
} as const;

describe("ensureSnapshotOffThread", () => {
  it.each(Object.keys(FROM) as (keyof typeof FROM)[])(
    "loads, validates and writes the snapshot in a child process run from %s, and hands back its check",
    async (from) => {
      const bundle = runChildFrom(undefined);
      expect(bundle).toMatch(/^file:\/\/.*\/snapshot-child\.mjs$/);
      if (FROM[from].tsx === false) runChildFrom(bundle);
      const dir = dataset();
      // the names the write makes on its way: its temporary file must bear this process's mark,
      // which a stop removes (a child process's own would be another, and left behind)
      const made = new Set<string>();
      const watcher = watch(dir, (_event, name) => {
        if (name) made.add(name);
      });
      let outcome: Awaited<ReturnType<typeof ensureSnapshotOffThread>>;
      // this process's children while it runs, their nice values and command lines
      const seen = new Map<number, number>();
      const commands = new Set<string>();
      // (a child of the test before, which has answered, may not have exited yet)
      const before = new Set(childrenOf(process.pid));
      let running = true;
      const look = (async () => {
        while (running) {
          for (const pid of childrenOf(process.pid).filter((pid) => !before.has(pid)))
            try {
              // this call's child, not another test file's sharing the process (a server, say)
              const command = readFileSync(`/proc/${pid}/cmdline`, "utf8");
              if (command.includes("ensureInChild(data)")) {
                seen.set(pid, getPriority(pid));
                commands.add(command);
              }
            } catch {
              // ended meanwhile
            }
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      try {
        outcome = await ensureSnapshotOffThread(dir);
      } finally {
        running = false;
        watcher.close();
        await look;
        runChildFrom(bundle);
      }
      // done in a child process, below this one's priority (a worker thread is no child), from
      // the code asked for: tsx registered only for the sources
      if (process.platform === "linux") {
        expect(seen.size).toBe(1);
        expect([...seen.values()]).toEqual([Math.min(19, getPriority() + BACKGROUND_NICE)]);
        const [command] = [...commands];
        expect(command).toContain(`${FROM[from].entry}")).ensureInChild(data)`);
        expect(command?.includes("/node_modules/tsx/")).toBe(FROM[from].tsx);
      }
      expect([...made]).toContain(`${snapshotFileName()}.${temporaryMark()}.tmp`);
      expect(outcome).toMatchObject({ from: "full load", wrote: join(dir, snapshotFileName()) });
      const expected = loadJsonGraph(dir).contentHash;
      expect(outcome.verified?.contentHash).toBe(expected);
      // the check is one this thread may take as its own (the files are the very ones checked)
      expect((await readSnapshot(dir, { verified: outcome.verified })).contentHash).toBe(expected);
      // current now: checked, not loaded again
      expect(await ensureSnapshotOffThread(dir)).toMatchObject({ from: "snapshot" });
    },
    60_000,
  );

  it("refuses an invalid dataset with the problems the validator finds on this thread", async () => {
    const dir = dataset();
    editJson(dir, "persons", (persons) => {
      persons[0].nationality.ref = "state/nowhere";
      persons[1].name.text = "";
    });
    let here: DatasetError | undefined;
    try {
      loadJsonGraph(dir);
    } catch (error) {
      here = error as DatasetError;
    }
    expect(here?.problems.length).toBeGreaterThanOrEqual(2);
    const there = await ensureSnapshotOffThread(dir).catch((error: unknown) => error);
    expect(there).toBeInstanceOf(DatasetError);
    expect((there as DatasetError).problems.map(formatProblem)).toEqual(
      here!.problems.map(formatProblem),
    );
    expect(readdirSync(dir)).not.toContain(snapshotFileName());
  }, 60_000);

  it(`refuses a dataset of thousands of problems with its first ${MAX_PROBLEMS_KEPT} and how many there were, here and from the child (red team 50, F2)`, async () => {
    // 5,000 empty persons: three problems each (an id, two fields)
    const dir = dataset();
    editJson(dir, "persons", (persons) => {
      for (let i = 0; i < 5000; i++) persons.push({});
    });
    let here: DatasetError | undefined;
    try {
      loadJsonGraph(dir);
    } catch (error) {
      here = error as DatasetError;
    }
    expect(here?.found).toBeGreaterThanOrEqual(15_000);
    expect(here!.problems).toHaveLength(MAX_PROBLEMS_KEPT);
    const [head, ...lines] = here!.message.split("\n");
    expect(head).toBe(
      `The dataset is invalid (${here!.found} problems; the first ${MAX_PROBLEMS_KEPT} below):`,
    );
    expect(lines).toEqual(here!.problems.map((problem) => `  - ${formatProblem(problem)}`));
    // the child sends the same, and no more: the count crosses with them
    const there = await ensureSnapshotOffThread(dir).catch((error: unknown) => error);
    expect(there).toBeInstanceOf(DatasetError);
    expect((there as DatasetError).found).toBe(here!.found);
    expect((there as DatasetError).problems.map(formatProblem)).toEqual(
      here!.problems.map(formatProblem),
    );
    expect((there as DatasetError).message).toBe(here!.message);
  }, 60_000);

  it("when stopped, ends the child and removes this process's temporary files of a write, not another's", async () => {
    const dir = dataset();
    // what a write stopped half-way leaves (snapshot.ts, columns.ts), and another process's
    const mark = temporaryMark();
    const ours = [
      `${SNAPSHOT_FILE}.${mark}.tmp`,
      `${SNAPSHOT_FILE}-columns-0123.${mark}.tmp`,
      `${SNAPSHOT_FILE}-columns-0123.${mark}.tmp-lock`,
    ];
    // another process's: here, and on another machine sharing the directory with the same pid
    // (each container's first process is pid 1)
    const theirs = [
      `${SNAPSHOT_FILE}.${process.pid + 1}-${mark.split("-")[1]}.tmp`,
      `${SNAPSHOT_FILE}.${process.pid}-00000000.tmp`,
    ];
    for (const name of [...ours, ...theirs]) writeFileSync(join(dir, name), "partial");
    // one that cannot be removed (a directory, where rm wants a file): the stop still ends
    const stuck = `${SNAPSHOT_FILE}-columns-4567.${mark}.tmp`;
    mkdirSync(join(dir, stuck));
    const stop = new AbortController();
    const ensured = ensureSnapshotOffThread(dir, stop.signal);
    stop.abort();
    await expect(ensured).rejects.toMatchObject({ name: "AbortError" });
    const left = readdirSync(dir);
    for (const name of ours) expect(left).not.toContain(name);
    for (const name of theirs) expect(left).toContain(name);
    expect(left).toContain(stuck);
    expect(left).not.toContain(snapshotFileName());
    // a signal already given: nothing started
    await expect(ensureSnapshotOffThread(dir, stop.signal)).rejects.toMatchObject({
      name: "AbortError",
    });
  }, 60_000);
});
