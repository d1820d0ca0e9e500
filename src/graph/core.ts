/**
 * The core of the immutable in-memory knowledge graph: entities by id, their relation indexes and
 * parsed dates, all built once at load, so that no lookup scans the whole graph. The indexes
 * derived from it (timeline.ts, paths.ts, lineage.ts, statistics.ts, shape.ts) import this core,
 * never the reverse; graph.ts puts them together into the KnowledgeGraph resolvers are handed.
 */
import { hashDataset } from "./content-hash.js";
import {
  type Certainty,
  compareChronologically,
  coverage,
  horizonDayOf,
  narrowed,
  overlaps,
  type PartialDate,
  parsePartialDate,
  rankDates,
} from "./dates.js";
import type { Deadline } from "./deadline.js";
import type {
  Dataset,
  Dated,
  Dimension,
  Entity,
  EntityKind,
  Event,
  Office,
  OfficeName,
  Participant,
  Person,
  Place,
  Post,
  Priority,
  Quote,
  Source,
  State,
  Tenure,
} from "./model.js";
import { entityKinds, kindOf } from "./model.js";
import { itemReader } from "./snapshot/lazy-list.js";
import { TenureSpans } from "./tenure-spans.js";
import { placeOf } from "./text-index.js";

export interface EntityByKind {
  source: Source;
  state: State;
  place: Place;
  dimension: Dimension;
  office: Office;
  person: Person;
  post: Post;
  tenure: Tenure;
  event: Event;
  priority: Priority;
}

/** An entity's part in an event. */
export interface Participation {
  event: Event;
  participant: Participant;
}

/** A name of an office together with the office, for lookups by deciding event. */
export interface DecidedName {
  office: Office;
  name: OfficeName;
}

/** A cooperation link seen from the office's side. */
export interface Cooperation {
  state: string;
  office: string;
  provenance: State["cooperatesWith"][number]["provenance"];
}

/**
 * The graph is shared by every request: freezing it makes an accidental write fail loudly. The
 * same walk over every object meets every dated fact: `onDate` is called with each.
 */
function freezeAndFindDates(value: unknown, onDate: (dated: Dated) => void): void {
  if (value === null || typeof value !== "object") return;
  // an object met before (a shared quote, the shared empty list) is frozen already
  if (!Object.isFrozen(value)) Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) freezeAndFindDates(value[i], onDate);
    return;
  }
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key];
    if (key === "edtf" && typeof child === "string") onDate(value as Dated);
    else freezeAndFindDates(child, onDate);
  }
}

/**
 * The key of a dated fact's parsed date: its EDTF text, and the events bounding it if any, so
 * that the same text bounded or not is two dates (`1999/2007` ended on or after June 21, 2007 is
 * not `1999/2007`).
 */
export function dateKey(dated: Dated): string {
  const { edtf, startsNotBefore, endsNotBefore } = dated;
  return startsNotBefore === undefined && endsNotBefore === undefined
    ? edtf
    : `${edtf} ${startsNotBefore ?? ""} ${endsNotBefore ?? ""}`;
}

/**
 * Each graph's bounded dates by date object (GraphCore.date): kept beside the graph rather than
 * in it, since a snapshot writes every field of a graph.
 */
const boundedDates = new WeakMap<GraphCore, WeakMap<Dated, PartialDate>>();

/**
 * Chronologically by `when` (each item's date's rank, see rankDates), ties by key. The few thousand
 * distinct dates are ordered once and each item sorted by its date's rank: comparing parsed
 * dates anew at every step of sorting a million items cost seconds.
 */
function sortedByDate<T extends { id: string; when: Dated }>(
  list: readonly T[],
  rank: ReadonlyMap<string, number>,
): T[] {
  return list
    .map((item) => ({ item, rank: rank.get(dateKey(item.when))! }))
    .sort((a, b) => a.rank - b.rank || compareIds(a.item, b.item))
    .map((d) => d.item);
}

