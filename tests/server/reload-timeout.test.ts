/**
 * A reload that never ends (red team 11, F2): its child wedged for good (then, in open() on a named
 * pipe where states.json was) held every later reload behind it, logged nothing, and /ready said
 * "watch":"ok". A reload now has a time bound (KZ_OSCE_RELOAD_TIMEOUT_MS): past it, its load is
 * stopped, the reload is reported failed, /ready says so, and the reload a change asked for
 * meanwhile runs. The wedged load is the primary's hand-off (`fromPrimary`), held until aborted:
 * no file can wedge a child any more (data-file.ts), and the bound is for what still could.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadJsonGraph } from "../../src/graph/load.js";
import { ensureSnapshot } from "../../src/graph/snapshot/load.js";
import { snapshotOfReply } from "../../src/server/cluster.js";
import type { Reloader, ReloadOutcome } from "../../src/server/reload.js";
import { watchDataset } from "../../src/server/reload.js";
import { RELOAD_TIMED_OUT } from "../../src/server/reload-codes.js";
import { exportToTmp, removeDir } from "../fixtures/datasets.js";
import { send } from "../support/http.js";
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

async function watchOf(): Promise<{ watch?: string; watchReason?: string }> {
  return JSON.parse((await send(server, { path: "/ready" })).text);
}

describe("a reload that does not end", () => {
  it("is stopped at its bound and reported failed; /ready says so; the reload asked meanwhile runs", async () => {
    const outcomes: ReloadOutcome[] = [];
    let second!: (outcome: ReloadOutcome) => void;
    const secondEnded = new Promise<ReloadOutcome>((resolve) => (second = resolve));
    /** The signal the wedged load was given, once it was asked for. */
    let wedged!: (signal: AbortSignal) => void;
    const asked = new Promise<AbortSignal>((resolve) => (wedged = resolve));
    let loads = 0;
    /** Holds the reload queued behind the wedged one until /ready has been read. */
    let letThrough!: () => void;
    const gate = new Promise<void>((resolve) => (letThrough = resolve));
    const reloader: Reloader = watchDataset(server.app, {
      dataDir: dir,
      snapshot: true,
      debounceMs: 60_000,
      // the queued reload waits at the gate for a /ready request: 3 s is ample for one at load 8
      reloadTimeoutMs: 3000,
      onReload: (outcome) => {
        outcomes.push(outcome);
        if (outcomes.length === 2) second(outcome);
      },
      // the first load never answers unless stopped; the next ones make the snapshot current here
      fromPrimary: (signal) => {
        if (++loads > 1) return gate.then(() => ensureSnapshot(dir));
        wedged(signal);
        return new Promise((_, reject) =>
          signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
        );
      },
    });
    try {
      await reloader.ready;
      const served = server.app.served.current.graph;
      const first = reloader.reload();
      const signal = await asked;
      // an edit during the wedged reload: one more after it, as reloads never overlap
      void reloader.reload();
      expect(await first).toMatchObject({
        outcome: "failed",
        error:
          "the reload did not finish within 3000 ms (KZ_OSCE_RELOAD_TIMEOUT_MS): its load was stopped",
      });
      expect(signal.aborted).toBe(true);
      expect(server.app.served.current.graph).toBe(served);
      expect(logs).toContainEqual(
        expect.objectContaining({
          msg: "dataset reload failed: the previous graph keeps serving",
          error: expect.stringContaining("did not finish within 3000 ms"),
        }),
      );
      // /ready says the watch failed, and why, until a reload ends in time; and that the reload
      // asked meanwhile is under way (held at the gate), since it began, right after the first
      const stuck = reloader.status();
      expect(stuck).toEqual({
        state: "failed",
        reason:
          "the last reload failed, the previous graph keeps serving: the reload did not finish within 3000 ms (KZ_OSCE_RELOAD_TIMEOUT_MS): its load was stopped",
        reloadingSince: expect.any(Date),
      });
      expect(await watchOf()).toMatchObject({
        watch: "failed",
        watchReason: stuck.reason,
        reloadingSince: stuck.reloadingSince!.toISOString(),
      });
      letThrough();
      expect((await secondEnded).outcome).toBe("applied");
      expect(reloader.status()).toEqual({ state: "ok" });
      expect(await watchOf()).toMatchObject({ watch: "ok" });
    } finally {
      // a failed expectation must not leave the queued reload at the gate, which close() awaits
      letThrough();
      await reloader.close();
    }
  }, 60_000);

  it("with --workers, is reported failed the same when the primary stopped its load at the bound first", async () => {
    // the primary's bound (cluster.ts sharedLoads) starts when the first worker asks; a worker
    // that joined its load later still waits when the primary answers that it ran out of time,
    // and must report the watch failed as it would at its own bound, not as any failed load
    const message =
      "the primary could not make the snapshot current: the primary's load for the workers' reload did not finish within 3000 ms (KZ_OSCE_RELOAD_TIMEOUT_MS): it was stopped";
    let loads = 0;
    const reloader: Reloader = watchDataset(server.app, {
      dataDir: dir,
      snapshot: true,
      debounceMs: 60_000,
      // this worker's own bound is far off
      reloadTimeoutMs: 600_000,
      fromPrimary: async () => {
        if (++loads > 1) return ensureSnapshot(dir);
        // as snapshotFromPrimary throws it (snapshotOfReply)
        throw snapshotOfReply({
          kind: "kz-snapshot",
          id: 0,
          error: message.replace("the primary could not make the snapshot current: ", ""),
          code: RELOAD_TIMED_OUT,
        });
      },
    });
    try {
      await reloader.ready;
      const served = server.app.served.current.graph;
      expect(await reloader.reload()).toMatchObject({ outcome: "failed", error: message });
      expect(server.app.served.current.graph).toBe(served);
      const reason = `the last reload failed, the previous graph keeps serving: ${message}`;
      expect(reloader.status()).toEqual({ state: "failed", reason });
      expect(await watchOf()).toMatchObject({ watch: "failed", watchReason: reason });
      expect((await reloader.reload()).outcome).toBe("applied");
      expect(reloader.status()).toEqual({ state: "ok" });
      expect(await watchOf()).toMatchObject({ watch: "ok" });
    } finally {
      await reloader.close();
    }
  }, 60_000);
});
