/**
 * The private directories of reloads whose snapshot cannot be written in the snapshots' own
 * (src/server/private-snapshots.ts): one left by a process that is gone (killed during such a
 * reload) is removed by the next, once it is an hour old; none of a process that still runs,
 * nor a recent one, nor what is not a directory of this user's (the judgement is
 * src/graph/snapshot/owners.ts's, which the columns' private copies share).
 */
import { spawnSync } from "node:child_process";
import {
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { placeSnapshots } from "../../src/graph/snapshot/place.js";
import { readSnapshot, snapshotPath } from "../../src/graph/snapshot/snapshot.js";
import { createLogger } from "../../src/server/log.js";
import {
  ensureWritableSnapshot,
  LEFT_BEHIND_MS,
  type Nowhere,
  type PlacedSnapshot,
  PRIVATE_PREFIX,
  removeLeftBehind,
  removePrivate,
} from "../../src/server/private-snapshots.js";
import { editJson, exportToTmp, makeTmpDir, removeDir } from "../fixtures/datasets.js";

const dirs: string[] = [];
afterEach(() => {
  placeSnapshots(undefined);
  for (const dir of dirs.splice(0)) removeDir(dir);
});

/** When process `pid` started (/proc/PID/stat's 22nd field). */
const startTime = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]!;
};

describe("private snapshots left behind", () => {
  it("are removed once their process is gone and an hour has passed, and no others", () => {
    const temporary = makeTmpDir();
    dirs.push(temporary);
    // a pid no process has now: a child's, once it has exited
    const gone = spawnSync(process.execPath, ["-e", ""]).pid!;
    const now = Date.now();
    const old = (now - LEFT_BEHIND_MS - 60_000) / 1000;
    const make = (name: string, aged: boolean) => {
      const at = join(temporary, name);
      mkdirSync(join(at, "dataset-0123456789abcdef"), { recursive: true });
      writeFileSync(join(at, "dataset-0123456789abcdef", ".kz-osce-snapshot"), "bytes");
      if (aged) utimesSync(at, old, old);
      return name;
    };
    const removed = [
      make(`${PRIVATE_PREFIX}${gone}-12345-a1b2c3`, true),
      // the pid of a process that runs, but that started at another time: not the one that made it
      make(`${PRIVATE_PREFIX}${process.ppid}-1-d4e5f6`, true),
    ];
    const kept = [
      make(`${PRIVATE_PREFIX}${gone}-12345-recent`, false),
      make(`${PRIVATE_PREFIX}${process.pid}-${startTime(process.pid)}-mine00`, true),
      make(`${PRIVATE_PREFIX}${process.ppid}-${startTime(process.ppid)}-alive0`, true),
      make(`kz-osce-other-${gone}-12345-aaaaaa`, true),
      make(`${PRIVATE_PREFIX}nopid-aaaaaa`, true),
    ];
    // not a directory: a file, and a link to a directory (never followed)
    const file = `${PRIVATE_PREFIX}${gone}-12345-file00`;
    writeFileSync(join(temporary, file), "");
    utimesSync(join(temporary, file), old, old);
    const target = makeTmpDir();
    dirs.push(target);
    const link = `${PRIVATE_PREFIX}${gone}-12345-link00`;
    symlinkSync(target, join(temporary, link));
    kept.push(file, link);
    // another user's (made here as root, then given away): never touched, whatever its name says
    if (process.getuid?.() === 0) {
      const theirs = make(`${PRIVATE_PREFIX}${gone}-12345-theirs`, true);
      chownSync(join(temporary, theirs), 65534, 65534);
      kept.push(theirs);
    }
    const logged: Record<string, unknown>[] = [];
    const logger = createLogger("info", { write: (line: string) => logged.push(JSON.parse(line)) });
    removeLeftBehind(logger, temporary, now);
    for (const name of removed) expect(existsSync(join(temporary, name))).toBe(false);
    expect(readdirSync(temporary).sort()).toEqual(kept.sort());
    expect(existsSync(target)).toBe(true);
    const byDir = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      String(a.temporaryDir).localeCompare(String(b.temporaryDir));
    expect(logged.sort(byDir)).toMatchObject(
      removed
        .map((name) => ({
          msg: "removing a reload's temporary snapshot left by a process that is gone",
          temporaryDir: join(temporary, name),
        }))
        .sort(byDir),
    );
  });
});

