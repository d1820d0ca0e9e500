/**
 * GraphiQL's page: rendered off the main thread, then served as a large static file is.
 *
 * @graphql-yoga/render-graphiql holds GraphiQL's whole build as strings, about 9 MB of source,
 * and inlines it into the page: every page is 9 MB. Importing it is about half a CPU-second of
 * parsing, in one synchronous go (490 ms measured), and rendering a page takes 30 ms. On the main
 * thread, the first visitor would hold every other request back that long. At start, every
 * process and worker would pay it whether or not a browser ever comes. So a worker thread renders
 * the page the first time a browser asks for it, encodes it to bytes and hashes them; the page is
 * kept, one per set of options (title, tabs), of which a server has one. If no worker can be
 * started, the page is rendered here, as before. The page is Yoga's with one small script of ours
 * before GraphiQL's, which hands a link's `variables` to GraphiQL (`LINK_VARIABLES`): the same
 * page for every URL, its query string read in the browser.
 *
 * Yoga sent that page as a string on every request: 9 MB encoded again each time, uncompressed,
 * without a validator, so a request of 60 bytes got 9 MB and twenty of them held /health for up
 * to a second (bench/results/2026-12-05-graphiql-page.txt). `serve` answers it instead, as
 * export-routes.ts answers the RDF exports:
 * - brotli or gzip as the client accepts (`Vary: Accept, Accept-Encoding`: the same URL answers
 *   JSON to another Accept), compressed once per page and coding on libuv's thread pool and kept
 *   (9.05 MB: 1.9 MB in brotli 6, 2.4 MB in gzip 6);
 * - a strong ETag derived from the page's bytes (the same on every replica running the same
 *   code), one per coding, and `If-None-Match` → 304 with no body;
 * - `Cache-Control: no-cache`: a browser keeps the page and revalidates it at each visit, so
 *   that a new version of the server is seen at once, and a revisit costs a 304;
 * - the kept bytes, never re-encoded, written to the socket without a copy;
 * - HEAD answered with the page's headers;
 * - the headers of every page the server sends (static.ts PAGE_SECURITY_HEADERS: nosniff, no
 *   referrer, framed by this origin only).
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { GraphiQLOptions } from "graphql-yoga";
import { type Coding, compress, negotiateCoding, PAGE_EFFORT } from "./compression.js";
import { codedTag, matchingTag } from "./http-cache.js";
import { PAGE_SECURITY_HEADERS } from "./static.js";
import { sendsShared } from "./unsent.js";

const PACKAGE = "@graphql-yoga/render-graphiql";

/** The page as sent: its bytes (UTF-8), its strong ETag, and its compressed forms once made. */
export interface GraphiQLPage {
  body: Buffer;
  etag: string;
  /** One per coding, made on first use (a promise while being compressed) and kept. */
  coded: Map<Coding, Promise<Buffer>>;
  /** Its Content-Security-Policy, naming its inline scripts by their hashes (`graphiqlPolicy`). */
  policy: string;
}

