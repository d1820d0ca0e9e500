/** The bounds on raw variables (src/server/variables.ts), walked without recursion before coercion. */
import { describe, expect, it } from "vitest";
import { checkVariables } from "../../src/server/variables.js";

const bounds = { maxDepth: 4, maxListLength: 3 };

describe("checkVariables", () => {
  it("passes scalars, and objects and lists within the bounds", () => {
    expect(
      checkVariables({ a: 1, b: "x", c: null, d: [1, 2, 3], e: { f: { g: [{}] } } }, bounds),
    ).toBeUndefined();
    expect(checkVariables(undefined, bounds)).toBeUndefined();
  });

  it("refuses the first value deeper than the bound, naming the variable and the path", () => {
    expect(checkVariables({ ok: 1, f: { not: { not: { not: { not: {} } } } } }, bounds)).toEqual({
      code: "VARIABLE_TOO_DEEP",
      variable: "f",
      path: ".not.not.not.not",
      found: 5,
    });
    expect(checkVariables({ f: { and: [{ and: [{}] }] } }, bounds)).toEqual({
      code: "VARIABLE_TOO_DEEP",
      variable: "f",
      path: ".and[0].and[0]",
      found: 5,
    });
  });

  it("refuses a list longer than the bound, anywhere", () => {
    expect(checkVariables({ ids: [1, 2, 3, 4] }, bounds)).toEqual({
      code: "VARIABLE_LIST_TOO_LONG",
      variable: "ids",
      path: "",
      found: 4,
    });
    expect(checkVariables({ f: { key: { in: ["a", "b", "c", "d"] } } }, bounds)).toEqual({
      code: "VARIABLE_LIST_TOO_LONG",
      variable: "f",
      path: ".key.in",
      found: 4,
    });
  });

  it("quotes a key that is not a plain name", () => {
    expect(checkVariables({ f: { "odd key": [1, 2, 3, 4] } }, bounds)?.path).toBe('["odd key"]');
  });

  it("walks a value nested 1,000,000 deep without overflowing the stack", () => {
    let value: unknown = {};
    for (let i = 0; i < 1_000_000; i++) value = { not: value };
    expect(checkVariables({ f: value }, { maxDepth: 32, maxListLength: 1000 })?.code).toBe(
      "VARIABLE_TOO_DEEP",
    );
  });
});
