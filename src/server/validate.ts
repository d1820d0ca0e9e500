/**
 * graphql-js's `validate`, with the rules' visitors merged more cheaply.
 *
 * graphql 16's `visitInParallel` prepares, for every validation, an entry for each of the ~40
 * AST node kinds times each rule (about 1,200 property lookups on differently shaped objects for
 * the 27 specified rules plus ours), although a rule handles one to three kinds; for the small
 * documents a client sends, that preparation costs more than visiting the document. Here each
 * kind's entry lists only the rules that handle it, found from each visitor's own keys. The
 * traversal, the rules, the order in which they run, the skip/break protocol, the error limit and
 * the abort are graphql-js's (tests/server/validate.test.ts compares the two on every test
 * document and on generated ones), but for the server's limits: graphql-armor's counts run first,
 * alone, and a document they refuse gets their errors only; and a document whose overlapping
 * fields would cost graphql-js too much is refused before any rule (overlap-work.ts).
 */
import {
  type ASTNode,
  type ASTVisitor,
  assertValidSchema,
  BREAK,
  buildSchema,
  type DocumentNode,
  ExecutableDefinitionsRule,
  GraphQLError,
  type GraphQLSchema,
  getEnterLeaveForKind,
  isExecutableDefinitionNode,
  Kind,
  KnownTypeNamesRule,
  OverlappingFieldsCanBeMergedRule,
  parse,
  specifiedRules,
  TypeInfo,
  ValidationContext,
  type ValidationRule,
  validate,
  visit,
  visitWithTypeInfo,
} from "graphql";

import type { Plugin } from "graphql-yoga";
import { cutMiddle } from "./cut-text.js";
import { fastAccept, isCountRule } from "./fast-validate.js";
import { MAX_MERGE_VISITS, MAX_OVERLAP_WORK, overlapWork } from "./overlap-work.js";

/**
 * The child keys validation visits, per node kind: graphql 16.15's `QueryDocumentKeys` without
 * `description` (graphql-js does not visit descriptions while validating: they must not affect
 * validation). graphql-js does not export its table, so it is kept here;
 * tests/server/validate.test.ts requires it equal to graphql-js's own, so an upgrade that adds a
 * kind or a key fails there rather than leaving part of a document unvalidated.
 */
export const VALIDATED_KEYS: Readonly<Record<string, readonly string[]>> = {
  Name: [],
  Document: ["definitions"],
  OperationDefinition: ["name", "variableDefinitions", "directives", "selectionSet"],
  VariableDefinition: ["variable", "type", "defaultValue", "directives"],
  Variable: ["name"],
  SelectionSet: ["selections"],
  Field: ["alias", "name", "arguments", "directives", "selectionSet"],
  Argument: ["name", "value"],
  FragmentSpread: ["name", "directives"],
  InlineFragment: ["typeCondition", "directives", "selectionSet"],
  FragmentDefinition: [
    "name",
    "variableDefinitions",
    "typeCondition",
    "directives",
    "selectionSet",
  ],
  IntValue: [],
  FloatValue: [],
  StringValue: [],
  BooleanValue: [],
  NullValue: [],
  EnumValue: [],
  ListValue: ["values"],
  ObjectValue: ["fields"],
  ObjectField: ["name", "value"],
  Directive: ["name", "arguments"],
  NamedType: ["name"],
  ListType: ["type"],
  NonNullType: ["type"],
  SchemaDefinition: ["directives", "operationTypes"],
  OperationTypeDefinition: ["type"],
  ScalarTypeDefinition: ["name", "directives"],
  ObjectTypeDefinition: ["name", "interfaces", "directives", "fields"],
  FieldDefinition: ["name", "arguments", "type", "directives"],
  InputValueDefinition: ["name", "type", "defaultValue", "directives"],
  InterfaceTypeDefinition: ["name", "interfaces", "directives", "fields"],
  UnionTypeDefinition: ["name", "directives", "types"],
  EnumTypeDefinition: ["name", "directives", "values"],
  EnumValueDefinition: ["name", "directives"],
  InputObjectTypeDefinition: ["name", "directives", "fields"],
  DirectiveDefinition: ["name", "arguments", "directives", "locations"],
  SchemaExtension: ["directives", "operationTypes"],
  DirectiveExtension: ["name", "directives"],
  ScalarTypeExtension: ["name", "directives"],
  ObjectTypeExtension: ["name", "interfaces", "directives", "fields"],
  InterfaceTypeExtension: ["name", "interfaces", "directives", "fields"],
  UnionTypeExtension: ["name", "directives", "types"],
  EnumTypeExtension: ["name", "directives", "values"],
  InputObjectTypeExtension: ["name", "directives", "fields"],
  TypeCoordinate: ["name"],
  MemberCoordinate: ["name", "memberName"],
  ArgumentCoordinate: ["name", "fieldName", "argumentName"],
  DirectiveCoordinate: ["name"],
  DirectiveArgumentCoordinate: ["name", "argumentName"],
};