describe("a primary asked again for a dataset whose snapshot it wrote in a temporary directory", () => {
  const logged: Record<string, unknown>[] = [];
  const logger = createLogger("info", { write: (line: string) => logged.push(JSON.parse(line)) });
  const never = new AbortController().signal;
  const placed = (answer: PlacedSnapshot | Nowhere): PlacedSnapshot => {
    if ("nowhere" in answer) throw new Error(answer.nowhere);
    return answer;
  };
  /**
   * A dataset whose snapshots' directory is read-only (for the test that calls this: each test's
   * end sets it back), and its first temporary snapshot, loaded in full. Made once, by whichever
   * test runs first, and shared: the first test only asks for it and reads it; the second then
   * damages it (each load, in a child process, is most of what a test costs).
   */
  let made: Promise<{ dir: string; first: PlacedSnapshot }> | undefined;
  const start = () => {
    // /proc/self: a directory no process may make one in, root included
    placeSnapshots("/proc/self/kz-osce-snapshots");
    made ??= (async () => {
      const dir = exportToTmp();
      shared.push(dir);
      const first = placed(await ensureWritableSnapshot(dir, never, logger));
      expect(first).toMatchObject({ from: "full load" });
      expect(first.wrote).toBeDefined();
      shared.push(first.placedIn!);
      return { dir, first };
    })();
    return made;
  };
  const shared: string[] = [];
  afterAll(() => {
    for (const dir of shared.splice(0)) removeDir(dir);
  });

  // review 16a, finding 3: each worker's recovery asked the primary, which loaded the whole
  // dataset into a new temporary directory each time
  it("checks the one it made last and answers it while it is current: three asks, one load", async () => {
    const { dir, first } = await start();
    const again: PlacedSnapshot[] = [];
    for (let i = 0; i < 3; i++)
      again.push(
        placed(await ensureWritableSnapshot(dir, never, logger, { reuse: first.placedIn })),
      );
    for (const answer of again) {
      expect(answer).toMatchObject({ from: "snapshot", placedIn: first.placedIn });
      expect(answer.wrote).toBeUndefined();
    }
    const loads = [first, ...again].filter((answer) => answer.from === "full load");
    expect(loads).toHaveLength(1);
    expect(readdirSync(first.placedIn!).length).toBeGreaterThan(0);
    // the answer reads as the workers read it: from that directory, with its check
    const graph = await readSnapshot(dir, {
      verified: again[2]!.verified,
      placedIn: first.placedIn,
    });
    expect(graph.dataset.persons.length).toBeGreaterThan(0);
  }, 120_000);

  it("loads into a new one when the one made last is damaged, or the dataset changed, and leaves that one to its caller", async () => {
    const { dir, first } = await start();
    // truncated in place (what makes a worker's read fail while served)
    const file = snapshotPath(dir, first.placedIn);
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const mended = placed(
      await ensureWritableSnapshot(dir, never, logger, { reuse: first.placedIn }),
    );
    dirs.push(mended.placedIn!);
    expect(mended).toMatchObject({ from: "full load" });
    expect(mended.placedIn).not.toBe(first.placedIn);
    expect(existsSync(first.placedIn!)).toBe(true);
    expect(
      logged.filter((l) => l.msg === "reloading: the temporary snapshot made last is not current"),
    ).toHaveLength(1);
    removePrivate(first.placedIn!, logger);

    editJson(dir, "persons", (persons) => (persons[0].name.text += " Jr."));
    const changed = placed(
      await ensureWritableSnapshot(dir, never, logger, { reuse: mended.placedIn }),
    );
    dirs.push(changed.placedIn!);
    expect(changed).toMatchObject({ from: "full load" });
    expect(changed.placedIn).not.toBe(mended.placedIn);
    removePrivate(mended.placedIn!, logger);
  }, 120_000);
});
