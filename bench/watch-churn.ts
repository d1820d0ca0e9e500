/**
 * `npx tsx bench/watch-churn.ts [--files 20000] [--rounds 3]`
 *
 * What other programs' files cost the serving thread of a server with live reload (reload.ts,
 * `watchDataset`): a dataset at ROOT/a/b/data is watched, and a child process makes and removes
 * --files files in one directory at a time, while this process's CPU time is counted (the child's
 * is not). Where it churns:
 * - `grandparent` (ROOT/a) and `root` (ROOT): directories on the dataset's way above its parent,
 *   as /tmp or /srv are to a dataset in /tmp/x/data: nothing there concerns the dataset unless a
 *   directory on its way is replaced (review 16d, finding 4: each watched, 566 ms for 20,000
 *   files, where 37 ms before every directory above was watched);
 * - `own name` (ROOT/a/b, files named `b`, like the directory holding them: a watch is told of its
 *   own directory's removal under that name, and such a file was taken for it, each one a walk of
 *   the way);
 * - `parent` (ROOT/a/b, other names): the dataset directory's own parent, watched for its rename
 *   or removal: the cost that stays.
 * - `none`: no churn, the same wait (the baseline).
 * Prints the CPU milliseconds of this process per round and the median of each.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { watchDataset } from "../src/server/reload.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const files = Number(option("files", "20000"));
const rounds = Number(option("rounds", "3"));

const root = mkdtempSync(path.join(tmpdir(), "kz-watch-churn-"));
const data = path.join(root, "a", "b", "data");
mkdirSync(data, { recursive: true });

const quiet = () => undefined;
const app = {
  swap: quiet,
  logger: { info: quiet, warn: quiet, error: quiet, debug: quiet },
  metrics: { reloads: { inc: quiet } },
  setWatchStatus: quiet,
} as unknown as Parameters<typeof watchDataset>[0];
const reloader = watchDataset(app, { dataDir: data, debounceMs: 50 });
await reloader.ready;

/** Makes and removes `files` files named `name-i` (or `name` itself, made and removed each time) in `dir`, in a child process. */
function churn(dir: string, name: string, same: boolean): void {
  const script = `
    const fs = require("node:fs"), path = require("node:path");
    const [dir, name, n, same] = process.argv.slice(1);
    for (let i = 0; i < Number(n); i++) {
      const file = path.join(dir, same === "1" ? name : name + "-" + i);
      fs.writeFileSync(file, "x");
      fs.rmSync(file);
    }`;
  const run = spawnSync(process.execPath, [
    "-e",
    script,
    dir,
    name,
    String(files),
    same ? "1" : "0",
  ]);
  if (run.status !== 0) throw new Error(`churn failed: ${run.stderr}`);
}

const places: [string, (() => void) | undefined][] = [
  ["none", undefined],
  ["root", () => churn(root, "other", false)],
  ["grandparent", () => churn(path.join(root, "a"), "other", false)],
  ["own name", () => churn(path.join(root, "a", "b"), "b", true)],
  ["parent", () => churn(path.join(root, "a", "b"), "other", false)],
];
const figures = new Map<string, number[]>();
for (let round = 1; round <= rounds; round++) {
  for (const [place, make] of places) {
    const before = process.cpuUsage();
    make?.();
    // the events reach this process after the child is done: let them all be delivered
    await sleep(1_000);
    const used = process.cpuUsage(before);
    const ms = (used.user + used.system) / 1000;
    figures.set(place, [...(figures.get(place) ?? []), ms]);
    console.log(`round ${round}: ${place.padEnd(12)} ${ms.toFixed(1)} ms of CPU (${files} files)`);
  }
}
await reloader.close();
rmSync(root, { recursive: true, force: true });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `\nmedian CPU of the serving process for ${files} files made and removed, over ${rounds} rounds:`,
);
for (const [place, xs] of figures) console.log(`  ${place.padEnd(12)} ${median(xs).toFixed(1)} ms`);
