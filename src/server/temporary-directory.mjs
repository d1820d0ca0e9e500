/**
 * The temporary directory (`TMPDIR`, else `TMP` or `TEMP`, else /tmp: os.tmpdir()), checked before
 * tsx loads: `node --import ./src/server/temporary-directory.mjs --import tsx ...` (`npm start`,
 * its `prestart` and `npm ci`'s `prepare`). tsx, which runs the server's TypeScript, caches the code it compiles there
 * (`tsx-UID`), and the server makes a reload's temporary snapshot and its private copy of the
 * columns file there. A TMPDIR that does not exist, is not a directory or cannot be written in
 * ended the start inside tsx, before any of the server's code ran, with tsx's stack trace
 * (`Error: EACCES: permission denied, mkdir '/tmp/ro/tsx-65534'`, red team 12, F9); as root, tsx
 * even made a missing one, where the server's own copies then failed quietly. Here the start is
 * refused instead, with one line naming the directory, its problem and what to do, exit code 1,
 * as a bad setting is (main.ts). Plain JavaScript: nothing compiles it.
 */
import { mkdtempSync, rmdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Why the temporary directory cannot be used (a sentence naming it and what to do), or
 * undefined when a directory can be made in it (then removed at once), or when it is only full:
 * then `onFull` is told (a warning: the start goes on). A full one is no reason to refuse: tsx
 * runs from the cache it has there, the server's private copies fall back to mapping the file
 * itself, and a start refused could never sweep the copies left there by a crash loop (columns.ts),
 * whose 155 MiB each are what fills it (review 16b).
 * @param {(prefix: string) => string} [make] makes a directory (mkdtempSync; a test's may fail)
 * @param {(warning: string) => void} [onFull] told when the directory is full
 * @returns {string | undefined}
 */
export function temporaryDirectoryProblem(make = mkdtempSync, onFull = () => undefined) {
  const dir = tmpdir();
  const named = ["TMPDIR", "TMP", "TEMP"].find((name) => process.env[name]);
  const which = named === undefined ? `the temporary directory ${dir}` : `${named}=${dir}`;
  const elsewhere = `set TMPDIR to a directory this user (${whoAmI()}) can write`;
  const refusal = (problem, todo) =>
    `${which} ${problem}: ${todo} (tsx caches the code it compiles there, and the server makes its temporary snapshots and copies there: docs/operations.md, "Temporary files")`;
  let stat;
  try {
    stat = statSync(dir);
  } catch (error) {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    if (code === "ENOENT")
      return refusal("does not exist", `make it (mkdir -m 1777 ${dir}), or ${elsewhere}`);
    if (code === "ENOTDIR") return refusal("is not a directory (a file is on its path)", elsewhere);
    return refusal(`cannot be reached (${/** @type {Error} */ (error).message})`, elsewhere);
  }
  if (!stat.isDirectory()) return refusal("is not a directory", elsewhere);
  try {
    rmdirSync(make(join(dir, ".kz-osce-probe-")));
    return undefined;
  } catch (error) {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    if (code === "ENOSPC" || code === "EDQUOT") {
      onFull(
        `${which} is full (${code}): starting anyway; free space there (the server's own leftovers, .kz-osce-columns-* and .kz-osce-snapshot-reload-*, are removed as it runs)`,
      );
      return undefined;
    }
    if (code === "EACCES" || code === "EPERM")
      return refusal(
        `does not let this process make files in it: it is mode ${(stat.mode & 0o7777).toString(8).padStart(3, "0")}, owned by uid ${stat.uid} and gid ${stat.gid}`,
        `give this user write and search permission on it (w and x: chmod, chown or its group; mode 1777 for one shared by every user), or ${elsewhere}`,
      );
    if (code === "EROFS")
      return refusal(
        "is on a read-only file system",
        `${elsewhere} (with a read-only root file system, mount one at /tmp: a tmpfs, or an emptyDir)`,
      );
    return refusal(`cannot be written in (${/** @type {Error} */ (error).message})`, elsewhere);
  }
}

/** This process's user, as a refusal names it: `uid 65534, gid 65534`. */
function whoAmI() {
  return `uid ${process.getuid?.() ?? "?"}, gid ${process.getgid?.() ?? "?"}`;
}

const problem = temporaryDirectoryProblem(mkdtempSync, (warning) =>
  console.error(`kz-osce-graph: warning: ${warning}`),
);
if (problem !== undefined) {
  console.error(`kz-osce-graph: ${problem}`);
  process.exit(1);
}
