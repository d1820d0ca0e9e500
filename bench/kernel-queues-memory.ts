/**
 * The memory one reading of the kernel's lists costs (src/server/kernel-queues.ts): the peak of
 * the process's resident memory (VmHWM, reset before the reading) over what it held before, for
 * a synthetic listing of N MiB of TIME_WAIT sockets read under the default bound (64 MiB). Each
 * size runs in a process of its own. Linux only (/proc/self/status, clear_refs).
 *   node --import tsx bench/kernel-queues-memory.ts [--mib 16,63,65]
 * Review 23 (finding 4): a listing over the bound, refused, cost 138 MiB; read in pieces, 73.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { procKernelQueues } from "../src/server/kernel-queues.js";

const args = process.argv.slice(2);
const at = args.indexOf("--one");
const status = (field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync("/proc/self/status", "utf8"))![1]) /
  1024;

if (at >= 0) {
  // one reading of the list at args[at + 1], in this process
  const file = args[at + 1]!;
  const before = status("VmRSS");
  writeFileSync("/proc/self/clear_refs", "5"); // VmHWM from here
  const kernel = procKernelQueues({ files: [file] });
  await kernel.refresh(1);
  const peak = status("VmHWM");
  console.log(`${kernel.available ? "read" : "refused"}, +${(peak - before).toFixed(0)} MiB`);
  process.exit(0);
}

const mibIndex = args.indexOf("--mib");
const sizes = (mibIndex >= 0 ? args[mibIndex + 1]! : "16,63,65").split(",").map(Number);
const line =
  "   0: 0100007F:1F90 0100007F:0400 06 00000000:00000000 03:00000000 00000000     0        0 0 3 0000000000000000\n";
const dir = mkdtempSync(join(tmpdir(), "kz-kernel-queues-memory-"));
try {
  for (const mib of sizes) {
    const file = join(dir, "tcp");
    writeFileSync(file, `header\n${line.repeat(Math.ceil((mib * 1024 * 1024) / line.length))}`);
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", fileURLToPath(import.meta.url), "--one", file],
      { encoding: "utf8" },
    );
    console.log(`${mib} MiB listing: ${out.trim()}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