/**
 * Each item's rank by `value`, by its place in `list`: equal values (`compare` gives 0) share a
 * rank, and a higher rank is a later value. `value` is read once per item.
 */
function ranksOf<T, V>(
  list: readonly T[],
  value: (item: T) => V,
  compare: (a: V, b: V) => number,
): Int32Array {
  const values = list.map(value);
  const byValue = Int32Array.from(values.keys()).sort((a, b) => compare(values[a]!, values[b]!));
  const ranks = new Int32Array(list.length);
  let rank = 0;
  for (let i = 0; i < byValue.length; i++) {
    if (i > 0 && compare(values[byValue[i - 1]!]!, values[byValue[i]!]!) !== 0) rank++;
    ranks[byValue[i]!] = rank;
  }
  return ranks;
}

/**
 * What a list of a kind can be ordered by besides the key, as ranks by position in `lists[kind]`
 * (GraphCore.ranks): names by locale, kinds and dates as the API orders them (lists.ts).
 */
export interface OrderRanks {
  readonly name?: Int32Array;
  readonly kind?: Int32Array;
  readonly date?: Int32Array;
}

/** The year of a YYYY-MM-DD day, or undefined for an unbounded side. */
function yearOf(day: string | null): number | undefined {
  return day === null ? undefined : Number(day.slice(0, 4));
}

/** The order of `localeCompare(b, "en")`, without building a collator for every comparison. */
const byNameCollator = new Intl.Collator("en");

const compareIds = (a: { id: string }, b: { id: string }) =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** No values: what every unknown key gets. */
const NONE: readonly never[] = Object.freeze([]);

/**
 * A relation list, keyed by the id of the entity it hangs from.
 *
 * Built by `add`, then `compact`ed once complete: each list of at most `SHORT` values then lives
 * in one array shared by all of them (the map holds its slot number), and `get` copies it out;
 * longer lists stay arrays of their own, given out as they are. Most lists are short (a person's
 * tenures, an entity's few events), and an array of its own costs 48 bytes before its first value:
 * at a million entities, the lists' own headers were more than their contents.
 */
export class MultiIndex<V> {
  /** Lists longer than this keep an array of their own. */
  static readonly SHORT = 8;
  private readonly map = new Map<string, V[] | number>();
  /** The short lists' values, one after the other: slot `i` is `flat[starts[i]]` up to `flat[starts[i + 1]]`. */
  private flat: V[] | undefined;
  private starts: Int32Array | undefined;

  add(key: string | undefined, value: V): void {
    if (key === undefined) return;
    if (this.flat) throw new Error("MultiIndex: add after compact");
    const list = this.map.get(key) as V[] | undefined;
    if (list) list.push(value);
    else this.map.set(key, [value]);
  }

  get(key: string): readonly V[] {
    const found = this.map.get(key);
    if (found === undefined) return NONE;
    if (typeof found !== "number") return found;
    return this.flat!.slice(this.starts![found], this.starts![found + 1]);
  }

  /** How many values `key` holds (`get(key).length`, without copying them out). */
  size(key: string): number {
    const found = this.map.get(key);
    if (found === undefined) return 0;
    if (typeof found !== "number") return found.length;
    return this.starts![found + 1]! - this.starts![found]!;
  }

  sort(compare: (a: V, b: V) => number): this {
    if (this.flat) throw new Error("MultiIndex: sort before compact");
    for (const list of this.map.values()) (list as V[]).sort(compare);
    return this;
  }

  /** The length of the longest list: the most values one key holds (the graph's shape, shape.ts). */
  largest(): number {
    let most = 0;
    for (const value of this.map.values()) {
      const length =
        typeof value === "number" ? this.starts![value + 1]! - this.starts![value]! : value.length;
      if (length > most) most = length;
    }
    return most;
  }

