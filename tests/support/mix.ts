/**
 * The benchmark's query mix: each operation is a GraphQL document with several variable sets,
 * and a hand-written "raw" answer built from the same in-memory graph without any GraphQL
 * machinery (what bench/servers/raw.ts serves: the practical limit of node:http).
 *
 * The raw answers must be byte-identical to what the GraphQL servers return: the harness
 * checks every body before measuring, and bench/tests/harness.test.ts checks them against Yoga.
 * It lives with the tests because they send its documents too (tests/server/fast-path.test.ts)
 * while the benchmarks, a package of their own (bench/package.json), import it from here.
 * Field order in a raw answer is the order of the document's selections.
 */
import {
  type Certainty,
  type PartialDate,
  parsePartialDate,
  tryParsePartialDate,
} from "../../src/graph/dates.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import type { Dated, Provenance, Tenure } from "../../src/graph/model.js";
import type { SearchIndex } from "../../src/graph/search.js";

export interface Served {
  graph: KnowledgeGraph;
  search: SearchIndex;
}

export type Variables = Record<string, unknown>;

export interface Operation {
  /** The operationName of the document; the raw server dispatches on it. */
  name: string;
  /** What it stands for in the table. */
  label: string;
  document: string;
  /** Variable sets, taken in turn by the load generator. */
  variables: Variables[];
  /** The `data` of the answer, built by hand. */
  raw(served: Served, variables: Variables): unknown;
}

/** A request body as every server receives it. */
export const bodyOf = (op: { name: string; document: string }, variables: Variables): string =>
  JSON.stringify({ operationName: op.name, query: op.document, variables });

/** POSTs an operation to a Yoga in process (its `fetch`, no HTTP), asking for a GraphQL response. */
export const postToYoga = (
  yoga: { fetch: (url: string, init: RequestInit) => Promise<Response> | Response },
  op: { name: string; document: string },
  variables: Variables = {},
): Promise<Response> =>
  Promise.resolve(
    yoga.fetch("http://localhost/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json",
      },
      body: bodyOf(op, variables),
    }),
  );

// ---------------------------------------------------------------- helpers of the raw answers

const globalId = (typename: string, key: string) =>
  Buffer.from(`${typename}:${key}`).toString("base64");

function provenanceOf({ graph }: Served, list: readonly Provenance[]) {
  return list.map((p) =>
    "quote" in p
      ? {
          kind: "QUOTE",
          text: p.quote,
          source: { key: p.source },
          offset: graph.text(p.source)?.indexOf(p.quote) ?? 0,
        }
      : { kind: "EDITORIAL", text: p.editorial },
  );
}

function labelOf({ graph }: Served, key: string): string {
  const entity = graph.entity(key) as { name?: { text: string } } | undefined;
  return entity?.name?.text ?? key;
}

/** Pothos' array connection: `first` entries, hasNextPage when more follow. */
function page<T>(
  items: { readonly length: number; slice(start: number, end: number): T[] },
  first: number,
) {
  const nodes = items.slice(0, first);
  return { nodes, totalCount: items.length, hasNextPage: items.length > nodes.length };
}

/** The keys of an office's HEAD_OF_OFFICE tenures, chronologically (as Office.heads lists them). */
function headKeys(graph: KnowledgeGraph, office: string): string[] {
  const posts = graph.postsByOffice
    .get(office)
    .filter((key) => graph.get("post", key)?.kind === "HEAD_OF_OFFICE");
  return posts
    .flatMap((post) => graph.tenuresByPost.get(post))
    .sort(graph.chronologically((key: string) => graph.get("tenure", key)!.when));
}

function dateOf(graph: KnowledgeGraph, dated: Dated) {
  return graph.date(dated);
}

/** As Office.heads(asOf:) judges a tenure: a POINT_IN_TIME tenure is never certainly absent. */
function tenureCertainty(graph: KnowledgeGraph, tenure: Tenure, at: PartialDate): Certainty {
  const certainty = graph.certainty(tenure.when, at);
  if (tenure.timing === "PERIOD") return certainty;
  return certainty === "YES" ? "YES" : "MAYBE";
}

