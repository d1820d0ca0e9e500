/**
 * `npx tsx bench/introspection-price.ts [--ms N]`: what one object and one field of an
 * introspection answer cost in CPU time, to check COST_WEIGHTS.INTROSPECTION and
 * INTROSPECTION_FIELD (src/server/cost.ts) against. Each shape is executed in process (graphql's
 * `execute` on the schema, then `JSON.stringify` of the answer, as the server writes it; no HTTP,
 * no validation) for about N ms (500) after a warm-up, and the script prints, per shape, the
 * objects of its answer (each JSON object under `data`), its fields (each key of each of those
 * objects, and of `data`: leaves, their aliases, `__typename`, and fields of objects, null or
 * not), its bytes, the wall and CPU ms per run, the CPU µs per object and per field, its price at
 * the current weights and the CPU µs per cost unit (the price is right when the dearest shapes
 * stay near 2 µs a unit: cost.ts, COST_UNIT_MS). CPU time (the process's, from
 * `process.cpuUsage`) is what a busy machine disturbs least: the wall time there is mostly
 * waiting for a core, which an idle server does not.
 *
 * Then it fits ms = a × objects + b × fields over every shape (least squares on the relative
 * error, so that small shapes count as much as large ones) and prints a and b, and the weights
 * they give at 2 µs a unit; and it times the pricing itself (`operationCost` at the default
 * limits: the cost limit and introspection's, INTROSPECTION_LIMIT) for the hostile shapes, which it must
 * refuse fast, in CPU ms: warm (the same DocumentNode again) and cold (parsed anew each time, the
 * parse included).
 *
 * The shapes: GraphiQL's introspection query (graphql's `getIntrospectionQuery()`, without and
 * with every option), the red team's wide selection (red team 3, finding 1: the deepest nesting
 * graphql-js's MaxIntrospectionDepthRule lets through, under one `__schema` and under 16
 * aliases), the same nesting under `__type(name: "Query")`, thin selections (names only), and
 * field-heavy ones within the alias limit (30): 30 aliases of one leaf on every field, argument
 * or enum value, 30 aliases of `ofType` (mostly null) on every type reference, and 600 aliases of
 * `__typename` (which the alias limit does not count; the token limit, 2,000, allows about 650).
 *
 * It runs graphql-js in production mode, as `npm start` does (src/server/node-env.ts): outside
 * it, graphql-js's `instanceOf` compares class names on every "no" (`__Type.kind` asks up to eight
 * times), which the server does not pay. `NODE_ENV=development npx tsx ...` measures that mode.
 */
// first: production mode as `npm start` runs (src/server/node-env.ts), before graphql-js loads
import "../src/server/node-env.js";
import { type DocumentNode, execute, getIntrospectionQuery, parse } from "graphql";
import { schema } from "../src/schema/index.js";
import { DEFAULT_CONFIG } from "../src/server/config.js";
import { COST_WEIGHTS, INTROSPECTION_LIMIT, operationCost } from "../src/server/cost.js";

const budgetMs = Number(process.argv[process.argv.indexOf("--ms") + 1]) || 500;

const T = "name kind description specifiedByURL";
const wrap = (inner: string) =>
  `type { ${T} ofType { ${T} ofType { ${T} ofType { ${T} ${inner} } } } }`;
const F = `name description isDeprecated deprecationReason args(includeDeprecated: true) { name description defaultValue ${wrap("")} }`;
/** The red team's fragment (/work/redteam3/introspect-wide.mjs). */
const WIDE = `fragment S on __Schema { types { ${T} fields(includeDeprecated: true) { ${F} ${wrap(`fields(includeDeprecated: true) { ${F} }`)} } possibleTypes { ${T} fields(includeDeprecated: true) { ${F} } } enumValues(includeDeprecated: true) { name description } inputFields(includeDeprecated: true) { name ${wrap(`inputFields { name ${wrap("")} }`)} } } }`;
const aliases = (n: number, field: string) =>
  Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(" ");
const ALL = "(includeDeprecated: true)";

const shapes: Record<string, string> = {
  "GraphiQL: getIntrospectionQuery()": getIntrospectionQuery(),
  "GraphiQL: getIntrospectionQuery(every option)": getIntrospectionQuery({
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
  }),
  "wide: one __schema": `{ __schema { ...S } } ${WIDE}`,
  "wide: 5 aliases of __schema": `{ ${aliases(5, "__schema { ...S }")} } ${WIDE}`,
  "wide: 16 aliases of __schema": `{ ${aliases(16, "__schema { ...S }")} } ${WIDE}`,
  'wide: __type(name: "Query")': `{ __type(name: "Query") { ${T} fields(includeDeprecated: true) { ${F} ${wrap(`fields(includeDeprecated: true) { ${F} } possibleTypes { name }`)} } } }`,
  "thin: types { name }": "{ __schema { types { name } } }",
  "thin: types { fields { name } }": "{ __schema { types { fields { name } } } }",
  "thin: types { fields { type { ofType { ofType { name } } } } }":
    "{ __schema { types { fields { type { ofType { ofType { name } } } } } } }",
  "names: 30 aliases of types { fields { args { name } } }": `{ __schema { ${aliases(30, "types { fields { args { name } } }")} } }`,
  "fields: 29 aliases of description on every field (the review's)": `{ __schema { types { fields { name ${aliases(29, "description")} } } } }`,
  "fields: 30 aliases of description on every field, deprecated too": `{ __schema { types { fields${ALL} { ${aliases(30, "description")} } } } }`,
  "fields: 30 aliases of name on every field, deprecated too": `{ __schema { types { fields${ALL} { ${aliases(30, "name")} } } } }`,
  "fields: 30 aliases of description on every argument": `{ __schema { types { fields${ALL} { args${ALL} { ${aliases(30, "description")} } } } } }`,
  "fields: 30 aliases of description on every enum value": `{ __schema { types { enumValues${ALL} { ${aliases(30, "description")} } } } }`,
  "fields: 30 aliases of description on every input field": `{ __schema { types { inputFields${ALL} { ${aliases(30, "description")} } } } }`,
  "fields: 30 aliases of ofType { name } on every field's type": `{ __schema { types { fields${ALL} { type { ${aliases(30, "ofType { name }")} } } } } }`,
  "fields: 600 aliases of __typename on every field": `{ __schema { types { fields${ALL} { ${Array.from({ length: 600 }, (_, i) => `t${i}: __typename`).join(" ")} } } } }`,
};

