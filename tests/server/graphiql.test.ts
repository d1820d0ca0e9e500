import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compressionCount } from "../../src/server/compression.js";
import { graphiqlPages } from "../../src/server/graphiql.js";
import { type RawAnswer, rawRequest } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

describe("GraphiQL's page", () => {
  it("is rendered once per set of options, and not in this thread", async () => {
    const pages = graphiqlPages();
    const options = { title: "a title of its own", endpoint: "/graphql" };
    const first = pages.page(options);
    expect(pages.page({ ...options })).toBe(first);
    const page = await first;
    const text = page.body.toString("utf8");
    expect(text).toContain("<title>a title of its own</title>");
    expect(text).toContain("YogaGraphiQL.renderYogaGraphiQL(");
    // with the script that hands a link's variables to GraphiQL run before GraphiQL's (which
    // reads only ?query=: tests/web/data-out.test.ts runs a linked query with its variables)
    const handOver = text.indexOf('localStorage.setItem("graphiql:variables"');
    expect(handOver).toBeGreaterThan(0);
    expect(handOver).toBeLessThan(text.indexOf("YogaGraphiQL.renderYogaGraphiQL("));
    // Yoga's renderer gets the same page as text
    expect(await pages.render(options)).toBe(text);
    // a strong tag, derived from the bytes
    expect(page.etag).toMatch(/^"graphiql-[A-Za-z0-9_-]{32}"$/);
    // another title, another page, another tag
    const another = await pages.page({ ...options, title: "another" });
    expect(another.body.toString("utf8")).toContain("<title>another</title>");
    expect(another.etag).not.toBe(page.etag);
    // the package (its CommonJS build, which the worker and the fallback require) was never
    // loaded here: nothing in this process imports it
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    expect(loaded.filter((path) => path.includes("render-graphiql"))).toEqual([]);
  });

  it("is rendered here, the same page with the same policy, when its thread cannot be (after the test above: it loads the package here)", async () => {
    const options = { title: "rendered here", endpoint: "/graphql" };
    const offThread = await graphiqlPages().page(options);
    let tried = 0;
    const here = await graphiqlPages({
      offThread: () => {
        tried += 1;
        return Promise.reject(new Error("no worker thread could be started"));
      },
    }).page(options);
    expect(tried).toBe(1);
    // the link's variables handed over, the inline scripts' hashes in the policy: the same bytes
    expect(here.body.equals(offThread.body)).toBe(true);
    expect(here.etag).toBe(offThread.etag);
    expect(here.policy).toBe(offThread.policy);
  });
});

/** A raw request whose body is kept as bytes, not decoded (fetch would decompress it). */
const raw = (server: TestServer, path: string, headers: Record<string, string>, method = "GET") =>
  rawRequest(server, path, { headers, method });

const HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

