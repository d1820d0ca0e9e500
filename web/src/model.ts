/**
 * One shape for every kind of entity page: the answer of each kind's page query becomes an
 * `EntityView` (names, single-valued facts, groups of relations), which the entity page renders and
 * the graph view turns into a neighbourhood. All kind-specific knowledge of the explorer is here.
 */
import { request, suggestionsOf } from "./api.js";
import {
  DimensionPageDocument,
  EventPageDocument,
  OfficePageDocument,
  PersonPageDocument,
  PlacePageDocument,
  PostPageDocument,
  PriorityPageDocument,
  SourcePageDocument,
  StatePageDocument,
  TenurePageDocument,
} from "./documents.js";
import type {
  AsOfFragment,
  EventItemFragment,
  HitEntityFragment,
  NameItemFragment,
  OfficePageQuery,
  OfficePageQueryVariables,
  ProvFragment,
  RefFragment,
  SuccessionItemFragment,
  TenureItemFragment,
  TypedDocumentString,
  WhenFragment,
} from "./gql/graphql.js";
import { asOfWords } from "./timeaxis.js";

export type Prov = ProvFragment;
/** When the source states a fact it gives no date of its own (its `statedAsOf`: the source's last update). */
export type AsOf = AsOfFragment;
export type Ref = RefFragment;
export type When = WhenFragment;
export type Typename = Ref["__typename"];

/** The kinds of entity, as they appear in keys and URLs (`person/gyorgy-szabo`), with their type. */
export const KINDS = {
  state: "State",
  office: "Office",
  person: "Person",
  post: "Post",
  tenure: "Tenure",
  event: "Event",
  place: "Place",
  dimension: "Dimension",
  priority: "Priority",
  source: "Source",
} as const satisfies Record<string, Typename>;
export type Kind = keyof typeof KINDS;

export const KIND_LABELS: Record<Kind, { one: string; many: string }> = {
  state: { one: "State", many: "States" },
  office: { one: "Office", many: "Offices" },
  person: { one: "Person", many: "Persons" },
  post: { one: "Post", many: "Posts" },
  tenure: { one: "Tenure", many: "Tenures" },
  event: { one: "Event", many: "Events" },
  place: { one: "Place", many: "Places" },
  dimension: { one: "Dimension", many: "Dimensions" },
  priority: { one: "Priority", many: "Priorities" },
  source: { one: "Source", many: "Sources" },
};

export function isKind(value: string): value is Kind {
  return Object.hasOwn(KINDS, value);
}

/** The kind part of a key, e.g. `person` for `person/gyorgy-szabo`. */
export function kindOfKey(key: string): Kind | undefined {
  const kind = key.slice(0, key.indexOf("/"));
  return isKind(kind) ? kind : undefined;
}

export interface NameView {
  text: string;
  kind: string;
  provenance: Prov[];
}

export type FactValue =
  | { type: "text"; text: string }
  | { type: "ref"; ref: Ref; when?: When | undefined }
  | { type: "refs"; refs: Ref[] }
  | { type: "date"; when: When }
  | { type: "asOf"; date: AsOf };

/** A single-valued fact of the entity (its nationality, its date), with its provenance. */
export interface Fact {
  label: string;
  /** How the entity relates to the fact's entity, as an edge label in the graph view; default the label. */
  edge?: string;
  value: FactValue;
  provenance: Prov[];
}

export interface Link {
  label: string;
  ref: Ref;
}

/** One entry of a relation: an entity (or, for a name, a text), when, and why. */
export interface RelItem {
  ref?: Ref;
  text?: string;
  /** How the entity takes part, e.g. a participant's role. */
  detail?: string;
  when?: When | null;
  /** As of when the source states the entry, where it gives it no date of its own (present tense). */
  asOf?: AsOf | null;
  /** A word that sets the entry apart from the rest of its list, e.g. `keynote`. */
  mark?: string;
  /** Further entities the entry names, e.g. the office of a post. */
  also?: Link[];
  /** The entity that records this entry itself (a tenure), for its own page. */
  via?: Ref;
  /** The edge label for this entry's links where it is not the group's (a name's change). */
  edge?: string;
  provenance?: Prov[];
}

export interface RelGroup {
  id: string;
  title: string;
  /** How the entity relates to each item, as an edge label in the graph view. */
  edge: string;
  items: RelItem[];
  /** How many entries the whole list has (more than `items` when the API paged it). */
  total: number;
}

/** One line of an entity's summary at the top of its page: a label and a few entities or words, with dates. */
export interface GlanceItem {
  label: string;
  parts: {
    ref?: Ref;
    text?: string;
    when?: When | null | undefined;
    asOf?: AsOf | null;
    /** When a keynote was stated, and for when where its sentence says (`keynoteSpan`). */
    stated?: { date: AsOf; span: string | null };
  }[];
  /** How many more there are than `parts` shows (listed further down the page). */
  more?: number;
  /** The "as of" of every entry of the line, said once after them. */
  asOf?: AsOf;
}

