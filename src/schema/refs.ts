/**
 * The references of every entity type, declared before any is implemented, so that the type
 * files can point at each other without import cycles. Each ref is a loadable node: a resolver
 * returns a readable key (`person/gyorgy-szabo`) and entity-plugin.ts reads the entity at once
 * (the graph is in memory); a per-request DataLoader reads what is asked by key at the root
 * (`node`, `nodes`, federation's `_entities`), where `load` would be a non-memory backend's batch.
 */
import { type DecidedName, type EntityByKind, NotFoundError } from "../graph/core.js";
import type { Deadline } from "../graph/deadline.js";
import { type EntityKind, kindOf } from "../graph/model.js";
import { builder, type Context } from "./builder.js";
import { entityOrNotFound, notFoundError, registerEntityType } from "./entity-plugin.js";
import { ITEM_WORK } from "./item-answers.js";

function loadableEntity<K extends EntityKind>(kind: K, name: string) {
  registerEntityType(name, kind);
  return builder.loadableNodeRef(name, {
    id: { resolve: (entity: EntityByKind[K]) => entity.id },
    load: async (keys: string[], context: Context) =>
      notFoundErrors(await context.graph.getMany(kind, keys, context.deadline), context.deadline),
  });
}

/**
 * The batch `getMany` read, each NotFoundError made the NOT_FOUND GraphQLError a loader gives, in
 * the request's slices: one batch holds every key its request asked in one slice, up to the 9,615
 * ids the cost limit lets one request name, and making them in one go took 5-21 ms for 1,000 and
 * 110-220 ms for 9,615 (the median of 50; up to 470 ms), at a load average of 7-18 on 2 cores
 * (bench/not-found-batch.ts, bench/results/2026-12-05-not-found-batch.txt).
 */
async function notFoundErrors<T>(
  batch: (T | Error)[],
  deadline: Deadline | undefined,
): Promise<(T | Error)[]> {
  for (let i = 0; i < batch.length; i++) {
    const entity = batch[i];
    if (!(entity instanceof NotFoundError)) continue;
    // asked again after each turn: the other batches that waited for it resume together
    for (let turn = deadline?.pause(ITEM_WORK); turn; turn = deadline?.pause(ITEM_WORK)) await turn;
    batch[i] = notFoundError(entity);
  }
  return batch;
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
