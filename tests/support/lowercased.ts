/**
 * The lengths of the strings lowercased during a test, from the call on: graphql-js lowercases an
 * input first when it looks for "Did you mean …?" suggestions for it (`suggestionList`), so a
 * long input lowercased is a suggestion looked for. String.prototype.toLowerCase is spied, and
 * restored after the test (vitest's restoreMocks).
 */
import { vi } from "vitest";

export function lowercasedLengths(): number[] {
  const lengths: number[] = [];
  const toLowerCase = String.prototype.toLowerCase;
  vi.spyOn(String.prototype, "toLowerCase").mockImplementation(function (this: string) {
    lengths.push(this.length);
    return toLowerCase.call(this);
  });
  return lengths;
}
