/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment Prov on Provenance {\n    __typename\n    kind\n    text\n    ... on SourceQuote {\n      quote\n      offset\n      source { key name }\n    }\n    ... on EditorialNote { reason }\n  }\n": typeof types.ProvFragmentDoc,
    "\n  fragment Ref on Entity {\n    __typename\n    key\n    label\n  }\n": typeof types.RefFragmentDoc,
    "\n  fragment When on PartialDate {\n    edtf\n    wording\n    precision\n    isInterval\n    startStatus\n    endStatus\n    earliest\n    latest\n    provenance { ...Prov }\n  }\n": typeof types.WhenFragmentDoc,
    "\n  fragment NameItem on Name {\n    text\n    kind\n    provenance { ...Prov }\n  }\n": typeof types.NameItemFragmentDoc,
    "\n  fragment Evid on Evidence {\n    field\n    provenance { ...Prov }\n  }\n": typeof types.EvidFragmentDoc,
    "\n  fragment TenureItem on Tenure {\n    ...Ref\n    timing\n    when { ...When }\n    holder { ... on Entity { ...Ref } }\n    post {\n      ...Ref\n      office { ...Ref }\n      state { ...Ref }\n    }\n    provenance { ...Prov }\n  }\n": typeof types.TenureItemFragmentDoc,
    "\n  fragment EventItem on Event {\n    ...Ref\n    when { ...When }\n  }\n": typeof types.EventItemFragmentDoc,
    "\n  fragment HitEntity on Entity {\n    ...Ref\n    ... on Person {\n      title\n      description\n      nationality { label }\n      tenures(first: 2) { totalCount nodes { when { edtf wording } post { label } } }\n    }\n    ... on Office { officeKind: kind description officeState: state { label } opening { when { edtf wording } } }\n    ... on Event { eventKind: kind when { edtf wording } place { label } }\n    ... on Post { postKind: kind office { label } postState: state { label } }\n    ... on Place { placeKind: kind placeState: state { label } }\n    ... on State { participatingStateSince { edtf wording } }\n    ... on Priority { priorityKind: kind priorityPeriod: period { edtf wording } priorityState: state { label } dimension { label } }\n    ... on Source { updated { edtf } }\n  }\n": typeof types.HitEntityFragmentDoc,
    "\n  fragment Hit on SearchHit {\n    entity { ...HitEntity }\n    matchedName\n    matchedNameKind\n  }\n": typeof types.HitFragmentDoc,
    "\n  query ExplorerSearch($query: String!, $kinds: [SearchableKind!], $after: String) {\n    search(query: $query, kinds: $kinds, first: 20, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { ...Hit }\n    }\n  }\n": typeof types.ExplorerSearchDocument,
    "\n  query ExplorerSearchKindCounts($query: String!) {\n    all: search(query: $query, first: 0) { totalCount }\n    state: search(query: $query, kinds: [STATE], first: 0) { totalCount }\n    office: search(query: $query, kinds: [OFFICE], first: 0) { totalCount }\n    person: search(query: $query, kinds: [PERSON], first: 0) { totalCount }\n    post: search(query: $query, kinds: [POST], first: 0) { totalCount }\n    event: search(query: $query, kinds: [EVENT], first: 0) { totalCount }\n    place: search(query: $query, kinds: [PLACE], first: 0) { totalCount }\n    dimension: search(query: $query, kinds: [DIMENSION], first: 0) { totalCount }\n    priority: search(query: $query, kinds: [PRIORITY], first: 0) { totalCount }\n    source: search(query: $query, kinds: [SOURCE], first: 0) { totalCount }\n  }\n": typeof types.ExplorerSearchKindCountsDocument,
    "\n  query ExplorerSuggest($query: String!) {\n    search(query: $query, first: 8) {\n      totalCount\n      nodes { ...Hit }\n    }\n  }\n": typeof types.ExplorerSuggestDocument,
    "\n  query ExplorerBrowse {\n    states(first: 100) { totalCount nodes { ...Ref } }\n    offices(first: 100) { totalCount nodes { ...Ref } }\n    persons(first: 100) { totalCount nodes { ...Ref } }\n    posts(first: 100) { totalCount nodes { ...Ref } }\n    tenures(first: 100) { totalCount nodes { ...Ref } }\n    events(first: 100) { totalCount nodes { ...Ref } }\n    places(first: 100) { totalCount nodes { ...Ref } }\n    dimensions(first: 100) { totalCount nodes { ...Ref } }\n    priorities(first: 100) { totalCount nodes { ...Ref } }\n    sources(first: 100) { totalCount nodes { ...Ref } }\n  }\n": typeof types.ExplorerBrowseDocument,
    "\n  query ExplorerSourceText($key: String!) {\n    source(key: $key) {\n      key\n      name\n      text\n      updated { edtf }\n    }\n  }\n": typeof types.ExplorerSourceTextDocument,
    "\n  query StatePage($key: String!) {\n    state(key: $key) {\n      ...Ref\n      name\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      participatingStateSince { ...When }\n      cooperatesWith { office { ...Ref } provenance { ...Prov } }\n      offices(first: 50) { totalCount nodes { ...Ref } }\n      persons(first: 50) { totalCount nodes { ...Ref } }\n      places(first: 50) { totalCount nodes { ...Ref } }\n      posts(first: 50) { totalCount nodes { ...Ref } }\n      priorities(first: 50) { totalCount nodes { ...Ref } }\n      tenures(first: 25) { totalCount nodes { ...TenureItem } }\n      events(first: 25) { totalCount nodes { ...EventItem } }\n    }\n  }\n": typeof types.StatePageDocument,
    "\n  fragment SuccessionItem on Succession {\n    kind\n    predecessor { ...Ref }\n    successor { ...Ref }\n    decidedBy { ...Ref }\n    when { ...When }\n    provenance { ...Prov }\n  }\n": typeof types.SuccessionItemFragmentDoc,
    "\n  query OfficePage($key: String!) {\n    office(key: $key) {\n      ...Ref\n      name\n      abbreviation\n      kind\n      description\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      state { ...Ref }\n      dimensions { ...Ref }\n      opening { ...EventItem }\n      nameHistory(first: 25) {\n        totalCount\n        nodes {\n          name\n          period { ...When }\n          decidedBy { ...Ref }\n          change { kind }\n          provenance { ...Prov }\n        }\n      }\n      locations(first: 25) {\n        totalCount\n        nodes {\n          place { ...Ref }\n          period { ...When }\n          provenance { ...Prov }\n        }\n      }\n      cooperatingStates { state { ...Ref } provenance { ...Prov } }\n      posts(first: 50) { totalCount nodes { ...Ref } }\n      tenures(first: 25) { totalCount nodes { ...TenureItem } }\n      events(first: 25) { totalCount nodes { ...EventItem } }\n      currentHead: heads(last: 1) { nodes { ...Ref when { ...When } holder { ... on Entity { ...Ref } } post { ...Ref } } }\n      predecessors { ...SuccessionItem }\n      successors { ...SuccessionItem }\n    }\n  }\n": typeof types.OfficePageDocument,
    "\n  query PersonPage($key: String!) {\n    person(key: $key) {\n      ...Ref\n      name\n      title\n      description\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      nationality { ...Ref }\n      tenures(first: 25) { totalCount nodes { ...TenureItem } }\n      events(first: 25) { totalCount nodes { ...EventItem } }\n    }\n  }\n": typeof types.PersonPageDocument,
    "\n  query PostPage($key: String!) {\n    post(key: $key) {\n      ...Ref\n      name\n      kind\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      office { ...Ref }\n      state { ...Ref }\n      tenures(first: 25) { totalCount nodes { ...TenureItem } }\n    }\n  }\n": typeof types.PostPageDocument,
    "\n  query TenurePage($key: String!) {\n    tenure(key: $key) {\n      ...TenureItem\n      events { ...EventItem }\n    }\n  }\n": typeof types.TenurePageDocument,
    "\n  query EventPage($key: String!) {\n    event(key: $key) {\n      ...Ref\n      name\n      kind\n      description\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      when { ...When }\n      place { ...Ref }\n      participants(first: 25) {\n        totalCount\n        nodes {\n          role\n          entity { ...Ref }\n          capacity { ...Ref post { ...Ref } timing }\n          provenance { ...Prov }\n        }\n      }\n      officeNamesGiven {\n        name\n        office { ...Ref }\n        period { ...When }\n        provenance { ...Prov }\n      }\n      successionsDecided { ...SuccessionItem }\n    }\n    # the other side of \"took part in\": the events in which this event is a participant (the\n    # meeting that decided it), with its role there\n    partOf: events(filter: { participant: { entity: { eq: $key } } }, first: 25) {\n      totalCount\n      nodes {\n        ...EventItem\n        participants(filter: { entity: { eq: $key } }, first: 1) { nodes { role provenance { ...Prov } } }\n      }\n    }\n  }\n": typeof types.EventPageDocument,
    "\n  query PlacePage($key: String!) {\n    place(key: $key) {\n      ...Ref\n      name\n      kind\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      state { ...Ref }\n      offices(first: 50) { totalCount nodes { ...Ref } }\n      events(first: 25) { totalCount nodes { ...EventItem } }\n    }\n  }\n": typeof types.PlacePageDocument,
    "\n  query DimensionPage($key: String!) {\n    dimension(key: $key) {\n      ...Ref\n      name\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      offices(first: 50) { totalCount nodes { ...Ref } }\n      priorities(first: 50) { totalCount nodes { ...Ref } }\n    }\n  }\n": typeof types.DimensionPageDocument,
    "\n  query PriorityPage($key: String!) {\n    priority(key: $key) {\n      ...Ref\n      name\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      kind\n      period { ...When }\n      state { ...Ref }\n      dimension { ...Ref }\n    }\n  }\n": typeof types.PriorityPageDocument,
    "\n  query SourcePage($key: String!) {\n    source(key: $key) {\n      ...Ref\n      name\n      file\n      text\n      provenance { ...Prov }\n      created { ...When }\n      updated { ...When }\n    }\n  }\n": typeof types.SourcePageDocument,
    "\n  fragment Span on PartialDate {\n    edtf\n    wording\n    precision\n    isInterval\n    startStatus\n    endStatus\n    earliest\n    latest\n    start { edtf year month day precision earliest latest }\n    end { edtf year month day precision earliest latest }\n  }\n": typeof types.SpanFragmentDoc,
    "\n  query ExplorerSourcesUpdated {\n    sources(first: 100) {\n      nodes { key name updated { edtf latest } }\n    }\n  }\n": typeof types.ExplorerSourcesUpdatedDocument,
    "\n  query ExplorerTimeline($filter: TimelineFilter, $after: String) {\n    timeline(filter: $filter, first: 100, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        kind\n        label\n        date { ...Span }\n        subject { ...Ref }\n        event { key }\n        tenure { ...Ref timing when { ...Span } }\n        officeName { name period { ...Span } }\n        officeLocation { place { ...Ref } period { ...Span } }\n      }\n    }\n  }\n": typeof types.ExplorerTimelineDocument,
    "\n  fragment TenureBar on Tenure {\n    ...Ref\n    timing\n    when { ...Span }\n    holder { ... on Entity { ...Ref } }\n    post {\n      ...Ref\n      kind\n      headsOffice\n      office { ...Ref }\n      state { ...Ref }\n    }\n  }\n": typeof types.TenureBarFragmentDoc,
    "\n  query ExplorerOfficesTenures($asOf: String, $certainty: [Certainty!], $after: String) {\n    tenures(first: 100, after: $after, asOf: $asOf, certainty: $certainty) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { certainty node { ...TenureBar } }\n    }\n  }\n": typeof types.ExplorerOfficesTenuresDocument,
    "\n  query ExplorerOfficesNames($asOf: String) {\n    offices(first: 100) {\n      totalCount\n      nodes {\n        ...Ref\n        nameHistory(first: 5, asOf: $asOf) {\n          edges { certainty node { name } }\n        }\n      }\n    }\n    states(first: 100) {\n      nodes { ...Ref }\n    }\n  }\n": typeof types.ExplorerOfficesNamesDocument,
    "\n  query ExplorerPath($from: String!, $to: String!) {\n    path(from: $from, to: $to, maxLength: 6) {\n      length\n      entities { ...Ref }\n      hops {\n        from { ...Ref }\n        to { ...Ref }\n        relation\n        direction\n        label\n        provenance { ...Prov }\n      }\n    }\n  }\n": typeof types.ExplorerPathDocument,
};
const documents: Documents = {
    "\n  fragment Prov on Provenance {\n    __typename\n    kind\n    text\n    ... on SourceQuote {\n      quote\n      offset\n      source { key name }\n    }\n    ... on EditorialNote { reason }\n  }\n": types.ProvFragmentDoc,
    "\n  fragment Ref on Entity {\n    __typename\n    key\n    label\n  }\n": types.RefFragmentDoc,
    "\n  fragment When on PartialDate {\n    edtf\n    wording\n    precision\n    isInterval\n    startStatus\n    endStatus\n    earliest\n    latest\n    provenance { ...Prov }\n  }\n": types.WhenFragmentDoc,
    "\n  fragment NameItem on Name {\n    text\n    kind\n    provenance { ...Prov }\n  }\n": types.NameItemFragmentDoc,
    "\n  fragment Evid on Evidence {\n    field\n    provenance { ...Prov }\n  }\n": types.EvidFragmentDoc,
    "\n  fragment TenureItem on Tenure {\n    ...Ref\n    timing\n    when { ...When }\n    holder { ... on Entity { ...Ref } }\n    post {\n      ...Ref\n      office { ...Ref }\n      state { ...Ref }\n    }\n    provenance { ...Prov }\n  }\n": types.TenureItemFragmentDoc,
    "\n  fragment EventItem on Event {\n    ...Ref\n    when { ...When }\n  }\n": types.EventItemFragmentDoc,
    "\n  fragment HitEntity on Entity {\n    ...Ref\n    ... on Person {\n      title\n      description\n      nationality { label }\n      tenures(first: 2) { totalCount nodes { when { edtf wording } post { label } } }\n    }\n    ... on Office { officeKind: kind description officeState: state { label } opening { when { edtf wording } } }\n    ... on Event { eventKind: kind when { edtf wording } place { label } }\n    ... on Post { postKind: kind office { label } postState: state { label } }\n    ... on Place { placeKind: kind placeState: state { label } }\n    ... on State { participatingStateSince { edtf wording } }\n    ... on Priority { priorityKind: kind priorityPeriod: period { edtf wording } priorityState: state { label } dimension { label } }\n    ... on Source { updated { edtf } }\n  }\n": types.HitEntityFragmentDoc,
    "\n  fragment Hit on SearchHit {\n    entity { ...HitEntity }\n    matchedName\n    matchedNameKind\n  }\n": types.HitFragmentDoc,
    "\n  query ExplorerSearch($query: String!, $kinds: [SearchableKind!], $after: String) {\n    search(query: $query, kinds: $kinds, first: 20, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { ...Hit }\n    }\n  }\n": types.ExplorerSearchDocument,
    "\n  query ExplorerSearchKindCounts($query: String!) {\n    all: search(query: $query, first: 0) { totalCount }\n    state: search(query: $query, kinds: [STATE], first: 0) { totalCount }\n    office: search(query: $query, kinds: [OFFICE], first: 0) { totalCount }\n    person: search(query: $query, kinds: [PERSON], first: 0) { totalCount }\n    post: search(query: $query, kinds: [POST], first: 0) { totalCount }\n    event: search(query: $query, kinds: [EVENT], first: 0) { totalCount }\n    place: search(query: $query, kinds: [PLACE], first: 0) { totalCount }\n    dimension: search(query: $query, kinds: [DIMENSION], first: 0) { totalCount }\n    priority: search(query: $query, kinds: [PRIORITY], first: 0) { totalCount }\n    source: search(query: $query, kinds: [SOURCE], first: 0) { totalCount }\n  }\n": types.ExplorerSearchKindCountsDocument,
    "\n  query ExplorerSuggest($query: String!) {\n    search(query: $query, first: 8) {\n      totalCount\n      nodes { ...Hit }\n    }\n  }\n": types.ExplorerSuggestDocument,
    "\n  query ExplorerBrowse {\n    states(first: 100) { totalCount nodes { ...Ref } }\n    offices(first: 100) { totalCount nodes { ...Ref } }\n    persons(first: 100) { totalCount nodes { ...Ref } }\n    posts(first: 100) { totalCount nodes { ...Ref } }\n    tenures(first: 100) { totalCount nodes { ...Ref } }\n    events(first: 100) { totalCount nodes { ...Ref } }\n    places(first: 100) { totalCount nodes { ...Ref } }\n    dimensions(first: 100) { totalCount nodes { ...Ref } }\n    priorities(first: 100) { totalCount nodes { ...Ref } }\n    sources(first: 100) { totalCount nodes { ...Ref } }\n  }\n": types.ExplorerBrowseDocument,
    "\n  query ExplorerSourceText($key: String!) {\n    source(key: $key) {\n      key\n      name\n      text\n      updated { edtf }\n    }\n  }\n": types.ExplorerSourceTextDocument,
    "\n  query StatePage($key: String!) {\n    state(key: $key) {\n      ...Ref\n      name\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      participatingStateSince { ...When }\n      cooperatesWith { office { ...Ref } provenance { ...Prov } }\n      offices(first: 50) { totalCount nodes { ...Ref } }\n      persons(first: 50) { totalCount nodes { ...Ref } }\n      places(first: 50) { totalCount nodes { ...Ref } }\n      posts(first: 50) { totalCount nodes { ...Ref } }\n      priorities(first: 50) { totalCount nodes { ...Ref } }\n      tenures(first: 25) { totalCount nodes { ...TenureItem } }\n      events(first: 25) { totalCount nodes { ...EventItem } }\n    }\n  }\n": types.StatePageDocument,
    "\n  fragment SuccessionItem on Succession {\n    kind\n    predecessor { ...Ref }\n    successor { ...Ref }\n    decidedBy { ...Ref }\n    when { ...When }\n    provenance { ...Prov }\n  }\n": types.SuccessionItemFragmentDoc,
    "\n  query OfficePage($key: String!) {\n    office(key: $key) {\n      ...Ref\n      name\n      abbreviation\n      kind\n      description\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      state { ...Ref }\n      dimensions { ...Ref }\n      opening { ...EventItem }\n      nameHistory(first: 25) {\n        totalCount\n        nodes {\n          name\n          period { ...When }\n          decidedBy { ...Ref }\n          change { kind }\n          provenance { ...Prov }\n        }\n      }\n      locations(first: 25) {\n        totalCount\n        nodes {\n          place { ...Ref }\n          period { ...When }\n          provenance { ...Prov }\n        }\n      }\n      cooperatingStates { state { ...Ref } provenance { ...Prov } }\n      posts(first: 50) { totalCount nodes { ...Ref } }\n      tenures(first: 25) { totalCount nodes { ...TenureItem } }\n      events(first: 25) { totalCount nodes { ...EventItem } }\n      currentHead: heads(last: 1) { nodes { ...Ref when { ...When } holder { ... on Entity { ...Ref } } post { ...Ref } } }\n      predecessors { ...SuccessionItem }\n      successors { ...SuccessionItem }\n    }\n  }\n": types.OfficePageDocument,
    "\n  query PersonPage($key: String!) {\n    person(key: $key) {\n      ...Ref\n      name\n      title\n      description\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      nationality { ...Ref }\n      tenures(first: 25) { totalCount nodes { ...TenureItem } }\n      events(first: 25) { totalCount nodes { ...EventItem } }\n    }\n  }\n": types.PersonPageDocument,
    "\n  query PostPage($key: String!) {\n    post(key: $key) {\n      ...Ref\n      name\n      kind\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      office { ...Ref }\n      state { ...Ref }\n      tenures(first: 25) { totalCount nodes { ...TenureItem } }\n    }\n  }\n": types.PostPageDocument,
    "\n  query TenurePage($key: String!) {\n    tenure(key: $key) {\n      ...TenureItem\n      events { ...EventItem }\n    }\n  }\n": types.TenurePageDocument,
    "\n  query EventPage($key: String!) {\n    event(key: $key) {\n      ...Ref\n      name\n      kind\n      description\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      when { ...When }\n      place { ...Ref }\n      participants(first: 25) {\n        totalCount\n        nodes {\n          role\n          entity { ...Ref }\n          capacity { ...Ref post { ...Ref } timing }\n          provenance { ...Prov }\n        }\n      }\n      officeNamesGiven {\n        name\n        office { ...Ref }\n        period { ...When }\n        provenance { ...Prov }\n      }\n      successionsDecided { ...SuccessionItem }\n    }\n    # the other side of \"took part in\": the events in which this event is a participant (the\n    # meeting that decided it), with its role there\n    partOf: events(filter: { participant: { entity: { eq: $key } } }, first: 25) {\n      totalCount\n      nodes {\n        ...EventItem\n        participants(filter: { entity: { eq: $key } }, first: 1) { nodes { role provenance { ...Prov } } }\n      }\n    }\n  }\n": types.EventPageDocument,
    "\n  query PlacePage($key: String!) {\n    place(key: $key) {\n      ...Ref\n      name\n      kind\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      state { ...Ref }\n      offices(first: 50) { totalCount nodes { ...Ref } }\n      events(first: 25) { totalCount nodes { ...EventItem } }\n    }\n  }\n": types.PlacePageDocument,
    "\n  query DimensionPage($key: String!) {\n    dimension(key: $key) {\n      ...Ref\n      name\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      offices(first: 50) { totalCount nodes { ...Ref } }\n      priorities(first: 50) { totalCount nodes { ...Ref } }\n    }\n  }\n": types.DimensionPageDocument,
    "\n  query PriorityPage($key: String!) {\n    priority(key: $key) {\n      ...Ref\n      name\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      kind\n      period { ...When }\n      state { ...Ref }\n      dimension { ...Ref }\n    }\n  }\n": types.PriorityPageDocument,
    "\n  query SourcePage($key: String!) {\n    source(key: $key) {\n      ...Ref\n      name\n      file\n      text\n      provenance { ...Prov }\n      created { ...When }\n      updated { ...When }\n    }\n  }\n": types.SourcePageDocument,
    "\n  fragment Span on PartialDate {\n    edtf\n    wording\n    precision\n    isInterval\n    startStatus\n    endStatus\n    earliest\n    latest\n    start { edtf year month day precision earliest latest }\n    end { edtf year month day precision earliest latest }\n  }\n": types.SpanFragmentDoc,
    "\n  query ExplorerSourcesUpdated {\n    sources(first: 100) {\n      nodes { key name updated { edtf latest } }\n    }\n  }\n": types.ExplorerSourcesUpdatedDocument,
    "\n  query ExplorerTimeline($filter: TimelineFilter, $after: String) {\n    timeline(filter: $filter, first: 100, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        kind\n        label\n        date { ...Span }\n        subject { ...Ref }\n        event { key }\n        tenure { ...Ref timing when { ...Span } }\n        officeName { name period { ...Span } }\n        officeLocation { place { ...Ref } period { ...Span } }\n      }\n    }\n  }\n": types.ExplorerTimelineDocument,
    "\n  fragment TenureBar on Tenure {\n    ...Ref\n    timing\n    when { ...Span }\n    holder { ... on Entity { ...Ref } }\n    post {\n      ...Ref\n      kind\n      headsOffice\n      office { ...Ref }\n      state { ...Ref }\n    }\n  }\n": types.TenureBarFragmentDoc,
    "\n  query ExplorerOfficesTenures($asOf: String, $certainty: [Certainty!], $after: String) {\n    tenures(first: 100, after: $after, asOf: $asOf, certainty: $certainty) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { certainty node { ...TenureBar } }\n    }\n  }\n": types.ExplorerOfficesTenuresDocument,
    "\n  query ExplorerOfficesNames($asOf: String) {\n    offices(first: 100) {\n      totalCount\n      nodes {\n        ...Ref\n        nameHistory(first: 5, asOf: $asOf) {\n          edges { certainty node { name } }\n        }\n      }\n    }\n    states(first: 100) {\n      nodes { ...Ref }\n    }\n  }\n": types.ExplorerOfficesNamesDocument,
    "\n  query ExplorerPath($from: String!, $to: String!) {\n    path(from: $from, to: $to, maxLength: 6) {\n      length\n      entities { ...Ref }\n      hops {\n        from { ...Ref }\n        to { ...Ref }\n        relation\n        direction\n        label\n        provenance { ...Prov }\n      }\n    }\n  }\n": types.ExplorerPathDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment Prov on Provenance {\n    __typename\n    kind\n    text\n    ... on SourceQuote {\n      quote\n      offset\n      source { key name }\n    }\n    ... on EditorialNote { reason }\n  }\n"): typeof import('./graphql.js').ProvFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment Ref on Entity {\n    __typename\n    key\n    label\n  }\n"): typeof import('./graphql.js').RefFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment When on PartialDate {\n    edtf\n    wording\n    precision\n    isInterval\n    startStatus\n    endStatus\n    earliest\n    latest\n    provenance { ...Prov }\n  }\n"): typeof import('./graphql.js').WhenFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment NameItem on Name {\n    text\n    kind\n    provenance { ...Prov }\n  }\n"): typeof import('./graphql.js').NameItemFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment Evid on Evidence {\n    field\n    provenance { ...Prov }\n  }\n"): typeof import('./graphql.js').EvidFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TenureItem on Tenure {\n    ...Ref\n    timing\n    when { ...When }\n    holder { ... on Entity { ...Ref } }\n    post {\n      ...Ref\n      office { ...Ref }\n      state { ...Ref }\n    }\n    provenance { ...Prov }\n  }\n"): typeof import('./graphql.js').TenureItemFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EventItem on Event {\n    ...Ref\n    when { ...When }\n  }\n"): typeof import('./graphql.js').EventItemFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment HitEntity on Entity {\n    ...Ref\n    ... on Person {\n      title\n      description\n      nationality { label }\n      tenures(first: 2) { totalCount nodes { when { edtf wording } post { label } } }\n    }\n    ... on Office { officeKind: kind description officeState: state { label } opening { when { edtf wording } } }\n    ... on Event { eventKind: kind when { edtf wording } place { label } }\n    ... on Post { postKind: kind office { label } postState: state { label } }\n    ... on Place { placeKind: kind placeState: state { label } }\n    ... on State { participatingStateSince { edtf wording } }\n    ... on Priority { priorityKind: kind priorityPeriod: period { edtf wording } priorityState: state { label } dimension { label } }\n    ... on Source { updated { edtf } }\n  }\n"): typeof import('./graphql.js').HitEntityFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment Hit on SearchHit {\n    entity { ...HitEntity }\n    matchedName\n    matchedNameKind\n  }\n"): typeof import('./graphql.js').HitFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerSearch($query: String!, $kinds: [SearchableKind!], $after: String) {\n    search(query: $query, kinds: $kinds, first: 20, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { ...Hit }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerSearchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerSearchKindCounts($query: String!) {\n    all: search(query: $query, first: 0) { totalCount }\n    state: search(query: $query, kinds: [STATE], first: 0) { totalCount }\n    office: search(query: $query, kinds: [OFFICE], first: 0) { totalCount }\n    person: search(query: $query, kinds: [PERSON], first: 0) { totalCount }\n    post: search(query: $query, kinds: [POST], first: 0) { totalCount }\n    event: search(query: $query, kinds: [EVENT], first: 0) { totalCount }\n    place: search(query: $query, kinds: [PLACE], first: 0) { totalCount }\n    dimension: search(query: $query, kinds: [DIMENSION], first: 0) { totalCount }\n    priority: search(query: $query, kinds: [PRIORITY], first: 0) { totalCount }\n    source: search(query: $query, kinds: [SOURCE], first: 0) { totalCount }\n  }\n"): typeof import('./graphql.js').ExplorerSearchKindCountsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerSuggest($query: String!) {\n    search(query: $query, first: 8) {\n      totalCount\n      nodes { ...Hit }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerSuggestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerBrowse {\n    states(first: 100) { totalCount nodes { ...Ref } }\n    offices(first: 100) { totalCount nodes { ...Ref } }\n    persons(first: 100) { totalCount nodes { ...Ref } }\n    posts(first: 100) { totalCount nodes { ...Ref } }\n    tenures(first: 100) { totalCount nodes { ...Ref } }\n    events(first: 100) { totalCount nodes { ...Ref } }\n    places(first: 100) { totalCount nodes { ...Ref } }\n    dimensions(first: 100) { totalCount nodes { ...Ref } }\n    priorities(first: 100) { totalCount nodes { ...Ref } }\n    sources(first: 100) { totalCount nodes { ...Ref } }\n  }\n"): typeof import('./graphql.js').ExplorerBrowseDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerSourceText($key: String!) {\n    source(key: $key) {\n      key\n      name\n      text\n      updated { edtf }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerSourceTextDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StatePage($key: String!) {\n    state(key: $key) {\n      ...Ref\n      name\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      participatingStateSince { ...When }\n      cooperatesWith { office { ...Ref } provenance { ...Prov } }\n      offices(first: 50) { totalCount nodes { ...Ref } }\n      persons(first: 50) { totalCount nodes { ...Ref } }\n      places(first: 50) { totalCount nodes { ...Ref } }\n      posts(first: 50) { totalCount nodes { ...Ref } }\n      priorities(first: 50) { totalCount nodes { ...Ref } }\n      tenures(first: 25) { totalCount nodes { ...TenureItem } }\n      events(first: 25) { totalCount nodes { ...EventItem } }\n    }\n  }\n"): typeof import('./graphql.js').StatePageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SuccessionItem on Succession {\n    kind\n    predecessor { ...Ref }\n    successor { ...Ref }\n    decidedBy { ...Ref }\n    when { ...When }\n    provenance { ...Prov }\n  }\n"): typeof import('./graphql.js').SuccessionItemFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OfficePage($key: String!) {\n    office(key: $key) {\n      ...Ref\n      name\n      abbreviation\n      kind\n      description\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      state { ...Ref }\n      dimensions { ...Ref }\n      opening { ...EventItem }\n      nameHistory(first: 25) {\n        totalCount\n        nodes {\n          name\n          period { ...When }\n          decidedBy { ...Ref }\n          change { kind }\n          provenance { ...Prov }\n        }\n      }\n      locations(first: 25) {\n        totalCount\n        nodes {\n          place { ...Ref }\n          period { ...When }\n          provenance { ...Prov }\n        }\n      }\n      cooperatingStates { state { ...Ref } provenance { ...Prov } }\n      posts(first: 50) { totalCount nodes { ...Ref } }\n      tenures(first: 25) { totalCount nodes { ...TenureItem } }\n      events(first: 25) { totalCount nodes { ...EventItem } }\n      currentHead: heads(last: 1) { nodes { ...Ref when { ...When } holder { ... on Entity { ...Ref } } post { ...Ref } } }\n      predecessors { ...SuccessionItem }\n      successors { ...SuccessionItem }\n    }\n  }\n"): typeof import('./graphql.js').OfficePageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PersonPage($key: String!) {\n    person(key: $key) {\n      ...Ref\n      name\n      title\n      description\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      nationality { ...Ref }\n      tenures(first: 25) { totalCount nodes { ...TenureItem } }\n      events(first: 25) { totalCount nodes { ...EventItem } }\n    }\n  }\n"): typeof import('./graphql.js').PersonPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PostPage($key: String!) {\n    post(key: $key) {\n      ...Ref\n      name\n      kind\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      office { ...Ref }\n      state { ...Ref }\n      tenures(first: 25) { totalCount nodes { ...TenureItem } }\n    }\n  }\n"): typeof import('./graphql.js').PostPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TenurePage($key: String!) {\n    tenure(key: $key) {\n      ...TenureItem\n      events { ...EventItem }\n    }\n  }\n"): typeof import('./graphql.js').TenurePageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EventPage($key: String!) {\n    event(key: $key) {\n      ...Ref\n      name\n      kind\n      description\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      when { ...When }\n      place { ...Ref }\n      participants(first: 25) {\n        totalCount\n        nodes {\n          role\n          entity { ...Ref }\n          capacity { ...Ref post { ...Ref } timing }\n          provenance { ...Prov }\n        }\n      }\n      officeNamesGiven {\n        name\n        office { ...Ref }\n        period { ...When }\n        provenance { ...Prov }\n      }\n      successionsDecided { ...SuccessionItem }\n    }\n    # the other side of \"took part in\": the events in which this event is a participant (the\n    # meeting that decided it), with its role there\n    partOf: events(filter: { participant: { entity: { eq: $key } } }, first: 25) {\n      totalCount\n      nodes {\n        ...EventItem\n        participants(filter: { entity: { eq: $key } }, first: 1) { nodes { role provenance { ...Prov } } }\n      }\n    }\n  }\n"): typeof import('./graphql.js').EventPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PlacePage($key: String!) {\n    place(key: $key) {\n      ...Ref\n      name\n      kind\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      state { ...Ref }\n      offices(first: 50) { totalCount nodes { ...Ref } }\n      events(first: 25) { totalCount nodes { ...EventItem } }\n    }\n  }\n"): typeof import('./graphql.js').PlacePageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DimensionPage($key: String!) {\n    dimension(key: $key) {\n      ...Ref\n      name\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      offices(first: 50) { totalCount nodes { ...Ref } }\n      priorities(first: 50) { totalCount nodes { ...Ref } }\n    }\n  }\n"): typeof import('./graphql.js').DimensionPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PriorityPage($key: String!) {\n    priority(key: $key) {\n      ...Ref\n      name\n      names { ...NameItem }\n      provenance { ...Prov }\n      evidence { ...Evid }\n      kind\n      period { ...When }\n      state { ...Ref }\n      dimension { ...Ref }\n    }\n  }\n"): typeof import('./graphql.js').PriorityPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SourcePage($key: String!) {\n    source(key: $key) {\n      ...Ref\n      name\n      file\n      text\n      provenance { ...Prov }\n      created { ...When }\n      updated { ...When }\n    }\n  }\n"): typeof import('./graphql.js').SourcePageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment Span on PartialDate {\n    edtf\n    wording\n    precision\n    isInterval\n    startStatus\n    endStatus\n    earliest\n    latest\n    start { edtf year month day precision earliest latest }\n    end { edtf year month day precision earliest latest }\n  }\n"): typeof import('./graphql.js').SpanFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerSourcesUpdated {\n    sources(first: 100) {\n      nodes { key name updated { edtf latest } }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerSourcesUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerTimeline($filter: TimelineFilter, $after: String) {\n    timeline(filter: $filter, first: 100, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        kind\n        label\n        date { ...Span }\n        subject { ...Ref }\n        event { key }\n        tenure { ...Ref timing when { ...Span } }\n        officeName { name period { ...Span } }\n        officeLocation { place { ...Ref } period { ...Span } }\n      }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerTimelineDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TenureBar on Tenure {\n    ...Ref\n    timing\n    when { ...Span }\n    holder { ... on Entity { ...Ref } }\n    post {\n      ...Ref\n      kind\n      headsOffice\n      office { ...Ref }\n      state { ...Ref }\n    }\n  }\n"): typeof import('./graphql.js').TenureBarFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerOfficesTenures($asOf: String, $certainty: [Certainty!], $after: String) {\n    tenures(first: 100, after: $after, asOf: $asOf, certainty: $certainty) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { certainty node { ...TenureBar } }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerOfficesTenuresDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerOfficesNames($asOf: String) {\n    offices(first: 100) {\n      totalCount\n      nodes {\n        ...Ref\n        nameHistory(first: 5, asOf: $asOf) {\n          edges { certainty node { name } }\n        }\n      }\n    }\n    states(first: 100) {\n      nodes { ...Ref }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerOfficesNamesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerPath($from: String!, $to: String!) {\n    path(from: $from, to: $to, maxLength: 6) {\n      length\n      entities { ...Ref }\n      hops {\n        from { ...Ref }\n        to { ...Ref }\n        relation\n        direction\n        label\n        provenance { ...Prov }\n      }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerPathDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
