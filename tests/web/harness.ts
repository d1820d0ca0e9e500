/**
 * The browser harness of the end-to-end tests and of `npm run screenshots`: a real server on
 * 127.0.0.1 (port 0) serving the built explorer, and Debian's Chromium driven headless by
 * playwright-core (which downloads no browser of its own).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Page,
  type Response,
} from "playwright-core";
import { expect } from "vitest";
import type { Route } from "../../web/src/router.js";
import { startServer, type TestServer } from "../support/server.js";

export const CHROMIUM = "/usr/bin/chromium";

/** Why the browser tests cannot run here, or null when they can. */
export const chromiumMissing: string | null = existsSync(CHROMIUM)
  ? null
  : `${CHROMIUM} is not installed (apt-get install chromium; .ci/run installs it when missing)`;

export const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-dev-shm-usage",
  // Less CPU for pages that live a few seconds (about a fifth less per page in
  // `npm run test:profile`), with the same behaviour: no spare renderer started ahead of the next
  // page, no process per site (every page here is of one origin), and no optimising JIT (the
  // explorer's code runs the same, only its hot loops slower; a test page is gone before
  // TurboFan would pay for itself).
  // (With TurboFan, axe's check costs the same: 0.19 against 0.17 CPU-s in
  // tests/web/browser-costs.ts.)
  "--disable-site-isolation-trials",
  // Chromium keeps only the last --disable-features it is given: this one replaces the list
  // playwright passes before it, so that list is repeated here (playwright-core 1.65's
  // chromiumSwitches.ts: PaintHolding, which would keep the previous view painted while the
  // next loads into the same page, MediaRouter, OptimizationHints, ...), with Translate.
  `--disable-features=${[
    "SpareRendererForSitePerProcess",
    "IsolateOrigins",
    "site-per-process",
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "Translate",
    // Chromium 156 makes two omnibox popups (WebUI pages: chrome://omnibox-popup.top-chrome) for
    // every context, each in a renderer of its own, though a headless browser shows no omnibox:
    // about 1.3 CPU-s a context, a sixth of Chromium's CPU in the whole run
    "WebUIOmniboxPopup",
    "WebUIOmniboxAimPopup",
    "WebUIOmniboxFullPopup",
  ].join(",")}`,
  // Neither optimising tier: TurboFan (--no-opt) nor Maglev, which V8 still ran without it,
  // compiling the explorer's, cytoscape's and axe-core's functions on a background thread (about a
  // sixth of Chromium's CPU in graph.test.ts and explorer.test.ts; 28 -> 24 CPU-s over those two
  // files in `npm run test:profile`). Code runs the same in the interpreter and Sparkplug.
  "--js-flags=--no-opt --no-maglev",
];

/** Start Chromium at `executablePath`; rejects with the reason when it cannot be started. */
export function launchChromium(executablePath: string = CHROMIUM): Promise<Browser> {
  // playwright gives every launch a fresh temporary profile (user-data-dir) of its own
  return chromium.launch({ executablePath, headless: true, args: LAUNCH_ARGS, timeout: 30_000 });
}

let shared: Promise<Browser> | undefined;

/**
 * The one Chromium of this process, started on first use: every browser test file that runs in
 * this test worker (vitest.config.ts runs files without isolation) opens its pages in it, the
 * files one after another in one page (`filesPage`; each file with a server of its own, so no
 * storage or cache shared with other files; see `Explorer.open`), instead of starting a
 * browser (about a second of CPU) per file. Playwright ends it when the process exits; scripts
 * that must exit call `closeSharedChromium()`.
 */
export function sharedChromium(): Promise<Browser> {
  shared ??= launchChromium().then(
    (browser) => {
      browser.once("disconnected", () => (shared = undefined));
      return browser;
    },
    (error: unknown) => {
      shared = undefined;
      throw error;
    },
  );
  return shared;
}

/** Closes the shared Chromium, if it was started. */
export async function closeSharedChromium(): Promise<void> {
  const browser = await shared?.catch(() => undefined);
  shared = undefined;
  await browser?.close();
}

