/**
 * Subgraph mode: the Federation v2 schema built from the same type files as the public one, its
 * printed SDL, `_service` and `_entities` over HTTP; and the public schema left exactly as it was.
 */
import "../../src/schema/with-federation.js"; // first: the schema is built for subgraph mode, as with --subgraph
import { readFileSync } from "node:fs";
import { isObjectType, printSchema, specifiedDirectives } from "graphql";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import type { EntityKind } from "../../src/graph/model.js";
import { ENTITY_TYPES } from "../../src/schema/federation.js";
import { schema, sortedSchema, subgraphSchema } from "../../src/schema/index.js";
import {
  printedSchema,
  printedSubgraphSchema,
  schemaFile,
  subgraphSchemaFile,
} from "../../src/schema/print.js";
import { post } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";
import { countStacks } from "../support/stacks.js";

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { __typename ... on Entity { key label } }
}`;

let graph: KnowledgeGraph;
let subgraph: TestServer;
let publicServer: TestServer;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
  subgraph = await startServer(graph, {
    subgraph: { gatewaySecret: undefined },
    responseCache: false,
  });
  publicServer = await startServer(graph);
});
afterAll(async () => {
  await subgraph.close();
  await publicServer.close();
});

describe("the public schema", () => {
  it("is printed as before: no federation field, type or directive (the committed schema.graphql)", () => {
    expect(readFileSync(schemaFile, "utf8")).toBe(printedSchema());
    for (const served of [schema, sortedSchema]) {
      expect(Object.keys(served.getQueryType()!.getFields())).not.toContain("_entities");
      expect(Object.keys(served.getQueryType()!.getFields())).not.toContain("_service");
      for (const name of ["_Any", "_Entity", "_Service", "link__Import"])
        expect(served.getType(name)).toBeUndefined();
      expect(
        served
          .getDirectives()
          .map((d) => d.name)
          .sort(),
      ).toEqual(specifiedDirectives.map((d) => d.name).sort());
    }
    expect(printSchema(sortedSchema)).not.toMatch(/@key|@shareable|@link/);
  });

  it("is what the server answers without --subgraph: `_service` is an unknown field", async () => {
    const response = await post(publicServer, "{ _service { sdl } }");
    expect(response.status).toBe(400);
    expect(response.json.errors[0].message).toBe('Cannot query field "_service" on type "Query".');
  });
});

describe("the subgraph schema", () => {
  it("matches the committed schema/subgraph.graphql (run `npm run schema:print` after changing the schema)", () => {
    expect(readFileSync(subgraphSchemaFile, "utf8")).toBe(printedSubgraphSchema());
  });

  it("links Federation v2 and makes every entity kind an entity keyed by its readable `key`", () => {
    const sdl = printedSubgraphSchema();
    expect(sdl).toMatch(
      /^extend schema\n {2}@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+", import: \["@key", "@shareable"\]\)/,
    );
    // every type implementing Entity, and only those, is a federation entity
    const entityTypes = Object.values(subgraphSchema().getTypeMap())
      .filter((type) => isObjectType(type) && type.getInterfaces().some((i) => i.name === "Entity"))
      .map((type) => type.name)
      .sort();
    expect(entityTypes).toEqual([...ENTITY_TYPES]);
    expect(entityTypes).toEqual(
      expect.arrayContaining([
        "Dimension",
        "Event",
        "Office",
        "Person",
        "Place",
        "Post",
        "Priority",
        "State",
        "Tenure",
      ]),
    );
    for (const name of entityTypes) {
      expect(sdl, name).toMatch(
        new RegExp(`\\ntype ${name} implements [^\\n]*\\n {2}@key\\(fields: "key"\\)\\n\\{`),
      );
    }
    expect(sdl.match(/@key\(/g)).toHaveLength(entityTypes.length);
    // the global id stays
    expect(sdl).toMatch(/\ntype State implements Node & Entity & PostHolder\n/);
  });

  it("marks PageInfo shareable, and nothing else, so that another Pothos subgraph's PageInfo composes with it", () => {
    const sdl = printedSubgraphSchema();
    expect(sdl).toContain("\ntype PageInfo\n  @shareable\n{");
    expect(sdl.match(/\n {2}@shareable\n/g)).toHaveLength(1);
  });

  it("answers `_service` with the printed subgraph SDL", async () => {
    const response = await post(subgraph, "{ _service { sdl } }");
    expect(response.status).toBe(200);
    expect(`${response.json.data._service.sdl}\n`).toBe(printedSubgraphSchema());
  });
});

describe("_entities", () => {
  it("resolves one entity of every kind by key, in the order given", async () => {
    const kinds = Object.keys(graph.keys) as EntityKind[];
    const representations = kinds.map((kind) => ({
      __typename: subgraphTypeOf(kind),
      key: graph.keys[kind][0]!,
    }));
    const response = await post(subgraph, ENTITIES, { representations });
    expect(response.status).toBe(200);
    expect(response.json.errors).toBeUndefined();
    expect(
      response.json.data._entities.map((e: { __typename: string; key: string }) => ({
        __typename: e.__typename,
        key: e.key,
      })),
    ).toEqual(representations);
  });

  it("answers the fields of this subgraph for a gateway's representation: the head of the Programme Office and his nationality", async () => {
    const response = await post(
      subgraph,
      `query($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Person { name nationality { key name } }
        ... on Office { name heads { nodes { holder { ... on Person { key } } } } }
      }
    }`,
      {
        representations: [
          { __typename: "Person", key: "person/gyorgy-szabo" },
          { __typename: "Office", key: "office/osce-field-office-kazakhstan" },
        ],
      },
    );
    expect(response.json).toEqual({
      data: {
        _entities: [
          { name: "György Szabó", nationality: { key: "state/hungary", name: "Hungary" } },
          {
            name: "OSCE Programme Office in Astana",
            heads: { nodes: [{ holder: { key: "person/gyorgy-szabo" } }] },
          },
        ],
      },
    });
  });

  it("loads a batch through each kind's DataLoader: one lookup per kind, however many representations", async () => {
    const spy = vi.spyOn(graph, "getMany");
    try {
      const representations = [...graph.keys.person, ...graph.keys.state, ...graph.keys.person].map(
        (key) => ({ __typename: key.startsWith("person/") ? "Person" : "State", key }),
      );
      const response = await post(subgraph, ENTITIES, { representations });
      expect(response.json.errors).toBeUndefined();
      expect(response.json.data._entities).toHaveLength(representations.length);
      expect(spy.mock.calls.map(([kind]) => kind).sort()).toEqual(["person", "state"]);
    } finally {
      spy.mockRestore();
    }
  });

  it("gives null, with an error naming the representation and the reason, at the place of each bad one; the others are answered", async () => {
    const representations = [
      { __typename: "State", key: "state/hungary" },
      { __typename: "State", key: "state/narnia" },
      { __typename: "Country", key: "state/hungary" },
      "state/hungary",
      { __typename: "Person" },
      { __typename: "Person", key: "state/hungary" },
      { __typename: "Person", key: "person/Gyorgy Szabo" },
      { key: "person/gyorgy-szabo" },
      [],
      { __typename: "Person", key: "person/gyorgy-szabo" },
    ];
    const response = await post(subgraph, ENTITIES, { representations });
    expect(response.status).toBe(200);
    expect(response.json.data._entities).toEqual([
      { __typename: "State", key: "state/hungary", label: "Hungary" },
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      { __typename: "Person", key: "person/gyorgy-szabo", label: "György Szabó" },
    ]);
    const errors = Object.fromEntries(
      response.json.errors.map(
        (e: { path: [string, number]; message: string; extensions: { code: string } }) => [
          e.path[1],
          `${e.extensions.code}: ${e.message}`,
        ],
      ),
    );
    expect(errors).toEqual({
      1: 'NOT_FOUND: No state has the key "state/narnia".',
      2: `BAD_USER_INPUT: representations[2] has __typename "Country", which is not an entity of this subgraph (its entities are ${ENTITY_TYPES.join(", ")}).`,
      3: 'BAD_USER_INPUT: representations[3] must be an object such as {"__typename": "State", "key": "state/kazakhstan"}, got "state/hungary".',
      4: 'BAD_USER_INPUT: representations[4] has no `key` string: a Person is keyed by its readable key, e.g. "person/...".',
      5: 'BAD_USER_INPUT: representations[5] has key "state/hungary", which is not a Person key: Person keys look like "person/slug" (lowercase letters, digits and hyphens).',
      6: 'BAD_USER_INPUT: representations[6] has key "person/Gyorgy Szabo", which is not a Person key: Person keys look like "person/slug" (lowercase letters, digits and hyphens).',
      7: "BAD_USER_INPUT: representations[7] has no `__typename` string.",
      8: 'BAD_USER_INPUT: representations[8] must be an object such as {"__typename": "State", "key": "state/kazakhstan"}, got [].',
    });
  });

  it("answers a thousand bad representations without capturing or formatting a stack trace", async () => {
    const bad = [
      { __typename: "Country", key: "x" },
      { __typename: "Person", key: "person/Not A Key" },
      { __typename: "State" },
      [],
    ];
    const representations = Array.from({ length: 1000 }, (_, i) => bad[i % bad.length]);
    const {
      result: response,
      captured,
      formatted,
    } = await countStacks(() => post(subgraph, ENTITIES, { representations }));
    expect(response.status).toBe(200);
    expect(response.json.data._entities).toEqual(Array(1000).fill(null));
    // the first 100 errors (the error limit), and one saying how many more there were
    expect(response.json.errors.slice(0, 100).map((e: { path: unknown }) => e.path)).toEqual(
      representations.slice(0, 100).map((_, i) => ["_entities", i]),
    );
    expect(response.json.errors[99].message).toMatch(/^representations\[99\] must be an object/);
    expect(response.json.errors[100].extensions).toEqual({
      code: "TOO_MANY_ERRORS",
      limit: 100,
      omitted: 900,
    });
    expect(response.json.errors).toHaveLength(101);
    // before: 1,000 captures (each made with a stack) and 2,000 formats (graphql-js locating them)
    expect({ captured, formatted }).toEqual({ captured: 0, formatted: 0 });
  });

  it("refuses a null representation as any bad variable, before anything runs", async () => {
    const response = await post(subgraph, ENTITIES, { representations: [null] });
    expect(response.status).toBe(400);
    expect(response.json.errors[0].message).toMatch(
      /^Variable "\$representations" got invalid value null at "representations\[0\]"; Expected non-nullable type "_Any!" not to be null\./,
    );
  });
});

/** The GraphQL type of an entity kind (`tenure` -> `Tenure`). */
function subgraphTypeOf(kind: EntityKind): string {
  return `${kind[0]!.toUpperCase()}${kind.slice(1)}`;
}