  /** Once every value is added: short lists move into the shared array, long ones drop their spare room. */
  compact(): this {
    if (this.flat) return this;
    let shortLists = 0;
    let shortValues = 0;
    for (const list of this.map.values()) {
      const length = (list as V[]).length;
      if (length <= MultiIndex.SHORT) {
        shortLists++;
        shortValues += length;
      }
    }
    const flat: V[] = new Array<V>(shortValues);
    const starts = new Int32Array(shortLists + 1);
    let slot = 0;
    let at = 0;
    for (const [key, value] of this.map) {
      const list = value as V[];
      if (list.length > MultiIndex.SHORT) {
        // an array grown by push keeps room for more values: an exact copy does not
        this.map.set(key, list.slice());
        continue;
      }
      starts[slot] = at;
      for (const item of list) flat[at++] = item;
      this.map.set(key, slot++);
    }
    starts[slot] = at;
    this.flat = flat;
    this.starts = starts;
    return this;
  }
}

/**
 * The office names each event decided (a name's `decidedBy`), as DecidedName objects made when
 * asked for from the office's own history, so that a name is the very object its office holds
 * (the timeline finds a renaming by its place there). Stored are only the offices' places in
 * the list of offices, once per name decided: an index of the names themselves was read back
 * from a snapshot as copies, with every renamed office parsed at start to hold them (16,559 at a
 * million entities, most of a start's heap beyond the indexes).
 */
export class DecidedNames {
  private readonly index = new MultiIndex<number>();

  constructor(private readonly offices: readonly Office[]) {
    offices.forEach((office, i) => {
      for (const name of office.nameHistory) this.index.add(name.decidedBy, i);
    });
    this.index.compact();
  }

  get(event: string): DecidedName[] {
    const found: DecidedName[] = [];
    let previous = -1;
    for (const i of this.index.get(event)) {
      // an office with several names one event decided is listed once per name, one after the other
      if (i === previous) continue;
      previous = i;
      const office = this.offices[i]!;
      for (const name of office.nameHistory)
        if (name.decidedBy === event) found.push({ office, name });
    }
    return found;
  }

  /** The most names one event decided. */
  largest(): number {
    return this.index.largest();
  }
}

/**
 * Each entity's parts in events, as Participation objects made when asked for. Stored are only
 * numbers: per participation, its event's place in the list of events and the participant's
 * place in that event (an object per participation was 40 bytes, and most entities take part in
 * some event).
 */
export class ParticipationIndex {
  private readonly index = new MultiIndex<number>();
  private readonly eventOf: Int32Array;
  private readonly participantOf: Int32Array;

  constructor(private readonly events: readonly Event[]) {
    const eventOf: number[] = [];
    const participantOf: number[] = [];
    events.forEach((event, position) => {
      event.participants.forEach((participant, i) => {
        this.index.add(participant.ref, eventOf.length);
        eventOf.push(position);
        participantOf.push(i);
      });
    });
    this.eventOf = Int32Array.from(eventOf);
    this.participantOf = Int32Array.from(participantOf);
    this.index.compact();
  }

  /** The most parts one entity takes in events: a bound on its list of events. */
  largest(): number {
    return this.index.largest();
  }

  /** How many parts an entity takes in events (`get(key).length`, without making them). */
  size(key: string): number {
    return this.index.size(key);
  }

  /** The events an entity takes part in, with its part in each, in the order of the list of events. */
  get(key: string): Participation[] {
    return this.index.get(key).map((n) => {
      const event = this.events[this.eventOf[n]!]!;
      return { event, participant: event.participants[this.participantOf[n]!]! };
    });
  }
}

/**
 * Asked for an entity the graph does not hold (e.g. through a stale or hand-made global id). Made
 * without capturing a stack: nothing reads it (it is answered as NOT_FOUND, never logged as a
 * failure), and `getMany` makes one per unknown key of a batch, up to the 9,615 ids one request
 * can name: captured, they took 3 ms for 1,000 and 63 ms for 9,615 (medians; worst 324 ms), 1
 * and 4.5 ms without (bench/not-found-batch.ts, bench/results/2026-12-06-not-found-stack.txt).
 */
