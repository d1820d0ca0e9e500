/**
 * The explorer after a live reload (review 16d): a cursor of the data before it is refused
 * (`staleCursor`, src/schema/pagination.ts), and the explorer kept every answer for the page's
 * lifetime, so a list opened again came from that cache with its old cursors, and "Show more"
 * failed for good, until the tab was reloaded (and, through an HTTP cache's max-age, after). Now
 * the failure says the data was updated (marked `staleCursor`, for a view to read its list again by
 * itself: review 17), the answers kept are dropped, and each is asked again, by POST, which no
 * shared cache answers (review 17: a CDN answered the browser's revalidation from its old copy).
 */
import { afterAll, expect, it, vi } from "vitest";
import { loadJsonGraph } from "../../src/graph/load.js";
import { documentUrl, forgetAnswers, readAgainWhenStale, request } from "../../web/src/api.js";
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
  // marked, for a view to start its list again by itself (review 17)
  await expect(page(first.next)).rejects.toMatchObject({
    message:
      "The data was updated since this list was shown: open it again to see it as it is now.",
    staleCursor: true,
  });
  // opened again: asked again (it came from the explorer's cache, with the old cursor)
  const reopened = await page(null);
  expect(reopened.next).not.toBe(first.next);
  const more = await page(reopened.next);
  expect(more.keys.length).toBeGreaterThan(0);
  expect(more.keys.some((key) => reopened.keys.includes(key))).toBe(false);
});

it("reads a list again from its first page when a reload comes between two of its pages, twice at most", async () => {
  /** The first two pages of the search, with `reloads` reloads of the data between them. */
  const firstTwoPages = (reloads: { left: number }) => {
    let reads = 0;
    const read = readAgainWhenStale(async () => {
      reads++;
      const first = await page(null);
      if (reloads.left-- > 0) {
        editJson(dir, "persons", (persons) => (persons[0].name.text += " Jr."));
        server().app.swap(loadJsonGraph(dir));
      }
      return [first, await page(first.next)];
    });
    return { read, reads: () => reads };
  };
  // the test before left these pages' answers kept: asked again, they are read from the server
  forgetAnswers();
  const once = firstTwoPages({ left: 1 });
  const [first, second] = await once.read;
  expect(once.reads()).toBe(2);
  expect(second!.keys.some((key) => first!.keys.includes(key))).toBe(false);
  forgetAnswers();
  const always = firstTwoPages({ left: Number.POSITIVE_INFINITY });
  await expect(always.read).rejects.toMatchObject({
    message:
      "The data was updated again and again while this list was read: reload the page to see it as it is now.",
    staleCursor: true,
  });
  expect(always.reads()).toBe(3);
});

it("asks again by POST after a stale cursor, which no shared cache answers, where it asked by GET before", async () => {
  // (review 17, finding 8: a GET with `cache: "no-cache"` was revalidated by a CDN in front
  // from its own copy, the list's old first page with its old cursors; Node's fetch has no HTTP
  // cache, so the test above passed whatever the request after the stale cursor was)
  forgetAnswers();
  const sent: { url: string; init: RequestInit | undefined }[] = [];
  const page = (endCursor: string) => ({
    data: {
      search: {
        totalCount: 41,
        nodes: [],
        pageInfo: { hasNextPage: true, endCursor },
      },
    },
  });
  const answers = [
    page("first"),
    {
      data: { search: null },
      errors: [{ message: "stale", extensions: { code: "BAD_CURSOR", staleCursor: true } }],
    },
    page("first, again"),
  ];
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({ url: String(input), init });
    return Response.json(answers[sent.length - 1]);
  });
  const ask = (after: string | null) =>
    request(SearchDocument, { query: "osce", kinds: null, after });
  await ask(null);
  await expect(ask("first")).rejects.toMatchObject({ staleCursor: true });
  await ask(null);
  forgetAnswers();
  const documentId = (SearchDocument as unknown as { __meta__: { hash: string } }).__meta__.hash;
  // before: GETs of the trusted document, which HTTP caches keep (the stale answer's among them)
  for (const [i, after] of [null, "first"].entries()) {
    expect(sent[i]!.init?.method ?? "GET").toBe("GET");
    expect(sent[i]!.url).toBe(documentUrl(documentId, { query: "osce", kinds: null, after }));
  }
  // after: the same document and variables, POSTed (the server answers a POST `no-store`)
  expect(sent).toHaveLength(3);
  expect(sent[2]!.url).toBe("/graphql");
  expect(sent[2]!.init?.method).toBe("POST");
  expect(JSON.parse(String(sent[2]!.init?.body))).toEqual({
    documentId,
    variables: { query: "osce", kinds: null, after: null },
  });
});
