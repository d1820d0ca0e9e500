import { selectKeys, selectKeysSliced, type NamedOrderField, type StateFilterInput } from "../graph/lists.js";
import { builder } from "./builder.js";
import { EntityRef, evidenceOf, EvidenceRef, keyArgDescription, keyOf, NameRef, namesOf, pageOf } from "./entity.js";
import { KeyFilter, listArgs, logicalFields, namedFilterFields, orderInput, withInputErrors } from "./filters.js";
import { CooperationRef, officeListArgs } from "./office.js";
import { personListArgs } from "./person.js";
import { placeListArgs } from "./place.js";
import { postListArgs } from "./post.js";
import { priorityListArgs } from "./priority.js";
import { eventsField } from "./participation.js";
import { datedShape, PartialDateRef } from "./partial-date.js";
import { OfficeRef, PersonRef, PlaceRef, PostRef, PriorityRef, StateRef } from "./refs.js";
import { PostHolderRef } from "./tenure.js";
import { isKind } from "./type-guards.js";

StateRef.implement({
  description: "A state: an OSCE participating State such as Kazakhstan, or a state the source mentions in passing.",
  interfaces: [EntityRef, PostHolderRef],
  isTypeOf: isKind("state"),
  fields: (t) => ({
    name: t.string({ description: "The state's usual short name, e.g. Kazakhstan.", resolve: (s) => s.name.text }),
    names: t.field({ type: [NameRef], description: "Every name of the state (canonical first), with kinds and provenance.", resolve: (s) => namesOf(s) }),
    participatingStateSince: t.field({
      type: PartialDateRef,
      nullable: true,
      description: "When the state became an OSCE participating State (the date of its ACCESSION event); null when the source does not say.",
      resolve: (s, _args, ctx) => {
        const accession = ctx.graph.participationsByEntity
          .get(s.id)
          .find(({ event, participant }) => event.kind === "ACCESSION" && participant.role === "SUBJECT");
        return accession ? datedShape(accession.event.when, ctx) : null;
      },
    }),
    cooperatesWith: t.field({
      type: [CooperationRef],
      description: "The OSCE offices and institutions the state cooperates with, as the source lists them.",
      resolve: (s) => s.cooperatesWith.map((c) => ({ state: s.id, office: c.ref, provenance: c.provenance })),
    }),
    persons: t.connection({
      type: PersonRef,
      description: "Persons of this nationality, by name.",
      args: personListArgs(t.arg),
      resolve: (s, args, ctx) =>
        pageOf(args, withInputErrors(() => selectKeys(ctx.graph, "person", args, { relation: ctx.graph.personsByNationality.get(s.id), deadline: ctx.deadline }))),
    }),
    places: t.connection({
      type: PlaceRef,
      description: "Places in this state, by name.",
      args: placeListArgs(t.arg),
      resolve: (s, args, ctx) =>
        pageOf(args, withInputErrors(() => selectKeys(ctx.graph, "place", args, { relation: ctx.graph.placesByState.get(s.id), deadline: ctx.deadline }))),
    }),
    offices: t.connection({
      type: OfficeRef,
      description: "Offices that are in or work for this state (a field office it hosts, its permanent mission), by name.",
      args: officeListArgs(t.arg),
      resolve: (s, args, ctx) =>
        pageOf(args, withInputErrors(() => selectKeys(ctx.graph, "office", args, { relation: ctx.graph.officesByState.get(s.id), deadline: ctx.deadline }))),
    }),
    posts: t.connection({
      type: PostRef,
      description: "Posts of this state, e.g. its President, by title.",
      args: postListArgs(t.arg),
      resolve: (s, args, ctx) =>
        pageOf(args, withInputErrors(() => selectKeys(ctx.graph, "post", args, { relation: ctx.graph.postsByState.get(s.id), deadline: ctx.deadline }))),
    }),
    priorities: t.connection({
      type: PriorityRef,
      description: "The state's priorities within the OSCE, in the source's order; e.g. `filter: {dimension: {eq: \"human\"}}`.",
      args: priorityListArgs(t.arg),
      resolve: (s, args, ctx) =>
        pageOf(args, withInputErrors(() => selectKeys(ctx.graph, "priority", args, { relation: ctx.graph.prioritiesByState.get(s.id), deadline: ctx.deadline }))),
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
    cooperatesWith: t.field({ type: KeyFilter, description: "An office the state cooperates with, e.g. `odihr`." }),
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
    description: "Every state, by name.",
    args: listArgs(t.arg, StateFilter, StateOrder, "states", "by name"),
    resolve: async (_root, args, ctx) => pageOf(args, await withInputErrors(() => selectKeysSliced(ctx.graph, "state", args, { deadline: ctx.deadline }))),
  }),
  state: t.field({
    type: StateRef,
    nullable: true,
    description: "One state by its readable key; null when there is none.",
    args: { key: t.arg.string({ required: true, description: keyArgDescription("state", "kazakhstan") }) },
    resolve: (_root, args, ctx) => ctx.graph.get("state", keyOf("state", args.key)) ?? null,
  }),
}));

