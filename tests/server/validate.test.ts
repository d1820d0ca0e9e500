/**
 * src/server/validate.ts must validate exactly as graphql-js does: same errors, same messages,
 * same locations, same order, same error limit, on every document the tests and the explorer
 * send, on generated queries, and on documents breaking each of the specified rules.
 */
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import {
  type ASTVisitor,
  BREAK,
  type DocumentNode,
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  parse,
  print,
  specifiedRules,
  type ValidationContext,
  type ValidationRule,
  validate,
  visit,
} from "graphql";
// graphql-js's own table of child keys, not exported from its index: the reference for ours
import { QueryDocumentKeys } from "graphql/language/ast.js";
import { describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { schema } from "../../src/schema/index.js";
import { coveredRule } from "../../src/server/fast-validate.js";
import { limitRules } from "../../src/server/limits.js";
import { MAX_MERGE_VISITS, MAX_OVERLAP_WORK, overlapWork } from "../../src/server/overlap-work.js";
import {
  cutMessages,
  fragmentNesting,
  MAX_FRAGMENT_NESTING,
  MAX_VALIDATION_MESSAGE,
  MAX_VALIDATION_MESSAGE_PAST_BUDGET,
  mergeVisitors,
  VALIDATED_KEYS,
  validateDocument,
} from "../../src/server/validate.js";
import * as testDocuments from "../gql/graphql.js";
import { byDepth } from "../support/depth.js";
import { keyPools, QueryGenerator } from "../support/fuzz.js";
import { BROKEN } from "../support/validation-corpus.js";

const graph = await loadBuiltInGraph();

// 150 generated queries, each also broken (TEST_DEPTH=deep: 300, as before): four mutants of
// validate.ts fail the comparisons as they did with 300 (suggestions kept when hidden: 30
// documents differ instead of 70; no variable found in a list past its first item: 74 instead of
// 191; the error limit off by one: 6 under a limit of 3 instead of 10; none found in an input
// object: the same one document at any size), and one passes at every size (none found in a
// directive's arguments: no document of the corpus has an unused variable only used there)
const generated = (() => {
  const pools = keyPools(graph);
  return Array.from(
    { length: byDepth(150, 300) },
    (_, seed) => new QueryGenerator(schema, pools, 9000 + seed).generate().query,
  );
})();

const fromTests = Object.values(testDocuments)
  .filter(
    (value): value is DocumentNode =>
      typeof value === "object" && value !== null && (value as DocumentNode).kind === Kind.DOCUMENT,
  )
  .map((document) => print(document));

/** A generated query with one thing broken: a field renamed, an argument of the wrong type, a variable unused. */
function broken(query: string, i: number): string {
  switch (i % 4) {
    case 0:
      return query.replace(/\b(key|name|totalCount)\b/, "$1x");
    case 1:
      return query.replace(/first: \d+/, 'first: "many"');
    case 2:
      return query.replace(
        /^query Fuzz(\(([^)]*)\))?/,
        (_m, _all, vars: string | undefined) => `query Fuzz(${vars ? `${vars}, ` : ""}$spare: Int)`,
      );
    default:
      return query.replace(/\{/, "{ __typename @skip ");
  }
}

const corpus = [...BROKEN, ...fromTests, ...generated, ...generated.map(broken)];

// as src/server/limits.ts uses them: a rejection is reported as a validation error
const report = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) => context?.reportError(error),
  ],
};
const extraRules: ValidationRule[] = [
  NoSchemaIntrospectionCustomRule,
  maxDepthRule({ n: 4, flattenFragments: true, ignoreIntrospection: true, ...report }),
  maxAliasesRule({ n: 2, ...report }),
  maxDirectivesRule({ n: 1, ...report }),
];

const summary = (errors: readonly GraphQLError[]) =>
  errors.map((e) => ({ message: e.message, locations: e.locations, extensions: e.extensions }));

// Each document of the corpus is parsed once for the file, and graphql-js's errors with the
// specified rules are found once (the corpus test and the first comparison both need them):
// validation reads a document and never changes it.
const parsed = new Map<string, DocumentNode>();
const documentOf = (query: string) => {
  let document = parsed.get(query);
  if (!document) parsed.set(query, (document = parse(query)));
  return document;
};
const specifiedErrors = new Map<string, readonly GraphQLError[]>();
const graphqlJsErrors = (query: string) => {
  let errors = specifiedErrors.get(query);
  if (!errors) specifiedErrors.set(query, (errors = validate(schema, documentOf(query))));
  return errors;
};

