/**
 * What /ready says after a reload that did not apply (reload.ts, `reloadStatus`): the graph served
 * is then not the dataset on disk, and /ready says so, and why, until a reload is applied. A review
 * found it at "watch":"ok" after every refused or failed reload but one that ran out of time (only
 * `kz_osce_graph_reloads_total` said so): an invalid edit, a load that failed, the code on disk
 * changed (reload-code-changed.test.ts, with --workers too). The time-out's own cases:
 * reload-timeout.test.ts and reload-timeout-status.test.ts.
 */
import { cpSync, renameSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { ensureSnapshot } from "../../src/graph/snapshot/load.js";
import type { watchDataset } from "../../src/server/reload.js";
import { editJson, exportToTmp, removeDir } from "../fixtures/datasets.js";
import { watchedServer } from "../support/watched.js";

const PROBLEM =
  'person/gyorgy-szabo.nationality.ref: unknown state "state/hungaryy" (did you mean state/hungary?)';
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

/** A JSON dataset (the built-in one, exported) served and watched, with its reloads. */
async function watched(options: Partial<Parameters<typeof watchDataset>[1]> = {}) {
  const dir = exportToTmp();
  dirs.push(dir);
  return watchedServer(dir, options, { logged: false });
}

/** Szabó's nationality made an unknown state (`hungaryy`), or put back. */
function breakNationality(dir: string, broken: boolean): void {
  editJson(dir, "persons", (persons) => {
    persons.find((p: { id: string }) => p.id === "person/gyorgy-szabo").nationality.ref = broken
      ? "state/hungaryy"
      : "state/hungary";
  });
}

describe("/ready after a reload that did not apply", () => {
  it('says "refused", with the validator\'s first problem, after an invalid edit, and "ok" once an edit is applied again', async () => {
    const w = await watched();
    try {
      let reloaded = w.nextReload();
      breakNationality(w.dir, true);
      expect(await reloaded).toMatchObject({ outcome: "refused" });
      const refused = await w.ready();
      // still ready: the previous graph serves, and taking it out of a load balancer would turn
      // stale data into no data
      expect(refused.status).toBe(200);
      expect(refused.json).toMatchObject({ status: "ready", watch: "refused" });
      expect(refused.json.watchReason).toMatch(
        /^the last reload refused the dataset, the previous graph keeps serving: \S*persons\.json: /,
      );
      expect(refused.json.watchReason).toContain(PROBLEM);
      expect(w.reloader.status().state).toBe("refused");
      expect(await w.watchUp()).toBe("0");
      expect(await w.named()).toBe("György Szabó");

      // mended: applied, and "ok" again
      reloaded = w.nextReload();
      breakNationality(w.dir, false);
      expect(await reloaded).toMatchObject({ outcome: "applied" });
      const ok = await w.ready();
      expect(ok.json).toMatchObject({ status: "ready", watch: "ok" });
      expect(ok.json.watchReason).toBeUndefined();
      expect(await w.watchUp()).toBe("1");
    } finally {
      await w.close();
    }
  });

  it("says when the reload under way began, while it is under way, and not once it has ended", async () => {
    // red team 41: /ready said only "watch":"ok" for the whole of a 51 s reload at 100k entities
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let loads = 0;
    const w = await watched({
      snapshot: true,
      debounceMs: 60_000,
      fromPrimary: async () => {
        loads++;
        await held;
        return ensureSnapshot(w.dir);
      },
    });
    try {
      expect((await w.ready()).json).not.toHaveProperty("reloadingSince");
      const before = Date.now();
      const reloading = w.reloader.reload();
      await new Promise<void>((resolve) => {
        const look = () => (loads > 0 ? resolve() : setImmediate(look));
        look();
      });
      const during = await w.ready();
      expect(during.status).toBe(200);
      expect(during.json).toMatchObject({ status: "ready", watch: "ok" });
      const since = Date.parse(String(during.json.reloadingSince));
      expect(since).toBeGreaterThanOrEqual(before);
      expect(since).toBeLessThanOrEqual(Date.now());
      expect(w.reloader.status().reloadingSince?.getTime()).toBe(since);
      release();
      expect(await reloading).toMatchObject({ outcome: "applied" });
      expect((await w.ready()).json).not.toHaveProperty("reloadingSince");
      // and after one that failed too
      const failing = await watched({
        snapshot: true,
        debounceMs: 60_000,
        fromPrimary: async () => {
          throw new Error("the primary's child process ended without answering");
        },
      });
      try {
        expect(await failing.reloader.reload()).toMatchObject({ outcome: "failed" });
        const after = await failing.ready();
        expect(after.json).toMatchObject({ watch: "failed" });
        expect(after.json).not.toHaveProperty("reloadingSince");
      } finally {
        await failing.close();
      }
    } finally {
      release();
      await w.close();
    }
  });

  it('says "failed", with the error, after a reload whose load failed, and "ok" once one is applied', async () => {
    let loads = 0;
    const w = await watched({
      snapshot: true,
      debounceMs: 60_000,
      // the first load fails as a primary's child that ended without answering; the next one
      // makes the snapshot current here
      fromPrimary: async () => {
        if (++loads === 1) throw new Error("the primary's child process ended without answering");
        return ensureSnapshot(w.dir);
      },
    });
    try {
      expect(await w.reloader.reload()).toMatchObject({ outcome: "failed" });
      const failed = await w.ready();
      expect(failed.status).toBe(200);
      expect(failed.json).toMatchObject({
        status: "ready",
        watch: "failed",
        watchReason:
          "the last reload failed, the previous graph keeps serving: the primary's child process ended without answering",
      });
      expect(await w.watchUp()).toBe("0");
      expect(await w.reloader.reload()).toMatchObject({ outcome: "applied" });
      expect((await w.ready()).json).toMatchObject({ watch: "ok" });
      expect(await w.watchUp()).toBe("1");
    } finally {
      await w.close();
    }
  });

  it("says the directory is gone while it is, though the last reload was refused, and refused again once it is back as invalid as it went", async () => {
    const w = await watched();
    try {
      let reloaded = w.nextReload();
      breakNationality(w.dir, true);
      expect(await reloaded).toMatchObject({ outcome: "refused" });
      const away = `${w.dir}.away`;
      dirs.push(away);
      cpSync(w.dir, away, { recursive: true });
      removeDir(w.dir);
      // the watcher's wait says more than the refusal: there is no directory to fix
      await expect
        .poll(async () => (await w.ready()).json.watch, { timeout: 30_000 })
        .toBe("waiting");
      // back, as invalid as it went: refused again, not "ok"
      reloaded = w.nextReload();
      renameSync(away, w.dir);
      expect(await reloaded).toMatchObject({ outcome: "refused" });
      expect((await w.ready()).json).toMatchObject({ watch: "refused" });
      reloaded = w.nextReload();
      breakNationality(w.dir, false);
      expect(await reloaded).toMatchObject({ outcome: "applied" });
      expect((await w.ready()).json).toMatchObject({ watch: "ok" });
    } finally {
      await w.close();
    }
  });
});
