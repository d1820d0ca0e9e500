/**
 * "Did you mean the enum value …?" only where one could come. graphql-js suggests an enum value
 * for an input whose length is within 40% of the value's (its `suggestionList`), but measures
 * every input against every value, in the input's length: a variable's value of 90,000
 * characters where an enum is expected cost about 55 ms of the event loop, for no suggestion
 * (review 28). Yoga's executor (@graphql-tools/executor) coerces variables with graphql 16's
 * `coerceInputValue`, which calls the enum's `parseValue` without asking to hide suggestions:
 * each enum type's `parseValue` here hides them itself for an input too long for any (a string,
 * or an object or list holding one: graphql-js measures its printed form). Messages are
 * graphql-js's own, as before; only the suggestion, which could not come, is not looked for.
 */
import { GraphQLEnumType, type GraphQLSchema } from "graphql";

/** Makes the enum types of `schema` look for no suggestion for an input longer than any could match. */
export function boundEnumSuggestions(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLEnumType) || type.name.startsWith("__")) continue;
    const bound = longestSuggestible(
      Math.max(0, ...type.getValues().map((value) => value.name.length)),
    );
    const parseValue = type.parseValue.bind(type);
    type.parseValue = (value: unknown, hideSuggestions?: boolean | null) =>
      parseValue(value, hideSuggestions || holdsLonger(value, bound));
  }
}

/**
 * The longest input graphql-js could suggest one of names at most `longest` long for: an input
 * longer than 5/3 of it, plus 2, is further from every name than its threshold (40% of the
 * input's length, plus 1, in `suggestionList`). Also validate.ts's bound.
 */
export function longestSuggestible(longest: number): number {
  return Math.ceil((5 * (longest + 1)) / 3) + 2;
}

/** Whether `value` is a string longer than `bound`, or an object or list holding one (as a key too). */
function holdsLonger(value: unknown, bound: number): boolean {
  if (typeof value === "string") return value.length > bound;
  if (value === null || typeof value !== "object") return false;
  // (a variable's depth and its lists' lengths are bounded before it is coerced: variables.ts)
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === "string") {
      if (item.length > bound) return true;
    } else if (Array.isArray(item)) stack.push(...item);
    else if (item !== null && typeof item === "object")
      for (const [key, inner] of Object.entries(item)) {
        if (key.length > bound) return true;
        stack.push(inner);
      }
  }
  return false;
}
