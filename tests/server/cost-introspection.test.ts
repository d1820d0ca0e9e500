/**
 * The price of introspection (src/server/cost.ts, `introspectionCounter`): `__schema` and
 * `__type` cost COST_WEIGHTS.INTROSPECTION per object their selection returns and
 * INTROSPECTION_FIELD per field of those objects (each response key: leaves, their aliases,
 * `__typename`, fields of objects), counted over the schema, which is static. Held to the answers
 * themselves: each document below is executed with graphql's `execute` and the objects and keys
 * of its answer are counted. Red team 3's finding 1: priced
 * flat (every `__schema` as one plain introspection, 7,408), 16 aliases of the widest selection
 * graphql-js's MaxIntrospectionDepthRule lets through were admitted at 118,528 and held the event
 * loop about a second (introspection runs in graphql-js's own resolvers, which the deadline does
 * not reach); a batch of 10 of them, 9 s.
 */
import {
  __Directive,
  __EnumValue,
  __Field,
  __InputValue,
  __Schema,
  __Type,
  type DocumentNode,
  execute,
  getIntrospectionQuery,
  parse,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schema } from "../../src/schema/index.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import {
  COST_WEIGHTS,
  type CostOptions,
  INTROSPECTION_LIMIT,
  operationCost,
} from "../../src/server/cost.js";
import { admissionOf } from "../support/admission.js";
import { JSON_HEADERS, post, send } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

const { INTROSPECTION, INTROSPECTION_FIELD } = COST_WEIGHTS;
/** The price of an answer of `objects` objects and `fields` fields (a cost is given in whole units, rounded up). */
const price = ({ objects, fields }: Answer) =>
  Math.ceil(objects * INTROSPECTION + fields * INTROSPECTION_FIELD);
const { maxCost } = DEFAULT_CONFIG.limits;
const unlimited: CostOptions = { listSize: 10 };
const limited: CostOptions = { listSize: 10, maxCost };

/** The red team's selection (/work/redteam3/introspect-wide.mjs): the deepest the depth rule allows. */
const T = "name kind description specifiedByURL";
const wrap = (inner: string) =>
  `type { ${T} ofType { ${T} ofType { ${T} ofType { ${T} ${inner} } } } }`;
const F = `name description isDeprecated deprecationReason args(includeDeprecated: true) { name description defaultValue ${wrap("")} }`;
const WIDE_FRAGMENT = `fragment S on __Schema { types { ${T} fields(includeDeprecated: true) { ${F} ${wrap(`fields(includeDeprecated: true) { ${F} }`)} } possibleTypes { ${T} fields(includeDeprecated: true) { ${F} } } enumValues(includeDeprecated: true) { name description } inputFields(includeDeprecated: true) { name ${wrap(`inputFields { name ${wrap("")} }`)} } } }`;
const wide = (aliases: number) =>
  `{ ${Array.from({ length: aliases }, (_, i) => `a${i}: __schema { ...S }`).join(" ")} } ${WIDE_FRAGMENT}`;
/** The red team's `__type` attack (introspect-type.mjs), one alias of it. */
const WIDE_TYPE = `query($name: String!) { __type(name: $name) { ${T} fields(includeDeprecated: true) { ${F} ${wrap(`fields(includeDeprecated: true) { ${F} } possibleTypes { name }`)} } } }`;

const GRAPHIQL = getIntrospectionQuery();
const GRAPHIQL_EVERY_OPTION = getIntrospectionQuery({
  descriptions: true,
  inputValueDeprecation: true,
  schemaDescription: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
});
/** GraphiQL's (and codegen's) introspection query, without descriptions, with each option alone, and with every one. */
const GRAPHIQL_QUERIES = [
  GRAPHIQL,
  getIntrospectionQuery({ descriptions: false }),
  ...(
    [
      "inputValueDeprecation",
      "schemaDescription",
      "specifiedByUrl",
      "directiveIsRepeatable",
    ] as const
  ).map((option) => getIntrospectionQuery({ [option]: true })),
  GRAPHIQL_EVERY_OPTION,
];
/** Red team 8's full introspection (intro2.mjs): 10,320 units; three aliases of it, 30,960. */
const FULL =
  "__schema { types { name kind description fields(includeDeprecated: true) { name description args(includeDeprecated: true) { name description type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } defaultValue } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } isDeprecated deprecationReason } inputFields { name type { kind name ofType { kind name } } } enumValues(includeDeprecated: true) { name description } possibleTypes { name } interfaces { name } } }";

