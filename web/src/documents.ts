/**
 * Every GraphQL document the explorer sends, in one place: `npm run codegen` turns them into typed
 * documents in ./gql/. When the API changes (typed `filter`/`orderBy`, paging limits), this is the
 * file to adapt.
 *
 * Lists are fetched without filter arguments and with `first: 100` at most; a view that gets fewer
 * entries than `totalCount` says so. The server refuses an operation whose estimated cost is above
 * its limit (docs/operations.md, "Limits": a connection multiplies what is inside it by its page
 * size), so the entity pages ask for smaller pages (50 links, 25 tenures or events with their dates and sources)
 * and the offices view pages through one flat list instead of nesting lists in lists.
 * tests/web/document-costs.test.ts keeps every document here within the default limit.
 */
import { graphql } from "./gql/index.js";

// Shared selections -------------------------------------------------------------------------

graphql(`
  fragment Prov on Provenance {
    __typename
    kind
    text
    ... on SourceQuote {
      quote
      offset
      source { key name }
    }
    ... on EditorialNote { reason }
  }
`);

graphql(`
  fragment Ref on Entity {
    __typename
    key
    label
  }
`);

graphql(`
  fragment When on PartialDate {
    edtf
    wording
    precision
    isInterval
    startStatus
    endStatus
    earliest
    latest
    provenance { ...Prov }
    editorialBounds { bound documentAlone }
  }
`);

/**
 * The date as of which the source states a fact it gives no date of its own (`statedAsOf`: its last
 * update), with what "as of March 18, 2016" is written from and the quote that dates it.
 */
graphql(`
  fragment AsOf on PartialDate {
    edtf
    isInterval
    start { year month day }
    end { year month day }
    provenance { ...Prov }
  }
`);

graphql(`
  fragment NameItem on Name {
    text
    kind
    provenance { ...Prov }
  }
`);

graphql(`
  fragment Evid on Evidence {
    field
    provenance { ...Prov }
  }
`);

graphql(`
  fragment TenureItem on Tenure {
    ...Ref
    timing
    when { ...When }
    holder { ... on Entity { ...Ref } }
    post {
      ...Ref
      office { ...Ref }
      state { ...Ref }
    }
    provenance { ...Prov }
  }
`);

graphql(`
  fragment EventItem on Event {
    ...Ref
    when { ...When }
  }
`);

// Search and browsing ------------------------------------------------------------------------

/**
 * What a search hit shows besides its name: the fields each kind has that say in a line what it is
 * and when (the client derives a one-line description and dates from them, see `hitSummary`).
 */
graphql(`
  fragment HitEntity on Entity {
    ...Ref
    ... on Person {
      title
      description
      nationality { label }
      tenures(first: 2) { totalCount nodes { when { edtf wording } post { label } } }
    }
    ... on Office { officeKind: kind description officeState: state { label } opening { when { edtf wording } } }
    ... on Event { eventKind: kind when { edtf wording } place { label } }
    ... on Post { postKind: kind office { label } postState: state { label } }
    ... on Place { placeKind: kind placeState: state { label } }
    ... on State { participatingStateSince { edtf wording } }
    ... on Priority {
      priorityKind: kind
      keynote
      priorityPeriod: period { edtf wording }
      # with the quote that dates it: a hit says "as of" only beside it (review of session 33)
      priorityAsOf: statedAsOf { ...AsOf }
      priorityState: state { label }
      dimension { label }
    }
    ... on Source { updated { edtf } }
  }
`);

graphql(`
  fragment Hit on SearchHit {
    entity { ...HitEntity }
    matchedName
    matchedNameKind
  }
`);

/** One page of search results (the view pages on with `after`), of the kinds chosen or all. */
export const SearchDocument = graphql(`
  query ExplorerSearch($query: String!, $kinds: [SearchableKind!], $after: String) {
    search(query: $query, kinds: $kinds, first: 20, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ...Hit }
    }
  }
`);

