/**
 * The data model of the knowledge graph, free of GraphQL.
 *
 * One zod schema per entity kind is the single source of truth: the TypeScript types of the
 * built-in seed modules are inferred from it (so the compiler checks their shape), and the same
 * schemas validate a user's JSON dataset at run time. Cross-entity rules (references resolve,
 * quotes occur in the source, intervals are ordered) live in validate.ts.
 */
import { z } from "zod";

/**
 * The longest slug of an id. An id of 5 MB was taken, and a reference to one was quoted whole in
 * its "unknown person" problem.
 */
export const MAX_SLUG_LENGTH = 200;

/**
 * Why `input` cannot be an id by its length: its slug (after its first slash; all of it without
 * one) longer than MAX_SLUG_LENGTH; undefined when it is not that. Said where one kind of id
 * stands and where several may (validate.ts: a union, whose own messages zod drops).
 */
export function slugTooLong(input: unknown): string | undefined {
  if (typeof input !== "string" || input.length - input.indexOf("/") - 1 <= MAX_SLUG_LENGTH)
    return undefined;
  return `is ${input.length.toLocaleString("en")} characters long: an id's slug may be at most ${MAX_SLUG_LENGTH}`;
}

/** A readable id: `kind/slug`, e.g. `person/gyorgy-szabo`. The template type makes references typed. */
const idOf = <K extends string>(kind: K) =>
  z.templateLiteral(
    [
      z.literal(`${kind}/`),
      z.string().regex(new RegExp(`^[a-z0-9][a-z0-9-]{0,${MAX_SLUG_LENGTH - 1}}$`)),
    ],
    {
      error: (issue) =>
        slugTooLong(issue.input) ?? `must be an id of the form "${kind}/lowercase-slug"`,
    },
  );

export const SourceId = idOf("source");
export const StateId = idOf("state");
export const PlaceId = idOf("place");
export const DimensionId = idOf("dimension");
export const OfficeId = idOf("office");
export const PersonId = idOf("person");
export const PostId = idOf("post");
export const TenureId = idOf("tenure");
export const EventId = idOf("event");
export const PriorityId = idOf("priority");

export type SourceId = z.infer<typeof SourceId>;
export type StateId = z.infer<typeof StateId>;
export type PlaceId = z.infer<typeof PlaceId>;
export type DimensionId = z.infer<typeof DimensionId>;
export type OfficeId = z.infer<typeof OfficeId>;
export type PersonId = z.infer<typeof PersonId>;
export type PostId = z.infer<typeof PostId>;
export type TenureId = z.infer<typeof TenureId>;
export type EventId = z.infer<typeof EventId>;
export type PriorityId = z.infer<typeof PriorityId>;

/**
 * The longest text a dataset may hold in one string (a name, a quote, a note, a date as written),
 * in code points, as zod's max counts them (a character outside the BMP, two UTF-16 units, is one). The longest in the built-in and generated
 * datasets is a few hundred; a long quoted paragraph is a few thousand. Red team 41 (F4): a
 * source's name of 300 MiB was read for 2 minutes and then crashed the loading process in V8
 * ("invalid size error"), with an error that named no file, entity or field; it is now refused
 * by validation, naming all three.
 */
export const MAX_TEXT_LENGTH = 100_000;

/**
 * The code points of `text`, as zod's length checks count them: a surrogate pair once, a lone
 * surrogate as itself (fast-check.ts counts the same way).
 */
export function codePointLength(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++)
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  return count;
}

/** A string of a dataset: at most MAX_TEXT_LENGTH long, and not empty unless `allowEmpty`. */
const text = (emptyMessage?: string, allowEmpty = false) => {
  const bounded = z.string().max(MAX_TEXT_LENGTH, {
    error: (issue) =>
      `is ${typeof issue.input === "string" ? codePointLength(issue.input).toLocaleString("en") : "too many"} characters long: longer than the ${MAX_TEXT_LENGTH.toLocaleString("en")} a text may be`,
  });
  return allowEmpty ? bounded : bounded.min(1, emptyMessage);
};

/** Why we believe a fact: a verbatim quote of a source, or an editor's stated reason. */
export const Quote = z.strictObject({
  source: SourceId,
  quote: text("a quote must not be empty"),
});
export const Editorial = z.strictObject({
  editorial: text("an editorial note must give its reason"),
});
export const Provenance = z.union([Quote, Editorial]);
export type Quote = z.infer<typeof Quote>;
export type Editorial = z.infer<typeof Editorial>;
export type Provenance = z.infer<typeof Provenance>;

