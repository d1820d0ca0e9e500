/**
 * `npx tsx bench/introspection-price.ts [--ms N]`: what one object of an introspection answer
 * costs in CPU time, to check COST_WEIGHTS.INTROSPECTION (src/server/cost.ts) against. Each shape
 * is executed in process (graphql's `execute` on the schema, then `JSON.stringify` of the answer,
 * as the server writes it; no HTTP, no validation) for about N ms (500) after a warm-up, and the
 * script prints, per shape, the objects of its answer (each JSON object under `data`), its bytes,
 * the ms per run, the µs per object, and the µs per cost unit at the current weight (the price is
 * right when the dearest shape stays near 2 µs a unit: cost.ts, COST_UNIT_MS).
 *
 * The shapes: GraphiQL's introspection query (graphql's `getIntrospectionQuery()`, without and
 * with every option), the red team's wide selection (red team 3, finding 1: the deepest nesting
 * graphql-js's MaxIntrospectionDepthRule lets through, under one `__schema` and under 16
 * aliases), the same nesting under `__type(name: "Query")`, and thin selections (names only).
 */
import { type DocumentNode, execute, getIntrospectionQuery, parse } from "graphql";
import { schema } from "../src/schema/index.js";
import { COST_WEIGHTS, operationCost } from "../src/server/cost.js";

const budgetMs = Number(process.argv[process.argv.indexOf("--ms") + 1]) || 500;

const T = "name kind description specifiedByURL";
const wrap = (inner: string) =>
  `type { ${T} ofType { ${T} ofType { ${T} ofType { ${T} ${inner} } } } }`;
const F = `name description isDeprecated deprecationReason args(includeDeprecated: true) { name description defaultValue ${wrap("")} }`;
/** The red team's fragment (/work/redteam3/introspect-wide.mjs). */
const WIDE = `fragment S on __Schema { types { ${T} fields(includeDeprecated: true) { ${F} ${wrap(`fields(includeDeprecated: true) { ${F} }`)} } possibleTypes { ${T} fields(includeDeprecated: true) { ${F} } } enumValues(includeDeprecated: true) { name description } inputFields(includeDeprecated: true) { name ${wrap(`inputFields { name ${wrap("")} }`)} } } }`;
const aliases = (n: number, field: string) =>
  Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(" ");

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
};

/** The JSON objects of an answer's data, `data` itself left out (as the cost counts them). */
const objects = (value: unknown): number => {
  if (Array.isArray(value)) return value.reduce((n: number, item) => n + objects(item), 0);
  if (value === null || typeof value !== "object") return 0;
  return 1 + Object.values(value).reduce((n: number, item) => n + objects(item), 0);
};

const run = (document: DocumentNode) => {
  const result = execute({ schema, document }) as { data?: unknown; errors?: unknown[] };
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return { result, bytes: JSON.stringify(result).length };
};

console.log(`COST_WEIGHTS.INTROSPECTION = ${COST_WEIGHTS.INTROSPECTION}`);
console.log(
  ["shape", "objects", "KB", "ms/run", "µs/object", "cost", "µs/unit"].join("\t").padEnd(60),
);
for (const [name, query] of Object.entries(shapes)) {
  const document = parse(query);
  const { result, bytes } = run(document);
  const count = objects(result.data) - 1;
  for (let i = 0; i < 3; i++) run(document);
  let runs = 0;
  const started = performance.now();
  while (performance.now() - started < budgetMs || runs < 3) {
    run(document);
    runs++;
  }
  const ms = (performance.now() - started) / runs;
  const cost = operationCost(schema, document, undefined, {}, { listSize: 10 });
  const units = cost.ok ? cost.cost : Number.NaN;
  console.log(
    [
      name,
      count,
      Math.round(bytes / 1024),
      ms.toFixed(2),
      ((ms * 1000) / count).toFixed(2),
      units,
      ((ms * 1000) / units).toFixed(2),
    ].join("\t"),
  );
}
