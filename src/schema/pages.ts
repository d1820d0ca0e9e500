/**
 * How every list resolver builds its page, in one place: the list's identity for its cursors (the
 * field, and the entity it hangs on: `listOf`), the request's deadline for the filter and the sort,
 * a filter's input errors as BAD_USER_INPUT naming the argument, and the filtering done in slices
 * of the event loop. A resolver says only *what* it lists (a kind and an index of the graph, or the
 * records of its parent); it cannot forget the deadline, or issue cursors another list accepts.
 *
 * - `rootPage`: a root list of entities (`Query.persons`).
 * - `relationPage`: the entities an index holds for a parent (`State.persons`: personsByNationality).
 * - `recordPage`: a list of records of a parent or of the root (names, successions, search hits).
 * - `asOfPage`: a time-bound list whose edges carry their certainty (tenures, name history).
 */

import type { GraphQLResolveInfo } from "graphql";
import type { CertaintyBasis } from "../graph/asof.js";
import type { KnowledgeGraph, MultiIndex } from "../graph/graph.js";
import {
  type AsOf,
  type EntityEventFilterInput,
  type FilterInputOf,
  type ListArgs,
  selectKeysSliced,
} from "../graph/lists.js";
import type { EntityKind } from "../graph/model.js";
import type { Context } from "./builder.js";
import { FIELD_WORK } from "./deadline-plugin.js";
import { withInputErrors } from "./filters.js";
import { listsCodeOf } from "./lists-code.js";
import { type Edge, listOf, type PageArgs, paginate, type Sliceable } from "./pagination.js";

/** The arguments of a list of entities of `kind`: its filter, order and page. */
export type EntityPageArgs<K extends EntityKind> = PageArgs &
  ListArgs<FilterInputOf<K> | EntityEventFilterInput, string>;

/** The graph's indexes of keys by parent (`personsByNationality`, `officesByWhole`, ...). */
export type KeyIndex = {
  [P in keyof KnowledgeGraph]: KnowledgeGraph[P] extends MultiIndex<string> ? P : never;
}[keyof KnowledgeGraph];

/** Where a relation list's keys come from: an index of the graph by the parent's key, or keys computed from the parent. */
export type Relation = KeyIndex | ((graph: KnowledgeGraph, parent: string) => readonly string[]);

/** The keys a relation holds for `parent`. */
export function relatedKeys(
  graph: KnowledgeGraph,
  relation: Relation,
  parent: { id: string },
): readonly string[] {
  return typeof relation === "function"
    ? relation(graph, parent.id)
    : graph[relation].get(parent.id);
}

/** Work units of making a page once its list is ready (cursors, a slice): about a field's. */
const PAGE_WORK = FIELD_WORK;

/**
 * The checkpoint before a page is made: a page function resumes after its list is ready, past
 * the field's own checkpoint (deadline-plugin.ts), together with every other list of the request;
 * when the request's slice is used by then, it waits for a turn (Deadline.pause). Awaited only
 * then, so a request within its slice pays no extra turn of microtasks.
 */
export function pageTurn(ctx: Context): Promise<void> | undefined {
  return ctx.deadline?.pause(PAGE_WORK);
}

/**
 * `make()` once the request may go on (`pageTurn`), asked again after each turn waited, right
 * before `make` runs: the lists that waited for one turn resume together, and each must see the
 * time the ones before it used (Deadline.pause).
 */
export function afterTurn<T>(ctx: Context, make: () => T): T | Promise<T> {
  const turn = pageTurn(ctx);
  // (made at once when the request may go on: no turn of microtasks more than the page's own)
  return turn ? turn.then(() => afterTurn(ctx, make)) : make();
}

/** A page of the root list of `kind` (every entity of it), filtered and ordered as `args` say. */
export async function rootPage<K extends EntityKind>(
  ctx: Context,
  info: GraphQLResolveInfo,
  kind: K,
  args: EntityPageArgs<K>,
) {
  const keys = await withInputErrors(ctx, () =>
    selectKeysSliced(ctx.graph, kind, args, { deadline: ctx.deadline }),
  );
  return afterTurn(ctx, () => paginate(args, keys, listOf(info, undefined, versionsOf(ctx))));
}

