/**
 * Temporary directories named after the process that made them, so that another process can tell
 * one left behind by a process now gone (killed outright: SIGKILL, the OOM killer) from one still
 * in use, and remove only the first: a reload's private snapshot (src/server/private-snapshots.ts)
 * and a private copy of a mapped columns file (columns.ts, mapPrivateCopies), each as large as
 * the snapshot or its columns (155 MiB at a million entities), which nothing else ever removes.
 *
 * A directory's name is its prefix, then `PID-START-`, then mkdtemp's suffix: the pid of the
 * process that made it and its start time (in clock ticks since the system booted, /proc/PID/stat),
 * so that a process of the same pid later (a container restarted with its temporary directory,
 * whose server is pid 1 again) is not taken for it.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** This process as a directory's name says it: `PID-START` (START 0 where there is no /proc). */
export function ownerTag(): string {
  return `${process.pid}-${startTime(process.pid) ?? 0}`;
}

/**
 * The directories of `root` whose name begins with `prefix` that a process now gone left there
 * at least `unchangedMs` ago: a directory of this user's, not a link, named after a process (pid
 * and start time) that no longer runs, and not changed since. Its pid and start time may still be
 * another's, in another pid namespace (containers sharing a temporary directory), hence the age:
 * longer than any such directory stays unchanged while in use. None where `root` cannot be read.
 */
export function leftBehind(
  root: string,
  prefix: string,
  unchangedMs: number,
  now = Date.now(),
): { dir: string; pid: number }[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const found: { dir: string; pid: number }[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const owner = /^(\d+)-(\d+)-/.exec(name.slice(prefix.length));
    if (!owner || running(Number(owner[1]), owner[2]!)) continue;
    const dir = join(root, name);
    try {
      const stat = lstatSync(dir);
      if (
        !stat.isDirectory() ||
        stat.uid !== process.getuid?.() ||
        now - stat.mtimeMs < unchangedMs
      )
        continue;
    } catch {
      continue;
    }
    found.push({ dir, pid: Number(owner[1]) });
  }
  return found;
}

/** When process `pid` started, in clock ticks since the system booted (/proc/PID/stat's 22nd field); undefined when there is no such process (or no /proc). */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/** Whether the process that named a directory (its pid and start time) still runs. */
function running(pid: number, started: string): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  const now = startTime(pid);
  if (now !== undefined) return now === started;
  if (existsSync("/proc/self/stat")) return false; // no such process
  // no /proc: by its pid alone
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
