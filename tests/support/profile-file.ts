/**
 * vitest setup file for `npm run test:profile` (tests/support/profile.ts): when
 * TEST_PROFILE_DIR is set, records what each test file cost — the CPU-seconds of its worker and
 * of every process under it (servers it started, Chromium, nginx), and its wall time — into one
 * JSON line per file in that directory. Without the variable it does nothing.
 *
 * A setup file runs again before each test file, even when files share their worker
 * (`isolate: false`), so the first reading is taken before the file's own imports.
 */
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll } from "vitest";
import { treeCpuSeconds } from "./process-cpu.js";

const dir = process.env.TEST_PROFILE_DIR;
if (dir) {
  const start = treeCpuSeconds();
  const startWall = performance.now();
  // vitest 4 reads the hook's first parameter as the fixtures it uses, which must be an object
  // pattern (a plain name fails every file with FixtureParseError); the suite is the second
  // biome-ignore lint/correctness/noEmptyPattern: vitest parses this pattern (see above)
  afterAll(({}, suite) => {
    const end = treeCpuSeconds();
    const record = {
      file: suite.file.filepath,
      cpu: end.all - start.all,
      browser: end.browser - start.browser,
      wall: (performance.now() - startWall) / 1000,
    };
    appendFileSync(join(dir, `${process.pid}.jsonl`), `${JSON.stringify(record)}\n`);
  });
}