export interface EntityView {
  ref: Ref;
  kind: Kind;
  title: string;
  subtitle?: string | undefined;
  /** The key facts, at a glance, at the top of the page (an office's current head and seat…). */
  glance: GlanceItem[];
  names: NameView[];
  facts: Fact[];
  groups: RelGroup[];
  provenance: Prov[];
  /** A source's full text, for the source page. */
  text?: string;
}

// Enum values as words ---------------------------------------------------------------------------

export function words(value: string): string {
  const text = value.toLowerCase().replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const TIMING_NOTE =
  "the source only attests the post was held at this time, not when the tenure began or ended";

// Building blocks ----------------------------------------------------------------------------------

interface Evidenced {
  evidence: { field: string; provenance: Prov[] }[];
}

function evidenceOf(entity: Evidenced, field: string): Prov[] {
  return entity.evidence.filter((e) => e.field === field).flatMap((e) => e.provenance);
}

/**
 * The years a keynote is for, in the words of the sentence that calls it so ("during upcoming
 * years"), or null where none of its quotes says: then nothing is said of them.
 */
export function keynoteSpan(provenance: Prov[]): string | null {
  for (const p of provenance) {
    const span =
      p.__typename === "SourceQuote" ? /\b(?:upcoming|coming|next) years\b/i.exec(p.quote) : null;
    if (span) return span[0];
  }
  return null;
}

/** The keynote's date at a glance: stated by then (the source's last update), for the years its sentence names (not "as of"). */
function keynoteStated(date: AsOf | null | undefined, provenance: Prov[]) {
  return date ? { stated: { date, span: keynoteSpan(provenance) } } : {};
}

function textFact(label: string, text: string | null | undefined, provenance: Prov[]): Fact[] {
  return text ? [{ label, value: { type: "text", text }, provenance }] : [];
}

function refFact(
  label: string,
  ref: Ref | null | undefined,
  provenance: Prov[],
  when?: When,
): Fact[] {
  return ref ? [{ label, value: { type: "ref", ref, when }, provenance }] : [];
}

function dateFact(label: string, when: When | null | undefined): Fact[] {
  return when ? [{ label, value: { type: "date", when }, provenance: when.provenance }] : [];
}

function asOfFact(date: AsOf | null | undefined): Fact[] {
  return date
    ? [{ label: "Stated", value: { type: "asOf", date }, provenance: date.provenance }]
    : [];
}

/**
 * Provenance lists as one, each item once (two fields of an entity often rest on one sentence):
 * the same words of two sources are two items (provenanceKey), not one.
 */
export function provenanceOnce(...lists: Prov[][]): Prov[] {
  const seen = new Set<string>();
  return lists.flat().filter((p) => {
    const key = provenanceKey([p]);
    return !seen.has(key) && !!seen.add(key);
  });
}

function names(list: NameItemFragment[]): NameView[] {
  return list.map((n) => ({ text: n.text, kind: n.kind, provenance: n.provenance }));
}

function refGroup(
  id: string,
  title: string,
  edge: string,
  list: { totalCount: number; nodes: Ref[] } | Ref[],
): RelGroup {
  const nodes = Array.isArray(list) ? list : list.nodes;
  return {
    id,
    title,
    edge,
    items: nodes.map((ref) => ({ ref })),
    total: Array.isArray(list) ? list.length : list.totalCount,
  };
}

function eventGroup(
  list: { totalCount: number; nodes: EventItemFragment[] } | EventItemFragment[],
  title = "Events",
): RelGroup {
  const nodes = Array.isArray(list) ? list : list.nodes;
  return {
    id: "events",
    title,
    edge: "took part in",
    items: nodes.map((e) => ({ ref: e, when: e.when })),
    total: Array.isArray(list) ? list.length : list.totalCount,
  };
}

function toRef(entity: Ref): Ref {
  return { __typename: entity.__typename, key: entity.key, label: entity.label } as Ref;
}

/** A tenure seen from its holder: the post held, whose post it is, when. */
function postsHeld(list: { totalCount: number; nodes: TenureItemFragment[] }): RelGroup {
  return {
    id: "tenures",
    title: "Posts held",
    edge: "held",
    total: list.totalCount,
    items: list.nodes.map((t) => ({
      ref: toRef(t.post),
      when: t.when,
      detail: t.timing === "POINT_IN_TIME" ? TIMING_NOTE : undefined,
      also: [t.post.office, t.post.state].flatMap((ref): Link[] =>
        ref ? [{ label: "of", ref }] : [],
      ),
      via: toRef(t),
      provenance: t.provenance,
    })),
  };
}

/** A tenure seen from the post or office: who held it, when. */
function holders(
  id: string,
  title: string,
  list: { totalCount: number; nodes: TenureItemFragment[] },
  withPost: boolean,
): RelGroup {
  return {
    id,
    title,
    edge: "held by",
    total: list.totalCount,
    items: list.nodes.map((t) => ({
      ...(t.holder ? { ref: toRef(t.holder as Ref) } : {}),
      when: t.when,
      detail: t.timing === "POINT_IN_TIME" ? TIMING_NOTE : undefined,
      also: withPost ? [{ label: "as", ref: toRef(t.post) }] : [],
      via: toRef(t),
      provenance: t.provenance,
    })),
  };
}

/** A list of provenance as one string: each quote by its source and words, each note by its text. */
export function provenanceKey(provenance: Prov[]): string {
  return provenance
    .map((p) => (p.__typename === "SourceQuote" ? `${p.source.key}|${p.quote}` : p.text))
    .join("\n");
}

/** Whether two "as of" dates are one: the same date, stated by the same quotes of the same sources. */
export function sameAsOf(a: AsOf, b: AsOf): boolean {
  return a.edtf === b.edtf && provenanceKey(a.provenance) === provenanceKey(b.provenance);
}

/**
 * Up to `max` entities for a summary line, and how many more the page lists; each with the "as
 * of" its entry has (`asOf`, by index), or the line with it once where every entry listed has the
 * same (a dimension's priorities).
 */
export function glanceRefs(
  label: string,
  list: { totalCount: number; nodes: Ref[] } | Ref[],
  max = 3,
  asOf: (index: number) => AsOf | null | undefined = () => undefined,
): GlanceItem[] {
  const nodes = Array.isArray(list) ? list : list.nodes;
  const total = Array.isArray(list) ? list.length : list.totalCount;
  const dates = nodes.map((_, i) => asOf(i));
  const first = dates[0];
  // "all as of" speaks of every entry of the line, "and N more below" too: only when the page has
  // them all (review 16e: the first 50 of 83 shared a date, seven of the others had another), and
  // the same date of the same source (as a section's, section-sources.ts)
  const shared =
    first &&
    nodes.length > 1 &&
    nodes.length === total &&
    dates.every((d) => d && sameAsOf(d, first))
      ? first
      : undefined;
  return nodes.length
    ? [
        {
          label,
          parts: nodes
            .slice(0, max)
            .map((ref, i) => (shared || !dates[i] ? { ref } : { ref, asOf: dates[i] })),
          more: total - Math.min(max, nodes.length),
          ...(shared ? { asOf: shared } : {}),
        },
      ]
    : [];
}

/** The entry that holds now (an open end), else the last one: a list in time order. */
function current<T extends { when?: When | null; period?: When | null }>(
  list: readonly T[],
): T | undefined {
  const open = list.filter((x) => (x.when ?? x.period)?.endStatus === "OPEN");
  return open[open.length - 1] ?? list[list.length - 1];
}

/** Successions seen from one office: the other office, how, decided by which event. */
function successions(
  id: string,
  title: string,
  edge: string,
  list: SuccessionItemFragment[],
  side: "predecessor" | "successor",
): RelGroup {
  return {
    id,
    title,
    edge,
    total: list.length,
    items: list.map((s) => ({
      ref: s[side],
      detail: words(s.kind),
      when: s.when,
      also: s.decidedBy ? [{ label: "decided by", ref: s.decidedBy }] : [],
      provenance: s.provenance,
    })),
  };
}

// One adapter per kind -----------------------------------------------------------------------------

async function loadState(key: string): Promise<EntityView | null> {
  const { state: s } = await request(StatePageDocument, { key });
  if (!s) return null;
  const keynote = s.keynote.nodes[0];
  return {
    ref: toRef(s),
    kind: "state",
    title: s.name,
    names: names(s.names),
    provenance: s.provenance,
    facts: [...dateFact("OSCE participating State since", s.participatingStateSince)],
    glance: [
      ...(s.participatingStateSince
        ? [
            {
              label: "OSCE participating State since",
              parts: [{ when: s.participatingStateSince }],
            },
          ]
        : []),
      ...glanceRefs(
        "Cooperates with",
        s.cooperatesWith.map((c) => c.office),
        3,
        (i) => s.cooperatesWith[i]?.statedAsOf,
      ),
      // the source's words for it: "the keynote of the Kazakhstan's activities within the Organization"
      ...(keynote
        ? [
            {
              label: "Keynote of its activities in the OSCE",
              parts: [
                {
                  ref: toRef(keynote),
                  // the keynote is for the years after the date it is stated on: "(as of March
                  // 18, 2016)" would read as the keynote of that day
                  ...keynoteStated(
                    s.priorities.nodes.find((p) => p.key === keynote.key)?.statedAsOf,
                    evidenceOf(keynote, "keynote"),
                  ),
                },
              ],
            },
          ]
        : []),
      ...glanceRefs("Offices in or for it", s.offices),
      ...(s.events.totalCount
        ? [{ label: "Events", parts: [{ text: `${s.events.totalCount}, listed below` }] }]
        : []),
    ],
    groups: [
      {
        id: "cooperates-with",
        title: "Cooperates with",
        edge: "cooperates with",
        total: s.cooperatesWith.length,
        items: s.cooperatesWith.map((c) => ({
          ref: c.office,
          asOf: c.statedAsOf,
          provenance: c.provenance,
        })),
      },
      postsHeld(s.tenures),
      refGroup("offices", "Offices in or for this state", "hosts", s.offices),
      refGroup("posts", "Posts", "has post", s.posts),
      {
        id: "priorities",
        title: "Priorities",
        edge: "pursues",
        total: s.priorities.totalCount,
        items: s.priorities.nodes.map((p) => ({
          ref: toRef(p),
          // a programme the source dates itself (Path to Europe) has its period, not an "as of"
          when: p.period,
          asOf: p.statedAsOf,
          ...(p.keynote && keynote?.key === p.key
            ? {
                mark: "keynote",
                ...(keynote.description ? { detail: keynote.description } : {}),
                provenance: provenanceOnce(
                  evidenceOf(keynote, "keynote"),
                  evidenceOf(keynote, "description"),
                ),
              }
            : {}),
        })),
      },
      refGroup("persons", "Nationals", "national", s.persons),
      refGroup("places", "Places", "has place", s.places),
      eventGroup(s.events),
    ],
  };
}

type OfficeData = NonNullable<
  Awaited<ReturnType<typeof request<OfficePageQuery, OfficePageQueryVariables>>>["office"]
>;

function officeGlance(o: OfficeData): GlanceItem[] {
  const head = o.currentHead.nodes[0];
  const seat = current(o.locations.nodes);
  const items: GlanceItem[] = [];
  if (head) {
    const open = head.when.endStatus === "OPEN";
    items.push({
      label: open ? "Headed by" : "Last head on record",
      parts: [
        ...(head.holder ? [{ ref: toRef(head.holder as Ref), when: head.when }] : []),
        { text: "as" },
        { ref: toRef(head.post) },
      ],
    });
  }
  if (seat)
    items.push({
      label: seat.period?.endStatus === "OPEN" ? "Seat" : "Last seat on record",
      parts: [{ ref: seat.place, when: seat.period }],
    });
  if (o.state) items.push({ label: "State", parts: [{ ref: o.state }] });
  if (o.opening) items.push({ label: "Opened", parts: [{ ref: o.opening, when: o.opening.when }] });
  return items;
}

async function loadOffice(key: string): Promise<EntityView | null> {
  const { office: o } = await request(OfficePageDocument, { key });
  if (!o) return null;
  return {
    ref: toRef(o),
    kind: "office",
    title: o.name,
    subtitle: words(o.kind),
    names: names(o.names),
    provenance: o.provenance,
    facts: [
      ...textFact("Abbreviation", o.abbreviation, evidenceOf(o, "abbreviation")),
      ...textFact("Kind", words(o.kind), []),
      ...textFact("Description", o.description, evidenceOf(o, "description")),
      ...refFact("State", o.state, evidenceOf(o, "state")),
      ...refFact("Opened at", o.opening, [], o.opening?.when),
    ],
    glance: officeGlance(o),
    groups: [
      {
        id: "name-history",
        title: "Names over time",
        edge: "renamed by",
        total: o.nameHistory.totalCount,
        items: o.nameHistory.nodes.map((n) => ({
          text: n.name,
          when: n.period,
          also: n.decidedBy ? [{ label: "decided by", ref: n.decidedBy }] : [],
          // in the source's word for the change: the 2014 decision is a "transformation", which
          // "renamed by" misread as a change of name alone (the audit of 5 December, finding 10)
          edge: n.change?.kind === "TRANSFORMATION" ? "transformed by" : "renamed by",
          provenance: n.provenance,
        })),
      },
      {
        id: "locations",
        title: "Located in",
        edge: "sat in",
        total: o.locations.totalCount,
        items: o.locations.nodes.map((l) => ({
          ref: l.place,
          when: l.period,
          provenance: l.provenance,
        })),
      },
      holders("tenures", "Who held its posts", o.tenures, true),
      refGroup("posts", "Posts", "has post", o.posts),
      {
        id: "cooperating-states",
        title: "Cooperating states",
        edge: "cooperates with",
        total: o.cooperatingStates.length,
        items: o.cooperatingStates.map((c) => ({
          ref: c.state,
          asOf: c.statedAsOf,
          provenance: c.provenance,
        })),
      },
      {
        id: "dimensions",
        title: "Dimensions it works in",
        edge: "works in",
        total: o.dimensionLinks.length,
        items: o.dimensionLinks.map((d) => ({
          ref: d.dimension,
          asOf: d.statedAsOf,
          provenance: d.provenance,
        })),
      },
      successions("predecessors", "Preceded by", "succeeded", o.predecessors, "predecessor"),
      successions("successors", "Succeeded by", "succeeded by", o.successors, "successor"),
      eventGroup(o.events),
    ],
  };
}

async function loadPerson(key: string): Promise<EntityView | null> {
  const { person: p } = await request(PersonPageDocument, { key });
  if (!p) return null;
  return {
    ref: toRef(p),
    kind: "person",
    title: p.name,
    subtitle: [p.title, p.description].filter(Boolean).join(" · ") || undefined,
    names: names(p.names),
    provenance: p.provenance,
    facts: [
      ...textFact("Title", p.title, evidenceOf(p, "title")),
      ...textFact("Description", p.description, evidenceOf(p, "description")),
      ...refFact("Nationality", p.nationality, evidenceOf(p, "nationality")),
    ],
    glance: [
      ...(p.tenures.nodes.length
        ? [
            {
              label: p.tenures.totalCount === 1 ? "Post" : "Posts",
              parts: p.tenures.nodes.slice(0, 4).map((t) => ({ ref: toRef(t.post), when: t.when })),
              more: p.tenures.totalCount - Math.min(4, p.tenures.nodes.length),
            },
          ]
        : []),
      ...(p.nationality ? [{ label: "Nationality", parts: [{ ref: p.nationality }] }] : []),
      ...(p.events.totalCount
        ? [{ label: "Events", parts: [{ text: `${p.events.totalCount}, listed below` }] }]
        : []),
    ],
    groups: [postsHeld(p.tenures), eventGroup(p.events)],
  };
}

async function loadPost(key: string): Promise<EntityView | null> {
  const { post: p } = await request(PostPageDocument, { key });
  if (!p) return null;
  return {
    ref: toRef(p),
    kind: "post",
    title: p.name,
    subtitle: words(p.kind),
    names: names(p.names),
    provenance: p.provenance,
    facts: [
      ...textFact("Kind", words(p.kind), []),
      ...refFact("Office", p.office, evidenceOf(p, "office")),
      ...refFact("State", p.state, evidenceOf(p, "state")),
    ],
    glance: [
      ...(p.office
        ? [{ label: "Post of", parts: [{ ref: p.office }] }]
        : p.state
          ? [{ label: "Post of", parts: [{ ref: p.state }] }]
          : []),
      ...((): GlanceItem[] => {
        const holder = current(p.tenures.nodes);
        if (!holder?.holder) return [];
        return [
          {
            label: holder.when.endStatus === "OPEN" ? "Held by" : "Last holder on record",
            parts: [{ ref: toRef(holder.holder as Ref), when: holder.when }],
          },
        ];
      })(),
    ],
    groups: [holders("tenures", "Held by", p.tenures, false)],
  };
}

async function loadTenure(key: string): Promise<EntityView | null> {
  const { tenure: t } = await request(TenurePageDocument, { key });
  if (!t) return null;
  return {
    ref: toRef(t),
    kind: "tenure",
    title: t.label,
    subtitle: t.timing === "POINT_IN_TIME" ? "Attested at a point in time" : "Period of tenure",
    names: [],
    provenance: t.provenance,
    facts: [
      ...refFact("Holder", t.holder as Ref | undefined, t.provenance),
      ...refFact("Post", t.post, t.provenance),
      ...refFact("Office", t.post.office, []),
      ...refFact("State", t.post.state, []),
      ...dateFact("When", t.when),
      ...textFact(
        "Timing",
        t.timing === "POINT_IN_TIME"
          ? `Point in time: ${TIMING_NOTE}`
          : "Period: the dates are the tenure's span",
        [],
      ),
    ],
    glance: [
      {
        label: "Who",
        parts: t.holder ? [{ ref: toRef(t.holder as Ref) }] : [{ text: "not recorded" }],
      },
      {
        label: "Post",
        parts: [
          { ref: toRef(t.post) },
          ...(t.post.office ? [{ text: "of" }, { ref: t.post.office }] : []),
        ],
      },
      { label: "When", parts: [{ when: t.when }] },
    ],
    groups: [eventGroup(t.events, "Events in this capacity")],
  };
}

async function loadEvent(key: string): Promise<EntityView | null> {
  const { event: e, partOf } = await request(EventPageDocument, { key });
  if (!e) return null;
  return {
    ref: toRef(e),
    kind: "event",
    title: e.name,
    subtitle: words(e.kind),
    names: names(e.names),
    provenance: e.provenance,
    facts: [
      ...textFact("Kind", words(e.kind), []),
      ...dateFact("When", e.when),
      ...refFact("Place", e.place, evidenceOf(e, "place")),
      ...textFact("Description", e.description, evidenceOf(e, "description")),
    ],
    glance: [
      { label: "When", parts: [{ when: e.when }] },
      ...(e.place ? [{ label: "Where", parts: [{ ref: e.place }] }] : []),
      ...glanceRefs(
        "Decided or prepared at",
        partOf.nodes.map((n) => toRef(n)),
      ),
    ],
    groups: [
      {
        id: "participants",
        title: "Participants",
        edge: "involves",
        total: e.participants.totalCount,
        items: e.participants.nodes.map((p) => ({
          ref: p.entity,
          detail: words(p.role),
          also: p.capacity ? [{ label: "as", ref: p.capacity.post }] : [],
          ...(p.capacity ? { via: toRef(p.capacity) } : {}),
          provenance: p.provenance,
        })),
      },
      {
        id: "names-given",
        title: "Office names it gave",
        edge: "named",
        total: e.officeNamesGiven.length,
        items: e.officeNamesGiven.map((n) => ({
          text: n.name,
          when: n.period,
          also: [{ label: "for", ref: n.office }],
          provenance: n.provenance,
        })),
      },
      {
        id: "successions",
        title: "Successions it decided",
        edge: "decided",
        total: e.successionsDecided.length,
        items: e.successionsDecided.map((s) => ({
          ref: s.successor,
          detail: `${words(s.kind)} of ${s.predecessor.label}`,
          also: [{ label: "from", ref: s.predecessor }],
          when: s.when,
          provenance: s.provenance,
        })),
      },
      {
        id: "part-of",
        title: "Part of these events",
        edge: "part of",
        total: partOf.totalCount,
        items: partOf.nodes.map((n) => ({
          ref: toRef(n),
          when: n.when,
          detail: n.participants.nodes.map((p) => words(p.role)).join(", ") || undefined,
          provenance: n.participants.nodes.flatMap((p) => p.provenance),
        })),
      },
    ],
  };
}

/** What an office was called while it sat in a place, where that is not its name today. */
function whileHere(
  today: string,
  then: { text: string; certainty: string } | null | undefined,
): string | undefined {
  if (!then || then.text === today) return undefined;
  return `here as ${then.text}${then.certainty === "YES" ? "" : " (and maybe another name)"}`;
}

async function loadPlace(key: string): Promise<EntityView | null> {
  const { place: p } = await request(PlacePageDocument, { key });
  if (!p) return null;
  const offices = { totalCount: p.offices.totalCount, nodes: p.offices.edges.map((e) => e.node) };
  return {
    ref: toRef(p),
    kind: "place",
    title: p.name,
    subtitle: words(p.kind),
    names: names(p.names),
    provenance: p.provenance,
    facts: [
      ...textFact("Kind", words(p.kind), []),
      ...refFact("State", p.state, evidenceOf(p, "state")),
    ],
    glance: [
      ...(p.state ? [{ label: "In", parts: [{ ref: p.state }] }] : []),
      // as the list below: located here at some time, each by what it was called here where that
      // is not its name today (the honest54 audit, F7: "Offices here: OSCE Programme Office in
      // Astana" on Almaty's page, read first, in the present tense and by a later name)
      ...glanceRefs("Offices located here", offices).map((item) => ({
        ...item,
        parts: item.parts.map((part, i) => {
          const edge = p.offices.edges[i]!;
          const detail = whileHere(edge.node.label, edge.nameWhileHere);
          return detail ? { ...part, text: `, ${detail}` } : part;
        }),
      })),
      ...glanceRefs("Events here", p.events),
    ],
    groups: [
      {
        ...refGroup("offices", "Offices located here", "hosted", offices),
        // an office is linked by its name today, which it may never have borne here: the field
        // office left Almaty in 2007 and is the OSCE Programme Office in Astana since 2014 (the
        // honest53 audit, F4; review 53b)
        items: p.offices.edges.map((e) => ({
          ref: e.node,
          detail: whileHere(e.node.label, e.nameWhileHere),
        })),
      },
      eventGroup(p.events, "Events held here"),
    ],
  };
}

async function loadDimension(key: string): Promise<EntityView | null> {
  const { dimension: d } = await request(DimensionPageDocument, { key });
  if (!d) return null;
  return {
    ref: toRef(d),
    kind: "dimension",
    title: d.name,
    names: names(d.names),
    provenance: d.provenance,
    facts: [],
    glance: [
      ...glanceRefs(
        "Offices working in it",
        { totalCount: d.offices.totalCount, nodes: d.offices.edges.map((e) => e.node) },
        3,
        (i) => d.offices.edges[i]?.statedAsOf,
      ),
      ...glanceRefs("Priorities", d.priorities, 3, (i) => d.priorities.nodes[i]?.statedAsOf),
    ],
    groups: [
      {
        id: "offices",
        title: "Offices working in it",
        edge: "office",
        total: d.offices.totalCount,
        items: d.offices.edges.map((e) => ({
          ref: e.node,
          asOf: e.statedAsOf,
          provenance: e.provenance,
        })),
      },
      {
        id: "priorities",
        title: "Priorities",
        edge: "priority",
        total: d.priorities.totalCount,
        // each with the sentence that places it in the dimension, as an office's dimensions and
        // a dimension's offices give theirs (they were listed with the "Updated at" line alone)
        items: d.priorities.nodes.map((p) => ({
          ref: toRef(p),
          asOf: p.statedAsOf,
          provenance: evidenceOf(p, "dimension"),
        })),
      },
    ],
  };
}

/** "Yes: the keynote of Kazakhstan's activities within the OSCE", quoting the years its sentence names. */
function keynoteWords(state: string, span: string | null): string {
  return `Yes: the keynote of ${state}'s activities within the OSCE${span ? ` during "${span}"` : ""}`;
}

async function loadPriority(key: string): Promise<EntityView | null> {
  const { priority: p } = await request(PriorityPageDocument, { key });
  if (!p) return null;
  return {
    ref: toRef(p),
    kind: "priority",
    title: p.name,
    names: names(p.names),
    provenance: p.provenance,
    facts: [
      ...textFact("Kind", words(p.kind), []),
      ...textFact(
        "Keynote",
        p.keynote ? keynoteWords(p.state.label, keynoteSpan(evidenceOf(p, "keynote"))) : null,
        evidenceOf(p, "keynote"),
      ),
      ...textFact("Description", p.description, evidenceOf(p, "description")),
      ...dateFact("Period", p.period),
      ...asOfFact(p.statedAsOf),
      ...refFact("State", p.state, evidenceOf(p, "state")),
      ...refFact("Dimension", p.dimension, evidenceOf(p, "dimension")),
    ],
    glance: [
      // worded from the kind, as the API's search summary: Path to Europe is a programme the
      // document records as completed in December 2011, not a priority (the audit, finding 11)
      ...(p.state
        ? [
            {
              // its own kind's word: a State programme may be the keynote
              label: p.keynote
                ? `Keynote ${words(p.kind).toLowerCase()} of`
                : `${words(p.kind)} of`,
              parts: [
                {
                  ref: p.state,
                  ...(p.keynote
                    ? keynoteStated(p.statedAsOf, evidenceOf(p, "keynote"))
                    : { asOf: p.statedAsOf }),
                },
              ],
            },
          ]
        : []),
      ...(p.dimension ? [{ label: "Dimension", parts: [{ ref: p.dimension }] }] : []),
    ],
    groups: [],
  };
}

async function loadSource(key: string): Promise<EntityView | null> {
  const { source: s } = await request(SourcePageDocument, { key });
  if (!s) return null;
  return {
    ref: toRef(s),
    kind: "source",
    title: s.name,
    names: [],
    provenance: s.provenance,
    facts: [
      ...dateFact("Created", s.created),
      ...dateFact("Last updated", s.updated),
      ...textFact("File", s.file, []),
    ],
    glance: s.updated ? [{ label: "Last updated", parts: [{ when: s.updated }] }] : [],
    groups: [],
    text: s.text,
  };
}

const LOADERS: Record<Kind, (key: string) => Promise<EntityView | null>> = {
  state: loadState,
  office: loadOffice,
  person: loadPerson,
  post: loadPost,
  tenure: loadTenure,
  event: loadEvent,
  place: loadPlace,
  dimension: loadDimension,
  priority: loadPriority,
  source: loadSource,
};

/** The query of each kind's page (its variables: `{ key }`), for the page's "data out". */
export const PAGE_DOCUMENTS = {
  state: StatePageDocument,
  office: OfficePageDocument,
  person: PersonPageDocument,
  post: PostPageDocument,
  tenure: TenurePageDocument,
  event: EventPageDocument,
  place: PlacePageDocument,
  dimension: DimensionPageDocument,
  priority: PriorityPageDocument,
  source: SourcePageDocument,
} as const;

/** An entity page's relations as one table: section, entity, its key, detail, date. */
export function relationTable(view: EntityView): { columns: string[]; rows: (string | null)[][] } {
  const rows: (string | null)[][] = [];
  for (const fact of view.facts) {
    const v = fact.value;
    if (v.type === "text") rows.push([fact.label, v.text, null, null, null]);
    if (v.type === "date") rows.push([fact.label, null, null, null, v.when.edtf]);
    if (v.type === "asOf") rows.push([fact.label, null, null, null, v.date.edtf]);
    if (v.type === "ref")
      rows.push([fact.label, v.ref.label, v.ref.key, null, v.when?.edtf ?? null]);
    if (v.type === "refs")
      for (const ref of v.refs) rows.push([fact.label, ref.label, ref.key, null, null]);
  }
  for (const group of view.groups) {
    for (const item of group.items) {
      rows.push([
        group.title,
        item.ref?.label ?? item.text ?? null,
        item.ref?.key ?? null,
        [
          item.mark,
          item.detail,
          ...(item.also ?? []).map((l) => `${l.label} ${l.ref.label}`),
          item.asOf ? `as of ${item.asOf.edtf}` : null,
        ]
          .filter(Boolean)
          .join("; ") || null,
        item.when?.edtf ?? null,
      ]);
    }
  }
  return { columns: ["section", "label", "key", "detail", "date (EDTF)"], rows };
}

/**
 * What the API suggested for a key of `kind` it has no entity for (full keys, nearest first), with
 * each one's name from its own page (which is then cached for the click), or null when that page
 * could not be loaded: the not-found page's "did you mean".
 */
export async function suggestionsFor(
  kind: Kind,
  key: string,
): Promise<{ key: string; name: string | null }[]> {
  const keys = await suggestionsOf(
    PAGE_DOCUMENTS[kind] as TypedDocumentString<unknown, { key: string }>,
    { key },
  );
  return Promise.all(
    keys.map(async (suggested) => {
      const suggestedKind = suggested.slice(0, suggested.indexOf("/"));
      const name =
        suggestedKind in LOADERS
          ? await loadEntity(suggestedKind as Kind, suggested).then(
              (v) => v?.title ?? null,
              () => null,
            )
          : null;
      return { key: suggested, name };
    }),
  );
}

/** The page of one entity by its key (`person/gyorgy-szabo`); null when there is none. */
export function loadEntity(kind: Kind, key: string): Promise<EntityView | null> {
  return LOADERS[kind](key);
}

// The neighbourhood, for the graph view ------------------------------------------------------------

export interface GraphNode {
  ref: Ref;
  centre: boolean;
  /** 1 for a direct neighbour, 2 for an entity one of its entries names (the office of a post). */
  distance: 0 | 1 | 2;
}

export interface GraphEdge {
  from: string;
  to: string;
  label: string;
}

/** The entities the page links to, as nodes and labelled edges around the entity. */
export function neighbourhood(view: EntityView): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes = new Map<string, GraphNode>([
    [view.ref.key, { ref: view.ref, centre: true, distance: 0 }],
  ]);
  const edges = new Map<string, GraphEdge>();
  const addNode = (ref: Ref, distance: 1 | 2) => {
    const known = nodes.get(ref.key);
    if (!known) nodes.set(ref.key, { ref, centre: false, distance });
    else if (known.distance > distance) known.distance = distance;
  };
  const addEdge = (from: string, to: string, label: string) => {
    if (from === to) return;
    const id = `${from} ${to}`;
    const known = edges.get(id);
    if (!known) edges.set(id, { from, to, label });
    else if (!known.label.split(", ").includes(label)) known.label += `, ${label}`;
  };
  const centre = view.ref.key;
  for (const fact of view.facts) {
    const refs =
      fact.value.type === "ref"
        ? [fact.value.ref]
        : fact.value.type === "refs"
          ? fact.value.refs
          : [];
    for (const ref of refs) {
      addNode(ref, 1);
      addEdge(centre, ref.key, fact.edge ?? fact.label.toLowerCase());
    }
  }
  for (const group of view.groups) {
    for (const item of group.items) {
      if (item.ref) {
        addNode(item.ref, 1);
        addEdge(centre, item.ref.key, group.edge);
      }
      for (const link of item.also ?? []) {
        addNode(link.ref, item.ref ? 2 : 1);
        addEdge(
          item.ref?.key ?? centre,
          link.ref.key,
          item.ref ? link.label : (item.edge ?? group.edge),
        );
      }
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

// Search hits --------------------------------------------------------------------------------------

/** What a search hit or a suggestion shows under its name: a line on what it is, and when. */
export interface HitSummary {
  description: string;
  dates: string;
}

const dateWords = (when: { edtf: string; wording?: string | null } | null | undefined): string =>
  when ? (when.wording ?? when.edtf) : "";

/**
 * The "as of" a search hit's dates say (a priority the source states undated, as of its last
 * update), which the hit's list shows with the quote that dates it; null where they say none.
 */
export function hitAsOf(entity: HitEntityFragment): AsOf | null {
  return entity.__typename === "Priority" && !entity.priorityPeriod
    ? (entity.priorityAsOf ?? null)
    : null;
}

/**
 * A one-line description and the dates of a search hit, from the fields its kind has (an office's
 * kind and state, an event's date and place, a person's posts).
 */
export function hitSummary(entity: HitEntityFragment): HitSummary {
  switch (entity.__typename) {
    case "Person": {
      const posts = entity.tenures.nodes.map((t) => t.post.label);
      const more = entity.tenures.totalCount - posts.length;
      const description =
        [entity.title, entity.description].filter(Boolean).join(", ") ||
        (posts.length
          ? `${posts.join("; ")}${more > 0 ? ` and ${more} more` : ""}`
          : entity.nationality
            ? `National of ${entity.nationality.label}`
            : "Person");
      return { description, dates: entity.tenures.nodes.map((t) => t.when.edtf).join(", ") };
    }
    case "Office":
      return {
        description:
          entity.description ??
          `${words(entity.officeKind)}${entity.officeState ? ` of ${entity.officeState.label}` : ""}`,
        dates: entity.opening?.when ? `opened ${dateWords(entity.opening.when)}` : "",
      };
    case "Event":
      return {
        description: `${words(entity.eventKind)}${entity.place ? ` in ${entity.place.label}` : ""}`,
        dates: dateWords(entity.when),
      };
    case "Post": {
      const of = entity.office?.label ?? entity.postState?.label;
      return { description: `${words(entity.postKind)}${of ? ` of ${of}` : ""}`, dates: "" };
    }
    case "Place":
      return {
        description: `${words(entity.placeKind)}${entity.placeState ? ` in ${entity.placeState.label}` : ""}`,
        dates: "",
      };
    case "State":
      return {
        description: entity.participatingStateSince ? "OSCE participating State" : "State",
        dates: entity.participatingStateSince
          ? `since ${dateWords(entity.participatingStateSince)}`
          : "",
      };
    case "Priority":
      return {
        // the keynote of its state's activities, as the source calls it (Priority.keynote), with
        // its own kind's word (a State programme may be the keynote)
        description: `${entity.keynote ? `Keynote ${words(entity.priorityKind).toLowerCase()}` : words(entity.priorityKind)}${entity.priorityState ? ` of ${entity.priorityState.label}` : ""}${entity.dimension ? `, ${entity.dimension.label}` : ""}`,
        // a period whose start is not given ("/2011-12") is said by its end, as the API's summary;
        // a priority the source states undated, as of the source's last update
        dates: entity.priorityPeriod
          ? `${/^(\.\.)?\//.test(entity.priorityPeriod.edtf) ? "until " : ""}${dateWords(entity.priorityPeriod)}`
          : hitAsOf(entity)
            ? `as of ${asOfWords(hitAsOf(entity)!)}`
            : "",
      };
    case "Dimension":
      return { description: "Dimension of the OSCE's work", dates: "" };
    case "Source":
      return {
        description: "Source document",
        dates: entity.updated ? `updated ${entity.updated.edtf}` : "",
      };
    default:
      return { description: "", dates: "" };
  }
}