/** How many hits of each kind a search has: the counts of the kind filter. */
export const SearchKindCountsDocument = graphql(`
  query ExplorerSearchKindCounts($query: String!) {
    all: search(query: $query, first: 0) { totalCount }
    state: search(query: $query, kinds: [STATE], first: 0) { totalCount }
    office: search(query: $query, kinds: [OFFICE], first: 0) { totalCount }
    person: search(query: $query, kinds: [PERSON], first: 0) { totalCount }
    post: search(query: $query, kinds: [POST], first: 0) { totalCount }
    event: search(query: $query, kinds: [EVENT], first: 0) { totalCount }
    place: search(query: $query, kinds: [PLACE], first: 0) { totalCount }
    dimension: search(query: $query, kinds: [DIMENSION], first: 0) { totalCount }
    priority: search(query: $query, kinds: [PRIORITY], first: 0) { totalCount }
    source: search(query: $query, kinds: [SOURCE], first: 0) { totalCount }
  }
`);

/** The suggestions under the search box while typing: the best few. */
export const SuggestDocument = graphql(`
  query ExplorerSuggest($query: String!) {
    search(query: $query, first: 8) {
      totalCount
      nodes { ...Hit }
    }
  }
`);

export const BrowseDocument = graphql(`
  query ExplorerBrowse {
    states(first: 100) { totalCount nodes { ...Ref } }
    offices(first: 100) { totalCount nodes { ...Ref } }
    persons(first: 100) { totalCount nodes { ...Ref } }
    posts(first: 100) { totalCount nodes { ...Ref } }
    tenures(first: 100) { totalCount nodes { ...Ref } }
    events(first: 100) { totalCount nodes { ...Ref } }
    places(first: 100) { totalCount nodes { ...Ref } }
    dimensions(first: 100) { totalCount nodes { ...Ref } }
    priorities(first: 100) { totalCount nodes { ...Ref } }
    sources(first: 100) { totalCount nodes { ...Ref } }
  }
`);

/** The text of a source, to show a quote in its context. */
export const SourceTextDocument = graphql(`
  query ExplorerSourceText($key: String!) {
    source(key: $key) {
      key
      name
      text
      updated { edtf }
    }
  }
`);

// One page per kind of entity ----------------------------------------------------------------

export const StatePageDocument = graphql(`
  query StatePage($key: String!) {
    state(key: $key) {
      ...Ref
      name
      names { ...NameItem }
      provenance { ...Prov }
      evidence { ...Evid }
      participatingStateSince { ...When }
      cooperatesWith { office { ...Ref } provenance { ...Prov } statedAsOf { ...AsOf } }
      offices(first: 50) { totalCount nodes { ...Ref } }
      persons(first: 50) { totalCount nodes { ...Ref } }
      places(first: 50) { totalCount nodes { ...Ref } }
      posts(first: 50) { totalCount nodes { ...Ref } }
      priorities(first: 50) {
        totalCount
        nodes { ...Ref keynote statedAsOf { ...AsOf } period { ...When } }
      }
      # the one the source calls the keynote of its activities, with what says so
      keynote: priorities(filter: { keynote: true }, first: 1) {
        nodes { ...Ref description evidence { ...Evid } }
      }
      tenures(first: 25) { totalCount nodes { ...TenureItem } }
      events(first: 25) { totalCount nodes { ...EventItem } }
    }
  }
`);

graphql(`
  fragment SuccessionItem on Succession {
    kind
    predecessor { ...Ref }
    successor { ...Ref }
    decidedBy { ...Ref }
    when { ...When }
    provenance { ...Prov }
  }
`);

