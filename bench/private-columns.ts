/**
 * `npx tsx bench/private-columns.ts [--data DIR] [--runs 5]` (default .cache/datasets/100000)
 *
 * What mapping a private copy of the snapshot's columns file costs a start (columns.ts,
 * mapPrivateCopies; red team 12, F3 (b)): the dataset's data files are copied to a temporary
 * directory (nothing is written in DIR), its snapshot written there with this code (a full load,
 * not measured), then read `runs` times each way, alternately, each read in a process of its
 * own (a process maps a file once: a second read would find it mapped), mapping the file itself
 * and a private copy of it: the best and the median of the read (readSnapshot, the dataset's hash
 * included) and of its "map columns" phase (the copy, the sum of every byte, the map), then of
 * the copy alone (`runs` copies of the file, as a reload makes it on the serving thread), and the
 * disk the copy takes while it is being made (it is removed once mapped: its blocks are then the
 * process's until it unmaps them, as a removed snapshot's are).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  constants,
  copyFileSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COLUMNS_FILE_PREFIX, mapPrivateCopies } from "../src/graph/snapshot/columns.js";
import { ensureSnapshot } from "../src/graph/snapshot/load.js";
import { Phases } from "../src/graph/snapshot/phases.js";
import { readSnapshot } from "../src/graph/snapshot/snapshot.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const source = option("data", ".cache/datasets/100000");
const runs = Number(option("runs", "5"));
const one = option("one", "");

if (one !== "") {
  // a child: one read of the snapshot in `--work`, printed as JSON
  mapPrivateCopies(one === "private copy");
  const phases = new Phases();
  const start = performance.now();
  await readSnapshot(option("work", ""), { phases });
  const read = performance.now() - start;
  const map = phases.list.find((p) => p.name.startsWith("map columns"))?.wallMs ?? Number.NaN;
  console.log(JSON.stringify({ read, map }));
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), "kz-private-columns-"));
try {
  for (const name of readdirSync(source))
    if (!name.startsWith(".kz-osce-snapshot")) copyFileSync(join(source, name), join(work, name));
  const ensured = await ensureSnapshot(work);
  const columns = readdirSync(work).find(
    (name) => name.startsWith(COLUMNS_FILE_PREFIX) && !name.endsWith("-lock"),
  );
  if (columns === undefined) throw new Error(`no mapped columns file written for ${source}`);
  const bytes = statSync(join(work, columns)).size;
  console.log(
    `${source}: snapshot ${ensured.from === "snapshot" ? "read" : "written"}; columns file ${(bytes / 2 ** 20).toFixed(1)} MiB`,
  );
  const results: Record<"file" | "private copy", { read: number[]; map: number[] }> = {
    file: { read: [], map: [] },
    "private copy": { read: [], map: [] },
  };
  for (let run = 0; run < runs; run++) {
    for (const way of ["file", "private copy"] as const) {
      const out = execFileSync(
        process.execPath,
        [...process.execArgv, process.argv[1]!, "--one", way, "--work", work],
        { encoding: "utf8" },
      );
      const { read, map } = JSON.parse(out.trim().split("\n").at(-1)!) as {
        read: number;
        map: number;
      };
      results[way].read.push(read);
      results[way].map.push(map);
    }
  }
  const sorted = (list: number[]) => [...list].sort((a, b) => a - b);
  // the copy alone, as a reload makes it on the serving thread (the file just written: in the
  // page cache), timed apart from the sum and the map: of this columns file, and of a file of
  // the columns' size at a million entities (155 MiB; what is in it does not change a copy)
  const timeCopies = (file: string) => {
    const copies: number[] = [];
    for (let run = 0; run < runs; run++) {
      const into = mkdtempSync(join(tmpdir(), "kz-private-columns-copy-"));
      try {
        const start = performance.now();
        copyFileSync(file, join(into, "copy"), constants.COPYFILE_FICLONE);
        copies.push(performance.now() - start);
      } finally {
        rmSync(into, { recursive: true, force: true });
      }
    }
    const copied = sorted(copies);
    return `best ${copied[0]!.toFixed(1)} ms, median ${copied[Math.floor(copied.length / 2)]!.toFixed(1)} ms`;
  };
  const copyHere = timeCopies(join(work, columns));
  const million = join(work, "million-columns");
  writeFileSync(million, randomBytes(155 * 2 ** 20));
  const copyMillion = timeCopies(million);
  rmSync(million);
  for (const [way, { read, map }] of Object.entries(results)) {
    const r = sorted(read);
    const m = sorted(map);
    console.log(
      `  ${way.padEnd(13)} read: best ${r[0]!.toFixed(0)} ms, median ${r[Math.floor(r.length / 2)]!.toFixed(0)} ms; map columns: best ${m[0]} ms, median ${m[Math.floor(m.length / 2)]} ms`,
    );
  }
  console.log(
    `  the copy alone (copyFileSync, holding the thread that makes it): ${copyHere}; of 155 MiB (the columns at a million entities): ${copyMillion}`,
  );
  console.log(
    `  disk: the private copy takes ${(bytes / 2 ** 20).toFixed(1)} MiB under ${tmpdir()} per process that maps it (removed at once, held until unmapped)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
