/** `statistics`: grouped counts computed once at load (see src/graph/statistics.ts). */

import type { EventKind } from "../graph/model.js";
import type { Count, Statistics } from "../graph/statistics.js";
import { builder } from "./builder.js";
import { EventKindEnum } from "./kinds.js";
import { OfficeRef, StateRef } from "./refs.js";

const EntityKindCountRef = builder.objectRef<Count<string>>("EntityKindCount").implement({
  description: "How many entities of one kind the graph holds.",
  fields: (t) => ({
    kind: t.string({
      description:
        "The kind, as in the prefix of keys: source, state, place, dimension, office, person, post, tenure, event or priority.",
      resolve: (c) => c.value,
    }),
    count: t.int({
      description: "How many entities of that kind there are (the `totalCount` of its root list).",
      resolve: (c) => c.count,
    }),
  }),
});

const YearCountRef = builder.objectRef<Count<number>>("YearCount").implement({
  description: "How many events may have happened in one calendar year.",
  fields: (t) => ({
    year: t.int({ description: "The year.", resolve: (c) => c.value }),
    count: t.int({
      description:
        "Events whose dates may fall in this year (an event spanning years counts in each).",
      resolve: (c) => c.count,
    }),
  }),
});

const EventKindCountRef = builder.objectRef<Count<EventKind>>("EventKindCount").implement({
  description: "How many events of one kind there are.",
  fields: (t) => ({
    kind: t.field({
      type: EventKindEnum,
      description: "The kind of event.",
      resolve: (c) => c.value,
    }),
    count: t.int({
      description: "How many events of that kind there are; 0 when none.",
      resolve: (c) => c.count,
    }),
  }),
});

const OfficeCountRef = builder.objectRef<Count<string>>("OfficeTenureCount").implement({
  description: "How many tenures the posts of one office have.",
  fields: (t) => ({
    office: t.field({ type: OfficeRef, description: "The office.", resolve: (c) => c.value }),
    count: t.int({
      description: "How many tenures its posts have (its `tenures` totalCount).",
      resolve: (c) => c.count,
    }),
  }),
});

const StateCountRef = builder.objectRef<Count<string>>("NationalityCount").implement({
  description: "How many persons are nationals of one state.",
  fields: (t) => ({
    state: t.field({ type: StateRef, description: "The state.", resolve: (c) => c.value }),
    count: t.int({
      description: "How many persons of the graph have its nationality (its `persons` totalCount).",
      resolve: (c) => c.count,
    }),
  }),
});

const StatisticsRef = builder.objectRef<Statistics>("Statistics").implement({
  description:
    "Counts over the whole graph, grouped, so that a client need not page through lists to count.",
  fields: (t) => ({
    entitiesByKind: t.field({
      type: [EntityKindCountRef],
      description: "Entities per kind, every kind listed.",
      resolve: (s) => s.entitiesByKind,
    }),
    eventsByYear: t.field({
      type: [YearCountRef],
      description:
        "Events per calendar year, ascending, only years with events. An event counts in every year from its earliest to its latest possible day, " +
        "so the counts may add up to more than the number of events; events with an open or unknown end are in `eventsWithoutYearRange` instead.",
      resolve: (s) => s.eventsByYear,
    }),
    eventsWithoutYearRange: t.int({
      description:
        "Events left out of `eventsByYear` because their start or end is open or unknown.",
      resolve: (s) => s.eventsWithoutYearRange,
    }),
    eventsByKind: t.field({
      type: [EventKindCountRef],
      description: "Events per kind, every kind listed in the order of `EventKind`.",
      resolve: (s) => s.eventsByKind,
    }),
    tenuresByOffice: t.field({
      type: [OfficeCountRef],
      description:
        "Tenures per office (of all the office's posts), offices without tenures left out; most tenures first, ties by key.",
      resolve: (s) => s.tenuresByOffice,
    }),
    personsByNationality: t.field({
      type: [StateCountRef],
      description:
        "Persons per nationality, states without nationals left out; most persons first, ties by key.",
      resolve: (s) => s.personsByNationality,
    }),
    personsWithoutNationality: t.int({
      description: "Persons whose nationality the graph does not know.",
      resolve: (s) => s.personsWithoutNationality,
    }),
  }),
});

builder.queryFields((t) => ({
  statistics: t.field({
    type: StatisticsRef,
    description:
      "Grouped counts over the whole graph: entities per kind, events per year and per kind, tenures per office, persons per nationality.",
    resolve: (_root, _args, ctx) => ctx.graph.statistics,
  }),
}));
