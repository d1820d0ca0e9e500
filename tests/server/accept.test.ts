/**
 * Quality values in Accept (src/server/accept.ts): Yoga and the shortcut read the media ranges in
 * the order written and ignored `q`, so `application/json;q=0` ("not JSON") was answered with
 * JSON, and `application/graphql-response+json;q=0.9, application/json` in the type the client
 * liked less (the third red team). The header is now read in order of preference, refusals left
 * out; a client that refuses every type gets 406.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { byPreference, NOTHING_ACCEPTABLE } from "../../src/server/accept.js";
import { send } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

describe("byPreference", () => {
  it("orders the ranges by q, highest first, ties as written, without q; refusals left out", () => {
    expect(byPreference("application/json;q=0.5, text/event-stream")).toBe(
      "text/event-stream, application/json",
    );
    expect(byPreference("a/x;q=0.9, b/y, c/z;q=0.9;charset=utf-8, d/w;q=1.0")).toBe(
      "b/y, d/w, a/x, c/z;charset=utf-8",
    );
    expect(byPreference("text/event-stream;q=0, application/json")).toBe("application/json");
    expect(byPreference("application/json; Q = 0.000")).toBe(NOTHING_ACCEPTABLE);
    expect(byPreference("*/*;q=0")).toBe(NOTHING_ACCEPTABLE);
    // a quality that is no quality (RFC 9110: 0 to 1, three decimals) is no preference
    expect(byPreference("a/x;q=2, b/y;q=0.5, c/z;q=abc")).toBe("a/x, c/z, b/y");
  });

  it("leaves a header without quality values as it is", () => {
    expect(byPreference("application/graphql-response+json, application/json")).toBeUndefined();
    expect(byPreference("text/html;level=1, */*")).toBeUndefined();
  });
});

describe("an Accept header with quality values", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const QUERY = "{ states(first: 1) { totalCount } }";
  const ask = (accept: string, method: "POST" | "GET") =>
    method === "POST"
      ? send(server, {
          headers: { "content-type": "application/json", accept },
          body: JSON.stringify({ query: QUERY }),
        })
      : send(server, { path: `/graphql?query=${encodeURIComponent(QUERY)}`, headers: { accept } });

  for (const method of ["POST", "GET"] as const) {
    it(`is answered in the type the client prefers, by ${method}`, async () => {
      const json = await ask("application/graphql-response+json;q=0.9, application/json", method);
      expect(json.status).toBe(200);
      expect(json.headers.get("content-type")).toBe("application/json; charset=utf-8");
      const response = await ask(
        "application/graphql-response+json, application/json;q=0.9",
        method,
      );
      expect(response.headers.get("content-type")).toBe(
        "application/graphql-response+json; charset=utf-8",
      );
      expect(response.json.data.states.totalCount).toBeGreaterThan(0);
    });

    it(`is refused 406 when it refuses every type the server answers in, by ${method}`, async () => {
      for (const accept of ["application/json;q=0", "*/*;q=0"]) {
        const refused = await ask(accept, method);
        expect(refused.status, accept).toBe(406);
        expect(refused.text).not.toContain('"data"');
        // the header quoted as the client sent it, not as it was read (in order, q-values out)
        expect(refused.json.errors[0].message).toBe(
          `Not acceptable: this server answers in application/graphql-response+json, application/json, text/event-stream or multipart/mixed, and the Accept header ${JSON.stringify(accept)} allows none of them.`,
        );
      }
      // one refusal among others: answered in what is left
      const left = await ask("application/json;q=0, application/graphql-response+json", method);
      expect(left.status).toBe(200);
      expect(left.headers.get("content-type")).toBe(
        "application/graphql-response+json; charset=utf-8",
      );
    });
  }
});
