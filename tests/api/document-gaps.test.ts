/**
 * Facts the document states that the API could not give (the audit of 5 December, finding 20),
 * asked through the API: each answer is the document's, with its quote.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "../gql/index.js";
import { query, startServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const RENAMING_LINE =
  "June 21, 2007 - Decision of the Permanent Council on renaming of the OSCE Centre into the OSCE Centre in Astana.";

describe('the office the 2007 decision calls "the OSCE Centre"', () => {
  it("is the field office, by that name as the document's spelling, quoted from the decision's line", async () => {
    const data = await query(
      server,
      graphql(`
        query OfficeCalledOsceCentre {
          offices(filter: { anyName: { eq: "OSCE Centre" } }) {
            nodes {
              key
              names(filter: { text: { eq: "OSCE Centre" } }) {
                kind
                provenance { kind text }
              }
            }
          }
        }
      `),
    );
    const [office, ...others] = data.offices?.nodes ?? [];
    expect(others).toEqual([]);
    expect(office?.key).toBe("office/osce-field-office-kazakhstan");
    const [name] = office?.names ?? [];
    expect(name?.kind).toBe("DOCUMENT_SPELLING");
    const [quote] = name?.provenance ?? [];
    expect(quote?.kind).toBe("QUOTE");
    // the quote states the name, in the decision's line (validation holds it verbatim)
    expect(RENAMING_LINE).toContain(quote?.text);
    expect(quote?.text).toContain("the OSCE Centre into");
  });

  it("is no name of its history: the names it bore, and its name on the decision's day, are as before", async () => {
    const data = await query(
      server,
      graphql(`
        query OfficeNamesBesideOsceCentre {
          office(key: "osce-field-office-kazakhstan") {
            nameHistory { nodes { name } }
            namesOn(date: "2007-06-21") { name { name } certainty }
            formerNames: names(filter: { kind: { eq: FORMER_NAME } }) { text }
          }
        }
      `),
    );
    expect(data.office?.nameHistory.nodes.map((n) => n.name)).toEqual([
      "OSCE Centre in Almaty",
      "OSCE Centre in Astana",
      "OSCE Programme Office in Astana",
    ]);
    expect(data.office?.namesOn.map((n) => `${n.certainty} ${n.name.name}`)).toEqual([
      "YES OSCE Centre in Astana",
      "YES OSCE Centre in Almaty",
    ]);
    expect(data.office?.formerNames.map((n) => n.text)).toEqual([
      "OSCE Centre in Almaty",
      "OSCE Centre in Astana",
    ]);
  });
});

describe("facts the source states undated, as of its last update", () => {
  const AsOfDocument = graphql(`
    query StatedAsOf {
      source(key: "kazakhstan-osce-cooperation") {
        updated { edtf wording provenance { kind text } }
      }
      state(key: "kazakhstan") {
        cooperatesWith { office { key } statedAsOf { edtf wording provenance { kind text } } }
        priorities(first: 100) {
          nodes { key period { edtf } statedAsOf { edtf wording provenance { kind text } } }
        }
      }
      fieldOffice: office(key: "osce-field-office-kazakhstan") {
        dimensionLinks { dimension { key } statedAsOf { edtf } }
      }
      odihr: office(key: "odihr") {
        dimensionLinks { dimension { key } provenance { kind } statedAsOf { edtf } }
      }
      human: dimension(key: "human") {
        offices { edges { node { key } statedAsOf { edtf } } }
      }
    }
  `);

  it("gives a priority, in the present tense of 2016-03-18, that day with its quote; a programme the source dates, none", async () => {
    const data = await query(server, AsOfDocument);
    const updated = data.source?.updated;
    // the source's update, as QUESTIONS.md gives it: "last updated 2016-03-18"
    expect(updated?.edtf).toBe("2016-03-18");
    expect(updated?.provenance).toEqual([
      { kind: "QUOTE", text: "Updated at : 18.03.2016, 19:31" },
    ]);
    const priorities = data.state?.priorities.nodes ?? [];
    expect(priorities.length).toBeGreaterThan(1);
    for (const p of priorities) {
      if (p.period) expect(p.statedAsOf, p.key).toBeNull();
      else expect(p.statedAsOf, p.key).toEqual(updated);
    }
    expect(priorities.find((p) => p.key === "priority/path-to-europe")?.statedAsOf).toBeNull();
    expect(priorities.find((p) => p.key === "priority/aral-sea")?.statedAsOf).toEqual(updated);
  });

  it("gives every cooperation of Kazakhstan the source's update", async () => {
    const data = await query(server, AsOfDocument);
    const cooperations = data.state?.cooperatesWith ?? [];
    expect(cooperations.map((c) => c.office.key)).toContain("office/osce-field-office-kazakhstan");
    for (const c of cooperations) expect(c.statedAsOf, c.office.key).toEqual(data.source?.updated);
  });

  it("dates no office's dimension: the source states none, an editorial note gives each (the honest54 audit, F11)", async () => {
    const data = await query(server, AsOfDocument);
    const field = data.fieldOffice?.dimensionLinks ?? [];
    expect(field).toHaveLength(3);
    // "Cooperation is held in all three dimensions ..." states the cooperation's dimensions; that
    // the field office works in them is the editors' note: not the source's statement of 2016-03-18
    for (const link of field) expect(link.statedAsOf, link.dimension.key).toBeNull();
    // ODIHR in the human dimension is background knowledge: no date of the source states it
    expect(data.odihr?.dimensionLinks).toEqual([
      {
        dimension: { key: "dimension/human" },
        provenance: [{ kind: "EDITORIAL" }],
        statedAsOf: null,
      },
    ]);
    // the dimension's edges say the same as the offices' links
    const edges = new Map(
      (data.human?.offices.edges ?? []).map((e) => [e.node.key, e.statedAsOf?.edtf ?? null]),
    );
    expect(edges.has("office/osce-field-office-kazakhstan")).toBe(true);
    expect(edges.get("office/osce-field-office-kazakhstan")).toBeNull();
    expect(edges.get("office/odihr")).toBeNull();
  });
});

describe('"the keynote ... during upcoming years"', () => {
  const KEYNOTE =
    "Promotion of the heritage of the OSCE Astana Summit will be the keynote of the Kazakhstan’s activities within the Organization during upcoming years.";

  it("is the heritage of the Astana Summit, the one keynote of Kazakhstan's priorities, with its sentence", async () => {
    const data = await query(
      server,
      graphql(`
        query Keynote {
          source(key: "kazakhstan-osce-cooperation") { updated { edtf } }
          state(key: "kazakhstan") {
            priorities(first: 100) {
              totalCount
              nodes {
                key
                keynote
                description
                statedAsOf { edtf }
                evidence { field provenance { kind text } }
              }
            }
          }
        }
      `),
    );
    const priorities = data.state?.priorities.nodes ?? [];
    // the maintainers' count of Kazakhstan's priorities is unchanged
    expect(data.state?.priorities.totalCount).toBe(20);
    const keynotes = priorities.filter((p) => p.keynote);
    expect(keynotes.map((p) => p.key)).toEqual(["priority/heritage-of-the-astana-summit"]);
    const [keynote] = keynotes;
    expect(keynote?.evidence.find((e) => e.field === "keynote")?.provenance).toEqual([
      { kind: "QUOTE", text: KEYNOTE },
    ]);
    // said for upcoming years, stated by the source's last update (and maybe written before it:
    // the honest54 audit, F10, the years are not counted from that date)
    const updated = data.source?.updated.edtf ?? "";
    expect(keynote?.statedAsOf?.edtf).toBe(updated);
    expect(keynote?.description).toContain(
      '"upcoming years", as stated by the source\'s last update',
    );
    expect(keynote?.description).not.toContain("after the source's last update");
    // ... that date written as a reader reads it, not as EDTF (review 16e: "(2016-03-18)")
    const [year, month, day] = updated.split("-").map(Number);
    const read = new Date(Date.UTC(year!, month! - 1, day!)).toLocaleDateString("en-US", {
      timeZone: "UTC",
      year: "numeric",
      month: "long",
      day: "numeric",
    });
    expect(read).toBe("March 18, 2016");
    expect(keynote?.description).toContain(`(${read}).`);
    expect(keynote?.description).not.toContain(updated);
    const described = keynote?.evidence.find((e) => e.field === "description")?.provenance;
    expect(described?.map((p) => p.kind)).toEqual(["QUOTE", "QUOTE", "EDITORIAL"]);
    // and it rests on the line that states it: the source's "Updated at"
    expect(described?.[1]?.text).toMatch(/^Updated at : 18\.03\.2016\b/);
    // no other priority is described as the keynote, nor carries its evidence
    for (const p of priorities.filter((p) => !p.keynote))
      expect(
        p.evidence.map((e) => e.field),
        p.key,
      ).not.toContain("keynote");
  });

  it('is found by searching "keynote", the document\'s word', async () => {
    const data = await query(
      server,
      graphql(`
        query SearchKeynote {
          search(query: "keynote", first: 3) { nodes { entity { key } matchedNameKind } }
        }
      `),
    );
    expect(data.search?.nodes[0]).toEqual({
      entity: { key: "priority/heritage-of-the-astana-summit" },
      matchedNameKind: "DESCRIPTION",
    });
  });
});

describe("Kazakhstan's priorities", () => {
  it("come in the source's order, as State.priorities says: each where its name is quoted from, the keynote before the dimensions' lines", async () => {
    // the heritage of the Astana Summit, the keynote (line 34 of the document), came 17th, after
    // the human dimension's (line 40): the dataset's order, not the source's
    const data = await query(
      server,
      graphql(`
        query PrioritiesInSourceOrder {
          state(key: "kazakhstan") {
            priorities(first: 100) {
              nodes {
                key
                evidence { field provenance { __typename ... on SourceQuote { offset } } }
              }
            }
          }
        }
      `),
    );
    const priorities = data.state?.priorities.nodes ?? [];
    expect(priorities.length).toBeGreaterThan(10);
    const placed = priorities.map((p) => {
      const name = p.evidence.find((e) => e.field === "name");
      const quote = name?.provenance.find((q) => q.__typename === "SourceQuote");
      return { key: p.key, at: quote && "offset" in quote ? quote.offset : undefined };
    });
    for (const p of placed) expect(p.at, p.key).toBeTypeOf("number");
    expect(placed.map((p) => p.key)).toEqual(
      [...placed].sort((a, b) => a.at! - b.at!).map((p) => p.key),
    );
    const keys = placed.map((p) => p.key);
    expect(keys.indexOf("priority/heritage-of-the-astana-summit")).toBe(
      keys.indexOf("priority/path-to-europe") + 1,
    );
  });
});
