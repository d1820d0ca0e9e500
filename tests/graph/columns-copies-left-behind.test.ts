/**
 * The private copies of mapped columns files (columns.ts, mapPrivateCopies) that a process killed
 * between a copy and its removal leaves in TMPDIR (SIGKILL, the OOM killer: 17.8 MB each at 100k
 * entities, about 155 MiB at a million, never removed by anyone, so that a crash loop filled
 * TMPDIR): the next process that copies removes them, once unchanged for COPY_LEFT_BEHIND_MS, and
 * never the copy of a process that still runs, however old. The kill and the hold are real, at
 * the one place between the copy and its removal (tests/support/columns-copy-hook.ts).
 */
import { type ChildProcess, spawn } from "node:child_process";
import {
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadJsonGraph } from "../../src/graph/load.js";
import { SearchIndex } from "../../src/graph/search.js";
import {
  COPY_LEFT_BEHIND_MS,
  COPY_PREFIX,
  removeCopiesLeftBehind,
  sweepIfDue,
} from "../../src/graph/snapshot/columns.js";
import { writeSnapshot } from "../../src/graph/snapshot/snapshot.js";
import { exportToTmp, MAPPED_COLUMNS, makeTmpDir, removeDir } from "../fixtures/datasets.js";
import { runNode } from "../support/processes.js";
import { bundled } from "../support/server-bundle.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
// from their bundles (tests/support/server-bundle.ts): through tsx, whose cache is kept in TMPDIR,
// each child, with a TMPDIR of its own, compiled its modules anew (1.2-1.6 CPU-s a child)
const CHILD = ["--import", pathToFileURL(bundled("columns-copy-hook")).href];
const SCRIPT = bundled("read-snapshot-child");

let data: string;
const dirs: string[] = [];
const children: ChildProcess[] = [];

beforeAll(() => {
  data = exportToTmp();
  const truth = loadJsonGraph(data);
  // its columns in a mapped file (17 MiB), as at a million entities: what a process copies
  writeSnapshot(data, truth, SearchIndex.build(truth), undefined, MAPPED_COLUMNS);
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) removeDir(dir);
});
afterAll(() => rmSync(data, { recursive: true, force: true }));

/** A temporary directory for a child's TMPDIR. */
function temporaryDir(): string {
  const dir = makeTmpDir();
  dirs.push(dir);
  return dir;
}

/** The private copies' directories in `temporary`. */
const copies = (temporary: string) =>
  readdirSync(temporary).filter((name) => name.startsWith(COPY_PREFIX));

/** When process `pid` started (/proc/PID/stat's 22nd field). */
const startTime = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]!;
};

/** Sets `dir`'s modification time back past COPY_LEFT_BEHIND_MS (a minute more). */
function age(dir: string, byMs = COPY_LEFT_BEHIND_MS + 60_000): void {
  const then = (Date.now() - byMs) / 1000;
  utimesSync(dir, then, then);
}

const COPIED = /test hook: columns copied to (\S+) by (\d+)\n/;

describe("private copies of columns files left behind", () => {
  it("one left by a process killed between its copy and its removal is removed by the next process that copies", async () => {
    const temporary = temporaryDir();
    const killed = await runNode([...CHILD, SCRIPT, data], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: temporary, KZ_OSCE_TEST_AFTER_COLUMNS_COPY: "kill" },
    });
    expect(killed.status, killed.stderr).toBeNull();
    const [, copy, pid] = COPIED.exec(killed.stdout) ?? [];
    expect(copy, killed.stdout + killed.stderr).toBeDefined();
    // left whole, in a directory named after the process that made it
    const left = dirname(copy!);
    expect(copies(temporary)).toEqual([basename(left)]);
    expect(basename(left)).toMatch(new RegExp(`^${COPY_PREFIX}${pid}-\\d+-`));
    expect(statSync(copy!).size).toBeGreaterThan(17 * 2 ** 20);

    // changed too recently: it could be another pid namespace's copy in use
    expect(removeCopiesLeftBehind(temporary)).toEqual([]);
    expect(existsSync(copy!)).toBe(true);

    age(left);
    const next = await runNode([...CHILD, SCRIPT, data], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: temporary, KZ_OSCE_TEST_AFTER_COLUMNS_COPY: "" },
    });
    expect(next.status, next.stdout + next.stderr).toBe(0);
    expect(next.stdout).toContain(`read ${data}`);
    // the one left behind is gone, and the new process's own once mapped
    expect(existsSync(left)).toBe(false);
    expect(copies(temporary)).toEqual([]);
  });

  it("the copy of a process that still runs is kept, however old", async () => {
    const temporary = temporaryDir();
    const go = join(temporaryDir(), "go");
    const child = spawn(process.execPath, [...CHILD, SCRIPT, data], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: temporary, KZ_OSCE_TEST_AFTER_COLUMNS_COPY: `hold:${go}` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let out = "";
    const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
    const copied = new Promise<RegExpExecArray>((resolve, reject) => {
      const look = (chunk: string) => {
        out += chunk;
        const match = COPIED.exec(out);
        if (match) resolve(match);
      };
      child.stdout!.setEncoding("utf8").on("data", look);
      child.stderr!.setEncoding("utf8").on("data", look);
      void exited.then(() => reject(new Error(`the child exited before its copy:\n${out}`)));
    });
    const [, copy] = await copied;
    const held = dirname(copy!);
    // named after the child: its pid and its start time
    expect(basename(held)).toMatch(
      new RegExp(`^${COPY_PREFIX}${child.pid}-${startTime(child.pid!)}-`),
    );
    age(held, 24 * 60 * 60 * 1000);
    expect(removeCopiesLeftBehind(temporary)).toEqual([]);
    expect(existsSync(copy!)).toBe(true);

    writeFileSync(go, "");
    expect(await exited, out).toBe(0);
    expect(out).toContain(`read ${data}`);
    // the child removed its own once mapped
    expect(copies(temporary)).toEqual([]);
  });
});

describe("the sweep for copies left behind", () => {
  it("runs at a process's first copy, then at most once a minute (it reads the whole of TMPDIR on the serving thread)", () => {
    // (review 16b: 0.42-1.08 s with 200,000 entries in TMPDIR, before every copy, at every reload)
    const root = makeTmpDir();
    try {
      const now = Date.now() + 365 * 24 * 3600_000;
      expect(sweepIfDue(now, root)).toBe(true);
      expect(sweepIfDue(now + 1, root)).toBe(false);
      expect(sweepIfDue(now + COPY_LEFT_BEHIND_MS - 1, root)).toBe(false);
      expect(sweepIfDue(now + COPY_LEFT_BEHIND_MS, root)).toBe(true);
    } finally {
      removeDir(root);
    }
  });
});
