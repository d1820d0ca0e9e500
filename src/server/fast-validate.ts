/**
 * A one-pass "fast accept" before the validation rules: `fastAccept` answers true only for a
 * document that is certainly valid under exactly the rules given, and then validate.ts skips the
 * rules (and the TypeInfo traversal they need); anything else answers false and the rules run as
 * before, so every error, message and location still comes from them.
 *
 * It knows, by identity, graphql-js's specifiedRules, NoSchemaIntrospectionCustomRule and the
 * rules registered with `coveredRule` where they are made (graphql-armor's depth, alias and
 * directive counts in limits.ts, the read-only rule in requests.ts); a list holding any other
 * rule is never fast-accepted. The subset it accepts, each point implying that the rules named
 * cannot report:
 * - query operations only, names unique, an anonymous one alone, no directives on operations,
 *   fragment definitions or variable definitions (ExecutableDefinitions, UniqueOperationNames,
 *   LoneAnonymousOperation, SingleFieldSubscriptions, the read-only rule, KnownDirectives);
 * - fields defined on their parent type, `__typename` anywhere, never `__schema`/`__type` nor a
 *   field of an introspection type (FieldsOnCorrectType, MaxIntrospectionDepth,
 *   NoSchemaIntrospection); leaves without and composites with a selection (ScalarLeafs);
 * - fragments unique, known, all used by an operation, without cycles, on composite types that
 *   overlap where they are spread; inline fragments likewise (UniqueFragmentNames, KnownFragment-
 *   Names, NoUnusedFragments, NoFragmentCycles, FragmentsOnCompositeTypes, PossibleFragmentSpreads,
 *   KnownTypeNames);
 * - arguments known, unique, the required ones present; literals checked as ValuesOfCorrectType
 *   does (scalars and enums by their own parseLiteral, lists, non-oneOf input objects with unique,
 *   known and required fields), a list or object literal anywhere else falls back
 *   (KnownArgumentNames, UniqueArgumentNames, ProvidedRequiredArguments, ValuesOfCorrectType,
 *   UniqueInputFieldNames);
 * - variables of known input types, unique, each used and each use defined, their defaults valid,
 *   used only where `isTypeSubTypeOf(variable's type, position's type)` (the rule's own test;
 *   its exceptions for defaults fall back) (VariablesAreInputTypes, UniqueVariableNames,
 *   NoUndefinedVariables, NoUnusedVariables, VariablesInAllowedPosition);
 * - directives only graphql-js's own @include/@skip, once per place, with a valid `if`
 *   (KnownDirectives, UniqueDirectivesPerLocation, and the argument rules above);
 * - every response name unique across a response level: a selection set, its inline fragments and
 *   every fragment it reaches (each once), so OverlappingFieldsCanBeMerged has no pair of fields to
 *   compare; and its work, which it meters even then, bounded well below its budget (see `budget`);
 * - graphql-armor's depth, aliases and directives counted as those rules count them (directives:
 *   at least as many) and within the registered limits.
 *
 * tests/server/fast-validate.test.ts holds this: graphql-js's `validate` with the same rules
 * reports nothing for every document fastAccept accepts (test documents, the explorer's, generated
 * ones and near-misses of them breaking one rule each), and the app's own rule list stays covered.
 */
import {
  type ArgumentNode,
  type DirectiveNode,
  type DocumentNode,
  doTypesOverlap,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLCompositeType,
  GraphQLIncludeDirective,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  getNamedType,
  getNullableType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInputType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isRequiredArgument,
  isRequiredInputField,
  isTypeSubTypeOf,
  Kind,
  NoSchemaIntrospectionCustomRule,
  type OperationDefinitionNode,
  type SelectionSetNode,
  specifiedRules,
  TypeNameMetaFieldDef,
  typeFromAST,
  type ValidationRule,
  type ValueNode,
} from "graphql";

/**
 * What fastAccept must know of a rule made outside graphql-js: either that it can only report on
 * operations other than queries, or that it is a graphql-armor count (with the options that rule
 * was given, armor's defaults otherwise) reported above `limit`.
 */
export type Coverage =
  | { kind: "non-query operations" }
  | { kind: "depth"; limit: number; flattenFragments?: boolean }
  | { kind: "aliases"; limit: number; allowList?: readonly string[] }
  | { kind: "directives"; limit: number };

