/**
 * What the two fuzz tests (tests/server/fuzz.test.ts, fuzz-variables.test.ts) share besides
 * their generators: their settings, read from the environment (FUZZ_SEED, FUZZ_COUNT and the
 * like), so that a deep run or the replay of a failure needs no edit of the test; and how an
 * answer is tallied.
 */
import type { RawResponse } from "./http.js";

/** The whole number in `name`, or `fallback` when it is unset or empty; anything else throws, naming the variable. */
export function envInt(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  if (!/^\d{1,10}$/.test(text)) throw new Error(`${name} must be a whole number, got "${text}"`);
  return Number(text);
}

/**
 * An answer as the runs count it: its status and its errors' distinct codes, sorted ("200",
 * "400 BAD_USER_INPUT+GRAPHQL_VALIDATION_FAILED"; an error without a code counts as "variables").
 */
export function outcomeOf(response: RawResponse): string {
  const codes = [
    ...new Set<string>(
      (response.json?.errors ?? []).map(
        (e: { extensions?: { code?: string } }) => e.extensions?.code ?? "variables",
      ),
    ),
  ];
  return `${response.status}${codes.length ? ` ${codes.sort().join("+")}` : ""}`;
}
