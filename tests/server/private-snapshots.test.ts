/**
 * The private directories of reloads whose snapshot cannot be written in the snapshots' own
 * (src/server/private-snapshots.ts): one left by a process that is gone (killed during such a
 * reload) is removed by the next, once it is an hour old; none of a live process, nor a recent one
 * (a pid alone does not say the process is gone where containers share the directory).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "../../src/server/log.js";
import {
  LEFT_BEHIND_MS,
  PRIVATE_PREFIX,
  removeLeftBehind,
} from "../../src/server/private-snapshots.js";
import { makeTmpDir, removeDir } from "../fixtures/datasets.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

describe("private snapshots left behind", () => {
  it("are removed once their process is gone and an hour has passed, and no others", () => {
    const temporary = makeTmpDir();
    dirs.push(temporary);
    vi.stubEnv("TMPDIR", temporary);
    // a pid no process has now: a child's, once it has exited
    const gone = spawnSync(process.execPath, ["-e", ""]).pid!;
    const now = Date.now();
    const old = (now - LEFT_BEHIND_MS - 60_000) / 1000;
    const make = (name: string, aged: boolean) => {
      const at = join(temporary, name);
      mkdirSync(join(at, "dataset-0123456789abcdef"), { recursive: true });
      writeFileSync(join(at, "dataset-0123456789abcdef", ".kz-osce-snapshot"), "bytes");
      if (aged) utimesSync(at, old, old);
      return name;
    };
    const left = make(`${PRIVATE_PREFIX}${gone}-a1b2c3`, true);
    const kept = [
      make(`${PRIVATE_PREFIX}${gone}-recent`, false),
      make(`${PRIVATE_PREFIX}${process.pid}-mine00`, true),
      make(`${PRIVATE_PREFIX}${process.ppid}-alive0`, true),
      make(`kz-osce-other-${gone}-aaaaaa`, true),
      make(`${PRIVATE_PREFIX}nopid-aaaaaa`, true),
    ];
    const logged: Record<string, unknown>[] = [];
    const logger = createLogger("info", { write: (line: string) => logged.push(JSON.parse(line)) });
    removeLeftBehind(logger, now);
    expect(existsSync(join(temporary, left))).toBe(false);
    expect(readdirSync(temporary).sort()).toEqual(kept.sort());
    expect(logged).toMatchObject([
      {
        msg: "removing a reload's temporary snapshot left by a process that is gone",
        temporaryDir: join(temporary, left),
        pid: gone,
      },
    ]);
  });
});
