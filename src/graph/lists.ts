/**
 * What each list of the API can be filtered and ordered by, free of GraphQL: one filter spec and
 * one set of order fields per kind of item (see filter.ts for the conventions), and `selectKeys`
 * / `selectRecords` that run them over a root list (starting from an index where the filter
 * allows) or over a relation list.
 *
 * Default orders are those of the lists (`graph.keys`): names alphabetically, events and tenures
 * chronologically, dimensions and priorities in the source's order, all with ties by key. An
 * explicit `orderBy` is completed by the key (by the item's place in its list, for records
 * without a key), so every order is total.
 */
import { eventCertaintiesOn, periodCertainty, tenureCertaintiesOn } from "./asof.js";
import {
  type Certainty,
  compareChronologically,
  type PartialDate,
  UNKNOWN_PERIOD,
} from "./dates.js";
import { type Deadline, runSliced, runToEnd, type Steps } from "./deadline.js";
import {
  ALL_CERTAINTIES,
  ALWAYS,
  booleanField,
  type Comparator,
  type Condition,
  compareKeys,
  compareText,
  compileFilter,
  compileOrder,
  type DateFilterInput,
  dateField,
  type EnumFilterInput,
  enumField,
  type FieldIndex,
  type FilterSpec,
  type KeyFilterInput,
  keyField,
  type LogicalInput,
  lazyCandidates,
  type OrderInput,
  type StringFilterInput,
  selectSteps,
  sortSteps,
  stringField,
} from "./filter.js";
import type { EntityByKind, KnowledgeGraph, Participation } from "./graph.js";
import {
  type Dated,
  type Entity,
  type EntityKind,
  type EventKind,
  entityKinds,
  type OfficeKind,
  type OfficeLocation,
  type OfficeName,
  type ParticipantRole,
  type PlaceKind,
  type PostKind,
  type TenureTiming,
} from "./model.js";
import type { TimelineEntryKind, TimelineEntryList } from "./timeline.js";

type Maybe<T> = T | null | undefined;

// ---- the inputs, as a client sends them ----------------------------------------------------

interface NamedFilterInput {
  key?: Maybe<KeyFilterInput>;
  name?: Maybe<StringFilterInput>;
  anyName?: Maybe<StringFilterInput>;
}
export interface SourceFilterInput extends NamedFilterInput, LogicalInput<SourceFilterInput> {}
export interface DimensionFilterInput
  extends NamedFilterInput,
    LogicalInput<DimensionFilterInput> {}
export interface StateFilterInput extends NamedFilterInput, LogicalInput<StateFilterInput> {
  cooperatesWith?: Maybe<KeyFilterInput>;
}
export interface PlaceFilterInput extends NamedFilterInput, LogicalInput<PlaceFilterInput> {
  kind?: Maybe<EnumFilterInput<PlaceKind>>;
  state?: Maybe<KeyFilterInput>;
}
export interface OfficeFilterInput extends NamedFilterInput, LogicalInput<OfficeFilterInput> {
  kind?: Maybe<EnumFilterInput<OfficeKind>>;
  state?: Maybe<KeyFilterInput>;
  place?: Maybe<KeyFilterInput>;
  dimension?: Maybe<KeyFilterInput>;
  partOf?: Maybe<KeyFilterInput>;
}
export interface PersonFilterInput extends NamedFilterInput, LogicalInput<PersonFilterInput> {
  nationality?: Maybe<KeyFilterInput>;
  title?: Maybe<StringFilterInput>;
}
export interface PostFilterInput extends NamedFilterInput, LogicalInput<PostFilterInput> {
  kind?: Maybe<EnumFilterInput<PostKind>>;
  office?: Maybe<KeyFilterInput>;
  state?: Maybe<KeyFilterInput>;
}
export interface PriorityFilterInput extends NamedFilterInput, LogicalInput<PriorityFilterInput> {
  state?: Maybe<KeyFilterInput>;
  concerns?: Maybe<KeyFilterInput>;
  dimension?: Maybe<KeyFilterInput>;
  keynote?: Maybe<boolean>;
}
export interface TenureFilterInput extends LogicalInput<TenureFilterInput> {
  key?: Maybe<KeyFilterInput>;
  post?: Maybe<KeyFilterInput>;
  postKind?: Maybe<EnumFilterInput<PostKind>>;
  office?: Maybe<KeyFilterInput>;
  holder?: Maybe<KeyFilterInput>;
  timing?: Maybe<EnumFilterInput<TenureTiming>>;
  when?: Maybe<DateFilterInput>;
}
export interface ParticipantFilterInput extends LogicalInput<ParticipantFilterInput> {
  entity?: Maybe<KeyFilterInput>;
  role?: Maybe<EnumFilterInput<ParticipantRole>>;
  capacity?: Maybe<KeyFilterInput>;
}
export interface EventFilterInput extends NamedFilterInput, LogicalInput<EventFilterInput> {
  kind?: Maybe<EnumFilterInput<EventKind>>;
  place?: Maybe<KeyFilterInput>;
  participant?: Maybe<ParticipantFilterInput>;
  when?: Maybe<DateFilterInput>;
}
/** Events of one entity: the event filter plus the part that entity plays. */
export interface EntityEventFilterInput
  extends Omit<EventFilterInput, "and" | "or" | "not">,
    LogicalInput<EntityEventFilterInput> {
  role?: Maybe<EnumFilterInput<ParticipantRole>>;
}
export interface OfficeNameFilterInput extends LogicalInput<OfficeNameFilterInput> {
  name?: Maybe<StringFilterInput>;
  period?: Maybe<DateFilterInput>;
  decidedBy?: Maybe<KeyFilterInput>;
}
export interface OfficeLocationFilterInput extends LogicalInput<OfficeLocationFilterInput> {
  place?: Maybe<KeyFilterInput>;
  period?: Maybe<DateFilterInput>;
}
export interface TimelineFilterInput extends LogicalInput<TimelineFilterInput> {
  date?: Maybe<DateFilterInput>;
  entity?: Maybe<KeyFilterInput>;
  kind?: Maybe<EnumFilterInput<TimelineEntryKind>>;
}

