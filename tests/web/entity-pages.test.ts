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

  it("says as of when the source states a present-tense fact, and marks Kazakhstan's keynote priority with its description", async () => {
    const AS_OF = "as of March 18, 2016";
    // what it means, for a screen reader (hidden from sight), where no note of its list says it
    const EXPLAINED = `${AS_OF} (the date of the source's last update, as of which it states this; it gives it no date of its own)`;
    const page = await explorer.visit("/entity/state/kazakhstan");
    await settled(page);
    const keynote = "Promotion of the heritage of the OSCE Astana Summit";
    // stated by the update (the sentence may be older), for the years after it: not the keynote
    // "as of" that day (review 16e: "stated March 18, 2016" said more than the source)
    const STATED = "stated by March 18, 2016, the source's last update, for the upcoming years";
    expect((await glanceLines(page))["Keynote of its activities in the OSCE"]).toBe(
      `${keynote} (${STATED})`,
    );
    // the summary's lines say it as the sections below do (review 16c, finding 4)
    expect((await glanceLines(page))["Cooperates with"]).toContain(AS_OF);
    /** The text of an entry of a section (its link's, badges', date's and detail's), by the link's name. */
    const entry = (section: RegExp, name: string) =>
      page
        .getByRole("region", { name: section })
        .locator("ul.items > li")
        .filter({ has: page.getByRole("link", { name, exact: true }) })
        .locator(":scope > .item-main, :scope > .detail")
        .allInnerTexts()
        .then((texts) => texts.join(" | "));
    // both sections are long, so folded: opened to read them
    for (const section of [/^Cooperates with \(\d+\)$/, /^Priorities \(\d+\)$/])
      await page.getByRole("region", { name: section }).locator("summary").click();
    expect(await entry(/^Cooperates with/, "OSCE Programme Office in Astana")).toContain(AS_OF);
    const priorities = page.getByRole("region", { name: /^Priorities \(\d+\)$/ });
    expect(await entry(/^Priorities/, keynote)).toBe(
      `${keynote} Priority keynote · ${AS_OF} | The keynote of Kazakhstan's activities within the OSCE during the "upcoming years", as stated by the source's last update (March 18, 2016).`,
    );
    expect(await entry(/^Priorities/, "The Aral Sea")).toBe(`The Aral Sea Priority · ${AS_OF}`);
    // a programme the source dates itself is not "as of" the update: Path to Europe ended in 2011
    const programme = await entry(/^Priorities/, "Path to Europe");
    expect(programme).toContain("December 2011");
    expect(programme).not.toContain("as of");
    // the note on it covers the dated entries only: Path to Europe has a period of its own
    expect(await priorities.locator(".as-of-note").innerText()).toContain(
      "as of which it states the entries so marked;",
    );
    // ... which says what it means for them: their own "as of" does not again
    expect(await priorities.locator(".as-of .visually-hidden").count()).toBe(0);
    // the quote the "as of" rests on, once for the section rather than under each of 19 entries
    expect(await priorities.getByRole("list", { name: "Source of “as of”" }).innerText()).toContain(
      "Updated at : 18.03.2016, 19:31",
    );
    // the sentence that makes it the keynote, under it
    expect(
      await priorities
        .locator("ul.items > li")
        .filter({ hasText: "keynote" })
        .locator("button.quote")
        .first()
        .textContent(),
    ).toContain("will be the keynote of the Kazakhstan’s activities");

    // an office's dimensions, and a dimension's offices: never "as of" the update, for the source
    // states no office's dimension (the honest54 audit, F11: the field office's three are the
    // editors' reading of the cooperation's dimensions, and were dated as the source's statement)
    await page
      .getByRole("link", { name: "OSCE Programme Office in Astana", exact: true })
      .first()
      .click();
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toBe("OSCE Programme Office in Astana");
    await settled(page);
    expect(await entry(/^Dimensions it works in/, "Human dimension")).not.toContain("as of");
    // the three rest on the very same sentences and note: given once, not under each
    const dimensions = page.getByRole("region", { name: /^Dimensions it works in/ });
    expect(await dimensions.locator(".editorial").count()).toBe(1);
    const every = await dimensions.getByRole("list", { name: "Source of every entry" }).innerText();
    expect(every).toContain("Cooperation is held in all three dimensions");
    expect(every).not.toContain("Updated at");
    expect(await dimensions.getByRole("list", { name: "Source of “as of”" }).count()).toBe(0);
    const human = await explorer.visit("/entity/dimension/human");
    await settled(human);
    // (the hidden words are a line of their own in innerText, absolutely positioned: read apart)
    const humanGlance = Object.fromEntries(
      Object.entries(await glanceLines(human)).map(([k, v]) => [k, v.replace(/\s*\n\s*/g, " ")]),
    );
    // once for the line where every entry has the same (review 16e: "(all as of March 18, 2016 ,
    // the date ...: it gives this no date of its own )"); what it means read once after the line
    const MEANS = `“As of March 18, 2016”: the date of the source's last update, as of which it states`;
    expect(humanGlance["Priorities"]).toBe(
      `The fight against all forms of intolerance and discrimination; Tolerance; Human rights and 4 more below (all ${AS_OF}) ${MEANS} these; it gives them no date of their own.`,
    );
    expect(humanGlance["Offices working in it"]).toMatch(
      /^Office for Democratic Institutions and Human Rights; .*; OSCE Programme Office in Astana/,
    );
    expect(humanGlance["Offices working in it"]).not.toContain("as of");
    expect(humanGlance["Offices working in it"]).not.toContain("As of");
    // as a screen reader is given it: no space before a comma or a closing bracket, each once
    const spoken = await glance(human).ariaSnapshot();
    expect(spoken).not.toMatch(/\w\s+[,.;:)]/);
    expect(spoken.match(/the date of the source's last update/g)).toHaveLength(1);
    expect(await entry(/^Offices working in it/, "OSCE Programme Office in Astana")).not.toContain(
      "as of",
    );
    expect(
      await entry(/^Offices working in it/, "Office for Democratic Institutions and Human Rights"),
    ).not.toContain("as of");
    // review 16c: a dimension's priorities rest on sentences of their own, not on the "Updated at"
    // line that dates their "as of": that line is the source of the "as of", not of every entry;
    // the sentence that places each in the dimension is given (it was not: the "Updated at" line
    // was their only quote), here once, the one sentence of all seven
    const humanPriorities = human.getByRole("region", { name: /^Priorities/ });
    await humanPriorities.locator("summary").click(); // 7 entries: folded
    const placedBy = await humanPriorities
      .getByRole("list", { name: "Source of every entry" })
      .innerText();
    expect(placedBy).toContain("In human dimension Kazakhstan remain important issues");
    expect(placedBy).not.toContain("Updated at");
    // that line is given once, as what the "as of" rests on, of all seven
    expect(await humanPriorities.locator(".as-of-note").innerText()).toContain(
      "as of which it states these;",
    );
    expect(
      await humanPriorities.getByRole("list", { name: "Source of “as of”" }).innerText(),
    ).toContain("Updated at : 18.03.2016, 19:31");

    // where the sentences differ, each entry gives its own: Ukraine's continues the paragraph
    // the politico-military dimension's sentence opens, and says so in an editorial note
    const pm = await explorer.visit("/entity/dimension/politico-military");
    await settled(pm);
    const pmPriorities = pm.getByRole("region", { name: /^Priorities/ });
    const opens = "In the politico-military dimension Kazakhstan continues";
    const pmEntries = await pmPriorities.locator("ul.items > li").allInnerTexts();
    expect(pmEntries.length).toBeGreaterThan(1);
    for (const text of pmEntries)
      expect(text).toMatch(/In the politico-military dimension|Same quote as/);
    const ukraine = pmEntries.find((text) => /Ukraine/.test(text))!;
    expect(ukraine).toContain("editorial");
    expect(await pmPriorities.getByRole("list", { name: "Source of every entry" }).count()).toBe(0);
    expect(await pmPriorities.innerText()).toContain(opens);

    const priority = await explorer.visit("/entity/priority/heritage-of-the-astana-summit");
    await settled(priority);
    const facts = await priority
      .locator("dl.facts > div")
      .evaluateAll((rows) =>
        Object.fromEntries(
          rows.map((r) => [
            r.querySelector("dt")!.textContent,
            (r.querySelector("dd") as unknown as { innerText: string }).innerText.split("\n")[0],
          ]),
        ),
      );
    expect(facts["Stated"]).toBe(AS_OF);
    expect(await priority.locator("dl.facts .as-of").textContent()).toBe(EXPLAINED);
    expect(facts["Keynote"]).toBe(
      `Yes: the keynote of Kazakhstan's activities within the OSCE during "upcoming years"`,
    );
    expect((await glanceLines(priority))["Keynote priority of"]).toBe(`Kazakhstan (${STATED})`);

    // on a phone's width, no "as of" is broken inside its date (it was "as of March 18, | 2016")
    const phone = await explorer.visit("/entity/state/kazakhstan", PHONE);
    await settled(phone);
    for (const section of [/^Cooperates with \(\d+\)$/, /^Priorities \(\d+\)$/])
      await phone.getByRole("region", { name: section }).locator("summary").click();
    const lines = await phone.locator(".as-of").evaluateAll((all) =>
      all.map((e) => {
        // the lines its visible words are drawn on (an empty box at a line's end is none)
        const rects = [...e.getClientRects()].filter((r) => r.width > 1);
        return [e.textContent, new Set(rects.map((r) => Math.round(r.top))).size] as const;
      }),
    );
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.filter(([, rects]) => rects !== 1)).toEqual([]);
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
