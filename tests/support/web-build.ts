/**
 * vitest global setup: make sure web/dist is built (and current) before the browser tests load
 * it. Whether it is stale is asked here, which costs a few file stats; only a build runs in a
 * process of its own (`tsx web/build.ts`, as `npm run build:web`), apart from vitest's own Vite.
 * (Spawning that process for every run cost 0.7 CPU-s and 2 s before any test started.)
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { staleReason } from "../../web/build.js";

export default function setup(): void {
  if (!staleReason()) return;
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const run = spawnSync(process.execPath, ["--import", "tsx", "web/build.ts", "--if-stale"], {
    cwd: root,
    encoding: "utf8",
  });
  if (run.stdout.trim()) console.log(run.stdout.trim());
  if (run.status !== 0)
    throw new Error(`building the web explorer failed:\n${run.stdout}\n${run.stderr}`);
}
