/**
 * The graph's content hash (src/graph/content-hash.ts): what caches in front of several replicas
 * tell graphs apart by. The same data must hash the same wherever it is loaded; any change must
 * change it; the server shows it in /health, /ready and `x-graph-version`, and a reload changes it.
 */
import { cpSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { watchDataset } from "../../src/server/reload.js";
import { editJson, exportToTmp, makeTmpDir, removeDir } from "../fixtures/datasets.js";
import { send } from "../support/http.js";
import { startedServers, type TestServer } from "../support/server.js";

const dirs: string[] = [];
const servers = startedServers();
afterEach(async () => {
  await servers.closeAll();
  for (const dir of dirs.splice(0)) removeDir(dir);
});
const tmp = (dir: string) => (dirs.push(dir), dir);

describe("the graph's content hash", () => {
  it("is the same for the same files in two directories, and differs after one entity changes", () => {
    const a = tmp(exportToTmp());
    const b = tmp(makeTmpDir());
    cpSync(a, b, { recursive: true });
    const hashA = loadJsonGraph(a).contentHash;
    expect(hashA).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(loadJsonGraph(b).contentHash).toBe(hashA);
    editJson(b, "persons", (persons) => (persons[0].name.text += " Jr."));
    expect(loadJsonGraph(b).contentHash).not.toBe(hashA);
  });

  it("changes when only a source text changes", () => {
    const dir = tmp(exportToTmp());
    const before = loadJsonGraph(dir).contentHash;
    const graph = loadJsonGraph(dir);
    const [source] = graph.dataset.sources;
    const file = join(dir, source!.file);
    writeFileSync(file, `${graph.texts.get(source!.id)}\n\nAn appended paragraph.\n`);
    expect(loadJsonGraph(dir).contentHash).not.toBe(before);
  });

  it("is the same for the built-in dataset loaded twice", async () => {
    const [one, two] = await Promise.all([loadBuiltInGraph(), loadBuiltInGraph()]);
    expect(one.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(two.contentHash).toBe(one.contentHash);
  });
});

describe("the served graph's version", () => {
  it("is in /health, /ready and the x-graph-version header, and changes on a reload", async () => {
    const dir = tmp(exportToTmp());
    const server = await servers.start(loadJsonGraph(dir));
    const health = await send(server, { path: "/health" });
    const version = health.json.graphVersion;
    expect(version).toBe(loadJsonGraph(dir).contentHash);
    expect(health.headers.get("x-graph-version")).toBe(version);
    expect((await send(server, { path: "/ready" })).json.graphVersion).toBe(version);
    const answer = await send(server, {
      path: "/graphql?query=%7B__typename%7D",
      headers: { accept: "application/json" },
    });
    expect(answer.headers.get("x-graph-version")).toBe(version);

    editJson(dir, "persons", (persons) => (persons[0].name.text += " Jr."));
    const reloader = watchDataset(server.app, { dataDir: dir, debounceMs: 10 });
    try {
      expect((await reloader.reload()).outcome).toBe("applied");
    } finally {
      await reloader.close();
    }
    const after = await send(server, { path: "/health" });
    expect(after.json.graphVersion).toMatch(/^sha256:/);
    expect(after.json.graphVersion).not.toBe(version);
    expect(after.headers.get("x-graph-version")).toBe(after.json.graphVersion);
  });

  // red team 8: the header was set when the request's headers came, and the answer executed on
  // the graph served once its body was in, so a reload between the two labelled the new data
  // with the old version
  it("names the graph an answer was computed on when a reload comes between a POST's headers and its body", async () => {
    const dir = tmp(exportToTmp());
    const server = await servers.start(loadJsonGraph(dir));
    const reloader = watchDataset(server.app, { dataDir: dir, debounceMs: 10 });
    try {
      // the direct pipeline's plain POST, and one Yoga answers (`extensions` takes it there)
      for (const [i, extra] of [{}, { extensions: {} }].entries()) {
        const before = loadJsonGraph(dir).contentHash;
        let key = "";
        editJson(dir, "persons", (persons) => {
          key = persons[0].id;
          persons[0].name.text += ` R${i}`;
        });
        const next = loadJsonGraph(dir).contentHash;
        expect(next).not.toBe(before);
        const body = JSON.stringify({ query: `{ person(key: "${key}") { name } }`, ...extra });
        const { version, text } = await postAcrossReload(server, body, async () => {
          expect((await reloader.reload()).outcome).toBe("applied");
        });
        expect(JSON.parse(text).data.person.name).toMatch(new RegExp(` R${i}$`));
        expect(version).toBe(next);
      }
    } finally {
      await reloader.close();
    }
  });

  // the shortcut chooses the graph once the body is in; Yoga then parses the body and makes the
  // request's context: a reload landing between the two executed on the new graph under the
  // chosen one's version (and ETag). Forced here by swapping the graph as Yoga parses the body.
  it("is the one Yoga executes on when the graph is replaced after the shortcut chose it", async () => {
    const dir = tmp(exportToTmp());
    const server = await servers.start(loadJsonGraph(dir));
    const chosen = server.app.served.current.graph;
    let key = "";
    editJson(dir, "persons", (persons) => {
      key = persons[0].id;
      persons[0].name.text += " (replaced)";
    });
    const next = loadJsonGraph(dir);
    const marker = `swapWhileYogaParses${Date.now()}`;
    const JSON_TYPE = { "content-type": "application/json" };
    const parse = JSON.parse;
    let swapped = false;
    const spy = vi
      .spyOn(JSON, "parse")
      .mockImplementation((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
        if (!swapped && typeof text === "string" && text.includes(marker)) {
          // the shortcut reads the body as bytes; the first parse of its text is Yoga's
          swapped = true;
          server.app.swap(next);
        }
        return parse(text, reviver);
      });
    try {
      const body = JSON.stringify({
        query: `query ${marker} { person(key: "${key}") { name } }`,
        extensions: {},
      });
      const answer = await send(server, { headers: JSON_TYPE, body });
      expect(swapped).toBe(true);
      expect(answer.headers.get("x-graph-version")).toBe(chosen.contentHash);
      expect(answer.json.data.person.name).not.toMatch(/\(replaced\)$/);
      // the next request is answered from the new graph, under its version
      const after = await send(server, {
        headers: JSON_TYPE,
        body: JSON.stringify({ query: `{ person(key: "${key}") { name } }`, extensions: {} }),
      });
      expect(after.headers.get("x-graph-version")).toBe(next.contentHash);
      expect(after.json.data.person.name).toMatch(/\(replaced\)$/);
    } finally {
      spy.mockRestore();
    }
  });
});

/** A POST whose headers are sent, then `between` done once the server has them, then its body. */
function postAcrossReload(
  server: TestServer,
  body: string,
  between: () => Promise<void>,
): Promise<{ version: unknown; text: string }> {
  const url = new URL(server.graphql);
  const headersIn = new Promise<void>((resolve) =>
    server.app.server.once("request", () => resolve()),
  );
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ version: res.headers["x-graph-version"], text }));
      },
    );
    req.on("error", reject);
    req.flushHeaders();
    headersIn
      .then(between)
      .then(() => req.end(body))
      .catch(reject);
  });
}

