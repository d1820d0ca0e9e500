/**
 * The explorer's not-found page for an entity offers what the API suggested ("did you mean",
 * the NOT_FOUND error's `extensions.suggestions`) as links named after the entities, and the link
 * leads to the entity's page. Checked with axe-core (serious and critical: none) like every page.
 */
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { accessibilityFindings, DESKTOP, type Explorer, PHONE, startExplorer } from "./harness.js";
import { describeInChromium } from "./suite.js";

await describeInChromium("suggestions on the explorer's not-found page in Chromium", () => {
  let explorer: Explorer;
  beforeAll(async () => {
    explorer = await startExplorer();
  }, 60_000);
  afterAll(async () => {
    await explorer?.close();
  });
  afterEach(async () => {
    // the 404 of the page opened on purpose is expected; nothing else is
    const errors = (explorer?.errors.splice(0) ?? []).filter(
      (error) => !/\/entity\/person\/nazarbayev(?![-\w])/.test(error),
    );
    expect(errors).toEqual([]);
  });

  const heading = (page: Page) => page.getByRole("heading", { level: 1 });

  for (const [name, viewport] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    it(`offers the entity the API suggests for a near-miss key, by name, and its link leads there (${name})`, async () => {
      // the API itself suggests this key for the slug: the page must show what it said
      const api = await fetch(explorer.server.graphql, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: '{ person(key: "nazarbayev") { name } }' }),
      });
      const answer = (await api.json()) as { errors: { extensions: { suggestions?: string[] } }[] };
      expect(answer.errors[0]!.extensions.suggestions).toContain("person/nursultan-nazarbayev");

      const page = await explorer.open("/entity/person/nazarbayev", viewport);
      expect(explorer.response?.status()).toBe(404);
      await expect.poll(() => heading(page).textContent()).toBe("No such person");
      const suggestions = page.getByRole("region", { name: "Did you mean" });
      const link = suggestions.getByRole("link", { name: "Nursultan Nazarbayev" });
      await expect.poll(() => link.count()).toBe(1);
      expect(await link.getAttribute("href")).toBe("/entity/person/nursultan-nazarbayev");
      expect(await suggestions.innerText()).toContain("person/nursultan-nazarbayev");
      // the search and the home page are still offered beside it
      expect(await page.getByRole("link", { name: "Search for “nazarbayev”" }).count()).toBe(1);
      expect(await accessibilityFindings(page, "an unknown entity, with suggestions")).toEqual([]);

      await link.click();
      await expect
        .poll(() => new URL(page.url()).pathname)
        .toBe("/entity/person/nursultan-nazarbayev");
      await expect.poll(() => heading(page).textContent()).toBe("Nursultan Nazarbayev");
      expect(await page.locator(".entity-header code.key").textContent()).toBe(
        "person/nursultan-nazarbayev",
      );
    });
  }
});