type Handler = (this: unknown, ...args: unknown[]) => unknown;
const KINDS = new Set<string>(Object.values(Kind));

/**
 * Every property name a visitor answers to, its prototypes' included (a rule may be a class
 * with a method per kind), as graphql-js reads `visitor[kind]` through the prototype chain.
 */
function propertyNames(visitor: ASTVisitor): readonly string[] {
  // most rules return a plain object literal: its own keys are all there is
  if (Object.getPrototypeOf(visitor) === Object.prototype) return Object.keys(visitor);
  const names = new Set<string>();
  for (
    let o: object | null = visitor;
    o !== null && o !== Object.prototype;
    o = Object.getPrototypeOf(o) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(o)) names.add(name);
  }
  return [...names];
}

/** Which visitors handle which kinds, worked out from the visitors' property names. */
interface MergePlan {
  /** The rules whose visitors these are (the plan's key). */
  readonly rules: readonly ValidationRule[] | undefined;
  /** Each visitor's property names, as propertyNames gives them. */
  readonly names: readonly (readonly string[])[];
  readonly byKind: ReadonlyMap<string, readonly number[]>;
}

function planOf(
  visitors: readonly ASTVisitor[],
  rules: readonly ValidationRule[] | undefined,
  given?: readonly (readonly string[])[],
): MergePlan {
  const names = given ?? visitors.map(propertyNames);
  const byKind = new Map<string, number[]>();
  for (let i = 0; i < names.length; i++) {
    const own = names[i]!;
    // a visitor with a generic enter/leave (not under a kind) applies to every kind
    const kinds =
      own.includes("enter") || own.includes("leave")
        ? KINDS
        : own.filter((name) => KINDS.has(name));
    for (const kind of kinds) {
      const list = byKind.get(kind);
      if (list) list.push(i);
      else byKind.set(kind, [i]);
    }
  }
  return { rules, names, byKind };
}

/** Whether `visitor` has exactly the property names `names` (in their order): checked without a new array for a plain object. */
function hasNames(visitor: ASTVisitor, names: readonly string[]): boolean {
  if (Object.getPrototypeOf(visitor) === Object.prototype) {
    let i = 0;
    for (const name in visitor) if (name !== names[i++]) return false;
    return i === names.length;
  }
  const actual = propertyNames(visitor);
  return actual.length === names.length && actual.every((name, i) => name === names[i]);
}

/**
 * The plans of the rule lists validated lately (a server validates with one or two lists): the
 * same rules make visitors with the same property names, which is checked on every document
 * before a plan is used (a rule whose visitor differs gets a new plan).
 */
const plans: MergePlan[] = [];
const KEPT_PLANS = 8;

