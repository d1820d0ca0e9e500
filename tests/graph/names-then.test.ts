/**
 * `nameThen` on the built-in data, at the days where the field office's name periods meet: the
 * certainty of the name it gives must say when another name may also have been borne that day.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { nameThen, officeNamesOn, stayIn, stayNameThen } from "../../src/graph/asof.js";
import { parsePartialDate } from "../../src/graph/dates.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import type { OfficeName } from "../../src/graph/model.js";
import { buildLikeBuiltIn, cloneBuiltIn, removeDir } from "../fixtures/datasets.js";
import { BETA, giveBetaTwoClosedNames, writeLineageDataset } from "../fixtures/lineage.js";

let graph: KnowledgeGraph;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
});

const then = (date: string) => {
  const office = graph.get("office", "office/osce-field-office-kazakhstan")!;
  const name = nameThen(graph, office, parsePartialDate(date));
  return {
    text: name.text,
    certainty: name.certainty,
    alternatives: name.alternatives.map((n) => n.text),
  };
};

const namesOn = (date: string) => {
  const office = graph.get("office", "office/osce-field-office-kazakhstan")!;
  return officeNamesOn(graph, office, parsePartialDate(date)).map(
    ({ name, certainty }) => `${certainty} ${name.text}`,
  );
};

/** Every day from `first` to `last`, YYYY-MM-DD. */
const daysFrom = (first: string, last: string) => {
  const days: string[] = [];
  for (let t = Date.parse(first); t <= Date.parse(last); t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
};

describe("the field office's names, changed on the days of the decisions (QUESTIONS.md Q4)", () => {
  // the audit of 5 December (finding 14): a rule "taken to have taken effect by the end of the
  // year of the decision" gave one name YES beside the other MAYBE to the end of 2007 and of
  // December 2014, and the old name YES beside the new one MAYBE on the decisions' days
  it("never answers one name YES and another MAYBE on the same day, around either change", () => {
    const mixed = [
      ...daysFrom("2006-12-01", "2008-01-31"),
      ...daysFrom("2014-11-01", "2015-01-31"),
    ].filter((day) => {
      const certainties = new Set(namesOn(day).map((held) => held.split(" ")[0]));
      return certainties.has("YES") && certainties.has("MAYBE");
    });
    expect(mixed).toEqual([]);
  });

  it("gives the old name alone the day before a decision, and the new one alone the day after", () => {
    expect(namesOn("2007-06-20")).toEqual(["YES OSCE Centre in Almaty"]);
    expect(namesOn("2007-06-22")).toEqual(["YES OSCE Centre in Astana"]);
    expect(namesOn("2014-12-17")).toEqual(["YES OSCE Centre in Astana"]);
    expect(namesOn("2014-12-19")).toEqual(["YES OSCE Programme Office in Astana"]);
  });

  it("gives both names on a decision's day, the day the name changed, and nameThen says so", () => {
    expect(namesOn("2007-06-21")).toEqual([
      "YES OSCE Centre in Astana",
      "YES OSCE Centre in Almaty",
    ]);
    expect(then("2007-06-21")).toEqual({
      text: "OSCE Centre in Astana",
      certainty: "MAYBE",
      alternatives: ["OSCE Centre in Almaty"],
    });
    expect(then("2014-12-18")).toEqual({
      text: "OSCE Programme Office in Astana",
      certainty: "MAYBE",
      alternatives: ["OSCE Centre in Astana"],
    });
  });

  it("gives the name the office opened under as certain in a fact that has it exist, where no other is possible (finding 7)", () => {
    // "1999 – Opening of the OSCE Center in Almaty.": on a day of 1999 the office may not have
    // existed yet, but in a fact of that date it did, and then it was the Centre in Almaty
    for (const date of ["1999", "1999-01-01", "1999-06"])
      expect(then(date)).toEqual({
        text: "OSCE Centre in Almaty",
        certainty: "YES",
        alternatives: [],
      });
    // never for a date that may fall before the opening, nor one that may fall after the name's
    // end, or when another name may be borne
    expect(then("1998/1999")).toEqual({
      text: "OSCE Centre in Almaty",
      certainty: "MAYBE",
      alternatives: [],
    });
    expect(then("1999/2008")).toMatchObject({ certainty: "MAYBE" });
    expect(then("2007")).toMatchObject({ certainty: "MAYBE" });
  });

  it("gives the name the office opened under, asked alone, no more certainly than its existence (the honest53 audit, F5)", () => {
    // asked alone, the name on a day also says the office existed then: on a day of 1999 it may
    // not have, as its place then (Almaty, MAYBE) says
    for (const date of ["1999", "1999-01-01", "1999-06", "1998/1999"])
      expect(namesOn(date)).toEqual(["MAYBE OSCE Centre in Almaty"]);
    // by the year's last day it had certainly opened
    expect(namesOn("1999-12-31")).toEqual(["YES OSCE Centre in Almaty"]);
    // nothing before 1999
    expect(namesOn("1998")).toEqual([]);
    expect(namesOn("1998-12-31")).toEqual([]);
    expect(namesOn("1999/2008")).toEqual([
      "MAYBE OSCE Centre in Astana",
      "MAYBE OSCE Centre in Almaty",
    ]);
    expect(namesOn("2007")).toEqual(["MAYBE OSCE Centre in Astana", "MAYBE OSCE Centre in Almaty"]);
  });

  it("is YES where the one name is the only possible one", () => {
    for (const day of ["2007-12-31", "2008-01-01", "2014-12-17"])
      expect(then(day)).toMatchObject({ text: "OSCE Centre in Astana", certainty: "YES" });
    expect(then("2014-12-31")).toMatchObject({
      text: "OSCE Programme Office in Astana",
      certainty: "YES",
    });
  });

  it("names the office by its old name, certainly, at each decision that renamed it (the new name is the decision's own)", () => {
    const office = graph.get("office", "office/osce-field-office-kazakhstan")!;
    for (const [event, old] of [
      ["event/2007-06-21-permanent-council-renaming", "OSCE Centre in Almaty"],
      ["event/2014-12-18-permanent-council-transformation", "OSCE Centre in Astana"],
    ] as const) {
      const decided = graph.get("event", event)!;
      const name = nameThen(graph, office, graph.date(decided.when), (n) => n.decidedBy === event);
      expect({ text: name.text, certainty: name.certainty }).toEqual({
        text: old,
        certainty: "YES",
      });
    }
  });

  it("dates the timeline's renamings and moves to the decisions' days", () => {
    const entries = [...graph.timeline.entries].filter((e) =>
      e.id.startsWith("office/osce-field-office-kazakhstan#"),
    );
    const dayOf = (id: string) => {
      const entry = entries.find((e) => e.id === id)!;
      return [entry.date.edtf, entry.parsed.earliest, entry.parsed.latest];
    };
    const renamed = ["2007-06-21", "2007-06-21", "2007-06-21"];
    expect(dayOf("office/osce-field-office-kazakhstan#name-1")).toEqual(renamed);
    expect(dayOf("office/osce-field-office-kazakhstan#location-0-end")).toEqual(renamed);
    expect(dayOf("office/osce-field-office-kazakhstan#location-1-start")).toEqual(renamed);
    expect(dayOf("office/osce-field-office-kazakhstan#name-2")).toEqual([
      "2014-12-18",
      "2014-12-18",
      "2014-12-18",
    ]);
  });
});

describe("the subject of a renaming whose former name ends before it (review 53b)", () => {
  it("is named on the former name's last day: the day before the change where they follow each other, its own last day across a gap", () => {
    const subjectOfRenaming = (cscePeriod: string) => {
      const data = cloneBuiltIn() as unknown as {
        offices: { id: string; nameHistory: { when: { edtf: string; assumed?: unknown } }[] }[];
      };
      const osce = data.offices.find((o) => o.id === "office/osce")!;
      const [csce, current] = osce.nameHistory;
      csce!.when.edtf = cscePeriod;
      delete csce!.when.assumed;
      delete current!.when.assumed;
      const built = buildLikeBuiltIn(data);
      const office = built.get("office", "office/osce")!;
      const entry = [...built.timeline.entries].find((e) => e.id === "office/osce#name-1")!;
      // as the timeline's subjectNameThen asks it: the name the change gives left out
      const given = office.nameHistory[1]!;
      const name = nameThen(built, office, entry.subjectDate, (n) => n === given);
      return { edtf: entry.subjectDate.edtf, name };
    };
    expect(subjectOfRenaming("1973/1994-12-31")).toMatchObject({
      edtf: "1994-12-31",
      name: { text: "Conference on Security and Co-operation in Europe", certainty: "YES" },
    });
    // half a year between the two names: the day before the change was NO again
    expect(subjectOfRenaming("1973/1994-06-30")).toMatchObject({
      edtf: "1994-06-30",
      name: { text: "Conference on Security and Co-operation in Europe", certainty: "YES" },
    });
    // the former name borne past the change's first day: named on the change's own date
    expect(subjectOfRenaming("1973/1995-06-30").edtf).toBe("1995-01-01");
  });
});

describe("the stay an office's relation to a place stands for (review 53b)", () => {
  it("is its first dated stay there, where an undated entry comes first", () => {
    const data = cloneBuiltIn() as unknown as {
      offices: { id: string; locations: { place: string; when?: unknown }[] }[];
    };
    const field = data.offices.find((o) => o.id === "office/osce-field-office-kazakhstan")!;
    const almaty = field.locations.find((l) => l.place === "place/almaty")!;
    const { when: _, ...undated } = almaty;
    field.locations.unshift(undated);
    const built = buildLikeBuiltIn(data);
    const office = built.get("office", "office/osce-field-office-kazakhstan")!;
    expect(office.locations[0]!.when).toBeUndefined();
    expect(stayIn(office, "place/almaty")!.when?.edtf).toBe("1999/2007-06-21");
    expect(stayNameThen(built, office, stayIn(office, "place/almaty")!)?.text).toBe(
      "OSCE Centre in Almaty",
    );
    expect(stayIn(office, "place/vienna")).toBeUndefined();
  });
});

describe("nameThen where no name may cover the date (lineage dataset)", () => {
  let dir: string;
  let lineage: KnowledgeGraph;
  beforeAll(() => {
    dir = writeLineageDataset();
    // Beta bore two names, both closed: OSCE Centre Beta in 2000-2003, OSCE Office Beta to 1 June 2005
    giveBetaTwoClosedNames(dir);
    lineage = loadJsonGraph(dir);
  });
  afterAll(() => removeDir(dir));

  const betaThen = (date: string, givenHere?: (name: OfficeName) => boolean) => {
    const name = nameThen(lineage, lineage.get("office", BETA)!, parsePartialDate(date), givenHere);
    return { text: name.text, certainty: name.certainty };
  };

  it("gives the last name that started before the date, certainty NO, after every name ended", () => {
    // in 2006 both names had ended; the nearest in time is the later one, OSCE Office Beta
    expect(betaThen("2006")).toEqual({ text: "OSCE Office Beta", certainty: "NO" });
    // before the first name, the first name
    expect(betaThen("1999")).toEqual({ text: "OSCE Centre Beta", certainty: "NO" });
  });

  it("leaves out the name the context gives, there too", () => {
    // a context that gives OSCE Office Beta (a renaming into it) names the office by the name before
    const givesOffice = (name: OfficeName) => name.text === "OSCE Office Beta";
    expect(betaThen("2006", givesOffice)).toEqual({ text: "OSCE Centre Beta", certainty: "NO" });
  });
});
