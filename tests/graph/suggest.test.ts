/**
 * "Did you mean" for an unknown key (src/graph/keys.ts) is bounded: however large the graph and
 * whatever the text, one suggestion reads at most SUGGESTION_BUDGET.keys keys and a bounded
 * number of entities (counted, not timed: the numbers are in bench/suggest.ts). Within the budget
 * it suggests exactly what the unbounded algorithm did (kept in tests/support/reference-suggest.ts):
 * checked on the built-in graph and on a generated one of 800 entities, for typos of sampled keys,
 * the words of every slug and name, and noise.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { generate } from "../../data/synthetic/generate.js";
import { Deadline } from "../../src/graph/deadline.js";
import { boundedDistance, closest, nearWord } from "../../src/graph/distance.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import {
  entitiesOf,
  type KeyedEntities,
  KeySuggestions,
  MAX_SUGGESTED_LENGTH,
  SHOWN_LENGTH,
  SUGGESTION_BUDGET,
  SUGGESTIONS_PER_REQUEST,
  shown,
  suggestionCount,
  suggestKeys,
} from "../../src/graph/keys.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { type Entity, type EntityKind, entityKinds } from "../../src/graph/model.js";
import { suggestionsOf } from "../../src/schema/suggestions.js";
import {
  referenceClosest,
  referenceLevenshtein,
  referenceNearWord,
  referenceSuggestKeys,
} from "../support/reference-suggest.js";

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!,
  };
}
const LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789-";

/** Texts a client might send for `key`: the slug with typos (one and two edits), cut short, its words alone. */
function slipsOf(key: string, rng: ReturnType<typeof random>): string[] {
  const slug = key.slice(key.indexOf("/") + 1);
  const edit = (s: string) => {
    const at = rng.int(s.length + 1);
    const letter = rng.pick([...LETTERS]);
    switch (rng.int(3)) {
      case 0:
        return s.slice(0, at) + s.slice(at + 1);
      case 1:
        return s.slice(0, at) + letter + s.slice(at + 1);
      default:
        return s.slice(0, at) + letter + s.slice(at);
    }
  };
  const words = slug.split("-").filter((w) => w.length > 0);
  return [
    edit(slug),
    edit(edit(slug)),
    `${key.slice(0, key.indexOf("/"))}/${edit(slug)}`,
    slug.slice(0, Math.max(1, slug.length - 3)),
    rng.pick(words),
    edit(rng.pick(words)),
    words.slice(1).join("-"),
  ].filter((text) => text.length > 0);
}

/** The names of `entity`, as a client might type them instead of a key. */
function namesAsTyped(entity: Entity): string[] {
  if (!("name" in entity)) return [];
  return [
    entity.name.text,
    ...(entity.abbreviation ? [entity.abbreviation.text] : []),
    ...entity.aliases.map((a) => a.text),
  ];
}

const NOISE = [
  "",
  "-",
  "x",
  "zz",
  "qqqqqqqq",
  "osce",
  "ossce",
  "kazakh",
  "the-of",
  "a-b-c-d-e-f",
  "x".repeat(300),
  "person/",
  "nobody/kazakhstan",
  "Қазақстан",
  "Gyorgy Szabo",
];

/** The kinds a suggestion may be asked for: one kind (a lookup, a key filter), all but sources (a path's end). */
const kindSets = (key: string): EntityKind[][] => [
  [key.slice(0, key.indexOf("/")) as EntityKind],
  entityKinds.filter((k) => k !== "source"),
];

/**
 * Asks both algorithms every question (a text among some kinds) about sampled keys of `graph`,
 * each distinct question once (a fifth repeat: the noise, names shared by keys), and asserts the
 * answers with one expect(): an expect() per question cost more than the bounded algorithm.
 * Returns how many distinct questions were compared.
 */
