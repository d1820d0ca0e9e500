/**
 * Loading a dataset into a validated, indexed graph: the built-in typed seed modules, or a
 * directory of JSON files of the same shape (`states.json`, `persons.json`, ...; see README).
 * Both go through the same validator; on any problem a DatasetError lists them all.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { KnowledgeGraph } from "./graph.js";
import { collectionNames, type CollectionName, type DatasetInput } from "./model.js";
import { DatasetError, validateDataset, type Problem } from "./validate.js";

/** Validate and index a dataset given as objects, whose source texts live in `dir`. */
export function buildGraph(
  input: Record<string, unknown>,
  options: { dir: string; fileOf: (collection: CollectionName) => string },
): KnowledgeGraph {
  const { dataset, texts } = validateDataset(input, {
    fileOf: options.fileOf,
    readSource: (file) => readSourceText(options.dir, file),
  });
  return new KnowledgeGraph(dataset, texts);
}

/** The built-in dataset of `data/`, checked by the same validator as any user's. */
export async function loadBuiltInGraph(): Promise<KnowledgeGraph> {
  const { builtInDataset, builtInDatasetDir } = await import("../../data/index.js");
  return buildGraph(builtInDataset as DatasetInput, {
    dir: builtInDatasetDir,
    fileOf: (collection) => `data/${collection}.ts`,
  });
}

/** A dataset directory of JSON files, one per collection: `<collection>.json` holding an array. */
export function loadJsonGraph(dir: string): KnowledgeGraph {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new DatasetError([{ file: root, message: "the dataset directory does not exist or is not a directory" }]);
  }
  const problems: Problem[] = [];
  const known = new Set(collectionNames.map((c) => `${c}.json`));
  for (const name of readdirSync(root)) {
    if (name.endsWith(".json") && !known.has(name)) {
      problems.push({ file: join(root, name), message: `unknown collection file (expected one of ${[...known].join(", ")})` });
    }
  }
  const input: Record<string, unknown> = {};
  for (const collection of collectionNames) {
    const file = join(root, `${collection}.json`);
    if (!existsSync(file)) continue;
    try {
      input[collection] = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      problems.push({ file, message: `not valid JSON: ${(error as Error).message}` });
    }
  }
  if (!existsSync(join(root, "sources.json"))) {
    problems.push({ file: join(root, "sources.json"), message: "missing: a dataset needs sources.json naming its source texts" });
  }
  if (problems.length > 0) throw new DatasetError(problems);
  return buildGraph(input, { dir: root, fileOf: (collection) => join(root, `${collection}.json`) });
}

/** Load the dataset at `dir`, or the built-in one when no directory is given. */
export async function loadGraph(dir?: string): Promise<KnowledgeGraph> {
  return dir === undefined ? loadBuiltInGraph() : loadJsonGraph(dir);
}

/**
 * Load the dataset again after its files changed (live reload): a JSON directory is read anew;
 * the built-in dataset's modules are imported afresh (see fresh-import.ts).
 */
export async function reloadGraph(dir?: string): Promise<KnowledgeGraph> {
  if (dir !== undefined) return loadJsonGraph(dir);
  const { importBuiltInDatasetFresh } = await import("./fresh-import.js");
  const { builtInDatasetDir } = await import("../../data/index.js");
  return buildGraph((await importBuiltInDatasetFresh()) as DatasetInput, {
    dir: builtInDatasetDir,
    fileOf: (collection) => `data/${collection}.ts`,
  });
}

function readSourceText(dir: string, file: string): string | undefined {
  try {
    // a source must live inside its dataset directory, also after following links
    const root = realpathSync(dir);
    const path = realpathSync(resolve(root, file));
    if (!path.startsWith(root + sep)) return undefined;
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
