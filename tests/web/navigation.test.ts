/**
 * Getting around the explorer in Chromium: its own not-found pages (and the HTTP 404 behind them;
 * an unknown entity's offers what the API suggested, the NOT_FOUND error's
 * `extensions.suggestions`, as links named after the entities), plain words for input it cannot
 * read, the skip link, and the scroll position on Back; the not-found pages and the date errors
 * checked with axe-core (serious and critical: none). When Chromium cannot be started these tests
 * are skipped with the reason, except under CI, where they fail (see suite.ts).
 */
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import {
  type AccessibilityView,
  accessibilityFindings,
  DESKTOP,
  type Explorer,
  PHONE,
  settled,
} from "./harness.js";
import { describeInChromium, shareExplorer } from "./suite.js";

await describeInChromium("getting around the explorer in Chromium", () => {
  let explorer: Explorer;
  /** Errors a test expects (the 404 of a page it opens on purpose), removed before the check. */
  let expected: RegExp[] = [];
  shareExplorer((started) => (explorer = started), {
    // (each test's own: taken, and so forgotten, after it)
    expectedErrors: () => expected.splice(0),
  });

  const heading = (page: Page) => page.getByRole("heading", { level: 1 });
  const activeId = (page: Page) =>
    page.evaluate(
      () =>
        (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document
          .activeElement?.id ?? "",
    );
  const scrollY = (page: Page) =>
    page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY);

  // each on a desktop screen, and checked with axe-core on a phone's too, on the same page made
  // narrower: the status, the page and the ways on are the same whatever the screen (a second
  // load, or the whole walk again, cost Chromium 0.6-0.7 CPU-s a test)
  const onPhoneToo = async (page: Page, view: AccessibilityView) => {
    await page.setViewportSize(PHONE);
    expect(await accessibilityFindings(page, view)).toEqual([]);
    await page.setViewportSize(DESKTOP);
  };

  it("shows its own not-found page, answered 404, for a path it has no view for", async () => {
    expected = [/no-such-page/];
    const page = await explorer.open("/no-such-page");
    expect(explorer.response?.status()).toBe(404);
    await expect.poll(() => heading(page).textContent()).toBe("Nothing here");
    expect(await page.locator("main").innerText()).toContain("/no-such-page");
    // no raw JSON, and the ways on are links
    expect(await page.locator("body").innerText()).not.toContain('"errors"');
    expect(await accessibilityFindings(page, "not found")).toEqual([]);
    await onPhoneToo(page, "not found");
    await page.getByRole("link", { name: "Start from the home page" }).click();
    await expect.poll(() => heading(page).textContent()).toBe("Kazakhstan and the OSCE");
  });

  it("answers an unknown entity with 404 and a friendly page that offers the entity the API suggests, by name, and a search", async () => {
    // (a near-miss key: the page offers both ways on, and each is followed, in one document)
    expected = [/gyorgy-szabov/];
    // the API itself suggests this key for the slug: the page must show what it said
    const api = await fetch(explorer.server.graphql, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: '{ person(key: "gyorgy-szabov") { name } }' }),
    });
    const answer = (await api.json()) as { errors: { extensions: { suggestions?: string[] } }[] };
    expect(answer.errors[0]!.extensions.suggestions).toContain("person/gyorgy-szabo");

    const page = await explorer.open("/entity/person/gyorgy-szabov");
    expect(explorer.response?.status()).toBe(404);
    await expect.poll(() => heading(page).textContent()).toBe("No such person");
    const suggestions = page.getByRole("region", { name: "Did you mean" });
    const link = suggestions.getByRole("link", { name: "György Szabó" });
    await expect.poll(() => link.count()).toBe(1);
    expect(await link.getAttribute("href")).toBe("/entity/person/gyorgy-szabo");
    expect(await suggestions.innerText()).toContain("person/gyorgy-szabo");
    // the search and the home page are still offered beside it
    const search = page.getByRole("link", { name: "Search for “gyorgy szabov”" });
    expect(await search.count()).toBe(1);
    expect(await accessibilityFindings(page, "an unknown entity, with suggestions")).toEqual([]);
    await onPhoneToo(page, "an unknown entity, with suggestions");

    // the search it offers finds the entity
    await search.click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/search");
    await expect
      .poll(() => page.locator("ol.results").getByRole("link", { name: "György Szabó" }).count())
      .toBeGreaterThan(0);
    // and, back on the not-found page, the suggestion's link leads to the entity's page
    await page.goBack();
    await expect.poll(() => link.count()).toBe(1);
    await link.click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/entity/person/gyorgy-szabo");
    await expect.poll(() => heading(page).textContent()).toBe("György Szabó");
    expect(await page.locator(".entity-header code.key").textContent()).toBe("person/gyorgy-szabo");
  });

  it("says in plain words that a date it cannot read is not a date, with the API's text only as a detail", async () => {
    const page = await explorer.visit("/offices?asOf=banana");
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.count()).toBe(1);
    const text = await alert.innerText();
    expect(text).toContain("“banana” is not a date the explorer can read");
    expect(text).toContain("2016-03-01");
    // the API's own wording is folded away under "What the server said"
    expect(
      await alert.locator("details").evaluate((d) => (d as unknown as { open: boolean }).open),
    ).toBe(false);
    expect(await page.getByText("EDTF", { exact: false }).isVisible()).toBe(false);
    expect(await accessibilityFindings(page, "offices, a date it cannot read")).toEqual([]);
    await alert.getByRole("link", { name: "show every tenure without a date" }).click();
    await expect.poll(() => new URL(page.url()).search).toBe("");
    await expect.poll(() => page.getByRole("alert").count()).toBe(0);

    const timeline = await explorer.visit("/timeline?from=2010&to=banana", PHONE);
    await expect.poll(() => timeline.getByRole("alert").count()).toBe(1);
    expect(await timeline.getByRole("alert").innerText()).toContain(
      "“banana” (To) is not a date the explorer can read",
    );
    expect(await accessibilityFindings(timeline, "timeline, a date it cannot read")).toEqual([]);
  });

  // on one screen, reached in the app: the explorer keeps the scroll position in the history
  // entry, whatever the screen and however the entry was made (a phone's run, and a load,
  // cost Chromium about 1.1 and 0.3 CPU-s more)
  it("restores the scroll position on Back", async () => {
    const page = await explorer.visit("/entity/state/kazakhstan");
    await settled(page);
    // scroll to a link far down the page, and follow it
    const link = page.locator('main section a[href^="/entity/"]:visible').last();
    await link.scrollIntoViewIfNeeded();
    await page.evaluate(() =>
      (globalThis as unknown as { scrollBy(x: number, y: number): void }).scrollBy(0, 7),
    );
    const left = await scrollY(page);
    expect(left).toBeGreaterThan(500);
    await link.click();
    await expect.poll(() => new URL(page.url()).pathname).not.toBe("/entity/state/kazakhstan");
    await settled(page);
    expect(await scrollY(page)).toBe(0);
    await page.goBack();
    await expect.poll(() => heading(page).textContent()).toBe("Kazakhstan");
    await expect.poll(() => scrollY(page)).toBe(left);
    // and Forward starts the next page at its top again
    await page.goForward();
    await expect.poll(() => heading(page).textContent()).not.toBe("Kazakhstan");
    await expect.poll(() => scrollY(page)).toBe(0);
  });

  it("moves the keyboard focus to the content with the skip link, without a new history entry", async () => {
    // a load: the first Tab of a new document reaches the skip link
    const page = await explorer.open("/entity/state/kazakhstan");
    await settled(page);
    const before = await page.evaluate(
      () => (globalThis as unknown as { history: { length: number } }).history.length,
    );
    await page.keyboard.press("Tab");
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { textContent: string } } })
            .document.activeElement.textContent,
      ),
    ).toBe("Skip to content");
    await page.keyboard.press("Enter");
    await expect.poll(() => activeId(page)).toBe("main");
    expect(new URL(page.url()).pathname).toBe("/entity/state/kazakhstan");
    expect(await heading(page).textContent()).toBe("Kazakhstan");
    expect(
      await page.evaluate(
        () => (globalThis as unknown as { history: { length: number } }).history.length,
      ),
    ).toBe(before);
    // the next Tab goes into the content, past the header's links and search box
    await page.keyboard.press("Tab");
    const inMain = await page.evaluate(() => {
      const doc = (
        globalThis as unknown as {
          document: { activeElement: { closest(s: string): unknown } | null };
        }
      ).document;
      return !!doc.activeElement?.closest("main");
    });
    expect(inMain).toBe(true);
  });
});