// ---------------------------------------------------------------- the operations

const POINT = `query Point($id: ID!) {
  node(id: $id) {
    id
    ... on Person { key name title nationality { key name } }
  }
}`;

const HEADS = `query Heads($office: String!, $first: Int!) {
  office(key: $office) {
    key
    name
    heads(first: $first) {
      totalCount
      nodes {
        key
        holder { ... on Entity { key label } }
        post { name }
        when { edtf wording startStatus endStatus earliest latest }
        timing
        provenance { kind text ... on SourceQuote { source { key } offset } }
      }
    }
  }
}`;

const TWO_HOP = `query TwoHop($state: String!, $first: Int!) {
  state(key: $state) {
    key
    name
    persons(first: $first) {
      totalCount
      pageInfo { hasNextPage }
      nodes {
        key
        name
        tenures(first: $first) {
          totalCount
          nodes { key post { key name } when { edtf } }
        }
      }
    }
  }
}`;

const SEARCH = `query Search($q: String!, $first: Int!) {
  search(query: $q, first: $first) {
    totalCount
    nodes { entity { key label } matchedName matchedNameKind score }
  }
}`;

const AS_OF = `query AsOf($office: String!, $date: String!, $first: Int!) {
  office(key: $office) {
    key
    heads(asOf: $date, first: $first) {
      totalCount
      edges { certainty node { key holder { ... on Entity { label } } when { edtf } } }
    }
  }
}`;

const NAME_ON = `query NameOn($office: String!, $date: String!) {
  office(key: $office) {
    key
    nameOn(date: $date) { name period { edtf startStatus endStatus } decidedBy { key name } }
  }
}`;

/** Spread `count` picks evenly over a list (deterministic). */
function spread<T>(list: readonly T[], count: number): T[] {
  if (list.length <= count) return [...list];
  return Array.from({ length: count }, (_, i) => list[Math.floor((i * list.length) / count)]!);
}

const FIRST = 10;
/** How many variable sets each operation rotates through. */
const SETS = 16;

/**
 * The hot query mix over `served`. `asOf`: whether the schema has `Office.heads(asOf:)`
 * (see hasAsOf); without it, `Office.nameOn(date:)` stands in as the time query.
 */