/**
 * Why Chromium at `executablePath` cannot be started, or null when it starts. The usual browser
 * is tried by starting the shared one (which the tests then use); another is started and closed.
 */
export async function chromiumProblem(executablePath: string = CHROMIUM): Promise<string | null> {
  if (!existsSync(executablePath))
    return `${executablePath} is not installed (apt-get install chromium; .ci/run installs it when missing)`;
  try {
    if (executablePath === CHROMIUM) await sharedChromium();
    else await (await launchChromium(executablePath)).close();
    return null;
  } catch (error) {
    return `${executablePath} could not be started: ${String((error as Error).message ?? error).split("\n")[0]}`;
  }
}

/**
 * What a browser test file does when Chromium cannot be started: locally it skips its tests and
 * says why; under CI (`CI` set, as .ci/run does) it runs them, so they fail with the launch error
 * instead of passing the build with nothing tested.
 */
export function browserSuiteMode(
  problem: string | null,
  env: Record<string, string | undefined> = process.env,
): "run" | "skip" {
  if (!problem) return "run";
  const ci = env.CI;
  return ci && ci !== "0" && ci.toLowerCase() !== "false" ? "run" : "skip";
}

export const DESKTOP = { width: 1366, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface Explorer {
  server: TestServer;
  /** The shared Chromium (`sharedChromium`): close contexts you open in it, never the browser. */
  browser: Browser;
  /**
   * The explorer at `path`, loaded afresh (a new document: its own focus, scroll position and
   * state, the pointer over nothing) in the file's one page, which records console errors (the
   * page of this worker's files, `filesPage`: a file's server is of its own, so nothing of another
   * file's pages is cached for it). A test that needs a page of its own (a new context: no
   * history, HTTP cache or memory cache shared with the tests before it) asks for
   * `{ fresh: true }`; the file's first page is one already (nothing of this file's server is
   * cached in it, and its history holds only other files' pages), and becomes the file's page.
   *
   * A load costs Chromium about 0.4 CPU-s (a graph view about 1.0) and axe-core's script in the
   * new document 0.12 more: a test that is not about a first load (focus at the document's
   * start, an empty history, the HTTP status, a reload) reaches its view with `visit` instead.
   */
  open(
    path: string,
    viewport?: { width: number; height: number },
    options?: { fresh?: boolean },
  ): Promise<Page>;
  /** The server's answer to the document the last `open` loaded (its status: a 404 page's). */
  response: Response | null;
  /**
   * The explorer at `path`, reached inside the app as a link followed in it is (the router's
   * `navigate`: a new history entry, the scroll at the top, the focus on the view's heading, the
   * answers already fetched in this document kept), in the file's page, with the pointer taken
   * off the page, as `open` does. About a fifth
   * of a load's CPU. The page shows the new view (still loading) when this returns: the view left
   * is gone from it. When the page shows no explorer yet, or shows `path` already (a view shown
   * afresh must be loaded), or `path` is no view of the explorer's, it is loaded (`open`).
   */
  visit(path: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** The file's page (where `open` and `visit` show views), once one is open. */
  page(): Page | undefined;
  /** Console errors, page errors and failed requests seen on any page so far. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * The page of this process's files (one at a time: vitest runs one file at a time in a worker), in
 * a context of its own in the shared Chromium: each file's first `open` loads its view there
 * instead of making a context and page of its own (about 0.5 CPU-s of Chromium less per file,
 * measured with a view loaded in each: 0.73-0.79 CPU-s for a new context, 0.26-0.27 for a load in
 * this page). Every file has a server of its own (another port, so another origin): no file finds
 * the storage, the HTTP cache or the memory cache of another's pages. A file leaves it blank, its
 * history forgotten.
 */
interface FilesPage {
  page: Page;
  /** Where its console errors, page errors and failed requests go: the file's that holds it. */
  errors: string[] | undefined;
}
let filesPage: FilesPage | undefined;

/** A page in a context of its own, whose console errors, page errors and failed requests go to `errors()`. */
async function pageInContext(
  browser: Browser,
  viewport: { width: number; height: number },
  errors: () => string[] | undefined,
): Promise<Page> {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    reducedMotion: "reduce",
  });
  // axe-core is put into every document of the context's pages as it starts, by Chromium from the
  // copy it was given once (0.12 CPU-s a document), rather than sent and evaluated when the
  // document is first checked (0.22)
  await context.addInitScript({ content: axeScript() });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error")
      errors()?.push(`console error on ${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors()?.push(`page error on ${page.url()}: ${error.message}`));
  page.on("requestfailed", (request) => {
    const reason = request.failure()?.errorText ?? "?";
    // a request still in flight (often the favicon) when a test reloads or leaves the page is
    // cancelled by Chromium: not a failure of the explorer (which never cancels its own)
    if (reason === "net::ERR_ABORTED") return;
    errors()?.push(`request failed: ${request.url()} (${reason})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) errors()?.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  return page;
}

/** A server of its own, and pages in the shared Chromium (see `sharedChromium`). */
export async function startExplorer(): Promise<Explorer> {
  const server = await startServer();
  let browser: Browser;
  try {
    browser = await sharedChromium();
  } catch (error) {
    await server.close();
    throw error;
  }
  /** The contexts this file made (fresh pages), closed with it. */
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  /** The page `open` loads each view into (unless asked for a fresh one). */
  let reused: Page | undefined;

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const page = await pageInContext(browser, viewport, () => errors);
    contexts.push(page.context());
    return page;
  }

  /** The files' page (`filesPage`), held by this file from now on; a page of its own while another file holds it. */
  async function filesPageOrNew(viewport: { width: number; height: number }): Promise<Page> {
    if (filesPage && !filesPage.page.isClosed() && filesPage.page.context().browser() === browser) {
      if (filesPage.errors) return newPage(viewport);
      filesPage.errors = errors;
      await leave(filesPage.page, viewport);
      return filesPage.page;
    }
    const held: FilesPage = { page: undefined as unknown as Page, errors };
    held.page = await pageInContext(browser, viewport, () => held.errors);
    filesPage = held;
    return held.page;
  }

  /** Before the file's page shows another view. */
  async function leave(page: Page, viewport: { width: number; height: number }): Promise<void> {
    // what the tests before added to it (request counters) goes with them
    page.removeAllListeners("request");
    const size = page.viewportSize();
    if (size?.width !== viewport.width || size.height !== viewport.height)
      await page.setViewportSize(viewport);
    await leavePointer(page);
  }

  const explorer: Explorer = {
    server,
    browser,
    errors,
    response: null,
    async open(path, viewport = DESKTOP, { fresh = false } = {}) {
      let page: Page;
      if (!fresh && reused && !reused.isClosed()) {
        page = reused;
        await leave(page, viewport);
      } else if (!reused || reused.isClosed()) {
        // the file's first page, fresh for it whether asked or not: nothing of its server is in it
        page = await filesPageOrNew(viewport);
        reused = page;
      } else page = await newPage(viewport);
      explorer.response = await page.goto(`${server.url}${path}`);
      return page;
    },
    async visit(path, viewport = DESKTOP) {
      const page = reused;
      if (!page || page.isClosed() || sameAddress(page.url(), `${server.url}${path}`))
        return explorer.open(path, viewport);
      await leave(page, viewport);
      if (!(await page.evaluate(followLink, path))) return explorer.open(path, viewport);
      return page;
    },
    page: () => (reused && !reused.isClosed() ? reused : undefined),
    async close() {
      // the contexts this file made only: the browser is shared with the next file of this
      // worker, and so is the files' page, left blank (what the last view ran stops: GraphiQL
      // alone kept Chromium busy for about 0.7 CPU-s a second)
      for (const context of contexts) await context.close().catch(() => undefined);
      if (filesPage?.errors === errors) {
        const { page } = filesPage;
        page.removeAllListeners("request");
        await page.goto("about:blank").catch(() => undefined);
        // and its history forgotten (about:blank alone): Chromium keeps 50 entries at most, and a
        // history that stopped growing would hide an entry a view adds where it must not
        const cdp = await page.context().newCDPSession(page);
        await cdp.send("Page.resetNavigationHistory").finally(() => cdp.detach());
        filesPage.errors = undefined;
      }
      await server.close();
    },
  };
  return explorer;
}

