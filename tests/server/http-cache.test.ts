import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { installedPackages } from "../../src/graph/installed-packages.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { codeOf } from "../../src/graph/snapshot/snapshot.js";
import { inTsxWorker } from "../../src/graph/tsx-worker.js";
import { listsCodeIn, listsCodeOf } from "../../src/schema/lists-code.js";
import { cursorToOffset, offsetToCursor } from "../../src/schema/pagination.js";
import {
  ANSWER_PACKAGES,
  ANSWERLESS_PACKAGES,
  LIST_PACKAGES,
  type Runtime,
  runtimeOf,
} from "../../src/schema/runtime-code.js";
import { answersCodeIn, answersCodeOf } from "../../src/server/answers-code.js";
import type { AppOptions } from "../../src/server/app.js";
import { negotiateCoding } from "../../src/server/compression.js";
import { etagOf } from "../../src/server/http-cache.js";
import { watchDataset } from "../../src/server/reload.js";
import { editJson, exportToTmp, removeDir } from "../fixtures/datasets.js";
import { rawRequest } from "../support/http.js";
import { packagesImportedUnder } from "../support/package-imports.js";
import { startedServers, type TestServer } from "../support/server.js";

let graph: KnowledgeGraph;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
});
const servers = startedServers();
const dirs: string[] = [];
afterEach(async () => {
  await servers.closeAll();
  for (const dir of dirs.splice(0)) removeDir(dir);
});
const serve = (options: AppOptions = {}, from: KnowledgeGraph = graph) =>
  servers.start(from, options);

/** The project's src/, whose code and runtime the server's ETags and cursors carry. */
const OWN_SRC = fileURLToPath(new URL("../../src", import.meta.url));
/** A runtime to read a fingerprint with: another Node's, with a few packages. */
const RUNTIME: Runtime = {
  node: "20.19.0",
  icu: "77.1",
  unicode: "16.0",
  cldr: "47.0",
  packages: ["@pothos/core@4.15.1", "graphql-yoga@5.24.1", "graphql@16.15.0"],
};

/** The error `run` throws. */
function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

/** One request through node:http: the bytes as sent, not decoded. */
const raw = rawRequest;

const get = (
  server: TestServer,
  query: string,
  variables?: unknown,
  headers: Record<string, string> = {},
) =>
  raw(
    server,
    `/graphql?query=${encodeURIComponent(query)}${variables ? `&variables=${encodeURIComponent(JSON.stringify(variables))}` : ""}`,
    {
      headers: { accept: "application/graphql-response+json", ...headers },
    },
  );

const PERSON = "query Person($key: String!) { person(key: $key) { name } }";
/** An answer of several KB (the source document): compressed. */
const LARGE = "{ sources(first: 1) { nodes { text } } }";
const STRONG_TAG = /^"[A-Za-z0-9_-]{32}"$/;

