/**
 * Relay done right: cursors page only the list (and arguments) that issued them, `nodes(ids:)`
 * answers id by id, and an argument error in one root field leaves the others answered.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import type { RelayPersonsPageQuery } from "../gql/graphql.js";
import { graphql } from "../gql/index.js";
import { type Answered, execute, query, startServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer(await loadBuiltInGraph());
});
afterAll(() => server.close());

const EventsPage = graphql(`
  query RelayEventsPage($after: String) {
    events(first: 2, after: $after) { pageInfo { endCursor } nodes { key } }
  }
`);

const PersonsPage = graphql(`
  query RelayPersonsPage($after: String, $filter: PersonFilter, $orderBy: [PersonOrder!]) {
    persons(first: 1, after: $after, filter: $filter, orderBy: $orderBy) { totalCount pageInfo { endCursor hasNextPage } nodes { key } }
  }
`);

const TenuresOfTwo = graphql(`
  query RelayTenuresOfTwo($first: String!, $second: String!, $after: String) {
    first: person(key: $first) { tenures(first: 1) { pageInfo { endCursor } } }
    second: person(key: $second) { tenures(first: 1, after: $after) { nodes { key } } }
  }
`);

describe("cursors", () => {
  it("refuses an events cursor in persons(after:), saying which list it belongs to", async () => {
    const { events } = await query(server, EventsPage, { after: null });
    const after: string | null = events.pageInfo.endCursor;
    const result = await execute(server, PersonsPage, { after });
    expect(result.data?.persons).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.path).toEqual(["persons"]);
    expect(result.errors![0]!.extensions).toEqual({
      code: "BAD_CURSOR",
      argumentName: "after",
      cursorList: "Query.events",
    });
    expect(result.errors![0]!.message).toMatch(
      /is a cursor of Query\.events, not of Query\.persons/,
    );
  });

  it("refuses a cursor of one person's tenures in another person's", async () => {
    const vars = { first: "nursultan-nazarbayev", second: "gyorgy-szabo" };
    const issued = await query(server, TenuresOfTwo, vars);
    const after: string | null = issued.first!.tenures.pageInfo.endCursor;
    expect(after).toBeTruthy();
    const result = await execute(server, TenuresOfTwo, { ...vars, after });
    expect(result.data?.second).toBeNull();
    expect(result.errors![0]!.extensions).toMatchObject({
      code: "BAD_CURSOR",
      cursorList: "Person.tenures of person/nursultan-nazarbayev",
    });
    expect(result.errors![0]!.message).toMatch(/not of Person\.tenures of person\/gyorgy-szabo/);
  });

  it("refuses a cursor issued under another filter, and one issued in another order", async () => {
    const unfiltered = await query(server, PersonsPage, { after: null });
    const underFilter = await execute(server, PersonsPage, {
      after: unfiltered.persons.pageInfo.endCursor,
      filter: { name: { contains: "a" } },
    });
    expect(underFilter.errors![0]!.extensions).toMatchObject({
      code: "BAD_CURSOR",
      argumentName: "after",
    });
    expect(underFilter.errors![0]!.message).toMatch(/under other arguments/);
    const inOrder = await execute(server, PersonsPage, {
      after: unfiltered.persons.pageInfo.endCursor,
      orderBy: [{ field: "NAME", direction: "DESC" }],
    });
    expect(inOrder.errors![0]!.message).toMatch(/in another order/);
  });

  it("pages a filtered, ordered list to its end with its own cursors, each entry once", async () => {
    const filter = { anyName: { contains: "a" } };
    const orderBy = [{ field: "NAME" as const, direction: "DESC" as const }];
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let guard = 0; guard < 20; guard++) {
      const { persons }: Answered<RelayPersonsPageQuery> = await query(server, PersonsPage, {
        after,
        filter,
        orderBy,
      });
      total = persons.totalCount;
      seen.push(...persons.nodes.map((n) => n.key));
      if (!persons.pageInfo.hasNextPage) break;
      after = persons.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThan(1);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it("refuses a bare offset cursor of release 0.1.0 with the way forward", async () => {
    const legacy = Buffer.from("OffsetConnection:0").toString("base64");
    const result = await execute(server, PersonsPage, { after: legacy });
    expect(result.errors![0]!.extensions).toEqual({ code: "BAD_CURSOR", argumentName: "after" });
    expect(result.errors![0]!.message).toMatch(
      /earlier release .* Fetch the first page of Query\.persons again/,
    );
  });
});

const NodesAndStates = graphql(`
  query RelayNodesAndStates($ids: [ID!]!) {
    nodes(ids: $ids) { id ... on Entity { key } }
    states(first: 1) { totalCount }
  }
`);

describe("nodes(ids:)", () => {
  it("answers a malformed id with null at its place and an error for that index, and everything else", async () => {
    const { persons } = await query(
      server,
      graphql(`
        query RelayPersonIds {
          persons(first: 2) { nodes { id key } }
        }
      `),
    );
    const [a, b] = persons.nodes;
    const unknown = Buffer.from("Person:person/nobody").toString("base64");
    const result = await execute(server, NodesAndStates, {
      ids: [a!.id, "person/gyorgy-szabo", b!.id, unknown],
    });
    expect(result.data?.nodes).toEqual([
      { id: a!.id, key: a!.key },
      null,
      { id: b!.id, key: b!.key },
      null,
    ]);
    expect(result.data?.states?.totalCount).toBeGreaterThan(0);
    const byPath = Object.fromEntries(
      (result.errors ?? []).map((e) => [JSON.stringify(e.path), e.extensions?.code]),
    );
    expect(byPath).toEqual({ '["nodes",1]': "BAD_USER_INPUT", '["nodes",3]': "NOT_FOUND" });
  });
});

describe("an argument error in one root field", () => {
  it("nulls that field only, with its error, and answers the others", async () => {
    const result = await execute(
      server,
      graphql(`
        query RelayOneBadRoot {
          persons(first: 1000) { totalCount }
          events(filter: { when: { overlaps: "not a date" } }) { totalCount }
          states(first: 1) { totalCount nodes { key } }
          person(key: "gyorgy-szabo") { name }
        }
      `),
    );
    expect(result.data).not.toBeNull();
    expect(result.data!.persons).toBeNull();
    expect(result.data!.events).toBeNull();
    expect(result.data!.states?.nodes).toHaveLength(1);
    expect(result.data!.person?.name).toBe("György Szabó");
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [["persons"], "BAD_USER_INPUT"],
      [["events"], "BAD_USER_INPUT"],
    ]);
  });
});
