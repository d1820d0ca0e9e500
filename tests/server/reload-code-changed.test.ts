/**
 * Live reload once the graph's code on disk has changed under the server (red team 12, F4): a
 * deploy or a `git pull` that updates the files before the restart. A reload's child process runs
 * the code on disk, and names and stamps its snapshot after it (snapshot.ts: `snapshotFileName`,
 * `codeOf`, the fingerprint of src/graph's files); the server read the name of its own code, found
 * that snapshot stale or missing, loaded three times in full and failed, every reload until a
 * restart, with "watch":"ok" in /ready and the failure counted as a refusal. Now the reload fails
 * at once, saying to restart, and /ready says "watch":"failed" with that reason; with --workers,
 * in each worker. The real thing: the server runs from a copy of the project whose
 * src/graph/load.ts gets a comment once it serves, as codever.sh of red team 12 did. It runs from
 * the server's bundle (tests/support/server-bundle.ts) moved into the copy, whose modules name
 * the copy's source files as their own (tests/support/moved-bundle.ts): the code's fingerprint is
 * read from the copy's src/graph as from source, and a start costs about 0.6 CPU-s instead of 2.5
 * through tsx (three of them with --workers 2).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, symlinkSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { watchDataset } from "../../src/server/reload.js";
import { editJson, exportToTmp, makeTmpDir, removeDir } from "../fixtures/datasets.js";
import { send } from "../support/http.js";
import { bundleMovedTo } from "../support/moved-bundle.js";
import { childEnv } from "../support/processes.js";
import { startServer } from "../support/server.js";
import { bundled } from "../support/server-bundle.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SZABO = '{ person(key: "gyorgy-szabo") { name } }';
const CODE_CHANGED =
  /^the graph's code on disk changed since this server started \([0-9a-f]{12} then, [0-9a-f]{12} now\): a reload's child would run it, and its snapshot is not one this server can read; restart the server to run the new code and load the dataset$/;

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});
afterAll(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

/** Szabó's name as the server at `url` answers it, on a connection of its own (with --workers, any worker's). */
function nameAt(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const asked = request(
      `${url}/graphql`,
      { method: "POST", agent: false, headers: { "content-type": "application/json" } },
      (response) => {
        let body = "";
        response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve(JSON.parse(body).data.person.name));
      },
    );
    asked.on("error", reject);
    asked.end(JSON.stringify({ query: SZABO }));
  });
}

/** /ready's answer from the server at `url`, on a connection of its own (with --workers, any worker's). */
function readyAt(url: string): Promise<{ status?: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const asked = request(`${url}/ready`, { agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode, json: JSON.parse(body) }));
    });
    asked.on("error", reject);
    asked.end();
  });
}

/**
 * A copy of the project's sources and configuration (node_modules linked), to change under a
 * server, and the server's entry point in it: the prebuilt bundles (with the snapshot's child
 * beside the server's) moved into the copy (tests/support/moved-bundle.ts), each path of the
 * project's own they hold made the copy's, as bundles built from the copy would hold (a build
 * cost 1.4 CPU-s of esbuild's a case).
 */
function projectCopy(): { copy: string; main: string } {
  const copy = makeTmpDir();
  dirs.push(copy);
  for (const entry of ["src", "data", "examples/queries", "package.json", "tsconfig.json"])
    cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
  mkdirSync(path.join(copy, "schema"), { recursive: true });
  return { copy, main: bundled("main", bundleMovedTo(copy)) };
}

