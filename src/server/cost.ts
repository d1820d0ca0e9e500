/**
 * The cost of an operation: an upper bound of the work its execution can do, in units of about
 * 2 µs of CPU time each (bench/cost-unit.ts measures them; bench/RESULTS.md, "Cost"), computed
 * from the document, its (coerced) variables and the graph's shape (src/graph/shape.ts) before
 * anything executes.
 *
 * - Every object a field may return costs OBJECT; scalars and enums are free.
 * - A list holds what the data can really hold: a connection's `edges` and `nodes` hold
 *   min(page size, the most items one parent has in that relation) — the page size being
 *   `first` or `last` (capped at MAX_PAGE_SIZE, as larger values are refused), or
 *   DEFAULT_PAGE_SIZE when neither is given; a plain list holds the most items one parent has
 *   (`provenance` the longest provenance of any fact). `nodes(ids:)` holds as many entries as
 *   ids given, `_entities(representations:)` (subgraph mode) as many as representations. A list
 *   the shape does not know is assumed to hold `listSize`.
 * - A list that is filtered, ordered or read as of a date tests every item of its relation (a
 *   root list: every item of its kind): its conditions (filter.ts, `filterConditions`; each
 *   order key and `asOf` count one) × those items × CONDITION, plus COMPILE per condition, per
 *   parent. `search` costs its words × the searchable entities × SEARCH_WORD, `path` the most
 *   entities its search can visit × PATH_VISIT; the timeline is a root list like the others.
 * - Introspection (`__schema`, `__type`, `__typename`) is free: it is bounded by the schema.
 * - Fragments are expanded the way execution does: a fragment spread twice in one selection set
 *   counts once, and fields with one response key are merged.
 *
 * Alongside the total, the walk keeps what each field path costs (by field names, aliases
 * merged: `offices.nodes.tenures`), to tell a refused client where its cost comes from, and it
 * finds the first `filter` argument with more conditions than allowed.
 */
