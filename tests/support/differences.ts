/**
 * Many pairs compared as one `expect(actual).toEqual(expected)` (or `toStrictEqual`) would compare
 * them, with one expect() for all: the reference tests compare tens of thousands of pairs, and
 * vitest's expect() costs about 50 µs a call, more than most comparisons. A pair that is deeply
 * strictly equal (`isDeepStrictEqual`: prototypes, undefined fields and holes too, so stricter than
 * either matcher) passes untouched; the others, each with its label, are what the matcher compares
 * at `check()` and what a failure shows.
 */
import { isDeepStrictEqual } from "node:util";
import { expect } from "vitest";

export function differences(matcher: "toEqual" | "toStrictEqual" = "toEqual") {
  const actual: unknown[] = [];
  const expected: unknown[] = [];
  return {
    /** `a` (ours) against `e` (the reference's); `label` says what was asked. */
    add(label: unknown, a: unknown, e: unknown): void {
      if (isDeepStrictEqual(a, e)) return;
      actual.push([label, a]);
      expected.push([label, e]);
    },
    check(): void {
      expect(actual)[matcher](expected);
    },
  };
}

/** `expect(actual).toEqual(expected)` for two lists, entry by entry (each labelled by its index). */
export function expectSameEntries(actual: readonly unknown[], expected: readonly unknown[]): void {
  expect(actual.length).toBe(expected.length);
  const entries = differences();
  actual.forEach((entry, i) => entries.add(i, entry, expected[i]));
  entries.check();
}
