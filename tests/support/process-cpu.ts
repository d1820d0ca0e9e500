/** CPU time of a process and everything under it, from Linux's /proc (for `npm run test:profile`). */
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux: /proc/<pid>/stat counts CPU time in 1/100 s

export interface TreeCpu {
  /** CPU-seconds of the process and all its live descendants, with the children each has reaped. */
  all: number;
  /** The part of it spent in Chromium (a browser process and everything under it). */
  browser: number;
}

/**
 * CPU-seconds (user + system) of `root` and all its live descendants, including the children
 * each has already reaped, so that a server that started and ended in between counts too.
 */
export function treeCpuSeconds(root: number = process.pid): TreeCpu {
  const stats = new Map<number, { ppid: number; ticks: number; browser: boolean }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let text: string;
    try {
      text = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // ended while we looked
    }
    // pid (command, which may hold spaces) state ppid ... utime(14) stime cutime cstime
    const command = text.slice(text.indexOf("(") + 1, text.lastIndexOf(")"));
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
    stats.set(Number(entry), {
      ppid: Number(fields[1]),
      ticks: utime! + stime! + cutime! + cstime!,
      browser: /chrom/i.test(command),
    });
  }
  let all = 0;
  let browser = 0;
  for (const [pid, stat] of stats) {
    let inBrowser = false;
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = stats.get(at)?.ppid) {
      if (at === root) {
        all += stat.ticks;
        if (inBrowser) browser += stat.ticks;
        break;
      }
      inBrowser ||= stats.get(at)?.browser ?? false;
    }
  }
  return { all: all / TICKS_PER_SECOND, browser: browser / TICKS_PER_SECOND };
}
