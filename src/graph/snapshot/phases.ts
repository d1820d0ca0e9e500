/**
 * Where a start's time goes, phase by phase: the wall time and the CPU time of the calling thread
 * (from /proc/thread-self on Linux; the dataset's hash runs on another thread and is timed there).
 * A loaded machine stretches the wall time; the thread's CPU is what says what a phase costs.
 * The server logs the table at start, and `npm run bench:start` prints it.
 */
import { readFileSync } from "node:fs";

export interface Phase {
  name: string;
  wallMs: number;
  /** CPU of this thread during the phase (10 ms resolution); NaN where /proc is unavailable. */
  cpuMs: number;
}

function threadCpuMs(): number {
  try {
    const stat = readFileSync("/proc/thread-self/stat", "latin1");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime, fields 14 and 15 of stat (12 and 13 after the state), in ticks of 10 ms
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

export class Phases {
  readonly list: Phase[] = [];
  private wall = performance.now();
  private cpu = threadCpuMs();

  /** End the phase running since the last mark (or the start), naming it. */
  mark(name: string): void {
    const wall = performance.now();
    const cpu = threadCpuMs();
    this.list.push({ name, wallMs: Math.round(wall - this.wall), cpuMs: cpu - this.cpu });
    this.wall = wall;
    this.cpu = cpu;
  }

  /** A phase timed elsewhere (another thread). */
  add(phase: Phase): void {
    this.list.push(phase);
  }

  /** `name wall/cpu` pairs, for a log line: `read 120/110 ms, crc 80/80 ms, ...`. */
  toString(): string {
    return this.list
      .map((p) => `${p.name} ${p.wallMs}/${Number.isNaN(p.cpuMs) ? "?" : p.cpuMs} ms`)
      .join(", ");
  }
}
