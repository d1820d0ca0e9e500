/**
 * `npm run test:profile [-- vitest arguments]`: runs the tests (all, or the files named) and
 * prints what each file cost, most expensive first, with totals per directory and for the whole
 * run. CPU-seconds (user + system of the file's worker and every process under it) are the
 * figure to compare on a machine shared with other work; wall seconds depend on the load.
 *
 * `--json FILE` also writes the table as JSON (for a before/after comparison).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

interface FileCost {
  file: string;
  cpu: number;
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

const dir = mkdtempSync(join(tmpdir(), "test-profile-"));
const started = performance.now();
const code = await new Promise<number | null>((resolve) => {
  const child = spawn(process.execPath, [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", ...args], {
    cwd: ROOT,
    env: { ...process.env, TEST_PROFILE_DIR: dir },
    stdio: "inherit",
  });
  child.once("close", resolve);
});
const wall = (performance.now() - started) / 1000;
const cpu = reapedChildrenCpuSeconds();

const files: FileCost[] = readdirSync(dir)
  .flatMap((name) => readFileSync(join(dir, name), "utf8").trim().split("\n"))
  .filter(Boolean)
  .map((line) => JSON.parse(line) as FileCost)
  .map(({ file, cpu, wall }) => ({ file: relative(ROOT, file), cpu, wall }))
  .sort((a, b) => b.cpu - a.cpu);
rmSync(dir, { recursive: true, force: true });

const groups = new Map<string, FileCost>();
for (const { file, cpu, wall } of files) {
  const group = file.split("/").slice(0, 2).join("/");
  const sum = groups.get(group) ?? { file: group, cpu: 0, wall: 0 };
  groups.set(group, { file: group, cpu: sum.cpu + cpu, wall: sum.wall + wall });
}

const row = (name: string, cpu: number, wallSeconds: number) => `${name.padEnd(48)} ${cpu.toFixed(1).padStart(7)} ${wallSeconds.toFixed(1).padStart(7)}`;
console.log(`\n${"file".padEnd(48)} ${"CPU-s".padStart(7)} ${"wall s".padStart(7)}`);
for (const f of files) console.log(row(f.file, f.cpu, f.wall));
console.log(`\n${"directory".padEnd(48)} ${"CPU-s".padStart(7)} ${"wall s".padStart(7)}`);
for (const g of [...groups.values()].sort((a, b) => b.cpu - a.cpu)) console.log(row(g.file, g.cpu, g.wall));
const inFiles = files.reduce((sum, f) => sum + f.cpu, 0);
console.log(`\n${row(`${files.length} files`, inFiles, NaN).replace("NaN", "   ")}`);
console.log(`${row("whole run (vitest, workers, everything under)", cpu, wall)}`);
console.log(`(the difference is vitest's own work: starting workers, collecting and reporting; load average now ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")})`);

if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify({ wall, cpu, files }, null, 2)}\n`);
process.exitCode = code ?? 1;