/**
 * What an answer holds: its JSON objects under `data` (`data` itself not counted, as no field
 * returns it) and their fields, `data`'s included (every key: a leaf, an alias, `__typename`, a
 * list or an object, null or not).
 */
interface Answer {
  objects: number;
  fields: number;
}

function measure(data: unknown): Answer {
  const answer = { objects: -1, fields: 0 };
  const walk = (value: unknown) => {
    if (Array.isArray(value)) for (const item of value) walk(item);
    else if (value !== null && typeof value === "object") {
      answer.objects++;
      answer.fields += Object.keys(value).length;
      for (const item of Object.values(value)) walk(item);
    }
  };
  walk(data);
  return answer;
}

/** The objects and fields of the answer graphql-js gives `document`. */
function answered(document: DocumentNode, variables: Record<string, unknown> = {}): Answer {
  const result = execute({ schema, document, variableValues: variables }) as {
    data?: unknown;
    errors?: unknown;
  };
  expect(result.errors).toBeUndefined();
  return measure(result.data);
}

/** `n` aliases of `field`: `a0: field a1: field ...`. */
const aliases = (n: number, field: string) =>
  Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(" ");
/** `n` aliases of `__typename`, which the alias limit does not count (graphql-armor's allowList). */
const typenames = (n: number) => Array.from({ length: n }, (_, i) => `t${i}: __typename`).join(" ");
/** The review's: 29 aliases of `description` on every field, priced 2,500 as objects only (20.7 ms). */
const DESCRIPTIONS = `{ __schema { types { fields { name ${aliases(29, "description")} } } } }`;
/** 600 aliases of `__typename` on every field: priced 2,503 as objects only, 200-650 ms. */
const TYPENAMES = `{ __schema { types { fields(includeDeprecated: true) { ${typenames(600)} } } } }`;

function priced(
  document: DocumentNode,
  variables: Record<string, unknown> = {},
  options: CostOptions = unlimited,
) {
  const result = operationCost(schema, document, undefined, variables, options);
  if (!result.ok) throw new Error("no cost");
  return result;
}

/** The largest type's name: the one with the most fields (and arguments). */
const largest = Object.values(schema.getTypeMap())
  .filter((t) => "getFields" in t && !t.name.startsWith("__"))
  .map((t) => ({ name: t.name, fields: Object.keys((t as { getFields(): object }).getFields()) }))
  .sort((a, b) => b.fields.length - a.fields.length)[0]!.name;

