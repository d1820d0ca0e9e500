/**
 * The compact search index against independent oracles: the former minisearch index (same ranks,
 * names and scores), a brute-force matcher (the same entities, so an exact totalCount; the same
 * dictionary terms per query word, within the allowed edits), and a full sort (top-k and slices).
 * On the built-in graph and on a generated one with thousands of look-alike names and tied scores.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { generate } from "../../data/synthetic/generate.js";
import { Deadline, DeadlineExceededError } from "../../src/graph/deadline.js";
// the edit distance the validator suggests names with: the brute-force reference for the typo walk
import { levenshtein } from "../../src/graph/distance.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import {
  allowedEdits,
  MIN_FUZZY_LENGTH,
  MIN_PREFIX_LENGTH,
  normalizeTerm,
  queryTerms,
  type SearchableKind,
  type SearchHit,
  SearchIndex,
  searchableKinds,
  tokenize,
} from "../../src/graph/search.js";
import { MiniSearchIndex } from "../support/minisearch-index.js";

/** A deadline that sums the work it is charged. */
class Counting extends Deadline {
  units = 0;
  override check(work = 1): void {
    this.units += work;
    super.check(work);
  }
}

let dir: string;
let builtIn: { graph: KnowledgeGraph; index: SearchIndex; reference: MiniSearchIndex };
let generated: {
  graph: KnowledgeGraph;
  index: SearchIndex;
  reference: MiniSearchIndex;
  surnames: string[];
};