/**
 * A page of the entities of `kind` related to `parent` (its persons, its offices, ...), filtered
 * and ordered as `args` say; `eventsOf` for the events of an entity (the `role` it plays in each).
 */
export async function relationPage<K extends EntityKind>(
  ctx: Context,
  info: GraphQLResolveInfo,
  parent: { id: string },
  kind: K,
  relation: Relation,
  args: EntityPageArgs<K>,
  options: { eventsOf?: string } = {},
) {
  const keys = await withInputErrors(ctx, () => {
    const related = relatedKeys(ctx.graph, relation, parent);
    return selectKeysSliced(ctx.graph, kind, args, {
      relation: related,
      ...options,
      deadline: ctx.deadline,
    });
  });
  return afterTurn(ctx, () => paginate(args, keys, listOf(info, parent, versionsOf(ctx))));
}

/**
 * A page of records (not entities: names, successions, cooperations, search hits, timeline entries)
 * of `parent` (absent for a root list), as `select` filters and orders them. `select` is handed
 * the request's deadline; it may answer a promise (a list filtered in slices).
 */
export async function recordPage<T>(
  ctx: Context,
  info: GraphQLResolveInfo,
  parent: { id: string } | undefined,
  args: PageArgs,
  select: (deadline: Context["deadline"]) => Sliceable<T> | Promise<Sliceable<T>>,
) {
  const items = await withInputErrors(ctx, () => select(ctx.deadline));
  return afterTurn(ctx, () => paginate(args, items, listOf(info, parent, versionsOf(ctx))));
}

/**
 * A page of a time-bound list: edges whose node is the entry and which carry its certainty on the
 * list's `asOf` date (see filters.ts, certaintyEdgeFields).
 */
export function asOfPage<T>(
  ctx: Context,
  info: GraphQLResolveInfo,
  parent: { id: string } | undefined,
  args: PageArgs,
  items: Sliceable<AsOf<T>>,
  basisOf?: (item: T) => CertaintyBasis,
) {
  const page = paginate(args, items, listOf(info, parent, versionsOf(ctx)));
  return { ...page, edges: page.edges.map((edge) => new AsOfEdge(edge, basisOf)) };
}

/**
 * An edge of a time-bound list: the entry as its node, with its certainty and what that rests on
 * (worked out when asked, for an edge with a certainty); the cursor made when read.
 */
class AsOfEdge<T> {
  readonly node: T;
  readonly certainty: AsOf<T>["certainty"];
  private basisFound: CertaintyBasis | null | undefined;
  constructor(
    private readonly edge: Edge<AsOf<T>>,
    private readonly basisOf?: (item: T) => CertaintyBasis,
  ) {
    this.node = edge.node.item;
    this.certainty = edge.node.certainty;
  }

  get cursor(): string {
    return this.edge.cursor;
  }

  basis(): CertaintyBasis | null {
    if (this.basisFound === undefined)
      this.basisFound = this.certainty !== null && this.basisOf ? this.basisOf(this.node) : null;
    return this.basisFound;
  }
}

/**
 * The version of the data and of the code a list is read with, which its cursors carry
 * (pagination.ts): a list's entries and their order are the graph's code's (src/graph: filters,
 * orders, search) and the schema's (the lists put together there: lists-code.ts), and a deploy
 * that changes them for the same data moved an offset as a reload does (review 16d: "ＯＳＣＥ
 * chairmanship" gave 6 hits, then 17, and the old cursors were taken). With it, the version the
 * server started with, which cursors of the release before (without a version) are taken to be
 * of (`Context.startVersion`).
 */
function versionsOf(ctx: Context): { version: string; startVersion?: string } {
  const code = listsCodeOf();
  const version = `${ctx.graph.contentHash}:${code}`;
  return ctx.startVersion === undefined
    ? { version }
    : { version, startVersion: `${ctx.startVersion}:${code}` };
}
