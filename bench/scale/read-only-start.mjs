/**
 * `node bench/scale/read-only-start.mjs ROOT DATASET_DIR [--starts 2]` (as root, on Linux): how a
 * server started as `npm start -- --data DIR` (in ROOT) starts when DIR is on a read-only volume,
 * without and with `KZ_OSCE_SNAPSHOT_DIR`. The dataset (its files, not its snapshot) is copied,
 * and the copy bind-mounted read-only (`mount -o remount,ro,bind`): what a container's mounted
 * config or a shared read-only disk is. Per start: the time to the "serving" line and how the
 * dataset was loaded, as the server logs it. Without a place to write its snapshot, every start
 * loads in full; with one, the first writes it there and the next read it.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "../attack/serve.mjs";

const [root, source] = process.argv.slice(2);
if (!root || !source) {
  console.error("usage: node bench/scale/read-only-start.mjs ROOT DATASET_DIR [--starts 2]");
  process.exit(2);
}
const startsAt = process.argv.indexOf("--starts");
const starts = startsAt > 0 ? Number(process.argv[startsAt + 1]) : 2;
const work = mkdtempSync(join(tmpdir(), "kz-read-only-"));
const files = join(work, "files");
const mounted = join(work, "data");
mkdirSync(files);
mkdirSync(mounted);
for (const name of readdirSync(source))
  if (!name.startsWith(".kz-osce")) cpSync(join(source, name), join(files, name));
try {
  execFileSync("mount", ["--bind", files, mounted]);
  execFileSync("mount", ["-o", "remount,ro,bind", mounted]);
} catch (error) {
  rmSync(work, { recursive: true, force: true });
  console.error(`a read-only bind mount needs root on Linux: ${error.message}`);
  process.exit(2);
}
const startOnce = async (env) => {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const started = performance.now();
  try {
    const { child, output } = await serve(root, mounted, "info");
    const ms = performance.now() - started;
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    const said = /"msg":"(loaded[^"]*)"/.exec(output())?.[1] ?? "?";
    return `${(ms / 1000).toFixed(1)} s to serving (${said})`;
  } finally {
    process.env = saved;
  }
};
try {
  for (let i = 1; i <= starts; i++)
    console.log(`read-only, no KZ_OSCE_SNAPSHOT_DIR, start ${i}: ${await startOnce({})}`);
  const snapshots = join(work, "snapshots");
  for (let i = 1; i <= starts; i++)
    console.log(
      `read-only, KZ_OSCE_SNAPSHOT_DIR set, start ${i}: ${await startOnce({ KZ_OSCE_SNAPSHOT_DIR: snapshots })}`,
    );
} finally {
  execFileSync("umount", [mounted]);
  rmSync(work, { recursive: true, force: true });
}
