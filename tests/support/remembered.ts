/**
 * A costly check whose outcome is a function of the files it reads (graphql-codegen's outputs,
 * the supergraph's composition) is remembered under a hash of those files' contents, in
 * .cache/checks/NAME.json (git-ignored): a test whose inputs hash the same reads what the last
 * passing run computed instead of computing it again, and any change to an input computes it
 * afresh. The inputs named must be a superset of what the check reads (whole directories, the
 * installed packages' lock): a file left out would let a change go unseen. Delete .cache/checks
 * to force every check to run.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DIR = join(ROOT, ".cache/checks");

export const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/**
 * A hash of the contents of `files` and of every file under `dirs` whose name matches `pattern`
 * (paths relative to the project's root), with their paths: the key of what a check read. With
 * `read`, a file under `dirs` counts only when its text passes it (a file the check can only read
 * as "nothing here" is left out, path and all: editing it, adding or removing it changes nothing).
 */
export function contentKey(
  files: readonly string[],
  dirs: readonly string[],
  pattern: RegExp,
  read?: (text: string) => boolean,
) {
  const found = dirs.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && pattern.test(entry.name))
      .map((entry) => relative(ROOT, join(entry.parentPath, entry.name))),
  );
  const hash = createHash("sha256");
  for (const file of [...files, ...found].sort()) {
    const content = readFileSync(join(ROOT, file));
    if (read && !files.includes(file) && !read(content.toString("utf8"))) continue;
    hash.update(`${file}\0${sha256(content)}\0`);
  }
  return hash.digest("hex");
}

/** What a passing run remembered for inputs with this key, if any. */
export function remembered<T>(name: string, key: string): T | undefined {
  try {
    const check = JSON.parse(readFileSync(join(DIR, `${name}.json`), "utf8")) as {
      key: string;
      value: T;
    };
    return check.key === key ? check.value : undefined;
  } catch {
    return undefined;
  }
}

/** Remembers `value` for inputs with this key (call it once the check has passed). */
export function remember(name: string, key: string, value: unknown): void {
  mkdirSync(DIR, { recursive: true });
  // written whole, then renamed into place: a run beside this one never reads half of it
  const part = join(DIR, `${name}.json.${process.pid}`);
  writeFileSync(part, JSON.stringify({ key, value }));
  renameSync(part, join(DIR, `${name}.json`));
}
