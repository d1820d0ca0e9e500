/**
 * src/schema/graphql-suggestions.ts: graphql-js's suggestion list, bounded. It must give the
 * same list as graphql-js's own for every input (an input near a bound most of all), and be what
 * graphql-js calls wherever it suggests, so that a long input is never lowercased and measured.
 */
import { createRequire } from "node:module";
import {
  coerceInputValue,
  type GraphQLEnumType,
  GraphQLInputObjectType,
  type GraphQLNamedType,
  GraphQLString,
  isEnumType,
  parse,
  specifiedRules,
  validate,
} from "graphql";
import { describe, expect, it } from "vitest";
import {
  boundGraphqlSuggestions,
  graphqlSuggestionList,
  LONGEST_OPTION,
  suggestionListBounded,
  suggestionPossible,
} from "../../src/schema/graphql-suggestions.js";
import { schema } from "../../src/schema/index.js";
import { lowercasedLengths } from "../support/lowercased.js";

/** The message `run` throws with (compared as a whole: a long one printed would flood the log). */
function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  return "(nothing thrown)";
}

/** Every list of names graphql-js suggests from in the schema: each type's fields, each field's arguments, each enum's values, the types. */
function optionLists(): string[][] {
  const lists: string[][] = [Object.keys(schema.getTypeMap())];
  for (const type of Object.values(schema.getTypeMap()) as GraphQLNamedType[]) {
    if ("getFields" in type) {
      const fields = Object.values(type.getFields());
      lists.push(fields.map((field) => field.name));
      for (const field of fields)
        if ("args" in field && field.args.length > 0)
          lists.push(field.args.map((arg: { name: string }) => arg.name));
    }
    if (isEnumType(type)) lists.push(type.getValues().map((value) => value.name));
  }
  // (each distinct list once: the schema's connections and filters repeat theirs)
  return [...new Map(lists.map((list) => [list.join(), list])).values()];
}

/**
 * Inputs around the lengths where a suggestion stops being possible for `options`: the longest
 * option grown by letters, by astral characters (two units each: graphql-js compares units), by
 * a character whose lowercase is longer (İ), and letters of no option at all, from the option's
 * own length to eleven times it.
 */
function inputsAround(options: readonly string[]): string[] {
  const base = options.reduce((a, b) => (b.length > a.length ? b : a), "");
  const most = 11 * (base.length + 2);
  const inputs: string[] = [];
  for (let extra = 0; base.length + extra <= most; extra += extra < 30 ? 1 : 11) {
    inputs.push(
      base + "q".repeat(extra),
      base.toUpperCase() + "😀".repeat(Math.ceil(extra / 2)),
      "İ".repeat(Math.ceil(extra / 2)) + base,
      `${base.slice(1)}${"𐐀".repeat(Math.ceil(extra / 2))}`,
      "z".repeat(base.length + extra),
    );
  }
  return inputs;
}

describe("graphql-js's suggestions, bounded", () => {
  it("are graphql-js's own list for every input around each bound: the schema's names, and options long enough to be past the cut", () => {
    const lists = [
      ...optionLists(),
      // options of other characters, long enough that the inputs near their bound are past the
      // length graphql-js is always asked at (256), where the bound itself decides
      ["a".repeat(60), "Ab".repeat(30), "short"],
      // (and inputs graphql-js suggests for past it)
      ["a".repeat(200), "Ab".repeat(100)],
      ["İ".repeat(50)],
      ["😀".repeat(30)],
    ];
    let suggested = 0;
    let cut = 0;
    for (const options of lists) {
      for (const input of inputsAround(options)) {
        const expected = graphqlSuggestionList(input, options);
        expect(suggestionListBounded(input, options), `${input} in ${options.join()}`).toEqual(
          expected,
        );
        if (expected.length > 0) suggested++;
        if (input.length > 256 && !suggestionPossible(input, options)) cut++;
      }
    }
    // (the inputs did reach both sides: some were suggested for, some were cut)
    expect(suggested).toBeGreaterThan(2000);
    expect(cut).toBeGreaterThan(120);
  });

  it("cuts no input an option is as near as graphql-js's threshold, nor one of the same length", () => {
    // the longest inputs graphql-js still measures (their lengths differ by the threshold)
    for (const length of [300, 480, 999, 5000]) {
      const input = "x".repeat(length);
      const threshold = Math.floor(length * 0.4) + 1;
      expect(suggestionPossible(input, ["y".repeat(length - threshold)])).toBe(true);
      expect(suggestionPossible(input, ["y".repeat(length)])).toBe(true);
      expect(suggestionPossible(input, ["y".repeat(length + threshold)])).toBe(true);
      // far shorter options cannot be near it
      expect(suggestionPossible(input, ["y".repeat(Math.floor(length / 10) - 2)])).toBe(false);
    }
  });

  it("never measures a long input against an option longer than any schema's name", () => {
    const option = "a".repeat(LONGEST_OPTION + 1);
    const input = `${option.slice(1)}b`;
    // graphql-js would suggest it (one edit), in the product of the lengths
    expect(graphqlSuggestionList(input, [option, "short"])).toEqual([option]);
    expect(suggestionListBounded(input, [option, "short"])).toEqual([]);
    // an option within the bound still is
    const within = "a".repeat(LONGEST_OPTION);
    expect(suggestionListBounded(`${within.slice(1)}b`, [option, within])).toEqual([within]);
  });

  it("is what graphql-js calls: a long unknown field, key or enum value is not lowercased, and gets the message it got", () => {
    boundGraphqlSuggestions();
    const module = createRequire(import.meta.url)("graphql/jsutils/suggestionList.js");
    expect(module.suggestionList).toBe(suggestionListBounded);
    const big = "x".repeat(100_000);
    const lowered = lowercasedLengths();
    // validation: an unknown field
    const document = parse(`{ ${big} }`);
    const validated = validate(schema, document, specifiedRules).map((e) => e.message);
    const hidden = validate(schema, document, specifiedRules, { hideSuggestions: true });
    expect(validated.join() === hidden.map((e) => e.message).join()).toBe(true);
    expect(
      validated.length === 1 && validated[0] === `Cannot query field "${big}" on type "Query".`,
    ).toBe(true);
    // coercion: an input object's unknown key
    const input = new GraphQLInputObjectType({
      name: "Input",
      fields: { name: { type: GraphQLString } },
    });
    const coerced: string[] = [];
    coerceInputValue({ [big]: 1 }, input, (_path, _value, error) => coerced.push(error.message));
    expect(
      coerced.length === 1 && coerced[0] === `Field "${big}" is not defined by type "Input".`,
    ).toBe(true);
    // an enum's value
    const certainty = schema.getType("Certainty") as GraphQLEnumType;
    expect(
      messageOf(() => certainty.parseValue(big)) ===
        `Value "${big}" does not exist in "Certainty" enum.`,
    ).toBe(true);
    expect(lowered.filter((length) => length >= big.length)).toEqual([]);
    // and a typo still gets its suggestion
    expect(messageOf(() => certainty.parseValue("YE"))).toBe(
      'Value "YE" does not exist in "Certainty" enum. Did you mean the enum value "YES"?',
    );
  });
});
