/**
 * `node bench/scale/lmdb-remap.mjs`: whether this lmdb-js can read a file mapped where it
 * unmapped another one, and whether the server's way around it (src/graph/snapshot/columns.ts,
 * mapValue) still works. lmdb-js 3.5.6 keeps the memory of each map it hands out as a V8 backing
 * store by start address, for good, and gives it to a map made later at the same address, length
 * included: read through it, a larger file fails ("Invalid typed array length"). The server then
 * closes that map and maps the file again 4 MiB longer, which the kernel puts elsewhere.
 *
 * Writes two LMDB files of one value each (20 MiB, then 100 kB more) in a temporary directory,
 * maps and closes the first, then maps the second (the kernel usually puts it where the first
 * was) and reads it; if that fails, maps it again 4 MiB longer and reads it. Prints where each
 * map was and whether each read succeeded; exits 1 when the second file could not be read.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { open } from "lmdb";

const where = (path) =>
  readFileSync("/proc/self/maps", "utf8")
    .split("\n")
    .find((line) => line.endsWith(` ${path}`))
    ?.split(" ")[0];

const dir = mkdtempSync(join(tmpdir(), "kz-lmdb-remap-"));
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
      mapSize: size + 2 ** 20,
    });
    store.putSync("columns", Buffer.alloc(size, i + 1));
    await store.close();
    files.push({ path, size });
  }
  const first = open({ path: files[0].path, ...reading });
  const value = first.getBinaryFast("columns");
  console.log(
    `first file (${files[0].size} bytes): mapped at ${where(files[0].path)}, read ${value.length} bytes`,
  );
  await first.close();
  let read;
  for (const extra of [0, 4 * 2 ** 20]) {
    const second = open({
      path: files[1].path,
      ...reading,
      ...(extra ? { mapSize: files[1].size + extra } : {}),
    });
    const at = where(files[1].path);
    try {
      read = second.getBinaryFast("columns");
      const ok = read.length === files[1].size && read[read.length - 1] === 2;
      console.log(
        `second file (${files[1].size} bytes, map ${extra ? "4 MiB longer" : "of lmdb-js's size"}): mapped at ${at}, read ${read.length} bytes${ok ? "" : " (wrong bytes)"}`,
      );
      process.exitCode = ok ? 0 : 1;
      break;
    } catch (error) {
      console.log(
        `second file (${files[1].size} bytes, map ${extra ? "4 MiB longer" : "of lmdb-js's size"}): mapped at ${at}, read failed: ${error.message}`,
      );
      process.exitCode = 1;
    } finally {
      await second.close();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
