/**
 * A reload whose snapshot is refused where it is read (something other than a regular file in
 * its place: data-file.ts) is loaded again, and its log line says so, with the refusal: it said
 * "the dataset changed during its reload", which sent an operator looking for an edit that never
 * was, where a named pipe had been renamed over the snapshot (red team 11, F1). The load is the
 * primary's hand-off (`fromPrimary`), made here, so that the snapshot can be replaced between
 * its write and its read.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadJsonGraph } from "../../src/graph/load.js";
import { ensureSnapshot } from "../../src/graph/snapshot/load.js";
import { snapshotPath } from "../../src/graph/snapshot/snapshot.js";
import { watchDataset } from "../../src/server/reload.js";
import { exportToTmp, removeDir } from "../fixtures/datasets.js";
import { startServer, type TestServer } from "../support/server.js";

let dir: string;
let server: TestServer;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  dir = exportToTmp();
  server = await startServer(loadJsonGraph(dir), {
    logLevel: "info",
    logSink: { write: (line: string) => logs.push(JSON.parse(line)) },
  });
});
afterAll(async () => {
  await server?.close();
  removeDir(dir);
});

describe("a reload whose snapshot is refused", () => {
  it("says the snapshot could not be read, and why, not that the dataset changed; then loads it again", async () => {
    const path = snapshotPath(dir);
    let good: Buffer | undefined;
    let loads = 0;
    const reloader = watchDataset(server.app, {
      dataDir: dir,
      snapshot: true,
      debounceMs: 60_000,
      fromPrimary: async () => {
        const ensured = await ensureSnapshot(dir);
        if (++loads === 1) {
          // made current, then a named pipe renamed over it before this thread reads it
          good = readFileSync(path);
          execFileSync("mkfifo", [`${path}.fifo`]);
          renameSync(`${path}.fifo`, path);
        }
        return ensured;
      },
    });
    try {
      await reloader.ready;
      const before = logs.length;
      const outcome = await reloader.reload();
      expect(outcome).toMatchObject({ outcome: "applied" });
      expect(loads).toBe(2);
      const said = logs.slice(before).map((line) => line.msg);
      expect(said).not.toContain("the dataset changed during its reload: loading it again");
      expect(logs.slice(before)).toContainEqual(
        expect.objectContaining({
          msg: "the snapshot its reload wrote could not be read (corrupt): loading the dataset again",
          reason: `corrupt: the snapshot at ${path} is a named pipe (FIFO), not a regular file`,
        }),
      );
    } finally {
      await reloader.close();
      // the second load wrote a regular file over the pipe; put back the first's if it did not
      if (good !== undefined && loads < 2) {
        rmSync(path, { force: true });
        writeFileSync(path, good);
      }
    }
  }, 60_000);
});
