/**
 * Names of their time and certainty wherever time matters, over HTTP: an entity in a dated
 * context (an event's participants, a timeline entry, a succession, a dated hop of a path) is
 * named as it was called then; `namesOn` and `participatingOn` answer a date with a certainty
 * instead of silently picking one answer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadJsonGraph } from "../../src/graph/load.js";
import { removeDir } from "../fixtures/datasets.js";
import {
  ALPHA,
  BETA,
  GAMMA,
  giveBetaTwoClosedNames,
  writeLineageDataset,
} from "../fixtures/lineage.js";
import { graphql } from "../gql/index.js";
import { execute, query, startServer, type TestServer } from "../support/server.js";

const RENAMING_2007 = "event/2007-06-21-permanent-council-renaming";
const TRANSFORMATION_2014 = "event/2014-12-18-permanent-council-transformation";
const FIELD_OFFICE = "office/osce-field-office-kazakhstan";

describe("names of their time (built-in data)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const SubjectsDocument = graphql(`
    query EventSubjectsThen($key: String!) {
      event(key: $key) {
        participants(filter: { role: { eq: SUBJECT } }) {
          nodes {
            entity { key label }
            nameThen { text certainty officeName { name } alternatives { name } }
          }
        }
      }
    }
  `);
  const subjects = async (key: string) =>
    (await query(server, SubjectsDocument, { key })).event!.participants.nodes;

  it("calls the subject of the 1999 opening OSCE Centre in Almaty, certainly: the name the opening gives (the audit's finding 7)", async () => {
    const [subject] = await subjects("event/1999-opening-of-the-osce-centre-in-almaty");
    expect(subject?.entity.key).toBe(FIELD_OFFICE);
    expect(subject?.nameThen).toEqual({
      text: "OSCE Centre in Almaty",
      certainty: "YES",
      officeName: { name: "OSCE Centre in Almaty" },
      alternatives: [],
    });
  });

  it("calls the subject of the 2007 renaming OSCE Centre in Almaty, the name it was renamed from", async () => {
    const [subject] = await subjects(RENAMING_2007);
    expect(subject?.entity).toEqual({
      key: FIELD_OFFICE,
      label: "OSCE Programme Office in Astana",
    });
    expect(subject?.nameThen.text).toBe("OSCE Centre in Almaty");
    // certainly: the old name's period lasts until the decision's day, and the name the decision
    // gives is the context's own, left out
    expect(subject?.nameThen.certainty).toBe("YES");
    expect(subject?.nameThen.officeName).toEqual({ name: "OSCE Centre in Almaty" });
    // the name the decision gave is not a name the office bore when it was decided
    expect(subject?.nameThen.alternatives.map((n) => n.name)).not.toContain(
      "OSCE Centre in Astana",
    );
  });

  it("calls the subject of the 2014 transformation OSCE Centre in Astana", async () => {
    const [subject] = await subjects(TRANSFORMATION_2014);
    expect(subject?.nameThen.text).toBe("OSCE Centre in Astana");
    expect(subject?.nameThen.certainty).toBe("YES");
    expect(subject?.nameThen.alternatives.map((n) => n.name)).not.toContain(
      "OSCE Programme Office in Astana",
    );
  });

  it("names an entity without a name history by its one name, certainly", async () => {
    const data = await query(
      server,
      graphql(`
        query SummitChairThen {
          event(key: "2010-12-astana-osce-summit") {
            participants(filter: { role: { eq: CHAIR } }) { nodes { nameThen { text certainty officeName { name } alternatives { name } } } }
          }
        }
      `),
    );
    expect(data.event?.participants.nodes.map((p) => p.nameThen)).toEqual([
      { text: "Nursultan Nazarbayev", certainty: "YES", officeName: null, alternatives: [] },
    ]);
  });

  it("names the renamed office on the timeline as it was called on each entry's date", async () => {
    const data = await query(
      server,
      graphql(`
        query FieldOfficeTimelineThen {
          timeline(filter: { entity: { eq: "office/osce-field-office-kazakhstan" }, kind: { in: [EVENT, NAME_CHANGE] } }, first: 100) {
            nodes { kind date { edtf } subject { key } officeName { name } subjectNameThen { text certainty } }
          }
        }
      `),
    );
    const renamedTo = (name: string) =>
      data.timeline.nodes.find((n) => n.kind === "NAME_CHANGE" && n.officeName?.name === name);
    // the NAME_CHANGE entry's subject is the office under the name it is renamed from
    expect(renamedTo("OSCE Centre in Astana")?.subjectNameThen.text).toBe("OSCE Centre in Almaty");
    expect(renamedTo("OSCE Programme Office in Astana")?.subjectNameThen.text).toBe(
      "OSCE Centre in Astana",
    );
    // an EVENT entry's subject is the event itself, which has one name
    expect(
      data.timeline.nodes.find((n) => n.kind === "EVENT" && n.subject.key === RENAMING_2007)
        ?.subjectNameThen.certainty,
    ).toBe("YES");
  });

  it("names the subject of every renaming by its former name, certainly: the CSCE of 1995 on the day before the change (the honest53 audit, F8)", async () => {
    const data = await query(
      server,
      graphql(`
        query RenamingsThen {
          timeline(filter: { kind: { eq: NAME_CHANGE } }) {
            nodes { date { edtf } subjectNameThen { text certainty certaintyBasis officeName { name } } }
          }
        }
      `),
    );
    expect(
      data.timeline.nodes.map(
        ({ date, subjectNameThen: then }) =>
          `${date.edtf} ${then.certainty} ${then.text} (${then.officeName?.name})`,
      ),
    ).toEqual([
      // the CSCE's name ends on 1994-12-31, the OSCE's begins on 1995-01-01: it was renamed as the
      // CSCE, which it was certainly called the day before (said to be NO on the change's day)
      "1995-01-01 YES Conference on Security and Co-operation in Europe (Conference on Security and Co-operation in Europe)",
      // the field office's periods meet on the decisions' days: named on the change's own day
      "2007-06-21 YES OSCE Centre in Almaty (OSCE Centre in Almaty)",
      "2014-12-18 YES OSCE Centre in Astana (OSCE Centre in Astana)",
    ]);
    // the CSCE's end on 1994-12-31 is editorial (the document calls it the OSCE throughout)
    expect(data.timeline.nodes[0]!.subjectNameThen.certaintyBasis).toBe("EDITORIAL");
  });

  it("names each office of a place by the name it bore there, beside its name today (the honest53 audit, F4)", async () => {
    const data = await query(
      server,
      graphql(`
        query OfficesWhileHere {
          almaty: place(key: "almaty") {
            offices { edges { node { name } nameWhileHere { text certainty alternatives { name } } } }
          }
          astana: place(key: "astana") {
            offices { edges { node { key } nameWhileHere { text } } }
          }
        }
      `),
    );
    // its name today is one it took in 2014, seven years after it left Almaty
    expect(data.almaty?.offices.edges).toEqual([
      {
        node: { name: "OSCE Programme Office in Astana" },
        nameWhileHere: {
          text: "OSCE Centre in Almaty",
          certainty: "MAYBE",
          alternatives: [{ name: "OSCE Centre in Astana" }],
        },
      },
    ]);
    // in Astana never the Centre in Almaty (borne there on its first day only)
    const field = data.astana?.offices.edges.find(
      (e) => e.node.key === "office/osce-field-office-kazakhstan",
    );
    expect(field?.nameWhileHere?.text).toBe("OSCE Programme Office in Astana");
  });

  it("names the office at the end of its stay in Almaty as its label does: the name it bore while there", async () => {
    const data = await query(
      server,
      graphql(`
        query AlmatyStayEnds {
          timeline(filter: { entity: { eq: "place/almaty" }, kind: { in: [LOCATION_START, LOCATION_END] } }) {
            nodes { kind label subjectNameThen { text certainty alternatives { name } } }
          }
        }
      `),
    );
    const end = data.timeline.nodes.find((n) => n.kind === "LOCATION_END");
    expect(end?.label).toBe("OSCE Centre in Almaty located in Almaty until this date");
    // 2007 holds both names (the move is on or after the renaming): the earlier first, the other as an alternative
    expect(end?.subjectNameThen).toEqual({
      text: "OSCE Centre in Almaty",
      certainty: "MAYBE",
      alternatives: [{ name: "OSCE Centre in Astana" }],
    });
  });

  it("labels a path through the 2007 renaming with the office's name of that time", async () => {
    const data = await query(
      server,
      graphql(`
        query PathThroughRenaming {
          path(from: "event/2007-06-21-permanent-council-renaming", to: "office/osce-field-office-kazakhstan", maxLength: 1) {
            hops { relation date { edtf } fromNameThen { text } toNameThen { text certainty } label }
          }
        }
      `),
    );
    const [hop] = data.path!.hops;
    expect(hop?.date?.edtf).toBe("2007-06-21");
    expect(hop?.toNameThen).toEqual({ text: "OSCE Centre in Almaty", certainty: "YES" });
    expect(hop?.label).toContain("→ OSCE Centre in Almaty");
    expect(hop?.label).not.toContain("Programme Office");
  });

  it("gives an undated hop no date and no names of its time", async () => {
    const data = await query(
      server,
      graphql(`
        query UndatedHop {
          path(from: "place/almaty", to: "state/kazakhstan", maxLength: 1) { hops { date { edtf } fromNameThen { text } toNameThen { text } label } }
        }
      `),
    );
    expect(data.path?.hops).toEqual([
      {
        date: null,
        fromNameThen: null,
        toNameThen: null,
        label: "Almaty —Place.state→ Kazakhstan",
      },
    ]);
  });
});

describe("certainty wherever time matters (built-in data)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const NamesOnDocument = graphql(`
    query FieldOfficeNamesOn($date: String!) {
      office(key: "osce-field-office-kazakhstan") {
        namesOn(date: $date) { certainty name { name } }
        nameHistory(asOf: $date) { edges { certainty node { name } } }
      }
    }
  `);

  it("says on 2007 that the office may have borne either name, as nameHistory(asOf) does", async () => {
    const data = await query(server, NamesOnDocument, { date: "2007" });
    const namesOn = data.office!.namesOn.map((n) => `${n.certainty} ${n.name.name}`);
    expect(namesOn).toEqual(["MAYBE OSCE Centre in Astana", "MAYBE OSCE Centre in Almaty"]);
    // the same answer as the as-of list, best first
    expect([...namesOn].sort()).toEqual(
      data.office!.nameHistory.edges.map((e) => `${e.certainty} ${e.node.name}`).sort(),
    );
  });

  it("gives one certain name in 2010, and no name before the office opened", async () => {
    expect((await query(server, NamesOnDocument, { date: "2010" })).office!.namesOn).toEqual([
      { certainty: "YES", name: { name: "OSCE Centre in Astana" } },
    ]);
    expect((await query(server, NamesOnDocument, { date: "1998-12-31" })).office!.namesOn).toEqual(
      [],
    );
  });

  it("refuses a date that is not EDTF, naming the argument", async () => {
    const result = await execute(server, NamesOnDocument, { date: "21.06.2007" });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      argumentName: "date",
    });
  });

  it("refuses a year before 0000 saying so, naming the argument and the year", async () => {
    const result = await execute(server, NamesOnDocument, { date: "-0001" });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      argumentName: "date",
    });
    expect(result.errors?.[0]?.message).toMatch(
      /^Argument "date": "-0001" is not a valid EDTF date: year -0001 is before 0000 \(1 BCE\): years before 0000 are not supported\./,
    );
  });

  const ParticipatingDocument = graphql(`
    query KazakhstanParticipatingOn($date: String!) {
      state(key: "kazakhstan") {
        participatingOn(date: $date) { certainty accession { key when { edtf } } }
      }
    }
  `);
  const participating = async (date: string) =>
    (await query(server, ParticipatingDocument, { date })).state!.participatingOn;

  it("answers whether Kazakhstan was a participating State, from its accession dated only 1992", async () => {
    expect(await participating("1992-06-01")).toEqual({
      certainty: "MAYBE",
      accession: { key: "event/1992-kazakhstan-joins-the-osce", when: { edtf: "1992" } },
    });
    expect((await participating("1991-12-31"))?.certainty).toBe("NO");
    expect((await participating("1992"))?.certainty).toBe("MAYBE");
    // the last day of 1992 is YES: had it joined that very day, the day is the period's first
    expect((await participating("1992-12-30"))?.certainty).toBe("MAYBE");
    expect((await participating("1992-12-31"))?.certainty).toBe("YES");
    expect((await participating("1993-01-01"))?.certainty).toBe("YES");
    expect((await participating("2010"))?.certainty).toBe("YES");
    // after the source's last update (2016-03-18), an open-ended fact is only possible
    expect((await participating("2020"))?.certainty).toBe("MAYBE");
  });

  it("answers null for a state without an accession", async () => {
    const data = await query(
      server,
      graphql(`
        query HungaryParticipatingOn {
          state(key: "hungary") { participatingOn(date: "2010") { certainty } }
        }
      `),
    );
    expect(data.state?.participatingOn).toBeNull();
  });

  it("explains in Certainty's description why 2010 is YES on 2010-06-15 but 2011-09/2011-12 MAYBE on 2011-09-15", async () => {
    const data = await query(
      server,
      graphql(`
        query CertaintyDescription {
          __type(name: "Certainty") { description }
        }
      `),
    );
    const description = data.__type?.description ?? "";
    expect(description).toContain("`2010` is YES on 2010-06-15");
    expect(description).toContain("2011-09-15 is MAYBE");
    expect(description).toContain("LAST day its start");
  });

  it("deprecates the silent nameOn in favour of namesOn", async () => {
    const data = await query(
      server,
      graphql(`
        query NameOnDeprecation {
          __type(name: "Office") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } }
        }
      `),
    );
    const nameOn = data.__type?.fields?.find((f) => f.name === "nameOn");
    expect(nameOn).toMatchObject({ isDeprecated: true });
    expect(nameOn?.deprecationReason).toContain("namesOn");
  });
});

describe("names of their time in a lineage (JSON dataset)", () => {
  let dir: string;
  let server: TestServer;
  beforeAll(async () => {
    dir = writeLineageDataset();
    // Beta is known under two names: OSCE Centre Beta when Alpha became it, OSCE Office Beta when it became Gamma
    giveBetaTwoClosedNames(dir);
    server = await startServer(loadJsonGraph(dir));
  });
  afterAll(async () => {
    await server.close();
    removeDir(dir);
  });

  it("names each side of a succession as it was called when the successor took over", async () => {
    const data = await query(
      server,
      graphql(`
        query SuccessionNamesThen($key: String!) {
          office(key: $key) {
            lineage {
              predecessor { key name }
              successor { key name }
              when { edtf }
              predecessorNameThen { text certainty }
              successorNameThen { text certainty }
            }
          }
        }
      `),
      { key: GAMMA },
    );
    const [toGamma, toBeta] = data.office!.lineage;
    expect(toGamma).toMatchObject({
      predecessor: { key: BETA, name: "OSCE Office Beta" },
      predecessorNameThen: { text: "OSCE Office Beta", certainty: "YES" },
      successorNameThen: { text: "OSCE Programme Office Gamma", certainty: "YES" },
    });
    // in 2000 Beta was OSCE Centre Beta, not the name it bears now: its first name, the one it
    // began under, and the only one possible in 2000, so certain though its start is known only
    // to the year (asof.ts officeNameCertainties)
    expect(toBeta).toMatchObject({
      predecessor: { key: ALPHA },
      successor: { key: BETA, name: "OSCE Office Beta" },
      when: { edtf: "2000" },
      successorNameThen: { text: "OSCE Centre Beta", certainty: "YES" },
    });
  });
});