/** Whether two addresses are the same view's (the router compares whole addresses). */
function sameAddress(a: string, b: string): boolean {
  return new URL(a).href === new URL(b).href;
}

/**
 * Runs in the page: follows a link to `path` as a reader's click does (the explorer's router takes
 * every same-origin click on the page's body: `interceptLinks` in web/src/router.ts), with a link
 * of its own outside the app's tree, removed at once. Resolves a frame later (the app has drawn
 * the new view by then: it renders on a microtask) to true, or to false when the app did not take
 * the click (no explorer on the page, or no view of its own for `path`), which is then cancelled.
 */
export function followLink(path: string): Promise<boolean> {
  // the part of the DOM used here (this file is compiled without the DOM's types)
  interface Link {
    href: string;
    click(): void;
    remove(): void;
  }
  interface Click {
    defaultPrevented: boolean;
    preventDefault(): void;
  }
  const window = globalThis as unknown as {
    document: { createElement(tag: "a"): Link; body: { append(link: Link): void } };
    addEventListener(type: "click", listener: (event: Click) => void, options: object): void;
    requestAnimationFrame(callback: () => void): void;
  };
  let taken = false;
  // after the body's listeners (the router's): did one take the click?
  window.addEventListener(
    "click",
    (event) => {
      taken = event.defaultPrevented;
      if (!taken) event.preventDefault();
    },
    { once: true },
  );
  const link = window.document.createElement("a");
  link.href = path;
  window.document.body.append(link);
  link.click();
  link.remove();
  return new Promise((resolve) => window.requestAnimationFrame(() => resolve(taken)));
}