export const OfficePageDocument = graphql(`
  query OfficePage($key: String!) {
    office(key: $key) {
      ...Ref
      name
      abbreviation
      kind
      description
      names { ...NameItem }
      provenance { ...Prov }
      evidence { ...Evid }
      state { ...Ref }
      dimensionLinks { dimension { ...Ref } provenance { ...Prov } statedAsOf { ...AsOf } }
      opening { ...EventItem }
      nameHistory(first: 25) {
        totalCount
        nodes {
          name
          period { ...When }
          decidedBy { ...Ref }
          change { kind }
          provenance { ...Prov }
        }
      }
      locations(first: 25) {
        totalCount
        nodes {
          place { ...Ref }
          period { ...When }
          provenance { ...Prov }
        }
      }
      cooperatingStates { state { ...Ref } provenance { ...Prov } statedAsOf { ...AsOf } }
      posts(first: 50) { totalCount nodes { ...Ref } }
      tenures(first: 25) { totalCount nodes { ...TenureItem } }
      events(first: 25) { totalCount nodes { ...EventItem } }
      currentHead: heads(last: 1) { nodes { ...Ref when { ...When } holder { ... on Entity { ...Ref } } post { ...Ref } } }
      predecessors { ...SuccessionItem }
      successors { ...SuccessionItem }
    }
  }
`);

export const PersonPageDocument = graphql(`
  query PersonPage($key: String!) {
    person(key: $key) {
      ...Ref
      name
      title
      description
      names { ...NameItem }
      provenance { ...Prov }
      evidence { ...Evid }
      nationality { ...Ref }
      tenures(first: 25) { totalCount nodes { ...TenureItem } }
      events(first: 25) { totalCount nodes { ...EventItem } }
    }
  }
`);

export const PostPageDocument = graphql(`
  query PostPage($key: String!) {
    post(key: $key) {
      ...Ref
      name
      kind
      names { ...NameItem }
      provenance { ...Prov }
      evidence { ...Evid }
      office { ...Ref }
      state { ...Ref }
      tenures(first: 25) { totalCount nodes { ...TenureItem } }
    }
  }
`);

export const TenurePageDocument = graphql(`
  query TenurePage($key: String!) {
    tenure(key: $key) {
      ...TenureItem
      events { ...EventItem }
    }
  }
`);

export const EventPageDocument = graphql(`
  query EventPage($key: String!) {
    event(key: $key) {
      ...Ref
      name
      kind
      description
      names { ...NameItem }
      provenance { ...Prov }
      evidence { ...Evid }
      when { ...When }
      place { ...Ref }
      participants(first: 25) {
        totalCount
        nodes {
          role
          entity { ...Ref }
          capacity { ...Ref post { ...Ref } timing }
          provenance { ...Prov }
        }
      }
      officeNamesGiven {
        name
        office { ...Ref }
        period { ...When }
        provenance { ...Prov }
      }
      successionsDecided { ...SuccessionItem }
    }
    # the other side of "took part in": the events in which this event is a participant (the
    # meeting that decided it), with its role there
    partOf: events(filter: { participant: { entity: { eq: $key } } }, first: 25) {
      totalCount
      nodes {
        ...EventItem
        participants(filter: { entity: { eq: $key } }, first: 1) { nodes { role provenance { ...Prov } } }
      }
    }
  }
`);

export const PlacePageDocument = graphql(`
  query PlacePage($key: String!) {
    place(key: $key) {
      ...Ref
      name
      kind
      names { ...NameItem }
      provenance { ...Prov }
      evidence { ...Evid }
      state { ...Ref }
      offices(first: 50) {
        totalCount
        edges { node { ...Ref } nameWhileHere { text certainty } }
      }
      events(first: 25) { totalCount nodes { ...EventItem } }
    }
  }
`);

export const DimensionPageDocument = graphql(`
  query DimensionPage($key: String!) {
    dimension(key: $key) {
      ...Ref
      name
      names { ...NameItem }
      provenance { ...Prov }
      evidence { ...Evid }
      offices(first: 50) {
        totalCount
        edges { node { ...Ref } provenance { ...Prov } statedAsOf { ...AsOf } }
      }
      # each with what places it in the dimension (its evidence of the field "dimension")
      priorities(first: 50) { totalCount nodes { ...Ref statedAsOf { ...AsOf } evidence { ...Evid } } }
    }
  }
`);

