/**
 * GraphiQL's page, rendered off the main thread. @graphql-yoga/render-graphiql holds GraphiQL's
 * whole build as strings, about 9 MB of source. Importing it is about half a CPU-second of
 * parsing, in one synchronous go (490 ms measured), and rendering a page takes 30 ms. On the main
 * thread, the first visitor would hold every other request back that long. At start, every
 * process and worker would pay it whether or not a browser ever comes.
 *
 * So a worker thread renders the page the first time a browser asks for it. The page is kept:
 * each set of options (title, tabs, endpoint) is rendered once. If no worker can be started, the
 * page is rendered here, as before.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { GraphiQLOptions } from "graphql-yoga";

const PACKAGE = "@graphql-yoga/render-graphiql";

/** The worker's script (CommonJS, run with `eval`): requires the package, renders, answers the page. */
const RENDER_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { renderGraphiQL } = require(workerData.module);
parentPort.postMessage(renderGraphiQL(workerData.options));
`;

/** Yoga's `renderGraphiQL`: the page for these options, rendered once, off the main thread. */
export function graphiqlPages(): (options: GraphiQLOptions) => Promise<string> {
  const pages = new Map<string, Promise<string>>();
  return (options) => {
    const key = JSON.stringify(options);
    let page = pages.get(key);
    if (!page) {
      page = renderOffThread(options).catch(
        () => createRequire(import.meta.url)(PACKAGE).renderGraphiQL(options) as string,
      );
      // the options are the server's own (one set): a few pages of 9 MB at most are kept
      if (pages.size < KEPT_PAGES) pages.set(key, page);
    }
    return page;
  };
}

/** Pages kept: one per set of options, of which a server has one. */
const KEPT_PAGES = 4;

function renderOffThread(options: GraphiQLOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(RENDER_WORKER, {
      eval: true,
      workerData: { module: createRequire(import.meta.url).resolve(PACKAGE), options },
    });
    // a render under way does not keep a stopping server's process alive
    worker.unref();
    worker.once("message", (page: string) => {
      void worker.terminate();
      resolve(page);
    });
    worker.once("error", reject);
    // (after the message, a rejection changes nothing)
    worker.once("exit", (code) => reject(new Error(`GraphiQL's renderer exited with ${code}`)));
  });
}
