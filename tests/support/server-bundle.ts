/**
 * The server's entry point (and the federation's gateway) prebuilt as one ES module each, for the
 * tests that start the real process: `node .cache/server-bundle/main.mjs ARGS` starts as
 * `node --import tsx src/server/main.ts ARGS` does, without tsx's loader hooks, which every module
 * of graphql, Yoga and Pothos crosses (about 1.8 of the 4 CPU-seconds a start costs; transpiling
 * is not the cost, tsx's cache is warm). docs/contributing.md, "Running the tests", has the figures.
 *
 * What the bundle holds is the project's own TypeScript, compiled by esbuild (which tsx uses
 * too), and the server's packages with it: a start then reads and compiles a few dozen files
 * instead of about a thousand (V8 compiling ES modules one by one was the largest part left of
 * a start: about 1.5 CPU-seconds instead of 2.0). The gateway's packages stay external, imported from
 * node_modules as `npm run gateway` imports them (see EXTERNAL_PACKAGES). Each module of the
 * project's own keeps its source file's `import.meta.url`, so that the modules that find files
 * beside them (the web explorer, GraphiQL's examples, the trusted documents, the schema files,
 * the snapshot's code fingerprint, the built-in dataset) find the same files as from source.
 *
 * Built by vitest's global setup (this file's default export) when a source is newer than the
 * bundle: the bundle's stamp lists every file it was built from, with its size and modification
 * time, and a bundle whose stamp does not match the files as they are now is built again
 * (tests/server/server-bundle.test.ts holds that). Where a test is about `npm start`'s own
 * command line, or a child must load TypeScript at run time, it runs the sources with tsx.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin, version } from "esbuild";
import type { TestProject } from "vitest/node";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * The entry points the child-process tests run, by name (`bundled(name)` is the file to run).
 * A `script:` one runs its module as `node FILE` would, with `process.argv[1]` being FILE: the
 * gateway starts only when it is the script node was given. (Not the server: its cluster forks
 * its workers from `process.argv[1]`, which must stay the bundle.)
 */
export const ENTRIES = {
  // src/server/main.ts, with the snapshot's child run from its bundle below (bundled-child.ts)
  main: "tests/support/bundled-main.ts",
  // src/graph/snapshot/off-thread.ts's child (in-child.ts), imported by plain node in the child
  "snapshot-child": "src/graph/snapshot/in-child.ts",
  gateway: "script:examples/supergraph/gateway.ts",
  // preloaded into a server by tests/server/shutdown.test.ts (`node --import BUNDLE main.mjs`)
  "loop-blocker": "tests/support/loop-blocker.ts",
  // the workloads of tests/server/document-cache.test.ts, each in a process of its own
  "caches-held": "tests/support/caches-held.ts",
  // what parsed documents and their validation errors hold (the same file's measures)
  "documents-held": "tests/support/documents-held.ts",
  // tests/server/response-cache.test.ts's measure of what the response cache holds
  "responses-held": "tests/support/responses-held.ts",
  // tests/graph/columns-copies-left-behind.test.ts's child, and the hook preloaded into it: with
  // a TMPDIR of its own, each child through tsx had a cache of its own, cold (1.2-1.6 CPU-s)
  "read-snapshot-child": "tests/support/read-snapshot-child.ts",
  "columns-copy-hook": "tests/support/columns-copy-hook.ts",
  // what the children of tests/graph/data-files.test.ts and snapshot.test.ts import of src/graph
  "graph-modules": "tests/support/graph-modules.ts",
  // imported by tests/server/kernel-queues.test.ts's children (through tsx, 0.6 CPU-s more each)
  "kernel-queues": "src/server/kernel-queues.ts",
  // tests/server/primary-queue.test.ts's cluster, its primary and the worker it forks from it
  "primary-queue": "tests/fixtures/primary-queue.ts",
  // imported by tests/server/start-stop.test.ts's children that hand the stop signals over
  "stop-handover": "tests/support/stop-handover.ts",
  // preloaded into start-stop.test.ts's servers and their loading children, where the test is
  // not about npm start's own command line (through tsx, about 0.7 CPU-s more for each of the two)
  "hold-hook": "tests/support/hold-hook.ts",
  // imported by the parents of tests/graph/tsx-child.test.ts, which start a child of their own
  // (through tsx, about 0.6 CPU-s more for each of the four)
  "tsx-child": "src/graph/tsx-child.ts",
} as const;
export type EntryName = keyof typeof ENTRIES;

