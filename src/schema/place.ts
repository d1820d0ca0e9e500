import { stayIn } from "../graph/asof.js";
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
import { NameThenRef, stayNameThenOf } from "./name-then.js";
import { nameFields } from "./names.js";
import { officeListArgs } from "./office.js";
import { relationPage, rootPage } from "./pages.js";
import { type Edge, NULL_WHEN_INVALID } from "./pagination.js";
import { EventRef, OfficeRef, PlaceRef, StateRef } from "./refs.js";
import { isKind } from "./type-guards.js";

const PlaceKindEnum = builder.enumType("PlaceKind", {
  description: "What sort of place a `Place` is.",
  values: { CITY: { description: "A city." } } as const,
});
const PlaceKindFilter = enumFilter<PlaceKind>("PlaceKind", PlaceKindEnum, "a place's kind");

/** An edge of a place's offices: the office's key, and the place, for the name it bore there. */
class PlaceOfficeEdge {
  readonly node: string;
  constructor(
    private readonly edge: Edge<string>,
    readonly place: string,
  ) {
    this.node = edge.node;
  }

  get cursor(): string {
    return this.edge.cursor;
  }
}

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
    offices: t.connection(
      {
        type: OfficeRef,
        description:
          "Offices located here at some time (see `Office.locations` for when), by name. Each office's `name` is its latest one, which it may never have borne here " +
          "(the field office left Almaty in 2007 and is the OSCE Programme Office in Astana since 2014): each edge's `nameWhileHere` says what it was called while here.",
        args: officeListArgs(t.arg),
        resolve: async (p, args, ctx, info) => {
          const page = await relationPage(ctx, info, p, "office", "officesByPlace", args);
          return { ...page, edges: page.edges.map((edge) => new PlaceOfficeEdge(edge, p.id)) };
        },
      },
      {},
      {
        fields: (e) => ({
          nameWhileHere: e.field({
            type: NameThenRef,
            nullable: true,
            description:
              "What the office was called while it sat here: its name over its stay's period (its first dated stay here, as `Office.locations` lists them), with how certainly, " +
              "the names it bore only on the stay's first or last day (a move that was also a renaming) after the others: in Almaty, OSCE Centre in Almaty (MAYBE: on the day it left it became OSCE Centre in Astana, the alternative). " +
              "Null when the source dates none of its stays here.",
            resolve: (edge, _args, ctx) => {
              const { node, place } = edge as PlaceOfficeEdge;
              const office = ctx.graph.get("office", node)!;
              const stay = stayIn(office, place);
              return (stay && stayNameThenOf(ctx, office, stay)) ?? null;
            },
          }),
        }),
      },
    ),
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