describe("the price of an introspection is what its selection returns", () => {
  it.each([
    ["GraphiQL's introspection query", GRAPHIQL, {}],
    ["GraphiQL's, with every option", GRAPHIQL_EVERY_OPTION, {}],
    ["the red team's widest selection under one `__schema`", wide(1), {}],
    ["the same, 3 aliases", wide(3), {}],
    ["the red team's `__type` attack on Query", WIDE_TYPE, { name: "Query" }],
    [`the same on the largest type (${largest})`, WIDE_TYPE, { name: largest }],
    ["`__type` of a type that does not exist", WIDE_TYPE, { name: "Nope" }],
    [
      "fragments (spread twice in one selection set, inline, nested) and aliases",
      `{ a: __schema { ...Types ...Types types { ... on __Type { interfaces { name } } } }
         b: __schema { queryType { ...Fields } t: types { ...Fields } directives { args { type { name } } } }
         c: __type(name: "Office") { ...Fields f2: fields(includeDeprecated: true) { name } } }
       fragment Types on __Schema { types { name possibleTypes { name } } }
       fragment Fields on __Type { fields { args { name type { ofType { name } } } } }`,
      {},
    ],
    ["the review's 29 aliases of `description` on every field", DESCRIPTIONS, {}],
    [
      "30 aliases of a leaf on every argument, enum value and input field",
      `{ __schema { types { fields(includeDeprecated: true) { args(includeDeprecated: true) { ${aliases(10, "description")} } }
           enumValues(includeDeprecated: true) { ${aliases(10, "name")} } inputFields { ${aliases(10, "defaultValue")} } } } }`,
      {},
    ],
    [
      "30 aliases of a field of objects, mostly null (`ofType` of a named type)",
      `{ __schema { types { fields(includeDeprecated: true) { type { ${aliases(30, "ofType { name }")} } } } } }`,
      {},
    ],
    ["600 aliases of `__typename` on every field", TYPENAMES, {}],
    [
      "`__typename` and aliased leaves under `__type`, in fragments, and on a type that does not exist",
      `{ a: __type(name: "Office") { __typename ...T f: fields { ...F __typename } }
         b: __type(name: "Nope") { ...T } __typename }
       fragment T on __Type { k: kind n: name ${typenames(5)} }
       fragment F on __Field { n: name d: description t: type { __typename kind } }`,
      {},
    ],
    [
      "fields with one response key merged, deprecated fields and arguments left out or asked",
      `{ __schema { types { fields { name } } types { fields { type { name } } }
           deprecated: types { fields(includeDeprecated: true) { args(includeDeprecated: true) { name } } } } }`,
      {},
    ],
  ])(
    "%s: the objects of its answer × INTROSPECTION + its fields × INTROSPECTION_FIELD",
    (_name, query, variables) => {
      const document = parse(query);
      const answer = answered(document, variables);
      const result = priced(document, variables);
      expect(result).toMatchObject({ cost: price(answer), complete: true });
      // under the limit, the limit changes nothing
      if (result.cost <= maxCost) expect(priced(document, variables, limited)).toEqual(result);
    },
  );

  it("is not flat: two selections under `__schema` cost what each returns", () => {
    // flat pricing gave both the whole schema's introspection (7,408); the fields: `__schema`,
    // `queryType` and `name`
    expect(priced(parse("{ __schema { queryType { name } } }")).cost).toBe(
      price({ objects: 2, fields: 3 }),
    );
    const types = Object.keys(schema.getTypeMap()).length;
    expect(priced(parse("{ __schema { types { name } } }")).cost).toBe(
      price({ objects: 1 + types, fields: 2 + types }),
    );
    expect(priced(parse('{ __type(name: "Query") { name } }')).cost).toBe(
      price({ objects: 1, fields: 2 }),
    );
    // a type that does not exist: `__type: null`, its one field
    expect(priced(parse('{ __type(name: "Nope") { name } }')).cost).toBe(
      price({ objects: 0, fields: 1 }),
    );
    expect(priced(parse("{ __typename }")).cost).toBe(0);
  });

  it("counts `includeDeprecated` as given: the deprecated fields and arguments are objects too", () => {
    const on = (flag: string) =>
      parse(`{ __schema { types { fields${flag} { args${flag} { name } } } } }`);
    const without = priced(on("")).cost;
    const withDeprecated = priced(on("(includeDeprecated: true)")).cost;
    // Office.nameOn (with its arguments) and search's `kinds` are deprecated
    expect(withDeprecated).toBe(price(answered(on("(includeDeprecated: true)"))));
    expect(withDeprecated).toBeGreaterThan(without + 2 * (INTROSPECTION + INTROSPECTION_FIELD) - 1);
    const variable = parse(
      "query($d: Boolean) { __schema { types { fields(includeDeprecated: $d) { args(includeDeprecated: $d) { name } } } } }",
    );
    expect(priced(variable, { d: true }).cost).toBe(withDeprecated);
    expect(priced(variable, { d: false }).cost).toBe(without);
  });
});

