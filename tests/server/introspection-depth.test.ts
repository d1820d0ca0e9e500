/**
 * An introspection nested past graphql-js's MaxIntrospectionDepthRule (three nested lists of
 * types) was refused with its bare "Maximum introspection depth exceeded" and the generic
 * GRAPHQL_VALIDATION_FAILED (the third red team): now with a code, the limit and what to do,
 * on every path, with the status of any validation error. GraphiQL's own introspection passes.
 */
import { getIntrospectionQuery } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JSON_HEADERS, send } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

const DEEP = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe("an introspection nested too deep", () => {
  it("is refused as INTROSPECTION_TOO_DEEP with the limit, by POST and GET, with a validation error's status", async () => {
    const answers = [
      ["application/graphql-response+json", 400],
      ["application/json", 200],
    ] as const;
    for (const [accept, status] of answers) {
      const response = await send(server, {
        headers: { ...JSON_HEADERS, accept },
        body: JSON.stringify({ query: DEEP }),
      });
      expect(response.status).toBe(status);
      expect(response.json.data).toBeUndefined();
      expect(response.json.errors).toHaveLength(1);
      const [error] = response.json.errors;
      expect(error.extensions).toEqual({ code: "INTROSPECTION_TOO_DEEP", limit: 3 });
      expect(error.message).toMatch(/^The introspection nests lists of types .* more than 3 deep/);
      expect(error.locations).toEqual([{ line: 1, column: 3 }]);
    }
    const get = await send(server, {
      path: `/graphql?query=${encodeURIComponent(DEEP)}`,
      headers: { accept: "application/graphql-response+json" },
    });
    expect(get.status).toBe(400);
    expect(get.json.errors[0].extensions.code).toBe("INTROSPECTION_TOO_DEEP");
  });

  it("leaves GraphiQL's own introspection query alone", async () => {
    const response = await send(server, {
      headers: JSON_HEADERS,
      body: JSON.stringify({ query: getIntrospectionQuery({ descriptions: true }) }),
    });
    expect(response.status).toBe(200);
    expect(response.json.errors).toBeUndefined();
    expect(response.json.data.__schema.types.length).toBeGreaterThan(50);
  });
});