/** Whether `value` is a quote: the model's strict `{source, quote}`, two strings and nothing else. */
export function isQuote(value: unknown): value is Quote {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const { source, quote } = value as { source?: unknown; quote?: unknown };
  return typeof source === "string" && typeof quote === "string" && Object.keys(value).length === 2;
}

/** Calls `visit` on every quote inside `value` (an entity, say), at any depth, in key order. */
export function forEachQuote(value: unknown, visit: (quote: Quote) => void): void {
  if (value === null || typeof value !== "object") return;
  if (isQuote(value)) visit(value);
  else for (const item of Object.values(value)) forEachQuote(item, visit);
}

const provenance = z
  .array(Provenance, { error: "provenance is required: at least one quote or editorial note" })
  .min(1, "provenance is required: at least one quote or editorial note");

/** A name or short text, with its provenance. */
export const Text = z.strictObject({ text: text(), provenance });
export type Text = z.infer<typeof Text>;

export const AliasKind = z.enum(["DOCUMENT_SPELLING", "VARIANT", "FULL_NAME"]);
export type AliasKind = z.infer<typeof AliasKind>;

/** Another name an entity is known by: the document's own spelling, a variant, a full form. */
export const Alias = z.strictObject({ text: text(), kind: AliasKind, provenance });
export type Alias = z.infer<typeof Alias>;

/**
 * A partial date in EDTF (ISO 8601-2 / Library of Congress): `1992`, `2007-12`,
 * `2010-07-16/2010-07-17`, `2016-02-09/..` (open end), `2014-09/` (unknown end).
 * `wording` is the document's own phrase for it and must occur verbatim in the source.
 * `startsNotBefore` and `endsNotBefore` bound it by an event where EDTF cannot ("in 2007, not
 * before the decision of June 21"): the fact began on or after the event's first day, and lasted
 * at least until that day. They narrow the days the date may denote; `edtf` stays as written.
 */
/**
 * A bound of a date's days that only an editorial note gives (`Dated.assumed`): `note`, one of
 * the date's own editorial notes, sets it; `documentAlone` is the day the document's own words
 * give that bound (YYYY-MM-DD), absent when they give none (the side is then unbounded).
 * Certainties that hold only by the note say so (asof.ts, `certaintyBasis`).
 */
export const AssumedBound = z.strictObject({
  note: Editorial,
  documentAlone: text(undefined, true).optional(),
});
export type AssumedBound = z.infer<typeof AssumedBound>;

/**
 * The four day bounds of a date a certainty reads (dates.ts `coverageSpan`): the first and last
 * day the start may be on, the first and last day the end may be on (a single date: its first and
 * last possible day are the start's first and the end's last).
 */
export const DAY_BOUNDS = ["earliestStart", "latestStart", "earliestEnd", "latestEnd"] as const;
export type DayBound = (typeof DAY_BOUNDS)[number];

/**
 * Where each day bound sits in a date's `CoverageSpan` (dates.ts: its first and last possible
 * days, the day from which and the day until which it certainly runs). An earliest bound left out
 * reaches -Infinity, a latest one Infinity.
 */
export const SPAN_INDEX: Readonly<Record<DayBound, number>> = {
  earliestStart: 0,
  latestEnd: 1,
  latestStart: 2,
  earliestEnd: 3,
};

export const Dated = z.strictObject({
  edtf: text(),
  wording: text().optional(),
  /** The fact began on or after this event's first day (a single date: fell on or after it). */
  startsNotBefore: EventId.optional(),
  /** The fact lasted at least until this event's first day (an interval with a known end only). */
  endsNotBefore: EventId.optional(),
  /**
   * The bounds of its days that an editorial note gives, not the document: a change of name dated
   * to its decision's day, the Troika's start not before 1992. A bound not named here is the
   * document's (or follows from its words).
   */
  // an object of optional fields, not a record: the fast check (fast-check.ts) knows objects
  assumed: z
    .strictObject({
      earliestStart: AssumedBound.optional(),
      latestStart: AssumedBound.optional(),
      earliestEnd: AssumedBound.optional(),
      latestEnd: AssumedBound.optional(),
    })
    .optional(),
  /**
   * Which of `provenance` give the start and which the end, where two lines give them (a name
   * from its renaming's decision to its transformation's): a timeline entry for a start or a
   * change of name cites the start's, one for an end the end's, not the other end's lines (the
   * honest54 audit, F8). Each must be one of `provenance`, and a side given holds the notes of
   * its `assumed` bounds. A side left out is given by the whole `provenance`; a line that only
   * gives a `documentAlone` day need be in neither.
   */
  boundProvenance: z
    .strictObject({ start: provenance.optional(), end: provenance.optional() })
    .optional(),
  provenance,
});
export type Dated = z.infer<typeof Dated>;

