/** Cursor pagination: bounds refused rather than capped, the default page, and stable opaque cursors. */
import { GraphQLError } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import {
  offsetToCursor as cursorOf,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  paginate as paginateList,
} from "../../src/schema/pagination.js";
import type { PrioritiesPageQuery } from "../gql/graphql.js";
import { graphql } from "../gql/index.js";
import { query, startServer, type TestServer } from "../support/server.js";

const items = Array.from({ length: 45 }, (_, i) => `item/${i}`);
const LIST = { field: "Query.items" };
const paginate = (args: Parameters<typeof paginateList>[0], list: readonly string[]) =>
  paginateList(args, list, LIST);
const offsetToCursor = (offset: number) => cursorOf(offset, LIST);
const keys = (page: ReturnType<typeof paginateList<string>>) => page.edges.map((e) => e.node);

function errorOf(run: () => unknown): GraphQLError {
  try {
    run();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error("expected a GraphQLError");
}

describe("paginate", () => {
  it(`returns the first ${DEFAULT_PAGE_SIZE} entries when neither first nor last is given`, () => {
    const page = paginate({}, items);
    expect(keys(page)).toEqual(items.slice(0, DEFAULT_PAGE_SIZE));
    expect(page.totalCount).toBe(45);
    expect(page.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
  });

  it(`returns the ${DEFAULT_PAGE_SIZE} entries before a cursor when only before is given`, () => {
    const page = paginate({ before: offsetToCursor(30) }, items);
    expect(keys(page)).toEqual(items.slice(10, 30));
    expect(page.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
  });

  it("takes the last N entries of the whole list, without before", () => {
    expect(keys(paginate({ last: 3 }, items))).toEqual(["item/42", "item/43", "item/44"]);
  });

  it("applies first, then last, inside after and before", () => {
    expect(
      keys(
        paginate(
          { after: offsetToCursor(4), before: offsetToCursor(20), first: 10, last: 2 },
          items,
        ),
      ),
    ).toEqual(["item/13", "item/14"]);
  });

  it(`accepts 0 and ${MAX_PAGE_SIZE}`, () => {
    expect(keys(paginate({ first: 0 }, items))).toEqual([]);
    expect(keys(paginate({ first: MAX_PAGE_SIZE }, items))).toEqual(items);
    const { startCursor, endCursor, hasPreviousPage, hasNextPage } = paginate(
      { first: 0 },
      items,
    ).pageInfo;
    expect({ startCursor, endCursor, hasPreviousPage, hasNextPage }).toEqual({
      startCursor: null,
      endCursor: null,
      hasPreviousPage: false,
      hasNextPage: true,
    });
  });

  it.each([
    ["first", { first: MAX_PAGE_SIZE + 1 }, MAX_PAGE_SIZE + 1],
    ["first", { first: -1 }, -1],
    ["last", { last: 1000 }, 1000],
    ["last", { last: -20 }, -20],
  ] as const)(
    "refuses %s = %s with BAD_USER_INPUT naming the argument and the bounds",
    (name, args, value) => {
      const error = errorOf(() => paginate(args, items));
      expect(error.message).toBe(
        `Argument "${name}": must be between 0 and ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}), got ${value}. Page through longer lists with \`after\`/\`before\`.`,
      );
      expect(error.extensions).toEqual({ code: "BAD_USER_INPUT", argumentName: name });
    },
  );

  it.each([
    "",
    "not base64!",
    Buffer.from("OffsetConnection:abc").toString("base64"),
    Buffer.from("OffsetConnection:-1").toString("base64"),
    Buffer.from("OffsetConnection:1.5").toString("base64"),
    Buffer.from("SomethingElse:3").toString("base64"),
    "A".repeat(10_000),
    cursorOf(3, { field: "Query.other" }),
    cursorOf(3, { field: "Query.items", of: "person/gyorgy-szabo" }),
    cursorOf(3, LIST, { filter: { name: { eq: "x" } } }),
    cursorOf(3, LIST, { orderBy: [{ field: "NAME", direction: "DESC" }] }),
  ])("refuses the cursor %j", (cursor) => {
    const error = errorOf(() => paginate({ after: cursor }, items));
    expect(error.extensions).toMatchObject({ code: "BAD_CURSOR", argumentName: "after" });
    expect(error.message.length).toBeLessThan(300);
  });

  it("says which list a cursor of another list belongs to", () => {
    const error = errorOf(() => paginate({ after: cursorOf(3, { field: "Query.events" }) }, items));
    expect(error.message).toMatch(/is a cursor of Query\.events, not of Query\.items/);
    expect(error.extensions).toEqual({
      code: "BAD_CURSOR",
      argumentName: "after",
      cursorList: "Query.events",
    });
    const ofAnother = errorOf(() =>
      paginateList({ before: cursorOf(3, { field: "Person.tenures", of: "person/a" }) }, items, {
        field: "Person.tenures",
        of: "person/b",
      }),
    );
    expect(ofAnother.message).toMatch(
      /is a cursor of Person\.tenures of person\/a, not of Person\.tenures of person\/b/,
    );
  });

  it("tells a cursor of another filter from one of another order", () => {
    const filter = { filter: { name: { contains: "osce" } } };
    expect(
      errorOf(() => paginateList({ after: cursorOf(3, LIST, filter) }, items, LIST)).message,
    ).toMatch(/under other arguments/);
    const ordered = { orderBy: [{ field: "NAME", direction: "DESC" }] };
    expect(
      errorOf(() => paginateList({ after: cursorOf(3, LIST, ordered) }, items, LIST)).message,
    ).toMatch(/in another order/);
    // the same arguments, whatever the order of their fields and their absent ones: the same list
    const page = paginateList(
      {
        first: 2,
        after: cursorOf(3, LIST, { filter: { name: { contains: "osce", eq: null } } }),
        ...filter,
      },
      items,
      LIST,
    );
    expect(keys(page)).toEqual(["item/4", "item/5"]);
  });

  it("refuses a cursor of another version of the data, and reads one of the release before, which has none, as of the list's own outside the server", () => {
    // (red team 13, F2: after a reload that added an entry, page 2 with page 1's endCursor
    // repeated page 1's last entry, with no error)
    const v1 = { ...LIST, version: "sha256:aaaa" };
    const v2 = { ...LIST, version: "sha256:bbbb" };
    const error = errorOf(() => paginateList({ after: cursorOf(3, v1) }, items, v2));
    expect(error.extensions).toEqual({
      code: "BAD_CURSOR",
      argumentName: "after",
      cursorList: "Query.items",
      staleCursor: true,
    });
    // a deploy that changed the server's code gives it too (review 17: the words said data only)
    expect(error.message).toMatch(
      /another version of the data or of the server \(.*a deploy changed the server's code.*\).* Fetch the first page again/,
    );
    expect(keys(paginateList({ first: 2, after: cursorOf(3, v2) }, items, v2))).toEqual([
      "item/4",
      "item/5",
    ]);
    // kzc1|list|of|narrowing|order|offset: the cursor this server issued until now, read as then
    const issued = Buffer.from(cursorOf(3, LIST), "base64").toString("utf8").split("|");
    const unversioned = Buffer.from(["kzc1", ...issued.slice(1, 5), issued[6]].join("|")).toString(
      "base64",
    );
    expect(keys(paginateList({ first: 2, after: unversioned }, items, v2))).toEqual([
      "item/4",
      "item/5",
    ]);
  });

  it("reads a cursor of the release before as of the data the server started with: paged while it is served, stale once another version is", () => {
    const issued = Buffer.from(cursorOf(3, LIST), "base64").toString("utf8").split("|");
    const unversioned = Buffer.from(["kzc1", ...issued.slice(1, 5), issued[6]].join("|")).toString(
      "base64",
    );
    const started = { ...LIST, version: "sha256:aaaa", startVersion: "sha256:aaaa" };
    expect(keys(paginateList({ first: 2, after: unversioned }, items, started))).toEqual([
      "item/4",
      "item/5",
    ]);
    const reloaded = { ...LIST, version: "sha256:bbbb", startVersion: "sha256:aaaa" };
    const error = errorOf(() => paginateList({ after: unversioned }, items, reloaded));
    expect(error.extensions).toEqual({
      code: "BAD_CURSOR",
      argumentName: "after",
      cursorList: "Query.items",
      staleCursor: true,
    });
    expect(error.message).toMatch(/another version of the data .* Fetch the first page again/);
  });

  it("refuses a bare offset cursor of release 0.1.0, saying to fetch the first page again", () => {
    const legacy = Buffer.from("OffsetConnection:3").toString("base64");
    const error = errorOf(() => paginate({ after: legacy }, items));
    expect(error.extensions).toEqual({ code: "BAD_CURSOR", argumentName: "after" });
    expect(error.message).toMatch(/earlier release .* Fetch the first page of Query\.items again/);
  });

  it("gives an empty page, not an error, for a cursor past the end", () => {
    const page = paginate({ after: offsetToCursor(500) }, items);
    expect(page.edges).toEqual([]);
    expect(page.pageInfo.hasNextPage).toBe(false);
  });

  it("walks the whole list in pages with endCursor, each entry once, in order", () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const page: ReturnType<typeof paginateList<string>> = paginate({ first: 7, after }, items);
      seen.push(...keys(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(items);
  });
});

const PrioritiesPage = graphql(`
  query PrioritiesPage($first: Int, $after: String) {
    priorities(first: $first, after: $after) {
      totalCount
      edges { cursor node { key } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

describe("pagination over HTTP", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(await loadBuiltInGraph());
  });
  afterAll(() => server.close());

  it("pages through every priority with first: 4, and gives the same cursors for the same entries on every request", async () => {
    const all = await query(server, PrioritiesPage, { first: 100 });
    const seen: { cursor: string; key: string }[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const { priorities }: PrioritiesPageQuery = await query(server, PrioritiesPage, {
        first: 4,
        after,
      });
      seen.push(...priorities.edges.map((e) => ({ cursor: e.cursor, key: e.node.key })));
      if (!priorities.pageInfo.hasNextPage) break;
      after = priorities.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.priorities.edges.map((e) => ({ cursor: e.cursor, key: e.node.key })));
    expect(seen).toHaveLength(all.priorities.totalCount);
  });
});
