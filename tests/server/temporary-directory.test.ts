/**
 * A temporary directory (TMPDIR) the server cannot use (red team 12, F9): missing, a file, or one
 * its user may not write in. tsx caches the code it compiles there, so `npm start` died inside
 * tsx, before any of the server's code ran, with tsx's stack trace (`Error: EACCES: permission
 * denied, mkdir '/tmp/ro/tsx-65534'`); as root, tsx made a missing one and the server started.
 * src/server/temporary-directory.mjs, imported before tsx by `npm start` (and its `prestart`),
 * refuses the start with one line naming the directory, its problem and what to do.
 *
 * The real command lines, read from package.json. A mode shuts out no one when run as root, so
 * run as root the start in a directory of mode 555 runs as `nobody` (uid 65534), as a service
 * does (as unreadable-dataset.test does).
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTmpDir, removeDir } from "../fixtures/datasets.js";
import { childEnv, runNode } from "../support/processes.js";
import { SERVICE_USER, serviceUserReaches } from "../support/service-user.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SCRIPTS = (
  JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  }
).scripts;
/** Who runs the start in a directory it may not write in: `nobody` when the tests run as root. */
const AS = SERVICE_USER;
const reachable = serviceUserReaches(ROOT);
if (!reachable)
  console.warn(
    `temporary-directory.test: a directory of mode 555 skipped: uid ${AS.uid} cannot reach ${ROOT}, so it cannot run the server's code as that user`,
  );

let base: string;
beforeAll(() => {
  base = makeTmpDir();
  // reachable by the server's user (a temporary directory is made 700)
  chmodSync(base, 0o755);
});
afterAll(() => removeDir(base));

/**
 * npm's script `name` (`node ...` without its `node`), run to its end with TMPDIR `temporary`.
 * With a port that is no port, so that a start that is not refused ends too (refused for it).
 */
function run(name: "start" | "prestart" | "dev", temporary: string, as: { uid?: number } = {}) {
  const [node, ...args] = SCRIPTS[name]!.split(" ");
  expect(node).toBe("node");
  return runNode([...args, ...(name === "prestart" ? [] : ["--port", "none"])], {
    cwd: ROOT,
    env: childEnv({ TMPDIR: temporary, HOME: base }),
    ...as,
  });
}

/** The refusal: one line, no stack trace, exit code 1. */
function expectRefused(
  result: { status: number | null; stdout: string; stderr: string },
  line: RegExp,
): void {
  expect(result.status, result.stderr).toBe(1);
  expect(result.stderr).toMatch(line);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stdout).toBe("");
}

describe("a temporary directory the server cannot use", () => {
  it("that does not exist refuses the start (and its prestart, and npm run dev), saying to make it or set TMPDIR", async () => {
    const missing = join(base, "missing");
    // (npm run dev died with tsx's stack: it ran tsx's command, without the check)
    for (const name of ["start", "prestart", "dev"] as const)
      expectRefused(
        await run(name, missing),
        new RegExp(
          `^kz-osce-graph: TMPDIR=${missing} does not exist: make it \\(mkdir -m 1777 ${missing}\\), or set TMPDIR to a directory this user \\(uid \\d+, gid \\d+\\) can write \\(tsx caches`,
        ),
      );
    // not made (tsx, run as root, made it)
    expect(readdirSync(base)).not.toContain("missing");
  });

  it("that is a file refuses the start", async () => {
    const file = join(base, "a-file");
    writeFileSync(file, "");
    expectRefused(
      await run("start", file),
      new RegExp(`^kz-osce-graph: TMPDIR=${file} is not a directory: set TMPDIR to a directory`),
    );
  });

  it.skipIf(!reachable)(
    "that its user may not write in refuses the start, naming its mode and owner, the user, and what to give it",
    async () => {
      const closed = join(base, "closed");
      mkdirSync(closed);
      chmodSync(closed, 0o555);
      expectRefused(
        await run("start", closed, AS),
        new RegExp(
          `^kz-osce-graph: TMPDIR=${closed} does not let this process make files in it: it is mode 555, owned by uid ${process.getuid!()} and gid ${process.getgid!()}: give this user write and search permission on it .*, or set TMPDIR to a directory this user \\(uid ${AS.uid ?? process.getuid!()}, gid ${AS.gid ?? process.getgid!()}\\) can write`,
        ),
      );
    },
  );

  it("that is full only warns, and the start goes on (another failure to write is refused)", async () => {
    // (review 16b: refused on ENOSPC, a server whose crash loop filled TMPDIR with its columns
    // copies could never start again to sweep them)
    const { temporaryDirectoryProblem } = await import("../../src/server/temporary-directory.mjs");
    const failing = (code: string) => () => {
      throw Object.assign(new Error(`${code}: the test's failure`), { code });
    };
    for (const code of ["ENOSPC", "EDQUOT"]) {
      const warnings: string[] = [];
      expect(temporaryDirectoryProblem(failing(code), (warning) => warnings.push(warning))).toBe(
        undefined,
      );
      expect(warnings).toEqual([expect.stringMatching(`is full \\(${code}\\): starting anyway`)]);
    }
    expect(temporaryDirectoryProblem(failing("EIO"))).toMatch(/cannot be written in \(EIO: /);
  });

  it("that can be used is left as it was", async () => {
    const usable = join(base, "usable");
    mkdirSync(usable);
    const checked = await runNode(["src/server/temporary-directory.mjs"], {
      cwd: ROOT,
      env: childEnv({ TMPDIR: usable }),
    });
    expect(checked.status, checked.stderr).toBe(0);
    expect(checked.stderr).toBe("");
    expect(readdirSync(usable)).toEqual([]);
  });
});