function compareWithReference(graph: KnowledgeGraph, seed: number, sample: number) {
  const entities = entitiesOf(graph);
  const rng = random(seed);
  const keys = Object.values(graph.keys).flat();
  const picked =
    keys.length <= sample ? keys : Array.from({ length: sample }, () => rng.pick(keys));
  const questions = new Map<string, [EntityKind[], string]>();
  for (const key of picked) {
    const texts = [
      ...slipsOf(key, rng),
      ...namesAsTyped(graph.entity(key)!),
      ...NOISE.slice(rng.int(NOISE.length - 2)).slice(0, 2),
    ];
    for (const kinds of kindSets(key))
      for (const text of texts)
        questions.set(`${JSON.stringify(text)} among ${kinds.join(",")}`, [kinds, text]);
  }
  const asked = [...questions];
  expect(
    asked.map(([question, [kinds, text]]) => [question, suggestKeys(entities, kinds, text)]),
  ).toEqual(
    asked.map(([question, [kinds, text]]) => [
      question,
      referenceSuggestKeys(entities, kinds, text),
    ]),
  );
  return asked.length;
}

describe("within the budget, the same suggestions as the unbounded algorithm", () => {
  let generated: KnowledgeGraph;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "suggest-"));
    generate({ entities: 800, seed: 11, out: dir, format: "json" });
    generated = loadJsonGraph(dir);
    // the exact rules apply only to a graph the budget covers: this one is
    expect(Object.values(generated.keys).flat().length).toBeLessThanOrEqual(
      SUGGESTION_BUDGET.entities,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("on the built-in graph: typos, words and names of its keys, and noise", async () => {
    const graph = await loadBuiltInGraph();
    expect(compareWithReference(graph, 1, 40)).toBeGreaterThan(600);
  });

  it("on a generated graph of 800 entities", () => {
    expect(compareWithReference(generated, 2, 30)).toBeGreaterThan(400);
  });

  it("still finds the usual suggestions there: a typo, a word of the slug, a name", async () => {
    const graph = await loadBuiltInGraph();
    const entities = entitiesOf(graph);
    expect(suggestKeys(entities, ["person"], "gyorgy-szab")).toEqual(["person/gyorgy-szabo"]);
    expect(suggestKeys(entities, ["person"], "nazarbaev")).toEqual(["person/nursultan-nazarbayev"]);
    expect(suggestKeys(entities, ["place"], "tashkend")).toEqual(["place/tashkent"]);
  });
});

