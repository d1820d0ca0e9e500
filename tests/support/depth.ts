/**
 * How much of their corpus the equivalence and property tests go through: the tests that compare a
 * hand-written part with a reference over generated inputs, and the fuzzers. `npm test` runs the
 * usual corpus of each: the smallest at which every mutant tried on the code it guards still
 * failed the test, with margin (each file says which mutants, and where they were first caught).
 * `TEST_DEPTH=deep` restores, for every such file at once, the corpus it had before it was cut
 * (or more): the run to make after changing the code a corpus guards.
 *
 *   TEST_DEPTH=deep npx vitest run tests/server/fast-validate.test.ts
 *
 * FUZZ_COUNT and FUZZ_SEED (the fuzzers) and FAST_CHECK_ALL (fast-check.test.ts) are their own
 * knobs, unchanged: those files' usual sizes were not cut, so they do not read this one.
 */

const depth = process.env.TEST_DEPTH ?? "";
if (depth !== "" && depth !== "deep")
  throw new Error(`TEST_DEPTH must be "deep" or unset, got "${depth}"`);

/** Whether this run goes deep (TEST_DEPTH=deep). */
const DEEP = depth === "deep";

/** The usual value, or the deep run's. */
export const byDepth = <T>(usual: T, deep: T): T => (DEEP ? deep : usual);
