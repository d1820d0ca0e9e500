/**
 * CORS, in one place: the headers of every answer with CORS on, Yoga's (`corsPlugin`) and those the
 * server sends itself (a 503 when it sheds load or has too many connections, a 413 for a body too
 * large, the direct answers, the exports, GraphiQL's page). Without them a browser hides such an
 * answer from the page, which then sees a bare network error instead of "try again in 5 s".
 *
 * One function computes them for every path (`headersFor`, over @whatwg-node/server's CORS code,
 * Yoga's), so a page sees the same whoever answered.
 *
 * Under `*` (any origin, never credentials) every answer says `Access-Control-Allow-Origin: *`,
 * whatever the request's Origin, and with none: the answer is the same for every site, so it does
 * not vary on Origin, and a shared cache (a CDN, nginx) keeps one copy of a GET's answer for all of
 * them. @whatwg-node reflected the request's origin instead, with `Vary: Origin` (which credentials
 * need, and `*` forbids), so such a cache kept one copy per site that asked, and shared none. Under
 * a list of origins the answer does depend on Origin: the origin is reflected when listed, and
 * every answer says `Vary: Origin`.
 */
import type { IncomingMessage } from "node:http";
import { getCORSHeadersByRequestAndOptions } from "@whatwg-node/server";
import type { Plugin } from "graphql-yoga";
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

/**
 * Yoga's CORS, as its own plugin (@whatwg-node's useCORS) does it, but with this module's headers:
 * an OPTIONS is answered 204, and every answer Yoga sends (that 204 too) carries `headersFor`'s
 * headers, also to a request without Origin. undefined with CORS off.
 */
export function corsPlugin(setting: Config["cors"]): Plugin | undefined {
  const options = corsOptions(setting);
  if (options === false) return undefined;
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      if (request.method.toUpperCase() === "OPTIONS")
        // Safari waits for the body of a 204 without Content-Length (as useCORS says)
        endResponse(
          new fetchAPI.Response(null, { status: 204, headers: { "Content-Length": "0" } }),
        );
    },
    onResponse({ request, response }) {
      const headers = headersFor(options, (name) => request.headers.get(name));
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    },
  };
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
 * The CORS headers of an answer to `req` (`headersFor`), none with the setting `none`.
 * `Access-Control-Allow-Methods` names `methods`, those of the path answered (/graphql's by
 * default): the exports' answers said /graphql's `GET, POST`, though an export takes no POST.
 */
export function corsHeaders(
  setting: Config["cors"],
  req: IncomingMessage,
  methods: string[] = METHODS,
): Record<string, string> {
  const options = corsOptions(setting);
  return options === false ? {} : headersFor({ ...options, methods }, (name) => header(req, name));
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
  return options === false
    ? {}
    : headersFor({ ...options, ...answers }, (name) => header(req, name));
}

type CorsOptions = Exclude<ReturnType<typeof corsOptions>, false> & { allowedHeaders?: string[] };

/**
 * The CORS headers of an answer to a request whose headers `get` reads, computed by @whatwg-node's
 * own function (Yoga's).
 *
 * Under `*`: `Access-Control-Allow-Origin: *` and the other headers (exposed headers, methods,
 * max-age), the same whatever the request's Origin, and with none; no `Vary: Origin` (`anyOrigin`).
 *
 * Under a list: the caller's origin when it is listed, else the first origin listed (the browser
 * then refuses the answer to the page, as it should: `forOrigin`); none without an Origin header.
 * They always say `Vary: Origin`, also to a request without one (whose answer has no CORS headers:
 * it depends on Origin too, and a shared cache that kept it served it to browsers, which refused
 * it; red team 8).
 */
function headersFor(
  options: CorsOptions,
  get: (name: string) => string | null,
): Record<string, string> {
  if (options.origin === "*") return anyOrigin(options, get);
  const request = { headers: { get } } as unknown as Request;
  const headers =
    getCORSHeadersByRequestAndOptions(request, forOrigin(options, get("origin"))) ?? {};
  const vary = headers.Vary?.split(",").map((name) => name.trim()) ?? [];
  if (!vary.some((name) => name.toLowerCase() === "origin")) vary.unshift("Origin");
  return { ...headers, Vary: vary.join(", ") };
}

/**
 * The headers under `*`: @whatwg-node's for a request that says `Origin: *`, whatever it said
 * (@whatwg-node reflects the origin under `*`, so this is `Access-Control-Allow-Origin: *`, and it
 * skips a request without Origin), without the `Vary: Origin` its reflection needs. A preflight's
 * requested headers are still echoed, with `Vary: Access-Control-Request-Headers`, as before.
 * `*` is what the Fetch standard allows without credentials, which this server never allows.
 *
 * With the methods named, the one request header they depend on is a preflight's
 * `Access-Control-Request-Headers`, when the allowed headers are not named: every other request
 * gets the same headers for the same options, made once (`ANY_ORIGIN`, frozen). Made for each,
 * they cost every /graphql request, the direct answers' included, about 2 µs (0.3 µs so; one
 * call of corsHeaders, measured on a busy 2-core machine).
 */
function anyOrigin(
  options: CorsOptions,
  get: (name: string) => string | null,
): Record<string, string> {
  const echoed = options.allowedHeaders?.length ? null : get("access-control-request-headers");
  if (echoed !== null) return anyOriginOf(options, echoed);
  const key = `${options.methods.join()}\n${options.allowedHeaders?.join() ?? ""}`;
  let headers = ANY_ORIGIN.get(key);
  if (headers === undefined)
    ANY_ORIGIN.set(key, (headers = Object.freeze(anyOriginOf(options, null))));
  return headers;
}

/**
 * `anyOrigin`'s headers for a request that has none echoed, by the methods and allowed headers (the
 * other options are this module's constants): a few entries, named by the code, not by requests.
 */
const ANY_ORIGIN = new Map<string, Readonly<Record<string, string>>>();

/** `anyOrigin`'s headers for a request whose `Access-Control-Request-Headers` is `echoed`. */
function anyOriginOf(options: CorsOptions, echoed: string | null): Record<string, string> {
  const request = {
    headers: {
      get: (name: string) => {
        const lower = name.toLowerCase();
        return lower === "origin"
          ? "*"
          : lower === "access-control-request-headers"
            ? echoed
            : null;
      },
    },
  } as unknown as Request;
  const { Vary, ...headers } = getCORSHeadersByRequestAndOptions(request, options) ?? {};
  const vary = (Vary ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "" && name.toLowerCase() !== "origin");
  return vary.length > 0 ? { ...headers, Vary: vary.join(", ") } : headers;
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name.toLowerCase()];
  return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
}
