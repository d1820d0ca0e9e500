/**
 * The real entry point, run as a child process: the first test with `npm start`'s own command
 * line (`node --max-semi-space-size=64 --import tsx src/server/main.ts`, read from package.json)
 * and environment (NODE_ENV unset, as in a shell: the server then runs in production mode,
 * src/server/node-env.ts, where every other child of the tests inherits vitest's `test`), the
 * others from its prebuilt bundle (`node .cache/server-bundle/main.mjs`, the same modules,
 * packages included, without tsx's loader: tests/support/server-bundle.ts). Every child is killed
 * after its test, whatever happened.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, watch, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { networkInterfaces } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { snapshotFileName } from "../../src/graph/snapshot/snapshot.js";
import { USAGE } from "../../src/server/config.js";
import { editJson, exportToTmp, removeDir } from "../fixtures/datasets.js";
import { connectAll } from "../support/kernel-queue.js";
import { freePort } from "../support/ports.js";
import { childEnv } from "../support/processes.js";
import { bundled } from "../support/server-bundle.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TIMEOUT = 120_000;
const SERVING = /^kz-osce-graph: serving (.+) at http:\/\/127\.0\.0\.1:(\d+)\/graphql$/m;

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when the process has exited and its output is complete. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();
const dirs: string[] = [];

afterEach(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await gone;
    }
  }
  children.clear();
  for (const dir of dirs.splice(0)) removeDir(dir);
});

/** `npm start`'s command line, from package.json: `node`, its options, the entry point. */
const NPM_START = (
  JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    scripts: { start: string };
  }
).scripts.start.split(" ");

/**
 * A test-only observer, preloaded into `npm start`'s child (nothing of it is in the server's
 * code): as the process exits, it writes which mode the graphql-js the server loaded is in (as
 * tests/server/node-env.test.ts tells it: outside production, an object that only claims to be
 * a GraphQLObjectType makes `isObjectType` throw) and what NODE_ENV then is. It loads nothing
 * itself: graphql-js is taken from require's cache, where the server's imports put it.
 */
const GRAPHQL_MODE_OBSERVER = `data:text/javascript,${encodeURIComponent(`
  import { createRequire } from "node:module";
  process.once("exit", () => {
    const require = createRequire(${JSON.stringify(ROOT)});
    const graphql = require.cache[require.resolve("graphql")]?.exports;
    let mode = "not loaded";
    if (graphql)
      try {
        mode = graphql.isObjectType({ [Symbol.toStringTag]: "GraphQLObjectType" }) ? "?" : "production";
      } catch {
        mode = "development checks";
      }
    process.stdout.write("test hook: graphql-js " + mode + ", NODE_ENV=" + process.env.NODE_ENV + "\\n");
  });`)}`;

/**
 * Start the server with these arguments and environment (on top of tests/support/processes.ts's
 * `childEnv`): from its bundle, or with `npm start`'s command line and NODE_ENV unset, as a shell
 * runs it (`GRAPHQL_MODE_OBSERVER` preloaded).
 */
