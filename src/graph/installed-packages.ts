/**
 * The installed versions of packages, as `name@version`, each with everything it depends on: what
 * runs the code beside the code itself. The snapshot's name counts those src/graph imports
 * (snapshot.ts, GRAPH_PACKAGES), the fingerprints that ETags and cursors carry those of the lists
 * and the answers (src/schema/runtime-code.ts).
 *
 * The versions are read from the installed package.json files, found as Node finds a package (a
 * `node_modules` folder beside the importer or above it), not from package-lock.json: they are
 * what runs, in a fresh clone (after `npm ci`) as in a deployed copy that ships node_modules
 * without the lock file, and devDependencies (vitest, biome) do not move them.
 */
import { readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * `roots` and every package they depend on (`dependencies`, `optionalDependencies` and
 * `peerDependencies`), as `name@version`, each found as Node would from its dependent's folder.
 * Peers too: a peer need not be a root or a dependency of one (`dataloader`, run by
 * @pothos/plugin-dataloader, was in no fingerprint: review 20, finding 4).
 *
 * Left out: a dependency or peer not installed (nothing of it runs; where another host has it,
 * that host's list names it), and an optional dependency made for some platforms only (`os`,
 * `cpu` or `libc` in its package.json: esbuild's binary for this CPU, `fsevents`). npm installs
 * the one that fits the host, so counting it gave replicas of the same code, lock file and Node
 * on x64 and arm64 different cursors and ETags (review 24, finding 1); what it runs is pinned by
 * the package that depends on it (esbuild refuses a binary of another version than its own). A
 * package so restricted that is a dependency, not an optional one, is counted with what it
 * depends on: it is JavaScript that runs on every host it installs on (review 25, finding 3).
 */
export function installedPackages(roots: readonly string[], from: string): string[] {
  const found = new Set<string>();
  const read = new Set<string>();
  const visit = (name: string, importer: string, optional = false): void => {
    const file = packageFileOf(name, importer);
    if (file === undefined || read.has(file)) return;
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
        `${file}: the installed package ${name} cannot be read for the code's fingerprint (what ETags, cursors and the snapshot's name carry): ${(error as Error).message}`,
      );
    }
    const platformBound =
      manifest.os !== undefined || manifest.cpu !== undefined || manifest.libc !== undefined;
    // (not marked read: the same package reached as a dependency is counted)
    if (optional && platformBound) return;
    read.add(file);
    found.add(`${name}@${typeof manifest.version === "string" ? manifest.version : "?"}`);
    const folder = dirname(file);
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency, folder);
    for (const dependency of Object.keys(manifest.optionalDependencies ?? {}))
      visit(dependency, folder, true);
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