/**
 * Takes the pointer off the page, as on a page just opened: a test that clicked or hovered left
 * it over some element, where the next view could show an element hovered (and act on it: a
 * quote previews under the pointer) once Chromium updates the hover state. (Chromium did not
 * carry the hover over a load in `tsx tests/web/browser-costs.ts`; this keeps it so.)
 */
async function leavePointer(page: Page): Promise<void> {
  await page.mouse.move(-1, -1);
}

/**
 * Resolves once `predicate` (the source of a function without arguments, run in the page) holds:
 * it is tried at once, after each change to the document (a MutationObserver) and, for what no
 * mutation shows, every 250 ms. Not every animation frame, as Playwright's `waitForFunction`
 * does: a frame requested only to poll is one Chromium renders (0.18 against 0.05 CPU-s in 3 s
 * on a page that does not change). A load that replaces the document while it waits (a reload)
 * starts the wait again in the new one. Bounded by the test's timeout, like every wait here.
 */
export async function inPage(page: Page, predicate: string): Promise<void> {
  const wait = `new Promise((resolve) => {
    const holds = ${predicate};
    const check = () => {
      if (!holds()) return;
      observer.disconnect();
      clearInterval(timer);
      resolve(true);
    };
    const observer = new MutationObserver(check);
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    const timer = setInterval(check, 250);
    check();
  })`;
  for (;;) {
    try {
      await page.evaluate(wait);
      return;
    } catch (error) {
      // the document it waited in is gone (a load): wait in the next one
      if (!/Execution context was destroyed|navigat/i.test(String(error))) throw error;
    }
  }
}

/** The graph view's canvas once it says its graph is drawn. */
export const READY_CANVAS = '.graph-canvas[data-state="ready"]';

/**
 * Wait until the graph view has drawn its graph: the canvas says so and holds the graph the page
 * exposes (after an in-app move from one graph to another, the canvas still says "ready" for a
 * moment after the old graph is gone and before the new one is drawn).
 */
export async function graphReady(page: Page): Promise<void> {
  await inPage(
    page,
    `() => {
      const canvas = document.querySelector(${JSON.stringify(READY_CANVAS)});
      return canvas != null && globalThis.explorerGraph?.container() === canvas;
    }`,
  );
}

/**
 * Runs in the page (`page.evaluate(recordLabelsWhenReady, READY_CANVAS)`), before it moves to
 * another graph in the app: at the first change of the DOM after which `graphReady` would hold
 * for a new graph, records how many of its nodes have a label drawn, as
 * `globalThis.labelledAtReady` (what a reader who saw "ready" at once would find).
 */
