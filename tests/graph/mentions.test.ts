/**
 * The quote rule for links: a quote cited for a fact linking two entities must mention both,
 * by any of their names, or the fact must carry an editorial note (src/graph/mentions.ts); and
 * for names: a name cited by quotes alone must be written in one of them.
 * A small JSON dataset with its own source text shows what counts as a mention.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadJsonGraph } from "../../src/graph/load.js";
import { normaliseForMention } from "../../src/graph/mentions.js";
import { formatProblem } from "../../src/graph/validate.js";
import { datasetErrorOf, errorAfter, makeTmpDir, removeDir } from "../fixtures/datasets.js";

const TEXT = [
  "Kazakhstan joined the CSCE in 1992.",
  "Gyorgy Szabo of HUNGARY.",
  "György Szabó of Hungary heads the Programme Office.",
  "The Programme Office sits in Nur-Sultan, Republic of Kazakhstan.",
  "The Kazakh diplomat Madina.",
  "The Kazakh diplomat Aigul.",
  "The FSCE of the CSCE.",
  "Kazakhstan’s chairmanship.",
].join("\n");

const q = (quote: string) => ({ source: "source/s", quote });
const named = (text: string) => ({
  name: { text, provenance: [{ editorial: "a test's entity" }] },
  provenance: [{ editorial: "a test's entity" }],
});

/** A dataset whose links all name both ends, in every way the rule allows, unless `change` breaks one. */
function dataset(change: (d: Record<string, any[]>) => void = () => {}): Record<string, any[]> {
  const d: Record<string, any[]> = {
    sources: [
      {
        id: "source/s",
        ...named("A test source"),
        file: "s.txt",
        created: { edtf: "2016", provenance: [{ editorial: "test" }] },
        updated: { edtf: "2016-03-18", provenance: [{ editorial: "test" }] },
      },
    ],
    states: [
      {
        id: "state/kazakhstan",
        ...named("Kazakhstan"),
        aliases: [
          {
            text: "Republic of Kazakhstan",
            kind: "FULL_NAME",
            provenance: [q("Republic of Kazakhstan")],
          },
        ],
      },
      { id: "state/hungary", ...named("Hungary") },
    ],
    places: [
      {
        id: "place/astana",
        ...named("Astana"),
        aliases: [
          {
            text: "Nur-Sultan",
            kind: "VARIANT",
            provenance: [{ editorial: "its name from 2019 to 2022" }],
          },
        ],
        kind: "CITY",
        // Astana by its other name, Kazakhstan by its full name
        state: { ref: "state/kazakhstan", provenance: [q("Nur-Sultan, Republic of Kazakhstan")] },
      },
    ],
    offices: [
      {
        id: "office/osce",
        ...named("Organization for Security and Co-operation in Europe"),
        kind: "ORGANIZATION",
        abbreviation: { text: "OSCE", provenance: [{ editorial: "test" }] },
        aliases: [
          { text: "CSCE", kind: "VARIANT", provenance: [{ editorial: "its name until 1995" }] },
        ],
      },
      {
        id: "office/fsc",
        ...named("Forum for Security Co-operation"),
        kind: "DECISION_MAKING_BODY",
        abbreviation: { text: "FSC", provenance: [{ editorial: "test" }] },
        partOf: {
          ref: "office/osce",
          provenance: [q("The FSCE of the CSCE"), { editorial: "a test's reason" }],
        },
      },
      {
        id: "office/field",
        ...named("Programme Office"),
        kind: "FIELD_OPERATION",
        locations: [
          { place: "place/astana", provenance: [q("The Programme Office sits in Nur-Sultan")] },
        ],
      },
    ],
    persons: [
      // accents and case: "Gyorgy Szabo of HUNGARY" names György Szabó and Hungary
      {
        id: "person/gyorgy-szabo",
        ...named("György Szabó"),
        nationality: { ref: "state/hungary", provenance: [q("Gyorgy Szabo of HUNGARY")] },
      },
      // "Kazakh" is no name of Kazakhstan: the editorial note says why the link holds
      {
        id: "person/aigul",
        ...named("Aigul"),
        nationality: {
          ref: "state/kazakhstan",
          provenance: [
            q("The Kazakh diplomat Aigul"),
            { editorial: "a Kazakh diplomat: a national of Kazakhstan" },
          ],
        },
      },
      {
        id: "person/madina",
        ...named("Madina"),
        nationality: {
          ref: "state/kazakhstan",
          provenance: [q("The Kazakh diplomat Madina"), { editorial: "a Kazakh diplomat" }],
        },
      },
    ],
    posts: [
      {
        id: "post/head",
        ...named("Head of the office"),
        kind: "HEAD_OF_OFFICE",
        office: { ref: "office/field", provenance: [q("heads the Programme Office")] },
      },
    ],
    // the post is mentioned by its office's name
    tenures: [
      {
        id: "tenure/szabo",
        post: "post/head",
        holder: "person/gyorgy-szabo",
        timing: "PERIOD",
        when: { edtf: "2016/..", provenance: [{ editorial: "test" }] },
        provenance: [q("György Szabó of Hungary heads the Programme Office")],
      },
    ],
    events: [
      {
        id: "event/accession",
        ...named("Accession of Kazakhstan"),
        kind: "ACCESSION",
        // the event is mentioned by its date's wording, the OSCE by its former name
        when: { edtf: "1992", wording: "in 1992", provenance: [q("in 1992")] },
        participants: [
          {
            ref: "state/kazakhstan",
            role: "SUBJECT",
            provenance: [q("Kazakhstan joined the CSCE in 1992")],
          },
          {
            ref: "office/osce",
            role: "JOINED",
            provenance: [q("Kazakhstan joined the CSCE in 1992")],
          },
        ],
      },
    ],
    // a straight apostrophe in the name, a curly one in the source
    priorities: [
      {
        id: "priority/chairmanship",
        ...named("Kazakhstan's chairmanship"),
        state: { ref: "state/kazakhstan", provenance: [q("Kazakhstan’s chairmanship")] },
      },
    ],
  };
  change(d);
  return d;
}