export function hotMix({ graph, search }: Served, options: { asOf: boolean }): Operation[] {
  const persons = spread(graph.keys.person, SETS);
  const officesWithHeads = graph.keys.office.filter((o) => headKeys(graph, o).length > 0);
  const statesWithNationals = graph.keys.state.filter(
    (s) => graph.personsByNationality.get(s).length > 0,
  );
  const officesWithNames = graph.keys.office.filter(
    (o) => (graph.get("office", o)?.nameHistory.length ?? 0) > 0,
  );
  const served = { graph, search };

  const point: Operation = {
    name: "Point",
    label: "point lookup by id",
    document: POINT,
    variables: persons.map((key) => ({ id: globalId("Person", key) })),
    raw: ({ graph }, v) => {
      const [typename, ...rest] = Buffer.from(String(v.id), "base64").toString().split(":");
      const person = typename === "Person" ? graph.get("person", rest.join(":")) : undefined;
      if (!person) throw new Error(`raw Point: no person for ${String(v.id)}`);
      const nationality = person.nationality
        ? graph.get("state", person.nationality.ref)!
        : undefined;
      return {
        node: {
          id: v.id,
          key: person.id,
          name: person.name.text,
          title: person.title?.text ?? null,
          nationality: nationality ? { key: nationality.id, name: nationality.name.text } : null,
        },
      };
    },
  };

  const heads: Operation = {
    name: "Heads",
    label: "who headed which office (dates, provenance)",
    document: HEADS,
    variables: spread(officesWithHeads, SETS).map((office) => ({ office, first: FIRST })),
    raw: (s, v) => {
      const office = s.graph.get("office", String(v.office))!;
      const p = page(headKeys(s.graph, office.id), Number(v.first));
      return {
        office: {
          key: office.id,
          name: office.name.text,
          heads: {
            totalCount: p.totalCount,
            nodes: p.nodes.map((key) => {
              const tenure = s.graph.get("tenure", key)!;
              const when = dateOf(s.graph, tenure.when);
              return {
                key: tenure.id,
                holder: { key: tenure.holder, label: labelOf(s, tenure.holder) },
                post: { name: s.graph.get("post", tenure.post)!.name.text },
                when: {
                  edtf: when.edtf,
                  wording: tenure.when.wording ?? null,
                  startStatus: when.startStatus,
                  endStatus: when.endStatus,
                  earliest: when.earliest,
                  latest: when.latest,
                },
                timing: tenure.timing,
                provenance: provenanceOf(s, tenure.provenance),
              };
            }),
          },
        },
      };
    },
  };

  const twoHop: Operation = {
    name: "TwoHop",
    label: "two hops, first: 10 (state → persons → tenures)",
    document: TWO_HOP,
    variables: spread(statesWithNationals, SETS).map((state) => ({ state, first: FIRST })),
    raw: ({ graph }, v) => {
      const state = graph.get("state", String(v.state))!;
      const first = Number(v.first);
      const persons = page(graph.personsByNationality.get(state.id), first);
      return {
        state: {
          key: state.id,
          name: state.name.text,
          persons: {
            totalCount: persons.totalCount,
            pageInfo: { hasNextPage: persons.hasNextPage },
            nodes: persons.nodes.map((key) => {
              const person = graph.get("person", key)!;
              const tenures = page(graph.tenuresByHolder.get(key), first);
              return {
                key,
                name: person.name.text,
                tenures: {
                  totalCount: tenures.totalCount,
                  nodes: tenures.nodes.map((t) => {
                    const tenure = graph.get("tenure", t)!;
                    const post = graph.get("post", tenure.post)!;
                    return {
                      key: t,
                      post: { key: post.id, name: post.name.text },
                      when: { edtf: graph.date(tenure.when).edtf },
                    };
                  }),
                },
              };
            }),
          },
        },
      };
    },
  };

  const searchOp: Operation = {
    name: "Search",
    label: "search, first: 10",
    document: SEARCH,
    variables: searchQueries(graph).map((q) => ({ q, first: FIRST })),
    raw: (s, v) => {
      const hits = page(s.search.find(String(v.q)), Number(v.first));
      return {
        search: {
          totalCount: hits.totalCount,
          nodes: hits.nodes.map((h) => ({
            entity: { key: h.id, label: labelOf(s, h.id) },
            matchedName: h.matchedName,
            matchedNameKind: h.matchedNameKind,
            score: h.score,
          })),
        },
      };
    },
  };

  const dates = ["2005", "2010-12-01", "2015-06", "2016-03-01", "2000/2012"];
  const asOf: Operation = {
    name: "AsOf",
    label: "as of a date: Office.heads(asOf:)",
    document: AS_OF,
    variables: spread(officesWithHeads, SETS).map((office, i) => ({
      office,
      date: dates[i % dates.length]!,
      first: FIRST,
    })),
    raw: ({ graph }, v) => {
      const office = graph.get("office", String(v.office))!;
      const at = parsePartialDate(String(v.date));
      const held = headKeys(graph, office.id)
        .map((key) => ({ key, certainty: tenureCertainty(graph, graph.get("tenure", key)!, at) }))
        .filter((h) => h.certainty !== "NO");
      const p = page(held, Number(v.first));
      return {
        office: {
          key: office.id,
          heads: {
            totalCount: p.totalCount,
            edges: p.nodes.map(({ key, certainty }) => {
              const tenure = graph.get("tenure", key)!;
              return {
                certainty,
                node: {
                  key,
                  holder: { label: labelOf(served, tenure.holder) },
                  when: { edtf: graph.date(tenure.when).edtf },
                },
              };
            }),
          },
        },
      };
    },
  };

  const nameOn: Operation = {
    name: "NameOn",
    label: "as of a date (stand-in): Office.nameOn(date:)",
    document: NAME_ON,
    variables: spread(officesWithNames, SETS).map((office, i) => ({
      office,
      date: dates[i % dates.length]!,
    })),
    raw: ({ graph }, v) => {
      const office = graph.get("office", String(v.office))!;
      const parsed = tryParsePartialDate(String(v.date));
      if (!parsed.ok) throw new Error(parsed.error);
      const rank = { YES: 2, MAYBE: 1, NO: 0 } as const;
      let best: { name: (typeof office.nameHistory)[number]; score: number } | undefined;
      for (const name of office.nameHistory) {
        const score = rank[graph.certainty(name.when, parsed.value)];
        if (score > 0 && (!best || score >= best.score)) best = { name, score };
      }
      const name = best?.name;
      const period = name && graph.date(name.when);
      const decision = name?.decidedBy ? graph.get("event", name.decidedBy) : undefined;
      return {
        office: {
          key: office.id,
          nameOn: name
            ? {
                name: name.text,
                period: {
                  edtf: period!.edtf,
                  startStatus: period!.startStatus,
                  endStatus: period!.endStatus,
                },
                decidedBy: decision ? { key: decision.id, name: decision.name.text } : null,
              }
            : null,
        },
      };
    },
  };

  const ops = [point, heads, twoHop, searchOp, options.asOf ? asOf : nameOn];
  for (const op of ops)
    if (op.variables.length === 0) throw new Error(`the dataset gives no variables for ${op.name}`);
  return ops;
}

