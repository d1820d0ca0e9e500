/**
 * Errors the schema raises on purpose (a malformed id, a key the graph does not hold), made
 * without a stack trace. Nothing reads their stack: they are answered as they are and never
 * logged as failures. And a stack is dear when errors come by the thousand (`nodes(ids:)` with
 * 1,000 malformed ids, ten times in a batch): every GraphQLError captures one when made, and one
 * made from another (graphql-js locating it in the response, Yoga answering it) copies the
 * other's, which formats it, through source maps under tsx (bench/RESULTS.md, "Errors by the
 * thousand").
 */
import { GraphQLError, type GraphQLErrorOptions, type GraphQLResolveInfo } from "graphql";

/** A GraphQLError whose `stack` is just its name and message, made without capturing one. */
export function userError(message: string, options: GraphQLErrorOptions = {}): GraphQLError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let error: GraphQLError;
  try {
    error = new GraphQLError(message, options);
  } finally {
    Error.stackTraceLimit = limit;
  }
  // a plain value: copied as it is by an error made from this one, where a captured stack,
  // even an empty one, would be formatted
  Object.defineProperty(error, "stack", {
    value: `GraphQLError: ${message}`,
    writable: true,
    configurable: true,
  });
  return error;
}

/** The path of a field's response, as an error's `path` has it (graphql-js's responsePathAsArray). */
function responsePath(info: Pick<GraphQLResolveInfo, "path">): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: GraphQLResolveInfo["path"] | undefined = info.path; at; at = at.prev)
    path.push(at.key);
  return path.reverse();
}

/**
 * The error of item `index` of the list the field of `info` resolves to, made already located:
 * graphql-js answers an error that has a path as it is, instead of making another one from it.
 */
export function itemError(
  message: string,
  extensions: GraphQLErrorOptions["extensions"],
  info: Pick<GraphQLResolveInfo, "path" | "fieldNodes">,
  index: number,
): GraphQLError {
  return userError(message, {
    nodes: info.fieldNodes,
    path: [...responsePath(info), index],
    extensions,
  });
}

/**
 * `loaded`, or, when it rejects with a NOT_FOUND error (a key the graph does not hold: refs.ts),
 * that error made again as item `index`'s, located (`itemError`). Any other rejection (the
 * deadline's) comes through as it came.
 */
export function itemNotFound(
  loaded: Promise<unknown>,
  info: Pick<GraphQLResolveInfo, "path" | "fieldNodes">,
  index: number,
): Promise<unknown> {
  return loaded.catch((error: unknown) => {
    if (error instanceof GraphQLError && error.extensions.code === "NOT_FOUND")
      return itemError(error.message, error.extensions, info, index);
    throw error;
  });
}