export function recordLabelsWhenReady(readyCanvas: string): void {
  interface Graph {
    container(): unknown;
    nodes(): { map<T>(f: (n: { style(name: string): string }) => T): T[] };
  }
  interface Observer {
    observe(target: unknown, options: object): void;
    disconnect(): void;
  }
  const page = globalThis as unknown as {
    explorerGraph?: Graph;
    labelledAtReady?: number;
    document: { body: unknown; querySelector(selector: string): unknown };
    MutationObserver: new (callback: () => void) => Observer;
  };
  const before = page.explorerGraph;
  delete page.labelledAtReady;
  const observer = new page.MutationObserver(() => {
    const canvas = page.document.querySelector(readyCanvas);
    const graph = page.explorerGraph;
    if (!canvas || !graph || graph === before || graph.container() !== canvas) return;
    page.labelledAtReady = graph
      .nodes()
      .map((n) => n.style("label"))
      .filter(Boolean).length;
    observer.disconnect();
  });
  observer.observe(page.document.body, { subtree: true, childList: true, attributes: true });
}

/** Where a node of the graph on screen is, in page coordinates. */
export async function nodePosition(page: Page, key: string): Promise<{ x: number; y: number }> {
  return page.evaluate((nodeKey) => {
    // the part of cytoscape's Core used here (this file is compiled without the DOM's types)
    interface GraphHandle {
      getElementById(id: string): {
        empty(): boolean;
        renderedPosition(): { x: number; y: number };
      };
      container(): { getBoundingClientRect(): { left: number; top: number } } | null;
    }
    const cy = (globalThis as { explorerGraph?: GraphHandle }).explorerGraph;
    if (!cy) throw new Error("no graph on screen");
    const node = cy.getElementById(nodeKey);
    if (node.empty()) throw new Error(`no node ${nodeKey} in the graph`);
    const box = cy.container()!.getBoundingClientRect();
    const at = node.renderedPosition();
    return { x: box.left + at.x, y: box.top + at.y };
  }, key);
}

/** An accessibility problem axe-core found: its rule, impact, and where (CSS selectors). */
export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

let axeSource: string | undefined;

/** axe-core's script (from npm). */
function axeScript(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  return axeSource;
}

/**
 * What axe-core's findings on a page depend on, as one string: the address, the viewport and
 * scroll position, the whole DOM (attributes, inline styles, `<details open>`, ARIA states), what
 * form fields hold (not in the DOM's attributes), and which element has the focus and which the
 * pointer (their styles can change a contrast). Two moments with the same string are the same
 * state for axe, so it is checked once.
 */
const RENDERED_STATE = `(() => {
  const doc = document;
  const where = (element) => {
    const steps = [];
    for (let e = element; e && e.parentElement; e = e.parentElement)
      steps.push(Array.prototype.indexOf.call(e.parentElement.children, e));
    return element ? steps.join("/") : "-";
  };
  const fields = Array.from(doc.querySelectorAll("input, select, textarea"), (f) =>
    [f.value, f.checked, f.indeterminate].join("|"));
  const focused = doc.activeElement;
  return JSON.stringify([
    location.href, innerWidth, innerHeight, scrollX, scrollY,
    where(focused), focused ? focused.matches(":focus-visible") : false,
    where(Array.from(doc.querySelectorAll(":hover")).pop()), fields,
    doc.documentElement.outerHTML,
  ]);
})()`;

/**
 * The explorer's views the browser tests check with axe-core, by the route that shows them (each
 * route of web/src/router.ts is here): each is checked on a desktop and on a phone screen, or
 * on one of them, by the test that brings it into that state (`accessibilityFindings(page, name)`;
 * docs/contributing.md lists which test checks which), not after every test on every page: a
 * check costs Chromium 0.1-0.3 CPU-s, and 79 of them were about 11 of the 60 CPU-s that
 * tests/web cost Chromium. tests/web/harness.test.ts fails when a name is checked by no file.
 */
