/**
 * Keys as clients type them: wherever a key is accepted (a lookup, `path`'s ends, a key filter),
 * case, accents and spaces are forgiven, and an unknown key is answered with what was meant.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { nearWord } from "../../src/graph/distance.js";
import { parseRoute } from "../../web/src/router.js";
import { graphql } from "../gql/index.js";
import { execute, query, startServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer(await loadBuiltInGraph());
});
afterAll(() => server.close());

const PersonByKey = graphql(`
  query KeysPersonByKey($key: String!) {
    person(key: $key) { key name }
  }
`);

const PathBetween = graphql(`
  query KeysPathBetween($from: String!, $to: String!) {
    path(from: $from, to: $to) { length entities { key } }
  }
`);

const EventsAt = graphql(`
  query KeysEventsAt($place: String!) {
    events(filter: { place: { eq: $place } }) { totalCount }
  }
`);

describe("key slips", () => {
  it.each(["Gyorgy-Szabo", "person/Gyorgy-Szabo", "György Szabó", "  gyorgy_szabo "])(
    "finds person/gyorgy-szabo by %j",
    async (key) => {
      const { person } = await query(server, PersonByKey, { key });
      expect(person).toEqual({ key: "person/gyorgy-szabo", name: "György Szabó" });
    },
  );

  it("forgives the same slips at the ends of a path and in a key filter", async () => {
    const { path } = await query(server, PathBetween, {
      from: "Gyorgy-Szabo",
      to: "State/Kazakhstan",
    });
    expect(path?.entities[0]?.key).toBe("person/gyorgy-szabo");
    expect(path?.entities.at(-1)?.key).toBe("state/kazakhstan");
    const exact = await query(server, EventsAt, { place: "almaty" });
    expect(exact.events.totalCount).toBeGreaterThan(0);
    expect((await query(server, EventsAt, { place: "Place/ALMATY" })).events.totalCount).toBe(
      exact.events.totalCount,
    );
  });

  it("still refuses what no folding makes a key: an invisible character", async () => {
    const result = await execute(server, PersonByKey, { key: "gyorgy\u200b-szabo" });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      argumentName: "key",
    });
  });
});

describe("did you mean", () => {
  it('suggests the key whose slug holds the word given: path(from: "nazarbayev")', async () => {
    const result = await execute(server, PathBetween, { from: "nazarbayev", to: "kazakhstan" });
    expect(result.data?.path ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions).toEqual({
      code: "BAD_USER_INPUT",
      argumentName: "from",
    });
    expect(result.errors?.[0]?.message).toMatch(
      /no entity has the slug "nazarbayev" \(did you mean [^)]*person\/nursultan-nazarbayev/,
    );
  });

  it("forgives a typo inside one word of a longer key: person/nazarbaev", async () => {
    // too far from "nursultan-nazarbayev" as a whole for the nearest-slug rule, and no slug holds
    // the word exactly: only the typo-per-word rule finds him
    const result = await execute(server, PersonByKey, { key: "nazarbaev" });
    expect(result.data?.person).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: "NOT_FOUND",
      suggestions: ["person/nursultan-nazarbayev"],
    });
  });

  it("calls a word near only within one edit per four letters, and short words never", () => {
    expect(nearWord("nazarbaev", "nazarbayev")).toBe(true);
    expect(nearWord("kazakstan", "kazakhstan")).toBe(true);
    expect(nearWord("kazakh", "kazakhstan")).toBe(false); // a prefix is not a typo
    expect(nearWord("osse", "osce")).toBe(true); // four letters: one edit
    expect(nearWord("oscx", "osce")).toBe(true);
    expect(nearWord("odr", "odi")).toBe(false); // three letters: exact only
    expect(nearWord("ozze", "osce")).toBe(false);
  });

  it("answers an unknown key of a lookup with null and a NOT_FOUND error that suggests the near key", async () => {
    const result = await execute(server, PersonByKey, { key: "gyorgy-szab" });
    expect(result.data?.person).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.path).toEqual(["person"]);
    expect(result.errors?.[0]?.message).toBe(
      'No person has the key "person/gyorgy-szab" (did you mean person/gyorgy-szabo?).',
    );
    expect(result.errors?.[0]?.extensions).toEqual({
      code: "NOT_FOUND",
      argumentName: "key",
      suggestions: ["person/gyorgy-szabo"],
    });
  });

  it("suggests by name: a former name of an office given as a slug", async () => {
    const result = await execute(server, PathBetween, {
      from: "osce-centre-in-almaty",
      to: "kazakhstan",
    });
    expect(result.errors?.[0]?.message).toMatch(
      /\(did you mean [^)]*office\/osce-field-office-kazakhstan[^)]*\?\)/,
    );
  });

  it("suggests in a key filter too, by the same rules", async () => {
    const result = await execute(server, EventsAt, { place: "tashkend" });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      argumentName: "filter.place.eq",
    });
    expect(result.errors?.[0]?.message).toMatch(
      /no place has the key "tashkend" \(did you mean place\/tashkent\?\)/,
    );
  });
});

describe("the explorer's entity route", () => {
  it("takes the kind in any case and leaves the slug for the API to resolve", () => {
    expect(parseRoute("/entity/Person/Gyorgy-Szabo", "")).toEqual({
      view: "entity",
      kind: "person",
      key: "person/Gyorgy-Szabo",
    });
    expect(parseRoute("/entity/PERSON/gyorgy-szabo/graph", "")).toEqual({
      view: "graph",
      kind: "person",
      key: "person/gyorgy-szabo",
    });
  });
});
