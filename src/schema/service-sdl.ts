/**
 * The length of the SDL a subgraph schema's `_service { sdl }` answers, by schema: the cost walk
 * (src/server/cost.ts) prices that field as introspection, since it is the whole schema in one
 * string (205 KB), and nothing of the graph's shape knows it. Set by federation.ts when it builds a
 * subgraph schema; a schema without `_service` has none.
 */
import type { GraphQLSchema } from "graphql";

const lengths = new WeakMap<GraphQLSchema, number>();

/** Notes that `schema`'s `_service { sdl }` answers `length` characters. */
export function noteServiceSdl(schema: GraphQLSchema, length: number): void {
  lengths.set(schema, length);
}

/** How many characters `schema`'s `_service { sdl }` answers, if it has that field. */
export function serviceSdlLength(schema: GraphQLSchema): number | undefined {
  return lengths.get(schema);
}
