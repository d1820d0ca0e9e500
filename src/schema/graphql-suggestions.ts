/**
 * graphql-js's "Did you mean …?" without its cost for an input that can match nothing.
 *
 * graphql-js suggests a name for an unknown input (a field, an argument, a type, an input
 * object's key, an enum value) only when their lengths differ by at most 40% of the input's and
 * one (its `suggestionList`), but before it compares any it lowercases the input and makes four
 * arrays of its length: about 130 ms of the event loop for a MiB, 25-35 ms for an input object's
 * unknown key of 100 KiB in a variable, for a suggestion that cannot come (no name of a schema is
 * that long). And it does so wherever it is not told to hide suggestions, which Yoga's executor
 * (@graphql-tools/executor) never tells graphql 16's `coerceInputValue` when it coerces a
 * request's variables.
 *
 * So every suggestion list graphql-js makes goes through `suggestionListBounded`, which answers
 * an empty list at once when no option is near the input's length, and asks graphql-js's own
 * otherwise: the same list for any option up to LONGEST_OPTION characters (every name of a schema
 * here; tests/schema/graphql-suggestions.test.ts holds the two equal around every bound, astral
 * and expanding characters included). graphql-js's modules call
 * it through its module's exports (`(0, _suggestionList.suggestionList)(…)`, read at each call),
 * which is where it is put; `boundGraphqlSuggestions` checks, once, that a suggestion graphql-js
 * makes really comes through it, and throws if not (an upgrade that moved the function, or a
 * bundle holding a second copy of graphql), rather than serve without the bound.
 */
import { GraphQLEnumType } from "graphql";
// its module's exports object (a CommonJS module's default import), the one graphql-js's own
// modules read, in Node and in a bundle alike (esbuild resolves it to the bundled copy)
import suggestionExports from "graphql/jsutils/suggestionList.js";

type SuggestionList = (input: string, options: readonly string[]) => string[];

const suggestionModule = suggestionExports as { suggestionList: SuggestionList };

/** graphql-js's own suggestion list, as it came (for the tests that hold the bounded one equal to it). */
export const graphqlSuggestionList: SuggestionList = suggestionModule.suggestionList;

/** How many suggestion lists went through `suggestionListBounded` (the install's check reads it). */
let calls = 0;

/**
 * Whether graphql-js's `suggestionList(input, options)` could find any option near `input`. It
 * compares the lowercased strings' lengths (in UTF-16 units), and no option is near when they
 * differ by more than `floor(0.4 × input.length) + 1` (its threshold). The input's length is
 * not measured lowercased (that would cost what is saved): lowercasing maps each code point to
 * at least one, of at least one unit, and a code point is at most two, so the lowercased input
 * is at least `ceil(n / 2)` long; each option is measured lowercased (a schema's names: short).
 */
export function suggestionPossible(input: string, options: readonly string[]): boolean {
  const n = input.length;
  const threshold = Math.floor(n * 0.4) + 1;
  const atLeast = Math.ceil(n / 2);
  for (const option of options) {
    // (an option that long is near enough whatever its case: not lowercased)
    if (option.length >= atLeast - threshold) return true;
    if (atLeast - option.toLowerCase().length <= threshold) return true;
  }
  return false;
}

/**
 * The longest option a suggestion is looked for among. graphql-js compares an input with an
 * option of about its length in the product of the two lengths; a schema's names are short, and
 * the only longer options graphql-js ever had were names a document defines itself, which
 * validate.ts no longer lets it look at (review 29: two names of 45,000 characters, 15-18 s).
 */
export const LONGEST_OPTION = 1024;

/**
 * graphql-js's `suggestionList`, but an empty list at once when no option can be near the
 * input, and never an option longer than LONGEST_OPTION.
 */
export function suggestionListBounded(input: string, options: readonly string[]): string[] {
  calls++;
  // (an input of a few hundred characters costs graphql-js microseconds: only a longer one is
  // worth the check)
  if (input.length <= 256) return graphqlSuggestionList(input, options);
  const measured = options.some((option) => option.length > LONGEST_OPTION)
    ? options.filter((option) => option.length <= LONGEST_OPTION)
    : options;
  return suggestionPossible(input, measured) ? graphqlSuggestionList(input, measured) : [];
}

/**
 * Puts `suggestionListBounded` in place of graphql-js's own, for every caller in the process
 * (once; again is a no-op), and checks that graphql-js calls it.
 */
export function boundGraphqlSuggestions(): void {
  if (suggestionModule.suggestionList === suggestionListBounded) return;
  suggestionModule.suggestionList = suggestionListBounded;
  const before = calls;
  const probe = new GraphQLEnumType({ name: "Probe", values: { PROBE: {} } });
  try {
    probe.parseValue("PROB");
  } catch {
    // (graphql-js's "Value "PROB" does not exist in "Probe" enum. Did you mean …?")
  }
  if (calls === before)
    throw new Error(
      "graphql-js does not make its suggestions through graphql/jsutils/suggestionList.js's export: an unknown name of any " +
        "length would again cost time in its length (src/schema/graphql-suggestions.ts). Is a second copy of graphql loaded?",
    );
}
