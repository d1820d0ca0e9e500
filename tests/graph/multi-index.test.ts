/** The relation index every list of the graph hangs from (graph.ts MultiIndex). */
import { describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { MultiIndex } from "../../src/graph/graph.js";

function filled(lengths: number[]): MultiIndex<string> {
  const index = new MultiIndex<string>();
  // interleaved, as an index is filled from a list of entities: each key's values in order
  const longest = Math.max(...lengths);
  for (let i = 0; i < longest; i++)
    lengths.forEach((n, k) => i < n && index.add(`k${k}`, `v${k}-${i}`));
  return index;
}

describe("MultiIndex", () => {
  const lengths = [1, 2, MultiIndex.SHORT, MultiIndex.SHORT + 1, 40, 3];

  it("gives every key its values in the order added, before and after compacting, short lists and long alike", () => {
    const index = filled(lengths);
    const before = lengths.map((_, k) => [...index.get(`k${k}`)]);
    index.compact();
    lengths.forEach((n, k) => {
      const values = index.get(`k${k}`);
      expect(values).toEqual(Array.from({ length: n }, (_, i) => `v${k}-${i}`));
      expect(values).toEqual(before[k]);
    });
  });

  it("tells how many values a key holds without copying them, before and after compacting", () => {
    const index = filled(lengths);
    lengths.forEach((n, k) => expect(index.size(`k${k}`)).toBe(n));
    index.compact();
    lengths.forEach((n, k) => expect(index.size(`k${k}`)).toBe(n));
    expect(index.size("nobody")).toBe(0);
  });

  it("gives an empty list for a key it does not hold", () => {
    const index = filled(lengths).compact();
    expect(index.get("nobody")).toEqual([]);
    index.add(undefined, "ignored");
  });

  it("gives out copies of short lists, so that a caller cannot change the index", () => {
    const index = filled(lengths).compact();
    const short = index.get("k1") as string[];
    short.push("intruder");
    short[0] = "changed";
    expect(index.get("k1")).toEqual(["v1-0", "v1-1"]);
  });

  it("sorts each list before compacting, and refuses to grow or sort once compacted", () => {
    const index = filled(lengths).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    expect(index.get("k2")[0]).toBe(`v2-${MultiIndex.SHORT - 1}`);
    index.compact();
    expect(index.get("k2")[0]).toBe(`v2-${MultiIndex.SHORT - 1}`);
    expect(() => index.add("k1", "late")).toThrow(/after compact/);
    expect(() => index.sort(() => 0)).toThrow(/before compact/);
    expect(index.compact().get("k4")).toHaveLength(40);
  });
});

describe("ParticipationIndex", () => {
  it("gives each entity exactly its parts in events, in the order of the list of events, as the graph's own objects", async () => {
    const graph = await loadBuiltInGraph();
    let seen = 0;
    for (const key of Object.values(graph.keys).flat()) {
      const expected = graph.lists.event.flatMap((event) =>
        event.participants
          .filter((participant) => participant.ref === key)
          .map((participant) => ({ event, participant })),
      );
      const actual = graph.participationsByEntity.get(key);
      expect(actual).toHaveLength(expected.length);
      actual.forEach((p, i) => {
        expect(p.event).toBe(expected[i]!.event);
        expect(p.participant).toBe(expected[i]!.participant);
      });
      seen += actual.length;
    }
    // every participant of every event is someone's part
    expect(seen).toBe(graph.lists.event.reduce((n, e) => n + e.participants.length, 0));
    expect(seen).toBeGreaterThan(20);
    expect(graph.participationsByEntity.get("person/nobody")).toEqual([]);
  });
});
