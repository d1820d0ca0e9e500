import { type CertaintyBasis, participatingOn, participationBasis } from "../graph/asof.js";
import type { Certainty } from "../graph/dates.js";
import {
  type CooperationFilterInput,
  type CooperationOrderField,
  type NamedOrderField,
  type StateFilterInput,
  selectCooperations,
} from "../graph/lists.js";
import type { Event, State } from "../graph/model.js";
import { EDTF_ARGUMENT_HELP, edtfArgument } from "./arguments.js";
import { builder } from "./builder.js";
import { certaintyBasisFields } from "./certainty-basis.js";
import {
  EntityRef,
  EvidenceRef,
  evidenceOf,
  keyArgDescription,
  lookUp,
  namesOf,
} from "./entity.js";
import {
  CertaintyEnum,
  KeyFilter,
  listArgs,
  logicalFields,
  namedFilterFields,
  orderInput,
  withInputErrors,
} from "./filters.js";
import { nameFields } from "./names.js";
import { CooperationRef, officeListArgs } from "./office.js";
import { recordPage, relationPage, rootPage } from "./pages.js";
import { NULL_WHEN_INVALID } from "./pagination.js";
import { datedShape, PartialDateRef } from "./partial-date.js";
import { eventsField } from "./participation.js";
import { personListArgs } from "./person.js";
import { placeListArgs } from "./place.js";
import { postListArgs } from "./post.js";
import { priorityListArgs } from "./priority.js";
import {
  EventRef,
  OfficeRef,
  PersonRef,
  PlaceRef,
  PostRef,
  PriorityRef,
  StateRef,
} from "./refs.js";
import { PostHolderRef } from "./tenure.js";
import { isKind } from "./type-guards.js";

const ParticipationStatusRef = builder
  .objectRef<{ certainty: Certainty; accession: Event; basis: () => CertaintyBasis }>(
    "ParticipationStatus",
  )
  .implement({
    description:
      "Whether a state was an OSCE participating State on a date (see `State.participatingOn`), with the fact that says so.",
    fields: (t) => ({
      certainty: t.field({
        type: CertaintyEnum,
        description:
          "YES: certainly a participating State on every day of the date; MAYBE: possibly (the accession's day is not given, or the date is after the source's last update); NO: certainly not yet.",
        resolve: (p) => p.certainty,
      }),
      ...certaintyBasisFields(t, (p) => p.basis()),
      accession: t.field({
        type: EventRef,
        description: "The ACCESSION event the answer is read from, with its date and provenance.",
        resolve: (p) => p.accession,
      }),
    }),
  });

const CooperationFilter = builder.inputRef<CooperationFilterInput>("CooperationFilter").implement({
  description: "Conditions on a state's cooperation with an office; every field given must hold.",
  fields: (t) => ({
    office: t.field({
      type: KeyFilter,
      description: 'The office cooperated with, e.g. `{eq: "odihr"}`.',
    }),
    ...logicalFields(t, CooperationFilter),
  }),
});

const CooperationOrder = orderInput<CooperationOrderField>(
  "Cooperation",
  { OFFICE: "By the office's key." },
  "by the source's order",
);

const cooperationListArgs = (arg: Parameters<typeof listArgs>[0]) =>
  listArgs(
    arg,
    CooperationFilter,
    CooperationOrder,
    "cooperations",
    "the source's order",
    "by the source's order",
  );

const CooperationConnection = builder.connectionObject(
  {
    type: CooperationRef,
    name: "CooperationConnection",
    description:
      "A page of a state's cooperations with offices, with cursors; `totalCount` counts the whole (filtered) list.",
  },
  {
    name: "CooperationEdge",
    description: "One of a state's cooperations with an office, with its cursor.",
  },
);

/** A state's cooperations, each seen as a link between the state and the office. */
const cooperationsOf = (s: State) =>
  s.cooperatesWith.map((c) => ({ state: s.id, office: c.ref, provenance: c.provenance }));

