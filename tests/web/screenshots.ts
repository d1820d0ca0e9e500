/**
 * `npm run screenshots`: the pictures of each view in README.md and docs/explorer.md, taken with the browser tests' own
 * harness (a real server, Debian's Chromium) and saved under web/screenshots/.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { buildWeb, staleReason } from "../../web/build.js";
import {
  chromiumMissing,
  closeSharedChromium,
  DESKTOP,
  graphReady,
  PHONE,
  startExplorer,
} from "./harness.js";

const OUT = fileURLToPath(new URL("../../web/screenshots/", import.meta.url));

async function settled(page: Page): Promise<void> {
  await page.locator("h1").first().waitFor();
  await page.waitForFunction(
    () =>
      !(
        globalThis as unknown as { document: { querySelector(s: string): unknown } }
      ).document.querySelector('[role="status"].status'),
  );
}

async function timelineReady(page: Page): Promise<void> {
  await page.locator(".timeline-list .track").first().waitFor();
}

async function officesReady(page: Page): Promise<void> {
  await page.locator(".office-block .track").first().waitFor();
}

async function main(): Promise<void> {
  if (chromiumMissing) {
    console.error(`npm run screenshots: cannot take screenshots: ${chromiumMissing}`);
    process.exit(1);
  }
  if (staleReason()) await buildWeb();
  mkdirSync(OUT, { recursive: true });
  const explorer = await startExplorer();
  const shots: {
    file: string;
    path: string;
    viewport?: typeof DESKTOP;
    prepare?: (page: Page) => Promise<void>;
  }[] = [
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
    {
      file: "graph.png",
      path: "/entity/office/osce-field-office-kazakhstan/graph",
      prepare: graphReady,
    },
    // suggestions while typing, with kind, description and dates
    {
      file: "suggestions.png",
      path: "/",
      prepare: async (page) => {
        await page.getByRole("combobox", { name: "Search the graph" }).fill("astana");
        await page
          .getByRole("listbox", { name: "Suggestions" })
          .getByRole("option")
          .first()
          .waitFor();
        await page.keyboard.press("ArrowDown");
      },
    },
    // Kazakhstan's page: the summary on top, each quote once, long sections folded
    { file: "entity-glance.png", path: "/entity/state/kazakhstan" },
    // how György Szabó is connected to the Astana Summit, drawn in the graph
    {
      file: "graph-path.png",
      path: "/entity/person/gyorgy-szabo/graph?to=event%2F2010-12-astana-osce-summit",
      viewport: { width: 1366, height: 1300 },
      prepare: async (page) => {
        await graphReady(page);
        await page.locator(".path-hops > li").first().waitFor();
      },
    },
    // a crowded neighbourhood on a phone: names show for the node in focus and its neighbours
    {
      file: "graph-phone.png",
      path: "/entity/state/kazakhstan/graph",
      viewport: PHONE,
      prepare: async (page) => {
        await graphReady(page);
        await page
          .getByRole("region", { name: /Linked entities/ })
          .getByRole("link", { name: "Astana", exact: true })
          .focus();
        await page.locator(".graph-canvas").scrollIntoViewIfNeeded();
      },
    },
    { file: "phone.png", path: "/entity/person/gyorgy-szabo", viewport: PHONE },
    // the events of 2010: a year across the axis, two-day events at their days
    {
      file: "timeline.png",
      path: "/timeline?from=2010&to=2010&kind=EVENT",
      prepare: timelineReady,
    },
    // from 2011 on: months, days, an unknown start, an unknown end, open ends fading out
    {
      file: "timeline-ends.png",
      path: "/timeline?from=2011",
      viewport: { width: 1366, height: 1860 },
      prepare: timelineReady,
    },
    {
      file: "offices.png",
      path: "/offices?asOf=2016-03-01",
      viewport: { width: 1366, height: 1900 },
      prepare: officesReady,
    },
    {
      file: "offices-phone.png",
      path: "/offices?asOf=2005-01-01",
      viewport: PHONE,
      prepare: async (page) => {
        await officesReady(page);
        // the Programme Office's block, just under the sticky time axis
        await page.evaluate(() => {
          const doc = (
            globalThis as unknown as {
              document: {
                querySelector(s: string): { getBoundingClientRect(): { top: number } } | null;
              };
            }
          ).document;
          const block = doc.querySelector('[data-key="office/osce-field-office-kazakhstan"]');
          const axis = doc.querySelector(".axis-row");
          if (block && axis)
            (globalThis as unknown as { scrollBy(x: number, y: number): void }).scrollBy(
              0,
              block.getBoundingClientRect().top - 60,
            );
        });
      },
    },
  ];
  try {
    for (const shot of shots) {
      const page = await explorer.open(shot.path, shot.viewport ?? DESKTOP, { fresh: true });
      await settled(page);
      await shot.prepare?.(page);
      await page.screenshot({ path: `${OUT}${shot.file}` });
      console.log(`web/screenshots/${shot.file}  ${shot.path}`);
    }
    if (explorer.errors.length)
      throw new Error(`errors in the browser:\n${explorer.errors.join("\n")}`);
  } finally {
    await explorer.close();
    await closeSharedChromium();
  }
}

main().catch((error: unknown) => {
  console.error("npm run screenshots failed:", error);
  process.exit(1);
});