/**
 * The entries whose packages stay external. The gateway's runtime imports its transports by a
 * name it computes (`@graphql-mesh/transport-${kind}`), which no bundler can see: node would load
 * them from node_modules with a graphql of their own beside the bundled one, and the subgraphs'
 * errors, no longer `instanceof` the bundle's GraphQLError, would be masked. The server imports
 * no package by a computed name (a start, a query, GraphiQL and a reload load none from
 * node_modules at run time).
 */
export const EXTERNAL_PACKAGES: readonly string[] = ["gateway"];

/** Where the bundles are kept (git-ignored). */
export const BUNDLE_DIR = join(ROOT, ".cache/server-bundle");

/** The bundled file of an entry, to run with plain `node`. */
export function bundled(name: EntryName, dir = BUNDLE_DIR): string {
  return join(dir, `${name}.mjs`);
}

interface Stamp {
  /** What was built, from what (paths relative to the root the build ran in). */
  entries: Record<string, string>;
  /** The entries whose packages were left external. */
  external: string[];
  inputs: string[];
  key: string;
}

/**
 * A key for the files as they are now: path, size and modification time of each, with esbuild's
 * version, this file's own (a change to how the bundle is made makes it stale too), the
 * project's tsconfig.json and package.json and npm's record of its last install. A file gone
 * makes the key "missing", never equal to a stamp's.
 */
export function inputsKey(
  root: string,
  inputs: readonly string[],
  seen: ReadonlyMap<string, string> = new Map(),
): string {
  const hash = createHash("sha256").update(`esbuild ${version}\0`);
  for (const input of [...inputs, relative(root, fileURLToPath(import.meta.url))]) {
    const identity = seen.get(resolve(root, input)) ?? identityOf(resolve(root, input));
    if (identity === undefined) return "missing";
    hash.update(`${input}\0${identity}\0`);
  }
  // how the sources are compiled and what they are (tsconfig.json, package.json's "type"), and
  // what npm last installed (it writes node_modules/.package-lock.json on every install)
  for (const config of ["tsconfig.json", "package.json", "node_modules/.package-lock.json"])
    hash.update(`${config}\0${identityOf(resolve(root, config)) ?? "none"}\0`);
  return hash.digest("hex");
}

function identityOf(path: string): string | undefined {
  try {
    const { size, mtimeMs } = statSync(path);
    return `${size}\0${mtimeMs}`;
  } catch {
    return undefined;
  }
}

/**
 * esbuild gives each module the bundle's `import.meta.url`: give it its own source file's URL
 * instead (and its own `import.meta.dirname` and `import.meta.filename`). Each file's identity
 * is noted in `seen` before it is read: a file edited while the bundle is built leaves the bundle
 * stale, not stamped as current.
 */
const ownImportMeta = (seen: Map<string, string>): Plugin => ({
  name: "own-import-meta",
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
      if (args.path.includes("/node_modules/")) return undefined;
      const identity = identityOf(args.path);
      if (identity !== undefined) seen.set(args.path, identity);
      const source = readFileSync(args.path, "utf8");
      const contents = source
        .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll("import.meta.dirname", JSON.stringify(dirname(args.path)))
        .replaceAll("import.meta.filename", JSON.stringify(args.path));
      return { contents, loader: args.path.endsWith("ts") ? "ts" : "js" };
    });
  },
});

/** `script:FILE` entries: a module that sets `process.argv[1]` to FILE, then imports it. */
const scriptEntries = (root: string): Plugin => ({
  name: "script-entries",
  setup(build) {
    build.onResolve({ filter: /^script:/ }, (args) => ({
      path: resolve(root, args.path.slice("script:".length)),
      namespace: "script",
    }));
    build.onLoad({ filter: /.*/, namespace: "script" }, (args) => ({
      contents: `process.argv[1] = ${JSON.stringify(args.path)};\nawait import(${JSON.stringify(args.path)});\n`,
      loader: "js",
      resolveDir: root,
    }));
  },
});

/** The names of `entries` whose packages stay external, in the stamp's order. */
const externalOf = (entries: Record<string, string>, external: readonly string[]) =>
  Object.keys(entries).filter((name) => external.includes(name));

/**
 * Whether the bundles in `outDir` were built from `entries` under `root` (with the packages of
 * those named in `external` left external) and from files as they are now (none changed, moved
 * or removed since: the packages' files bundled included).
 */
