/**
 * Serves the built web explorer (web/dist) at `/`: its files with their content types and caching
 * headers, and index.html for the explorer's own routes (history routing), so a shared link
 * reloads. A file built with `.br` and `.gz` beside it (web/precompress.ts) is sent in the coding the
 * client accepts, brotli first, with `Vary: Accept-Encoding`. Only the explorer's paths are answered here (another method than GET and HEAD with
 * 405); everything else (/graphql, /health and any endpoint added later) is left to the other
 * handlers.
 *
 * A page that shows nothing is answered with status 404 and still with index.html, so a person
 * sees the explorer's own friendly page while a crawler or a link checker sees the 404: an
 * entity's page for a key the graph does not hold, and any other path a browser navigates to
 * (it asks for text/html) that is neither a view nor a file.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync, realpathSync, type Stats, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { normalizeKey } from "../graph/keys.js";
import { sendError } from "./body.js";
import { negotiateCoding } from "./compression.js";

/** Where `npm run build:web` puts the explorer. */
export const defaultWebDir = fileURLToPath(new URL("../../web/dist", import.meta.url));

/**
 * Paths of the explorer's views (see web/src/router.ts): answered with index.html. A path outside
 * these and outside the built files is never taken, so it cannot shadow an API endpoint.
 */
export const CLIENT_ROUTES: readonly RegExp[] = [
  /^\/$/,
  /^\/search$/,
  /^\/timeline$/,
  /^\/offices$/,
  /^\/entity\/[A-Za-z]+\/[^/]+(?:\/graph)?\/?$/,
];

/** Endpoints of the server itself: never served from web/dist, whatever files it holds. */
const RESERVED = /^\/(?:graphql|health|ready|metrics|graph\.[a-z]+)(?:[/?.]|$)/;

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

/** The style of the server's own small pages (below), in a `<style>` the policy allows by its hash. */
const PAGE_STYLE =
  "body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5 }";

/**
 * The one stylesheet a library puts in the explorer's page itself: cytoscape (the graph view)
 * prepends this `<style>` to the head when it first draws. The browser test of the graph view
 * fails on the policy's refusal should another version of it write another.
 */
export const CYTOSCAPE_STYLE = ".__________cytoscape_container { position: relative; }";

/** A CSP source allowing the inline style `css` and no other (its SHA-256). */
export function styleHash(css: string): string {
  return `'sha256-${createHash("sha256").update(css, "utf8").digest("base64")}'`;
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Explorer not built</title><style>${PAGE_STYLE}</style></head>
<body>
<h1>The web explorer is not built</h1>
<p>This server serves the explorer from <code>web/dist</code>, which does not exist yet.
Build it with <code>npm run build:web</code> (or run <code>npm ci</code> or <code>npm start</code>, which build it when it is missing), then reload.</p>
<p>The GraphQL API works without it: <a href="/graphql">/graphql</a>.</p>
</body></html>
`;

/** The page for an address of the explorer's whose %-escapes are not UTF-8 (the address itself is not repeated in it). */
const BAD_ADDRESS = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Address not valid</title><style>${PAGE_STYLE}</style></head>
<body>
<h1>This address is not valid</h1>
<p>Its escapes (<code>%</code> followed by two hex digits) do not decode to UTF-8 text, so it names no page of the explorer: a link written in another encoding (Latin-1, say) gives such an address.
An entity's key is written in UTF-8: <code>/entity/person/gyorgy-szabo</code>, or <code>%C3%A9</code> for an é.</p>
<p><a href="/">Go to the explorer's start page</a>, or search there for what you were looking for.</p>
</body></html>
`;

/**
 * Headers of every page the server sends, the explorer's and GraphiQL's (graphiql.ts): no
 * sniffing, no referrer, and no framing but by a page of this origin, `frame-ancestors` for
 * browsers that read CSP, `X-Frame-Options` for those that do not. Red team 11 (F7): any site
 * could frame either page (clickjacking: a framed GraphiQL runs what a user is tricked into
 * clicking), and GraphiQL's page had none of these. `base-uri` and `object-src` take nothing a
 * page uses.
 */
export const PAGE_SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "SAMEORIGIN",
  "content-security-policy": "frame-ancestors 'self'; base-uri 'none'; object-src 'none'",
};

