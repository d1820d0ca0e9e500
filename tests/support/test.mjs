/**
 * `npm test [-- vitest arguments]`: the lint and the type check run beside vitest, not before it.
 *
 * They used to run first, one after the other, while both cores waited: 3-4 s when nothing had
 * changed, 10-15 s after an edit under src/ (tsc re-checks what depends on it), ~25 s from
 * scratch (a fresh clone). Vitest's own start leaves a core idle for its first seconds (one file
 * runs until every worker has imported the server), and tsc is one thread, so beside it most of
 * that time is free.
 *
 * What a check prints is held back and written as one block when it ends, so that it is not cut
 * into vitest's lines: at once when it fails (the tests go on), otherwise a line saying it passed.
 * The exit code is vitest's when the checks passed, and 1 when a check failed.
 *
 * Plain JavaScript, run by node itself: loading tsx for a script this small would cost more than
 * the script.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const started = performance.now();
/** package.json's scripts: a check runs its script's command line as `npm run` would. */
const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts ?? {};

/** @type {Set<import("node:child_process").ChildProcess>} */
const children = new Set();

/**
 * Runs a command; resolves to its exit code (1 when it was killed by a signal or not started).
 * @param {string} command
 * @param {string[]} args
 * @param {{ capture?: boolean }} options
 * @returns {{ done: Promise<number>, output: () => string }}
 */
function run(command, args, { capture = false } = {}) {
  const child = spawn(command, args, {
    cwd: root,
    stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
    // the project's own commands first, as under `npm run`
    env: {
      ...process.env,
      PATH: `${join(root, "node_modules/.bin")}${delimiter}${process.env.PATH}`,
    },
  });
  children.add(child);
  let output = "";
  if (capture) {
    child.stdout?.setEncoding("utf8").on("data", (chunk) => (output += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk) => (output += chunk));
  }
  const done = new Promise((resolve) => {
    child.once("error", (error) => {
      output += `${command} could not be started: ${error.message}\n`;
      children.delete(child);
      resolve(1);
    });
    child.once("close", (code) => {
      children.delete(child);
      resolve(code ?? 1);
    });
  });
  return { done, output: () => output };
}

// a SIGTERM sent to this process (a CI timeout, `kill`) is passed on, so that no check or test
// worker outlives it. Ctrl-C and a closed terminal reach every process of the terminal's group
// already: passed on again, a second SIGINT would make vitest quit at once instead of stopping
// its workers in order, so this process only waits for them to end.
process.once("SIGTERM", () => {
  for (const child of children) child.kill("SIGTERM");
  process.exitCode = 1;
});
for (const signal of /** @type {const} */ (["SIGINT", "SIGHUP"]))
  process.on(signal, () => {
    process.exitCode = 1;
  });

/**
 * Runs package.json's `script` with its output held back; resolves to whether it passed, having
 * printed its block. (Its command line is run by `sh` as `npm run` does, without starting npm:
 * 0.3 CPU-s a check.)
 */
async function check(script) {
  const from = performance.now();
  const { done, output } =
    typeof scripts[script] === "string"
      ? run("sh", ["-c", scripts[script]], { capture: true })
      : { done: Promise.resolve(1), output: () => `package.json has no script "${script}"` };
  const code = await done;
  const seconds = ((performance.now() - from) / 1000).toFixed(1);
  if (code === 0) {
    console.log(`npm test: ${script} passed (${seconds} s)`);
    return true;
  }
  process.stderr.write(
    `\nnpm test: ${script} FAILED (exit ${code}, ${seconds} s); the tests go on:\n${output().trimEnd()}\n\n`,
  );
  return false;
}

// the lint first (a few seconds, and what a formatting slip fails on), then the type check
const checks = check("lint").then(async (linted) => (await check("typecheck")) && linted);
const tests = run(process.execPath, [
  fileURLToPath(new URL("../../node_modules/vitest/vitest.mjs", import.meta.url)),
  "run",
  ...process.argv.slice(2),
]).done;

const [checked, testsCode] = await Promise.all([checks, tests]);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (!checked) {
  console.error(`npm test: the lint or the type check failed (printed above); ${seconds} s`);
  process.exitCode = 1;
} else {
  process.exitCode ||= testsCode;
}
