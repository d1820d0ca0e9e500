/**
 * The references of every entity type, declared before any is implemented, so that the type
 * files can point at each other without import cycles. Each ref is a loadable node: a resolver
 * returns a readable key (`person/gyorgy-szabo`) and entity-plugin.ts reads the entity at once
 * (the graph is in memory); a per-request DataLoader reads what is asked by key at the root
 * (`node`, `nodes`, federation's `_entities`), where `load` would be a non-memory backend's batch.
 */
import type { DecidedName, EntityByKind } from "../graph/core.js";
import { type EntityKind, kindOf } from "../graph/model.js";
import { builder, type Context } from "./builder.js";
import { entityOrNotFound, registerEntityType } from "./entity-plugin.js";

function loadableEntity<K extends EntityKind>(kind: K, name: string) {
  registerEntityType(name, kind);
  return builder.loadableNodeRef(name, {
    id: { resolve: (entity: EntityByKind[K]) => entity.id },
    // a key the graph does not hold is the graph's NotFoundError, rejected as it is: each field
    // that loads makes the NOT_FOUND GraphQLError it answers (`itemNotFound` for `nodes(ids:)`
    // and `_entities`, within the operation's error budget; `orNotFound` for `node(id:)`). The
    // loader made one for every key of its batch, in the request's slices, before any was
    // answered: 1,000 unknown keys made 1,000 errors beside the 100 located ones the error limit
    // keeps (review 3; 5-21 ms for 1,000 and 110-220 ms for the 9,615 ids the cost limit lets one
    // request name, bench/results/2026-12-05-not-found-batch.txt)
    load: (keys: string[], context: Context) => context.graph.getMany(kind, keys, context.deadline),
  });
}

export const SourceRef = loadableEntity("source", "Source");
export const StateRef = loadableEntity("state", "State");
export const PlaceRef = loadableEntity("place", "Place");
export const DimensionRef = loadableEntity("dimension", "Dimension");
export const OfficeRef = loadableEntity("office", "Office");
export const PersonRef = loadableEntity("person", "Person");
export const PostRef = loadableEntity("post", "Post");
export const TenureRef = loadableEntity("tenure", "Tenure");
export const EventRef = loadableEntity("event", "Event");
export const PriorityRef = loadableEntity("priority", "Priority");

/**
 * A name an office bore (implemented in office.ts): declared here, because the files that show
 * names (name-then.ts, event.ts, lineage.ts) sit below office.ts, which imports them.
 */
export const OfficeNameRef = builder.objectRef<DecidedName>("OfficeName");

/** The loader of each kind, for fields typed by an interface (which Pothos cannot load by key). */
export const refOfKind = {
  source: SourceRef,
  state: StateRef,
  place: PlaceRef,
  dimension: DimensionRef,
  office: OfficeRef,
  person: PersonRef,
  post: PostRef,
  tenure: TenureRef,
  event: EventRef,
  priority: PriorityRef,
} as const;

/**
 * The entity of any kind under `key`, for fields typed by an interface, whose keys
 * entity-plugin.ts cannot know the kind of; an unknown key gives a promise rejected with the
 * NOT_FOUND error, as a DataLoader did.
 */
export function loadEntity(ctx: Context, key: string): EntityByKind[EntityKind] | Promise<never> {
  const kind = kindOf(key);
  if (!kind) throw new Error(`"${key}" is not an entity key`);
  return entityOrNotFound(ctx, kind, key);
}