describe("GraphiQL's page over HTTP", () => {
  let server: TestServer;
  let plain: RawAnswer;

  beforeAll(async () => {
    server = await startServer();
    plain = await raw(server, "/graphql", { accept: HTML });
  });
  afterAll(() => server.close());

  it("is sent plain to a client that accepts no coding, with a strong ETag and a Cache-Control", () => {
    expect(plain.status).toBe(200);
    expect(plain.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(Number(plain.headers["content-length"])).toBe(plain.body.length);
    const text = plain.body.toString("utf8");
    expect(text).toContain("<title>kz-osce-graph: Kazakhstan and the OSCE</title>");
    expect(text).toContain("YogaGraphiQL.renderYogaGraphiQL(");
    expect(plain.headers.etag).toMatch(/^"graphiql-[A-Za-z0-9_-]+"$/);
    // kept by a browser, and revalidated at each visit
    expect(plain.headers["cache-control"]).toBe("no-cache");
    // the same URL answers JSON to another Accept, and the page compressed to another
    // Accept-Encoding; not another origin (CORS `*`: `*` to every origin, and to a request without)
    expect(plain.headers.vary).toBe("Accept, Accept-Encoding");
    expect(plain.headers["access-control-allow-origin"]).toBe("*");
  });

  it("is sent in brotli or gzip as the client accepts, and decodes to the plain page", async () => {
    const br = await raw(server, "/graphql", { accept: HTML, "accept-encoding": "gzip, br" });
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(Number(br.headers["content-length"])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(br.headers.vary).toBe("Accept, Accept-Encoding");
    expect(br.headers["cache-control"]).toBe("no-cache");
    // one tag per coding: a cache must not take one coding for the other
    expect(br.headers.etag).toBe(`${String(plain.headers.etag).slice(0, -1)}-br"`);

    const gzip = await raw(server, "/graphql", { accept: HTML, "accept-encoding": "gzip" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    expect(gzip.headers.etag).toBe(`${String(plain.headers.etag).slice(0, -1)}-gzip"`);
  });

  it("is compressed once per coding, and the kept bytes sent again", async () => {
    const headers = { accept: HTML, "accept-encoding": "br" };
    const first = await raw(server, "/graphql", headers);
    expect(first.headers["content-encoding"]).toBe("br");
    const before = compressionCount();
    const again = await Promise.all([1, 2, 3].map(() => raw(server, "/graphql", headers)));
    expect(compressionCount()).toBe(before);
    for (const answer of again) expect(answer.body.equals(first.body)).toBe(true);
  });

  it("answers If-None-Match: * with 304 and the ETag of the coding the client would get", async () => {
    // RFC 9110 15.4.5: the ETag its 200 would have; it was the plain page's whatever the coding
    const etag = String(plain.headers.etag);
    for (const [encoding, tag] of [
      ["", etag],
      ["gzip, br", `${etag.slice(0, -1)}-br"`],
      ["gzip", `${etag.slice(0, -1)}-gzip"`],
    ]) {
      const answer = await raw(server, "/graphql", {
        accept: HTML,
        "if-none-match": "*",
        ...(encoding ? { "accept-encoding": encoding } : {}),
      });
      expect(answer.status, encoding).toBe(304);
      expect(answer.headers.etag, encoding).toBe(tag);
    }
  });

  it("may be framed by no other site, sniffed or given a referrer, and runs its own scripts only: a policy naming each by its hash (red team 11, F7)", async () => {
    // the hash of each inline script of the page sent, as a browser takes it (the text between
    // <script> and the first </script> after it, UTF-8): two, the one that hands a link's
    // variables to GraphiQL, then GraphiQL's build and its start (8 MB)
    const inlineScripts = [
      ...plain.body.toString("utf8").matchAll(/<script>([\s\S]*?)<\/script>/g),
    ].map((match) => `'sha256-${createHash("sha256").update(match[1]!).digest("base64")}'`);
    expect(inlineScripts.length).toBe(2);
    // its 200, its 304 and a HEAD alike
    const head = await raw(server, "/graphql", { accept: HTML }, "HEAD");
    const held = await raw(server, "/graphql", {
      accept: HTML,
      "if-none-match": String(plain.headers.etag),
    });
    for (const answer of [plain, head, held]) {
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
      expect(answer.headers["referrer-policy"]).toBe("no-referrer");
      expect(answer.headers["x-frame-options"]).toBe("SAMEORIGIN");
      // its own policy: only its inline scripts run, named by their hashes (and the blobs its
      // editor's workers are made of); nothing inline otherwise, nothing from elsewhere
      // (tests/web/data-out.test.ts runs a query under it in Chromium)
      const policy = new Map(
        String(answer.headers["content-security-policy"])
          .split("; ")
          .map((directive) => [directive.split(" ")[0]!, directive.split(" ").slice(1)]),
      );
      expect(policy.get("script-src")).toEqual([...inlineScripts, "blob:"]);
      expect(policy.get("default-src")).toEqual(["'self'"]);
      expect(policy.get("connect-src")).toEqual(["'self'"]);
      for (const [name, values] of [
        ["frame-ancestors", ["'self'"]],
        ["base-uri", ["'none'"]],
        ["object-src", ["'none'"]],
      ] as const)
        expect(policy.get(name)).toEqual(values);
    }
  });

  it("answers 304 with no body to a client that holds it, in whichever coding", async () => {
    const etag = String(plain.headers.etag);
    for (const [held, encoding] of [
      [etag, ""],
      [`${etag.slice(0, -1)}-br"`, "br"],
      // the client can decode the coding it holds, whatever it accepts now
      [`${etag.slice(0, -1)}-gzip"`, "br, gzip"],
      [`"something else", ${etag}`, "gzip"],
    ] as const) {
      const answer = await raw(server, "/graphql", {
        accept: HTML,
        "accept-encoding": encoding,
        "if-none-match": held,
      });
      expect(answer.status, held).toBe(304);
      expect(answer.body.length, held).toBe(0);
      expect(answer.headers.etag, held).toBe(held.includes(",") ? etag : held);
      expect(answer.headers["cache-control"], held).toBe("no-cache");
    }
    const stale = await raw(server, "/graphql", { accept: HTML, "if-none-match": '"old"' });
    expect(stale.status).toBe(200);
    expect(stale.body.equals(plain.body)).toBe(true);
  });

  it("answers HEAD with the page's headers and no body", async () => {
    const head = await raw(server, "/graphql", { accept: HTML }, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(head.headers["content-length"]).toBe(plain.headers["content-length"]);
    expect(head.headers.etag).toBe(plain.headers.etag);
    const br = await raw(server, "/graphql", { accept: HTML, "accept-encoding": "br" });
    const headBr = await raw(server, "/graphql", { accept: HTML, "accept-encoding": "br" }, "HEAD");
    expect(headBr.headers["content-encoding"]).toBe("br");
    expect(headBr.headers["content-length"]).toBe(String(br.body.length));
    expect(headBr.body.length).toBe(0);
  });

  it("is the same page at /graphql/ and with a query string (which GraphiQL reads in the browser)", async () => {
    const slash = await raw(server, "/graphql/", { accept: HTML, "accept-encoding": "br" });
    expect(slash.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(slash.body).equals(plain.body)).toBe(true);
    // the explorer's link: a query and its variables, both read by the page's scripts
    for (const search of [
      "?query=%7B__typename%7D",
      `?query=${encodeURIComponent("query Q($key: String!) { person(key: $key) { name } }")}&variables=${encodeURIComponent('{"key": "person/gyorgy-szabo"}')}`,
    ]) {
      const linked = await raw(server, `/graphql${search}`, { accept: HTML });
      expect(linked.body.equals(plain.body)).toBe(true);
      expect(linked.headers.etag).toBe(plain.headers.etag);
    }
  });

  it("is not sent at other URLs that end in /graphql (Yoga's own match), which get a 404", async () => {
    // without a built explorer, which would answer a browser's 404 with its own page, these reach Yoga
    const bare = await startServer(server.app.served.current.graph, {
      webDir: join(tmpdir(), "kz-osce-no-such-build"),
    });
    try {
      for (const path of ["/foo/graphql", "/x?y=/graphql"]) {
        const answer = await raw(bare, path, { accept: HTML });
        expect(answer.status, path).toBe(404);
        expect(answer.body.length, path).toBeLessThan(10_000);
      }
    } finally {
      await bare.close();
    }
  });

  it("keeps the CORS headers' Vary: Origin beside its own, where origins are listed", async () => {
    const origin = "https://a.example";
    const listed = await startServer(server.app.served.current.graph, {
      cors: [origin, "https://b.example"],
    });
    try {
      const etag = String(plain.headers.etag);
      const asked: Record<string, string>[] = [
        { accept: HTML },
        { accept: HTML, "if-none-match": etag },
      ];
      for (const headers of asked) {
        const answer = await raw(listed, "/graphql", { ...headers, origin });
        expect(answer.headers["access-control-allow-origin"]).toBe(origin);
        expect(answer.headers.vary).toBe("Origin, Accept, Accept-Encoding");
      }
    } finally {
      await listed.close();
    }
  });

  it("leaves JSON requests to the API", async () => {
    const answer = await raw(server, "/graphql?query=%7B__typename%7D", {
      accept: "application/json",
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString("utf8"))).toEqual({ data: { __typename: "Query" } });
  });
});
