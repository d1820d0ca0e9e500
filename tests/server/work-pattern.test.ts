/**
 * An operation's pattern (src/server/work-pattern.ts), by which the scheduler learns what an
 * operation runs for its price: one for the requests that do the same kind of work whatever
 * their values, another for each kind.
 */
import { parse } from "graphql";
import { describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { sliceScheduler, UNKNOWN_PATTERN } from "../../src/graph/scheduler.js";
import { schema } from "../../src/schema/index.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { MAX_PATTERN_LENGTH, workPattern } from "../../src/server/work-pattern.js";
import { admissionOf } from "../support/admission.js";

const of = (query: string, variables?: Record<string, unknown>, name?: string) =>
  workPattern(parse(query), name, variables);

describe("an operation's pattern", () => {
  it("is one for the same work with other values, comments, aliases, spacing or list lengths", () => {
    const title = of('{ persons(first: 1, filter: {title: {eq: "t0.31"}}) { totalCount } }');
    expect(title).toBeDefined();
    expect(of('{ persons(first: 1, filter: {title: {eq: "t0.99"}}) { totalCount } }')).toBe(title);
    expect(
      of(
        '# burst 3\n{\n  n: persons(first: 7, filter: {title: {eq: "x"}}) {\n    totalCount\n  }\n}',
      ),
    ).toBe(title);
    expect(of('{ persons(filter: {keys: ["a", "b", "c"]}) { totalCount } }')).toBe(
      of('{ persons(filter: {keys: ["z"]}) { totalCount } }')?.replace("_]", "_ …]"),
    );
    const withVariables = "query($f: PersonFilter) { persons(filter: $f) { totalCount } }";
    expect(of(withVariables, { f: { anyName: { contains: "ar" } } })).toBe(
      of(withVariables, { f: { anyName: { contains: "zzqq" } } }),
    );
    expect(of(withVariables, { f: { keys: ["a", "b", "c"] } })).toBe(
      of(withVariables, { f: { keys: ["d", "e"] } }),
    );
  });

  it("is another for another field, filter field or operator, enum value, boolean, selection or operation", () => {
    const patterns = [
      '{ persons(first: 1, filter: {title: {eq: "t"}}) { totalCount } }',
      '{ persons(first: 1, filter: {anyName: {eq: "t"}}) { totalCount } }',
      '{ persons(first: 1, filter: {anyName: {contains: "t"}}) { totalCount } }',
      '{ persons(first: 1, filter: {anyName: {contains: "t"}}) { totalCount nodes { key } } }',
      '{ offices(first: 1, filter: {anyName: {contains: "t"}}) { totalCount } }',
      "{ persons(first: 1, orderBy: {field: NAME}) { totalCount } }",
      "{ persons(first: 1, orderBy: {field: KEY}) { totalCount } }",
      "{ persons(first: 1) { totalCount @include(if: true) } }",
      "{ persons(first: 1) { totalCount @include(if: false) } }",
      "{ persons(first: 1) { ...F } } fragment F on PersonConnection { totalCount }",
      "{ persons(first: 1) { ...F } } fragment F on PersonConnection { nodes { key } }",
    ].map((query) => of(query));
    expect(new Set(patterns).size).toBe(patterns.length);
    const withVariables = "query($f: PersonFilter) { persons(filter: $f) { totalCount } }";
    const byVariables = [
      { f: { anyName: { contains: "ar" } } },
      { f: { title: { eq: "ar" } } },
      { f: { anyName: { eq: "ar" } } },
      { f: null },
      {},
    ].map((variables) => of(withVariables, variables));
    expect(new Set(byVariables).size).toBe(byVariables.length);
    // of a document of two operations, the one named
    const two = "query A { persons(first: 1) { totalCount } } query B { states { key } }";
    expect(of(two, undefined, "A")).not.toBe(of(two, undefined, "B"));
    expect(of(two, undefined, "A")).toBe(
      of("query A { persons(first: 2) { totalCount } }", undefined, "A"),
    );
  });

  it(`is none past ${MAX_PATTERN_LENGTH} characters, from the document or from the variables`, () => {
    const fields = Array.from({ length: 600 }, (_, i) => `f${i}: persons(first: 1) { totalCount }`);
    expect(of(`{ ${fields.slice(0, 10).join(" ")} }`)).toBeDefined();
    expect(of(`{ ${fields.join(" ")} }`)).toBeUndefined();
    const withVariables = "query($f: PersonFilter) { persons(filter: $f) { totalCount } }";
    const wide = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, 1]));
    expect(of(withVariables, { f: { anyName: { contains: "a" } } })).toBeDefined();
    expect(of(withVariables, { f: wide })).toBeUndefined();
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { a: deep };
    expect(of(withVariables, { f: deep as Record<string, unknown> })).toBeUndefined();
  });

  it(`is the scheduler's UNKNOWN_PATTERN for an operation that teaches but has none (past ${MAX_PATTERN_LENGTH} characters): expected as a pattern never seen, not by every request's ratio`, async () => {
    const graph = await loadBuiltInGraph();
    // a scheduler of its own (one per slice length in the process)
    const sliceMs = DEFAULT_CONFIG.limits.executionSliceMs + 9;
    const limits = { ...DEFAULT_CONFIG.limits, executionSliceMs: sliceMs, maxCost: 1e9 };
    const runsLate = vi.spyOn(sliceScheduler(sliceMs), "runsLate");
    const admit = (query: string) =>
      admissionOf(limits)({ schema, document: parse(query), contextValue: { graph } });
    const lists = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: events(first: 100) { nodes { key name } }`).join(" ")} }`;
    try {
      expect(admit(lists(60)).refused).toBeUndefined();
      const [pricedMs, , , pattern] = runsLate.mock.lastCall!;
      expect(pricedMs).toBeGreaterThan(5);
      expect(pattern).toBe(workPattern(parse(lists(60)), undefined, undefined));
      expect(admit(lists(300)).refused).toBeUndefined();
      expect(of(lists(300))).toBeUndefined();
      expect(runsLate.mock.lastCall![3]).toBe(UNKNOWN_PATTERN);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it("is the document's followed by its variables' shape, the same for no operation name as for null", () => {
    const document = parse('{ persons(first: 1, filter: {title: {eq: "t"}}) { totalCount } }');
    const first = workPattern(document, undefined, undefined);
    expect(workPattern(document, null, undefined)).toBe(first);
    const declared = parse("query($v: Int) { persons(first: $v) { totalCount } }");
    expect(workPattern(declared, undefined, { v: 1 })).toBe(
      `${workPattern(declared, undefined, undefined)}{0:_ }`,
    );
  });

  it("is one whatever the names the client chose: the operation's, its fragments', its variables', and variables it sent but did not declare (red team 48, F3)", () => {
    const query = (name: string, fragment: string, variable: string) =>
      `query ${name}($${variable}: PersonFilter, $n: Int) { persons(first: $n, filter: $${variable}) { ...${fragment} } } fragment ${fragment} on PersonConnection { totalCount }`;
    const variables = (variable: string) => ({ [variable]: { anyName: { contains: "ar" } }, n: 3 });
    const first = of(query("Q1", "F1", "f"), variables("f"), "Q1");
    expect(first).toBeDefined();
    expect(of(query("Q2_93847", "G", "g"), variables("g"), "Q2_93847")).toBe(first);
    // variables sent but not declared are not read, and the declared ones in their declared order
    expect(
      of(query("Q1", "F1", "f"), { junk1: 1, n: 5, f: { anyName: { contains: "x" } } }, "Q1"),
    ).toBe(first);
    // a variable's default chooses the work when it is not sent, as a literal does (review 49);
    // none sent is the document's pattern alone, as with no variables at all
    const defaulted = (filter: string) =>
      `query($f: PersonFilter = ${filter}) { persons(first: 1, filter: $f) { totalCount } }`;
    expect(of(defaulted('{anyName: {contains: "ar"}}'), {})).not.toBe(
      of(defaulted('{title: {eq: "x"}}'), {}),
    );
    expect(of(defaulted('{title: {eq: "x"}}'), {})).toBe(of(defaulted('{title: {eq: "y"}}')));
    // two fragments are told apart by their places
    const two = (a: string, b: string) =>
      `query { persons(first: 1) { ...${a} } offices(first: 1) { ...${b} } } fragment ${a} on PersonConnection { totalCount } fragment ${b} on OfficeConnection { nodes { key } }`;
    expect(of(two("A", "B"))).toBe(of(two("X", "Y")));
    // what the work depends on still tells them apart: a declared variable sent or not, its shape
    expect(of(query("Q1", "F1", "f"), { n: 5 }, "Q1")).not.toBe(first);
    expect(of(query("Q1", "F1", "f"), { f: { title: { eq: "x" } }, n: 5 }, "Q1")).not.toBe(first);
    expect(of(query("Q1", "F1", "f"), { f: null, n: 5 }, "Q1")).not.toBe(
      of(query("Q1", "F1", "f"), { n: 5 }, "Q1"),
    );
  });
});
