/** `path(from, to, maxLength)` over HTTP: shortest chains of facts, their provenance, and their bounds. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadJsonGraph } from "../../src/graph/load.js";
import { editJson, exportToTmp, removeDir } from "../fixtures/datasets.js";
import { ALPHA, BETA, GAMMA, JANE, JOHN, writeLineageDataset } from "../fixtures/lineage.js";
import { graphql } from "../gql/index.js";
import { execute, query, startServer, type TestServer } from "../support/server.js";

const PathQuery = graphql(`
  query PathBetween($from: String!, $to: String!, $maxLength: Int) {
    path(from: $from, to: $to, maxLength: $maxLength) {
      length
      entities { key }
      hops {
        from { key }
        to { key }
        relation
        direction
        role
        succession
        label
        provenance { kind text }
      }
    }
  }
`);

describe("path over the built-in data", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it("links György Szabó to Kazakhstan through his tenure, its post and the office, each hop with its provenance", async () => {
    const data = await query(server, PathQuery, { from: "gyorgy-szabo", to: "state/kazakhstan" });
    expect(data.path?.length).toBe(4);
    expect(data.path?.entities.map((e) => e.key)).toEqual([
      "person/gyorgy-szabo",
      "tenure/gyorgy-szabo-head-of-programme-office",
      "post/head-of-osce-field-office-kazakhstan",
      "office/osce-field-office-kazakhstan",
      "state/kazakhstan",
    ]);
    expect(data.path?.hops.map((h) => [h.relation, h.direction])).toEqual([
      ["Tenure.holder", "BACKWARD"],
      ["Tenure.post", "FORWARD"],
      ["Post.office", "FORWARD"],
      ["Office.state", "FORWARD"],
    ]);
    expect(data.path?.hops[0]).toMatchObject({
      from: { key: "person/gyorgy-szabo" },
      to: { key: "tenure/gyorgy-szabo-head-of-programme-office" },
      role: null,
      label:
        "György Szabó: Head of the OSCE Programme Office in Astana —Tenure.holder→ György Szabó",
      provenance: [
        {
          kind: "QUOTE",
          text: "The OSCE Programmme Office in Astana is headed by Hungarian Ambassador Gyorgy Sabo.",
        },
      ],
    });
    // "its field mission" does not say whose: the hop carries the editorial reason with its quotes
    expect(data.path?.hops[3]?.provenance.map((p) => p.kind)).toEqual([
      "QUOTE",
      "QUOTE",
      "EDITORIAL",
    ]);
    expect(data.path?.hops[3]?.provenance[0]).toEqual({
      kind: "QUOTE",
      text: "its field mission - OSCE Programmme Office in Astana",
    });
  });

  it("links Nazarbayev to Almaty through his nationality and the city's state, reading the second hop backwards", async () => {
    const data = await query(server, PathQuery, {
      from: "person/nursultan-nazarbayev",
      to: "almaty",
    });
    expect(data.path).toMatchObject({
      length: 2,
      hops: [
        {
          from: { key: "person/nursultan-nazarbayev" },
          to: { key: "state/kazakhstan" },
          relation: "Person.nationality",
          direction: "FORWARD",
        },
        {
          from: { key: "state/kazakhstan" },
          to: { key: "place/almaty" },
          relation: "Place.state",
          direction: "BACKWARD",
          label: "Almaty —Place.state→ Kazakhstan",
          provenance: [
            { kind: "EDITORIAL", text: "Almaty is a city of Kazakhstan (its capital until 1997)." },
          ],
        },
      ],
    });
  });

  it("says which role a participant played when a hop goes through an event", async () => {
    const data = await query(server, PathQuery, {
      from: "nursultan-nazarbayev",
      to: "event/2010-12-astana-osce-summit",
      maxLength: 1,
    });
    expect(data.path?.hops).toEqual([
      expect.objectContaining({
        relation: "Event.participants",
        direction: "BACKWARD",
        role: "CHAIR",
      }),
    ]);
  });

  it("names the office in its stay by the name it bore there, the stay's period the hop's date (the honest53 audit, F4)", async () => {
    const StayHops = graphql(`
      query StayHops($from: String!, $to: String!) {
        path(from: $from, to: $to) {
          hops {
            relation
            label
            date { edtf }
            fromNameThen { text certainty alternatives { name } }
            toNameThen { text certainty }
          }
        }
      }
    `);
    const lastHop = async (from: string, to: string) =>
      (await query(server, StayHops, { from, to })).path!.hops.at(-1)!;
    // in Almaty from 1999 to its renaming on 2007-06-21, as the Centre in Almaty: it bore the
    // Programme Office's name only from 2014, and the Centre in Astana's only on the day it left
    expect(await lastHop("gyorgy-szabo", "almaty")).toEqual({
      relation: "Office.locations",
      label: "OSCE Centre in Almaty —Office.locations→ Almaty",
      date: { edtf: "1999/2007-06-21" },
      fromNameThen: {
        text: "OSCE Centre in Almaty",
        certainty: "MAYBE",
        alternatives: [{ name: "OSCE Centre in Astana" }],
      },
      toNameThen: { text: "Almaty", certainty: "YES" },
    });
    // in Astana from that day on: never as the Centre in Almaty, though it bore that name there on
    // its first day
    const astana = await lastHop("gyorgy-szabo", "astana");
    expect(astana).toMatchObject({
      relation: "Office.locations",
      label: "OSCE Programme Office in Astana —Office.locations→ Astana",
      date: { edtf: "2007-06-21/.." },
    });
    expect(astana.fromNameThen?.alternatives.at(-1)).toEqual({ name: "OSCE Centre in Almaty" });
  });

  it("answers the same chain every time", async () => {
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        query(server, PathQuery, { from: "madina-jarbussynova", to: "place/vienna", maxLength: 6 }),
      ),
    );
    expect(answers[0]?.path?.length).toBeGreaterThan(0);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it("walks from a head of office up to the OSCE through the office's partOf", async () => {
    const data = await query(server, PathQuery, { from: "gyorgy-szabo", to: "office/osce" });
    expect(data.path?.hops.map((h) => [h.relation, h.direction])).toEqual([
      ["Tenure.holder", "BACKWARD"],
      ["Tenure.post", "FORWARD"],
      ["Post.office", "FORWARD"],
      ["Office.partOf", "FORWARD"],
    ]);
    expect(data.path?.hops[3]).toMatchObject({
      from: { key: "office/osce-field-office-kazakhstan" },
      to: { key: "office/osce" },
      label:
        "OSCE Programme Office in Astana —Office.partOf→ Organization for Security and Co-operation in Europe",
    });
    expect(data.path?.hops[3]?.provenance.length).toBeGreaterThan(0);
  });

  it("gives a path of length 0 from an entity to itself", async () => {
    const data = await query(server, PathQuery, {
      from: "gyorgy-szabo",
      to: "person/gyorgy-szabo",
    });
    expect(data.path).toEqual({ length: 0, entities: [{ key: "person/gyorgy-szabo" }], hops: [] });
  });

  it("answers null when no chain is short enough, and finds it with a larger maxLength", async () => {
    expect(
      (await query(server, PathQuery, { from: "gyorgy-szabo", to: "kazakhstan", maxLength: 3 }))
        .path,
    ).toBeNull();
    expect(
      (await query(server, PathQuery, { from: "gyorgy-szabo", to: "kazakhstan", maxLength: 4 }))
        .path?.length,
    ).toBe(4);
  });

  it("reaches Ukraine through the priority about it: Kazakhstan's attention to the OSCE's activities in connection with the situation there", async () => {
    const data = await query(server, PathQuery, { from: "kazakhstan", to: "state/ukraine" });
    expect(data.path?.entities.map((e) => e.key)).toEqual([
      "state/kazakhstan",
      "priority/osce-activities-on-ukraine",
      "state/ukraine",
    ]);
    expect(data.path?.hops.map((h) => [h.relation, h.direction])).toEqual([
      ["Priority.state", "BACKWARD"],
      ["Priority.concerns", "FORWARD"],
    ]);
    expect(data.path?.hops[1]?.provenance).toEqual([
      {
        kind: "QUOTE",
        text: "Special attention is paid to the OSCE's activities in connection with the situation in Ukraine and the work of the monitoring mission.",
      },
    ]);
  });

  it.each([
    [
      { from: "person/nobody", to: "kazakhstan" },
      "from",
      'Argument "from": no entity has the key "person/nobody"',
    ],
    [
      { from: "person/gyorgy-sabo", to: "kazakhstan" },
      "from",
      "(did you mean person/gyorgy-szabo?)",
    ],
    [
      { from: "gyorgy-szabo", to: "atlantis" },
      "to",
      'Argument "to": no entity has the slug "atlantis"',
    ],
    [
      { from: "source/kazakhstan-osce-cooperation", to: "kazakhstan" },
      "from",
      "sources are not part of paths",
    ],
    [
      { from: "osce-chairmanship", to: "kazakhstan" },
      "from",
      "is the slug of several entities (office/osce-chairmanship, post/osce-chairmanship)",
    ],
    [
      { from: "gyorgy-szabo", to: "kazakhstan", maxLength: 0 },
      "maxLength",
      "must be a whole number from 1 to 6, got 0",
    ],
    [
      { from: "gyorgy-szabo", to: "kazakhstan", maxLength: 7 },
      "maxLength",
      "must be a whole number from 1 to 6, got 7",
    ],
  ])(
    "refuses %j with BAD_USER_INPUT naming the argument",
    async (variables, argumentName, message) => {
      const result = await execute(server, PathQuery, variables);
      expect(result.data?.path ?? null).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors?.[0]?.message).toContain(message);
      expect(result.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT", argumentName });
    },
  );
});

describe("path through a succession of offices (JSON dataset)", () => {
  it("links a head of Alpha to Gamma through the successions, naming the kind of each", async () => {
    const dir = writeLineageDataset();
    const server = await startServer(loadJsonGraph(dir));
    try {
      const data = await query(server, PathQuery, { from: JANE, to: GAMMA, maxLength: 6 });
      expect(data.path?.entities.map((e) => e.key)).toEqual([
        JANE,
        "tenure/jane-doe-head-of-alpha",
        "post/head-of-alpha",
        ALPHA,
        BETA,
        GAMMA,
      ]);
      expect(data.path?.hops.slice(3)).toMatchObject([
        {
          relation: "Office.predecessors",
          direction: "BACKWARD",
          succession: "RENAMING",
          provenance: [{ text: "Test fixture: Alpha was renamed Beta." }],
        },
        { relation: "Office.predecessors", direction: "BACKWARD", succession: "TRANSFORMATION" },
      ]);
      // Jane and John are 8 hops apart, beyond any allowed maxLength
      expect(
        (await query(server, PathQuery, { from: JANE, to: JOHN, maxLength: 6 })).path,
      ).toBeNull();
    } finally {
      await server.close();
      removeDir(dir);
    }
  });
});

describe("the work bound", () => {
  it("stops a search that keeps more than 10000 entities with a clear error instead of running on", async () => {
    // 10,050 persons of one nationality: from one of them, Kazakhstan's neighbours alone exceed the bound
    const dir = exportToTmp();
    // a state nothing links to: no path reaches it, so the search runs until its bound
    editJson(dir, "states", (items) => {
      items.push({
        id: "state/atlantis",
        name: { text: "Atlantis", provenance: [{ editorial: "generated" }] },
        provenance: [{ editorial: "generated" }],
      });
    });
    editJson(dir, "persons", (items) => {
      for (let i = 0; i < 10_050; i++) {
        items.push({
          id: `person/p-${i}`,
          name: { text: `Person ${i}`, provenance: [{ editorial: "generated" }] },
          nationality: { ref: "state/kazakhstan", provenance: [{ editorial: "generated" }] },
          provenance: [{ editorial: "generated" }],
        });
      }
    });
    const server = await startServer(loadJsonGraph(dir));
    try {
      const result = await execute(server, PathQuery, {
        from: "p-0",
        to: "state/atlantis",
        maxLength: 6,
      });
      expect(result.data?.path ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions).toEqual({
        code: "PATH_SEARCH_TOO_LARGE",
        maxVisits: 10_000,
      });
      expect(result.errors?.[0]?.message).toMatch(
        /stopped after reaching 10000 entities .* ask with a smaller maxLength/,
      );
      // a short search between neighbours stays within the bound
      const near = await query(server, PathQuery, { from: "p-0", to: "kazakhstan", maxLength: 1 });
      expect(near.path?.length).toBe(1);
      // the last layer is only checked for the target, not kept: crossing the 10,050-neighbour hub fits
      const across = await query(server, PathQuery, { from: "p-0", to: "p-10049", maxLength: 2 });
      expect(across.path?.entities.map((e) => e.key)).toEqual([
        "person/p-0",
        "state/kazakhstan",
        "person/p-10049",
      ]);
    } finally {
      await server.close();
      removeDir(dir);
    }
  });
});