describe("validateDocument", () => {
  it("has a corpus where most documents are valid and hundreds are not", () => {
    const invalid = corpus.filter((q) => graphqlJsErrors(q).length > 0);
    expect(fromTests.length).toBeGreaterThan(40);
    // (182 and 254 with the usual corpus, 300 and more each with TEST_DEPTH=deep)
    expect(invalid.length).toBeGreaterThan(150);
    expect(corpus.length - invalid.length).toBeGreaterThan(200);
    // every document of BROKEN but the six valid ones at its end breaks some rule
    expect(BROKEN.slice(0, -6).filter((q) => graphqlJsErrors(q).length === 0)).toEqual([]);
  });

  it.each([
    ["the specified rules", specifiedRules, {}],
    [
      "the specified rules with introspection, depth, alias and directive limits",
      [...specifiedRules, ...extraRules],
      {},
    ],
    ["suggestions hidden", specifiedRules, { hideSuggestions: true }],
    ["an error limit of 3", specifiedRules, { maxErrors: 3 }],
  ] as const)("reports exactly graphql-js's errors with %s", (_name, rules, options) => {
    let differences = 0;
    let refused = 0;
    for (const query of corpus) {
      const document = documentOf(query);
      const ours = summary(validateDocument(schema, document, rules, options));
      // (a document whose overlapping fields graphql-js would compare past the limit is refused
      // before the rules: overlap-work.test.ts; the corpus holds one, which graphql-js gives up on)
      if (overlapWork(schema, document, MAX_OVERLAP_WORK) > MAX_OVERLAP_WORK) {
        refused++;
        expect(ours.map((error) => error.extensions.code)).toEqual(["QUERY_TOO_COMPLEX"]);
        expect(summary(validate(schema, document, rules, options)).at(-1)?.message).toBe(
          "Validation aborted.",
        );
        continue;
      }
      const theirs = summary(
        rules === specifiedRules && Object.keys(options).length === 0
          ? graphqlJsErrors(query)
          : validate(schema, document, rules, options),
      );
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
        differences++;
        expect({ query, errors: ours }).toEqual({ query, errors: theirs });
      }
    }
    expect(differences).toBe(0);
    expect(refused).toBe(1);
  });
});

describe("the fragment nesting limit", () => {
  /** `query { ...F0 }` and fragments F0 -> F1 -> ... -> F(n-1), each spreading the next. */
  const chain = (n: number) =>
    parse(
      `query { ...F0 }\n${Array.from(
        { length: n },
        (_, i) => `fragment F${i} on Query { ${i + 1 < n ? `...F${i + 1}` : "__typename"} }`,
      ).join("\n")}`,
    );
  const depthRule = maxDepthRule({
    n: 8,
    flattenFragments: true,
    ignoreIntrospection: true,
    ...report,
  });

  it("refuses a chain of fragments deeper than the limit before any rule can overflow the stack", () => {
    // graphql-armor's depth rule follows spreads by recursion: 3,000 overflowed it (a 500)
    const errors = validateDocument(schema, chain(3000), [...specifiedRules, depthRule]);
    expect(errors.map((e) => [e.message, e.extensions.code])).toEqual([
      [
        `The document's fragments spread one another 3000 deep; at most ${MAX_FRAGMENT_NESTING} are allowed (the fragment nesting limit): send a flatter query.`,
        "QUERY_TOO_COMPLEX",
      ],
    ]);
    expect(
      validateDocument(schema, chain(MAX_FRAGMENT_NESTING), [...specifiedRules, depthRule]),
    ).toEqual([]);
  });

  it("measures the longest chain without recursion, through cycles and unknown fragments", () => {
    expect(fragmentNesting(chain(250))).toBe(250);
    expect(fragmentNesting(chain(MAX_FRAGMENT_NESTING))).toBe(0); // no more fragments than the limit
    // 200 fragments in a ring, and spreads of fragments that do not exist: NoFragmentCycles and
    // KnownFragmentNames report those; the walk ends
    const ring = parse(
      `query { ...R0 }\n${Array.from(
        { length: 200 },
        (_, i) => `fragment R${i} on Query { ...R${(i + 1) % 200} ...Missing }`,
      ).join("\n")}`,
    );
    expect(fragmentNesting(ring)).toBe(200);
  });
});

