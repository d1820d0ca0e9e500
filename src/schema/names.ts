/**
 * An entity's names, the same convention as every list (filters.ts): `names(filter: {kind: {eq:
 * ABBREVIATION}})`, `names(orderBy: [{field: TEXT}])`. Without arguments the list is as before:
 * canonical first. `names` is the whole list, for simple clients; `namesConnection` pages the same
 * list with cursors (`first`/`after`), beside it, so that no client of the plain list breaks.
 */
import type { Deadline } from "../graph/deadline.js";
import { type NameFilterInput, type NameOrderField, selectNames } from "../graph/lists.js";
import { builder, type Types } from "./builder.js";
import { NameKind, NameRef, type NameShape } from "./entity.js";
import {
  enumFilter,
  listArgs,
  logicalFields,
  orderInput,
  StringFilter,
  withInputErrors,
} from "./filters.js";
import { recordPage } from "./pages.js";

const NameKindFilter = enumFilter("NameKind", NameKind, "a name's kind");

export const NameFilter = builder.inputRef<NameFilterInput>("NameFilter").implement({
  description: "Conditions on one of an entity's names; every field given must hold.",
  fields: (t) => ({
    text: t.field({
      type: StringFilter,
      description: 'The name as written, e.g. `{contains: "osce"}`.',
    }),
    kind: t.field({
      type: NameKindFilter,
      description:
        "What kind of name it is, e.g. `{eq: ABBREVIATION}` or `{in: [DOCUMENT_SPELLING, VARIANT]}`.",
    }),
    ...logicalFields(t, NameFilter),
  }),
});

export const NameOrder = orderInput<NameOrderField>(
  "Name",
  { TEXT: "By the name as written, alphabetically.", KIND: "By kind name, alphabetically." },
  "by the list's own order (canonical first)",
);

/** The `filter` and `orderBy` arguments of a `names` list. */
export const nameListArgs = (arg: Parameters<typeof listArgs>[0]) =>
  listArgs(
    arg,
    NameFilter,
    NameOrder,
    "names",
    "canonical first, then abbreviation, then the other names in the source's order",
    "by that order",
  );

/** The names asked for, filtered and ordered. */
export function selectNameList(
  names: NameShape[],
  args: Parameters<typeof selectNames>[1],
  deadline?: Deadline,
): NameShape[] {
  return withInputErrors(null, () => selectNames(names, args, deadline));
}

/** The one connection type of every entity's `namesConnection`. */
const NameConnection = builder.connectionObject(
  {
    type: NameRef,
    name: "NameConnection",
    description:
      "A page of an entity's names, with cursors; `totalCount` counts the whole (filtered) list.",
  },
  { name: "NameEdge", description: "One of an entity's names, with its cursor." },
);

/**
 * `names` (the whole list) and `namesConnection` (the same list in pages) of an entity type:
 * `what` says whose names they are ("Every name of the state, ..."), `names` gives them.
 */
export function nameFields<P extends { id: string }>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, P>,
  what: string,
  names: (parent: P) => NameShape[],
) {
  return {
    names: t.field({
      type: [NameRef],
      description: `${what} The whole list at once; \`namesConnection\` gives it in pages.`,
      args: nameListArgs(t.arg),
      resolve: (parent, args, ctx) => selectNameList(names(parent), args, ctx.deadline),
    }),
    namesConnection: t.connection(
      {
        type: NameRef,
        description: `${what} In pages (\`first\`/\`after\`), with \`totalCount\`: the same list, filter and order as \`names\`.`,
        args: nameListArgs(t.arg),
        resolve: (parent, args, ctx, info) =>
          recordPage(ctx, info, parent, args, (deadline) =>
            selectNames(names(parent), args, deadline),
          ),
      },
      NameConnection,
    ),
  };
}
