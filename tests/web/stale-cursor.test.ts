/**
 * The explorer after a live reload (review 16d): a cursor of the data before it is refused
 * (`staleCursor`, src/schema/pagination.ts), and the explorer kept every answer for the page's
 * lifetime, so a list opened again came from that cache with its old cursors, and "Show more"
 * failed for good, until the tab was reloaded (and, through an HTTP cache's max-age, after). Now
 * the failure says the data was updated, the answers kept are dropped, and each is asked again.
 */
import { afterAll, expect, it } from "vitest";
import { loadJsonGraph } from "../../src/graph/load.js";
import { request } from "../../web/src/api.js";
import { SearchDocument } from "../../web/src/documents.js";
import { editJson, exportToTmp, removeDir } from "../fixtures/datasets.js";
import { explorerModelAgainstServer } from "./model-in-node.js";

const dir = exportToTmp();
const server = explorerModelAgainstServer(() => loadJsonGraph(dir));
afterAll(() => removeDir(dir));

/** The search view's page (web/src/views/search.tsx): the first on opening, then "Show more". */
async function page(after: string | null) {
  const { search } = await request(SearchDocument, { query: "osce", kinds: null, after });
  return {
    keys: search.nodes.map((node) => node.entity.key),
    next: search.pageInfo.hasNextPage ? search.pageInfo.endCursor : null,
  };
}

it("says the data was updated when a list is paged on after a reload, and pages on once the list is opened again", async () => {
  const first = await page(null);
  expect(first.next).not.toBeNull();
  editJson(dir, "persons", (persons) => (persons[0].name.text += " Jr."));
  server().app.swap(loadJsonGraph(dir));
  await expect(page(first.next)).rejects.toThrow(
    "The data was updated since this list was shown: open it again to see it as it is now.",
  );
  // opened again: asked again (it came from the explorer's cache, with the old cursor)
  const reopened = await page(null);
  expect(reopened.next).not.toBe(first.next);
  const more = await page(reopened.next);
  expect(more.keys.length).toBeGreaterThan(0);
  expect(more.keys.some((key) => reopened.keys.includes(key))).toBe(false);
});
