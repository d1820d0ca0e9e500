/**
 * `npm run gen -- --entities N [--seed S] [--format json|ndjson] [--out DIR]`
 *
 * Generated datasets kept across runs in .cache/datasets/ (not in git): generating 100k entities
 * takes seconds, 1M a minute, that neither a test run nor a benchmark need spend again. The same
 * entities, seed and format always give the same files (./generate.ts), so a kept copy is as good
 * as a new one — until the generator changes: each folder holds a marker naming the generator it
 * came from (a hash of generate.ts), and a folder from another generator is made again.
 *
 * The default seed and format are those of `npm run gen -- --entities N` (whose output,
 * .cache/datasets/N, is then shared by the tests, `npm run bench:scale` and `npm run bench:start`);
 * other choices get a folder of their own.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "./generate.js";

/** Where generated datasets are kept. */
export const DATASETS = fileURLToPath(new URL("../../.cache/datasets", import.meta.url));

const MARKER = ".generated";

/** What a kept folder must have been made from: this generator, these options. */
function markerOf(entities: number, seed: number, format: string): string {
  const generator = createHash("sha256")
    .update(readFileSync(new URL("./generate.ts", import.meta.url)))
    .digest("hex")
    .slice(0, 16);
  return JSON.stringify({ entities, seed, format, generator });
}

/** The format `npm run gen` writes for this many entities (NDJSON from 50k, read a line at a time). */
export const usualFormat = (entities: number): "json" | "ndjson" =>
  entities > 50_000 ? "ndjson" : "json";

/** The folder of a generated dataset, generated first when no run before has kept a current one. */
export function generatedDataset(
  entities: number,
  options: { seed?: number; format?: "json" | "ndjson" } = {},
): string {
  const seed = options.seed ?? 1;
  const format = options.format ?? usualFormat(entities);
  const dir = join(
    DATASETS,
    seed === 1 && format === usualFormat(entities)
      ? String(entities)
      : `${entities}-seed${seed}-${format}`,
  );
  const want = markerOf(entities, seed, format);
  const marker = join(dir, MARKER);
  if (existsSync(marker) && readFileSync(marker, "utf8") === want) return dir;
  // written aside and renamed into place: a folder with a marker is complete, even when a run was
  // stopped while generating, or two test files generated at once
  const partial = `${dir}.partial-${process.pid}-${Math.random().toString(36).slice(2)}`;
  mkdirSync(dirname(dir), { recursive: true });
  try {
    generate({ entities, seed, out: partial, format });
    writeFileSync(join(partial, MARKER), want);
    if (existsSync(dir) && !(existsSync(marker) && readFileSync(marker, "utf8") === want))
      rmSync(dir, { recursive: true, force: true }); // from an older generator
    renameSync(partial, dir);
  } catch (error) {
    if (!(existsSync(marker) && readFileSync(marker, "utf8") === want)) throw error; // else another process put its copy there first
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return dir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const option = (name: string, fallback?: string) => {
    const i = argv.indexOf(`--${name}`);
    const value = i >= 0 ? argv[i + 1] : fallback;
    if (value === undefined) throw new Error(`--${name} is required`);
    return value;
  };
  const entities = Number(option("entities"));
  if (!Number.isInteger(entities) || entities < 100)
    throw new Error("--entities must be a whole number of at least 100");
  const format = option("format", usualFormat(entities));
  if (format !== "json" && format !== "ndjson") throw new Error("--format must be json or ndjson");
  const seed = Number(option("seed", "1"));
  const started = performance.now();
  if (argv.includes("--out")) {
    const out = option("out");
    const result = generate({ entities, seed, out, format });
    console.log(
      `generated ${result.entities} entities (${Object.entries(result.counts)
        .map(([c, n]) => `${c} ${n}`)
        .join(", ")}) as ${format} in ${out}`,
    );
  } else {
    const dir = generatedDataset(entities, { seed, format });
    console.log(`the dataset of ${entities} entities (seed ${seed}, ${format}) is in ${dir}`);
  }
  console.log(`in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
