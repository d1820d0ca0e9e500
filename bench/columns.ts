/**
 * `npm run bench:columns -- [--data DIR] [--processes 2]`
 *
 * What N processes that start from one snapshot hold, each, once their start's garbage is
 * collected: the memory of its own (anonymous: the heap, the typed arrays copied into it) and its
 * share of the files it maps (the snapshot's memory-mapped columns, src/graph/snapshot/columns.ts,
 * which the page cache holds once for all of them). Each process reads the snapshot as a worker
 * does (`readSnapshot`), runs three full collections, and the figures are read while all N are
 * alive, from /proc/PID/smaps_rollup. Without --data, the 1M generated dataset (made when
 * missing; its snapshot written first if missing or stale: a full load, not measured).
 *
 * The figure a worker adds to a replica is its anonymous memory; the mapped columns are paid once.
 * With KZ_OSCE_SNAPSHOT_MAP=false the columns are in each process's heap instead (a snapshot
 * written with a mapped file is then stale: loaded in full and written anew, first).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generatedDataset } from "../data/synthetic/datasets.js";
import { mapColumns } from "../src/graph/snapshot/columns.js";
import { ensureSnapshot } from "../src/graph/snapshot/load.js";
import { prebuiltSearchIndex, readSnapshot } from "../src/graph/snapshot/snapshot.js";
import { parseConfig } from "../src/server/config.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
// as the server reads it (true or false, anything else refused)
const mapping = parseConfig([], process.env).snapshotMap;
mapColumns(mapping);
const MiB = 2 ** 20;

/** The fields of /proc/PID/smaps_rollup, in MiB. */
function rollup(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").split("\n")) {
    const match = /^(\w+):\s+(\d+) kB/.exec(line);
    if (match) out[match[1]!] = Number(match[2]) / 1024;
  }
  return out;
}

if (args[0] === "--reader") {
  // a child: read the snapshot, collect, say so, and stay alive until told to go
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("the reader runs with --expose-gc");
  const graph = await readSnapshot(args[1]!);
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  const usage = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({ heap: usage.heapUsed / MiB, arrayBuffers: usage.arrayBuffers / MiB })}\n`,
  );
  process.stdin.once("data", () => {
    // (the graph and its search index held until here)
    if (graph.keys && prebuiltSearchIndex(graph)) process.exit(0);
    process.exit(1);
  });
} else {
  const dir = args.includes("--data") ? option("data", "") : generatedDataset(1_000_000);
  const processes = Number(option("processes", "2"));
  const self = fileURLToPath(import.meta.url);
  // made current as a primary does (cluster.ts): checked, not mapped, so that this process
  // holds none of what it measures
  const ensured = await ensureSnapshot(dir);
  if (ensured.from !== "snapshot")
    console.log(`(the snapshot was ${ensured.reason}: loaded in full and written first)`);
  const children = Array.from({ length: processes }, () =>
    spawn(process.execPath, ["--expose-gc", "--import", "tsx", self, "--reader", dir], {
      stdio: ["pipe", "pipe", "inherit"],
      env: { ...process.env, NODE_ENV: "production" },
    }),
  );
  const usages = await Promise.all(
    children.map(
      (child) =>
        new Promise<{ heap: number; arrayBuffers: number }>((resolve, reject) => {
          let text = "";
          child.stdout!.on("data", (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes("\n")) resolve(JSON.parse(text));
          });
          child.once("exit", (code) => reject(new Error(`a reader exited (${code})`)));
        }),
    ),
  );
  const rows = children.map((child, i) => {
    const smaps = rollup(child.pid!);
    return {
      pss: smaps.Pss ?? Number.NaN,
      anonymous: smaps.Pss_Anon ?? Number.NaN,
      files: smaps.Pss_File ?? Number.NaN,
      shared: smaps.Shared_Clean ?? Number.NaN,
      ...usages[i]!,
    };
  });
  for (const child of children) child.stdin!.end("go\n");
  const f = (n: number) => n.toFixed(0).padStart(6);
  console.log(
    `${processes} processes reading ${dir}'s snapshot, columns ${mapping ? "memory-mapped where the snapshot has a mapped file" : "in each heap (KZ_OSCE_SNAPSHOT_MAP=false)"} (MiB, after 3 full collections):`,
  );
  console.log(
    "process   PSS  own (anonymous)  files' share  shared with others  heap  typed arrays",
  );
  rows.forEach((row, i) =>
    console.log(
      `${String(i + 1).padStart(7)} ${f(row.pss)} ${f(row.anonymous)}${" ".repeat(11)} ${f(row.files)}${" ".repeat(6)} ${f(row.shared)}${" ".repeat(12)} ${f(row.heap)} ${f(row.arrayBuffers)}`,
    ),
  );
  const total = rows.reduce((sum, row) => sum + row.pss, 0);
  const own = rows.reduce((sum, row) => sum + row.anonymous, 0) / rows.length;
  console.log(
    `all ${processes}: ${total.toFixed(0)} MiB PSS; each process adds about ${own.toFixed(0)} MiB of its own`,
  );
}
