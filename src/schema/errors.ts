/**
 * Errors the schema raises on purpose (a malformed id, a key the graph does not hold), made
 * without a stack trace. Nothing reads their stack: they are answered as they are and never
 * logged as failures. And a stack is dear when errors come by the thousand (`nodes(ids:)` with
 * 1,000 malformed ids, ten times in a batch): every GraphQLError captures one when made, and one
 * made from another (graphql-js locating it in the response, Yoga answering it) copies the
 * other's, which formats it, through source maps under tsx (bench/RESULTS.md, "Errors by the
 * thousand").
 */
import {
  type FieldNode,
  GraphQLError,
  type GraphQLErrorOptions,
  type GraphQLResolveInfo,
  getLocation,
  type SourceLocation,
} from "graphql";
import { NotFoundError } from "../graph/core.js";
import type { Deadline } from "../graph/deadline.js";
import { ITEM_WORK } from "./item-answers.js";

/** A GraphQLError made without capturing a stack (one of no frames: nothing to format). */
function uncapturedError(message: string, options: GraphQLErrorOptions): GraphQLError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new GraphQLError(message, options);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** A GraphQLError whose `stack` is just its name and message, made without capturing one. */
export function userError(message: string, options: GraphQLErrorOptions = {}): GraphQLError {
  const error = uncapturedError(message, options);
  // a plain value: copied as it is by an error made from this one, where a captured stack,
  // even an empty one, would be formatted
  Object.defineProperty(error, "stack", {
    value: `GraphQLError: ${message}`,
    writable: true,
    configurable: true,
  });
  return error;
}

/** The error answered for a key the graph does not hold (`node(id:)`, a relation: entity-plugin.ts). */
export function notFoundError(missing: NotFoundError): GraphQLError {
  return userError(missing.message, { extensions: { code: "NOT_FOUND" } });
}

/**
 * `loaded` (an entity a loader gave, refs.ts, or the promise of one), with the graph's
 * NotFoundError, which a loader gives for a key the graph does not hold, made the NOT_FOUND
 * error answered (`notFoundError`): given to graphql-js as it is, it is no GraphQLError, and Yoga
 * would mask it ("Unexpected error."). For a field answering one entity, `node(id:)`; a list's
 * items make theirs within the error budget (`itemNotFound`).
 */
export async function orNotFound<T>(loaded: T | Promise<T>): Promise<T> {
  let entity: T;
  try {
    entity = await loaded;
  } catch (error) {
    rethrowNotFound(error);
  }
  // a DataLoader's loadMany (Pothos' node field) gives a key's error as its value
  if (entity instanceof NotFoundError) throw notFoundError(entity);
  return entity;
}

/** Throws `error`, a loader's NotFoundError made the NOT_FOUND error answered (`orNotFound`). */
export function rethrowNotFound(error: unknown): never {
  throw error instanceof NotFoundError ? notFoundError(error) : error;
}

/** The path of a field's response, as an error's `path` has it (graphql-js's responsePathAsArray). */
function responsePath(info: Pick<GraphQLResolveInfo, "path">): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: GraphQLResolveInfo["path"] | undefined = info.path; at; at = at.prev)
    path.push(at.key);
  return path.reverse();
}

/**
 * Where a field's nodes are in its document, worked out once per field: GraphQLError's
 * constructor works them out for every error it is given nodes for (graphql-js's `getLocation`,
 * which reads the document from its start), so 1,000 errors of a field placed after 10,000
 * comment lines made /health wait 425 and 367 ms (bench/RESULTS.md, "Errors by the thousand").
 */
const fieldLocations = new WeakMap<readonly FieldNode[], readonly SourceLocation[] | undefined>();

function locationsOf(fieldNodes: readonly FieldNode[]): readonly SourceLocation[] | undefined {
  if (fieldLocations.has(fieldNodes)) return fieldLocations.get(fieldNodes);
  const found = fieldNodes.flatMap((node) =>
    node.loc ? [getLocation(node.loc.source, node.loc.start)] : [],
  );
  // one array for all the field's errors: frozen, so that none can change the others'
  const locations = found.length > 0 ? Object.freeze(found) : undefined;
  fieldLocations.set(fieldNodes, locations);
  return locations;
}

/**
 * The item errors an operation may still make (`nodes(ids:)`, `_entities`: one per bad item, a
 * thousand a list) before the error limit would cut the rest from its answer (src/server/limits.ts
 * withErrorsCut, Limits.maxErrors), and how many it did not make past it: those items answer null
 * with no error, and the cut counts them among the errors left out. Made before they were cut,
 * nine lists of 1,000 bad ids made 9,000 located errors, 8,900 of them thrown away.
 *
 * The first item error of each field of the document is made whatever is left (red team 53, F2):
 * the limit reached by the first list's items, nine aliases of `nodes(ids:)` answered eight lists
 * of nulls with no error saying why. Item errors come from two root fields (`nodes(ids:)`,
 * `_entities`), whose aliases are bounded (KZ_OSCE_MAX_ALIASES), so these are bounded too; the cut
 * keeps them before the others (limits.ts `withErrorsCut`, error-order.ts `preferred`).
 */
export class ErrorBudget {
  /** Item errors not made: the error limit had been reached. */
  skipped = 0;
  /** The fields (graphql-js's field nodes, one array a field of the document) that made an error. */
  private readonly fields = new WeakSet<readonly FieldNode[]>();
  constructor(private left: number) {}

