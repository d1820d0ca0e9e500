/**
 * What the schema's descriptions say of a renaming decision's day is what the API answers on
 * 2007-06-21 (audit finding 18: the deprecated `Office.nameOn` was described as giving one name
 * and answered the other). Each example is read out of the committed SDL and checked against the
 * live answer, so a description and an answer cannot drift apart unseen.
 */
import { readFileSync } from "node:fs";
import { buildSchema, type GraphQLObjectType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RenamingDayAnswersQuery } from "../gql/graphql.js";
import { graphql } from "../gql/index.js";
import { type Answered, query, startServer, type TestServer } from "../support/server.js";

const SDL = buildSchema(
  readFileSync(new URL("../../schema/schema.graphql", import.meta.url), "utf8"),
);

function descriptionOf(type: string, field: string): string {
  const found = (SDL.getType(type) as GraphQLObjectType).getFields()[field]?.description;
  if (!found) throw new Error(`${type}.${field} has no description`);
  return found;
}

/** The first group of `pattern` in `text`, failing with the text when it is not there. */
function example(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  if (!match) throw new Error(`no ${pattern} in: ${text}`);
  return match[1]!;
}

const RenamingDayDocument = graphql(`
  query RenamingDayAnswers {
    office(key: "osce-field-office-kazakhstan") {
      nameOn(date: "2007-06-21") { name }
      namesOn(date: "2007-06-21") { name { name } certainty }
      inTheYear: namesOn(date: "2007") { name { name } certainty }
    }
    timeline(filter: { date: { overlaps: "2007-06-21" }, kind: { in: [LOCATION_START, LOCATION_END] } }) {
      nodes { kind subjectNameThen { text certainty alternatives { name } } }
    }
  }
`);

describe("descriptions of a renaming decision's day (built-in data)", () => {
  let server: TestServer;
  let answer: Answered<RenamingDayAnswersQuery>;
  beforeAll(async () => {
    server = await startServer();
    answer = await query(server, RenamingDayDocument);
  });
  afterAll(() => server.close());

  it("gives the name Office.nameOn's description says it gives on 2007-06-21", () => {
    const said = example(descriptionOf("Office", "nameOn"), /\(([^()]+) on 2007-06-21\)/);
    expect(answer.office!.nameOn!.name).toBe(said);
  });

  it("gives both names YES on the day and MAYBE in the year, as namesOn's description says", () => {
    const described = descriptionOf("Office", "namesOn");
    expect(described).toContain("on that day both names, YES");
    expect(described).toContain(
      "On 2007 the answer is both OSCE Centre in Almaty and OSCE Centre in Astana, MAYBE",
    );
    const names = (list: { name: { name: string }; certainty: string }[]) =>
      list.map(({ name, certainty }) => `${name.name} ${certainty}`).sort();
    expect(names(answer.office!.namesOn)).toEqual([
      "OSCE Centre in Almaty YES",
      "OSCE Centre in Astana YES",
    ]);
    expect(names(answer.office!.inTheYear)).toEqual([
      "OSCE Centre in Almaty MAYBE",
      "OSCE Centre in Astana MAYBE",
    ]);
    expect(descriptionOf("OfficeName", "period")).toContain("on that day both names are YES");
  });

  it("names the office at a seat's start and end on the day as NameThen.text's description says", () => {
    const described = descriptionOf("NameThen", "text");
    const atStart = example(described, /a LOCATION_START of 2007-06-21: ([^)]+)\)/);
    const atEnd = example(described, /leaving Almaty on 2007-06-21: ([^)]+)\)/);
    const entry = (kind: string) => answer.timeline!.nodes.find((e) => e.kind === kind)!;
    expect(entry("LOCATION_START").subjectNameThen).toEqual({
      text: atStart,
      certainty: "MAYBE",
      alternatives: [{ name: atEnd }],
    });
    expect(entry("LOCATION_END").subjectNameThen).toEqual({
      text: atEnd,
      certainty: "MAYBE",
      alternatives: [{ name: atStart }],
    });
  });
});
