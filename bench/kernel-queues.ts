/**
 * What a reading of the kernel's send queues costs (src/server/kernel-queues.ts): the unsent
 * guard reads /proc/net/tcp and tcp6 at most once a second while some connection may hold bytes
 * in the kernel. The file is read on a thread of libuv's pool; its parse runs on the event loop.
 * This prints, for listings of N sockets (synthetic: a share of them with bytes queued, as under a
 * slow-reader attack), the parse's time on the event loop, and the read's time of this host's own
 * files as they are.
 *   node --import tsx bench/kernel-queues.ts [--sockets 1000,5000,26000] [--queued 0.05]
 */
import { readFile } from "node:fs/promises";
import { parseProcTcp } from "../src/server/kernel-queues.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1]! : fallback;
};
const sizes = option("--sockets", "1000,5000,26000").split(",").map(Number);
const queuedShare = Number(option("--queued", "0.05"));

const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, "0");
/** A /proc/net/tcp listing of `n` established connections to port 4000, a share with bytes queued. */
function listing(n: number): string {
  const lines = [
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
  ];
  for (let i = 0; i < n; i++) {
    const queued = i % Math.round(1 / queuedShare) === 0 ? 3_791_872 : 0;
    lines.push(
      `${String(i).padStart(4)}: 0100007F:0FA0 ${hex(0x0200007f + (i >> 16), 8)}:${hex(i & 0xffff, 4)} 01 ${hex(queued, 8)}:00000000 00:00000000 00000000  1000        0 ${1_000_000 + i} 1 0000000000000000 20 4 30 10 -1                     `,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The median of 21 parses of `text`, after 50 to warm the compiler (ms), and what it found. */
function timeParse(text: string): { ms: number; found: number } {
  let found = 0;
  for (let i = 0; i < 50; i++) found = parseProcTcp(text).size;
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const began = performance.now();
    found = parseProcTcp(text).size;
    times.push(performance.now() - began);
  }
  return { ms: times.sort((a, b) => a - b)[10]!, found };
}

for (const n of sizes) {
  const text = listing(n);
  const { ms, found } = timeParse(text);
  console.log(
    `${n.toLocaleString("en")} sockets (${(text.length / 1e6).toFixed(1)} MB, ${found} with bytes queued): parse ${ms.toFixed(2)} ms on the event loop (median)`,
  );
}
for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
  try {
    const began = performance.now();
    const text = await readFile(file, "latin1");
    const read = performance.now() - began;
    const { ms } = timeParse(text);
    console.log(
      `${file} here: ${text.split("\n").length - 2} sockets, read ${read.toFixed(2)} ms (off the loop), parse ${ms.toFixed(3)} ms`,
    );
  } catch (error) {
    console.log(`${file}: ${(error as Error).message}`);
  }
}