describe("a GET answer", () => {
  it("carries a strong ETag, public Cache-Control and Vary: Accept; a replica with the same data gives the same ETag", async () => {
    const [one, two] = [await serve(), await serve({}, await loadBuiltInGraph())];
    const a = await get(one, PERSON, { key: "gyorgy-szabo" });
    const b = await get(two, PERSON, { key: "gyorgy-szabo" });
    expect(a.status).toBe(200);
    expect(JSON.parse(a.body.toString()).data.person.name).toBe("György Szabó");
    expect(a.headers.etag).toMatch(STRONG_TAG);
    expect(a.headers["cache-control"]).toBe("public, max-age=60, stale-while-revalidate=300");
    // not Origin: under the default CORS setting `*`, every origin gets the same answer (cors.ts)
    expect(a.headers.vary).toBe("Accept");
    expect(b.headers.etag).toBe(a.headers.etag);
  });

  it("has another ETag for other variables, another operation name or another Accept", async () => {
    const server = await serve();
    const tags = new Set([
      (await get(server, PERSON, { key: "gyorgy-szabo" })).headers.etag,
      (await get(server, PERSON, { key: "nursultan-nazarbayev" })).headers.etag,
      (await get(server, PERSON, { key: "gyorgy-szabo" }, { accept: "application/json" })).headers
        .etag,
      (
        await raw(
          server,
          `/graphql?query=${encodeURIComponent(PERSON)}&operationName=Person&variables=${encodeURIComponent('{"key":"gyorgy-szabo"}')}`,
          { headers: { accept: "application/graphql-response+json" } },
        )
      ).headers.etag,
    ]);
    expect(tags.size).toBe(4);
  });

  it("is answered 304 without a body when If-None-Match holds its ETag (also weak), and 200 for another tag", async () => {
    const server = await serve();
    const first = await get(server, PERSON, { key: "gyorgy-szabo" });
    const etag = first.headers.etag as string;
    for (const match of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const again = await get(server, PERSON, { key: "gyorgy-szabo" }, { "if-none-match": match });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
      expect(again.headers.etag).toBe(etag);
      expect(again.headers["cache-control"]).toBe(first.headers["cache-control"]);
    }
    expect(
      (await get(server, PERSON, { key: "gyorgy-szabo" }, { "if-none-match": '"something-else"' }))
        .status,
    ).toBe(200);
  });

  it("is not answered 304 when a parameter is given twice, though its first values are those of the tagged answer: it is refused", async () => {
    const server = await serve();
    const first = await get(server, PERSON, { key: "gyorgy-szabo" });
    const variables = encodeURIComponent(JSON.stringify({ key: "gyorgy-szabo" }));
    const twice = await raw(
      server,
      `/graphql?query=${encodeURIComponent(PERSON)}&variables=${variables}&variables=${encodeURIComponent('{"key":"kazakhstan"}')}`,
      {
        headers: {
          accept: "application/graphql-response+json",
          "if-none-match": first.headers.etag as string,
        },
      },
    );
    expect(twice.status).toBe(400);
    expect(JSON.parse(twice.body.toString()).errors[0].message).toMatch(
      /^The "variables" parameter is given 2 times/,
    );
    expect(twice.headers.etag).toBeUndefined();
  });

  it("is answered 304 for If-None-Match: * when it is a cacheable success (at once once its tag is issued), else as it is", async () => {
    // RFC 9110 13.1.2: `*` matches any current representation; 13.2.1: a request whose answer
    // would not be a 2xx ignores the condition. It was executed and answered whole (200). Taken
    // before the answer is known, a validation error got a 304 a cache may keep (a red-team run)
    const server = await serve();
    const any = { "if-none-match": "*" };
    const notModified = async () =>
      (await server.app.metrics.registry.metrics())
        .split("\n")
        .filter((line) => line.startsWith("kz_osce_http_not_modified_total{"))
        .sort();
    // an error, a request's or a field's, is answered as it is, never 304 (no tag is issued for
    // it): asked twice, so that one issued the first time would be used the second
    for (const round of [1, 2]) {
      const invalid = await get(server, "{ nope }", undefined, any);
      expect(invalid.status, `round ${round}`).toBe(400);
      expect(invalid.headers["cache-control"]).toBe("no-store");
      const missing = await get(server, PERSON, { key: "nobody-at-all" }, any);
      expect(missing.status, `round ${round}`).toBe(200);
      expect(JSON.parse(missing.body.toString()).errors[0].extensions.code).toBe("NOT_FOUND");
      expect(missing.headers["cache-control"]).toBe("no-store");
      expect(missing.headers.etag).toBeUndefined();
    }
    // first asked with `*`: no tag of it issued yet, so executed, then 304 with the 200's tag
    const first = await get(server, PERSON, { key: "gyorgy-szabo" }, any);
    expect(first.status).toBe(304);
    expect(first.body.length).toBe(0);
    expect(await notModified()).toEqual([
      'kz_osce_http_not_modified_total{reason="executed"} 1',
      'kz_osce_http_not_modified_total{reason="issued"} 0',
    ]);
    const plain = await get(server, PERSON, { key: "gyorgy-szabo" });
    expect(plain.status).toBe(200);
    expect(first.headers.etag).toBe(plain.headers.etag);
    expect(first.headers["cache-control"]).toBe(plain.headers["cache-control"]);
    expect(first.headers.vary).toBe(plain.headers.vary);
    // its tag issued: 304 at once, nothing executed
    const again = await get(server, PERSON, { key: "gyorgy-szabo" }, any);
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(plain.headers.etag);
    expect(await notModified()).toEqual([
      'kz_osce_http_not_modified_total{reason="executed"} 1',
      'kz_osce_http_not_modified_total{reason="issued"} 1',
    ]);
    // a compressed answer's 304 names the tag of the coding the client would get
    const large = await get(server, LARGE, undefined, { "accept-encoding": "br" });
    for (const round of [1, 2]) {
      const coded = await get(server, LARGE, undefined, { ...any, "accept-encoding": "br" });
      expect(coded.status, `round ${round}`).toBe(304);
      expect(coded.headers.etag).toBe(large.headers.etag);
      expect(coded.headers.vary).toBe("Accept, Accept-Encoding");
    }
  });

  it("is answered to a HEAD with the GET's headers and no body, before and after the GET (its ETag, 304, its coding), and the GET after a HEAD gets its whole body", async () => {
    const server = await serve();
    const path = `/graphql?query=${encodeURIComponent(LARGE)}`;
    const head = (headers: Record<string, string> = {}) =>
      raw(server, path, {
        method: "HEAD",
        headers: { accept: "application/graphql-response+json", ...headers },
      });
    const SAME = ["etag", "cache-control", "vary", "content-type", "content-length"];
    for (const coding of ["identity", "br"]) {
      const asked = { "accept-encoding": coding };
      // first the HEAD (the answer made for it, then cached), then the GET, then a HEAD again
      const before = await head(asked);
      const answer = await get(server, LARGE, undefined, asked);
      const after = await head(asked);
      expect(answer.status, coding).toBe(200);
      const text = coding === "br" ? brotliDecompressSync(answer.body) : answer.body;
      expect(JSON.parse(text.toString()).data.sources.nodes[0].text.length).toBeGreaterThan(1000);
      expect(Number(answer.headers["content-length"])).toBe(answer.body.length);
      for (const headAnswer of [before, after]) {
        expect(headAnswer.status, coding).toBe(200);
        expect(headAnswer.body.length).toBe(0);
        for (const name of SAME) expect(headAnswer.headers[name], name).toBe(answer.headers[name]);
      }
      const tagged = await head({ ...asked, "if-none-match": answer.headers.etag as string });
      expect(tagged.status).toBe(304);
    }
    // refused as the GET would be: no query (400), a mutation (405)
    const none = await raw(server, "/graphql", { method: "HEAD" });
    expect(none.status).toBe(400);
    expect(none.body.length).toBe(0);
    const mutation = await raw(server, `/graphql?query=${encodeURIComponent("mutation { x }")}`, {
      method: "HEAD",
      headers: { accept: "application/graphql-response+json" },
    });
    expect(mutation.status).toBe(405);
    expect(mutation.headers.allow).toBe("GET, HEAD, POST, OPTIONS");
  });

  it("keeps its headers when the response cache answers it, its CORS headers and Vary under `*` and under a list, with Origin or without", async () => {
    const origin = "https://a.example";
    for (const cors of ["*", [origin, "https://b.example"]] as const) {
      const server = await serve({ cors: cors as AppOptions["cors"] });
      for (const from of [{}, { origin }] as Record<string, string>[]) {
        const where = `${JSON.stringify(cors)} ${JSON.stringify(from)}`;
        const hits = server.app.cache!.hits;
        const answers = [];
        for (let i = 0; i < 3; i++)
          answers.push(await get(server, PERSON, { key: "gyorgy-szabo" }, from));
        expect(server.app.cache!.hits, where).toBe(hits + 1);
        const names = [
          ...["etag", "cache-control", "vary", "content-type"],
          ...Object.keys(answers[0]!.headers).filter((name) => name.startsWith("access-control-")),
        ];
        for (const answer of answers.slice(1)) {
          expect(answer.body, where).toEqual(answers[0]!.body);
          for (const name of names)
            expect(answer.headers[name], `${where} ${name}`).toBe(answers[0]!.headers[name]);
        }
        // set before the cache saw the answer (shortcut.ts), it must still say what its 200 says
        expect(answers[2]!.headers.vary, where).toBe(cors === "*" ? "Accept" : "Origin, Accept");
      }
    }
  });

  it("takes max-age and stale-while-revalidate from the settings, leaving stale-while-revalidate out when it is 0", async () => {
    const some = await serve({ cacheMaxAgeSeconds: 5, cacheStaleWhileRevalidateSeconds: 7 });
    expect((await get(some, PERSON, { key: "gyorgy-szabo" })).headers["cache-control"]).toBe(
      "public, max-age=5, stale-while-revalidate=7",
    );
    const none = await serve({ cacheMaxAgeSeconds: 5, cacheStaleWhileRevalidateSeconds: 0 });
    const first = await get(none, PERSON, { key: "gyorgy-szabo" });
    expect(first.headers["cache-control"]).toBe("public, max-age=5");
    // the 304 says the same
    const again = await get(
      none,
      PERSON,
      { key: "gyorgy-szabo" },
      { "if-none-match": first.headers.etag as string },
    );
    expect(again.status).toBe(304);
    expect(again.headers["cache-control"]).toBe("public, max-age=5");
  });

  it("changes its ETag when the graph is reloaded with other data", async () => {
    const dir = exportToTmp();
    dirs.push(dir);
    const server = await serve({}, loadJsonGraph(dir));
    const before = await get(server, PERSON, { key: "gyorgy-szabo" });
    editJson(
      dir,
      "persons",
      (persons) =>
        (persons.find((p) => p.id === "person/gyorgy-szabo").name.text = "György Szabó (ed.)"),
    );
    const reloader = watchDataset(server.app, { dataDir: dir, debounceMs: 10 });
    try {
      expect((await reloader.reload()).outcome).toBe("applied");
    } finally {
      await reloader.close();
    }
    const after = await get(
      server,
      PERSON,
      { key: "gyorgy-szabo" },
      { "if-none-match": before.headers.etag as string },
    );
    expect(after.status).toBe(200);
    expect(JSON.parse(after.body.toString()).data.person.name).toBe("György Szabó (ed.)");
    expect(after.headers.etag).toMatch(STRONG_TAG);
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });
});