export type NamedOrderField = "NAME" | "KEY";
export type OfficeOrderField = NamedOrderField | "KIND";
export type PostOrderField = NamedOrderField | "KIND";
export type EventOrderField = NamedOrderField | "KIND" | "DATE";
export type TenureOrderField = "DATE" | "KEY";
export type DatedRecordOrderField = "DATE";
export type ParticipantOrderField = "ROLE" | "ENTITY";

export interface ListArgs<F, O extends string> {
  filter?: Maybe<F>;
  orderBy?: Maybe<readonly OrderInput<O>[]>;
}

// ---- entities ------------------------------------------------------------------------------

/** Every name of a named entity: canonical, abbreviation, aliases and (offices) former names. */
function namesOf(entity: Entity): string[] {
  if (!("name" in entity)) return [];
  return [
    entity.name.text,
    ...(entity.abbreviation ? [entity.abbreviation.text] : []),
    ...entity.aliases.map((a) => a.text),
    ...("nameHistory" in entity ? entity.nameHistory.map((n) => n.text) : []),
  ];
}

type Spec<K extends EntityKind> = FilterSpec<EntityByKind[K]>;

/** The KeyFilter on an entity's own key, with the keys themselves as candidates. */
function ownKey<K extends EntityKind>(graph: KnowledgeGraph, kind: K) {
  return keyField<EntityByKind[K]>(
    graph,
    [kind],
    (e) => [e.id],
    Object.assign((key: string) => [graph.get(kind, key)!], { size: () => 1 }),
  );
}

function named<K extends Exclude<EntityKind, "tenure">>(graph: KnowledgeGraph, kind: K): Spec<K> {
  return {
    key: ownKey(graph, kind),
    name: stringField((e) => [e.name.text]),
    anyName: stringField((e) => namesOf(e)),
  };
}

/** Entities of `kind` from an index of their keys, and how many a key selects (without loading them). */
const load = <K extends EntityKind>(
  graph: KnowledgeGraph,
  kind: K,
  keys: { get(key: string): readonly string[]; size(key: string): number },
): FieldIndex<EntityByKind[K]> =>
  Object.assign((key: string) => keys.get(key).map((k) => graph.get(kind, k)!), {
    size: (key: string) => keys.size(key),
    keys: (key: string) => keys.get(key),
    item: (k: string) => graph.get(kind, k)!,
  });

const participantKinds = [
  "state",
  "place",
  "office",
  "person",
  "event",
  "post",
  "dimension",
  "priority",
] as const satisfies readonly EntityKind[];

function participantSpec(graph: KnowledgeGraph): FilterSpec<Participation> {
  return {
    entity: keyField(
      graph,
      participantKinds,
      (p) => [p.participant.ref],
      Object.assign((key: string) => graph.participationsByEntity.get(key), {
        size: (key: string) => graph.participationsByEntity.size(key),
      }),
    ),
    role: enumField((p) => p.participant.role),
    capacity: keyField(graph, ["tenure"], (p) =>
      p.participant.capacity ? [p.participant.capacity] : [],
    ),
  };
}

/** A participant filter lifted to events: an event matches when one of its participants does. */
function eventsWithParticipant(spec: FilterSpec<Participation>) {
  return (raw: unknown, path: string): Condition<EntityByKind["event"]> => {
    const condition = compileFilter(spec, raw as object, path);
    // a participant filter that asks nothing (`participant: { capacity: {} }`) asks nothing of
    // the event either, as `participant: {}` does (compileFilter)
    if (condition === ALWAYS) return ALWAYS;
    return {
      test: (event) =>
        event.participants.some((participant) => condition.test({ event, participant })),
      // an event has a few participants
      weight: 4 * (condition.weight ?? 1),
      ...(condition.candidates && {
        candidates: lazyCandidates(condition.candidates.most, () => [
          ...new Set(condition.candidates!.list().map((p) => p.event)),
        ]),
      }),
    };
  };
}

