/**
 * A fingerprint of the code that makes the API's answers: the graph's and the schema's, which
 * make the lists (src/graph, src/schema: listsCodeOf, which cursors carry), and the server's
 * (src/server: errors, limits). An answer's ETag carries it (http-cache.ts): a deploy that changes
 * answers for the same data changed no ETag, and a client or a CDN that revalidated with the old
 * one was told 304 and kept the old answer (review 16d: `search(query: "ＯＳＣＥ")` answered 0 hits
 * before 1e3f1bd and 28 after, under one ETag). With it, what runs that code (runtime-code.ts:
 * Node's ICU and Unicode data, the installed packages src/server imports, Yoga's among them).
 * Read once, as the app is made (createApp: about 10-20 ms of files hashed, and 10-30 ms of
 * packages' package.json read), then kept.
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { listsCodeOf } from "../schema/lists-code.js";
import { ANSWER_PACKAGES, codeLayerIn, type Runtime, runtimeOf } from "../schema/runtime-code.js";

let fingerprint: string | undefined;

export function answersCodeOf(): string {
  if (fingerprint === undefined) {
    const src = dirname(dirname(fileURLToPath(import.meta.url)));
    fingerprint = answersCodeIn(src, listsCodeOf(), runtimeOf(ANSWER_PACKAGES, src, true));
  }
  return fingerprint;
}

/**
 * The fingerprint of the answers' code in the source tree `src`, on top of the lists' `listsCode`,
 * run by `runtime`.
 */
export function answersCodeIn(src: string, listsCode: string, runtime: Runtime): string {
  return codeLayerIn(src, "server", listsCode, runtime);
}
