/**
 * `npm run export:json -- DIR`: writes the built-in dataset as a JSON dataset directory (one
 * `<collection>.json` per collection, plus the source texts) — the starting point for a dataset
 * of one's own, served with `npm start -- --data DIR`.
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { collectionNames } from "../src/graph/model.js";
import { builtInDataset, builtInDatasetDir } from "./index.js";

export function exportBuiltInDataset(dir: string): void {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  for (const collection of collectionNames) {
    writeFileSync(
      join(root, `${collection}.json`),
      `${JSON.stringify(builtInDataset[collection], null, 2)}\n`,
    );
  }
  for (const source of builtInDataset.sources)
    copyFileSync(join(builtInDatasetDir, source.file), join(root, source.file));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error("Usage: npm run export:json -- DIR");
    process.exit(1);
  }
  exportBuiltInDataset(dir);
  console.log(`wrote the built-in dataset as JSON to ${resolve(dir)}`);
}
