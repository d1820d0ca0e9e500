/**
 * The short relation lists (`names`, `cooperatesWith`, `predecessors`, `successors`, `lineage`)
 * take `filter` and `orderBy` like every list, and answer exactly as before without them; each has
 * a paged twin beside it (`namesConnection`, ...) with the same entries in `first`/`after` pages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { removeDir } from "../fixtures/datasets.js";
import { ALPHA, BETA, GAMMA, writeLineageDataset } from "../fixtures/lineage.js";
import type {
  RelationListsNamesPageQuery as NamesPageData,
  RelationListsNamesPageQueryVariables as NamesPageVariables,
} from "../gql/graphql.js";
import { graphql } from "../gql/index.js";
import { execute, query, startServer, type TestServer } from "../support/server.js";

describe("names and cooperatesWith (built-in dataset)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(await loadBuiltInGraph());
  });
  afterAll(() => server.close());

  const OfficeNames = graphql(`
    query RelationListsOfficeNames($filter: NameFilter, $orderBy: [NameOrder!]) {
      office(key: "osce-field-office-kazakhstan") {
        all: names { text kind }
        chosen: names(filter: $filter, orderBy: $orderBy) { text kind }
      }
    }
  `);

  it("filters an office's names by kind, and orders them by text", async () => {
    const { office } = await query(server, OfficeNames, {
      filter: { kind: { eq: "FORMER_NAME" } },
      orderBy: [{ field: "TEXT", direction: "DESC" }],
    });
    const former = office!.all.filter((n) => n.kind === "FORMER_NAME");
    expect(former.length).toBeGreaterThan(1);
    expect(office!.all.length).toBeGreaterThan(former.length);
    expect(office!.chosen.map((n) => n.text)).toEqual(
      former.map((n) => n.text).sort((a, b) => b.localeCompare(a, "en")),
    );
  });

  it("answers names without arguments as before, canonical first", async () => {
    const { office } = await query(server, OfficeNames, { filter: null, orderBy: null });
    expect(office!.chosen).toEqual(office!.all);
    expect(office!.all[0]!.kind).toBe("CANONICAL");
  });

  const Cooperations = graphql(`
    query RelationListsCooperations($filter: CooperationFilter) {
      state(key: "kazakhstan") { cooperatesWith(filter: $filter) { office { key } } }
    }
  `);

  it("filters a state's cooperations by office key, with the key filter's suggestions on a typo", async () => {
    const { state } = await query(server, Cooperations, {
      filter: { office: { in: ["odihr", "hcnm"] } },
    });
    expect(state!.cooperatesWith.map((c) => c.office.key).sort()).toEqual([
      "office/hcnm",
      "office/odihr",
    ]);
    const typo = await execute(server, Cooperations, { filter: { office: { eq: "odhir" } } });
    expect(typo.errors?.[0]?.extensions).toEqual({
      code: "BAD_USER_INPUT",
      argumentName: "filter.office.eq",
    });
    expect(typo.errors?.[0]?.message).toMatch(/did you mean office\/odihr\?/);
  });
});

describe("the paged twins of the short lists (built-in dataset)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(await loadBuiltInGraph());
  });
  afterAll(() => server.close());

  const NamesPage = graphql(`
    query RelationListsNamesPage($key: String!, $first: Int, $after: String, $filter: NameFilter) {
      office(key: $key) {
        names(filter: $filter) { text kind }
        namesConnection(first: $first, after: $after, filter: $filter) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes { text kind }
        }
      }
    }
  `);

  it("pages an office's names two at a time, giving exactly the plain list's names in its order", async () => {
    const key = "osce-field-office-kazakhstan";
    const paged: { text: string; kind: string }[] = [];
    let after: string | null = null;
    let plain: { text: string; kind: string }[] = [];
    for (let round = 0; round < 20; round++) {
      const answer: Awaited<ReturnType<typeof query<NamesPageData, NamesPageVariables>>> =
        await query(server, NamesPage, { key, first: 2, after });
      const office = answer.office;
      plain = office!.names;
      expect(office!.namesConnection.totalCount).toBe(plain.length);
      expect(office!.namesConnection.nodes.length).toBeLessThanOrEqual(2);
      paged.push(...office!.namesConnection.nodes);
      if (!office!.namesConnection.pageInfo.hasNextPage) break;
      after = office!.namesConnection.pageInfo.endCursor;
    }
    expect(plain.length).toBeGreaterThan(2);
    expect(paged).toEqual(plain);
  });

  it("pages the filtered list, and counts only what the filter keeps", async () => {
    const filter = { kind: { eq: "FORMER_NAME" as const } };
    const { office } = await query(server, NamesPage, {
      key: "osce-field-office-kazakhstan",
      first: 1,
      after: null,
      filter,
    });
    expect(office!.namesConnection.totalCount).toBe(office!.names.length);
    expect(office!.namesConnection.nodes).toEqual(office!.names.slice(0, 1));
    expect(office!.namesConnection.pageInfo.hasNextPage).toBe(office!.names.length > 1);
  });

  it("refuses a cursor of one office's names in another office's names", async () => {
    const first = await query(server, NamesPage, {
      key: "osce-field-office-kazakhstan",
      first: 1,
      after: null,
    });
    const cursor = first.office!.namesConnection.pageInfo.endCursor;
    const foreign = await execute(server, NamesPage, { key: "odihr", first: 1, after: cursor });
    expect(foreign.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_CURSOR",
      argumentName: "after",
      cursorList: "Office.namesConnection of office/osce-field-office-kazakhstan",
    });
  });

  const CooperationsPage = graphql(`
    query RelationListsCooperationsPage($first: Int, $after: String) {
      state(key: "kazakhstan") {
        cooperatesWith { office { key } }
        cooperatesWithConnection(first: $first, after: $after) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes { office { key } }
        }
      }
    }
  `);

  it("pages Kazakhstan's cooperations, the second page following the first", async () => {
    const one = await query(server, CooperationsPage, { first: 1, after: null });
    const all = one.state!.cooperatesWith.map((c) => c.office.key);
    expect(all.length).toBeGreaterThan(1);
    expect(one.state!.cooperatesWithConnection.totalCount).toBe(all.length);
    expect(one.state!.cooperatesWithConnection.nodes.map((c) => c.office.key)).toEqual(
      all.slice(0, 1),
    );
    const two = await query(server, CooperationsPage, {
      first: 100,
      after: one.state!.cooperatesWithConnection.pageInfo.endCursor,
    });
    expect(two.state!.cooperatesWithConnection.nodes.map((c) => c.office.key)).toEqual(
      all.slice(1),
    );
    expect(two.state!.cooperatesWithConnection.pageInfo.hasNextPage).toBe(false);
  });

  it("checks a page's size like every list", async () => {
    const tooMany = await execute(server, CooperationsPage, { first: 101, after: null });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      argumentName: "first",
    });
  });
});

describe("successions (JSON dataset: Alpha renamed Beta, Beta transformed into Gamma)", () => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    dir = writeLineageDataset();
    server = await startServer(loadJsonGraph(dir));
  });
  afterAll(async () => {
    await server.close();
    removeDir(dir);
  });

  const Lineage = graphql(`
    query RelationListsLineage($gamma: String!, $alpha: String!, $filter: SuccessionFilter, $orderBy: [SuccessionOrder!]) {
      gamma: office(key: $gamma) {
        lineage(filter: $filter, orderBy: $orderBy) { predecessor { key } kind }
        predecessors(filter: $filter) { predecessor { key } }
      }
      alpha: office(key: $alpha) { successors(filter: $filter) { successor { key } } }
    }
  `);

  it("filters a lineage by kind and orders it by date", async () => {
    const renamings = await query(server, Lineage, {
      gamma: GAMMA,
      alpha: ALPHA,
      filter: { kind: { eq: "RENAMING" } },
    });
    expect(renamings.gamma!.lineage).toEqual([{ predecessor: { key: ALPHA }, kind: "RENAMING" }]);
    expect(renamings.gamma!.predecessors).toEqual([]);
    expect(renamings.alpha!.successors).toEqual([{ successor: { key: BETA } }]);
    const oldestFirst = await query(server, Lineage, {
      gamma: GAMMA,
      alpha: ALPHA,
      orderBy: [{ field: "DATE" }],
    });
    expect(oldestFirst.gamma!.lineage.map((s) => s.kind)).toEqual(["RENAMING", "TRANSFORMATION"]);
  });

  const LineagePage = graphql(`
    query RelationListsLineagePage($gamma: String!, $alpha: String!, $first: Int, $after: String, $direction: LineageDirection! = PREDECESSORS) {
      gamma: office(key: $gamma) {
        lineageConnection(first: $first, after: $after, direction: $direction) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes { predecessor { key } kind }
        }
        predecessorsConnection { totalCount nodes { predecessor { key } } }
      }
      alpha: office(key: $alpha) { successorsConnection(first: 1) { totalCount nodes { successor { key } } } }
    }
  `);

  it("pages a lineage one succession at a time, nearest first", async () => {
    const one = await query(server, LineagePage, {
      gamma: GAMMA,
      alpha: ALPHA,
      first: 1,
      after: null,
    });
    expect(one.gamma!.lineageConnection.totalCount).toBe(2);
    expect(one.gamma!.lineageConnection.nodes).toEqual([
      { predecessor: { key: BETA }, kind: "TRANSFORMATION" },
    ]);
    const two = await query(server, LineagePage, {
      gamma: GAMMA,
      alpha: ALPHA,
      first: 1,
      after: one.gamma!.lineageConnection.pageInfo.endCursor,
    });
    expect(two.gamma!.lineageConnection.nodes).toEqual([
      { predecessor: { key: ALPHA }, kind: "RENAMING" },
    ]);
    expect(two.gamma!.lineageConnection.pageInfo.hasNextPage).toBe(false);
    expect(one.gamma!.predecessorsConnection).toEqual({
      totalCount: 1,
      nodes: [{ predecessor: { key: BETA } }],
    });
    expect(one.alpha!.successorsConnection).toEqual({
      totalCount: 1,
      nodes: [{ successor: { key: BETA } }],
    });
  });

  it("refuses a cursor of the lineage back in the lineage forward: the direction narrows the list", async () => {
    const one = await query(server, LineagePage, {
      gamma: GAMMA,
      alpha: ALPHA,
      first: 1,
      after: null,
    });
    const other = await execute(server, LineagePage, {
      gamma: GAMMA,
      alpha: ALPHA,
      first: 1,
      after: one.gamma!.lineageConnection.pageInfo.endCursor,
      direction: "SUCCESSORS",
    });
    expect(other.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_CURSOR",
      argumentName: "after",
    });
    expect(other.errors?.[0]?.message).toMatch(/under other arguments/);
  });

  it("filters successions by date", async () => {
    const after2001 = await query(server, Lineage, {
      gamma: GAMMA,
      alpha: ALPHA,
      filter: { when: { after: "2001" } },
    });
    expect(after2001.gamma!.lineage).toEqual([
      { predecessor: { key: BETA }, kind: "TRANSFORMATION" },
    ]);
    expect(after2001.alpha!.successors).toEqual([]);
  });
});
