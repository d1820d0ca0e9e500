/**
 * A fingerprint of the code that makes the API's answers: the graph's (src/graph: what a list
 * holds and in what order, search, dates: `codeOf`), the schema's (src/schema: resolvers, their
 * words) and the server's (src/server: errors, limits). An answer's ETag carries it (http-cache.ts):
 * a deploy that changes answers for the same data changed no ETag, and a client or a CDN that
 * revalidated with the old one was told 304 and kept the old answer (review 16d: `search(query:
 * "ＯＳＣＥ")` answered 0 hits before 1e3f1bd and 28 after, under one ETag). Read once, at the first
 * answer that needs it (about 10-20 ms: the files hashed).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { codeOf } from "../graph/snapshot/snapshot.js";

let fingerprint: string | undefined;

export function answersCodeOf(): string {
  return (fingerprint ??= fingerprintOf());
}

function fingerprintOf(): string {
  const src = dirname(dirname(fileURLToPath(import.meta.url)));
  const hash = createHash("sha256").update(codeOf());
  const walk = (dir: string): void => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|js|mjs)$/.test(entry.name))
        hash.update(relative(src, path)).update("\0").update(readFileSync(path)).update("\0");
    }
  };
  walk(join(src, "schema"));
  walk(join(src, "server"));
  return hash.digest("hex").slice(0, 32);
}