const covered = new WeakMap<ValidationRule, Coverage>();
const SPECIFIED = new Set<ValidationRule>([...specifiedRules, NoSchemaIntrospectionCustomRule]);

/** Registers what `rule` checks (by identity), for fastAccept; returns the rule. */
export function coveredRule<R extends ValidationRule>(rule: R, coverage: Coverage): R {
  covered.set(rule, coverage);
  return rule;
}

/**
 * Whether `rule` is one of graphql-armor's counts (depth, aliases, directives) registered with
 * `coveredRule`: validate.ts runs them before the other rules.
 */
export function isCountRule(rule: ValidationRule): boolean {
  const coverage = covered.get(rule);
  return coverage !== undefined && coverage.kind !== "non-query operations";
}

interface Limits {
  depth: number;
  flattenFragments: boolean;
  aliases: number;
  allowList: readonly string[];
  directives: number;
}

/** The armor limits in `rules`, or undefined if some rule is not known here. */
function limitsOf(rules: readonly ValidationRule[]): Limits | undefined {
  const limits: Limits = {
    depth: Infinity,
    flattenFragments: true,
    aliases: Infinity,
    allowList: ["__typename"],
    directives: Infinity,
  };
  let depthRules = 0;
  let aliasRules = 0;
  for (const rule of rules) {
    if (SPECIFIED.has(rule)) continue;
    const c = covered.get(rule);
    if (c === undefined) return undefined;
    if (c.kind === "depth") {
      // two depth rules counting differently: not worth the care
      if (depthRules++ > 0) return undefined;
      limits.depth = c.limit;
      limits.flattenFragments = c.flattenFragments ?? false;
    } else if (c.kind === "aliases") {
      if (aliasRules++ > 0) return undefined;
      limits.aliases = c.limit;
      limits.allowList = c.allowList ?? ["__typename"];
    } else if (c.kind === "directives") limits.directives = Math.min(limits.directives, c.limit);
  }
  return limits;
}

/** A use of a variable: its name and the type of the position. */
interface Usage {
  name: string;
  type: GraphQLInputType;
}

/** What a response level (a selection set with its inline fragments) holds, for the counts and the overlap check. */
interface Level {
  /** Response names of its fields, inline fragments included, fragments not. */
  names: Set<string>;
  /** Fragments spread at this level (inline fragments included). */
  spreads: Set<string>;
  aliases: number;
  directives: number;
}

/** A fragment definition, walked once: its own level and counts, its variables' uses, every fragment it spreads at any depth. */
interface FragmentInfo {
  type: GraphQLCompositeType;
  level: Level;
  depth: number;
  usages: Usage[];
  allSpreads: Set<string>;
}

/** Thrown (and caught in fastAccept) when the document leaves the subset. */
const OUT = Symbol("not fast-accepted");
function out(): never {
  throw OUT;
}

/** graphql-js aborts OverlappingFieldsCanBeMerged after 500,000 units of work; ours stays far below. */
const BUDGET_BOUND = 100_000;

/**
 * The most steps the walk's loops over fragments may take for one document: the response names
 * `finish` re-reads for each level and each fragment it reaches, and the spreads copied into
 * each fragment's and operation's closure (the explorer's documents take a few hundred). A
 * document past it (large fragments spread at many levels, or a long chain of fragments that only
 * spread others, whose closures grow with the square of its length) is left to the rules.
 */
export const MAX_FRAGMENT_STEPS = 10_000;

/** The fragment steps the last `fastAccept` took (for tests/server/fast-validate.test.ts). */
export let lastFragmentSteps = 0;

/** Whether the schema's @include and @skip are graphql-js's own (their locations and `if: Boolean!`). */
const ownDirectives = new WeakMap<GraphQLSchema, boolean>();

/**
 * True only if `document` is certainly valid for `rules` on `schema` (see the header); false
 * when unsure. The schema must be valid (validate.ts asserts it first).
 */
