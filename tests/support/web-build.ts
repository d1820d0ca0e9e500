/**
 * vitest global setup: make sure web/dist is built (and current) before the browser tests load
 * it. A no-op that costs a few file stats when the build is up to date.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const run = spawnSync(process.execPath, ["--import", "tsx", "web/build.ts", "--if-stale"], {
    cwd: root,
    encoding: "utf8",
  });
  if (run.stdout.trim()) console.log(run.stdout.trim());
  if (run.status !== 0)
    throw new Error(`building the web explorer failed:\n${run.stdout}\n${run.stderr}`);
}
