/**
 * The primary's loads for its workers' reloads (src/server/cluster.ts, `sharedLoads`): one load
 * for every worker that asks while it runs; a load that fails while the dataset's files change
 * is done again, so that a worker that joined it for a later change does not keep a refusal of
 * files already mended. The dataset here is a fake: what matters is when its files change.
 */
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DatasetError, MAX_PROBLEMS_KEPT } from "../../src/graph/problems.js";
import type { EnsuredSnapshot } from "../../src/graph/snapshot/off-thread.js";
import { failedSnapshotAnswer, sharedLoads, snapshotOfReply } from "../../src/server/cluster.js";
import { datasetFiles } from "../../src/server/dataset-files.js";
import { createLogger } from "../../src/server/log.js";
import { RELOAD_TIMED_OUT } from "../../src/server/reload-codes.js";
import { makeTmpDir, removeDir } from "../fixtures/datasets.js";

const REFUSED = new DatasetError([
  { file: "persons.json", entity: "person/x", message: 'unknown state "state/y"' },
]);
const LOADED: EnsuredSnapshot = {
  from: "full load",
  wrote: "/data/.kz-osce-snapshot",
  durationMs: 1,
};

/** A dataset whose files are `version`, and loads that answer as `outcomes` say, in turn. */
function fakeDataset(outcomes: ((dataset: { version: number }) => EnsuredSnapshot | Error)[]) {
  const dataset = { version: 0, loads: 0 };
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("info", { write: (line) => lines.push(JSON.parse(line)) });
  const abort = new AbortController();
  const loads = sharedLoads(
    {
      files: () => `v${dataset.version}`,
      async ensure() {
        const outcome = outcomes[dataset.loads++]!;
        // a turn of the event loop, as a load in a worker thread takes many
        await new Promise((resolve) => setImmediate(resolve));
        const result = outcome(dataset);
        if (result instanceof Error) throw result;
        return result;
      },
    },
    logger,
    abort.signal,
    60_000,
  );
  return { dataset, loads, lines, abort };
}

describe("the primary's loads for its workers' reloads", () => {
  it("are one load for every worker that asks while it runs, and a new one for a worker that asks after", async () => {
    const { dataset, loads } = fakeDataset([() => LOADED, () => LOADED]);
    const asked = [loads.ensure(), loads.ensure(), loads.ensure()];
    expect(loads.running()).toBeDefined();
    expect(await Promise.all(asked)).toEqual([LOADED, LOADED, LOADED]);
    expect(dataset.loads).toBe(1);
    expect(loads.running()).toBeUndefined();
    await loads.ensure();
    expect(dataset.loads).toBe(2);
  });

  it("load again when the dataset is refused while its files change, and give every worker that joined the last load's outcome", async () => {
    // the files change during the first load (a copy landing, mended a moment later)
    const { dataset, loads, lines } = fakeDataset([
      (d) => {
        d.version++;
        return REFUSED;
      },
      () => LOADED,
    ]);
    const asked = [loads.ensure(), loads.ensure()];
    expect(await Promise.all(asked)).toEqual([LOADED, LOADED]);
    expect(dataset.loads).toBe(2);
    expect(
      lines.find(
        (l) =>
          l.msg === "reload for the workers: the dataset changed during its load: loading it again",
      ),
    ).toMatchObject({ attempt: 1, error: "refused" });
  });

  it("pass a refusal on when the files did not change during the load, after one load", async () => {
    const { dataset, loads, lines } = fakeDataset([() => REFUSED, () => LOADED]);
    const asked = [loads.ensure(), loads.ensure()];
    for (const outcome of await Promise.allSettled(asked))
      expect(outcome).toEqual({ status: "rejected", reason: REFUSED });
    expect(dataset.loads).toBe(1);
    expect(lines.map((l) => l.msg)).toContain(
      "reload for the workers: the dataset is refused (each worker logs why)",
    );
  });

  it("give up after three loads of a dataset that keeps changing, and pass on the last failure", async () => {
    const failing = (d: { version: number }) => {
      d.version++;
      return new Error(`load ${d.version} failed`);
    };
    const { dataset, loads, lines } = fakeDataset([failing, failing, failing, () => LOADED]);
    await expect(loads.ensure()).rejects.toThrow("load 3 failed");
    expect(dataset.loads).toBe(3);
    expect(lines.find((l) => l.msg === "reload for the workers: the load failed")).toMatchObject({
      level: "warn",
      error: "load 3 failed",
    });
  });

  it("do not load again once stopped (the primary shutting down)", async () => {
    const { dataset, loads, abort } = fakeDataset([
      (d) => {
        d.version++;
        abort.abort();
        return Object.assign(new Error("stopped before it finished"), { name: "AbortError" });
      },
      () => LOADED,
    ]);
    await expect(loads.ensure()).rejects.toMatchObject({ name: "AbortError" });
    expect(dataset.loads).toBe(1);
  });
});