function eventSpec(graph: KnowledgeGraph): Spec<"event"> {
  return {
    ...named(graph, "event"),
    kind: enumField((e) => e.kind, load(graph, "event", graph.eventsByKind)),
    place: keyField(
      graph,
      ["place"],
      (e) => (e.place ? [e.place.ref] : []),
      load(graph, "event", graph.eventsByPlace),
    ),
    participant: eventsWithParticipant(participantSpec(graph)),
    when: dateField(graph, (e) => graph.date(e.when), {
      // an act (an accession, a decision) took place on one day of its date, not on each
      certaintiesAt: (at) => eventCertaintiesOn(graph, at),
      duringIndex: Object.assign((period: PartialDate) => graph.eventsDuring(period), {
        size: (period: PartialDate) => graph.eventsDuringAtMost(period),
        each: (period: PartialDate) => graph.eventsDuringEach(period),
      }),
    }),
  };
}

/** The event spec plus `role`: the part `entity` plays in the event. */
function entityEventSpec(graph: KnowledgeGraph, entity: string): Spec<"event"> {
  const roles = new Map<string, ParticipantRole[]>();
  for (const { event, participant } of graph.participationsByEntity.get(entity)) {
    roles.set(event.id, [...(roles.get(event.id) ?? []), participant.role]);
  }
  return { ...eventSpec(graph), role: enumField((e) => roles.get(e.id) ?? []) };
}

function tenureSpec(graph: KnowledgeGraph): Spec<"tenure"> {
  const post = (t: EntityByKind["tenure"]) => graph.get("post", t.post);
  const tenures = load(graph, "tenure", graph.tenuresByPost);
  return {
    key: ownKey(graph, "tenure"),
    post: keyField(graph, ["post"], (t) => [t.post], tenures),
    postKind: enumField((t) => post(t)?.kind, load(graph, "tenure", graph.tenuresByPostKind)),
    office: keyField(
      graph,
      ["office"],
      (t) => (post(t)?.office ? [post(t)!.office!.ref] : []),
      Object.assign((office: string) => graph.postsByOffice.get(office).flatMap(tenures), {
        size: (office: string) =>
          graph.postsByOffice
            .get(office)
            .reduce((n, post) => n + graph.tenuresByPost.size(post), 0),
      }),
    ),
    holder: keyField(
      graph,
      ["person", "state"],
      (t) => [t.holder],
      load(graph, "tenure", graph.tenuresByHolder),
    ),
    timing: enumField((t) => t.timing),
    // a PERIOD's `when`; a POINT_IN_TIME tenure's span is unknown (its `when` is only a moment
    // within it), so it may overlap any date and never certainly ends before or starts after one.
    // `activeAt` follows the as-of rule (such a tenure is YES within its moment, never NO).
    when: dateField(
      graph,
      (t) => (t.timing === "POINT_IN_TIME" ? UNKNOWN_PERIOD : graph.date(t.when)),
      {
        certaintiesAt: (at) => {
          const on = tenureCertaintiesOn(graph, at);
          return (t) => on.ofKey(t.id);
        },
      },
    ),
  };
}

