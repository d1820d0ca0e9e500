/**
 * CORS, in one place: the options Yoga applies to its answers, and the same headers for the
 * answers the server sends before Yoga (a 503 when it sheds load or has too many connections, a
 * 413 for a body too large). Without them a browser hides such an answer from the page, which
 * then sees a bare network error instead of "try again in 5 s".
 *
 * The headers are computed by @whatwg-node/server's CORS code (Yoga's), so a page sees the same
 * whoever answered.
 */
import type { IncomingMessage } from "node:http";
import { getCORSHeadersByRequestAndOptions } from "@whatwg-node/server";
import type { Config } from "./config.js";

/** Response headers a page may read: which request and graph answered, the ETag, when to retry. */
const EXPOSED = ["x-request-id", "x-graph-version", "etag", "retry-after"];
const METHODS = ["GET", "POST"];
/** How long a browser may keep a preflight's answer, in seconds. */
const MAX_AGE_SECONDS = 600;

/** The CORS options of the setting, before they are fitted to a request's origin (`forOrigin`). */
function corsOptions(setting: Config["cors"]) {
  return setting === "none"
    ? false
    : {
        origin: setting,
        credentials: false,
        methods: METHODS,
        exposedHeaders: EXPOSED,
        maxAge: MAX_AGE_SECONDS,
      };
}

/** Yoga's `cors` option for the setting: the options fitted to each request's origin. */
export function yogaCors(setting: Config["cors"]) {
  const options = corsOptions(setting);
  return options === false
    ? false
    : (request: Request) => forOrigin(options, request.headers.get("origin"));
}

/**
 * The options for a request from `origin`. Under a list of two or more origins, @whatwg-node
 * answers an origin it does not list `Access-Control-Allow-Origin: null`, and a page of an opaque
 * origin, whose requests say `Origin: null` (a sandboxed iframe, which any site can embed; a
 * data: or file: page), matches it: such a page read /graphql and, with their preflights, the
 * exports under a list that named neither (review 11, in Chromium). An unlisted origin is
 * answered as under a list of one: with the first origin listed, which is not the page's, and the
 * browser refuses the answer to it.
 */
function forOrigin(options: CorsOptions, origin: string | null): CorsOptions {
  const listed = options.origin;
  if (
    Array.isArray(listed) &&
    listed.length > 1 &&
    !listed.includes("*") &&
    (origin === null || !listed.includes(origin))
  )
    return { ...options, origin: [listed[0]!] };
  return options;
}

/**
 * The CORS headers of an answer to `req`, exactly as Yoga would send them (its own function, from
 * @whatwg-node/server, on the request's headers): none without an Origin header or with the
 * setting `none`; the caller's origin when any is allowed or it is listed, else the first origin
 * listed (the browser then refuses the answer to the page, as it should: `forOrigin`). With CORS on they always say
 * `Vary: Origin`, also to a request without one (whose answer has no CORS headers: it depends on
 * Origin too, and a shared cache that kept it served it to browsers, which refused it; red team 8).
 * `Access-Control-Allow-Methods` names `methods`, those of the path answered (/graphql's by
 * default): the exports' answers said /graphql's `GET, POST`, though an export takes no POST.
 */
export function corsHeaders(
  setting: Config["cors"],
  req: IncomingMessage,
  methods: string[] = METHODS,
): Record<string, string> {
  const options = corsOptions(setting);
  return options === false ? {} : headersFor({ ...options, methods }, req);
}

/**
 * The answer to a CORS preflight (an OPTIONS with `Access-Control-Request-Method`) for a read-only
 * path that /graphql's Yoga does not answer (the RDF exports): the same origins, exposed headers
 * and max-age as /graphql's, but the methods the path answers and the request headers it honours,
 * named, rather than whatever the preflight asks for (which Yoga echoes). The exports answered any
 * OPTIONS 405, so a page's fetch of one with `If-None-Match` (not a safelisted header: the browser
 * asks first) failed as a network error, though the export itself was readable cross-origin.
 */
export function preflightHeaders(
  setting: Config["cors"],
  req: IncomingMessage,
  answers: { methods: string[]; allowedHeaders: string[] },
): Record<string, string> {
  const options = corsOptions(setting);
  return options === false ? {} : headersFor({ ...options, ...answers }, req);
}

type CorsOptions = Exclude<ReturnType<typeof corsOptions>, false> & { allowedHeaders?: string[] };

function headersFor(options: CorsOptions, req: IncomingMessage): Record<string, string> {
  const request = { headers: { get: (name: string) => header(req, name) } } as unknown as Request;
  const headers =
    getCORSHeadersByRequestAndOptions(request, forOrigin(options, header(req, "origin"))) ?? {};
  const vary = headers.Vary?.split(",").map((name) => name.trim()) ?? [];
  if (!vary.some((name) => name.toLowerCase() === "origin")) vary.unshift("Origin");
  return { ...headers, Vary: vary.join(", ") };
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name.toLowerCase()];
  return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
}
