/**
 * Where the child process of off-thread.ts finds its code (in-child.ts): its source through tsx,
 * as a server run with `npm start` runs it, unless told of a prebuilt bundle of it. A module with
 * no imports, so that what tells it (the tests' server bundle, before the server starts:
 * tests/support/bundled-child.ts) loads nothing else early.
 */

/**
 * in-child.ts prebuilt as one ES module with what it imports, packages included: the child
 * imports it with plain node instead of registering tsx and compiling this project's modules one
 * by one through it (about 0.4 CPU-seconds a child, against 1.1). Undefined: the sources.
 */
let prebuilt: string | undefined;

/**
 * Runs the child from `href`, the URL of in-child.ts prebuilt (the tests' bundles,
 * tests/support/server-bundle.ts, build it beside the server's), or from its source through tsx
 * (undefined). Returns what it ran from before. The bundle must be built from the sources this
 * process runs: the child writes the snapshot this process reads.
 */
export function runChildFrom(href: string | undefined): string | undefined {
  const before = prebuilt;
  prebuilt = href;
  return before;
}

/** The module the child imports, and whether through tsx. */
export function childEntry(): { href: string; tsx: boolean } {
  if (prebuilt !== undefined) return { href: prebuilt, tsx: false };
  return { href: new URL("./in-child.ts", import.meta.url).href, tsx: true };
}
