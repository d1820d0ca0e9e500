/**
 * Generated datasets for tests, kept across runs in bench/scale/data (not in git): generating
 * 100k entities takes seconds that a test run need not spend again. The same entities, seed and
 * format always give the same files (bench/scale/generate.ts), so a kept copy is as good as a
 * new one. The default seed and format are those of `npm run gen -- --entities N`, whose output
 * (bench/scale/data/N) is then shared; other choices get their own folder under tests/.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "../../bench/scale/generate.js";

const DATA = fileURLToPath(new URL("../../bench/scale/data", import.meta.url));

/** The folder of a generated dataset, generated first when no run before has kept one. */
export function generatedDataset(entities: number, options: { seed?: number; format?: "json" | "ndjson" } = {}): string {
  const seed = options.seed ?? 1;
  const usual = entities > 50_000 ? "ndjson" : "json";
  const format = options.format ?? usual;
  const dir = join(DATA, seed === 1 && format === usual ? String(entities) : join("tests", `${entities}-seed${seed}-${format}`));
  if (existsSync(dir)) return dir;
  // written aside and renamed into place: a folder that exists is complete, even when a run was
  // stopped while generating, or two test files generated at once
  const partial = `${dir}.partial-${process.pid}-${Math.random().toString(36).slice(2)}`;
  mkdirSync(dirname(dir), { recursive: true });
  try {
    generate({ entities, seed, out: partial, format });
    renameSync(partial, dir);
  } catch (error) {
    if (!existsSync(dir)) throw error; // else another process put its copy there first
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return dir;
}
