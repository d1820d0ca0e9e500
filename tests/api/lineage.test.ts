/** Lineage over HTTP: the built-in office's name changes, and successions between distinct offices. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadJsonGraph } from "../../src/graph/load.js";
import { removeDir } from "../fixtures/datasets.js";
import { ALPHA, BETA, DECISION, GAMMA, writeLineageDataset } from "../fixtures/lineage.js";
import { graphql } from "../gql/index.js";
import { query, startServer, type TestServer } from "../support/server.js";

describe("name changes of the field office in Kazakhstan (built-in data)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it("calls the 2007 decision a renaming and the 2014 one a transformation, each with the source's words", async () => {
    const data = await query(
      server,
      graphql(`
        query FieldOfficeNameChanges {
          office(key: "osce-field-office-kazakhstan") {
            nameHistory {
              nodes {
                name
                decidedBy { key }
                change { kind provenance { kind text } }
                previous { name }
                next { name }
              }
            }
          }
        }
      `),
    );
    expect(data.office?.nameHistory.nodes).toEqual([
      {
        name: "OSCE Centre in Almaty",
        decidedBy: null,
        change: null,
        previous: null,
        next: { name: "OSCE Centre in Astana" },
      },
      {
        name: "OSCE Centre in Astana",
        decidedBy: { key: "event/2007-06-21-permanent-council-renaming" },
        change: {
          kind: "RENAMING",
          provenance: [
            {
              kind: "QUOTE",
              text: "Decision of the Permanent Council on renaming of the OSCE Centre",
            },
          ],
        },
        previous: { name: "OSCE Centre in Almaty" },
        next: { name: "OSCE Programme Office in Astana" },
      },
      {
        name: "OSCE Programme Office in Astana",
        decidedBy: { key: "event/2014-12-18-permanent-council-transformation" },
        change: {
          kind: "TRANSFORMATION",
          provenance: [
            {
              kind: "QUOTE",
              text: "Decision of the Permanent Council on transformation of the OSCE Centre in Astana",
            },
          ],
        },
        previous: { name: "OSCE Centre in Astana" },
        next: null,
      },
    ]);
  });

  it("has no successions between distinct offices, so following the lineage changes nothing", async () => {
    const data = await query(
      server,
      graphql(`
        query FieldOfficeLineage {
          office(key: "osce-field-office-kazakhstan") {
            predecessors { kind }
            successors { kind }
            lineage { kind }
            heads { nodes { key } }
            lineageHeads: heads(followLineage: true) { nodes { key } }
          }
        }
      `),
    );
    expect(data.office).toEqual({
      predecessors: [],
      successors: [],
      lineage: [],
      heads: { nodes: [{ key: "tenure/gyorgy-szabo-head-of-programme-office" }] },
      lineageHeads: { nodes: [{ key: "tenure/gyorgy-szabo-head-of-programme-office" }] },
    });
  });
});

describe("successions between distinct offices (a JSON dataset: Alpha renamed Beta, Beta transformed into Gamma)", () => {
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

  it("gives Gamma its predecessor Beta with the kind, deciding event, date and provenance", async () => {
    const data = await query(
      server,
      graphql(`
        query GammaPredecessors($key: String!) {
          office(key: $key) {
            predecessors {
              predecessor { key name }
              successor { key }
              kind
              decidedBy { key }
              when { edtf }
              provenance { kind text }
            }
            successors { kind }
          }
        }
      `),
      { key: GAMMA },
    );
    expect(data.office).toEqual({
      predecessors: [
        {
          predecessor: { key: BETA, name: "OSCE Centre Beta" },
          successor: { key: GAMMA },
          kind: "TRANSFORMATION",
          decidedBy: { key: DECISION },
          when: { edtf: "2005-06-01" },
          provenance: [
            { kind: "EDITORIAL", text: "Test fixture: Beta was transformed into Gamma." },
          ],
        },
      ],
      successors: [],
    });
  });

  it("follows the lineage back from Gamma and forward from Alpha, nearest first", async () => {
    const data = await query(
      server,
      graphql(`
        query LineageBothWays($gamma: String!, $alpha: String!) {
          gamma: office(key: $gamma) { lineage { predecessor { key } successor { key } kind when { edtf } } }
          alpha: office(key: $alpha) {
            successors { successor { key } kind }
            lineage(direction: SUCCESSORS) { predecessor { key } successor { key } kind }
          }
        }
      `),
      { gamma: GAMMA, alpha: ALPHA },
    );
    expect(data.gamma?.lineage).toEqual([
      {
        predecessor: { key: BETA },
        successor: { key: GAMMA },
        kind: "TRANSFORMATION",
        when: { edtf: "2005-06-01" },
      },
      {
        predecessor: { key: ALPHA },
        successor: { key: BETA },
        kind: "RENAMING",
        when: { edtf: "2000" },
      },
    ]);
    expect(data.alpha).toEqual({
      successors: [{ successor: { key: BETA }, kind: "RENAMING" }],
      lineage: [
        { predecessor: { key: ALPHA }, successor: { key: BETA }, kind: "RENAMING" },
        { predecessor: { key: BETA }, successor: { key: GAMMA }, kind: "TRANSFORMATION" },
      ],
    });
  });

  it("names Gamma's heads, and with followLineage also Alpha's, chronologically, each with its office", async () => {
    const data = await query(
      server,
      graphql(`
        query GammaHeads($key: String!) {
          office(key: $key) {
            heads { totalCount nodes { holder { ... on Person { name } } } }
            lineageHeads: heads(followLineage: true) {
              totalCount
              nodes { holder { ... on Person { name } } post { office { key name } } when { edtf precision } }
            }
            lineageTenures: tenures(followLineage: true, filter: { postKind: { eq: HEAD_OF_OFFICE } }) { totalCount }
          }
        }
      `),
      { key: GAMMA },
    );
    expect(data.office?.heads).toEqual({
      totalCount: 1,
      nodes: [{ holder: { name: "John Roe" } }],
    });
    expect(data.office?.lineageHeads).toEqual({
      totalCount: 2,
      nodes: [
        {
          holder: { name: "Jane Doe" },
          post: { office: { key: ALPHA, name: "OSCE Mission Alpha" } },
          // the coarsest of its ends' precisions: the start 1996-03 is finer than the end 1999
          when: { edtf: "1996-03/1999", precision: "YEAR" },
        },
        {
          holder: { name: "John Roe" },
          post: { office: { key: GAMMA, name: "OSCE Programme Office Gamma" } },
          when: { edtf: "2006-03/..", precision: "MONTH" },
        },
      ],
    });
    expect(data.office?.lineageTenures.totalCount).toBe(2);
  });

  it("does not follow the lineage forward: Alpha's heads stay Alpha's", async () => {
    const data = await query(
      server,
      graphql(`
        query AlphaHeads($key: String!) {
          office(key: $key) { heads(followLineage: true) { nodes { key } } }
        }
      `),
      { key: ALPHA },
    );
    expect(data.office?.heads.nodes).toEqual([{ key: "tenure/jane-doe-head-of-alpha" }]);
  });

  it("lists on the deciding event the succession it made", async () => {
    const data = await query(
      server,
      graphql(`
        query SuccessionsDecided($key: String!) {
          event(key: $key) { successionsDecided { predecessor { key } successor { key } kind } }
        }
      `),
      { key: DECISION },
    );
    expect(data.event?.successionsDecided).toEqual([
      { predecessor: { key: BETA }, successor: { key: GAMMA }, kind: "TRANSFORMATION" },
    ]);
  });
});
