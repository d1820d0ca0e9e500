/**
 * The server's prebuilt bundles (server-bundle.ts: vitest's global setup made them current)
 * moved into a copy of the project, for a test that runs the server from a copy it changes: each
 * path of the project's own they hold (its modules' own `import.meta.url`, made so at their
 * build) made the copy's, so that its modules find the copy's files (data/, GraphiQL's examples,
 * src/graph's code whose fingerprint names the snapshots) as bundles built from the copy would.
 * A build from the copy costs about 1.4 CPU-s of esbuild's, its packages bundled in (0.3 with
 * them left external, and a slower start); a move, a copy of the files and a rewrite of their
 * paths. The packages stay bundled.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BUNDLE_DIR } from "./server-bundle.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Moves the bundles into `copy` (a copy of the project); the directory of the bundles there. */
export function bundleMovedTo(copy: string): string {
  const from = ROOT.replace(/\/$/, "");
  const dir = path.join(copy, path.relative(ROOT, BUNDLE_DIR));
  cpSync(BUNDLE_DIR, dir, { recursive: true });
  for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(".mjs")) continue;
    const text = readFileSync(path.join(dir, file), "utf8")
      .replaceAll(`${pathToFileURL(from).href}/`, `${pathToFileURL(copy).href}/`)
      .replaceAll(`${from}/`, `${copy}/`);
    // nothing left that points into the project itself (a path spelt some other way)
    if (text.includes(from)) throw new Error(`${file} still names ${from} once moved to ${copy}`);
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}
