/**
 * The browser tests' own rule: when Chromium cannot be started they skip (with the reason) on a
 * developer's machine, but under CI they run and fail, so a CI run without a browser is not green.
 * And their accessibility check: axe-core with only the rules that can find a serious or critical
 * violation finds what all its rules find, and a state already checked is not checked again.
 * And how a file reaches its views: in the page the worker's files before it left (blank, its
 * errors now this file's), in the app (`visit`) or by a load when it must.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACCESSIBILITY_VIEWS,
  axeViolations,
  browserSuiteMode,
  chromiumProblem,
  type Explorer,
  settled,
  sharedChromium,
  startExplorer,
} from "./harness.js";
import { describeInChromium } from "./suite.js";

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

describe("the views checked with axe-core", () => {
  it("checks every view of ACCESSIBILITY_VIEWS in some browser test file", () => {
    const dir = new URL(".", import.meta.url);
    const checked = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".test.ts"))) {
      const text = readFileSync(new URL(file, dir), "utf8");
      for (const [, view] of text.matchAll(/accessibilityFindings\(\s*[\w.]+,\s*"([^"]+)"/g))
        checked.add(view!);
    }
    const listed = Object.values(ACCESSIBILITY_VIEWS).flat();
    expect(listed.filter((view) => !checked.has(view))).toEqual([]);
    // (and the test files name no view the list lacks: the type of the name sees to that)
    expect(checked.size).toBeGreaterThanOrEqual(listed.length);
  });
});

await describeInChromium("axe-core's check in the browser tests (axeViolations)", () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await (await sharedChromium()).newContext();
    page = await context.newPage();
  }, 60_000);
  afterAll(async () => {
    await context?.close();
  });

  /** A page with problems of every impact axe gives here: critical, serious and moderate. */
  const FLAWED = `<!doctype html><html lang="en"><head><title>flawed</title></head><body>
    <h1>Flawed</h1><h4>a level skipped</h4>
    <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
    <p style="color:#ccc;background:#fff">too faint to read</p>
    <button></button><input type="text">
    <ul><div>not a list item</div></ul>
    <div role="checkbox">no checked state</div>
    <a href="#x"></a><span id="d">one</span><span id="d">two</span>
    <div aria-hidden="true"><a href="#y">focusable though hidden</a></div>
  </body></html>`;

  it("finds every serious and critical violation a run of all of axe's rules finds", async () => {
    await page.setContent(FLAWED);
    const all = (await page.evaluate(`(async () => {
      ${readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8")}
      const result = await axe.run(document, { resultTypes: ["violations"] });
      return result.violations.map((v) => [v.id, v.impact]);
    })()`)) as [string, string][];
    const severe = all.filter(([, impact]) => impact === "serious" || impact === "critical");
    // the page has findings of every impact, so that leaving rules out could show
    expect(new Set(all.map(([, impact]) => impact))).toEqual(
      new Set(["critical", "serious", "moderate"]),
    );
    expect(severe.length).toBeGreaterThan(4);
    const found = await axeViolations(page);
    expect(found.map((v) => [v.id, v.impact]).sort()).toEqual(severe.sort());
  });

  it("checks a state once: the same state again is answered from memory, a changed one anew", async () => {
    await page.setContent(
      '<!doctype html><html lang="en"><title>t</title><main><h1>Fine</h1></main></html>',
    );
    expect(await axeViolations(page)).toEqual([]);
    // axe can no longer run on this page: only a remembered answer can come back
    await page.evaluate("axe.run = () => { throw new Error('axe ran again'); }");
    expect(await axeViolations(page)).toEqual([]);
    // a changed DOM is a new state: axe runs (and here fails)
    await page.evaluate("document.querySelector('h1').textContent = 'Changed'");
    await expect(axeViolations(page)).rejects.toThrow(/axe ran again/);
    // so is a changed form field, whose value is not in the DOM's attributes
    await page.setContent(
      '<!doctype html><html lang="en"><title>t</title><main><label>Name <input id="n"></label></main></html>',
    );
    // (setContent keeps the window: the broken axe goes, the harness injects it again)
    await page.evaluate("delete globalThis.axe");
    expect(await axeViolations(page)).toEqual([]);
    await page.evaluate("axe.run = () => { throw new Error('axe ran again'); }");
    await page.fill("#n", "typed");
    await expect(axeViolations(page)).rejects.toThrow(/axe ran again/);
  });
});

await describeInChromium("reaching a view in the app (Explorer.visit)", () => {
  let explorer: Explorer | undefined;
  afterAll(async () => {
    await explorer?.close();
  });

  const marked = (page: Page) =>
    page.evaluate(() => (globalThis as { visitMark?: boolean }).visitMark === true);
  const historyLength = (page: Page) =>
    page.evaluate(() => (globalThis as unknown as { history: { length: number } }).history.length);

  it("follows a link in the same document, and loads the page when it cannot", async () => {
    // the page a file before left (one of this worker's, blank when it closed, its history
    // forgotten) is this file's, and what goes wrong in it from now on is this file's error, not
    // the file's before
    const before = await startExplorer();
    let left: Page;
    try {
      left = await before.open("/timeline");
      await settled(left);
    } finally {
      await before.close();
    }
    expect(left.url()).toBe("about:blank");
    expect(await historyLength(left)).toBe(1);
    explorer = await startExplorer();

    // a load answers with its status (the explorer's not-found page is a 404)
    const page = await explorer.open("/no-such-page");
    expect(page).toBe(left);
    expect(explorer.response?.status()).toBe(404);
    expect(explorer.errors.some((e) => /HTTP 404 .*no-such-page/.test(e))).toBe(true);
    expect(before.errors).toEqual([]);
    // axe-core is in the document from its start, before any check (put there by Chromium)
    expect(await page.evaluate("typeof axe")).toBe("object");
    await settled(page);
    await page.evaluate(() => {
      (globalThis as { visitMark?: boolean }).visitMark = true;
    });
    const entries = await historyLength(page);

    // in the app: the same document (its mark kept), one history entry more, the new view shown
    expect(await explorer.visit("/timeline?entity=person/gyorgy-szabo")).toBe(page);
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(
      "/timeline?entity=person/gyorgy-szabo",
    );
    // the view left is gone when visit returns: no "Nothing here" while the new one loads
    expect(await page.getByRole("heading", { name: "Nothing here" }).count()).toBe(0);
    await settled(page);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Timeline");
    expect(await marked(page)).toBe(true);
    expect(await historyLength(page)).toBe(entries + 1);

    // the view shown already is shown afresh by a load: a new document
    await explorer.visit("/timeline?entity=person/gyorgy-szabo");
    await settled(page);
    expect(await marked(page)).toBe(false);
    expect(explorer.response?.status()).toBe(200);

    // an address that is no view of the explorer's is loaded, not followed in the app
    await page.evaluate(() => {
      (globalThis as { visitMark?: boolean }).visitMark = true;
    });
    await explorer.visit("/no-such-page");
    expect(explorer.response?.status()).toBe(404);
    expect(await marked(page)).toBe(false);
    expect(explorer.errors.filter((e) => !/no-such-page/.test(e))).toEqual([]);
  });
});
