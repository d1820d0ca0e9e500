import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import edtf from "edtf";
import { describe, expect, it } from "vitest";
import { generate } from "../../data/synthetic/generate.js";
import {
  boundProblem,
  chronologicalKey,
  compareChronologicalKeys,
  compareChronologically,
  coverage,
  dateOfPoint,
  EdtfError,
  narrowed,
  overlaps,
  parsedDateCaches,
  parsePartialDate,
  tryParsePartialDate,
} from "../../src/graph/dates.js";

const p = parsePartialDate;

describe("parsePartialDate: single dates", () => {
  it("reads a year as the whole year", () => {
    expect(p("1992")).toEqual({
      edtf: "1992",
      isInterval: false,
      start: {
        edtf: "1992",
        precision: "YEAR",
        year: 1992,
        month: null,
        day: null,
        earliest: "1992-01-01",
        latest: "1992-12-31",
      },
      end: expect.objectContaining({ edtf: "1992" }),
      startStatus: "KNOWN",
      endStatus: "KNOWN",
      precision: "YEAR",
      earliest: "1992-01-01",
      latest: "1992-12-31",
    });
  });

  it("reads a month as the whole month", () => {
    const d = p("2007-12");
    expect(d.precision).toBe("MONTH");
    expect(d.start).toMatchObject({ year: 2007, month: 12, day: null });
    expect([d.earliest, d.latest]).toEqual(["2007-12-01", "2007-12-31"]);
  });

  it("knows leap years: February 2012 ends on the 29th, February 2010 on the 28th", () => {
    expect(p("2012-02").latest).toBe("2012-02-29");
    expect(p("2010-02").latest).toBe("2010-02-28");
    expect(p("2012-02-29").earliest).toBe("2012-02-29");
  });

  it("reads a day as that one day", () => {
    const d = p("2010-06-21");
    expect(d.precision).toBe("DAY");
    expect(d.start).toMatchObject({ year: 2010, month: 6, day: 21 });
    expect([d.earliest, d.latest]).toEqual(["2010-06-21", "2010-06-21"]);
  });

  it("uses the same point as start and end of a single date", () => {
    const d = p("2010-06-21");
    expect(d.start).toBe(d.end);
  });

  it("trims surrounding whitespace", () => {
    expect(p(" 2010 ").edtf).toBe("2010");
  });
});