export class NotFoundError extends Error {
  override name = "NotFoundError";
  readonly kind: EntityKind;
  readonly key: string;
  constructor(kind: EntityKind, key: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(`No ${kind} has the key "${key}".`);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.kind = kind;
    this.key = key;
  }
}

/**
 * Work units (deadline.ts) of reading one entity (of a batch, or of a relation: entity-plugin.ts):
 * a map look-up once decoded, tens of µs the first time on a graph loaded from a snapshot; the
 * clock is read every 64 entities.
 */
export const ENTITY_WORK = 16;

export class GraphCore {
  /** Each distinct date of the graph, parsed: a date is looked up by its EDTF text as written, and its bounds (`dateKey`). */
  private readonly dates = new Map<string, PartialDate>();
  readonly lists: { [K in EntityKind]: readonly EntityByKind[K][] };
  /** The keys of each kind, in the order of `lists`: what root lists page through. */
  readonly keys: { [K in EntityKind]: readonly string[] };

  // Relation indexes hold keys: entities are fetched through the per-request loaders.
  readonly tenuresByPost = new MultiIndex<string>();
  readonly tenuresByHolder = new MultiIndex<string>();
  readonly postsByOffice = new MultiIndex<string>();
  readonly postsByState = new MultiIndex<string>();
  readonly placesByState = new MultiIndex<string>();
  readonly personsByNationality = new MultiIndex<string>();
  readonly officesByState = new MultiIndex<string>();
  readonly officesByPlace = new MultiIndex<string>();
  readonly officesByDimension = new MultiIndex<string>();
  /** The offices that are part of an office (the OSCE's bodies, institutions and field operations), by the whole's id. */
  readonly officesByWhole = new MultiIndex<string>();
  readonly prioritiesByDimension = new MultiIndex<string>();
  readonly prioritiesByState = new MultiIndex<string>();
  /** The priorities about a state (Priority.concerns), by the state's id. */
  readonly prioritiesByConcern = new MultiIndex<string>();
  readonly cooperationsByOffice = new MultiIndex<Cooperation>();
  readonly eventsByPlace = new MultiIndex<string>();
  readonly participationsByEntity: ParticipationIndex;
  readonly eventsByCapacity = new MultiIndex<string>();
  readonly namesDecidedBy: DecidedNames;
  /** Root lists narrowed by kind, in the order of `lists`. */
  readonly officesByKind = new MultiIndex<string>();
  readonly eventsByKind = new MultiIndex<string>();
  readonly tenuresByPostKind = new MultiIndex<string>();
  /** Positions in `lists.event` by each year an event may fall in; open-ended events aside. */
  private readonly eventsByYear = new MultiIndex<number>();
  private readonly eventsWithUnboundedDates: number[] = [];
  private eventYears = { first: 0, last: -1 };

  /** The day the newest source was last updated: open ends are only known to run until then. */
  readonly horizon: string;
  /** Each tenure's dates as numbers, in the order of `lists.tenure`: lists as of a date (tenure-spans.ts). */
  readonly tenureSpans: TenureSpans;
  /**
   * Each entity's rank by each field its kind's lists can be ordered by (its name, its kind, its
   * date), by its place in `lists[kind]`: built with the lists, and written in the snapshot as
   * columns, so that ordering a list by them makes no entity. On a graph read from its snapshot,
   * where an entity is made when first read (one read and a JSON.parse, kept), the first
   * `persons(orderBy: [{field: NAME, direction: DESC}])` made all 38,000 persons to compare their
   * names: 1,180 ms of CPU at 100k for a request priced 171 ms, and the first events or tenures
   * by DATE DESC 870-970 ms (red team 6); lists.ts sorts their positions by these ranks instead.
   */
  readonly ranks: { readonly [K in EntityKind]: OrderRanks };
  /** Each key's place in the default order of its kind's list (`keys`): the default order of every list. */
  private readonly positions = new Map<string, number>();

