/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

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
    "\n  query EveryKindFirstPage {\n    sources(first: 100) { totalCount nodes { id key __typename } }\n    states(first: 100) { totalCount nodes { id key __typename } }\n    places(first: 100) { totalCount nodes { id key __typename } }\n    dimensions(first: 100) { totalCount nodes { id key __typename } }\n    offices(first: 100) { totalCount nodes { id key __typename } }\n    persons(first: 100) { totalCount nodes { id key __typename } }\n    posts(first: 100) { totalCount nodes { id key __typename } }\n    tenures(first: 100) { totalCount nodes { id key __typename } }\n    events(first: 100) { totalCount nodes { id key __typename } }\n    priorities(first: 100) { totalCount nodes { id key __typename } }\n  }\n": typeof types.EveryKindFirstPageDocument,
    "\n  query NodeById($id: ID!) {\n    node(id: $id) { id __typename ... on Entity { key label } }\n  }\n": typeof types.NodeByIdDocument,
    "\n  query NodesByIds($ids: [ID!]!) {\n    nodes(ids: $ids) { id ... on Entity { key } }\n  }\n": typeof types.NodesByIdsDocument,
    "\n          query BatchedNationalities {\n            persons { nodes { name nationality { name } tenures { nodes { post { name } } } } }\n          }\n        ": typeof types.BatchedNationalitiesDocument,
    "\n        query Q1HeadOfProgrammeOffice {\n          search(query: \"Programme Office in Astana\", kinds: [OFFICE], first: 1) {\n            nodes {\n              entity {\n                ... on Office {\n                  name\n                  heads {\n                    nodes {\n                      holder {\n                        ... on Person { name names { text kind } title nationality { name } }\n                      }\n                      when { edtf startStatus endStatus start { edtf precision } }\n                    }\n                  }\n                }\n              }\n            }\n          }\n        }\n      ": typeof types.Q1HeadOfProgrammeOfficeDocument,
    "\n        query Q2WhoHeldWhichPost {\n          persons {\n            nodes {\n              name\n              names { text kind }\n              tenures {\n                nodes {\n                  post { name office { name } state { name } }\n                  when { edtf startStatus endStatus }\n                  timing\n                }\n              }\n            }\n          }\n        }\n      ": typeof types.Q2WhoHeldWhichPostDocument,
    "\n        query Q3ParticipatingSince {\n          state(key: \"kazakhstan\") { participatingStateSince { edtf precision earliest latest } }\n        }\n      ": typeof types.Q3ParticipatingSinceDocument,
    "\n        query Q4FieldOfficeNames {\n          office(key: \"osce-field-office-kazakhstan\") {\n            nameHistory { name period { start { edtf } end { edtf } endStatus } decidedBy { key } }\n          }\n        }\n      ": typeof types.Q4FieldOfficeNamesDocument,
    "\n      query Q5NameOn($date: String!) {\n        office(key: \"office/osce-field-office-kazakhstan\") { nameOn(date: $date) { name } }\n      }\n    ": typeof types.Q5NameOnDocument,
    "\n        query Q6EventsIn2010 {\n          events(during: \"2010\") { totalCount nodes { name when { edtf } } }\n        }\n      ": typeof types.Q6EventsIn2010Document,
    "\n        query Q7EventsInAlmaty {\n          place(key: \"almaty\") { name state { name } events { nodes { name when { edtf } } } }\n        }\n      ": typeof types.Q7EventsInAlmatyDocument,
    "\n        query Q8SummitChair {\n          event(key: \"2010-12-astana-osce-summit\") {\n            name\n            participants(role: CHAIR) { entity { label } capacity { post { name } timing } }\n          }\n        }\n      ": typeof types.Q8SummitChairDocument,
    "\n        query Q9PermanentCouncilDecisions {\n          office(key: \"osce-field-office-kazakhstan\") {\n            events(kind: DECISION) {\n              nodes {\n                name\n                when { edtf }\n                participants(role: DECIDING_BODY) { entity { label } }\n                officeNamesGiven { name }\n              }\n            }\n          }\n        }\n      ": typeof types.Q9PermanentCouncilDecisionsDocument,
    "\n        query Q10OfficesOpenedIn1995 {\n          events(kind: OPENING, during: \"1995\") {\n            nodes {\n              place { name state { name } }\n              participants(role: SUBJECT) { entity { label } }\n            }\n          }\n        }\n      ": typeof types.Q10OfficesOpenedIn1995Document,
    "\n        query Q11EconomicPriorities {\n          dimension(key: \"economic-and-environmental\") { name priorities { nodes { name state { name } } } }\n        }\n      ": typeof types.Q11EconomicPrioritiesDocument,
    "\n        query Q12Cooperation {\n          state(key: \"kazakhstan\") { cooperatesWith { office { name abbreviation kind } } }\n        }\n      ": typeof types.Q12CooperationDocument,
    "\n        query Q13Search($text: String!) {\n          search(query: $text) { nodes { entity { key label } matchedName score } }\n        }\n      ": typeof types.Q13SearchDocument,
    "\n        query Q14Chairmanships {\n          state(key: \"kazakhstan\") { tenures(postKind: CHAIRMANSHIP) { nodes { post { name } when { edtf precision } } } }\n        }\n      ": typeof types.Q14ChairmanshipsDocument,
    "\n        query Q15ChairmanshipEvidence {\n          state(key: \"kazakhstan\") {\n            tenures(postKind: CHAIRMANSHIP, first: 1) {\n              nodes { provenance { kind text ... on SourceQuote { source { key text } offset } } }\n            }\n          }\n        }\n      ": typeof types.Q15ChairmanshipEvidenceDocument,
    "\n  query PrioritiesPage($first: Int, $after: String) {\n    priorities(first: $first, after: $after) {\n      totalCount\n      edges { cursor node { key } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.PrioritiesPageDocument,
};
const documents: Documents = {
    "\n  query EveryKindFirstPage {\n    sources(first: 100) { totalCount nodes { id key __typename } }\n    states(first: 100) { totalCount nodes { id key __typename } }\n    places(first: 100) { totalCount nodes { id key __typename } }\n    dimensions(first: 100) { totalCount nodes { id key __typename } }\n    offices(first: 100) { totalCount nodes { id key __typename } }\n    persons(first: 100) { totalCount nodes { id key __typename } }\n    posts(first: 100) { totalCount nodes { id key __typename } }\n    tenures(first: 100) { totalCount nodes { id key __typename } }\n    events(first: 100) { totalCount nodes { id key __typename } }\n    priorities(first: 100) { totalCount nodes { id key __typename } }\n  }\n": types.EveryKindFirstPageDocument,
    "\n  query NodeById($id: ID!) {\n    node(id: $id) { id __typename ... on Entity { key label } }\n  }\n": types.NodeByIdDocument,
    "\n  query NodesByIds($ids: [ID!]!) {\n    nodes(ids: $ids) { id ... on Entity { key } }\n  }\n": types.NodesByIdsDocument,
    "\n          query BatchedNationalities {\n            persons { nodes { name nationality { name } tenures { nodes { post { name } } } } }\n          }\n        ": types.BatchedNationalitiesDocument,
    "\n        query Q1HeadOfProgrammeOffice {\n          search(query: \"Programme Office in Astana\", kinds: [OFFICE], first: 1) {\n            nodes {\n              entity {\n                ... on Office {\n                  name\n                  heads {\n                    nodes {\n                      holder {\n                        ... on Person { name names { text kind } title nationality { name } }\n                      }\n                      when { edtf startStatus endStatus start { edtf precision } }\n                    }\n                  }\n                }\n              }\n            }\n          }\n        }\n      ": types.Q1HeadOfProgrammeOfficeDocument,
    "\n        query Q2WhoHeldWhichPost {\n          persons {\n            nodes {\n              name\n              names { text kind }\n              tenures {\n                nodes {\n                  post { name office { name } state { name } }\n                  when { edtf startStatus endStatus }\n                  timing\n                }\n              }\n            }\n          }\n        }\n      ": types.Q2WhoHeldWhichPostDocument,
    "\n        query Q3ParticipatingSince {\n          state(key: \"kazakhstan\") { participatingStateSince { edtf precision earliest latest } }\n        }\n      ": types.Q3ParticipatingSinceDocument,
    "\n        query Q4FieldOfficeNames {\n          office(key: \"osce-field-office-kazakhstan\") {\n            nameHistory { name period { start { edtf } end { edtf } endStatus } decidedBy { key } }\n          }\n        }\n      ": types.Q4FieldOfficeNamesDocument,
    "\n      query Q5NameOn($date: String!) {\n        office(key: \"office/osce-field-office-kazakhstan\") { nameOn(date: $date) { name } }\n      }\n    ": types.Q5NameOnDocument,
    "\n        query Q6EventsIn2010 {\n          events(during: \"2010\") { totalCount nodes { name when { edtf } } }\n        }\n      ": types.Q6EventsIn2010Document,
    "\n        query Q7EventsInAlmaty {\n          place(key: \"almaty\") { name state { name } events { nodes { name when { edtf } } } }\n        }\n      ": types.Q7EventsInAlmatyDocument,
    "\n        query Q8SummitChair {\n          event(key: \"2010-12-astana-osce-summit\") {\n            name\n            participants(role: CHAIR) { entity { label } capacity { post { name } timing } }\n          }\n        }\n      ": types.Q8SummitChairDocument,
    "\n        query Q9PermanentCouncilDecisions {\n          office(key: \"osce-field-office-kazakhstan\") {\n            events(kind: DECISION) {\n              nodes {\n                name\n                when { edtf }\n                participants(role: DECIDING_BODY) { entity { label } }\n                officeNamesGiven { name }\n              }\n            }\n          }\n        }\n      ": types.Q9PermanentCouncilDecisionsDocument,
    "\n        query Q10OfficesOpenedIn1995 {\n          events(kind: OPENING, during: \"1995\") {\n            nodes {\n              place { name state { name } }\n              participants(role: SUBJECT) { entity { label } }\n            }\n          }\n        }\n      ": types.Q10OfficesOpenedIn1995Document,
    "\n        query Q11EconomicPriorities {\n          dimension(key: \"economic-and-environmental\") { name priorities { nodes { name state { name } } } }\n        }\n      ": types.Q11EconomicPrioritiesDocument,
    "\n        query Q12Cooperation {\n          state(key: \"kazakhstan\") { cooperatesWith { office { name abbreviation kind } } }\n        }\n      ": types.Q12CooperationDocument,
    "\n        query Q13Search($text: String!) {\n          search(query: $text) { nodes { entity { key label } matchedName score } }\n        }\n      ": types.Q13SearchDocument,
    "\n        query Q14Chairmanships {\n          state(key: \"kazakhstan\") { tenures(postKind: CHAIRMANSHIP) { nodes { post { name } when { edtf precision } } } }\n        }\n      ": types.Q14ChairmanshipsDocument,
    "\n        query Q15ChairmanshipEvidence {\n          state(key: \"kazakhstan\") {\n            tenures(postKind: CHAIRMANSHIP, first: 1) {\n              nodes { provenance { kind text ... on SourceQuote { source { key text } offset } } }\n            }\n          }\n        }\n      ": types.Q15ChairmanshipEvidenceDocument,
    "\n  query PrioritiesPage($first: Int, $after: String) {\n    priorities(first: $first, after: $after) {\n      totalCount\n      edges { cursor node { key } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.PrioritiesPageDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EveryKindFirstPage {\n    sources(first: 100) { totalCount nodes { id key __typename } }\n    states(first: 100) { totalCount nodes { id key __typename } }\n    places(first: 100) { totalCount nodes { id key __typename } }\n    dimensions(first: 100) { totalCount nodes { id key __typename } }\n    offices(first: 100) { totalCount nodes { id key __typename } }\n    persons(first: 100) { totalCount nodes { id key __typename } }\n    posts(first: 100) { totalCount nodes { id key __typename } }\n    tenures(first: 100) { totalCount nodes { id key __typename } }\n    events(first: 100) { totalCount nodes { id key __typename } }\n    priorities(first: 100) { totalCount nodes { id key __typename } }\n  }\n"): (typeof documents)["\n  query EveryKindFirstPage {\n    sources(first: 100) { totalCount nodes { id key __typename } }\n    states(first: 100) { totalCount nodes { id key __typename } }\n    places(first: 100) { totalCount nodes { id key __typename } }\n    dimensions(first: 100) { totalCount nodes { id key __typename } }\n    offices(first: 100) { totalCount nodes { id key __typename } }\n    persons(first: 100) { totalCount nodes { id key __typename } }\n    posts(first: 100) { totalCount nodes { id key __typename } }\n    tenures(first: 100) { totalCount nodes { id key __typename } }\n    events(first: 100) { totalCount nodes { id key __typename } }\n    priorities(first: 100) { totalCount nodes { id key __typename } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NodeById($id: ID!) {\n    node(id: $id) { id __typename ... on Entity { key label } }\n  }\n"): (typeof documents)["\n  query NodeById($id: ID!) {\n    node(id: $id) { id __typename ... on Entity { key label } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NodesByIds($ids: [ID!]!) {\n    nodes(ids: $ids) { id ... on Entity { key } }\n  }\n"): (typeof documents)["\n  query NodesByIds($ids: [ID!]!) {\n    nodes(ids: $ids) { id ... on Entity { key } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n          query BatchedNationalities {\n            persons { nodes { name nationality { name } tenures { nodes { post { name } } } } }\n          }\n        "): (typeof documents)["\n          query BatchedNationalities {\n            persons { nodes { name nationality { name } tenures { nodes { post { name } } } } }\n          }\n        "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query Q1HeadOfProgrammeOffice {\n          search(query: \"Programme Office in Astana\", kinds: [OFFICE], first: 1) {\n            nodes {\n              entity {\n                ... on Office {\n                  name\n                  heads {\n                    nodes {\n                      holder {\n                        ... on Person { name names { text kind } title nationality { name } }\n                      }\n                      when { edtf startStatus endStatus start { edtf precision } }\n                    }\n                  }\n                }\n              }\n            }\n          }\n        }\n      "): (typeof documents)["\n        query Q1HeadOfProgrammeOffice {\n          search(query: \"Programme Office in Astana\", kinds: [OFFICE], first: 1) {\n            nodes {\n              entity {\n                ... on Office {\n                  name\n                  heads {\n                    nodes {\n                      holder {\n                        ... on Person { name names { text kind } title nationality { name } }\n                      }\n                      when { edtf startStatus endStatus start { edtf precision } }\n                    }\n                  }\n                }\n              }\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query Q2WhoHeldWhichPost {\n          persons {\n            nodes {\n              name\n              names { text kind }\n              tenures {\n                nodes {\n                  post { name office { name } state { name } }\n                  when { edtf startStatus endStatus }\n                  timing\n                }\n              }\n            }\n          }\n        }\n      "): (typeof documents)["\n        query Q2WhoHeldWhichPost {\n          persons {\n            nodes {\n              name\n              names { text kind }\n              tenures {\n                nodes {\n                  post { name office { name } state { name } }\n                  when { edtf startStatus endStatus }\n                  timing\n                }\n              }\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query Q3ParticipatingSince {\n          state(key: \"kazakhstan\") { participatingStateSince { edtf precision earliest latest } }\n        }\n      "): (typeof documents)["\n        query Q3ParticipatingSince {\n          state(key: \"kazakhstan\") { participatingStateSince { edtf precision earliest latest } }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query Q4FieldOfficeNames {\n          office(key: \"osce-field-office-kazakhstan\") {\n            nameHistory { name period { start { edtf } end { edtf } endStatus } decidedBy { key } }\n          }\n        }\n      "): (typeof documents)["\n        query Q4FieldOfficeNames {\n          office(key: \"osce-field-office-kazakhstan\") {\n            nameHistory { name period { start { edtf } end { edtf } endStatus } decidedBy { key } }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query Q5NameOn($date: String!) {\n        office(key: \"office/osce-field-office-kazakhstan\") { nameOn(date: $date) { name } }\n      }\n    "): (typeof documents)["\n      query Q5NameOn($date: String!) {\n        office(key: \"office/osce-field-office-kazakhstan\") { nameOn(date: $date) { name } }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query Q6EventsIn2010 {\n          events(during: \"2010\") { totalCount nodes { name when { edtf } } }\n        }\n      "): (typeof documents)["\n        query Q6EventsIn2010 {\n          events(during: \"2010\") { totalCount nodes { name when { edtf } } }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query Q7EventsInAlmaty {\n          place(key: \"almaty\") { name state { name } events { nodes { name when { edtf } } } }\n        }\n      "): (typeof documents)["\n        query Q7EventsInAlmaty {\n          place(key: \"almaty\") { name state { name } events { nodes { name when { edtf } } } }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query Q8SummitChair {\n          event(key: \"2010-12-astana-osce-summit\") {\n            name\n            participants(role: CHAIR) { entity { label } capacity { post { name } timing } }\n          }\n        }\n      "): (typeof documents)["\n        query Q8SummitChair {\n          event(key: \"2010-12-astana-osce-summit\") {\n            name\n            participants(role: CHAIR) { entity { label } capacity { post { name } timing } }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query Q9PermanentCouncilDecisions {\n          office(key: \"osce-field-office-kazakhstan\") {\n            events(kind: DECISION) {\n              nodes {\n                name\n                when { edtf }\n                participants(role: DECIDING_BODY) { entity { label } }\n                officeNamesGiven { name }\n              }\n            }\n          }\n        }\n      "): (typeof documents)["\n        query Q9PermanentCouncilDecisions {\n          office(key: \"osce-field-office-kazakhstan\") {\n            events(kind: DECISION) {\n              nodes {\n                name\n                when { edtf }\n                participants(role: DECIDING_BODY) { entity { label } }\n                officeNamesGiven { name }\n              }\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query Q10OfficesOpenedIn1995 {\n          events(kind: OPENING, during: \"1995\") {\n            nodes {\n              place { name state { name } }\n              participants(role: SUBJECT) { entity { label } }\n            }\n          }\n        }\n      "): (typeof documents)["\n        query Q10OfficesOpenedIn1995 {\n          events(kind: OPENING, during: \"1995\") {\n            nodes {\n              place { name state { name } }\n              participants(role: SUBJECT) { entity { label } }\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query Q11EconomicPriorities {\n          dimension(key: \"economic-and-environmental\") { name priorities { nodes { name state { name } } } }\n        }\n      "): (typeof documents)["\n        query Q11EconomicPriorities {\n          dimension(key: \"economic-and-environmental\") { name priorities { nodes { name state { name } } } }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query Q12Cooperation {\n          state(key: \"kazakhstan\") { cooperatesWith { office { name abbreviation kind } } }\n        }\n      "): (typeof documents)["\n        query Q12Cooperation {\n          state(key: \"kazakhstan\") { cooperatesWith { office { name abbreviation kind } } }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query Q13Search($text: String!) {\n          search(query: $text) { nodes { entity { key label } matchedName score } }\n        }\n      "): (typeof documents)["\n        query Q13Search($text: String!) {\n          search(query: $text) { nodes { entity { key label } matchedName score } }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query Q14Chairmanships {\n          state(key: \"kazakhstan\") { tenures(postKind: CHAIRMANSHIP) { nodes { post { name } when { edtf precision } } } }\n        }\n      "): (typeof documents)["\n        query Q14Chairmanships {\n          state(key: \"kazakhstan\") { tenures(postKind: CHAIRMANSHIP) { nodes { post { name } when { edtf precision } } } }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query Q15ChairmanshipEvidence {\n          state(key: \"kazakhstan\") {\n            tenures(postKind: CHAIRMANSHIP, first: 1) {\n              nodes { provenance { kind text ... on SourceQuote { source { key text } offset } } }\n            }\n          }\n        }\n      "): (typeof documents)["\n        query Q15ChairmanshipEvidence {\n          state(key: \"kazakhstan\") {\n            tenures(postKind: CHAIRMANSHIP, first: 1) {\n              nodes { provenance { kind text ... on SourceQuote { source { key text } offset } } }\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PrioritiesPage($first: Int, $after: String) {\n    priorities(first: $first, after: $after) {\n      totalCount\n      edges { cursor node { key } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query PrioritiesPage($first: Int, $after: String) {\n    priorities(first: $first, after: $after) {\n      totalCount\n      edges { cursor node { key } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;