let dir: string | undefined;
afterEach(() => {
  if (dir) removeDir(dir);
  dir = undefined;
});

function load(d: Record<string, any[]>) {
  dir = makeTmpDir();
  writeFileSync(join(dir, "s.txt"), TEXT);
  for (const [collection, items] of Object.entries(d))
    writeFileSync(join(dir, `${collection}.json`), JSON.stringify(items));
  return loadJsonGraph(dir);
}

const item = (d: Record<string, any[]>, collection: string, id: string) =>
  d[collection]!.find((x) => x.id === id);

describe("a link's quote must mention both its ends", () => {
  it("accepts ends named by an alias, an abbreviation's former form, a full name, a date wording, an office's name, in any case, accent or apostrophe", () => {
    expect(() => load(dataset())).not.toThrow();
  });

  it("reports a nationality whose quote names the person but not the state, at its place", () => {
    const error = datasetErrorOf(() =>
      load(dataset((d) => item(d, "persons", "person/madina").nationality.provenance.pop())),
    );
    expect(error.problems.map(formatProblem)).toEqual([
      `${join(dir!, "persons.json")}: person/madina.nationality: no quote states this link: "The Kazakh diplomat Madina" does not mention ` +
        'state/kazakhstan ("Kazakhstan", "Republic of Kazakhstan"); quote a sentence that names both, or add an editorial note with the reason',
    ]);
  });

  it("takes whole words only: FSC is not named by FSCE", () => {
    const error = datasetErrorOf(() =>
      load(dataset((d) => item(d, "offices", "office/fsc").partOf.provenance.pop())),
    );
    expect(error.problems).toEqual([
      {
        file: join(dir!, "offices.json"),
        entity: "office/fsc",
        path: "partOf",
        message:
          'no quote states this link: "The FSCE of the CSCE" does not mention office/fsc ("Forum for Security Co-operation", "FSC"); ' +
          "quote a sentence that names both, or add an editorial note with the reason",
      },
    ]);
  });

  it("reports a participant, a location and a tenure whose quotes leave out an end, each at its own path", () => {
    const error = datasetErrorOf(() =>
      load(
        dataset((d) => {
          item(d, "events", "event/accession").participants[1].provenance = [q("joined the CSCE")];
          item(d, "offices", "office/field").locations[0].provenance = [q("sits in Nur-Sultan")];
          item(d, "tenures", "tenure/szabo").provenance = [q("György Szabó of Hungary")];
        }),
      ),
    );
    expect(
      error.problems.map(
        (p) => `${p.entity}.${p.path}: ${p.message.slice(0, p.message.indexOf(";"))}`,
      ),
    ).toEqual([
      'office/field.locations[0]: no quote states this link: "sits in Nur-Sultan" does not mention office/field ("Programme Office")',
      'tenure/szabo.provenance: no quote states this link: "György Szabó of Hungary" does not mention post/head ("Head of the office", "Programme Office")',
      'event/accession.participants[1]: no quote states this link: "joined the CSCE" does not mention event/accession ("Accession of Kazakhstan", "in 1992")',
    ]);
  });

  it("is satisfied by one quote of several that names both ends, and names every end missing from the first", () => {
    expect(() =>
      load(
        dataset(
          (d) =>
            (item(d, "persons", "person/gyorgy-szabo").nationality.provenance = [
              q("The Kazakh diplomat Aigul"),
              q("Gyorgy Szabo of HUNGARY"),
            ]),
        ),
      ),
    ).not.toThrow();
    const error = datasetErrorOf(() =>
      load(
        dataset(
          (d) =>
            (item(d, "persons", "person/gyorgy-szabo").nationality.provenance = [
              q("The Kazakh diplomat Aigul"),
              q("heads the Programme Office"),
            ]),
        ),
      ),
    );
    expect(error.problems[0]!.message).toBe(
      'no quote states this link: "The Kazakh diplomat Aigul" does not mention person/gyorgy-szabo ("György Szabó") nor state/hungary ("Hungary"), ' +
        "and no other quote mentions both ends; quote a sentence that names both, or add an editorial note with the reason",
    );
  });

  it("normalises case, accents, apostrophes, quotation marks, dashes and spaces, and nothing else", () => {
    expect(normaliseForMention("György  Szabó’s «Centre» – OSCE")).toBe(
      'gyorgy szabo\'s "centre" - osce',
    );
    expect(normaliseForMention("Programmme")).toBe("programmme");
  });
});

