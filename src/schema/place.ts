import type { NamedOrderField, PlaceFilterInput } from "../graph/lists.js";
import type { PlaceKind } from "../graph/model.js";
import { builder } from "./builder.js";
import {
  EntityRef,
  EvidenceRef,
  evidenceOf,
  keyArgDescription,
  lookUp,
  namesOf,
} from "./entity.js";
import { eventListArgs } from "./event.js";
import {
  enumFilter,
  KeyFilter,
  listArgs,
  logicalFields,
  namedFilterFields,
  orderInput,
} from "./filters.js";
import { nameFields } from "./names.js";
import { officeListArgs } from "./office.js";
import { relationPage, rootPage } from "./pages.js";
import { NULL_WHEN_INVALID } from "./pagination.js";
import { EventRef, OfficeRef, PlaceRef, StateRef } from "./refs.js";
import { isKind } from "./type-guards.js";

const PlaceKindEnum = builder.enumType("PlaceKind", {
  description: "What sort of place a `Place` is.",
  values: { CITY: { description: "A city." } } as const,
});
const PlaceKindFilter = enumFilter<PlaceKind>("PlaceKind", PlaceKindEnum, "a place's kind");

PlaceRef.implement({
  description: "A place where offices sit and events happen: a city, in a state.",
  interfaces: [EntityRef],
  isTypeOf: isKind("place"),
  fields: (t) => ({
    name: t.string({ description: "The place's name, e.g. Almaty.", resolve: (p) => p.name.text }),
    ...nameFields(t, "Every name of the place, with kinds and provenance.", namesOf),
    kind: t.field({
      type: PlaceKindEnum,
      description: "What sort of place this is.",
      resolve: (p) => p.kind,
    }),
    state: t.field({
      type: StateRef,
      description: "The state the place lies in.",
      resolve: (p) => p.state.ref,
    }),
    events: t.connection({
      type: EventRef,
      description: "Events that took place here, in chronological order.",
      args: eventListArgs(t.arg),
      resolve: (p, args, ctx, info) => relationPage(ctx, info, p, "event", "eventsByPlace", args),
    }),
    offices: t.connection({
      type: OfficeRef,
      description:
        "Offices located here at some time (see `Office.locations` for when), by name. Each office's `name` is its latest one: " +
        "ask its `namesOn(date:)` for what it was called while here.",
      args: officeListArgs(t.arg),
      resolve: (p, args, ctx, info) => relationPage(ctx, info, p, "office", "officesByPlace", args),
    }),
    evidence: t.field({
      type: [EvidenceRef],
      description: "Provenance of the place's single-valued fields (`name`, `state`).",
      resolve: (p) => evidenceOf({ name: p.name, state: p.state }),
    }),
  }),
});

export const PlaceFilter = builder.inputRef<PlaceFilterInput>("PlaceFilter").implement({
  description: "Conditions on a place; every field given must hold.",
  fields: (t) => ({
    ...namedFilterFields(t, "place", "place/almaty"),
    kind: t.field({ type: PlaceKindFilter, description: "The place's kind." }),
    state: t.field({ type: KeyFilter, description: "The state it lies in, e.g. `kazakhstan`." }),
    ...logicalFields(t, PlaceFilter),
  }),
});

export const PlaceOrder = orderInput<NamedOrderField>("Place", {
  NAME: "By name, alphabetically.",
  KEY: "By key.",
});

/** The `filter` and `orderBy` arguments of a list of places. */
export const placeListArgs = (arg: Parameters<typeof listArgs>[0]) =>
  listArgs(arg, PlaceFilter, PlaceOrder, "places", "by name");

builder.queryFields((t) => ({
  places: t.connection({
    type: PlaceRef,
    nullable: true,
    description: `Every place, by name. ${NULL_WHEN_INVALID}`,
    args: placeListArgs(t.arg),
    resolve: (_root, args, ctx, info) => rootPage(ctx, info, "place", args),
  }),
  place: t.field({
    type: PlaceRef,
    nullable: true,
    description:
      "One place by its readable key; null when there is none, with a NOT_FOUND error that suggests near keys.",
    args: {
      key: t.arg.string({ required: true, description: keyArgDescription("place", "almaty") }),
    },
    resolve: (_root, args, ctx) => lookUp(ctx, "place", args.key),
  }),
}));
