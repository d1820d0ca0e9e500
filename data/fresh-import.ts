/**
 * The built-in dataset imported afresh, for live reload: data/*.ts are TypeScript modules, and
 * an ES module once imported stays cached for the life of the process, so a second import would
 * not see an edit. Each call therefore imports them in a new worker thread (a new module graph,
 * with tsx's loader registered in it) and gets the dataset back as plain data; the worker and its
 * modules are gone afterwards, so repeated reloads do not pile modules up in memory.
 */
import type { DatasetInput } from "../src/graph/model.js";
import { DatasetError } from "../src/graph/problems.js";
import { inTsxWorker, WorkerFailure } from "../src/graph/tsx-worker.js";

const DATA_INDEX = new URL("./index.ts", import.meta.url);

export async function importBuiltInDatasetFresh(): Promise<DatasetInput> {
  try {
    return await inTsxWorker<DatasetInput>(
      `return (await load(${JSON.stringify(DATA_INDEX.href)})).builtInDataset;`,
      undefined,
    );
  } catch (error) {
    if (!(error instanceof WorkerFailure)) throw error;
    // a syntax error or a throw in a data module: report it like any other dataset problem
    const location = /(\/[^\s:]+\/data\/[\w-]+\.ts)(?::(\d+):(\d+))?/.exec(error.message);
    const file = location ? `data/${location[1]!.split("/data/")[1]}` : "data/index.ts";
    throw new DatasetError([
      {
        file,
        message: `could not be loaded: ${error.message.split("\n").slice(0, 3).join(" ").trim()}`,
      },
    ]);
  }
}
