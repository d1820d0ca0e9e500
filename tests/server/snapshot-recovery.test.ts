/**
 * A snapshot that fails a read while served is mended by loading the dataset again (`recover`:
 * snapshot-unreadable.test.ts). Review 15 found that load tried once only: when it failed or was
 * refused (the dataset caught mid-edit, a reload refused or out of time), every entity not yet
 * read answered 503 SNAPSHOT_UNREADABLE and /ready 503 until a restart, the replica out of its
 * load balancer for good. It is now tried again, after a wait doubled each time, for as long as
 * the graph served is the unreadable one; a shutdown stops the load under way and the retries.
 */
import { readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadJsonGraph } from "../../src/graph/load.js";
import { ensureSnapshot } from "../../src/graph/snapshot/load.js";
import { readSnapshot, snapshotPath } from "../../src/graph/snapshot/snapshot.js";
import { jsonLoader } from "../../src/server/reload.js";
import { editJson, entitiesOffset, exportToTmp, removeDir } from "../fixtures/datasets.js";
import { childEnv, type RunningProcess, startProcess } from "../support/processes.js";
import { startServer, type TestServer } from "../support/server.js";
import { bundled } from "../support/server-bundle.js";

/** One person's key and name in `dir`'s dataset, the last one (read last, if at all). */
function lastPerson(dir: string): { key: string; name: string } {
  const truth = loadJsonGraph(dir);
  const key = truth.keys.person.at(-1)!;
  return { key, name: truth.get("person", key)!.name.text };
}