  /** Whether one more may be made (counted) at `field`; else it is counted as skipped. */
  take(field?: readonly FieldNode[]): boolean {
    const first = field !== undefined && !this.fields.has(field);
    if (first) this.fields.add(field);
    if (this.left > 0 || first) {
      this.left = Math.max(0, this.left - 1);
      return true;
    }
    this.skipped++;
    return false;
  }
}

/**
 * The error of item `index` of the list the field of `info` resolves to, made already located:
 * graphql-js answers an error that has a path as it is, instead of making another one from it.
 * Its locations are the field's, worked out once for all its items (`locationsOf`); its nodes are
 * set after it is made, so that the constructor does not work them out again. Null, with the
 * operation's `budget` spent: the error limit has been reached (`ErrorBudget`).
 */
export function itemError(
  message: string,
  extensions: GraphQLErrorOptions["extensions"],
  info: Pick<GraphQLResolveInfo, "path" | "fieldNodes">,
  index: number,
): GraphQLError;
export function itemError(
  message: string,
  extensions: GraphQLErrorOptions["extensions"],
  info: Pick<GraphQLResolveInfo, "path" | "fieldNodes">,
  index: number,
  budget: ErrorBudget | undefined,
): GraphQLError | null;
export function itemError(
  message: string,
  extensions: GraphQLErrorOptions["extensions"],
  info: Pick<GraphQLResolveInfo, "path" | "fieldNodes">,
  index: number,
  budget?: ErrorBudget,
): GraphQLError | null {
  // past the error limit: null at its place, as with the error, which the cut would drop
  if (budget && !budget.take(info.fieldNodes)) return null;
  const error = userError(message, { path: [...responsePath(info), index], extensions });
  const located = error as { -readonly [K in "locations" | "nodes"]: GraphQLError[K] };
  located.locations = locationsOf(info.fieldNodes);
  located.nodes = info.fieldNodes;
  return error;
}

/**
 * `loaded`, or, when it rejects with the graph's NotFoundError (a key the graph does not hold: a
 * loader gives it as it is, refs.ts) or a NOT_FOUND error, item `index`'s NOT_FOUND error,
 * located (`itemError`), in the request's slices when `deadline` is given, and only within the
 * operation's `budget`: past it, null, and no error is made at all. Any other rejection (the
 * deadline's) comes through as it came.
 *
 * The slices, because a loader's batch settles its keys all at once, and every item that asked
 * for one of them then has its error made in the same run of microtasks: nine aliases of
 * `_entities` or `nodes(ids:)` over the same 1,000 unknown keys made their 9,000 errors in one
 * turn, 110-148 ms of CPU in process (red team 6's repro: 93 and 117 ms held at 100k).
 */
export function itemNotFound(
  loaded: Promise<unknown>,
  info: Pick<GraphQLResolveInfo, "path" | "fieldNodes">,
  index: number,
  deadline?: Deadline,
  budget?: ErrorBudget,
): Promise<unknown> {
  return loaded.catch(async (error: unknown) => {
    if (
      !(error instanceof NotFoundError) &&
      !(error instanceof GraphQLError && error.extensions.code === "NOT_FOUND")
    )
      throw error;
    // asked again after each turn: every item waiting resumes in one run (Deadline.pause)
    for (let turn = deadline?.pause(ITEM_WORK); turn; turn = deadline?.pause(ITEM_WORK)) await turn;
    const extensions = error instanceof GraphQLError ? error.extensions : { code: "NOT_FOUND" };
    return itemError(error.message, extensions, info, index, budget);
  });
}

/**
 * `error`, thrown by the resolver of the field of `info`, made the error graphql-js would answer
 * for it, already located: a GraphQLError without a path (a user error: a bad argument, cursor or
 * filter) becomes the one graphql-js's `locatedError` would make from it (its message,
 * extensions, path, nodes and locations, with `error` as its `originalError` and its stack),
 * which graphql-js then answers as it is. Anything else comes back as it came.
 *
 * graphql-js's own made each one dear: it captures a stack, which its constructor then formats
 * (through source maps, under tsx) only to replace it with the original's, and it finds the
 * field's locations in the document again, reading it from its start. A field under a list fails
 * once per item: `persons(first: 100) { nodes { tenures(first: -1) { … } } }`, ten times aliased,
 * made 1,000 such errors, and held the loop 50-150 ms; after a comment of 90,000 characters,
 * 100-500 ms (bench/RESULTS.md, "Argument errors by the thousand").
 */
export function locatedFieldError(
  error: unknown,
  info: Pick<GraphQLResolveInfo, "path" | "fieldNodes">,
): unknown {
  if (
    !(error instanceof GraphQLError) ||
    Array.isArray(error.path) ||
    error.nodes !== undefined ||
    error.positions !== undefined
  )
    return error;
  // (no stack captured: the original's is taken, as graphql-js's constructor takes it)
  const located = uncapturedError(error.message, {
    path: responsePath(info),
    originalError: error,
  });
  const placed = located as {
    -readonly [K in "locations" | "nodes" | "source" | "positions"]: GraphQLError[K];
  };
  const starts = info.fieldNodes.flatMap((node) => (node.loc ? [node.loc] : []));
  placed.nodes = info.fieldNodes.length > 0 ? info.fieldNodes : undefined;
  placed.source = starts[0]?.source;
  placed.positions = starts.length > 0 ? starts.map((loc) => loc.start) : undefined;
  placed.locations = locationsOf(info.fieldNodes);
  return located;
}