/** The JSON objects of an answer's data and their keys (`data` itself not an object, its keys counted). */
const measure = (value: unknown): { objects: number; fields: number } => {
  const total = { objects: 0, fields: 0 };
  const walk = (v: unknown) => {
    if (Array.isArray(v)) for (const item of v) walk(item);
    else if (v !== null && typeof v === "object") {
      total.objects++;
      total.fields += Object.keys(v).length;
      for (const item of Object.values(v)) walk(item);
    }
  };
  walk(value);
  return { objects: total.objects - 1, fields: total.fields };
};

const run = (document: DocumentNode) => {
  const result = execute({ schema, document }) as { data?: unknown; errors?: unknown[] };
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return { result, bytes: JSON.stringify(result).length };
};

const { maxCost } = DEFAULT_CONFIG.limits;
const limits = {
  listSize: 10,
  maxCost,
  maxIntrospection: INTROSPECTION_LIMIT,
};
const { INTROSPECTION } = COST_WEIGHTS;
const FIELD = (COST_WEIGHTS as { INTROSPECTION_FIELD?: number }).INTROSPECTION_FIELD ?? 0;
console.log(
  `NODE_ENV=${process.env.NODE_ENV}; COST_WEIGHTS.INTROSPECTION = ${INTROSPECTION}, INTROSPECTION_FIELD = ${FIELD}`,
);
console.log(
  [
    "shape",
    "objects",
    "fields",
    "KB",
    "wall ms",
    "CPU ms",
    "µs/object",
    "µs/field",
    "cost",
    "µs/unit",
  ].join("\t"),
);
const rows: { name: string; objects: number; fields: number; ms: number }[] = [];
for (const [name, query] of Object.entries(shapes)) {
  const document = parse(query);
  const { result, bytes } = run(document);
  const { objects, fields } = measure(result.data);
  for (let i = 0; i < 3; i++) run(document);
  let runs = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - started < budgetMs || runs < 3) {
    run(document);
    runs++;
  }
  const used = process.cpuUsage(cpu);
  const wall = (performance.now() - started) / runs;
  const ms = (used.user + used.system) / 1000 / runs;
  rows.push({ name, objects, fields, ms });
  const cost = operationCost(schema, document, undefined, {}, { listSize: 10 });
  const units = cost.ok ? cost.cost : Number.NaN;
  console.log(
    [
      name,
      objects,
      fields,
      Math.round(bytes / 1024),
      wall.toFixed(2),
      ms.toFixed(2),
      ((ms * 1000) / objects).toFixed(2),
      ((ms * 1000) / fields).toFixed(2),
      units,
      ((ms * 1000) / units).toFixed(2),
    ].join("\t"),
  );
}

// CPU ms = a × objects + b × fields, least squares on the relative error: minimise Σ (a x + b y - t)² / t²
let sxx = 0;
let sxy = 0;
let syy = 0;
let sxt = 0;
let syt = 0;
for (const { objects: x, fields: y, ms: t } of rows) {
  const w = 1 / (t * t);
  sxx += w * x * x;
  sxy += w * x * y;
  syy += w * y * y;
  sxt += w * x * t;
  syt += w * y * t;
}
const det = sxx * syy - sxy * sxy;
const a = ((sxt * syy - syt * sxy) / det) * 1000;
const b = ((syt * sxx - sxt * sxy) / det) * 1000;
console.log(
  `fit: ${a.toFixed(2)} µs an object + ${b.toFixed(3)} µs a field; at 2 µs a unit: ${(a / 2).toFixed(2)} and ${(b / 2).toFixed(3)} units`,
);
for (const { name, objects, fields, ms } of rows)
  console.log(
    `  ${name}: CPU ${ms.toFixed(2)} ms, fit ${((a * objects + b * fields) / 1000).toFixed(2)} ms`,
  );

// the pricing itself at the default limits, for the shapes that are refused or nearly so
console.log("pricing at the default limits (operationCost, CPU ms per call):");
console.log(["shape", "cost", "complete", "warm", "cold (with parse)"].join("\t"));
for (const [name, query] of Object.entries(shapes)) {
  if (!name.startsWith("fields:") && !name.startsWith("wide: 16") && !name.startsWith("names:"))
    continue;
  const document = parse(query);
  const price = () => operationCost(schema, document, undefined, {}, limits);
  const first = price();
  const time = (f: () => unknown) => {
    for (let i = 0; i < 3; i++) f();
    let runs = 0;
    const started = performance.now();
    const cpu = process.cpuUsage();
    while (performance.now() - started < budgetMs / 5 || runs < 3) {
      f();
      runs++;
    }
    const used = process.cpuUsage(cpu);
    return ((used.user + used.system) / 1000 / runs).toFixed(3);
  };
  const warm = time(price);
  const cold = time(() => operationCost(schema, parse(query), undefined, {}, limits));
  console.log(
    [name, first.ok ? first.cost : "-", first.ok ? first.complete : "-", warm, cold].join("\t"),
  );
}
