/**
 * The one convention every list of the API follows: a typed `filter` (built from the reusable
 * inputs below, plus `and`/`or`/`not`) and an `orderBy`, evaluated by the engine in
 * src/graph/filter.ts; and, on time-bound lists, `asOf` + `certainty` with the certainty on each
 * edge. Errors in any of them are BAD_USER_INPUT errors naming the argument path.
 */
import { type EnumRef, InputObjectRef, type ArgBuilder as PothosArgBuilder } from "@pothos/core";
import type { CertaintyBasis } from "../graph/asof.js";
import type { Certainty } from "../graph/dates.js";
import {
  certaintiesInput,
  type DateFilterInput,
  type Direction,
  type EnumFilterInput,
  edtfInput,
  FilterInputError,
  type KeyFilterInput,
  type OrderInput,
  type StringFilterInput,
} from "../graph/filter.js";
import { EDTF_ARGUMENT_HELP } from "./arguments.js";
import { builder, type Types } from "./builder.js";
import { edgeCertaintyBasisFields } from "./certainty-basis.js";
import { userError } from "./errors.js";
import { withSuggestions } from "./suggestions.js";

/**
 * Runs `fn`, turning a FilterInputError into a BAD_USER_INPUT error that names the argument path;
 * an unknown key's error gets the suggestions of the request `ctx` (null where the input names
 * no keys: an `asOf`, a list of names).
 */
export function withInputErrors<T>(ctx: SuggestingContext | null, fn: () => T): T {
  try {
    const result = fn();
    // a list filtered in slices (selectKeysSliced) fails later, in its promise
    return (
      result instanceof Promise ? result.catch((error) => asInputError(ctx, error)) : result
    ) as T;
  } catch (error) {
    return asInputError(ctx, error);
  }
}

type SuggestingContext = Parameters<typeof withSuggestions>[0];

function asInputError(ctx: SuggestingContext | null, error: unknown): never {
  if (error instanceof FilterInputError) {
    const message =
      error.unknownKey && ctx ? withSuggestions(ctx, error.unknownKey) : error.message;
    throw userError(`Argument "${error.path}": ${message}.`, {
      extensions: { code: "BAD_USER_INPUT", argumentName: error.path },
    });
  }
  throw error;
}

/** What a field's filter given no operator asks (filter.ts compileFilter: red team 54, F5). */
export const NO_OPERATOR =
  "Given no operator (`{}`), it asks nothing: every item matches, one without a value too, as with the field left out.";

export const StringFilter = builder.inputRef<StringFilterInput>("StringFilter").implement({
  description:
    "Conditions on a text. Every operator given must hold. `eq` and `in` compare exactly (case and accents count); " +
    "`contains` and `startsWith` ignore case, diacritics, width and invisible characters (`szabo` and `ＳＺＡＢＯ` match György Szabó). An absent value matches no operator. " +
    NO_OPERATOR,
  fields: (t) => ({
    eq: t.string({ description: "The text is exactly this." }),
    in: t.stringList({ description: "The text is exactly one of these (at least one)." }),
    contains: t.string({
      description:
        "The text contains this (not empty), ignoring case, diacritics, width and invisible characters.",
    }),
    startsWith: t.string({
      description:
        "The text starts with this (not empty), ignoring case, diacritics, width and invisible characters.",
    }),
  }),
});

export const KeyFilter = builder.inputRef<KeyFilterInput>("KeyFilter").implement({
  description:
    "Conditions on a reference to an entity, by readable key: `state/hungary`, or just `hungary` where the kind is clear; case, accents and spaces do not matter. " +
    "An unknown key is an error (with suggestions), not an empty result. On a list of references (an office's dimensions), " +
    `one reference must satisfy every operator given. ${NO_OPERATOR}`,
  fields: (t) => ({
    eq: t.string({ description: "The reference is to the entity with this key." }),
    in: t.stringList({
      description: "The reference is to one of the entities with these keys (at least one).",
    }),
  }),
});

export const CertaintyEnum = builder.enumType("Certainty", {
  description:
    "How certainly a fact held on a date, given what the source says and when it was last updated (2016-03-18 for the built-in source). " +
    "The rule: a fact certainly holds only on its certain span. For a single date used as a period (an event dated `2010`) that is every day " +
    "the date denotes, 1 January to 31 December: a year-long `2010` is YES on 2010-06-15. For an interval it runs from the LAST day its start " +
    "may denote to the FIRST day its end may denote: `2011-09/2011-12` began on some day of September and ended on some day of December, so it " +
    "certainly held only from 2011-09-30 to 2011-12-01, and 2011-09-15 is MAYBE. An open end (`..`, ongoing as of the source) is certain up to " +
    "the source's last update; an unknown end is never certain. YES when the certain span contains every day the asked date may denote (a month " +
    "or year asked about must be covered whole); NO when the fact's possible days (from the first day its start may denote to the last day its " +
    "end may denote, unbounded where open or unknown) share no day with the asked date; MAYBE otherwise. A POINT_IN_TIME tenure is never NO " +
    "(its bounds are unknown, not absent).",
  values: {
    YES: {
      description: "Certainly: the fact's certain span covers every day the date may denote.",
    },
    MAYBE: {
      description:
        "Possibly: the date reaches beyond the certain span but not beyond the possible days; e.g. a bound known only to the month or year, " +
        "an unknown end, an open end (`..`) asked about after the source's last update, or a tenure only attested at another moment (POINT_IN_TIME).",
    },
    NO: { description: "Certainly not: the fact's possible days and the date share no day." },
  } as const,
});