export const PriorityPageDocument = graphql(`
  query PriorityPage($key: String!) {
    priority(key: $key) {
      ...Ref
      name
      names { ...NameItem }
      provenance { ...Prov }
      evidence { ...Evid }
      kind
      keynote
      description
      period { ...When }
      statedAsOf { ...AsOf }
      state { ...Ref }
      dimension { ...Ref }
    }
  }
`);

export const SourcePageDocument = graphql(`
  query SourcePage($key: String!) {
    source(key: $key) {
      ...Ref
      name
      file
      text
      provenance { ...Prov }
      created { ...When }
      updated { ...When }
    }
  }
`);

// Time views: the timeline and "who headed which office" -------------------------------------

/** A partial date with what the time axis needs to draw it: each end's first and last possible day. */
graphql(`
  fragment Span on PartialDate {
    edtf
    wording
    precision
    isInterval
    startStatus
    endStatus
    earliest
    latest
    start { edtf year month day precision earliest latest }
    end { edtf year month day precision earliest latest }
  }
`);

/** When each source was last updated: an open end is only known to run until then. */
export const SourcesUpdatedDocument = graphql(`
  query ExplorerSourcesUpdated {
    sources(first: 100) {
      nodes { key name updated { edtf latest } }
    }
  }
`);

/**
 * One page of the timeline (the view pages through with `after`); `filter` carries the period,
 * the kinds and the entity chosen in the URL.
 */
export const TimelineDocument = graphql(`
  query ExplorerTimeline($filter: TimelineFilter, $after: String) {
    timeline(filter: $filter, first: 100, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        kind
        label
        date { ...Span }
        subject { ...Ref }
        event { key }
        tenure { ...Ref timing when { ...Span } }
        officeName { name period { ...Span } }
        officeLocation { place { ...Ref } period { ...Span } }
      }
    }
  }
`);

graphql(`
  fragment TenureBar on Tenure {
    ...Ref
    timing
    when { ...Span }
    holder { ... on Entity { ...Ref } }
    post {
      ...Ref
      kind
      headsOffice
      office { ...Ref }
      state { ...Ref }
    }
  }
`);

/**
 * One page of every tenure (the view pages through with `after`); with `asOf`, the API says how
 * certainly each tenure held on that date (`certainty: [YES, MAYBE, NO]` returns all three).
 * Without a date both arguments are null and no edge has a certainty. The view groups the tenures
 * by their post's office (or state, for a state's own post): one flat page keeps the cost to what
 * is shown, where nesting tenures in offices in states would multiply the page sizes.
 */
export const OfficesTenuresDocument = graphql(`
  query ExplorerOfficesTenures($asOf: String, $certainty: [Certainty!], $after: String) {
    tenures(first: 100, after: $after, asOf: $asOf, certainty: $certainty) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { certainty node { ...TenureBar } }
    }
  }
`);

/**
 * The order of the offices and states, and the names each office bore on the as-of date (without a
 * date `asOf` is null and no edge has a certainty). An office has had a handful of names: five
 * are plenty, and keep this query small.
 */
export const OfficesNamesDocument = graphql(`
  query ExplorerOfficesNames($asOf: String) {
    offices(first: 100) {
      totalCount
      nodes {
        ...Ref
        nameHistory(first: 5, asOf: $asOf) {
          edges { certainty node { name } }
        }
      }
    }
    states(first: 100) {
      nodes { ...Ref }
    }
  }
`);

// The graph view: how two entities are connected ----------------------------------------------

/** The shortest chain of stated relations between two entities, each hop with its provenance. */
export const PathDocument = graphql(`
  query ExplorerPath($from: String!, $to: String!) {
    path(from: $from, to: $to, maxLength: 6) {
      length
      entities { ...Ref }
      hops {
        from { ...Ref }
        to { ...Ref }
        relation
        direction
        label
        provenance { ...Prov }
      }
    }
  }
`);