export const ACCESSIBILITY_VIEWS = {
  home: ["home", "home, suggestions open"],
  search: [
    "search results by kind",
    "search results, data panel open",
    "search results with an “as of” and its source",
  ],
  entity: [
    "an office's page",
    "a person's page",
    "a person's page, data panel open",
    "a person's page, a quote marked in its source",
    "an event's page",
    "a state's page, a folded section opened",
    "a source's page",
    "an unknown entity, with suggestions",
  ],
  graph: [
    "graph, an entry of its list focused",
    "graph with a connection path",
    "graph, its filter panel open",
  ],
  timeline: ["timeline", "timeline, a date it cannot read"],
  offices: ["offices as of a date", "offices, a date it cannot read"],
  "not-found": ["not found"],
} as const satisfies Record<Route["view"], readonly string[]>;

export type AccessibilityView = (typeof ACCESSIBILITY_VIEWS)[Route["view"]][number];

/**
 * axe-core's serious and critical findings on `view` as the page shows it now (`axeViolations`),
 * one line each naming the view, the screen's width and where; [] when there is none.
 */
export async function accessibilityFindings(
  page: Page,
  view: AccessibilityView,
): Promise<string[]> {
  const width = page.viewportSize()?.width;
  return (await axeViolations(page)).map(
    (v) =>
      `${view} (${width} px wide, ${page.url()}): ${v.impact} ${v.id} (${v.help}) at ${v.targets.join(", ")}`,
  );
}

/** Findings by rendered state (a hash of RENDERED_STATE's string): axe runs once per state. */
const checkedStates = new Map<string, AxeViolation[]>();

/**
 * axe-core's run, in the page's document (put there as it starts, see `startExplorer`), with only the rules that can report
 * a serious or critical violation: a rule's impact is its own when it sets one, else the highest
 * of its failed checks' (axe's aggregateNodeResults), so a rule whose set impact and checks'
 * impacts are all minor or moderate can never report what these tests look for. Its findings,
 * serious and critical, are the same as a run of every rule filtered afterwards.
 */
const RUN_AXE = `(async () => {
  const severe = (impact) => !impact || impact === "serious" || impact === "critical";
  const rules = {};
  for (const rule of axe._audit.rules) {
    const checks = [...rule.any, ...rule.all, ...rule.none].map((c) => (typeof c === "string" ? c : c.id));
    const may = rule.impact
      ? severe(rule.impact)
      : checks.some((id) => severe(axe._audit.checks[id] && axe._audit.checks[id].impact));
    if (!may) rules[rule.id] = { enabled: false };
  }
  const result = await axe.run(document, { resultTypes: ["violations"], rules });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
})()`;

/**
 * The serious and critical accessibility violations axe-core (from npm, in the page, injected now
 * when the page has none yet: no network) finds on the page as it is now. A state already checked (the same rendered state,
 * RENDERED_STATE) is not checked again: its findings are remembered, in this process.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const state = createHash("sha256")
    .update(await page.evaluate<string>(RENDERED_STATE))
    .digest("base64");
  const known = checkedStates.get(state);
  if (known) return known;
  // (in the explorer's pages it is there from the document's start: `startExplorer`)
  if (!(await page.evaluate<boolean>("typeof axe === 'object'"))) await page.evaluate(axeScript());
  const found = await page.evaluate<AxeViolation[]>(RUN_AXE);
  checkedStates.set(state, found);
  return found;
}

/** Wait until the view has loaded: its heading is there, and no "Loading…" is left in it. */
export async function settled(page: Page): Promise<void> {
  await inPage(
    page,
    `() => document.querySelector("main h1") != null && !document.querySelector("main .status[role='status']")`,
  );
}

/**
 * Asserts that the page is no wider than its screen: no sideways scrolling (`label`, the page's
 * address unless given, names the page in a failure).
 */
export async function expectFitsWidth(page: Page, label: string = page.url()): Promise<void> {
  const widths = await page.evaluate(() => {
    const doc = (
      globalThis as unknown as {
        document: { documentElement: { scrollWidth: number; clientWidth: number } };
      }
    ).document;
    return { scroll: doc.documentElement.scrollWidth, client: doc.documentElement.clientWidth };
  });
  expect(widths.scroll, label).toBeLessThanOrEqual(widths.client);
}