describe("the fields of an introspection are priced, not only its objects (a review: aliased leaves were free)", () => {
  it("prices the review's 29 aliases of `description` by the 16,894 fields they return, not the 769 objects", () => {
    const answer = answered(parse(DESCRIPTIONS));
    expect(answer.fields).toBeGreaterThan(20 * answer.objects);
    const { cost } = priced(parse(DESCRIPTIONS));
    expect(cost).toBe(price(answer));
    // objects alone (as before) would be under a third of it
    expect(Math.ceil(answer.objects * INTROSPECTION)).toBeLessThan(cost / 3);
  });

  it("refuses 600 aliases of `__typename` on every field (priced 2,503 as objects, 200-650 ms), counting only to introspection's limit", () => {
    const admission = admissionOf(DEFAULT_CONFIG.limits);
    const refused = admission({ schema, document: parse(TYPENAMES), contextValue: {} });
    expect(refused.refused?.extensions).toMatchObject({
      code: "INTROSPECTION_LIMIT_EXCEEDED",
      limit: INTROSPECTION_LIMIT,
      introspection: true,
    });
    const stopped = priced(
      parse(TYPENAMES),
      {},
      { ...limited, maxIntrospection: INTROSPECTION_LIMIT },
    );
    expect(stopped.complete).toBe(false);
    expect(stopped.introspection).toBeGreaterThan(INTROSPECTION_LIMIT);
    // stopped within one list of fields (each with its 600 keys), counted at once, of the limit
    const mostFields = Math.max(
      ...Object.values(schema.getTypeMap()).map((t) =>
        "getFields" in t ? Object.keys(t.getFields()).length : 0,
      ),
    );
    expect(stopped.introspection).toBeLessThanOrEqual(
      INTROSPECTION_LIMIT + mostFields * (INTROSPECTION + 601 * INTROSPECTION_FIELD) + 1,
    );
    expect(priced(parse(TYPENAMES)).cost).toBeGreaterThan(maxCost);
  });

  it("counts a fragment's fields once per object it applies to, however often it is spread", () => {
    const once = parse(
      `{ __schema { types { ...N } } } fragment N on __Type { ${aliases(20, "name")} }`,
    );
    const spread = parse(
      `{ __schema { types { ...N ...N ... on __Type { ...N } } } } fragment N on __Type { ${aliases(20, "name")} }`,
    );
    expect(priced(spread).cost).toBe(priced(once).cost);
    expect(priced(spread).cost).toBe(price(answered(spread)));
  });
});

