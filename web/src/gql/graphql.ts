/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** What the source says about one end of a period. */
export type BoundStatus =
  /** The source gives this end (to the date's precision). */
  | 'KNOWN'
  /** Ongoing as of the source: it was still true when the source was last updated, and nothing is known after that (EDTF `..`). */
  | 'OPEN'
  /** The source does not give this end (EDTF: empty). */
  | 'UNKNOWN';

/** How certainly a fact held on a date, given what the source says and when it was last updated (2016-03-18 for the built-in source). The rule: a fact certainly holds only on its certain span. For a single date used as a period (an event dated `2010`) that is every day the date denotes, 1 January to 31 December: a year-long `2010` is YES on 2010-06-15. For an interval it runs from the LAST day its start may denote to the FIRST day its end may denote: `2011-09/2011-12` began on some day of September and ended on some day of December, so it certainly held only from 2011-09-30 to 2011-12-01, and 2011-09-15 is MAYBE. An open end (`..`, ongoing as of the source) is certain up to the source's last update; an unknown end is never certain. YES when the certain span contains every day the asked date may denote (a month or year asked about must be covered whole); NO when the fact's possible days (from the first day its start may denote to the last day its end may denote, unbounded where open or unknown) share no day with the asked date; MAYBE otherwise. A POINT_IN_TIME tenure is never NO (its bounds are unknown, not absent). */
export type Certainty =
  /** Possibly: the date reaches beyond the certain span but not beyond the possible days; e.g. a bound known only to the month or year, an unknown end, an open end (`..`) asked about after the source's last update, or a tenure only attested at another moment (POINT_IN_TIME). */
  | 'MAYBE'
  /** Certainly not: the fact's possible days and the date share no day. */
  | 'NO'
  /** Certainly: the fact's certain span covers every day the date may denote. */
  | 'YES';

/** Conditions on a date or period; every operator given must hold. Each takes an EDTF date or interval. An EDTF date: a year (`2010`), a month (`2010-07`), a day (`2010-07-16`) or an interval (`2010-07/2010-12`, `2016-02-09/..`). Partial dates are compared by the days they may denote, never as strings: `2010` may denote any day of 2010. Open (`..`) and unknown ends reach infinitely. A fact without a date may have been at any time. Given no operator (`{}`), it asks nothing: every item matches, one without a value too, as with the field left out. */
export type DateFilter = {
  /** The fact was in force on this date with one of the certainties in `certainty` (by default YES or MAYBE: it may have been). On tenures this follows the same rule as `asOf`. An event that is an act (see `EventKind`: an accession, an opening, a decision, an appointment, a completion), and a timeline entry that marks a moment (a start, an end, a change), happened on one day of its date: YES only when its date is that one day, MAYBE on any day of a year or month it gives (the 1992 accession on `1992-06-01`); a chairmanship, a meeting or a summit took place through its date. */
  activeAt?: string | null | undefined;
  /** The date certainly starts after this one ends: its first possible day follows this date's last. An unknown start never does, unless an event bounds it (see `PartialDate.startsNotBefore`): then from that event's first day. */
  after?: string | null | undefined;
  /** The date certainly ends before this one starts: its last possible day precedes this date's first. An open or unknown end never does. */
  before?: string | null | undefined;
  /** Which certainties `activeAt` accepts (at least one; requires `activeAt`). [YES] asks for facts that certainly held. The certainty is judged on the dates as the graph holds them, editorial bounds included (a YES or NO may rest on one): a filter does not say what it rests on; ask the list `asOf` the date (e.g. `tenures(asOf:)`) for each edge's `certaintyBasis` and `certaintyRestsOn`. */
  certainty?: Array<Certainty> | null | undefined;
  /** The date may share a day with this one (`2010` overlaps `2010-07-16/2010-07-17` and `2009/..`). */
  overlaps?: string | null | undefined;
};

/** How precisely a date is known. */
export type DatePrecision =
  /** The exact day is known, e.g. 2007-06-21. */
  | 'DAY'
  /** The year and month are known, e.g. 2007-12. */
  | 'MONTH'
  /** Only the year is known, e.g. 1992. */
  | 'YEAR';

/** One of the four days a date's certainty reads: the first and the last day its start may be on, the first and the last day its end may be on. */
export type DayBound =
  /** The first day the end may be on: until then the fact certainly holds. */
  | 'EARLIEST_END'
  /** The first day the start may be on. */
  | 'EARLIEST_START'
  /** The last day the end may be on. */
  | 'LATEST_END'
  /** The last day the start may be on: from then on the fact certainly holds. */
  | 'LATEST_START';

/** What sort of event an `Event` is. */
export type EventKind =
  /** A state becomes an OSCE participating State: an act on one day within the event's date. */
  | 'ACCESSION'
  /** A person is appointed to a post (see the participant's `capacity`): an act on one day within the event's date. */
  | 'APPOINTMENT'
  /** A state's chairmanship of the OSCE or of one of its bodies, as a dated event: it lasts through the event's date (2010: every day of 2010). */
  | 'CHAIRMANSHIP'
  /** A programme or activity is completed: an act on one day within the event's date. */
  | 'COMPLETION'
  /** A decision of an OSCE decision-making body (see the participant with role DECIDING_BODY): an act on one day within the event's date. */
  | 'DECISION'
  /** A meeting of an OSCE body (see the participant with role CONVENING_BODY): it lasts through the event's date. */
  | 'MEETING'
  /** An office opens: an act on one day within the event's date. */
  | 'OPENING'
  /** An OSCE Summit of heads of state or government: it lasts through the event's date. */
  | 'SUMMIT';

/** Whether a hop of a path reads along its relation or against it. */
export type HopDirection =
  /** `to` is the relation's subject: `to` has `relation` to `from` (the state is the Person.nationality of the person). */
  | 'BACKWARD'
  /** `from` is the relation's subject: `from` has `relation` to `to` (a person's Person.nationality is the state). */
  | 'FORWARD';

/** Conditions on a reference to an entity, by readable key: `state/hungary`, or just `hungary` where the kind is clear; case, accents and spaces do not matter. An unknown key is an error (with suggestions), not an empty result. On a list of references (an office's dimensions), one reference must satisfy every operator given. Given no operator (`{}`), it asks nothing: every item matches, one without a value too, as with the field left out. */
export type KeyFilter = {
  /** The reference is to the entity with this key. */
  eq?: string | null | undefined;
  /** The reference is to one of the entities with these keys (at least one). */
  in?: Array<string> | null | undefined;
};

/** Which sort of name a search matched. */
export type MatchedNameKind =
  /** An abbreviation, e.g. FSC. */
  | 'ABBREVIATION'
  /** The entity's main name. */
  | 'CANONICAL'
  /** Words of the entity's description rather than a name (weighted low). */
  | 'DESCRIPTION'
  /** The source document's own spelling, typos included (e.g. Gyorgy Sabo). */
  | 'DOCUMENT_SPELLING'
  /** A name an office bore before its current one. */
  | 'FORMER_NAME'
  /** The full or formal name. */
  | 'FULL_NAME'
  /** Another spelling or form. */
  | 'VARIANT';

/** What kind of name a `Name` is. */
export type NameKind =
  /** An abbreviation, e.g. ODIHR. */
  | 'ABBREVIATION'
  /** The entity's main name, in its usual spelling. */
  | 'CANONICAL'
  /** The spelling the source document uses where it differs from the usual one (its typos included), e.g. Gyorgy Sabo. */
  | 'DOCUMENT_SPELLING'
  /** A name an office bore before its current one (see `Office.nameHistory` for the dates). */
  | 'FORMER_NAME'
  /** The full or formal form of the name, e.g. Republic of Kazakhstan. */
  | 'FULL_NAME'
  /** Another common spelling or form. */
  | 'VARIANT';

/** How an office came to be what it is: a new name, a new form, or other offices joined or divided. */
export type OfficeChangeKind =
  /** Several offices were joined into this one: each of them is a predecessor. */
  | 'MERGER'
  /** The office was renamed; what it does stayed the same (e.g. OSCE Centre in Almaty to OSCE Centre in Astana, 2007). */
  | 'RENAMING'
  /** One office was divided: each of the offices made from it has it as a predecessor. */
  | 'SPLIT'
  /** The office was turned into a different kind of office, usually under a new name (e.g. OSCE Centre in Astana to OSCE Programme Office in Astana, 2014). */
  | 'TRANSFORMATION';

/** What sort of body an office is. */
export type OfficeKind =
  /** The OSCE's rotating political leadership, held by one participating State at a time: the OSCE Chairmanship. Its holders' tenures are chairmanships. */
  | 'CHAIRMANSHIP'
  /** A group of chairmanships working together, not a chairmanship itself: the OSCE Troika (the previous, current and next Chairmanships). A state in it holds a membership (a post of kind MEMBERSHIP). For the chairmanships a state held (the OSCE's, and a body's such as the Forum for Security Co-operation's, whose office is of kind DECISION_MAKING_BODY), ask its tenures of CHAIRMANSHIP posts: `state(key: "kazakhstan") { tenures(filter: {postKind: {eq: CHAIRMANSHIP}}) { nodes { post { label } when { edtf } } } }`. */
  | 'CHAIRMANSHIP_GROUP'
  /** An OSCE decision-making body: the Permanent Council, the Ministerial Council, the Forum for Security Co-operation. */
  | 'DECISION_MAKING_BODY'
  /** An OSCE field office in a participating State or region, such as the Programme Office in Astana. */
  | 'FIELD_OPERATION'
  /** An OSCE institution: ODIHR, the HCNM, the Representative on Freedom of the Media, the Special Representative on trafficking. */
  | 'INSTITUTION'
  /** An international organisation as a whole, e.g. the OSCE itself: the organisation states join (see ACCESSION events) and its bodies are `partOf`. */
  | 'ORGANIZATION'
  /** A participating State's permanent mission to the OSCE. */
  | 'PERMANENT_MISSION'
  /** The OSCE Secretariat. */
  | 'SECRETARIAT';

/** The part an entity plays in an event. */
export type ParticipantRole =
  /** Who chaired the event. */
  | 'CHAIR'
  /** The body that met. */
  | 'CONVENING_BODY'
  /** The body that took the decision. */
  | 'DECIDING_BODY'
  /** The state that hosted the event (Kazakhstan hosted the Astana OSCE Summit). */
  | 'HOST'
  /** The organisation the subject joined, in an ACCESSION (Kazakhstan joined the OSCE, then called the CSCE, in 1992). */
  | 'JOINED'
  /** What the event is about: the office opened or renamed, the state that joined, the person appointed. */
  | 'SUBJECT';