describe("answers that must not be cached", () => {
  it("POSTs get no-store and no ETag, from the fast path and from Yoga", async () => {
    const server = await serve();
    const body = JSON.stringify({ query: PERSON, variables: { key: "gyorgy-szabo" } });
    for (const accept of ["application/json", "application/graphql-response+json, text/plain"]) {
      const answer = await raw(server, "/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", accept },
        body,
      });
      expect(answer.status).toBe(200);
      expect(answer.headers["cache-control"]).toBe("no-store");
      expect(answer.headers.etag).toBeUndefined();
    }
  });

  it("GET answers with errors get no-store and no ETag, whatever their status", async () => {
    const server = await serve();
    const invalid = await get(server, "{ person(key: 1) { nope } }");
    expect(invalid.status).toBe(400);
    const refused = await get(server, "{ events(first: -1) { totalCount } }", undefined, {
      accept: "application/json",
    });
    expect(refused.status).toBe(200);
    expect(JSON.parse(refused.body.toString()).errors[0].extensions.code).toBe("BAD_USER_INPUT");
    for (const answer of [invalid, refused]) {
      expect(answer.headers["cache-control"]).toBe("no-store");
      expect(answer.headers.etag).toBeUndefined();
    }
  });
});

describe("compression", () => {
  it("compresses a large answer with brotli or gzip as accepted, with its own ETag per coding and Vary: Accept-Encoding", async () => {
    const server = await serve();
    const plain = await get(server, LARGE);
    expect(plain.body.length).toBeGreaterThan(1024);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    const br = await get(server, LARGE, undefined, { "accept-encoding": "gzip, deflate, br" });
    const gz = await get(server, LARGE, undefined, { "accept-encoding": "gzip" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(brotliDecompressSync(br.body)).toEqual(plain.body);
    expect(gunzipSync(gz.body)).toEqual(plain.body);
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    expect(Number(br.headers["content-length"])).toBe(br.body.length);
    expect(br.headers.vary).toBe("Accept, Accept-Encoding");
    expect(br.headers.etag).toBe(`${(plain.headers.etag as string).slice(0, -1)}-br"`);
    expect(gz.headers.etag).toBe(`${(plain.headers.etag as string).slice(0, -1)}-gzip"`);
    // a cache revalidating its brotli copy gets a 304 for it
    const again = await get(server, LARGE, undefined, {
      "accept-encoding": "br",
      "if-none-match": br.headers.etag as string,
    });
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(br.headers.etag);
  });

  it("compresses POST answers too, and leaves small answers and refused codings alone", async () => {
    const server = await serve();
    const post = await raw(server, "/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        "accept-encoding": "br",
      },
      body: JSON.stringify({ query: LARGE }),
    });
    expect(post.headers["content-encoding"]).toBe("br");
    expect(
      JSON.parse(brotliDecompressSync(post.body).toString()).data.sources.nodes[0].text,
    ).toMatch(/^Cooperation between/);
    const small = await get(server, PERSON, { key: "gyorgy-szabo" }, { "accept-encoding": "br" });
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(small.headers.vary).toBe("Accept");
    const refused = await get(server, LARGE, undefined, { "accept-encoding": "br;q=0, gzip;q=0" });
    expect(refused.headers["content-encoding"]).toBeUndefined();
  });

  it("is off with compression: false, and starts at compressMinBytes", async () => {
    const off = await serve({ compression: false });
    expect(
      (await get(off, LARGE, undefined, { "accept-encoding": "br" })).headers["content-encoding"],
    ).toBeUndefined();
    const all = await serve({ compressMinBytes: 0 });
    expect(
      (await get(all, PERSON, { key: "gyorgy-szabo" }, { "accept-encoding": "gzip" })).headers[
        "content-encoding"
      ],
    ).toBe("gzip");
  });

  it("negotiates the coding the client prefers by q-value, brotli when it prefers neither, honouring q=0 and *", () => {
    expect(negotiateCoding("gzip, deflate, br")).toBe("br");
    expect(negotiateCoding("br;q=0, gzip")).toBe("gzip");
    expect(negotiateCoding("*")).toBe("br");
    expect(negotiateCoding("*, br;q=0")).toBe("gzip");
    // the client's preference, by q-value (red team 44); br when it prefers neither
    expect(negotiateCoding("gzip;q=1, br;q=0.1")).toBe("gzip");
    expect(negotiateCoding("gzip, br;q=0.001")).toBe("gzip");
    expect(negotiateCoding("br;q=0.5, gzip;q=0.5")).toBe("br");
    expect(negotiateCoding("*;q=0.2, gzip;q=0.1")).toBe("br");
    expect(negotiateCoding("gzip;q=0, br;q=0")).toBeUndefined();
    expect(negotiateCoding("br;q=1.2.3, gzip;q=0.1")).toBe("gzip");
    expect(negotiateCoding("br;q=abc, gzip;q=0.1")).toBe("gzip");
    expect(negotiateCoding("gzip;q=5, br")).toBe("br");
    expect(negotiateCoding("identity")).toBeUndefined();
    expect(negotiateCoding(undefined)).toBeUndefined();
  });

  it("reads a q-value padded with spaces in one pass: a million spaces are read at once, not in a time of their square (red team 50, F1)", async () => {
    // a 16 KB header of `gzip;q=`, 16,000 spaces and an `x` held the event loop 0.2-0.6 s a request
    // through a lazy regular expression; a million would hold it for hours. In a worker thread,
    // ended after HUNG_MS: a synchronous hold cannot be timed out in this one
    const spaces = " ".repeat(1_000_000);
    const headers = [
      `gzip;q=${spaces}x`,
      `gzip;q=${spaces}0.5${spaces}, br;q=${spaces}0.1${spaces}`,
      `br;q=${spaces}x, gzip`,
    ];
    const HUNG_MS = 30_000;
    const codings = await inTsxWorker<(string | null)[]>(
      `const { negotiateCoding } = await load(workerData.url);
       return workerData.headers.map((header) => negotiateCoding(header) ?? null);`,
      { url: new URL("../../src/server/compression.ts", import.meta.url).href, headers },
      { signal: AbortSignal.timeout(HUNG_MS) },
    );
    expect(codings).toEqual([null, "gzip", "gzip"]);
  }, 60_000);
});

