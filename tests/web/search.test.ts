/**
 * Search in Chromium: suggestions while typing (debounced, keyboard-driven, the ARIA combobox
 * pattern, each with its kind, a line on what it is and its dates), every result reachable past
 * the first page, and the filter by kind; on a desktop and a phone screen, checked with axe-core.
 * When Chromium cannot be started these tests are skipped with the reason, except under CI, where
 * they fail (see suite.ts).
 */
import { readFileSync } from "node:fs";
import type { Page, Route } from "playwright-core";
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

/** The explorer's trusted documents, id → text (written by `npm run codegen`). */
const TRUSTED_DOCUMENTS = JSON.parse(
  readFileSync(new URL("../../web/src/gql/persisted-documents.json", import.meta.url), "utf8"),
) as Record<string, string>;

await describeInChromium("search in Chromium", () => {
  let explorer: Explorer;
  shareExplorer((started) => (explorer = started));

  const box = (page: Page) => page.getByRole("combobox", { name: "Search the graph" });
  const options = (page: Page) =>
    page.getByRole("listbox", { name: "Suggestions" }).getByRole("option");
  const address = (url: URL) => url.pathname + url.search;
  /** Waits for the navigation (history.pushState included) that brings the page to `expected`: on the event, not by polling. */
  const reaches = (page: Page, expected: string | RegExp) =>
    page.waitForURL((url) =>
      typeof expected === "string" ? address(url) === expected : expected.test(address(url)),
    );
  /**
   * The operation names of the GraphQL requests the page sends from now on: a GET by a trusted
   * document's id (how the explorer asks) is named by the document the id stands for, a POST by
   * its query text.
   */
  const operations = (page: Page) => {
    const sent: string[] = [];
    const nameOf = (query: string | undefined) =>
      query ? /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] : undefined;
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname !== "/graphql") return;
      const body = request.postData();
      const documentId = url.searchParams.get("documentId");
      const name = body
        ? nameOf(JSON.parse(body).query as string)
        : documentId
          ? nameOf(TRUSTED_DOCUMENTS[documentId])
          : undefined;
      if (name) sent.push(name);
    });
    return sent;
  };

  for (const [name, viewport] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    it(`suggests entities while typing, with kind, description and dates, and opens one with the keyboard (${name})`, async () => {
      // on the desktop a load: the requests counted are this document's first (its answers are
      // kept per document); the phone reaches the home page in the app (a load costs Chromium
      // about 0.3 CPU-s more), and its box is emptied, as a reader would
      const page =
        name === "desktop"
          ? await explorer.open("/", viewport)
          : await explorer.visit("/", viewport);
      await settled(page);
      const sent = operations(page);
      await box(page).fill("");
      await box(page).focus();
      const typed = "astana summit";
      await page.keyboard.type(typed, { delay: 15 });
      await expect.poll(() => options(page).count()).toBeGreaterThan(1);
      if (name === "desktop") {
        // typing quickly sends a request when typing pauses, not one per key: one when the keys
        // come as fast as typed; a loaded machine may pause between keys for longer than the
        // debounce, so the test asks for far fewer requests than keys (13 without the debounce),
        // not exactly one (the same on any screen)
        const requests = sent.filter((n) => n === "ExplorerSuggest").length;
        expect(requests).toBeGreaterThanOrEqual(1);
        expect(requests).toBeLessThanOrEqual(Math.floor(typed.length / 3));
      }
      expect(await box(page).getAttribute("aria-expanded")).toBe("true");

      const summit = options(page).filter({ hasText: "Astana OSCE Summit" });
      expect(await summit.count()).toBe(1);
      const text = await summit.innerText();
      expect(text).toContain("Event"); // its kind
      expect(text).toContain("Summit in Astana"); // what it is, and where
      expect(text).toContain("December 1-2, 2010"); // when
      // every suggestion fits the screen
      const right = await page
        .getByRole("listbox", { name: "Suggestions" })
        .evaluate(
          (list) =>
            (
              list as unknown as { getBoundingClientRect(): { right: number } }
            ).getBoundingClientRect().right,
        );
      expect(right).toBeLessThanOrEqual(viewport.width);
      expect(await accessibilityFindings(page, "home, suggestions open")).toEqual([]);

      // arrows move the highlight (the focus stays in the box), Enter opens the highlighted entity
      const index = await options(page).evaluateAll((all) =>
        all.findIndex((o) => (o.textContent ?? "").includes("Astana OSCE Summit")),
      );
      for (let i = 0; i <= index; i++) await page.keyboard.press("ArrowDown");
      const active = await box(page).getAttribute("aria-activedescendant");
      expect(active).toBeTruthy();
      expect(await page.locator(`#${active}`).innerText()).toContain("Astana OSCE Summit");
      expect(await page.locator(`#${active}`).getAttribute("aria-selected")).toBe("true");
      await page.keyboard.press("Enter");
      await reaches(page, "/entity/event/2010-12-astana-osce-summit");
      await expect
        .poll(() => page.getByRole("heading", { level: 1 }).textContent())
        .toBe("Astana OSCE Summit");
    });
  }

  it("fits the header's search form, its box and button, on a screen 320 px wide", async () => {
    // (review 16e: the form overflowed it by 15 px, the box's own width holding it)
    const page = await explorer.visit("/", { width: 320, height: 640 });
    await settled(page);
    await expectFitsWidth(page);
    for (const part of [
      page.getByRole("search"),
      box(page),
      page.getByRole("button", { name: "Search", exact: true }),
    ]) {
      const edge = await part.boundingBox();
      expect(edge!.x + edge!.width).toBeLessThanOrEqual(320);
    }
  });

  it("closes the suggestions with Escape, and Enter then searches the text as typed", async () => {
    const page = await explorer.visit("/");
    await settled(page);
    // (the box keeps what was typed in it across views: a test before may have left text there)
    await box(page).fill("");
    await page.keyboard.type("Sabo");
    await expect.poll(() => options(page).count()).toBeGreaterThan(0);
    expect(await options(page).first().innerText()).toContain("György Szabó");
    expect(await options(page).first().innerText()).toContain("matched “Gyorgy Sabo”");
    await page.keyboard.press("Escape");
    expect(await box(page).getAttribute("aria-expanded")).toBe("false");
    expect(await page.getByRole("listbox", { name: "Suggestions" }).isVisible()).toBe(false);
    expect(await box(page).inputValue()).toBe("Sabo");
    await page.keyboard.press("Enter");
    await reaches(page, "/search?q=Sabo");
    // the results view in place, its heading having taken the focus (as it does when its text
    // changes: focused before, the box lost the focus to it, and its suggestions closed, under load)
    await settled(page);
    // arrow down then up returns to the box: Enter searches again, nothing highlighted
    await box(page).focus();
    await expect.poll(() => options(page).count()).toBeGreaterThan(0);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    expect(await box(page).getAttribute("aria-activedescendant")).toBeNull();
  });

  it("finds Nazarbayev from Cyrillic typed as is (the API romanises Kazakh and Russian script)", async () => {
    const page = await explorer.visit("/");
    await settled(page);
    await box(page).fill("");
    await page.keyboard.type("Назарбаев");
    await expect.poll(() => options(page).count()).toBeGreaterThan(0);
    expect(await options(page).first().innerText()).toContain("Nazarbayev");
    await page.keyboard.press("Enter");
    await reaches(page, `/search?q=${encodeURIComponent("Назарбаев")}`);
    await expect.poll(() => page.getByRole("main").innerText()).toContain("Nursultan Nazarbayev");
  });

  it("reaches every result past the first page, and says how many are left", async () => {
    const page = await explorer.visit("/search?q=OSCE");
    const count = page.locator("p.result-count");
    await expect.poll(() => count.count()).toBe(1);
    const total = Number(/^(\d+)/.exec(await count.innerText())![1]);
    expect(total).toBeGreaterThan(20);
    expect(await count.innerText()).toContain("the best 20 are shown");
    const results = page.locator("ol.results > li");
    expect(await results.count()).toBe(20);
    // "Show more" until everything is listed; the focus goes to the first new result each time
    for (let shown = 20; shown < total; shown = Math.min(total, shown + 20)) {
      const more = page.getByRole("button", { name: /^Show \d+ more of \d+$/ });
      expect(await more.innerText()).toBe(
        `Show ${Math.min(20, total - shown)} more of ${total - shown}`,
      );
      await more.click();
      await expect.poll(() => results.count()).toBe(Math.min(total, shown + 20));
      // the app moves the focus in an effect, which Preact runs after the frame that drew the new
      // results: wait for it, as the results' count is waited for
      const firstNew = await results.nth(shown).locator("a").first().textContent();
      await expect
        .poll(() =>
          page.evaluate(
            () =>
              (
                globalThis as unknown as {
                  document: { activeElement: { textContent: string } | null };
                }
              ).document.activeElement?.textContent,
          ),
        )
        .toBe(firstNew);
    }
    expect(await page.getByRole("button", { name: /^Show \d+ more/ }).count()).toBe(0);
    expect(await count.innerText()).not.toContain("are shown");
    const keys = await results.evaluateAll((all) =>
      all.map((li) => li.querySelector("a")!.getAttribute("href")),
    );
    expect(new Set(keys).size).toBe(total);
  });

  it("drops a Show more's answer for a query no longer shown: the new list holds only the new query's hits", async () => {
    const page = await explorer.visit("/search?q=OSCE");
    const more = page.getByRole("button", { name: /^Show \d+ more of \d+$/ });
    await more.waitFor();
    /** The search's variables in a request of the page (a GET of the trusted document), or null. */
    const searchOf = (url: URL) => {
      const variables = url.pathname === "/graphql" ? url.searchParams.get("variables") : null;
      const parsed = variables ? (JSON.parse(variables) as Record<string, unknown>) : null;
      // the kinds' counts ask with the query alone; a page of results with `after` too
      return parsed && "after" in parsed ? parsed : null;
    };
    const routes: [(url: URL) => boolean, (route: Route) => Promise<void>][] = [];
    /** Holds the page's next request for a page of results `matching`, until released. */
    const hold = async (matching: (variables: Record<string, unknown>) => boolean) => {
      let held!: (route: Route) => void;
      const route = new Promise<Route>((resolve) => (held = resolve));
      let go!: () => void;
      const released = new Promise<void>((resolve) => (go = resolve));
      const url = (u: URL) => {
        const variables = searchOf(u);
        return variables !== null && matching(variables);
      };
      // the one request held: later ones matching go on (and the handlers stay until the test
      // ends: the last one's removal would stop playwright's interception, letting a request
      // still held go on by itself)
      let taken = false;
      const handler = async (r: Route) => {
        if (taken) return r.fallback();
        taken = true;
        held(r);
        await released;
        await r.continue();
      };
      await page.route(url, handler);
      routes.push([url, handler]);
      return {
        route,
        /** Lets it through, and resolves once the page has its whole answer. */
        release: async () => {
          const r = await route;
          const finished = page.waitForEvent("requestfinished", (q) => q === r.request());
          go();
          await finished;
        },
      };
    };
    try {
      // OSCE's second page is held while the reader searches for Kazakhstan, whose first page is
      // held until OSCE's has reached the page: the old answer comes back to a view of the new query
      const second = await hold((v) => v.query === "OSCE" && v.after !== null);
      await more.click();
      await second.route;
      const newFirst = await hold((v) => v.query === "Kazakhstan" && v.after === null);
      await explorer.visit("/search?q=Kazakhstan");
      await newFirst.route;
      await second.release();
      await newFirst.release();
      const count = page.locator("p.result-count");
      await expect.poll(() => count.innerText()).toContain("“Kazakhstan”");
      const total = Number(/^(\d+)/.exec(await count.innerText())![1]);
      // the API's own first page of the new query, asked of the server
      const response = await fetch(`${explorer.server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: '{ search(query: "Kazakhstan", first: 20) { nodes { entity { key } } } }',
        }),
      });
      const { data } = (await response.json()) as {
        data: { search: { nodes: { entity: { key: string } }[] } };
      };
      const shown = await page
        .locator("ol.results > li")
        .evaluateAll((all) => all.map((li) => li.querySelector("a")!.getAttribute("href")));
      expect(shown).toEqual(
        data.search.nodes.map(({ entity }) => {
          const [kind, slug] = entity.key.split("/");
          return `/entity/${kind}/${slug}`;
        }),
      );
      expect(shown).toHaveLength(Math.min(total, 20));
      if (total > 20)
        expect(await more.innerText()).toBe(
          `Show ${Math.min(20, total - 20)} more of ${total - 20}`,
        );
    } finally {
      for (const [url, handler] of routes) await page.unroute(url, handler);
    }
  });

  it("shows the quote that dates a hit's “as of”, linked to its place in the source (the keynote)", async () => {
    const page = await explorer.visit("/search?q=keynote");
    const keynote = page
      .locator("ol.results > li")
      .filter({ hasText: "Heritage of the OSCE Astana Summit" });
    await keynote.waitFor();
    expect(await keynote.locator(".detail").innerText()).toContain("as of March 18, 2016");
    // what "as of" means, and what states it: once under the list, as on an entity's page
    const hits = await page.locator("ol.results > li").count();
    const dated = await page
      .locator("ol.results > li .detail")
      .filter({ hasText: "as of" })
      .count();
    expect((await page.locator(".hits-as-of .note").innerText()).trim()).toBe(
      `“As of March 18, 2016”: the date of the source's last update, as of which it states ${
        dated === hits
          ? dated === 1
            ? "this"
            : "these"
          : dated === 1
            ? "the entry so marked"
            : "the entries so marked"
      }; it gives ${dated === 1 ? "it no date of its" : "them no date of their"} own.`,
    );
    const sources = page.getByRole("list", { name: "Source of “as of”" });
    const quote = sources.getByRole("link", { name: "“Updated at : 18.03.2016, 19:31”" });
    expect(await quote.count()).toBe(1);
    expect(await sources.innerText()).toContain("(Cooperation between the Republic of Kazakhstan");
    expect(
      await accessibilityFindings(page, "search results with an “as of” and its source"),
    ).toEqual([]);
    // the link marks the quote in the source, on the source's own page
    await quote.click();
    await reaches(page, /^\/entity\/source\/[^?]+\?source=source%2F[^&]+&at=\d+&length=30$/);
    // (the source's own page has no panel beside it: its text is the page's body)
    await expect
      .poll(() => page.locator("mark").textContent())
      .toBe("Updated at : 18.03.2016, 19:31");
  });

  for (const [name, viewport] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    it(`filters the results by kind, with each kind's count, in the URL (${name})`, async () => {
      const page = await explorer.visit("/search?q=Kazakhstan", viewport);
      const filter = page.getByRole("navigation", { name: "Show only one kind" });
      await expect.poll(() => filter.getByRole("link").count()).toBeGreaterThan(2);
      expect(await filter.getByRole("link", { name: /^All/ }).getAttribute("aria-current")).toBe(
        "page",
      );
      const events = filter.getByRole("link", { name: /^Events \(\d+\)$/ });
      const expected = Number(/\((\d+)\)/.exec(await events.innerText())![1]);
      await events.click();
      await reaches(page, "/search?q=Kazakhstan&kind=event");
      await expect.poll(() => page.locator("ol.results > li").count()).toBe(Math.min(expected, 20));
      const kinds = await page.locator("ol.results > li .badge").allInnerTexts();
      expect(new Set(kinds)).toEqual(new Set(["Event"]));
      expect(await events.getAttribute("aria-current")).toBe("page");
      expect(await page.locator("p.result-count").innerText()).toMatch(
        new RegExp(`^${expected} events? match`),
      );
      await expectFitsWidth(page);
      expect(await accessibilityFindings(page, "search results by kind")).toEqual([]);
      // the reload keeps the filter, and the words in the box (on one screen: both come back from
      // the address whatever the screen, and a load costs Chromium about 0.5 CPU-s); the only
      // reload of a search
      if (name !== "desktop") return;
      await page.reload();
      await expect.poll(() => page.locator("ol.results > li").count()).toBe(Math.min(expected, 20));
      expect(new Set(await page.locator("ol.results > li .badge").allInnerTexts())).toEqual(
        new Set(["Event"]),
      );
      expect(await box(page).inputValue()).toBe("Kazakhstan");
    });
  }
});
