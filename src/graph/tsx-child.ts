/**
 * Work in a child process of its own, at a lower scheduling priority, with tsx's loader
 * registered in it: the full load of a changed dataset and its snapshot's write for a live
 * reload (snapshot/off-thread.ts), which run for minutes at 1M entities while the server answers.
 *
 * Why not a worker thread (tsx-worker.ts): a worker thread shares its process's V8 platform, so
 * its garbage collector's helper tasks and the serving thread's wait in one queue, and it runs
 * at the serving thread's priority. On two cores, a collection of the serving thread that fell
 * during a 1M reload held it 0.1-2.0 s (bench/RESULTS.md, "A reload's full load in a child
 * process"). A child process has its own platform, and its threads are niced (`BACKGROUND_NICE`),
 * so that the kernel gives a core to the serving thread first whenever both want one: the load
 * takes what the server leaves.
 *
 * The child runs `node -e` with the parent's V8 memory flags (the limits a worker thread would
 * have shared), and speaks to the parent over IPC with V8's serialization (what a worker's
 * messages use): `data` goes in, what `body` returns (or threw) comes back. When the parent goes
 * away (killed outright, crashed), the child ends within half a second, even in the middle of a
 * load that is one long turn: a small thread of its own watches its parent's pid. When the parent
 * exits otherwise, it kills the child.
 */
import { type Serializable, spawn } from "node:child_process";
import { type Answer, answerOf, stopped, WorkerFailure } from "./tsx-worker.js";

/**
 * How far the child's nice value is above its parent's (at most 19), as nice(1)'s default: the
 * serving process comes first, while the child still gets a share of a busy machine.
 */
export const BACKGROUND_NICE = 10;

/** V8's memory flags of this process, which the child takes too (a worker thread shares them). */
function memoryFlags(): string[] {
  return process.execArgv.filter((flag) =>
    /^--(max[-_]old[-_]space[-_]size|max[-_]semi[-_]space[-_]size|max[-_]young[-_]generation[-_]size)=/.test(
      flag,
    ),
  );
}

/**
 * Runs `body` in a new child process and resolves with what it returns: the body of an async
 * CommonJS function with `data` (given here, structured-cloned) and `load(url)` (an `import()`
 * through tsx; `tsx` false: node's own, with no loader registered, for code prebuilt as
 * JavaScript) in scope. What it throws rejects as a WorkerFailure. `signal` kills the child
 * wherever it is; the promise then rejects with an AbortError once the child has exited and
 * `onStop` (cleaning up after it) has run. `niceBy`: how far its priority is below this process's
 * (BACKGROUND_NICE unless told; 0 for work this process only waits for, such as a start's load).
 */
export function inTsxChild<T>(
  body: string,
  data: Serializable,
  options: {
    signal?: AbortSignal;
    onStop?: () => void;
    niceBy?: number;
    tsx?: boolean;
    /** Where the child's stderr goes, as it comes: this process's stderr unless told. */
    stderr?: (chunk: string) => void;
  } = {},
): Promise<T> {
  const { signal, onStop, niceBy = BACKGROUND_NICE, tsx = true, stderr } = options;
  if (!Number.isInteger(niceBy) || niceBy < 0)
    return Promise.reject(new RangeError(`niceBy is a whole number of 0 or more, got ${niceBy}`));
  const code = `
// first: Node's default for SIGUSR1 opens an inspector that asks for nothing (src/server/signals.ts)
process.on("SIGUSR1", () => {});
const os = require("node:os");
const { readdirSync } = require("node:fs");
const { Worker } = require("node:worker_threads");
// below the parent's priority (a nice value above its own); nice is per thread on Linux: every
// thread there is now (V8's and libuv's), and those made later inherit it from the main one
const nice = Math.min(19, os.getPriority() + ${niceBy});
let tasks = [];
try { tasks = readdirSync("/proc/self/task"); } catch {}
for (const task of tasks) try { os.setPriority(Number(task), nice); } catch {}
if (tasks.length === 0) try { os.setPriority(nice); } catch {}
// the parent gone (killed outright, or crashed): end now, even in the middle of a load that is
// one long turn of this thread, which would see the IPC channel's disconnect only at its end
const parent = process.ppid;
new Worker(
  "const { workerData } = require('node:worker_threads');" +
    "setInterval(() => { if (process.ppid !== workerData) process.kill(process.pid, 'SIGKILL'); }, 500);",
  { eval: true, workerData: parent, execArgv: [] },
).unref();
process.once("disconnect", () => process.exit(1));
process.once("message", (data) => {
  ${answerOf(body, tsx)}.then((answer) => process.send(answer, () => process.exit(0)));
});
`;
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(stopped());
      return;
    }
    const child = spawn(process.execPath, [...memoryFlags(), "--input-type=commonjs", "-e", code], {
      // stderr through this process, passed on as it comes, its end kept for a failure's message
      stdio: ["ignore", "inherit", "pipe", "ipc"],
      serialization: "advanced",
      env: childEnv(),
    });
    let stderrTail = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr?.(chunk);
      stderrTail = (stderrTail + chunk).slice(-STDERR_KEPT);
    });
    // unless told where: to this process's stderr, with its backpressure (a slow reader slows
    // the child, as its own writes to an inherited stderr did, never this process's loop)
    if (stderr === undefined && child.stderr) passOn(child.stderr);
    let settled = false;
    const settle = (how: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", stop);
      process.removeListener("exit", killChild);
      how();
    };
    let stopping = false;
    const endStopped = () =>
      settle(() => {
        try {
          onStop?.();
        } catch {
          // cleaning up is best effort: the stop still ends
        }
        reject(stopped());
      });
    // this process ending (process.exit, an uncaught error) takes its child with it
    const killChild = () => child.kill("SIGKILL");
    process.once("exit", killChild);
    const stop = () => {
      stopping = true;
      // never spawned (its pid unknown: a kill would signal this process's group), or gone
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null)
        endStopped();
      else child.kill("SIGKILL");
    };
    signal?.addEventListener("abort", stop, { once: true });
    child.once("message", (answer: Answer<T>) => {
      if (stopping) return; // an answer already on its way when stopped: stopped wins
      settle(() => {
        if (answer.ok) resolve(answer.value);
        else reject(new WorkerFailure(answer.name, answer.message, answer.problems, answer.found));
      });
    });
    // a spawn that failed (no such file, no process left: EAGAIN) says so here, and its IPC
    // channel may say so again (EPIPE): every one is heard, the first settles
    child.on("error", (error) => {
      if (stopping) endStopped();
      else settle(() => reject(error));
    });
    // "close", not "exit": it comes once the IPC channel is drained too, so an answer sent just
    // before the child exited has been heard
    child.once("close", (exitCode, exitSignal) => {
      if (stopping) endStopped();
      else
        settle(() =>
          reject(
            new Error(
              `the child process exited (${exitSignal ?? `code ${exitCode}`}) before answering${whyEnded(exitCode, exitSignal)}${lastWords(stderrTail)}`,
            ),
          ),
        );
    });
    child.send(data, () => {
      // a failed send is the child's failure, reported by "error" or "close"
    });
  });
}

