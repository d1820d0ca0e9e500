/**
 * The graph's shape (src/graph/shape.ts): the most items each list holds, checked against the
 * lists themselves, and complete: every list field of the schema is sized (a list it does not
 * size would be costed by a guess).
 */
import { getNamedType, getNullableType, isInterfaceType, isListType, isObjectType } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { schema } from "../../src/schema/index.js";
import { buildLikeBuiltIn, cloneBuiltIn } from "../fixtures/datasets.js";

let graph: KnowledgeGraph;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
});

const size = (relation: string) => graph.shape.relations.get(relation);

describe("the graph's shape", () => {
  it("gives each root list the number of entities of its kind", () => {
    expect(size("Query.offices")).toBe(graph.keys.office.length);
    expect(size("Query.persons")).toBe(graph.keys.person.length);
    expect(size("Query.tenures")).toBe(graph.keys.tenure.length);
  });

  it("gives each relation the most items one parent holds", () => {
    const mostParticipants = Math.max(...graph.lists.event.map((e) => e.participants.length));
    expect(size("Event.participants")).toBe(mostParticipants);
    const mostTenures = Math.max(
      ...graph.keys.person.map((p) => graph.tenuresByHolder.get(p).length),
    );
    expect(size("Person.tenures")).toBe(mostTenures);
    const mostNames = Math.max(...graph.lists.office.map((o) => o.nameHistory.length));
    expect(size("Office.nameHistory")).toBe(mostNames);
  });

  it("counts the timeline's entries as the timeline has them, at most", () => {
    expect(size("Query.timeline")).toBeGreaterThanOrEqual(graph.timeline.range(false).length);
  });

  it("takes the longest provenance of any fact", () => {
    const longest = Math.max(
      ...graph.lists.tenure.map((t) => t.provenance.length),
      ...graph.lists.office.flatMap((o) => o.nameHistory.map((n) => n.provenance.length)),
    );
    expect(graph.shape.provenance).toBeGreaterThanOrEqual(longest);
  });

  it("grows with the data: a person with more tenures than any other raises Person.tenures", () => {
    const dataset = cloneBuiltIn();
    const before = size("Person.tenures")!;
    const holder = dataset.persons[0].id;
    const template =
      dataset.tenures.find((t: { holder: string }) => t.holder === holder) ?? dataset.tenures[0];
    for (let i = 0; i < before + 3; i++)
      dataset.tenures.push({ ...structuredClone(template), id: `tenure/extra-${i}`, holder });
    const larger = buildLikeBuiltIn(dataset);
    expect(larger.shape.relations.get("Person.tenures")).toBeGreaterThanOrEqual(before + 3);
  });

  it("sizes every list field of the schema (else its cost would be a guess)", () => {
    const unsized: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!(isObjectType(type) || isInterfaceType(type)) || type.name.startsWith("__")) continue;
      const possible = isInterfaceType(type)
        ? schema.getPossibleTypes(type).map((t) => t.name)
        : [type.name];
      for (const field of Object.values(type.getFields())) {
        const named = getNamedType(field.type);
        const isConnection =
          isObjectType(named) && "edges" in named.getFields() && "pageInfo" in named.getFields();
        const isList = isListType(getNullableType(field.type));
        // a connection's own `edges`/`nodes` hold its page; `nodes(ids:)` its ids; scalars are free
        if (
          !(isConnection || isList) ||
          field.name === "provenance" ||
          /Connection$|Edge$/.test(type.name)
        )
          continue;
        if (type.name === "Query" && field.name === "nodes") continue;
        if (!isConnection && !(isObjectType(named) || isInterfaceType(named))) continue;
        const known = [type.name, ...possible].some((name) =>
          graph.shape.relations.has(`${name}.${field.name}`),
        );
        if (!known) unsized.push(`${type.name}.${field.name}`);
      }
    }
    expect(unsized).toEqual([]);
  });
});
