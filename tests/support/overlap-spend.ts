/**
 * graphql-js's OverlappingFieldsCanBeMergedRule as it is, made to say what it spent: its source,
 * read from the installed graphql, with its budget (500,000, past which it gives up) raised out of
 * reach and its rule context kept, so that a test can read how much of the budget a document took
 * (tests/server/overlap-work.test.ts holds src/server/overlap-work.ts's figure above it).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type DocumentNode, type GraphQLSchema, validate } from "graphql";

const require = createRequire(import.meta.url);
const file = require.resolve("graphql/validation/rules/OverlappingFieldsCanBeMergedRule.js");
const budget = "const MAX_COMPLEXITY_BUDGET = 500000;";
const context = "  const ruleContext = {";
const source = readFileSync(file, "utf8");
if (!source.includes(budget) || !source.includes(context))
  throw new Error(
    `${file} no longer reads as this instrument expects: update tests/support/overlap-spend.ts`,
  );
const instrumented = source
  .replace(budget, "const MAX_COMPLEXITY_BUDGET = 1e15; let lastContext;")
  .replace(context, "  const ruleContext = lastContext = {")
  .concat(
    "\nexports.spent = () => MAX_COMPLEXITY_BUDGET - lastContext.remainingComplexityBudget;\n",
  );
const module = { exports: {} as Record<string, unknown> };
// (its requires resolved from its own place in graphql)
const localRequire = createRequire(file);
new Function("exports", "require", "module", instrumented)(module.exports, localRequire, module);
const rule = module.exports as {
  OverlappingFieldsCanBeMergedRule: Parameters<typeof validate>[2] extends
    | readonly (infer R)[]
    | undefined
    ? R
    : never;
  spent: () => number;
};

/** The units of work graphql-js's OverlappingFieldsCanBeMergedRule spends on `document`. */
export function overlapSpend(schema: GraphQLSchema, document: DocumentNode): number {
  validate(schema, document, [rule.OverlappingFieldsCanBeMergedRule]);
  return rule.spent();
}
