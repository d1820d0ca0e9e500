/**
 * The server's serving of the web explorer, against a small stand-in build in a temporary
 * directory (the real build is exercised by the browser tests in tests/web/).
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { CYTOSCAPE_STYLE } from "../../src/server/static.js";
import { precompress } from "../../web/precompress.js";
import { startServer, type TestServer } from "../support/server.js";

const INDEX =
  '<!doctype html><title>explorer</title><script type="module" src="/assets/index-abc123.js"></script>';
/** A script large enough to be precompressed (1 KB or more). */
const BIG = Array.from({ length: 200 }, (_, i) => `console.log("explorer line ${i}");`).join("\n");
let dir: string;
let built: TestServer;
let missing: TestServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kz-osce-web-"));
  const dist = join(dir, "dist");
  mkdirSync(join(dist, "assets"), { recursive: true });
  writeFileSync(join(dist, "index.html"), INDEX);
  writeFileSync(join(dist, "assets", "index-abc123.js"), "console.log('explorer');");
  writeFileSync(join(dist, "assets", "index-abc123.css"), "body{}");
  writeFileSync(join(dist, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  writeFileSync(join(dist, "graphql"), "a file that must never shadow the endpoint");
  writeFileSync(join(dist, "assets", "big-abc123.js"), BIG);
  writeFileSync(join(dist, "assets", "stale-abc123.js"), BIG);
  writeFileSync(join(dir, "secret.txt"), "outside the build");
  precompress(dist);
  // a file rebuilt after its .br and .gz were written: they are stale, and never sent
  const later = new Date(Date.now() + 60_000);
  utimesSync(join(dist, "assets", "stale-abc123.js"), later, later);
  symlinkSync(join(dir, "secret.txt"), join(dist, "assets", "link.txt"));
  const graph = await loadBuiltInGraph();
  built = await startServer(graph, { webDir: dist });
  missing = await startServer(graph, { webDir: join(dir, "not-built") });
});