export function bundleIsCurrent(
  root: string,
  entries: Record<string, string>,
  outDir: string,
  external: readonly string[] = EXTERNAL_PACKAGES,
): boolean {
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(join(outDir, "stamp.json"), "utf8")) as Stamp;
  } catch {
    return false;
  }
  if (JSON.stringify(stamp.entries) !== JSON.stringify(entries)) return false;
  if (JSON.stringify(stamp.external) !== JSON.stringify(externalOf(entries, external)))
    return false;
  for (const name of Object.keys(entries)) {
    try {
      statSync(bundled(name as EntryName, outDir));
    } catch {
      return false;
    }
  }
  return inputsKey(root, stamp.inputs) === stamp.key;
}

/**
 * Build the bundles of `entries` (name → path under `root`) into `outDir` unless they are
 * current; says whether it built. The packages are bundled too, except for the entries named in
 * `external` (built apart, their packages imported from node_modules at run time). The stamp is
 * written last, after the bundles are in place.
 */
export async function ensureBundles(
  root = ROOT,
  entries: Record<string, string> = ENTRIES,
  outDir = BUNDLE_DIR,
  external: readonly string[] = EXTERNAL_PACKAGES,
): Promise<boolean> {
  if (bundleIsCurrent(root, entries, outDir, external)) return false;
  // built beside the old bundles, which are replaced by the new ones all at once
  const building = `${outDir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const seen = new Map<string, string>();
  const externalNames = externalOf(entries, external);
  const groups = [
    Object.entries(entries).filter(([name]) => !externalNames.includes(name)),
    Object.entries(entries).filter(([name]) => externalNames.includes(name)),
  ];
  const inputs = new Set<string>();
  for (const [index, group] of groups.entries()) {
    if (group.length > 0)
      for (const input of await buildGroup(root, group, building, index === 1, seen))
        inputs.add(input);
  }
  const stamp: Stamp = {
    entries,
    external: externalNames,
    inputs: [...inputs].sort(),
    key: inputsKey(root, [...inputs].sort(), seen),
  };
  writeFileSync(join(building, "stamp.json"), `${JSON.stringify(stamp, null, 1)}\n`);
  mkdirSync(dirname(outDir), { recursive: true });
  rmSync(outDir, { recursive: true, force: true });
  try {
    renameSync(building, outDir);
  } catch (error) {
    // another run (a second vitest in the same checkout) put its build there first: if it is
    // current, it will do
    rmSync(building, { recursive: true, force: true });
    if (!bundleIsCurrent(root, entries, outDir, external)) throw error;
  }
  return true;
}

/**
 * One esbuild build of `entries` into `outDir` (a second build's chunks go beside the first's:
 * their names carry a hash of their content); the files it was built from.
 */
async function buildGroup(
  root: string,
  entries: [string, string][],
  outDir: string,
  externalPackages: boolean,
  seen: Map<string, string>,
): Promise<string[]> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: entries.map(([out, input]) => ({ in: input, out })),
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    // the server's lazy imports stay lazy (a bad argument is reported before Yoga loads, the
    // cluster's primary never loads the schema): modules shared or imported later are chunks
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    format: "esm",
    platform: "node",
    target: "node20",
    ...(externalPackages
      ? { packages: "external" as const }
      : {
          // the packages' CommonJS modules require node's own modules (and the optional ones
          // they probe for) through a `require` of their own, as they do from node_modules
          banner: {
            js: 'import { createRequire as __bundleCreateRequire } from "node:module";\nconst require = __bundleCreateRequire(import.meta.url);',
          },
          // classes and functions keep their names (errors are told apart by `name`)
          keepNames: true,
        }),
    metafile: true,
    logLevel: "silent",
    plugins: [scriptEntries(root), ownImportMeta(seen)],
  });
  // (the `script:` entries' generated modules are no files: what they import is)
  return Object.keys(result.metafile.inputs).filter((input) => !input.startsWith("script:"));
}

/** One check or build at a time in this process (every project's setup and rerun calls it). */
let pending: Promise<void> | undefined;
function ensureLogged(): Promise<void> {
  pending ??= (async () => {
    const started = performance.now();
    if (await ensureBundles())
      console.log(
        `tests/support/server-bundle.ts: built ${Object.keys(ENTRIES).join(", ")} into ${relative(ROOT, BUNDLE_DIR)} (${Math.round(performance.now() - started)} ms)`,
      );
  })().finally(() => {
    pending = undefined;
  });
  return pending;
}

let watching = false;

/**
 * vitest global setup: the bundles are current before any test starts a child from them, and
 * again before each rerun of `vitest` in watch mode (which does not run the global setup again:
 * a source edited meanwhile would otherwise be tested through the old bundle).
 */
export default async function setup(project: TestProject): Promise<void> {
  await ensureLogged();
  if (!watching) {
    watching = true;
    project.onTestsRerun(() => ensureLogged());
  }
}
