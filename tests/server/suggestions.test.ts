/**
 * "Did you mean …?" through the server, where graphql-js makes it: validation (an unknown name in
 * the document) and Yoga's executor coercing the variables (an enum's value, an input object's
 * key), which never asks graphql-js to hide suggestions. A typo gets its suggestion; an input too
 * long for any is not lowercased and measured against every name (about 130 ms of the event loop
 * a MiB): src/schema/graphql-suggestions.ts. A plain Yoga over the same schema is the reference
 * for the answers' wording.
 */
import { createYoga } from "graphql-yoga";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { schema } from "../../src/schema/index.js";
import { shortenedMessage, withoutSuggestions } from "../../src/server/limits.js";
import { post, type RawResponse } from "../support/http.js";
import { lowercasedLengths } from "../support/lowercased.js";
import { startServer, type TestServer } from "../support/server.js";

const graph = await loadBuiltInGraph();
// the reference: Yoga as it comes, its executor coercing the variables
const plain = createYoga({ schema, logging: false, maskedErrors: false });

/** The messages and locations of the errors a plain Yoga gives for `query` and `variables`. */
async function reference(query: string, variables: Record<string, unknown>) {
  const response = await plain.fetch("http://localhost/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
  expect(body.data).toBeUndefined();
  return body.errors!.map((e) => {
    const { message, locations } = e as { message: string; locations?: unknown };
    return { message, locations };
  });
}

function answered(response: RawResponse) {
  expect(response.json.data).toBeUndefined();
  return (response.json.errors as { message: string; locations?: unknown }[]).map(
    ({ message, locations }) => ({ message: shortened(message), locations }),
  );
}

/** `message` with BIG and KEY written `<BIG>` and `<KEY>`, so that a failure's diff can be read. */
function shortened(message: string): string {
  return message.replaceAll(BIG, "<BIG>").replaceAll(KEY, "<KEY>");
}

/** Yoga's errors as the server answers them: a long message cut in its middle (limits.ts). */
const asAnswered = (errors: { message: string; locations?: unknown }[]) =>
  errors.map((e) => ({
    ...e,
    message: shortened(shortenedMessage(e.message, reasonOf(e.message))),
  }));

/** graphql-js's reason in a variable's error: what follows the first "; " (no value here holds one). */
function reasonOf(message: string): string | undefined {
  const at = message.indexOf("; ");
  return at < 0 ? undefined : message.slice(at + 2);
}

const TWO = `query($f: TenureFilter, $g: TenureFilter, $o: [TenureOrder!]!) {
  a: tenures(first: 1, filter: $f, orderBy: $o) { totalCount }
  b: tenures(first: 1, filter: $g) { totalCount }
}`;
const ORDER = [{ field: "DATE" }];
/** An input no name of the schema comes near: longer than any can be suggested for. */
const BIG = "x".repeat(100_000);
/**
 * An unknown key far too long for a suggestion, short enough that the server lets graphql-js
 * report it (a larger one is refused before: its error would print too much, variables.ts).
 */
const KEY = "k".repeat(20_000);

describe("suggestions through the server", () => {
  let server: TestServer;
  let hidden: TestServer;
  beforeAll(async () => {
    server = await startServer(graph);
    hidden = await startServer(graph, { introspection: false, graphiql: false });
  });
  afterAll(async () => {
    await server?.close();
    await hidden?.close();
  });

  it("says a typo's, and looks for none for a name too long for any in the document", async () => {
    const lowered = lowercasedLengths();
    const typo = await post(server, "{ persns(first: 1) { nodes { key } } }");
    expect(typo.json.errors[0].message).toContain('Did you mean "persons"');
    lowered.length = 0;
    const name = "x".repeat(20_000);
    const long = await post(server, `{ ${name} }`);
    // (graphql-js's message, cut in its middle past 1,024 characters: validate.ts)
    expect(long.json.errors[0].message).toMatch(
      /^Cannot query field "x{400,} …\(\d+ characters cut\)… x{200,}" on type "Query"\.$/,
    );
    expect(lowered.filter((length) => length >= 20_000)).toEqual([]);
  });

  it("looks for none among the names a document defines itself: such a document is not executable, and says only that", async () => {
    // graphql-js took a document's own type and directive definitions for the options of its
    // suggestions, compared in the product of the lengths: 15-18 s of the loop (review 29)
    const long = "A".repeat(45_000);
    const lowered = lowercasedLengths();
    for (const query of [
      `type ${long} { a: Int } query Q($v: ${long.slice(1)}B) { __typename }`,
      `directive @d(${long}: Int) on FIELD query { __typename @d(${long.slice(1)}B: 1) }`,
    ]) {
      const response = await post(server, query);
      const messages = response.json.errors.map((e: { message: string }) => shortened(e.message));
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(
        /^The "(A+ …\(\d+ characters cut\)… A+|d)" definition is not executable\.$/,
      );
    }
    expect(lowered.filter((length) => length >= 10_000)).toEqual([]);
  });

  it("says a typo's beside a long list of keys: what its error prints is under the limit, and graphql-js's own error is the answer", async () => {
    // review 30: with a budget of 64 KB this was refused without the suggestion
    const keys = Array.from({ length: 1000 }, (_, i) => `person/someone-with-a-long-key-${i}`);
    const response = await post(server, TWO, {
      f: { key: { in: keys }, holdr: { eq: "x" } },
      o: ORDER,
    });
    const messages = response.json.errors.map((e: { message: string }) => e.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(
      /; Field "holdr" is not defined by type "TenureFilter"\. Did you mean "holder" or "or"\?$/,
    );
  });

  it("says a typo's, and looks for none for an enum value too long for any in a variable", async () => {
    const query = "query($c: [Certainty!]) { tenures(first: 1, certainty: $c) { nodes { key } } }";
    const lowered = lowercasedLengths();
    const typo = await post(server, query, { c: ["YE"] });
    expect(typo.json.errors[0].message).toContain('Did you mean the enum value "YES"?');
    lowered.length = 0;
    const long = await post(server, query, { c: [BIG] });
    expect(long.json.errors[0].message.endsWith(`xxxx" does not exist in "Certainty" enum.`)).toBe(
      true,
    );
    expect(lowered.filter((length) => length >= BIG.length)).toEqual([]);
  });

  it("looks for none for an input object's unknown key too long for any in a variable: the answer is Yoga's, a typo in another variable keeps its suggestion", async () => {
    const variables = { f: { [KEY]: 1 }, g: { holdr: { eq: "x" } }, o: ORDER };
    const expected = await reference(TWO, variables);
    expect(expected.map((e) => shortened(e.message))).toEqual([
      expect.stringContaining(`Field "<KEY>" is not defined by type "TenureFilter".`),
      expect.stringContaining('Did you mean "holder" or "or"?'),
    ]);
    const lowered = lowercasedLengths();
    const response = await post(server, TWO, variables);
    expect(lowered.filter((length) => length >= KEY.length)).toEqual([]);
    expect(answered(response)).toEqual(asAnswered(expected));
    expect(response.json.errors.map((e: any) => e.extensions?.code)).toEqual([
      "BAD_USER_INPUT",
      "BAD_USER_INPUT",
    ]);
  });

  it("leaves the suggestion out of every variable's errors without introspection, as the server's other errors", async () => {
    const variables = { f: { [KEY]: 1 }, g: { holdr: { eq: "x" } }, o: ORDER };
    const expected = asAnswered(
      (await reference(TWO, variables)).map((e) => ({
        ...e,
        message: withoutSuggestions(e.message),
      })),
    );
    const lowered = lowercasedLengths();
    const response = await post(hidden, TWO, variables);
    expect(lowered.filter((length) => length >= KEY.length)).toEqual([]);
    expect(answered(response)).toEqual(expected);
    expect(response.text).not.toContain("Did you mean");
  });
});
