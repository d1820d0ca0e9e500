/**
 * The limits are judged from counts and positions, never from the wording of a library's message:
 * here graphql-js's parser is stubbed to reword every syntax error (as an upgrade might), and the
 * token limit must still be told apart from other syntax errors; armor's rules must report their
 * counts as numbers, which no message is read for; graphql-js's validation abort is known by
 * identity, whatever it says. The one match on wording left, graphql-js's "Did you mean ...?"
 * (limits.ts, withoutSuggestions), is held here to graphql-js's own wording, so that an upgrade
 * that rewords it fails this file rather than shows suggestions it should hide.
 */
import {
  GraphQLEnumType,
  GraphQLError,
  parse as realParse,
  Source,
  specifiedRules,
  validate,
} from "graphql";
import { createYoga } from "graphql-yoga";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schema } from "../../src/schema/index.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import {
  clearerValidationErrors,
  overTokenLimit,
  tokenLimitPlugin,
  withoutSuggestions,
} from "../../src/server/limits.js";
import { isValidationAborted } from "../../src/server/validate.js";
import { post } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

const REWORDED = "Reworded by a future graphql-js.";

/** graphql-js's parse, with the same errors at the same places in other words. */
const rewordingParse: typeof realParse = (...args) => {
  try {
    return realParse(...args);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    throw new GraphQLError(REWORDED, {
      source: error.source,
      positions: error.positions,
      extensions: error.extensions,
    });
  }
};

const limits = DEFAULT_CONFIG.limits;
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe("with graphql-js's parse errors reworded", () => {
  // Yoga over the schema with the token limit alone, parsing with the rewording parser
  const yoga = createYoga({
    schema,
    logging: false,
    plugins: [tokenLimitPlugin(limits.maxTokens, rewordingParse)],
  });
  const errorOf = async (query: string) => {
    const response = await yoga.fetch("http://localhost/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as {
      errors: { message: string; extensions?: { code?: string } }[];
    };
    return {
      status: response.status,
      message: body.errors[0]!.message,
      code: body.errors[0]!.extensions?.code,
    };
  };

  it("the stub is in place: a syntax error comes back in the new words", async () => {
    const error = await errorOf("{ states { ");
    expect(error.status).toBe(400);
    expect(error.message).toContain(REWORDED);
  });

  it(`still refuses a document of ${limits.maxTokens + 1} tokens as TOKEN_LIMIT_EXCEEDED`, async () => {
    expect(await errorOf(`{ ${"__typename ".repeat(limits.maxTokens)} }`)).toEqual({
      status: 400,
      code: "TOKEN_LIMIT_EXCEEDED",
      message: `The document has more than ${limits.maxTokens} tokens (the token limit): send a smaller query.`,
    });
  });

  it("still answers a long document with a syntax error before the limit as a syntax error, not the token limit", async () => {
    const error = await errorOf(`{ ) ${"__typename ".repeat(limits.maxTokens)} }`);
    expect(error.status).toBe(400);
    expect(error.code).not.toBe("TOKEN_LIMIT_EXCEEDED");
    expect(error.message).toContain(REWORDED);
  });
});

describe("overTokenLimit, by position alone", () => {
  const at = (source: string, position: number) =>
    new GraphQLError("any words at all", { source: new Source(source), positions: [position] });
  const limitError = (source: string, max: number) => {
    try {
      realParse(source, { maxTokens: max });
    } catch (error) {
      return error as GraphQLError;
    }
    throw new Error("expected the parse to fail");
  };

  it("knows graphql-js's own token-limit refusal, whatever its message", () => {
    for (const max of [1, 2, 5, 17]) {
      const source = `{ ${"a ".repeat(max)} }`;
      const error = limitError(source, max);
      expect(overTokenLimit(source, max, at(source, error.positions![0]!))).toBe(true);
    }
  });

  it("does not take a syntax error before the limit, a lexical error or a short document for it", () => {
    const long = `{ a b ) ${"c ".repeat(20)} }`;
    const syntax = limitError(long, 100);
    expect(overTokenLimit(long, 100, syntax)).toBe(false);
    expect(overTokenLimit(long, 100, at(long, 6))).toBe(false);
    const lexical = `{ a \u0000 ${"c ".repeat(20)} }`;
    expect(overTokenLimit(lexical, 5, at(lexical, 4))).toBe(false);
    expect(overTokenLimit("{ a }", 5, at("{ a }", 4))).toBe(false);
  });

  it("counts as graphql-js does: comments are not tokens, the end of the document is not one", () => {
    const source = "# a comment\n{ a # another\n b }";
    // { a b } is four tokens
    expect(() => realParse(source, { maxTokens: 4 })).not.toThrow();
    const error = limitError(source, 3);
    expect(overTokenLimit(source, 3, at(source, error.positions![0]!))).toBe(true);
    expect(overTokenLimit(source, 4, at(source, source.length))).toBe(false);
  });
});

