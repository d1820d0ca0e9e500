/**
 * The example's second subgraph (examples/countries-subgraph): its table of ISO codes holds for
 * the built-in dataset, and it answers by key what the supergraph asks of it.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import countries from "i18n-iso-countries";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { createCountriesServer } from "../../examples/countries-subgraph/main.js";
import { countriesSchema, LANGUAGES } from "../../examples/countries-subgraph/schema.js";
import { ISO_CODE_OF_STATE } from "../../examples/countries-subgraph/state-codes.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";

let graph: KnowledgeGraph;
let server: Server;
let url: string;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
  server = createCountriesServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function ask(query: string, variables?: Record<string, unknown>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as {
    data?: any;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
}

describe("the table of ISO codes (state-codes.ts)", () => {
  it("has a code for every state of the built-in dataset, and for no other key", () => {
    expect(Object.keys(ISO_CODE_OF_STATE).sort()).toEqual([...graph.keys.state].sort());
  });

  it("gives each state the code whose English name in i18n-iso-countries is the state's name in the graph", () => {
    for (const [key, code] of Object.entries(ISO_CODE_OF_STATE)) {
      const state = graph.get("state", key)!;
      expect(countries.getName(code, "en", { select: "all" }), key).toContain(state.name.text);
    }
  });

  it("refuses, when the schema is built, a code that is not an ISO 3166-1 alpha-2 code", () => {
    expect(() => countriesSchema({ "state/narnia": "NA1" })).toThrow(
      'state/narnia: "NA1" is not an ISO 3166-1 alpha-2 code',
    );
    expect(() => countriesSchema({ "state/narnia": "XX" })).toThrow(
      'state/narnia: "XX" is not an ISO 3166-1 alpha-2 code',
    );
  });
});

describe("the countries subgraph", () => {
  it("finds a state of the knowledge graph by alpha-2, alpha-3 or numeric code, in any case", async () => {
    for (const code of ["HU", "hu", "HUN", "348"]) {
      expect(
        (await ask(`{ stateByIsoCode(code: "${code}") { key isoAlpha2 isoAlpha3 isoNumeric } }`))
          .data,
        code,
      ).toEqual({
        stateByIsoCode: {
          key: "state/hungary",
          isoAlpha2: "HU",
          isoAlpha3: "HUN",
          isoNumeric: "348",
        },
      });
    }
    expect((await ask('{ stateByIsoCode(code: "FR") { key } }')).data).toEqual({
      stateByIsoCode: null,
    });
  });

  it("names a state in Russian, and in every one of its languages page by page", async () => {
    const { data } = await ask(
      '{ stateByIsoCode(code: "KZ") { localizedName(language: "ru") { language name } localizedNames(first: 2) { totalCount nodes { language name } pageInfo { hasNextPage } } } }',
    );
    expect(data.stateByIsoCode.localizedName).toEqual({ language: "ru", name: "Казахстан" });
    expect(data.stateByIsoCode.localizedNames).toEqual({
      totalCount: LANGUAGES.length,
      nodes: [
        { language: "af", name: "Kazakstan" },
        { language: "am", name: "ካዛኪስታን" },
      ],
      pageInfo: { hasNextPage: true },
    });
    expect(LANGUAGES.length).toBeGreaterThanOrEqual(78);
  });

  it("refuses a language it has no names in, listing those it has", async () => {
    const { errors } = await ask(
      '{ stateByIsoCode(code: "KZ") { localizedName(language: "xx") { name } } }',
    );
    expect(errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(errors?.[0]?.message).toBe(
      `No country names in "xx": the languages are ${LANGUAGES.join(", ")}.`,
    );
  });

  it("resolves any State representation by key: null codes for a key it has no code for", async () => {
    const { data } = await ask(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on State { key isoAlpha2 localizedName(language: "ru") { name } } } }`,
      {
        r: [
          { __typename: "State", key: "state/ukraine" },
          { __typename: "State", key: "state/narnia" },
        ],
      },
    );
    expect(data._entities).toEqual([
      { key: "state/ukraine", isoAlpha2: "UA", localizedName: { name: "Украина" } },
      { key: "state/narnia", isoAlpha2: null, localizedName: null },
    ]);
  });
});
