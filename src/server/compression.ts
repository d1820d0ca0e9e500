/**
 * Content codings: which one a client accepts (brotli, then gzip), and compressing an answer
 * with it. Used for GraphQL answers above a size (http-cache.ts) and, precompressed at build,
 * for the explorer's files (static.ts, web/build.ts).
 *
 * The levels are chosen from bench/compression.ts (bench/RESULTS.md, "compression"): brotli's
 * quality 4 makes answers smaller than gzip's level 6 in less CPU; quality 11 is for files
 * compressed once, at build.
 */
import { brotliCompress, constants, gzip } from "node:zlib";

export type Coding = "br" | "gzip";

/**
 * The coding to answer with for this Accept-Encoding header: br if accepted, else gzip, else
 * none. A coding with `q=0` is refused; `*` accepts both.
 */
export function negotiateCoding(header: string | string[] | undefined): Coding | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(",") : header;
  const q = new Map<string, number>();
  for (const part of text.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const weight = params
      .map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1])
      .find((w) => w !== undefined);
    q.set(name, weight === undefined ? 1 : Number(weight));
  }
  const accepts = (coding: Coding) =>
    (q.get(coding) ?? (coding === "gzip" ? q.get("x-gzip") : undefined) ?? q.get("*") ?? 0) > 0;
  if (accepts("br")) return "br";
  if (accepts("gzip")) return "gzip";
  return undefined;
}

/** How hard to compress: brotli's quality and gzip's level. */
export interface Effort {
  brotliQuality: number;
  gzipLevel: number;
}

/** For answers compressed per request: brotli's quality (0-11) and gzip's level (1-9). */
export const ANSWER_EFFORT: Effort = { brotliQuality: 4, gzipLevel: 6 };

/**
 * For the RDF exports (export-routes.ts), compressed once per graph and coding and kept: the
 * built-in graph's N-Triples (587 KB) take 54 ms at brotli 6 for 29 KB, 17% smaller than
 * quality 4 for the same time; quality 9 and 11 take 12 and 65 times as long for 2% and 15%
 * less, too long for a graph 100 times larger (bench/RESULTS.md, "RDF exports").
 */
export const EXPORT_EFFORT: Effort = { brotliQuality: 6, gzipLevel: 6 };

/**
 * Brotli's size hint for the RDF exports, kept (compressed at once) or streamed alike: a
 * stream's size is not known, and the same export must be the same bytes either way (one strong
 * ETag). Past 1 MiB, as most exports that are compressed are large.
 */
export const EXPORT_SIZE_HINT = 16 * 1024 * 1024;

/**
 * For GraphiQL's page (graphiql.ts), compressed once per process and coding and kept: its 9.05 MB
 * take 235-312 ms at brotli 6 for 1.92 MB, against 98-161 ms for 2.08 MB at quality 4, 672-864 ms
 * for 1.86 MB at 9 and 12 s for 1.71 MB at 11; gzip 6 gives 2.44 MB in 167 ms, level 9 saves
 * 0.4% more in twice the time (measured on @graphql-yoga/render-graphiql 5.24.1's page).
 */
export const PAGE_EFFORT: Effort = { brotliQuality: 6, gzipLevel: 6 };

/**
 * Brotli's parameters for `effort` and a size hint, for a body compressed at once (compress) as
 * for one compressed as a stream (the exports too long to keep, export-routes.ts). The hint
 * changes the bytes brotli makes (from 1 MiB on it chooses another match finder); without one,
 * brotli takes the input of its first call for it: all of a body compressed at once, the first
 * write of a stream. So the same hint on both ways makes the same bytes (EXPORT_SIZE_HINT).
 */
export function brotliParams(effort: Effort, sizeHint: number): Record<number, number> {
  return {
    [constants.BROTLI_PARAM_QUALITY]: effort.brotliQuality,
    [constants.BROTLI_PARAM_SIZE_HINT]: sizeHint,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
  };
}

/** Compress `body` with `coding` on libuv's thread pool, off the event loop (brotli's size hint: the body's length unless given). */
export function compress(
  body: Buffer,
  coding: Coding,
  effort: Effort = ANSWER_EFFORT,
  { sizeHint = body.length }: { sizeHint?: number } = {},
): Promise<Buffer> {
  compressions++;
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, result: Buffer) => (error ? reject(error) : resolve(result));
    if (coding === "br") {
      brotliCompress(body, { params: brotliParams(effort, sizeHint) }, done);
    } else gzip(body, { level: effort.gzipLevel }, done);
  });
}

let compressions = 0;

/** How many times this process has compressed something with compress(): tests count with it that a cached form is not compressed again. */
export function compressionCount(): number {
  return compressions;
}