function planFor(visitors: readonly ASTVisitor[], rules: readonly ValidationRule[]): MergePlan {
  let stale: number | undefined;
  for (let p = 0; p < plans.length; p++) {
    const plan = plans[p]!;
    const key = plan.rules!;
    if (key.length !== rules.length || key.length !== visitors.length) continue;
    let same = true;
    for (let i = 0; i < key.length && same; i++) same = key[i] === rules[i];
    if (!same) continue;
    for (let i = 0; i < visitors.length && same; i++) same = hasNames(visitors[i]!, plan.names[i]!);
    if (same) return plan;
    stale = p;
    break;
  }
  const plan = planOf(visitors, [...rules]);
  if (stale !== undefined) plans[stale] = plan;
  else {
    if (plans.length >= KEPT_PLANS) plans.shift();
    plans.push(plan);
  }
  return plan;
}

/**
 * `visitInParallel`, with a kind's entry holding only the visitors that handle that kind. With
 * `rules` (the rules that made `visitors`, in order), which visitor handles which kind is
 * remembered for those rules and only checked on the next document.
 */
export function mergeVisitors(
  visitors: readonly ASTVisitor[],
  rules?: readonly ValidationRule[],
): ASTVisitor {
  const skipping: unknown[] = new Array(visitors.length).fill(null);
  const { byKind } =
    rules && rules.length === visitors.length
      ? planFor(visitors, rules)
      : planOf(visitors, undefined);
  const merged: Record<string, { enter: Handler; leave: Handler }> = Object.create(null);
  for (const [kind, indexes] of byKind) {
    const enters: (Handler | undefined)[] = [];
    const leaves: (Handler | undefined)[] = [];
    for (const i of indexes) {
      const { enter, leave } = getEnterLeaveForKind(visitors[i]!, kind as Kind) as {
        enter?: Handler;
        leave?: Handler;
      };
      enters.push(enter);
      leaves.push(leave);
    }
    if (enters.every((f) => f == null) && leaves.every((f) => f == null)) continue;
    merged[kind] = {
      enter(...args: unknown[]) {
        const node = args[0];
        for (let j = 0; j < indexes.length; j++) {
          const i = indexes[j]!;
          if (skipping[i] === null) {
            const result = enters[j]?.apply(visitors[i], args);
            if (result === false) skipping[i] = node;
            else if (result === BREAK) skipping[i] = BREAK;
            else if (result !== undefined) return result;
          }
        }
        return undefined;
      },
      leave(...args: unknown[]) {
        const node = args[0];
        for (let j = 0; j < indexes.length; j++) {
          const i = indexes[j]!;
          if (skipping[i] === null) {
            const result = leaves[j]?.apply(visitors[i], args);
            if (result === BREAK) skipping[i] = BREAK;
            else if (result !== undefined && result !== false) return result;
          } else if (skipping[i] === node) {
            skipping[i] = null;
          }
        }
        return undefined;
      },
    };
  }
  return merged as ASTVisitor;
}

/** Whether a Variable node occurs under `node`, variable definitions left out (as getVariableUsages does). */
function containsVariable(node: ASTNode): boolean {
  if (node.kind === Kind.VARIABLE) return true;
  if (node.kind === Kind.VARIABLE_DEFINITION) return false;
  for (const key of VALIDATED_KEYS[node.kind] ?? []) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const item of child as ASTNode[]) if (containsVariable(item)) return true;
    } else if (child !== undefined && child !== null && containsVariable(child as ASTNode))
      return true;
  }
  return false;
}

const NO_USAGES: ReturnType<ValidationContext["getVariableUsages"]> = Object.freeze([]);

/**
 * graphql-js's context, except that an operation or fragment without a single variable is known
 * to use none without the second traversal (with type information) that graphql-js makes to
 * collect the usages of three rules (NoUndefinedVariables, NoUnusedVariables,
 * VariablesInAllowedPosition); a quick look for a Variable node decides.
 */
class Context extends ValidationContext {
  // three rules ask for the same operation's usages: look for a variable once per node
  private readonly withoutVariables = new WeakSet<object>();