export const DateFilter = builder.inputRef<DateFilterInput>("DateFilter").implement({
  description:
    `Conditions on a date or period; every operator given must hold. Each takes an EDTF date or interval. ${EDTF_ARGUMENT_HELP} ` +
    "Partial dates are compared by the days they may denote, never as strings: `2010` may denote any day of 2010. " +
    "Open (`..`) and unknown ends reach infinitely. A fact without a date may have been at any time. " +
    NO_OPERATOR,
  fields: (t) => ({
    overlaps: t.string({
      description:
        "The date may share a day with this one (`2010` overlaps `2010-07-16/2010-07-17` and `2009/..`).",
    }),
    activeAt: t.string({
      description:
        "The fact was in force on this date with one of the certainties in `certainty` (by default YES or MAYBE: it may have been). " +
        "On tenures this follows the same rule as `asOf`. An event that is an act (see `EventKind`: an accession, an opening, a decision, an appointment, a completion), and a timeline entry that marks a moment (a start, an end, a change), happened on one day of its date: YES only when its date is that one day, MAYBE on any day of a year or month it gives (the 1992 accession on `1992-06-01`); a chairmanship, a meeting or a summit took place through its date.",
    }),
    certainty: t.field({
      type: [CertaintyEnum],
      description:
        "Which certainties `activeAt` accepts (at least one; requires `activeAt`). [YES] asks for facts that certainly held. " +
        "The certainty is judged on the dates as the graph holds them, editorial bounds included (a YES or NO may rest on one): a filter does not say " +
        "what it rests on; ask the list `asOf` the date (e.g. `tenures(asOf:)`) for each edge's `certaintyBasis` and `certaintyRestsOn`.",
    }),
    before: t.string({
      description:
        "The date certainly ends before this one starts: its last possible day precedes this date's first. An open or unknown end never does.",
    }),
    after: t.string({
      description:
        "The date certainly starts after this one ends: its first possible day follows this date's last. An unknown start never does, unless an event bounds it (see `PartialDate.startsNotBefore`): then from that event's first day.",
    }),
  }),
});

export const OrderDirectionEnum = builder.enumType("OrderDirection", {
  description: "Which way an `orderBy` field sorts.",
  values: {
    ASC: { value: "ASC" as Direction, description: "Ascending: A to Z, oldest first." },
    DESC: { value: "DESC" as Direction, description: "Descending: Z to A, newest first." },
  } as const,
});

/** `<Enum>Filter { eq, in }` for an enum of the schema. */
export function enumFilter<E extends string>(
  name: string,
  enumRef: EnumRef<Types, E, E>,
  what: string,
) {
  const ref = new InputObjectRef<Types, EnumFilterInput<E>>(`${name}Filter`);
  // Pothos checks an input's fields against its shape with conditional types, which a generic E
  // leaves unresolved: the fields are checked against the shape for any enum value (a widening,
  // not a cast); the ref handed out keeps E, as its only field type is the enum of E
  const anyValue: InputObjectRef<Types, EnumFilterInput<string>> = ref;
  builder.inputType(anyValue, {
    description: `Conditions on ${what}; every operator given must hold. An absent value matches no operator. ${NO_OPERATOR}`,
    fields: (t) => ({
      eq: t.field({ type: enumRef, description: `The ${name} is this one.` }),
      in: t.field({ type: [enumRef], description: `The ${name} is one of these (at least one).` }),
    }),
  });
  return ref;
}

/** `<Type>OrderField` and `<Type>Order { field, direction }` for the order fields of a list. */
export function orderInput<F extends string>(
  name: string,
  fields: Record<F, string>,
  completion = "then by key",
) {
  const field = builder.enumType(`${name}OrderField`, {
    description: `What a list of ${name} entries can be ordered by.`,
    values: Object.fromEntries(
      Object.entries(fields).map(([value, description]) => [value, { value, description }]),
    ) as Record<F, { value: F; description: string }>,
  });
  const ref = new InputObjectRef<Types, OrderInput<F>>(`${name}Order`);
  // as in enumFilter: checked for any field name, handed out for F
  const anyField: InputObjectRef<Types, OrderInput<string>> = ref;
  builder.inputType(anyField, {
    description: `One key of an \`orderBy\` over ${name} entries. Ties left by every key given are broken ${completion}, so the order is total and cursors never skip or repeat.`,
    fields: (t) => ({
      field: t.field({ type: field, required: true, description: "What to order by." }),
      direction: t.field({
        type: OrderDirectionEnum,
        defaultValue: "ASC",
        description: "Ascending (the default) or descending.",
      }),
    }),
  });
  return ref;
}

