/**
 * vitest setup file for `npm run test:profile` (tests/support/profile.ts): when
 * TEST_PROFILE_DIR is set, records what each test file cost — the CPU-seconds of its worker and
 * of every process under it (servers it started, Chromium, nginx), and its wall time — into one
 * JSON line per file in that directory, and what each test cost (the same figures, from its
 * `beforeEach` to its `afterEach`: the file's `beforeAll` and `afterAll` are the file's alone)
 * when TEST_PROFILE_TESTS is set too (a reading of /proc per test, about a millisecond each).
 * Without the variables it does nothing.
 *
 * A setup file runs again before each test file, even when files share their worker
 * (`isolate: false`), so the first reading is taken before the file's own imports.
 */
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach } from "vitest";
import { treeCpuSeconds } from "./process-cpu.js";

const dir = process.env.TEST_PROFILE_DIR;
if (dir) {
  const start = treeCpuSeconds();
  const startWall = performance.now();
  const out = join(dir, `${process.pid}.jsonl`);
  let testStart = start;
  let testStartWall = startWall;
  if (process.env.TEST_PROFILE_TESTS) {
    beforeEach(() => {
      testStart = treeCpuSeconds();
      testStartWall = performance.now();
    });
    afterEach(({ task }) => {
      const end = treeCpuSeconds();
      const record = {
        file: task.file.filepath,
        // "file > describe > test": the name under the file's
        test: task.fullName.slice(task.file.name.length + " > ".length),
        cpu: end.all - testStart.all,
        browser: end.browser - testStart.browser,
        wall: (performance.now() - testStartWall) / 1000,
      };
      appendFileSync(out, `${JSON.stringify(record)}\n`);
    });
  }
  // vitest 4.1 reads a hook's parameters from its source: the first must be a destructuring
  // pattern (its fixtures), and the suite comes second
  // biome-ignore lint/correctness/noEmptyPattern: no fixtures are used, and a name is refused
  afterAll(({}, suite) => {
    const end = treeCpuSeconds();
    const record = {
      file: suite.file.filepath,
      cpu: end.all - start.all,
      browser: end.browser - start.browser,
      wall: (performance.now() - startWall) / 1000,
    };
    appendFileSync(out, `${JSON.stringify(record)}\n`);
  });
}