const specs: { [K in EntityKind]: (graph: KnowledgeGraph) => Spec<K> } = {
  source: (graph) => named(graph, "source"),
  dimension: (graph) => named(graph, "dimension"),
  state: (graph) => ({
    ...named(graph, "state"),
    cooperatesWith: keyField(
      graph,
      ["office"],
      (s) => s.cooperatesWith.map((c) => c.ref),
      Object.assign(
        (office: string) =>
          graph.cooperationsByOffice.get(office).map((c) => graph.get("state", c.state)!),
        { size: (office: string) => graph.cooperationsByOffice.size(office) },
      ),
    ),
  }),
  place: (graph) => ({
    ...named(graph, "place"),
    kind: enumField((p) => p.kind),
    state: keyField(
      graph,
      ["state"],
      (p) => [p.state.ref],
      load(graph, "place", graph.placesByState),
    ),
  }),
  office: (graph) => ({
    ...named(graph, "office"),
    kind: enumField((o) => o.kind, load(graph, "office", graph.officesByKind)),
    state: keyField(
      graph,
      ["state"],
      (o) => (o.state ? [o.state.ref] : []),
      load(graph, "office", graph.officesByState),
    ),
    place: keyField(
      graph,
      ["place"],
      (o) => o.locations.map((l) => l.place),
      load(graph, "office", graph.officesByPlace),
    ),
    dimension: keyField(
      graph,
      ["dimension"],
      (o) => o.dimensions.map((d) => d.ref),
      load(graph, "office", graph.officesByDimension),
    ),
    partOf: keyField(
      graph,
      ["office"],
      (o) => (o.partOf ? [o.partOf.ref] : []),
      load(graph, "office", graph.officesByWhole),
    ),
  }),
  person: (graph) => ({
    ...named(graph, "person"),
    nationality: keyField(
      graph,
      ["state"],
      (p) => (p.nationality ? [p.nationality.ref] : []),
      load(graph, "person", graph.personsByNationality),
    ),
    title: stringField((p) => (p.title ? [p.title.text] : [])),
  }),
  post: (graph) => ({
    ...named(graph, "post"),
    kind: enumField((p) => p.kind),
    office: keyField(
      graph,
      ["office"],
      (p) => (p.office ? [p.office.ref] : []),
      load(graph, "post", graph.postsByOffice),
    ),
    state: keyField(
      graph,
      ["state"],
      (p) => (p.state ? [p.state.ref] : []),
      load(graph, "post", graph.postsByState),
    ),
  }),
  tenure: tenureSpec,
  event: eventSpec,
  priority: (graph) => ({
    ...named(graph, "priority"),
    state: keyField(
      graph,
      ["state"],
      (p) => [p.state.ref],
      load(graph, "priority", graph.prioritiesByState),
    ),
    concerns: keyField(
      graph,
      ["state"],
      (p) => p.concerns.map((c) => c.ref),
      load(graph, "priority", graph.prioritiesByConcern),
    ),
    dimension: keyField(
      graph,
      ["dimension"],
      (p) => (p.dimension ? [p.dimension.ref] : []),
      load(graph, "priority", graph.prioritiesByDimension),
    ),
    keynote: booleanField((p) => p.keynote !== undefined),
  }),
};

type OrderFields<K extends EntityKind> = Record<string, Comparator<EntityByKind[K]>>;

function orderFields<K extends EntityKind>(graph: KnowledgeGraph, kind: K): OrderFields<K> {
  const fields: Record<string, Comparator<Entity>> = { KEY: (a, b) => compareKeys(a.id, b.id) };
  if (kind !== "tenure") {
    fields.NAME = (a, b) =>
      compareText(
        (a as { name: { text: string } }).name.text,
        (b as { name: { text: string } }).name.text,
      );
  }
  if (kind === "office" || kind === "post" || kind === "event") {
    fields.KIND = (a, b) => compareKeys((a as { kind: string }).kind, (b as { kind: string }).kind);
  }
  if (kind === "event" || kind === "tenure") {
    fields.DATE = (a, b) =>
      compareChronologically(
        graph.date((a as { when: Dated }).when),
        graph.date((b as { when: Dated }).when),
      );
  }
  return fields as OrderFields<K>;
}

export type FilterInputOf<K extends EntityKind> = {
  source: SourceFilterInput;
  state: StateFilterInput;
  place: PlaceFilterInput;
  dimension: DimensionFilterInput;
  office: OfficeFilterInput;
  person: PersonFilterInput;
  post: PostFilterInput;
  tenure: TenureFilterInput;
  event: EventFilterInput;
  priority: PriorityFilterInput;
}[K];

/** Where a list of entities comes from, and the request's deadline. */
export interface EntityListOptions {
  /** The relation list to filter (keys in the default order); absent: the root list of the kind. */
  relation?: readonly string[];
  /** The entity whose events are listed, for the `role` field of an EntityEventFilter. */
  eventsOf?: string;
  /** Checked while the list is filtered and sorted (deadline.ts). */
  deadline?: Deadline;
}

/**
 * The entities of a list of `kind` that match `args.filter`, in `args.orderBy` order.
 * Without `relation`, the root list (every entity of the kind, narrowed through indexes where the
 * filter allows); with it, that relation list.
 */
export function selectEntities<K extends EntityKind>(
  graph: KnowledgeGraph,
  kind: K,
  args: ListArgs<FilterInputOf<K> | EntityEventFilterInput, string>,
  options: EntityListOptions = {},
): EntityByKind[K][] {
  return runToEnd(selectEntitiesSteps(graph, kind, args, options), options.deadline);
}

/** `selectEntities` for a long list (a root list), giving the event loop back whenever the request's slice is used. */
export function selectEntitiesSliced<K extends EntityKind>(
  graph: KnowledgeGraph,
  kind: K,
  args: ListArgs<FilterInputOf<K> | EntityEventFilterInput, string>,
  options: EntityListOptions = {},
): Promise<EntityByKind[K][]> {
  return runSliced(selectEntitiesSteps(graph, kind, args, options), options.deadline);
}