describe("the red team's widest introspection (red team 3, finding 1)", () => {
  it("prices 16 aliases at the objects they return, over the limit, and stops counting there", () => {
    const document = parse(wide(16));
    const whole = priced(document);
    // 16 × (8,517 objects, 40,825 fields): the answer of one alias, 1.5 MB
    const one = answered(parse(wide(1)));
    expect(whole.cost).toBe(price({ objects: 16 * one.objects, fields: 16 * one.fields }));
    expect(whole.cost).toBeGreaterThan(maxCost);
    const stopped = priced(document, {}, limited);
    expect(stopped).toMatchObject({ complete: false, costliest: { path: "__schema" } });
    expect(stopped.cost).toBeGreaterThan(maxCost);
    expect(stopped.cost).toBeLessThan(whole.cost);
  });

  it("is refused before execution, INTROSPECTION_LIMIT_EXCEEDED, counted only that far; GraphiQL's query is admitted", () => {
    const admission = admissionOf(DEFAULT_CONFIG.limits);
    const refused = admission({ schema, document: parse(wide(16)), contextValue: {} });
    expect(refused.refused?.extensions).toMatchObject({
      code: "INTROSPECTION_LIMIT_EXCEEDED",
      limit: INTROSPECTION_LIMIT,
      introspection: true,
    });
    expect(refused.refused?.message).toMatch(/would cost at least \d+ units/);
    // the count stops past the limit (a review: counted to the whole limit, 30 hostile aliases
    // took 20 ms warm and 150 ms cold to refuse, where 4 ms reach the share)
    const stopped = priced(
      parse(wide(16)),
      {},
      { ...limited, maxIntrospection: INTROSPECTION_LIMIT },
    );
    expect(stopped.complete).toBe(false);
    expect(stopped.introspection).toBeGreaterThan(INTROSPECTION_LIMIT);
    expect(stopped.introspection).toBeLessThan(
      INTROSPECTION_LIMIT + price(answered(parse(wide(1)))),
    );
    expect(refused.refused?.extensions?.cost).toBe(stopped.introspection);
    for (const query of [GRAPHIQL, GRAPHIQL_EVERY_OPTION]) {
      const admitted = admission({ schema, document: parse(query), contextValue: {} });
      expect(admitted.refused).toBeUndefined();
    }
  });

  it("may take 15,000 units whatever the cost limit, as it runs in one go: one alias of the widest, two or three of a full introspection are refused (red team 8: a quarter of the limit let them through, 54-255 ms of CPU in one turn)", () => {
    for (const limits of [
      DEFAULT_CONFIG.limits,
      { ...DEFAULT_CONFIG.limits, maxCost: 40_000 },
      // a higher cost limit gives execution more slices, not introspection a longer turn
      { ...DEFAULT_CONFIG.limits, maxCost: 1_000_000 },
    ]) {
      const admission = admissionOf(limits);
      const threeFull = parse(`{ ${aliases(3, FULL)} }`);
      for (const document of [parse(wide(1)), parse(`{ ${aliases(2, FULL)} }`), threeFull]) {
        const refused = admission({ schema, document, contextValue: {} });
        const counted = refused.refused?.extensions?.cost as number;
        expect(refused.refused?.extensions).toMatchObject({
          code: "INTROSPECTION_LIMIT_EXCEEDED",
          limit: INTROSPECTION_LIMIT,
          introspection: true,
        });
        const whole = priced(document);
        // under a quarter of the default cost limit (admitted before), over introspection's own;
        // three full aliases cost 31,352 once the schema gave each certainty its basis (the
        // certaintyBasis fields), past the quarter: one of the widest and two full ones stay under
        if (document !== threeFull)
          expect(whole.introspection).toBeLessThanOrEqual(Math.floor(maxCost / 4));
        expect(whole.introspection).toBeGreaterThan(INTROSPECTION_LIMIT);
        expect(counted).toBeGreaterThan(INTROSPECTION_LIMIT);
        expect(counted).toBeLessThanOrEqual(whole.introspection);
        expect(refused.refused?.message).toMatch(
          new RegExp(
            `^The query's introspection \\(\`__schema\`, \`__type\`; in subgraph mode \`_service\` too\\) would cost (at least )?${counted} units of work; introspection may take at most ${INTROSPECTION_LIMIT}, as it runs in one go`,
          ),
        );
        expect(refused.refused?.message).toMatch(/ask for the schema once/);
      }
      // one full introspection, and GraphiQL's with any of its options, pass under each of them
      for (const query of [`{ ${FULL} }`, ...GRAPHIQL_QUERIES]) {
        const admitted = admission({ schema, document: parse(query), contextValue: {} });
        expect(admitted.refused, query.slice(0, 80)).toBeUndefined();
      }
    }
    // the graph's own work is not introspection: a query of it has none
    expect(priced(parse("{ states(first: 5) { key } }")).introspection).toBe(0);
  });

  describe("through the server", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer();
    });
    afterAll(() => server.close());

    it("refuses 600 aliases of `__typename` on every field: the alias limit counts them now (their price alone is over introspection's limit, above)", async () => {
      const response = await post(server, TYPENAMES);
      expect(response.status).toBe(400);
      expect(response.json.data).toBeUndefined();
      expect(response.json.errors[0].extensions).toMatchObject({
        code: "ALIAS_LIMIT_EXCEEDED",
        found: 600,
      });
    });

    it("refuses the 16 aliases, and each operation of a batch of 10 of them, with INTROSPECTION_LIMIT_EXCEEDED", async () => {
      const one = await post(server, wide(16));
      expect(one.status).toBe(400);
      expect(one.json.data).toBeUndefined();
      expect(one.json.errors[0].extensions).toMatchObject({
        code: "INTROSPECTION_LIMIT_EXCEEDED",
        introspection: true,
      });
      const batch = await send(server, {
        headers: JSON_HEADERS,
        body: JSON.stringify(Array.from({ length: 10 }, () => ({ query: wide(16) }))),
      });
      expect(batch.json).toHaveLength(10);
      for (const answer of batch.json)
        expect(answer.errors[0].extensions).toMatchObject({
          code: "INTROSPECTION_LIMIT_EXCEEDED",
          introspection: true,
        });
    });

    it("answers GraphiQL's introspection query, with each of its options and with every one", async () => {
      for (const query of GRAPHIQL_QUERIES) {
        const response = await post(server, query);
        expect(response.status).toBe(200);
        expect(response.json.errors).toBeUndefined();
        expect(response.json.data.__schema.types.length).toBeGreaterThan(100);
      }
    });
  });
});