  override getVariableUsages(
    node: Parameters<ValidationContext["getVariableUsages"]>[0],
  ): ReturnType<ValidationContext["getVariableUsages"]> {
    if (this.withoutVariables.has(node)) return NO_USAGES;
    if (containsVariable(node)) return super.getVariableUsages(node);
    this.withoutVariables.add(node);
    return NO_USAGES;
  }
}

/**
 * graphql-js's KnownTypeNamesRule lists every type name of the schema on every validation (for
 * "Did you mean ...?" suggestions), though a name the schema knows needs no list: here the rule
 * itself is only made, and its list built, for a name the schema does not know, and then it
 * decides and words the error exactly as before.
 */
function knownTypeNamesWhenNeeded(context: ValidationContext): ASTVisitor {
  const types = context.getSchema().getTypeMap();
  let rule: ASTVisitor | undefined;
  return {
    NamedType(node, ...rest) {
      if (types[node.name.value] !== undefined) return undefined;
      rule ??= KnownTypeNamesRule(context);
      return (
        (rule as Record<string, unknown>).NamedType as (
          this: ASTVisitor,
          ...args: unknown[]
        ) => unknown
      ).call(rule, node, ...rest);
    },
  } as ASTVisitor;
}

/**
 * How many documents validateDocument accepted by fastAccept (fast-validate.ts) without running
 * the rules, and how many it validated with them: tests/server/fast-validate.test.ts reads them to
 * hold the app's documents to the fast path.
 */
export const validationCounts = { fast: 0, full: 0 };

/**
 * Same contract as graphql-js's `validate(schema, document, rules, options)`. A document that
 * fastAccept (fast-validate.ts) finds certainly valid under `rules` gets no errors without running
 * them; any other is validated by the rules.
 */
