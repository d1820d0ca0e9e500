/**
 * A fingerprint of the code that makes the API's answers: the graph's (src/graph: what a list
 * holds and in what order, search, dates: `codeOf`), the schema's (src/schema: resolvers, their
 * words) and the server's (src/server: errors, limits). An answer's ETag carries it (http-cache.ts):
 * a deploy that changes answers for the same data changed no ETag, and a client or a CDN that
 * revalidated with the old one was told 304 and kept the old answer (review 16d: `search(query:
 * "ＯＳＣＥ")` answered 0 hits before 1e3f1bd and 28 after, under one ETag). Read once, as the app is
 * made (createApp: about 10-20 ms of files hashed), then kept.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { codeOf, fingerprintOfCode } from "../graph/snapshot/snapshot.js";

let fingerprint: string | undefined;

export function answersCodeOf(): string {
  if (fingerprint === undefined) {
    const src = dirname(dirname(fileURLToPath(import.meta.url)));
    fingerprint = fingerprintOfCode(src, [join(src, "schema"), join(src, "server")], codeOf());
  }
  return fingerprint;
}
