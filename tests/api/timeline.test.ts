/** The timeline over HTTP: every dated fact in a sensible, total order, filterable by period, entity and kind. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TimelineFilter, TimelineOrder } from "../gql/graphql.js";
import { graphql } from "../gql/index.js";
import { execute, query, startServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const TimelineDocument = graphql(`
  query TimelineEntries($filter: TimelineFilter, $orderBy: [TimelineOrder!], $first: Int, $after: String) {
    timeline(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { date { edtf } kind label }
    }
  }
`);
/** The entries as "date kind label", all on one page (the default page is 20 entries). */
const entries = async (filter?: TimelineFilter, orderBy?: TimelineOrder[]) =>
  (await query(server, TimelineDocument, { filter, orderBy, first: 100 })).timeline.nodes.map(
    (n) => `${n.date.edtf} ${n.kind} ${n.label}`,
  );

describe("timeline order", () => {
  it("puts a year before its months, an end on its last possible day, then orders by kind and a stable id (2010-2011)", async () => {
    expect(await entries({ date: { overlaps: "2010/2011" } })).toEqual([
      "2010 EVENT Kazakhstan's OSCE Chairmanship",
      "2010 TENURE_START Kazakhstan – OSCE Chairmanship: start of tenure",
      "2010-07-16/2010-07-17 EVENT Informal OSCE Ministerial Council in Almaty",
      "2010-12-01/2010-12-02 EVENT Astana OSCE Summit",
      "2010-12-01/2010-12-02 TENURE_ATTESTED Nursultan Nazarbayev – President of the Republic of Kazakhstan: tenure attested",
      // the Chairmanship lasted through 2010 (tenures(asOf: "2010-12-31") is YES): its end comes
      // after the July and December events it held, not before them (the audit's finding 5)
      "2010 TENURE_END Kazakhstan – OSCE Chairmanship: end of tenure",
      "2011-09 TENURE_START Kazakhstan – Chairmanship of the Forum for Security Co-operation: start of tenure",
      "2011-09/2011-12 EVENT Kazakhstan's Chairmanship in the Forum for Security Co-operation",
      '2011-12 EVENT Completion of the State program "Path to Europe" and of Kazakhstan\'s activities in the OSCE Troika',
      "2011-12 TENURE_END Kazakhstan – Chairmanship of the Forum for Security Co-operation: end of tenure",
      "2011-12 TENURE_END Kazakhstan – Member of the OSCE Troika: end of tenure",
    ]);
  });

  it("is chronological over the whole timeline: a moment by its first possible day, an end by its last", async () => {
    const data = await query(
      server,
      graphql(`
        query WholeTimeline {
          timeline(first: 100) {
            totalCount
            nodes { kind date { earliest latest precision startsNotBefore { key } } }
          }
        }
      `),
    );
    const nodes = data.timeline.nodes;
    expect(nodes).toHaveLength(data.timeline.totalCount);
    // an entry's day: an end's last possible day, anything else's first; among entries of one
    // day a year before its months and days, a start an event bounds after them (what the event
    // made came of it), and an end after them all (a period holds what happens on its last day)
    const precision = { YEAR: 0, MONTH: 1, DAY: 2 } as const;
    const isEnd = (kind: string) => kind === "TENURE_END" || kind === "LOCATION_END";
    const place = ({ kind, date }: (typeof nodes)[number]) =>
      isEnd(kind)
        ? { day: date.latest!, rank: 4 }
        : { day: date.earliest!, rank: date.startsNotBefore ? 3 : precision[date.precision] };
    let decided = 0;
    let ends = 0;
    for (let i = 1; i < nodes.length; i++) {
      const [a, b] = [place(nodes[i - 1]!), place(nodes[i]!)];
      expect(a.day <= b.day).toBe(true);
      if (a.day === b.day) expect(a.rank <= b.rank).toBe(true);
      if (isEnd(nodes[i]!.kind)) ends++;
      const [x, y] = [nodes[i - 1]!.date, nodes[i]!.date];
      if (
        x.earliest === y.earliest &&
        nodes[i - 1]!.kind === "EVENT" &&
        nodes[i]!.kind === "NAME_CHANGE"
      )
        decided++;
    }
    // the renamings of 2007 and 2014 follow the decisions of their days
    expect(decided).toBe(2);
    expect(ends).toBeGreaterThanOrEqual(4);
  });

  it("reverses exactly with DATE DESC", async () => {
    const ascending = await entries();
    expect(await entries(undefined, [{ field: "DATE", direction: "DESC" }])).toEqual(
      [...ascending].reverse(),
    );
  });

  it("pages with first: 1 without skipping or repeating, counting the filtered list", async () => {
    const filter: TimelineFilter = { kind: { in: ["EVENT", "NAME_CHANGE"] } };
    const whole = await entries(filter);
    const seen: string[] = [];
    let after: string | null | undefined;
    for (let i = 0; i < 40; i++) {
      const data = await query(server, TimelineDocument, { filter, first: 1, after });
      expect(data.timeline.totalCount).toBe(whole.length);
      seen.push(...data.timeline.nodes.map((n) => `${n.date.edtf} ${n.kind} ${n.label}`));
      if (!data.timeline.pageInfo.hasNextPage) break;
      after = data.timeline.pageInfo.endCursor;
    }
    expect(seen).toEqual(whole);
    expect(whole).toHaveLength(16);
  });
});