/** What sort of place a `Place` is. */
export type PlaceKind =
  /** A city. */
  | 'CITY';

/** What sort of post a `Post` is. */
export type PostKind =
  /** The chairmanship of an OSCE body, held by a participating State. */
  | 'CHAIRMANSHIP'
  /** The head of an office: whoever holds it heads that office. */
  | 'HEAD_OF_OFFICE'
  /** A state's head of state, e.g. President of the Republic of Kazakhstan. */
  | 'HEAD_OF_STATE'
  /** Membership of a body or format, e.g. the OSCE Troika. */
  | 'MEMBERSHIP'
  /** An OSCE Special Representative. */
  | 'SPECIAL_REPRESENTATIVE';

/** What a priority is. */
export type PriorityKind =
  /** A line of the state's activity within the OSCE that the source states, e.g. The Aral Sea. */
  | 'PRIORITY'
  /** A programme the state ran, with the dates the source gives, e.g. the State program "Path to Europe" (completed December 2011). */
  | 'STATE_PROGRAMME';

/** Whether a fact rests on the source document's own words or on an editor's background knowledge. */
export type ProvenanceKind =
  /** The fact is background knowledge the source takes for granted, asserted by the editors with a reason. */
  | 'EDITORIAL'
  /** The fact is supported by a verbatim quote of a source. */
  | 'QUOTE';

/** A kind of entity that `search` can return. */
export type SearchableKind =
  /** Dimension entities. */
  | 'DIMENSION'
  /** Event entities. */
  | 'EVENT'
  /** Office entities. */
  | 'OFFICE'
  /** Person entities. */
  | 'PERSON'
  /** Place entities. */
  | 'PLACE'
  /** Post entities. */
  | 'POST'
  /** Priority entities. */
  | 'PRIORITY'
  /** Source entities. */
  | 'SOURCE'
  /** State entities. */
  | 'STATE';

/** How a tenure's date is to be read. */
export type TenureTiming =
  /** `when` is the period of the tenure: it began and ended as `when` says (an end may be open or unknown). */
  | 'PERIOD'
  /** The source only attests that the post was held at `when` (e.g. Nazarbayev was President at the Astana Summit); it says nothing of when the tenure began or ended. */
  | 'POINT_IN_TIME';

/** What a timeline entry marks. On the same date, entries come in the order of this list: EVENT, NAME_CHANGE, LOCATION_START, LOCATION_END, TENURE_START, TENURE_ATTESTED, TENURE_END. */
export type TimelineEntryKind =
  /** An event, on its date (see `event`). */
  | 'EVENT'
  /** An office stops sitting in a place, on the known end of the location's period. */
  | 'LOCATION_END'
  /** An office starts sitting in a place, on the start of the location's period (see `officeLocation`). */
  | 'LOCATION_START'
  /** An office takes a new name, on the day its period starts (see `officeName`; its `decidedBy` is the decision). The name an office opened under is not a change: its opening is an EVENT. */
  | 'NAME_CHANGE'
  /** A POINT_IN_TIME tenure: the source attests the post was held at this moment, and says nothing of its start or end. */
  | 'TENURE_ATTESTED'
  /** A tenure (of timing PERIOD) ends, on the end of its `when`. An unknown end gives no entry, and neither does an open one (still held when the source was last updated). */
  | 'TENURE_END'
  /** A tenure (of timing PERIOD) begins, on the start of its `when` (see `tenure`). An unknown start gives no entry. */
  | 'TENURE_START';

/** Conditions on what a timeline entry marks; every operator given must hold. An absent value matches no operator. Given no operator (`{}`), it asks nothing: every item matches, one without a value too, as with the field left out. */
export type TimelineEntryKindFilter = {
  /** The TimelineEntryKind is this one. */
  eq?: TimelineEntryKind | null | undefined;
  /** The TimelineEntryKind is one of these (at least one). */
  in?: Array<TimelineEntryKind> | null | undefined;
};

/** Conditions on a timeline entry; every field given must hold. */
export type TimelineFilter = {
  /** Every one of these filters holds (at least one filter). */
  and?: Array<TimelineFilter> | null | undefined;
  /** The entry's date, e.g. `{overlaps: "2010"}` for the period 2010. */
  date?: DateFilter | null | undefined;
  /** An entity the entry involves, by full key (e.g. `office/osce-field-office-kazakhstan`) or by a slug only one kind has: an event's participants and place, a tenure's holder, post and the post's office or state, a renamed or located office, its place and deciding event. */
  entity?: KeyFilter | null | undefined;
  /** What the entry marks. */
  kind?: TimelineEntryKindFilter | null | undefined;
  /** This filter does not hold. */
  not?: TimelineFilter | null | undefined;
  /** At least one of these filters holds (at least one filter). */
  or?: Array<TimelineFilter> | null | undefined;
};

type Prov_EditorialNote_Fragment = { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string };

type Prov_SourceQuote_Fragment = { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } };

export type ProvFragment =
  | Prov_EditorialNote_Fragment
  | Prov_SourceQuote_Fragment
;

type Ref_Dimension_Fragment = { __typename: 'Dimension', key: string, label: string };

type Ref_Event_Fragment = { __typename: 'Event', key: string, label: string };

type Ref_Office_Fragment = { __typename: 'Office', key: string, label: string };

type Ref_Person_Fragment = { __typename: 'Person', key: string, label: string };

type Ref_Place_Fragment = { __typename: 'Place', key: string, label: string };

type Ref_Post_Fragment = { __typename: 'Post', key: string, label: string };

type Ref_Priority_Fragment = { __typename: 'Priority', key: string, label: string };

type Ref_Source_Fragment = { __typename: 'Source', key: string, label: string };

type Ref_State_Fragment = { __typename: 'State', key: string, label: string };

type Ref_Tenure_Fragment = { __typename: 'Tenure', key: string, label: string };

export type RefFragment =
  | Ref_Dimension_Fragment
  | Ref_Event_Fragment
  | Ref_Office_Fragment
  | Ref_Person_Fragment
  | Ref_Place_Fragment
  | Ref_Post_Fragment
  | Ref_Priority_Fragment
  | Ref_Source_Fragment
  | Ref_State_Fragment
  | Ref_Tenure_Fragment
;

export type WhenFragment = { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
    | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
    | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
  >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> };

export type AsOfFragment = { edtf: string, isInterval: boolean, start: { year: number, month: number | null, day: number | null } | null, end: { year: number, month: number | null, day: number | null } | null, provenance: Array<
    | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
    | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
  > };

export type NameItemFragment = { text: string, kind: NameKind, provenance: Array<
    | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
    | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
  > };

export type EvidFragment = { field: string, provenance: Array<
    | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
    | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
  > };

export type TenureItemFragment = { __typename: 'Tenure', timing: TenureTiming, key: string, label: string, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
      | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
      | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
    >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> }, holder:
    | { __typename: 'Person', key: string, label: string }
    | { __typename: 'State', key: string, label: string }
  , post: { __typename: 'Post', key: string, label: string, office: { __typename: 'Office', key: string, label: string } | null, state: { __typename: 'State', key: string, label: string } | null }, provenance: Array<
    | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
    | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
  > };

export type EventItemFragment = { __typename: 'Event', key: string, label: string, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
      | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
      | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
    >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> } };

type HitEntity_Dimension_Fragment = { __typename: 'Dimension', key: string, label: string };

type HitEntity_Event_Fragment = { __typename: 'Event', key: string, label: string, eventKind: EventKind, when: { edtf: string, wording: string | null }, place: { label: string } | null };

type HitEntity_Office_Fragment = { __typename: 'Office', description: string | null, key: string, label: string, officeKind: OfficeKind, officeState: { label: string } | null, opening: { when: { edtf: string, wording: string | null } } | null };

type HitEntity_Person_Fragment = { __typename: 'Person', title: string | null, description: string | null, key: string, label: string, nationality: { label: string } | null, tenures: { totalCount: number, nodes: Array<{ when: { edtf: string, wording: string | null }, post: { label: string } }> } };

type HitEntity_Place_Fragment = { __typename: 'Place', key: string, label: string, placeKind: PlaceKind, placeState: { label: string } };

type HitEntity_Post_Fragment = { __typename: 'Post', key: string, label: string, postKind: PostKind, office: { label: string } | null, postState: { label: string } | null };

type HitEntity_Priority_Fragment = { __typename: 'Priority', keynote: boolean, key: string, label: string, priorityKind: PriorityKind, priorityPeriod: { edtf: string, wording: string | null } | null, priorityAsOf: { edtf: string, isInterval: boolean, start: { year: number, month: number | null, day: number | null } | null, end: { year: number, month: number | null, day: number | null } | null, provenance: Array<
      | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
      | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
    > } | null, priorityState: { label: string }, dimension: { label: string } | null };

type HitEntity_Source_Fragment = { __typename: 'Source', key: string, label: string, updated: { edtf: string } };

type HitEntity_State_Fragment = { __typename: 'State', key: string, label: string, participatingStateSince: { edtf: string, wording: string | null } | null };

type HitEntity_Tenure_Fragment = { __typename: 'Tenure', key: string, label: string };

export type HitEntityFragment =
  | HitEntity_Dimension_Fragment
  | HitEntity_Event_Fragment
  | HitEntity_Office_Fragment
  | HitEntity_Person_Fragment
  | HitEntity_Place_Fragment
  | HitEntity_Post_Fragment
  | HitEntity_Priority_Fragment
  | HitEntity_Source_Fragment
  | HitEntity_State_Fragment
  | HitEntity_Tenure_Fragment
;