function start(args: string[], env: Record<string, string> = {}, npmStart = false): Run {
  const command = npmStart
    ? ["--import", GRAPHQL_MODE_OBSERVER, ...NPM_START.slice(1)]
    : [bundled("main")];
  const childEnvironment = childEnv(env);
  if (npmStart) delete childEnvironment.NODE_ENV;
  const child = spawn(process.execPath, [...command, ...args], {
    cwd: ROOT,
    env: childEnvironment,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Resolves at the "serving ... at URL" line, as soon as it is written; fails with the output so far if the process exits first. */
function serving(run: Run): Promise<{ what: string; port: number; line: string }> {
  return new Promise((resolve, reject) => {
    const look = () => {
      const match = SERVING.exec(run.stdout());
      if (!match) return;
      run.child.stdout!.off("data", look);
      resolve({ what: match[1]!, port: Number(match[2]), line: match[0] });
    };
    // (listeners run in the order they were added: start()'s has added the chunk to stdout())
    run.child.stdout!.on("data", look);
    void run.exited.then(() =>
      reject(
        new Error(`the server did not start.\nstdout:\n${run.stdout()}\nstderr:\n${run.stderr()}`),
      ),
    );
    look();
  });
}

function tmpExport(): string {
  const dir = exportToTmp();
  dirs.push(dir);
  return dir;
}

describe("the server entry point", () => {
  // (the test below runs npm start's command with this node: the command must begin with it)
  it("is started by `npm start` with node", () => {
    expect(NPM_START[0]).toBe("node");
  });

  it(
    "serves the built-in dataset on a free port, answers /health, /graphql (queries and errors) and / (the explorer), and stops on SIGTERM (npm start's command line, in production mode)",
    async () => {
      const run = start(["--port", "0"], {}, true);
      const { what, port, line } = await serving(run);
      expect(what).toBe("the built-in dataset");
      expect(port).toBeGreaterThan(0);
      expect(run.stdout()).toBe(`${line}\n`);
      expect(run.stderr()).toBe("");

      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect(health.headers.get("content-type")).toBe("application/json");
      const body = (await health.json()) as { status: string; entities: number };
      expect(body).toMatchObject({ status: "ok" });
      expect(body.entities).toBeGreaterThan(50);

      const graphql = async (query: string) => {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ query }),
        });
        expect(response.status).toBe(200);
        return response.json();
      };
      expect(await graphql("{ states { totalCount } }")).toEqual({
        data: { states: { totalCount: 6 } },
      });
      // an error the schema raises on purpose, passed through Yoga's masking as it is (no
      // internals added), and one of validation (answered by Yoga's own pipeline)
      expect(await graphql('{ person(key: "nobody") { name } }')).toEqual({
        data: { person: null },
        errors: [
          {
            message: 'No person has the key "person/nobody".',
            locations: [{ line: 1, column: 3 }],
            path: ["person"],
            extensions: { code: "NOT_FOUND", argumentName: "key" },
          },
        ],
      });
      expect(await graphql('{ state(key: "kazakhstan") { nme } }')).toEqual({
        errors: [
          {
            message: 'Cannot query field "nme" on type "State". Did you mean "name" or "names"?',
            locations: [{ line: 1, column: 30 }],
            extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
          },
        ],
      });
      const explorer = await fetch(`http://127.0.0.1:${port}/`);
      expect(explorer.status).toBe(200);
      expect(explorer.headers.get("content-type")).toMatch(/^text\/html/);

      run.child.kill("SIGTERM");
      expect(await run.exited).toEqual({ code: 0, signal: null });
      expect(run.stdout()).toMatch(/"msg":"shutting down","signal":"SIGTERM"/);
      expect(run.stdout()).toMatch(/"msg":"stopped","clean":true/);
      // it ran in production mode: graphql-js without its development checks (node-env.ts)
      expect(run.stdout()).toContain("test hook: graphql-js production, NODE_ENV=production\n");
    },
    TIMEOUT,
  );

  // with --watch, which has the most to close (the dataset's watcher); the handlers are installed
  // before the line is printed whatever the options, and the first test stops a server without
  // --watch through the same shutdown. The dataset and port come from the environment: the line
  // names them (what is served from a JSON dataset is asked of the workers' children in
  // workers.test.ts, and of the same app in process everywhere else)
  it(
    "takes its port from PORT and its dataset from KZ_OSCE_DATA, and exits 0 through the graceful shutdown on a SIGTERM sent the moment it prints that it is serving (--watch)",
    async () => {
      const dir = tmpExport();
      const port = await freePort();
      const run = start(["--watch"], { PORT: String(port), KZ_OSCE_DATA: dir });
      // no polling delay: the signal goes out in the same tick as the "serving" line arrives
      let serving: RegExpExecArray | null = null;
      run.child.stdout!.on("data", () => {
        if (serving) return;
        serving = SERVING.exec(run.stdout());
        if (serving) run.child.kill("SIGTERM");
      });
      const exit = await run.exited;
      expect(serving, `never served:\n${run.stderr()}`).not.toBeNull();
      const [, what, listening] = serving!;
      expect(what).toBe(dir);
      expect(Number(listening)).toBe(port);
      expect(exit, `${run.stdout()}${run.stderr()}`).toEqual({
        code: 0,
        signal: null,
      });
      expect(run.stdout()).toMatch(/"msg":"shutting down","signal":"SIGTERM"/);
      expect(run.stdout()).toMatch(/"msg":"stopped","clean":true/);
    },
    TIMEOUT,
  );

  it(
    "serves the graph read back from a temporary snapshot where none can be written in the snapshots' directory, and removes it",
    async () => {
      const dir = tmpExport();
      const temporary = tmpExport();
      // /proc/self: a directory no process may make one in, root included
      const run = start(["--data", dir, "--port", "0"], {
        KZ_OSCE_SNAPSHOT_DIR: "/proc/self/kz-osce-snapshots",
        TMPDIR: temporary,
      });
      const { port } = await serving(run);
      const served = run
        .stdout()
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line))
        .find((line) => line.msg.startsWith("loaded in full"));
      // the graph served is the snapshot's (a fraction of the heap of the one loaded), not the one loaded
      expect(served).toMatchObject({
        level: "warn",
        msg: "loaded in full; the snapshot could not be written in its directory: serving it as read back from a temporary one",
        writeError: expect.stringMatching(/^ENOENT: /),
        placedIn: expect.stringMatching(new RegExp(`^${temporary}/\\.kz-osce-snapshot-reload-`)),
        servedFrom: "snapshot written",
      });
      expect(existsSync(served.placedIn)).toBe(false);
      const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: '{ person(key: "gyorgy-szabo") { name } }' }),
      });
      expect(await answer.json()).toEqual({ data: { person: { name: "György Szabó" } } });
      run.child.kill("SIGTERM");
      expect(await run.exited).toEqual({ code: 0, signal: null });
      expect(readdirSync(dir).filter((name) => name.startsWith(".kz-osce"))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    "keeps a JSON dataset's snapshot in KZ_OSCE_SNAPSHOT_DIR, writing nothing beside the dataset, and starts from it the next time",
    async () => {
      const dir = tmpExport();
      const snapshots = path.join(tmpExport(), "snapshots");
      const startOnce = async () => {
        const run = start(["--data", dir, "--port", "0"], { KZ_OSCE_SNAPSHOT_DIR: snapshots });
        await serving(run);
        run.child.kill("SIGTERM");
        expect(await run.exited).toEqual({ code: 0, signal: null });
        return run.stdout();
      };
      // and serves the graph read back from it, as the next start will (not the one loaded)
      expect(await startOnce()).toMatch(
        /"msg":"loaded in full; snapshot written".*"wrote":".*"servedFrom":"snapshot written"/,
      );
      const [home, ...more] = readdirSync(snapshots);
      expect(more).toEqual([]);
      expect(readdirSync(path.join(snapshots, home!))).toContain(snapshotFileName());
      expect(readdirSync(dir).filter((name) => name.startsWith(".kz-osce"))).toEqual([]);
      expect(await startOnce()).toMatch(/"msg":"loaded from the snapshot"/);
    },
    TIMEOUT,
  );

  it(
    "with --watch, reloads at once a dataset edited while the server started, rather than serving the graph it loaded until the next edit",
    async () => {
      const dir = tmpExport();
      // the snapshot's temporary file is made once the dataset is loaded, before the server
      // listens and watches: the edit goes in then (the dataset's own watch sees it at once)
      let edited = false;
      const editing = new Promise<void>((resolve) => {
        const watcher = watch(dir, (_event, name) => {
          if (edited || !String(name).endsWith(".tmp")) return;
          edited = true;
          watcher.close();
          editJson(dir, "persons", (persons) => {
            persons.find((p) => p.id === "person/gyorgy-szabo").name.text = "György Szabó-Edited";
          });
          resolve();
        });
      });
      const run = start(["--data", dir, "--port", "0", "--watch"]);
      await editing;
      const { port } = await serving(run);
      const reloaded = () => /"msg":"dataset reloaded"/.test(run.stdout());
      // (bounded only so that a failure says why before the test's own timeout)
      await new Promise<void>((resolve, reject) => {
        const look = () => reloaded() && resolve();
        run.child.stdout!.on("data", look);
        void run.exited.then(() => reject(new Error(`exited:\n${run.stdout()}${run.stderr()}`)));
        setTimeout(
          () => reject(new Error(`no reload 30 s after the edit:\n${run.stdout()}`)),
          30_000,
        ).unref();
        look();
      });
      // (whether the snapshot's read back found the dataset stale, or the edit came after it,
      // the watcher's first look finds the files changed since the load began)
      expect(run.stdout()).toMatch(
        /"msg":"the dataset changed while the server started: reloading it"/,
      );
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: '{ person(key: "gyorgy-szabo") { name } }' }),
      });
      expect(await response.json()).toEqual({ data: { person: { name: "György Szabó-Edited" } } });
      run.child.kill("SIGTERM");
      expect(await run.exited).toEqual({ code: 0, signal: null });
    },
    TIMEOUT,
  );

  it(
    "listens with the backlog KZ_OSCE_LISTEN_BACKLOG asks: while it takes no connection (stopped), the kernel queues that many and one more, and no others",
    async () => {
      const run = start(["--port", "0"], { KZ_OSCE_LISTEN_BACKLOG: "100" });
      const { port } = await serving(run);
      run.child.kill("SIGSTOP");
      try {
        // (Linux queues one more than the backlog; the bound is the failing case's wait only:
        // the others never complete while the server is stopped)
        expect(connectAll(port, 150, 2000)).toBe(101);
      } finally {
        run.child.kill("SIGCONT");
      }
    },
    TIMEOUT,
  );

  it(
    "exits non-zero with exactly one line on stderr naming PORT when PORT is not a number",
    async () => {
      const run = start([], { PORT: "abc" });
      const { code } = await run.exited;
      expect(code).toBe(1);
      expect(run.stderr()).toBe(
        'kz-osce-graph: PORT must be a whole number from 0 to 65535, got "abc"\n',
      );
      expect(run.stderr().trimEnd().split("\n")).toHaveLength(1);
      expect(run.stdout()).toBe("");
    },
    TIMEOUT,
  );

  it(
    "exits non-zero with a one-line message when --data does not exist",
    async () => {
      const run = start(["--data", "/nonexistent", "--port", "0"]);
      const { code } = await run.exited;
      expect(code).toBe(1);
      expect(run.stderr()).toBe(
        'kz-osce-graph: --data: the dataset directory "/nonexistent" does not exist\n',
      );
      expect(run.stdout()).toBe("");
    },
    TIMEOUT,
  );

  it(
    "exits non-zero, serving neither, when --data is given twice, naming it (red team 44, N4)",
    async () => {
      const [first, second] = [tmpExport(), tmpExport()];
      const run = start(["--data", first, "--data", second, "--port", "0"]);
      // (the last one was served without a word: a serving line fails the test at once)
      const served = serving(run).then(({ what }) => {
        throw new Error(`it served ${what}`);
      });
      const { code } = await Promise.race([run.exited, served]);
      expect(code).toBe(1);
      expect(run.stderr()).toBe(
        `kz-osce-graph: --data is given more than once ("${first}" and "${second}"): give it once, so that it is clear which one counts\n${USAGE}\n`,
      );
      expect(run.stdout()).toBe("");
    },
    TIMEOUT,
  );

  it(
    "exits non-zero and shows the usage for an unknown argument",
    async () => {
      const run = start(["--verbose"]);
      const { code } = await run.exited;
      expect(code).toBe(1);
      expect(run.stderr()).toBe(`kz-osce-graph: unknown argument "--verbose"\n${USAGE}\n`);
      expect(run.stdout()).toBe("");
    },
    TIMEOUT,
  );

  it(
    "refuses to start on an invalid JSON dataset, listing every problem with file and entity id, and never listens",
    async () => {
      const dir = tmpExport();
      editJson(dir, "persons", (persons) => {
        persons[0].nationality.ref = "state/hungaryy";
      });
      editJson(dir, "events", (events) => {
        events[0].when.edtf = "1992-00";
      });
      const run = start(["--data", dir, "--port", "0"]);
      const { code } = await run.exited;
      expect(code).toBe(1);
      expect(run.stderr().split("\n")).toEqual([
        "kz-osce-graph: refusing to start.",
        "The dataset is invalid (2 problems):",
        `  - ${path.join(dir, "persons.json")}: person/gyorgy-szabo.nationality.ref: unknown state "state/hungaryy" (did you mean state/hungary?)`,
        `  - ${path.join(dir, "events.json")}: event/1992-kazakhstan-joins-the-osce.when.edtf: "1992-00" is not a valid EDTF date: month 00 is not between 01 and 12`,
        "",
      ]);
      expect(run.stdout()).toBe("");
      expect(run.stdout()).not.toMatch(SERVING);
    },
    TIMEOUT,
  );

  it(
    "refuses to start on a dataset directory holding a file that is not valid JSON",
    async () => {
      const dir = tmpExport();
      writeFileSync(path.join(dir, "states.json"), "[");
      const run = start(["--port", "0"], { KZ_OSCE_DATA: dir });
      const { code } = await run.exited;
      expect(code).toBe(1);
      const lines = run.stderr().trimEnd().split("\n");
      expect(lines.slice(0, 2)).toEqual([
        "kz-osce-graph: refusing to start.",
        "The dataset is invalid (1 problem):",
      ]);
      expect(lines[2]).toMatch(
        new RegExp(
          `^  - ${path.join(dir, "states.json").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not valid JSON: `,
        ),
      );
      expect(lines).toHaveLength(3);
      expect(run.stdout()).toBe("");
    },
    TIMEOUT,
  );

  // an address for documentation that this machine does not have (a sandbox may use TEST-NET
  // itself); none where any address may be listened on (ip_nonlocal_bind, on load balancers)
  const ADDRESSES = new Set(
    Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address)),
  );
  const NOT_OURS = ["192.0.2.123", "198.51.100.7", "203.0.113.9"].find((a) => !ADDRESSES.has(a));
  const nonLocalBind = (() => {
    try {
      return readFileSync("/proc/sys/net/ipv4/ip_nonlocal_bind", "utf8").trim() === "1";
    } catch {
      return false;
    }
  })();
  it.skipIf(NOT_OURS === undefined || nonLocalBind)(
    "refuses a host that is no address of this machine before it loads the dataset, saying which setting",
    async () => {
      const run = start(["--port", "0", "--data", tmpExport()], { HOST: NOT_OURS! });
      const { code } = await run.exited;
      expect(code).toBe(1);
      expect(run.stderr()).toBe(
        `kz-osce-graph: --host/HOST "${NOT_OURS}" is not an address of this machine (listen EADDRNOTAVAIL: address not available ${NOT_OURS}): give one of its addresses, 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)\n`,
      );
      // refused before the load (minutes at a million entities), which logs as it ends
      expect(run.stdout()).toBe("");
    },
    TIMEOUT,
  );

  it(
    "exits non-zero when the port is already taken",
    async () => {
      // any listener will do: the server must not start beside it
      const taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
      try {
        const { port } = taken.address() as AddressInfo;
        // a dataset whose load logs as it ends: nothing logged, the port was tried before it
        const second = start(["--port", String(port), "--data", tmpExport()]);
        const { code } = await second.exited;
        expect(code).toBe(1);
        expect(second.stderr()).toBe(
          `kz-osce-graph: listen EADDRINUSE: address already in use 127.0.0.1:${port}: is another server running on that port? Stop it, or choose another port with --port/PORT (0: any free port)\n`,
        );
        expect(second.stdout()).toBe("");
      } finally {
        await new Promise((resolve) => taken.close(resolve));
      }
    },
    TIMEOUT,
  );
});
