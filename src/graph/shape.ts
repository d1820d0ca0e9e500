/**
 * The graph's shape: how many items each list of the API can hold at most, measured once when a
 * graph is built. The cost of a query (src/server/cost.ts) reads it to size a list by what the
 * data really holds rather than by a guess: a page of `Office.tenures` holds at most as many
 * tenures as the office with the most tenures has, however large `first` is, and a filter on
 * `persons` tests every person.
 *
 * Relations are named by the API's own `Type.field` (`Office.tenures`, `Query.persons`): the
 * shape is the graph's half of a contract whose other half is the schema. Keeping the names here,
 * free of GraphQL, keeps the domain independent; tests/graph/shape.test.ts checks that every
 * list field of the schema has a size here, so a new list cannot go unsized.
 */
import type { GraphCore } from "./core.js";
import type { Lineage } from "./lineage.js";
import { DAY_BOUNDS, type Dated, type Entity, type EntityKind } from "./model.js";
import { MAX_PATH_LENGTH, MAX_PATH_VISITS } from "./paths.js";
import type { Statistics } from "./statistics.js";

export interface GraphShape {
  /**
   * By relation, `Type.field`: the most items one parent holds. For the root lists
   * (`Query.persons`, `Query.timeline`, ...) the parent is the one query root: the list's size.
   */
  readonly relations: ReadonlyMap<string, number>;
  /** The longest provenance list of any fact: every `provenance` field holds at most this many. */
  readonly provenance: number;
  /** Entities a search can look at: every entity but tenures. */
  readonly searchable: number;
  /** Entities a shortest-path search can visit before it gives up (its budget, or the whole graph). */
  readonly pathVisits: number;
  /**
   * By root list (`Query.events`), the filter fields an index answers (`kind`,
   * `participant.entity`: filter paths, without `and`/`or`), each with the most items one value of
   * it selects. A filter on a root list takes its candidates from such an index when they are
   * fewer than the list (lists.ts, filter.ts `select`): what it tests is bounded by the values
   * asked × this, not by the list's size. Only fields whose filter really has an index may be here
   * (tests/graph/shape.test.ts compiles each against the filter specs): one that is here without
   * an index would price a scan of the whole list as a handful of items.
   */
  readonly filterIndexes: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /**
   * By string field, `Type.field`, the longest value it can give, in characters, for the fields
   * whose values have no bound of their own: a source's text (`Source.text`, about 180 KB on the
   * built-in data), a quote or an editor's reason (`SourceQuote.quote` and `.text`,
   * `EditorialNote.reason` and `.text`), a description. The cost of a query charges each such
   * value returned by its length (cost.ts, TEXT_KB): a page of texts is megabytes of answer.
   * Names, keys, labels, dates and summaries (cut at 160 characters) are not here.
   */
  readonly textLengths: ReadonlyMap<string, number>;
}

/** The GraphQL type of each kind of entity. */
const TYPE_OF: Record<EntityKind, string> = {
  source: "Source",
  state: "State",
  place: "Place",
  dimension: "Dimension",
  office: "Office",
  person: "Person",
  post: "Post",
  tenure: "Tenure",
  event: "Event",
  priority: "Priority",
};

/** The root list of each kind. */
export const ROOT_OF: Readonly<Record<EntityKind, string>> = {
  source: "Query.sources",
  state: "Query.states",
  place: "Query.places",
  dimension: "Query.dimensions",
  office: "Query.offices",
  person: "Query.persons",
  post: "Query.posts",
  tenure: "Query.tenures",
  event: "Query.events",
  priority: "Query.priorities",
};

/** The plain lists that have a connection beside them (`names` and `namesConnection`): sized alike. */
const PAGED_TWINS = new Set(["names", "cooperatesWith", "predecessors", "successors", "lineage"]);

const max = <T>(items: Iterable<T>, size: (item: T) => number): number => {
  let most = 0;
  for (const item of items) most = Math.max(most, size(item));
  return most;
};

/** How many of a date's bounds an editorial note gives (`Dated.assumed`). */
const assumedBounds = (when: Dated | undefined): number =>
  when?.assumed ? DAY_BOUNDS.filter((bound) => when.assumed![bound]).length : 0;

interface HasProvenance {
  provenance: readonly unknown[];
}
const isFact = (value: unknown): value is HasProvenance =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  Array.isArray((value as { provenance?: unknown }).provenance);

