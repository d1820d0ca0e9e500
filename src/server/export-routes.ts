/**
 * `/graph.jsonld` and `/graph.nt`: the whole graph as JSON-LD and as N-Triples (src/graph/rdf.ts),
 * built once per loaded graph, for HTTP caches as GraphQL GETs are (http-cache.ts):
 * - a strong ETag derived from the export's content (so from the graph's: the same on every
 *   replica serving the same data, another after a reload that changes it), one per content
 *   coding, and `If-None-Match` → 304;
 * - the same `Cache-Control` as a GraphQL GET;
 * - brotli or gzip, as the client accepts (`Vary: Accept-Encoding`): compressed once per graph
 *   and coding, off the event loop, and kept with the export for as long as its graph is served
 *   (the built-in graph's N-Triples: 587 KB, 29 KB in brotli).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { KnowledgeGraph } from "../graph/graph.js";
import { type RdfExport, rdfExport } from "../graph/rdf.js";
import { sendError } from "./body.js";
import { type Coding, compress, EXPORT_EFFORT, negotiateCoding } from "./compression.js";
import { cacheControl, codedTag, type HttpCacheOptions, matchingTag } from "./http-cache.js";

export const EXPORTS = {
  "/graph.jsonld": { contentType: "application/ld+json", body: "jsonld" },
  "/graph.nt": { contentType: "application/n-triples", body: "ntriples" },
} as const;

type Format = (typeof EXPORTS)[keyof typeof EXPORTS]["body"];

/** What is kept with an export besides its text: its length in bytes, and its compressed forms (a promise while being compressed). */
interface Forms {
  bytes: Map<Format, number>;
  coded: Map<string, Promise<Buffer>>;
}
const forms = new WeakMap<RdfExport, Forms>();

function formsOf(exported: RdfExport): Forms {
  let kept = forms.get(exported);
  if (!kept) forms.set(exported, (kept = { bytes: new Map(), coded: new Map() }));
  return kept;
}

/** The length of `format` in bytes, measured once. */
function plainBytes(exported: RdfExport, format: Format): number {
  const { bytes } = formsOf(exported);
  let length = bytes.get(format);
  if (length === undefined) bytes.set(format, (length = Buffer.byteLength(exported[format])));
  return length;
}

/** The body of `format` in `coding`, compressed on first use and kept. */
function codedBody(exported: RdfExport, format: Format, coding: Coding): Promise<Buffer> {
  const { coded } = formsOf(exported);
  const key = `${format} ${coding}`;
  let body = coded.get(key);
  if (!body) {
    body = compress(Buffer.from(exported[format]), coding, EXPORT_EFFORT);
    // a failure is not kept: the next request tries again (this one is sent plain)
    body.catch(() => coded.delete(key));
    coded.set(key, body);
  }
  return body;
}

/** Answers the request if it is for an export; returns false (and does nothing) otherwise. */
export function serveExport(
  req: IncomingMessage,
  res: ServerResponse,
  graph: KnowledgeGraph,
  options: HttpCacheOptions,
): boolean {
  const path = (req.url ?? "").split("?")[0]!;
  const route = EXPORTS[path as keyof typeof EXPORTS];
  if (!route) return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    // a JSON error, as every other refusal of this server (it was a line of plain text)
    sendError(
      res,
      405,
      "METHOD_NOT_ALLOWED",
      `${path} answers GET and HEAD only, not ${req.method}: it is the whole graph, read-only.`,
      { keepAlive: true, headers: { allow: "GET, HEAD", "cache-control": "no-store" } },
    );
    return true;
  }
  const exported = rdfExport(graph);
  const compressible =
    options.compression && plainBytes(exported, route.body) >= options.compressMinBytes;
  const headers: Record<string, string> = { "cache-control": cacheControl(options) };
  // whether the answer is compressed depends on Accept-Encoding
  if (compressible) headers.vary = "Accept-Encoding";
  const tag = matchingTag(req.headers["if-none-match"], exported.etag);
  if (tag !== undefined) {
    res.writeHead(304, { ...headers, etag: tag }).end();
    return true;
  }
  const coding = compressible ? negotiateCoding(req.headers["accept-encoding"]) : undefined;
  const send = (body: Buffer | string, sentCoding: Coding | undefined) => {
    if (res.destroyed) return;
    res.writeHead(200, {
      ...headers,
      etag: codedTag(exported.etag, sentCoding),
      "content-type": route.contentType,
      "content-length": typeof body === "string" ? plainBytes(exported, route.body) : body.length,
      ...(sentCoding ? { "content-encoding": sentCoding } : {}),
    });
    res.end(req.method === "HEAD" ? undefined : body);
  };
  if (coding === undefined) send(exported[route.body], undefined);
  else {
    codedBody(exported, route.body, coding).then(
      (body) => send(body, coding),
      // a coding is an optimisation, never a reason to fail an answer
      () => send(exported[route.body], undefined),
    );
  }
  return true;
}
