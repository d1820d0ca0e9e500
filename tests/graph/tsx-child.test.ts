/**
 * Work in a child process at a lower priority (src/graph/tsx-child.ts), as a live reload's full
 * load runs beside the serving thread: another process, every thread of it niced, answers and
 * failures carried back whole, and a stop, or its parent's end, that leaves no process behind.
 */
import { type SpawnOptions, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { getPriority, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { BACKGROUND_NICE, inTsxChild, lastWords } from "../../src/graph/tsx-child.js";
import { WorkerFailure } from "../../src/graph/tsx-worker.js";
import { bundled } from "../support/server-bundle.js";

/** Whether `pid` runs (a zombie, ended but not yet reaped, does not). */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // the state, after the command's name in parentheses
    return !/\)\s+Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return process.platform !== "linux";
  }
};

/**
 * A process running `script` (an ES module, with `inTsxChild` in scope): the parent of the
 * child it starts, whose own end, stdout and stderr the test sees. It imports tsx-child.ts
 * from its bundle (tests/support/server-bundle.ts), with plain node: through tsx, each parent
 * cost about 0.6 CPU-s more, for the loader alone (what the parent does is the module's).
 */
const parentRunning = (script: string, options: SpawnOptions) =>
  spawn(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const { inTsxChild } = await import(${JSON.stringify(pathToFileURL(bundled("tsx-child")).href)});\n${script}`,
    ],
    options,
  );

/**
 * A child's main thread held for good in one turn, as by a load that never ends: blocked
 * (Atomics.wait), which no event, timer or signal handler of its loop can end, as a spin
 * (`for (;;) {}`) would be, without spending a core until the kill (a grandchild whose parent
 * is killed spun until its watchdog noticed, up to half a second, on no process's account).
 */
const HELD_FOR_GOOD = "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);";

/**
 * Resolves once `what()` holds, looked at every 20 ms; throws after `ms`, a bound for a process
 * that never comes (a tsx child niced by 10 took more than 10 s to start under a load of 18),
 * not a measure: the tests' own timeouts are above it.
 */
async function until(what: () => boolean, ms = 40_000): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error("waited in vain");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * One child at the default nice value for the first two tests (each costs about a CPU-second,
 * most of it tsx's loader starting): its threads' priorities, read first thing (the threads V8 and
 * libuv started before its code ran), then a sum by this project's TypeScript and a map of typed
 * arrays, as it answers them. Started by whichever test runs first.
 */
let defaultChild:
  | Promise<{
      tasks: number;
      priorities: number[];
      pid: number;
      sum: number;
      map: Map<string, Uint32Array>;
    }>
  | undefined;
const askDefaultChild = () =>
  (defaultChild ??= inTsxChild(
    `const { readdirSync } = await load("node:fs");
     const { getPriority } = await load("node:os");
     const tasks = readdirSync("/proc/self/task").map(Number);
     const threads = { tasks: tasks.length, priorities: tasks.map((task) => getPriority(task)) };
     const { sum } = await load(data.module);
     return { ...threads, pid: process.pid, sum: sum(data.numbers), map: new Map([["a", new Uint32Array(data.numbers)]]) };`,
    {
      numbers: [1, 2, 40],
      // this project's TypeScript, loaded through tsx in the child
      module: new URL("../fixtures/child-sum.ts", import.meta.url).href,
    },
  ));

/**
 * For a body that loads no TypeScript: the child without tsx's loader (about half a CPU-second
 * less to start), as a child prebuilt as JavaScript runs (snapshot/child-entry.ts).
 */
const PLAIN = { tsx: false } as const;

describe("inTsxChild", () => {
  it("runs in another process, with the data given, and brings back what it returns, typed arrays and maps included", async () => {
    const answer = await askDefaultChild();
    expect(answer.pid).not.toBe(process.pid);
    expect(answer.sum).toBe(43);
    expect(answer.map.get("a")).toEqual(new Uint32Array([1, 2, 40]));
  }, 30_000);

  it.runIf(process.platform === "linux")(
    "nices every thread of the child, those V8 and libuv started before its code ran included",
    async () => {
      const niced = await askDefaultChild();
      // Node's main thread, V8's platform workers and more: not only the main one
      expect(niced.tasks).toBeGreaterThan(2);
      // BACKGROUND_NICE above this process's own (at most 19): the kernel serves this one first
      const expected = Math.min(19, getPriority() + BACKGROUND_NICE);
      expect(niced.priorities).toEqual(niced.priorities.map(() => expected));
    },
    30_000,
  );

  it.runIf(process.platform === "linux")(
    "takes another nice value when told (niceBy: 0 for work its parent waits for), and refuses one that is not a whole number of 0 or more",
    async () => {
      const nices = await inTsxChild<number[]>(
        `const { readdirSync } = await load("node:fs");
       const { getPriority } = await load("node:os");
       return readdirSync("/proc/self/task").map((task) => getPriority(Number(task)));`,
        {},
        { niceBy: 0, tsx: false },
      );
      expect(new Set(nices)).toEqual(new Set([getPriority()]));
      for (const niceBy of [-1, 1.5, Number.NaN])
        await expect(inTsxChild("return 1;", {}, { niceBy })).rejects.toThrow(RangeError);
    },
    30_000,
  );

  it("registers tsx's loader unless told not to (tsx: false), when it imports with node's own", async () => {
    const module = new URL("../fixtures/child-sum.ts", import.meta.url).href;
    const body = `return typeof (await load(data.module)).sum;`;
    expect(await inTsxChild(body, { module })).toBe("function");
    // plain node cannot import TypeScript, and says so
    await expect(inTsxChild(body, { module }, PLAIN)).rejects.toThrow(/\.ts/);
  }, 30_000);

  it("rejects with what the child threw, a DatasetError's problems included", async () => {
    const failure = await inTsxChild(
      `const error = new Error("no such state"); error.name = "DatasetError";
       error.problems = [{ path: "persons[0]", message: "unknown ref" }]; throw error;`,
      {},
      PLAIN,
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkerFailure);
    expect(failure).toMatchObject({
      thrownName: "DatasetError",
      message: "no such state",
      problems: [{ path: "persons[0]", message: "unknown ref" }],
    });
  }, 30_000);

  it("rejects, saying how, when the child ends without answering", async () => {
    await expect(inTsxChild(`process.exit(3);`, {}, PLAIN)).rejects.toThrow(
      "the child process exited (code 3) before answering",
    );
    await expect(inTsxChild(`process.kill(process.pid, "SIGKILL");`, {}, PLAIN)).rejects.toThrow(
      "the child process exited (SIGKILL) before answering: killed, by the kernel's out-of-memory killer (the machine's memory) or by hand",
    );
  }, 30_000);

  it("says what a child that died of a fatal error said of it on stderr, and passes its stderr on", async () => {
    // red team 41, F4: a 300 MiB name crashed a reload's child with V8's fatal "invalid size
    // error", and the failure said only "exited (SIGTRAP) before answering"; V8 writes such an
    // error, then a native stack trace, then raises SIGTRAP
    const fatal = [
      "",
      "#",
      "# Fatal JavaScript invalid size error 174895934",
      "#",
      "#FailureMessage Object: 0x7ffc6c3c6e60",
      "----- Native stack trace -----",
      " 1: 0xc8e4a1 node::OOMErrorHandler(char const*) [node]",
      " 2: 0x10b9dc0 v8::internal::Runtime_GrowArrayElements(int, unsigned long*) [node]",
      "",
    ].join("\n");
    const written: string[] = [];
    await expect(
      inTsxChild(
        `process.stderr.write(${JSON.stringify(fatal)}, () => process.kill(process.pid, "SIGTRAP")); await new Promise(() => {});`,
        {},
        { ...PLAIN, stderr: (chunk) => written.push(chunk) },
      ),
    ).rejects.toThrow(
      'the child process exited (SIGTRAP) before answering: V8 ended it on a fatal error; it said "Fatal JavaScript invalid size error 174895934"',
    );
    // passed on whole, as it came
    expect(written.join("")).toBe(fatal);
    expect(
      lastWords(
        "a warning\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n 1: 0xb8 node::OOMErrorHandler\n",
      ),
    ).toBe(
      '; it said "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"',
    );
    expect(lastWords("(node:12) ExperimentalWarning: something\n")).toBe("");
    expect(lastWords(`Error: ${"e".repeat(500)}`)).toBe(`; it said "Error: ${"e".repeat(190)}..."`);
  }, 30_000);

  it("passes a child's stderr on to this process's, and outlives a stderr that is gone", async () => {
    /** A process that runs a child writing `words` to stderr, then says on stdout how it ended. */
    const parentOf = (stderr: "pipe" | "closed") => {
      const parent = parentRunning(
        `const words = "x".repeat(100000) + " the child's words";
           await inTsxChild(\`process.stderr.write(\${JSON.stringify(words)}, () => process.exit(3)); await new Promise(() => {});\`, {}, { tsx: false })
             .catch((error) => console.log(error.message));
           console.log("still here");`,
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      let out = "";
      let err = "";
      parent.stdout!.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
      parent.stderr!.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
      // its stderr's reader gone before the child writes: its writes there fail with EPIPE
      if (stderr === "closed") parent.stderr!.destroy();
      return new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
        parent.once("close", (code) => resolve({ code, out, err })),
      );
    };
    const [piped, closed] = await Promise.all([parentOf("pipe"), parentOf("closed")]);
    expect(piped).toMatchObject({
      code: 0,
      out: "the child process exited (code 3) before answering\nstill here\n",
    });
    expect(piped.err).toBe(`${"x".repeat(100000)} the child's words`);
    expect(closed).toMatchObject({
      code: 0,
      out: "the child process exited (code 3) before answering\nstill here\n",
    });
  }, 60_000);

  it("passes a child's stderr on without holding this process's loop while its reader is slow, and loses none of it", async () => {
    // by writeSync(2), a stderr pipe not read held the server's loop (554 ms for 4 MB), or, made
    // non-blocking, lost all but the first 64 KB (review 43)
    const bytes = 4 * 1024 * 1024;
    const parent = parentRunning(
      `let ticks = 0;
         const ticking = setInterval(() => console.log("tick " + ++ticks), 10);
         await inTsxChild(\`process.stderr.write("e".repeat(${bytes}), () => process.exit(3)); await new Promise(() => {});\`, {}, { tsx: false })
           .catch((error) => console.log(error.message));
         clearInterval(ticking);
         console.log("done");`,
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let received = 0;
    const firstBytes = new Promise<void>((resolve) =>
      parent.stderr!.on("data", (chunk: Buffer) => {
        received += chunk.length;
        resolve();
      }),
    );
    const closed = new Promise<number | null>((resolve) => parent.once("close", resolve));
    try {
      parent.stdout!.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
      await firstBytes;
      // its stderr not read from now on: a write of the rest that waited would stop the ticks
      parent.stderr!.pause();
      const ticksNow = () => (out.match(/tick/g) ?? []).length;
      const from = ticksNow();
      await new Promise<void>((resolve) => {
        const look = () => (ticksNow() >= from + 20 ? resolve() : setTimeout(look, 10));
        look();
      });
      parent.stderr!.resume();
      expect(await closed).toBe(0);
      expect(out).toMatch(/the child process exited \(code 3\) before answering\ndone\n$/);
      expect(received).toBe(bytes);
    } finally {
      parent.kill("SIGKILL");
    }
  }, 60_000);

  it("when stopped, kills the child wherever it is, then cleans up, then rejects", async () => {
    const stop = new AbortController();
    const pidFile = join(mkdtempSync(join(tmpdir(), "kz-child-")), "pid");
    let childPid = 0;
    let cleanedWhileAlive: boolean | undefined;
    const work = inTsxChild(
      // held for good, in one turn: only a kill ends it
      `(await load("node:fs")).writeFileSync(data.pidFile, String(process.pid)); ${HELD_FOR_GOOD}`,
      { pidFile },
      {
        ...PLAIN,
        signal: stop.signal,
        onStop: () => {
          cleanedWhileAlive = alive(childPid);
        },
      },
    );
    void work.catch(() => {});
    try {
      await until(() => existsSync(pidFile) && readFileSync(pidFile, "utf8") !== "");
      childPid = Number(readFileSync(pidFile, "utf8"));
      expect(alive(childPid)).toBe(true);
    } finally {
      // whatever failed above, the held child must not outlive the test
      stop.abort();
    }
    await expect(work).rejects.toMatchObject({ name: "AbortError" });
    expect(cleanedWhileAlive).toBe(false);
    expect(alive(childPid)).toBe(false);
    // a signal already given: nothing started
    await expect(inTsxChild(`return 1;`, {}, { signal: stop.signal })).rejects.toMatchObject({
      name: "AbortError",
    });
  }, 90_000);

  it("ends when the process that started it is killed, even in the middle of one long turn", async () => {
    // a process that starts a child held for good in one turn (as by a full load), which says
    // its pid; then the process is killed outright, and the child must end by itself
    const pidFile = join(mkdtempSync(join(tmpdir(), "kz-child-")), "pid");
    const body = `(await load("node:fs")).writeFileSync(data.pidFile, String(process.pid));
      ${HELD_FOR_GOOD}`;
    const parent = parentRunning(
      `void inTsxChild(${JSON.stringify(body)}, { pidFile: ${JSON.stringify(pidFile)} }, { tsx: false });`,
      { stdio: ["ignore", "ignore", "inherit"] },
    );
    let child = 0;
    try {
      await until(() => existsSync(pidFile) && readFileSync(pidFile, "utf8") !== "");
      child = Number(readFileSync(pidFile, "utf8"));
      expect(alive(child)).toBe(true);
      parent.kill("SIGKILL");
      await until(() => !alive(child));
    } finally {
      parent.kill("SIGKILL");
      if (child !== 0 && alive(child)) process.kill(child, "SIGKILL");
    }
  }, 90_000);

  it("says a spawn that failed, and a stop at once after it ends it without signalling anything", async () => {
    const { execPath } = process;
    const stop = new AbortController();
    try {
      Object.defineProperty(process, "execPath", {
        value: "/nonexistent/node",
        configurable: true,
      });
      await expect(inTsxChild(`return 1;`, {})).rejects.toThrow(/ENOENT/);
      // a kill with no pid would signal this process's whole group: the stop must not try
      let cleaned = false;
      const work = inTsxChild(
        `return 1;`,
        {},
        { signal: stop.signal, onStop: () => (cleaned = true) },
      );
      stop.abort();
      await expect(work).rejects.toMatchObject({ name: "AbortError" });
      expect(cleaned).toBe(true);
    } finally {
      Object.defineProperty(process, "execPath", { value: execPath, configurable: true });
    }
  }, 30_000);
});
