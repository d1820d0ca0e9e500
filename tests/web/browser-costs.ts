/**
 * What the browser tests' steps cost Chromium, in CPU-seconds: `tsx tests/web/browser-costs.ts
 * [rounds] [--args "--flag --flag"] [--opt]`. For choosing how tests/web/harness.ts opens pages
 * and checks them with axe-core, not a test: it prints figures (Chromium's CPU, from /proc).
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Page } from "playwright-core";
import { treeCpuSeconds } from "../support/process-cpu.js";
import { startServer } from "../support/server.js";
import { axeViolations, CHROMIUM, followLink, LAUNCH_ARGS, settled } from "./harness.js";

const argv = process.argv.slice(2);
const rounds = Number(argv.find((a) => /^\d+$/.test(a)) ?? 4);
const extraAt = argv.indexOf("--args");
const extra = extraAt >= 0 ? argv[extraAt + 1]!.split(/\s+/).filter(Boolean) : [];
const args = [
  ...LAUNCH_ARGS.filter((a) => !(argv.includes("--opt") && a.startsWith("--js-flags="))),
  ...extra,
];
const pathsAt = argv.indexOf("--paths");
const PATHS =
  pathsAt >= 0
    ? argv[pathsAt + 1]!.split(",")
    : ["/entity/state/kazakhstan", "/entity/person/gyorgy-szabo", "/timeline", "/search?q=OSCE"];

const browserCpu = () => treeCpuSeconds().browser;
async function measure(name: string, n: number, step: (i: number) => Promise<void>) {
  const before = browserCpu();
  const started = performance.now();
  for (let i = 0; i < n; i++) await step(i);
  // let Chromium finish what the steps started (a closed renderer's exit)
  await new Promise((resolve) => setTimeout(resolve, 500));
  const cpu = (browserCpu() - before) / n;
  const wall = (performance.now() - started) / n;
  console.log(
    `${name.padEnd(58)} ${cpu.toFixed(3)} CPU-s  ${(wall / 1000).toFixed(2)} wall s  (×${n})`,
  );
}

const server = await startServer();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args,
  timeout: 30_000,
});
console.log(`args: ${args.join(" ")}`);
const options = {
  viewport: { width: 1366, height: 800 },
  deviceScaleFactor: 1,
  reducedMotion: "reduce" as const,
};
const load = async (page: Page, i: number) => {
  await page.goto(`${server.url}${PATHS[i % PATHS.length]}`);
  await settled(page);
};
try {
  await measure("idle (nothing)", 1, async () => {});
  await measure("fresh context + page, load a view, close", rounds * 2, async (i) => {
    const context = await browser.newContext(options);
    await load(await context.newPage(), i);
    await context.close();
  });
  const shared = await browser.newContext(options);
  await measure("new page in one context, load a view, close", rounds * 2, async (i) => {
    const page = await shared.newPage();
    await load(page, i);
    await page.close();
  });
  const page = await shared.newPage();
  await load(page, 0);
  await measure("one page: goto another view", rounds * 2, (i) => load(page, i + 1));
  // what `Explorer.visit` does: a link followed in the app (same document, axe stays injected)
  await measure("one page: another view reached in the app", rounds * 2, async (i) => {
    const path = PATHS[(i + 1) % PATHS.length]!;
    if (!(await page.evaluate(followLink, path)))
      throw new Error(`not followed in the app: ${path}`);
    await settled(page);
  });
  await page.goto(`${server.url}/entity/state/kazakhstan`);
  await settled(page);
  const axeSource = readFileSync(
    createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
    "utf8",
  );
  await measure("inject axe only", rounds, async () => {
    await page.evaluate(axeSource);
  });
  const run = (_: boolean) =>
    page.evaluate(
      `axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.length)`,
    );
  await measure("axe.run, every rule (axe injected)", rounds, async () => {
    await run(false);
  });
  let n = 0;
  await measure("axeViolations on a new state (a comment added)", rounds, async () => {
    await page.evaluate(`document.body.append(document.createComment("${n++}"))`);
    await axeViolations(page);
  });
  await measure("injected axe and every rule, as before", rounds, async () => {
    await page.evaluate(axeSource);
    await run(false);
  });
  await axeViolations(page);
  await measure("axeViolations again on the same state (remembered)", rounds, async () => {
    await axeViolations(page);
  });
  // does a view loaded into a page whose pointer was left over an element show it hovered?
  const hovered = () =>
    page.evaluate(() =>
      Array.from(
        document.querySelectorAll(":hover"),
        (e) => e.tagName + (e.className ? `.${e.className}` : ""),
      ).join(" > "),
    );
  const summit = `${server.url}/entity/event/2010-12-astana-osce-summit`;
  for (const leave of [undefined, [-1, -1], [0, 0]] as const) {
    await page.goto(summit);
    await settled(page);
    await page.locator("button.quote").first().hover();
    const before = await hovered();
    if (leave) await page.mouse.move(leave[0], leave[1]);
    await page.goto(summit);
    await settled(page);
    await page.waitForTimeout(300);
    console.log(
      `pointer left at ${leave ?? "the quote"}: hovered before ${before}; after goto: ${await hovered()}; marks ${await page.locator("mark").count()}`,
    );
  }
} finally {
  await browser.close();
  await server.close();
}
