/**
 * `npx tsx bench/snapshot-tamper.ts [--data DIR]` (default .cache/datasets/100000)
 *
 * What guarding a served snapshot against its writers would cost (red team 12, F3):
 * - (b) a private copy of the mapped columns file, made at start and mapped instead of the file
 *   in the dataset's directory (so that a truncation of that file cannot end the process with
 *   SIGBUS): the copy's time (copyFileSync, a reflink where the file system makes one) and disk
 *   beside the checksum of every byte a start already pays, per process;
 * - (c) a CRC-32 per entity checked at each lazy read, beside the JSON.parse the read pays anyway:
 *   over the dataset's entities as JSON (their size as in the snapshot's entity section).
 * Reads only: nothing is written in DIR (the copy goes to a private directory under TMPDIR,
 * removed at the end).
 */
import {
  constants,
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";

const args = process.argv.slice(2);
const at = args.indexOf("--data");
const dir = at >= 0 ? args[at + 1]! : ".cache/datasets/100000";
const MiB = 2 ** 20;

function time<T>(run: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = run();
  return { ms: performance.now() - start, value };
}

/** The best of `n` runs, in ms (the machine is shared: the least disturbed run). */
function best(n: number, run: () => unknown): number {
  let least = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) least = Math.min(least, time(run).ms);
  return least;
}

// (b) the newest columns file in DIR (the one a current snapshot names, most likely)
const columns = readdirSync(dir)
  .filter((name) => /^\.kz-osce-snapshot-columns-[0-9a-f]+$/.test(name))
  .map((name) => ({ name, mtime: statSync(join(dir, name)).mtimeMs }))
  .sort((a, b) => b.mtime - a.mtime)[0];
if (columns === undefined) console.log(`no mapped columns file in ${dir}: (b) not measured`);
else {
  const source = join(dir, columns.name);
  const bytes = statSync(source).size;
  const crcOriginal = best(5, () => crc32(readFileSync(source)));
  const privateDir = mkdtempSync(join(tmpdir(), "kz-osce-columns-"));
  try {
    const copy = join(privateDir, "columns");
    const copyMs = best(5, () => {
      rmSync(copy, { force: true });
      copyFileSync(source, copy, constants.COPYFILE_FICLONE);
    });
    const crcCopy = best(5, () => crc32(readFileSync(copy)));
    const blocks = (statSync(copy).blocks * 512) / MiB;
    console.log(
      `(b) columns file ${columns.name}: ${(bytes / MiB).toFixed(1)} MiB\n` +
        `    checksum of every byte (paid at each start now): ${crcOriginal.toFixed(1)} ms\n` +
        `    private copy (copyFileSync, FICLONE where possible) to ${tmpdir()}: ${copyMs.toFixed(1)} ms, ${blocks.toFixed(1)} MiB of disk (per process that copies)\n` +
        `    checksum of the copy: ${crcCopy.toFixed(1)} ms`,
    );
  } finally {
    rmSync(privateDir, { recursive: true, force: true });
  }
}

// (c) per entity: crc32 of its JSON beside JSON.parse of it
const jsons: string[] = [];
for (const name of readdirSync(dir).filter((n) => /\.(nd)?json$/.test(n))) {
  const text = readFileSync(join(dir, name), "utf8");
  const items = name.endsWith(".ndjson")
    ? text.split("\n").filter((line) => line.trim() !== "")
    : (JSON.parse(text) as unknown[]).map((item) => JSON.stringify(item));
  for (const item of items) jsons.push(typeof item === "string" ? item : JSON.stringify(item));
}
const buffers = jsons.map((json) => Buffer.from(json));
const total = buffers.reduce((n, b) => n + b.length, 0);
let sink = 0;
const crcMs = best(5, () => {
  for (const b of buffers) sink ^= crc32(b);
});
const parseMs = best(3, () => {
  for (const b of buffers) sink ^= (JSON.parse(b.toString("utf8")) as object) ? 1 : 0;
});
console.log(
  `(c) ${jsons.length} entities, ${(total / MiB).toFixed(1)} MiB of JSON (mean ${Math.round(total / jsons.length)} B)\n` +
    `    crc32 of each: ${crcMs.toFixed(1)} ms in all, ${((crcMs * 1000) / jsons.length).toFixed(2)} µs an entity\n` +
    `    JSON.parse of each (what a lazy read pays now): ${parseMs.toFixed(1)} ms in all, ${((parseMs * 1000) / jsons.length).toFixed(2)} µs an entity\n` +
    `    (crc per entity in the snapshot: 4 B each, ${((jsons.length * 4) / MiB).toFixed(2)} MiB)${sink === 0.5 ? "" : ""}`,
);
