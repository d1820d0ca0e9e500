/**
 * What runs the code, beside the code itself, in the fingerprints that ETags and cursors carry
 * (lists-code.ts, src/server/answers-code.ts): Node's version and its ICU, Unicode and CLDR data
 * (`Intl.Collator` orders lists by name: core.ts, filters; `normalize("NFKD")` folds a search's
 * text: search.ts), and the installed versions of the packages the code imports, with everything
 * they depend on (graphql's validation and execution, Pothos' schema, Yoga's errors and HTTP).
 * Another `npm ci` (caret ranges) or another Node 20.x changed answers for the same data and the
 * same src/ under the same ETag, and a 304 kept the old answer (review 17, finding 4).
 *
 * The packages' versions are read from their installed package.json files, found as Node finds a
 * package (a `node_modules` folder beside the importer or above it), not from package-lock.json:
 * they are what runs, in a fresh clone (after `npm ci`) as in a deployed copy that ships
 * node_modules without the lock file, and devDependencies (vitest, biome) do not move them.
 * A package's files edited in place under the same version (patch-package) are not seen.
 */
import { readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
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
 * `roots` and every package they depend on (`dependencies`, `optionalDependencies` and
 * `peerDependencies`), as `name@version`, each found as Node would from its dependent's folder.
 * Peers too: a peer need not be a root or a dependency of one (`dataloader`, run by
 * @pothos/plugin-dataloader, was in no fingerprint: review 20, finding 4).
 *
 * Left out: a dependency or peer not installed (nothing of it runs; where another host has it,
 * that host's list names it), and a package made for some platforms only (`os`, `cpu` or `libc`
 * in its package.json: esbuild's binary for this CPU, `fsevents`). npm installs the one that fits
 * the host, so counting it gave replicas of the same code, lock file and Node on x64 and arm64
 * different cursors and ETags (review 24, finding 1); what it runs is pinned by the package that
 * depends on it (esbuild refuses a binary of another version than its own).
 */
export function installedPackages(roots: readonly string[], from: string): string[] {
  const found = new Set<string>();
  const read = new Set<string>();
  const visit = (name: string, importer: string): void => {
    const file = packageFileOf(name, importer);
    if (file === undefined || read.has(file)) return;
    read.add(file);
    let manifest: {
      version?: unknown;
      os?: unknown;
      cpu?: unknown;
      libc?: unknown;
      dependencies?: Record<string, unknown>;
      optionalDependencies?: Record<string, unknown>;
      peerDependencies?: Record<string, unknown>;
    };
    try {
      manifest = JSON.parse(readFileSync(file, "utf8")) as typeof manifest;
    } catch (error) {
      throw new Error(
        `${file}: the installed package ${name} cannot be read for the code's fingerprint (what ETags and cursors carry): ${(error as Error).message}`,
      );
    }
    if (manifest.os !== undefined || manifest.cpu !== undefined || manifest.libc !== undefined)
      return;
    found.add(`${name}@${typeof manifest.version === "string" ? manifest.version : "?"}`);
    const folder = dirname(file);
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency, folder);
    for (const dependency of Object.keys(manifest.optionalDependencies ?? {}))
      visit(dependency, folder);
    for (const peer of Object.keys(manifest.peerDependencies ?? {})) visit(peer, folder);
  };
  for (const root of roots) visit(root, from);
  return [...found].sort();
}

/** The package.json of `name` as Node resolves it from `dir` (its real path), if installed. */
function packageFileOf(name: string, dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    try {
      return realpathSync(join(at, "node_modules", name, "package.json"));
    } catch {
      if (dirname(at) === at) return undefined;
    }
  }
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
