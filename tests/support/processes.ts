/**
 * A script of this project run as a child process (`node --import tsx FILE`, or `node FILE` for a
 * prebuilt bundle: tests/support/server-bundle.ts), ready once it prints the line that says where
 * it listens: for the child-process tests and the federation benchmark; and `runNode`, a node
 * child run to its end without holding the test worker.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * The environment a child server of the tests starts with: this process's, with the settings a
 * developer's shell may hold for their own server cleared (an empty value is an unset one: the
 * port, host, dataset and number of workers), its log at `info` (the tests read its lines) and
 * load shedding off (a busy machine must not turn answers into 503s, see tests/support/server.ts),
 * then `env` on top.
 */
export function childEnv(env: Record<string, string> = {}): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    PORT: "",
    HOST: "",
    KZ_OSCE_DATA: "",
    KZ_OSCE_WORKERS: "",
    KZ_OSCE_LOG_LEVEL: "info",
    KZ_OSCE_MAX_EVENT_LOOP_DELAY_MS: "0",
    ...env,
  };
}

export interface RunningProcess {
  child: ChildProcess;
  /** The URL from the ready line. */
  url: string;
  output: () => string;
  /**
   * Resolves as soon as the output (stdout and stderr) satisfies `done`, looked at on each chunk
   * the process writes; fails with the output so far if the process exits first.
   */
  outputUntil(done: (output: string) => boolean): Promise<void>;
  /** Resolves when the process has exited and its output is complete. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL, if it still runs (for clean-up after a failed test). */
  kill(): Promise<void>;
}

/**
 * Start `node [nodeArgs] --import tsx script [args]` in the project's root (without `--import
 * tsx` when `script` is JavaScript: a bundle of tests/support/server-bundle.ts) and wait for a
 * line of its output that `ready` matches, its first group being the URL; fails with the output
 * so far if the process exits first or `timeoutMs` passes.
 */
export function startProcess(
  script: string,
  {
    args = [],
    env = {},
    nodeArgs = [],
    ready,
    timeoutMs,
  }: {
    args?: string[];
    env?: Record<string, string>;
    nodeArgs?: string[];
    ready: RegExp;
    timeoutMs: number;
  },
): Promise<RunningProcess> {
  const tsx = /\.[cm]?js$/.test(script) ? [] : ["--import", "tsx"];
  const child = spawn(process.execPath, [...nodeArgs, ...tsx, script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const watchers = new Set<() => void>();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal })),
  );
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGKILL");
    await exited;
  };
  const outputUntil = (done: (output: string) => boolean) =>
    new Promise<void>((resolve, reject) => {
      const look = () => {
        if (!done(out)) return;
        watchers.delete(look);
        resolve();
      };
      watchers.add(look);
      void exited.then(() => {
        if (watchers.delete(look))
          reject(new Error(`${script} exited before its output showed what was awaited:\n${out}`));
      });
      look();
    });
  const onOutput = (chunk: string) => {
    out += chunk;
    for (const look of [...watchers]) look();
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void kill();
      reject(new Error(`${script} did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: string) => {
      onOutput(chunk);
      const match = ready.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => out, outputUntil, exited, kill });
      }
    };
    child.stdout!.setEncoding("utf8").on("data", onData);
    child.stderr!.setEncoding("utf8").on("data", onOutput);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${signal ?? code}) before it was ready:\n${out}`));
    });
  });
}

/**
 * Runs `node ARGS` to its end, asynchronously (spawnSync would hold the test worker the whole
 * time); resolves to its exit code and its whole output.
 */
export function runNode(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve) =>
    child.once("close", (status) => resolve({ status, stdout, stderr })),
  );
}

/**
 * The pids of `pid`'s children (Linux): from the kernel's list of each of its threads' children
 * (`/proc/PID/task/TID/children`, a read per thread: about 0.1 ms), or, on a kernel without those
 * files, from every process's stat in /proc (a read per process on the machine: 1.5 ms with 80 of
 * them, which a test looking every 5 ms through a start pays as about a CPU-second).
 */
export function childrenOf(pid: number): number[] {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return []; // ended
  }
  const children: number[] = [];
  for (const thread of threads)
    try {
      for (const child of readFileSync(`/proc/${pid}/task/${thread}/children`, "utf8").split(" "))
        if (child) children.push(Number(child));
    } catch (error) {
      // no such file on this kernel (CONFIG_PROC_CHILDREN): the whole table
      if (
        (error as NodeJS.ErrnoException).code === "ENOENT" &&
        existsSync(`/proc/${pid}/task/${thread}`)
      )
        return childrenIn(parents(), pid);
      // else the thread ended meanwhile
    }
  return children;
}

/** The pids of `pid`'s children in `parents` (a map from each pid to its parent's). */
export function childrenIn(parents: ReadonlyMap<number, number>, pid: number): number[] {
  const children: number[] = [];
  for (const [child, parent] of parents) if (parent === pid) children.push(child);
  return children;
}

/**
 * Every process's parent, by pid, from each process's stat in /proc (Linux): one read of each,
 * for a test that looks for several processes' children at once, again and again (a scan of
 * /proc per process asked about cost it a CPU-second a start).
 */
export function parents(): Map<number, number> {
  const found = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return found;
  }
  for (const entry of entries)
    try {
      // the parent's pid is the second field after the command's name in parentheses
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      found.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // ended meanwhile
    }
  return found;
}
