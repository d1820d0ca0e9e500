/**
 * A snapshot truncated in place while a server reads its entities from it (red team 12, F3 (a):
 * `rsync --inplace`, a copy of the directory over itself): the entities not yet read were each
 * answered "Unexpected error." (500-class INTERNAL_SERVER_ERROR) for as long as the file stayed
 * wrong, while /ready said "ready". Now the request is told so (503 SNAPSHOT_UNREADABLE with
 * Retry-After), the fault is logged once with the file and the reason and shown in /ready, and
 * the dataset is loaded again as a reload loads it; the entity is then answered right.
 */
import { closeSync, openSync, readFileSync, truncateSync, writeSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadJsonGraph } from "../../src/graph/load.js";
import { ensureSnapshot } from "../../src/graph/snapshot/load.js";
import {
  onUnreadable,
  readSnapshot,
  type SnapshotUnreadable,
  snapshotPath,
} from "../../src/graph/snapshot/snapshot.js";
import { jsonLoader } from "../../src/server/reload.js";
import { entitiesOffset, exportToTmp, removeDir, SOURCE_ID } from "../fixtures/datasets.js";
import { startServer, type TestServer } from "../support/server.js";

let dir: string;
let server: TestServer;
const logs: Record<string, unknown>[] = [];
/** The load that `recover` started, once it has; it waits for `mend` (the test looks first). */
let recovered: Promise<void> | undefined;
let mend: () => void;
const mended = new Promise<void>((resolve) => {
  mend = resolve;
});

beforeAll(async () => {
  dir = exportToTmp();
  await ensureSnapshot(dir);
  server = await startServer(await readSnapshot(dir), {
    logLevel: "info",
    logSink: { write: (line: string) => logs.push(JSON.parse(line)) },
    // entities read when first asked for, as at a million entities by default
    warmEntities: false,
    recover: () =>
      (recovered = (async () => {
        await mended;
        const load = jsonLoader(dir, true, server.app, undefined);
        server.app.swap(await load(new AbortController().signal));
      })()),
  });
});
afterAll(async () => {
  await server?.close();
  removeDir(dir);
});

async function ask(key: string) {
  const response = await fetch(server.graphql, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: `{ person(key: "${key}") { key name } }` }),
  });
  return { response, body: (await response.json()) as Record<string, any> };
}

