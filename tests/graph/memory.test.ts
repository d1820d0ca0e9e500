/**
 * What the loader does to keep a large graph small, and what it must not change: values stay
 * those of the files, shared objects stay frozen, indexes built on first use answer as before.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import type { Provenance, Quote } from "../../src/graph/model.js";
import { PathIndex } from "../../src/graph/paths.js";
import { buildTimeline, compareEntries, type TimelineEntry } from "../../src/graph/timeline.js";
import { exportToTmp, removeDir } from "../fixtures/datasets.js";

let dir: string;
let graph: KnowledgeGraph;
beforeAll(() => {
  dir = exportToTmp();
  graph = loadJsonGraph(dir);
});
afterAll(() => removeDir(dir));

/** Every object and array inside the loaded dataset, with its path. */
function* inside(value: unknown, path = "dataset"): Generator<[string, object]> {
  if (value === null || typeof value !== "object") return;
  yield [path, value];
  for (const [key, child] of Object.entries(value))
    yield* inside(child, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`);
}

/** Every provenance list of the dataset. */
function provenanceLists(): Provenance[][] {
  return [...inside(graph.dataset)].flatMap(([path, value]) =>
    path.endsWith(".provenance") ? [value as Provenance[]] : [],
  );
}

describe("provenance of a JSON dataset", () => {
  it("keeps each quote as it is in the file, and as it occurs in its source's text", () => {
    const quotes = provenanceLists()
      .flat()
      .filter((p): p is Quote => "quote" in p);
    expect(quotes.length).toBeGreaterThan(50);
    for (const q of quotes) expect(graph.text(q.source)).toContain(q.quote);
  });

  it("keeps one object for a quote cited several times, and one list for a provenance that is just that quote", () => {
    const lists = provenanceLists();
    const byQuote = new Map<string, Set<object>>();
    const listsByQuote = new Map<string, Set<object>>();
    for (const list of lists) {
      for (const p of list) {
        if (!("quote" in p)) continue;
        const key = `${p.source}\u0000${p.quote}`;
        byQuote.set(key, (byQuote.get(key) ?? new Set()).add(p));
        if (list.length === 1)
          listsByQuote.set(key, (listsByQuote.get(key) ?? new Set()).add(list));
      }
    }
    const citedTwice = lists.length - new Set(lists).size;
    expect(citedTwice).toBeGreaterThan(0);
    for (const objects of byQuote.values()) expect(objects.size).toBe(1);
    for (const objects of listsByQuote.values()) expect(objects.size).toBe(1);
  });
});

describe("the loaded graph is immutable", () => {
  it("freezes every entity, fact, provenance list and quote, shared ones included", () => {
    const notFrozen = [...inside(graph.dataset)]
      .filter(([, value]) => !Object.isFrozen(value))
      .map(([path]) => path);
    expect(notFrozen).toEqual([]);
  });

  it("fails loudly when code tries to change a shared quote or a name", () => {
    const person = graph.get("person", "person/gyorgy-szabo")!;
    const quote = person.provenance.find((p): p is Quote => "quote" in p)!;
    expect(() => {
      (quote as { quote: string }).quote = "changed";
    }).toThrow(TypeError);
    expect(() => {
      (person.name as { text: string }).text = "changed";
    }).toThrow(TypeError);
    expect(() => (person.provenance as Provenance[]).push({ editorial: "added" })).toThrow(
      TypeError,
    );
    expect(graph.get("person", "person/gyorgy-szabo")!.name.text).not.toBe("changed");
  });
});

describe("orders computed from ranked dates", () => {
  it("lists tenures and events as their comparator orders them: chronologically, ties by key", () => {
    for (const kind of ["tenure", "event"] as const) {
      const list = graph.lists[kind] as readonly {
        id: string;
        when: Parameters<KnowledgeGraph["date"]>[0];
      }[];
      const compare = graph.chronologically((x: (typeof list)[number]) => x.when);
      const resorted = [...list]
        .reverse()
        .sort((a, b) => compare(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      expect(list.map((x) => x.id)).toEqual(resorted.map((x) => x.id));
    }
  });

  it("orders the timeline as compareEntries does", () => {
    const entries = [...graph.timeline.entries];
    const resorted = [...entries].reverse().sort(compareEntries);
    expect(entries.map((e) => e.id)).toEqual(resorted.map((e) => e.id));
    entries.forEach((e, i) => expect(e.order).toBe(i));
  });
});

describe("indexes built on first use", () => {
  it("builds the timeline once, and it answers as a timeline built from the loaded graph", () => {
    const timeline = graph.timeline;
    expect(graph.timeline).toBe(timeline);
    const fresh = buildTimeline(graph);
    const fields = (list: Iterable<TimelineEntry>) =>
      [...list].map((e) => [e.id, e.kind, e.label, e.date, e.involves, e.order]);
    expect(fields(timeline.entries)).toEqual(fields(fresh.entries));
    for (const key of graph.keys.office)
      expect(timeline.involving(key)).toEqual(fresh.involving(key));
  });

  it("builds the path index once, and it has the neighbours of a path index built from the dataset", () => {
    const paths = graph.paths;
    expect(graph.paths).toBe(paths);
    const fresh = new PathIndex(graph);
    expect(paths.edgeCount).toBe(fresh.edgeCount);
    for (const keys of Object.values(graph.keys))
      for (const key of keys) expect(paths.neighbours(key)).toEqual(fresh.neighbours(key));
    expect(paths.shortest("gyorgy-szabo", "state/kazakhstan", 4)).toEqual(
      fresh.shortest("gyorgy-szabo", "state/kazakhstan", 4),
    );
  });
});