/** What gives one end of a date: its `boundProvenance` for that end where given, else all its provenance. */
export const provenanceOfBound = (dated: Dated, isEnd: boolean): Provenance[] =>
  (isEnd ? dated.boundProvenance?.end : dated.boundProvenance?.start) ?? dated.provenance;

/** A typed reference to another entity, with the provenance of the relation itself. */
const link = <T extends z.ZodType>(ref: T) => z.strictObject({ ref, provenance });
export type Link<T> = { ref: T; provenance: Provenance[] };

const common = {
  name: Text,
  aliases: z.array(Alias).default([]),
  abbreviation: Text.optional(),
  description: Text.optional(),
  provenance,
};

/**
 * A moment the source states to the minute, e.g. "Created at : 4.12.2013, 19:36": ISO 8601 local
 * date and time, `YYYY-MM-DDTHH:MM` (seconds optional), without a UTC offset, since the source
 * gives none. `wording` is the source's own phrase and must occur verbatim in it.
 */
export const LocalDateTime = z.strictObject({
  dateTime: z
    .string()
    .regex(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/,
      "must be a local date and time, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS",
    ),
  wording: text().optional(),
  provenance,
});
export type LocalDateTime = z.infer<typeof LocalDateTime>;

export const Source = z.strictObject({
  id: SourceId,
  ...common,
  /** The file holding the source's text, relative to the dataset directory. */
  file: text(),
  created: Dated,
  updated: Dated,
  /** When the source was created, to the minute, where it says so; its day must be `created`'s. */
  createdAt: LocalDateTime.optional(),
  /** When the source was last updated, to the minute, where it says so; its day must be `updated`'s. */
  updatedAt: LocalDateTime.optional(),
});

export const State = z.strictObject({
  id: StateId,
  ...common,
  /** OSCE offices and institutions the state cooperates with. */
  cooperatesWith: z.array(link(OfficeId)).default([]),
});

export const PlaceKind = z.enum(["CITY"]);
export const Place = z.strictObject({
  id: PlaceId,
  ...common,
  kind: PlaceKind,
  state: link(StateId),
});

export const Dimension = z.strictObject({ id: DimensionId, ...common });

export const OfficeKind = z.enum([
  "ORGANIZATION",
  "DECISION_MAKING_BODY",
  "CHAIRMANSHIP",
  "CHAIRMANSHIP_GROUP",
  "SECRETARIAT",
  "INSTITUTION",
  "FIELD_OPERATION",
  "PERMANENT_MISSION",
]);

/**
 * How one office became another, or took a new name: RENAMING keeps the office and changes its
 * name; TRANSFORMATION changes what the office is (its mandate, its type); MERGER joins several
 * offices into one; SPLIT divides one office into several.
 */
export const SuccessionKind = z.enum(["RENAMING", "TRANSFORMATION", "MERGER", "SPLIT"]);
export type SuccessionKind = z.infer<typeof SuccessionKind>;
/** The changes that can give one office a new name: merging and splitting make other offices. */
export const NameChangeKind = SuccessionKind.extract(["RENAMING", "TRANSFORMATION"]);

/** One name an office bore over a period, and the decision that gave it, if any. */
export const OfficeName = z.strictObject({
  text: text(),
  when: Dated,
  decidedBy: EventId.optional(),
  /** What kind of change gave the office this name, as the source calls it; absent for its first name. */
  change: z.strictObject({ kind: NameChangeKind, provenance }).optional(),
  provenance,
});

/**
 * A predecessor of an office that is a separate entity (in datasets that model a renamed,
 * transformed, merged or split office as a new one): `ref` is the predecessor.
 */
export const Succession = z.strictObject({
  ref: OfficeId,
  kind: SuccessionKind,
  decidedBy: EventId.optional(),
  when: Dated.optional(),
  provenance,
});

