/**
 * The built-in dataset as a graph: the edge where it is chosen (the server's start, scripts,
 * tests and benchmarks import this), so that src/ never imports data/ (docs/contributing.md,
 * "Layers and imports"). The seed modules go through the same validator as any user's dataset.
 */
import { fileURLToPath } from "node:url";
import type { KnowledgeGraph } from "../src/graph/graph.js";
import { buildGraph, loadJsonGraph } from "../src/graph/load.js";
import { importBuiltInDatasetFresh } from "./fresh-import.js";

/** The directory of the built-in dataset (data/), where its source texts live. */
export const builtInDatasetDir = fileURLToPath(new URL(".", import.meta.url));

/** data/<collection>.ts: where the validator says a problem of the built-in dataset lies. */
const fileOf = (collection: string) => `data/${collection}.ts`;

/** The built-in dataset of `data/`, checked by the same validator as any user's. */
export async function loadBuiltInGraph(): Promise<KnowledgeGraph> {
  // imported when asked for: a server given a JSON directory never loads the seed modules
  const { builtInDataset } = await import("./index.js");
  return buildGraph(builtInDataset, { dir: builtInDatasetDir, fileOf });
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
  return buildGraph(await importBuiltInDatasetFresh(), { dir: builtInDatasetDir, fileOf });
}