  /**
   * The hash of the data this graph was built from (content-hash.ts): the same on every replica
   * serving the same data, different after any change.
   */
  get contentHash(): string {
    return (this.hash ??= hashDataset(this.dataset, this.texts));
  }
  private hash: string | undefined;

  /** `contentHash`: given by the loader when it hashed the files it read, else computed when first asked for. */
  constructor(
    readonly dataset: Dataset,
    readonly texts: ReadonlyMap<string, string>,
    contentHash?: string,
  ) {
    this.hash = contentHash;
    const bounded: Dated[] = [];
    freezeAndFindDates(dataset, (dated) => {
      const key = dateKey(dated);
      if (this.dates.has(key)) return;
      if (key === dated.edtf) this.dates.set(key, parsePartialDate(dated.edtf));
      else bounded.push(dated);
    });
    if (bounded.length > 0) this.addBoundedDates(bounded, dataset.events);

    const dateRanks = rankDates(this.dates);
    const byName = (
      a: { id: string; name: { text: string } },
      b: { id: string; name: { text: string } },
    ) =>
      byNameCollator.compare(a.name.text, b.name.text) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const sorted = <T extends { id: string; name: { text: string } }>(list: readonly T[]) =>
      [...list].sort(byName);
    this.lists = {
      source: sorted(dataset.sources),
      state: sorted(dataset.states),
      place: sorted(dataset.places),
      dimension: [...dataset.dimensions],
      office: sorted(dataset.offices),
      person: sorted(dataset.persons),
      post: sorted(dataset.posts),
      // ties (the same date) by key, so that the order does not depend on the seed files' order
      tenure: sortedByDate(dataset.tenures, dateRanks),
      event: sortedByDate(dataset.events, dateRanks),
      priority: [...dataset.priorities],
    };
    this.keys = Object.fromEntries(
      Object.entries(this.lists).map(([kind, list]) => [kind, list.map((e: Entity) => e.id)]),
    ) as { [K in EntityKind]: string[] };
    for (const keys of Object.values(this.keys))
      keys.forEach((key, position) => this.positions.set(key, position));
    this.ranks = this.orderRanks(dateRanks);
    this.horizon = dataset.sources
      .map((s) => this.date(s.updated).latest ?? "")
      .reduce((a, b) => (a > b ? a : b), "");

    this.participationsByEntity = new ParticipationIndex(this.lists.event);
    this.namesDecidedBy = new DecidedNames(this.lists.office);
    this.buildIndexes();
    this.tenureSpans = new TenureSpans(
      this.lists.tenure,
      (tenure) => this.date(tenure.when),
      // a graph without a source (built by hand: a dataset needs one) has no horizon, and then
      // no open end is certain
      horizonDayOf(this.horizon),
    );
  }

  /** `ranks`, from the lists: the orders of lists.ts (names by locale, kinds and dates as keys and dates compare). */
  private orderRanks(dateRanks: ReadonlyMap<string, number>): GraphCore["ranks"] {
    const byName = (e: { name: { text: string } }) => e.name.text;
    const name = (list: readonly { name: { text: string } }[]) =>
      ranksOf(list, byName, byNameCollator.compare);
    const kind = (list: readonly { kind: string }[]) =>
      ranksOf(
        list,
        (e) => e.kind,
        (a, b) => (a < b ? -1 : a > b ? 1 : 0),
      );
    // a date's rank is its place among every date of the graph (rankDates: compareChronologically)
    const date = (list: readonly { when: Dated }[]) =>
      Int32Array.from(list, (e) => dateRanks.get(dateKey(e.when))!);
    const { lists } = this;
    return {
      source: { name: name(lists.source) },
      state: { name: name(lists.state) },
      place: { name: name(lists.place) },
      dimension: { name: name(lists.dimension) },
      office: { name: name(lists.office), kind: kind(lists.office) },
      person: { name: name(lists.person) },
      post: { name: name(lists.post), kind: kind(lists.post) },
      tenure: { date: date(lists.tenure) },
      event: { name: name(lists.event), kind: kind(lists.event), date: date(lists.event) },
      priority: { name: name(lists.priority) },
    };
  }