/** Where an office sits; `when` is absent when the source gives the place without dates. */
export const OfficeLocation = z.strictObject({
  place: PlaceId,
  when: Dated.optional(),
  provenance,
});

export const Office = z.strictObject({
  id: OfficeId,
  ...common,
  kind: OfficeKind,
  /** The names the office bore, in order; the canonical `name` is the current one. */
  nameHistory: z.array(OfficeName).default([]),
  locations: z.array(OfficeLocation).default([]),
  /** The state the office is in or works for (the host of a field operation, the sender of a mission). */
  state: link(StateId).optional(),
  dimensions: z.array(link(DimensionId)).default([]),
  /** The offices this one succeeded (renamed, transformed, merged, split from), oldest first. */
  predecessors: z.array(Succession).default([]),
  /** The organisation or body the office is part of (a field operation of the OSCE). */
  partOf: link(OfficeId).optional(),
});

export const PersonFacts = {
  /** A rank or honorific the source gives, e.g. "Ambassador". */
  title: Text.optional(),
  nationality: link(StateId).optional(),
};
export const Person = z.strictObject({ id: PersonId, ...common, ...PersonFacts });

export const PostKind = z.enum([
  "HEAD_OF_STATE",
  "HEAD_OF_OFFICE",
  "SPECIAL_REPRESENTATIVE",
  "CHAIRMANSHIP",
  "MEMBERSHIP",
]);
export const Post = z.strictObject({
  id: PostId,
  ...common,
  kind: PostKind,
  /** The office the post belongs to (a head of office, a chairmanship of a body). */
  office: link(OfficeId).optional(),
  /**
   * The post heads its office though its kind is not HEAD_OF_OFFICE (a Special Representative
   * heads the Office of the Special Representative), with why the graph says so (`headsItsOffice`).
   */
  headsOffice: z.strictObject({ provenance }).optional(),
  /** The state the post belongs to (a head of state). */
  state: link(StateId).optional(),
});

/**
 * PERIOD: `when` bounds the tenure (either end may be open or unknown).
 * POINT_IN_TIME: the source only attests the post was held at `when`; nothing is said of its bounds.
 */
export const TenureTiming = z.enum(["PERIOD", "POINT_IN_TIME"]);
export const Tenure = z.strictObject({
  id: TenureId,
  post: PostId,
  holder: z.union([PersonId, StateId]),
  when: Dated,
  timing: TenureTiming,
  provenance,
});

export const EventKind = z.enum([
  "ACCESSION",
  "OPENING",
  "DECISION",
  "CHAIRMANSHIP",
  "MEETING",
  "SUMMIT",
  "APPOINTMENT",
  "COMPLETION",
]);
/**
 * The kinds of event that take place through their dates, as periods: a chairmanship through its
 * year, a meeting or a summit through its days. Every other kind is an act done on one day within
 * its date (asof.ts `eventCertaintiesOn`).
 */
export const LASTING_EVENT_KINDS: ReadonlySet<EventKind> = new Set<EventKind>([
  "CHAIRMANSHIP",
  "MEETING",
  "SUMMIT",
]);
export const ParticipantRole = z.enum([
  "SUBJECT",
  "DECIDING_BODY",
  "CONVENING_BODY",
  "CHAIR",
  "JOINED",
  "HOST",
]);
export const EntityId = z.union([
  StateId,
  PlaceId,
  OfficeId,
  PersonId,
  EventId,
  PostId,
  DimensionId,
  PriorityId,
]);
export type EntityId = z.infer<typeof EntityId>;

export const Participant = z.strictObject({
  ref: EntityId,
  role: ParticipantRole,
  /** The tenure in which the participant acted (Nazarbayev chaired the Summit as President). */
  capacity: TenureId.optional(),
  provenance,
});

export const Event = z.strictObject({
  id: EventId,
  ...common,
  kind: EventKind,
  when: Dated,
  place: link(PlaceId).optional(),
  participants: z.array(Participant).default([]),
});

/** What a priority is: a line of the state's activity the source states, or a programme the state ran. */
export const PriorityKind = z.enum(["PRIORITY", "STATE_PROGRAMME"]);

