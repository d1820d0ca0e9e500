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

  it("walks a key JSON made named __proto__ as the value it holds", () => {
    const variables = JSON.parse('{"f": {"__proto__": {"not": {"not": {"not": {}}}}}}');
    expect(checkVariables(variables, bounds)).toEqual({
      code: "VARIABLE_TOO_DEEP",
      variable: "f",
      path: ".__proto__.not.not.not",
      found: 5,
    });
  });

  it("finds the first problem a walk building every value's path finds, on 2,000 random values", () => {
    // the walk before paths were built only for a problem (red team 13, F3): the reference
    const step = (key: string) =>
      /^[_A-Za-z][_0-9A-Za-z]*$/.test(key)
        ? `.${key}`
        : `[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}]`;
    const reference = (variables: Record<string, unknown>) => {
      for (const [variable, value] of Object.entries(variables)) {
        const stack: { value: unknown; depth: number; path: string }[] = [
          { value, depth: 0, path: "" },
        ];
        while (stack.length > 0) {
          const { value: current, depth, path } = stack.pop()!;
          if (typeof current !== "object" || current === null) continue;
          const inner = depth + 1;
          if (inner > bounds.maxDepth)
            return { code: "VARIABLE_TOO_DEEP", variable, path, found: inner };
          if (Array.isArray(current)) {
            if (current.length > bounds.maxListLength)
              return { code: "VARIABLE_LIST_TOO_LONG", variable, path, found: current.length };
            for (let i = current.length - 1; i >= 0; i--)
              stack.push({ value: current[i], depth: inner, path: `${path}[${i}]` });
          } else {
            const entries = Object.entries(current);
            for (let i = entries.length - 1; i >= 0; i--)
              stack.push({
                value: entries[i]![1],
                depth: inner,
                path: `${path}${step(entries[i]![0])}`,
              });
          }
        }
      }
      return undefined;
    };
    let seed = 20261206;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const keys = ["a", "not", "and", "odd key", "__proto__", "ж", "x".repeat(50), "0"];
    const randomValue = (depth: number): unknown => {
      const roll = random();
      if (depth > 6 || roll < 0.3) return roll < 0.1 ? null : Math.floor(roll * 100);
      if (roll < 0.6)
        return Array.from({ length: Math.floor(random() * 5) }, () => randomValue(depth + 1));
      const entries = Array.from({ length: Math.floor(random() * 4) }, () => [
        keys[Math.floor(random() * keys.length)]!,
        randomValue(depth + 1),
      ]);
      // through JSON, as a request's variables come: a key "__proto__" is then an own property
      return JSON.parse(JSON.stringify(Object.fromEntries(entries)));
    };
    let problems = 0;
    for (let i = 0; i < 2000; i++) {
      const variables = JSON.parse(JSON.stringify({ v: randomValue(0), w: randomValue(0) }));
      const expected = reference(variables);
      if (expected) problems++;
      expect(checkVariables(variables, bounds), JSON.stringify(variables)).toEqual(expected);
    }
    // both kinds of problem, and values with none, were met
    expect(problems).toBeGreaterThan(200);
    expect(problems).toBeLessThan(1900);
  });
});
