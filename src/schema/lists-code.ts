/**
 * A fingerprint of the code that makes what a list holds and in what order, which page cursors
 * carry with the data's version (pages.ts): the graph's (src/graph: filters, orders, search:
 * `codeOf`) and the schema's, where some lists are put together (office.ts tenureKeysOf: which of
 * an office's posts count for `heads`, the walk of its lineage, the order by position; an entity's
 * names, a state's cooperations). A deploy that changes a list for the same data moves an offset
 * as a reload does (review 16d), so an old cursor is then refused as stale; a cursor from a
 * server whose src/schema differs only in words is refused too, which costs a client its first
 * page again, where a cursor read in another list costs it an entry repeated or skipped (review
 * 17). With it, what runs that code (runtime-code.ts: Node's ICU and Unicode data, which order
 * and fold names, and the installed packages src/graph and src/schema import). Read once, as the
 * app is made (the server's answersCodeOf is seeded with it).
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { codeOf } from "../graph/snapshot/snapshot.js";
import { codeLayerIn, LIST_PACKAGES, type Runtime, runtimeOf } from "./runtime-code.js";

let fingerprint: string | undefined;

export function listsCodeOf(): string {
  if (fingerprint === undefined) {
    const src = dirname(dirname(fileURLToPath(import.meta.url)));
    fingerprint = listsCodeIn(src, codeOf(), runtimeOf(LIST_PACKAGES, src));
  }
  return fingerprint;
}

/**
 * The fingerprint of the lists' code in the source tree `src`, on top of src/graph's `graphCode`,
 * run by `runtime`.
 */
export function listsCodeIn(src: string, graphCode: string, runtime: Runtime): string {
  return codeLayerIn(src, "schema", graphCode, runtime);
}
