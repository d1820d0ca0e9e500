/**
 * The filter and order of an entity's `names`, the same convention as every list (filters.ts):
 * `names(filter: {kind: {eq: ABBREVIATION}})`, `names(orderBy: [{field: TEXT}])`. Without
 * arguments the list is as before: canonical first.
 */
import { selectNames, type NameFilterInput, type NameOrderField } from "../graph/lists.js";
import { builder } from "./builder.js";
import { NameKind, type NameShape } from "./entity.js";
import { enumFilter, listArgs, logicalFields, orderInput, StringFilter, withInputErrors } from "./filters.js";

const NameKindFilter = enumFilter("NameKind", NameKind, "a name's kind");

export const NameFilter = builder.inputRef<NameFilterInput>("NameFilter").implement({
  description: "Conditions on one of an entity's names; every field given must hold.",
  fields: (t) => ({
    text: t.field({ type: StringFilter, description: "The name as written, e.g. `{contains: \"osce\"}`." }),
    kind: t.field({ type: NameKindFilter, description: "What kind of name it is, e.g. `{eq: ABBREVIATION}` or `{in: [DOCUMENT_SPELLING, VARIANT]}`." }),
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
  listArgs(arg, NameFilter, NameOrder, "names", "canonical first, then abbreviation, then the other names in the source's order", "by that order");

/** The names asked for, filtered and ordered. */
export function selectNameList(names: NameShape[], args: Parameters<typeof selectNames>[1]): NameShape[] {
  return withInputErrors(() => selectNames(names, args));
}