/**
 * The explorer's own, a whole policy: it loads its scripts, styles and icon from /assets and /,
 * and asks /graphql only, so nothing inline and nothing from elsewhere runs or is read, should
 * an injection ever appear. No inline style either but the two known by their hashes (the small
 * pages' own, cytoscape's): an injected `<style>` or `style` attribute could read the page
 * through selectors on its attributes (CSS exfiltration). The explorer and cytoscape set element
 * styles through the CSSOM, which CSP does not govern. Images may be `data:` and `blob:`
 * (cytoscape's). The browser tests (tests/web, whose harness fails a test on any console error, a
 * CSP violation among them) run every view under it.
 */
export const EXPLORER_CSP = `default-src 'self'; script-src 'self'; style-src 'self' ${styleHash(PAGE_STYLE)} ${styleHash(CYTOSCAPE_STYLE)}; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'`;

const SECURITY_HEADERS = { ...PAGE_SECURITY_HEADERS, "content-security-policy": EXPLORER_CSP };

/** One of the server's own small pages (not built, address not valid): every page's headers, never kept by a cache. */
function sendPage(req: IncomingMessage, res: ServerResponse, status: number, html: string): true {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-length": String(Buffer.byteLength(html)),
  });
  res.end(req.method === "HEAD" ? undefined : html);
  return true;
}

/**
 * Answers the request and returns true when it is the explorer's; returns false otherwise.
 * `sentUrl` is the request's target as the client sent it, when `req.url` is no longer that
 * (app.ts resolves its dot segments and backslashes, canonicalUrl): a built file is served at
 * its own path only, as sent.
 */
export type StaticHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  sentUrl?: string,
) => boolean;

export interface StaticOptions {
  /**
   * Whether the graph holds the entity with this key (`person/gyorgy-szabo`): its page is answered
   * 404 when not. Asked per request, so a reloaded graph is followed. Without it every entity
   * page is answered 200.
   */
  entityExists?: (key: string) => boolean;
}

const ENTITY_ROUTE = /^\/entity\/([a-z]+)\/([^/]+)(?:\/graph)?\/?$/i;

/** Whether the client asked for a page (a browser's navigation), not for data or a script. */
function wantsPage(req: IncomingMessage): boolean {
  const accept = req.headers.accept;
  return typeof accept === "string" && /\btext\/html\b/i.test(accept);
}