describe("validateDocument's plans for a list of rules", () => {
  it("follows a rule whose visitor handles other kinds from one document to the next", () => {
    // a visitor of Field on documents with one definition, of FragmentDefinition and Argument otherwise
    const shifting: ValidationRule = (context) =>
      context.getDocument().definitions.length > 1
        ? {
            FragmentDefinition: (node) =>
              context.reportError(new GraphQLError(`fragment ${node.name.value}`, { nodes: node })),
            Argument: {
              leave: (node) =>
                context.reportError(
                  new GraphQLError(`argument ${node.name.value}`, { nodes: node }),
                ),
            },
          }
        : {
            Field: (node) =>
              node.name.value === "key"
                ? context.reportError(new GraphQLError("a key", { nodes: node }))
                : undefined,
          };
    class Counting {
      constructor(private readonly context: ValidationContext) {
        if (context.getDocument().definitions.length > 2)
          Object.assign(this, {
            OperationDefinition: () => context.reportError(new GraphQLError("three or more")),
          });
      }
      SelectionSet(): void {
        if (this.context.getDocument().loc!.end > 80)
          this.context.reportError(new GraphQLError("long"));
      }
    }
    const counting: ValidationRule = (context) => new Counting(context) as unknown as ASTVisitor;
    const rules = [...specifiedRules, shifting, counting];
    const documents = [
      '{ state(key: "kazakhstan") { key name } }',
      'fragment F on State { key } { state(key: "kazakhstan") { ...F } }',
      '{ state(key: "kazakhstan") { key } }',
      'fragment F on State { key } fragment G on State { name } { state(key: "kazakhstan") { ...F ...G persons(first: 2) { nodes { key } } } }',
      "{ persons(first: 3) { nodes { key name } } }",
      'fragment F on State { key } { state(key: "kazakhstan") { ...F } }',
    ];
    let reported = 0;
    for (let round = 0; round < 3; round++) {
      for (const text of documents) {
        const document = parse(text);
        const theirs = summary(validate(schema, document, rules));
        reported += theirs.length;
        expect({ text, errors: summary(validateDocument(schema, document, rules)) }).toEqual({
          text,
          errors: theirs,
        });
      }
    }
    expect(reported).toBeGreaterThan(20);
  });
});

describe("the keys validation visits", () => {
  it("are graphql-js's, every node kind and every key but descriptions, in its order", () => {
    const theirs = Object.fromEntries(
      Object.entries(QueryDocumentKeys).map(([kind, keys]) => [
        kind,
        (keys as readonly string[]).filter((key) => key !== "description"),
      ]),
    );
    expect(VALIDATED_KEYS).toEqual(theirs);
    expect(Object.keys(VALIDATED_KEYS)).toEqual(Object.keys(theirs));
  });
});

describe("mergeVisitors", () => {
  const document = parse("{ a { b { c } } d }");
  const trace = (visitors: ASTVisitor[]) => {
    visit(document, mergeVisitors(visitors));
  };

  it("skips a subtree only for the visitor that returned false, and BREAK stops only that visitor", () => {
    const seen: string[] = [];
    trace([
      {
        Field: {
          enter: (node) => (
            seen.push(`1:${node.name.value}`), node.name.value === "a" ? false : undefined
          ),
        },
      },
      { Field: (node) => void seen.push(`2:${node.name.value}`) },
      {
        Field: (node) => (
          seen.push(`3:${node.name.value}`), node.name.value === "b" ? BREAK : undefined
        ),
      },
    ]);
    expect(seen).toEqual(["1:a", "2:a", "3:a", "2:b", "3:b", "2:c", "1:d", "2:d"]);
  });

  it("calls generic enter/leave visitors on every node and class methods found on the prototype", () => {
    const kinds: string[] = [];
    class FieldCounter {
      count = 0;
      Field(): void {
        this.count++;
      }
    }
    const counter = new FieldCounter();
    trace([{ enter: (node) => void kinds.push(node.kind) }, counter as unknown as ASTVisitor]);
    expect(counter.count).toBe(4);
    expect(kinds.filter((k) => k === Kind.NAME)).toHaveLength(4);
    expect(kinds[0]).toBe(Kind.DOCUMENT);
  });
});

