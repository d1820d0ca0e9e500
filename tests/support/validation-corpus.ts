/**
 * Documents and rules for the validation tests (tests/server/validate.test.ts, fast-validate.test.ts): each
 * breaking one or more of graphql-js's specified rules, and a few valid ones at the end.
 */
import { specifiedRules, type ValidationRule } from "graphql";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import {
  clearerValidationErrors,
  limitPlugins,
  noIntrospectionPlugin,
} from "../../src/server/limits.js";
import { requestPlugins } from "../../src/server/requests.js";

/**
 * The rules the app validates with, gathered as envelop gathers them: graphql-js's specified
 * rules, then each plugin's `addValidationRule` in the app's order (app.ts, graphqlServer).
 */
export function appRules(limits = DEFAULT_CONFIG.limits, introspection = true): ValidationRule[] {
  const rules = [...specifiedRules];
  const plugins = [
    ...limitPlugins(limits),
    clearerValidationErrors(),
    ...requestPlugins(),
    ...(introspection ? [] : [noIntrospectionPlugin()]),
  ];
  for (const plugin of plugins)
    (plugin.onValidate as ((payload: unknown) => unknown) | undefined)?.({
      addValidationRule: (rule: ValidationRule) => rules.push(rule),
      setValidationFn: () => {},
      setResult: () => {},
      params: {},
      context: {},
      extendContext: () => {},
    });
  return rules;
}

/** Documents breaking the rules, one or more per specified rule (and a few valid ones). */
export const BROKEN = [
  // ExecutableDefinitions, LoneAnonymousOperation, UniqueOperationNames
  "type Foo { a: Int } query A { __typename }",
  "{ __typename } { __typename }",
  "query A { __typename } query A { __typename }",
  // KnownTypeNames, VariablesAreInputTypes, FragmentsOnCompositeTypes
  "query ($k: Strin) { person(key: $k) { key } }",
  "query ($p: Person) { __typename }",
  "fragment F on String { length } query { __typename }",
  // ScalarLeafs, FieldsOnCorrectType (with a suggestion)
  '{ person(key: "gyorgy-szabo") }',
  '{ person(key: "gyorgy-szabo") { key { x } } }',
  '{ person(key: "gyorgy-szabo") { nam } }',
  '{ persn(key: "gyorgy-szabo") { key } }',
  // fragments: unique names, known, unused, possible spreads, cycles
  'fragment F on Person { key } fragment F on Person { name } { person(key: "a") { ...F } }',
  '{ person(key: "a") { ...Missing } }',
  "fragment Unused on Person { key } { __typename }",
  'fragment F on Office { key } { person(key: "a") { ...F } }',
  'fragment A on Person { ...B } fragment B on Person { ...A } { person(key: "a") { ...A } }',
  '{ person(key: "a") { ... on Office { key } } }',
  // variables: unique, undefined, unused, allowed position, default values
  "query ($a: String, $a: String) { person(key: $a) { key } }",
  "query { person(key: $nope) { key } }",
  "query ($unused: Int) { __typename }",
  "query ($n: String) { persons(first: $n) { totalCount } }",
  "query ($k: String) { person(key: $k) { key } }",
  'query ($n: Int = "ten") { persons(first: $n) { totalCount } }',
  // directives: known, location, unique per location
  "{ __typename @nope }",
  "query @skip(if: true) { __typename }",
  "{ __typename @include(if: true) @include(if: false) }",
  "{ __typename @skip }",
  // arguments: known (with a suggestion), unique, value types, required, input fields
  '{ person(kee: "a") { key } }',
  '{ person(key: "a", key: "b") { key } }',
  '{ persons(first: "ten") { totalCount } }',
  "{ person { key } }",
  "{ persons(filter: { nope: 1 }) { totalCount } }",
  "{ persons(first: 2, first: 3) { totalCount } }",
  "{ persons(orderBy: [{ field: NOPE }]) { totalCount } }",
  // OverlappingFieldsCanBeMerged
  '{ person(key: "a") { x: key x: name } }',
  '{ a: person(key: "a") { key } a: person(key: "b") { key } }',
  // introspection depth and the introspection rule
  "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }",
  // too costly to compare overlapping fields: graphql-js gives up ("Validation aborted.")
  `{ ${"__typename ".repeat(1500)} }`,
  // many errors at once (the error limit)
  `{ ${Array.from({ length: 120 }, (_, i) => `f${i}: nope${i}`).join(" ")} }`,
  // valid for graphql-js: operations of types the schema lacks (refused by our own rule),
  // introspection (refused by NoSchemaIntrospectionCustomRule when it is off), and
  // documents with fragments, variables and abstract types
  "subscription { a b }",
  '{ __type(name: "Person") { name } }',
  "mutation { deleteEverything }",
  "query Q($k: String!, $n: Int = 3) { person(key: $k) { ...P tenures(first: $n) { nodes { key } } } } fragment P on Person { key name @include(if: true) }",
  '{ search(query: "szabo") { nodes { entity { ... on Person { key } ... on Office { name } } } } }',
];