describe("the dataset's files, as the primary compares them before and after a load", () => {
  it("follow a link to a file, not a link to a directory: a link to the directory itself is no loop", () => {
    const dir = makeTmpDir();
    const outside = makeTmpDir();
    try {
      writeFileSync(join(dir, "persons.json"), "[]");
      mkdirSync(join(dir, "texts"));
      writeFileSync(join(dir, "texts", "a.txt"), "A text.");
      writeFileSync(join(outside, "b.txt"), "B.");
      // a link back up: readdirSync's recursive walk followed it forty levels down (two such
      // links: without end)
      symlinkSync(".", join(dir, "here"));
      symlinkSync(outside, join(dir, "elsewhere"));
      symlinkSync(join(outside, "b.txt"), join(dir, "texts", "b.txt"));
      const before = datasetFiles(dir);
      expect(before.split("\n").map((line) => line.split(" ")[0])).toEqual([
        "persons.json",
        "texts/a.txt",
        "texts/b.txt",
      ]);
      // a file read through a link: its target's identity, so a write to the target is a change
      writeFileSync(join(outside, "b.txt"), "B, rewritten.");
      expect(datasetFiles(dir)).not.toBe(before);
    } finally {
      removeDir(dir);
      removeDir(outside);
    }
  });

  it("change with any file written, added, removed or renamed, in subdirectories too, and not with editors' junk or snapshots", () => {
    const dir = makeTmpDir();
    try {
      mkdirSync(join(dir, "texts"));
      writeFileSync(join(dir, "persons.json"), "[]");
      writeFileSync(join(dir, "texts", "a.txt"), "A text.");
      let seen = datasetFiles(dir);
      const changes = (change: () => void) => {
        change();
        const now = datasetFiles(dir);
        const changed = now !== seen;
        seen = now;
        return changed;
      };
      expect(changes(() => writeFileSync(join(dir, "persons.json"), "[ ]"))).toBe(true);
      // the same bytes written again: its change time moves
      expect(changes(() => writeFileSync(join(dir, "persons.json"), "[ ]"))).toBe(true);
      expect(changes(() => writeFileSync(join(dir, "texts", "b.txt"), "B."))).toBe(true);
      expect(
        changes(() => renameSync(join(dir, "texts", "b.txt"), join(dir, "texts", "c.txt"))),
      ).toBe(true);
      expect(changes(() => rmSync(join(dir, "texts", "c.txt")))).toBe(true);
      expect(changes(() => writeFileSync(join(dir, ".persons.json.swp"), "vim"))).toBe(false);
      expect(changes(() => writeFileSync(join(dir, ".kz-osce-snapshot"), "snapshot"))).toBe(false);
      expect(
        changes(() => writeFileSync(join(dir, ".kz-osce-snapshot-v0123456789ab"), "snapshot")),
      ).toBe(false);
      expect(changes(() => mkdirSync(join(dir, ".git")))).toBe(false);
      expect(changes(() => writeFileSync(join(dir, ".git", "HEAD"), "ref"))).toBe(false);
      expect(changes(() => undefined)).toBe(false);
    } finally {
      removeDir(dir);
    }
  });

  it("stop a load at the reload's bound (KZ_OSCE_RELOAD_TIMEOUT_MS), tell every worker that joined it so, and load anew for the next", async () => {
    // with --workers only each worker's wait was bounded: a child wedged for good went on, and
    // every later reload joined it, to run out of time in turn
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger("info", { write: (line) => lines.push(JSON.parse(line)) });
    /** The signal the wedged load was given. */
    let wedged!: (signal: AbortSignal) => void;
    const asked = new Promise<AbortSignal>((resolve) => (wedged = resolve));
    let calls = 0;
    const loads = sharedLoads(
      {
        files: () => "v0",
        // the first load never answers unless stopped (as a child killed by its signal rejects)
        ensure(signal) {
          if (++calls > 1) return Promise.resolve(LOADED);
          wedged(signal);
          return new Promise((_, reject) =>
            signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
          );
        },
      },
      logger,
      new AbortController().signal,
      // a unit's bound: nothing else runs here, and the test's own timeout is 60 s
      1000,
    );
    const joined = [loads.ensure(), loads.ensure()];
    const signal = await asked;
    const settled = await Promise.allSettled(joined);
    const MESSAGE =
      "the primary's load for the workers' reload did not finish within 1000 ms (KZ_OSCE_RELOAD_TIMEOUT_MS): it was stopped";
    for (const outcome of settled)
      expect(outcome).toMatchObject({
        status: "rejected",
        reason: { message: MESSAGE, code: RELOAD_TIMED_OUT },
      });
    expect(signal.aborted).toBe(true);
    expect(calls).toBe(1);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "error",
        msg: "reload for the workers failed: every worker keeps its graph",
        error: MESSAGE,
      }),
    );
    // the next reload is a load of its own, not the wedged one joined
    expect(loads.running()).toBeUndefined();
    expect(await loads.ensure()).toEqual(LOADED);
    expect(calls).toBe(2);
    // and each worker is told the code with the message: the primary's answer, as the worker reads it
    const reason = (settled[0] as PromiseRejectedResult).reason;
    expect(() => snapshotOfReply(failedSnapshotAnswer(1, reason))).toThrow(
      expect.objectContaining({
        code: RELOAD_TIMED_OUT,
        message: `the primary could not make the snapshot current: ${MESSAGE}`,
      }),
    );
    // (and no other failure is called so)
    expect(() => snapshotOfReply(failedSnapshotAnswer(2, new Error("load 1 failed")))).toThrow(
      expect.not.objectContaining({ code: RELOAD_TIMED_OUT }),
    );
  }, 60_000);

  it(`tells each worker a refused dataset's first ${MAX_PROBLEMS_KEPT} problems and how many there were (red team 50, F2)`, () => {
    const problems = Array.from({ length: 5000 }, (_, i) => ({
      file: "/data/persons.json",
      entity: `[${i}]`,
      message: "must be an object",
    }));
    const refused = new DatasetError(problems);
    expect(refused.problems).toHaveLength(MAX_PROBLEMS_KEPT);
    expect(refused.found).toBe(5000);
    const answer = failedSnapshotAnswer(1, refused);
    // the message to the worker holds the first ones alone
    expect(answer).toMatchObject({ problems: problems.slice(0, MAX_PROBLEMS_KEPT), found: 5000 });
    let told: unknown;
    try {
      snapshotOfReply(answer);
    } catch (error) {
      told = error;
    }
    expect(told).toBeInstanceOf(DatasetError);
    expect(told).toMatchObject({ found: 5000, message: refused.message });
    expect((told as DatasetError).problems).toEqual(refused.problems);
  });
});
