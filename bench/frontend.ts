/**
 * The explorer's own traffic, as a server sees it with no HTTP cache in front: the explorer's
 * documents (its trusted documents, web/src/gql/persisted-documents.json, sent as query text so
 * that every peer can answer them) with random keys and variables, mostly entity pages and
 * searches as people browse. With tens of thousands of distinct requests, a response cache rarely
 * has an answer: what is measured is parsing (cached), validation (cached), the cost estimate, and
 * execution over the graph. Used by `npm run bench` (scenario `frontend`) and `npm run bench:scale`
 * (`--frontend`, against Mercurius at 100k and 1M entities).
 */
import { loadTrustedDocuments } from "../src/server/trusted-documents.js";

/** What the requests are drawn from: entity keys by kind (`person/...`), and words of names for searches. */
export interface FrontendPool {
  keys: Readonly<Record<string, readonly string[]>>;
  words: readonly string[];
}

/** The page document of each kind of entity, as the explorer's routes open them. */
const PAGES: Record<string, string> = {
  person: "PersonPage",
  office: "OfficePage",
  event: "EventPage",
  tenure: "TenurePage",
  state: "StatePage",
  post: "PostPage",
  place: "PlacePage",
  priority: "PriorityPage",
  source: "SourcePage",
  dimension: "DimensionPage",
};

/**
 * How often each kind of request comes, out of 100: an explorer session opens entity pages
 * (people and events most), types into the search box (a suggestion per few letters), and now and
 * then opens the timeline, the offices view or a path between two entities.
 */
const WEIGHTS: [string, number][] = [
  ["page:person", 18],
  ["page:event", 10],
  ["page:office", 8],
  ["page:tenure", 6],
  ["page:state", 4],
  ["page:post", 4],
  ["page:place", 3],
  ["page:priority", 2],
  ["page:source", 2],
  ["page:dimension", 1],
  ["ExplorerSuggest", 14],
  ["ExplorerSearch", 9],
  ["ExplorerSearchKindCounts", 5],
  ["ExplorerSourceText", 2],
  ["ExplorerTimeline", 4],
  ["ExplorerOfficesTenures", 2],
  ["ExplorerOfficesNames", 2],
  ["ExplorerPath", 2],
  ["ExplorerBrowse", 1],
  ["ExplorerSourcesUpdated", 1],
];

const SEARCHABLE = [
  "DIMENSION",
  "EVENT",
  "OFFICE",
  "PERSON",
  "PLACE",
  "POST",
  "PRIORITY",
  "SOURCE",
];
const TIMELINE_KINDS = ["EVENT", "TENURE_START", "TENURE_END", "NAME_CHANGE"];

/** A small, seeded generator (mulberry32): the same seed gives the same requests. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The explorer's documents by operation name. */
export function explorerDocuments(): Map<string, string> {
  const byName = new Map<string, string>();
  for (const text of loadTrustedDocuments().values()) {
    const name = /\bquery\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(text)?.[1];
    if (name) byName.set(name, text);
  }
  return byName;
}

/**
 * Operations the peers cannot answer, left out of the comparison: Mercurius with graphql-jit
 * answers ExplorerTimeline once (interpreted), then never answers it again once it has compiled it
 * (the request hangs; seen with Mercurius 16, graphql-jit through `jit: 1`).
 */
export const PEERS_CANNOT_ANSWER: ReadonlySet<string> = new Set(["ExplorerTimeline"]);

export interface FrontendRequest {
  /** The operation, or `page:KIND` for an entity page. */
  kind: string;
  body: string;
}

/**
 * `count` requests drawn from `pool` (seeded), each a JSON body `{query, variables,
 * operationName}`; kinds of request the pool has nothing for, and operations in `leaveOut`, are
 * left out.
 */