async function ask(url: string, key: string) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: `{ person(key: "${key}") { key name } }` }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function readiness(url: string) {
  const response = await fetch(`${url}/ready`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Truncate the snapshot of `dir` in place, inside its entities: every entity not read fails. */
function truncateEntities(dir: string): void {
  const path = snapshotPath(dir);
  truncateSync(path, entitiesOffset(path) + 10);
}

describe("a recovery that fails is tried again (in process)", () => {
  let dir: string;
  let server: TestServer | undefined;
  const logs: Record<string, unknown>[] = [];
  beforeAll(async () => {
    dir = exportToTmp();
    await ensureSnapshot(dir);
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  afterAll(() => removeDir(dir));

  it("after a load that throws and one that ends without a swap, until one serves a good graph; /ready and the metric say so meanwhile", async () => {
    await ensureSnapshot(dir);
    const person = lastPerson(dir);
    /** Each call of `recover`, and how it ends: the first two leave the graph served as it is. */
    const calls: { at: number; signal: AbortSignal }[] = [];
    let third!: () => void;
    const thirdMay = new Promise<void>((resolve) => (third = resolve));
    let swapped!: () => void;
    const swappedIn = new Promise<void>((resolve) => (swapped = resolve));
    const started = performance.now();
    server = await startServer(await readSnapshot(dir), {
      logLevel: "info",
      logSink: { write: (line: string) => logs.push(JSON.parse(line)) },
      warmEntities: false,
      recoveryRetry: { firstMs: 50, maxMs: 5000 },
      recover: async (signal) => {
        calls.push({ at: performance.now() - started, signal });
        if (calls.length === 1) throw new Error("the dataset is invalid (caught mid-edit)");
        // a reload refused or out of time resolves, with nothing swapped in
        if (calls.length === 2) return { outcome: "refused" };
        await thirdMay;
        const load = jsonLoader(dir, true, server!.app, undefined);
        server!.app.swap(await load(signal));
        swapped();
      },
    });
    truncateEntities(dir);

    const failed = await ask(server.url, person.key);
    expect(failed.status).toBe(503);
    expect(failed.body.errors[0].extensions.code).toBe("SNAPSHOT_UNREADABLE");
    // the third attempt is under way: two waits have passed, the second twice the first
    while (calls.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    const ready = await readiness(server.url);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: "snapshot unreadable", recoveryAttempts: 2 });
    expect(Date.parse(String(ready.body.nextRecoveryAt))).toBeGreaterThan(
      Date.parse(String(ready.body.since)),
    );
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(95);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^kz_osce_snapshot_recoveries_failed_total 2$/m);
    expect(logs.filter((line) => line.msg === "loading the dataset again failed")).toEqual([
      expect.objectContaining({ attempt: 1, error: "the dataset is invalid (caught mid-edit)" }),
    ]);
    expect(
      logs
        .filter((line) => String(line.msg).startsWith("the snapshot served is still unreadable"))
        .map((line) => [line.attempts, line.retryInMs]),
    ).toEqual([
      [1, 50],
      [2, 100],
    ]);

    third();
    await swappedIn;
    expect(await ask(server.url, person.key)).toEqual({
      status: 200,
      body: { data: { person } },
    });
    expect(await readiness(server.url)).toMatchObject({ status: 200, body: { status: "ready" } });
    // and no attempt after the graph served was mended
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toHaveLength(3);
  }, 60_000);

  it("stops at a shutdown: the load under way is told to stop, and none is tried after", async () => {
    await ensureSnapshot(dir);
    const person = lastPerson(dir);
    const signals: AbortSignal[] = [];
    let begun!: () => void;
    const underWay = new Promise<void>((resolve) => (begun = resolve));
    server = await startServer(await readSnapshot(dir), {
      warmEntities: false,
      recoveryRetry: { firstMs: 20, maxMs: 20 },
      recover: (signal) => {
        signals.push(signal);
        if (signals.length === 1) return Promise.reject(new Error("refused"));
        begun();
        // a load that ends only when stopped (as a reload's child killed by its signal)
        return new Promise((_, reject) =>
          signal.addEventListener("abort", () => reject(new Error("stopped")), { once: true }),
        );
      },
    });
    truncateEntities(dir);
    expect((await ask(server.url, person.key)).status).toBe(503);
    await underWay;
    expect(signals[1]!.aborted).toBe(false);
    const drained = await server.app.shutdown(5000);
    server = undefined;
    expect(drained.clean).toBe(true);
    expect(signals[1]!.aborted).toBe(true);
    // the retry's wait is 20 ms: ten of them pass, and no third attempt
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(signals).toHaveLength(2);
  }, 60_000);
});

/**
 * The server as started (main.ts's `recover`, not a test's): without --watch, each attempt loads
 * the dataset in a child of its own. The dataset is invalid when the fault is found (an edit half
 * made), so the first attempts are refused; once mended, the next attempt serves it.
 */
describe("a recovery that fails is tried again (the real server)", () => {
  let dir: string;
  let server: RunningProcess | undefined;
  beforeAll(async () => {
    dir = exportToTmp();
    await ensureSnapshot(dir);
    server = await startProcess(bundled("main"), {
      args: ["--data", dir, "--port", "0", "--host", "127.0.0.1"],
      env: childEnv({ KZ_OSCE_WARM_ENTITIES: "false", KZ_OSCE_LOG_LEVEL: "info" }),
      ready: /serving .* at (http:\/\/127\.0\.0\.1:\d+)\/graphql/,
      timeoutMs: 90_000,
    });
  }, 120_000);
  afterAll(async () => {
    await server?.kill();
    if (dir) removeDir(dir);
  });

  const lines = () =>
    server!
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it("refused while the dataset is invalid, then serves it once mended", async () => {
    const url = server!.url.replace(/\/graphql$/, "");
    const person = lastPerson(dir);
    const persons = join(dir, "persons.json");
    const good = readFileSync(persons, "utf8");
    editJson(dir, "persons", (items) => {
      items[0].nationality = { ref: "state/nowhere" };
    });
    truncateEntities(dir);

    const failed = await ask(url, person.key);
    expect(failed.status).toBe(503);
    expect(failed.body.errors[0].extensions.code).toBe("SNAPSHOT_UNREADABLE");
    // two attempts refused (the second a second after the first): still unreadable, and said so
    await server!.outputUntil(
      () =>
        lines().filter((line) =>
          String(line.msg).startsWith("the snapshot served is still unreadable"),
        ).length >= 2,
    );
    expect((await ask(url, person.key)).status).toBe(503);
    const ready = await readiness(url);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: "snapshot unreadable" });
    expect(Number(ready.body.recoveryAttempts)).toBeGreaterThanOrEqual(2);

    writeFileSync(persons, good);
    await server!.outputUntil(() =>
      lines().some((line) => line.msg === "loaded the dataset again"),
    );
    expect(await ask(url, person.key)).toEqual({ status: 200, body: { data: { person } } });
    expect(await readiness(url)).toMatchObject({ status: 200, body: { status: "ready" } });
    expect(lines().filter((line) => line.msg === "loading the dataset again failed").length).toBe(
      lines().filter((line) =>
        String(line.msg).startsWith("the snapshot served is still unreadable"),
      ).length,
    );
  }, 120_000);
});