describe("armor's depth, alias and directive rules report counts, not messages", () => {
  it("gives the depth, aliases and directives found as numbers in `extensions.found`", async () => {
    // __type, then `fields { type {` k times, then `name`: 2k + 2 levels
    const k = Math.ceil(limits.maxDepth / 2);
    const deep = `{ __type(name: "Query") { ${"fields { type { ".repeat(k)}name${" } }".repeat(k)} } }`;
    const levels = 2 * k + 2;
    const aliases = `{ ${Array.from({ length: limits.maxAliases + 3 }, (_, i) => `a${i}: __schema { queryType { name } }`).join(" ")} }`;
    const directives = `{ ${Array.from({ length: limits.maxDirectives + 2 }, () => "__typename @include(if: true)").join(" ")} }`;
    const found = async (query: string) => (await post(server, query)).json.errors[0].extensions;
    expect(await found(deep)).toMatchObject({ code: "DEPTH_LIMIT_EXCEEDED", found: levels });
    expect(await found(aliases)).toMatchObject({
      code: "ALIAS_LIMIT_EXCEEDED",
      found: limits.maxAliases + 3,
    });
    expect(await found(directives)).toMatchObject({
      code: "DIRECTIVE_LIMIT_EXCEEDED",
      found: limits.maxDirectives + 2,
    });
  });
});

describe("graphql-js's validation abort, known by identity", () => {
  // the same field 1500 times: too costly for OverlappingFieldsCanBeMerged, which gives up
  const tooMany = `{ ${"__typename ".repeat(1500)} }`;

  it("is graphql-js's own abort error, and not another error with its words", () => {
    const aborted = validate(schema, realParse(tooMany)).at(-1)!;
    expect(isValidationAborted(aborted)).toBe(true);
    expect(isValidationAborted(new GraphQLError(aborted.message))).toBe(false);
    expect(validate(schema, realParse("{ nope }")).some(isValidationAborted)).toBe(false);
  });

  it("is still answered QUERY_TOO_COMPLEX when graphql-js words it otherwise", () => {
    // (a request no longer reaches graphql-js's abort: src/server/overlap-work.ts refuses such a
    // document before the rules run; the app's after-hook still rewords the abort, should a
    // document reach it)
    const aborted = validate(schema, realParse(tooMany)).at(-1)!;
    const words = aborted.message;
    try {
      // the very error object graphql-js throws, reworded in place (as an upgrade might word it)
      (aborted as { message: string }).message = "Reworded by a future graphql-js.";
      let answered: readonly GraphQLError[] | undefined;
      const after = clearerValidationErrors().onValidate?.({} as never) as (payload: {
        result: readonly GraphQLError[];
        setResult: (errors: GraphQLError[]) => void;
      }) => void;
      after({ result: [aborted], setResult: (errors) => (answered = errors) });
      expect(answered?.map((error) => error.extensions.code)).toEqual(["QUERY_TOO_COMPLEX"]);
      expect(answered?.[0]?.message).toMatch(/^The query selects the same fields too many times/);
    } finally {
      (aborted as { message: string }).message = words;
    }
  });
});

describe("withoutSuggestions, held to graphql-js's wording", () => {
  it("leaves an enum value's refusal as graphql-js words it without suggestions", () => {
    // what Yoga's executor still lets through on graphql 16 (limits.ts, withoutSuggestions)
    const kinds = new GraphQLEnumType({ name: "Kind", values: { PERSON: {}, OFFICE: {} } });
    const refusal = (hideSuggestions: boolean) => {
      try {
        kinds.parseValue("PERSN", hideSuggestions);
      } catch (error) {
        return (error as GraphQLError).message;
      }
      throw new Error("expected PERSN to be refused");
    };
    expect(refusal(false)).not.toBe(refusal(true));
    expect(withoutSuggestions(refusal(false))).toBe(refusal(true));
  });

  it.each([
    ["a misspelt field", "{ statez { totalCount } }"],
    ["a misspelt argument", "{ states(frist: 2) { totalCount } }"],
    ["a misspelt type", "query($k: SearchableKnd) { __typename }"],
    ["a misspelt enum literal", '{ search(query: "x", kinds: [PERSN]) { totalCount } }'],
  ])("leaves validation's message for %s as graphql-js words it without", (_what, query) => {
    const messages = (hideSuggestions: boolean) =>
      validate(schema, realParse(query), specifiedRules, { hideSuggestions }).map((e) => e.message);
    expect(messages(false)).not.toEqual(messages(true));
    expect(messages(false).map(withoutSuggestions)).toEqual(messages(true));
  });
});
