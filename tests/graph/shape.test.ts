/**
 * The graph's shape (src/graph/shape.ts): the most items each list holds, checked against the
 * lists themselves, and complete: every list field of the schema is sized (a list it does not
 * size would be costed by a guess).
 */
import {
  type GraphQLInputType,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
} from "graphql";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { Deadline } from "../../src/graph/deadline.js";
import { FilterInputError } from "../../src/graph/filter.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { selectKeys, selectTimeline } from "../../src/graph/lists.js";
import type { EntityKind } from "../../src/graph/model.js";
import { ROOT_OF } from "../../src/graph/shape.js";
import { schema } from "../../src/schema/index.js";
import { buildLikeBuiltIn, cloneBuiltIn } from "../fixtures/datasets.js";

let graph: KnowledgeGraph;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
});

const size = (relation: string) => graph.shape.relations.get(relation);

/** The fields of a connection and its edges that the cost walk prices as the page itself. */
const CONNECTION_MACHINERY = new Set(["edges", "nodes", "node", "cursor"]);

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
        // a connection's own `edges`/`nodes` hold its page and an edge's `node` is one item (the
        // connection machinery prices them); `nodes(ids:)` its ids; scalars are free. Any other
        // list on a connection or an edge is the data's: TenureEdge.certaintyRestsOn went unsized
        // while the check skipped every type named *Connection or *Edge
        if (
          !(isConnection || isList) ||
          field.name === "provenance" ||
          (/Connection$|Edge$/.test(type.name) && CONNECTION_MACHINERY.has(field.name))
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

  it("knows the longest of each long string: a source's text, a quote, an editor's reason", () => {
    const longest = (values: Iterable<string>) => Math.max(0, ...[...values].map((v) => v.length));
    expect(graph.shape.textLengths.get("Source.text")).toBe(longest(graph.texts.values()));
    expect(graph.shape.textLengths.get("Source.text")).toBeGreaterThan(1024);
    expect(graph.shape.textLengths.get("SourceQuote.quote")).toBeGreaterThan(0);
    expect(graph.shape.textLengths.get("EditorialNote.reason")).toBeGreaterThan(0);
  });

  it("names as indexed only filter fields an index answers, with the most items one value selects", () => {
    // each field's filter is compiled against the lists' own specs with every value it can take
    // (every key, or every value of its enum), and the items it tests are counted: a field named
    // here without an index tests the whole list, and the cost walk would price it as a handful
    const kindOf = new Map(Object.entries(ROOT_OF).map(([kind, root]) => [root, kind]));
    const allKeys = Object.values(graph.keys).flat();
    const checked: string[] = [];
    for (const [root, fields] of graph.shape.filterIndexes) {
      const kind = kindOf.get(root) as EntityKind | undefined;
      const input = schema
        .getQueryType()!
        .getFields()
        [root.slice("Query.".length)]!.args.find((a) => a.name === "filter")!
        .type as GraphQLInputType;
      // the timeline (its entries, not entities) is filtered by selectTimeline
      const size = kind ? graph.keys[kind].length : graph.timeline.length;
      for (const [path, most] of fields) {
        const parts = path.split(".");
        let type = getNamedType(input);
        for (const part of parts) {
          if (!isInputObjectType(type)) throw new Error(`${root} ${path}: no input field ${part}`);
          type = getNamedType(type.getFields()[part]!.type);
        }
        if (!isInputObjectType(type))
          throw new Error(`${root} ${path} is not a key or enum filter`);
        const eq = getNamedType(type.getFields().eq!.type);
        const values = isEnumType(eq) ? eq.getValues().map((v) => v.value as string) : allKeys;
        let compiled = 0;
        let narrowed = false;
        for (const value of values) {
          const filter = parts.reduceRight<unknown>((inner, part) => ({ [part]: inner }), {
            eq: value,
          });
          const deadline = new Deadline(60_000);
          const due = vi.spyOn(deadline, "due");
          try {
            if (kind) selectKeys(graph, kind, { filter: filter as never }, { deadline });
            else selectTimeline(graph, { filter: filter as never }, deadline);
          } catch (error) {
            if (error instanceof FilterInputError) continue; // a key of another kind
            throw error;
          }
          compiled++;
          // one `due` for the compiled filter, then one per item tested
          const tested = due.mock.calls.length - 1;
          expect(tested, `${root} ${path} = ${value}`).toBeLessThanOrEqual(most);
          if (tested < size) narrowed = true;
        }
        expect(compiled, `${root} ${path}`).toBeGreaterThan(0);
        if (most < size) expect(narrowed, `${root} ${path}`).toBe(true);
        checked.push(`${root} ${path}`);
      }
    }
    expect(checked).toContain("Query.events participant.entity");
    expect(checked).toContain("Query.tenures office");
    expect(checked).toContain("Query.timeline entity");
    expect(checked).toContain("Query.timeline kind");
  });
});