export function validateDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  rules: readonly ValidationRule[],
  options: { maxErrors?: number; hideSuggestions?: boolean; fastAccept?: boolean } = {},
): GraphQLError[] {
  // its errors made without a stack: a validation error's stack says where in graphql-js it was
  // made, never what the document did wrong, and nothing reads it but to let the request go
  // (document-cache.ts formats each, since the call sites a captured stack keeps hold the
  // request). Formatting them cost more than finding them: 100 unknown fields, 7-70 ms under
  // tsx's source maps, besides 10-40 ms to validate; the first in a process, about 100 ms
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return validated(schema, document, rules, options);
  } catch (error) {
    Error.stackTraceLimit = limit;
    // not an error of the document's: a rule that failed, told with a stack made here
    throw new Error(
      `A validation rule failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function validated(
  schema: GraphQLSchema,
  document: DocumentNode,
  rules: readonly ValidationRule[],
  options: { maxErrors?: number; hideSuggestions?: boolean; fastAccept?: boolean },
): GraphQLError[] {
  const maxErrors = options.maxErrors ?? 100;
  assertValidSchema(schema);
  // before any rule: graphql-armor's depth rule follows fragment spreads by recursion, and a
  // chain of 3,000 overflowed the stack (a 500) once KZ_OSCE_MAX_TOKENS allowed such a document
  const nesting = fragmentNesting(document);
  if (nesting > MAX_FRAGMENT_NESTING) {
    return [
      new GraphQLError(
        `The document's fragments spread one another ${nesting} deep; at most ${MAX_FRAGMENT_NESTING} are allowed (the fragment nesting limit): send a flatter query.`,
        { extensions: { code: "QUERY_TOO_COMPLEX", http: { status: 400 } } },
      ),
    ];
  }
  // `fastAccept: false` runs the rules whatever the document (bench/cold-pipeline.ts compares)
  if (options.fastAccept !== false && fastAccept(schema, document, rules)) {
    validationCounts.fast++;
    return [];
  }
  validationCounts.full++;
  // a document that defines types or directives is not executable, whatever else it holds, and
  // graphql-js takes its own names for the options of its "Did you mean …?" (an unknown type
  // against the types it defines, a directive's unknown argument against the arguments it
  // defines), measured in the product of two names' lengths: two names of 45,000 characters held
  // the loop 15-18 s (review 29). Such a document gets graphql-js's "is not executable" errors
  // alone.
  if (
    rules.includes(ExecutableDefinitionsRule) &&
    !document.definitions.every(isExecutableDefinitionNode)
  )
    return [...validate(schema, document, [ExecutableDefinitionsRule], { maxErrors })];
  // the limits' counts (graphql-armor's depth, aliases and directives: limits.ts) first, alone: a
  // document one of them refuses gets their refusals without the other rules' errors, whose work
  // on such a document is what the limits are there to spare (fifteen chains of fields that
  // conflict, 22 levels deep, held the loop 70-90 ms to report 100 conflicts beside the depth's
  // refusal: red team 38). They read no types, and visit each operation once. Before the
  // overlapping fields' count too: a document too deep to count was told of its fragments (review 31)
  const counts = rules.filter(isCountRule);
  if (counts.length > 0) {
    const refusals = runRules(schema, document, counts, maxErrors, options.hideSuggestions, false);
    if (refusals.length > 0) return refusals;
  }
  // before the rules: graphql-js's OverlappingFieldsCanBeMerged compares every two fields of a
  // response name, through their selections, and gives up only past 500,000 comparisons (480
  // times `persons { totalCount }`, 10 KB, held the loop 0.6-1.1 s); fast-accepted documents
  // repeat no response name, and are never counted
  const overlap = rules.includes(OverlappingFieldsCanBeMergedRule)
    ? overlapWork(schema, document, MAX_OVERLAP_WORK)
    : 0;
  if (overlap > MAX_OVERLAP_WORK) {
    // two refusals: fields of one response name repeated (their comparisons), or a document too
    // large to count at all (its selection sets, fragments expanded, re-merged at each level):
    // the second repeats nothing, and "select each field once" did not help it
    const counted = Number.isFinite(overlap);
    const message = counted
      ? `The query selects the same fields too many times: checking that its fields of the same response name can be merged would take graphql-js over ${MAX_OVERLAP_WORK} comparisons (every two such fields, then every two of their fields of the same name, and so on down). Select each field once in a selection set (the fragments spread into it count too).`
      : `The query is too large to check for fields that conflict: its selection sets, with the fragments spread into them expanded, hold over ${MAX_MERGE_VISITS} fields in all (each nested selection counted again at every level above it). Spread fewer fragments into one another, or split the query into several.`;
    return [
      new GraphQLError(message, {
        extensions: {
          code: "QUERY_TOO_COMPLEX",
          limit: counted ? MAX_OVERLAP_WORK : MAX_MERGE_VISITS,
          http: { status: 400 },
        },
      }),
    ];
  }
  return runRules(
    schema,
    document,
    counts.length > 0 ? rules.filter((rule) => !isCountRule(rule)) : rules,
    maxErrors,
    options.hideSuggestions,
    true,
  );
}

/** Whether `visitor` handles operation definitions only, on entering them. */
function entersOperationsOnly(visitor: ASTVisitor): boolean {
  const names = propertyNames(visitor).filter(
    (name) => KINDS.has(name) || name === "enter" || name === "leave",
  );
  return (
    names.length === 1 &&
    names[0] === Kind.OPERATION_DEFINITION &&
    getEnterLeaveForKind(visitor, Kind.OPERATION_DEFINITION).leave === undefined
  );
}

/**
 * `rules` run on `document` as graphql-js's `validate` runs them, their visitors merged
 * (`mergeVisitors`); `typed`: with type information (visitWithTypeInfo), which every rule of
 * graphql-js's needs.
 */