describe("edit distance, bounded", () => {
  const rng = random(3);
  const word = () =>
    Array.from({ length: rng.int(12) }, () => rng.pick(["a", "b", "c", "-"])).join("");

  it("is the textbook distance when within the bound, and bound + 1 beyond it, also on part of a string", () => {
    // one expect() over the cases that differ: one per case cost more than the distances
    const wrong: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const [a, b, max] = [word(), word(), rng.int(6)];
      const from = rng.int(b.length + 1);
      const to = from + rng.int(b.length - from + 1);
      const expected = Math.min(referenceLevenshtein(a, b.slice(from, to)), max + 1);
      const actual = boundedDistance(a, b, max, from, to);
      if (actual !== expected)
        wrong.push(`${a} ${b} ${max} ${from} ${to}: ${actual}, not ${expected}`);
    }
    expect(wrong).toEqual([]);
  });

  it("makes closest and nearWord answer as before", () => {
    const wrong: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const w = word();
      const candidates = Array.from({ length: rng.int(8) }, word);
      const [actual, expected] = [closest(w, candidates), referenceClosest(w, candidates)];
      if (actual !== expected)
        wrong.push(`closest(${w}, ${candidates.join(" ")}): ${actual}, not ${expected}`);
      for (const c of candidates) {
        const [near, wasNear] = [nearWord(w, c), referenceNearWord(w, c)];
        if (near !== wasNear) wrong.push(`nearWord(${w}, ${c}): ${near}, not ${wasNear}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("beyond the budget, bounded work", () => {
  const PER_KIND = 1_000_000 / 4;
  const kinds = ["person", "office", "event", "place"] as const;
  const counts = { keyReads: 0, entityCalls: 0 };
  let entities: KeyedEntities;

  beforeAll(() => {
    // a million keys in four kinds, with names; each read of a key and each entity asked for is
    // counted. Key i of a kind is `${kind}/w${i % 997}-n${i}`, made when it is read: building the
    // million strings and a set of them took 1.6 CPU-s, and a suggestion reads at most a few
    // thousand of them
    const counted = (kind: string) =>
      new Proxy(new Array<string>(PER_KIND), {
        get(target, property, receiver) {
          if (typeof property === "string" && /^\d+$/.test(property)) {
            counts.keyReads++;
            const i = Number(property);
            return i < PER_KIND ? `${kind}/w${i % 997}-n${i}` : undefined;
          }
          return Reflect.get(target, property, receiver);
        },
      });
    const lists = new Map<EntityKind, string[]>(kinds.map((kind) => [kind, counted(kind)]));
    /** Whether `key` is one of the million: key i of its kind, written as above. */
    const known = (key: string) => {
      const match = /^(\w+)\/w(\d+)-n(\d+)$/.exec(key);
      if (!match || !lists.has(match[1] as EntityKind)) return false;
      const i = Number(match[3]);
      return i < PER_KIND && match[3] === String(i) && match[2] === String(i % 997);
    };
    entities = {
      keys: (kind) => lists.get(kind) ?? [],
      entity(key) {
        counts.entityCalls++;
        if (!known(key)) return undefined;
        return {
          id: key,
          name: { text: `Name ${key.slice(key.indexOf("/") + 1)}` },
          aliases: [],
        } as unknown as Entity;
      },
    };
  });

  const suggest = (kindsAsked: readonly EntityKind[], text: string) => {
    counts.keyReads = 0;
    counts.entityCalls = 0;
    return suggestKeys(entities, kindsAsked, text);
  };

  it.each([
    ["a typo", "person/w5-n987654"],
    ["noise", "qqqq-zzzz-xxxx"],
    ["a long text", "a".repeat(500)],
    ["many words", Array.from({ length: 40 }, (_, i) => `w${i}`).join("-")],
  ])("reads a bounded share of a million keys for %s", (_, text) => {
    suggest(kinds, text);
    expect(counts.keyReads).toBeLessThanOrEqual(SUGGESTION_BUDGET.keys);
    expect(counts.entityCalls).toBeLessThanOrEqual(
      SUGGESTION_BUDGET.probes + SUGGESTION_BUDGET.entities + kinds.length,
    );
    expect(counts.keyReads + counts.entityCalls).toBeLessThan((4 * PER_KIND) / 10);
  });

  it("finds a typo of a key far past the keys it reads: one edit away is looked up, not scanned", () => {
    // keys 240,000 and 240,001 of each kind: no scan within the budget reaches them
    // nearest first (others may follow by their words: w72-n24000 holds a typo of each word)
    expect(suggest(["person"], "person/w720-n2400q0")[0]).toBe("person/w720-n240000");
    expect(counts.keyReads).toBeLessThanOrEqual(SUGGESTION_BUDGET.keys);
    expect(suggest(kinds, "w721-n2400q1")).toEqual([
      "event/w721-n240001",
      "office/w721-n240001",
      "person/w721-n240001",
    ]);
  });

  /** The work of one request's suggestions: keys read and entities asked for, over the million. */
  const requestWork = (ask: (suggestions: KeySuggestions) => void) => {
    counts.keyReads = 0;
    counts.entityCalls = 0;
    const before = suggestionCount.computed;
    const suggestions = new KeySuggestions(entities);
    ask(suggestions);
    return {
      ...counts,
      computed: suggestionCount.computed - before,
      distinct: suggestions.computed,
    };
  };
  /** What one suggestion may read at most (the test above). */
  const ONE = {
    keyReads: SUGGESTION_BUDGET.keys,
    entityCalls: SUGGESTION_BUDGET.probes + SUGGESTION_BUDGET.entities + kinds.length,
  };

  it("looks a key up once per request, however many times the request names it", () => {
    const notes = new Set<string>();
    const work = requestWork((suggestions) => {
      for (let i = 0; i < 1000; i++)
        notes.add(
          suggestions.note(["person"], i % 2 ? "person/w720-n2400q0" : " Person/W720 N2400Q0"),
        );
    });
    expect(work.computed).toBe(1);
    expect(work.keyReads).toBeLessThanOrEqual(ONE.keyReads);
    expect(work.entityCalls).toBeLessThanOrEqual(ONE.entityCalls);
    // the same answer each time
    expect([...notes]).toHaveLength(1);
    expect([...notes][0]).toMatch(/^ \(did you mean person\/w720-n240000/);
  });

  it(`looks up ${SUGGESTIONS_PER_REQUEST} distinct keys per request at most; the others are said to be skipped`, () => {
    const notes: string[] = [];
    const work = requestWork((suggestions) => {
      for (let i = 0; i < 30; i++) notes.push(suggestions.note(kinds, `w${i}-n${i}q`));
    });
    expect(work.computed).toBe(SUGGESTIONS_PER_REQUEST);
    expect(work.distinct).toBe(SUGGESTIONS_PER_REQUEST);
    expect(work.keyReads).toBeLessThanOrEqual(SUGGESTIONS_PER_REQUEST * ONE.keyReads);
    expect(work.entityCalls).toBeLessThanOrEqual(SUGGESTIONS_PER_REQUEST * ONE.entityCalls);
    expect(
      notes.slice(0, SUGGESTIONS_PER_REQUEST).every((n) => n.startsWith(" (did you mean")),
    ).toBe(true);
    expect(notes.slice(SUGGESTIONS_PER_REQUEST)).toEqual(
      Array(30 - SUGGESTIONS_PER_REQUEST).fill(
        ` (suggestions skipped: an operation gets them for ${SUGGESTIONS_PER_REQUEST} unknown keys at most)`,
      ),
    );
    // a key already looked up is still answered once the budget is spent
    const again = new KeySuggestions(entities);
    for (let i = 0; i < 30; i++) again.note(kinds, `w${i}-n${i}q`);
    expect(again.note(kinds, "w0-n0q")).toBe(notes[0]);
  });

  it(`reads nothing for a text over ${MAX_SUGGESTED_LENGTH} characters, which no key is`, () => {
    const notes: string[] = [];
    const work = requestWork((suggestions) => {
      for (const length of [MAX_SUGGESTED_LENGTH + 1, 3000, 90_000])
        notes.push(suggestions.note(kinds, "a".repeat(length)));
    });
    expect(work).toMatchObject({ computed: 0, keyReads: 0, entityCalls: 0 });
    expect(new Set(notes)).toEqual(
      new Set([` (suggestions skipped: no key is over ${MAX_SUGGESTED_LENGTH} characters)`]),
    );
    // up to the bound, a text is looked up as before
    expect(requestWork((s) => s.note(kinds, "a".repeat(MAX_SUGGESTED_LENGTH))).computed).toBe(1);
  });

  it("quotes a text in a message cut short", () => {
    expect(shown("a".repeat(SHOWN_LENGTH))).toBe("a".repeat(SHOWN_LENGTH));
    expect(shown("a".repeat(90_000))).toBe(`${"a".repeat(SHOWN_LENGTH)}...`);
  });

  it("reads the request's clock after each suggestion, so that a request of many gives the event loop back", () => {
    let now = 0;
    const deadline = new Deadline(5000, { now: () => now, sliceMs: 20 });
    // a graph of no persons: what matters is the clock
    const graph = { keys: { person: [] }, entity: () => undefined };
    const request = { graph, deadline } as unknown as Parameters<typeof suggestionsOf>[0];
    now = 25; // the suggestion took longer than the slice
    suggestionsOf(request).note(["person"], "nobody");
    expect(deadline.reads).toBe(1);
    expect(deadline.sliceUsed).toBe(true);
    // a key met again costs nothing and reads nothing
    suggestionsOf(request).note(["person"], "nobody");
    expect(deadline.reads).toBe(1);
  });
});
