/**
 * Entity pages at a glance, in Chromium: the key facts on top, each quote shown once, long
 * sections folded, and links both ways (an event links to the meeting that decided it); on a
 * desktop and a phone screen, each no wider than the screen, checked with axe-core. When Chromium cannot be started these tests
 * are skipped with the reason, except under CI, where they fail (see suite.ts).
 */
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import {
  accessibilityFindings,
  DESKTOP,
  type Explorer,
  expectFitsWidth,
  PHONE,
  settled,
} from "./harness.js";
import { describeInChromium, shareExplorer } from "./suite.js";

await describeInChromium("entity pages at a glance in Chromium", () => {
  let explorer: Explorer;
  shareExplorer((started) => (explorer = started));

  const glance = (page: Page) => page.getByRole("region", { name: "At a glance" });
  /** The summary's lines, as label → text. */
  const glanceLines = (page: Page) =>
    glance(page)
      .locator("dl > div")
      .evaluateAll((rows) =>
        Object.fromEntries(
          rows.map((r) => [
            r.querySelector("dt")!.textContent,
            (r.querySelector("dd") as unknown as { innerText: string }).innerText,
          ]),
        ),
      );

  it("links an event back to the meeting that decided it, and that meeting to the event", async () => {
    const page = await explorer.visit("/entity/event/2010-12-astana-osce-summit");
    await settled(page);
    const partOf = page.getByRole("region", { name: /Part of these events/ });
    const almaty = partOf.getByRole("link", {
      name: "Informal OSCE Ministerial Council in Almaty",
    });
    expect(await almaty.count()).toBe(1);
    expect(
      await glance(page)
        .getByRole("link", { name: "Informal OSCE Ministerial Council in Almaty" })
        .count(),
    ).toBe(1);
    await almaty.click();
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toBe("Informal OSCE Ministerial Council in Almaty");
    await settled(page);
    expect(
      await page
        .getByRole("region", { name: /Participants/ })
        .getByRole("link", { name: "Astana OSCE Summit" })
        .count(),
    ).toBe(1);
  });

  // each view on a desktop and a phone screen, one entity after another, each reached in the app
  for (const [name, viewport] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    it(`sums up an office, a person and an event at the top of their pages (${name})`, async () => {
      const office = await explorer.visit("/entity/office/osce-field-office-kazakhstan", viewport);
      await settled(office);
      const lines = await glanceLines(office);
      expect(lines["Headed by"]).toContain("György Szabó");
      expect(lines["Headed by"]).toContain("Head of the OSCE Programme Office in Astana");
      expect(lines["Seat"]).toContain("Astana");
      // the summary comes before everything else on the page
      const order = await office.locator("article.entity h2").allInnerTexts();
      expect(order[0]).toBe("At a glance");
      expect(await accessibilityFindings(office, "an office's page")).toEqual([]);
      await expectFitsWidth(office);
      await glance(office).getByRole("link", { name: "György Szabó" }).click();
      await expect
        .poll(() => glanceLines(office).then((l) => l["Post"] ?? l["Posts"] ?? ""))
        .toContain("Head of the OSCE Programme Office in Astana");
      await settled(office);
      expect(await accessibilityFindings(office, "a person's page")).toEqual([]);
      await expectFitsWidth(office);

      const event = await explorer.visit("/entity/event/2010-12-astana-osce-summit", viewport);
      await settled(event);
      const said = await glanceLines(event);
      expect(said["When"]).toContain("December 1-2, 2010");
      expect(said["Where"]).toContain("Astana");
      expect(await accessibilityFindings(event, "an event's page")).toEqual([]);
      await expectFitsWidth(event);
    });

    it(`shows each quote of Kazakhstan's page once, refers to it elsewhere, and folds long sections (${name})`, async () => {
      const page = await explorer.visit("/entity/state/kazakhstan", viewport);
      await settled(page);
      // (textContent: a quote in a folded section is there, only not shown)
      const quotes = await page
        .locator("button.quote")
        .evaluateAll((all) => all.map((b) => b.textContent ?? ""));
      expect(quotes.length).toBeGreaterThan(5);
      expect(new Set(quotes).size).toBe(quotes.length);
      // a repeat is a link to the first showing, which takes the focus (and previews the quote)
      const refs = page.locator(".quote-ref a");
      expect(await refs.count()).toBeGreaterThan(0);
      const ref = refs.first();
      const target = (await ref.getAttribute("href"))!;
      await ref.click();
      await expect
        .poll(() =>
          page.evaluate(
            () =>
              (globalThis as unknown as { document: { activeElement: { id: string } | null } })
                .document.activeElement?.id,
          ),
        )
        .toBe(target.slice(1));
      expect(new URL(page.url()).hash).toBe("");

      // a long section is folded under its heading, and opens with the keyboard
      const priorities = page.getByRole("region", { name: /^Priorities \(\d+\)$/ });
      const links = priorities.getByRole("link");
      expect(await links.count()).toBe(0); // folded: its links are not shown
      await priorities.locator("summary").focus();
      await page.keyboard.press("Enter");
      await expect.poll(() => links.count()).toBeGreaterThan(5);
      expect(await accessibilityFindings(page, "a state's page, a folded section opened")).toEqual(
        [],
      );
      await expectFitsWidth(page);
    });
  }
});
