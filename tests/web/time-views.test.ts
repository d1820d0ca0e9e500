/**
 * The explorer's time views end to end, in Debian's Chromium against a real server: the timeline
 * (/timeline) and "who headed which office" (/offices) with its as-of date. When Chromium cannot be
 * started these tests are reported as skipped with the reason, except under CI, where they fail.
 */
import type { Locator, Page } from "playwright-core";
import { expect, it } from "vitest";
import { accessibilityFindings, type Explorer, expectFitsWidth, PHONE } from "./harness.js";
import { describeInChromium, shareExplorer } from "./suite.js";

const EVENTS_OF_2010 = [
  "Kazakhstan's OSCE Chairmanship",
  "Informal OSCE Ministerial Council in Almaty",
  "Astana OSCE Summit",
];

await describeInChromium("the explorer's timeline and offices views in Chromium", () => {
  let explorer: Explorer;
  shareExplorer((started) => (explorer = started));

  const heading = (page: Page) => page.getByRole("heading", { level: 1 });
  const address = (url: URL) => url.pathname + decodeURIComponent(url.search);
  const path = (page: Page) => address(new URL(page.url()));
  /** Waits for the navigation (history.pushState included) that brings the page to `expected`: on the event, not by polling. */
  const reaches = (page: Page, expected: string | RegExp) =>
    page.waitForURL((url) =>
      typeof expected === "string" ? address(url) === expected : expected.test(address(url)),
    );
  const entries = (page: Page) =>
    page.getByRole("list", { name: "Dated facts, oldest first" }).getByRole("listitem");
  /** The entries' links (each to its subject's page), in the order on screen. */
  const entryLinks = (page: Page) =>
    entries(page).evaluateAll((items) =>
      items.map((li) => li.querySelector(".row-text > a")?.textContent ?? ""),
    );
  const office = (page: Page, name: string) => page.getByRole("region", { name, exact: true });
  const tenureOf = (block: Locator, holder: string) =>
    block
      .getByRole("listitem")
      .filter({ has: block.page().getByRole("link", { name: holder, exact: true }) });
  /** A drawn element's box, in page pixels. */
  const box = async (locator: Locator) => {
    const b = await locator.boundingBox();
    if (!b) throw new Error("not drawn");
    return b;
  };
  const activeText = (page: Page) =>
    page.evaluate(
      () =>
        (
          globalThis as unknown as {
            document: { activeElement: { textContent: string | null } | null };
          }
        ).document.activeElement?.textContent ?? "",
    );
  /** After an in-app navigation, focus moves to the new view's heading: wait for it before pressing Tab. */
  const headingFocused = (page: Page) =>
    expect
      .poll(() =>
        page.evaluate(
          () =>
            (globalThis as unknown as { document: { activeElement: { tagName: string } | null } })
              .document.activeElement?.tagName,
        ),
      )
      .toBe("H1");
  const activeLabel = (page: Page) =>
    page.evaluate(() => {
      const el = (
        globalThis as unknown as {
          document: {
            activeElement: { id: string; getAttribute(n: string): string | null } | null;
          };
        }
      ).document.activeElement;
      return el ? `${el.id}|${el.getAttribute("value") ?? ""}` : "";
    });

  it("lists the events of 2010 in order when the form asks for events from 2010 to 2010, and puts the filters in the URL", async () => {
    const page = await explorer.visit("/timeline");
    // every dated fact of the built-in data: 13 events, 3 name changes (the field office's renaming
    // and transformation, the CSCE's renaming of 1995), 4 seats taken and 1 left (the field office's Almaty seat ends on 2007-06-21,
    // with its move to Astana), 8 tenure dates
    await expect.poll(() => entries(page).count()).toBe(29);
    await page.getByRole("textbox", { name: "From" }).fill("2010");
    await page.getByRole("textbox", { name: "To" }).fill("2010");
    for (const kind of [
      "Name change",
      "Seat from",
      "Seat until",
      "Tenure starts",
      "Tenure attested",
      "Tenure ends",
    ]) {
      await page.getByRole("checkbox", { name: kind }).uncheck();
    }
    await page.getByRole("button", { name: "Show" }).click();

    await reaches(page, "/timeline?from=2010&to=2010&kind=EVENT");
    await expect.poll(() => entryLinks(page)).toEqual(EVENTS_OF_2010);
    expect(
      await page.getByRole("heading", { level: 2, name: /^3 dated facts/ }).textContent(),
    ).toBe("3 dated facts (in 2010; events only)");
    // each entry links to its subject's page and gives its date in words and in EDTF
    const summit = entries(page).nth(2);
    expect(
      await summit.getByRole("link", { name: "Astana OSCE Summit" }).getAttribute("href"),
    ).toBe("/entity/event/2010-12-astana-osce-summit");
    expect(await summit.innerText()).toContain("December 1-2, 2010");
    expect(await summit.innerText()).toContain("2010-12-01/2010-12-02");
    expect(await accessibilityFindings(page, "timeline")).toEqual([]);
  });

  it("fades an open end out after the source's last update and draws an unknown end as unknown, saying so in words", async () => {
    const page = await explorer.visit("/timeline?entity=person/gyorgy-szabo");
    await expect
      .poll(() => entryLinks(page))
      .toEqual(["György Szabó – Head of the OSCE Programme Office in Astana: start of tenure"]);
    const szabo = entries(page).nth(0);
    expect(await szabo.innerText()).toContain("still so at the source's last update (2016-03-18)");
    // the tenure's period: solid up to the source's last update, then fading out from there on
    const horizon = await box(szabo.locator(".horizon-line"));
    const fading = await box(szabo.locator(".seg-open.context"));
    expect(Math.abs(fading.x - horizon.x)).toBeLessThanOrEqual(2);
    const certain = await box(szabo.locator(".seg-solid.context"));
    expect(certain.x + certain.width).toBeLessThanOrEqual(fading.x + 1);

    await explorer.visit("/timeline?entity=person/madina-jarbussynova&kind=TENURE_START");
    await expect.poll(() => entries(page).count()).toBe(1);
    const jarbussynova = entries(page).nth(0);
    expect(await jarbussynova.innerText()).toContain("end not given");
    expect(await jarbussynova.locator(".seg-unknown-end").count()).toBe(1);
    expect(await jarbussynova.locator(".seg-open").count()).toBe(0);
  });

  it("draws a year as a bar across its year and a two-day event as a narrow but visible bar at its days", async () => {
    const page = await explorer.visit("/timeline?from=2010&to=2010&kind=EVENT");
    await expect.poll(() => entries(page).count()).toBe(3);
    const track = await box(entries(page).nth(0).locator(".track"));
    const year = await box(entries(page).nth(0).locator(".seg-solid"));
    // the axis is 2010 itself: "2010" covers all of it
    expect(Math.abs(year.x - track.x)).toBeLessThanOrEqual(1);
    expect(Math.abs(year.width - track.width)).toBeLessThanOrEqual(1);

    const almaty = await box(entries(page).nth(1).locator(".seg-solid"));
    // 16-17 July: two days of 365, but never thinner than a few pixels
    expect(almaty.width).toBeGreaterThanOrEqual(3);
    expect(almaty.width).toBeLessThan(track.width / 50);
    const julySixteenth = 196 / 365; // 1 January + 196 days
    expect(Math.abs((almaty.x - track.x) / track.width - julySixteenth)).toBeLessThan(0.005);
    const summit = await box(entries(page).nth(2).locator(".seg-solid"));
    expect(summit.x).toBeGreaterThan(almaty.x);
  });

  it("says that nobody is known to head the Programme Office on 2005-01-01, with the name it bore then", async () => {
    const page = await explorer.visit("/offices");
    await expect.poll(() => heading(page).textContent()).toBe("Who headed which office");
    await page.getByRole("textbox", { name: "As of" }).fill("2005-01-01");
    await page.keyboard.press("Enter");
    await reaches(page, "/offices?asOf=2005-01-01");
    const block = office(page, "OSCE Programme Office in Astana");
    await expect
      .poll(() => block.locator(".asof-summary").textContent())
      .toBe("On 2005-01-01: nobody is known to head this office.");
    expect(await block.innerText()).toContain("Called on 2005-01-01: OSCE Centre in Almaty");
    const szabo = tenureOf(block, "György Szabó");
    expect(await szabo.getAttribute("data-certainty")).toBe("NO");
    expect(await szabo.innerText()).toContain("Not then: not held on 2005-01-01");
    // the Special Representative heads her office (Post.headsOffice), as the API's `heads` says:
    // the page said nobody was known to "hold this office's posts"
    const trafficking = office(
      page,
      "Office of the Special Representative of the OSCE to combat trafficking in human beings",
    );
    await expect
      .poll(() => trafficking.locator(".asof-summary").textContent())
      .toBe("On 2005-01-01: nobody is known to head this office.");
    expect(await accessibilityFindings(page, "offices as of a date")).toEqual([]);
  });

  it("marks Szabó as certainly heading the Programme Office on 2016-03-01 and only possibly on 2020-01-01", async () => {
    const page = await explorer.visit("/offices?asOf=2016-03-01");
    const block = office(page, "OSCE Programme Office in Astana");
    await expect
      .poll(() => block.locator(".asof-summary").textContent())
      .toBe(
        "On 2016-03-01: certainly György Szabó (Head of the OSCE Programme Office in Astana). ",
      );
    const szabo = tenureOf(block, "György Szabó");
    expect(await szabo.getAttribute("data-certainty")).toBe("YES");
    expect(await szabo.innerText()).toContain("Certain: certainly held on 2016-03-01");
    expect(await szabo.locator(".seg-solid.cert-YES").count()).toBe(1);
    // the as-of date is drawn on the axis, inside his bar
    const band = await box(szabo.locator(".asof-band"));
    const bar = await box(szabo.locator(".seg-solid"));
    expect(band.x).toBeGreaterThanOrEqual(bar.x);
    expect(band.x).toBeLessThanOrEqual(bar.x + bar.width);

    await page.getByRole("link", { name: "2020-01-01" }).click();
    await reaches(page, "/offices?asOf=2020-01-01");
    await expect.poll(() => szabo.getAttribute("data-certainty")).toBe("MAYBE");
    expect(await szabo.innerText()).toContain(
      "Possible: possibly held on 2020-01-01, not certainly",
    );
    expect(await block.locator(".asof-summary").textContent()).toBe(
      "On 2020-01-01: possibly, not certainly György Szabó (Head of the OSCE Programme Office in Astana).",
    );
    expect(await page.getByRole("textbox", { name: "As of" }).inputValue()).toBe("2020-01-01");
    // the browser's back button returns to the earlier date
    await page.goBack();
    await expect.poll(() => szabo.getAttribute("data-certainty")).toBe("YES");
    expect(await page.getByRole("textbox", { name: "As of" }).inputValue()).toBe("2016-03-01");
  });

  it("draws a POINT_IN_TIME tenure as a marker, lists the chairmanships under their offices and a head of state under the state", async () => {
    const page = await explorer.visit("/offices?asOf=2010-12-01");
    const kazakhstan = page
      .getByRole("region", { name: "Posts of states" })
      .getByRole("region", { name: "Kazakhstan", exact: true });
    const nazarbayev = tenureOf(kazakhstan, "Nursultan Nazarbayev");
    await expect.poll(() => nazarbayev.getAttribute("data-certainty")).toBe("YES");
    expect(await nazarbayev.locator(".point-marker").count()).toBe(1);
    expect(await nazarbayev.locator(".seg").count()).toBe(0);
    expect(await nazarbayev.innerText()).toContain("attested only at this moment");

    const chairmanship = office(page, "OSCE Chairmanship");
    expect(await tenureOf(chairmanship, "Kazakhstan").getAttribute("data-certainty")).toBe("YES");
    expect(await chairmanship.locator(".asof-summary").textContent()).toBe(
      "On 2010-12-01: certainly Kazakhstan (OSCE Chairmanship). ",
    );
    // the Troika's end is known (December 2011), its start is not: possible, never certain
    expect(
      await tenureOf(office(page, "OSCE Troika"), "Kazakhstan").getAttribute("data-certainty"),
    ).toBe("MAYBE");
  });

  it("says in words that it cannot read a date, keeps the API's error as a detail, and shows nothing else", async () => {
    const page = await explorer.visit("/offices?asOf=2010-13");
    const alert = page.getByRole("alert");
    await expect
      .poll(() => alert.locator("p").first().textContent())
      .toContain("“2010-13” is not a date the explorer can read");
    expect(await alert.locator("details").textContent()).toContain(
      'Argument "asOf": "2010-13" is not a valid EDTF date: month 13 is not between 01 and 12.',
    );
    expect(await page.getByRole("textbox", { name: "As of" }).inputValue()).toBe("2010-13");
    expect(await page.locator(".office-block").count()).toBe(0);
  });

  it("reloads deep links to both views to the same view, filters and date included", async () => {
    // each view is reached in the app, then loaded from its address (the reload)
    const page = await explorer.visit("/timeline?from=2010&to=2010&kind=EVENT");
    await expect.poll(() => entryLinks(page)).toEqual(EVENTS_OF_2010);
    await page.reload();
    await expect.poll(() => entryLinks(page)).toEqual(EVENTS_OF_2010);
    expect(path(page)).toBe("/timeline?from=2010&to=2010&kind=EVENT");
    expect(await page.getByRole("textbox", { name: "From" }).inputValue()).toBe("2010");
    expect(await page.getByRole("textbox", { name: "To" }).inputValue()).toBe("2010");
    expect(await page.getByRole("checkbox", { name: "Event" }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: "Tenure starts" }).isChecked()).toBe(false);
    expect(
      await page.getByRole("link", { name: "Timeline", exact: true }).getAttribute("aria-current"),
    ).toBe("page");

    await explorer.visit("/offices?asOf=2005-01-01");
    const summary = office(page, "OSCE Programme Office in Astana").locator(".asof-summary");
    await expect
      .poll(() => summary.textContent())
      .toBe("On 2005-01-01: nobody is known to head this office.");
    await page.reload();
    await expect
      .poll(() => summary.textContent())
      .toBe("On 2005-01-01: nobody is known to head this office.");
    expect(path(page)).toBe("/offices?asOf=2005-01-01");
    expect(await page.getByRole("textbox", { name: "As of" }).inputValue()).toBe("2005-01-01");
    expect(
      await page
        .getByRole("link", { name: "Who headed which office" })
        .getAttribute("aria-current"),
    ).toBe("page");
  });

  it("opens an entity's own timeline from its page", async () => {
    const page = await explorer.visit("/entity/office/osce-field-office-kazakhstan");
    await page
      .getByRole("navigation", { name: "Views of this entity" })
      .getByRole("link", { name: "Timeline" })
      .click();
    await reaches(page, "/timeline?entity=office/osce-field-office-kazakhstan");
    await expect
      .poll(() => entryLinks(page))
      .toContain("OSCE Centre in Astana transformed into OSCE Programme Office in Astana");
    const links = await entryLinks(page);
    expect(links.indexOf("OSCE Centre in Almaty renamed OSCE Centre in Astana")).toBeLessThan(
      links.indexOf("OSCE Centre in Astana transformed into OSCE Programme Office in Astana"),
    );
  });

  it("can be used with the keyboard alone: both views from the header, the as-of date, the timeline's filters", async () => {
    // reached in the app, not loaded: the keys start from the home page's heading, where the app
    // puts the focus (the first Tab of a new document, the skip link, is navigation.test.ts's),
    // back up to the header's links
    const page = await explorer.visit("/");
    await expect.poll(() => heading(page).textContent()).toBe("Kazakhstan and the OSCE");
    await heading(page).focus();
    for (let i = 0; i < 8 && (await activeText(page)) !== "Who headed which office"; i++)
      await page.keyboard.press("Shift+Tab");
    expect(await activeText(page)).toBe("Who headed which office");
    await page.keyboard.press("Enter");
    await reaches(page, "/offices");
    // focus moved to the view's heading; the date field is the next stop
    await headingFocused(page);
    await page.keyboard.press("Tab");
    expect(await activeLabel(page)).toBe("asof-input|");
    await page.keyboard.type("2016-03-01");
    await page.keyboard.press("Enter");
    await reaches(page, "/offices?asOf=2016-03-01");
    await expect
      .poll(() =>
        tenureOf(office(page, "OSCE Programme Office in Astana"), "György Szabó").getAttribute(
          "data-certainty",
        ),
      )
      .toBe("YES");

    await page.keyboard.press("Shift+Tab"); // back from the date field to the header's links
    for (let i = 0; i < 8 && (await activeText(page)) !== "Timeline"; i++)
      await page.keyboard.press("Shift+Tab");
    expect(await activeText(page)).toBe("Timeline");
    await page.keyboard.press("Enter");
    await reaches(page, "/timeline");
    await headingFocused(page);
    await page.keyboard.press("Tab");
    expect(await activeLabel(page)).toBe("timeline-from|");
    await page.keyboard.type("2010");
    await page.keyboard.press("Tab");
    await page.keyboard.type("2010");
    await page.keyboard.press("Tab"); // Event: keep it
    expect(await activeLabel(page)).toBe("|EVENT");
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press("Tab");
      await page.keyboard.press("Space"); // untick every other kind
    }
    await page.keyboard.press("Tab");
    expect(await activeText(page)).toBe("Show");
    await page.keyboard.press("Enter");
    await reaches(page, "/timeline?from=2010&to=2010&kind=EVENT");
    await expect.poll(() => entryLinks(page)).toEqual(EVENTS_OF_2010);
    // the entries are links the keyboard reaches
    await entries(page).nth(1).getByRole("link").first().focus();
    await page.keyboard.press("Enter");
    await expect
      .poll(() => heading(page).textContent())
      .toBe("Informal OSCE Ministerial Council in Almaty");
  });

  it("fits a phone-width screen without sideways scrolling", async () => {
    for (const at of [
      "/timeline",
      "/timeline?from=2010&to=2010&kind=EVENT",
      "/offices?asOf=2016-03-01",
    ]) {
      const page = await explorer.visit(at, PHONE);
      await expect.poll(() => page.locator(".track").count(), { message: at }).toBeGreaterThan(0);
      await expectFitsWidth(page, at);
      // the drawing stays on screen, under each entry's text
      const track = await box(page.locator(".track").first());
      expect(track.x, at).toBeGreaterThanOrEqual(0);
      expect(track.x + track.width, at).toBeLessThanOrEqual(PHONE.width);
      // the unfiltered timeline and the offices on a phone's screen
      if (at === "/timeline") expect(await accessibilityFindings(page, "timeline")).toEqual([]);
      if (at.startsWith("/offices"))
        expect(await accessibilityFindings(page, "offices as of a date")).toEqual([]);
    }
  });
});
