/**
 * A fingerprint of the code that makes the API's answers: the graph's and the schema's, which
 * make the lists (src/graph, src/schema: listsCodeOf, which cursors carry), and the server's
 * (src/server: errors, limits). An answer's ETag carries it (http-cache.ts): a deploy that changes
 * answers for the same data changed no ETag, and a client or a CDN that revalidated with the old
 * one was told 304 and kept the old answer (review 16d: `search(query: "ＯＳＣＥ")` answered 0 hits
 * before 1e3f1bd and 28 after, under one ETag). Read once, as the app is made (createApp: about
 * 10-20 ms of files hashed), then kept.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fingerprintOfCode } from "../graph/snapshot/snapshot.js";
import { listsCodeOf } from "../schema/lists-code.js";

let fingerprint: string | undefined;

export function answersCodeOf(): string {
  fingerprint ??= answersCodeIn(dirname(dirname(fileURLToPath(import.meta.url))), listsCodeOf());
  return fingerprint;
}

/** The fingerprint of the answers' code in the source tree `src`, on top of the lists' `listsCode`. */
export function answersCodeIn(src: string, listsCode: string): string {
  return fingerprintOfCode(src, [join(src, "server")], listsCode, { skipUnreadable: true });
}
