/**
 * CORS, in one place: the options Yoga applies to its answers, and the same headers for the
 * answers the server sends before Yoga (a 503 when it sheds load or has too many connections, a
 * 413 for a body too large). Without them a browser hides such an answer from the page, which
 * then sees a bare network error instead of "try again in 5 s".
 *
 * The headers are those @whatwg-node/server's CORS plugin (Yoga's) sends for these options, so a
 * page sees the same whoever answered.
 */
import type { IncomingMessage } from "node:http";
import type { Config } from "./config.js";

/** Response headers a page may read: which request and graph answered, the ETag, when to retry. */
const EXPOSED = ["x-request-id", "x-graph-version", "etag", "retry-after"];
const METHODS = ["GET", "POST"];
/** How long a browser may keep a preflight's answer, in seconds. */
const MAX_AGE_SECONDS = 600;

/** Yoga's `cors` option for the setting. */
export function yogaCors(setting: Config["cors"]) {
  return setting === "none" ? false : { origin: setting, credentials: false, methods: METHODS, exposedHeaders: EXPOSED, maxAge: MAX_AGE_SECONDS };
}

/**
 * The CORS headers of an answer to `req`, as Yoga would send them: none without an Origin header
 * or with the setting `none`; the caller's origin when any is allowed or it is listed, `null` when
 * it is not (the browser then refuses the answer to the page, as it should).
 */
export function corsHeaders(setting: Config["cors"], req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (setting === "none" || origin === undefined) return {};
  const headers: Record<string, string> = {};
  if (setting === "*") {
    headers["access-control-allow-origin"] = origin;
    headers.vary = "Origin";
  } else if (setting.length === 1) headers["access-control-allow-origin"] = setting[0]!;
  else if (setting.includes(origin)) {
    headers["access-control-allow-origin"] = origin;
    headers.vary = "Origin";
  } else headers["access-control-allow-origin"] = "null";
  headers["access-control-allow-methods"] = METHODS.join(", ");
  headers["access-control-expose-headers"] = EXPOSED.join(", ");
  headers["access-control-max-age"] = String(MAX_AGE_SECONDS);
  return headers;
}