describe("timeline entries", () => {
  it("tells the story of one office by entity: opening, renamings, moves, head", async () => {
    expect(await entries({ entity: { eq: "office/osce-field-office-kazakhstan" } })).toEqual([
      "1999 EVENT Opening of the OSCE Centre in Almaty",
      "1999 LOCATION_START OSCE Centre in Almaty located in Almaty from this date",
      // a name change (and the move it implies) is dated to its decision's day, after the decision
      "2007-06-21 EVENT Permanent Council decision renaming the OSCE Centre into the OSCE Centre in Astana",
      "2007-06-21 NAME_CHANGE OSCE Centre in Almaty renamed OSCE Centre in Astana",
      "2007-06-21 LOCATION_START OSCE Centre in Astana located in Astana from this date",
      "2007-06-21 LOCATION_END OSCE Centre in Almaty located in Almaty until this date",
      "2014-12-18 EVENT Permanent Council decision transforming the OSCE Centre in Astana into the OSCE Programme Office in Astana",
      "2014-12-18 NAME_CHANGE OSCE Centre in Astana transformed into OSCE Programme Office in Astana",
      "2016-02-09 TENURE_START György Szabó – Head of the OSCE Programme Office in Astana: start of tenure",
    ]);
  });

  it("gives no end for an open or unknown end, and no start for an unknown start", async () => {
    expect(
      await entries({ kind: { in: ["TENURE_START", "TENURE_END", "TENURE_ATTESTED"] } }),
    ).toEqual([
      "2010 TENURE_START Kazakhstan – OSCE Chairmanship: start of tenure",
      "2010-12-01/2010-12-02 TENURE_ATTESTED Nursultan Nazarbayev – President of the Republic of Kazakhstan: tenure attested",
      "2010 TENURE_END Kazakhstan – OSCE Chairmanship: end of tenure",
      "2011-09 TENURE_START Kazakhstan – Chairmanship of the Forum for Security Co-operation: start of tenure",
      "2011-12 TENURE_END Kazakhstan – Chairmanship of the Forum for Security Co-operation: end of tenure",
      "2011-12 TENURE_END Kazakhstan – Member of the OSCE Troika: end of tenure",
      "2014-09 TENURE_START Madina Jarbussynova – OSCE Special Representative on Combating Trafficking in Human Beings: start of tenure",
      "2016-02-09 TENURE_START György Szabó – Head of the OSCE Programme Office in Astana: start of tenure",
    ]);
  });

  it("links each entry to its fact and subject, with provenance", async () => {
    const data = await query(
      server,
      graphql(`
        query TimelineFacts {
          timeline(filter: { entity: { eq: "person/gyorgy-szabo" } }) {
            nodes {
              kind
              date { edtf precision wording provenance { text } }
              subject { key }
              tenure { key when { edtf } }
              event { key }
              officeName { name }
              provenance { kind text }
            }
          }
          renamings: timeline(filter: { kind: { eq: NAME_CHANGE } }) {
            nodes { subject { key } officeName { name decidedBy { key } } event { key } }
          }
        }
      `),
    );
    expect(data.timeline.nodes).toEqual([
      {
        kind: "TENURE_START",
        date: {
          edtf: "2016-02-09",
          precision: "DAY",
          wording: null,
          provenance: [
            {
              text: "Since February 9, 2016 - The OSCE Programmme Office in Astana is headed by Hungarian Ambassador Gyorgy Sabo.",
            },
          ],
        },
        subject: { key: "person/gyorgy-szabo" },
        tenure: {
          key: "tenure/gyorgy-szabo-head-of-programme-office",
          when: { edtf: "2016-02-09/.." },
        },
        event: null,
        officeName: null,
        // the tenure's quote, then its date's: the first alone does not say "since February 9, 2016"
        provenance: [
          {
            kind: "QUOTE",
            text: "The OSCE Programmme Office in Astana is headed by Hungarian Ambassador Gyorgy Sabo.",
          },
          {
            kind: "QUOTE",
            text: "Since February 9, 2016 - The OSCE Programmme Office in Astana is headed by Hungarian Ambassador Gyorgy Sabo.",
          },
        ],
      },
    ]);
    expect(data.renamings.nodes).toEqual([
      // the CSCE became the OSCE from 1 January 1995 (editorial: the document calls it the OSCE)
      {
        subject: { key: "office/osce" },
        officeName: {
          name: "Organization for Security and Co-operation in Europe",
          decidedBy: null,
        },
        event: null,
      },
      {
        subject: { key: "office/osce-field-office-kazakhstan" },
        officeName: {
          name: "OSCE Centre in Astana",
          decidedBy: { key: "event/2007-06-21-permanent-council-renaming" },
        },
        event: null,
      },
      {
        subject: { key: "office/osce-field-office-kazakhstan" },
        officeName: {
          name: "OSCE Programme Office in Astana",
          decidedBy: { key: "event/2014-12-18-permanent-council-transformation" },
        },
        event: null,
      },
    ]);
  });

  it("cites for a start, a change of name or an end only what gives that end of the period (the honest54 audit, F8)", async () => {
    const data = await query(
      server,
      graphql(`
        query TimelineBoundProvenance {
          timeline(
            filter: { entity: { eq: "office/osce-field-office-kazakhstan" }, not: { kind: { eq: EVENT } } }
            first: 100
          ) {
            nodes {
              kind
              label
              date { edtf provenance { kind text } }
              provenance { kind text }
            }
          }
          troika: timeline(
            filter: { entity: { eq: "tenure/kazakhstan-osce-troika" }, kind: { eq: TENURE_END } }
          ) {
            nodes { kind provenance { kind text } }
          }
        }
      `),
    );
    const LINE_10 = "1999 – Opening of the OSCE Center in Almaty.";
    const LINE_12 =
      "June 21, 2007 - Decision of the Permanent Council on renaming of the OSCE Centre into the OSCE Centre in Astana.";
    const LINE_28 =
      "December 18, 2014 – Decision of the Permanent Council on transformation of the OSCE Centre in Astana into the OSCE Programme Office in Astana.";
    const cited = (label: string) => {
      const node = data.timeline.nodes.find((n) => n.label === label);
      expect(node, label).toBeDefined();
      // the entry's date cites what its own provenance adds to the fact's
      for (const p of node!.date.provenance) expect(node!.provenance).toContainEqual(p);
      return node!.provenance.map((p) => (p.kind === "QUOTE" ? p.text : `note: ${p.text}`));
    };
    const renamed = cited("OSCE Centre in Almaty renamed OSCE Centre in Astana");
    // line 12 and the note that dates the change to its decision's day: not line 28, the 2016
    // line or the transformation's note, which give the end of the name the renaming gave
    expect(renamed).toEqual([
      LINE_12,
      expect.stringMatching(/^note: .*decision on renaming \(June 21, 2007\)/),
    ]);
    expect(cited("OSCE Centre in Astana transformed into OSCE Programme Office in Astana")).toEqual(
      [LINE_28, expect.stringMatching(/^note: .*decision on transformation \(December 18, 2014\)/)],
    );
    // the stay in Almaty began with the opening of 1999; it ended with the renaming
    expect(cited("OSCE Centre in Almaty located in Almaty from this date")).toEqual([LINE_10]);
    expect(cited("OSCE Centre in Almaty located in Almaty until this date")).toEqual([
      LINE_10,
      LINE_12,
      expect.stringMatching(/^note: The document does not say when the office left Almaty/),
    ]);
    const inAstana = cited("OSCE Centre in Astana located in Astana from this date");
    expect(inAstana).toContain(LINE_12);
    expect(inAstana).not.toContain(LINE_28);
    expect(inAstana.join(" ")).not.toContain("its field mission");
    // the Troika's end: the 2011 line, not the accession and the note that bound its start
    expect(data.troika.nodes).toEqual([
      {
        kind: "TENURE_END",
        provenance: [
          {
            kind: "QUOTE",
            text: 'the activities of the Republic of Kazakhstan in the "Troika" of the OSCE',
          },
          {
            kind: "QUOTE",
            text: 'December 2011 - completion of the State program "Path to Europe" and the activities of the Republic of Kazakhstan in the "Troika" of the OSCE.',
          },
        ],
      },
    ]);
  });

  it("finds entries by a participant, a place, or a slug", async () => {
    expect(await entries({ entity: { eq: "nursultan-nazarbayev" } })).toEqual([
      "2010-12-01/2010-12-02 EVENT Astana OSCE Summit",
      "2010-12-01/2010-12-02 TENURE_ATTESTED Nursultan Nazarbayev – President of the Republic of Kazakhstan: tenure attested",
    ]);
    expect(await entries({ entity: { eq: "almaty" }, not: { kind: { eq: "EVENT" } } })).toEqual([
      "1999 LOCATION_START OSCE Centre in Almaty located in Almaty from this date",
      "2007-06-21 LOCATION_END OSCE Centre in Almaty located in Almaty until this date",
    ]);
  });

  it("combines period, entity and kind with or", async () => {
    expect(
      await entries({
        or: [
          { kind: { eq: "NAME_CHANGE" } },
          { entity: { eq: "state/kazakhstan" }, kind: { eq: "EVENT" }, date: { before: "2000" } },
        ],
      }),
    ).toEqual([
      "1992 EVENT Kazakhstan becomes an OSCE participating State",
      "1995-01-01 NAME_CHANGE Conference on Security and Co-operation in Europe renamed Organization for Security and Co-operation in Europe",
      "2007-06-21 NAME_CHANGE OSCE Centre in Almaty renamed OSCE Centre in Astana",
      "2014-12-18 NAME_CHANGE OSCE Centre in Astana transformed into OSCE Programme Office in Astana",
    ]);
  });
});

describe("bad timeline input", () => {
  it.each([
    [{ entity: { eq: "osce-chairmanship" } }, "filter.entity.eq", /ambiguous/],
    [
      { entity: { eq: "person/gyorgy-sabo" } },
      "filter.entity.eq",
      /no person has the key "person\/gyorgy-sabo" \(did you mean person\/gyorgy-szabo\?\)/,
    ],
    [{ date: { overlaps: "2010/2009" } }, "filter.date.overlaps", /ends before it starts/],
    [{ kind: { in: [] } }, "filter.kind.in", /empty list/],
  ] as [TimelineFilter, string, RegExp][])(
    "rejects %j naming %s",
    async (filter, path, message) => {
      const result = await execute(server, TimelineDocument, { filter });
      expect(result.errors?.[0]).toMatchObject({
        extensions: { code: "BAD_USER_INPUT", argumentName: path },
      });
      expect(result.errors?.[0]?.message).toMatch(message);
    },
  );
});
