/**
 * The web explorer end to end, in Debian's Chromium (headless, driven by playwright-core) against
 * a real server. When Chromium cannot be started these tests are
 * reported as skipped with the reason, except under CI, where they fail (see suite.ts).
 */
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import {
  accessibilityFindings,
  type Explorer,
  graphReady,
  nodePosition,
  settled,
} from "./harness.js";
import { describeInChromium, shareExplorer } from "./suite.js";

await describeInChromium("the web explorer in Chromium", () => {
  let explorer: Explorer;
  shareExplorer((started) => (explorer = started));

  const heading = (page: Page) => page.getByRole("heading", { level: 1 });
  const address = (url: URL) => url.pathname + url.search;
  const path = (page: Page) => address(new URL(page.url()));
  /** Waits for the navigation (history.pushState included) that brings the page to `expected`: on the event, not by polling. */
  const reaches = (page: Page, expected: string | RegExp) =>
    page.waitForURL((url) =>
      typeof expected === "string" ? address(url) === expected : expected.test(address(url)),
    );

  it("finds György Szabó by searching “Sabo” and shows his tenure as head of the Programme Office", async () => {
    const page = await explorer.open("/");
    await page.getByLabel("Search the graph").fill("Sabo");
    await page.keyboard.press("Enter");
    await reaches(page, "/search?q=Sabo");
    const hit = page.getByRole("list").getByRole("link", { name: "György Szabó" });
    await hit.click();

    await reaches(page, "/entity/person/gyorgy-szabo");
    await expect.poll(() => heading(page).textContent()).toBe("György Szabó");
    const tenures = page.getByRole("region", { name: /Posts held/ });
    const tenure = tenures.getByRole("listitem").filter({
      has: page.getByRole("link", { name: "Head of the OSCE Programme Office in Astana" }),
    });
    await expect.poll(() => tenure.count()).toBe(1);
    const text = await tenure.innerText();
    expect(text).toContain("of OSCE Programme Office in Astana");
    expect(text).toContain("Since February 9, 2016");
    expect(text).toContain("2016-02-09/..");
    expect(text).toContain("still so at the source's last update");
    // the source's own spelling is among his names, with its quote
    const names = await page.getByRole("region", { name: "Names and spellings" }).innerText();
    expect(names).toContain("Gyorgy Sabo");
    expect(names).toContain("document spelling");
  });

  it("previews a quote in the source while the pointer is on it", async () => {
    const page = await explorer.visit("/entity/event/2010-12-astana-osce-summit");
    await expect.poll(() => heading(page).textContent()).toBe("Astana OSCE Summit");
    const panel = page.getByRole("complementary", { name: "In the source" });
    expect(await panel.locator("mark").count()).toBe(0);
    const quote = page.locator("button.quote").first();
    await quote.hover();
    const expected = ((await quote.textContent()) ?? "").replace(/^“|”$/g, "");
    await expect.poll(() => panel.locator("mark").textContent()).toBe(expected);
  });

  it("marks a quote in the source text when it is selected, and keeps it marked after a reload", async () => {
    const page = await explorer.visit("/entity/person/gyorgy-szabo");
    const quote =
      "The OSCE Programmme Office in Astana is headed by Hungarian Ambassador Gyorgy Sabo.";
    const button = page.getByRole("button", { name: `“${quote}”` }).first();
    await button.click();
    const panel = page.getByRole("complementary", { name: "In the source" });
    await expect.poll(() => panel.locator("mark").textContent()).toBe(quote);
    expect(await button.getAttribute("aria-pressed")).toBe("true");
    expect(new URL(page.url()).searchParams.get("source")).toBe(
      "source/kazakhstan-osce-cooperation",
    );

    await page.reload();
    await expect.poll(() => panel.locator("mark").textContent()).toBe(quote);
    // the text around the mark is the source's own: the quote sits where its offset says
    const marked = await panel.locator(".source-text").evaluate((pre) => {
      const mark = pre.querySelector("mark")!;
      return {
        before: (pre.textContent ?? "").indexOf(mark.textContent ?? ""),
        at: Number(new URL(location.href).searchParams.get("at")),
      };
    });
    expect(marked.before).toBe(marked.at);
    expect(
      await accessibilityFindings(page, "a person's page, a quote marked in its source"),
    ).toEqual([]);
  });

  it("expands a clicked node in place, and moves to its graph from its details, and back with the browser", async () => {
    const page = await explorer.visit("/entity/person/gyorgy-szabo/graph");
    await graphReady(page);
    const count = () =>
      page.evaluate(
        () =>
          (globalThis as { explorerGraph?: { nodes(): { length: number } } }).explorerGraph!.nodes()
            .length,
      );
    const before = await count();
    const office = await nodePosition(page, "office/osce-field-office-kazakhstan");
    await page.mouse.click(office.x, office.y);
    // the graph stays György Szabó's; the office's own links join it around the office
    await expect.poll(count).toBeGreaterThan(before);
    expect(path(page)).toBe("/entity/person/gyorgy-szabo/graph");
    expect(await heading(page).textContent()).toBe("György Szabó");
    const details = page.getByRole("region", { name: "Details" });
    await expect.poll(() => details.innerText()).toContain("OSCE Programme Office in Astana");
    await details.getByRole("link", { name: "Centre the graph on it" }).click();
    await reaches(page, "/entity/office/osce-field-office-kazakhstan/graph");
    await graphReady(page);
    await expect.poll(() => heading(page).textContent()).toBe("OSCE Programme Office in Astana");
    await page.goBack();
    await expect.poll(() => heading(page).textContent()).toBe("György Szabó");
    // the same links are listed for the keyboard
    const list = page.getByRole("region", { name: /Linked entities/ });
    expect(await list.getByRole("link", { name: "Hungary", exact: true }).count()).toBe(1);
  });

  it("opens a page for every kind of entity from the home page's lists", async () => {
    const page = await explorer.visit("/");
    const sections = page.locator(".browse section");
    await expect.poll(() => sections.count()).toBe(10);
    expect(await accessibilityFindings(page, "home")).toEqual([]);
    const firsts = await sections.evaluateAll((all) =>
      all.map((s) =>
        (s.querySelector("a") as { getAttribute(n: string): string | null } | null)?.getAttribute(
          "href",
        ),
      ),
    );
    for (const [i, href] of firsts.entries()) {
      expect(href).toMatch(/^\/entity\/[a-z]+\/[^/]+$/);
      if (i > 0) {
        // back to the lists, shown again
        await page.goBack();
        await expect.poll(() => sections.count(), { message: href! }).toBe(10);
      }
      await sections.nth(i).locator("a").first().click();
      await reaches(page, href!);
      // the page shown is this entity's (its key under the title), not the one before
      await expect
        .poll(() => page.locator(".entity-header code.key").textContent(), { message: href! })
        .toBe(decodeURIComponent(href!.slice("/entity/".length)));
      expect(await page.locator("h1#entity-title").count(), href!).toBe(1);
      expect(await page.getByRole("alert").allInnerTexts(), href!).toEqual([]);
      // every page says why the graph holds the entity, with a quote (or a reference to it higher on the page) or an editorial note
      const why = page.getByRole("region", { name: /Why the graph holds/ });
      expect(
        await why.locator("button.quote, .quote-ref, .editorial").count(),
        href!,
      ).toBeGreaterThan(0);
      if (href!.startsWith("/entity/source/")) {
        await settled(page);
        expect(await accessibilityFindings(page, "a source's page")).toEqual([]);
      }
    }
  });

  it("can be used with the keyboard alone: search, pick a result, reach its page", async () => {
    // reached in the app, not loaded: the first Tab of a new document (the skip link, in every
    // view's shell) is navigation.test.ts's, and a load costs Chromium about 0.5 CPU-s more
    const page = await explorer.visit("/");
    await page.getByLabel("Search the graph").focus();
    // (the box keeps what an earlier search put in it: replaced, as a reader would)
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("odihr");
    await page.keyboard.press("Enter");
    const results = page.locator("ol.results");
    await expect
      .poll(() => results.getByRole("link").first().textContent())
      .toContain("Office for Democratic Institutions");
    // focus moved to the results' heading: the filter by kind comes next, then the first result.
    // The filter is shown once its counts have come (a query of its own, which may come after the
    // results): counted before, it was 0 links, and the Tab that was to reach the first result
    // reached the filter (seen once at load 11)
    const kinds = page.getByRole("navigation", { name: "Show only one kind" }).getByRole("link");
    await expect.poll(() => kinds.count()).toBeGreaterThan(0);
    const filters = await kinds.count();
    for (let i = 0; i <= filters; i++) await page.keyboard.press("Tab");
    expect(
      await page.evaluate(
        () =>
          (
            globalThis as unknown as {
              document: { activeElement: { closest(s: string): unknown } | null };
            }
          ).document.activeElement?.closest("ol.results") != null,
      ),
    ).toBe(true);
    await page.keyboard.press("Enter");
    await reaches(page, /^\/entity\/office\//);
    await expect
      .poll(() => heading(page).textContent())
      .toContain("Office for Democratic Institutions");
  });
});