export function frontendRequests(
  pool: FrontendPool,
  count: number,
  options: { seed?: number; leaveOut?: ReadonlySet<string> } = {},
): FrontendRequest[] {
  const documents = explorerDocuments();
  const next = random(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const slug = (key: string) => key.slice(key.indexOf("/") + 1);
  const keysOf = (kind: string) => pool.keys[kind] ?? [];
  const year = () => 1992 + Math.floor(next() * 34);
  const date = () => {
    const y = year();
    const r = next();
    return r < 0.4
      ? String(y)
      : r < 0.7
        ? `${y}-${String(1 + Math.floor(next() * 12)).padStart(2, "0")}`
        : `${y}-${String(1 + Math.floor(next() * 12)).padStart(2, "0")}-${String(1 + Math.floor(next() * 28)).padStart(2, "0")}`;
  };
  const word = () => pick(pool.words);
  /** A key of any kind but sources (which paths leave out: every fact cites one). */
  const anyKey = () => {
    const kinds = Object.keys(PAGES).filter((k) => k !== "source" && keysOf(k).length > 0);
    return pick(keysOf(pick(kinds)));
  };

  const variablesOf: Record<string, (() => Record<string, unknown>) | undefined> = {
    ExplorerSuggest: () => {
      const w = word();
      return { query: w.slice(0, Math.min(w.length, 2 + Math.floor(next() * 5))) };
    },
    ExplorerSearch: () => {
      const r = next();
      return {
        query: r < 0.3 ? `${word()} ${word()}` : word(),
        kinds: r < 0.6 ? null : [pick(SEARCHABLE)],
        after: null,
      };
    },
    ExplorerSearchKindCounts: () => ({ query: word() }),
    ExplorerSourceText: () => ({ key: slug(pick(keysOf("source"))) }),
    ExplorerTimeline: () => {
      const r = next();
      const from = year();
      const filter =
        r < 0.25
          ? null
          : r < 0.55
            ? { date: { overlaps: `${from}/${from + Math.floor(next() * 4)}` } }
            : r < 0.8
              ? { entity: { eq: anyKey() } }
              : { date: { overlaps: `${from}/..` }, kind: { in: [pick(TIMELINE_KINDS)] } };
      return { filter, after: null };
    },
    ExplorerOfficesTenures: () => {
      const asOf = next() < 0.3 ? null : date();
      return { asOf, certainty: asOf ? ["YES", "MAYBE", "NO"] : null, after: null };
    },
    ExplorerOfficesNames: () => ({ asOf: next() < 0.3 ? null : date() }),
    ExplorerPath: () => ({ from: anyKey(), to: anyKey() }),
    ExplorerBrowse: () => ({}),
    ExplorerSourcesUpdated: () => ({}),
  };

  const choices: {
    kind: string;
    name: string;
    weight: number;
    variables: () => Record<string, unknown>;
  }[] = [];
  for (const [kind, weight] of WEIGHTS) {
    if (kind.startsWith("page:")) {
      const entity = kind.slice(5);
      const name = PAGES[entity]!;
      if (keysOf(entity).length === 0 || options.leaveOut?.has(name) || !documents.has(name))
        continue;
      choices.push({ kind, name, weight, variables: () => ({ key: slug(pick(keysOf(entity))) }) });
    } else {
      const variables = variablesOf[kind];
      if (!variables || !documents.has(kind) || options.leaveOut?.has(kind)) continue;
      if (
        (kind === "ExplorerSourceText" && keysOf("source").length === 0) ||
        (/Search|Suggest/.test(kind) && pool.words.length === 0)
      )
        continue;
      choices.push({ kind, name: kind, weight, variables });
    }
  }
  if (choices.length === 0)
    throw new Error("frontend: no explorer document can be asked of this pool");
  const total = choices.reduce((n, c) => n + c.weight, 0);
  const requests: FrontendRequest[] = [];
  for (let i = 0; i < count; i++) {
    let at = next() * total;
    const choice = choices.find((c) => (at -= c.weight) < 0) ?? choices.at(-1)!;
    requests.push({
      kind: choice.kind,
      body: JSON.stringify({
        query: documents.get(choice.name),
        variables: choice.variables(),
        operationName: choice.name,
      }),
    });
  }
  return requests;
}

/** Words of entity names for searches: a few from each kind's keys (slugs are made of name words). */
export function wordsOfKeys(
  keys: Readonly<Record<string, readonly string[]>>,
  limit = 400,
): string[] {
  const words = new Set<string>();
  const all = Object.values(keys).flat();
  for (
    let i = 0;
    i < all.length && words.size < limit;
    i += Math.max(1, Math.floor(all.length / (limit * 2)))
  ) {
    for (const part of all[i]!.slice(all[i]!.indexOf("/") + 1).split("-"))
      if (/^[a-z]{4,}$/.test(part)) words.add(part);
  }
  return [...words].slice(0, limit);
}
