/**
 * `npx tsx bench/filters-asof-timeline.ts`: prints what filters, orders, as-of and the timeline
 * cost, on the built-in graph and on a synthetic one with 20,000 extra events and 10,000 extra
 * persons, and how fast bad search input is refused. Figures only; nothing is asserted.
 */
import { builtInDataset, builtInDatasetDir } from "../data/index.js";
import { loadBuiltInGraph } from "../data/load.js";
import { tenureCertainty } from "../src/graph/asof.js";
import { parsePartialDate } from "../src/graph/dates.js";
import { asOf, selectKeys, selectTimeline } from "../src/graph/lists.js";
import { buildGraph } from "../src/graph/load.js";
import { SearchIndex, SearchInputError } from "../src/graph/search.js";
import { buildTimeline } from "../src/graph/timeline.js";
import { createApp } from "../src/server/app.js";

function time<T>(run: () => T, repeat = 1): { ms: number; value: T } {
  let value!: T;
  const start = performance.now();
  for (let i = 0; i < repeat; i++) value = run();
  return { ms: (performance.now() - start) / repeat, value };
}
const f = (ms: number) => `${ms < 1 ? ms.toFixed(3) : ms.toFixed(1)} ms`;

const graph = await loadBuiltInGraph();
console.log(
  `built-in graph: timeline of ${graph.timeline.entries.length} entries built in ${f(time(() => buildTimeline(graph), 100).ms)}`,
);
console.log(
  `built-in graph: events { place: almaty, when: overlaps 2010 } in ${f(
    time(
      () =>
        selectKeys(graph, "event", {
          filter: { place: { eq: "almaty" }, when: { overlaps: "2010" } },
        }),
      1000,
    ).ms,
  )}`,
);
const szabo = parsePartialDate("2016-03-01");
console.log(
  `built-in graph: every tenure as of 2016-03-01 in ${f(
    time(
      () =>
        asOf(graph.lists.tenure, szabo, new Set(["YES", "MAYBE"] as const), (t, at) =>
          tenureCertainty(graph, t, at),
        ),
      1000,
    ).ms,
  )}`,
);

const search = SearchIndex.build(graph);
const refused = (text: string) => {
  try {
    search.search(text);
    return "searched";
  } catch (error) {
    return error instanceof SearchInputError ? "refused" : String(error);
  }
};
const tenKb = time(() => refused("szabo ".repeat(1707)), 10_000);
console.log(
  `search: a 10 KB query ${tenKb.value} in ${f(tenKb.ms)}; "nazarbaev" answered in ${f(time(() => search.search("nazarbaev"), 1000).ms)}`,
);
console.log(
  `search: "(a|b)+.*[" answered in ${f(time(() => search.search("(a|b)+.*["), 1000).ms)}`,
);

// A synthetic graph: 20,000 events spread over places, kinds and 40 years; 10,000 persons.
const input = structuredClone(builtInDataset) as unknown as Record<string, unknown[]>;
const places = ["place/almaty", "place/astana", "place/vienna", "place/madrid", "place/tashkent"];
const kinds = ["DECISION", "MEETING", "SUMMIT", "APPOINTMENT", "COMPLETION"];
const editorial = [{ editorial: "generated" }];
for (let i = 0; i < 20_000; i++) {
  const year = 1980 + (i % 40);
  const month = String(1 + (i % 12)).padStart(2, "0");
  input.events!.push({
    id: `event/e-${i}`,
    kind: kinds[i % kinds.length],
    name: { text: `Event ${i}`, provenance: editorial },
    when: { edtf: i % 3 === 0 ? `${year}` : `${year}-${month}`, provenance: editorial },
    place: { ref: places[i % places.length], provenance: editorial },
    participants: [{ ref: "state/kazakhstan", role: "SUBJECT", provenance: editorial }],
    provenance: editorial,
  });
}
for (let i = 0; i < 10_000; i++) {
  input.persons!.push({
    id: `person/p-${i}`,
    name: { text: `Person ${i}`, provenance: editorial },
    nationality: { ref: i % 2 ? "state/kazakhstan" : "state/hungary", provenance: editorial },
    provenance: editorial,
  });
}
const big = time(() =>
  buildGraph(input, { dir: builtInDatasetDir, fileOf: (c) => `data/${c}.ts` }),
);
console.log(
  `synthetic graph (+20,000 events, +10,000 persons): validated and indexed, timeline included, in ${f(big.ms)}`,
);
const g = big.value;
console.log(
  `synthetic graph: timeline of ${g.timeline.entries.length} entries built alone in ${f(time(() => buildTimeline(g), 5).ms)}`,
);

