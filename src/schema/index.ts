/** The schema: importing each type file registers it with the builder. */
import { type GraphQLSchema, lexicographicSortSchema } from "graphql";
import { builder } from "./builder.js";
import { boundGraphqlSuggestions } from "./graphql-suggestions.js";
import "./dimension.js";
import "./event.js";
import { buildSubgraphSchema } from "./federation.js";
import "./lineage.js";
import "./node.js";
import "./office.js";
import "./path.js";
import "./person.js";
import "./place.js";
import "./post.js";
import "./priority.js";
import "./search.js";
import "./source.js";
import "./state.js";
import "./statistics.js";
import "./tenure.js";
import "./timeline.js";

builder.queryType({
  description:
    "The knowledge graph of the cooperation between the Republic of Kazakhstan and the OSCE. Every kind of entity has a " +
    "list (a cursor-paginated connection with `totalCount`, a typed `filter` and an `orderBy`, like every list) and a lookup by " +
    "readable key; `node` fetches any by global id; `search` finds entities by name; lists of time-bound facts answer `asOf` a " +
    "date with a certainty; `timeline` orders every dated fact. Every fact carries its provenance: a verbatim quote of the source or an editorial note.",
});

export const schema = builder.toSchema({ sortSchema: false });
// graphql-js looks for no "Did you mean …?" for an input too long for any (graphql-suggestions.ts)
boundGraphqlSuggestions();
/** The schema as printed to schema/schema.graphql: sorted, so that the file's diffs are stable. */
export const sortedSchema = lexicographicSortSchema(schema);
export type { Context } from "./builder.js";

let subgraph: GraphQLSchema | undefined;
/**
 * The schema served in subgraph mode (federation.ts): the public schema plus `_service` and
 * `_entities`, its entities keyed by `key`. Built on first use, so that the public server never builds it.
 */
export function subgraphSchema(): GraphQLSchema {
  return (subgraph ??= buildSubgraphSchema());
}