export type HitFragment = { matchedName: string, matchedNameKind: MatchedNameKind, entity:
    | { __typename: 'Dimension', key: string, label: string }
    | { __typename: 'Event', key: string, label: string, eventKind: EventKind, when: { edtf: string, wording: string | null }, place: { label: string } | null }
    | { __typename: 'Office', description: string | null, key: string, label: string, officeKind: OfficeKind, officeState: { label: string } | null, opening: { when: { edtf: string, wording: string | null } } | null }
    | { __typename: 'Person', title: string | null, description: string | null, key: string, label: string, nationality: { label: string } | null, tenures: { totalCount: number, nodes: Array<{ when: { edtf: string, wording: string | null }, post: { label: string } }> } }
    | { __typename: 'Place', key: string, label: string, placeKind: PlaceKind, placeState: { label: string } }
    | { __typename: 'Post', key: string, label: string, postKind: PostKind, office: { label: string } | null, postState: { label: string } | null }
    | { __typename: 'Priority', keynote: boolean, key: string, label: string, priorityKind: PriorityKind, priorityPeriod: { edtf: string, wording: string | null } | null, priorityAsOf: { edtf: string, isInterval: boolean, start: { year: number, month: number | null, day: number | null } | null, end: { year: number, month: number | null, day: number | null } | null, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        > } | null, priorityState: { label: string }, dimension: { label: string } | null }
    | { __typename: 'Source', key: string, label: string, updated: { edtf: string } }
    | { __typename: 'State', key: string, label: string, participatingStateSince: { edtf: string, wording: string | null } | null }
    | { __typename: 'Tenure', key: string, label: string }
   };

export type ExplorerSearchQueryVariables = Exact<{
  query: string;
  kinds?: Array<SearchableKind> | SearchableKind | null | undefined;
  after?: string | null | undefined;
}>;


export type ExplorerSearchQuery = { search: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ matchedName: string, matchedNameKind: MatchedNameKind, entity:
        | { __typename: 'Dimension', key: string, label: string }
        | { __typename: 'Event', key: string, label: string, eventKind: EventKind, when: { edtf: string, wording: string | null }, place: { label: string } | null }
        | { __typename: 'Office', description: string | null, key: string, label: string, officeKind: OfficeKind, officeState: { label: string } | null, opening: { when: { edtf: string, wording: string | null } } | null }
        | { __typename: 'Person', title: string | null, description: string | null, key: string, label: string, nationality: { label: string } | null, tenures: { totalCount: number, nodes: Array<{ when: { edtf: string, wording: string | null }, post: { label: string } }> } }
        | { __typename: 'Place', key: string, label: string, placeKind: PlaceKind, placeState: { label: string } }
        | { __typename: 'Post', key: string, label: string, postKind: PostKind, office: { label: string } | null, postState: { label: string } | null }
        | { __typename: 'Priority', keynote: boolean, key: string, label: string, priorityKind: PriorityKind, priorityPeriod: { edtf: string, wording: string | null } | null, priorityAsOf: { edtf: string, isInterval: boolean, start: { year: number, month: number | null, day: number | null } | null, end: { year: number, month: number | null, day: number | null } | null, provenance: Array<
              | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
              | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
            > } | null, priorityState: { label: string }, dimension: { label: string } | null }
        | { __typename: 'Source', key: string, label: string, updated: { edtf: string } }
        | { __typename: 'State', key: string, label: string, participatingStateSince: { edtf: string, wording: string | null } | null }
        | { __typename: 'Tenure', key: string, label: string }
       }> } | null };

export type ExplorerSearchKindCountsQueryVariables = Exact<{
  query: string;
}>;


export type ExplorerSearchKindCountsQuery = { all: { totalCount: number } | null, state: { totalCount: number } | null, office: { totalCount: number } | null, person: { totalCount: number } | null, post: { totalCount: number } | null, event: { totalCount: number } | null, place: { totalCount: number } | null, dimension: { totalCount: number } | null, priority: { totalCount: number } | null, source: { totalCount: number } | null };

export type ExplorerSuggestQueryVariables = Exact<{
  query: string;
}>;


export type ExplorerSuggestQuery = { search: { totalCount: number, nodes: Array<{ matchedName: string, matchedNameKind: MatchedNameKind, entity:
        | { __typename: 'Dimension', key: string, label: string }
        | { __typename: 'Event', key: string, label: string, eventKind: EventKind, when: { edtf: string, wording: string | null }, place: { label: string } | null }
        | { __typename: 'Office', description: string | null, key: string, label: string, officeKind: OfficeKind, officeState: { label: string } | null, opening: { when: { edtf: string, wording: string | null } } | null }
        | { __typename: 'Person', title: string | null, description: string | null, key: string, label: string, nationality: { label: string } | null, tenures: { totalCount: number, nodes: Array<{ when: { edtf: string, wording: string | null }, post: { label: string } }> } }
        | { __typename: 'Place', key: string, label: string, placeKind: PlaceKind, placeState: { label: string } }
        | { __typename: 'Post', key: string, label: string, postKind: PostKind, office: { label: string } | null, postState: { label: string } | null }
        | { __typename: 'Priority', keynote: boolean, key: string, label: string, priorityKind: PriorityKind, priorityPeriod: { edtf: string, wording: string | null } | null, priorityAsOf: { edtf: string, isInterval: boolean, start: { year: number, month: number | null, day: number | null } | null, end: { year: number, month: number | null, day: number | null } | null, provenance: Array<
              | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
              | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
            > } | null, priorityState: { label: string }, dimension: { label: string } | null }
        | { __typename: 'Source', key: string, label: string, updated: { edtf: string } }
        | { __typename: 'State', key: string, label: string, participatingStateSince: { edtf: string, wording: string | null } | null }
        | { __typename: 'Tenure', key: string, label: string }
       }> } | null };

export type ExplorerBrowseQueryVariables = Exact<{ [key: string]: never; }>;


export type ExplorerBrowseQuery = { states: { totalCount: number, nodes: Array<{ __typename: 'State', key: string, label: string }> } | null, offices: { totalCount: number, nodes: Array<{ __typename: 'Office', key: string, label: string }> } | null, persons: { totalCount: number, nodes: Array<{ __typename: 'Person', key: string, label: string }> } | null, posts: { totalCount: number, nodes: Array<{ __typename: 'Post', key: string, label: string }> } | null, tenures: { totalCount: number, nodes: Array<{ __typename: 'Tenure', key: string, label: string }> } | null, events: { totalCount: number, nodes: Array<{ __typename: 'Event', key: string, label: string }> } | null, places: { totalCount: number, nodes: Array<{ __typename: 'Place', key: string, label: string }> } | null, dimensions: { totalCount: number, nodes: Array<{ __typename: 'Dimension', key: string, label: string }> } | null, priorities: { totalCount: number, nodes: Array<{ __typename: 'Priority', key: string, label: string }> } | null, sources: { totalCount: number, nodes: Array<{ __typename: 'Source', key: string, label: string }> } | null };

export type ExplorerSourceTextQueryVariables = Exact<{
  key: string;
}>;


export type ExplorerSourceTextQuery = { source: { key: string, name: string, text: string, updated: { edtf: string } } | null };

export type StatePageQueryVariables = Exact<{
  key: string;
}>;


export type StatePageQuery = { state: { __typename: 'State', name: string, key: string, label: string, names: Array<{ text: string, kind: NameKind, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }>, provenance: Array<
      | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
      | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
    >, evidence: Array<{ field: string, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }>, participatingStateSince: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> } | null, cooperatesWith: Array<{ office: { __typename: 'Office', key: string, label: string }, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      >, statedAsOf: { edtf: string, isInterval: boolean, start: { year: number, month: number | null, day: number | null } | null, end: { year: number, month: number | null, day: number | null } | null, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        > } | null }>, offices: { totalCount: number, nodes: Array<{ __typename: 'Office', key: string, label: string }> }, persons: { totalCount: number, nodes: Array<{ __typename: 'Person', key: string, label: string }> }, places: { totalCount: number, nodes: Array<{ __typename: 'Place', key: string, label: string }> }, posts: { totalCount: number, nodes: Array<{ __typename: 'Post', key: string, label: string }> }, priorities: { totalCount: number, nodes: Array<{ __typename: 'Priority', keynote: boolean, key: string, label: string, statedAsOf: { edtf: string, isInterval: boolean, start: { year: number, month: number | null, day: number | null } | null, end: { year: number, month: number | null, day: number | null } | null, provenance: Array<
            | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
            | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
          > } | null, period: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
            | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
            | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
          >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> } | null }> }, keynote: { nodes: Array<{ __typename: 'Priority', description: string | null, key: string, label: string, evidence: Array<{ field: string, provenance: Array<
            | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
            | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
          > }> }> }, tenures: { totalCount: number, nodes: Array<{ __typename: 'Tenure', timing: TenureTiming, key: string, label: string, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
            | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
            | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
          >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> }, holder:
          | { __typename: 'Person', key: string, label: string }
          | { __typename: 'State', key: string, label: string }
        , post: { __typename: 'Post', key: string, label: string, office: { __typename: 'Office', key: string, label: string } | null, state: { __typename: 'State', key: string, label: string } | null }, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        > }> }, events: { totalCount: number, nodes: Array<{ __typename: 'Event', key: string, label: string, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
            | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
            | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
          >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> } }> } } | null };

export type SuccessionItemFragment = { kind: OfficeChangeKind, predecessor: { __typename: 'Office', key: string, label: string }, successor: { __typename: 'Office', key: string, label: string }, decidedBy: { __typename: 'Event', key: string, label: string } | null, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
      | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
      | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
    >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> } | null, provenance: Array<
    | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
    | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
  > };

export type OfficePageQueryVariables = Exact<{
  key: string;
}>;


export type OfficePageQuery = { office: { __typename: 'Office', name: string, abbreviation: string | null, kind: OfficeKind, description: string | null, key: string, label: string, names: Array<{ text: string, kind: NameKind, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }>, provenance: Array<
      | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
      | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
    >, evidence: Array<{ field: string, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }>, state: { __typename: 'State', key: string, label: string } | null, dimensionLinks: Array<{ dimension: { __typename: 'Dimension', key: string, label: string }, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      >, statedAsOf: { edtf: string, isInterval: boolean, start: { year: number, month: number | null, day: number | null } | null, end: { year: number, month: number | null, day: number | null } | null, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        > } | null }>, opening: { __typename: 'Event', key: string, label: string, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> } } | null, nameHistory: { totalCount: number, nodes: Array<{ name: string, period: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
            | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
            | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
          >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> }, decidedBy: { __typename: 'Event', key: string, label: string } | null, change: { kind: OfficeChangeKind } | null, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        > }> }, locations: { totalCount: number, nodes: Array<{ place: { __typename: 'Place', key: string, label: string }, period: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
            | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
            | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
          >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> } | null, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        > }> }, cooperatingStates: Array<{ state: { __typename: 'State', key: string, label: string }, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      >, statedAsOf: { edtf: string, isInterval: boolean, start: { year: number, month: number | null, day: number | null } | null, end: { year: number, month: number | null, day: number | null } | null, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        > } | null }>, posts: { totalCount: number, nodes: Array<{ __typename: 'Post', key: string, label: string }> }, tenures: { totalCount: number, nodes: Array<{ __typename: 'Tenure', timing: TenureTiming, key: string, label: string, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
            | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
            | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
          >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> }, holder:
          | { __typename: 'Person', key: string, label: string }
          | { __typename: 'State', key: string, label: string }
        , post: { __typename: 'Post', key: string, label: string, office: { __typename: 'Office', key: string, label: string } | null, state: { __typename: 'State', key: string, label: string } | null }, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        > }> }, events: { totalCount: number, nodes: Array<{ __typename: 'Event', key: string, label: string, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
            | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
            | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
          >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> } }> }, currentHead: { nodes: Array<{ __typename: 'Tenure', key: string, label: string, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
            | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
            | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
          >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> }, holder:
          | { __typename: 'Person', key: string, label: string }
          | { __typename: 'State', key: string, label: string }
        , post: { __typename: 'Post', key: string, label: string } }> }, predecessors: Array<{ kind: OfficeChangeKind, predecessor: { __typename: 'Office', key: string, label: string }, successor: { __typename: 'Office', key: string, label: string }, decidedBy: { __typename: 'Event', key: string, label: string } | null, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> } | null, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }>, successors: Array<{ kind: OfficeChangeKind, predecessor: { __typename: 'Office', key: string, label: string }, successor: { __typename: 'Office', key: string, label: string }, decidedBy: { __typename: 'Event', key: string, label: string } | null, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> } | null, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }> } | null };