/** Search words: the built-in examples when the graph has them, plus words of names across the graph. */
function searchQueries(graph: KnowledgeGraph): string[] {
  const words: string[] = [];
  for (const key of spread(graph.keys.person.concat(graph.keys.office, graph.keys.event), SETS)) {
    const entity = graph.entity(key) as { name: { text: string } };
    const word = entity.name.text.split(/\s+/).find((w) => /^\p{L}{4,}$/u.test(w));
    if (word) words.push(word);
  }
  const builtIn = graph.entity("person/gyorgy-szabo")
    ? ["Sabo", "nazarbaev", "ODIHR", "Programme Office"]
    : [];
  return [...builtIn, ...words].slice(0, SETS);
}

/**
 * Distinct documents for the cold run: every one differs in its text (aliases carry a counter)
 * and in its selection, so no parse, validation, compilation or response cache can help.
 */
export function coldDocuments(
  { graph }: Served,
  count: number,
): { name: string; document: string }[] {
  const persons = spread(graph.keys.person, 64);
  const offices = spread(graph.keys.office, 64);
  const states = spread(graph.keys.state, 64);
  const docs: { name: string; document: string }[] = [];
  for (let i = 0; i < count; i++) {
    const name = `Cold${i}`;
    const pick = (list: readonly string[]) => JSON.stringify(list[i % list.length]!);
    const bit = (n: number) => (i >> n) & 1;
    let selection: string;
    switch (i % 3) {
      case 0:
        selection = `p${i}: person(key: ${pick(persons)}) { k${i}: key name ${bit(2) ? "title" : ""} ${bit(3) ? "names { text kind }" : ""} nationality { n${i}: name ${bit(4) ? "key" : ""} } }`;
        break;
      case 1:
        selection = `o${i}: office(key: ${pick(offices)}) { k${i}: key name kind ${bit(2) ? "abbreviation" : ""} ${bit(3) ? "nameHistory(first: 5) { nodes { name period { edtf } } }" : ""} posts(first: ${1 + (i % 5)}) { totalCount nodes { n${i}: name kind } } }`;
        break;
      default:
        selection = `s${i}: state(key: ${pick(states)}) { k${i}: key name ${bit(2) ? "names { text }" : ""} persons(first: ${1 + (i % 7)}) { totalCount nodes { key ${bit(3) ? "title" : ""} } } }`;
    }
    docs.push({ name, document: `query ${name} { ${selection} }` });
  }
  return docs;
}
