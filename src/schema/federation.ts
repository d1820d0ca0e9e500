/**
 * Federation v2: every entity kind is an entity of the subgraph, keyed by its readable `key`
 * (`@key(fields: "key")`; the global `id` stays as it is), and `subgraphSchema` builds the schema a
 * gateway composes: the public schema plus `_service` (the subgraph SDL) and `_entities` (entities
 * by representation).
 *
 * In subgraph mode (federation-mode.ts) the builder has the federation plugins, and both schemas
 * come from it: `toSchema()` ignores what is declared here (the directives only live in
 * extensions and AST nodes that `printSchema` and introspection do not read), and
 * `toSubGraphSchema()` builds a second, independent schema from the same type files.
 * tests/federation/subgraph.test.ts checks that the public schema is then unchanged.
 */
import {
  type GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  isObjectType,
} from "graphql";
import { shown } from "../graph/keys.js";
import type { EntityKind } from "../graph/model.js";
import { builder, type Context } from "./builder.js";
import { withDeadline } from "./deadline-plugin.js";
import { type ErrorBudget, itemError, itemNotFound, rethrowNotFound } from "./errors.js";
import { federationEnabled } from "./federation-mode.js";
import { boundGraphqlSuggestions } from "./graphql-suggestions.js";
import { answerEach } from "./item-answers.js";
import { refOfKind } from "./refs.js";
import { noteServiceSdl } from "./service-sdl.js";

/** The federation spec the subgraph SDL links (`@link(url: ...)`); the gateway and composition support it. */
export const FEDERATION_LINK = "https://specs.apollo.dev/federation/v2.6";

/** The entity kind of each GraphQL type name (`State` -> `state`). */
const KIND_OF_TYPE = new Map<string, EntityKind>();

for (const [kind, ref] of Object.entries(refOfKind) as [
  EntityKind,
  (typeof refOfKind)[EntityKind],
][]) {
  KIND_OF_TYPE.set(ref.name, kind);
  // `asEntity` and `selection` are the federation plugin's, loaded in subgraph mode only
  if (federationEnabled()) {
    builder.asEntity(ref, {
      key: builder.selection<{ key: string }>("key"),
      // through the kind's DataLoader: a batch of representations is one `getMany` per kind, as for relations
      resolveReference: (representation, context) =>
        ref.getDataloader(context).load(representation.key).catch(rethrowNotFound),
    });
  }
}

/** The entity type names of the subgraph, sorted: what `_entities` resolves. */
export const ENTITY_TYPES: readonly string[] = [...KIND_OF_TYPE.keys()].sort();

/**
 * A refusal of one representation: null at its place in `_entities`, with this error, made
 * located and without a stack (errors.ts: a gateway may send thousands in one request).
 */
function badRepresentation(place: Place, reason: string): GraphQLError | null {
  const { index } = place;
  return itemError(
    `representations[${index}] ${reason}`,
    { code: "BAD_USER_INPUT", argumentName: "representations", index },
    place.info,
    index,
    place.budget,
  );
}

/**
 * Where a representation's answer goes: its index in `_entities`, and that field's info; and the
 * operation's error budget (null and no error at its place once the error limit is reached).
 */
interface Place {
  index: number;
  info: GraphQLResolveInfo;
  budget: ErrorBudget | undefined;
}

/**
 * The entity a representation (`{ __typename: "State", key: "state/kazakhstan" }`) stands for,
 * loaded through its kind's DataLoader; or a GraphQLError saying what is wrong with it. A
 * representation a gateway could not have sent (not an object, a type that is not an entity
 * here, a key missing, of another kind or malformed) is refused by name; a well-formed key the
 * graph does not hold is NOT_FOUND. Either way the others of the batch are answered.
 */
