/** Global ids: every entity type round-trips through `node` and `nodes`, and bad ids fail clearly. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { graphql } from "../gql/index.js";
import { execute, query, startServer, type TestServer } from "../support/server.js";

let server: TestServer;
let graph: KnowledgeGraph;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
  server = await startServer(graph);
});
afterAll(() => server.close());

const EveryKind = graphql(`
  query EveryKindFirstPage {
    sources(first: 100) { totalCount nodes { id key __typename } }
    states(first: 100) { totalCount nodes { id key __typename } }
    places(first: 100) { totalCount nodes { id key __typename } }
    dimensions(first: 100) { totalCount nodes { id key __typename } }
    offices(first: 100) { totalCount nodes { id key __typename } }
    persons(first: 100) { totalCount nodes { id key __typename } }
    posts(first: 100) { totalCount nodes { id key __typename } }
    tenures(first: 100) { totalCount nodes { id key __typename } }
    events(first: 100) { totalCount nodes { id key __typename } }
    priorities(first: 100) { totalCount nodes { id key __typename } }
  }
`);

type Listed = { id: string; key: string; __typename: string };
const everyEntity = (data: Record<string, { nodes: readonly Listed[] }>): Listed[] =>
  Object.values(data).flatMap((l) => l.nodes);

const NodeById = graphql(`
  query NodeById($id: ID!) {
    node(id: $id) { id __typename ... on Entity { key label } }
  }
`);

const NodesByIds = graphql(`
  query NodesByIds($ids: [ID!]!) {
    nodes(ids: $ids) { id ... on Entity { key } }
  }
`);

describe("global ids", () => {
  it("lists every entity of the graph exactly once across the root lists", async () => {
    const data = await query(server, EveryKind);
    const lists = Object.values(data);
    const keys = everyEntity(data).map((n) => n.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(Object.values(graph.keys).flat().sort());
    for (const list of lists) expect(list.totalCount).toBe(list.nodes.length);
  });

  it("round-trips every entity of every type through node(id:)", async () => {
    const data = await query(server, EveryKind);
    const all = everyEntity(data);
    expect(new Set(all.map((n) => n.__typename))).toEqual(
      new Set([
        "Source",
        "State",
        "Place",
        "Dimension",
        "Office",
        "Person",
        "Post",
        "Tenure",
        "Event",
        "Priority",
      ]),
    );
    for (const entity of all) {
      expect(entity.id).not.toContain(entity.key); // opaque, not the readable key
      const { node } = await query(server, NodeById, { id: entity.id });
      expect(node).toMatchObject({ id: entity.id, __typename: entity.__typename, key: entity.key });
    }
  });

  it("fetches several entities with nodes(ids:), in the order given", async () => {
    const data = await query(server, EveryKind);
    const ids = [data.persons.nodes[2]!.id, data.states.nodes[0]!.id, data.tenures.nodes[0]!.id];
    const { nodes } = await query(server, NodesByIds, { ids });
    expect(nodes.map((n) => n?.id)).toEqual(ids);
  });

  it("answers an id that is not a global id with an error, not a crash", async () => {
    const result = await execute(server, NodeById, { id: "person/gyorgy-szabo" });
    expect(result.errors?.[0]?.message).toMatch(/global ?id/i);
    expect(result.data?.node ?? null).toBeNull();
  });

  it("gives null for a well-formed global id of an entity that does not exist", async () => {
    const id = Buffer.from("Person:person/nobody").toString("base64");
    const result = await execute(server, NodeById, { id });
    expect(result.data?.node).toBeNull();
    expect(result.errors).toMatchObject([
      { message: 'No person has the key "person/nobody".', extensions: { code: "NOT_FOUND" } },
    ]);
  });
});
