/**
 * The browser tests' own rule: when Chromium cannot be started they skip (with the reason) on a
 * developer's machine, but under CI they run and fail, so a CI run without a browser is not green.
 */
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { browserSuiteMode, chromiumProblem } from "./harness.js";

describe("the browser tests when Chromium cannot be started", () => {
  it("says that a missing browser is not installed", async () => {
    const missing = join(tmpdir(), "no-such-dir", "chromium");
    expect(await chromiumProblem(missing)).toMatch(/is not installed/);
  });

  it("says that a browser which does not start could not be started, with the launch error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kz-fake-chromium-"));
    const fake = join(dir, "chromium");
    writeFileSync(fake, "#!/bin/sh\necho 'this is not a browser' >&2\nexit 1\n");
    chmodSync(fake, 0o755);
    const problem = await chromiumProblem(fake);
    expect(problem).toMatch(/could not be started/);
    expect(problem).toContain(fake);
  }, 40_000);

  it("skips locally, with the reason, and runs (so fails) under CI", () => {
    const problem = "/usr/bin/chromium is not installed";
    expect(browserSuiteMode(problem, {})).toBe("skip");
    expect(browserSuiteMode(problem, { CI: "" })).toBe("skip");
    expect(browserSuiteMode(problem, { CI: "false" })).toBe("skip");
    expect(browserSuiteMode(problem, { CI: "true" })).toBe("run");
    expect(browserSuiteMode(problem, { CI: "1" })).toBe("run");
    // with a browser that starts, the tests always run
    expect(browserSuiteMode(null, {})).toBe("run");
    expect(browserSuiteMode(null, { CI: "true" })).toBe("run");
  });
});
