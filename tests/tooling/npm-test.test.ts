/**
 * `npm test`'s runner (tests/support/test.mjs), run in a project of its own where `lint`,
 * `typecheck` and vitest are small scripts that say what they were asked and meet each other:
 * the checks must run beside the tests (not before them), a failed check must be printed and
 * fail the run though every test passed, and vitest's own exit code and arguments must come
 * through.
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const RUNNER = fileURLToPath(new URL("../support/test.mjs", import.meta.url));

/**
 * Shell commands that create the file `mine` and wait (up to ~20 s, then exit 9) until the file
 * `theirs` exists, then run `then`: two of them only both finish when they run at the same time.
 */
function meet(mine: string, theirs: string, then: string): string {
  return `touch '${mine}'; n=0; while [ ! -f '${theirs}' ]; do n=$((n+1)); [ $n -gt 1000 ] && exit 9; sleep 0.02; done; ${then}`;
}

interface Project {
  run(args?: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * A project whose `lint` and `typecheck` are the shell commands given, and whose vitest
 * (node_modules/vitest/vitest.mjs, which the runner starts with node) runs the shell commands
 * `vitest` with its arguments in `$ARGS`.
 */
function project(scripts: { lint: string; typecheck: string; vitest: string }): Project {
  const dir = mkdtempSync(join(tmpdir(), "kz-npm-test-"));
  dirs.push(dir);
  mkdirSync(join(dir, "tests/support"), { recursive: true });
  mkdirSync(join(dir, "node_modules/vitest"), { recursive: true });
  copyFileSync(RUNNER, join(dir, "tests/support/test.mjs"));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "npm-test-runner-check",
      private: true,
      scripts: { lint: scripts.lint, typecheck: scripts.typecheck },
    }),
  );
  writeFileSync(
    join(dir, "node_modules/vitest/vitest.mjs"),
    [
      `import { spawnSync } from "node:child_process";`,
      `const args = process.argv.slice(2).join(" ");`,
      `const run = spawnSync("sh", ["-c", ${JSON.stringify(scripts.vitest)}], { stdio: "inherit", env: { ...process.env, ARGS: args } });`,
      `process.exit(run.status ?? 1);`,
    ].join("\n"),
  );
  return {
    run: (args = []) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [join(dir, "tests/support/test.mjs"), ...args], {
          cwd: dir,
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        child.once("error", reject);
        child.once("close", (code) => resolve({ code, stdout, stderr }));
      }),
  };
}

describe("npm test's runner", () => {
  it("runs the type check beside vitest, and fails the run with the check's output when it fails", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kz-npm-test-marks-"));
    dirs.push(dir);
    const checking = join(dir, "typecheck-started");
    const testing = join(dir, "vitest-started");
    const { run } = project({
      lint: `echo "lint output"`,
      typecheck: meet(
        checking,
        testing,
        `echo "src/x.ts(1,1): error TS2322: not a number"; exit 2`,
      ),
      vitest: meet(testing, checking, `echo "vitest was asked: $ARGS"`),
    });
    const { code, stdout, stderr } = await run(["--reporter=json", "tests/a.test.ts"]);
    // with the checks before the tests, the type check would have waited for vitest in vain (exit 9)
    expect(stderr).not.toMatch(/exit 9/);
    expect(stdout).toContain("vitest was asked: run --reporter=json tests/a.test.ts");
    expect(stdout).toMatch(/npm test: lint passed/);
    // a lint's output is not shown when it passed; the failed check's is, whole
    expect(stdout + stderr).not.toContain("lint output");
    expect(stderr).toMatch(/npm test: typecheck FAILED \(exit 2/);
    expect(stderr).toContain("src/x.ts(1,1): error TS2322: not a number");
    expect(stderr).toMatch(/the lint or the type check failed/);
    expect(code).toBe(1);
  });

  it("runs the type check when the lint failed, and fails the run", async () => {
    const { run } = project({
      lint: `echo "web/src/a.ts format"; exit 1`,
      typecheck: `echo "typecheck ran"`,
      vitest: `true`,
    });
    const { code, stdout, stderr } = await run();
    expect(stderr).toMatch(/npm test: lint FAILED \(exit 1/);
    expect(stderr).toContain("web/src/a.ts format");
    expect(stdout).toMatch(/npm test: typecheck passed/);
    expect(code).toBe(1);
  });

  it("exits with vitest's code when the checks passed", async () => {
    const { run } = project({
      lint: `true`,
      typecheck: `true`,
      vitest: `echo "1 failed"; exit 3`,
    });
    const { code, stdout, stderr } = await run();
    expect(stdout).toContain("1 failed");
    expect(stdout).toMatch(/npm test: lint passed[\s\S]*npm test: typecheck passed/);
    expect(stderr).toBe("");
    expect(code).toBe(3);
  });
});
