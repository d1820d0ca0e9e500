/**
 * `node bench/install.mjs` — run by the root's `npm run bench*` scripts that need the benchmark's
 * own packages (the peer servers and the load generator, bench/package.json), before they start.
 *
 * The root install (`npm ci`) leaves them out, so that a user of the server never downloads
 * Mercurius, Fastify, Apollo Server or autocannon. The first benchmark run installs them from
 * bench/package-lock.json (`npm ci --prefix bench`), and again whenever that lock has changed;
 * otherwise this returns at once. Plain JavaScript, so that it runs before anything is installed.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const bench = fileURLToPath(new URL(".", import.meta.url));
const lock = new URL("./package-lock.json", import.meta.url);
const stamp = new URL("./node_modules/.installed-from-lock", import.meta.url);

// bench/ shares the root's graphql (a link to ../node_modules/graphql: one copy, so that the
// peers run this project's schema object), so the root must be installed first
if (!existsSync(new URL("../node_modules/graphql/package.json", import.meta.url))) {
  console.error(
    "bench: the project's own packages are not installed: run `npm ci` in the project's root first.",
  );
  process.exit(1);
}

const want = createHash("sha256").update(readFileSync(lock)).digest("hex");
if (existsSync(stamp) && readFileSync(stamp, "utf8") === want) process.exit(0);

console.error(
  "bench: installing the benchmarks' own packages (npm ci --prefix bench: Mercurius, Fastify, Apollo Server, autocannon), once ...",
);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const result = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], {
  cwd: bench,
  stdio: "inherit",
  shell: process.platform === "win32",
});
if (result.status !== 0) {
  console.error(
    `bench: \`npm ci --prefix bench\` failed (${result.error?.message ?? `exit code ${result.status}`}); run it yourself to see why.`,
  );
  process.exit(result.status || 1);
}
writeFileSync(stamp, want);
