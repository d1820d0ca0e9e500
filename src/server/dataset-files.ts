/**
 * What counts as a change of a dataset's files: every file under its directory, but what editors
 * and tools write beside the files they edit, and the server's own snapshots. Read by the live
 * reload's watcher (reload.ts) and by the primary of `--workers` (cluster.ts, through main.ts),
 * which must not import the graph's modules to tell.
 */
import { closeSync, type Dirent, readdirSync, readSync, statSync } from "node:fs";
import { basename, join, resolve, sep } from "node:path";
import { isEditorFile, openRegularFile } from "../graph/data-file.js";
import { SNAPSHOT_FILE, snapshotsPlaced } from "../graph/snapshot/place.js";

export function isEditorJunk(path: string): boolean {
  // the server's own snapshot of the dataset (src/graph/snapshot) is written beside it, and never
  // a change to it; nor is what is written in the snapshots' directory (KZ_OSCE_SNAPSHOT_DIR),
  // should it be inside the dataset's
  const placed = snapshotsPlaced();
  return (
    isEditorFile(basename(path)) ||
    basename(path).startsWith(SNAPSHOT_FILE) ||
    (placed !== undefined && (path === placed || path.startsWith(placed + sep)))
  );
}

/**
 * The dataset's files as they are now, every file under `dir` but editors' junk and snapshots:
 * names and identities (device, inode, size, modification and change times), one string, equal
 * only while no file was written, added, removed or renamed. For the primary of `--workers`,
 * which loads the dataset for every worker (cluster.ts, `SharedReloads`), and for a `--watch`
 * start, which compares the files as its load began with those when it first watches (reload.ts).
 *
 * Walked by hand, a directory at a time: ignored directories (`.git`, `node_modules`, the
 * snapshots') are not entered, a link to a directory is not followed (a link to a file is, as the
 * loader reads it: its target's identity), and a directory that cannot be read is a line of its
 * own. `readdirSync`'s recursive walk entered them all: two links to `.` made it run for ever, a
 * linked `node_modules` took a second, and one unreadable directory (`lost+found`) made the whole
 * answer a constant.
 */
export function datasetFiles(dir: string): string {
  const root = resolve(dir);
  const lines: string[] = [];
  const walk = (under: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(under === "" ? root : join(root, under), { withFileTypes: true });
    } catch (error) {
      lines.push(`${under || "."}/ unreadable: ${(error as NodeJS.ErrnoException).code}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const name = under === "" ? entry.name : join(under, entry.name);
      const path = join(root, name);
      if (isEditorJunk(entry.name) || isEditorJunk(path)) continue;
      if (entry.isDirectory()) {
        walk(name);
        continue;
      }
      try {
        const s = statSync(path, { bigint: true });
        if (s.isFile()) lines.push(`${name} ${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`);
      } catch {
        lines.push(`${name} gone`);
      }
    }
  };
  walk("");
  return lines.join("\n");
}

/** The marker `npm run gen` leaves in a dataset it wrote (data/synthetic/datasets.ts MARKER). */
const GENERATED_MARKER = ".generated";

/** The most a generator's marker holds (a line of JSON); a larger file is not one. */
const MARKER_BYTES = 4096;

/**
 * For a refused dataset that `npm run gen` wrote (it holds the generator's marker): how to make it
 * again. A generated dataset kept from an older generator fails a newer validation (red team 11,
 * F9: .cache/datasets copied by hand after a33ea68's quote rule, refused with 22 and 484 problems
 * about decision names), and the problems alone did not say that the remedy is to regenerate it.
 * Undefined for any other dataset. Read here, at the edge, so that the server does not import
 * data/synthetic.
 */
export function regenerateHint(dir: string): string | undefined {
  let marker: { entities?: unknown; seed?: unknown; format?: unknown };
  try {
    // opened as every data file is (data-file.ts): read by name on the serving thread, a named
    // pipe in its place held it for good, a reload's refusal and a refused start too (review 12)
    const { fd, stat } = openRegularFile(join(dir, GENERATED_MARKER));
    try {
      if (stat.size > MARKER_BYTES) return undefined;
      const bytes = Buffer.alloc(stat.size);
      readSync(fd, bytes, 0, stat.size, 0);
      marker = JSON.parse(bytes.toString("utf8"));
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const { entities, seed, format } = marker;
  if (typeof entities !== "number" || typeof seed !== "number" || typeof format !== "string")
    return undefined;
  return `${resolve(dir)} was written by npm run gen: one kept from an older generator fails a newer validation; make it again with \`npm run gen -- --entities ${entities} --seed ${seed} --format ${format}\` (add \`--out ${resolve(dir)}\` for a copy outside .cache/datasets)`;
}