describe("a reload once the graph's code on disk has changed", () => {
  it.each([
    ["a single process", [] as string[], 1],
    ["--workers 2", ["--workers", "2"], 2],
  ])(
    "refuses the reload, saying to restart, and keeps serving its graph: %s",
    async (_, extra, processes) => {
      const { copy, main } = projectCopy();
      const dir = exportToTmp();
      dirs.push(dir);
      const child = spawn(
        process.execPath,
        [main, "--data", dir, "--watch", "--port", "0", "--host", "127.0.0.1", ...extra],
        { cwd: copy, env: childEnv(), stdio: ["ignore", "pipe", "pipe"] },
      );
      children.push(child);
      let output = "";
      const waiting = new Set<() => void>();
      const onData = (chunk: string) => {
        output += chunk;
        for (const look of waiting) look();
      };
      child.stdout!.setEncoding("utf8").on("data", onData);
      child.stderr!.setEncoding("utf8").on("data", onData);
      const lines = () =>
        output
          .split("\n")
          .slice(0, -1)
          .filter((l) => l.startsWith("{"))
          .map((l) => JSON.parse(l) as Record<string, any>);
      const count = (msg: string) => lines().filter((l) => l.msg === msg).length;
      /** Resolves once `found` holds, looked at each time the server writes; fails if it exits first. */
      const waitFor = (what: string, found: () => unknown) =>
        new Promise<void>((resolve, reject) => {
          const look = () => {
            if (!found()) return;
            waiting.delete(look);
            resolve();
          };
          waiting.add(look);
          child.once("exit", () => reject(new Error(`no ${what}:\n${output}`)));
          look();
        });
      const serving = /serving .* at (http:\/\/127\.0\.0\.1:\d+)\/graphql/;
      await waitFor("serving line", () => serving.test(output));
      const url = serving.exec(output)![1]!;
      await waitFor("watch", () => count("watching the dataset for changes") === processes);
      expect(await nameAt(url)).toBe("György Szabó");

      // the deploy: the code on disk changes under the running server
      appendFileSync(path.join(copy, "src/graph/load.ts"), "\n// the code on disk changed\n");
      editJson(dir, "persons", (persons) => {
        persons.find((p: { id: string }) => p.id === "person/gyorgy-szabo").name.text =
          "György Szabó-Kovács";
      });
      const failed = "dataset reload failed: the previous graph keeps serving";
      await waitFor(
        "reload",
        () =>
          count(failed) === processes ||
          count("dataset reloaded") > 0 ||
          output.includes("dataset reload refused"),
      );
      // refused at once, saying to restart: not loaded in full three times and failed (red team
      // 12, F4), nor loaded on the serving thread, holding every request (review 15)
      expect(count("dataset reloaded")).toBe(0);
      const reasons = lines()
        .filter((l) => l.msg === failed)
        .map((l) => String(l.error?.message ?? l.error));
      expect(reasons).toHaveLength(processes);
      for (const reason of reasons) expect(reason).toMatch(CODE_CHANGED);
      expect(output).not.toContain("loading it again");
      // every process keeps serving the graph it had (each connection may land on another worker)
      for (let i = 0; i < 2 * processes; i++) expect(await nameAt(url)).toBe("György Szabó");
      // and every process's /ready says the graph served is not the dataset on disk, and why (it
      // said "watch":"ok": review of live reload, defect 2), the previous graph serving. Each new
      // connection goes to the next worker in turn (round robin): every worker answers
      for (let i = 0; i < 2 * processes; i++) {
        // (its status not asked: a worker of a busy machine may answer "overloaded", 503, with
        // the same `watch`)
        const ready = await readyAt(url);
        expect(ready.json).toMatchObject({ watch: "failed" });
        const prefix = "the last reload failed, the previous graph keeps serving: ";
        expect(String(ready.json.watchReason).startsWith(prefix)).toBe(true);
        expect(String(ready.json.watchReason).slice(prefix.length)).toMatch(CODE_CHANGED);
      }
    },
    120_000,
  );
});

describe("a reload whose load failed", () => {
  it("is counted as failed, not as a refusal of the dataset", async () => {
    const dir = exportToTmp();
    dirs.push(dir);
    const server = await startServer(undefined);
    const reloader = watchDataset(server.app, {
      dataDir: dir,
      debounceMs: 60_000,
      snapshot: true,
      fromPrimary: async () => {
        throw new Error("the primary's child process ended without answering");
      },
    });
    try {
      await reloader.ready;
      expect(await reloader.reload()).toMatchObject({ outcome: "failed" });
      const metrics = (await send(server, { path: "/metrics" })).text;
      expect(metrics).toMatch(/^kz_osce_graph_reloads_total\{outcome="failed"\} 1$/m);
      expect(metrics).not.toMatch(/^kz_osce_graph_reloads_total\{outcome="refused"\}/m);
    } finally {
      await reloader.close();
      await server.close();
    }
  });
});