function* selectEntitiesSteps<K extends EntityKind>(
  graph: KnowledgeGraph,
  kind: K,
  args: ListArgs<FilterInputOf<K> | EntityEventFilterInput, string>,
  options: EntityListOptions,
): Steps<EntityByKind[K][]> {
  const keys = options.relation ?? graph.keys[kind];
  const compiled = compileEntityList(graph, kind, args, options.eventsOf);
  // compiling took about as long as one test of the filter
  if (options.deadline?.due(compiled.condition.weight ?? 1)) yield;
  return yield* selectCompiledSteps(
    graph,
    kind,
    keys,
    compiled,
    !options.relation,
    options.deadline,
  );
}

/**
 * Keys of `selectEntities`; without a filter or an order, the list itself, untouched (not a copy:
 * a page of a million persons is a slice of ten, not a copy of a million).
 */
export function selectKeys<K extends EntityKind>(
  graph: KnowledgeGraph,
  kind: K,
  args: ListArgs<FilterInputOf<K> | EntityEventFilterInput, string>,
  options: EntityListOptions = {},
): readonly string[] {
  return runToEnd(selectKeysSteps(graph, kind, args, options), options.deadline);
}

/**
 * `selectKeys` for a long list (a root list): it gives the event loop back whenever the
 * request's slice is used (deadline.ts), so that a slow filter does not keep other clients waiting.
 */
export function selectKeysSliced<K extends EntityKind>(
  graph: KnowledgeGraph,
  kind: K,
  args: ListArgs<FilterInputOf<K> | EntityEventFilterInput, string>,
  options: EntityListOptions = {},
): Promise<readonly string[]> {
  return runSliced(selectKeysSteps(graph, kind, args, options), options.deadline);
}

function* selectKeysSteps<K extends EntityKind>(
  graph: KnowledgeGraph,
  kind: K,
  args: ListArgs<FilterInputOf<K> | EntityEventFilterInput, string>,
  options: EntityListOptions,
): Steps<readonly string[]> {
  const keys = options.relation ?? graph.keys[kind];
  const compiled = compileEntityList(graph, kind, args, options.eventsOf);
  if (compiled.condition === ALWAYS && compiled.order === compiled.defaultOrder) return keys;
  if (compiled.condition === ALWAYS && args.orderBy)
    return yield* orderKeysSteps(graph, kind, keys, args.orderBy, options.deadline);
  if (options.deadline?.due(compiled.condition.weight ?? 1)) yield;
  const entities = yield* selectCompiledSteps(
    graph,
    kind,
    keys,
    compiled,
    !options.relation,
    options.deadline,
  );
  return entities.map((e) => e.id);
}

function* selectCompiledSteps<K extends EntityKind>(
  graph: KnowledgeGraph,
  kind: K,
  keys: readonly string[],
  { condition, order, defaultOrder }: ReturnType<typeof compileEntityList<K>>,
  whole: boolean,
  deadline: Deadline | undefined,
): Steps<EntityByKind[K][]> {
  return yield* selectSteps(
    // made as the scan reads them, between its checkpoints: on a snapshot-loaded graph, reading
    // an entity for the first time makes it, and a root list's first scan makes every one
    () => entitiesByKey(graph, kind, keys),
    keys.length,
    condition,
    order,
    { whole, defaultOrder, ...(deadline && { deadline }) },
  );
}

/**
 * `keys` (of one kind) in the order `orderBy` says, by their entities' ranks (GraphCore.ranks)
 * rather than the entities: an order without a filter makes no entity. On a graph read from its
 * snapshot, comparing the entities made every one of the list first: 1,180 ms of CPU at 100k for
 * the first `persons(orderBy: NAME DESC)`, priced 171 ms, 870-970 ms for events or tenures by
 * DATE (red team 6). The order is that of `orderFields`, tied by key (compileOrder).
 */
function* orderKeysSteps<K extends EntityKind>(
  graph: KnowledgeGraph,
  kind: K,
  keys: readonly string[],
  orderBy: readonly OrderInput<string>[],
  deadline: Deadline | undefined,
): Steps<readonly string[]> {
  const all = graph.keys[kind];
  const ranks = graph.ranks[kind];
  const byKey: Comparator<number> = (a, b) => compareKeys(all[a]!, all[b]!);
  const byRank = (rank: Int32Array | undefined): Comparator<number> | undefined =>
    rank && ((a, b) => rank[a]! - rank[b]!);
  const fields: Record<string, Comparator<number> | undefined> = {
    KEY: byKey,
    NAME: byRank(ranks.name),
    KIND: byRank(ranks.kind),
    DATE: byRank(ranks.date),
  };
  // a field the kind has not is refused by compileOrder, as the entities' order refuses it
  const known = Object.fromEntries(
    Object.keys(orderFields(graph, kind)).map((field) => [field, fields[field]!]),
  );
  const order = compileOrder(known, orderBy, "orderBy", { order: byKey, tieBreak: byKey });
  // positions in the kind's list: the root list's are its indexes
  const positions =
    keys === all ? Array.from(all, (_, i) => i) : keys.map((key) => graph.position(key));
  if (deadline) yield* sortSteps(positions, order, deadline);
  else positions.sort(order);
  return positions.map((p) => all[p]!);
}