/**
 * The child's environment: this process's, without the debugger's options of NODE_OPTIONS (an
 * inspector of its own would contend for this one's port, or wait for a debugger to attach).
 */
function childEnv(): NodeJS.ProcessEnv {
  const options = process.env.NODE_OPTIONS;
  if (options === undefined || !/--inspect/.test(options)) return process.env;
  return {
    ...process.env,
    NODE_OPTIONS: options
      .split(/\s+/)
      .filter((option) => !/^--inspect/.test(option))
      .join(" "),
  };
}

/**
 * What a child's end without an answer may mean. SIGKILL is the kernel's out-of-memory killer's,
 * but also anyone's `kill -9`: said to be "out of memory?" alone, a child killed by hand (red team
 * 11, F6: one wedged by a named pipe) sent its operator after memory that was never short.
 */
function whyEnded(exitCode: number | null, exitSignal: NodeJS.Signals | null): string {
  if (exitSignal === "SIGABRT" || exitCode === 134)
    return ": out of memory? (Node's --max-old-space-size)";
  if (exitSignal === "SIGTRAP") return ": V8 ended it on a fatal error";
  if (exitSignal === "SIGKILL")
    return ": killed, by the kernel's out-of-memory killer (the machine's memory) or by hand";
  return "";
}

/**
 * A child's stderr, piped to this process's as it comes. Not by writeSync(2): stderr a blocking
 * pipe, a slow reader held the server's loop (554 ms for 4 MB); stderr non-blocking (once
 * anything touched process.stderr), a full pipe's EAGAIN dropped the rest unsaid (62 KB of
 * 4 MB passed on: review 43). A stderr that is gone (EPIPE) loses the words, not the server:
 * its "error" event is heard here.
 */
function passOn(from: NodeJS.ReadableStream): void {
  if (!stderrHeard) {
    stderrHeard = true;
    process.stderr.on("error", () => {
      // nowhere to say it
    });
  }
  from.pipe(process.stderr, { end: false });
}
let stderrHeard = false;

/** How much of the end of a child's stderr is kept for its failure's message. */
const STDERR_KEPT = 16 * 1024;

/**
 * The error a child that ended without answering said last on stderr, as `; it said "..."`, or
 * nothing. V8's fatal errors (`# Fatal JavaScript invalid size error 174895934`, `FATAL ERROR:
 * Reached heap limit ...`) are followed by a native stack trace; only the log's raw stderr said
 * them, and the reload's failure named nothing but the signal (red team 41, F4).
 */
export function lastWords(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((line) => line.replace(/^[#\s]+/, "").trim())
    .filter((line) => /\b(fatal|error)\b/i.test(line) && !/^(\d+:|at )/.test(line));
  const said = lines.at(-1);
  if (said === undefined) return "";
  return `; it said "${said.length > 200 ? `${said.slice(0, 197)}...` : said}"`;
}