export const Priority = z.strictObject({
  id: PriorityId,
  ...common,
  kind: PriorityKind.default("PRIORITY"),
  /** When it ran, for a programme the source dates (its completion); absent when the source gives no date. */
  when: Dated.optional(),
  state: link(StateId),
  /** Absent when the source states the priority without tying it to a dimension. */
  dimension: link(DimensionId).optional(),
  /** The states the priority is about (the OSCE's activities in connection with the situation in Ukraine): none when it is about no state in particular. */
  concerns: z.array(link(StateId)).default([]),
  /**
   * The source calls this priority the keynote of its state's activities ("will be the keynote of
   * the Kazakhstan's activities within the Organization during upcoming years"), with why the
   * graph says so. At most one priority of a state is its keynote (validate.ts).
   */
  keynote: z.strictObject({ provenance }).optional(),
});

/** Every collection of a dataset, in the order files are read and reported. */
export const collections = {
  sources: Source,
  states: State,
  places: Place,
  dimensions: Dimension,
  offices: Office,
  persons: Person,
  posts: Post,
  tenures: Tenure,
  events: Event,
  priorities: Priority,
} as const;
export type CollectionName = keyof typeof collections;
/** The kind of entity each collection holds (the prefix of its ids). */
export const kindOfCollection = {
  sources: "source",
  states: "state",
  places: "place",
  dimensions: "dimension",
  offices: "office",
  persons: "person",
  posts: "post",
  tenures: "tenure",
  events: "event",
  priorities: "priority",
} as const satisfies Record<CollectionName, string>;
export const collectionNames = Object.keys(collections) as CollectionName[];
/** The longest an id of any kind can be: the longest kind, its slash, the longest slug. */
export const MAX_ID_LENGTH =
  Math.max(...Object.values(kindOfCollection).map((kind) => kind.length)) + 1 + MAX_SLUG_LENGTH;

/** The shape an author writes (defaults may be omitted) and the shape after parsing. */
export type DatasetInput = { [K in CollectionName]: z.input<(typeof collections)[K]>[] };
export type Dataset = { [K in CollectionName]: z.output<(typeof collections)[K]>[] };

export type Source = z.output<typeof Source>;
export type State = z.output<typeof State>;
export type Place = z.output<typeof Place>;
export type Dimension = z.output<typeof Dimension>;
export type Office = z.output<typeof Office>;
export type OfficeName = z.output<typeof OfficeName>;
export type OfficeLocation = z.output<typeof OfficeLocation>;
export type Succession = z.output<typeof Succession>;
export type Person = z.output<typeof Person>;
export type Post = z.output<typeof Post>;
export type Tenure = z.output<typeof Tenure>;
export type Event = z.output<typeof Event>;
export type Participant = z.output<typeof Participant>;
export type Priority = z.output<typeof Priority>;
export type OfficeKind = z.infer<typeof OfficeKind>;
export type PostKind = z.infer<typeof PostKind>;

/**
 * Whether whoever holds `post` heads its office: a HEAD_OF_OFFICE post, or one the data says heads
 * it (`headsOffice`). The audit of 5 December (finding 8) found `Office.heads` empty for the Office
 * of the Special Representative, whose Special Representative's post is of its own kind.
 */
export function headsItsOffice(post: Pick<Post, "kind" | "headsOffice">): boolean {
  return post.kind === "HEAD_OF_OFFICE" || post.headsOffice !== undefined;
}
export type EventKind = z.infer<typeof EventKind>;
export type ParticipantRole = z.infer<typeof ParticipantRole>;
export type TenureTiming = z.infer<typeof TenureTiming>;
export type PriorityKind = z.infer<typeof PriorityKind>;
export type PlaceKind = z.infer<typeof PlaceKind>;

export type Entity =
  | Source
  | State
  | Place
  | Dimension
  | Office
  | Person
  | Post
  | Tenure
  | Event
  | Priority;
export type EntityKind =
  | "source"
  | "state"
  | "place"
  | "dimension"
  | "office"
  | "person"
  | "post"
  | "tenure"
  | "event"
  | "priority";

/** The kind of an id, read from its prefix. */
export function kindOf(id: string): EntityKind | undefined {
  const prefix = id.slice(0, id.indexOf("/"));
  return (entityKinds as readonly string[]).includes(prefix) ? (prefix as EntityKind) : undefined;
}
export const entityKinds = [
  "source",
  "state",
  "place",
  "dimension",
  "office",
  "person",
  "post",
  "tenure",
  "event",
  "priority",
] as const satisfies readonly EntityKind[];