export const filterArgDescription = (what: string) =>
  `Only ${what} that satisfy this filter; \`totalCount\` counts them. Fields (and the operators of each) must all hold; combine whole filters with \`and\`, \`or\`, \`not\`.`;
export const orderByArgDescription = (defaultOrder: string, tieBreak: string) =>
  `The order, by one or more keys in turn; remaining ties are broken ${tieBreak}. Default: ${defaultOrder}.`;

export const AS_OF_DESCRIPTION = `Only entries that held on this date (with a certainty in \`certainty\`); each edge then says its \`certainty\`. ${EDTF_ARGUMENT_HELP}`;
export const CERTAINTY_ARG_DESCRIPTION =
  "With `asOf`: which certainties to return, at least one. Default [YES, MAYBE] (everything that may have held); [YES] for what certainly held.";

/** The `asOf` date and the set of certainties asked for, checked. */
export function asOfInput(
  asOfText: string | null | undefined,
  certainty: readonly Certainty[] | null | undefined,
) {
  return withInputErrors(null, () => {
    if (asOfText === null || asOfText === undefined) {
      if (certainty)
        throw new FilterInputError("certainty", "certainty qualifies asOf: give asOf too");
      return { at: undefined, certainties: certaintiesInput(undefined, "certainty") };
    }
    return {
      at: edtfInput(asOfText, "asOf"),
      certainties: certaintiesInput(certainty, "certainty"),
    };
  });
}

/** The description of a connection type of a time-bound list (`asOf`-capable). */
export const asOfConnectionDescription = (what: string) =>
  `A page of ${what}; asked \`asOf\` a date, each edge says how certainly its entry held then. \`totalCount\` counts the whole (filtered) list.`;
export const asOfEdgeDescription = (what: string) =>
  `One of ${what}, with its cursor and, for an \`asOf\` list, its certainty.`;

/**
 * The `certainty` field of the edges of a time-bound list: the one convention by which every
 * as-of list (tenures, office names, office locations) says how certainly each entry held.
 */
export const certaintyEdgeFields = (t: PothosSchemaTypes.ObjectFieldBuilder<Types, object>) => ({
  certainty: t.field({
    type: CertaintyEnum,
    nullable: true,
    description:
      "How certainly this entry held on the list's `asOf` date (YES or MAYBE, or NO if `certainty` asked for it); null when the list was not asked `asOf`.",
    resolve: (edge) => (edge as { certainty?: Certainty | null }).certainty ?? null,
  }),
  // pages.ts AsOfEdge.basis: every edge of a time-bound list is one
  ...edgeCertaintyBasisFields(
    t,
    (edge) => (edge as { basis?: () => CertaintyBasis | null }).basis?.() ?? null,
  ),
});

type InputFields = PothosSchemaTypes.InputFieldBuilder<Types, "InputObject">;

/** The fields every named entity's filter has: its key, its canonical name, any of its names. */
export const namedFilterFields = (t: InputFields, kind: string, example: string) => ({
  key: t.field({
    type: KeyFilter,
    description: `The ${kind}'s own key, e.g. \`${example}\` (or just the slug).`,
  }),
  name: t.field({
    type: StringFilter,
    description: `The ${kind}'s canonical name, as in its \`name\` field.`,
  }),
  anyName: t.field({
    type: StringFilter,
    description: `Any one of the ${kind}'s names (see \`names\`): canonical, abbreviation, full name, the document's spellings, variants, former names.`,
  }),
});

/** `and`, `or`, `not` over a filter type. */
export function logicalFields<F extends object>(t: InputFields, self: InputObjectRef<Types, F>) {
  return {
    and: t.field({
      type: [self],
      description: "Every one of these filters holds (at least one filter).",
    }),
    or: t.field({
      type: [self],
      description: "At least one of these filters holds (at least one filter).",
    }),
    not: t.field({ type: self, description: "This filter does not hold." }),
  };
}

type ArgBuilder = PothosArgBuilder<Types>;

/** The `filter` and `orderBy` arguments of a list. */
export function listArgs<F extends object, O extends object>(
  arg: ArgBuilder,
  filter: InputObjectRef<Types, F>,
  order: InputObjectRef<Types, O>,
  what: string,
  defaultOrder: string,
  tieBreak = "by key",
) {
  return {
    filter: arg({ type: filter, description: filterArgDescription(what) }),
    orderBy: arg({ type: [order], description: orderByArgDescription(defaultOrder, tieBreak) }),
  };
}

/** The `asOf` and `certainty` arguments of a time-bound list. */
export function asOfArgs(arg: ArgBuilder) {
  return {
    asOf: arg.string({ description: AS_OF_DESCRIPTION }),
    certainty: arg({ type: [CertaintyEnum], description: CERTAINTY_ARG_DESCRIPTION }),
  };
}