beforeAll(async () => {
  const graph = await loadBuiltInGraph();
  builtIn = { graph, index: SearchIndex.build(graph), reference: MiniSearchIndex.build(graph) };
  dir = mkdtempSync(join(tmpdir(), "search-index-"));
  generate({ entities: 4000, seed: 11, out: dir, format: "json" });
  const big = loadJsonGraph(dir);
  const surnames = [...new Set(big.lists.person.map((p) => p.name.text.split(" ")[1]!))].sort();
  generated = {
    graph: big,
    index: SearchIndex.build(big),
    reference: MiniSearchIndex.build(big),
    surnames,
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every normalised term of every searchable name of the graph (what the dictionary must hold). */
function dictionaryOf(graph: KnowledgeGraph): Set<string> {
  const terms = new Set<string>();
  for (const names of namesByEntity(graph).values()) {
    for (const name of names) for (const token of tokenize(name)) terms.add(normalizeTerm(token)!);
  }
  return terms;
}

/** Every name of every searchable entity, by key. */
function namesByEntity(graph: KnowledgeGraph): Map<string, string[]> {
  const byEntity = new Map<string, string[]>();
  for (const kind of searchableKinds) {
    for (const entity of graph.lists[kind]) {
      const names = [
        entity.name.text,
        entity.abbreviation?.text,
        ...entity.aliases.map((a) => a.text),
        entity.description?.text,
      ];
      if ("nameHistory" in entity) names.push(...entity.nameHistory.map((n) => n.text));
      byEntity.set(
        entity.id,
        names.filter((n): n is string => n !== undefined),
      );
    }
  }
  return byEntity;
}

/** Whether a term of a name matches a query term: itself, as a prefix (3+ letters), or within the allowed edits. */
function matches(term: string, query: string): boolean {
  return (
    term === query ||
    (query.length >= MIN_PREFIX_LENGTH && term.startsWith(query)) ||
    // (terms whose lengths differ by more than the edits allowed are that many edits apart at least)
    (Math.abs(term.length - query.length) <= allowedEdits(query.length) &&
      levenshtein(term, query) <= allowedEdits(query.length))
  );
}

/**
 * The normalised terms of every name, by key, made once per graph: the brute force below reads
 * them for every query (tokenizing every name again per query was 1.2 of its 1.4 CPU-s).
 */
const termsOf = new WeakMap<KnowledgeGraph, Map<string, string[]>>();
function termsByEntity(graph: KnowledgeGraph): Map<string, string[]> {
  let terms = termsOf.get(graph);
  if (!terms) {
    terms = new Map();
    for (const [id, names] of namesByEntity(graph))
      terms.set(
        id,
        names.flatMap((name) => tokenize(name).map((t) => normalizeTerm(t)!)),
      );
    termsOf.set(graph, terms);
  }
  return terms;
}

/** The keys of the entities a query must find, by brute force over every name. */
function bruteForce(
  graph: KnowledgeGraph,
  query: string,
  kinds?: readonly SearchableKind[],
): string[] {
  const wanted = queryTerms(query);
  const found: string[] = [];
  for (const [id, terms] of termsByEntity(graph)) {
    if (kinds && !kinds.includes(id.split("/")[0] as SearchableKind)) continue;
    if (terms.some((term) => wanted.some((q) => matches(term, q)))) found.push(id);
  }
  return found.sort();
}

/** Hits in rank order: score descending, then key ascending; one per entity. */
function expectRanked(hits: SearchHit[]): void {
  expect(new Set(hits.map((h) => h.id)).size).toBe(hits.length);
  for (let i = 1; i < hits.length; i++) {
    const [a, b] = [hits[i - 1]!, hits[i]!];
    expect(
      a.score > b.score || (a.score === b.score && a.id < b.id),
      `${a.id} ${a.score} before ${b.id} ${b.score}`,
    ).toBe(true);
  }
}

/** Same hits as the reference: same entities in the same order, same names, scores equal but for rounding. */
function expectSameAsReference(hits: SearchHit[], reference: SearchHit[]): void {
  expect(hits.map((h) => [h.id, h.matchedName, h.matchedNameKind])).toEqual(
    reference.map((h) => [h.id, h.matchedName, h.matchedNameKind]),
  );
  hits.forEach((hit, i) => expect(hit.score).toBeCloseTo(reference[i]!.score, 9));
}

// a sample of generated surnames with typos of each kind, prefixes and several words
const variants = (word: string) => [
  word,
  word.toUpperCase(),
  word.slice(0, 3),
  word.slice(0, -1),
  `${word}a`,
  `${word.slice(0, 2)}${word.slice(3)}`, // a letter left out
  `${word.slice(0, 1)}x${word.slice(2)}`, // a letter replaced
  `${word.slice(0, 1)}${word[2]}${word[1]}${word.slice(3)}`, // two letters swapped (two edits)
];

describe("the compact index ranks, names and scores like the former minisearch index", () => {
  it.each([
    "szabo",
    "Gyorgy Sabo",
    "nazarbaev",
    "NursultanNazarbayev",
    "Programmme",
    "osce",
    "OSCE osce",
    "Astana",
    "kazakh",
    "human rights",
    "in",
    "ODIHR",
    "Centre in Almaty",
    "diplomat",
    "Spaim",
    "Jarbusinova",
    "fsc",
    "co-operation",
    // phrase boost and cut-off (issue 12), which the reference applies on its own
    "decision to hold the OSCE Summit in Kazakhstan",
    "combating trafficking in human beings",
    "OSCE Centre in Astana",
    "the OSCE the OSCE",
  ])("on the built-in graph: %s", (q) => {
    expectSameAsReference(builtIn.index.search(q), builtIn.reference.search(q));
  });

  it("on the built-in graph with kinds", () => {
    for (const kinds of [
      ["event"],
      ["place", "office"],
      [],
      ["person", "state"],
    ] as SearchableKind[][]) {
      for (const q of ["Astana", "osce", "kazakhstan"])
        expectSameAsReference(
          builtIn.index.search(q, { kinds }),
          builtIn.reference.search(q, { kinds }),
        );
    }
  });

  it("on a generated graph of 4,000 entities, for surnames, typos, prefixes and several words", () => {
    const { index, reference, surnames } = generated;
    const sample = surnames.filter((_, i) => i % 37 === 0);
    expect(sample.length).toBeGreaterThan(20);
    for (const surname of sample) {
      for (const q of [...variants(surname), `Anna ${surname}`, `${surname} ${surname}`]) {
        expectSameAsReference(index.search(q), reference.search(q));
      }
    }
  });
});

// The brute force knows which entities match, not their scores: it is compared with the index
// without its relative cut-off (minRelativeScore 0); the cut-off itself is compared with the reference.
const uncut = { minRelativeScore: 0 };

describe("totalCount", () => {
  it("is the number of distinct entities with a matching name, found by brute force", () => {
    const { graph, index, surnames } = generated;
    for (const surname of surnames.filter((_, i) => i % 97 === 0)) {
      for (const q of [
        surname,
        surname.slice(0, 3),
        `${surname.slice(0, 1)}x${surname.slice(2)}`,
        `Madina ${surname}`,
      ]) {
        const expected = bruteForce(graph, q);
        const results = index.find(q, uncut);
        expect(results.totalCount, q).toBe(expected.length);
        expect(
          results
            .all()
            .map((h) => h.id)
            .sort(),
          q,
        ).toEqual(expected);
      }
    }
  });

  it("counts only the kinds asked for", () => {
    const { graph, index } = generated;
    for (const kinds of [
      ["person"],
      ["state", "place"],
      ["office", "post", "event"],
    ] as SearchableKind[][]) {
      for (const q of ["kara", "Office", "lagenia"])
        expect(index.find(q, { kinds, ...uncut }).totalCount).toBe(
          bruteForce(graph, q, kinds).length,
        );
    }
    expect(index.find("kara", { kinds: [] }).totalCount).toBe(0);
  });

  it("is the same on the built-in graph", () => {
    for (const q of ["osce", "Astana", "nazarbaev", "in", "kazakh"]) {
      expect(builtIn.index.find(q, uncut).totalCount).toBe(bruteForce(builtIn.graph, q).length);
    }
  });

  it("counts, with the cut-off, the hits the reference keeps", () => {
    const { index, reference, surnames } = generated;
    for (const q of [
      ...surnames.filter((_, i) => i % 97 === 0),
      "Madina Kaol",
      "kar",
      "OSCE Head Summit Opening",
    ]) {
      expect(index.find(q).totalCount, q).toBe(reference.search(q).length);
      expect(index.find(q).totalCount, q).toBeLessThanOrEqual(index.find(q, uncut).totalCount);
    }
  });
});

describe("top-k selection", () => {
  it("gives the first k of the full ranking, for any k", () => {
    const { index, surnames } = generated;
    for (const q of [
      surnames[0]!,
      surnames[40]!.slice(0, 3),
      "kar",
      "anna",
      "Office",
      "Summit",
      "Zarina Kara",
    ]) {
      const all = index.find(q).all();
      expectRanked(all);
      expect(all.length).toBeGreaterThan(2);
      for (const k of [0, 1, 2, 3, 10, 25, all.length - 1, all.length, all.length + 5]) {
        expect(index.find(q).top(k), `${q} top ${k}`).toEqual(all.slice(0, Math.max(k, 0)));
      }
    }
  });

  it("slices like an array, so that pages after a cursor are the same as from the full list", () => {
    const all = generated.index.find("kar").all();
    const results = generated.index.find("kar");
    for (const [start, end] of [
      [0, 10],
      [10, 20],
      [5, 6],
      [all.length - 3, all.length + 2],
      [7, 3],
      [-4, undefined],
    ] as const) {
      expect(results.slice(start, end)).toEqual(all.slice(start, end));
    }
  });

  it("gives a page near the end, kept as the worst hits, as the full ranking has it, ties included", () => {
    const { index } = generated;
    // tied scores ("Anna ..."), and hundreds of hits
    for (const q of ["Anna", "Office", "office osce"]) {
      const all = index.find(q, uncut).all();
      const n = all.length;
      expect(n).toBeGreaterThan(40);
      // each from fresh results: no full sort left over from an earlier slice
      for (const [start, end] of [
        [n - 1, n],
        [n - 10, n],
        [n - 100, n],
        [n - 100, n - 50],
        [Math.floor(n / 2) + 1, n - 1],
        [Math.floor(n / 2) - 1, Math.floor(n / 2) + 5],
        [-25, undefined],
      ] as const) {
        expect(index.find(q, uncut).slice(start, end), `${q} ${start}..${end}`).toEqual(
          all.slice(start, end),
        );
      }
    }
  });

  it("charges its ranking to the search's deadline, one unit per comparison, however the page is chosen", () => {
    const { index } = generated;
    const n = index.find("office osce", uncut).totalCount;
    expect(n).toBeGreaterThan(300);
    /** The deadline units each way of ranking is charged, beyond the search itself. */
    const charged = (rank: (results: ReturnType<SearchIndex["find"]>) => unknown) => {
      const deadline = new Counting(1e9, { checkEvery: 1 });
      const results = index.find("office osce", { ...uncut, deadline });
      const searched = deadline.units;
      rank(results);
      return deadline.units - searched;
    };
    // every hit is compared with the kept ones at least once; a full sort about log2(n) times
    expect(charged((r) => r.top(10))).toBeGreaterThanOrEqual(n);
    expect(charged((r) => r.slice(n - 10, n))).toBeGreaterThanOrEqual(n);
    expect(charged((r) => r.all())).toBeGreaterThanOrEqual(n * Math.floor(Math.log2(n)));
    // past its deadline, ranking stops at its first checkpoint
    const clock = { t: 0 };
    const deadline = new Deadline(10, { now: () => clock.t, checkEvery: 1 });
    const results = index.find("office osce", { ...uncut, deadline });
    clock.t = 11;
    expect(() => results.slice(n - 10, n)).toThrow(DeadlineExceededError);
  });

  it("breaks ties by key, also where a page cuts through a run of equal scores", () => {
    const { index } = generated;
    // a first name shared by hundreds of persons: the same score for every "Anna ..." of the same length
    const all = index.find("Anna").all();
    const tied = all.filter((h) => h.score === all[0]!.score);
    expect(tied.length).toBeGreaterThan(10);
    expect(tied.map((h) => h.id)).toEqual(tied.map((h) => h.id).sort());
    expect(
      index
        .find("Anna")
        .top(5)
        .map((h) => h.id),
    ).toEqual(tied.slice(0, 5).map((h) => h.id));
  });

  it("does not depend on earlier searches (its scratch space is reused)", () => {
    const { index } = generated;
    const first = index.find("kara").all();
    index.find("anna");
    index.find("kara", { kinds: ["state"] });
    expect(index.find("kara").all()).toEqual(first);
    // results already returned stay valid after later searches
    const held = index.find("lena");
    const page = held.top(3);
    index.find("boris");
    expect(held.top(3)).toEqual(page);
  });
});

describe("the table the scores are summed in", () => {
  // a few words that reach a few thousand names of the generated graph
  const broad = [
    "OSCE Head Summit Opening",
    "Anna Boris Clara Daniyar Elena Farid Galina Hans Irina Janos Karl Lena",
    "kar lag tan sen bek mar del ris lin ura ola kos",
  ];
  /** The kept table of an index (private): its stamp counter and the names the last search reached. */
  const keptTable = (index: SearchIndex) =>
    (
      index as unknown as {
        scratch: { search: number; used: { length: number }; names: number; entities: number };
      }
    ).scratch;

  it("holds a search that reaches more names than its first hits' room (1,024), and ranks them as the reference does", () => {
    const { graph, index, reference } = generated;
    const fresh = SearchIndex.build(graph);
    // (and one that reaches 1,235 names, 1,130 hits once none is cut)
    for (const q of [...broad, "the of in on and office osce"]) {
      const hits = fresh.search(q, { minRelativeScore: 0 });
      expectSameAsReference(hits, reference.search(q, { minRelativeScore: 0 }));
      expect(index.find(q, { minRelativeScore: 0 }).totalCount).toBe(hits.length);
    }
    expect(keptTable(fresh).used.length).toBeGreaterThan(1024);
    expect(
      fresh.find("the of in on and office osce", { minRelativeScore: 0 }).totalCount,
    ).toBeGreaterThan(1024);
    expectSameAsReference(fresh.search("kara"), reference.search("kara"));
  });

  it("has a slot for every name and every entity of its index", () => {
    const { graph } = generated;
    const fresh = SearchIndex.build(graph);
    fresh.find("kara");
    const { names, entities } = fresh.size;
    expect(keptTable(fresh)).toMatchObject({ names, entities });
  });

  it("starts over when its stamps run out, nothing of the searches before it left", () => {
    const { graph, reference } = generated;
    const fresh = SearchIndex.build(graph);
    fresh.find("kara"); // its names stamped 1
    keptTable(fresh).search = 0x7fffffff - 1;
    fresh.find("anna"); // the last stamp
    // stamped 1 again: "kara"'s names would be taken for its own, were the stamps not cleared
    expectSameAsReference(fresh.search("lena"), reference.search("lena"));
    expectSameAsReference(fresh.search("kara"), reference.search("kara"));
  });
});

describe("typo tolerance is bounded", () => {
  it("allows no edits below 4 letters, 1 edit for 4 to 7 letters and 2 from 8", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 30].map(allowedEdits)).toEqual([
      0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
    ]);
    expect(MIN_FUZZY_LENGTH).toBe(4);
  });

  it("expands a word to exactly the dictionary terms the rules allow, each with its distance", () => {
    const { graph, index, surnames } = generated;
    const dictionary = [...dictionaryOf(graph)];
    const words = [
      ...surnames.filter((_, i) => i % 53 === 0).flatMap(variants),
      "kar",
      "ka",
      "anna",
      "Annaa",
      "lagenia",
      "office",
      "Ofice",
      "zzzz",
      "δελτα",
      "Астана",
    ];
    for (const word of words) {
      const q = normalizeTerm(word)!;
      const edits = allowedEdits(q.length);
      const expected = dictionary
        .map((term) => {
          if (term === q) return { term, match: "exact", edits: 0 };
          if (q.length >= MIN_PREFIX_LENGTH && term.startsWith(q))
            return { term, match: "prefix", edits: 0 };
          // (terms whose lengths differ by more than the edits allowed are that many edits apart
          // at least: no distance to compute for most of the dictionary)
          const distance =
            edits > 0 && Math.abs(term.length - q.length) <= edits
              ? levenshtein(term, q)
              : Infinity;
          return distance <= edits ? { term, match: "fuzzy", edits: distance } : undefined;
        })
        .filter((e) => e !== undefined)
        .sort((a, b) => (a.term < b.term ? -1 : 1));
      const found = index
        .expansions(word)
        .map(({ term, match, edits }) => ({ term, match, edits }))
        .sort((a, b) => (a.term < b.term ? -1 : 1));
      expect(found, word).toEqual(expected);
      expect(found.every((e) => e.edits <= edits)).toBe(true);
    }
  });

  it("weighs a match by how far it is from the word: exact 1, then prefix and typo matches below", () => {
    const expansions = generated.index.expansions("kara");
    expect(expansions.find((e) => e.match === "exact")?.weight).toBe(1);
    const prefix = expansions.filter((e) => e.match === "prefix");
    const fuzzy = expansions.filter((e) => e.match === "fuzzy");
    expect(prefix.length).toBeGreaterThan(0);
    expect(fuzzy.length).toBeGreaterThan(0);
    for (const e of [...prefix, ...fuzzy]) expect(e.weight).toBeLessThan(0.45);
    // the more letters a prefix match adds, the less it counts
    const byLength = (list: typeof prefix) =>
      [...list].sort((a, b) => a.term.length - b.term.length);
    const prefixes = byLength(
      generated.index.expansions("kar").filter((e) => e.match === "prefix"),
    );
    const [shortest, longest] = [prefixes[0]!, prefixes.at(-1)!];
    expect(shortest.term.length).toBeLessThan(longest.term.length);
    expect(shortest.weight).toBeGreaterThan(longest.weight);
    // a typo counts less in a short term than in a long one, and two count less than one
    const typos = generated.surnames
      .flatMap((surname) => generated.index.expansions(surname))
      .filter((e) => e.match === "fuzzy");
    const weightOf = new Map(typos.map((e) => [`${e.term.length}/${e.edits}`, e.weight]));
    expect(
      weightOf.get("5/1")! < weightOf.get("6/1")! && weightOf.get("6/1")! < weightOf.get("8/1")!,
    ).toBe(true);
    expect(weightOf.get("8/2")!).toBeLessThan(weightOf.get("8/1")!);
  });
});