describe("parsePartialDate: the days a date covers, as the edtf library gives them", () => {
  // dates.ts computes them itself (the library's grammar was most of the cost of a load); the
  // library is the reference. Year 0000 is left out: the library gets its February wrong
  // (0000-02-29 becomes 0000-03-01), while 0000 is a leap year of the proleptic calendar.
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const days = (year: number) => {
    const texts: string[] = [];
    const y = String(year).padStart(4, "0");
    texts.push(y);
    for (let month = 1; month <= 12; month++) {
      const m = `${y}-${String(month).padStart(2, "0")}`;
      texts.push(m);
      for (let day = 1; day <= 31; day++) {
        const d = `${m}-${String(day).padStart(2, "0")}`;
        if (new Date(Date.UTC(year, month - 1, day)).getUTCMonth() === month - 1) texts.push(d);
      }
    }
    return texts;
  };

  it.each([1, 99, 100, 1900, 1999, 2000, 2016, 2024, 2100, 9999])(
    "gives the same first and last day as edtf for every day, month and the year %i",
    (year) => {
      // one expect() over every text of the year: one each (four hundred) cost a fifth of the file
      const texts = days(year);
      expect(
        texts.map((text) => {
          const point = p(text).start!;
          return [text, point.edtf, point.precision, point.earliest, point.latest];
        }),
      ).toEqual(
        texts.map((text) => {
          const reference = edtf(text);
          if (reference.type !== "Date") throw new Error(`edtf read ${text} as ${reference.type}`);
          return [
            text,
            reference.edtf,
            (["YEAR", "MONTH", "DAY"] as const)[reference.precision - 1],
            iso(reference.min),
            iso(reference.max),
          ];
        }),
      );
    },
  );

  it("gives the same days as edtf, bound by bound, for every date of a generated dataset (intervals with open and unknown ends too)", () => {
    const dir = mkdtempSync(join(tmpdir(), "kz-dates-"));
    try {
      generate({ entities: 1500, seed: 9, out: dir, format: "json" });
      const texts = new Set<string>();
      for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
        for (const m of readFileSync(join(dir, file), "utf8").matchAll(/"edtf":"([^"]*)"/g))
          texts.add(m[1]!);
      }
      // the sides of the intervals repeat (a start is often another's start, or a date alone):
      // each is parsed by the reference once (nearley's parse is most of this test's cost)
      const bounds = new Map<string, ReturnType<typeof parseBound>>();
      const bound = (side: string) => {
        let found = bounds.get(side);
        if (found === undefined) bounds.set(side, (found = parseBound(side)));
        return found;
      };
      const parseBound = (side: string) => {
        if (side === "" || side === "..") return null;
        const reference = edtf(side);
        if (reference.type !== "Date") throw new Error(`edtf read ${side} as ${reference.type}`);
        return {
          earliest: iso(reference.min),
          latest: iso(reference.max),
          precision: reference.precision,
        };
      };
      const intervals = [...texts].filter((t) => t.includes("/"));
      expect(
        intervals.some((t) => t.endsWith("/..")) &&
          intervals.some((t) => t.endsWith("/")) &&
          intervals.some((t) => /\d\/\d/.test(t)),
      ).toBe(true);
      const all = [...texts];
      expect(
        all.map((text) => {
          const ours = p(text);
          return [text, ours.earliest, ours.latest, ours.precision];
        }),
      ).toEqual(
        all.map((text) => {
          const [start, end = start] = text.split("/").map(bound);
          const precision = Math.min(
            ...[start, end].filter((b) => b != null).map((b) => b!.precision),
          );
          return [
            text,
            start?.earliest ?? null,
            end?.latest ?? null,
            (["YEAR", "MONTH", "DAY"] as const)[precision - 1],
          ];
        }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads 0000-02-29 as a day of the leap year 0", () => {
    expect(p("0000-02-29").start).toMatchObject({ earliest: "0000-02-29", latest: "0000-02-29" });
    expect(p("0000-02").start).toMatchObject({ earliest: "0000-02-01", latest: "0000-02-29" });
  });
});

describe("the caches of parsed dates", () => {
  it("keep no long text, invalid or padded: a client sending distinct ones cannot grow the heap (red team 51, F1)", () => {
    const before = parsedDateCaches();
    for (let i = 0; i < 200; i++) {
      const long = `0000${i}${"z".repeat(10_000)}`;
      expect(tryParsePartialDate(long)).toMatchObject({ ok: false });
      expect(tryParsePartialDate(`2001/${long}`)).toMatchObject({ ok: false });
      expect(tryParsePartialDate(`${" ".repeat(10_000 + i)}2010`)).toMatchObject({ ok: false });
    }
    const after = parsedDateCaches();
    // 600 texts of 10 KB each: none kept (short ones a test before may have added are few)
    expect(after.chars - before.chars).toBeLessThan(600 * 64);
    // a short date is kept, and the same object is given again
    expect(parsePartialDate("1999-07")).toBe(parsePartialDate("1999-07"));
  });

  it("refuse a text over 64 characters unread, however often it comes: a field's date argument is parsed once per parent (review 51; red team 52, F2: two long texts in turn)", () => {
    const padded = `${" ".repeat(20_000)}2011-03`;
    const invalid = `2011-03${"x".repeat(20_000)}`;
    const before = parsedDateCaches().parses;
    for (let i = 0; i < 300; i++) {
      for (const text of [padded, invalid]) {
        const refused = tryParsePartialDate(text);
        expect(refused).toMatchObject({ ok: false });
        expect((refused as { error: string }).error).toMatch(
          /is not a valid EDTF date: it is 2000\d characters long; a date or interval is at most 64, spaces around it included$/,
        );
      }
    }
    expect(parsedDateCaches().parses - before).toBe(0);
    // at the bound, spaces around a date are read as before
    const within = `${" ".repeat(30)}2011-03/2012${" ".repeat(22)}`;
    expect(within.length).toBe(64);
    expect(parsePartialDate(within).edtf).toBe("2011-03/2012");
    expect(tryParsePartialDate(` ${within}`)).toMatchObject({ ok: false });
  });
});

describe("chronologicalKey", () => {
  it("orders any two dates as compareChronologically does", () => {
    const dates = [
      "1992",
      "1992-01",
      "1992-01-01",
      "1992-12-31",
      "1992/1993",
      "1992-05/1992",
      "../1992",
      "/1992",
      "1992/..",
      "1992/",
      "2010-07-16/2010-07-17",
      "2010",
      "2010-07",
      "2010-07-16",
      "2016-02-09/..",
      "2014-09/",
      "..",
      "0001",
      "9999-12-31",
    ]
      .filter((d) => tryParsePartialDate(d).ok)
      .map(p);
    expect(dates.length).toBeGreaterThan(15);
    for (const a of dates)
      for (const b of dates) {
        expect([
          a.edtf,
          b.edtf,
          Math.sign(compareChronologicalKeys(chronologicalKey(a), chronologicalKey(b))),
        ]).toEqual([a.edtf, b.edtf, Math.sign(compareChronologically(a, b))]);
      }
  });
});

describe("parsePartialDate: intervals", () => {
  it("reads an interval of days", () => {
    const d = p("2010-07-16/2010-07-17");
    expect(d).toMatchObject({
      edtf: "2010-07-16/2010-07-17",
      isInterval: true,
      startStatus: "KNOWN",
      endStatus: "KNOWN",
      precision: "DAY",
      earliest: "2010-07-16",
      latest: "2010-07-17",
    });
    expect(d.start?.edtf).toBe("2010-07-16");
    expect(d.end?.edtf).toBe("2010-07-17");
  });

  it("reads an interval of months from the first day of the first to the last of the last", () => {
    expect(p("2011-09/2011-12")).toMatchObject({
      precision: "MONTH",
      earliest: "2011-09-01",
      latest: "2011-12-31",
    });
  });

  it("gives a mixed interval the coarsest precision of its bounds, whichever bound is coarser", () => {
    expect(p("1999/2007-06-21").precision).toBe("YEAR");
    // the start finer than the end: still the end's coarser precision, not the start's
    expect(p("2016-03/2019").precision).toBe("YEAR");
    expect(p("2016-03-01/2019").precision).toBe("YEAR");
    expect(p("2016-03-01/2019-05").precision).toBe("MONTH");
    // and so it sorts as coarse: before the month it starts in, as a year would
    expect(compareChronologically(p("2016-03/2019"), p("2016-03"))).toBeLessThan(0);
  });

  it("reads `..` at the end as OPEN (ongoing as of the source), unbounded", () => {
    expect(p("2016-02-09/..")).toMatchObject({
      edtf: "2016-02-09/..",
      end: null,
      startStatus: "KNOWN",
      endStatus: "OPEN",
      precision: "DAY",
      earliest: "2016-02-09",
      latest: null,
    });
  });

  it("reads an empty end as UNKNOWN, unbounded", () => {
    expect(p("2014-09/")).toMatchObject({
      edtf: "2014-09/",
      end: null,
      endStatus: "UNKNOWN",
      earliest: "2014-09-01",
      latest: null,
    });
  });

  it("reads an empty start as UNKNOWN, unbounded", () => {
    expect(p("/2011-12")).toMatchObject({
      edtf: "/2011-12",
      start: null,
      startStatus: "UNKNOWN",
      endStatus: "KNOWN",
      precision: "MONTH",
      earliest: null,
      latest: "2011-12-31",
    });
  });

  it("reads `..` at the start as OPEN, unbounded", () => {
    expect(p("../2011-12")).toMatchObject({
      edtf: "../2011-12",
      start: null,
      startStatus: "OPEN",
      earliest: null,
      latest: "2011-12-31",
    });
  });

  it("accepts an interval whose end may fall inside its start's span", () => {
    expect(p("2010-05/2010").edtf).toBe("2010-05/2010");
    expect(p("2010/2010").edtf).toBe("2010/2010");
  });

  it("accepts an interval of one day, whose end is its start (it does not end before it starts)", () => {
    // the last day equals the first: only a last day strictly before the first is an error
    expect(p("2010-06-21/2010-06-21")).toMatchObject({
      precision: "DAY",
      earliest: "2010-06-21",
      latest: "2010-06-21",
    });
    // a month that ends on the day the interval starts
    expect(p("2010-06-30/2010-06").latest).toBe("2010-06-30");
  });
});

describe("parsePartialDate: rejected input", () => {
  const error = (input: string) => {
    try {
      p(input);
    } catch (e) {
      expect(e).toBeInstanceOf(EdtfError);
      return (e as Error).message;
    }
    throw new Error(`expected "${input}" to be rejected`);
  };

  it("rejects text that is not a date", () => {
    expect(error("bogus")).toMatch(/^"bogus" is not a valid EDTF date: expected YYYY/);
  });

  it("rejects the empty string", () => {
    expect(error("")).toMatch(/empty/);
  });

  it("rejects month 13", () => {
    expect(error("2010-13")).toBe(
      '"2010-13" is not a valid EDTF date: month 13 is not between 01 and 12',
    );
  });

  it("rejects days that do not exist, including 29 February outside leap years", () => {
    expect(error("2010-02-30")).toMatch(/day 30 does not exist in 2010-02/);
    expect(error("2010-02-29")).toMatch(/day 29 does not exist in 2010-02/);
    expect(error("2010-04-31")).toMatch(/day 31 does not exist/);
  });

  it("rejects an interval that ends before it starts", () => {
    expect(error("2011-12/2011-09")).toBe('"2011-12/2011-09": the interval ends before it starts');
  });

  it("rejects uncertainty and approximation qualifiers", () => {
    expect(error("2010?")).toMatch(/qualifiers .* are not supported/);
    expect(error("2010~")).toMatch(/qualifiers .* are not supported/);
    expect(error("2010-06/2011?")).toMatch(/end "2011\?": .*qualifiers/);
  });

  it("rejects sets and lists", () => {
    expect(error("[2010,2011]")).toMatch(/sets and lists .* are not supported/);
    expect(error("{2010,2011}")).toMatch(/sets and lists .* are not supported/);
  });

  it("rejects seasons, unspecified digits, times and unusual years", () => {
    expect(error("2010-21")).toMatch(/seasons are not supported/);
    expect(error("201X")).toMatch(/unspecified digits/);
    expect(error("2010-07-01T10:00:00Z")).toMatch(/times are not supported/);
    expect(error("19920")).toMatch(/expected YYYY/); // edtf would read this as epoch ms
    expect(error("-0500")).toMatch(/year -0500 is before 0000/);
    expect(error("2010-7")).toMatch(/expected YYYY/);
  });

  it("rejects a year before 0000 (valid EDTF: -0001 is 2 BCE) saying so and naming it, and accepts 0000", () => {
    const said = "is before 0000 (1 BCE): years before 0000 are not supported";
    expect(error("-0001")).toBe(`"-0001" is not a valid EDTF date: year -0001 ${said}`);
    expect(error("-0001-05-03")).toBe(`"-0001-05-03" is not a valid EDTF date: year -0001 ${said}`);
    expect(error("-0500/2010")).toBe(
      `"-0500/2010" is not a valid EDTF date: start "-0500": year -0500 ${said}`,
    );
    expect(error(`-${"1".repeat(60)}`)).toBe(
      `"-${"1".repeat(60)}" is not a valid EDTF date: year -${"1".repeat(60)} ${said}`,
    );
    // a longer text is no date: refused by its length, quoted cut
    expect(error(`-${"1".repeat(200)}`)).toBe(
      `"-${"1".repeat(79)}..." is not a valid EDTF date: it is 201 characters long; a date or interval is at most 64, spaces around it included`,
    );
    expect(p("0000").earliest).toBe("0000-01-01");
  });

  it("rejects intervals with no known bound or more than two sides", () => {
    expect(error("/")).toMatch(/at least one known date/);
    expect(error("../..")).toMatch(/at least one known date/);
    expect(error("2010/2011/2012")).toMatch(/at most one '\/'/);
  });

  it("reports failures as values through tryParsePartialDate", () => {
    expect(tryParsePartialDate("2010-13")).toEqual({
      ok: false,
      error: '"2010-13" is not a valid EDTF date: month 13 is not between 01 and 12',
    });
    const ok = tryParsePartialDate("2010");
    expect(ok.ok && ok.value.latest).toBe("2010-12-31");
  });
});

describe("compareChronologically", () => {
  const sorted = (xs: string[]) =>
    xs
      .map(p)
      .sort(compareChronologically)
      .map((d) => d.edtf);

  it("sorts by first day, then coarser precision, then shorter", () => {
    expect(
      sorted(["2010-12-01/2010-12-02", "2010", "2010-07-16/2010-07-17", "2010-07", "2009"]),
    ).toEqual(["2009", "2010", "2010-07", "2010-07-16/2010-07-17", "2010-12-01/2010-12-02"]);
  });

  it("places a period with an unknown or open start by its known end's last day, after that day's dates (the audit's finding 6)", () => {
    // the Troika (`/2011-12`) ended in December 2011: after the FSC Chairmanship that began in
    // September 2011 and after anything of December 31, 2011, before 2012; never first of all as
    // if it began at its first possible day
    expect(
      sorted(["2012", "2011-12-31", "/2011-12", "2011-09/2011-12", "2010", "2011-12"]),
    ).toEqual(["2010", "2011-09/2011-12", "2011-12", "2011-12-31", "/2011-12", "2012"]);
    expect(sorted(["../2011-12", "/2011", "2011-06"])).toEqual(["2011-06", "../2011-12", "/2011"]);
    // nor when an event bounds its start (its first possible day is then known, and still not its start)
    const troika = narrowed(p("/2011-12"), "1992-01-01", null);
    expect([troika, p("2010")].sort(compareChronologically).map((d) => d.edtf)).toEqual([
      "2010",
      "/2011-12",
    ]);
  });

  it("puts a year before its months and a month before its days", () => {
    expect(sorted(["2010-01-01", "2010-01", "2010"])).toEqual(["2010", "2010-01", "2010-01-01"]);
  });

  it("puts the shorter of two spans with the same start first, unbounded ends last", () => {
    expect(sorted(["2010-07-16/..", "2010-07-16/2010-07-20", "2010-07-16/2010-07-17"])).toEqual([
      "2010-07-16/2010-07-17",
      "2010-07-16/2010-07-20",
      "2010-07-16/..",
    ]);
  });

  it("orders otherwise equal dates by their EDTF text, and is 0 only for the same date", () => {
    expect(sorted(["2014-09/", "2014-09/.."])).toEqual(["2014-09/", "2014-09/.."]);
    expect(compareChronologically(p("2010"), p("2010"))).toBe(0);
  });

  it("is antisymmetric, so Array.sort gets a consistent order", () => {
    const all = ["1992", "2010", "2010-01", "/2011-12", "../2011-12", "2014-09/", "2014-09/.."].map(
      p,
    );
    for (const a of all)
      for (const b of all)
        expect(
          Math.sign(compareChronologically(a, b)) + Math.sign(compareChronologically(b, a)),
        ).toBe(0);
  });
});

describe("coverage", () => {
  const horizon = "2016-03-18";
  const covers = (period: string, at: string) => coverage(p(period), p(at), horizon);

  it("an open period certainly covers days up to the source's horizon", () => {
    expect(covers("2016-02-09/..", "2016-03-01")).toBe("YES");
    expect(covers("2016-02-09/..", "2016-03-18")).toBe("YES");
  });

  it("an open period only maybe covers days after the horizon", () => {
    expect(covers("2016-02-09/..", "2020-01-01")).toBe("MAYBE");
  });

  it("a period does not cover days before its start", () => {
    expect(covers("2016-02-09/..", "2005-01-01")).toBe("NO");
  });

  it("a period with an unknown end only maybe covers days after its start", () => {
    expect(covers("2014-09/", "2015-01-01")).toBe("MAYBE");
  });

  it("a start known to the month only maybe covers days within that month", () => {
    // The period may have started as late as 2014-09-30.
    expect(covers("2014-09/", "2014-09-15")).toBe("MAYBE");
    expect(covers("2014-09/", "2014-08-31")).toBe("NO");
  });

  it("a closed period covers days, months and years entirely inside it", () => {
    expect(covers("2007-06-21/2014-12-18", "2010-01-01")).toBe("YES");
    expect(covers("2007-06-21/2014-12-18", "2010")).toBe("YES");
    expect(covers("2007-06-21/2014-12-18", "2010-03/2011-04")).toBe("YES");
  });

  it("a closed period maybe covers a year it only partly spans", () => {
    expect(covers("2007-06-21/2014-12-18", "2007")).toBe("MAYBE");
    expect(covers("2007-06-21/2014-12-18", "2014")).toBe("MAYBE");
  });

  it("a closed period does not cover a year after its end", () => {
    expect(covers("2007-06-21/2014-12-18", "2015")).toBe("NO");
  });

  it("a start known only to the year maybe covers days in that year", () => {
    expect(covers("1999/2007-06-21", "1999-06-01")).toBe("MAYBE");
    expect(covers("1999/2007-06-21", "2000")).toBe("YES");
  });

  it("a single date used as a period covers its own days", () => {
    expect(covers("2010", "2010-06-01")).toBe("YES");
    expect(covers("2010", "2010")).toBe("YES");
    expect(covers("2010-07", "2010")).toBe("MAYBE");
    expect(covers("2010", "2011-01-01")).toBe("NO");
  });

  it("an unknown or open start never certainly covers, but still bounds with its end", () => {
    expect(covers("/2011-12", "2005")).toBe("MAYBE");
    expect(covers("../2011-12", "2005")).toBe("MAYBE");
    expect(covers("/2011-12", "2012-01-01")).toBe("NO");
  });

  it("an unbounded `at` is never certainly covered, and only its bounded side can rule out", () => {
    expect(covers("2000/2020", "2010/..")).toBe("MAYBE");
    expect(covers("2000/2020", "/2010")).toBe("MAYBE");
    expect(covers("2000/2020", "2021/..")).toBe("NO");
    expect(covers("2000/2020", "/1999")).toBe("NO");
  });

  it("requires the horizon to be a single day", () => {
    expect(() => coverage(p("2010"), p("2010"), "2016-03")).toThrow(EdtfError);
    expect(() => coverage(p("2010"), p("2010"), "bogus")).toThrow(EdtfError);
  });
});

describe("overlaps", () => {
  it("is true when the dates may share a day, including touching bounds", () => {
    expect(overlaps(p("2010"), p("2010-07"))).toBe(true);
    expect(overlaps(p("2007-06-21/2014-12-18"), p("2014-12-18/2015"))).toBe(true);
    expect(overlaps(p("2011-09/2011-12"), p("2011"))).toBe(true);
  });

  it("is false when the dates are certainly apart", () => {
    expect(overlaps(p("2009"), p("2010"))).toBe(false);
    expect(overlaps(p("2010-07-16/2010-07-17"), p("2010-07-18"))).toBe(false);
  });

  it("lets open and unknown sides reach infinitely", () => {
    expect(overlaps(p("2016-02-09/.."), p("2030"))).toBe(true);
    expect(overlaps(p("2014-09/"), p("2020-01-01"))).toBe(true);
    expect(overlaps(p("/2011-12"), p("1900"))).toBe(true);
    expect(overlaps(p("/2011-12"), p("2016-02-09/.."))).toBe(false);
  });

  it("is symmetric", () => {
    const a = p("2016-02-09/..");
    const b = p("2010");
    expect(overlaps(a, b)).toBe(overlaps(b, a));
  });
});

describe("narrowed: a date bounded by events' first days", () => {
  const H = "2016-03-18";

  it("raises the start's first day, leaving the text and the latest days as written", () => {
    const astana = narrowed(p("2007/2014-12"), "2007-06-21", "2014-12-18");
    expect(astana.edtf).toBe("2007/2014-12");
    expect(astana.earliest).toBe("2007-06-21");
    expect(astana.start).toMatchObject({
      edtf: "2007",
      earliest: "2007-06-21",
      latest: "2007-12-31",
    });
    expect(astana.end).toMatchObject({
      edtf: "2014-12",
      earliest: "2014-12-18",
      latest: "2014-12-31",
    });
    expect(astana.latest).toBe("2014-12-31");
  });

  it("answers NO before a bounded start and YES until a bounded end, MAYBE in between", () => {
    const almaty = narrowed(p("1999/2007"), null, "2007-06-21");
    const astana = narrowed(p("2007/2014-12"), "2007-06-21", null);
    expect(coverage(p("1999/2007"), p("2007-03-01"), H)).toBe("MAYBE");
    expect(coverage(almaty, p("2007-03-01"), H)).toBe("YES");
    expect(coverage(almaty, p("2007-06-21"), H)).toBe("YES");
    expect(coverage(almaty, p("2007-06-22"), H)).toBe("MAYBE");
    expect(coverage(astana, p("2007-06-20"), H)).toBe("NO");
    expect(coverage(astana, p("2007-06-21"), H)).toBe("MAYBE");
    expect(coverage(astana, p("2008"), H)).toBe("YES");
  });

  it("bounds an unknown start: the date reaches no earlier, but its start stays unknown", () => {
    const troika = narrowed(p("/2011-12"), "1992-01-01", null);
    expect(troika).toMatchObject({ start: null, startStatus: "UNKNOWN", earliest: "1992-01-01" });
    expect(coverage(troika, p("1990"), H)).toBe("NO");
    expect(coverage(troika, p("1992"), H)).toBe("MAYBE");
    expect(coverage(troika, p("2011-12"), H)).toBe("MAYBE");
  });

  it("never lowers a day, and gives the date itself when nothing is raised", () => {
    const date = p("2007/2014-12");
    expect(narrowed(date, "2001-01-01", "2014-11-30")).toBe(date);
    expect(narrowed(date, null, null)).toBe(date);
  });

  it("raises the end's first day to a bounded start's: it cannot have ended before it began", () => {
    const fsc = narrowed(p("2011/2011"), "2011-09-01", null);
    expect(fsc.start).toMatchObject({ earliest: "2011-09-01", latest: "2011-12-31" });
    expect(fsc.end).toMatchObject({ earliest: "2011-09-01", latest: "2011-12-31" });
    // a later end bound stays the later
    const later = narrowed(p("2011/2011"), "2011-09-01", "2011-11-01");
    expect(later.end).toMatchObject({ earliest: "2011-11-01" });
    expect(coverage(fsc, p("2011-03"), H)).toBe("NO");
  });

  it("raises the end's first day to the start's where the text alone lets it precede it, and keeps the text", () => {
    // ended in 2011, after it began in September: not in January
    const written = p("2011-09/2011");
    expect(written.edtf).toBe("2011-09/2011");
    expect(written.end).toMatchObject({
      edtf: "2011",
      earliest: "2011-09-01",
      latest: "2011-12-31",
    });
    expect(dateOfPoint(written.end!).earliest).toBe("2011-09-01");
    expect(coverage(written, p("2011-03"), H)).toBe("NO");
    // an end that cannot precede the start stays as written
    expect(p("2011-09/2012").end).toMatchObject({ earliest: "2012-01-01" });
    expect(p("2011/2011-09").end).toMatchObject({ earliest: "2011-09-01" });
  });

  it("orders a start bounded by an event after the dates of that event's day, coarser first otherwise", () => {
    const decision = p("2007-06-21");
    const renamed = narrowed(p("2007"), "2007-06-21", null);
    const month = p("2007-06");
    expect(renamed.startBounded).toBe(true);
    expect(p("2007").startBounded).toBeUndefined();
    const sorted = [renamed, decision, month, p("2007")].sort(compareChronologically);
    expect(sorted.map((d) => d.edtf)).toEqual(["2007", "2007-06", "2007-06-21", "2007"]);
    expect(sorted[3]).toBe(renamed);
    const keys = [renamed, decision].map(chronologicalKey).sort(compareChronologicalKeys);
    expect(keys.map((k) => k[3])).toEqual(["2007-06-21", "2007"]);
    // only a raised start counts: a bound the text already meets changes nothing
    expect(narrowed(p("2008"), "2007-06-21", null).startBounded).toBeUndefined();
  });

  it("bounds a single date's one point by its start", () => {
    const date = narrowed(p("2007"), "2007-06-21", null);
    expect(date).toMatchObject({ earliest: "2007-06-21", latest: "2007-12-31" });
    expect(date.start).toBe(date.end);
    expect(coverage(date, p("2007-06-20"), H)).toBe("NO");
  });

  it("refuses a bound past the last day its side may be on, or on an end that is not known", () => {
    expect(boundProblem(p("1999/2007"), "start", "2007-06-21")).toBe(
      "the start cannot be on or after 2007-06-21: its last possible day is 1999-12-31",
    );
    // a start may not pass the end's last day either
    expect(boundProblem(p("2007/2007-03"), "start", "2007-06-21")).toBe(
      "the start cannot be on or after 2007-06-21: its last possible day is 2007-03-31",
    );
    expect(boundProblem(p("/2011-12"), "end", "2014-12-18")).toBe(
      "the end cannot be on or after 2014-12-18: its last possible day is 2011-12-31",
    );
    expect(boundProblem(p("2014-12/.."), "end", "2014-12-18")).toBe(
      "its end is open (..): only a known end can be bounded",
    );
    expect(boundProblem(p("2007"), "end", "2007-06-21")).toMatch(/single date/);
    expect(boundProblem(p("1999/2007"), "end", "2007-12-31")).toBeNull();
    expect(() => narrowed(p("1999/2007"), "2007-06-21", null)).toThrow(EdtfError);
  });

  it("makes a narrowed end of a period a date of its own, as narrowed (dateOfPoint)", () => {
    const end = narrowed(p("1999/2007"), null, "2007-06-21").end!;
    expect(dateOfPoint(end)).toMatchObject({
      edtf: "2007",
      isInterval: false,
      earliest: "2007-06-21",
      latest: "2007-12-31",
    });
    expect(dateOfPoint(p("1999/2007").end!)).toBe(p("2007"));
  });
});
