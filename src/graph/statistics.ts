/**
 * Grouped counts a client would otherwise page through, computed once at load.
 *
 * Events per year: an event is counted in every calendar year it may fall in, from the year of its
 * earliest possible day to the year of its latest (an event of `2010-12-31/2011-01-01` counts in
 * 2010 and in 2011, one of `2007-12` in 2007 only), so the yearly counts can add up to more than
 * the number of events. An event whose start or end is open or unknown has no such range: it is
 * counted in `eventsWithoutYearRange` instead of being guessed into years.
 */
import type { PartialDate } from "./dates.js";
import type { Dataset, Dated, EntityKind, EventKind, Tenure } from "./model.js";
import { EventKind as EventKindSchema, entityKinds } from "./model.js";

export interface Count<T> {
  value: T;
  count: number;
}

export interface Statistics {
  /** Entities of each kind, in the order of `entityKinds`. */
  entitiesByKind: Count<EntityKind>[];
  /** Years in which some event may have happened, ascending, each with its number of events. */
  eventsByYear: Count<number>[];
  eventsWithoutYearRange: number;
  /** Every event kind, in the model's order, with its number of events (zero included). */
  eventsByKind: Count<EventKind>[];
  /** Offices whose posts have tenures, most tenures first, ties by office key. */
  tenuresByOffice: Count<string>[];
  /** States with persons of their nationality, most persons first, ties by state key. */
  personsByNationality: Count<string>[];
  /** Persons whose nationality the graph does not know. */
  personsWithoutNationality: number;
}

/** The statistics of a validated dataset; `date` gives the parsed form of a dated fact. */
export function computeStatistics(
  dataset: Dataset,
  date: (dated: Dated) => PartialDate,
): Statistics {
  const kindOfCollection = new Map<EntityKind, number>();
  for (const list of Object.values(dataset)) {
    for (const entity of list) {
      const kind = entity.id.slice(0, entity.id.indexOf("/")) as EntityKind;
      kindOfCollection.set(kind, (kindOfCollection.get(kind) ?? 0) + 1);
    }
  }

  const years = new Map<number, number>();
  let eventsWithoutYearRange = 0;
  for (const event of dataset.events) {
    const { earliest, latest } = date(event.when);
    if (earliest === null || latest === null) {
      eventsWithoutYearRange++;
      continue;
    }
    for (let year = Number(earliest.slice(0, 4)); year <= Number(latest.slice(0, 4)); year++)
      years.set(year, (years.get(year) ?? 0) + 1);
  }

  const kinds = new Map<EventKind, number>(EventKindSchema.options.map((k) => [k, 0]));
  for (const event of dataset.events) kinds.set(event.kind, (kinds.get(event.kind) ?? 0) + 1);

  const officeOfPost = new Map(dataset.posts.map((p) => [p.id, p.office?.ref]));
  const tenuresByOffice = tally(dataset.tenures, (t: Tenure) => officeOfPost.get(t.post));

  return {
    entitiesByKind: entityKinds.map((kind) => ({
      value: kind,
      count: kindOfCollection.get(kind) ?? 0,
    })),
    eventsByYear: [...years].sort(([a], [b]) => a - b).map(([value, count]) => ({ value, count })),
    eventsWithoutYearRange,
    eventsByKind: [...kinds].map(([value, count]) => ({ value, count })),
    tenuresByOffice,
    personsByNationality: tally(dataset.persons, (p) => p.nationality?.ref),
    personsWithoutNationality: dataset.persons.filter((p) => !p.nationality).length,
  };
}

/** Counts by a key (items without one are left out), most first, ties by key. */
function tally<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Count<string>[] {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}