  /**
   * The dates events bound (Dated.startsNotBefore, endsNotBefore), narrowed to the first day of
   * each event's date as written: an event's own bounds are not followed, so that no chain or
   * cycle of bounds needs resolving.
   */
  private addBoundedDates(bounded: readonly Dated[], events: readonly Event[]): void {
    const wanted = new Set(bounded.flatMap((d) => [d.startsNotBefore, d.endsNotBefore]));
    const firstDays = new Map<string, string | null>();
    for (const event of events)
      if (wanted.has(event.id)) firstDays.set(event.id, parsePartialDate(event.when.edtf).earliest);
    const firstDay = (event: string | undefined): string | null => {
      if (event === undefined) return null;
      const day = firstDays.get(event);
      // validation rejects both (validate.ts): a graph built by hand may still hold them
      if (day === undefined)
        throw new Error(`a date is bounded by ${event}, not an event of this graph`);
      if (day === null)
        throw new Error(`a date is bounded by ${event}, whose date has no first day`);
      return day;
    };
    for (const dated of bounded) {
      const key = dateKey(dated);
      if (this.dates.has(key)) continue;
      const written = parsePartialDate(dated.edtf);
      const date = narrowed(
        written,
        firstDay(dated.startsNotBefore),
        firstDay(dated.endsNotBefore),
      );
      this.dates.set(key, date);
    }
  }

  private buildIndexes(): void {
    for (const tenure of this.lists.tenure) {
      this.tenuresByPostKind.add(this.get("post", tenure.post)?.kind, tenure.id);
      this.tenuresByPost.add(tenure.post, tenure.id);
      this.tenuresByHolder.add(tenure.holder, tenure.id);
    }
    for (const post of this.lists.post) {
      this.postsByOffice.add(post.office?.ref, post.id);
      this.postsByState.add(post.state?.ref, post.id);
    }
    for (const place of this.lists.place) this.placesByState.add(place.state.ref, place.id);
    for (const person of this.lists.person)
      this.personsByNationality.add(person.nationality?.ref, person.id);
    for (const office of this.lists.office) {
      this.officesByKind.add(office.kind, office.id);
      this.officesByState.add(office.state?.ref, office.id);
      for (const place of new Set(office.locations.map((l) => l.place)))
        this.officesByPlace.add(place, office.id);
      for (const dimension of office.dimensions)
        this.officesByDimension.add(dimension.ref, office.id);
      this.officesByWhole.add(office.partOf?.ref, office.id);
    }
    for (const priority of this.lists.priority) {
      this.prioritiesByDimension.add(priority.dimension?.ref, priority.id);
      this.prioritiesByState.add(priority.state.ref, priority.id);
      for (const concern of priority.concerns)
        this.prioritiesByConcern.add(concern.ref, priority.id);
    }
    for (const state of this.lists.state) {
      for (const c of state.cooperatesWith) {
        this.cooperationsByOffice.add(c.ref, {
          state: state.id,
          office: c.ref,
          provenance: c.provenance,
        });
      }
    }
    this.lists.event.forEach((event, position) => {
      const { earliest, latest } = this.date(event.when);
      const [from, to] = [yearOf(earliest), yearOf(latest)];
      if (from === undefined || to === undefined) this.eventsWithUnboundedDates.push(position);
      else {
        for (let year = from; year <= to; year++) this.eventsByYear.add(String(year), position);
        this.eventYears = {
          first:
            this.eventYears.last < this.eventYears.first
              ? from
              : Math.min(this.eventYears.first, from),
          last: Math.max(this.eventYears.last, to),
        };
      }
    });
    for (const event of this.lists.event) {
      this.eventsByKind.add(event.kind, event.id);
      this.eventsByPlace.add(event.place?.ref, event.id);
      for (const participant of event.participants) {
        this.eventsByCapacity.add(participant.capacity, event.id);
      }
    }
    for (const index of Object.values(this)) if (index instanceof MultiIndex) index.compact();
  }

