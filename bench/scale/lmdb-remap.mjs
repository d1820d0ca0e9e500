/**
 * `node bench/scale/lmdb-remap.mjs`: whether this lmdb-js can map a file where it unmapped
 * another one. Why the server never unmaps a snapshot's columns file (src/graph/snapshot/columns.ts,
 * docs/performance.md "Starting from a snapshot"): lmdb-js 3.5.6 keeps the memory of each map it
 * handed out as a V8 backing store by start address, for good, and gives it to a map made later
 * at the same address; a larger file read through it fails ("Invalid typed array length").
 *
 * Writes two LMDB files of one value each (20 MiB, then 100 kB more) in a temporary directory,
 * maps and closes the first, then maps the second (the kernel usually puts it where the first
 * was) and reads it. Prints where each was mapped and whether the read succeeded; exits 1 when
 * it failed. Once it succeeds with the two maps at one address, unmapping becomes possible.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { open } from "lmdb";

const dir = mkdtempSync(join(tmpdir(), "kz-lmdb-remap-"));
const where = (path) =>
  readFileSync("/proc/self/maps", "utf8")
    .split("\n")
    .find((line) => line.endsWith(` ${path}`))
    ?.split(" ")[0];
const reading = { noSubdir: true, readOnly: true, encoding: "binary", compression: false };
try {
  const files = [];
  for (const [i, size] of [20 * 2 ** 20, 20 * 2 ** 20 + 100_000].entries()) {
    const path = join(dir, `columns-${i}`);
    const store = open({
      path,
      noSubdir: true,
      encoding: "binary",
      compression: false,
      mapSize: size + 64 * 2 ** 20,
    });
    store.putSync("columns", Buffer.alloc(size, i + 1));
    await store.close();
    files.push({ path, size });
  }
  const first = open({ path: files[0].path, ...reading });
  const value = first.getBinaryFast("columns");
  const firstAt = where(files[0].path);
  console.log(`first file (${files[0].size} bytes): mapped at ${firstAt}, read ${value.length}`);
  await first.close();
  const second = open({ path: files[1].path, ...reading });
  try {
    const read = second.getBinaryFast("columns");
    const ok = read.length === files[1].size && read[read.length - 1] === 2;
    console.log(
      `second file (${files[1].size} bytes): mapped at ${where(files[1].path)}, read ${read.length} bytes${ok ? "" : " (wrong)"}`,
    );
    process.exitCode = ok ? 0 : 1;
  } catch (error) {
    console.log(
      `second file (${files[1].size} bytes): mapped at ${where(files[1].path)}, read failed: ${error.message}`,
    );
    process.exitCode = 1;
  } finally {
    await second.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
