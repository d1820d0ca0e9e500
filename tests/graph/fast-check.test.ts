/**
 * The loader's fast check (fast-check.ts) must agree with zod: pass exactly what zod passes,
 * and leave a passing entity equal to zod's output. Checked on entities of the built-in dataset
 * and on variants of each with one field broken, removed, emptied or added: by default on one
 * entity of each shape (the fields it has, nested, and the JSON types of their values), since
 * two entities of the same shape meet the same checks with the same replacements;
 * FAST_CHECK_ALL=1 takes every entity (a few times the work). Equal means strictly equal: a field
 * set to undefined is not an absent one. A small schema of its own checks what no collection has
 * yet, defaults inside an optional object.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { builtInDataset } from "../../data/index.js";
import { compileCheck } from "../../src/graph/fast-check.js";
import { collectionNames, collections } from "../../src/graph/model.js";
import { differences } from "../support/differences.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every way of breaking `value` at one place, as fresh copies of it. */
function* variants(value: Json): Generator<Json> {
  const replacements: Json[] = [
    null,
    0,
    true,
    "",
    "x",
    "person/a-b",
    "state/Bad",
    [],
    {},
    [{}],
    { text: "x" },
    "DOCUMENT_SPELLING",
    "2010",
  ];
  function* at(node: Json, rebuild: (replacement: Json | undefined) => Json): Generator<Json> {
    for (const r of replacements) yield rebuild(r);
    yield rebuild(undefined);
    if (Array.isArray(node)) {
      yield rebuild([...node, ...node]);
      yield rebuild([...node, null]);
      for (let i = 0; i < node.length; i++) {
        yield* at(node[i]!, (r) =>
          rebuild(
            r === undefined
              ? node.filter((_, j) => j !== i)
              : node.map((x, j) => (j === i ? r : x)),
          ),
        );
      }
    } else if (node !== null && typeof node === "object") {
      yield rebuild({ ...node, extra: "x" });
      yield rebuild(
        JSON.parse(
          `{"__proto__": "x", ${JSON.stringify(node).slice(1)}`.replace(/, }$/, "}"),
        ) as Json,
      );
      yield rebuild({ ...node, editorial: "x" });
      yield rebuild({ ...node, source: "source/kazakhstan-osce-cooperation", quote: "x" });
      for (const key of Object.keys(node)) {
        yield* at(node[key]!, (r) => {
          const copy = { ...node };
          if (r === undefined) delete copy[key];
          else copy[key] = r;
          return rebuild(copy);
        });
      }
    }
  }
  yield* at(value, (r) => (r === undefined ? null : r));
}

/** The fields of `value`, nested, and the JSON types of its leaves: not the values themselves. */
function shape(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${[...new Set(value.map(shape))].sort().join("|")}]`;
  if (typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${key}:${shape(value[key]!)}`)
      .join(",")}}`;
  return typeof value;
}

/** The entities to vary: every one with FAST_CHECK_ALL=1, else the first of each shape. */
function entitiesToVary(entities: readonly Json[]): Json[] {
  if (process.env.FAST_CHECK_ALL === "1") return [...entities];
  const seen = new Set<string>();
  return entities.filter((entity) => {
    const key = shape(entity);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

describe("the fast check of each collection", () => {
  it("exists for every collection (the schemas use nothing it does not know)", () => {
    for (const collection of collectionNames)
      expect([collection, compileCheck(collections[collection]) !== undefined]).toEqual([
        collection,
        true,
      ]);
  });

  it.each(collectionNames)(
    "passes exactly what zod passes, and fills in what zod fills in: %s",
    (collection) => {
      const check = compileCheck(collections[collection])!;
      const schema = collections[collection];
      let passed = 0;
      let failed = 0;
      // one expect() at the end over what differs: one per variant (tens of thousands) cost a
      // third of the file. Each entry names its input.
      const verdicts: [string, boolean, boolean][] = [];
      // strict: a field set to undefined is not an absent one (toEqual would take one for the other)
      const filled = differences("toStrictEqual");
      const changed: [string, string][] = [];
      for (const entity of entitiesToVary(builtInDataset[collection] as unknown as Json[])) {
        for (const variant of variants(JSON.parse(JSON.stringify(entity)) as Json)) {
          const input = JSON.stringify(variant);
          const zod = schema.safeParse(JSON.parse(input));
          const mine = JSON.parse(input) as unknown;
          const ok = check(mine);
          if (ok !== zod.success) verdicts.push([input, ok, zod.success]);
          if (ok) {
            filled.add(input, mine, zod.data);
            passed++;
          } else {
            // a failed check changes nothing: zod then sees the input as it was
            const after = JSON.stringify(mine);
            if (after !== input) changed.push([input, after]);
            failed++;
          }
        }
      }
      expect(verdicts, "[input, fast check, zod]").toEqual([]);
      filled.check();
      expect(changed, "[input, after a failed check]").toEqual([]);
      expect(passed).toBeGreaterThan(0);
      expect(failed).toBeGreaterThan(passed);
    },
  );
});

describe("defaults inside an optional object", () => {
  // no collection has one today (their defaults are all top-level lists and a priority's kind), so
  // the dataset above never meets one: an absent optional object must stay absent, not become a
  // key holding undefined, which toEqual would not tell from absent
  const schema = z.strictObject({
    id: z.string(),
    extra: z.strictObject({ tags: z.array(z.string()).default([]) }).optional(),
  });
  const check = compileCheck(schema)!;

  it.each([
    ["absent", { id: "a" }],
    ["given without its default", { id: "a", extra: {} }],
    ["given in full", { id: "a", extra: { tags: ["x"] } }],
  ])("leaves the object as zod does when it is %s", (_, input) => {
    const mine: unknown = structuredClone(input);
    expect(check(mine)).toBe(true);
    expect(mine).toStrictEqual(schema.parse(structuredClone(input)));
  });
});
