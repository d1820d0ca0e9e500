/**
 * A test run's own settings, read from the environment (FUZZ_SEED, FUZZ_COUNT and the like in
 * tests/server/fuzz.test.ts and fuzz-variables.test.ts), so that a deep run or the replay of a
 * failure needs no edit of the test.
 */

/** The whole number in `name`, or `fallback` when it is unset or empty; anything else throws, naming the variable. */
export function envInt(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  if (!/^\d{1,10}$/.test(text)) throw new Error(`${name} must be a whole number, got "${text}"`);
  return Number(text);
}
