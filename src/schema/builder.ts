/** The Pothos schema builder, and nothing else: types live in one file each beside it. */
import SchemaBuilder from "@pothos/core";
import DataloaderPlugin from "@pothos/plugin-dataloader";
// their options and methods type-check in either mode; the plugins themselves load in subgraph mode only
import type {} from "@pothos/plugin-directives";
import type {} from "@pothos/plugin-federation";
import RelayPlugin from "@pothos/plugin-relay";
import type { Deadline } from "../graph/deadline.js";
import type { KnowledgeGraph } from "../graph/graph.js";
import type { KeySuggestions } from "../graph/keys.js";
import type { SearchIndex } from "../graph/search.js";
import ExecutionDeadlinePlugin from "./deadline-plugin.js";
import EntityKeysPlugin from "./entity-plugin.js";
import { type ErrorBudget, orNotFound } from "./errors.js";
import { federationEnabled } from "./federation-mode.js";
import { decodeGlobalId } from "./global-id.js";
import LocatedErrorsPlugin from "./located-errors-plugin.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./pagination.js";

/** Per-request context: the graph being served (loaders are cached per context object by Pothos). */
export interface Context {
  graph: KnowledgeGraph;
  search: SearchIndex;
  /**
   * The request's execution deadline, set by the server before the operation executes
   * (limits.ts); resolvers hand it to the graph's long loops. Absent outside the server.
   */
  deadline?: Deadline;
  /**
   * The request's "did you mean" suggestions and their budget, made when it first names an
   * unknown key (src/schema/suggestions.ts).
   */
  suggestions?: KeySuggestions;
  /**
   * The item errors the operation may still make before the error limit (errors.ts ErrorBudget),
   * set by the server with its deadline. Absent outside the server: every error is made.
   */
  errorBudget?: ErrorBudget;
  /**
   * The content hash of the graph the server started with: page cursors of the release before,
   * which carry no version of the data, are read as of it (pagination.ts), so refused as stale
   * once a reload serves other data. Absent outside the server: read as of `graph`.
   */
  startVersion?: string;
}

// Subgraph mode (federation-mode.ts): Directives and Federation mark types (`@key`, `@shareable`)
// for the subgraph schema that federation.ts builds from this same builder; `toSchema()` prints
// and answers exactly as without them
const federationPlugins: ("directives" | "federation")[] = federationEnabled()
  ? [
      (await import("@pothos/plugin-directives")).default,
      (await import("@pothos/plugin-federation")).default,
    ]
  : [];

export const builder = new SchemaBuilder<{
  Context: Context;
  // Explicit, so that a Pothos upgrade cannot silently change the schema's nullability.
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
  Scalars: {
    Date: { Input: string; Output: string };
    ID: { Input: string; Output: string };
  };
  Connection: { totalCount: number };
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
}>({
  // first, so that its check wraps every other plugin's resolver: the deadline is checked before anything of a field runs
  // LocatedErrorsPlugin next: the errors of every other plugin's wrapper reach it (located-errors-plugin.ts)
  // EntityKeysPlugin last, inside DataloaderPlugin's wrapper: it turns keys into entities at once,
  // and the DataLoader then finds entities and loads nothing (entity-plugin.ts)
  plugins: [
    ExecutionDeadlinePlugin,
    LocatedErrorsPlugin,
    ...federationPlugins,
    RelayPlugin,
    DataloaderPlugin,
    EntityKeysPlugin,
  ],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: "omit",
    // the graph is frozen, so Pothos must not brand loaded entities; every type has isTypeOf instead
    brandLoadedObjects: false,
    cursorType: "String",
    // the default decoding, but strict, and with an error a client can act on
    decodeGlobalID: (globalID: string) => decodeGlobalId(globalID),
    nodeTypeOptions: {
      description:
        "An object with an opaque, globally unique `id`: fetch any of them again with `node(id:)`.",
    },
    pageInfoTypeOptions: {
      description:
        "Where a page of a connection sits: use the cursors to fetch the next or previous page.",
      // subgraph mode: every subgraph built with Pothos' relay plugin defines PageInfo, and a
      // supergraph composes only if all mark it shareable (without the federation plugin, ignored)
      shareable: true,
    },
    nodeQueryOptions: {
      description:
        "Fetches any entity by its opaque global `id` (as returned in any `id` field). Null, with a NOT_FOUND error, when no entity has that id.",
      args: { id: { description: "A global id, as returned in an `id` field." } },
      // through the kind's loader (refs.ts), which gives an unknown key's NotFoundError as it is
      resolve: (_root, args, _context, _info, resolveNode) => orNotFound(resolveNode(args.id)),
    },
    // answered id by id in node.ts, so that one malformed id does not fail the others
    nodesQueryOptions: false,
    idFieldOptions: {
      description:
        "Opaque global id of this entity, for `node(id:)`. Do not parse it: use `key` for a readable id.",
    },
    edgesFieldOptions: {
      nullable: { list: false, items: false },
      description: "The entries of this page, each with its cursor.",
    },
    pageInfoFieldOptions: { description: "Cursors and flags to fetch the neighbouring pages." },
    cursorFieldOptions: {
      description: "Opaque cursor of this entry: pass it as `after` or `before` to page from here.",
    },
    nodeFieldOptions: {
      nullable: false,
      description:
        "The entry itself: an entity, or a record of one (a tenure, a name, a succession, a participation), as the list holds.",
    },
    nodesOnConnection: {
      description: "The entries of this page, without cursors: a shortcut for `edges { node }`.",
    },
    firstArgOptions: {
      description: `Return the first N entries (after \`after\`, if given): 0 to ${MAX_PAGE_SIZE}. Without \`first\` and \`last\`, a page holds the first ${DEFAULT_PAGE_SIZE}.`,
    },
    afterArgOptions: {
      description:
        "Return entries after this cursor (an `endCursor` or edge `cursor` from an earlier page).",
    },
    lastArgOptions: {
      description: `Return the last N entries (before \`before\`, if given): 0 to ${MAX_PAGE_SIZE}.`,
    },
    beforeArgOptions: {
      description:
        "Return entries before this cursor (a `startCursor` or edge `cursor` from an earlier page).",
    },
    defaultConnectionTypeOptions: {
      description:
        "A page of a list: `nodes` (or `edges` with cursors) hold the entries, `pageInfo` says how to page on, `totalCount` counts the whole list.",
    },
    defaultEdgeTypeOptions: { description: "One entry of a page of a list, with its cursor." },
    hasNextPageFieldOptions: { description: "Whether more entries follow this page." },
    hasPreviousPageFieldOptions: { description: "Whether entries precede this page." },
    startCursorFieldOptions: {
      description: "Cursor of the first entry of this page; null when the page is empty.",
    },
    endCursorFieldOptions: {
      description: "Cursor of the last entry of this page; null when the page is empty.",
    },
  },
});

/** The builder's schema types, for helpers that build fields and inputs outside one type's file. */
export type Types = typeof builder.$inferSchemaTypes;

builder.globalConnectionField("totalCount", (t) =>
  t.int({
    description: "How many entries the whole list has, across all pages.",
    resolve: (connection) => connection.totalCount,
  }),
);
