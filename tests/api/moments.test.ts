/**
 * An act (an accession, an opening, a decision, an appointment, a completion) happened on one day
 * of its date, not on each of them: asked `activeAt` a day of the year or month the source gives,
 * it may have been (MAYBE), and certainly was (YES) only on the one day the source gives. A
 * chairmanship, a meeting or a summit takes place through its date. The same rule holds for
 * `events`, the timeline's entries (each marks a moment, but a lasting event's and an attested
 * tenure's) and search hits, and agrees with `participatingOn` (the audit of 5 December found
 * the 1992 accession YES on 1992-06-01, when Kazakhstan was only MAYBE a participating State).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Certainty } from "../gql/graphql.js";
import { graphql } from "../gql/index.js";
import { query, startServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const MomentsDocument = graphql(`
  query MomentsActiveAt($at: String!, $certainty: [Certainty!]) {
    events(filter: { when: { activeAt: $at, certainty: $certainty } }, first: 100) {
      nodes { key }
    }
    timeline(filter: { date: { activeAt: $at, certainty: $certainty } }, first: 100) {
      nodes { kind label }
    }
    search(query: "OSCE", filter: { kind: { eq: EVENT }, date: { activeAt: $at, certainty: $certainty } }, first: 100) {
      nodes { entity { key } }
    }
    state(key: "kazakhstan") {
      participatingOn(date: $at) { certainty }
    }
  }
`);

const at = async (date: string, certainty: Certainty[]) => {
  const answer = await query(server, MomentsDocument, { at: date, certainty });
  return {
    events: answer.events.nodes.map((n) => n.key),
    timeline: answer.timeline.nodes.map((n) => `${n.kind} ${n.label}`),
    // (in order of relevance: sorted here)
    search: answer.search.nodes.map((n) => n.entity?.key).sort(),
    participating: answer.state?.participatingOn?.certainty,
  };
};

describe("an act, on one day of its date", () => {
  it("the 1992 accession: MAYBE on a day of 1992, as participatingOn says, and never YES", async () => {
    const day = await at("1992-06-01", ["YES"]);
    expect(day.events).toEqual([]);
    expect(day.timeline).toEqual([]);
    expect(day.search).toEqual([]);
    const maybe = await at("1992-06-01", ["MAYBE"]);
    expect(maybe.events).toEqual(["event/1992-kazakhstan-joins-the-osce"]);
    expect(maybe.timeline).toEqual(["EVENT Kazakhstan becomes an OSCE participating State"]);
    expect(maybe.search).toEqual(["event/1992-kazakhstan-joins-the-osce"]);
    expect(maybe.participating).toBe("MAYBE");
    // not even for the whole year: no day of it is certainly the one
    expect((await at("1992", ["YES"])).events).toEqual([]);
    expect((await at("1992", ["MAYBE"])).events).toEqual(["event/1992-kazakhstan-joins-the-osce"]);
  });

  it("the appointment of September 2014 and the start of its tenure: MAYBE on a day of the month", async () => {
    const yes = await at("2014-09-15", ["YES"]);
    expect(yes.events).toEqual([]);
    expect(yes.timeline).toEqual([]);
    const maybe = await at("2014-09-15", ["MAYBE"]);
    expect(maybe.events).toEqual(["event/2014-09-appointment-of-madina-jarbussynova"]);
    expect(maybe.timeline).toEqual([
      "EVENT Appointment of Madina Jarbussynova as OSCE Special Representative on Combating Trafficking in Human Beings",
      "TENURE_START Madina Jarbussynova – OSCE Special Representative on Combating Trafficking in Human Beings: start of tenure",
    ]);
  });

  it("a decision the source gives to the day: YES on that day, NO on the next", async () => {
    const day = await at("2014-12-18", ["YES"]);
    expect(day.events).toEqual(["event/2014-12-18-permanent-council-transformation"]);
    // and the change of name it made, dated to its day (QUESTIONS.md Q4)
    expect(day.timeline).toEqual([
      "EVENT Permanent Council decision transforming the OSCE Centre in Astana into the OSCE Programme Office in Astana",
      "NAME_CHANGE OSCE Centre in Astana transformed into OSCE Programme Office in Astana",
    ]);
    expect((await at("2014-12-19", ["YES", "MAYBE"])).events).toEqual([]);
  });
});

describe("a lasting event, through its date", () => {
  it("the 2010 chairmanship on every day of 2010, the Summit on each of its two days", async () => {
    const summit = await at("2010-12-02", ["YES"]);
    expect(summit.events).toEqual([
      "event/2010-kazakhstan-osce-chairmanship",
      "event/2010-12-astana-osce-summit",
    ]);
    expect(summit.search).toEqual([
      "event/2010-12-astana-osce-summit",
      "event/2010-kazakhstan-osce-chairmanship",
    ]);
    // the chairmanship's entry and Nazarbayev's attested tenure run through their dates; its
    // tenure's start and end are moments of 2010
    expect(summit.timeline).toEqual([
      "EVENT Kazakhstan's OSCE Chairmanship",
      "EVENT Astana OSCE Summit",
      "TENURE_ATTESTED Nursultan Nazarbayev – President of the Republic of Kazakhstan: tenure attested",
    ]);
  });
});
