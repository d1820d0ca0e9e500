/**
 * A dataset's load in a worker thread of its own, with tsx's loader registered in it: a new module
 * graph, so that it runs this project's TypeScript whether the process runs from its sources or
 * from a bundle, and sees a module as it is now on disk (data/fresh-import.ts: the built-in
 * dataset's modules, which an ES module cache would keep as first imported). A long load beside
 * the thread that answers requests (a reload's, snapshot/off-thread.ts) runs in a child process
 * instead (tsx-child.ts says why).
 */
import { Worker } from "node:worker_threads";

/**
 * What the `body` of a worker thread (or of a child process: tsx-child.ts) threw, as it crossed to
 * the caller: its name, message and problems (a DatasetError's).
 */
export class WorkerFailure extends Error {
  constructor(
    readonly thrownName: string,
    message: string,
    readonly problems: unknown,
    /** How many problems were found in all (a DatasetError's `found`). */
    readonly found?: unknown,
  ) {
    super(message);
    this.name = "WorkerFailure";
  }
}

/**
 * Runs `body` in a new worker thread and resolves with what it returns. `body` is the body of an
 * async CommonJS function with `workerData` (given here) and `load(url)` (an `import()` through
 * tsx) in scope. What it throws rejects as a WorkerFailure. `signal` ends the worker wherever it
 * is; the promise then rejects with an AbortError once `onStop` (cleaning up after it) has run.
 */
export function inTsxWorker<T>(
  body: string,
  workerData: unknown,
  options: { signal?: AbortSignal; onStop?: () => void } = {},
): Promise<T> {
  const { signal, onStop } = options;
  // an eval'd worker is a CommonJS script: dynamic import() is what it has for ES modules
  const code = `
const { parentPort, workerData } = require("node:worker_threads");
${answerOf(body)}.then((answer) => parentPort.postMessage(answer));
`;
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(stopped());
      return;
    }
    const worker = new Worker(code, { eval: true, execArgv: [], workerData });
    let stopping = false;
    // settled once the worker is gone and what it left with it
    const stop = () => {
      stopping = true;
      void worker
        .terminate()
        .then(() => onStop?.())
        .finally(() => reject(stopped()));
    };
    signal?.addEventListener("abort", stop, { once: true });
    worker.once("message", (answer: Answer<T>) => {
      signal?.removeEventListener("abort", stop);
      if (stopping) return; // an answer already on its way when stopped: stopped wins
      if (answer.ok) resolve(answer.value);
      else reject(new WorkerFailure(answer.name, answer.message, answer.problems, answer.found));
      void worker.terminate();
    });
    worker.once("error", (error) => {
      signal?.removeEventListener("abort", stop);
      if (!stopping) reject(error);
    });
    worker.once("exit", (exitCode) => {
      signal?.removeEventListener("abort", stop);
      if (!stopping)
        reject(new Error(`the worker thread exited with code ${exitCode} before answering`));
    });
  });
}

/** What a worker thread's or child process's `body` came to, as it is sent back. */
export type Answer<T> =
  | { ok: true; value: T }
  | { ok: false; name: string; message: string; problems?: unknown; found?: unknown };

/**
 * CommonJS code of a promise of the Answer `body` comes to: `body` run as an async function with
 * `load(url)` (an `import()` through tsx, registered first; or node's own, `tsx` false: for code
 * prebuilt as JavaScript) in scope, and what it throws kept whole enough to cross to the caller
 * (WorkerFailure).
 */
export function answerOf(body: string, tsx = true): string {
  const register = tsx
    ? `const { register } = await import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))});
  register();`
    : "";
  return `(async () => {
  ${register}
  const load = (url) => import(url);
  return { ok: true, value: await (async () => {${body}})() };
})().catch((error) => ({
  ok: false,
  name: String((error && error.name) || "Error"),
  message: String((error && error.message) || error),
  problems: error && Array.isArray(error.problems) ? error.problems : undefined,
  found: error && typeof error.found === "number" ? error.found : undefined,
}))`;
}

/** The AbortError a stopped worker thread or child process rejects with. */
export function stopped(): Error {
  const error = new Error("stopped before it finished");
  error.name = "AbortError";
  return error;
}
