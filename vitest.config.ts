import { createRequire } from "node:module";
import { configDefaults, defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);
// the files that build the schema in subgraph mode (src/schema/federation-mode.ts), which is
// decided once per process: they import src/schema/with-federation.js first
const SUBGRAPH_MODE = [
  "tests/federation/deadline.test.ts",
  "tests/federation/subgraph.test.ts",
  "tests/federation/subgraph-limits.test.ts",
  "tests/federation/supergraph.test.ts",
];
// checks what a process that never asked for subgraph mode has loaded: a process of its own
const PUBLIC_MODE = "tests/federation/modes.test.ts";

export default defineConfig({
  resolve: {
    // graphql 16 ships both CJS and .mjs; Node (and so Pothos and Yoga) load the CJS build, while
    // Vite would pick the .mjs one for our own imports: two copies of graphql break `instanceof`.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    // the browser tests (tests/web/) need the built explorer, and the child-process tests the
    // server's prebuilt entry points: each is built first when it is stale
    globalSetup: ["tests/support/web-build.ts", "tests/support/server-bundle.ts"],
    // records each file's CPU-seconds for `npm run test:profile` (does nothing otherwise); runs
    // the snapshot's child processes from their bundle (use-child-bundle.ts); fails a file that
    // leaves an execution begun and never finished (executions-settled.ts); lets go of what the
    // file's mocks hold when it ends (release-mocks.ts)
    setupFiles: [
      "tests/support/profile-file.ts",
      "tests/support/release-mocks.ts",
      "tests/support/use-child-bundle.ts",
      "tests/support/executions-settled.ts",
    ],
    // a bound for a test that hangs, not a measure: on a machine busy with other work a server
    // start or a page can take tens of seconds (numbers belong to the bench scripts)
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // a browser test's `expect.poll` waits for the page as long as it takes, within the test's
    // time: vitest's default of 1 s fails on a busy machine (addresses are awaited on the
    // navigation event instead: `reaches` in tests/web)
    expect: { poll: { timeout: 20_000 } },
    // Speed on a 2-core machine (docs/contributing.md, "Running the tests", has the figures).
    // Vitest's default is one worker per core but one (so one file at a time here), while many
    // files mostly wait: on child processes, on Chromium, on sockets. Three worker processes keep
    // both cores busy.
    pool: "forks",
    maxWorkers: 3,
    // a young generation of up to 3 x 32 MB a worker (V8's default: 16 MB semi-spaces): the
    // workers' scavenges copied what a larger one lets die first (a tenth less CPU over 30
    // node-side files in three pairs of runs taken in turns; npm start runs with 64)
    execArgv: ["--max-semi-space-size=32"],
    // Files share their worker's modules instead of importing the server, the schema and the
    // data afresh each (a few CPU-seconds per file, the largest cost of the whole run), and the
    // browser tests share their worker's Chromium (tests/web/harness.ts). What a file changes
    // outside itself is undone after each test: spies, stubbed globals and environment variables.
    isolate: false,
    projects: [
      // (each project names its own files: `extends` would add the root's include to the other's)
      {
        extends: true,
        test: {
          name: "shared",
          include: ["tests/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...SUBGRAPH_MODE, PUBLIC_MODE],
        },
      },
      // The subgraph-mode files share their workers too, apart from the public ones: a worker
      // only ever runs files of one project. Projects run in the order of their names, so these
      // start first and the longest of them (supergraph) is not left for the end of the run.
      // (Each of these files and modes.test.ts had a fresh process before: seven module imports
      // where three or four do, and each cost 2-4 CPU-s.)
      { extends: true, test: { name: "federation", include: SUBGRAPH_MODE } },
      {
        extends: true,
        test: { name: "federation-public", include: [PUBLIC_MODE], isolate: true },
      },
    ],
    // each module's transform is kept on disk (node_modules/.experimental-vitest-cache, keyed by
    // its content, the config and vitest's version; cleared when the lock file changes), so a
    // run transforms only what changed since the last: about a quarter less CPU on tests/api
    experimental: { fsModuleCache: true },
    restoreMocks: true,
    unstubGlobals: true,
    unstubEnvs: true,
  },
});
