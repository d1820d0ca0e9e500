/**
 * The time axis of the explorer's time views (web/src/timeaxis.ts): where a partial date is drawn,
 * and that nothing the source does not give is drawn as known. No browser needed.
 */
import { describe, expect, it } from "vitest";
import {
  asOfWords,
  dayNumber,
  daysOf,
  domainFor,
  glanceDate,
  isoDay,
  markerPosition,
  position,
  type SpanLike,
  spanSegments,
  ticks,
} from "../../web/src/timeaxis.js";

const point = (earliest: string, latest: string = earliest) => ({ earliest, latest });
const single = (earliest: string, latest: string): SpanLike => ({
  isInterval: false,
  startStatus: "KNOWN",
  endStatus: "KNOWN",
  start: point(earliest, latest),
  end: point(earliest, latest),
});
const axis2010 = { start: dayNumber("2010-01-01"), end: dayNumber("2011-01-01") };
const updated = dayNumber("2016-03-18");

describe("the time axis", () => {
  it("counts calendar days, leap days included", () => {
    expect(dayNumber("1970-01-02")).toBe(1);
    expect(dayNumber("2016-03-01") - dayNumber("2016-02-28")).toBe(2);
    expect(isoDay(dayNumber("2016-02-29"))).toBe("2016-02-29");
  });

  it("reads the first and last day of a year, a month, a day or an interval typed by hand, and nothing else", () => {
    expect(daysOf("2010")).toEqual({
      earliest: dayNumber("2010-01-01"),
      latest: dayNumber("2010-12-31"),
    });
    expect(daysOf("2016-02")).toEqual({
      earliest: dayNumber("2016-02-01"),
      latest: dayNumber("2016-02-29"),
    });
    expect(daysOf("2005-01-01")).toEqual({
      earliest: dayNumber("2005-01-01"),
      latest: dayNumber("2005-01-01"),
    });
    expect(daysOf("2010-07/2011")).toEqual({
      earliest: dayNumber("2010-07-01"),
      latest: dayNumber("2011-12-31"),
    });
    for (const bad of ["2010-13", "2015-02-29", "2011/2010", "soon", "", "2010/2011/2012"])
      expect(daysOf(bad), bad).toBeNull();
  });

  it("draws a year as one bar across the whole year and a day as a bar of one day", () => {
    const [year] = spanSegments(single("2010-01-01", "2010-12-31"), axis2010, updated);
    expect(year).toMatchObject({ kind: "solid", left: 0, width: 1 });
    const [day] = spanSegments(single("2010-07-16", "2010-07-16"), axis2010, updated);
    expect(day!.kind).toBe("solid");
    expect(day!.left).toBeCloseTo(196 / 365, 6);
    expect(day!.width).toBeCloseTo(1 / 365, 6);
  });

  it("draws an interval from its start's first possible day to its end's last", () => {
    const fsc: SpanLike = {
      isInterval: true,
      startStatus: "KNOWN",
      endStatus: "KNOWN",
      start: point("2011-09-01", "2011-09-30"),
      end: point("2011-12-01", "2011-12-31"),
    };
    const axis = { start: dayNumber("2011-01-01"), end: dayNumber("2012-01-01") };
    expect(spanSegments(fsc, axis, updated)).toEqual([
      {
        kind: "solid",
        left: position(axis, dayNumber("2011-09-01")),
        width: 1 - position(axis, dayNumber("2011-09-01")),
        clippedLeft: false,
        clippedRight: false,
      },
    ]);
  });

  it("keeps an open end solid up to the source's last update and fading after it, never with an end of its own", () => {
    const since: SpanLike = {
      isInterval: true,
      startStatus: "KNOWN",
      endStatus: "OPEN",
      start: point("2016-02-09"),
      end: null,
    };
    const axis = { start: dayNumber("2015-01-01"), end: dayNumber("2019-01-01") };
    const [solid, open, ...rest] = spanSegments(since, axis, updated);
    expect(rest).toEqual([]);
    expect(solid).toMatchObject({ kind: "solid", left: position(axis, dayNumber("2016-02-09")) });
    expect(solid!.left + solid!.width).toBeCloseTo(position(axis, updated + 1), 9);
    expect(open).toMatchObject({ kind: "open", left: position(axis, updated + 1) });
    // it fades out to the edge of the axis: the drawing does not say when it ended
    expect(open!.left + open!.width).toBeCloseTo(1, 9);
  });

  it("draws only the known start of a period whose end is unknown, and the rest as unknown", () => {
    const jarbussynova: SpanLike = {
      isInterval: true,
      startStatus: "KNOWN",
      endStatus: "UNKNOWN",
      start: point("2014-09-01", "2014-09-30"),
      end: null,
    };
    const axis = { start: dayNumber("2014-01-01"), end: dayNumber("2018-01-01") };
    const [solid, unknown] = spanSegments(jarbussynova, axis, updated);
    expect(solid).toMatchObject({ kind: "solid", left: position(axis, dayNumber("2014-09-01")) });
    expect(solid!.left + solid!.width).toBeCloseTo(position(axis, dayNumber("2014-10-01")), 9);
    expect(unknown).toMatchObject({ kind: "unknown-end", left: solid!.left + solid!.width });
  });

  it("draws an unknown start as unknown, up to the known end", () => {
    const troika: SpanLike = {
      isInterval: true,
      startStatus: "UNKNOWN",
      endStatus: "KNOWN",
      start: null,
      end: point("2011-12-01", "2011-12-31"),
    };
    const axis = { start: dayNumber("2009-01-01"), end: dayNumber("2013-01-01") };
    const [unknown, solid] = spanSegments(troika, axis, updated);
    expect(unknown).toMatchObject({
      kind: "unknown-start",
      left: 0,
      width: position(axis, dayNumber("2011-12-01")),
    });
    expect(solid).toMatchObject({ kind: "solid", left: position(axis, dayNumber("2011-12-01")) });
  });

  it("cuts a bar at the edges of the axis and says where it was cut", () => {
    const [year] = spanSegments(single("2009-01-01", "2011-12-31"), axis2010, updated);
    expect(year).toEqual({
      kind: "solid",
      left: 0,
      width: 1,
      clippedLeft: true,
      clippedRight: true,
    });
    expect(spanSegments(single("2012-01-01", "2012-12-31"), axis2010, updated)).toEqual([]);
  });

  it("puts a moment's marker in the middle of its days", () => {
    const summit = single("2010-12-01", "2010-12-02");
    expect(markerPosition(summit, axis2010)).toBeCloseTo(
      position(axis2010, dayNumber("2010-12-02")),
      9,
    );
  });

  it("spans whole years around the dates, with room after the source's last update for an open end to fade", () => {
    const days = [dayNumber("2010-01-01"), dayNumber("2016-02-09")];
    expect(domainFor(days)).toEqual({
      start: dayNumber("2010-01-01"),
      end: dayNumber("2017-01-01"),
    });
    const withFade = domainFor(days, { horizon: updated, fadeRoom: true });
    expect(withFade.end).toBeGreaterThanOrEqual(updated + 366);
    expect(isoDay(withFade.end).endsWith("-01-01")).toBe(true);
    // a filter's bounds are the axis's, whatever the data
    expect(
      domainFor(days, {
        from: dayNumber("2010-01-01"),
        to: dayNumber("2010-12-31"),
        horizon: updated,
        fadeRoom: true,
      }),
    ).toEqual(axis2010);
  });

  it("labels years sparsely on a long axis and months on a short one", () => {
    const long = ticks({ start: dayNumber("1992-01-01"), end: dayNumber("2019-01-01") });
    expect(long.filter((t) => t.major).map((t) => t.label)).toEqual([
      "1995",
      "2000",
      "2005",
      "2010",
      "2015",
    ]);
    expect(long).toHaveLength(27);
    const year = ticks(axis2010);
    expect(year.map((t) => t.label)).toEqual([
      "2010",
      "Feb",
      "Mar",
      "Apr",
      "May",
      "Jun",
      "Jul",
      "Aug",
      "Sep",
      "Oct",
      "Nov",
      "Dec",
    ]);
    expect(year[6]!.at).toBeCloseTo(181 / 365, 9); // 1 July
  });
});