import {
  getNamedType,
  getNullableType,
  getOperationAST,
  isAbstractType,
  isLeafType,
  isListType,
  isObjectType,
  isCompositeType,
  isInterfaceType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { getArgumentValues, getVariableValues } from "graphql/execution/values.js";
import { filterConditions } from "../graph/filter.js";
import type { GraphShape } from "../graph/shape.js";
import { MAX_QUERY_TERMS } from "../graph/search.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../schema/pagination.js";

/**
 * The price of each kind of work, in cost units (about 2 µs each), as measured by
 * bench/cost-unit.ts on the built-in data and at 100k entities (bench/RESULTS.md, "Cost").
 */
export const COST_WEIGHTS = {
  /** One object resolved and serialised with its scalars (through its loader, its resolvers' promises). */
  OBJECT: 10,
  /** One condition of a filter tested on one item (the dearest kind: `contains` folds every name). */
  CONDITION: 2,
  /** One condition compiled (once per list, per parent). */
  COMPILE: 0.1,
  /** One word of a search, looked up against one searchable entity (through the text index). */
  SEARCH_WORD: 0.01,
  /** One entity visited by a shortest-path search, with its neighbours. */
  PATH_VISIT: 2,
} as const;

export interface CostOptions {
  /** The graph's shape: how many items each list can hold. Without it, every list holds `listSize`. */
  shape?: GraphShape | undefined;
  /** Entries assumed for a list the shape does not know. */
  listSize: number;
  /** The most conditions one `filter` argument may hold (filter.ts, `filterConditions`); unbounded when absent. */
  maxFilterConditions?: number | undefined;
}

/** A `filter` argument over the limit: where it is and how many conditions it holds. */
export interface TooLargeFilter {
  /** The field path of the list, by field names: `offices.nodes.tenures`. */
  path: string;
  /** The variable that gave the whole filter, if one did. */
  variable: string | undefined;
  conditions: number;
}

export type CostResult =
  | {
      ok: true;
      cost: number;
      /** The field path whose own work costs most (its objects and its lists' tests), and that cost. */
      costliest: { path: string; cost: number } | undefined;
      /** False when the document was too large to walk whole: `cost` is then a lower bound. */
      complete: boolean;
      /** The first filter with too many conditions, when there is one (the walk stops there). */
      tooLargeFilter?: TooLargeFilter;
    }
  /** The variables do not fit the operation: execution reports that itself, so no cost is given. */
  | { ok: false };

/** Fields visited at most: fragments spread in fragments can make a small document a huge tree. */
const MAX_VISITS = 100_000;

/** Thrown inside the walk to stop it. */
class Stop {
  constructor(readonly tooLargeFilter?: TooLargeFilter) {}
}

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Record<string, unknown> | null | undefined,
  options: CostOptions,
): CostResult {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return { ok: false };
  const root = schema.getRootType(operation.operation);
  if (!root) return { ok: false };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {}, { maxErrors: 1 });
  if (coerced.errors) return { ok: false };
  const variables = coerced.coerced;
  const { shape, listSize } = options;

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  let total = 0;
  let visits = 0;
  const byPath = new Map<string, number>();
  const add = (path: string, amount: number) => {
    if (amount <= 0) return;
    total += amount;
    byPath.set(path, (byPath.get(path) ?? 0) + amount);
  };

  /**
   * The fields selected on an object of `type`, each with its definition and its field nodes (one
   * entry per response key and definition); fragments are expanded once per selection set. On an
   * abstract type every fragment counts, as if the object were of all its possible types at once:
   * an upper bound that keeps the walk linear in the size of the document.
   */
  const collect = (type: GraphQLCompositeType, selectionSets: readonly SelectionSetNode[]) => {
    const fields = new Map<string, Map<GraphQLField<unknown, unknown>, { parent: GraphQLCompositeType; nodes: FieldNode[] }>>();
    const seenFragments = new Set<string>();
    const visit = (selectionSet: SelectionSetNode, context: GraphQLCompositeType) => {
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          const field = fieldOf(context, selection.name.value);
          if (!field) continue; // __typename, introspection, or a field validation has refused
          const key = selection.alias?.value ?? selection.name.value;
          let byField = fields.get(key);
          if (!byField) fields.set(key, (byField = new Map()));
          const entry = byField.get(field);
          if (entry) entry.nodes.push(selection);
          else byField.set(field, { parent: context, nodes: [selection] });
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const condition = selection.typeCondition ? typeFromAST(schema, selection.typeCondition) : context;
          if (applies(condition, type)) visit(selection.selectionSet, condition as GraphQLCompositeType);
        } else {
          const name = selection.name.value;
          if (seenFragments.has(name)) continue;
          seenFragments.add(name);
          const fragment = fragments.get(name);
          const condition = fragment && typeFromAST(schema, fragment.typeCondition);
          if (fragment && applies(condition, type)) visit(fragment.selectionSet, condition as GraphQLCompositeType);
        }
      }
    };
    for (const selectionSet of selectionSets) visit(selectionSet, type);
    return fields;
  };

  /** Whether a fragment on `condition` can apply to an object of `type` (always, for an abstract `type`). */
  const applies = (condition: GraphQLNamedType | undefined, type: GraphQLCompositeType): boolean => {
    if (!condition || !isCompositeType(condition)) return false;
    if (condition === type || isAbstractType(type)) return true;
    return isAbstractType(condition) && isObjectType(type) && schema.isSubType(condition, type);
  };

  /** The most items one object of `type` holds in its list `field`, from the shape; on an interface, the most of its implementations. */
  const relationSize = (type: GraphQLCompositeType, field: string): number | undefined => {
    if (!shape) return undefined;
    if (field === "provenance") return shape.provenance;
    const own = shape.relations.get(`${type.name}.${field}`);
    if (own !== undefined || !isAbstractType(type)) return own;
    let most: number | undefined;
    for (const possible of schema.getPossibleTypes(type)) {
      const size = shape.relations.get(`${possible.name}.${field}`);
      if (size !== undefined) most = Math.max(most ?? 0, size);
    }
    return most;
  };

  /**
   * Add the cost of the fields selected on `multiplier` objects of `type` at `path`; `page` is
   * set when `type` is a connection (how many entries its `edges` and `nodes` hold).
   */
  const costOf = (type: GraphQLCompositeType, selectionSets: readonly SelectionSetNode[], page: number | undefined, multiplier: number, path: string) => {
    for (const byField of collect(type, selectionSets).values()) {
      for (const [field, { parent, nodes }] of byField) {
        if (field.name.startsWith("__")) continue;
        if (++visits > MAX_VISITS) throw new Stop();
        const named = getNamedType(field.type);
        if (isLeafType(named)) continue;
        const at = path ? `${path}.${field.name}` : field.name;
        const args = argumentsOf(field, nodes[0]!);
        const items = relationSize(parent, field.name);

        // the work done once per parent before anything is returned: tests, searches
        const conditions = conditionsOf(field, nodes[0]!, args, at);
        if (conditions > 0) {
          const scanned = items ?? listSize;
          add(at, multiplier * conditions * (COST_WEIGHTS.COMPILE + scanned * COST_WEIGHTS.CONDITION));
        }
        if (field.name === "search" && parent === schema.getQueryType() && typeof args.query === "string") {
          const words = Math.min(MAX_QUERY_TERMS, args.query.split(/\s+/).filter(Boolean).length);
          add(at, multiplier * words * (shape?.searchable ?? listSize) * COST_WEIGHTS.SEARCH_WORD);
        }
        if (field.name === "path" && parent === schema.getQueryType()) add(at, multiplier * (shape?.pathVisits ?? listSize) * COST_WEIGHTS.PATH_VISIT);

        let size = 1;
        if (isListType(getNullableType(field.type))) {
          if (page !== undefined && (field.name === "edges" || field.name === "nodes")) size = page;
          else if (Array.isArray(args.ids)) size = args.ids.length;
          // a gateway's batch of entities (subgraph mode): one entity per representation
          else if (field.name === "_entities" && Array.isArray(args.representations)) size = args.representations.length;
          else size = items ?? listSize;
        }
        const count = multiplier * size;
        if (count === 0) continue;
        add(at, count * COST_WEIGHTS.OBJECT);
        const childSets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
        const childPage = isConnection(named) ? Math.min(pageSizeOf(args), items ?? Number.POSITIVE_INFINITY) : undefined;
        costOf(named as GraphQLCompositeType, childSets, childPage, count, at);
      }
    }
  };

  /** The conditions a list field tests each item with: its filter's, one per order key, one for `asOf`. */
  const conditionsOf = (field: GraphQLField<unknown, unknown>, node: FieldNode, args: Record<string, unknown>, path: string): number => {
    let conditions = 0;
    if (args.filter !== undefined && args.filter !== null) {
      const inFilter = filterConditions(args.filter);
      if (options.maxFilterConditions !== undefined && inFilter > options.maxFilterConditions) {
        const given = node.arguments?.find((a) => a.name.value === "filter")?.value;
        throw new Stop({ path, variable: given?.kind === Kind.VARIABLE ? given.name.value : undefined, conditions: inFilter });
      }
      conditions += inFilter;
    }
    if (Array.isArray(args.orderBy)) conditions += args.orderBy.length;
    if (args.asOf !== undefined && args.asOf !== null && field.args.some((a) => a.name === "asOf")) conditions += 1;
    return conditions;
  };

  const argumentsOf = (field: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> => {
    try {
      return getArgumentValues(field, node, variables);
    } catch {
      return {}; // execution reports the bad argument itself
    }
  };

  const result = (complete: boolean, tooLargeFilter?: TooLargeFilter): CostResult => {
    let costliest: { path: string; cost: number } | undefined;
    for (const [path, cost] of byPath) if (!costliest || cost > costliest.cost) costliest = { path, cost };
    const rounded = (n: number) => Math.max(0, Math.ceil(n - 1e-9));
    return {
      ok: true,
      cost: rounded(total),
      costliest: costliest && { path: costliest.path, cost: rounded(costliest.cost) },
      complete,
      ...(tooLargeFilter && { tooLargeFilter }),
    };
  };

  try {
    costOf(root, [operation.selectionSet], undefined, 1, "");
  } catch (error) {
    if (error instanceof Stop) return result(false, error.tooLargeFilter);
    throw error;
  }
  return result(true);
}

function fieldOf(type: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

/** A Relay connection type: it has `edges` and `pageInfo`. */
function isConnection(type: GraphQLNamedType): boolean {
  return isObjectType(type) && "edges" in type.getFields() && "pageInfo" in type.getFields();
}

/** The page a connection field asks for; out-of-range sizes are capped here because the resolver refuses them. */
function pageSizeOf(args: Record<string, unknown>): number {
  const given = typeof args.first === "number" ? args.first : typeof args.last === "number" ? args.last : DEFAULT_PAGE_SIZE;
  return Math.max(0, Math.min(given, MAX_PAGE_SIZE));
}
