/**
 * vitest setup file for `npm run test:profile` (tests/support/profile.ts): when
 * TEST_PROFILE_DIR is set, records what each test file cost — the CPU-seconds of its worker and
 * of every process under it (servers it started, Chromium, nginx), and its wall time — into one
 * JSON line per file in that directory. Without the variable it does nothing.
 *
 * A setup file runs again before each test file, even when files share their worker
 * (`isolate: false`), so the first reading is taken before the file's own imports.
 */
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll } from "vitest";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux: /proc/<pid>/stat counts CPU time in 1/100 s

/**
 * CPU-seconds of this process and all its live descendants, including the children each has
 * already reaped (so a server that started and ended within the file counts too).
 */
function treeCpuSeconds(): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let text: string;
    try {
      text = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // ended while we looked
    }
    // fields after the command (which may hold spaces) in parentheses: state ppid ... utime(14) stime cutime cstime
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
    stats.set(Number(entry), { ppid: Number(fields[1]), ticks: utime! + stime! + cutime! + cstime! });
  }
  let ticks = 0;
  for (const [pid, stat] of stats) {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = stats.get(at)?.ppid) {
      if (at === process.pid) {
        ticks += stat.ticks;
        break;
      }
    }
  }
  return ticks / TICKS_PER_SECOND;
}

const dir = process.env.TEST_PROFILE_DIR;
if (dir) {
  const startCpu = treeCpuSeconds();
  const startWall = performance.now();
  afterAll(({}, suite) => {
    const record = { file: suite.file.filepath, cpu: treeCpuSeconds() - startCpu, wall: (performance.now() - startWall) / 1000, pid: process.pid };
    appendFileSync(join(dir, `${process.pid}.jsonl`), `${JSON.stringify(record)}\n`);
  });
}
