/**
 * A JSON body nested deeper than any request needs is refused before it is parsed (src/server/
 * body.ts, jsonTooDeep; shortcut.ts): V8's JSON.parse takes deep nesting slowly, and 50,000
 * levels in a 100 KB body held the event loop 16-86 ms of CPU in one turn (red team 8).
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { jsonTooDeep, MAX_BODY_DEPTH } from "../../src/server/body.js";
import { startedServers } from "../support/server.js";

const servers = startedServers();
afterAll(() => servers.closeAll());

const bytes = (text: string) => Buffer.from(text, "utf8");

describe("jsonTooDeep", () => {
  it("counts objects and lists, not brackets inside strings (escaped quotes included)", () => {
    expect(jsonTooDeep(bytes('{"a":[{"b":[1]}]}'), 4)).toBeUndefined();
    expect(jsonTooDeep(bytes('{"a":[{"b":[1]}]}'), 3)).toBe(4);
    const inString = `{"q":"${"[{".repeat(5000)}\\"${"[".repeat(100)}"}`;
    expect(jsonTooDeep(bytes(inString), 1)).toBeUndefined();
    // after a string that ends in an escaped backslash, brackets count again
    expect(jsonTooDeep(bytes('{"q":"\\\\","r":[[[]]]}'), 3)).toBe(4);
    // non-ASCII text in strings and keys is skipped byte by byte
    expect(jsonTooDeep(bytes('{"Ж":"[[[[ü","x":[]}'), 2)).toBeUndefined();
  });
});

describe("a request body nested deeper than any request needs", () => {
  it("is refused 400 BODY_TOO_DEEP before JSON.parse reads it; a body within the bound is parsed and answered", async () => {
    const server = await servers.start();
    const deepest = MAX_BODY_DEPTH;
    const post = (body: string) =>
      fetch(server.graphql, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
    const parse = vi.spyOn(JSON, "parse");
    // 50,000 levels in `extensions`, within the body size limit (red team 8's nested.mjs)
    const deep = `{"query":"{ __typename }","extensions":{"x":${"[".repeat(50_000)}${"]".repeat(50_000)}}}`;
    const refused = await post(deep);
    expect(refused.status).toBe(400);
    const json = await refused.json();
    expect(json.errors[0].extensions.code).toBe("BODY_TOO_DEEP");
    expect(json.errors[0].message).toContain(`more than ${deepest} levels deep`);
    // never parsed: not one JSON.parse was given the body
    expect(parse.mock.calls.some(([text]) => typeof text === "string" && text === deep)).toBe(
      false,
    );
    parse.mockRestore();
    // at the bound: the request object, `extensions`, then nesting to the deepest allowed
    const levels = deepest - 2;
    const within = await post(
      `{"query":"{ __typename }","extensions":{"x":${"[".repeat(levels)}${"]".repeat(levels)}}}`,
    );
    expect(within.status).toBe(200);
    expect(await within.json()).toEqual({ data: { __typename: "Query" } });
  });

  it("is refused the same sent as a form, whose variables and extensions Yoga gives JSON.parse (review 4)", async () => {
    const server = await servers.start();
    const form = new URLSearchParams({
      query: "{ __typename }",
      // 15,000 levels: as a form each bracket is 3 bytes (%5B), and the body stays under 100 KB
      extensions: `{"x":${"[".repeat(15_000)}${"]".repeat(15_000)}}`,
    });
    const refused = await fetch(server.graphql, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors[0].extensions.code).toBe("BODY_TOO_DEEP");
    // a form within the bound is answered as before
    const fine = await fetch(server.graphql, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ query: "{ __typename }", variables: "{}" }).toString(),
    });
    expect(await fine.json()).toEqual({ data: { __typename: "Query" } });
  });
});
