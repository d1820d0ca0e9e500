/**
 * The cost of an operation: an upper bound of how many objects its answer may hold, computed from
 * the document and its (coerced) variables before execution.
 *
 * - Every field returning an object (or a list of them) costs 1 per object; scalars and enums are free.
 * - A connection's `edges` and `nodes` hold as many entries as its page size: `first` or `last`
 *   (from literals or variables, capped at MAX_PAGE_SIZE since larger values are refused anyway),
 *   or DEFAULT_PAGE_SIZE when neither is given.
 * - `nodes(ids:)` holds as many entries as ids given, `_entities(representations:)` (subgraph mode)
 *   as many as representations; any other list is assumed to hold `listSize`.
 * - Introspection (`__schema`, `__type`, `__typename`) is free: it is bounded by the schema.
 * - Fragments are expanded the way execution does: a fragment spread twice in one selection set
 *   counts once, and fields with one response key are merged.
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
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../schema/pagination.js";

export interface CostOptions {
  /** Entries assumed for a list that is not a page of a connection (names, provenance, ...). */
  listSize: number;
  /** Stop counting past this cost (the answer is then "more than stopAt"). */
  stopAt: number;
}

export type CostResult =
  | { ok: true; cost: number }
  /** The variables do not fit the operation: execution reports that itself, so no cost is given. */
  | { ok: false };

/** Thrown inside the walk to stop it early once the cost is known to exceed the limit. */
class Exceeded {
  constructor(readonly cost: number) {}
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

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  let total = 0;
  const add = (amount: number) => {
    total += amount;
    if (total > options.stopAt) throw new Exceeded(total);
  };

  /**
   * The fields selected on an object of `type`, each with its definition and its field nodes (one
   * entry per response key and definition); fragments are expanded once per selection set. On an
   * abstract type every fragment counts, as if the object were of all its possible types at once:
   * an upper bound that keeps the walk linear in the size of the document.
   */
  const collect = (type: GraphQLCompositeType, selectionSets: readonly SelectionSetNode[]) => {
    const fields = new Map<string, Map<GraphQLField<unknown, unknown>, FieldNode[]>>();
    const seenFragments = new Set<string>();
    const visit = (selectionSet: SelectionSetNode, context: GraphQLCompositeType) => {
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          const field = fieldOf(context, selection.name.value);
          if (!field) continue; // __typename, introspection, or a field validation has refused
          const key = selection.alias?.value ?? selection.name.value;
          let byField = fields.get(key);
          if (!byField) fields.set(key, (byField = new Map()));
          const list = byField.get(field);
          if (list) list.push(selection);
          else byField.set(field, [selection]);
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

  /** Add the cost of the fields selected on `multiplier` objects of `type`; `pageSize` is set when `type` is a connection. */
  const costOf = (type: GraphQLCompositeType, selectionSets: readonly SelectionSetNode[], pageSize: number | undefined, multiplier: number) => {
    for (const byField of collect(type, selectionSets).values()) {
      for (const [field, nodes] of byField) {
        if (field.name.startsWith("__")) continue;
        const named = getNamedType(field.type);
        if (isLeafType(named)) continue;
        const args = argumentsOf(field, nodes[0]!);
        let size = 1;
        if (isListType(getNullableType(field.type))) {
          if (pageSize !== undefined && (field.name === "edges" || field.name === "nodes")) size = pageSize;
          else if (Array.isArray(args.ids)) size = args.ids.length;
          // a gateway's batch of entities (subgraph mode): one entity per representation
          else if (field.name === "_entities" && Array.isArray(args.representations)) size = args.representations.length;
          else size = options.listSize;
        }
        const count = multiplier * size;
        if (count === 0) continue;
        add(count);
        const childSets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
        costOf(named as GraphQLCompositeType, childSets, isConnection(named) ? pageSizeOf(args) : undefined, count);
      }
    }
  };

  const argumentsOf = (field: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> => {
    try {
      return getArgumentValues(field, node, variables);
    } catch {
      return {}; // execution reports the bad argument itself
    }
  };

  try {
    costOf(root, [operation.selectionSet], undefined, 1);
  } catch (error) {
    if (error instanceof Exceeded) return { ok: true, cost: error.cost };
    throw error;
  }
  return { ok: true, cost: total };
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