export type PersonPageQueryVariables = Exact<{
  key: string;
}>;


export type PersonPageQuery = { person: { __typename: 'Person', name: string, title: string | null, description: string | null, key: string, label: string, names: Array<{ text: string, kind: NameKind, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }>, provenance: Array<
      | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
      | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
    >, evidence: Array<{ field: string, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }>, nationality: { __typename: 'State', key: string, label: string } | null, tenures: { totalCount: number, nodes: Array<{ __typename: 'Tenure', timing: TenureTiming, key: string, label: string, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
            | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
            | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
          >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> }, holder:
          | { __typename: 'Person', key: string, label: string }
          | { __typename: 'State', key: string, label: string }
        , post: { __typename: 'Post', key: string, label: string, office: { __typename: 'Office', key: string, label: string } | null, state: { __typename: 'State', key: string, label: string } | null }, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        > }> }, events: { totalCount: number, nodes: Array<{ __typename: 'Event', key: string, label: string, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
            | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
            | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
          >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> } }> } } | null };

export type PostPageQueryVariables = Exact<{
  key: string;
}>;


export type PostPageQuery = { post: { __typename: 'Post', name: string, kind: PostKind, key: string, label: string, names: Array<{ text: string, kind: NameKind, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }>, provenance: Array<
      | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
      | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
    >, evidence: Array<{ field: string, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }>, office: { __typename: 'Office', key: string, label: string } | null, state: { __typename: 'State', key: string, label: string } | null, tenures: { totalCount: number, nodes: Array<{ __typename: 'Tenure', timing: TenureTiming, key: string, label: string, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
            | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
            | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
          >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> }, holder:
          | { __typename: 'Person', key: string, label: string }
          | { __typename: 'State', key: string, label: string }
        , post: { __typename: 'Post', key: string, label: string, office: { __typename: 'Office', key: string, label: string } | null, state: { __typename: 'State', key: string, label: string } | null }, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        > }> } } | null };

export type TenurePageQueryVariables = Exact<{
  key: string;
}>;


export type TenurePageQuery = { tenure: { __typename: 'Tenure', timing: TenureTiming, key: string, label: string, events: Array<{ __typename: 'Event', key: string, label: string, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> } }>, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> }, holder:
      | { __typename: 'Person', key: string, label: string }
      | { __typename: 'State', key: string, label: string }
    , post: { __typename: 'Post', key: string, label: string, office: { __typename: 'Office', key: string, label: string } | null, state: { __typename: 'State', key: string, label: string } | null }, provenance: Array<
      | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
      | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
    > } | null };

export type EventPageQueryVariables = Exact<{
  key: string;
}>;


export type EventPageQuery = { event: { __typename: 'Event', name: string, kind: EventKind, description: string | null, key: string, label: string, names: Array<{ text: string, kind: NameKind, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }>, provenance: Array<
      | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
      | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
    >, evidence: Array<{ field: string, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }>, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> }, place: { __typename: 'Place', key: string, label: string } | null, participants: { totalCount: number, nodes: Array<{ role: ParticipantRole, entity:
          | { __typename: 'Dimension', key: string, label: string }
          | { __typename: 'Event', key: string, label: string }
          | { __typename: 'Office', key: string, label: string }
          | { __typename: 'Person', key: string, label: string }
          | { __typename: 'Place', key: string, label: string }
          | { __typename: 'Post', key: string, label: string }
          | { __typename: 'Priority', key: string, label: string }
          | { __typename: 'Source', key: string, label: string }
          | { __typename: 'State', key: string, label: string }
          | { __typename: 'Tenure', key: string, label: string }
        , capacity: { __typename: 'Tenure', timing: TenureTiming, key: string, label: string, post: { __typename: 'Post', key: string, label: string } } | null, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        > }> }, officeNamesGiven: Array<{ name: string, office: { __typename: 'Office', key: string, label: string }, period: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> }, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }>, successionsDecided: Array<{ kind: OfficeChangeKind, predecessor: { __typename: 'Office', key: string, label: string }, successor: { __typename: 'Office', key: string, label: string }, decidedBy: { __typename: 'Event', key: string, label: string } | null, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> } | null, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }> } | null, partOf: { totalCount: number, nodes: Array<{ __typename: 'Event', key: string, label: string, participants: { nodes: Array<{ role: ParticipantRole, provenance: Array<
            | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
            | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
          > }> }, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> } }> } | null };

export type PlacePageQueryVariables = Exact<{
  key: string;
}>;


export type PlacePageQuery = { place: { __typename: 'Place', name: string, kind: PlaceKind, key: string, label: string, names: Array<{ text: string, kind: NameKind, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }>, provenance: Array<
      | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
      | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
    >, evidence: Array<{ field: string, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }>, state: { __typename: 'State', key: string, label: string }, offices: { totalCount: number, edges: Array<{ node: { __typename: 'Office', key: string, label: string }, nameWhileHere: { text: string, certainty: Certainty } | null }> }, events: { totalCount: number, nodes: Array<{ __typename: 'Event', key: string, label: string, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
            | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
            | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
          >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> } }> } } | null };

export type DimensionPageQueryVariables = Exact<{
  key: string;
}>;


export type DimensionPageQuery = { dimension: { __typename: 'Dimension', name: string, key: string, label: string, names: Array<{ text: string, kind: NameKind, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }>, provenance: Array<
      | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
      | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
    >, evidence: Array<{ field: string, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }>, offices: { totalCount: number, edges: Array<{ node: { __typename: 'Office', key: string, label: string }, provenance: Array<
          | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
          | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
        >, statedAsOf: { edtf: string, isInterval: boolean, start: { year: number, month: number | null, day: number | null } | null, end: { year: number, month: number | null, day: number | null } | null, provenance: Array<
            | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
            | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
          > } | null }> }, priorities: { totalCount: number, nodes: Array<{ __typename: 'Priority', key: string, label: string, statedAsOf: { edtf: string, isInterval: boolean, start: { year: number, month: number | null, day: number | null } | null, end: { year: number, month: number | null, day: number | null } | null, provenance: Array<
            | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
            | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
          > } | null, evidence: Array<{ field: string, provenance: Array<
            | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
            | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
          > }> }> } } | null };

export type PriorityPageQueryVariables = Exact<{
  key: string;
}>;


export type PriorityPageQuery = { priority: { __typename: 'Priority', name: string, kind: PriorityKind, keynote: boolean, description: string | null, key: string, label: string, names: Array<{ text: string, kind: NameKind, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }>, provenance: Array<
      | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
      | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
    >, evidence: Array<{ field: string, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }>, period: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> } | null, statedAsOf: { edtf: string, isInterval: boolean, start: { year: number, month: number | null, day: number | null } | null, end: { year: number, month: number | null, day: number | null } | null, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > } | null, state: { __typename: 'State', key: string, label: string }, dimension: { __typename: 'Dimension', key: string, label: string } | null } | null };

export type SourcePageQueryVariables = Exact<{
  key: string;
}>;


export type SourcePageQuery = { source: { __typename: 'Source', name: string, file: string, text: string, key: string, label: string, provenance: Array<
      | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
      | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
    >, created: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> }, updated: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      >, editorialBounds: Array<{ bound: DayBound, documentAlone: string | null }> } } | null };

export type SpanFragment = { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, start: { edtf: string, year: number, month: number | null, day: number | null, precision: DatePrecision, earliest: string, latest: string } | null, end: { edtf: string, year: number, month: number | null, day: number | null, precision: DatePrecision, earliest: string, latest: string } | null };

export type ExplorerSourcesUpdatedQueryVariables = Exact<{ [key: string]: never; }>;


export type ExplorerSourcesUpdatedQuery = { sources: { nodes: Array<{ key: string, name: string, updated: { edtf: string, latest: string | null } }> } | null };

export type ExplorerTimelineQueryVariables = Exact<{
  filter?: TimelineFilter | null | undefined;
  after?: string | null | undefined;
}>;


export type ExplorerTimelineQuery = { timeline: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ kind: TimelineEntryKind, label: string, date: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, start: { edtf: string, year: number, month: number | null, day: number | null, precision: DatePrecision, earliest: string, latest: string } | null, end: { edtf: string, year: number, month: number | null, day: number | null, precision: DatePrecision, earliest: string, latest: string } | null }, subject:
        | { __typename: 'Dimension', key: string, label: string }
        | { __typename: 'Event', key: string, label: string }
        | { __typename: 'Office', key: string, label: string }
        | { __typename: 'Person', key: string, label: string }
        | { __typename: 'Place', key: string, label: string }
        | { __typename: 'Post', key: string, label: string }
        | { __typename: 'Priority', key: string, label: string }
        | { __typename: 'Source', key: string, label: string }
        | { __typename: 'State', key: string, label: string }
        | { __typename: 'Tenure', key: string, label: string }
      , event: { key: string } | null, tenure: { __typename: 'Tenure', timing: TenureTiming, key: string, label: string, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, start: { edtf: string, year: number, month: number | null, day: number | null, precision: DatePrecision, earliest: string, latest: string } | null, end: { edtf: string, year: number, month: number | null, day: number | null, precision: DatePrecision, earliest: string, latest: string } | null } } | null, officeName: { name: string, period: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, start: { edtf: string, year: number, month: number | null, day: number | null, precision: DatePrecision, earliest: string, latest: string } | null, end: { edtf: string, year: number, month: number | null, day: number | null, precision: DatePrecision, earliest: string, latest: string } | null } } | null, officeLocation: { place: { __typename: 'Place', key: string, label: string }, period: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, start: { edtf: string, year: number, month: number | null, day: number | null, precision: DatePrecision, earliest: string, latest: string } | null, end: { edtf: string, year: number, month: number | null, day: number | null, precision: DatePrecision, earliest: string, latest: string } | null } | null } | null }> } | null };