const cases: [string, () => { length: number }][] = [
  ["events, no filter", () => selectKeys(g, "event", {})],
  [
    "events { place: almaty } (index)",
    () => selectKeys(g, "event", { filter: { place: { eq: "almaty" } } }),
  ],
  [
    "events { when: overlaps 2001-05 } (year index)",
    () => selectKeys(g, "event", { filter: { when: { overlaps: "2001-05" } } }),
  ],
  [
    'events { name: contains "event 1999" } (scan)',
    () => selectKeys(g, "event", { filter: { name: { contains: "event 1999" } } }),
  ],
  [
    "events { kind: SUMMIT, place: astana } ordered by NAME DESC",
    () =>
      selectKeys(g, "event", {
        filter: { kind: { eq: "SUMMIT" }, place: { eq: "astana" } },
        orderBy: [{ field: "NAME", direction: "DESC" }],
      }),
  ],
  [
    "events { participant: kazakhstan/SUBJECT, when: before 1985 }",
    () =>
      selectKeys(g, "event", {
        filter: {
          participant: { entity: { eq: "kazakhstan" }, role: { eq: "SUBJECT" } },
          when: { before: "1985" },
        },
      }),
  ],
  [
    "events, 8 nested not",
    () => {
      let filter: object = { kind: { eq: "MEETING" } };
      for (let i = 0; i < 8; i++) filter = { not: filter };
      return selectKeys(g, "event", { filter });
    },
  ],
  [
    "persons { nationality: hungary } ordered by NAME",
    () =>
      selectKeys(g, "person", {
        filter: { nationality: { eq: "hungary" } },
        orderBy: [{ field: "NAME" }],
      }),
  ],
  [
    "timeline { entity: almaty, date: overlaps 2010 }",
    () => selectTimeline(g, { filter: { entity: { eq: "almaty" }, date: { overlaps: "2010" } } }),
  ],
  [
    "timeline ordered DATE DESC",
    () => selectTimeline(g, { orderBy: [{ field: "DATE", direction: "DESC" }] }),
  ],
];
for (const [label, run] of cases) {
  const { ms, value } = time(run, 10);
  console.log(`synthetic graph: ${label}: ${value.length} results in ${f(ms)}`);
}

// Over HTTP (in process, Yoga's fetch): parse, validate, cost checks, resolve, serialise.
const { yoga } = createApp(g);
const post = async (query: string) => {
  const response = await yoga.fetch("http://localhost/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return response.json();
};
const queries: [string, string][] = [
  [
    "events(place almaty, first 100) over HTTP",
    `{ events(filter: { place: { eq: "almaty" } }, first: 100) { totalCount nodes { key when { edtf } } } }`,
  ],
  [
    "heads asOf 2016-03-01 over HTTP",
    `{ office(key: "osce-field-office-kazakhstan") { heads(asOf: "2016-03-01") { edges { certainty node { key } } } } }`,
  ],
  [
    "timeline(first 100) over HTTP",
    `{ timeline(first: 100) { totalCount nodes { date { edtf } kind label } } }`,
  ],
];
for (const [label, query] of queries) {
  await post(query);
  const runs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    await post(query);
    runs.push(performance.now() - start);
  }
  runs.sort((a, b) => a - b);
  console.log(`synthetic graph: ${label}: median ${f(runs[10]!)}`);
}