function runRules(
  schema: GraphQLSchema,
  document: DocumentNode,
  rules: readonly ValidationRule[],
  maxErrors: number,
  hideSuggestions = false,
  typed = true,
): GraphQLError[] {
  const abort = Object.freeze({});
  const errors: GraphQLError[] = [];
  const typeInfo = new TypeInfo(schema);
  const context = new Context(
    schema,
    document,
    typeInfo,
    (error) => {
      if (errors.length >= maxErrors) {
        errors.push(
          new GraphQLError("Too many validation errors, error limit reached. Validation aborted."),
        );
        throw abort;
      }
      errors.push(error);
    },
    hideSuggestions,
  );
  const used = rules.map((rule) => (rule === KnownTypeNamesRule ? knownTypeNamesWhenNeeded : rule));
  const visitors = used.map((rule) => rule(context));
  // rules that only enter operations (graphql-armor's counts): called on each, without a walk
  if (!typed && visitors.every(entersOperationsOnly)) {
    try {
      const definitions = document.definitions;
      for (let index = 0; index < definitions.length; index++) {
        const definition = definitions[index]!;
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        const before = errors.length;
        // with what graphql-js's walk gives it there: key, parent, path, ancestors (review 41 f6)
        for (const visitor of visitors)
          getEnterLeaveForKind(visitor, Kind.OPERATION_DEFINITION).enter?.call(
            visitor,
            definition,
            index,
            definitions,
            ["definitions", index],
            [document],
          );
        // located at the operation they refuse: in a document of several, a refusal of one is
        // the only error, and a client that runs another was not told which (review 41 f5)
        for (let i = before; i < errors.length; i++) {
          const error = errors[i]!;
          if (error.nodes === undefined)
            errors[i] = new GraphQLError(error.message, {
              nodes: definition,
              extensions: error.extensions,
            });
        }
      }
    } catch (error) {
      if (error !== abort) throw error;
    }
    return errors;
  }
  const visitor = mergeVisitors(visitors, used);
  try {
    visit(
      document,
      typed ? visitWithTypeInfo(typeInfo, visitor) : visitor,
      VALIDATED_KEYS as Parameters<typeof visit>[2],
    );
  } catch (error) {
    // graphql-js gives up on documents too costly to check by throwing its abort error, which
    // validate reports as the last error
    if (isValidationAborted(error)) errors.push(error as GraphQLError);
    else if (error !== abort) throw error;
  }
  return errors;
}

/**
 * The longest validation message answered whole. graphql-js prints names the document gives (an
 * operation's, a variable's, an unknown field's) in its messages, some in every one of up to 100
 * errors: an operation name of 95,000 characters beside 101 unused variables was answered with
 * 9.3 MB from 94 KiB, holding the loop 150-190 ms (review 30).
 */
export const MAX_VALIDATION_MESSAGE = 1024;

/**
 * The characters a document's validation messages may hold before the rest are cut shorter, to
 * MAX_VALIDATION_MESSAGE_PAST_BUDGET: cut at MAX_VALIDATION_MESSAGE alone, a batch of ten
 * operations, each named with 9,000 characters beside 101 unused variables, was still answered
 * with 881 KiB from 99 KiB (review 30). graphql-js's messages about the names this schema defines
 * are shorter than the second cut: what is cut past the budget is a long name the document gives,
 * or the details of a conflict between fields (which graphql-js itself cuts at 1,000 characters).
 */
export const VALIDATION_MESSAGES_BUDGET = 8192;

/** The longest validation message answered whole once a document's have passed the budget. */
export const MAX_VALIDATION_MESSAGE_PAST_BUDGET = 256;

/**
 * Cuts the messages of `errors`, errors just made that nothing else holds, in their middle: past
 * MAX_VALIDATION_MESSAGE characters, and past MAX_VALIDATION_MESSAGE_PAST_BUDGET once the
 * messages before have held VALIDATION_MESSAGES_BUDGET. The cut depends on the document alone, so
 * that Yoga's cache of validation results answers it the same again. A message is cut in place:
 * a copy of the error (cut-text.ts `withMessage`) would find its locations in the document again,
 * scanning the text up to each (a batch of ten documents of 100 errors each held the loop about
 * 30 ms more with long names), and an error's stack, formatted when first read (Yoga's cache
 * reads it: document-cache.ts), then starts with the cut message.
 */