describe("cutMessages", () => {
  it("cuts long messages in place, so that no error is made again and each stack is its cut message", () => {
    // (a copy found each error's locations again, scanning the document up to each: about 30 ms
    // more of the loop for a batch of ten documents of 100 errors with long names)
    const unused = Array.from({ length: 101 }, (_, i) => `$v${i}: Int`).join(", ");
    const document = parse(`query O${"a".repeat(20_000)}(${unused}) { __typename }`);
    const errors = validateDocument(schema, document, specifiedRules);
    const made = [...errors];
    const locations = errors.map((error) => error.locations);
    const cut = cutMessages(errors);
    expect(cut).toHaveLength(101);
    expect(cut.every((error, i) => error === made[i])).toBe(true);
    expect(cut.map((error) => error.locations)).toEqual(locations);
    expect(cut[0]!.message.length).toBeLessThanOrEqual(MAX_VALIDATION_MESSAGE);
    expect(cut[99]!.message.length).toBeLessThanOrEqual(MAX_VALIDATION_MESSAGE_PAST_BUDGET);
    // and made without a stack (validateDocument): formatted, it is the cut message alone
    for (const error of cut) expect(error.stack).toBe(`GraphQLError: ${error.message}`);
  });
});

describe("the limits' counts (limits.ts limitRules)", () => {
  const rules = [
    ...specifiedRules,
    ...limitRules({ maxDepth: 15, maxAliases: 30, maxDirectives: 30 }),
  ];
  const codes = (errors: readonly GraphQLError[]) => errors.map((error) => error.extensions.code);
  /** Fifteen chains of fields `levels` deep, alike but for the innermost argument, and an unknown field. */
  const conflicting = (levels: number) =>
    parse(
      `{ nope ${Array.from(
        { length: 15 },
        (_, k) =>
          `persons { nodes { ${"tenures { nodes { post { ".repeat(levels)}tenures(first: ${k + 1}) { totalCount } ${"} } } ".repeat(levels)}} }`,
      ).join(" ")} }`,
    );

  it("refuse a document alone: the other rules' errors, and their work, are spared", () => {
    // 22 levels deep: graphql-js reports the depth, the unknown field and 100 conflicts (70-90 ms
    // of the loop over HTTP, red team 38)
    const document = conflicting(6);
    const all = validate(schema, document, rules);
    expect(codes(all)).toContain("DEPTH_LIMIT_EXCEEDED");
    expect(all.filter((error) => error.message.includes("conflict")).length).toBeGreaterThan(50);
    const ours = validateDocument(schema, document, rules);
    expect(codes(ours)).toEqual(["DEPTH_LIMIT_EXCEEDED"]);
    expect(ours[0]!.message).toBe(
      all.find((e) => e.extensions.code === "DEPTH_LIMIT_EXCEEDED")!.message,
    );
  });

  it("locate each refusal at the operation it refuses: in a document of several, it is the only error (review 41 f5)", () => {
    const deep = `${"persons { nodes { tenures { nodes { post { ".repeat(3)}name${" } } } } }".repeat(3)}`;
    const document = parse(`query A { __typename }\nquery B { ${deep} }`);
    const errors = validateDocument(schema, document, rules);
    expect(codes(errors)).toEqual(["DEPTH_LIMIT_EXCEEDED"]);
    expect(errors[0]!.locations).toEqual([{ line: 2, column: 1 }]);
    // its message and extensions as the rule made them
    expect(errors[0]!.message).toMatch(/^The query is \d+ levels deep/);
    expect(errors[0]!.extensions).toMatchObject({ code: "DEPTH_LIMIT_EXCEEDED" });
  });

  it("call a count with what graphql-js's walk gives it: node, key, parent, path, ancestors (review 41 f6)", () => {
    // armor's three counts read the node only; one that read the rest must get it right
    const seen = (record: unknown[][]): ValidationRule =>
      coveredRule(
        () => ({
          OperationDefinition: (node, key, parent, path, ancestors) => {
            record.push([node, key, parent, [...path], [...ancestors]]);
          },
        }),
        { kind: "depth", limit: 1_000 },
      );
    const document = parse(
      "fragment F on Query { __typename } query A { ...F } query B { __typename }",
    );
    const ours: unknown[][] = [];
    const theirs: unknown[][] = [];
    validateDocument(schema, document, [seen(ours)], { fastAccept: false });
    validate(schema, document, [seen(theirs)]);
    expect(theirs.map((args) => args[1])).toEqual([1, 2]);
    expect(ours).toEqual(theirs);
    expect(ours[0]![2]).toBe(document.definitions);
    expect((ours[0]![4] as unknown[])[0]).toBe(document);
  });

  it("report every limit a document passes, and a document within them gets every rule's errors", () => {
    const aliased = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(" ")} nope ${"persons { nodes { tenures { nodes { post { ".repeat(3)}name${" } } } } }".repeat(3)} }`;
    expect(codes(validateDocument(schema, parse(aliased), rules))).toEqual([
      "DEPTH_LIMIT_EXCEEDED",
      "ALIAS_LIMIT_EXCEEDED",
    ]);
    // three levels of chains: within the depth limit, so the conflicts are reported as before
    const within = conflicting(2);
    const ours = validateDocument(schema, within, rules);
    expect(summary(ours)).toEqual(summary(validate(schema, within, rules)));
    expect(ours.length).toBeGreaterThan(50);
  });

  it("tell a document too large to count its overlapping fields so, with that bound (review 41)", () => {
    // within the depth limit; each fragment spreads the next twice under the same name
    const levels = 14;
    const text = `{ ...F0 } ${Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Query { __typename }`
        : `fragment F${i} on Query { x { ...F${i + 1} } x { ...F${i + 1} } }`,
    ).join(" ")}`;
    const errors = validateDocument(schema, parse(text), rules);
    expect(errors.map((e) => [e.extensions.code, e.extensions.limit])).toEqual([
      ["QUERY_TOO_COMPLEX", MAX_MERGE_VISITS],
    ]);
    expect(errors[0]!.message).toMatch(/^The query is too large to check for fields that conflict/);
  });

  it("refuse a document too deep to count its overlapping fields by its depth", () => {
    // each fragment spreads the next twice under the same name: the overlap count merges 2^20
    // fields, and gives up, with a refusal about repeated fields (review 31 f2)
    const levels = 20;
    const text = `{ persons { nodes { ...L0 } } } ${Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment L${i} on Person { name }`
        : `fragment L${i} on Person { tenures { nodes { person { ...L${i + 1} } } } tenures { nodes { person { ...L${i + 1} } } } }`,
    ).join(" ")}`;
    const document = parse(text);
    expect(overlapWork(schema, document, MAX_OVERLAP_WORK)).toBe(Number.POSITIVE_INFINITY);
    expect(codes(validateDocument(schema, document, rules))).toEqual(["DEPTH_LIMIT_EXCEEDED"]);
  });
});

describe("validateDocument's errors and stacks", () => {
  it("makes the document's errors without a stack, and leaves the stack trace limit as it found it", () => {
    const before = Error.stackTraceLimit;
    const errors = validateDocument(schema, parse("{ nope statez { key } }"), specifiedRules);
    expect(errors.length).toBe(2);
    for (const error of errors) expect(error.stack).toBe(`GraphQLError: ${error.message}`);
    expect(Error.stackTraceLimit).toBe(before);
  });

  it("says a rule that throws failed, with a stack of its own, the limit restored", () => {
    const before = Error.stackTraceLimit;
    const broken: ValidationRule = () => ({
      Field() {
        throw new TypeError("a bug in a rule");
      },
    });
    let thrown: unknown;
    try {
      validateDocument(schema, parse("{ __typename }"), [...specifiedRules, broken], {
        fastAccept: false,
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toBe("A validation rule failed: a bug in a rule");
    expect((thrown as Error).cause).toBeInstanceOf(TypeError);
    expect((thrown as Error).stack!.split("\n").length).toBeGreaterThan(2);
    expect(Error.stackTraceLimit).toBe(before);
  });
});