function resolveRepresentation(
  representation: unknown,
  place: Place,
  context: Context,
): Promise<unknown> | GraphQLError | null {
  if (
    typeof representation !== "object" ||
    representation === null ||
    Array.isArray(representation)
  ) {
    return badRepresentation(
      place,
      `must be an object such as {"__typename": "State", "key": "state/kazakhstan"}, got ${shown(JSON.stringify(representation) ?? String(representation))}.`,
    );
  }
  const { __typename: typename, key } = representation as { __typename?: unknown; key?: unknown };
  if (typeof typename !== "string") return badRepresentation(place, "has no `__typename` string.");
  const kind = KIND_OF_TYPE.get(typename);
  if (kind === undefined) {
    return badRepresentation(
      place,
      `has __typename ${JSON.stringify(shown(typename))}, which is not an entity of this subgraph (its entities are ${ENTITY_TYPES.join(", ")}).`,
    );
  }
  if (typeof key !== "string")
    return badRepresentation(
      place,
      `has no \`key\` string: a ${typename} is keyed by its readable key, e.g. "${kind}/...".`,
    );
  if (!new RegExp(`^${kind}/[a-z0-9][a-z0-9-]*$`).test(key)) {
    return badRepresentation(
      place,
      `has key ${JSON.stringify(shown(key))}, which is not a ${typename} key: ${typename} keys look like "${kind}/slug" (lowercase letters, digits and hyphens).`,
    );
  }
  return itemNotFound(
    refOfKind[kind].getDataloader(context).load(key),
    place.info,
    place.index,
    context.deadline,
    place.budget,
  );
}

/**
 * `_entities`, answering each representation at its place: the resolver of @apollo/subgraph
 * fails the whole batch on one unknown `__typename` (a plain Error: "Unexpected error." once
 * masked), and writes `__typename` onto each entity, which the graph's frozen objects refuse.
 * The `_Entity` union finds each entity's type by `isTypeOf`, like every type here.
 */
const resolveEntities: GraphQLFieldResolver<
  unknown,
  Context,
  { representations: readonly unknown[] }
> = (_root, { representations }, context, info) =>
  // taken in the request's slices, as nodes(ids:) takes its ids (item-answers.ts): a map of the
  // whole batch in one go held the loop 254-382 ms of CPU (red team 6, 30 aliases x 1,000)
  answerEach(
    representations,
    (representation, index) =>
      resolveRepresentation(representation, { index, info, budget: context.errorBudget }, context),
    context.deadline,
  );

/**
 * The subgraph schema of `builder`, once its types are all registered (call it after importing
 * every type file: see index.ts). Sorted, like the printed schema.
 */
export function buildSubgraphSchema(): GraphQLSchema {
  if (!federationEnabled()) {
    throw new Error(
      "The subgraph schema needs the federation plugins, and the schema was built without them: enable subgraph mode before anything imports " +
        "src/schema (main.ts does for --subgraph; a script or test imports src/schema/with-federation.js first).",
    );
  }
  const schema = builder.toSubGraphSchema({ linkUrl: FEDERATION_LINK });
  boundGraphqlSuggestions();
  const query = schema.getQueryType()!;
  const { _entities: entities, _service: service } = query.getFields();
  if (!entities || !service)
    throw new Error("toSubGraphSchema built no _entities or _service field");
  // set after Pothos wrapped the fields: bounded by the deadline here, as they are by the plugin
  entities.resolve = withDeadline(resolveEntities) as GraphQLFieldResolver<unknown, unknown>;
  entities.description =
    "For a federation gateway: the entities these representations stand for, in order (`{__typename, key}`, e.g. " +
    '`{"__typename": "State", "key": "state/kazakhstan"}`). A malformed representation or an unknown key gives null at its place, with an error.';
  entities.args[0]!.description =
    "Representations of entities: each an object with `__typename` (an entity type) and `key` (its readable key).";
  service.description =
    "For a federation gateway: this subgraph's SDL, with its federation directives.";
  // (Pothos answers the SDL it printed when it built the schema: its length is known now)
  const answered = service.resolve?.(undefined, {}, undefined, undefined as never) as
    | { sdl?: unknown }
    | undefined;
  if (typeof answered?.sdl !== "string") throw new Error("the subgraph's _service answers no SDL");
  noteServiceSdl(schema, answered.sdl.length);
  const union = schema.getType("_Entity");
  if (union) union.description = "Every entity type of this subgraph: what `_entities` returns.";
  for (const name of ENTITY_TYPES) {
    if (!isObjectType(schema.getType(name)))
      throw new Error(`the subgraph schema has no object type ${name}`);
  }
  return schema;
}
