/**
 * How tall entity pages are, on a desktop and a phone screen: `tsx tests/web/page-heights.ts
 * [webDir] [path…]` prints each page's height in CSS pixels (the explorer built in webDir,
 * web/dist by default). For comparing layouts before and after a change, not a test.
 */

import { startServer } from "../support/server.js";
import { launchChromium } from "./harness.js";

const [webDir, ...asked] = process.argv.slice(2);
const paths = asked.length
  ? asked
  : [
      "/entity/state/kazakhstan",
      "/entity/office/osce-field-office-kazakhstan",
      "/entity/person/gyorgy-szabo",
      "/entity/event/2010-12-astana-osce-summit",
    ];
const server = await startServer(undefined, webDir ? { webDir } : {});
const browser = await launchChromium();
try {
  for (const [name, viewport] of [
    ["desktop 1366×800", { width: 1366, height: 800 }],
    ["phone 390×844", { width: 390, height: 844 }],
  ] as const) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    for (const path of paths) {
      await page.goto(`${server.url}${path}`);
      await page.locator("h1#entity-title").waitFor();
      await page.waitForFunction(
        () =>
          !(
            globalThis as unknown as { document: { querySelector(s: string): unknown } }
          ).document.querySelector("main .status[role='status']"),
      );
      const height = await page.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } })
            .document.documentElement.scrollHeight,
      );
      console.log(`${name}\t${height} px\t${path}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
