/**
 * What runs the code, beside the code itself, in the fingerprints that ETags and cursors carry
 * (lists-code.ts, src/server/answers-code.ts): Node's version and its ICU, Unicode and CLDR data
 * (`Intl.Collator` orders lists by name: core.ts, filters; `normalize("NFKD")` folds a search's
 * text: search.ts), and the installed versions of the packages the code imports, with everything
 * they depend on (graphql's validation and execution, Pothos' schema, Yoga's errors and HTTP).
 * Another `npm ci` (caret ranges) or another Node 20.x changed answers for the same data and the
 * same src/ under the same ETag, and a 304 kept the old answer (review 17, finding 4).
 *
 * The packages' versions are read from their installed package.json files
 * (src/graph/installed-packages.ts).
 * A package's files edited in place under the same version (patch-package) are not seen.
 */
import { join } from "node:path";
import { installedPackages } from "../graph/installed-packages.js";
import { fingerprintOfCode } from "../graph/snapshot/snapshot.js";

/** What a fingerprint is read with: Node's data versions, and the packages as `name@version`. */
export interface Runtime {
  node: string;
  icu: string;
  unicode: string;
  cldr: string;
  /**
   * zlib's and brotli's versions: they make the compressed bytes of the exports (a Node built on
   * the system's libraries changes them with an OS upgrade). Only the answers' layer counts them
   * (`forAnswers`): a list's content, which its cursors are read against, does not depend on them
   * (review 22: a system zlib upgrade made every cursor stale).
   */
  zlib?: string;
  brotli?: string;
  /** Every package reached from the roots by `dependencies`, `optionalDependencies` and `peerDependencies`, as `name@version`, sorted, once each. */
  packages: string[];
}

/**
 * The packages src/graph and src/schema import (the lists' code), and those src/server adds (the
 * answers'). tests/server/http-cache.test.ts fails on a package imported there and named in
 * neither these nor ANSWERLESS_PACKAGES.
 */
export const LIST_PACKAGES = [
  "@apollo/subgraph",
  "@pothos/core",
  "@pothos/plugin-dataloader",
  "@pothos/plugin-directives",
  "@pothos/plugin-federation",
  "@pothos/plugin-relay",
  "graphql",
  // it compiles all of src/ as it runs (`npm start`'s `--import tsx`; tsx-worker.ts), with its
  // esbuild: another version may compile the same source otherwise (review 20, finding 4)
  "tsx",
  "zod",
] as const;
export const ANSWER_PACKAGES = [
  "@escape.tech/graphql-armor-max-aliases",
  "@escape.tech/graphql-armor-max-depth",
  "@escape.tech/graphql-armor-max-directives",
  "@graphql-yoga/plugin-persisted-operations",
  "@whatwg-node/server",
  "graphql",
  "graphql-yoga",
] as const;
/**
 * Packages src/ imports that make no answer: the dataset's watcher, the metrics, the store of a
 * snapshot's columns (whose bytes are checked as read: snapshot.ts).
 */
export const ANSWERLESS_PACKAGES = ["chokidar", "lmdb", "prom-client"] as const;

/**
 * The runtime as it is: Node's versions, and the packages reached from `roots` as installed for
 * the code in `from` (a folder of the project: src).
 */
export function runtimeOf(roots: readonly string[], from: string, forAnswers = false): Runtime {
  const { node, icu = "", unicode = "", cldr = "", zlib = "", brotli = "" } = process.versions;
  const runtime: Runtime = { node, icu, unicode, cldr, packages: installedPackages(roots, from) };
  return forAnswers ? { ...runtime, zlib, brotli } : runtime;
}

/** The text a fingerprint hashes for `runtime`: each input named, in a fixed order. */
export function runtimeText(runtime: Runtime): string {
  const { node, icu, unicode, cldr, zlib, brotli, packages } = runtime;
  const compression =
    zlib === undefined && brotli === undefined ? "" : `zlib ${zlib}\0brotli ${brotli}\0`;
  return `node ${node}\0icu ${icu}\0unicode ${unicode}\0cldr ${cldr}\0${compression}${packages.join("\0")}`;
}

/**
 * The fingerprint of the code under `src`'s folder `folder` on top of the layer below's
 * fingerprint `below`, run by `runtime`: the lists' (lists-code.ts: src/schema on src/graph) and
 * the answers' (src/server/answers-code.ts: src/server on the lists').
 */
export function codeLayerIn(src: string, folder: string, below: string, runtime: Runtime): string {
  return fingerprintOfCode(src, [join(src, folder)], `${below}\0${runtimeText(runtime)}`, {
    skipUnreadable: true,
  });
}