export function createStaticHandler(
  webDir: string = defaultWebDir,
  options: StaticOptions = {},
): StaticHandler {
  return (req, res, sentUrl) => {
    const rawPath = (req.url ?? "/").split("?")[0]!;
    if (RESERVED.test(rawPath)) return false;

    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      // an address of the explorer's whose escapes are not UTF-8 (`/entity/person/%E9`, a Latin-1
      // link): a page that says so, 400, with every page's headers; it fell through to the API's
      // JSON 404 ("Nothing at ...: the GraphQL endpoint is /graphql"), without them (red team 12)
      if (!CLIENT_ROUTES.some((route) => route.test(rawPath))) return false;
      if (req.method !== "GET" && req.method !== "HEAD")
        return methodNotAllowed(res, rawPath, req.method);
      return sendPage(req, res, 400, BAD_ADDRESS);
    }
    const isRoute = CLIENT_ROUTES.some((route) => route.test(rawPath));
    const root = realDir(webDir);
    const read = req.method === "GET" || req.method === "HEAD";
    if (!root) {
      if (!isRoute) return false;
      if (!read) return methodNotAllowed(res, rawPath, req.method);
      return sendPage(req, res, 503, NOT_BUILT);
    }

    if (isRoute) {
      if (!read) return methodNotAllowed(res, rawPath, req.method);
      // matched on the path as sent, as the routes are, and its key then decoded: on the decoded
      // path an escaped slash (`/entity/person/a%2Fb`) split the key, no entity was looked up, and
      // the page of one that does not exist was answered 200 (red team 11)
      const entity = ENTITY_ROUTE.exec(rawPath);
      const missing =
        entity && options.entityExists
          ? !options.entityExists(
              // as the explorer reads it (web/src/router.ts: the kind in any case) and the API
              // its key (the slug's case, accents and spaces forgiven, keys.ts): review 13 found
              // /entity/Person/nobody answered 200, and /entity/person/Gyorgy-Szabo 404
              `${entity[1]!.toLowerCase()}/${normalizeKey(decodeURIComponent(entity[2]!))}`,
            )
          : false;
      return sendFile(req, res, join(root, "index.html"), "no-cache", missing ? 404 : 200);
    }
    // a page the explorer does not have, asked for by a browser: its in-app "not found" page
    const notFoundPage = () =>
      read &&
      wantsPage(req) &&
      !path.startsWith("/assets/") &&
      sendFile(req, res, join(root, "index.html"), "no-cache", 404);
    // a built file: no "..", no backslash or NUL, and the resolved file must stay inside web/dist
    if (path.includes("\0") || path.includes("\\") || path.split("/").includes(".."))
      return notFoundPage();
    if (!ownPath(rawPath, path, sentUrl)) return notFoundPage();
    const file = join(root, path);
    let real: string;
    try {
      real = realpathSync(file);
    } catch {
      return notFoundPage();
    }
    if (!real.startsWith(root + sep) || !statSync(real).isFile()) return notFoundPage();
    if (codingOfAnother(file)) return notFoundPage();
    if (!read) return methodNotAllowed(res, rawPath, req.method);
    // Vite names the files under /assets/ by their content hash: they never change
    const cache = path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
    return sendFile(req, res, real, cache);
  };
}

/**
 * Whether a built file is asked for by its own path, the one URL it has: written as it is in
 * web/dist, slash by slash. Red team 44 (N3): `/assets/x.js/`, `//assets/x.js`, `/assets%2fx.js`
 * and `/assets\x.js` were each answered with the file, so one file had many URLs, each kept
 * apart by a browser's or a proxy's cache. None is a link the explorer writes, so they are
 * answered 404 rather than redirected: a 301 would take in any spelling a client cares to send
 * and hand back a URL made from it (nginx answers a file's path with a slash after it 404, and
 * Apache, by default, any path with an escaped slash). An escaped
 * slash names another resource than a slash (RFC 3986, 2.2); an escaped letter or digit names the
 * same one (6.2.2.2), so it is still read as that.
 */
function ownPath(rawPath: string, path: string, sentUrl: string | undefined): boolean {
  // a dot segment or a backslash, which app.ts resolved before this handler saw the path
  if (sentUrl !== undefined && sentUrl.split("?")[0] !== rawPath) return false;
  // an empty segment: a doubled slash, or one at the end (a file is no directory)
  if (path.slice(1).split("/").includes("")) return false;
  return !/%2f/i.test(rawPath);
}

/**
 * Whether the file is the brotli or gzip form of another built file (web/precompress.ts): sent
 * as that file's coding, at that file's URL, never by its own name. Red team 44 (N3):
 * `/assets/x.js.br` was answered, as `application/octet-stream`, a second URL for the file's bytes
 * that no client negotiated.
 */
function codingOfAnother(file: string): boolean {
  const coded = /\.(?:br|gz)$/.exec(file);
  if (!coded) return false;
  try {
    return statSync(file.slice(0, coded.index)).isFile();
  } catch {
    return false;
  }
}