afterAll(async () => {
  await built.close();
  await missing.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw GET whose body is kept as bytes (for compressed answers). */
function getBytes(server: TestServer, path: string, headers: Record<string, string> = {}) {
  const { port } = new URL(server.url);
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
  }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

/** A raw GET, so that paths like /../ reach the server unnormalised. */
function get(
  server: TestServer,
  path: string,
  headers: Record<string, string> = {},
  method = "GET",
) {
  const { port } = new URL(server.url);
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the web explorer at /", () => {
  it("serves index.html at / as HTML that is revalidated on every load", async () => {
    const res = await get(built, "/");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.body).toBe(INDEX);
  });

  it("answers the explorer's own routes with index.html, so a shared link reloads", async () => {
    for (const path of [
      "/search?q=Sabo",
      "/entity/person/gyorgy-szabo",
      "/entity/person/gyorgy-szabo/graph",
      // a case slip in a shared link: the explorer asks the API, which forgives it
      "/entity/Person/Gyorgy-Szabo",
      "/entity/source/kazakhstan-osce-cooperation?source=source/kazakhstan-osce-cooperation&at=1&length=2",
      "/timeline",
      "/timeline?from=2010&to=2010&kind=EVENT",
      "/offices?asOf=2016-03-01",
    ]) {
      const res = await get(built, path);
      expect(res.status, path).toBe(200);
      expect(res.body, path).toBe(INDEX);
    }
  });

  it("sends every page with a policy that runs only its own scripts, framed by this origin alone (red team 11, F7)", async () => {
    // no inline style but the server's own pages' and cytoscape's, each by its hash: an injected
    // one could read the page through attribute selectors ('unsafe-inline' allowed any)
    const notBuilt = await get(missing, "/");
    const ownStyle = /<style>([^<]*)<\/style>/.exec(notBuilt.body)?.[1];
    expect(ownStyle).toBeDefined();
    expect((await get(built, "/entity/person/%E9")).body).toContain(`<style>${ownStyle}</style>`);
    expect(notBuilt.body).not.toMatch(/ style=/);
    const sha256 = (css: string) => `'sha256-${createHash("sha256").update(css).digest("base64")}'`;
    const policy = `default-src 'self'; script-src 'self'; style-src 'self' ${sha256(ownStyle!)} ${sha256(CYTOSCAPE_STYLE)}; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'`;
    // (cytoscape's: tests/web/graph.test.ts draws the graph view under this policy)
    const first = await get(built, "/");
    for (const [name, status, res] of [
      ["/", 200, first],
      ["a view", 200, await get(built, "/timeline")],
      ["an entity the graph does not hold", 404, await get(built, "/entity/person/nobody")],
      [
        "a page the explorer does not have",
        404,
        await get(built, "/nowhere", { accept: "text/html" }),
      ],
      [
        "a revalidated page",
        304,
        await get(built, "/", { "if-none-match": String(first.headers.etag) }),
      ],
      ["the page saying the explorer is not built", 503, await get(missing, "/")],
      ["an address whose escapes are not UTF-8", 400, await get(built, "/entity/person/%E9")],
    ] as const) {
      expect(res.status, name).toBe(status);
      expect(res.headers["content-security-policy"], name).toBe(policy);
      expect(res.headers["x-frame-options"], name).toBe("SAMEORIGIN");
      expect(res.headers["x-content-type-options"], name).toBe("nosniff");
      expect(res.headers["referrer-policy"], name).toBe("no-referrer");
    }
  });

  it("answers an address of the explorer's whose escapes are not UTF-8 with a page saying so, 400, repeating nothing of it (red team 12)", async () => {
    // a Latin-1 link (%E9 is its é), a lone %, half an escape: the API's JSON 404 answered them
    for (const path of [
      "/entity/person/%E9",
      "/entity/person/%",
      "/entity/place/a%2",
      "/entity/person/%E9/graph",
    ]) {
      const page = await get(built, path, { accept: "text/html" });
      expect(page.status, path).toBe(400);
      expect(page.headers["content-type"], path).toBe("text/html; charset=utf-8");
      expect(page.body, path).toContain("This address is not valid");
      expect(page.body, path).not.toContain(path);
      expect(page.headers["x-frame-options"], path).toBe("SAMEORIGIN");
    }
    // the same escapes elsewhere are no page of the explorer's: the API's 404, as before
    expect((await get(built, "/nowhere/%E9", { accept: "text/html" })).status).toBe(404);
  });

  it("serves hashed assets with their content type, cached for good", async () => {
    const js = await get(built, "/assets/index-abc123.js");
    expect(js.status).toBe(200);
    expect(js.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(js.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(js.headers["x-content-type-options"]).toBe("nosniff");
    expect(js.body).toBe("console.log('explorer');");
    expect((await get(built, "/assets/index-abc123.css")).headers["content-type"]).toBe(
      "text/css; charset=utf-8",
    );
    expect((await get(built, "/favicon.svg")).headers["content-type"]).toBe("image/svg+xml");
  });

  it("answers 304 to a request that already has the current version", async () => {
    const first = await get(built, "/assets/index-abc123.js");
    const again = await get(built, "/assets/index-abc123.js", {
      "if-none-match": String(first.headers.etag),
    });
    expect(again.status).toBe(304);
    expect(again.body).toBe("");
  });

  it("answers 304 to If-None-Match naming the version among others or *, and to If-Modified-Since not before it (red team 11, F8)", async () => {
    const path = "/assets/index-abc123.js";
    const first = await get(built, path);
    const etag = String(first.headers.etag);
    const modified = Date.parse(String(first.headers["last-modified"]));
    const answer = async (headers: Record<string, string>) =>
      (await get(built, path, headers)).status;
    // a list, the tag in it with or without W/, and * (RFC 9110 13.1.2)
    expect(await answer({ "if-none-match": `"x", ${etag}` })).toBe(304);
    expect(await answer({ "if-none-match": `"x" ,${etag.replace(/^W\//, "")} , "y"` })).toBe(304);
    expect(await answer({ "if-none-match": "*" })).toBe(304);
    expect(await answer({ "if-none-match": `"x", W/"y"` })).toBe(200);
    // If-Modified-Since: the Last-Modified itself and later are not modified, a second earlier is
    const date = (ms: number) => new Date(ms).toUTCString();
    expect(await answer({ "if-modified-since": date(modified) })).toBe(304);
    expect(await answer({ "if-modified-since": date(modified + 3_600_000) })).toBe(304);
    expect(await answer({ "if-modified-since": date(modified - 1000) })).toBe(200);
    // only an HTTP-date (RFC 9110 13.1.3): Date.parse took "3000" for the year 3000 (review 13)
    for (const bogus of ["not a date", "3000", "2099", "9999999999999", "Tue", "2099-12-06"])
      expect(await answer({ "if-modified-since": bogus }), bogus).toBe(200);
    // If-None-Match decides when both are sent (13.1.3): a tag that does not match gets the file
    expect(await answer({ "if-none-match": '"x"', "if-modified-since": date(modified) })).toBe(200);
    // a file not named by its content (index.html, whose asset names change at each build) is
    // revalidated by its ETag alone: a date says nothing of a rebuild within the same second, or a
    // rollback with the older times kept (review 13: both got 304 for a changed file)
    const page = await get(built, "/");
    for (const at of [String(page.headers["last-modified"]), date(Date.now() + 86_400_000)])
      expect((await get(built, "/", { "if-modified-since": at })).status, at).toBe(200);
    // a page answered 404 is never 304
    const missingPage = await get(built, "/entity/person/nobody", { "if-none-match": "*" });
    expect(missingPage.status).toBe(404);
  });

  it("answers HEAD with the headers and no body", async () => {
    const res = await get(built, "/", {}, "HEAD");
    expect(res.status).toBe(200);
    expect(res.headers["content-length"]).toBe(String(INDEX.length));
    expect(res.body).toBe("");
  });

  it("never serves a file outside the build, by .., encoded .. or a symbolic link", async () => {
    for (const path of [
      "/../secret.txt",
      "/assets/../../secret.txt",
      "/%2e%2e/secret.txt",
      "/assets/%2e%2e%2f..%2fsecret.txt",
      "/assets/link.txt",
      "/assets/..%5c..%5csecret.txt",
    ]) {
      const res = await get(built, path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain("outside the build");
    }
  });

  it("serves a built file at its own path only, not at another spelling of it (red team 44, N3)", async () => {
    const file = "/assets/index-abc123.js";
    for (const path of [
      // a slash after it, a doubled slash, an escaped slash, a backslash (as sent, and escaped)
      `${file}/`,
      `/${file}`,
      "/assets//index-abc123.js",
      "/assets%2findex-abc123.js",
      "/assets%2Findex-abc123.js",
      "/assets\\index-abc123.js",
      "/assets%5cindex-abc123.js",
      // dot segments that stay inside the build
      "/assets/../assets/index-abc123.js",
      "/./assets/index-abc123.js",
      "/assets/%2e/index-abc123.js",
      "/favicon.svg/",
      "//favicon.svg",
    ]) {
      for (const method of ["GET", "HEAD"]) {
        const res = await get(built, path, {}, method);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body, `${method} ${path}`).not.toContain("console.log");
      }
      // the same, as an absolute URL (the URL parser resolves its dot segments and backslashes)
      const absolute = await get(built, `http://127.0.0.1${path}`);
      expect(absolute.status, `GET http://127.0.0.1${path}`).toBe(404);
    }
    expect((await get(built, `http://127.0.0.1${file}`)).status).toBe(200);
    // a browser's navigation to one gets the explorer's not-found page, never the file
    const page = await get(built, "//assets/index-abc123.js", { accept: "text/html" });
    expect(page.status).toBe(404);
    expect(page.body).toBe(INDEX);
    // the file itself, with a query, and with an escaped letter (the same URL: RFC 3986, 6.2.2.2)
    for (const path of [file, `${file}?v=1`, "/assets/index%2Dabc123.js"]) {
      const res = await get(built, path);
      expect(res.status, path).toBe(200);
      expect(res.body, path).toBe("console.log('explorer');");
    }
  });

  it("leaves /graphql and /health to the API, even when the build holds a file of that name", async () => {
    const graphql = await fetch(`${built.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: '{ person(key: "gyorgy-szabo") { name } }' }),
    });
    expect(await graphql.json()).toEqual({ data: { person: { name: "György Szabó" } } });
    const graphiql = await get(built, "/graphql", { accept: "text/html" });
    expect(graphiql.body).not.toContain("never shadow");
    expect(graphiql.body).toContain("GraphiQL");
    // the package's page, whole (imported when first asked for: app.ts), not Yoga's default
    // page, which loads GraphiQL from a CDN
    expect(graphiql.body).toContain("<title>kz-osce-graph: Kazakhstan and the OSCE</title>");
    expect(graphiql.body).toContain("YogaGraphiQL.renderYogaGraphiQL(");
    expect(graphiql.body).not.toContain("unpkg.com");
    expect(JSON.parse((await get(built, "/health")).body)).toMatchObject({ status: "ok" });
  });

  it("answers 404, not index.html, for paths that are neither a route nor a file", async () => {
    for (const path of ["/nope", "/entity", "/entity/person", "/assets/missing.js"]) {
      const res = await get(built, path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toBe(INDEX);
    }
    // the RDF exports stay the API's, whatever the explorer's routes are
    const jsonld = await get(built, "/graph.jsonld");
    expect(jsonld.status).toBe(200);
    expect(jsonld.headers["content-type"]).toContain("application/ld+json");
  });

  it("answers a browser's visit to a path it has no page for with 404 and the explorer, which shows its own not-found page", async () => {
    const html = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };
    for (const path of ["/nope", "/entity", "/entity/person", "/about/us?x=1"]) {
      const res = await get(built, path, html);
      expect(res.status, path).toBe(404);
      expect(res.headers["content-type"], path).toBe("text/html; charset=utf-8");
      expect(res.body, path).toBe(INDEX);
    }
    // a missing script or a client that asks for data still gets the plain 404
    expect((await get(built, "/assets/missing.js", html)).body).not.toBe(INDEX);
    expect((await get(built, "/nope", { accept: "application/json" })).body).not.toBe(INDEX);
    // and the API's own paths stay the API's
    expect((await get(built, "/graphql", html)).body).toContain("GraphiQL");
  });

  it("answers an entity's page 404 when the graph has no such entity, and 200 when it has", async () => {
    for (const path of [
      "/entity/person/nobody-at-all",
      "/entity/person/nobody-at-all/graph",
      "/entity/banana/gyorgy-szabo",
      "/entity/state/gyorgy-szabo",
      // an escaped slash is part of the key, not a step of the path (red team 11: 200)
      "/entity/person/a%2Fb",
      "/entity/person/gyorgy-szabo%2F..%2F..%2Fx",
      // the kind in any case, as the explorer reads it: looked up all the same (review 13: 200)
      "/entity/Person/nobody-at-all",
      "/entity/PERSON/nobody-at-all/graph",
    ]) {
      const res = await get(built, path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).toBe(INDEX);
    }
    for (const path of [
      "/entity/person/gyorgy-szabo",
      "/entity/person/gyorgy-szabo/graph",
      "/entity/state/kazakhstan",
      // an escaped character of a key is read as the key's
      "/entity/person/gyorgy%2Dszabo",
      // the key as the API forgives it: case, accents and spaces (review 13: 404)
      "/entity/Person/Gyorgy-Szabo",
      "/entity/person/Gy%C3%B6rgy%20Szab%C3%B3",
    ]) {
      expect((await get(built, path)).status, path).toBe(200);
    }
    const head = await get(built, "/entity/person/nobody-at-all", {}, "HEAD");
    expect(head.status).toBe(404);
    expect(head.body).toBe("");
  });

  it("answers another method than GET and HEAD on the explorer's pages and files with 405 and Allow", async () => {
    for (const server of [built, missing]) {
      for (const method of ["PUT", "DELETE", "PATCH", "POST", "TRACE", "OPTIONS"]) {
        const paths =
          server === built
            ? [
                "/",
                "/search",
                "/entity/person/gyorgy-szabo",
                "/assets/index-abc123.js",
                "/favicon.svg",
              ]
            : ["/", "/timeline"];
        for (const path of paths) {
          const res = await get(server, path, {}, method);
          expect(res.status, `${method} ${path}`).toBe(405);
          expect(res.headers.allow, `${method} ${path}`).toBe("GET, HEAD");
          expect(JSON.parse(res.body).errors[0]).toEqual({
            message: `${path} is a page of the web explorer: it answers GET and HEAD only, not ${method}.`,
            extensions: { code: "METHOD_NOT_ALLOWED" },
          });
        }
      }
    }
    // a path that is neither a page nor a file stays a 404, whatever the method
    expect((await get(built, "/nope", {}, "PUT")).status).toBe(404);
  });

  it("says how to build the explorer when web/dist is missing, and the API still works", async () => {
    const res = await get(missing, "/entity/person/gyorgy-szabo");
    expect(res.status).toBe(503);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.body).toContain("npm run build:web");
    const health = await get(missing, "/health");
    expect(health.status).toBe(200);
  });
});

describe("precompressed files", () => {
  it("sends the .br to a client that accepts brotli, the .gz to one that accepts only gzip, the file itself otherwise", async () => {
    const br = await getBytes(built, "/assets/big-abc123.js", {
      "accept-encoding": "gzip, deflate, br",
    });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(br.headers.vary).toBe("Accept-Encoding");
    expect(Number(br.headers["content-length"])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(BIG.length / 4);
    expect(brotliDecompressSync(br.body).toString()).toBe(BIG);
    const gz = await getBytes(built, "/assets/big-abc123.js", { "accept-encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).toString()).toBe(BIG);
    const plain = await getBytes(built, "/assets/big-abc123.js");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toBe("Accept-Encoding");
    expect(plain.body.toString()).toBe(BIG);
    // one ETag per coding, and each revalidates
    expect(new Set([br.headers.etag, gz.headers.etag, plain.headers.etag]).size).toBe(3);
    const again = await getBytes(built, "/assets/big-abc123.js", {
      "accept-encoding": "br",
      "if-none-match": br.headers.etag as string,
    });
    expect(again.status).toBe(304);
  });

  it("sends a .br or .gz only as its file's coding, never at its own URL (red team 44, N3)", async () => {
    for (const path of [
      "/assets/big-abc123.js.br",
      "/assets/big-abc123.js.gz",
      "/assets/stale-abc123.js.br",
    ]) {
      for (const headers of [{}, { "accept-encoding": "br, gzip" }] as Record<string, string>[]) {
        const res = await getBytes(built, path, headers);
        expect(res.status, path).toBe(404);
        expect(res.headers["content-encoding"], path).toBeUndefined();
      }
    }
    // the file's own URL still sends them, by negotiation
    const br = await getBytes(built, "/assets/big-abc123.js", { "accept-encoding": "br" });
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
  });

  it("never sends a .br older than its file, and sends small files as they are", async () => {
    const stale = await getBytes(built, "/assets/stale-abc123.js", { "accept-encoding": "br" });
    expect(stale.headers["content-encoding"]).toBeUndefined();
    expect(stale.body.toString()).toBe(BIG);
    const small = await getBytes(built, "/assets/index-abc123.js", { "accept-encoding": "br" });
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(small.headers.vary).toBeUndefined();
  });
});