describe("a page cursor", () => {
  it("of a graph since replaced is refused (BAD_CURSOR, staleCursor), on a root list, a relation's and a dated one, not read as an offset into the new graph", async () => {
    // (red team 13, F2: page 2 after a reload that added a person repeated page 1's last entry)
    const dir = tmp(exportToTmp());
    const server = await servers.start(loadJsonGraph(dir));
    editJson(dir, "persons", (persons) => (persons[0].name.text += " (replaced)"));
    const next = loadJsonGraph(dir);
    const lists = [
      ["persons", (after: string) => `{ persons(first: 2${after}) { pageInfo { endCursor } } }`],
      [
        "priorities",
        (after: string) =>
          `{ state(key: "state/kazakhstan") { priorities(first: 2${after}) { pageInfo { endCursor } } } }`,
      ],
      [
        "tenures",
        (after: string) =>
          `{ offices(first: 1) { nodes { tenures(first: 1${after}) { pageInfo { endCursor } } } } }`,
      ],
    ] as const;
    const ask = async (query: string) =>
      (
        await send(server, {
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query }),
        })
      ).json as {
        data?: Record<string, any>;
        errors?: { message: string; extensions: Record<string, unknown> }[];
      };
    const cursorOf = (data: Record<string, any>): string =>
      JSON.stringify(data).match(/"endCursor":"([^"]+)"/)![1]!;
    const cursors = new Map<string, string>();
    for (const [name, query] of lists) cursors.set(name, cursorOf((await ask(query("")))!.data!));
    server.app.swap(next);
    for (const [name, query] of lists) {
      const answer = await ask(query(`, after: "${cursors.get(name)}"`));
      expect(answer.errors?.[0]?.extensions, name).toMatchObject({
        code: "BAD_CURSOR",
        staleCursor: true,
      });
      expect(answer.errors?.[0]?.message, name).toMatch(/another version of the data/);
      // the new graph's own cursor pages on
      const fresh = cursorOf((await ask(query("")))!.data!);
      expect((await ask(query(`, after: "${fresh}"`))).errors, name).toBeUndefined();
    }
  });

  it("of the release before (kzc1, without a version) pages the data the server started with, and is refused as stale once a reload swapped other data in", async () => {
    const dir = tmp(exportToTmp());
    const server = await servers.start(loadJsonGraph(dir));
    editJson(dir, "persons", (persons) => (persons[0].name.text += " (replaced)"));
    const next = loadJsonGraph(dir);
    // the direct pipeline's plain POST, and one Yoga answers (`extensions` takes it there)
    const ask = async (after: string, extra: object) =>
      (
        await send(server, {
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            query: `{ persons(first: 1${after}) { pageInfo { endCursor } nodes { key } } }`,
            ...extra,
          }),
        })
      ).json as {
        data?: { persons: { pageInfo: { endCursor: string }; nodes: { key: string }[] } | null };
        errors?: { message: string; extensions: Record<string, unknown> }[];
      };
    // kzc1|list|of|narrowing|order|offset: a kzc2 cursor without its version
    const unversioned = (cursor: string) => {
      const parts = Buffer.from(cursor, "base64").toString("utf8").split("|");
      return Buffer.from(["kzc1", ...parts.slice(1, 5), parts[6]].join("|")).toString("base64");
    };
    const issued = (await ask("", {})).data!.persons!.pageInfo.endCursor;
    const old = unversioned(issued);
    const page2 = (await ask(`, after: "${issued}"`, {})).data!.persons!.nodes;
    expect(page2).toHaveLength(1);
    for (const extra of [{}, { extensions: {} }]) {
      const before = await ask(`, after: "${old}"`, extra);
      expect(before.errors, JSON.stringify(extra)).toBeUndefined();
      expect(before.data!.persons!.nodes).toEqual(page2);
    }
    server.app.swap(next);
    for (const extra of [{}, { extensions: {} }]) {
      const after = await ask(`, after: "${old}"`, extra);
      expect(after.errors?.[0]?.extensions, JSON.stringify(extra)).toMatchObject({
        code: "BAD_CURSOR",
        argumentName: "after",
        staleCursor: true,
      });
      expect(after.errors?.[0]?.message).toMatch(/another version of the data/);
    }
  });
});