StateRef.implement({
  description:
    "A state: an OSCE participating State such as Kazakhstan, or a state the source mentions in passing.",
  interfaces: [EntityRef, PostHolderRef],
  isTypeOf: isKind("state"),
  fields: (t) => ({
    name: t.string({
      description: "The state's usual short name, e.g. Kazakhstan.",
      resolve: (s) => s.name.text,
    }),
    ...nameFields(
      t,
      "Every name of the state (canonical first), with kinds and provenance.",
      namesOf,
    ),
    participatingStateSince: t.field({
      type: PartialDateRef,
      nullable: true,
      description:
        "When the state became an OSCE participating State (the date of its ACCESSION event); null when the source does not say.",
      resolve: (s, _args, ctx) => {
        const accession = ctx.graph.participationsByEntity
          .get(s.id)
          .find(
            ({ event, participant }) =>
              event.kind === "ACCESSION" && participant.role === "SUBJECT",
          );
        return accession ? datedShape(accession.event.when, ctx) : null;
      },
    }),
    participatingOn: t.field({
      type: ParticipationStatusRef,
      nullable: true,
      description:
        "Whether the state was an OSCE participating State on a date, and how certainly, from its ACCESSION event: membership runs from the accession's date on, " +
        "open-ended (the source records no end). Kazakhstan's accession is dated only `1992`: on 1992-06-01 the answer is MAYBE (it may have joined later that year), " +
        "from 1992-12-31 (the last day it may have joined on: a period covers its first day) to the source's last update YES, after it MAYBE, and on 1991-12-31 NO. Null when the source gives the state no accession.",
      args: { date: t.arg.string({ required: true, description: EDTF_ARGUMENT_HELP }) },
      resolve: (s, args, ctx) => {
        const at = edtfArgument("date", args.date);
        const status = participatingOn(ctx.graph, s.id, at);
        return status
          ? { ...status, basis: () => participationBasis(ctx.graph, status.accession, at) }
          : null;
      },
    }),
    cooperatesWith: t.field({
      type: [CooperationRef],
      description:
        "The OSCE offices and institutions the state cooperates with, as the source lists them. The whole list at once; `cooperatesWithConnection` gives it in pages.",
      args: cooperationListArgs(t.arg),
      resolve: (s, args, ctx) =>
        withInputErrors(ctx, () =>
          selectCooperations(ctx.graph, cooperationsOf(s), args, ctx.deadline),
        ),
    }),
    cooperatesWithConnection: t.connection(
      {
        type: CooperationRef,
        description:
          "The OSCE offices and institutions the state cooperates with, in pages (`first`/`after`), with `totalCount`: the same list, filter and order as `cooperatesWith`.",
        args: cooperationListArgs(t.arg),
        resolve: (s, args, ctx, info) =>
          recordPage(ctx, info, s, args, (deadline) =>
            selectCooperations(ctx.graph, cooperationsOf(s), args, deadline),
          ),
      },
      CooperationConnection,
    ),
    persons: t.connection({
      type: PersonRef,
      description: "Persons of this nationality, by name.",
      args: personListArgs(t.arg),
      resolve: (s, args, ctx, info) =>
        relationPage(ctx, info, s, "person", "personsByNationality", args),
    }),
    places: t.connection({
      type: PlaceRef,
      description: "Places in this state, by name.",
      args: placeListArgs(t.arg),
      resolve: (s, args, ctx, info) => relationPage(ctx, info, s, "place", "placesByState", args),
    }),
    offices: t.connection({
      type: OfficeRef,
      description:
        "Offices whose state this is (`Office.state`: a field office it hosts, its permanent mission), by name. " +
        "An office that only sits in one of its places is not listed (the Regional Office in Central Asia, in Tashkent, is not Uzbekistan's; Kazakhstan's mission in Vienna is Kazakhstan's, not Austria's): " +
        'ask `offices(filter: { place: { eq: "tashkent" } })` or `place(key:) { offices }` for those.',
      args: officeListArgs(t.arg),
      resolve: (s, args, ctx, info) => relationPage(ctx, info, s, "office", "officesByState", args),
    }),
    posts: t.connection({
      type: PostRef,
      description: "Posts of this state, e.g. its President, by title.",
      args: postListArgs(t.arg),
      resolve: (s, args, ctx, info) => relationPage(ctx, info, s, "post", "postsByState", args),
    }),
    priorities: t.connection({
      type: PriorityRef,
      description:
        "The state's priorities within the OSCE, in the source's order; e.g. `filter: {dimension: {eq: \"human\"}}`, or `filter: {keynote: true}` for the one the source calls the keynote of its activities.",
      args: priorityListArgs(t.arg),
      resolve: (s, args, ctx, info) =>
        relationPage(ctx, info, s, "priority", "prioritiesByState", args),
    }),
    prioritiesConcerning: t.connection({
      type: PriorityRef,
      description:
        "The priorities (of any state) that are about this state, in the source's order: for Ukraine, Kazakhstan's attention to the OSCE's activities in connection with the situation in Ukraine. " +
        "Empty for a state no priority is about.",
      args: priorityListArgs(t.arg),
      resolve: (s, args, ctx, info) =>
        relationPage(ctx, info, s, "priority", "prioritiesByConcern", args),
    }),
    events: eventsField(t, "the state"),
    evidence: t.field({
      type: [EvidenceRef],
      description: "Provenance of the state's single-valued fields (`name`).",
      resolve: (s) => evidenceOf({ name: s.name }),
    }),
  }),
});

export const StateFilter = builder.inputRef<StateFilterInput>("StateFilter").implement({
  description: "Conditions on a state; every field given must hold.",
  fields: (t) => ({
    ...namedFilterFields(t, "state", "state/kazakhstan"),
    cooperatesWith: t.field({
      type: KeyFilter,
      description: "An office the state cooperates with, e.g. `odihr`.",
    }),
    ...logicalFields(t, StateFilter),
  }),
});

export const StateOrder = orderInput<NamedOrderField>("State", {
  NAME: "By name, alphabetically.",
  KEY: "By key.",
});

builder.queryFields((t) => ({
  states: t.connection({
    type: StateRef,
    nullable: true,
    description: `Every state, by name. ${NULL_WHEN_INVALID}`,
    args: listArgs(t.arg, StateFilter, StateOrder, "states", "by name"),
    resolve: (_root, args, ctx, info) => rootPage(ctx, info, "state", args),
  }),
  state: t.field({
    type: StateRef,
    nullable: true,
    description:
      "One state by its readable key; null when there is none, with a NOT_FOUND error that suggests near keys.",
    args: {
      key: t.arg.string({ required: true, description: keyArgDescription("state", "kazakhstan") }),
    },
    resolve: (_root, args, ctx) => lookUp(ctx, "state", args.key),
  }),
}));
