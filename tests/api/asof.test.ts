/**
 * "As of" a date, over HTTP: every time-bound list answers with each entry's certainty (YES,
 * MAYBE, NO) for the date, judged against the source's last update (2016-03-18), and lets the
 * client ask for only some certainties.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coverage, parsePartialDate } from "../../src/graph/dates.js";
import type { Certainty } from "../gql/graphql.js";
import { graphql } from "../gql/index.js";
import { execute, query, startServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const HeadsDocument = graphql(`
  query ProgrammeOfficeHeadsAsOf($asOf: String, $certainty: [Certainty!]) {
    office(key: "osce-field-office-kazakhstan") {
      heads(asOf: $asOf, certainty: $certainty) {
        totalCount
        edges { certainty node { holder { ... on Person { name } } } }
      }
    }
  }
`);
const heads = async (asOf: string, certainty?: Certainty[]) => {
  const data = await query(server, HeadsDocument, { asOf, certainty });
  return data.office!.heads.edges.map((e) => ({
    certainty: e.certainty,
    name: "name" in e.node.holder ? e.node.holder.name : null,
  }));
};

describe("who headed the Programme Office, as of a date (the issue's examples)", () => {
  it("names Szabó, certainly, on 2016-03-01", async () => {
    expect(await heads("2016-03-01")).toEqual([{ certainty: "YES", name: "György Szabó" }]);
    expect(await heads("2016-03-01", ["YES"])).toEqual([
      { certainty: "YES", name: "György Szabó" },
    ]);
  });

  it("names Szabó only as MAYBE on 2020-01-01, after the source's last update, and nobody certainly", async () => {
    expect(await heads("2020-01-01")).toEqual([{ certainty: "MAYBE", name: "György Szabó" }]);
    expect(await heads("2020-01-01", ["YES"])).toEqual([]);
  });

  it("names nobody on 2005-01-01, and says NO for Szabó when asked for NO", async () => {
    expect(await heads("2005-01-01")).toEqual([]);
    expect(await heads("2005-01-01", ["NO"])).toEqual([{ certainty: "NO", name: "György Szabó" }]);
  });

  it("is certain up to the source's last update (2016-03-18) and only MAYBE from the day after", async () => {
    expect(await heads("2016-03-18")).toEqual([{ certainty: "YES", name: "György Szabó" }]);
    expect(await heads("2016-03-19")).toEqual([{ certainty: "MAYBE", name: "György Szabó" }]);
    // a month or year reaching past the update is only MAYBE
    expect(await heads("2016-03")).toEqual([{ certainty: "MAYBE", name: "György Szabó" }]);
    expect(await heads("2016-02-09")).toEqual([{ certainty: "YES", name: "György Szabó" }]);
    expect(await heads("2016-02-08")).toEqual([]);
  });

  it("counts only the entries returned", async () => {
    const data = await query(server, HeadsDocument, { asOf: "2005-01-01" });
    expect(data.office?.heads.totalCount).toBe(0);
  });

  it("leaves certainty null when not asked as of a date", async () => {
    const data = await query(server, HeadsDocument, { asOf: null });
    expect(data.office?.heads.edges.map((e) => e.certainty)).toEqual([null]);
  });
});

describe("the field office's name as of a date", () => {
  const NamesDocument = graphql(`
    query FieldOfficeNameAsOf($asOf: String!, $certainty: [Certainty!]) {
      office(key: "osce-field-office-kazakhstan") {
        nameHistory(asOf: $asOf, certainty: $certainty) { edges { certainty node { name } } }
        nameOn(date: $asOf) { name }
      }
    }
  `);
  const names = async (asOf: string, certainty?: Certainty[]) => {
    const data = await query(server, NamesDocument, { asOf, certainty });
    return {
      names: data.office!.nameHistory.edges.map((e) => `${e.certainty} ${e.node.name}`),
      nameOn: data.office!.nameOn?.name ?? null,
    };
  };

  it.each([
    ["1998-12-31", [], null],
    // the name the office opened under, on a date that may precede the opening ("1999 – Opening
    // of the OSCE Center in Almaty."): the answer says the office bore it then, and so that it
    // existed, which is as uncertain as its place then (the honest53 audit, F5)
    ["1999", ["MAYBE OSCE Centre in Almaty"], "OSCE Centre in Almaty"],
    ["1999-01-01", ["MAYBE OSCE Centre in Almaty"], "OSCE Centre in Almaty"],
    ["1999-06", ["MAYBE OSCE Centre in Almaty"], "OSCE Centre in Almaty"],
    // by the year's last day it had certainly opened
    ["1999-12-31", ["YES OSCE Centre in Almaty"], "OSCE Centre in Almaty"],
    // a date that may fall before it opened is not certainly a time it bore the name
    ["1998/1999", ["MAYBE OSCE Centre in Almaty"], "OSCE Centre in Almaty"],
    ["2005", ["YES OSCE Centre in Almaty"], "OSCE Centre in Almaty"],
    // the source gives the decisions' days and no other date of the changes: each name changed on
    // its decision's day (QUESTIONS.md Q4), a day both names' periods hold; never, on any day, one
    // name certain and the name it replaced or gave way to only possible (the audit's finding 14)
    ["2007-03", ["YES OSCE Centre in Almaty"], "OSCE Centre in Almaty"],
    ["2007-06-20", ["YES OSCE Centre in Almaty"], "OSCE Centre in Almaty"],
    [
      "2007-06",
      ["MAYBE OSCE Centre in Almaty", "MAYBE OSCE Centre in Astana"],
      "OSCE Centre in Astana",
    ],
    [
      "2007-06-21",
      ["YES OSCE Centre in Almaty", "YES OSCE Centre in Astana"],
      "OSCE Centre in Astana",
    ],
    ["2007-06-22", ["YES OSCE Centre in Astana"], "OSCE Centre in Astana"],
    ["2007-09", ["YES OSCE Centre in Astana"], "OSCE Centre in Astana"],
    [
      "2007",
      ["MAYBE OSCE Centre in Almaty", "MAYBE OSCE Centre in Astana"],
      "OSCE Centre in Astana",
    ],
    ["2007-12-31", ["YES OSCE Centre in Astana"], "OSCE Centre in Astana"],
    ["2008", ["YES OSCE Centre in Astana"], "OSCE Centre in Astana"],
    ["2010-01-01", ["YES OSCE Centre in Astana"], "OSCE Centre in Astana"],
    ["2014-11-30", ["YES OSCE Centre in Astana"], "OSCE Centre in Astana"],
    // likewise at the transformation decided on December 18, 2014
    ["2014-12-01", ["YES OSCE Centre in Astana"], "OSCE Centre in Astana"],
    ["2014-12-17", ["YES OSCE Centre in Astana"], "OSCE Centre in Astana"],
    [
      "2014-12",
      ["MAYBE OSCE Centre in Astana", "MAYBE OSCE Programme Office in Astana"],
      "OSCE Programme Office in Astana",
    ],
    [
      "2014-12-18",
      ["YES OSCE Centre in Astana", "YES OSCE Programme Office in Astana"],
      "OSCE Programme Office in Astana",
    ],
    ["2014-12-19", ["YES OSCE Programme Office in Astana"], "OSCE Programme Office in Astana"],
    ["2014-12-31", ["YES OSCE Programme Office in Astana"], "OSCE Programme Office in Astana"],
    ["2015", ["YES OSCE Programme Office in Astana"], "OSCE Programme Office in Astana"],
    ["2020", ["MAYBE OSCE Programme Office in Astana"], "OSCE Programme Office in Astana"],
  ])("on %s: %j", async (date, expected, nameOn) => {
    expect(await names(date)).toEqual({ names: expected, nameOn });
  });

  it("gives only the certain name when asked for [YES]", async () => {
    expect((await names("2007-06", ["YES"])).names).toEqual([]);
    expect((await names("2010", ["YES"])).names).toEqual(["YES OSCE Centre in Astana"]);
    expect((await names("2010", ["NO"])).names).toEqual([
      "NO OSCE Centre in Almaty",
      "NO OSCE Programme Office in Astana",
    ]);
  });
});

describe("the field office's name and place on the same day", () => {
  const NameAndPlaceDocument = graphql(`
    query FieldOfficeNameAndPlaceOn($date: String!) {
      office(key: "osce-field-office-kazakhstan") {
        namesOn(date: $date) { certainty certaintyBasis name { name } }
        locations(asOf: $date) { edges { certainty certaintyBasis node { place { name } } } }
      }
    }
  `);

  // its name and its stay in Almaty start on the same day, read from the same line ("1999 –
  // Opening of the OSCE Center in Almaty."): the one cannot be certain where the other is not
  it.each(["1998-12-31", "1999", "1999-01-01", "1999-06", "1999-12-31", "2000-01-01", "2005"])(
    "is as certain of its name as of its place on %s (the honest53 audit, F5)",
    async (date) => {
      const office = (await query(server, NameAndPlaceDocument, { date })).office!;
      const names = office.namesOn.map((n) => `${n.certainty} ${n.certaintyBasis} ${n.name.name}`);
      const places = office.locations.edges.map(
        (e) => `${e.certainty} ${e.certaintyBasis} ${e.node.place.name}`,
      );
      expect(names).toEqual(places.map((p) => p.replace("Almaty", "OSCE Centre in Almaty")));
    },
  );

  it("answers MAYBE for both on 1999-01-01, a day that may precede the opening", async () => {
    const office = (await query(server, NameAndPlaceDocument, { date: "1999-01-01" })).office!;
    expect(office.namesOn).toEqual([
      { certainty: "MAYBE", certaintyBasis: "SOURCE", name: { name: "OSCE Centre in Almaty" } },
    ]);
    expect(office.locations.edges).toEqual([
      { certainty: "MAYBE", certaintyBasis: "SOURCE", node: { place: { name: "Almaty" } } },
    ]);
  });
});

describe("other time-bound lists", () => {
  it("says where the field office sat, as of a date: Almaty until its renaming, Astana after", async () => {
    const data = await query(
      server,
      graphql(`
        query FieldOfficeLocationAsOf {
          office(key: "osce-field-office-kazakhstan") {
            in2000: locations(asOf: "2000") { edges { certainty node { place { name } } } }
            beforeRenaming: locations(asOf: "2007-03-01") { edges { certainty node { place { name } } } }
            onRenaming: locations(asOf: "2007-06-21") { edges { certainty node { place { name } } } }
            in2007: locations(asOf: "2007-09") { edges { certainty node { place { name } } } }
            in2010: locations(asOf: "2010") { edges { certainty node { place { name } } } }
            in2015: locations(asOf: "2015") { edges { certainty node { place { name } } } }
          }
        }
      `),
    );
    expect(data.office?.in2000.edges).toEqual([
      { certainty: "YES", node: { place: { name: "Almaty" } } },
    ]);
    // the name that places it in Astana is dated to its decision's day, and the move with it:
    // before the decision in Almaty only, on its day in both (the day it moved), after it in Astana
    expect(data.office?.beforeRenaming.edges).toEqual([
      { certainty: "YES", node: { place: { name: "Almaty" } } },
    ]);
    expect(data.office?.onRenaming.edges).toEqual([
      { certainty: "YES", node: { place: { name: "Almaty" } } },
      { certainty: "YES", node: { place: { name: "Astana" } } },
    ]);
    expect(data.office?.in2007.edges).toEqual([
      { certainty: "YES", node: { place: { name: "Astana" } } },
    ]);
    // its names say it moved: after 2007 it is not "maybe in Almaty"
    expect(data.office?.in2010.edges).toEqual([
      { certainty: "YES", node: { place: { name: "Astana" } } },
    ]);
    expect(data.office?.in2015.edges).toEqual([
      { certainty: "YES", node: { place: { name: "Astana" } } },
    ]);
  });

  it("answers on every list of tenures: root, post, holder, office", async () => {
    const data = await query(
      server,
      graphql(`
        query TenuresAsOfEverywhere {
          tenures(asOf: "2010-12-01", certainty: [YES]) { edges { certainty node { key } } }
          post(key: "president-of-kazakhstan") { tenures(asOf: "2010-12-02") { edges { certainty } } }
          person(key: "gyorgy-szabo") { tenures(asOf: "2016") { edges { certainty } } }
          state(key: "kazakhstan") {
            tenures(asOf: "2011-10", filter: { postKind: { in: [CHAIRMANSHIP, MEMBERSHIP] } }) { edges { certainty node { key } } }
          }
          office(key: "forum-for-security-co-operation") { tenures(asOf: "2011-10-15") { edges { certainty node { key } } } }
        }
      `),
    );
    expect(data.tenures.edges).toEqual([
      { certainty: "YES", node: { key: "tenure/kazakhstan-osce-chairmanship-2010" } },
      { certainty: "YES", node: { key: "tenure/nursultan-nazarbayev-president-at-astana-summit" } },
    ]);
    expect(data.post?.tenures.edges).toEqual([{ certainty: "YES" }]);
    // 2016 as a whole reaches past the source's last update
    expect(data.person?.tenures.edges).toEqual([{ certainty: "MAYBE" }]);
    // the Troika's start is unknown: placed by its end (December 2011), after the FSC's
    expect(data.state?.tenures.edges).toEqual([
      { certainty: "YES", node: { key: "tenure/kazakhstan-fsc-chairmanship-2011" } },
      { certainty: "MAYBE", node: { key: "tenure/kazakhstan-osce-troika" } },
    ]);
    expect(data.office?.tenures.edges).toEqual([
      { certainty: "YES", node: { key: "tenure/kazakhstan-fsc-chairmanship-2011" } },
    ]);
  });

  it("never places Kazakhstan in the Troika before it joined the OSCE in 1992, though its start is unknown", async () => {
    const TroikaDocument = graphql(`
      query TroikaAsOf($asOf: String!) {
        tenure(key: "kazakhstan-osce-troika") {
          when { edtf earliest startStatus startsNotBefore { key } }
        }
        state(key: "kazakhstan") {
          tenures(asOf: $asOf, certainty: [YES, MAYBE, NO], filter: { post: { eq: "post/member-of-the-osce-troika" } }) {
            edges { certainty }
          }
        }
      }
    `);
    const troika = async (asOf: string) => query(server, TroikaDocument, { asOf });
    expect((await troika("1990")).tenure?.when).toEqual({
      edtf: "/2011-12",
      earliest: "1992-01-01",
      startStatus: "UNKNOWN",
      startsNotBefore: { key: "event/1992-kazakhstan-joins-the-osce" },
    });
    const certaintyOn = async (asOf: string) =>
      (await troika(asOf)).state!.tenures.edges.map((e) => e.certainty);
    expect(await certaintyOn("1990")).toEqual(["NO"]);
    expect(await certaintyOn("1991-12-31")).toEqual(["NO"]);
    expect(await certaintyOn("1992")).toEqual(["MAYBE"]);
    expect(await certaintyOn("2005")).toEqual(["MAYBE"]);
    expect(await certaintyOn("2011-12")).toEqual(["MAYBE"]);
    expect(await certaintyOn("2012")).toEqual(["NO"]);
  });

  it("never says NO for a POINT_IN_TIME tenure: it is YES within the attested moment, MAYBE elsewhere", async () => {
    const PresidentDocument = graphql(`
      query PresidentAsOf($asOf: String!) {
        post(key: "president-of-kazakhstan") {
          all: tenures(asOf: $asOf, certainty: [YES, MAYBE, NO]) { edges { certainty } }
        }
      }
    `);
    const certaintyOn = async (asOf: string) =>
      (await query(server, PresidentDocument, { asOf })).post!.all.edges.map((e) => e.certainty);
    expect(await certaintyOn("2010-12-01")).toEqual(["YES"]);
    expect(await certaintyOn("2010-12-01/2010-12-02")).toEqual(["YES"]);
    expect(await certaintyOn("2010-12")).toEqual(["MAYBE"]);
    expect(await certaintyOn("2010-12-03")).toEqual(["MAYBE"]);
    expect(await certaintyOn("1950")).toEqual(["MAYBE"]);
    expect(await certaintyOn("2030")).toEqual(["MAYBE"]);
  });

  it("pages through an as-of list with stable cursors", async () => {
    const PageDocument = graphql(`
      query TenuresAsOfPage($after: String) {
        tenures(asOf: "2011", first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { certainty node { key } } }
      }
    `);
    const whole = await query(
      server,
      graphql(`
        query TenuresAsOfWhole {
          tenures(asOf: "2011") { totalCount edges { certainty node { key } } }
        }
      `),
    );
    expect(whole.tenures.totalCount).toBe(3);
    const seen: unknown[] = [];
    let after: string | null | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await query(server, PageDocument, { after });
      expect(page.tenures.totalCount).toBe(3);
      seen.push(...page.tenures.edges);
      if (!page.tenures.pageInfo.hasNextPage) break;
      after = page.tenures.pageInfo.endCursor;
    }
    expect(seen).toEqual(whole.tenures.edges);
  });

  it("marks each tenure by the rule, page by page, when every certainty is asked, and filters by it when some are", async () => {
    const AllPageDocument = graphql(`
      query TenuresAllCertaintiesPage($asOf: String!, $after: String) {
        tenures(asOf: $asOf, certainty: [YES, MAYBE, NO], first: 4, after: $after) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { certainty node { key timing when { edtf } } }
        }
      }
    `);
    const EachCertaintyDocument = graphql(`
      query TenuresEachCertainty($asOf: String!) {
        yes: tenures(asOf: $asOf, certainty: [YES], first: 100) { edges { node { key } } }
        maybe: tenures(asOf: $asOf, certainty: [MAYBE], first: 100) { edges { node { key } } }
        no: tenures(asOf: $asOf, certainty: [NO], first: 100) { edges { node { key } } }
        every: tenures(first: 100) { totalCount edges { node { key } } }
      }
    `);
    const ReorderedDocument = graphql(`
      query TenuresReorderedAsOf($asOf: String!) {
        byKey: tenures(asOf: $asOf, certainty: [YES, MAYBE, NO], orderBy: [{ field: KEY, direction: DESC }], first: 100) {
          edges { certainty node { key timing when { edtf } } }
        }
        filtered: tenures(asOf: $asOf, certainty: [YES, MAYBE], filter: { timing: { in: [PERIOD, POINT_IN_TIME] } }, first: 100) {
          edges { certainty node { key timing when { edtf } } }
        }
      }
    `);
    // the rule, from each tenure's own date (asof.ts): the source's last update is the horizon
    const rule = (when: string, timing: string, asOf: string) => {
      const certainty = coverage(parsePartialDate(when), parsePartialDate(asOf), "2016-03-18");
      return timing === "PERIOD" || certainty === "YES" ? certainty : "MAYBE";
    };
    const seen = new Set<string>();
    for (const asOf of ["1992", "2010-12-01", "2011-10", "2016-03-19", "2014/..", "/2000"]) {
      const pages: { certainty: string | null | undefined; key: string; expected: string }[] = [];
      let after: string | null | undefined;
      const each = await query(server, EachCertaintyDocument, { asOf });
      for (;;) {
        const page = (await query(server, AllPageDocument, { asOf, after })).tenures;
        expect(page.totalCount).toBe(each.every.totalCount);
        pages.push(
          ...page.edges.map((e) => ({
            certainty: e.certainty,
            key: e.node.key,
            expected: rule(e.node.when.edtf, e.node.timing, asOf),
          })),
        );
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      // the whole list in its own order, each tenure with the rule's certainty
      expect(pages.map((e) => e.key)).toEqual(each.every.edges.map((e) => e.node.key));
      expect(pages.map((e) => e.certainty)).toEqual(pages.map((e) => e.expected));
      // and a list of one certainty holds exactly the tenures the rule gives it
      for (const [certainty, list] of [
        ["YES", each.yes],
        ["MAYBE", each.maybe],
        ["NO", each.no],
      ] as const) {
        expect(list!.edges.map((e) => e.node.key)).toEqual(
          pages.filter((e) => e.expected === certainty).map((e) => e.key),
        );
      }
      for (const e of pages) seen.add(e.expected);
      // the root list filtered or reordered is another list than the graph's own: each tenure
      // keeps its own certainty there too
      const other = await query(server, ReorderedDocument, { asOf });
      for (const list of [other.byKey, other.filtered]) {
        expect(list.edges.length).toBeGreaterThan(0);
        for (const e of list.edges)
          expect([e.node.key, e.certainty]).toEqual([
            e.node.key,
            rule(e.node.when.edtf, e.node.timing, asOf),
          ]);
      }
    }
    expect(seen).toEqual(new Set(["YES", "MAYBE", "NO"]));
  });
});

describe("bad as-of input", () => {
  const BadDocument = graphql(`
    query BadAsOf($asOf: String, $certainty: [Certainty!]) {
      tenures(asOf: $asOf, certainty: $certainty) { totalCount }
    }
  `);

  it.each([
    [{ asOf: "2016-02-30" }, "asOf", /day 30 does not exist in 2016-02/],
    [{ asOf: "yesterday" }, "asOf", /not a valid EDTF date/],
    [
      { asOf: "-0001" },
      "asOf",
      /"-0001" is not a valid EDTF date: year -0001 is before 0000 \(1 BCE\): years before 0000 are not supported/,
    ],
    [{ certainty: ["YES"] as Certainty[] }, "certainty", /give asOf too/],
    [{ asOf: "2016", certainty: [] as Certainty[] }, "certainty", /empty list/],
  ] as [{ asOf?: string; certainty?: Certainty[] }, string, RegExp][])(
    "rejects %j naming %s",
    async (variables, path, message) => {
      const result = await execute(server, BadDocument, variables);
      expect(result.errors?.[0]).toMatchObject({
        extensions: { code: "BAD_USER_INPUT", argumentName: path },
      });
      expect(result.errors?.[0]?.message).toMatch(message);
    },
  );
});
