/**
 * `nameThen` on the built-in data, at the days where the field office's name periods meet: the
 * certainty of the name it gives must say when another name may also have been borne that day.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { nameThen } from "../../src/graph/asof.js";
import { parsePartialDate } from "../../src/graph/dates.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import type { OfficeName } from "../../src/graph/model.js";
import { removeDir } from "../fixtures/datasets.js";
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

describe("nameThen where one name is certain and another possible", () => {
  it("is only MAYBE on 31 December 2014: the new name certainly held, the old one may have too", () => {
    // "OSCE Programme Office in Astana" (2014-12/..) began in December 2014, so by the 31st
    // at the latest: it certainly covers that day. "OSCE Centre in Astana" (2007/2014-12)
    // ended some day in December 2014, possibly the 31st: it may also have been borne then.
    expect(then("2014-12-31")).toEqual({
      text: "OSCE Programme Office in Astana",
      certainty: "MAYBE",
      alternatives: ["OSCE Centre in Astana"],
    });
  });

  it("is only MAYBE on 31 December 2007, for the same reason at the 2007 renaming's year end", () => {
    // "OSCE Centre in Almaty" (1999/2007) may have lasted to the end of 2007
    expect(then("2007-12-31")).toEqual({
      text: "OSCE Centre in Astana",
      certainty: "MAYBE",
      alternatives: ["OSCE Centre in Almaty"],
    });
  });

  it("is YES where the one name is the only possible one", () => {
    // a day after the Almaty name's last possible day, before the Astana name's end
    expect(then("2008-01-01")).toEqual({
      text: "OSCE Centre in Astana",
      certainty: "YES",
      alternatives: [],
    });
  });
});

describe("nameThen around the decisions that bound the name periods (Dated.startsNotBefore, endsNotBefore)", () => {
  it("gives the old name alone, certainly, before the 2007 renaming was decided", () => {
    for (const day of ["2007-03-01", "2007-06-20"])
      expect(then(day)).toEqual({
        text: "OSCE Centre in Almaty",
        certainty: "YES",
        alternatives: [],
      });
  });

  it("gives the old name, certain, and the new one as possible, on the day of the renaming decision", () => {
    expect(then("2007-06-21")).toEqual({
      text: "OSCE Centre in Almaty",
      certainty: "MAYBE",
      alternatives: ["OSCE Centre in Astana"],
    });
  });

  it("gives the Centre in Astana alone, certainly, in December 2014 before the transformation's decision", () => {
    for (const day of ["2014-12-01", "2014-12-17"])
      expect(then(day)).toEqual({
        text: "OSCE Centre in Astana",
        certainty: "YES",
        alternatives: [],
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

  it("dates the timeline's renamings and moves no earlier than the decisions", () => {
    const entries = [...graph.timeline.entries].filter((e) =>
      e.id.startsWith("office/osce-field-office-kazakhstan#"),
    );
    const dayOf = (id: string) => {
      const entry = entries.find((e) => e.id === id)!;
      return [
        entry.date.edtf,
        entry.date.startsNotBefore,
        entry.parsed.earliest,
        entry.parsed.latest,
      ];
    };
    const RENAMING = "event/2007-06-21-permanent-council-renaming";
    const TRANSFORMATION = "event/2014-12-18-permanent-council-transformation";
    expect(dayOf("office/osce-field-office-kazakhstan#name-1")).toEqual([
      "2007",
      RENAMING,
      "2007-06-21",
      "2007-12-31",
    ]);
    expect(dayOf("office/osce-field-office-kazakhstan#name-2")).toEqual([
      "2014-12",
      TRANSFORMATION,
      "2014-12-18",
      "2014-12-31",
    ]);
    expect(dayOf("office/osce-field-office-kazakhstan#location-0-end")).toEqual([
      "2007",
      RENAMING,
      "2007-06-21",
      "2007-12-31",
    ]);
    expect(dayOf("office/osce-field-office-kazakhstan#location-1-start")).toEqual([
      "2007",
      RENAMING,
      "2007-06-21",
      "2007-12-31",
    ]);
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
