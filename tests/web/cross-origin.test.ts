/**
 * A page of another origin reading the RDF exports in Chromium, as the CORS setting allows: a
 * fetch that sends `If-None-Match` (not a safelisted header) is preflighted, and the export's
 * OPTIONS answered 405 until the exports answered preflights as /graphql does (export-routes.ts);
 * export.test.ts checks the headers, this that a browser takes them. The page is the server's
 * own /health at `http://localhost:PORT`, another origin than `http://127.0.0.1:PORT`.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { AppOptions } from "../../src/server/app.js";
import { startedServers, type TestServer } from "../support/server.js";
import { sharedChromium } from "./harness.js";
import { describeInChromium } from "./suite.js";

await describeInChromium("the RDF exports fetched from another origin in Chromium", () => {
  const servers = startedServers();
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    browser = await sharedChromium();
    context = await browser.newContext();
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await servers.closeAll();
  });

  /** A page at `http://localhost:PORT` of `server`, another origin than the 127.0.0.1 it listens on. */
  async function pageOn(server: TestServer): Promise<Page> {
    const page = await context.newPage();
    const response = await page.goto(`${server.url.replace("127.0.0.1", "localhost")}/health`);
    expect(response?.status()).toBe(200);
    return page;
  }

  /** What the page's fetch of `url` with `headers` gave: status, ETag and request id, or the error. */
  const fetched = (page: Page, url: string, headers: Record<string, string>) =>
    page.evaluate(
      async ([url, headers]) => {
        try {
          const response = await fetch(url, { headers, cache: "no-store" });
          const text = await response.text();
          const { status } = response;
          const etag = response.headers.get("etag");
          return { status, etag, requestId: response.headers.get("x-request-id"), text };
        } catch (error) {
          return { error: String(error) };
        }
      },
      [url, headers] as const,
    );

  it("reads an export and /graphql with If-None-Match and X-Request-Id, their exposed headers, and a 304, under CORS `*`", async () => {
    // every answer says `Access-Control-Allow-Origin: *` under `*` (it reflected the page's
    // origin): the browser takes it for preflighted fetches, and exposes the headers it names
    const server = await servers.start();
    const page = await pageOn(server);
    for (const [path, atLeast] of [
      ["/graph.nt", 1000],
      ["/graph.jsonld", 1000],
      ["/graphql?query=%7B__typename%7D", 20],
    ] as const) {
      const url = `${server.url}${path}`;
      const first = await fetched(page, url, { "if-none-match": '"none"', "x-request-id": "p1" });
      expect(first, path).toMatchObject({ status: 200, requestId: "p1" });
      expect((first as { etag: string | null }).etag, path).toMatch(/^"/);
      expect((first as { text: string }).text.length, path).toBeGreaterThan(atLeast);
      const again = await fetched(page, url, { "if-none-match": (first as { etag: string }).etag });
      expect(again, path).toMatchObject({ status: 304 });
    }
    await page.close();
  });

  /** A server under `cors` whose request log lines (method, path, status) are kept in `seen`. */
  async function loggedServer(cors: AppOptions["cors"]) {
    const seen: { method: string; path: string; status: number }[] = [];
    const server = await servers.start(undefined, {
      cors,
      logLevel: "info",
      logSink: {
        write: (line: string) => {
          const { msg, method, path, status } = JSON.parse(line);
          if (msg === "request") seen.push({ method, path, status });
        },
      },
    });
    return { server, seen };
  }

  it("refuses the page an export where CORS does not list its origin: the browser refuses the server's answers", async () => {
    // "Failed to fetch" alone is also what a dead server or a 500 to the preflight gives: the
    // server's log must show it answered, and the same page must read the same fetch elsewhere
    const { server, seen } = await loggedServer(["https://a.example", "https://c.example"]);
    const open = await servers.start();
    const page = await pageOn(server);
    const refused = await fetched(page, `${server.url}/graph.nt`, { "if-none-match": '"none"' });
    expect(refused).toEqual({ error: "TypeError: Failed to fetch" });
    // the preflight was answered, as any: 204, and the browser sent nothing more
    const exports = () => seen.filter((r) => r.path === "/graph.nt");
    expect(exports()).toEqual([{ method: "OPTIONS", path: "/graph.nt", status: 204 }]);
    // a fetch that needs no preflight is sent and answered 200, and its answer refused to the page
    expect(await fetched(page, `${server.url}/graph.nt`, {})).toEqual({
      error: "TypeError: Failed to fetch",
    });
    expect(exports().at(-1)).toEqual({ method: "GET", path: "/graph.nt", status: 200 });
    // the same page reads the same fetch from a server that allows any origin
    const allowed = await fetched(page, `${open.url}/graph.nt`, { "if-none-match": '"none"' });
    expect(allowed).toMatchObject({ status: 200 });
    await page.close();
  });

  /**
   * What a sandboxed iframe of a page of `server` (an opaque origin: its requests say
   * `Origin: null`, and any site can embed one) gets fetching an export with If-None-Match and
   * /graphql with X-Request-Id: each status, or the error.
   */
  async function fromOpaqueOrigin(server: TestServer): Promise<unknown[]> {
    const page = await pageOn(server);
    const got = await page.evaluate(async (base) => {
      const frame = document.createElement("iframe");
      frame.setAttribute("sandbox", "allow-scripts");
      const answered = new Promise<unknown[]>((resolve) =>
        addEventListener("message", (event) => resolve(event.data as unknown[])),
      );
      frame.srcdoc = `<script>
        const asks = [["/graph.nt", { "if-none-match": '"none"' }],
          ["/graphql?query=%7B__typename%7D", { "x-request-id": "opaque" }]];
        Promise.all(asks.map(([path, headers]) =>
          fetch(${JSON.stringify(base)} + path, { headers, cache: "no-store" })
            .then((r) => r.status, (e) => String(e))))
          .then((got) => parent.postMessage(got, "*"));
      </script>`;
      document.body.append(frame);
      return answered;
    }, server.url);
    await page.close();
    return got;
  }

  it("refuses a page of an opaque origin (a sandboxed iframe) under a list of origins, which it reads under *", async () => {
    // @whatwg-node told an unlisted origin `Access-Control-Allow-Origin: null`, the opaque
    // origin's own under a list of two or more: such a frame read both (review 11; cors.ts forOrigin)
    const open = await servers.start();
    expect(await fromOpaqueOrigin(open)).toEqual([200, 200]);
    const { server: listed, seen } = await loggedServer(["https://a.example", "https://c.example"]);
    expect(await fromOpaqueOrigin(listed)).toEqual([
      "TypeError: Failed to fetch",
      "TypeError: Failed to fetch",
    ]);
    // refused by the browser, at each preflight the server answered (not a dead server or a 500)
    expect(
      seen.filter((r) => r.method === "OPTIONS").sort((a, b) => a.path.localeCompare(b.path)),
    ).toEqual([
      { method: "OPTIONS", path: "/graph.nt", status: 204 },
      { method: "OPTIONS", path: "/graphql", status: 204 },
    ]);
    expect(seen.filter((r) => r.status >= 500)).toEqual([]);
  });
});