export function cutMessages(errors: GraphQLError[]): GraphQLError[] {
  let held = 0;
  for (const error of errors) {
    const most =
      held < VALIDATION_MESSAGES_BUDGET
        ? MAX_VALIDATION_MESSAGE
        : MAX_VALIDATION_MESSAGE_PAST_BUDGET;
    if (error.message.length > most) error.message = cutMiddle(error.message, most);
    held += error.message.length;
  }
  return errors;
}

/** Fragments may spread fragments that spread fragments... this deep: no real query comes near. */
export const MAX_FRAGMENT_NESTING = 100;

/**
 * The longest chain of fragments spreading one another in `document` (a fragment that spreads
 * none counts 1), walked without recursion; a spread of a fragment the chain is already in (a
 * cycle, which NoFragmentCyclesRule reports) or of an unknown one adds nothing. Without more
 * fragments than the limit, no chain can be longer: 0, without walking.
 */
export function fragmentNesting(document: DocumentNode): number {
  let fragments = 0;
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments++;
  if (fragments <= MAX_FRAGMENT_NESTING) return 0;
  const spreads = new Map<string, string[]>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    const names: string[] = [];
    const sets = [definition.selectionSet];
    while (sets.length > 0) {
      for (const selection of sets.pop()!.selections) {
        if (selection.kind === Kind.FRAGMENT_SPREAD) names.push(selection.name.value);
        else if (selection.selectionSet) sets.push(selection.selectionSet);
      }
    }
    spreads.set(definition.name.value, names);
  }
  const depth = new Map<string, number>();
  const onChain = new Set<string>();
  let deepest = 0;
  for (const start of spreads.keys()) {
    if (depth.has(start)) continue;
    const stack: { name: string; next: number }[] = [{ name: start, next: 0 }];
    onChain.add(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const children = spreads.get(top.name)!;
      if (top.next < children.length) {
        const child = children[top.next++]!;
        if (spreads.has(child) && !depth.has(child) && !onChain.has(child)) {
          onChain.add(child);
          stack.push({ name: child, next: 0 });
        }
        continue;
      }
      let own = 1;
      for (const child of children) own = Math.max(own, 1 + (depth.get(child) ?? 0));
      depth.set(top.name, own);
      deepest = Math.max(deepest, own);
      onChain.delete(top.name);
      stack.pop();
    }
  }
  return deepest;
}

/** What isValidationAborted hands graphql-js's validate: a schema and a document as small as can be. */
let probe: { schema: GraphQLSchema; document: DocumentNode } | undefined;
/** graphql-js's abort error, once seen. */
let aborted: GraphQLError | undefined;

/**
 * Whether `error` is graphql-js's abort: the one error object its rules throw (rather than
 * report) on a document too costly to check, such as the same field thousands of times for
 * OverlappingFieldsCanBeMerged. graphql-js does not export it, and its message says nothing
 * an upgrade must keep, so it is known by identity, asked of graphql-js itself: its `validate`
 * catches that object alone, reporting it as an error, and throws on any other, so a rule that
 * throws `error` is validated once on a tiny document (for an error without AST nodes only; the
 * abort has none) and the object found is remembered.
 */
export function isValidationAborted(error: unknown): boolean {
  // once found, identity alone answers: no probe for every later error without nodes (the
  // limits' refusals have none either, and carry a code, which the abort does not)
  if (aborted !== undefined) return error === aborted;
  if (!(error instanceof GraphQLError) || error.nodes !== undefined) return false;
  if (error.extensions.code !== undefined) return false;
  probe ??= { schema: buildSchema("type Query { a: Int }"), document: parse("{ a }") };
  const thrower = () => ({
    enter() {
      throw error;
    },
  });
  try {
    if (validate(probe.schema, probe.document, [thrower])[0] !== error) return false;
  } catch {
    return false;
  }
  aborted = error;
  return true;
}

/**
 * Validates every document with `validateDocument` (Yoga's parse and validation caches still
 * answer repeated documents first). `hideSuggestions` leaves "Did you mean ...?" out of the
 * messages (used when introspection is off, as suggestions would reveal the schema).
 */