describe("a name cited by quotes alone must be written in one of them", () => {
  const quoted = (text: string, ...quotes: string[]) => ({ text, provenance: quotes.map(q) });

  it("accepts a name its quote writes in another case, accent, apostrophe or quotation mark", () => {
    expect(() =>
      load(
        dataset((d) => {
          item(d, "persons", "person/gyorgy-szabo").name = quoted(
            "György Szabó",
            "Gyorgy Szabo of HUNGARY",
          );
          item(d, "priorities", "priority/chairmanship").name = quoted(
            "Kazakhstan's chairmanship",
            "Kazakhstan’s chairmanship",
          );
          // one quote of several is enough
          item(d, "persons", "person/madina").name = quoted(
            "Madina",
            "Kazakhstan joined the CSCE in 1992",
            "The Kazakh diplomat Madina",
          );
        }),
      ),
    ).not.toThrow();
  });

  it("reports a name, an alias, an abbreviation and a former name their quotes do not write, each at its path", () => {
    const error = datasetErrorOf(() =>
      load(
        dataset((d) => {
          // the normalised spelling of a name the quote spells otherwise (the audit's finding 16)
          item(d, "persons", "person/madina").name = quoted(
            "Madina Jarbussynova",
            "The Kazakh diplomat Madina",
          );
          // an alias of kind DOCUMENT_SPELLING that is not the document's words
          item(d, "places", "place/astana").aliases.push({
            kind: "DOCUMENT_SPELLING",
            ...quoted("Nursultan", "sits in Nur-Sultan"),
          });
          // whole words only: "FSC" is not written in "FSCE"
          item(d, "offices", "office/fsc").abbreviation = quoted("FSC", "The FSCE of the CSCE");
          item(d, "offices", "office/field").nameHistory = [
            { ...quoted("Programme Office in Astana", "The Programme Office sits in Nur-Sultan") },
          ].map((n) => ({ ...n, when: { edtf: "2016/..", provenance: [{ editorial: "test" }] } }));
        }),
      ),
    );
    expect(
      error.problems.map(
        (p) => `${p.entity}.${p.path}: ${p.message.slice(0, p.message.indexOf(";"))}`,
      ),
    ).toEqual([
      'place/astana.aliases[1]: the name "Nursultan" is not written in its quote ("sits in Nur-Sultan")',
      'office/fsc.abbreviation: the name "FSC" is not written in its quote ("The FSCE of the CSCE")',
      'office/field.nameHistory[0]: the name "Programme Office in Astana" is not written in its quote ("The Programme Office sits in Nur-Sultan")',
      'person/madina.name: the name "Madina Jarbussynova" is not written in its quote ("The Kazakh diplomat Madina")',
    ]);
  });

  it("holds a description to the rule too: the built-in meeting's without its note is reported", () => {
    const error = errorAfter((d) => {
      const meeting = d.events.find(
        (e: { id: string }) => e.id === "event/2010-07-informal-ministerial-council-in-almaty",
      );
      meeting.description.provenance = meeting.description.provenance.filter(
        (p: object) => !("editorial" in p),
      );
    });
    expect(error.problems.map((p) => `${p.entity}.${p.path}: ${p.message.split(";")[0]}`)).toEqual([
      'event/2010-07-informal-ministerial-council-in-almaty.description: the description "Decided to hold the OSCE Summit in Kazakhstan." is not written in its quote ("decision to hold the OSCE Summit in Kazakhstan")',
    ]);
  });

  it("accepts such a name once an editorial note says why it is written otherwise", () => {
    expect(() =>
      load(
        dataset(
          (d) =>
            (item(d, "persons", "person/madina").name = {
              text: "Madina Jarbussynova",
              provenance: [q("The Kazakh diplomat Madina"), { editorial: "her usual spelling" }],
            }),
        ),
      ),
    ).not.toThrow();
  });
});

