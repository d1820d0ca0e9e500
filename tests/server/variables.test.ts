/** The bounds on raw variables (src/server/variables.ts), walked without recursion before coercion. */
import { buildSchema, type OperationDefinitionNode, parse } from "graphql";
import { describe, expect, it } from "vitest";
import {
  checkVariables,
  LEAF_OBJECT_LIMIT,
  PRINTED_ERRORS_LIMIT,
  wideObject,
} from "../../src/server/variables.js";

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

describe("wideObject", () => {
  const schema = buildSchema(`
    scalar Json
    enum Kind { A B }
    input Pair { a: Int, b: Int }
    input Filter { pair: Pair, pairs: [Pair!], kind: Kind, name: String, json: Json, and: [Filter!] }
    type Query { find(filter: Filter, pairs: [Pair], kinds: [Kind], json: Json): Int }
  `);
  const definitions = (text: string) =>
    (parse(text).definitions[0] as OperationDefinitionNode).variableDefinitions ?? [];
  const keys = (n: number, prefix = "k") =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 1]));
  const FILTER = definitions("query($f: Filter, $p: [Pair], $k: [Kind], $j: Json) { x }");

  it("passes objects no wider than their types, unknown keys included, and custom scalars' objects of any width", () => {
    expect(wideObject(schema, FILTER, { f: { pair: { a: 1, b: 2 }, x: 1 } })).toBeUndefined();
    // as wide as the type, every key unknown: graphql-js reports them itself
    expect(wideObject(schema, FILTER, { f: { pair: { x: 1, y: 2 } } })).toBeUndefined();
    expect(wideObject(schema, FILTER, { j: keys(500), f: { json: keys(500) } })).toBeUndefined();
    // an unknown key's value is not walked (no type says what it should be)
    expect(wideObject(schema, FILTER, { f: { x: keys(500) } })).toBeUndefined();
    // nor variables the operation does not declare
    expect(wideObject(schema, FILTER, { other: keys(500) })).toBeUndefined();
    expect(wideObject(schema, FILTER, undefined)).toBeUndefined();
    expect(wideObject(schema, FILTER, { f: null, p: [null, 1, "x"], k: ["A"] })).toBeUndefined();
  });

  it("finds an object wider than its input type, nested in objects and lists, and names the place", () => {
    expect(wideObject(schema, FILTER, { f: keys(7) })).toEqual({
      variable: "f",
      path: "",
      type: "Filter",
      found: 7,
      limit: 6,
    });
    expect(
      wideObject(schema, FILTER, { f: { and: [{ name: "x" }, { pairs: [{}, keys(3)] }] } }),
    ).toEqual({ variable: "f", path: ".and[1].pairs[1]", type: "Pair", found: 3, limit: 2 });
    // a value given for a list is a list of one, as graphql-js coerces it
    expect(wideObject(schema, FILTER, { p: keys(3) })).toMatchObject({ path: "", type: "Pair" });
    expect(wideObject(schema, FILTER, { f: { pairs: keys(3) } })).toMatchObject({
      path: ".pairs",
      type: "Pair",
    });
    // the first in the operation's order of variables, then depth first
    expect(
      wideObject(schema, FILTER, { p: [keys(3)], f: { and: [{ pair: keys(4) }] } }),
    ).toMatchObject({ variable: "f", path: ".and[0].pair", found: 4 });
  });

  it("finds an object printing more than LEAF_OBJECT_LIMIT where an enum or one of GraphQL's own scalars is expected", () => {
    // (about ten characters a key: `k123: 1, `)
    const wide = keys(LEAF_OBJECT_LIMIT / 4);
    const found = LEAF_OBJECT_LIMIT / 4;
    expect(wideObject(schema, FILTER, { f: { name: wide } })).toEqual({
      variable: "f",
      path: ".name",
      type: "String",
      found,
      limit: 0,
    });
    expect(wideObject(schema, FILTER, { k: ["A", wide] })).toMatchObject({
      path: "[1]",
      type: "Kind",
      limit: 0,
    });
    // in a list where the scalar is expected, however deep (graphql-js prints the list's items)
    expect(wideObject(schema, FILTER, { f: { name: [[1, wide]] } })).toMatchObject({
      path: ".name[0][1]",
      type: "String",
      limit: 0,
    });
    expect(wideObject(schema, FILTER, { k: [[wide]] })).toMatchObject({
      path: "[0][0]",
      type: "Kind",
    });
    // a small object, an empty one, or a list of scalars there is graphql-js's to refuse, with its
    // own error (a client's usual slip: `{ "eq": "x" }` where a String is expected)
    expect(
      wideObject(schema, FILTER, { f: { name: { eq: "x" }, kind: [1, [2]] }, k: [keys(100)] }),
    ).toBeUndefined();
    expect(wideObject(schema, FILTER, { f: { name: {} } })).toBeUndefined();
  });

  it("weighs what the errors of unknown keys would print: each prints its object whole", () => {
    const big = "x".repeat(PRINTED_ERRORS_LIMIT);
    // one unknown key beside a large value, or holding one
    expect(wideObject(schema, FILTER, { f: { name: big, typo: 1 } })).toMatchObject({
      variable: "f",
      path: "",
      type: "Filter",
      limit: PRINTED_ERRORS_LIMIT,
      printed: { unknown: "typo" },
    });
    expect(
      wideObject(schema, FILTER, { f: { typo: keys(PRINTED_ERRORS_LIMIT / 8) } }),
    ).toMatchObject({ printed: { unknown: "typo" } });
    // a list where the object is expected, its objects weighed as at its place (review 30)
    expect(wideObject(schema, FILTER, { f: { pair: [{ a: 1 }, { typo: big }] } })).toMatchObject({
      path: ".pair[1]",
      type: "Pair",
      printed: { unknown: "typo" },
    });
    // a long unknown key is named cut
    expect(
      wideObject(schema, FILTER, { f: { ["k".repeat(PRINTED_ERRORS_LIMIT)]: 1 } })?.printed
        ?.unknown,
    ).toMatch(/^k{40} …\(\d+ characters cut\)… k{20}$/);
    // a string weighed as printed: a control character as six
    const controls = "\u0001".repeat(PRINTED_ERRORS_LIMIT / 4);
    expect(wideObject(schema, FILTER, { f: { name: controls, typo: 1 } })).toMatchObject({
      printed: { unknown: "typo" },
    });
    // under the limit, graphql-js's errors (and their suggestions) are the answer
    const small = "x".repeat(PRINTED_ERRORS_LIMIT / 8);
    expect(wideObject(schema, FILTER, { f: { name: small, typo: 1 } })).toBeUndefined();
    // a large value without unknown keys beside it is printed by no error
    expect(wideObject(schema, FILTER, { f: { name: big, pair: { a: 1 } } })).toBeUndefined();
    // counted once per unknown key, and summed over the objects
    const quarter = "x".repeat(PRINTED_ERRORS_LIMIT / 4);
    expect(wideObject(schema, FILTER, { f: { name: quarter, t1: 1 } })).toBeUndefined();
    expect(
      wideObject(schema, FILTER, { f: { name: quarter, t1: 1, t2: 2, t3: 3, t4: 4, t5: 5 } }),
    ).toMatchObject({ path: "", printed: { unknown: "t1" } });
    const item = { name: small, typo: 1 };
    expect(wideObject(schema, FILTER, { f: { and: Array(7).fill(item) } })).toBeUndefined();
    expect(wideObject(schema, FILTER, { f: { and: Array(9).fill(item) } })).toMatchObject({
      path: expect.stringMatching(/^\.and\[[78]\]$/),
      printed: { unknown: "typo" },
    });
  });

  it("walks a key JSON made named __proto__ as any other", () => {
    const value = JSON.parse(`{"f": {"__proto__": ${JSON.stringify(keys(9))}, "pair": {"a": 1}}}`);
    expect(wideObject(schema, FILTER, value)).toBeUndefined();
    const wide = JSON.parse(`{"f": {"pair": {"__proto__": 1, "a": 1, "b": 2}}}`);
    expect(wideObject(schema, FILTER, wide)).toMatchObject({ path: ".pair", found: 3 });
  });
});