/** The explorer's pages and files are read-only: another method gets 405 with `Allow`. */
function methodNotAllowed(res: ServerResponse, path: string, method: string | undefined): true {
  const message = `${path.slice(0, 200)} is a page of the web explorer: it answers GET and HEAD only, not ${method}.`;
  sendError(res, 405, "METHOD_NOT_ALLOWED", message, {
    keepAlive: true,
    headers: { ...SECURITY_HEADERS, allow: "GET, HEAD" },
  });
  return true;
}

function realDir(dir: string): string | null {
  try {
    const real = realpathSync(dir);
    return existsSync(join(real, "index.html")) ? real : null;
  } catch {
    return null;
  }
}

/** The file's precompressed sibling (web/precompress.ts) if it is at least as new as the file. */
function precompressed(
  file: string,
  stats: Stats,
  coding: "br" | "gzip",
): { path: string; stats: Stats } | undefined {
  const path = `${file}.${coding === "br" ? "br" : "gz"}`;
  try {
    const sibling = statSync(path);
    return sibling.isFile() && sibling.mtimeMs >= stats.mtimeMs
      ? { path, stats: sibling }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the client holds this version of a file (RFC 9110, 13.1.2 and 13.1.3): `If-None-Match`
 * naming its tag among others, or `*` (the file exists), compared weakly as that header asks;
 * without it, for a file named by its content (`immutable`), an `If-Modified-Since` no earlier
 * than the file's `Last-Modified` (whole seconds, as sent). Red team 11 (F8): the header was compared to the one tag as a string, so a list or `*`
 * got the whole file, and `If-Modified-Since` was never answered 304.
 */
function notModified(
  req: IncomingMessage,
  etag: string,
  stats: Stats,
  immutable: boolean,
): boolean {
  const tags = req.headers["if-none-match"];
  if (tags !== undefined) {
    if (tags.trim() === "*") return true;
    const opaque = etag.replace(/^W\//, "");
    return tags.split(",").some((tag) => tag.trim().replace(/^W\//, "") === opaque);
  }
  // If-Modified-Since only for the files named by their content (/assets/), and only an HTTP-date
  // (RFC 9110 13.1.3: anything else MUST be ignored). Review 13: `Date.parse` took "3000" for the
  // year 3000, and a date says nothing of a file rebuilt within the same second (index.html with
  // new asset names) or rolled back with its older times kept: each got 304 for a changed file.
  // The others are revalidated by their ETag (size and mtime in ms), which browsers send.
  const header = req.headers["if-modified-since"];
  if (!immutable || header === undefined || !HTTP_DATE.test(header)) return false;
  return Math.floor(stats.mtimeMs / 1000) * 1000 <= Date.parse(header);
}

/** An HTTP-date in its preferred form (IMF-fixdate), e.g. `Sun, 06 Dec 2026 03:30:00 GMT`. */
const HTTP_DATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  cacheControl: string,
  status = 200,
): boolean {
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch {
    return false;
  }
  // a text file built with .br and .gz beside it is sent in the coding the client prefers
  const hasCodings =
    precompressed(file, stats, "br") !== undefined ||
    precompressed(file, stats, "gzip") !== undefined;
  const coding = hasCodings ? negotiateCoding(req.headers["accept-encoding"]) : undefined;
  const sent = (coding && precompressed(file, stats, coding)) || undefined;
  const tag = `${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}`;
  const etag = `W/"${sent ? `${tag}-${coding}` : tag}"`;
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    "content-type": CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
    "cache-control": cacheControl,
    etag,
    "last-modified": stats.mtime.toUTCString(),
  };
  if (hasCodings) headers.vary = "Accept-Encoding";
  if (sent) headers["content-encoding"] = coding!;
  if (status === 200 && notModified(req, etag, stats, cacheControl.includes("immutable"))) {
    res.writeHead(304, headers).end();
    return true;
  }
  headers["content-length"] = String(sent ? sent.stats.size : stats.size);
  res.writeHead(status, headers);
  if (req.method === "HEAD") {
    res.end();
    return true;
  }
  const stream = createReadStream(sent ? sent.path : file);
  stream.on("error", () => res.destroy());
  stream.pipe(res);
  return true;
}
