/**
 * src/schema/enum-suggestions.ts: an enum type of the schema looks for no "Did you mean the enum
 * value …?" for an input too long for one, and gives the same message as graphql-js for every
 * other. Yoga's executor coerces a variable's enum value without asking to hide suggestions, and
 * graphql-js measured a value of any length against every enum value (review 28: about 55 ms of
 * the event loop for 90,000 characters).
 */
import { GraphQLEnumType } from "graphql";
import { describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { schema } from "../../src/schema/index.js";
import { firstError, post } from "../support/http.js";
import { lowercasedLengths } from "../support/lowercased.js";
import { startServer } from "../support/server.js";

/** graphql-js's own message for `input` (its prototype's parseValue, with suggestions). */
function graphqlMessage(type: GraphQLEnumType, input: unknown): string {
  try {
    GraphQLEnumType.prototype.parseValue.call(type, input);
    return "(no error)";
  } catch (error) {
    return (error as Error).message;
  }
}

function ourMessage(type: GraphQLEnumType, input: unknown): string {
  try {
    type.parseValue(input);
    return "(no error)";
  } catch (error) {
    return (error as Error).message;
  }
}

describe("an enum's suggestions", () => {
  it("are graphql-js's own for every input one could come for: around each enum's longest value, shorter and longer", () => {
    let suggested = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!(type instanceof GraphQLEnumType) || type.name.startsWith("__")) continue;
      const longest = type
        .getValues()
        .reduce((a, b) => (b.name.length > a.length ? b.name : a), "");
      for (let extra = 0; extra <= 30; extra++)
        for (const input of [
          `${longest.slice(0, -1)}${"Q".repeat(extra)}`,
          [`${longest.slice(0, -1)}${"Q".repeat(extra)}`],
          { [longest.slice(0, -1)]: "Q".repeat(extra) },
        ]) {
          const theirs = graphqlMessage(type, input);
          if (theirs.includes("Did you mean")) suggested++;
          expect(ourMessage(type, input), `${type.name} ${JSON.stringify(input)}`).toBe(theirs);
        }
    }
    // (the inputs reached graphql-js's own bound: some were suggested for)
    expect(suggested).toBeGreaterThan(10);
  });

  it("are not looked for in a variable's value too long for any, through the server: a typo's still are", async () => {
    const server = await startServer(await loadBuiltInGraph());
    const lowered = lowercasedLengths();
    const query = "query($c: [Certainty!]) { tenures(first: 1, certainty: $c) { nodes { key } } }";
    try {
      const typo = await post(server, query, { c: ["YE"] });
      expect(firstError(typo).message).toContain('Did you mean the enum value "YES"?');
      lowered.length = 0;
      const big = "x".repeat(50_000);
      const long = await post(server, query, { c: [big] });
      expect(firstError(long).message).toContain(
        `Value "${big}" does not exist in "Certainty" enum.`,
      );
      expect(firstError(long).message).not.toContain("Did you mean");
      expect(lowered.filter((length) => length >= 50_000)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
