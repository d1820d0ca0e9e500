/**
 * The short relation lists (`names`, `cooperatesWith`, `predecessors`, `successors`, `lineage`)
 * take `filter` and `orderBy` like every list, and answer exactly as before without them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadJsonGraph } from "../../src/graph/load.js";
import { loadBuiltInGraph } from "../../data/load.js";
import { removeDir } from "../fixtures/datasets.js";
import { ALPHA, BETA, GAMMA, writeLineageDataset } from "../fixtures/lineage.js";
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
    const { office } = await query(server, OfficeNames, { filter: { kind: { eq: "FORMER_NAME" } }, orderBy: [{ field: "TEXT", direction: "DESC" }] });
    const former = office!.all.filter((n) => n.kind === "FORMER_NAME");
    expect(former.length).toBeGreaterThan(1);
    expect(office!.all.length).toBeGreaterThan(former.length);
    expect(office!.chosen.map((n) => n.text)).toEqual(former.map((n) => n.text).sort((a, b) => b.localeCompare(a, "en")));
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
    const { state } = await query(server, Cooperations, { filter: { office: { in: ["odihr", "hcnm"] } } });
    expect(state!.cooperatesWith.map((c) => c.office.key).sort()).toEqual(["office/hcnm", "office/odihr"]);
    const typo = await execute(server, Cooperations, { filter: { office: { eq: "odhir" } } });
    expect(typo.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT", argumentName: "filter.office.eq" });
    expect(typo.errors?.[0]?.message).toMatch(/did you mean office\/odihr\?/);
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
    const renamings = await query(server, Lineage, { gamma: GAMMA, alpha: ALPHA, filter: { kind: { eq: "RENAMING" } } });
    expect(renamings.gamma!.lineage).toEqual([{ predecessor: { key: ALPHA }, kind: "RENAMING" }]);
    expect(renamings.gamma!.predecessors).toEqual([]);
    expect(renamings.alpha!.successors).toEqual([{ successor: { key: BETA } }]);
    const oldestFirst = await query(server, Lineage, { gamma: GAMMA, alpha: ALPHA, orderBy: [{ field: "DATE" }] });
    expect(oldestFirst.gamma!.lineage.map((s) => s.kind)).toEqual(["RENAMING", "TRANSFORMATION"]);
  });

  it("filters successions by date", async () => {
    const after2001 = await query(server, Lineage, { gamma: GAMMA, alpha: ALPHA, filter: { when: { after: "2001" } } });
    expect(after2001.gamma!.lineage).toEqual([{ predecessor: { key: BETA }, kind: "TRANSFORMATION" }]);
    expect(after2001.alpha!.successors).toEqual([]);
  });
});
