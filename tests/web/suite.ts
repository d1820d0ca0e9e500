/**
 * How a file of browser tests declares its suite (kept apart from harness.ts, which
 * `npm run screenshots` also loads outside vitest).
 */
import { afterAll, afterEach, beforeAll, describe, expect } from "vitest";
import { browserSuiteMode, chromiumProblem, type Explorer, startExplorer } from "./harness.js";

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

/**
 * The explorer a suite's tests share (startExplorer), handed to `use` once started: started
 * before them (a minute allowed: Chromium's start on a busy machine), closed after them. After
 * each test, every page it used must have run without a console error, a page error or a failed
 * request, but for those matching what `expectedErrors` gives then (the 404 of a page a test
 * opens on purpose).
 */
export function shareExplorer(
  use: (explorer: Explorer) => void,
  options: { expectedErrors?: () => RegExp[] } = {},
): void {
  let explorer: Explorer | undefined;
  beforeAll(async () => {
    explorer = await startExplorer();
    use(explorer);
  }, 60_000);
  afterAll(async () => {
    await explorer?.close();
  });
  afterEach(async () => {
    const expected = options.expectedErrors?.() ?? [];
    const errors = (explorer?.errors.splice(0) ?? []).filter(
      (error) => !expected.some((e) => e.test(error)),
    );
    expect(errors).toEqual([]);
  });
}