describe("a snapshot truncated in place while served", () => {
  it("answers 503 SNAPSHOT_UNREADABLE, says so once in the log and /ready, loads the dataset again, then answers right", async () => {
    const truth = loadJsonGraph(dir);
    const key = truth.keys.person.at(-1)!;
    const person = { key, name: truth.get("person", key)!.name.text };
    const path = snapshotPath(dir);
    truncateSync(path, entitiesOffset(path) + 10);

    const before = logs.length;
    const failed = await ask(person.key);
    expect(failed.response.status).toBe(503);
    expect(failed.response.headers.get("retry-after")).toBe("10");
    expect(failed.body.errors[0].extensions.code).toBe("SNAPSHOT_UNREADABLE");
    expect(failed.body.errors[0].message).not.toBe("Unexpected error.");

    const ready = await fetch(`${server.url}/ready`);
    const readyBody = (await ready.json()) as Record<string, unknown>;
    if (recovered === undefined) throw new Error("the dataset was not loaded again");
    expect(ready.status).toBe(503);
    expect(readyBody).toMatchObject({ status: "snapshot unreadable", snapshot: path });
    expect(String(readyBody.snapshotReason)).toMatch(/truncated while served/);
    // a second request while the fault is being mended, by GET (which an HTTP cache may keep):
    // told the same, kept by no cache, and no second log line
    const query = encodeURIComponent(`{ person(key: "${person.key}") { key name } }`);
    const again = await fetch(`${server.graphql}?query=${query}`, {
      headers: { accept: "application/graphql-response+json" },
    });
    expect(again.status).toBe(503);
    expect(again.headers.get("cache-control")).toBe("no-store");
    expect(again.headers.get("etag")).toBeNull();
    expect(((await again.json()) as any).errors[0].extensions.code).toBe("SNAPSHOT_UNREADABLE");
    // the RDF export reads every entity: told the same (it was a 500, "The export failed": review 15)
    const exported = await fetch(`${server.url}/graph.nt`);
    expect(exported.status).toBe(503);
    expect(exported.headers.get("retry-after")).toBe("10");
    expect(exported.headers.get("cache-control")).toBe("no-store");
    expect(((await exported.json()) as any).errors[0].extensions.code).toBe("SNAPSHOT_UNREADABLE");
    const said = logs
      .slice(before)
      .filter((line) => String(line.msg).startsWith("the snapshot served could not be read"));
    // nor one of Yoga's per request ("Unexpected error." masked)
    expect(logs.slice(before).filter((line) => line.level === "error")).toEqual(said);
    expect(said).toEqual([
      expect.objectContaining({
        msg: "the snapshot served could not be read: loading the dataset again",
        file: path,
        reason: expect.stringMatching(/^entity \d+: the file is \d+ bytes, its header says/),
      }),
    ]);

    mend();
    await recovered;
    const answered = await ask(person.key);
    expect(answered.response.status).toBe(200);
    expect(answered.body).toEqual({ data: { person: { key: person.key, name: person.name } } });
    const readyAgain = await fetch(`${server.url}/ready`);
    expect(readyAgain.status).toBe(200);
    expect(await readyAgain.json()).toMatchObject({ status: "ready" });
  }, 60_000);

  it("tells an entity written over in place by its checksum: 503, then the dataset loaded again and the right answer", async () => {
    // (after the test above: the graph served is the one loaded again, from a snapshot written anew)
    const truth = loadJsonGraph(dir);
    const key = truth.keys.person.at(-2)!;
    const path = snapshotPath(dir);
    // the entity's own key, changed by one letter in place: still JSON, still an entity, another key
    const file = readFileSync(path);
    const at = file.indexOf(`"id":"${key}"`, entitiesOffset(path));
    expect(at).toBeGreaterThan(0);
    const last = at + `"id":"${key}"`.length - 2;
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.from(file[last] === 0x61 ? "b" : "a"), 0, 1, last);
    closeSync(fd);

    recovered = undefined;
    const before = logs.length;
    const failed = await ask(key);
    expect(failed.response.status).toBe(503);
    expect(failed.body.errors[0].extensions.code).toBe("SNAPSHOT_UNREADABLE");
    expect(logs.slice(before)).toContainEqual(
      expect.objectContaining({
        msg: "the snapshot served could not be read: loading the dataset again",
        file: path,
        reason: expect.stringMatching(/^entity \d+: its bytes are not those written/),
      }),
    );
    if (recovered === undefined) throw new Error("the dataset was not loaded again");
    await recovered;
    const answered = await ask(key);
    expect(answered.body).toEqual({
      data: { person: { key, name: truth.get("person", key)!.name.text } },
    });
  }, 60_000);

  it("tells a source text written over in place by its checksum", async () => {
    const path = snapshotPath(dir);
    const graph = await readSnapshot(dir);
    const heard: SnapshotUnreadable[] = [];
    onUnreadable(graph, (failure) => heard.push(failure));
    // the built-in dataset's one source text ends the entities' section: its next-to-last byte changed
    const bytes = readFileSync(path);
    const length = bytes.readUInt32LE(8);
    const { entities } = JSON.parse(bytes.subarray(12, 12 + length).toString("utf8")).sections;
    const last = entities.offset + entities.length - 2;
    expect(bytes[last]).toBeLessThan(0x80);
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.from(bytes[last] === 0x61 ? "b" : "a"), 0, 1, last);
    closeSync(fd);
    expect(() => graph.texts.get(SOURCE_ID)).toThrow(
      /a source text at \d+: its bytes are not those written/,
    );
    expect(heard.map((failure) => failure.file)).toEqual([path]);
  });
});
