/**
 * A request parameter given twice, found in a JSON body's text (src/server/repeated-parameters.ts):
 * only the request objects' own keys count, however they are spelt, and the common body is not
 * scanned at all. The HTTP side (400 on every route) is in hostile.test.ts and http-cache.test.ts.
 */
import { describe, expect, it, vi } from "vitest";
import {
  repeatedInJson,
  repeatedInSearch,
  repeatedMessage,
} from "../../src/server/repeated-parameters.js";

describe("repeatedInJson", () => {
  it.each([
    ['{"query":"{ a }","query":"{ b }"}', { name: "query" }],
    [
      '{"query":"{ a }","variables":{},"operationName":"A","variables":null}',
      { name: "variables" },
    ],
    // JSON.parse reads an escaped key as the parameter it spells
    ['{"query":"{ a }","\\u0071uery":"{ b }"}', { name: "query" }],
    ['{ "documentId" : "x" ,\n "documentId":"y"}', { name: "documentId" }],
    // a batch: the item named, a scalar item counted as an item
    [
      '[{"query":"{ a }"},null,{"query":"{ a }","extensions":{},"extensions":{}}]',
      { name: "extensions", item: 2 },
    ],
  ])("finds the repeated parameter in %s", (text, expected) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(repeatedInJson(text)).toEqual(expected);
  });

  it.each([
    '{"query":"{ a }"}',
    // deeper keys are no parameters: a variable named query, an extension's own
    '{"query":"query($query: String) { a }","variables":{"query":"x","nested":{"query":1}}}',
    '{"query":"{ a }","extensions":{"persistedQuery":{"query":1,"query":2}}}',
    // the names inside strings, quotes and braces escaped in them
    '{"query":"{ a(t: \\"\\\\\\"query\\\\\\":{\\") }","operationName":"\\"query\\""}',
    // an unknown key twice is not a parameter (Yoga ignores it)
    '{"query":"{ a }","other":1,"other":2}',
    '[{"query":"{ a }"},{"query":"{ b }"}]',
    '[{"query":"{ a }","variables":{"\\u0071uery":1,"query":2}}]',
  ])("finds none in %s", (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(repeatedInJson(text)).toBeUndefined();
  });

  it("does not scan a body in which no parameter can be repeated", () => {
    const parse = vi.spyOn(JSON, "parse");
    const body = JSON.stringify({ query: "{ a }", variables: { x: "é".repeat(1000) } });
    expect(repeatedInJson(body)).toBeUndefined();
    // the scan reads each request key with JSON.parse: none read
    expect(parse).not.toHaveBeenCalled();
    expect(repeatedInJson(`${body.slice(0, -1)},"query":"{ b }"}`)).toEqual({ name: "query" });
    expect(parse).toHaveBeenCalled();
  });
});

describe("repeatedInSearch and the message", () => {
  it("counts a parameter's values in a query string, and says how often and where", () => {
    const twice = repeatedInSearch(new URLSearchParams("query=a&%71uery=b&variables=%7B%7D"));
    expect(twice).toEqual({ name: "query", count: 2 });
    expect(repeatedMessage(twice!)).toBe(
      'The "query" parameter is given 2 times: give it once, so that it is clear which one counts.',
    );
    expect(repeatedInSearch(new URLSearchParams("query=a&other=1&other=2"))).toBeUndefined();
    expect(repeatedMessage({ name: "extensions", item: 2 })).toBe(
      'The "extensions" parameter is given more than once in item 2 of the batch: give it once, so that it is clear which one counts.',
    );
  });
});
