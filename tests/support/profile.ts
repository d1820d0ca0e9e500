/**
 * `npm run test:profile [-- vitest arguments]`: runs the tests (all, or the files named) and
 * prints what each file cost, most expensive first, with totals per directory and for the whole
 * run. CPU-seconds (user + system of the file's worker and every process under it) are the
 * figure to compare on a machine shared with other work; wall seconds depend on the load.
 *
 * The whole run's figure is what the run's processes spent as `/usr/bin/time` counts it (the
 * children vitest reaped, and theirs) plus Chromium's share of the files: a worker's Chromium is
 * ended when the worker exits and reaped by init, so `/usr/bin/time npm test` never sees it.
 *
 * `--json FILE` also writes the table as JSON (for a before/after comparison). `--tests` also
 * prints the costliest tests (the 40 that cost most CPU, from their `beforeEach` to `afterEach`).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

interface FileCost {
  /** The test's name under its file's, for a test's line. */
  test?: string;
  file: string;
  cpu: number;
  /** The part of `cpu` spent in Chromium. */
  browser: number;
  wall: number;
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** CPU-seconds of the children this process has reaped (and so of all their descendants). */
function reapedChildrenCpuSeconds(): number {
  const text = readFileSync("/proc/self/stat", "utf8");
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

const args = process.argv.slice(2);
const jsonAt = args.indexOf("--json");
const jsonFile = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : undefined;
const testsAt = args.indexOf("--tests");
const perTest = testsAt >= 0 && args.splice(testsAt, 1).length === 1;

const dir = mkdtempSync(join(tmpdir(), "test-profile-"));
const started = performance.now();
const code = await new Promise<number | null>((resolve) => {
  const child = spawn(
    process.execPath,
    [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", ...args],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TEST_PROFILE_DIR: dir,
        ...(perTest ? { TEST_PROFILE_TESTS: "1" } : {}),
      },
      stdio: "inherit",
    },
  );
  child.once("close", resolve);
});
const wall = (performance.now() - started) / 1000;
const cpu = reapedChildrenCpuSeconds();

const lines: FileCost[] = readdirSync(dir)
  .flatMap((name) => readFileSync(join(dir, name), "utf8").trim().split("\n"))
  .filter(Boolean)
  .map((line) => JSON.parse(line) as FileCost)
  .map((cost) => ({ ...cost, file: relative(ROOT, cost.file) }))
  .sort((a, b) => b.cpu - a.cpu);
const files = lines.filter((line) => line.test === undefined);
const tests = lines.filter((line) => line.test !== undefined);
rmSync(dir, { recursive: true, force: true });

const groups = new Map<string, FileCost>();
for (const { file, cpu, browser, wall } of files) {
  const group = file.split("/").slice(0, 2).join("/");
  const sum = groups.get(group) ?? { file: group, cpu: 0, browser: 0, wall: 0 };
  groups.set(group, {
    file: group,
    cpu: sum.cpu + cpu,
    browser: sum.browser + browser,
    wall: sum.wall + wall,
  });
}

const number = (n: number) => (Number.isNaN(n) ? "" : n.toFixed(1)).padStart(8);
const row = (name: string, cpu: number, browser: number, wallSeconds: number) =>
  `${name.padEnd(48)}${number(cpu)}  ${number(browser)}${number(wallSeconds)}`;
const head = (name: string) =>
  `\n${name.padEnd(48)}${"CPU-s".padStart(8)}${"Chromium".padStart(10)}${"wall s".padStart(8)}`;
if (perTest) {
  console.log(head("test (the costliest 40)"));
  for (const t of tests.slice(0, 40))
    console.log(`${row(t.file, t.cpu, t.browser, t.wall)}\n    ${t.test}`);
}
console.log(head("file"));
for (const f of files) console.log(row(f.file, f.cpu, f.browser, f.wall));
console.log(head("directory"));
for (const g of [...groups.values()].sort((a, b) => b.cpu - a.cpu))
  console.log(row(g.file, g.cpu, g.browser, g.wall));
const inFiles = files.reduce((sum, f) => sum + f.cpu, 0);
const inBrowser = files.reduce((sum, f) => sum + f.browser, 0);
console.log(head("total"));
console.log(row(`${files.length} files`, inFiles, inBrowser, NaN));
console.log(row("whole run, as /usr/bin/time counts it", cpu, NaN, wall));
console.log(row("whole run, Chromium included", cpu + inBrowser, inBrowser, wall));
console.log(
  `(the whole run adds vitest's own work to the files': starting workers, collecting, reporting; load average now ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")})`,
);

if (jsonFile)
  writeFileSync(
    jsonFile,
    `${JSON.stringify({ wall, cpu, cpuWithChromium: cpu + inBrowser, files, ...(perTest ? { tests } : {}) }, null, 2)}\n`,
  );
process.exitCode = code ?? 1;