/** The entities of `keys`, each got as it is read. */
function* entitiesByKey<K extends EntityKind>(
  graph: KnowledgeGraph,
  kind: K,
  keys: readonly string[],
): Generator<EntityByKind[K], void, void> {
  for (const key of keys) yield graph.get(kind, key)!;
}

/** The compiled filter and order of a list of entities (inputs are checked here, so even an unused filter is validated). */
function compileEntityList<K extends EntityKind>(
  graph: KnowledgeGraph,
  kind: K,
  args: ListArgs<FilterInputOf<K> | EntityEventFilterInput, string>,
  eventsOf: string | undefined,
) {
  // a list without a filter or an order (most lists a page asks for: a person's tenures, a
  // state's persons) needs neither the filter's fields nor the orders, whose closures were most
  // of what such a list allocated per request
  const condition = args.filter
    ? compileFilter(
        (kind === "event" && eventsOf
          ? entityEventSpec(graph, eventsOf)
          : specs[kind](graph)) as Spec<K>,
        args.filter,
        "filter",
      )
    : ALWAYS;
  const defaultOrder = inGraphOrder<EntityByKind[K]>(graph);
  const order =
    args.orderBy === null || args.orderBy === undefined
      ? defaultOrder
      : compileOrder(orderFields(graph, kind), args.orderBy, "orderBy", {
          order: defaultOrder,
          tieBreak: byKey,
        });
  return { condition, order, defaultOrder };
}

/**
 * Entities in the graph's order. Made by a function of the module, not assigned to a name where it
 * is used: tsx names each closure assigned to a name with Object.defineProperty whenever one is
 * made, once per list field (docs/performance.md).
 */
function inGraphOrder<T extends { id: string }>(graph: KnowledgeGraph): Comparator<T> {
  return (a, b) => graph.position(a.id) - graph.position(b.id);
}

/** Entities by their keys: the tie-break of an order asked for. */
function byKey(a: { id: string }, b: { id: string }): number {
  return compareKeys(a.id, b.id);
}

// ---- records: participants, office names and locations, timeline entries -------------------

/** Records of a list, filtered and ordered; ties are broken by their place in `list`. */
function selectRecords<T>(
  list: readonly T[],
  spec: FilterSpec<T>,
  fields: Record<string, Comparator<T>>,
  args: ListArgs<object, string>,
  options: { whole: boolean; defaultOrder?: Comparator<T>; deadline?: Deadline | undefined },
): T[] {
  // most lists a page asks for have neither (an office's names on every row of the offices
  // view): the list itself, without the positions, the compiled filter and order below
  if (args.filter == null && args.orderBy == null && !options.defaultOrder) {
    options.deadline?.check();
    return [...list];
  }
  const position = new Map(list.map((item, i) => [item, i]));
  const byPosition: Comparator<T> = (a, b) => position.get(a)! - position.get(b)!;
  const defaultOrder = options.defaultOrder ?? byPosition;
  const condition = compileFilter(spec, args.filter, "filter");
  const order = compileOrder(fields, args.orderBy, "orderBy", {
    order: defaultOrder,
    tieBreak: defaultOrder,
  });
  const { deadline } = options;
  deadline?.check(condition.weight ?? 1);
  return runToEnd(
    selectSteps(() => list, list.length, condition, order, {
      whole: options.whole,
      defaultOrder,
      ...(deadline && { deadline }),
    }),
    deadline,
  );
}

/** An event's participants, in the source's order unless ordered by ROLE or ENTITY (key). */
export function selectParticipants(
  graph: KnowledgeGraph,
  event: EntityByKind["event"],
  args: ListArgs<ParticipantFilterInput, ParticipantOrderField>,
  deadline?: Deadline,
): Participation[] {
  const list = event.participants.map((participant) => ({ event, participant }));
  return selectRecords(
    list,
    participantSpec(graph),
    {
      ROLE: (a, b) => compareKeys(a.participant.role, b.participant.role),
      ENTITY: (a, b) => compareKeys(a.participant.ref, b.participant.ref),
    },
    args,
    { whole: false, deadline },
  );
}

/** An office's names, oldest first unless ordered otherwise. */
export function selectOfficeNames(
  graph: KnowledgeGraph,
  office: EntityByKind["office"],
  args: ListArgs<OfficeNameFilterInput, DatedRecordOrderField>,
  deadline?: Deadline,
): OfficeName[] {
  return selectRecords(
    office.nameHistory,
    {
      name: stringField((n) => [n.text]),
      period: dateField(graph, (n) => graph.date(n.when)),
      decidedBy: keyField(graph, ["event"], (n) => (n.decidedBy ? [n.decidedBy] : [])),
    },
    {
      // (methods, not arrow functions as properties' values: tsx names each of those whenever
      // one is made, docs/performance.md)
      DATE(a, b) {
        return compareChronologically(graph.date(a.when), graph.date(b.when));
      },
    },
    args,
    { whole: false, deadline },
  );
}