/**
 * Every provenance list of the dataset, walked without recursion (a dataset is data, of any
 * depth): the longest list, and the longest quote and editor's reason in them.
 */
function longestProvenance(graph: GraphCore): { most: number; quote: number; editorial: number } {
  let most = 0;
  let quote = 0;
  let editorial = 0;
  const stack: unknown[] = Object.values(graph.lists);
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== "object" || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === "object" && item !== null) stack.push(item);
      continue;
    }
    if (isFact(value)) {
      most = Math.max(most, value.provenance.length);
      for (const p of value.provenance as readonly Partial<Record<string, unknown>>[]) {
        if (typeof p.quote === "string") quote = Math.max(quote, p.quote.length);
        if (typeof p.editorial === "string") editorial = Math.max(editorial, p.editorial.length);
      }
    }
    for (const [key, child] of Object.entries(value)) {
      if (key !== "provenance" && typeof child === "object" && child !== null) stack.push(child);
    }
  }
  return { most, quote, editorial };
}

/** `derived`: the indexes built from the core that size lists too (passed in: they sit beside this module, not below it). */
export function computeShape(
  graph: GraphCore,
  derived: { lineage: Lineage; statistics: Statistics },
): GraphShape {
  const { lineage, statistics } = derived;
  const { lists } = graph;
  const relations = new Map<string, number>();
  const set = (relation: string, size: number) => relations.set(relation, size);

  for (const kind of Object.keys(lists) as EntityKind[]) {
    const type = TYPE_OF[kind];
    const entities: readonly Entity[] = lists[kind];
    set(ROOT_OF[kind], entities.length);
    // `names`: the canonical name, the abbreviation, the aliases (entity.ts, namesOf); an office adds its former names
    set(
      `${type}.names`,
      max(entities, (e) => {
        const named = e as Partial<{
          aliases: unknown[];
          abbreviation: unknown;
          nameHistory: unknown[];
        }>;
        return (
          1 +
          (named.abbreviation ? 1 : 0) +
          (named.aliases?.length ?? 0) +
          (named.nameHistory?.length ?? 0)
        );
      }),
    );
    // `evidence`: one entry per single-valued fact with provenance, at most
    set(
      `${type}.evidence`,
      max(entities, (e) => Object.values(e).filter(isFact).length),
    );
  }

  const participations = graph.participationsByEntity.largest();
  for (const type of ["Office", "Person", "State", "Priority"])
    set(`${type}.events`, participations);
  set("Place.events", Math.max(graph.eventsByPlace.largest(), participations));

  // the tenures of an office are those of its posts; with `followLineage`, of its predecessors' too
  const tenuresOfOffice = new Map<string, number>();
  for (const office of graph.keys.office) {
    let n = 0;
    for (const post of graph.postsByOffice.get(office)) n += graph.tenuresByPost.get(post).length;
    tenuresOfOffice.set(office, n);
  }
  const officeTenures = max(graph.keys.office, (office) =>
    lineage.withPredecessors(office).reduce((n, o) => n + (tenuresOfOffice.get(o) ?? 0), 0),
  );
  set("Office.tenures", officeTenures);
  set("Office.heads", officeTenures);
  set("Office.posts", graph.postsByOffice.largest());
  set("Office.parts", graph.officesByWhole.largest());
  set("Office.cooperatingStates", graph.cooperationsByOffice.largest());
  set(
    "Office.dimensions",
    max(lists.office, (o) => o.dimensions.length),
  );
  set(
    "Office.dimensionLinks",
    max(lists.office, (o) => o.dimensions.length),
  );
  set(
    "Office.locations",
    max(lists.office, (o) => o.locations.length),
  );
  set(
    "Office.nameHistory",
    max(lists.office, (o) => o.nameHistory.length),
  );
  // the names an office may have borne on a date, and the others than the one named: its history at most
  set(
    "Office.namesOn",
    max(lists.office, (o) => o.nameHistory.length),
  );
  set(
    "NameThen.alternatives",
    max(lists.office, (o) => o.nameHistory.length),
  );
  // the notes a certainty rests on: at most one per editorial bound of the dates it reads (a
  // name's: its office's whole history, the names judged together; a tenure's or a location's:
  // its own date; a participation's: its accession's date). Unsized, an edge's list was priced
  // as KZ_OSCE_COST_LIST_SIZE per edge: 300,000 of the 330,603 that refused a page of 100 posts'
  // 100 tenures with their notes at 100k, lists of 0 or 1 note
  const assumedNames = max(lists.office, (o) =>
    o.nameHistory.reduce((n, name) => n + assumedBounds(name.when), 0),
  );
  set("NameThen.certaintyRestsOn", assumedNames);
  set("OfficeNameOnDate.certaintyRestsOn", assumedNames);
  set("OfficeNameEdge.certaintyRestsOn", assumedNames);
  set(
    "TenureEdge.certaintyRestsOn",
    max(lists.tenure, (t) => assumedBounds(t.when)),
  );
  set(
    "OfficeLocationEdge.certaintyRestsOn",
    max(lists.office, (o) => max(o.locations, (l) => assumedBounds(l.when))),
  );
  set("ParticipationStatus.certaintyRestsOn", DAY_BOUNDS.length);
  // a date's editorial bounds: one per day bound at most
  set("PartialDate.editorialBounds", DAY_BOUNDS.length);
  set(
    "Office.predecessors",
    max(graph.keys.office, (o) => lineage.predecessorsOf(o).length),
  );
  set(
    "Office.successors",
    max(graph.keys.office, (o) => lineage.successorsOf(o).length),
  );
  set(
    "Office.lineage",
    max(graph.keys.office, (o) =>
      Math.max(
        lineage.transitive(o, "PREDECESSORS").length,
        lineage.transitive(o, "SUCCESSORS").length,
      ),
    ),
  );

  set(
    "Person.tenures",
    max(graph.keys.person, (p) => graph.tenuresByHolder.get(p).length),
  );
  set(
    "State.tenures",
    max(graph.keys.state, (s) => graph.tenuresByHolder.get(s).length),
  );
  set("Post.tenures", graph.tenuresByPost.largest());
  set("Place.offices", graph.officesByPlace.largest());
  set("State.offices", graph.officesByState.largest());
  set("State.persons", graph.personsByNationality.largest());
  set("State.places", graph.placesByState.largest());
  set("State.posts", graph.postsByState.largest());
  set("State.priorities", graph.prioritiesByState.largest());
  set("State.prioritiesConcerning", graph.prioritiesByConcern.largest());
  set(
    "Priority.concerns",
    max(lists.priority, (p) => p.concerns.length),
  );
  set(
    "State.cooperatesWith",
    max(lists.state, (s) => s.cooperatesWith.length),
  );
  set("Dimension.offices", graph.officesByDimension.largest());
  set("Dimension.priorities", graph.prioritiesByDimension.largest());
  set(
    "Event.participants",
    max(lists.event, (e) => e.participants.length),
  );
  set("Event.officeNamesGiven", graph.namesDecidedBy.largest());
  set(
    "Event.successionsDecided",
    max(graph.keys.event, (e) => lineage.decidedBy(e).length),
  );
  set("Tenure.events", graph.eventsByCapacity.largest());

  // a list's paged twin (`namesConnection` beside `names`, ...) holds the same entries
  for (const [relation, size] of [...relations]) {
    if (PAGED_TWINS.has(relation.slice(relation.indexOf(".") + 1)))
      set(`${relation}Connection`, size);
  }

  set("Statistics.entitiesByKind", statistics.entitiesByKind.length);
  set("Statistics.eventsByKind", statistics.eventsByKind.length);
  set("Statistics.eventsByYear", statistics.eventsByYear.length);
  set("Statistics.personsByNationality", statistics.personsByNationality.length);
  set("Statistics.tenuresByOffice", statistics.tenuresByOffice.length);

  set("Path.entities", MAX_PATH_LENGTH + 1);
  set("Path.hops", MAX_PATH_LENGTH);

  // the timeline's entries: an event, a tenure's start and end, an office's renamings and moves
  // (as timeline.ts counts them, without building the timeline)
  let timeline = lists.event.length + 2 * lists.tenure.length;
  for (const office of lists.office)
    timeline += office.nameHistory.length + 2 * office.locations.length;
  set("Query.timeline", timeline);

  const searchable =
    Object.values(graph.keys).reduce((n, keys) => n + keys.length, 0) - graph.keys.tenure.length;
  set("Query.search", searchable);

  // the filter fields of the root lists that lists.ts answers from an index (its specs' `index`
  // arguments), each with its index's largest entry; every kind's `key` selects one entity
  const filterIndexes = new Map<string, Map<string, number>>();
  const indexed = (kind: EntityKind, fields: Record<string, number>) =>
    filterIndexes.set(ROOT_OF[kind], new Map(Object.entries({ key: 1, ...fields })));
  for (const kind of Object.keys(lists) as EntityKind[]) indexed(kind, {});
  indexed("state", { cooperatesWith: graph.cooperationsByOffice.largest() });
  indexed("place", { state: graph.placesByState.largest() });
  indexed("office", {
    kind: graph.officesByKind.largest(),
    state: graph.officesByState.largest(),
    place: graph.officesByPlace.largest(),
    dimension: graph.officesByDimension.largest(),
    partOf: graph.officesByWhole.largest(),
  });
  indexed("person", { nationality: graph.personsByNationality.largest() });
  indexed("post", { office: graph.postsByOffice.largest(), state: graph.postsByState.largest() });
  indexed("tenure", {
    post: graph.tenuresByPost.largest(),
    postKind: graph.tenuresByPostKind.largest(),
    // a tenure filter's `office` takes the tenures of the office's own posts (no lineage)
    office: max(tenuresOfOffice.values(), (n) => n),
    holder: graph.tenuresByHolder.largest(),
  });
  indexed("event", {
    kind: graph.eventsByKind.largest(),
    place: graph.eventsByPlace.largest(),
    // an event per participation at most
    "participant.entity": participations,
  });
  // the timeline's `entity` (timeline.ts, `involving`) and `kind` (`ofKind`) filters: an entity's
  // entries are bounded by what each of the relation indexes it reads holds for one key (a sum of
  // the largest of each: an upper bound, without building the timeline), a kind's by the entries
  // of that kind (an event its one, a tenure one of each kind, an office one per name or location)
  const tenuresOfState = max(graph.keys.state, (state) => {
    let n = 0;
    for (const post of graph.postsByState.get(state)) n += graph.tenuresByPost.get(post).length;
    return n;
  });
  const names = lists.office.reduce((n, o) => n + o.nameHistory.length, 0);
  const locations = lists.office.reduce((n, o) => n + o.locations.length, 0);
  const officeEntries = max(lists.office, (o) => o.nameHistory.length + 2 * o.locations.length);
  filterIndexes.set(
    "Query.timeline",
    new Map([
      [
        "entity",
        Math.min(
          timeline,
          // its own entries (an event's one, a tenure's two, an office's renamings and moves)
          Math.max(2, officeEntries) +
            participations +
            graph.eventsByCapacity.largest() +
            graph.eventsByPlace.largest() +
            2 * graph.tenuresByHolder.largest() +
            2 * graph.tenuresByPost.largest() +
            2 *
              Math.max(
                max(tenuresOfOffice.values(), (n) => n),
                tenuresOfState,
              ) +
            graph.namesDecidedBy.largest() +
            2 * graph.officesByPlace.largest() * relations.get("Office.locations")!,
        ),
      ],
      ["kind", Math.max(lists.event.length, lists.tenure.length, names, locations)],
    ]),
  );
  indexed("priority", {
    state: graph.prioritiesByState.largest(),
    concerns: graph.prioritiesByConcern.largest(),
    dimension: graph.prioritiesByDimension.largest(),
  });

  // the strings without a bound of their own: texts, quotes, reasons, descriptions
  const provenance = longestProvenance(graph);
  const textLengths = new Map<string, number>([
    ["Source.text", max(graph.texts.values(), (t) => t.length)],
    ["SourceQuote.quote", provenance.quote],
    ["SourceQuote.text", provenance.quote],
    ["EditorialNote.reason", provenance.editorial],
    ["EditorialNote.text", provenance.editorial],
  ]);
  for (const kind of Object.keys(lists) as EntityKind[]) {
    const longest = max(
      lists[kind] as readonly Partial<{ description: { text: string } }>[],
      (e) => e.description?.text.length ?? 0,
    );
    if (longest > 0) textLengths.set(`${TYPE_OF[kind]}.description`, longest);
  }

  return {
    relations,
    provenance: provenance.most,
    textLengths,
    searchable,
    pathVisits: Math.min(
      MAX_PATH_VISITS,
      Object.values(graph.keys).reduce((n, keys) => n + keys.length, 0),
    ),
    filterIndexes,
  };
}