  /** An entity by its readable id, checked to be of the expected kind. */
  get<K extends EntityKind>(kind: K, id: string): EntityByKind[K] | undefined {
    return kindOf(id) === kind ? (this.at(kind, id) as EntityByKind[K] | undefined) : undefined;
  }

  /** The entity of `kind` with this id: no map by id, the key's position in its kind's list finds it. */
  private at(kind: EntityKind, id: string): Entity | undefined {
    const position = this.positions.get(id);
    if (position === undefined) return undefined;
    this.readers ??= Object.fromEntries(
      entityKinds.map((k) => [k, itemReader<Entity>(this.lists[k])]),
    ) as Record<EntityKind, (i: number) => Entity | undefined>;
    return this.readers[kind](position);
  }
  /** Per kind, the reader of `lists[kind]` (itemReader: a snapshot's lazy list read without its Proxy), made at the first read. */
  private readers: Record<EntityKind, (i: number) => Entity | undefined> | undefined;

  /**
   * A batch of entities of one kind, in the order asked, with an Error in place of each unknown key:
   * the contract of a DataLoader batch function, and the one call a non-memory backend would implement.
   * With the request's deadline the batch is read in slices of the event loop (Deadline.pause): on
   * a graph loaded from a snapshot an entity is decoded the first time it is read (tens of µs),
   * and one batch can hold thousands.
   */
  async getMany<K extends EntityKind>(
    kind: K,
    ids: readonly string[],
    deadline?: Deadline,
  ): Promise<(EntityByKind[K] | Error)[]> {
    if (!deadline) return ids.map((id) => this.get(kind, id) ?? new NotFoundError(kind, id));
    const entities: (EntityByKind[K] | Error)[] = [];
    for (const id of ids) {
      // asked again after a turn: the batches that waited for it resume together (Deadline.pause)
      for (let turn = deadline.pause(ENTITY_WORK); turn; turn = deadline.pause(ENTITY_WORK))
        await turn;
      entities.push(this.get(kind, id) ?? new NotFoundError(kind, id));
    }
    return entities;
  }

  /** A key's place in its kind's default order (`keys`); compare positions to sort keys of one kind. */
  position(key: string): number {
    const position = this.positions.get(key);
    if (position === undefined) throw new Error(`${key} is not part of this graph`);
    return position;
  }

  /** Any entity by its readable id. */
  entity(id: string): Entity | undefined {
    const kind = kindOf(id);
    return kind === undefined ? undefined : this.at(kind, id);
  }

  /** The parsed form of a dated fact (parsed once, at load), narrowed by the events bounding it. */
  date(dated: Dated): PartialDate {
    // a bounded date's key is built once per date object (a string made and hashed on every
    // call made an as-of scan of bounded tenures a quarter slower)
    const parsed =
      dated.startsNotBefore === undefined && dated.endsNotBefore === undefined
        ? this.dates.get(dated.edtf)
        : this.boundedDate(dated);
    if (!parsed) throw new Error(`date ${dateKey(dated)} is not part of this graph`);
    return parsed;
  }

  private boundedDate(dated: Dated): PartialDate | undefined {
    let known = boundedDates.get(this);
    if (!known) boundedDates.set(this, (known = new WeakMap()));
    let parsed = known.get(dated);
    if (parsed === undefined) {
      parsed = this.dates.get(dateKey(dated));
      if (parsed) known.set(dated, parsed);
    }
    return parsed;
  }

  chronologically<T>(when: (item: T) => Dated) {
    return (a: T, b: T) => compareChronologically(this.date(when(a)), this.date(when(b)));
  }

  /** At most how many events `eventsDuring(period)` gives (those its years hold), counted without making the list. */
  eventsDuringAtMost(period: PartialDate): number {
    const years = this.eventYears;
    const first = Math.max(yearOf(period.earliest) ?? years.first, years.first);
    const last = Math.min(yearOf(period.latest) ?? years.last, years.last);
    let most = this.eventsWithUnboundedDates.length;
    for (let year = first; year <= last; year++) most += this.eventsByYear.size(String(year));
    return most;
  }