/** An office's locations, oldest first unless ordered otherwise; a location without a date counts as UNKNOWN_PERIOD. */
export function selectOfficeLocations(
  graph: KnowledgeGraph,
  office: EntityByKind["office"],
  args: ListArgs<OfficeLocationFilterInput, DatedRecordOrderField>,
  deadline?: Deadline,
): OfficeLocation[] {
  const period = (l: OfficeLocation): PartialDate => (l.when ? graph.date(l.when) : UNKNOWN_PERIOD);
  return selectRecords(
    office.locations,
    {
      place: keyField(graph, ["place"], (l) => [l.place]),
      period: dateField(graph, period, {
        certaintiesAt: (at) => (l) => periodCertainty(graph, l.when, at),
      }),
    },
    { DATE: (a, b) => compareChronologically(period(a), period(b)) },
    args,
    { whole: false, deadline },
  );
}

/** The filter of a list of names: its text and its kind. */
export interface NameFilterInput extends LogicalInput<NameFilterInput> {
  text?: Maybe<StringFilterInput>;
  kind?: Maybe<EnumFilterInput<string>>;
}
export type NameOrderField = "TEXT" | "KIND";

/** An entity's names, canonical first unless ordered otherwise. */
export function selectNames<T extends { text: string; kind: string }>(
  list: readonly T[],
  args: ListArgs<NameFilterInput, NameOrderField>,
  deadline?: Deadline,
): T[] {
  return selectRecords(
    list,
    { text: stringField((n) => [n.text]), kind: enumField((n) => n.kind) },
    {
      TEXT(a, b) {
        return compareText(a.text, b.text);
      },
      KIND(a, b) {
        return compareKeys(a.kind, b.kind);
      },
    },
    args,
    { whole: false, deadline },
  );
}

/** The filter of a state's cooperations: the office cooperated with. */
export interface CooperationFilterInput extends LogicalInput<CooperationFilterInput> {
  office?: Maybe<KeyFilterInput>;
}
export type CooperationOrderField = "OFFICE";

/** A state's cooperations, in the source's order unless ordered by OFFICE (key). */
export function selectCooperations<T extends { office: string }>(
  graph: KnowledgeGraph,
  list: readonly T[],
  args: ListArgs<CooperationFilterInput, CooperationOrderField>,
  deadline?: Deadline,
): T[] {
  return selectRecords(
    list,
    { office: keyField(graph, ["office"], (c) => [c.office]) },
    { OFFICE: (a, b) => compareKeys(a.office, b.office) },
    args,
    { whole: false, deadline },
  );
}

/** The filter of a list of successions between offices. */
export interface SuccessionFilterInput extends LogicalInput<SuccessionFilterInput> {
  predecessor?: Maybe<KeyFilterInput>;
  successor?: Maybe<KeyFilterInput>;
  kind?: Maybe<EnumFilterInput<string>>;
  decidedBy?: Maybe<KeyFilterInput>;
  when?: Maybe<DateFilterInput>;
}
export type SuccessionOrderField = "DATE";

/**
 * Successions, in their list's order (oldest first, or nearest first for a lineage) unless ordered
 * by DATE; a succession without a date counts as UNKNOWN_PERIOD.
 */
export function selectSuccessions<
  T extends {
    predecessor: string;
    successor: string;
    kind: string;
    decidedBy?: string | undefined;
    when?: Dated | undefined;
  },
>(
  graph: KnowledgeGraph,
  list: readonly T[],
  args: ListArgs<SuccessionFilterInput, SuccessionOrderField>,
  deadline?: Deadline,
): T[] {
  const period = (s: T): PartialDate => (s.when ? graph.date(s.when) : UNKNOWN_PERIOD);
  return selectRecords(
    list,
    {
      predecessor: keyField(graph, ["office"], (s) => [s.predecessor]),
      successor: keyField(graph, ["office"], (s) => [s.successor]),
      kind: enumField((s) => s.kind),
      decidedBy: keyField(graph, ["event"], (s) => (s.decidedBy ? [s.decidedBy] : [])),
      when: dateField(graph, period),
    },
    { DATE: (a, b) => compareChronologically(period(a), period(b)) },
    args,
    { whole: false, deadline },
  );
}

/**
 * Timeline entries matching the filter, in timeline order (DATE DESC is its exact reverse). The
 * filter runs over order numbers (the timeline's columns answer kind, date and involved entities
 * without making entries), and only the page asked for is made into entries: the whole timeline,
 * unfiltered, is never copied.
 */
