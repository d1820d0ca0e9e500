/**
 * The explorer's paged lists after a live reload, in Chromium (review 17, findings 7 and 8): a
 * cursor of the data before it is refused (`staleCursor`, src/schema/pagination.ts). The search
 * view's "Show more" said "The next results could not be loaded; try again." and trying again sent
 * the same cursor, refused each time: now its list starts again from the first page by itself,
 * saying why. The timeline and the offices read every page at once: a reload between two of their
 * pages failed them with "since this list was shown" for a list never shown; now they read it
 * again from the first page. The entity pages and the home page ask one page per list (`first`,
 * no cursor), so a reload cannot stale them.
 */
import { cpSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, expect, it } from "vitest";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { editJson, exportToTmp, makeTmpDir, removeDir } from "../fixtures/datasets.js";
import type { Explorer } from "./harness.js";
import { describeInChromium, shareExplorer } from "./suite.js";

const builtIn = exportToTmp();
// a dataset whose timeline and tenures take several pages of 100 (the built-in one's take one)
const large = makeTmpDir();
cpSync(generatedDataset(1000), large, { recursive: true });
afterAll(() => {
  removeDir(builtIn);
  removeDir(large);
});

/** The variables of a GraphQL request of the page (a GET of a trusted document), or null. */
function variablesOf(url: URL): Record<string, unknown> | null {
  if (url.pathname !== "/graphql") return null;
  const variables = url.searchParams.get("variables");
  return variables ? (JSON.parse(variables) as Record<string, unknown>) : {};
}

/** Counts, from now on, the answers of the page that refuse a stale cursor. */
function staleRefusals(page: Page): unknown[] {
  const refusals: unknown[] = [];
  page.on("response", async (response) => {
    if (new URL(response.url()).pathname !== "/graphql") return;
    const body = (await response.json().catch(() => null)) as {
      errors?: { extensions?: { staleCursor?: unknown } }[];
    } | null;
    if (body?.errors?.some((e) => e.extensions?.staleCursor === true)) refusals.push(1);
  });
  return refusals;
}

