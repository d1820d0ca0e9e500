/**
 * A refused dataset that `npm run gen` wrote says to make it again (red team 11, F9): one kept
 * from an older generator fails a newer validation, and its problems alone did not say that
 * regenerating is the remedy.
 */
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { cpSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import { DatasetError } from "../../src/graph/problems.js";
import { watchDataset } from "../../src/server/reload.js";
import { makeTmpDir, removeDir } from "../fixtures/datasets.js";
import { childEnv, runNode } from "../support/processes.js";
import { startServer, type TestServer } from "../support/server.js";
import { bundled } from "../support/server-bundle.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HINT = "make it again with `npm run gen -- --entities 200 --seed 1 --format json`";

let dir: string;
let server: TestServer;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  dir = makeTmpDir();
  cpSync(generatedDataset(200), dir, { recursive: true });
  // refused as a kept dataset would be by a newer rule: here, a file the loader does not know
  writeFileSync(join(dir, "bogus.json"), "[]");
  server = await startServer(undefined, {
    logLevel: "info",
    logSink: { write: (line: string) => logs.push(JSON.parse(line)) },
  });
});
afterAll(async () => {
  await server?.close();
  removeDir(dir);
});

describe("a refused generated dataset", () => {
  it("gets the command that makes it again, in a reload's refusal and at a start", async () => {
    const reloader = watchDataset(server.app, { dataDir: dir, debounceMs: 60_000 });
    try {
      await reloader.ready;
      expect(await reloader.reload()).toMatchObject({ outcome: "refused" });
      const refusal = logs.find((line) => String(line.msg).startsWith("dataset reload refused"));
      expect(refusal?.hint).toEqual(expect.stringContaining(HINT));
      // a dataset that npm run gen did not write gets none
      rmSync(join(dir, ".generated"));
      logs.length = 0;
      expect(await reloader.reload()).toMatchObject({ outcome: "refused" });
      expect(
        logs.find((line) => String(line.msg).startsWith("dataset reload refused")),
      ).not.toHaveProperty("hint");
    } finally {
      await reloader.close();
    }
    cpSync(join(generatedDataset(200), ".generated"), join(dir, ".generated"));
    const start = await runNode(
      [bundled("main"), "--data", dir, "--port", "0", "--host", "127.0.0.1"],
      { cwd: ROOT, env: childEnv({ KZ_OSCE_SNAPSHOT: "false" }) },
    );
    expect(start.status).toBe(1);
    expect(start.stderr).toContain("kz-osce-graph: refusing to start.");
    expect(start.stderr).toContain(HINT);
  }, 120_000);
});

describe("a generated dataset that cannot be read", () => {
  it("is refused as unreadable in a reload, without the hint: making it again gives the same permissions", async () => {
    // red team 12, F6: a directory the server may not read (tests/server/unreadable-dataset.test.ts
    // starts the server as a user it shuts out); here the refusal as it reaches a worker, from
    // its primary's load (cluster.ts: the problems cross as they are)
    cpSync(join(generatedDataset(200), ".generated"), join(dir, ".generated"));
    const problem = {
      file: dir,
      message: "cannot read the dataset directory: permission denied: ...",
      readError: "EACCES",
    };
    const reloader = watchDataset(server.app, {
      dataDir: dir,
      debounceMs: 60_000,
      snapshot: true,
      fromPrimary: async () => {
        throw new DatasetError([problem]);
      },
    });
    try {
      await reloader.ready;
      logs.length = 0;
      expect(await reloader.reload()).toMatchObject({ outcome: "refused" });
      const refusal = logs.find((line) => String(line.msg).startsWith("dataset reload refused"));
      expect(refusal).toMatchObject({
        msg: "dataset reload refused: the dataset cannot be read, the previous graph keeps serving",
        report: `The dataset cannot be read (1 problem):\n  - ${dir}: ${problem.message}`,
      });
      expect(refusal).not.toHaveProperty("hint");
    } finally {
      await reloader.close();
    }
  });
});

describe("a generator's marker that is not a regular file", () => {
  it("gives no hint, and the start it is read for is refused and exits, not held for good", async () => {
    // review 12: the marker was read by name, on the serving thread; a named pipe in its place held
    // a reload's refusal and a refused start for good (SIGTERM could not stop them). In a child,
    // killed after 60 s: a thread stuck in open() cannot time itself out
    const piped = makeTmpDir();
    try {
      cpSync(generatedDataset(200), piped, { recursive: true });
      writeFileSync(join(piped, "bogus.json"), "[]");
      rmSync(join(piped, ".generated"));
      execFileSync("mkfifo", [join(piped, ".generated")]);
      const child = spawn(
        process.execPath,
        [bundled("main"), "--data", piped, "--port", "0", "--host", "127.0.0.1"],
        {
          cwd: ROOT,
          env: childEnv({ KZ_OSCE_SNAPSHOT: "false" }),
          stdio: ["ignore", "ignore", "pipe"],
          timeout: 60_000,
          killSignal: "SIGKILL",
        },
      );
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const [status, signal] = await once(child, "close");
      expect({ status, signal }).toEqual({ status: 1, signal: null });
      expect(stderr).toContain("kz-osce-graph: refusing to start.");
      expect(stderr).not.toContain("npm run gen");
    } finally {
      removeDir(piped);
    }
  }, 120_000);
});
