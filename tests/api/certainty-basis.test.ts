/**
 * What each certainty for a date rests on, over HTTP (the audit of 5 December, finding 2): beside
 * every `certainty` the API gives for a date, `certaintyBasis` says SOURCE or EDITORIAL and
 * `certaintyRestsOn` names the editorial notes. The audit's own query, answered.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "../gql/index.js";
import { query, startServer, type TestServer } from "../support/server.js";

const RENAMING = /^The document gives the day of the Permanent Council's decision on renaming/;
const TRANSFORMATION =
  /^The document gives the day of the Permanent Council's decision on transformation/;

describe("certaintyBasis beside each certainty (built-in data)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const AuditDocument = graphql(`
    query CertaintyBases {
      office(key: "osce-field-office-kazakhstan") {
        a: namesOn(date: "2008-01-01") {
          certainty certaintyBasis certaintyRestsOn { reason } name { name }
        }
        b: namesOn(date: "2016-03-01") {
          certainty certaintyBasis certaintyRestsOn { reason } name { name }
        }
        locations(asOf: "2008-01-01", certainty: [YES, MAYBE, NO]) {
          edges { certainty certaintyBasis certaintyRestsOn { reason } node { place { key } } }
        }
        nameHistory(asOf: "2015-06-01", certainty: [YES]) {
          edges { certainty certaintyBasis certaintyRestsOn { reason } node { name } }
        }
        plain: nameHistory { edges { certainty certaintyBasis certaintyRestsOn { reason } } }
      }
      troika: tenures(asOf: "1991", certainty: [NO], filter: { key: { eq: "kazakhstan-osce-troika" } }) {
        edges { certainty certaintyBasis certaintyRestsOn { reason } }
      }
      szabo: tenures(asOf: "2016-02-09", filter: { key: { eq: "gyorgy-szabo-head-of-programme-office" } }) {
        edges { certainty certaintyBasis certaintyRestsOn { reason } }
      }
      state(key: "kazakhstan") {
        participatingOn(date: "1993") { certainty certaintyBasis certaintyRestsOn { reason } }
      }
      event(key: "1992-kazakhstan-joins-the-osce") {
        participants(filter: { role: { eq: JOINED } }) {
          nodes { nameThen { text certainty certaintyBasis certaintyRestsOn { reason } } }
        }
      }
      renaming: event(key: "2007-06-21-permanent-council-renaming") {
        participants(filter: { role: { eq: SUBJECT } }) {
          nodes { nameThen { text certainty certaintyBasis certaintyRestsOn { reason } } }
        }
      }
    }
  `);

  it("answers the audit's query with the basis of each certainty", async () => {
    const data = await query(server, AuditDocument);
    const office = data.office!;
    const reasons = (notes: { reason: string }[]) => notes.map((n) => n.reason);

    // 2008: the Centre in Astana by the decision-day rule alone
    expect(office.a).toHaveLength(1);
    expect(office.a[0]).toMatchObject({
      certainty: "YES",
      certaintyBasis: "EDITORIAL",
      name: { name: "OSCE Centre in Astana" },
    });
    expect(reasons(office.a[0]!.certaintyRestsOn)).toEqual([expect.stringMatching(RENAMING)]);
    // from "Since February 9, 2016": the Programme Office by the document
    expect(office.b).toEqual([
      {
        certainty: "YES",
        certaintyBasis: "SOURCE",
        certaintyRestsOn: [],
        name: { name: "OSCE Programme Office in Astana" },
      },
    ]);

    expect(
      office.locations.edges.map((e) => [
        e.node.place.key,
        e.certainty,
        e.certaintyBasis,
        reasons(e.certaintyRestsOn!).map((r) => r.slice(0, 40)),
      ]),
    ).toEqual([
      ["place/almaty", "NO", "EDITORIAL", ["The document does not say when the offic"]],
      ["place/astana", "YES", "EDITORIAL", ["From its renaming the office's name plac"]],
    ]);

    expect(office.nameHistory.edges).toEqual([
      {
        certainty: "YES",
        certaintyBasis: "EDITORIAL",
        certaintyRestsOn: [{ reason: expect.stringMatching(TRANSFORMATION) }],
        node: { name: "OSCE Programme Office in Astana" },
      },
    ]);
    // not asked asOf: no certainty, nor a basis
    for (const edge of office.plain.edges)
      expect(edge).toEqual({ certainty: null, certaintyBasis: null, certaintyRestsOn: null });

    expect(data.troika.edges).toEqual([
      {
        certainty: "NO",
        certaintyBasis: "EDITORIAL",
        certaintyRestsOn: [
          {
            reason: expect.stringMatching(
              /^The document gives only the end of Kazakhstan's time in the Troika/,
            ),
          },
        ],
      },
    ]);
    expect(data.szabo.edges).toEqual([
      { certainty: "YES", certaintyBasis: "SOURCE", certaintyRestsOn: [] },
    ]);
    expect(data.state!.participatingOn).toEqual({
      certainty: "YES",
      certaintyBasis: "SOURCE",
      certaintyRestsOn: [],
    });
  });

  it("says the 1992 accession's CSCE rests on the renaming of 1995, and the 2007 decision's subject on the document", async () => {
    const data = await query(server, AuditDocument);
    const [joined] = data.event!.participants.nodes;
    expect(joined!.nameThen).toEqual({
      text: "Conference on Security and Co-operation in Europe",
      certainty: "YES",
      certaintyBasis: "EDITORIAL",
      certaintyRestsOn: [
        {
          reason: expect.stringMatching(
            /^The Organization was the Conference on Security and Co-operation in Europe \(CSCE\) until the end of 1994/,
          ),
        },
      ],
    });
    const [subject] = data.renaming!.participants.nodes;
    expect(subject!.nameThen).toEqual({
      text: "OSCE Centre in Almaty",
      certainty: "YES",
      certaintyBasis: "SOURCE",
      certaintyRestsOn: [],
    });
  });
});