await describeInChromium("paged lists after a live reload", () => {
  let explorer: Explorer;
  shareExplorer((started) => (explorer = started));

  /**
   * Serves `dir` again after an edit: another version of the data, so its cursors change (each
   * reload of the large dataset drops one more person's nationality: its quotes stay valid).
   */
  let edits = 0;
  const reload = (dir: string) => {
    editJson(dir, "persons", (persons) => {
      if (dir === builtIn) persons[0].name.text += " Jr.";
      else delete persons[edits++].nationality;
    });
    explorer.server.app.swap(loadJsonGraph(dir));
  };
  /** The API's count of a root list, asked of the server itself. */
  const totalOf = async (list: "timeline" | "tenures") => {
    const response = await fetch(`${explorer.server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ ${list}(first: 0) { totalCount } }` }),
    });
    return ((await response.json()) as { data: Record<string, { totalCount: number }> }).data[list]!
      .totalCount;
  };

  it("starts the search results again from the first page when Show more's cursor went stale, says so, and pages on", async () => {
    explorer.server.app.swap(loadJsonGraph(builtIn));
    const page = await explorer.open("/search?q=osce", undefined, { fresh: true });
    const more = page.getByRole("button", { name: /^Show \d+ more of \d+$/ });
    await more.waitFor();
    const firstCount = await page.locator("ol.results > li").count();
    reload(builtIn);
    const refusals = staleRefusals(page);
    await more.click();
    const note = page.getByRole("status").filter({ hasText: "The data was updated" });
    // said, or failed (before: "The next results could not be loaded; try again.", for good)
    await note.or(page.getByRole("alert")).first().waitFor();
    expect(await page.getByRole("alert").allInnerTexts()).toEqual([]);
    expect((await note.innerText()).trim()).toBe(
      "The data was updated since this list was shown: it starts again from the best results.",
    );
    // the keyboard focus, on the button gone while the list loads again, is on the note
    expect(await note.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await more.waitFor();
    expect(await page.locator("ol.results > li").count()).toBe(firstCount);
    await more.click();
    await expect.poll(() => page.locator("ol.results > li").count()).toBeGreaterThan(firstCount);
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(await note.count()).toBe(0);
    expect(refusals.length).toBe(1);
  });

  it("gives each kind's count of the data as it is now once the search results started again", async () => {
    explorer.server.app.swap(loadJsonGraph(builtIn));
    /** The API's counts for "osce", every kind and people, asked of the server itself. */
    const apiCounts = async () => {
      const response = await fetch(`${explorer.server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query:
            '{ all: search(query: "osce", first: 0) { totalCount } person: search(query: "osce", kinds: [PERSON], first: 0) { totalCount } }',
        }),
      });
      const { data } = (await response.json()) as {
        data: Record<"all" | "person", { totalCount: number }>;
      };
      return { all: data.all.totalCount, person: data.person.totalCount };
    };
    const page = await explorer.open("/search?q=osce", undefined, { fresh: true });
    const filter = page.getByRole("navigation", { name: "Show only one kind" });
    /** The counts the filter shows, every kind and people (0 where it has no link for people). */
    const shownCounts = async () => {
      const countIn = async (href: string) => {
        const link = filter.locator(`a[href="${href}"]`);
        return (await link.count()) ? Number(/\((\d+)\)/.exec(await link.innerText())![1]) : 0;
      };
      return {
        all: await countIn("/search?q=osce"),
        person: await countIn("/search?q=osce&kind=person"),
      };
    };
    const more = page.getByRole("button", { name: /^Show \d+ more of \d+$/ });
    await more.waitFor();
    await filter.waitFor();
    const before = await apiCounts();
    expect(await shownCounts()).toEqual(before);
    // one more person matches "osce" in the data reloaded
    editJson(builtIn, "persons", (persons) => {
      const person = persons.find((p: { name: { text: string } }) => !/osce/i.test(p.name.text));
      person.name.text += " OSCE";
    });
    explorer.server.app.swap(loadJsonGraph(builtIn));
    const after = await apiCounts();
    expect(after).toEqual({ all: before.all + 1, person: before.person + 1 });
    await more.click();
    await page.getByRole("status").filter({ hasText: "The data was updated" }).waitFor();
    // the counts beside the list started again are the data's as it is now, with the list's own
    await expect.poll(shownCounts).toEqual(after);
    await more.waitFor();
    expect(await page.locator("p.result-count").innerText()).toMatch(
      new RegExp(`^${after.all} entities match`),
    );
  });

  it("counts a kind again when its list, read after a reload, counts otherwise than the filter said", async () => {
    explorer.server.app.swap(loadJsonGraph(builtIn));
    const page = await explorer.open("/search?q=osce", undefined, { fresh: true });
    const filter = page.getByRole("navigation", { name: "Show only one kind" });
    const events = filter.locator('a[href="/search?q=osce&kind=event"]');
    const countOf = async () => Number(/\((\d+)\)/.exec(await events.innerText())![1]);
    await events.waitFor();
    const before = await countOf();
    // one more event matches "osce" in the data reloaded; the filter, read before, cannot know
    editJson(builtIn, "events", (all) => {
      const event = all.find((e: { name: { text: string } }) => !/osce/i.test(e.name.text));
      event.name.text += " OSCE";
    });
    explorer.server.app.swap(loadJsonGraph(builtIn));
    // the events' list, never read before, is the new data's: its count says so, and the
    // filter's count of events is asked again (it said one less beside it)
    await events.click();
    const count = page.locator("p.result-count");
    await expect.poll(() => count.innerText()).toMatch(new RegExp(`^${before + 1} events match`));
    await expect.poll(countOf).toBe(before + 1);
  });

  it("shows the API's own words when Show more is refused for another reason", async () => {
    explorer.server.app.swap(loadJsonGraph(builtIn));
    const page = await explorer.open("/search?q=osce", undefined, { fresh: true });
    const more = page.getByRole("button", { name: /^Show \d+ more of \d+$/ });
    await more.waitFor();
    await page.route(
      (url) => (variablesOf(url)?.after ?? null) !== null,
      (route) =>
        route.fulfill({
          contentType: "application/json",
          body: JSON.stringify({
            data: { search: null },
            errors: [
              {
                message: "The query is too costly: 1200 points, over the limit of 1000.",
                extensions: { code: "COST_LIMIT" },
              },
            ],
          }),
        }),
      { times: 1 },
    );
    await more.click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect((await alert.innerText()).trim()).toBe(
      "The query is too costly: 1200 points, over the limit of 1000.",
    );
  });

  for (const [view, list] of [
    ["/timeline", "timeline"],
    ["/offices", "tenures"],
  ] as const) {
    it(`reads the whole of ${view} again from its first page when the data is reloaded between two of its pages`, async () => {
      explorer.server.app.swap(loadJsonGraph(large));
      expect(await totalOf(list)).toBeGreaterThan(200);
      const page = await explorer.open("/", undefined, { fresh: true });
      const refusals = staleRefusals(page);
      let reloaded = false;
      // the reload comes as the view asks for its second page, with the first page's cursor
      await page.route(
        (url) => (variablesOf(url)?.after ?? null) !== null,
        async (route) => {
          if (!reloaded) {
            reloaded = true;
            reload(large);
          }
          await route.continue();
        },
      );
      await page.goto(`${explorer.server.url}${view}`);
      // shown (its note says what it shows), or failed
      await page.locator('p.note[role="status"], [role="alert"]').first().waitFor();
      expect(await page.getByRole("alert").allInnerTexts()).toEqual([]);
      const rows = page.locator(view === "/timeline" ? "li.time-row" : "li.tenure-row");
      expect(await rows.count()).toBe(await totalOf(list));
      expect(reloaded).toBe(true);
      expect(refusals.length).toBe(1);
      await page.unrouteAll();
    });
  }
});
