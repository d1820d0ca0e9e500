/**
 * `npm run screenshots`: the README's pictures of each view, taken with the browser tests' own
 * harness (a real server, Debian's Chromium) and saved under web/screenshots/.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { staleReason, buildWeb } from "../../web/build.js";
import { chromiumMissing, DESKTOP, graphReady, PHONE, startExplorer } from "./harness.js";

const OUT = fileURLToPath(new URL("../../web/screenshots/", import.meta.url));

async function settled(page: Page): Promise<void> {
  await page.locator("h1").first().waitFor();
  await page.waitForFunction(() => !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector('[role="status"].status'));
}

async function main(): Promise<void> {
  if (chromiumMissing) {
    console.error(`npm run screenshots: cannot take screenshots: ${chromiumMissing}`);
    process.exit(1);
  }
  if (staleReason()) await buildWeb();
  mkdirSync(OUT, { recursive: true });
  const explorer = await startExplorer();
  const shots: { file: string; path: string; viewport?: typeof DESKTOP; prepare?: (page: Page) => Promise<void> }[] = [
    { file: "home.png", path: "/" },
    { file: "search.png", path: "/search?q=Sabo" },
    {
      file: "entity.png",
      path: "/entity/person/gyorgy-szabo?source=source%2Fkazakhstan-osce-cooperation&at=1424&length=108",
      prepare: async (page) => {
        await page.locator("mark").waitFor();
      },
    },
    {
      file: "source.png",
      path: "/entity/source/kazakhstan-osce-cooperation?source=source%2Fkazakhstan-osce-cooperation&at=596&length=39",
      prepare: async (page) => {
        await page.locator("mark").waitFor();
      },
    },
    { file: "graph.png", path: "/entity/office/osce-field-office-kazakhstan/graph", prepare: graphReady },
    { file: "phone.png", path: "/entity/person/gyorgy-szabo", viewport: PHONE },
  ];
  try {
    for (const shot of shots) {
      const page = await explorer.open(shot.path, shot.viewport ?? DESKTOP);
      await settled(page);
      await shot.prepare?.(page);
      await page.screenshot({ path: `${OUT}${shot.file}` });
      console.log(`web/screenshots/${shot.file}  ${shot.path}`);
    }
    if (explorer.errors.length) throw new Error(`errors in the browser:\n${explorer.errors.join("\n")}`);
  } finally {
    await explorer.close();
  }
}

main().catch((error: unknown) => {
  console.error("npm run screenshots failed:", error);
  process.exit(1);
});