export function fastAccept(
  schema: GraphQLSchema,
  document: DocumentNode,
  rules: readonly ValidationRule[],
): boolean {
  const limits = limitsOf(rules);
  if (limits === undefined) return false;
  let own = ownDirectives.get(schema);
  if (own === undefined) {
    own =
      schema.getDirective("include") === GraphQLIncludeDirective &&
      schema.getDirective("skip") === GraphQLSkipDirective;
    ownDirectives.set(schema, own);
  }
  const queryType = schema.getQueryType();
  if (!own || !queryType) return false;
  lastFragmentSteps = 0;
  try {
    return new Walk(schema, document, limits).accepts(queryType);
  } catch {
    // OUT, or anything unforeseen (a stack too deep for the walk): the rules decide
    return false;
  }
}

class Walk {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly infos = new Map<string, FragmentInfo | "walking">();
  private readonly operations: OperationDefinitionNode[] = [];
  // the overlap rule's metered work: sums over levels that spread fragments (see `budget`)
  private spreadLevels = 0;
  private sumSpreads = 0;
  private sumSpreadsSquared = 0;
  private sumNames = 0;
  private maxSpreads = 0;
  private maxNames = 0;
  private fragmentSteps = 0;

  /** Counts `n` fragment steps, and leaves the document to the rules past MAX_FRAGMENT_STEPS. */
  private spend(n: number): void {
    this.fragmentSteps += n;
    lastFragmentSteps = this.fragmentSteps;
    if (this.fragmentSteps > MAX_FRAGMENT_STEPS) out();
  }

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly document: DocumentNode,
    private readonly limits: Limits,
  ) {}

  accepts(queryType: GraphQLCompositeType): boolean {
    const names = new Set<string>();
    for (const definition of this.document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) {
        if (definition.operation !== "query" || definition.directives?.length) return false;
        const name = definition.name?.value;
        if (name !== undefined) {
          if (names.has(name)) return false;
          names.add(name);
        }
        this.operations.push(definition);
      } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        const name = definition.name.value;
        if (this.fragments.has(name) || definition.directives?.length) return false;
        if (definition.variableDefinitions?.length) return false;
        this.fragments.set(name, definition);
      } else return false;
    }
    if (this.operations.length > 1 && this.operations.some((o) => !o.name)) return false;
    for (const operation of this.operations) this.operation(operation, queryType);
    // every fragment reached from an operation (NoUnusedFragments)
    if (this.infos.size !== this.fragments.size) return false;
    return this.budget() <= BUDGET_BOUND;
  }

  private operation(operation: OperationDefinitionNode, queryType: GraphQLCompositeType): void {
    const usages: Usage[] = [];
    const allSpreads = new Set<string>();
    const level = newLevel();
    const depth = this.selections(operation.selectionSet, queryType, level, usages, allSpreads);
    this.finish(level);
    const limits = this.limits;
    if (depth > limits.depth || level.aliases > limits.aliases) out();
    if (level.directives > limits.directives) out();

    // variables: defined once, of input types, defaults valid
    const defined = new Map<string, GraphQLInputType>();
    for (const definition of operation.variableDefinitions ?? []) {
      const name = definition.variable.name.value;
      if (defined.has(name) || definition.directives?.length) out();
      const type = typeFromAST(this.schema, definition.type);
      if (type === undefined || !isInputType(type)) out();
      if (definition.defaultValue) this.value(definition.defaultValue, type, usages);
      defined.set(name, type);
    }
    // each use defined and allowed, each variable used: in the operation and in every fragment it reaches
    const used = new Set<string>();
    this.checkUsages(usages, defined, used);
    const reached = new Set(allSpreads);
    for (const name of allSpreads) {
      const closure = this.info(name).allSpreads;
      this.spend(closure.size + 1);
      for (const s of closure) reached.add(s);
    }
    for (const name of reached) this.checkUsages(this.info(name).usages, defined, used);
    if (used.size !== defined.size) out();
  }

  /**
   * Each of `list`'s variables defined, of a type allowed where it is used; noted in `used`. A
   * method, not a closure made per operation: tsx names each closure assigned to a name with
   * Object.defineProperty whenever one is made (docs/performance.md).
   */
  private checkUsages(
    list: readonly Usage[],
    defined: Map<string, GraphQLInputType>,
    used: Set<string>,
  ): void {
    for (const usage of list) {
      const type = defined.get(usage.name);
      if (type === undefined || !isTypeSubTypeOf(this.schema, type, usage.type)) out();
      used.add(usage.name);
    }
  }

  /** A fragment's info, walked on first use (a fragment met again while it is walked is a cycle). */
  private info(name: string): FragmentInfo {
    const known = this.infos.get(name);
    if (known === "walking") out();
    if (known !== undefined) return known;
    const definition = this.fragments.get(name) ?? out();
    const type = this.schema.getType(definition.typeCondition.name.value);
    if (!type || !isCompositeType(type)) out();
    this.infos.set(name, "walking");
    const level = newLevel();
    const usages: Usage[] = [];
    const allSpreads = new Set<string>();
    const depth = this.selections(definition.selectionSet, type, level, usages, allSpreads);
    // its fragments were walked as they were met: their own spreads are known
    for (const spread of [...allSpreads]) {
      const closure = this.info(spread).allSpreads;
      this.spend(closure.size + 1);
      for (const s of closure) allSpreads.add(s);
    }
    this.finish(level);
    const info: FragmentInfo = { type, level, depth, usages, allSpreads };
    this.infos.set(name, info);
    return info;
  }

  /**
   * Checks a selection set's selections into `level`, returning its depth as graphql-armor's
   * max-depth counts it (a field is a level; unless fragments are flattened, an inline fragment
   * one more and a fragment spread two).
   */
  private selections(
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    level: Level,
    usages: Usage[],
    allSpreads: Set<string>,
  ): number {
    if (selectionSet.selections.length === 0) out();
    const fragmentLevel = this.limits.flattenFragments ? 0 : 1;
    let depth = 0;
    for (const selection of selectionSet.selections) {
      if (selection.directives?.length) this.directives(selection.directives, level, usages);
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const field =
          name === "__typename"
            ? TypeNameMetaFieldDef
            : isObjectType(parent) || isInterfaceType(parent)
              ? parent.getFields()[name]
              : undefined;
        if (field === undefined) out();
        const responseName = selection.alias?.value ?? name;
        if (level.names.has(responseName)) out();
        level.names.add(responseName);
        if (
          selection.alias &&
          !this.limits.allowList.includes(selection.alias.value) &&
          !this.limits.allowList.includes(name)
        )
          level.aliases++;
        this.arguments(selection.arguments, field.args, usages);
        const named = getNamedType(field.type);
        // an introspection type (only they may be named `__...`; graphql-js's isIntrospectionType
        // compares the name with each of theirs, a tenth of the time spent here)
        if (named.name.startsWith("__")) out();
        if (isLeafType(named)) {
          if (selection.selectionSet) out();
          depth = Math.max(depth, 1);
        } else {
          if (!selection.selectionSet) out();
          const inner = newLevel();
          const d = this.selections(selection.selectionSet, named, inner, usages, allSpreads);
          this.finish(inner);
          level.aliases += inner.aliases;
          level.directives += inner.directives;
          depth = Math.max(depth, 1 + d);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        let type: GraphQLCompositeType = parent;
        if (selection.typeCondition) {
          const t = this.schema.getType(selection.typeCondition.name.value);
          if (!t || !isCompositeType(t) || !doTypesOverlap(this.schema, t, parent)) out();
          type = t;
        }
        const d = this.selections(selection.selectionSet, type, level, usages, allSpreads);
        depth = Math.max(depth, fragmentLevel + d);
      } else {
        const name = selection.name.value;
        const info = this.info(name);
        if (!doTypesOverlap(this.schema, info.type, parent)) out();
        level.spreads.add(name);
        allSpreads.add(name);
        level.aliases += info.level.aliases;
        level.directives += info.level.directives;
        // unflattened, graphql-armor counts a spread two levels: as a selection, and again as a
        // spread (its countDepth), where an inline fragment is one
        depth = Math.max(depth, 2 * fragmentLevel + info.depth);
      }
    }
    return depth;
  }

  /** Only @include/@skip, once each, with a valid `if` (graphql-armor counts them all). */
  private directives(directives: readonly DirectiveNode[], level: Level, usages: Usage[]): void {
    let include = false;
    let skip = false;
    for (const directive of directives) {
      const name = directive.name.value;
      if (name === "include" && !include) include = true;
      else if (name === "skip" && !skip) skip = true;
      else out();
      this.arguments(directive.arguments, GraphQLIncludeDirective.args, usages);
    }
    level.directives += directives.length;
  }

  /** Arguments known, unique, the required ones present, each value of its type. */
  private arguments(
    nodes: readonly ArgumentNode[] | undefined,
    definitions: readonly GraphQLArgument[],
    usages: Usage[],
  ): void {
    let given = 0;
    for (let i = 0; i < (nodes?.length ?? 0); i++) {
      const node = nodes![i]!;
      const name = node.name.value;
      for (let j = 0; j < i; j++) if (nodes![j]!.name.value === name) out();
      const definition = definitions.find((d) => d.name === name) ?? out();
      this.value(node.value, definition.type, usages);
      given++;
    }
    if (given === definitions.length) return;
    for (const definition of definitions)
      if (isRequiredArgument(definition) && !nodes?.some((n) => n.name.value === definition.name))
        out();
  }

  /** A value in a position of `type`, as ValuesOfCorrectType and TypeInfo see it; variables are noted. */
  private value(node: ValueNode, type: GraphQLInputType, usages: Usage[]): void {
    switch (node.kind) {
      case Kind.VARIABLE:
        usages.push({ name: node.name.value, type });
        return;
      case Kind.NULL:
        if (isNonNullType(type)) out();
        return;
      case Kind.LIST: {
        const list = getNullableType(type);
        if (!isListType(list)) out();
        for (const item of node.values) this.value(item, list.ofType, usages);
        return;
      }
      case Kind.OBJECT: {
        const object = getNullableType(type);
        if (!isInputObjectType(object) || object.isOneOf) out();
        const fields = object.getFields();
        const seen = new Set<string>();
        for (const field of node.fields) {
          const name = field.name.value;
          const definition = fields[name];
          if (definition === undefined || seen.has(name)) out();
          seen.add(name);
          this.value(field.value, definition.type, usages);
        }
        for (const definition of Object.values(fields))
          if (isRequiredInputField(definition) && !seen.has(definition.name)) out();
        return;
      }
      default: {
        // Int, Float, String, Boolean, Enum: parsed by the type itself, as ValuesOfCorrectType does
        const named: GraphQLNamedType = getNamedType(type);
        if (!isLeafType(named)) out();
        let parsed: unknown;
        try {
          parsed = isEnumType(named)
            ? named.parseLiteral(node, undefined)
            : named.parseLiteral(node);
        } catch {
          out();
        }
        if (parsed === undefined) out();
      }
    }
  }

  /**
   * A level's response names unique across the fragments it reaches (each once: graphql-js never
   * compares a fragment with itself), so that OverlappingFieldsCanBeMerged finds no pair; and the
   * level's share of the work that rule meters anyway.
   */
  private finish(level: Level): void {
    const spreads = level.spreads.size;
    this.maxNames = Math.max(this.maxNames, level.names.size);
    if (spreads === 0) return;
    const names = new Set(level.names);
    const reached = new Set(level.spreads);
    for (const name of reached) {
      const info = this.info(name);
      // a level re-reads the names of every fragment it reaches: a document spreading large
      // fragments at many levels is left to the rules rather than made costly here
      this.spend(info.level.names.size + info.level.spreads.size + 1);
      for (const n of info.level.names) {
        if (names.has(n)) out();
        names.add(n);
      }
      for (const s of info.level.spreads) reached.add(s);
    }
    this.spreadLevels++;
    this.sumSpreads += spreads;
    this.sumSpreadsSquared += spreads * spreads;
    this.sumNames += level.names.size;
    this.maxSpreads = Math.max(this.maxSpreads, spreads);
  }

  /**
   * An upper bound on the units of work OverlappingFieldsCanBeMerged spends on this document
   * (it gives up past 500,000) when no two fields share a response name: for a level with N
   * spreads and G names, its fields against each fragment reached (1 a call, N + F·K calls;
   * G per fragment compared, F of them) and its fragments pairwise (2 a call, N² calls); and once
   * for the document, each pair of fragments compared (F², each G_max + 2 and 2K calls of 2),
   * with F fragments and K the most spreads of a level.
   */
  private budget(): number {
    const f = this.fragments.size;
    const k = this.maxSpreads;
    return (
      this.sumSpreads +
      this.spreadLevels * f * k +
      f * this.sumNames +
      2 * this.sumSpreadsSquared +
      f * f * (this.maxNames + 4 * k + 2)
    );
  }
}

function newLevel(): Level {
  return { names: new Set(), spreads: new Set(), aliases: 0, directives: 0 };
}
