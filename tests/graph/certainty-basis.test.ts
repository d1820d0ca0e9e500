/**
 * What a certainty rests on (asof.ts `certaintyBasis`, the audit of 5 December, finding 2): a YES
 * or NO that holds only by an editorial bound of a date (`Dated.assumed`) says EDITORIAL and names
 * the note; one the document's own dates give says SOURCE. Each case below is one the audit found
 * given as plainly as a quoted date, or one that must stay SOURCE.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import {
  type CertaintyBasis,
  certaintyBasis,
  nameThen,
  nameThenBasis,
  officeNameCertainties,
  officeNameCertaintyBases,
  participatingOn,
  participationBasis,
  periodCertainty,
  periodCertaintyBasis,
  tenureCertainty,
  tenureCertaintyBasis,
} from "../../src/graph/asof.js";
import { parsePartialDate } from "../../src/graph/dates.js";
import { Deadline, DeadlineExceededError } from "../../src/graph/deadline.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import type { OfficeName } from "../../src/graph/model.js";
import { graphWithManyNames, MANY_NAMES_OFFICE } from "../support/many-names.js";

let graph: KnowledgeGraph;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
});

/** A basis as read: the kind, then the first words of each note it rests on. */
const read = ({ basis, restsOn }: CertaintyBasis) =>
  [basis, ...restsOn.map((n) => n.editorial.split(/[:;(]/)[0]!.trim())].join(" | ");

/** Each name the office may have borne on `date`: "YES OSCE Centre in Astana: EDITORIAL | ...". */
const names = (office: string, date: string) => {
  const o = graph.get("office", `office/${office}`)!;
  const at = parsePartialDate(date);
  const bases = officeNameCertaintyBases(graph, o, at);
  return officeNameCertainties(graph, o, at).flatMap((certainty, i) => [
    `${certainty} ${o.nameHistory[i]!.text}: ${read(bases[i]!)}`,
  ]);
};

const RENAMING = "The document gives the day of the Permanent Council's decision on renaming";
const TRANSFORMATION =
  "The document gives the day of the Permanent Council's decision on transformation";
const FIELD_OFFICE = "osce-field-office-kazakhstan";

describe("the basis of a name's certainty", () => {
  it("says the Centre in Astana's YES on the renaming decision's day rests on the decision-day rule, the Centre in Almaty's on the document", () => {
    expect(names(FIELD_OFFICE, "2007-06-21")).toEqual([
      "YES OSCE Centre in Almaty: SOURCE",
      `YES OSCE Centre in Astana: EDITORIAL | ${RENAMING}`,
      "NO OSCE Programme Office in Astana: SOURCE",
    ]);
  });

  it("says the names of 2008 rest on the renaming rule: the document next names the Centre in Astana in 2014", () => {
    expect(names(FIELD_OFFICE, "2008-01-01")).toEqual([
      `NO OSCE Centre in Almaty: EDITORIAL | ${RENAMING}`,
      `YES OSCE Centre in Astana: EDITORIAL | ${RENAMING}`,
      "NO OSCE Programme Office in Astana: SOURCE",
    ]);
  });

  it("says the transformation decision's day and 2015 rest on the transformation rule, and from February 9, 2016 on the document", () => {
    const rule = `EDITORIAL | ${TRANSFORMATION}`;
    // by the document alone the Centre in Almaty may have become the Centre in Astana as late as
    // the day the 2014 decision names the latter
    expect(names(FIELD_OFFICE, "2014-12-18")).toEqual([
      `NO OSCE Centre in Almaty: EDITORIAL | ${RENAMING}`,
      "YES OSCE Centre in Astana: SOURCE",
      `YES OSCE Programme Office in Astana: ${rule}`,
    ]);
    expect(names(FIELD_OFFICE, "2015-06-01")).toEqual([
      "NO OSCE Centre in Almaty: SOURCE",
      `NO OSCE Centre in Astana: ${rule}`,
      `YES OSCE Programme Office in Astana: ${rule}`,
    ]);
    expect(names(FIELD_OFFICE, "2016-02-10")).toEqual([
      "NO OSCE Centre in Almaty: SOURCE",
      "NO OSCE Centre in Astana: SOURCE",
      "YES OSCE Programme Office in Astana: SOURCE",
    ]);
  });

  it("gives a MAYBE as SOURCE: it claims nothing a bound could give", () => {
    expect(names(FIELD_OFFICE, "2007")).toEqual([
      "MAYBE OSCE Centre in Almaty: SOURCE",
      "MAYBE OSCE Centre in Astana: SOURCE",
      "NO OSCE Programme Office in Astana: SOURCE",
    ]);
  });

  it("says the CSCE's name in 1992 rests on its 1973 start and the renaming of 1995, the OSCE's absence then on the renaming, the CSCE's absence in 1960 on its 1973 start, and the OSCE's name from 1996 on the document", () => {
    // asked alone, the CSCE's name through 1992 also says the Organization existed all year,
    // which only its 1973 start gives (the document says Kazakhstan joined in 1992, not when the
    // Conference began); in the 1992 accession, which has it exist, its name rests on the renaming
    // alone (below: nameThen)
    expect(names("osce", "1992")).toEqual([
      "YES Conference on Security and Co-operation in Europe: EDITORIAL | The document does not say when the Conference began | The Organization was the Conference on Security and Co-operation in Europe",
      "NO Organization for Security and Co-operation in Europe: EDITORIAL | The Organization was the Conference on Security and Co-operation in Europe",
    ]);
    // from the accession's year on, that it existed is the document's (review 53b: 1993 cited
    // the 1973 start too)
    for (const day of ["1992-12-31", "1993", "1994-06"])
      expect(names("osce", day)[0], day).toBe(
        "YES Conference on Security and Co-operation in Europe: EDITORIAL | The Organization was the Conference on Security and Co-operation in Europe",
      );
    expect(names("osce", "1960")[0]).toBe(
      "NO Conference on Security and Co-operation in Europe: EDITORIAL | The document does not say when the Conference began",
    );
    expect(names("osce", "2010")).toEqual([
      "NO Conference on Security and Co-operation in Europe: SOURCE",
      "YES Organization for Security and Co-operation in Europe: SOURCE",
    ]);
  });

  it("says nameThen's certainty rests where its name's does (the 1992 accession's CSCE; the 2007 decision's subject)", () => {
    const osce = graph.get("office", "office/osce")!;
    const at1992 = parsePartialDate("1992");
    expect(nameThen(graph, osce, at1992).certainty).toBe("YES");
    // the accession has the Organization exist then: its first name alone possible is certain
    // whatever its start (asof.ts NameAsked, IN_A_FACT), so the 1973 start bounds it not
    expect(read(nameThenBasis(graph, osce, at1992))).toBe(
      "EDITORIAL | The Organization was the Conference on Security and Co-operation in Europe",
    );
    const office = graph.get("office", `office/${FIELD_OFFICE}`)!;
    const at2010 = parsePartialDate("2010-07-16");
    expect(nameThen(graph, office, at2010).text).toBe("OSCE Centre in Astana");
    expect(read(nameThenBasis(graph, office, at2010))).toBe(`EDITORIAL | ${RENAMING}`);
    expect(read(nameThenBasis(graph, office, parsePartialDate("2016-03-01")))).toBe("SOURCE");
  });
});

/** Days around the renamings of an office of 8 names, one a year from 1900 (tests/support/many-names.ts), of every precision. */
const MANY_NAMES_DAYS = [
  "1899",
  "1900",
  "1900-03",
  "1900-06-15",
  "1901-03",
  "1901-06-15",
  "1902-01",
  "1903",
  "1904-06-14",
  "1904-06-16",
  "1906-06",
  "1907",
  "1907-06-15",
  "1950",
  "1901/1905",
  "1903-06-15/1904-06-15",
];

describe("the basis of each name's certainty in an office of many names", () => {
  it("is what judging it over every name's editorial bounds gives, on every kind of day", () => {
    // a later name's certainty reads its own date alone, and is judged from its bounds alone
    // (asof.ts officeNameCertaintyBases); the first's reads them all. The reference is the
    // judgement over every bound of every name, as at first (N³ coverages: bench/name-bases.ts)
    const many = graphWithManyNames(8);
    const office = many.get("office", MANY_NAMES_OFFICE)!;
    const dates = office.nameHistory.map((name) => name.when);
    const kinds = new Set<string>();
    for (const date of MANY_NAMES_DAYS) {
      const at = parsePartialDate(date);
      const bases = officeNameCertaintyBases(many, office, at);
      const reference = office.nameHistory.map((_, position) =>
        certaintyBasis(
          many,
          dates,
          (spanOf) => officeNameCertainties(many, office, at, spanOf)[position]!,
        ),
      );
      expect(bases.map(read), date).toEqual(reference.map(read));
      for (const [position, basis] of bases.entries())
        kinds.add(`${position === 0 ? "first" : "later"} ${basis.basis}`);
    }
    // the days asked give each kind of answer, for the first name and for later ones
    expect([...kinds].sort()).toEqual([
      "first EDITORIAL",
      "first SOURCE",
      "later EDITORIAL",
      "later SOURCE",
    ]);
  });
});

describe("the basis of nameThen's certainty in an office of many names (red team 53, F1)", () => {
  it("is what judging it over every name's editorial bounds gives, bounded as the document gives them or open", () => {
    // only the names that may reach the day with their own bounds put back are tried; the
    // reference tries every bound of every name (4N judgements of N names)
    const kinds = new Set<string>();
    for (const open of [false, true]) {
      const many = graphWithManyNames(8, open);
      const office = many.get("office", MANY_NAMES_OFFICE)!;
      const dates = office.nameHistory.map((name) => name.when);
      const second = office.nameHistory[1]!;
      for (const date of MANY_NAMES_DAYS) {
        const at = parsePartialDate(date);
        for (const [givenHere, preferEarlier] of [
          [undefined, false],
          [undefined, true],
          [(name: OfficeName) => name === second, false],
        ] as const) {
          const basis = nameThenBasis(many, office, at, givenHere, preferEarlier);
          const reference = certaintyBasis(
            many,
            dates,
            (spanOf) => nameThen(many, office, at, givenHere, preferEarlier, spanOf).certainty,
          );
          expect(read(basis), `${date}${open ? ", open" : ""}`).toEqual(read(reference));
          kinds.add(`${open ? "open" : "bounded"} ${basis.basis}`);
        }
      }
    }
    expect([...kinds].sort()).toEqual([
      "bounded EDITORIAL",
      "bounded SOURCE",
      "open EDITORIAL",
      "open SOURCE",
    ]);
  });

  it("tells the request's deadline of each judgement, so that it stops there", () => {
    // open bounds: every name may reach every day, 4N judgements of N names (28-38 ms at 200)
    const many = graphWithManyNames(20, true);
    const office = many.get("office", MANY_NAMES_OFFICE)!;
    const at = parsePartialDate("1910-03");
    expect(nameThenBasis(many, office, at).basis).toBe("EDITORIAL");
    // a clock that moves 1 ms a read, read at every checkpoint: 81 judgements pass 40 ms
    let now = 0;
    const deadline = new Deadline(40, { checkEvery: 1, now: () => now++ });
    expect(() => nameThenBasis(many, office, at, undefined, false, deadline)).toThrow(
      DeadlineExceededError,
    );
  });
});

describe("the basis of a tenure's, a location's and a participation's certainty", () => {
  const tenure = (key: string, date: string) => {
    const t = graph.get("tenure", `tenure/${key}`)!;
    const at = parsePartialDate(date);
    return `${tenureCertainty(graph, t, at)}: ${read(tenureCertaintyBasis(graph, t, at))}`;
  };

  it("says the Troika's NO before 1992 rests on its editorial bound, and its NO after 2011 on the document", () => {
    const bound = "EDITORIAL | The document gives only the end of Kazakhstan's time in the Troika";
    expect(tenure("kazakhstan-osce-troika", "1991")).toBe(`NO: ${bound}`);
    expect(tenure("kazakhstan-osce-troika", "2005")).toBe("MAYBE: SOURCE");
    expect(tenure("kazakhstan-osce-troika", "2012")).toBe("NO: SOURCE");
  });

  it("says Szabó's tenure since 2016-02-09 rests on the document alone", () => {
    expect(tenure("gyorgy-szabo-head-of-programme-office", "2016-02-08")).toBe("NO: SOURCE");
    expect(tenure("gyorgy-szabo-head-of-programme-office", "2016-02-09")).toBe("YES: SOURCE");
    expect(tenure("gyorgy-szabo-head-of-programme-office", "2016-03-18")).toBe("YES: SOURCE");
    expect(tenure("nursultan-nazarbayev-president-at-astana-summit", "2012")).toBe("MAYBE: SOURCE");
  });

  it("says the office's places in 2008 rest on the move dated to the renaming", () => {
    const office = graph.get("office", `office/${FIELD_OFFICE}`)!;
    const at = parsePartialDate("2008-01-01");
    expect(
      office.locations.map(
        (l) =>
          `${periodCertainty(graph, l.when, at)} ${l.place}: ${read(periodCertaintyBasis(graph, l.when, at))}`,
      ),
    ).toEqual([
      "NO place/almaty: EDITORIAL | The document does not say when the office left Almaty",
      "YES place/astana: EDITORIAL | From its renaming the office's name places it in Astana",
    ]);
    const at2015 = parsePartialDate("2015");
    expect(office.locations.map((l) => read(periodCertaintyBasis(graph, l.when, at2015)))).toEqual([
      "SOURCE",
      "SOURCE",
    ]);
  });

  it("never reads a documentAlone narrower than the bound in force: a MAYBE stays SOURCE", () => {
    // the validator refuses such a day (validate.test); a graph built by hand is not validated.
    // The Troika's start is bounded to 1992-01-01 by its accession: read as starting in 1995,
    // its 1993 MAYBE became NO, and the MAYBE was called EDITORIAL (review 6)
    const troika = structuredClone(graph.get("tenure", "tenure/kazakhstan-osce-troika")!);
    const bound = troika.when.assumed!.earliestStart!;
    troika.when.assumed = { earliestStart: { ...bound, documentAlone: "1995-01-01" } };
    const at = parsePartialDate("1993");
    expect(tenureCertainty(graph, troika, at)).toBe("MAYBE");
    expect(tenureCertaintyBasis(graph, troika, at)).toEqual({ basis: "SOURCE", restsOn: [] });
    // a day wider than the bound in force is read: the NO of 1991 rests on the note
    troika.when.assumed = { earliestStart: { ...bound, documentAlone: "1991-06-01" } };
    expect(read(tenureCertaintyBasis(graph, troika, parsePartialDate("1991-07")))).toMatch(
      /^EDITORIAL \| /,
    );
    expect(read(tenureCertaintyBasis(graph, troika, parsePartialDate("1991-05")))).toBe("SOURCE");
  });

  it("says Kazakhstan's participation rests on its quoted accession", () => {
    for (const date of ["1991", "1992-06-01", "2000"]) {
      const at = parsePartialDate(date);
      const { accession } = participatingOn(graph, "state/kazakhstan", at)!;
      expect(participationBasis(graph, accession, at)).toEqual({ basis: "SOURCE", restsOn: [] });
    }
  });
});
