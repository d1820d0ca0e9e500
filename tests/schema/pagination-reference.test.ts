/**
 * src/schema/pagination.ts pages a list as Pothos' relay plugin does (`resolveArrayConnection`,
 * which served these lists before cursors were bound to their list): on every combination of
 * `first`, `last`, `after` and `before` over short lists and a long one, the same entries, the
 * same `hasPreviousPage` and `hasNextPage`, the same `totalCount`. The one deliberate difference:
 * with `before` alone, ours answers the page just before the cursor (what a client paging backwards
 * wants), Pothos the first page of the list. Cursors past the end of a list, which it never
 * issues, are left out: ours treats them as the end (an empty list then has no previous page), Pothos
 * as an offset beyond it.
 */

import { offsetToCursor as pothosCursor, resolveArrayConnection } from "@pothos/plugin-relay";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_PAGE_SIZE,
  offsetToCursor,
  type PageArgs,
  paginate,
} from "../../src/schema/pagination.js";
import { differences } from "../support/differences.js";

const LIST = { field: "Query.items" };
const ourOffset = (cursor: string) =>
  Number(Buffer.from(cursor, "base64").toString("utf8").split("|").at(-1));
const pothosOffset = (cursor: string) =>
  Number(Buffer.from(cursor, "base64").toString("utf8").slice("OffsetConnection:".length));

interface Case {
  length: number;
  first?: number | undefined;
  last?: number | undefined;
  after?: number | undefined;
  before?: number | undefined;
}

function* cases(): Generator<Case> {
  const sizes = [undefined, 0, 1, 2, 3, 7, 25, 100];
  for (const length of [0, 1, 2, 3, 5, 8, 45]) {
    // cursors this list can issue: `after` an entry, `before` an entry or the end
    const within = [0, 1, 2, Math.floor(length / 2), length - 2, length - 1].filter(
      (n) => n >= 0 && n < length,
    );
    const afters = [undefined, ...new Set(within)];
    const befores = [undefined, ...new Set([...within, length])];
    for (const first of sizes)
      for (const last of sizes)
        for (const after of afters)
          for (const before of befores) yield { length, first, last, after, before };
  }
}

const describeCase = (c: Case) => JSON.stringify(c);

describe("pagination against Pothos' resolveArrayConnection", () => {
  it("gives the same entries and page flags on every combination of first, last, after and before", () => {
    let compared = 0;
    let beforeAlone = 0;
    // each comparison is labelled with its case and asserted with the others by one expect() at
    // the end (tests/support/differences.ts): one per comparison (tens of thousands) cost most of
    // the file
    const compares = differences();
    const same = (c: Case, what: string, ours: unknown, reference: unknown) =>
      compares.add([describeCase(c), what], ours, reference);
    for (const c of cases()) {
      const items = Array.from({ length: c.length }, (_, i) => i);
      const ours = paginate(
        {
          first: c.first,
          last: c.last,
          after: c.after === undefined ? undefined : offsetToCursor(c.after, LIST),
          before: c.before === undefined ? undefined : offsetToCursor(c.before, LIST),
        } satisfies PageArgs,
        items,
        LIST,
      );
      const theirs = resolveArrayConnection(
        {
          args: {
            first: c.first,
            last: c.last,
            after: c.after === undefined ? undefined : pothosCursor(c.after),
            before: c.before === undefined ? undefined : pothosCursor(c.before),
          },
          defaultSize: DEFAULT_PAGE_SIZE,
        },
        items,
      );
      const ourEntries = ours.edges.map((e) => e.node);
      // each edge's cursor stands for its entry's offset, in both
      same(
        c,
        "our cursors",
        ours.edges.map((e) => ourOffset(e.cursor)),
        ourEntries,
      );
      if (
        c.before !== undefined &&
        c.after === undefined &&
        c.first === undefined &&
        c.last === undefined
      ) {
        // the deliberate difference: the page just before the cursor
        const end = Math.min(c.before, c.length);
        same(c, "before alone", ourEntries, items.slice(Math.max(0, end - DEFAULT_PAGE_SIZE), end));
        beforeAlone++;
        continue;
      }
      same(
        c,
        "page",
        {
          entries: ourEntries,
          hasPreviousPage: ours.pageInfo.hasPreviousPage,
          hasNextPage: ours.pageInfo.hasNextPage,
          totalCount: ours.totalCount,
        },
        {
          entries: theirs.edges.map((e) => e!.node),
          hasPreviousPage: theirs.pageInfo.hasPreviousPage,
          hasNextPage: theirs.pageInfo.hasNextPage,
          totalCount: theirs.totalCount,
        },
      );
      same(
        c,
        "Pothos' cursors",
        theirs.edges.map((e) => pothosOffset(e!.cursor)),
        ourEntries,
      );
      compared++;
    }
    compares.check();
    expect(compared).toBeGreaterThan(10_000);
    expect(beforeAlone).toBeGreaterThan(20);
  });
});