export type TenureBarFragment = { __typename: 'Tenure', timing: TenureTiming, key: string, label: string, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, start: { edtf: string, year: number, month: number | null, day: number | null, precision: DatePrecision, earliest: string, latest: string } | null, end: { edtf: string, year: number, month: number | null, day: number | null, precision: DatePrecision, earliest: string, latest: string } | null }, holder:
    | { __typename: 'Person', key: string, label: string }
    | { __typename: 'State', key: string, label: string }
  , post: { __typename: 'Post', kind: PostKind, headsOffice: boolean, key: string, label: string, office: { __typename: 'Office', key: string, label: string } | null, state: { __typename: 'State', key: string, label: string } | null } };

export type ExplorerOfficesTenuresQueryVariables = Exact<{
  asOf?: string | null | undefined;
  certainty?: Array<Certainty> | Certainty | null | undefined;
  after?: string | null | undefined;
}>;


export type ExplorerOfficesTenuresQuery = { tenures: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ certainty: Certainty | null, node: { __typename: 'Tenure', timing: TenureTiming, key: string, label: string, when: { edtf: string, wording: string | null, precision: DatePrecision, isInterval: boolean, startStatus: BoundStatus, endStatus: BoundStatus, earliest: string | null, latest: string | null, start: { edtf: string, year: number, month: number | null, day: number | null, precision: DatePrecision, earliest: string, latest: string } | null, end: { edtf: string, year: number, month: number | null, day: number | null, precision: DatePrecision, earliest: string, latest: string } | null }, holder:
          | { __typename: 'Person', key: string, label: string }
          | { __typename: 'State', key: string, label: string }
        , post: { __typename: 'Post', kind: PostKind, headsOffice: boolean, key: string, label: string, office: { __typename: 'Office', key: string, label: string } | null, state: { __typename: 'State', key: string, label: string } | null } } }> } | null };

export type ExplorerOfficesNamesQueryVariables = Exact<{
  asOf?: string | null | undefined;
}>;


export type ExplorerOfficesNamesQuery = { offices: { totalCount: number, nodes: Array<{ __typename: 'Office', key: string, label: string, nameHistory: { edges: Array<{ certainty: Certainty | null, node: { name: string } }> } }> } | null, states: { nodes: Array<{ __typename: 'State', key: string, label: string }> } | null };

export type ExplorerPathQueryVariables = Exact<{
  from: string;
  to: string;
}>;


