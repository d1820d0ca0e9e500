/**
 * Example queries: GraphiQL opens with them as tabs, and the README shows each with its answer
 * (a test checks that the README's answers are what the server says).
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
];

/** GraphiQL's initial tabs: one per example, the title as a leading comment. */
export const exampleTabs = examples.map((e) => ({ query: `# ${e.title}\n${e.query}\n` }));