/**
 * The errors of the last document the direct pipeline (direct.ts) found invalid, by its text and
 * the rules: it hands such a document to Yoga, which parses the same text again and validates it
 * right after, in the same turn, to answer it. Validated with the options Yoga's validation has,
 * its errors are Yoga's; taken here, the document is validated once, not twice (a document
 * whose fields conflict, under the overlapping fields' limit, took 10-36 ms each time: red team
 * 40). One slot: nothing else validates in between.
 */
let handedOver:
  | {
      text: string;
      rules: readonly ValidationRule[];
      hideSuggestions: boolean;
      errors: GraphQLError[];
    }
  | undefined;

/**
 * Keeps `errors`, those of `document` under `rules` (suggestions hidden or not), for Yoga's
 * validation of the same text next (`takeHandedOver`).
 */
export function handOver(
  document: DocumentNode,
  rules: readonly ValidationRule[],
  hideSuggestions: boolean,
  errors: GraphQLError[],
): void {
  const text = document.loc?.source.body;
  handedOver = text === undefined ? undefined : { text, rules, hideSuggestions, errors };
}

/** The errors handed over for `document`'s text, the same rules and options, once; undefined otherwise. */
function takeHandedOver(
  document: DocumentNode,
  rules: readonly ValidationRule[],
  hideSuggestions: boolean,
): GraphQLError[] | undefined {
  const kept = handedOver;
  if (kept === undefined) return undefined;
  handedOver = undefined;
  if (
    kept.text !== document.loc?.source.body ||
    kept.hideSuggestions !== hideSuggestions ||
    kept.rules.length !== rules.length
  )
    return undefined;
  for (let i = 0; i < rules.length; i++) if (kept.rules[i] !== rules[i]) return undefined;
  return kept.errors;
}

export function validationPlugin(options: { hideSuggestions: boolean }): Plugin {
  return {
    onValidate({ setValidationFn, context }) {
      const probe = (context as { [RULES_PROBE]?: (rules: readonly ValidationRule[]) => void })[
        RULES_PROBE
      ];
      if (probe) {
        // asked by `validationRulesOf`: the rules every plugin has added, nothing validated
        return setValidationFn((_schema, _document, rules) => {
          probe(rules ?? specifiedRules);
          return [];
        });
      }
      // (a suggestion for a long unknown name is not looked for: src/schema/graphql-suggestions.ts)
      setValidationFn((schema, document, rules) =>
        cutMessages(
          takeHandedOver(document, rules ?? specifiedRules, options.hideSuggestions) ??
            validateDocument(schema, document, rules ?? specifiedRules, {
              hideSuggestions: options.hideSuggestions,
            }),
        ),
      );
    },
  };
}

/** The context key through which `validationRulesOf` asks `validationPlugin` for the rules. */
const RULES_PROBE = Symbol("validation rules probe");

/**
 * The validation rules Yoga's pipeline runs on every document (graphql-js's specified rules and
 * those its plugins add on each validation), asked of the pipeline itself by validating one
 * document through it with a probe in its context (`validationPlugin` must be one of its
 * plugins); for the shortcut's direct pipeline (direct.ts), which validates the same way without
 * envelop. The plugins add the same rules to every validation (tests/server/direct.test.ts
 * names them).
 */
export function validationRulesOf(
  getEnveloped: (context: object) => {
    schema: GraphQLSchema;
    validate: (schema: GraphQLSchema, document: DocumentNode) => unknown;
  },
): readonly ValidationRule[] {
  let found: readonly ValidationRule[] | undefined;
  const enveloped = getEnveloped({
    [RULES_PROBE]: (rules: readonly ValidationRule[]) => (found = rules),
  });
  enveloped.validate(enveloped.schema, parse("{ __typename }"));
  if (!found)
    throw new Error("validationRulesOf: validationPlugin is not among the pipeline's plugins");
  return [...found];
}
