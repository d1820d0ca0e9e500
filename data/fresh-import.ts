/**
 * The built-in dataset imported afresh, for live reload: data/*.ts are TypeScript modules, and
 * an ES module once imported stays cached for the life of the process, so a second import would
 * not see an edit. Each call therefore imports them in a new worker thread (a new module graph,
 * with tsx's loader registered in it) and gets the dataset back as plain data; the worker and its
 * modules are gone afterwards, so repeated reloads do not pile modules up in memory.
 */
import { Worker } from "node:worker_threads";
import type { DatasetInput } from "../src/graph/model.js";
import { DatasetError } from "../src/graph/problems.js";

const DATA_INDEX = new URL("./index.ts", import.meta.url);

export async function importBuiltInDatasetFresh(): Promise<DatasetInput> {
  const tsxApi = import.meta.resolve("tsx/esm/api");
  // an eval'd worker is a CommonJS script: dynamic import() is what it has for ES modules
  const code = `
const { parentPort } = require("node:worker_threads");
(async () => {
  const { register } = await import(${JSON.stringify(tsxApi)});
  register();
  const { builtInDataset } = await import(${JSON.stringify(DATA_INDEX.href)});
  parentPort.postMessage({ ok: true, dataset: builtInDataset });
})().catch((error) => parentPort.postMessage({ ok: false, message: String((error && error.message) || error) }));
`;
  const answer = await new Promise<
    { ok: true; dataset: DatasetInput } | { ok: false; message: string }
  >((resolve, reject) => {
    const worker = new Worker(code, { eval: true, execArgv: [] });
    worker.once("message", (message) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (exitCode) =>
      reject(new Error(`the dataset worker exited with code ${exitCode} before answering`)),
    );
  });
  if (!answer.ok) {
    // a syntax error or a throw in a data module: report it like any other dataset problem
    const location = /(\/[^\s:]+\/data\/[\w-]+\.ts)(?::(\d+):(\d+))?/.exec(answer.message);
    const file = location ? `data/${location[1]!.split("/data/")[1]}` : "data/index.ts";
    throw new DatasetError([
      {
        file,
        message: `could not be loaded: ${answer.message.split("\n").slice(0, 3).join(" ").trim()}`,
      },
    ]);
  }
  return answer.dataset;
}
