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
 * A script for `node -e` that creates the file `mine` and waits (up to 20 s, then exits 9) until
 * the file `theirs` exists: two of them only both finish when they run at the same time.
 */
function meet(mine: string, theirs: string): string {
  return [
    `const fs = require("fs");`,
    `fs.writeFileSync(${JSON.stringify(mine)}, "");`,
    `const until = Date.now() + 20000;`,
    `const look = () => fs.existsSync(${JSON.stringify(theirs)}) ? finish() : Date.now() > until ? process.exit(9) : setTimeout(look, 20);`,
    `look();`,
  ].join(" ");
}

interface Project {
  dir: string;
  run(args?: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A project whose scripts run the given JavaScript (`finish()` ends each as it should). */
function project(scripts: { lint: string; typecheck: string; vitest: string }): Project {
  const dir = mkdtempSync(join(tmpdir(), "kz-npm-test-"));
  dirs.push(dir);
  mkdirSync(join(dir, "tests/support"), { recursive: true });
  mkdirSync(join(dir, "node_modules/vitest"), { recursive: true });
  copyFileSync(RUNNER, join(dir, "tests/support/test.mjs"));
  const script = (name: string, body: string) => {
    writeFileSync(join(dir, `${name}.cjs`), body);
    return `node ${name}.cjs`;
  };
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "npm-test-runner-check",
      private: true,
      scripts: {
        lint: script("lint", scripts.lint),
        typecheck: script("typecheck", scripts.typecheck),
      },
    }),
  );
  writeFileSync(join(dir, "node_modules/vitest/vitest.mjs"), scripts.vitest);
  return {
    dir,
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
      lint: `console.log("lint output"); process.exit(0);`,
      typecheck: `function finish() { console.log("src/x.ts(1,1): error TS2322: not a number"); process.exit(2); } ${meet(checking, testing)}`,
      // (an ES module: `require` is made for the shared script)
      vitest: `import { createRequire } from "node:module"; const require = createRequire(import.meta.url); function finish() { console.log("vitest was asked: " + process.argv.slice(2).join(" ")); process.exit(0); } ${meet(testing, checking)}`,
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
      lint: `console.log("web/src/a.ts format"); process.exit(1);`,
      typecheck: `console.log("typecheck ran"); process.exit(0);`,
      vitest: `process.exit(0);`,
    });
    const { code, stdout, stderr } = await run();
    expect(stderr).toMatch(/npm test: lint FAILED \(exit 1/);
    expect(stderr).toContain("web/src/a.ts format");
    expect(stdout).toMatch(/npm test: typecheck passed/);
    expect(code).toBe(1);
  });

  it("exits with vitest's code when the checks passed", async () => {
    const { run } = project({
      lint: `process.exit(0);`,
      typecheck: `process.exit(0);`,
      vitest: `console.log("1 failed"); process.exit(3);`,
    });
    const { code, stdout, stderr } = await run();
    expect(stdout).toContain("1 failed");
    expect(stdout).toMatch(/npm test: lint passed[\s\S]*npm test: typecheck passed/);
    expect(stderr).toBe("");
    expect(code).toBe(3);
  });
});
