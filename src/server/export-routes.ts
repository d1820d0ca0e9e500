/**
 * `/graph.jsonld` and `/graph.nt`: the whole graph as JSON-LD and as N-Triples (src/graph/rdf.ts),
 * built once per loaded graph, with an ETag so that a client can revalidate instead of downloading again.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { KnowledgeGraph } from "../graph/graph.js";
import { rdfExport } from "../graph/rdf.js";

export const EXPORTS = {
  "/graph.jsonld": { contentType: "application/ld+json", body: "jsonld" },
  "/graph.nt": { contentType: "application/n-triples", body: "ntriples" },
} as const;

/** Answers the request if it is for an export; returns false (and does nothing) otherwise. */
export function serveExport(req: IncomingMessage, res: ServerResponse, graph: KnowledgeGraph): boolean {
  const path = (req.url ?? "").split("?")[0]!;
  const route = EXPORTS[path as keyof typeof EXPORTS];
  if (!route) return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    res
      .writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" })
      .end(`${path} is read-only: use GET or HEAD.\n`);
    return true;
  }
  const exported = rdfExport(graph);
  const headers = { etag: exported.etag, "cache-control": "no-cache" };
  const match = req.headers["if-none-match"];
  if (match !== undefined && match.split(",").some((tag) => tag.trim() === exported.etag || tag.trim() === "*")) {
    res.writeHead(304, headers).end();
    return true;
  }
  const body = exported[route.body];
  res.writeHead(200, { ...headers, "content-type": route.contentType, "content-length": Buffer.byteLength(body) });
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}