export function selectTimeline(
  graph: KnowledgeGraph,
  args: ListArgs<TimelineFilterInput, DatedRecordOrderField>,
  deadline?: Deadline,
): TimelineEntryList {
  return runToEnd(selectTimelineSteps(graph, args, deadline), deadline);
}

/** `selectTimeline`, giving the event loop back whenever the request's slice is used (deadline.ts). */
export function selectTimelineSliced(
  graph: KnowledgeGraph,
  args: ListArgs<TimelineFilterInput, DatedRecordOrderField>,
  deadline?: Deadline,
): Promise<TimelineEntryList> {
  return runSliced(selectTimelineSteps(graph, args, deadline), deadline);
}

function* selectTimelineSteps(
  graph: KnowledgeGraph,
  args: ListArgs<TimelineFilterInput, DatedRecordOrderField>,
  deadline: Deadline | undefined,
): Steps<TimelineEntryList> {
  const timeline = graph.timeline;
  const spec: FilterSpec<number> = {
    date: dateField(graph, (order) => timeline.dateAt(order), {
      certaintiesAt: (at) => timeline.certaintiesAt(at),
    }),
    entity: keyField(
      graph,
      entityKinds,
      (order) => timeline.involvesAt(order),
      (key) => timeline.involving(key),
    ),
    kind: enumField(
      (order) => timeline.kindAt(order),
      (kind) => timeline.ofKind(kind),
    ),
  };
  const condition = compileFilter(spec, args.filter, "filter");
  const inOrder: Comparator<number> = (a, b) => a - b;
  const order = compileOrder({ DATE: inOrder }, args.orderBy, "orderBy", {
    order: inOrder,
    tieBreak: inOrder,
  });
  // DATE is the only field and orders are distinct: the comparator is ascending or descending
  const descending = order(0, 1) > 0;
  if (condition === ALWAYS) return timeline.range(descending);
  const { candidates } = condition;
  const weight = condition.weight ?? 1;
  if (deadline?.due(weight)) yield;
  const orders: number[] = [];
  if (candidates !== undefined && candidates.most < timeline.length) {
    for (const o of candidates.list()) {
      if (condition.test(o)) orders.push(o);
      if (deadline?.due(weight)) yield;
    }
    orders.sort(inOrder);
  } else {
    for (let o = 0; o < timeline.length; o++) {
      if (condition.test(o)) orders.push(o);
      if (deadline?.due(weight)) yield;
    }
  }
  return timeline.select(descending ? orders.reverse() : orders);
}

// ---- as of a date ----------------------------------------------------------------------------

/** An item of a time-bound list with its certainty for the `asOf` date (null when none was asked). */
export interface AsOf<T> {
  item: T;
  certainty: Certainty | null;
}

/**
 * Narrows a time-bound list to what held at `at`, with the certainties asked for, and marks each
 * item with its certainty; without `at`, every item, unmarked.
 */
export function asOf<T>(
  items: readonly T[],
  at: PartialDate | undefined,
  certainties: ReadonlySet<Certainty>,
  certaintyOf: (item: T, at: PartialDate) => Certainty,
): AsOf<T>[] {
  if (!at) return items.map((item) => ({ item, certainty: null }));
  return items.flatMap((item) => {
    const certainty = certaintyOf(item, at);
    return certainties.has(certainty) ? [{ item, certainty }] : [];
  });
}

/** What a page takes of a list (pagination's `Sliceable`): its length and the part it shows. */
export interface SliceableList<T> {
  readonly length: number;
  slice(start: number, end: number): T[];
}

/**
 * `asOf` for a long list (a root list of tenures: 30,000 at 100k entities), checking the deadline
 * and giving the event loop back as `selectEntitiesSliced` does. When it leaves nothing out (no
 * date, or every certainty asked, as the explorer's chart of all tenures asks), the items are
 * marked as a page slices them: the certainty of a page's 100, not of all 30,000.
 */
export function asOfSliced<T>(
  items: readonly T[],
  at: PartialDate | undefined,
  certainties: ReadonlySet<Certainty>,
  certaintiesOn: (at: PartialDate) => (item: T, index: number) => Certainty,
  deadline: Deadline | undefined,
): Promise<SliceableList<AsOf<T>>> {
  const certaintyOf = at && certaintiesOn(at);
  if (!certaintyOf || ALL_CERTAINTIES.every((c) => certainties.has(c))) {
    return Promise.resolve({
      length: items.length,
      slice: (start, end) =>
        items.slice(start, end).map((item, i) => ({
          item,
          certainty: certaintyOf ? certaintyOf(item, start + i) : null,
        })),
    });
  }
  return runSliced(
    (function* () {
      const held: AsOf<T>[] = [];
      for (let i = 0; i < items.length; i++) {
        if (deadline?.due()) yield;
        const item = items[i]!;
        const certainty = certaintyOf(item, i);
        if (certainties.has(certainty)) held.push({ item, certainty });
      }
      return held;
    })(),
    deadline,
  );
}