describe("an answer's ETag", () => {
  it("names the code that made the answer as well as the data: a deploy that changes answers for the same data changes it", () => {
    // (review 16d: search(query: "ＯＳＣＥ") answered 0 hits before 1e3f1bd and 28 after, under one
    // ETag, and a client revalidating with the old tag was told 304)
    const req = {
      method: "GET",
      url: "/graphql?query=%7B__typename%7D",
      headers: { accept: "application/json" },
    } as unknown as import("node:http").IncomingMessage;
    const now = etagOf("sha256:data", req);
    expect(now).toBe(etagOf("sha256:data", req, "", answersCodeOf()));
    expect(answersCodeOf()).toMatch(/^[0-9a-f]{32}$/);
    expect(etagOf("sha256:data", req, "", "another code")).not.toBe(now);
    expect(etagOf("sha256:other data", req)).not.toBe(now);
  });

  it("names the code under src/schema and src/server on top of src/graph's; a cursor, src/graph's and src/schema's", () => {
    // (review 17: the case above passed with src/schema and src/server left out of the tag)
    const src = mkdtempSync(join(tmpdir(), "answers-code-"));
    dirs.push(src);
    mkdirSync(join(src, "schema"));
    mkdirSync(join(src, "server", "routes"), { recursive: true });
    writeFileSync(join(src, "schema", "office.ts"), "export const heads = 1;");
    writeFileSync(join(src, "server", "routes", "limits.mjs"), "export const limit = 1;");
    const codes = () => {
      const lists = listsCodeIn(src, "graph", RUNTIME);
      return { lists, answers: answersCodeIn(src, lists, RUNTIME) };
    };
    const before = codes();
    // src/graph's code changed: both
    expect(listsCodeIn(src, "another graph", RUNTIME)).not.toBe(before.lists);
    // a file under src/schema edited (which of an office's posts are its heads): both
    writeFileSync(join(src, "schema", "office.ts"), "export const heads = 2;");
    const schemaEdited = codes();
    expect(schemaEdited.lists).not.toBe(before.lists);
    expect(schemaEdited.answers).not.toBe(before.answers);
    // a file under src/server edited, in a folder of it: the answers', not the lists'
    writeFileSync(join(src, "server", "routes", "limits.mjs"), "export const limit = 2;");
    const serverEdited = codes();
    expect(serverEdited.lists).toBe(schemaEdited.lists);
    expect(serverEdited.answers).not.toBe(schemaEdited.answers);
    // a folder that cannot be read (here: gone) is left out, not a failure of the server's start
    rmSync(join(src, "server"), { recursive: true });
    expect(answersCodeIn(src, serverEdited.lists, RUNTIME)).toMatch(/^[0-9a-f]{32}$/);
    // the server's own, of its own tree and runtime (what an ETag and pages.ts's cursors carry)
    expect(listsCodeOf()).toBe(listsCodeIn(OWN_SRC, codeOf(), runtimeOf(LIST_PACKAGES, OWN_SRC)));
    expect(answersCodeOf()).toBe(
      answersCodeIn(OWN_SRC, listsCodeOf(), runtimeOf(ANSWER_PACKAGES, OWN_SRC, true)),
    );
  });

  it("names what runs the code: Node's version, its ICU, Unicode and CLDR data, each package installed; a cursor of one runtime is stale in another", () => {
    // (review 17, finding 4: another `npm ci` or Node 20.x changed answers under the same ETag)
    const src = mkdtempSync(join(tmpdir(), "answers-code-"));
    dirs.push(src);
    mkdirSync(join(src, "schema"));
    mkdirSync(join(src, "server"));
    const req = {
      method: "GET",
      url: "/graphql?query=%7B__typename%7D",
      headers: { accept: "application/json" },
    } as unknown as import("node:http").IncomingMessage;
    const LIST = { field: "Query.persons" };
    /** An ETag and a cursor of the same request and data, read with `lists` and `answers`. */
    const made = (lists: Runtime, answers: Runtime = RUNTIME) => {
      const listsCode = listsCodeIn(src, "graph", lists);
      const version = `sha256:data:${listsCode}`;
      return {
        etag: etagOf("sha256:data", req, "", answersCodeIn(src, listsCode, answers)),
        cursor: offsetToCursor(2, { ...LIST, version }),
        version,
      };
    };
    const base = made(RUNTIME);
    // the same inputs (another object, as another process reads them): the same values
    const again = made(structuredClone(RUNTIME), structuredClone(RUNTIME));
    expect(again).toEqual(base);
    expect(cursorToOffset(base.cursor, "after", { ...LIST, version: again.version })).toBe(2);
    /** Every runtime that differs from RUNTIME in one input, named. */
    const changed: [string, Runtime][] = [
      ...(["node", "icu", "unicode", "cldr"] as const).map((input): [string, Runtime] => [
        input,
        { ...RUNTIME, [input]: `${RUNTIME[input]}.1` },
      ]),
      ...RUNTIME.packages.map((entry, i): [string, Runtime] => [
        entry,
        { ...RUNTIME, packages: RUNTIME.packages.with(i, `${entry}-1`) },
      ]),
      ["a package added", { ...RUNTIME, packages: [...RUNTIME.packages, "tslib@2.9.1"] }],
    ];
    for (const [input, runtime] of changed) {
      // under the lists' runtime: the cursor's version, so the ETag too
      const lists = made(runtime);
      expect(lists.etag, input).not.toBe(base.etag);
      expect(lists.cursor, input).not.toBe(base.cursor);
      expect(
        errorOf(() => cursorToOffset(base.cursor, "after", { ...LIST, version: lists.version })),
        input,
      ).toMatchObject({ extensions: { code: "BAD_CURSOR", staleCursor: true } });
      // under the answers' (Yoga's, say): the ETag, not the cursors
      const answers = made(RUNTIME, runtime);
      expect(answers.etag, input).not.toBe(base.etag);
      expect(answers.cursor, input).toBe(base.cursor);
    }
    // zlib's and brotli's versions (the answers' runtime alone has them): the ETags, not the
    // cursors, which a system zlib upgrade made stale (review 22)
    for (const compression of [{ zlib: "1.3.1" }, { brotli: "1.1.1" }]) {
      const answers = made(RUNTIME, { ...RUNTIME, zlib: "1.3.0", brotli: "1.1.0", ...compression });
      expect(answers.etag).not.toBe(
        made(RUNTIME, { ...RUNTIME, zlib: "1.3.0", brotli: "1.1.0" }).etag,
      );
      expect(answers.cursor).toBe(base.cursor);
    }
    expect(runtimeOf(["graphql"], OWN_SRC)).not.toHaveProperty("zlib");
    expect(runtimeOf(["graphql"], OWN_SRC, true)).toMatchObject({
      zlib: process.versions.zlib,
      brotli: process.versions.brotli,
    });
  });

  it("reads each package installed as Node finds it, with all it depends on, and Node's own versions", () => {
    const root = mkdtempSync(join(tmpdir(), "runtime-code-"));
    dirs.push(root);
    const install = (
      at: string,
      name: string,
      version: string,
      dependencies = {},
      more: Record<string, unknown> = {},
    ) => {
      mkdirSync(join(root, at, "node_modules", name), { recursive: true });
      writeFileSync(
        join(root, at, "node_modules", name, "package.json"),
        JSON.stringify({ name, version, dependencies, peerDependencies: { peer: "^1" }, ...more }),
      );
    };
    // a needs c@2 (its own copy) and d; d needs c@1 (the hoisted one) and a (a cycle); @s/b
    // needs opt, not installed (an optional dependency)
    install("", "a", "1.0.0", { c: "^2", d: "^1" });
    install("node_modules/a", "c", "2.0.0");
    install("", "c", "1.0.0");
    install("", "d", "1.1.0", { c: "^1", a: "^1" });
    install("", "@s/b", "3.0.0", { opt: "^1" });
    // e runs the peer f (as @pothos/plugin-dataloader runs dataloader) and the optional g, each
    // resolved from e's own folder; h, optional, is not installed; `peer`, named a peer by every
    // package here, is not installed either: both left out. e's optional @e/x64, @e/darwin and
    // @e/musl are made for one CPU, OS or libc each (as esbuild's binaries): npm installs the one
    // that fits the host
    install(
      "",
      "e",
      "1.0.0",
      // si declares the systems it runs on, and is a dependency: counted (review 25, finding 3)
      { si: "^5" },
      {
        peerDependencies: { f: "^2", peer: "^1" },
        optionalDependencies: { g: "^1", h: "^1", "@e/x64": "1", "@e/darwin": "1", "@e/musl": "1" },
      },
    );
    install("node_modules/e", "f", "2.0.0");
    install("", "g", "1.2.0");
    install("", "si", "5.0.0", {}, { os: ["linux", "darwin", "win32"] });
    mkdirSync(join(root, "src", "server"), { recursive: true });
    const listed = [
      "@s/b@3.0.0",
      "a@1.0.0",
      "c@1.0.0",
      "c@2.0.0",
      "d@1.1.0",
      "e@1.0.0",
      "f@2.0.0",
      "g@1.2.0",
      "si@5.0.0",
    ];
    expect(installedPackages(["a", "@s/b", "e"], join(root, "src", "server"))).toEqual(listed);
    // installed on an x64 host, on macOS, on musl: the same list, so replicas of each in one
    // fleet share their cursors and ETags (review 24, finding 1)
    for (const [name, restriction] of [
      ["@e/x64", { cpu: ["x64"] }],
      ["@e/darwin", { os: ["darwin"] }],
      ["@e/musl", { libc: ["musl"] }],
    ] as const) {
      rmSync(join(root, "node_modules", "@e"), { recursive: true, force: true });
      install("", name, "1.0.0", {}, restriction);
      expect(installedPackages(["a", "@s/b", "e"], join(root, "src", "server"))).toEqual(listed);
    }
    // and a package of that name without the restriction counts, as any other
    install("", "@e/musl", "1.0.0");
    expect(installedPackages(["a", "@s/b", "e"], join(root, "src", "server"))).toContain(
      "@e/musl@1.0.0",
    );
    // the server's own: the versions installed, dependencies of dependencies among them
    const installed = (name: string) =>
      `${name}@${JSON.parse(readFileSync(join(OWN_SRC, "..", "node_modules", name, "package.json"), "utf8")).version}`;
    const own = runtimeOf(ANSWER_PACKAGES, OWN_SRC);
    expect(own.packages).toEqual(expect.arrayContaining(ANSWER_PACKAGES.map(installed)));
    // (Yoga's executor, which a lock file refreshed under the same graphql-yoga may move)
    expect(own.packages).toContain(installed("@graphql-tools/executor"));
    const lists = runtimeOf(LIST_PACKAGES, OWN_SRC).packages;
    expect(lists).toEqual(expect.arrayContaining(LIST_PACKAGES.map(installed)));
    // (a peer of @pothos/plugin-dataloader; what compiles src/ as it runs, and its compiler)
    expect(lists).toEqual(expect.arrayContaining(["dataloader", "tsx", "esbuild"].map(installed)));
    const { node, icu, unicode, cldr } = process.versions;
    expect(own).toMatchObject({ node, icu, unicode, cldr });
  });

  it("names every package src/ imports as shaping the lists (src/graph, src/schema) or the answers (src/server), or none", () => {
    const importsUnder = (dir: string) => packagesImportedUnder(join(OWN_SRC, dir));
    const answerless: readonly string[] = ANSWERLESS_PACKAGES;
    const lists = [...importsUnder("graph"), ...importsUnder("schema")];
    expect(lists).toContain("graphql");
    for (const name of lists)
      if (!answerless.includes(name)) expect(LIST_PACKAGES, name).toContain(name);
    for (const name of importsUnder("server"))
      if (!answerless.includes(name))
        expect([...ANSWER_PACKAGES, ...LIST_PACKAGES], name).toContain(name);
  });
});
