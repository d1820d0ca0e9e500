/**
 * Builds the web explorer into web/dist (which the server serves at `/`), and says how long it took.
 *
 *   tsx web/build.ts              build now (`npm run build:web`)
 *   tsx web/build.ts --if-stale   build only when web/dist is missing or older than its sources
 *                                 (`prepare` after `npm ci`, `prestart`, and the test setup)
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const webDir = fileURLToPath(new URL(".", import.meta.url));
export const distDir = join(webDir, "dist");
const repoDir = join(webDir, "..");

/** Everything the build reads: a change to any of them makes web/dist stale. */
function inputs(): string[] {
  const files = [
    join(webDir, "index.html"),
    join(webDir, "vite.config.ts"),
    join(repoDir, "package-lock.json"),
  ];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(join(webDir, "src"));
  walk(join(webDir, "public"));
  return files.filter((file) => existsSync(file));
}

/** Why web/dist needs a build, or null when it is up to date. */
export function staleReason(): string | null {
  const built = join(distDir, "index.html");
  if (!existsSync(built)) return "web/dist/index.html is missing";
  const builtAt = statSync(built).mtimeMs;
  const newer = inputs().find((file) => statSync(file).mtimeMs > builtAt);
  return newer ? `${newer.slice(repoDir.length + 1)} changed since the last build` : null;
}

export async function buildWeb(): Promise<number> {
  const { build } = await import("vite");
  const started = performance.now();
  await build({ configFile: join(webDir, "vite.config.ts"), logLevel: "warn" });
  // .br and .gz beside each text file, for clients that accept them (src/server/static.ts)
  const { precompress } = await import("./precompress.js");
  precompress(distDir);
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const ifStale = process.argv.includes("--if-stale");
  const reason = ifStale ? staleReason() : "asked to build";
  if (!reason) return;
  try {
    await import("vite");
  } catch {
    // e.g. `npm ci --omit=dev`: the server still starts and tells at `/` how to build the explorer
    console.warn(
      "kz-osce-graph: vite is not installed, so the web explorer is not built (run `npm install` then `npm run build:web`).",
    );
    return;
  }
  const seconds = await buildWeb();
  console.log(
    `kz-osce-graph: built the web explorer into web/dist in ${seconds.toFixed(1)} s (${reason}).`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error("kz-osce-graph: building the web explorer failed:", error);
    process.exit(1);
  });
}