describe("the words of an “as of” date", () => {
  it("says a day, a month or a year as precisely as the date is, and a period by its bounds as the timeline does", () => {
    expect(
      asOfWords({
        edtf: "2016-03-18",
        isInterval: false,
        start: { year: 2016, month: 3, day: 18 },
      }),
    ).toBe("March 18, 2016");
    expect(
      asOfWords({ edtf: "2016-03", isInterval: false, start: { year: 2016, month: 3, day: null } }),
    ).toBe("March 2016");
    expect(
      asOfWords({ edtf: "2016", isInterval: false, start: { year: 2016, month: null, day: null } }),
    ).toBe("2016");
    // review 16c, finding 4: a period or a date without a start was its raw EDTF value
    expect(
      asOfWords({
        edtf: "2015/2016",
        isInterval: true,
        start: { year: 2015 },
        end: { year: 2016 },
      }),
    ).toBe("2015 – 2016");
    expect(
      asOfWords({
        edtf: "2015-06/2015-08",
        isInterval: true,
        start: { year: 2015, month: 6 },
        end: { year: 2015, month: 8 },
      }),
    ).toBe("June 2015 – August 2015");
    expect(asOfWords({ edtf: "/2016", isInterval: true, start: null, end: { year: 2016 } })).toBe(
      "? – 2016",
    );
    expect(asOfWords({ edtf: "2016/..", isInterval: true, start: { year: 2016 }, end: null })).toBe(
      "2016 – …",
    );
    // a year below 1000 keeps its four digits, as in EDTF: "99" would read as a year cut short
    expect(asOfWords({ edtf: "0099", isInterval: false, start: { year: 99 } })).toBe("0099");
    expect(asOfWords({ edtf: "0999-03", isInterval: false, start: { year: 999, month: 3 } })).toBe(
      "March 0999",
    );
  });
});

