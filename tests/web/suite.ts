/**
 * How a file of browser tests declares its suite (kept apart from harness.ts, which
 * `npm run screenshots` also loads outside vitest).
 */
import { describe } from "vitest";
import { browserSuiteMode, chromiumProblem } from "./harness.js";

/**
 * `describe` for a file of browser tests: checks once that Chromium starts, then runs the suite,
 * or (locally, when it does not) reports it skipped with the reason in its title.
 */
export async function describeInChromium(title: string, body: () => void): Promise<void> {
  const problem = await chromiumProblem();
  if (browserSuiteMode(problem) === "skip") {
    console.warn(`tests/web: skipped “${title}”: ${problem}`);
    describe.skip(`${title} (skipped: ${problem})`, body);
    return;
  }
  if (problem) console.error(`tests/web: CI is set, so “${title}” runs and fails: ${problem}`);
  describe(title, body);
}