  /** Events whose date may share a day with `period`, in chronological order. */
  eventsDuring(period: PartialDate): Event[] {
    const during: Event[] = [];
    for (const event of this.eventsDuringEach(period))
      if (overlaps(this.date(event.when), period)) during.push(event);
    return during;
  }

  /**
   * The events `eventsDuring(period)` looks at (those its years hold, and those without a bounded
   * date), in the same order, each made as it is read, and not yet tested: a filter's scan tests
   * each (filter.ts `Candidates.each`), with a deadline's checkpoint after each, and so gives the
   * event loop back while the events of a graph read from its snapshot are made on their first
   * read. Made all at once, the events of `overlaps: "2009"` held the loop 350-1,000 ms on a
   * server just started at 100k entities (4,749 events; 176 ms alone in a script), and at a
   * million, where the events are too many for the warm-up to make (src/server/warm.ts), every
   * year asked first did.
   */
  *eventsDuringEach(period: PartialDate): Generator<Event, void, undefined> {
    const events = this.lists.event;
    // the positions first, in the list's (chronological) order, without making an event
    const marked = new Uint8Array(events.length);
    let low = events.length;
    let high = -1;
    const mark = (i: number) => {
      marked[i] = 1;
      if (i < low) low = i;
      if (i > high) high = i;
    };
    for (const i of this.eventsWithUnboundedDates) mark(i);
    const years = this.eventYears;
    const first = Math.max(yearOf(period.earliest) ?? years.first, years.first);
    const last = Math.min(yearOf(period.latest) ?? years.last, years.last);
    for (let year = first; year <= last; year++)
      for (const i of this.eventsByYear.get(String(year))) mark(i);
    const read = itemReader(events);
    for (let i = low; i <= high; i++) if (marked[i] === 1) yield read(i)!;
  }

  /** How certainly a dated fact covers a date, judged against the sources' horizon. */
  certainty(when: Dated, at: PartialDate): Certainty {
    return coverage(this.date(when), at, this.horizon);
  }

  /**
   * Where a quote starts in its source's text: the place a snapshot wrote beside it (snapshot.ts),
   * else found on its first read and kept for that quote object. The place is `placeOf`'s
   * (text-index.ts): the first where the quote starts a word, else its first, the rule the
   * snapshot's writer uses too, so that a graph gives the same offset however it was loaded.
   * (Validation guarantees every quote occurs, so this is never -1 for a loaded graph.)
   */
  quoteOffset(quote: Quote): number {
    let offset = this.quoteOffsets.get(quote) ?? this.quotesFound.get(quote);
    if (offset === undefined) {
      const text = this.texts.get(quote.source);
      offset = text === undefined ? -1 : placeOf(text, quote.quote);
      this.quotesFound.set(quote, offset);
    }
    return offset;
  }
  /**
   * The offsets a snapshot's graph was given, by quote object (whose identity V8 hashes at once;
   * keyed by the quote's text, a quote decoded from a snapshot, a new string, was hashed whole at
   * its first read and looked for in a text of a few hundred kilobytes, ~12 µs). A Map, not a
   * WeakMap: its quotes live as long as the entities that hold them, and a WeakMap of millions of
   * entries makes every full collection walk them again (a 1M-entity load: 63 s, 81 s with one).
   * A fully loaded graph is given none (it finds each on first read, into `quotesFound`): an
   * entry per quote up front was 13% more heap per entity at 100k.
   */
  private readonly quoteOffsets = new Map<object, number>();
  /** Offsets found as asked (placeOf), weakly: by quote objects of the graph, or of whoever asked. */
  private readonly quotesFound = new WeakMap<object, number>();

  /** The source text a quote comes from. */
  text(sourceId: string): string | undefined {
    return this.texts.get(sourceId);
  }
}
