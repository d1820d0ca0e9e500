/** `statistics` over HTTP: grouped counts, checked against counts made here from the built-in dataset. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtInDataset } from "../../data/index.js";
import { parsePartialDate } from "../../src/graph/dates.js";
import { graphql } from "../gql/index.js";
import { query, startServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const StatisticsQuery = graphql(`
  query AllStatistics {
    statistics {
      entitiesByKind { kind count }
      eventsByYear { year count }
      eventsWithoutYearRange
      eventsByKind { kind count }
      tenuresByOffice { office { key } count }
      personsByNationality { state { key } count }
      personsWithoutNationality
    }
    events { totalCount }
    tenures { totalCount }
  }
`);

/** Sorts [key, count] pairs most first, ties by key: the order the API promises. */
const byCountThenKey = (counts: Map<string, number>) =>
  [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([key, count]) => ({ key, count }));

describe("statistics", () => {
  it("counts the entities of every kind, as many as each collection of the dataset holds", async () => {
    const { statistics } = await query(server, StatisticsQuery);
    const expected = Object.values(builtInDataset).map((list) => ({
      kind: list[0]!.id.split("/")[0]!,
      count: list.length,
    }));
    expect(statistics.entitiesByKind).toEqual(expected);
  });

  it("counts events in every year their dates may cover, so a year's count is the number of events that may fall in it", async () => {
    const { statistics } = await query(server, StatisticsQuery);
    const years = new Map<number, number>();
    for (const event of builtInDataset.events) {
      const date = parsePartialDate(event.when.edtf);
      for (let y = Number(date.earliest!.slice(0, 4)); y <= Number(date.latest!.slice(0, 4)); y++)
        years.set(y, (years.get(y) ?? 0) + 1);
    }
    expect(statistics.eventsByYear).toEqual(
      [...years].sort(([a], [b]) => a - b).map(([year, count]) => ({ year, count })),
    );
    expect(statistics.eventsByYear.find((y) => y.year === 2010)?.count).toBe(
      builtInDataset.events.filter((e) => e.when.edtf.startsWith("2010")).length,
    );
    expect(statistics.eventsWithoutYearRange).toBe(0);
  });

  it("counts events per kind, every kind listed, adding up to the number of events", async () => {
    const { statistics, events } = await query(server, StatisticsQuery);
    for (const { kind, count } of statistics.eventsByKind)
      expect(count, kind).toBe(builtInDataset.events.filter((e) => e.kind === kind).length);
    expect(statistics.eventsByKind.map((k) => k.kind)).toEqual([
      "ACCESSION",
      "OPENING",
      "DECISION",
      "CHAIRMANSHIP",
      "MEETING",
      "SUMMIT",
      "APPOINTMENT",
      "COMPLETION",
    ]);
    expect(statistics.eventsByKind.reduce((n, k) => n + k.count, 0)).toBe(events.totalCount);
  });

  it("counts tenures per office through the offices' posts", async () => {
    const { statistics, tenures } = await query(server, StatisticsQuery);
    const officeOfPost = new Map(builtInDataset.posts.map((p) => [p.id, p.office?.ref]));
    const counts = new Map<string, number>();
    for (const t of builtInDataset.tenures) {
      const office = officeOfPost.get(t.post);
      if (office) counts.set(office, (counts.get(office) ?? 0) + 1);
    }
    expect(statistics.tenuresByOffice.map((c) => ({ key: c.office.key, count: c.count }))).toEqual(
      byCountThenKey(counts),
    );
    const ofStates = builtInDataset.tenures.filter((t) => !officeOfPost.get(t.post)).length;
    expect(statistics.tenuresByOffice.reduce((n, c) => n + c.count, 0)).toBe(
      tenures.totalCount - ofStates,
    );
  });

  it("counts persons per nationality", async () => {
    const { statistics } = await query(server, StatisticsQuery);
    const counts = new Map<string, number>();
    for (const p of builtInDataset.persons)
      if (p.nationality) counts.set(p.nationality.ref, (counts.get(p.nationality.ref) ?? 0) + 1);
    expect(
      statistics.personsByNationality.map((c) => ({ key: c.state.key, count: c.count })),
    ).toEqual(byCountThenKey(counts));
    expect(statistics.personsWithoutNationality).toBe(
      builtInDataset.persons.filter((p) => !p.nationality).length,
    );
  });
});