/** The worker's script (CommonJS, run with `eval`): requires the package, renders, answers the page's bytes and their hash. */
const RENDER_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const { renderGraphiQL } = require(workerData.module);
const html = (${withLinkVariables.toString()})(renderGraphiQL(workerData.options), workerData.handOver);
const bytes = new TextEncoder().encode(html);
const hash = createHash("sha256").update(bytes).digest("base64url");
const scripts = (${inlineScriptHashes.toString()})(html, createHash);
parentPort.postMessage({ bytes, hash, scripts }, [bytes.buffer]);
`;

/**
 * A link's variables, handed to GraphiQL: the explorer links a query to
 * `/graphql?query=...&variables=...`, and Yoga's GraphiQL reads only `query` from the URL. With no
 * `initialVariables` (Yoga passes none: its options are the server's, one page for every URL),
 * GraphiQL takes the variables its storage keeps (`localStorage["graphiql:variables"]`, which it
 * writes as its user edits the variables), pairs them with the query, and opens the pair in a tab
 * of its own, or selects the saved tab that holds the same pair: the user's saved tabs
 * (`graphiql:tabState`) are kept, as when a link gives a query alone. So this script, before
 * GraphiQL's, stores the URL's `variables` there, and takes them out of the URL, as GraphiQL then
 * holds them: a reload opens what the user has since edited (Yoga keeps the edited query in the
 * URL, and GraphiQL the edited variables in that storage) rather than the link's variables beside
 * an edited query, in a new tab at each reload. Where storage is refused, the URL is left as it is.
 * Inline, named by its hash in the page's policy like GraphiQL's own script.
 */
const LINK_VARIABLES = `(function () {
  var url = new URL(location.href);
  var variables = url.searchParams.get("variables");
  if (variables === null) return;
  try {
    localStorage.setItem("graphiql:variables", variables);
  } catch (refused) {
    return;
  }
  url.searchParams.delete("variables");
  history.replaceState(history.state, "", url);
})();`;

/**
 * Yoga's page with `script` (LINK_VARIABLES) run first: inline at the end of its `<head>`, before
 * GraphiQL's script (in its `<body>`). A page with no `</head>` before its first script (another
 * version of Yoga's template) is refused, rather than served without it. Run in the render
 * worker too (as its source text), so it uses nothing but its arguments.
 */
function withLinkVariables(html: string, script: string): string {
  const head = html.indexOf("</head>");
  const first = html.indexOf("<script");
  if (head < 0 || (first >= 0 && first < head))
    throw new Error(
      "GraphiQL's page has no </head> before its script: the link's variables would be lost",
    );
  return `${html.slice(0, head)}<script>${script}</script>\n${html.slice(head)}`;
}

/**
 * The CSP hashes (`'sha256-...'`) of the page's inline scripts, in order: the text between each
 * `<script>` and the next `</script>`, as the browser hashes it (UTF-8). Run in the render worker
 * too (as its source text), so it uses nothing but its arguments.
 */
function inlineScriptHashes(
  html: string,
  hashOf: (algorithm: "sha256") => { update(text: string): { digest(as: "base64"): string } },
): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script>([\s\S]*?)<\/script>/g))
    hashes.push(`'sha256-${hashOf("sha256").update(match[1]!).digest("base64")}'`);
  return hashes;
}

/**
 * GraphiQL's page's policy: its own inline scripts (by their hashes) and nothing else runs; its
 * editor's workers are made from blobs (`worker-src blob:`) and take their code from blobs
 * (`script-src blob:`, which a page must run a script to make); styles inline (its `<style>`, and
 * the editor's); icons and fonts `data:`; it asks this origin only (`connect-src 'self'`: the
 * endpoint is /graphql). Red team 11 (F7) left the page with none (no `script-src`): an injection
 * anywhere in it would run. The browser test that opens GraphiQL (tests/web/data-out.test.ts,
 * whose harness fails on any console error, a CSP violation among them) runs it under this.
 */
function graphiqlPolicy(scripts: readonly string[]): string {
  return [
    "default-src 'self'",
    `script-src ${[...scripts, "blob:"].join(" ")}`,
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join("; ");
}

/** The answer's Cache-Control: kept, revalidated at each use (a 304 while the page is the same). */
export const GRAPHIQL_CACHE_CONTROL = "no-cache";

/** GraphiQL's pages, each rendered once off the main thread and kept. */
export interface GraphiQLPages {
  /** The page for these options: rendered on first use, then the same object. */
  page(options: GraphiQLOptions): Promise<GraphiQLPage>;
  /** Yoga's `renderGraphiQL`: the same page as text (Yoga renders it only where `serve` does not answer). */
  render(options: GraphiQLOptions): Promise<string>;
  /**
   * Answer a GET or HEAD for the page with these options: compressed as the client accepts, with
   * its ETag, Cache-Control, and 304 when the client holds it. `headers` are added (CORS).
   */
  serve(
    req: IncomingMessage,
    res: ServerResponse,
    options: GraphiQLOptions,
    headers?: Record<string, string>,
  ): Promise<void>;
}

/**
 * `offThread`: how a page is rendered off this thread (a worker of its own); a test gives one that
 * fails, to see the page rendered here instead be the same page.
 */
export function graphiqlPages({
  offThread = renderOffThread,
}: {
  offThread?: (options: GraphiQLOptions) => Promise<Rendered>;
} = {}): GraphiQLPages {
  const pages = new Map<string, Promise<GraphiQLPage>>();
  const page = (options: GraphiQLOptions): Promise<GraphiQLPage> => {
    const key = JSON.stringify(options);
    let kept = pages.get(key);
    if (!kept) {
      // (where no worker can be started: rendered here, once, holding the loop while it renders)
      kept = offThread(options)
        .catch(() => renderHere(options))
        .then(({ bytes, hash, scripts }) => ({
          body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
          etag: `"graphiql-${hash.slice(0, 32)}"`,
          coded: new Map(),
          policy: graphiqlPolicy(scripts),
        }));
      // a page that could not be rendered is not kept: the next request tries again
      kept.catch(() => pages.delete(key));
      // the options are the server's own (one set): a few pages of 9 MB at most are kept
      if (pages.size < KEPT_PAGES) pages.set(key, kept);
    }
    return kept;
  };
  return {
    page,
    render: async (options) => (await page(options)).body.toString("utf8"),
    serve: async (req, res, options, headers = {}) => {
      const kept = await page(options);
      if (res.destroyed) return;
      // the CORS headers' Vary (Origin, where origins are listed) kept beside this page's own:
      // set under another case, it was replaced
      const own = Object.entries(headers).filter(([name]) => name.toLowerCase() !== "vary");
      const theirs = Object.entries(headers).find(([name]) => name.toLowerCase() === "vary")?.[1];
      const common = {
        ...Object.fromEntries(own),
        // nosniff, no referrer, no framing by other sites, and the page's own policy
        ...PAGE_SECURITY_HEADERS,
        "content-security-policy": kept.policy,
        "cache-control": GRAPHIQL_CACHE_CONTROL,
        // the same URL answers JSON to another Accept, and this page in another coding
        vary: theirs ? `${theirs}, Accept, Accept-Encoding` : "Accept, Accept-Encoding",
      };
      const coding = negotiateCoding(req.headers["accept-encoding"]);
      const tag = matchingTag(req.headers["if-none-match"], kept.etag, coding);
      if (tag !== undefined) {
        res.writeHead(304, { ...common, etag: tag }).end();
        return;
      }
      let body = kept.body;
      let sent: Coding | undefined;
      if (coding !== undefined) {
        try {
          body = await codedPage(kept, coding);
          sent = coding;
        } catch {
          // sent as it is: a coding is an optimisation, never a reason to fail an answer
        }
        if (res.destroyed) return;
      }
      res.writeHead(200, {
        ...common,
        etag: codedTag(kept.etag, sent),
        "content-type": "text/html; charset=utf-8",
        "content-length": body.length,
        ...(sent ? { "content-encoding": sent } : {}),
      });
      // the kept buffer itself: the socket writes it as the client reads, with no copy and no
      // work on the event loop (bench/attack/graphiql-beside.mjs)
      if (req.method !== "HEAD") sendsShared(res, body);
      res.end(req.method === "HEAD" ? undefined : body);
    },
  };
}

/** Pages kept: one per set of options, of which a server has one. */
const KEPT_PAGES = 4;

/** The page in `coding`, compressed on first use and kept; a failure is not kept (the next request tries again). */
function codedPage(page: GraphiQLPage, coding: Coding): Promise<Buffer> {
  let body = page.coded.get(coding);
  if (!body) {
    body = compress(page.body, coding, PAGE_EFFORT);
    body.catch(() => page.coded.delete(coding));
    page.coded.set(coding, body);
  }
  return body;
}

export interface Rendered {
  bytes: Uint8Array;
  hash: string;
  /** `inlineScriptHashes` of the page. */
  scripts: string[];
}

function renderHere(options: GraphiQLOptions): Rendered {
  const html = withLinkVariables(
    createRequire(import.meta.url)(PACKAGE).renderGraphiQL(options) as string,
    LINK_VARIABLES,
  );
  const bytes = new TextEncoder().encode(html);
  return {
    bytes,
    hash: createHash("sha256").update(bytes).digest("base64url"),
    scripts: inlineScriptHashes(html, createHash),
  };
}

function renderOffThread(options: GraphiQLOptions): Promise<Rendered> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(RENDER_WORKER, {
      eval: true,
      workerData: {
        module: createRequire(import.meta.url).resolve(PACKAGE),
        options,
        handOver: LINK_VARIABLES,
      },
    });
    // a render under way does not keep a stopping server's process alive
    worker.unref();
    worker.once("message", (rendered: Rendered) => {
      void worker.terminate();
      resolve(rendered);
    });
    worker.once("error", reject);
    // (after the message, a rejection changes nothing)
    worker.once("exit", (code) => reject(new Error(`GraphiQL's renderer exited with ${code}`)));
  });
}
