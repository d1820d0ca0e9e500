/**
 * `node bench/attack/start-unwritable.mjs ROOT DATASET_DIR [--workers 2] [--rounds 2]`: how a
 * server started as `npm start -- --data COPY --workers N` (in ROOT, on a copy of DATASET_DIR
 * without its snapshot) starts where no snapshot can be written: set KZ_OSCE_SNAPSHOT_DIR to a
 * read-only directory (a tmpfs mounted read-only, say). Per round: the time from the spawn to the
 * "serving ... with N workers" line, how many full loads its processes made (log lines saying
 * "loaded in full"), the resident memory (RSS) of each worker once serving (of the one
 * process, with `--workers 1`), and the V8 heap in use 3 s later (/metrics, over all workers). Kills the server
 * after each round; removes the copy at the end.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "./serve.mjs";

const [root, source] = process.argv.slice(2);
const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const workers = option("workers", 2);
const rounds = option("rounds", 2);
if (!root || !source)
  throw new Error("usage: start-unwritable.mjs ROOT DATASET_DIR [--workers N] [--rounds N]");
if (!process.env.KZ_OSCE_SNAPSHOT_DIR)
  console.log("(KZ_OSCE_SNAPSHOT_DIR is not set: snapshots go beside the copy, which is writable)");

const copy = mkdtempSync(join(tmpdir(), "kz-start-bench-"));
cpSync(source, copy, {
  recursive: true,
  filter: (path) => !path.split("/").at(-1).startsWith(".kz-osce-snapshot"),
});
/** The pids of `pid`'s children. */
const childrenOf = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .split(" ")
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
};
/** A process's resident memory, in MiB. */
const rssMiB = (pid) => {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? Number.NaN : Math.round(Number(kb) / 1024);
  } catch {
    return Number.NaN;
  }
};
try {
  for (let round = 1; round <= rounds; round++) {
    const started = performance.now();
    const args = workers > 1 ? ["--workers", String(workers)] : [];
    const { child, url, output } = await serve(root, copy, "info", args);
    // killed whatever happens below (a server left running keeps its temporary snapshot)
    const killed = new Promise((resolve) => child.once("exit", resolve));
    try {
      const ms = Math.round(performance.now() - started);
      // the V8 heap in use (summed over the workers by the primary), after a full collection
      // would be better, but the server exposes none: as it is once serving, a few seconds on
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const metrics = await (await fetch(`${url}/metrics`)).text();
      const heapMiB = Math.round(
        Number(/^kz_osce_nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)/m.exec(metrics)?.[1]) /
          2 ** 20,
      );
      const lines = output()
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line));
      const fullLoads = lines.filter((line) => /loaded in full/.test(line.msg)).length;
      // the workers', or the one process's when there are none
      const servers = childrenOf(child.pid).filter((pid) =>
        readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("main.ts"),
      );
      const workerRss = (workers > 1 ? servers : [child.pid]).map(rssMiB);
      console.log(
        `round ${round}: serving after ${ms} ms; ${fullLoads} full load(s) logged (${lines
          .filter((line) => /loaded in full/.test(line.msg))
          .map((line) => `"${line.msg}"`)
          .join(
            ", ",
          )}); ${workers > 1 ? "workers'" : "its"} RSS ${workerRss.join(", ")} MiB; V8 heap in use ${heapMiB} MiB in all, 3 s after serving`,
      );
    } finally {
      child.kill("SIGTERM");
      await killed;
    }
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}