describe("counting an introspection (red team 8: 30 aliases of an `ofType` chain took 23-48 ms of CPU to refuse)", () => {
  const CHAIN =
    "__schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } }";

  /** How many of graphql-js's introspection resolvers pricing `document` calls: the counting's steps. */
  const stepsOf = (document: DocumentNode, options: CostOptions) => {
    let steps = 0;
    const restore: (() => void)[] = [];
    for (const type of [__Schema, __Type, __Field, __InputValue, __EnumValue, __Directive])
      for (const field of Object.values(type.getFields())) {
        const resolve = field.resolve;
        if (!resolve) continue;
        field.resolve = (...args) => (steps++, resolve(...args));
        restore.push(() => (field.resolve = resolve));
      }
    try {
      const result = priced(document, {}, options);
      return { result, steps };
    } finally {
      for (const undo of restore) undo();
    }
  };

  it("counts what aliases select alike once per object: 30 aliases take the steps of one, and the same price as 30 counted apart", () => {
    const one = stepsOf(parse(`{ ${CHAIN} }`), unlimited);
    const thirty = stepsOf(parse(`{ ${aliases(30, CHAIN)} }`), unlimited);
    expect(one.steps).toBeGreaterThan(500);
    // each further alias is a look-up of what the first counted
    expect(thirty.steps).toBeLessThanOrEqual(one.steps + 30);
    // the same price but for rounding: a cost is given in whole units, rounded up once
    expect(Math.abs(thirty.result.introspection - 30 * one.result.introspection)).toBeLessThan(30);
    expect(thirty.result.introspection).toBe(price(answered(parse(`{ ${aliases(30, CHAIN)} }`))));
  });

  it("stops at the limit: refused in the steps of one alias, where counting each alias apart took ten times as many", () => {
    const limitedIntrospection = { ...limited, maxIntrospection: INTROSPECTION_LIMIT };
    const one = stepsOf(parse(`{ ${CHAIN} }`), limitedIntrospection);
    const thirty = stepsOf(parse(`{ ${aliases(30, CHAIN)} }`), limitedIntrospection);
    expect(thirty.result.complete).toBe(false);
    expect(thirty.result.introspection).toBeGreaterThan(INTROSPECTION_LIMIT);
    expect(thirty.steps).toBeLessThanOrEqual(one.steps + 30);
  });
});

describe("an introspection after the cost walk has run out of visits (MAX_VISITS)", () => {
  it("is refused, not admitted unpriced: 30 cheap fragment trees spend the visits, 7 aliases of the widest `__schema` follow", () => {
    // a PartialDate's leaves and its two bounding events, whose `when` is a PartialDate again:
    // six levels of fragments, each spread twice, about 3,000 visits for 1,140 units a root field
    const point = "day earliest edtf latest month precision year";
    const date = "earliest edtf endStatus isInterval latest precision startStatus wording";
    const event = "description id key kind label name place { id key kind label name }";
    const levels = Array.from({ length: 6 }, (_, i) => {
      const next = i < 5 ? `when { ...P${i + 2} }` : `when { ${date} }`;
      return `fragment P${i + 1} on PartialDate { ${date} start { ${point} } end { ${point} } startsNotBefore { ${event} ${next} } endsNotBefore { ${event} ${next} } }`;
    });
    const burners = [
      ...Array.from({ length: 24 }, (_, i) => `b${i}: event(key: "x") { when { ...P1 } }`),
      'event(key: "x") { when { ...P1 } } source(key: "x") { created { ...P1 } updated { ...P1 } }',
      'tenure(key: "x") { when { ...P1 } } priority(key: "x") { period { ...P1 } }',
    ].join(" ");
    const document = parse(
      `{ ${burners} __schema { ...S } ${aliases(6, "__schema { ...S }")} } ${levels.join(" ")} ${WIDE_FRAGMENT}`,
    );
    const limits = DEFAULT_CONFIG.limits;
    const result = priced(document, {}, { ...limited, maxIntrospection: INTROSPECTION_LIMIT });
    // the walk stopped short of the limits: the seven `__schema` (each 28,930) went uncounted
    expect(result).toMatchObject({ complete: false, introspection: 0 });
    expect(result.cost).toBeLessThan(limits.maxCost);
    const admission = admissionOf(limits);
    const { refused } = admission({ schema, document, contextValue: {} });
    expect(refused?.extensions).toMatchObject({ code: "COST_LIMIT_EXCEEDED", complete: false });
  });
});
