/**
 * Example queries: GraphiQL opens with them as tabs, and README.md or a page of docs/ shows each
 * with its answer (tests/api/examples.test.ts checks that the answers shown are what the server
 * says, and that every example shown there is one of these).
 */
export interface Example {
  title: string;
  query: string;
}

export const examples: Example[] = [
  {
    title: "Who headed which office, from when to when?",
    query: `query WhoHeadedWhichOffice {
  tenures {
    nodes {
      holder { ... on Entity { label } }
      post { name office { name } state { name } }
      when { edtf wording startStatus endStatus }
      timing
    }
  }
}`,
  },
  {
    title: "What was the OSCE office in Kazakhstan called, and when?",
    query: `query FieldOfficeNames {
  office(key: "osce-field-office-kazakhstan") {
    nameHistory {
      nodes {
        name
        period { edtf }
        decidedBy { name }
      }
    }
    nameOn(date: "2010-01-01") { name }
  }
}`,
  },
  {
    title: "Which events took place in 2010, in order?",
    query: `query EventsIn2010 {
  events(filter: { when: { overlaps: "2010" } }) {
    totalCount
    nodes { name when { edtf wording } place { name } }
  }
}`,
  },
  {
    title: "Search, forgiving typos and the source's own spellings",
    query: `query SearchMisspelt {
  search(query: "nazarbaev", first: 3) {
    nodes { entity { key label } matchedName matchedNameKind }
  }
}`,
  },
  {
    title: "Which sentence supports the fact that Kazakhstan chaired the OSCE in 2010?",
    query: `query ChairmanshipEvidence {
  state(key: "kazakhstan") {
    tenures(filter: { postKind: { eq: CHAIRMANSHIP } }) {
      nodes {
        post { name }
        when { edtf }
        provenance { kind text ... on SourceQuote { offset } }
      }
    }
  }
}`,
  },
  {
    title: "Who chaired the Astana OSCE Summit, as what?",
    query: `query SummitChair {
  event(key: "2010-12-astana-osce-summit") {
    name
    when { edtf }
    participants(filter: { role: { eq: CHAIR } }) {
      nodes {
        entity { label }
        capacity { post { name } timing }
      }
    }
  }
}`,
  },
  {
    title: "Which decisions and openings concern the office in Kazakhstan, newest first?",
    query: `query FieldOfficeDecisions {
  events(
    filter: {
      participant: { entity: { eq: "office/osce-field-office-kazakhstan" } }
      kind: { in: [DECISION, OPENING] }
    }
    orderBy: [{ field: DATE, direction: DESC }]
  ) {
    totalCount
    nodes { name when { edtf } }
  }
}`,
  },
  {
    title: "Who headed the Programme Office on a date, and how certainly?",
    query: `query ProgrammeOfficeHeadAsOf {
  office(key: "osce-field-office-kazakhstan") {
    on20160301: heads(asOf: "2016-03-01") {
      edges { certainty node { holder { ... on Person { name } } } }
    }
    on20200101: heads(asOf: "2020-01-01") {
      edges { certainty node { holder { ... on Person { name } } } }
    }
    certainlyOn20200101: heads(asOf: "2020-01-01", certainty: [YES]) { totalCount }
    on20050101: heads(asOf: "2005-01-01") { totalCount }
    namedInJune2007: nameHistory(asOf: "2007-06") {
      edges { certainty node { name } }
    }
  }
}`,
  },
  {
    title: "What happened in 2010 and 2011, in order?",
    query: `query Timeline2010And2011 {
  timeline(filter: { date: { overlaps: "2010/2011" } }) {
    totalCount
    nodes { date { edtf } kind label }
  }
}`,
  },
  ...queryPowerExamples(),
];

/** Lineage, path and statistics (issue 3b). */
function queryPowerExamples(): Example[] {
  return [
    {
      title: "How did the office in Kazakhstan change, and who headed it along its lineage?",
      query: `query FieldOfficeLineage {
  office(key: "osce-field-office-kazakhstan") {
    nameHistory {
      nodes {
        name
        change { kind provenance { text } }
        decidedBy { when { edtf } }
        previous { name }
      }
    }
    predecessors { predecessor { name } kind }
    heads(followLineage: true) {
      nodes { holder { ... on Entity { label } } post { office { name } } when { edtf } }
    }
  }
}`,
    },
    {
      title: "How is György Szabó linked to Kazakhstan?",
      query: `query SzaboToKazakhstan {
  path(from: "gyorgy-szabo", to: "kazakhstan", maxLength: 4) {
    length
    hops {
      label
      direction
      provenance { text }
    }
  }
}`,
    },
    {
      title: "How many events per year and per kind, and tenures per office?",
      query: `query Counts {
  statistics {
    eventsByYear { year count }
    eventsByKind { kind count }
    tenuresByOffice { office { name } count }
    personsByNationality { state { name } count }
  }
}`,
    },
  ];
}

/** GraphiQL's initial tabs: one per example, the title as a leading comment. */
export const exampleTabs = examples.map((e) => ({ query: `# ${e.title}\n${e.query}\n` }));
