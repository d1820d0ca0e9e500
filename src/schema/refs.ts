/**
 * The references of every entity type, declared before any is implemented, so that the type
 * files can point at each other without import cycles. Each ref is a loadable node: a resolver
 * returns a readable key (`person/gyorgy-szabo`) and a per-request DataLoader fetches the entity,
 * so relation lookups are batched and a non-memory backend would only change `load`.
 */
import { GraphQLError } from "graphql";
import { NotFoundError, type EntityByKind } from "../graph/graph.js";
import type { EntityKind } from "../graph/model.js";
import { builder, type Context } from "./builder.js";

function loadableEntity<K extends EntityKind>(kind: K, name: string) {
  return builder.loadableNodeRef(name, {
    id: { resolve: (entity: EntityByKind[K]) => entity.id },
    load: async (keys: string[], context: Context) =>
      (await context.graph.getMany(kind, keys)).map((entity) =>
        entity instanceof NotFoundError ? new GraphQLError(entity.message, { extensions: { code: "NOT_FOUND" } }) : entity,
      ),
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
