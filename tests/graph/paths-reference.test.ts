/**
 * The compact path index (src/graph/paths.ts) against the index it replaced, kept verbatim in
 * tests/support/reference-paths.ts: for many (from, to, maxLength, budget) questions both give the
 * same path, hop for hop and edge field for edge field (relation, role, succession, provenance),
 * or the same error; and every entity has the same edges, in the same order.
 *
 * On the built-in graph (every pair), on the lineage dataset (successions between offices), on a
 * dataset with many repeated relations, and on a generated one of 3,000 entities.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { generate } from "../../data/synthetic/generate.js";
import { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import type { Dataset } from "../../src/graph/model.js";
import {
  MAX_PATH_LENGTH,
  type Path,
  PathBudgetError,
  PathIndex,
  PathInputError,
} from "../../src/graph/paths.js";
import { editJson, removeDir } from "../fixtures/datasets.js";
import { writeLineageDataset } from "../fixtures/lineage.js";
import { differences } from "../support/differences.js";
import { ReferencePathIndex } from "../support/reference-paths.js";

const ISOLATED = "person/nobody-related";

interface Compared {
  graph: KnowledgeGraph;
  index: PathIndex;
  reference: ReferencePathIndex;
  /** The keys of the index's entities (sources aside). */
  keys: string[];
}
const compared = (graph: KnowledgeGraph): Compared => ({
  graph,
  index: new PathIndex(graph),
  reference: new ReferencePathIndex(graph.dataset),
  keys: Object.entries(graph.keys).flatMap(([kind, keys]) => (kind === "source" ? [] : keys)),
});

type Outcome =
  | { path: Path | null }
  | { error: string; message: string; argument?: string; visits?: number; maxLength?: number };
/** What one search gives: its path (or null), or its error with every field a caller reads. */
function outcome(search: () => Path | null): Outcome {
  try {
    return { path: search() };
  } catch (error) {
    if (error instanceof PathInputError)
      return { error: error.name, message: error.message, argument: error.argument };
    if (error instanceof PathBudgetError)
      return {
        error: error.name,
        message: error.message,
        visits: error.visits,
        maxLength: error.maxLength,
      };
    throw error;
  }
}

/** Asks both indexes every question; returns how many of each outcome there were, per maxLength. */
function expectSameAnswers(
  c: Compared,
  questions: Iterable<[string, string, number, number?]>,
): Record<string, number> {
  const counts: Record<string, number> = {};
  const answers = differences("toStrictEqual");
  for (const [from, to, maxLength, maxVisits] of questions) {
    const expected = outcome(() => c.reference.shortest(from, to, maxLength, maxVisits));
    const actual = outcome(() => c.index.shortest(from, to, maxLength, maxVisits));
    answers.add({ from, to, maxLength, maxVisits }, actual, expected);
    const kind =
      "error" in expected
        ? expected.error
        : expected.path === null
          ? "none"
          : expected.path.hops.length === 0
            ? "same"
            : "found";
    counts[`${kind} ${maxLength}`] = (counts[`${kind} ${maxLength}`] ?? 0) + 1;
  }
  answers.check();
  return counts;
}

function expectSameEdges(c: Compared): void {
  expect(c.index.edgeCount).toBe(c.reference.edgeCount);
  const edges = differences("toStrictEqual");
  for (const key of [...Object.values(c.graph.keys).flat(), "person/nobody"])
    edges.add({ key }, c.index.neighbours(key), c.reference.neighbours(key));
  edges.check();
}

/** A seeded PRNG (mulberry32), so that the questions are the same at every run. */
function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** `count` pairs: half of random entities, half of an entity and one a random walk of 1 to 6 hops away. */
function pairs(c: Compared, count: number, seed: number): [string, string][] {
  const random = prng(seed);
  const found: [string, string][] = [];
  for (let i = 0; i < count; i++) {
    const from = c.keys[random(c.keys.length)]!;
    let to = c.keys[random(c.keys.length)]!;
    if (i % 2 === 1) {
      to = from;
      for (let step = random(MAX_PATH_LENGTH) + 1; step > 0; step--) {
        const next = c.reference.neighbours(to);
        if (next.length === 0) break;
        to = next[random(next.length)]!.key;
      }
      if (to.startsWith("source/")) to = from;
    }
    found.push([from, to]);
  }
  return found;
}

function* everyLength(
  list: [string, string][],
  maxVisits?: number,
): Generator<[string, string, number, number?]> {
  for (const [from, to] of list)
    for (let maxLength = 1; maxLength <= MAX_PATH_LENGTH; maxLength++)
      yield [from, to, maxLength, maxVisits];
}