describe("a date at a glance", () => {
  it("says what the source does not give of a period it gives one end of (the honest54 audit, F5)", () => {
    // the Troika's membership: only its end is given; Jarbussynova's tenure: only its start
    expect(
      glanceDate({
        edtf: "/2011-12",
        wording: "December 2011",
        startStatus: "UNKNOWN",
        endStatus: "KNOWN",
      }),
    ).toBe("(until December 2011)");
    expect(
      glanceDate({
        edtf: "2014-09/",
        wording: "September 2014",
        startStatus: "KNOWN",
        endStatus: "UNKNOWN",
      }),
    ).toBe("(from September 2014, end not given)");
    expect(
      glanceDate({ edtf: "2014-09/", wording: null, startStatus: "KNOWN", endStatus: "UNKNOWN" }),
    ).toBe("(from 2014-09, end not given)");
    // neither end given (review 54)
    expect(
      glanceDate({ edtf: "/..", wording: null, startStatus: "UNKNOWN", endStatus: "OPEN" }),
    ).toBe("(start not given; still so at the source's last update)");
    expect(
      glanceDate({ edtf: "/", wording: null, startStatus: "UNKNOWN", endStatus: "UNKNOWN" }),
    ).toBe("(dates not given)");
    // open: true as of the source's last update; known at both ends, as before
    expect(
      glanceDate({
        edtf: "2016-02-09/..",
        wording: "February 9, 2016",
        startStatus: "KNOWN",
        endStatus: "OPEN",
      }),
    ).toBe("(since February 9, 2016; still so at the source's last update)");
    // the source's own "Since", not said twice (the honest54 audit, F6: a head today, read so)
    expect(
      glanceDate({
        edtf: "2016-02-09/..",
        wording: "Since February 9, 2016",
        startStatus: "KNOWN",
        endStatus: "OPEN",
      }),
    ).toBe("(Since February 9, 2016; still so at the source's last update)");
    expect(
      glanceDate({
        edtf: "2011-09/2011-12",
        wording: "September-December 2011",
        startStatus: "KNOWN",
        endStatus: "KNOWN",
      }),
    ).toBe("(September-December 2011)");
  });

  it("says after an end the editors date, not the document, that they do, and what the document alone gives (the honest54 audit, F6)", () => {
    const seat = {
      edtf: "2007-06-21/..",
      wording: null,
      startStatus: "KNOWN",
      endStatus: "OPEN",
    } as const;
    expect(
      glanceDate({
        ...seat,
        editorialBounds: [{ bound: "LATEST_START", documentAlone: "2014-12-18" }],
      }),
    ).toBe(
      "(since 2007-06-21, dated by the editors — the document alone: by 2014-12-18; still so at the source's last update)",
    );
    // the document's own date is unmarked, as before
    expect(glanceDate({ ...seat, editorialBounds: [] })).toBe(
      "(since 2007-06-21; still so at the source's last update)",
    );
    // a known stay: each end marked after its own words; an end the document does not bound at all
    expect(
      glanceDate({
        edtf: "1999/2007-06-21",
        wording: null,
        startStatus: "KNOWN",
        endStatus: "KNOWN",
        editorialBounds: [{ bound: "LATEST_END", documentAlone: "2014-12-18" }],
      }),
    ).toBe("(1999 to 2007-06-21, dated by the editors — the document alone: by 2014-12-18)");
    expect(
      glanceDate({
        edtf: "/2011-12",
        wording: "December 2011",
        startStatus: "UNKNOWN",
        endStatus: "KNOWN",
        editorialBounds: [{ bound: "EARLIEST_END", documentAlone: null }],
      }),
    ).toBe("(until December 2011, dated by the editors — the document alone: no day)");
    // a start the editors bound, shown by a period's wording: said of the start
    expect(
      glanceDate({
        edtf: "1973/1994-12-31",
        wording: "1973-1994",
        startStatus: "KNOWN",
        endStatus: "KNOWN",
        editorialBounds: [{ bound: "EARLIEST_START", documentAlone: null }],
      }),
    ).toBe("(1973-1994; start, dated by the editors — the document alone: no day)");
    // an end the editors date is not said of a start the glance gives alone
    expect(
      glanceDate({
        edtf: "2014-09/",
        wording: "September 2014",
        startStatus: "KNOWN",
        endStatus: "UNKNOWN",
        editorialBounds: [{ bound: "LATEST_END", documentAlone: null }],
      }),
    ).toBe("(from September 2014, end not given)");
  });
});
