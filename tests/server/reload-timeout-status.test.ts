/**
 * A reload's time-out (KZ_OSCE_RELOAD_TIMEOUT_MS) does not hide the watcher's own state: it was
 * reported over the watcher's "waiting" (the dataset's directory gone), and the next reload that
 * ended in time then cleared it to "ok", which /ready said while the directory was still gone
 * (review 12). The other cases of the bound: reload-timeout.test.ts.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadJsonGraph } from "../../src/graph/load.js";
import type { ReloadOutcome } from "../../src/server/reload.js";
import { watchDataset } from "../../src/server/reload.js";
import { exportToTmp, removeDir } from "../fixtures/datasets.js";
import { send } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

let dir: string;
let server: TestServer;
beforeAll(async () => {
  dir = exportToTmp();
  server = await startServer(loadJsonGraph(dir), { logLevel: "silent" });
});
afterAll(async () => {
  await server?.close();
});

it("keeps the watcher's wait for its directory through a reload's time-out and the reload after it", async () => {
  let loads = 0;
  let wedged!: () => void;
  const asked = new Promise<void>((r) => (wedged = r));
  let second!: (o: ReloadOutcome) => void;
  const secondEnded = new Promise<ReloadOutcome>((r) => (second = r));
  const outcomes: ReloadOutcome[] = [];
  const reloader = watchDataset(server.app, {
    dataDir: dir,
    snapshot: true,
    debounceMs: 60_000,
    reloadTimeoutMs: 3000,
    onReload: (o) => {
      outcomes.push(o);
      if (outcomes.length === 2) second(o);
    },
    fromPrimary: (signal) => {
      if (++loads > 1) return Promise.reject(new Error("ENOENT: the dataset directory is gone"));
      wedged();
      return new Promise((_, reject) =>
        signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
      );
    },
  });
  try {
    await reloader.ready;
    const first = reloader.reload();
    await asked;
    void reloader.reload(); // an edit meanwhile: queued
    removeDir(dir); // the directory goes
    // the watcher sees it go, and waits for it to be made again
    await expect.poll(() => reloader.status().state, { timeout: 30_000 }).toBe("waiting");
    expect((await first).outcome).toBe("failed");
    // the time-out does not take the place of the watcher's wait
    expect(reloader.status().state).toBe("waiting");
    // nor does the queued reload, failed at once, clear it
    expect((await secondEnded).outcome).toBe("failed");
    expect(reloader.status().state).toBe("waiting");
    expect(JSON.parse((await send(server, { path: "/ready" })).text)).toMatchObject({
      watch: "waiting",
    });
  } finally {
    await reloader.close();
  }
}, 60_000);