/** Arguments that are refused, and slugs instead of keys. */
function* oddArguments(c: Compared): Generator<[string, string, number, number?]> {
  const [a, b] = [c.keys[0]!, c.keys.at(-1)!];
  const slug = (key: string) => key.slice(key.indexOf("/") + 1);
  for (const maxLength of [0, 7, 1.5, -1, Number.NaN]) yield [a, b, maxLength];
  yield [slug(a), slug(b), 4];
  yield [`${a}x`, b, 4];
  yield [a, `${b}-x`, 4];
  yield [`${slug(a)}x`, b, 4];
  yield [a, "no-such-entity-at-all", 4];
  yield [a, "person/zzzzzzzzzzzzzzzzzzzz", 4];
  yield ["source/kazakhstan-osce-cooperation", b, 4];
  yield [a, "nokind/x", 4];
  yield [a, a, 3];
}

describe("the compact path index answers as the reference index", () => {
  const dirs: string[] = [];
  let builtIn: Compared;
  let lineage: Compared;
  let generated: Compared;
  beforeAll(async () => {
    builtIn = compared(await loadBuiltInGraph());
    const lineageDir = writeLineageDataset();
    dirs.push(lineageDir);
    lineage = compared(loadJsonGraph(lineageDir));
    const dir = mkdtempSync(join(tmpdir(), "paths-reference-"));
    dirs.push(dir);
    generate({ entities: 3000, seed: 5, out: dir, format: "json" });
    // one person without relations: nothing reaches it (the generated entities are all within 6 hops of each other)
    const note = [{ editorial: "A person of no relation, for unreachable pairs." }];
    editJson(dir, "persons", (items) =>
      items.push({
        id: ISOLATED,
        name: { text: "Nobody Related", provenance: note },
        provenance: note,
      }),
    );
    generated = compared(loadJsonGraph(dir));
  });
  afterAll(() => dirs.forEach(removeDir));

  it("gives every entity of the built-in graph the same edges, in the same order", () =>
    expectSameEdges(builtIn));

  it("finds the same paths between every two entities of the built-in graph, for each maxLength from 1 to 6", () => {
    const all = builtIn.keys.flatMap((from) =>
      builtIn.keys.map((to): [string, string] => [from, to]),
    );
    const counts = expectSameAnswers(builtIn, everyLength(all));
    for (let maxLength = 1; maxLength <= MAX_PATH_LENGTH; maxLength++) {
      expect(counts[`found ${maxLength}`]).toBeGreaterThan(0);
      expect(counts[`none ${maxLength}`]).toBeGreaterThan(0);
    }
  });

  it("stops at the same point on the built-in graph when the visit budget is small", () => {
    const counts = expectSameAnswers(builtIn, [
      ...everyLength(pairs(builtIn, 200, 1), 5),
      ...everyLength(pairs(builtIn, 200, 2), 25),
    ]);
    for (let maxLength = 2; maxLength <= MAX_PATH_LENGTH; maxLength++)
      expect(counts[`PathBudgetError ${maxLength}`]).toBeGreaterThan(0);
  });

  it("refuses the same arguments with the same messages and resolves slugs alike", () => {
    const counts = expectSameAnswers(builtIn, oddArguments(builtIn));
    expect(counts["PathInputError 4"]).toBeGreaterThanOrEqual(6);
    expectSameAnswers(builtIn, [
      ["osce-chairmanship", "kazakhstan", 4],
      ["gyorgy-szabo", "ukraine", 6],
      ["gyorgy-szabo", "ukrain", 6],
      ["gyorgy-szabo", "state/ukrain", 6],
      ["gyorgy-szabo", "ukraine", 6, 20],
    ]);
  });

  it("gives the offices of the lineage dataset the same successions, and the same paths through them", () => {
    expectSameEdges(lineage);
    const offices = lineage.graph.keys.office;
    const questions = offices.flatMap((from) => offices.map((to): [string, string] => [from, to]));
    const counts = expectSameAnswers(lineage, everyLength(questions));
    expect(counts["found 1"]).toBeGreaterThan(0);
    const succession = lineage.index
      .neighbours("office/osce-centre-beta")
      .find((n) => n.edge.relation === "Office.predecessors");
    expect(succession?.edge.succession).toBe("RENAMING");
  });

  it("gives a generated graph of 3,000 entities the same edges, in the same order", () => {
    expect(generated.keys.length).toBeGreaterThan(2500);
    expect(generated.index.neighbours(ISOLATED)).toEqual([]);
    expectSameEdges(generated);
  });

  it("finds the same paths in a generated graph, for each maxLength from 1 to 6, with a budget that is and is not reached", () => {
    const counts = expectSameAnswers(generated, [
      ...everyLength(pairs(generated, 400, 3)),
      ...everyLength(pairs(generated, 10, 6).map(([from]): [string, string] => [from, ISOLATED])),
      ...everyLength(pairs(generated, 200, 4), 40),
      ...everyLength(pairs(generated, 200, 5), 400),
      ...oddArguments(generated),
    ]);
    for (let maxLength = 1; maxLength <= MAX_PATH_LENGTH; maxLength++) {
      expect(counts[`found ${maxLength}`]).toBeGreaterThan(0);
      expect(counts[`none ${maxLength}`]).toBeGreaterThan(0);
    }
    for (let maxLength = 2; maxLength <= MAX_PATH_LENGTH; maxLength++)
      expect(counts[`PathBudgetError ${maxLength}`]).toBeGreaterThan(0);
  });

  it("keeps the first of repeated relations, with its provenance, for subjects with few and with very many", () => {
    for (const n of [3, 63, 64, 65, 200]) {
      const prov = (text: string) => [{ editorial: text }];
      const offices = Array.from({ length: n }, (_, i) => ({
        id: `office/o-${i}`,
        name: { text: `O ${i}`, provenance: prov("name") },
        aliases: [],
        provenance: prov("office"),
        kind: "INSTITUTION",
        nameHistory: [],
        locations: [],
        dimensions: [],
        predecessors:
          i > 0
            ? [
                { ref: `office/o-${i - 1}`, kind: "RENAMING", provenance: prov("first") },
                { ref: `office/o-${i - 1}`, kind: "MERGER", provenance: prov("second") },
              ]
            : [],
      }));
      const links = offices.flatMap((o, i) => [
        { ref: o.id, provenance: prov(`first ${i}`) },
        { ref: o.id, provenance: prov(`again ${i}`) },
      ]);
      const state = {
        id: "state/s",
        name: { text: "S", provenance: prov("s") },
        aliases: [],
        provenance: prov("s"),
        cooperatesWith: links.reverse(),
      };
      const dataset = {
        sources: [],
        states: [state],
        places: [],
        dimensions: [],
        offices,
        persons: [],
        posts: [],
        tenures: [],
        events: [],
        priorities: [],
      } as unknown as Dataset;
      const c = compared(new KnowledgeGraph(dataset, new Map()));
      expectSameEdges(c);
      expect(c.index.neighbours("office/o-1")).toContainEqual(
        expect.objectContaining({ edge: expect.objectContaining({ provenance: prov("again 1") }) }),
      );
      expectSameAnswers(c, everyLength(pairs(c, 40, n), 30));
    }
  });

  it("reads a dataset that was not validated alike: a relation to a source or to a key no entity has is an end without edges that a search still counts", () => {
    const prov = [{ editorial: "test" }];
    const common = (id: string) => ({
      id,
      name: { text: id, provenance: prov },
      aliases: [],
      provenance: prov,
    });
    const office = (id: string, predecessors: string[]) => ({
      ...common(id),
      kind: "INSTITUTION",
      nameHistory: [],
      locations: [],
      dimensions: [],
      predecessors: predecessors.map((ref) => ({ ref, kind: "RENAMING", provenance: prov })),
    });
    const source = {
      ...common("source/x"),
      file: "x.txt",
      created: { edtf: "2020", provenance: prov },
      updated: { edtf: "2021", provenance: prov },
    };
    const links = ["office/a", "source/x", "office/missing", "office/b"].map((ref) => ({
      ref,
      provenance: prov,
    }));
    const states = [
      { ...common("state/s"), cooperatesWith: links },
      { ...common("state/t"), cooperatesWith: [{ ref: "office/b", provenance: prov }] },
    ];
    const offices = [
      office("office/a", ["office/gone", "office/b"]),
      office("office/b", ["office/gone"]),
    ];
    const dataset = {
      sources: [source],
      states,
      places: [],
      dimensions: [],
      offices,
      persons: [],
      posts: [],
      tenures: [],
      events: [],
      priorities: [],
    } as unknown as Dataset;
    const c = compared(new KnowledgeGraph(dataset, new Map()));
    expectSameEdges(c);
    expect(c.index.edgeCount).toBe(8);
    const all = c.keys.flatMap((from) => c.keys.map((to): [string, string] => [from, to]));
    const counts = expectSameAnswers(c, [
      ...everyLength(all),
      ...everyLength(all, 1),
      ...everyLength(all, 2),
      ...everyLength(all, 3),
    ]);
    expect(counts["PathBudgetError 2"]).toBeGreaterThan(0);
  });
});