export type ExplorerPathQuery = { path: { length: number, entities: Array<
      | { __typename: 'Dimension', key: string, label: string }
      | { __typename: 'Event', key: string, label: string }
      | { __typename: 'Office', key: string, label: string }
      | { __typename: 'Person', key: string, label: string }
      | { __typename: 'Place', key: string, label: string }
      | { __typename: 'Post', key: string, label: string }
      | { __typename: 'Priority', key: string, label: string }
      | { __typename: 'Source', key: string, label: string }
      | { __typename: 'State', key: string, label: string }
      | { __typename: 'Tenure', key: string, label: string }
    >, hops: Array<{ relation: string, direction: HopDirection, label: string, from:
        | { __typename: 'Dimension', key: string, label: string }
        | { __typename: 'Event', key: string, label: string }
        | { __typename: 'Office', key: string, label: string }
        | { __typename: 'Person', key: string, label: string }
        | { __typename: 'Place', key: string, label: string }
        | { __typename: 'Post', key: string, label: string }
        | { __typename: 'Priority', key: string, label: string }
        | { __typename: 'Source', key: string, label: string }
        | { __typename: 'State', key: string, label: string }
        | { __typename: 'Tenure', key: string, label: string }
      , to:
        | { __typename: 'Dimension', key: string, label: string }
        | { __typename: 'Event', key: string, label: string }
        | { __typename: 'Office', key: string, label: string }
        | { __typename: 'Person', key: string, label: string }
        | { __typename: 'Place', key: string, label: string }
        | { __typename: 'Post', key: string, label: string }
        | { __typename: 'Priority', key: string, label: string }
        | { __typename: 'Source', key: string, label: string }
        | { __typename: 'State', key: string, label: string }
        | { __typename: 'Tenure', key: string, label: string }
      , provenance: Array<
        | { __typename: 'EditorialNote', reason: string, kind: ProvenanceKind, text: string }
        | { __typename: 'SourceQuote', quote: string, offset: number, kind: ProvenanceKind, text: string, source: { key: string, name: string } }
      > }> } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ProvFragmentDoc = new TypedDocumentString(`
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
    `, {"fragmentName":"Prov"}) as unknown as TypedDocumentString<ProvFragment, unknown>;
export const NameItemFragmentDoc = new TypedDocumentString(`
    fragment NameItem on Name {
  text
  kind
  provenance {
    ...Prov
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}`, {"fragmentName":"NameItem"}) as unknown as TypedDocumentString<NameItemFragment, unknown>;
export const EvidFragmentDoc = new TypedDocumentString(`
    fragment Evid on Evidence {
  field
  provenance {
    ...Prov
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}`, {"fragmentName":"Evid"}) as unknown as TypedDocumentString<EvidFragment, unknown>;
export const RefFragmentDoc = new TypedDocumentString(`
    fragment Ref on Entity {
  __typename
  key
  label
}
    `, {"fragmentName":"Ref"}) as unknown as TypedDocumentString<RefFragment, unknown>;
export const WhenFragmentDoc = new TypedDocumentString(`
    fragment When on PartialDate {
  edtf
  wording
  precision
  isInterval
  startStatus
  endStatus
  earliest
  latest
  provenance {
    ...Prov
  }
  editorialBounds {
    bound
    documentAlone
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}`, {"fragmentName":"When"}) as unknown as TypedDocumentString<WhenFragment, unknown>;
export const TenureItemFragmentDoc = new TypedDocumentString(`
    fragment TenureItem on Tenure {
  ...Ref
  timing
  when {
    ...When
  }
  holder {
    ... on Entity {
      ...Ref
    }
  }
  post {
    ...Ref
    office {
      ...Ref
    }
    state {
      ...Ref
    }
  }
  provenance {
    ...Prov
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
fragment Ref on Entity {
  __typename
  key
  label
}
fragment When on PartialDate {
  edtf
  wording
  precision
  isInterval
  startStatus
  endStatus
  earliest
  latest
  provenance {
    ...Prov
  }
  editorialBounds {
    bound
    documentAlone
  }
}`, {"fragmentName":"TenureItem"}) as unknown as TypedDocumentString<TenureItemFragment, unknown>;
export const EventItemFragmentDoc = new TypedDocumentString(`
    fragment EventItem on Event {
  ...Ref
  when {
    ...When
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
fragment Ref on Entity {
  __typename
  key
  label
}
fragment When on PartialDate {
  edtf
  wording
  precision
  isInterval
  startStatus
  endStatus
  earliest
  latest
  provenance {
    ...Prov
  }
  editorialBounds {
    bound
    documentAlone
  }
}`, {"fragmentName":"EventItem"}) as unknown as TypedDocumentString<EventItemFragment, unknown>;
export const AsOfFragmentDoc = new TypedDocumentString(`
    fragment AsOf on PartialDate {
  edtf
  isInterval
  start {
    year
    month
    day
  }
  end {
    year
    month
    day
  }
  provenance {
    ...Prov
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}`, {"fragmentName":"AsOf"}) as unknown as TypedDocumentString<AsOfFragment, unknown>;
export const HitEntityFragmentDoc = new TypedDocumentString(`
    fragment HitEntity on Entity {
  ...Ref
  ... on Person {
    title
    description
    nationality {
      label
    }
    tenures(first: 2) {
      totalCount
      nodes {
        when {
          edtf
          wording
        }
        post {
          label
        }
      }
    }
  }
  ... on Office {
    officeKind: kind
    description
    officeState: state {
      label
    }
    opening {
      when {
        edtf
        wording
      }
    }
  }
  ... on Event {
    eventKind: kind
    when {
      edtf
      wording
    }
    place {
      label
    }
  }
  ... on Post {
    postKind: kind
    office {
      label
    }
    postState: state {
      label
    }
  }
  ... on Place {
    placeKind: kind
    placeState: state {
      label
    }
  }
  ... on State {
    participatingStateSince {
      edtf
      wording
    }
  }
  ... on Priority {
    priorityKind: kind
    keynote
    priorityPeriod: period {
      edtf
      wording
    }
    priorityAsOf: statedAsOf {
      ...AsOf
    }
    priorityState: state {
      label
    }
    dimension {
      label
    }
  }
  ... on Source {
    updated {
      edtf
    }
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
fragment Ref on Entity {
  __typename
  key
  label
}
fragment AsOf on PartialDate {
  edtf
  isInterval
  start {
    year
    month
    day
  }
  end {
    year
    month
    day
  }
  provenance {
    ...Prov
  }
}`, {"fragmentName":"HitEntity"}) as unknown as TypedDocumentString<HitEntityFragment, unknown>;
export const HitFragmentDoc = new TypedDocumentString(`
    fragment Hit on SearchHit {
  entity {
    ...HitEntity
  }
  matchedName
  matchedNameKind
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
fragment Ref on Entity {
  __typename
  key
  label
}
fragment AsOf on PartialDate {
  edtf
  isInterval
  start {
    year
    month
    day
  }
  end {
    year
    month
    day
  }
  provenance {
    ...Prov
  }
}
fragment HitEntity on Entity {
  ...Ref
  ... on Person {
    title
    description
    nationality {
      label
    }
    tenures(first: 2) {
      totalCount
      nodes {
        when {
          edtf
          wording
        }
        post {
          label
        }
      }
    }
  }
  ... on Office {
    officeKind: kind
    description
    officeState: state {
      label
    }
    opening {
      when {
        edtf
        wording
      }
    }
  }
  ... on Event {
    eventKind: kind
    when {
      edtf
      wording
    }
    place {
      label
    }
  }
  ... on Post {
    postKind: kind
    office {
      label
    }
    postState: state {
      label
    }
  }
  ... on Place {
    placeKind: kind
    placeState: state {
      label
    }
  }
  ... on State {
    participatingStateSince {
      edtf
      wording
    }
  }
  ... on Priority {
    priorityKind: kind
    keynote
    priorityPeriod: period {
      edtf
      wording
    }
    priorityAsOf: statedAsOf {
      ...AsOf
    }
    priorityState: state {
      label
    }
    dimension {
      label
    }
  }
  ... on Source {
    updated {
      edtf
    }
  }
}`, {"fragmentName":"Hit"}) as unknown as TypedDocumentString<HitFragment, unknown>;
export const SuccessionItemFragmentDoc = new TypedDocumentString(`
    fragment SuccessionItem on Succession {
  kind
  predecessor {
    ...Ref
  }
  successor {
    ...Ref
  }
  decidedBy {
    ...Ref
  }
  when {
    ...When
  }
  provenance {
    ...Prov
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
fragment Ref on Entity {
  __typename
  key
  label
}
fragment When on PartialDate {
  edtf
  wording
  precision
  isInterval
  startStatus
  endStatus
  earliest
  latest
  provenance {
    ...Prov
  }
  editorialBounds {
    bound
    documentAlone
  }
}`, {"fragmentName":"SuccessionItem"}) as unknown as TypedDocumentString<SuccessionItemFragment, unknown>;
export const SpanFragmentDoc = new TypedDocumentString(`
    fragment Span on PartialDate {
  edtf
  wording
  precision
  isInterval
  startStatus
  endStatus
  earliest
  latest
  start {
    edtf
    year
    month
    day
    precision
    earliest
    latest
  }
  end {
    edtf
    year
    month
    day
    precision
    earliest
    latest
  }
}
    `, {"fragmentName":"Span"}) as unknown as TypedDocumentString<SpanFragment, unknown>;
export const TenureBarFragmentDoc = new TypedDocumentString(`
    fragment TenureBar on Tenure {
  ...Ref
  timing
  when {
    ...Span
  }
  holder {
    ... on Entity {
      ...Ref
    }
  }
  post {
    ...Ref
    kind
    headsOffice
    office {
      ...Ref
    }
    state {
      ...Ref
    }
  }
}
    fragment Ref on Entity {
  __typename
  key
  label
}
fragment Span on PartialDate {
  edtf
  wording
  precision
  isInterval
  startStatus
  endStatus
  earliest
  latest
  start {
    edtf
    year
    month
    day
    precision
    earliest
    latest
  }
  end {
    edtf
    year
    month
    day
    precision
    earliest
    latest
  }
}`, {"fragmentName":"TenureBar"}) as unknown as TypedDocumentString<TenureBarFragment, unknown>;
export const ExplorerSearchDocument = new TypedDocumentString(`
    query ExplorerSearch($query: String!, $kinds: [SearchableKind!], $after: String) {
  search(query: $query, kinds: $kinds, first: 20, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...Hit
    }
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
fragment Ref on Entity {
  __typename
  key
  label
}
fragment AsOf on PartialDate {
  edtf
  isInterval
  start {
    year
    month
    day
  }
  end {
    year
    month
    day
  }
  provenance {
    ...Prov
  }
}
fragment HitEntity on Entity {
  ...Ref
  ... on Person {
    title
    description
    nationality {
      label
    }
    tenures(first: 2) {
      totalCount
      nodes {
        when {
          edtf
          wording
        }
        post {
          label
        }
      }
    }
  }
  ... on Office {
    officeKind: kind
    description
    officeState: state {
      label
    }
    opening {
      when {
        edtf
        wording
      }
    }
  }
  ... on Event {
    eventKind: kind
    when {
      edtf
      wording
    }
    place {
      label
    }
  }
  ... on Post {
    postKind: kind
    office {
      label
    }
    postState: state {
      label
    }
  }
  ... on Place {
    placeKind: kind
    placeState: state {
      label
    }
  }
  ... on State {
    participatingStateSince {
      edtf
      wording
    }
  }
  ... on Priority {
    priorityKind: kind
    keynote
    priorityPeriod: period {
      edtf
      wording
    }
    priorityAsOf: statedAsOf {
      ...AsOf
    }
    priorityState: state {
      label
    }
    dimension {
      label
    }
  }
  ... on Source {
    updated {
      edtf
    }
  }
}
fragment Hit on SearchHit {
  entity {
    ...HitEntity
  }
  matchedName
  matchedNameKind
}`, {"hash":"sha256:2e9bed0d84bc47568519fe04fce85dd03b50a8a51ba4a6043d9a275a167de19d"}) as unknown as TypedDocumentString<ExplorerSearchQuery, ExplorerSearchQueryVariables>;
export const ExplorerSearchKindCountsDocument = new TypedDocumentString(`
    query ExplorerSearchKindCounts($query: String!) {
  all: search(query: $query, first: 0) {
    totalCount
  }
  state: search(query: $query, kinds: [STATE], first: 0) {
    totalCount
  }
  office: search(query: $query, kinds: [OFFICE], first: 0) {
    totalCount
  }
  person: search(query: $query, kinds: [PERSON], first: 0) {
    totalCount
  }
  post: search(query: $query, kinds: [POST], first: 0) {
    totalCount
  }
  event: search(query: $query, kinds: [EVENT], first: 0) {
    totalCount
  }
  place: search(query: $query, kinds: [PLACE], first: 0) {
    totalCount
  }
  dimension: search(query: $query, kinds: [DIMENSION], first: 0) {
    totalCount
  }
  priority: search(query: $query, kinds: [PRIORITY], first: 0) {
    totalCount
  }
  source: search(query: $query, kinds: [SOURCE], first: 0) {
    totalCount
  }
}
    `, {"hash":"sha256:5f87cd6e08588dd8675c5036df4676778600d1dd9002b7785a9d69f3a7dc1ef6"}) as unknown as TypedDocumentString<ExplorerSearchKindCountsQuery, ExplorerSearchKindCountsQueryVariables>;
export const ExplorerSuggestDocument = new TypedDocumentString(`
    query ExplorerSuggest($query: String!) {
  search(query: $query, first: 8) {
    totalCount
    nodes {
      ...Hit
    }
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
fragment Ref on Entity {
  __typename
  key
  label
}
fragment AsOf on PartialDate {
  edtf
  isInterval
  start {
    year
    month
    day
  }
  end {
    year
    month
    day
  }
  provenance {
    ...Prov
  }
}
fragment HitEntity on Entity {
  ...Ref
  ... on Person {
    title
    description
    nationality {
      label
    }
    tenures(first: 2) {
      totalCount
      nodes {
        when {
          edtf
          wording
        }
        post {
          label
        }
      }
    }
  }
  ... on Office {
    officeKind: kind
    description
    officeState: state {
      label
    }
    opening {
      when {
        edtf
        wording
      }
    }
  }
  ... on Event {
    eventKind: kind
    when {
      edtf
      wording
    }
    place {
      label
    }
  }
  ... on Post {
    postKind: kind
    office {
      label
    }
    postState: state {
      label
    }
  }
  ... on Place {
    placeKind: kind
    placeState: state {
      label
    }
  }
  ... on State {
    participatingStateSince {
      edtf
      wording
    }
  }
  ... on Priority {
    priorityKind: kind
    keynote
    priorityPeriod: period {
      edtf
      wording
    }
    priorityAsOf: statedAsOf {
      ...AsOf
    }
    priorityState: state {
      label
    }
    dimension {
      label
    }
  }
  ... on Source {
    updated {
      edtf
    }
  }
}
fragment Hit on SearchHit {
  entity {
    ...HitEntity
  }
  matchedName
  matchedNameKind
}`, {"hash":"sha256:ea5219bb856123a5cbc132c88a97e2a7d10ed2bb0c09e6af6faf4529b2d9bb5c"}) as unknown as TypedDocumentString<ExplorerSuggestQuery, ExplorerSuggestQueryVariables>;
export const ExplorerBrowseDocument = new TypedDocumentString(`
    query ExplorerBrowse {
  states(first: 100) {
    totalCount
    nodes {
      ...Ref
    }
  }
  offices(first: 100) {
    totalCount
    nodes {
      ...Ref
    }
  }
  persons(first: 100) {
    totalCount
    nodes {
      ...Ref
    }
  }
  posts(first: 100) {
    totalCount
    nodes {
      ...Ref
    }
  }
  tenures(first: 100) {
    totalCount
    nodes {
      ...Ref
    }
  }
  events(first: 100) {
    totalCount
    nodes {
      ...Ref
    }
  }
  places(first: 100) {
    totalCount
    nodes {
      ...Ref
    }
  }
  dimensions(first: 100) {
    totalCount
    nodes {
      ...Ref
    }
  }
  priorities(first: 100) {
    totalCount
    nodes {
      ...Ref
    }
  }
  sources(first: 100) {
    totalCount
    nodes {
      ...Ref
    }
  }
}
    fragment Ref on Entity {
  __typename
  key
  label
}`, {"hash":"sha256:970eee3b3700b606e7ff40ac2505e0d35554c131d820c329dc63e476ba0e6c93"}) as unknown as TypedDocumentString<ExplorerBrowseQuery, ExplorerBrowseQueryVariables>;
export const ExplorerSourceTextDocument = new TypedDocumentString(`
    query ExplorerSourceText($key: String!) {
  source(key: $key) {
    key
    name
    text
    updated {
      edtf
    }
  }
}
    `, {"hash":"sha256:2ab0e4abbb900d8038c0573b1ce3c399e50d666e4d868c90d0b50ea81319956c"}) as unknown as TypedDocumentString<ExplorerSourceTextQuery, ExplorerSourceTextQueryVariables>;
export const StatePageDocument = new TypedDocumentString(`
    query StatePage($key: String!) {
  state(key: $key) {
    ...Ref
    name
    names {
      ...NameItem
    }
    provenance {
      ...Prov
    }
    evidence {
      ...Evid
    }
    participatingStateSince {
      ...When
    }
    cooperatesWith {
      office {
        ...Ref
      }
      provenance {
        ...Prov
      }
      statedAsOf {
        ...AsOf
      }
    }
    offices(first: 50) {
      totalCount
      nodes {
        ...Ref
      }
    }
    persons(first: 50) {
      totalCount
      nodes {
        ...Ref
      }
    }
    places(first: 50) {
      totalCount
      nodes {
        ...Ref
      }
    }
    posts(first: 50) {
      totalCount
      nodes {
        ...Ref
      }
    }
    priorities(first: 50) {
      totalCount
      nodes {
        ...Ref
        keynote
        statedAsOf {
          ...AsOf
        }
        period {
          ...When
        }
      }
    }
    keynote: priorities(filter: {keynote: true}, first: 1) {
      nodes {
        ...Ref
        description
        evidence {
          ...Evid
        }
      }
    }
    tenures(first: 25) {
      totalCount
      nodes {
        ...TenureItem
      }
    }
    events(first: 25) {
      totalCount
      nodes {
        ...EventItem
      }
    }
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
fragment Ref on Entity {
  __typename
  key
  label
}
fragment When on PartialDate {
  edtf
  wording
  precision
  isInterval
  startStatus
  endStatus
  earliest
  latest
  provenance {
    ...Prov
  }
  editorialBounds {
    bound
    documentAlone
  }
}
fragment AsOf on PartialDate {
  edtf
  isInterval
  start {
    year
    month
    day
  }
  end {
    year
    month
    day
  }
  provenance {
    ...Prov
  }
}
fragment NameItem on Name {
  text
  kind
  provenance {
    ...Prov
  }
}
fragment Evid on Evidence {
  field
  provenance {
    ...Prov
  }
}
fragment TenureItem on Tenure {
  ...Ref
  timing
  when {
    ...When
  }
  holder {
    ... on Entity {
      ...Ref
    }
  }
  post {
    ...Ref
    office {
      ...Ref
    }
    state {
      ...Ref
    }
  }
  provenance {
    ...Prov
  }
}
fragment EventItem on Event {
  ...Ref
  when {
    ...When
  }
}`, {"hash":"sha256:1cd56e4efd13e53e305bda7c5e2528fe1f331556be45cedee4ad7a2941d639b0"}) as unknown as TypedDocumentString<StatePageQuery, StatePageQueryVariables>;
export const OfficePageDocument = new TypedDocumentString(`
    query OfficePage($key: String!) {
  office(key: $key) {
    ...Ref
    name
    abbreviation
    kind
    description
    names {
      ...NameItem
    }
    provenance {
      ...Prov
    }
    evidence {
      ...Evid
    }
    state {
      ...Ref
    }
    dimensionLinks {
      dimension {
        ...Ref
      }
      provenance {
        ...Prov
      }
      statedAsOf {
        ...AsOf
      }
    }
    opening {
      ...EventItem
    }
    nameHistory(first: 25) {
      totalCount
      nodes {
        name
        period {
          ...When
        }
        decidedBy {
          ...Ref
        }
        change {
          kind
        }
        provenance {
          ...Prov
        }
      }
    }
    locations(first: 25) {
      totalCount
      nodes {
        place {
          ...Ref
        }
        period {
          ...When
        }
        provenance {
          ...Prov
        }
      }
    }
    cooperatingStates {
      state {
        ...Ref
      }
      provenance {
        ...Prov
      }
      statedAsOf {
        ...AsOf
      }
    }
    posts(first: 50) {
      totalCount
      nodes {
        ...Ref
      }
    }
    tenures(first: 25) {
      totalCount
      nodes {
        ...TenureItem
      }
    }
    events(first: 25) {
      totalCount
      nodes {
        ...EventItem
      }
    }
    currentHead: heads(last: 1) {
      nodes {
        ...Ref
        when {
          ...When
        }
        holder {
          ... on Entity {
            ...Ref
          }
        }
        post {
          ...Ref
        }
      }
    }
    predecessors {
      ...SuccessionItem
    }
    successors {
      ...SuccessionItem
    }
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
fragment Ref on Entity {
  __typename
  key
  label
}
fragment When on PartialDate {
  edtf
  wording
  precision
  isInterval
  startStatus
  endStatus
  earliest
  latest
  provenance {
    ...Prov
  }
  editorialBounds {
    bound
    documentAlone
  }
}
fragment AsOf on PartialDate {
  edtf
  isInterval
  start {
    year
    month
    day
  }
  end {
    year
    month
    day
  }
  provenance {
    ...Prov
  }
}
fragment NameItem on Name {
  text
  kind
  provenance {
    ...Prov
  }
}
fragment Evid on Evidence {
  field
  provenance {
    ...Prov
  }
}
fragment TenureItem on Tenure {
  ...Ref
  timing
  when {
    ...When
  }
  holder {
    ... on Entity {
      ...Ref
    }
  }
  post {
    ...Ref
    office {
      ...Ref
    }
    state {
      ...Ref
    }
  }
  provenance {
    ...Prov
  }
}
fragment EventItem on Event {
  ...Ref
  when {
    ...When
  }
}
fragment SuccessionItem on Succession {
  kind
  predecessor {
    ...Ref
  }
  successor {
    ...Ref
  }
  decidedBy {
    ...Ref
  }
  when {
    ...When
  }
  provenance {
    ...Prov
  }
}`, {"hash":"sha256:c5cfd657f15a05481cc29a83a22403b316be3a7e9cf3310a89ea9e378228bd51"}) as unknown as TypedDocumentString<OfficePageQuery, OfficePageQueryVariables>;
export const PersonPageDocument = new TypedDocumentString(`
    query PersonPage($key: String!) {
  person(key: $key) {
    ...Ref
    name
    title
    description
    names {
      ...NameItem
    }
    provenance {
      ...Prov
    }
    evidence {
      ...Evid
    }
    nationality {
      ...Ref
    }
    tenures(first: 25) {
      totalCount
      nodes {
        ...TenureItem
      }
    }
    events(first: 25) {
      totalCount
      nodes {
        ...EventItem
      }
    }
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
fragment Ref on Entity {
  __typename
  key
  label
}
fragment When on PartialDate {
  edtf
  wording
  precision
  isInterval
  startStatus
  endStatus
  earliest
  latest
  provenance {
    ...Prov
  }
  editorialBounds {
    bound
    documentAlone
  }
}
fragment NameItem on Name {
  text
  kind
  provenance {
    ...Prov
  }
}
fragment Evid on Evidence {
  field
  provenance {
    ...Prov
  }
}
fragment TenureItem on Tenure {
  ...Ref
  timing
  when {
    ...When
  }
  holder {
    ... on Entity {
      ...Ref
    }
  }
  post {
    ...Ref
    office {
      ...Ref
    }
    state {
      ...Ref
    }
  }
  provenance {
    ...Prov
  }
}
fragment EventItem on Event {
  ...Ref
  when {
    ...When
  }
}`, {"hash":"sha256:71cf83fe91fb72ac28f7c3baf0bb510a8b9f67959bed5f73bcbe146dfce711b8"}) as unknown as TypedDocumentString<PersonPageQuery, PersonPageQueryVariables>;
export const PostPageDocument = new TypedDocumentString(`
    query PostPage($key: String!) {
  post(key: $key) {
    ...Ref
    name
    kind
    names {
      ...NameItem
    }
    provenance {
      ...Prov
    }
    evidence {
      ...Evid
    }
    office {
      ...Ref
    }
    state {
      ...Ref
    }
    tenures(first: 25) {
      totalCount
      nodes {
        ...TenureItem
      }
    }
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
fragment Ref on Entity {
  __typename
  key
  label
}
fragment When on PartialDate {
  edtf
  wording
  precision
  isInterval
  startStatus
  endStatus
  earliest
  latest
  provenance {
    ...Prov
  }
  editorialBounds {
    bound
    documentAlone
  }
}
fragment NameItem on Name {
  text
  kind
  provenance {
    ...Prov
  }
}
fragment Evid on Evidence {
  field
  provenance {
    ...Prov
  }
}
fragment TenureItem on Tenure {
  ...Ref
  timing
  when {
    ...When
  }
  holder {
    ... on Entity {
      ...Ref
    }
  }
  post {
    ...Ref
    office {
      ...Ref
    }
    state {
      ...Ref
    }
  }
  provenance {
    ...Prov
  }
}`, {"hash":"sha256:11c086ff33d81bd97801773051e417b393a4ad2b0195f65d8a7b6133455f9106"}) as unknown as TypedDocumentString<PostPageQuery, PostPageQueryVariables>;
export const TenurePageDocument = new TypedDocumentString(`
    query TenurePage($key: String!) {
  tenure(key: $key) {
    ...TenureItem
    events {
      ...EventItem
    }
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
fragment Ref on Entity {
  __typename
  key
  label
}
fragment When on PartialDate {
  edtf
  wording
  precision
  isInterval
  startStatus
  endStatus
  earliest
  latest
  provenance {
    ...Prov
  }
  editorialBounds {
    bound
    documentAlone
  }
}
fragment TenureItem on Tenure {
  ...Ref
  timing
  when {
    ...When
  }
  holder {
    ... on Entity {
      ...Ref
    }
  }
  post {
    ...Ref
    office {
      ...Ref
    }
    state {
      ...Ref
    }
  }
  provenance {
    ...Prov
  }
}
fragment EventItem on Event {
  ...Ref
  when {
    ...When
  }
}`, {"hash":"sha256:bcaa69037cdd57e94b83656a0bb3a0950b3456c2a8f3470f241ab34222e36c91"}) as unknown as TypedDocumentString<TenurePageQuery, TenurePageQueryVariables>;
export const EventPageDocument = new TypedDocumentString(`
    query EventPage($key: String!) {
  event(key: $key) {
    ...Ref
    name
    kind
    description
    names {
      ...NameItem
    }
    provenance {
      ...Prov
    }
    evidence {
      ...Evid
    }
    when {
      ...When
    }
    place {
      ...Ref
    }
    participants(first: 25) {
      totalCount
      nodes {
        role
        entity {
          ...Ref
        }
        capacity {
          ...Ref
          post {
            ...Ref
          }
          timing
        }
        provenance {
          ...Prov
        }
      }
    }
    officeNamesGiven {
      name
      office {
        ...Ref
      }
      period {
        ...When
      }
      provenance {
        ...Prov
      }
    }
    successionsDecided {
      ...SuccessionItem
    }
  }
  partOf: events(filter: {participant: {entity: {eq: $key}}}, first: 25) {
    totalCount
    nodes {
      ...EventItem
      participants(filter: {entity: {eq: $key}}, first: 1) {
        nodes {
          role
          provenance {
            ...Prov
          }
        }
      }
    }
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
fragment Ref on Entity {
  __typename
  key
  label
}
fragment When on PartialDate {
  edtf
  wording
  precision
  isInterval
  startStatus
  endStatus
  earliest
  latest
  provenance {
    ...Prov
  }
  editorialBounds {
    bound
    documentAlone
  }
}
fragment NameItem on Name {
  text
  kind
  provenance {
    ...Prov
  }
}
fragment Evid on Evidence {
  field
  provenance {
    ...Prov
  }
}
fragment EventItem on Event {
  ...Ref
  when {
    ...When
  }
}
fragment SuccessionItem on Succession {
  kind
  predecessor {
    ...Ref
  }
  successor {
    ...Ref
  }
  decidedBy {
    ...Ref
  }
  when {
    ...When
  }
  provenance {
    ...Prov
  }
}`, {"hash":"sha256:44a4fd6a070588017414b2d02f21a2fa2c5aad220663f78174ea527f27246220"}) as unknown as TypedDocumentString<EventPageQuery, EventPageQueryVariables>;
export const PlacePageDocument = new TypedDocumentString(`
    query PlacePage($key: String!) {
  place(key: $key) {
    ...Ref
    name
    kind
    names {
      ...NameItem
    }
    provenance {
      ...Prov
    }
    evidence {
      ...Evid
    }
    state {
      ...Ref
    }
    offices(first: 50) {
      totalCount
      edges {
        node {
          ...Ref
        }
        nameWhileHere {
          text
          certainty
        }
      }
    }
    events(first: 25) {
      totalCount
      nodes {
        ...EventItem
      }
    }
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
fragment Ref on Entity {
  __typename
  key
  label
}
fragment When on PartialDate {
  edtf
  wording
  precision
  isInterval
  startStatus
  endStatus
  earliest
  latest
  provenance {
    ...Prov
  }
  editorialBounds {
    bound
    documentAlone
  }
}
fragment NameItem on Name {
  text
  kind
  provenance {
    ...Prov
  }
}
fragment Evid on Evidence {
  field
  provenance {
    ...Prov
  }
}
fragment EventItem on Event {
  ...Ref
  when {
    ...When
  }
}`, {"hash":"sha256:692c71563e33d9b7ce4d55bd0a931a870c5aae9b042ded02a27d37c7e84fefeb"}) as unknown as TypedDocumentString<PlacePageQuery, PlacePageQueryVariables>;
export const DimensionPageDocument = new TypedDocumentString(`
    query DimensionPage($key: String!) {
  dimension(key: $key) {
    ...Ref
    name
    names {
      ...NameItem
    }
    provenance {
      ...Prov
    }
    evidence {
      ...Evid
    }
    offices(first: 50) {
      totalCount
      edges {
        node {
          ...Ref
        }
        provenance {
          ...Prov
        }
        statedAsOf {
          ...AsOf
        }
      }
    }
    priorities(first: 50) {
      totalCount
      nodes {
        ...Ref
        statedAsOf {
          ...AsOf
        }
        evidence {
          ...Evid
        }
      }
    }
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
fragment Ref on Entity {
  __typename
  key
  label
}
fragment AsOf on PartialDate {
  edtf
  isInterval
  start {
    year
    month
    day
  }
  end {
    year
    month
    day
  }
  provenance {
    ...Prov
  }
}
fragment NameItem on Name {
  text
  kind
  provenance {
    ...Prov
  }
}
fragment Evid on Evidence {
  field
  provenance {
    ...Prov
  }
}`, {"hash":"sha256:2a9ee82860bacb385dbd790b33647c5996073dfa38f6c848fbc932cd29c6f507"}) as unknown as TypedDocumentString<DimensionPageQuery, DimensionPageQueryVariables>;
export const PriorityPageDocument = new TypedDocumentString(`
    query PriorityPage($key: String!) {
  priority(key: $key) {
    ...Ref
    name
    names {
      ...NameItem
    }
    provenance {
      ...Prov
    }
    evidence {
      ...Evid
    }
    kind
    keynote
    description
    period {
      ...When
    }
    statedAsOf {
      ...AsOf
    }
    state {
      ...Ref
    }
    dimension {
      ...Ref
    }
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
fragment Ref on Entity {
  __typename
  key
  label
}
fragment When on PartialDate {
  edtf
  wording
  precision
  isInterval
  startStatus
  endStatus
  earliest
  latest
  provenance {
    ...Prov
  }
  editorialBounds {
    bound
    documentAlone
  }
}
fragment AsOf on PartialDate {
  edtf
  isInterval
  start {
    year
    month
    day
  }
  end {
    year
    month
    day
  }
  provenance {
    ...Prov
  }
}
fragment NameItem on Name {
  text
  kind
  provenance {
    ...Prov
  }
}
fragment Evid on Evidence {
  field
  provenance {
    ...Prov
  }
}`, {"hash":"sha256:e945089950ca95aa54c43303138493909ec443353f026a579b8093957a917e95"}) as unknown as TypedDocumentString<PriorityPageQuery, PriorityPageQueryVariables>;
export const SourcePageDocument = new TypedDocumentString(`
    query SourcePage($key: String!) {
  source(key: $key) {
    ...Ref
    name
    file
    text
    provenance {
      ...Prov
    }
    created {
      ...When
    }
    updated {
      ...When
    }
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
fragment Ref on Entity {
  __typename
  key
  label
}
fragment When on PartialDate {
  edtf
  wording
  precision
  isInterval
  startStatus
  endStatus
  earliest
  latest
  provenance {
    ...Prov
  }
  editorialBounds {
    bound
    documentAlone
  }
}`, {"hash":"sha256:65923bfe0b9c2235fc747ad608d38dcf7ea06ec33121a41c44b82b22e00e86c7"}) as unknown as TypedDocumentString<SourcePageQuery, SourcePageQueryVariables>;
export const ExplorerSourcesUpdatedDocument = new TypedDocumentString(`
    query ExplorerSourcesUpdated {
  sources(first: 100) {
    nodes {
      key
      name
      updated {
        edtf
        latest
      }
    }
  }
}
    `, {"hash":"sha256:5cece31cd93d06d53b76916fe57919a7289ad049e78b4cd98de60a3fa1c5218f"}) as unknown as TypedDocumentString<ExplorerSourcesUpdatedQuery, ExplorerSourcesUpdatedQueryVariables>;
export const ExplorerTimelineDocument = new TypedDocumentString(`
    query ExplorerTimeline($filter: TimelineFilter, $after: String) {
  timeline(filter: $filter, first: 100, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      kind
      label
      date {
        ...Span
      }
      subject {
        ...Ref
      }
      event {
        key
      }
      tenure {
        ...Ref
        timing
        when {
          ...Span
        }
      }
      officeName {
        name
        period {
          ...Span
        }
      }
      officeLocation {
        place {
          ...Ref
        }
        period {
          ...Span
        }
      }
    }
  }
}
    fragment Ref on Entity {
  __typename
  key
  label
}
fragment Span on PartialDate {
  edtf
  wording
  precision
  isInterval
  startStatus
  endStatus
  earliest
  latest
  start {
    edtf
    year
    month
    day
    precision
    earliest
    latest
  }
  end {
    edtf
    year
    month
    day
    precision
    earliest
    latest
  }
}`, {"hash":"sha256:ef7cb5773d271bebece75c3a1515f98bc0c44274624489bf9996088fbc8b83bf"}) as unknown as TypedDocumentString<ExplorerTimelineQuery, ExplorerTimelineQueryVariables>;
export const ExplorerOfficesTenuresDocument = new TypedDocumentString(`
    query ExplorerOfficesTenures($asOf: String, $certainty: [Certainty!], $after: String) {
  tenures(first: 100, after: $after, asOf: $asOf, certainty: $certainty) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      certainty
      node {
        ...TenureBar
      }
    }
  }
}
    fragment Ref on Entity {
  __typename
  key
  label
}
fragment Span on PartialDate {
  edtf
  wording
  precision
  isInterval
  startStatus
  endStatus
  earliest
  latest
  start {
    edtf
    year
    month
    day
    precision
    earliest
    latest
  }
  end {
    edtf
    year
    month
    day
    precision
    earliest
    latest
  }
}
fragment TenureBar on Tenure {
  ...Ref
  timing
  when {
    ...Span
  }
  holder {
    ... on Entity {
      ...Ref
    }
  }
  post {
    ...Ref
    kind
    headsOffice
    office {
      ...Ref
    }
    state {
      ...Ref
    }
  }
}`, {"hash":"sha256:fb0e02341805e5d59ddcb5d59c6440396e465bd9441673bff27562c8f9342011"}) as unknown as TypedDocumentString<ExplorerOfficesTenuresQuery, ExplorerOfficesTenuresQueryVariables>;
export const ExplorerOfficesNamesDocument = new TypedDocumentString(`
    query ExplorerOfficesNames($asOf: String) {
  offices(first: 100) {
    totalCount
    nodes {
      ...Ref
      nameHistory(first: 5, asOf: $asOf) {
        edges {
          certainty
          node {
            name
          }
        }
      }
    }
  }
  states(first: 100) {
    nodes {
      ...Ref
    }
  }
}
    fragment Ref on Entity {
  __typename
  key
  label
}`, {"hash":"sha256:cc8c39d6fad5dabe590ae2d2bd966013207250b7dee72e3c8dbd24ea7ca9e69a"}) as unknown as TypedDocumentString<ExplorerOfficesNamesQuery, ExplorerOfficesNamesQueryVariables>;
export const ExplorerPathDocument = new TypedDocumentString(`
    query ExplorerPath($from: String!, $to: String!) {
  path(from: $from, to: $to, maxLength: 6) {
    length
    entities {
      ...Ref
    }
    hops {
      from {
        ...Ref
      }
      to {
        ...Ref
      }
      relation
      direction
      label
      provenance {
        ...Prov
      }
    }
  }
}
    fragment Prov on Provenance {
  __typename
  kind
  text
  ... on SourceQuote {
    quote
    offset
    source {
      key
      name
    }
  }
  ... on EditorialNote {
    reason
  }
}
fragment Ref on Entity {
  __typename
  key
  label
}`, {"hash":"sha256:0e804ede6c65b63ec43b4eb44f3261f75b9462e6b47283f5563f003873d1ae20"}) as unknown as TypedDocumentString<ExplorerPathQuery, ExplorerPathQueryVariables>;