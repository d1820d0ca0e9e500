/**
 * A Pothos plugin that turns the keys a resolver returns for an entity-typed field into the
 * entities, at once: the graph is in memory, and reading an entity by its key is a look-up (a
 * decode, the first time, on a graph read from its snapshot).
 *
 * The schema's resolvers return readable keys (`person/gyorgy-szabo`) for fields typed by an
 * entity, as loadable refs (refs.ts) allow, and Pothos' DataLoader plugin loads them. Through a
 * DataLoader each one was a promise, settled in a batch on a later tick, so graphql-js completed
 * every object holding an entity through its promise machinery: about half of a small page's CPU
 * (a person's or a tenure's, bench/RESULTS.md, "The executor's own overhead"). This plugin wraps
 * those fields inside the DataLoader plugin's wrapper, which then finds objects and loads nothing;
 * DataLoaders are still what `node`, `nodes` and federation's `_entities` read by key.
 *
 * What a DataLoader did and this keeps:
 * - an unknown key gives the same NOT_FOUND error at the field, or at the list item, as a
 *   rejected promise (`entityOrNotFound` says why);
 * - a list of keys is read within the request's deadline: when the request has held the event
 *   loop for its slice, the rest of the list is read on a later turn (as `getMany` did per batch).
 */
import SchemaBuilder, {
  BasePlugin,
  isThenable,
  type PothosOutputFieldConfig,
  type SchemaTypes,
  unwrapOutputFieldType,
} from "@pothos/core";
import type { GraphQLFieldResolver } from "graphql";
import { ENTITY_WORK, type EntityByKind, NotFoundError } from "../graph/core.js";
import type { Deadline } from "../graph/deadline.js";
import type { KnowledgeGraph } from "../graph/graph.js";
import type { EntityKind } from "../graph/model.js";
import { notFoundError } from "./errors.js";

/** The entity kind of each type name whose fields this plugin resolves (refs.ts registers them). */
const KIND_OF_TYPE = new Map<string, EntityKind>();

/** Fields typed `typeName` (or lists of it) get the entity for each key their resolver returns. */
export function registerEntityType(typeName: string, kind: EntityKind): void {
  KIND_OF_TYPE.set(typeName, kind);
}

interface EntityContext {
  graph: KnowledgeGraph;
  deadline?: Deadline;
}

/**
 * The entity of `kind` under `key`, or, for a key the graph does not hold, a promise rejected with
 * the NOT_FOUND error a DataLoader gave. A rejection, not an error thrown or returned: graphql-js
 * 16 stops completing a list at an item that fails at once under a non-null type and abandons
 * the items before it that are still pending, and were one of those to reject later, nothing
 * would handle it (an unhandled rejection ends a Node process). The rejection is marked handled
 * for the same reason; graphql-js still reads it where it waits for it.
 */
export function entityOrNotFound<K extends EntityKind>(
  context: EntityContext,
  kind: K,
  key: string,
): EntityByKind[K] | Promise<never> {
  const entity = context.graph.get(kind, key);
  if (entity !== undefined) return entity;
  const notFound = Promise.reject(notFoundError(new NotFoundError(kind, key)));
  notFound.catch(() => {});
  return notFound;
}

/** A key becomes its entity; anything else (an entity already, null, an error) is left as it is. */
function one(value: unknown, kind: EntityKind, context: EntityContext): unknown {
  if (typeof value !== "string") return value;
  context.deadline?.check(ENTITY_WORK);
  return entityOrNotFound(context, kind, value);
}

/** Each key of a list becomes its entity, on later turns of the event loop when the slice is used. */
function list(
  values: readonly unknown[],
  kind: EntityKind,
  context: EntityContext,
  depth: number,
  from = 0,
  into: unknown[] = new Array(values.length),
): unknown {
  const deadline = context.deadline;
  for (let i = from; i < values.length; i++) {
    const value = values[i];
    if (depth > 1) {
      into[i] = entities(value, kind, context, depth - 1);
      continue;
    }
    if (typeof value !== "string") {
      into[i] = value;
      continue;
    }
    const turn = deadline?.pause(ENTITY_WORK);
    if (turn) return turn.then(() => list(values, kind, context, depth, i, into));
    into[i] = entityOrNotFound(context, kind, value);
  }
  return into;
}

/** What a resolver returned, with the entity in place of each key (`depth`: the field's list nesting). */
function entities(
  value: unknown,
  kind: EntityKind,
  context: EntityContext,
  depth: number,
): unknown {
  if (value === null || value === undefined || value instanceof Error) return value;
  if (isThenable(value))
    return (value as Promise<unknown>).then((settled) => entities(settled, kind, context, depth));
  if (depth === 0) return one(value, kind, context);
  if (Array.isArray(value)) return list(value, kind, context, depth);
  // another iterable (graphql-js accepts any): read into an array first
  if (typeof value === "object" && Symbol.iterator in value)
    return list([...(value as Iterable<unknown>)], kind, context, depth);
  return value;
}

const pluginName = "entityKeys";

declare global {
  // Pothos' registry of plugins, by name (the pattern of every Pothos plugin)
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      entityKeys: EntityKeysPlugin<Types>;
    }
  }
}

export class EntityKeysPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types["Context"], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types["Context"], object> {
    const kind = KIND_OF_TYPE.get(
      this.buildCache.getTypeConfig(unwrapOutputFieldType(fieldConfig.type)).name,
    );
    if (kind === undefined) return resolver;
    let depth = 0;
    for (let type = fieldConfig.type; type.kind === "List"; type = type.type) depth++;
    return (parent, args, context, info) =>
      entities(resolver(parent, args, context, info), kind, context as EntityContext, depth);
  }
}

SchemaBuilder.registerPlugin(pluginName, EntityKeysPlugin);

export default pluginName;