describe("the built-in dataset keeps to the rule", () => {
  it("reports the 2014 appointment's name in the usual spelling once its editorial note is gone (the audit's finding 16)", () => {
    const error = errorAfter((d) => {
      const appointment = d.events.find(
        (e: { id: string }) => e.id === "event/2014-09-appointment-of-madina-jarbussynova",
      );
      appointment.name.provenance = appointment.name.provenance.filter(
        (p: object) => !("editorial" in p),
      );
    });
    expect(error.problems.map(formatProblem)).toEqual([
      'data/events.ts: event/2014-09-appointment-of-madina-jarbussynova.name: the name "Appointment of Madina Jarbussynova as OSCE Special Representative on Combatin..." ' +
        'is not written in its quote ("September 2014 - Kazakh diplomat MadinaDzharbusynova is appointed as the OSCE..."); ' +
        "cite a quote that writes it, or add an editorial note saying why it is written otherwise " +
        "(and the document's words as an alias of kind DOCUMENT_SPELLING)",
    ]);
  });

  it("reports Szabó's nationality once its editorial note is gone: 'Hungarian' does not name Hungary", () => {
    const error = errorAfter((d) => {
      const szabo = d.persons.find((p: { id: string }) => p.id === "person/gyorgy-szabo");
      szabo.nationality.provenance = szabo.nationality.provenance.filter(
        (p: object) => !("editorial" in p),
      );
    });
    expect(error.problems.map(formatProblem)).toEqual([
      'data/persons.ts: person/gyorgy-szabo.nationality: no quote states this link: "Hungarian Ambassador Gyorgy Sabo" does not mention ' +
        'state/hungary ("Hungary"); quote a sentence that names both, or add an editorial note with the reason',
    ]);
  });

  it("reports the field office's state when it quotes only 'its field mission'", () => {
    const error = errorAfter((d) => {
      const office = d.offices.find(
        (o: { id: string }) => o.id === "office/osce-field-office-kazakhstan",
      );
      office.state.provenance = [
        {
          source: "source/kazakhstan-osce-cooperation",
          quote: "its field mission - OSCE Programmme Office in Astana",
        },
      ];
    });
    expect(error.problems.map((p) => `${p.file}: ${p.entity}.${p.path}`)).toEqual([
      "data/offices.ts: office/osce-field-office-kazakhstan.state",
    ]);
  });
});
