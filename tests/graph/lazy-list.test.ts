/**
 * The lazy list a snapshot's graph holds its entities in (src/graph/snapshot/lazy-list.ts), and
 * the reader the graph reads it through without its Proxy (`itemReader`): the same items, made
 * once, whichever way they are read, and nothing made for an index the list does not have; and
 * the view a dataset's collection is of its kind's list (`lazyView`), which keeps no item of its own.
 */
import { describe, expect, it } from "vitest";
import { COLD_READ_UNITS } from "../../src/graph/cold-work.js";
import { DEFAULT_CHECK_EVERY, Deadline } from "../../src/graph/deadline.js";
import { LazyMap } from "../../src/graph/snapshot/codec.js";
import { itemReader, lazyList, lazyView } from "../../src/graph/snapshot/lazy-list.js";

/** A lazy list of `length` items `{ n: i }`, with the indexes `load` was called with. */
function counted(length: number) {
  const loaded: number[] = [];
  const list = lazyList(length, (i) => {
    loaded.push(i);
    return Object.freeze({ n: i });
  });
  return { list, loaded };
}

describe("a lazy list", () => {
  it("makes an item once, on its first read, and gives the same object through the reader and the index", () => {
    const { list, loaded } = counted(5);
    const read = itemReader(list);
    const third = read(2);
    expect(third).toEqual({ n: 2 });
    expect(list[2]).toBe(third);
    expect(read(2)).toBe(third);
    const first = list[0];
    expect(read(0)).toBe(first);
    expect(loaded).toEqual([2, 0]);
    // every item, in order, as the array a full load builds
    expect([...list].map((item) => item.n)).toEqual([0, 1, 2, 3, 4]);
    expect(read(4)).toBe(list[4]);
    expect(loaded.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it("keeps the items it has made across its blocks, the last one short", () => {
    const { list, loaded } = counted(10_000);
    const read = itemReader(list);
    const edges = [0, 4095, 4096, 8191, 8192, 9999];
    const first = edges.map((i) => read(i));
    expect(first).toEqual(edges.map((n) => ({ n })));
    edges.forEach((i, k) => expect(list[i]).toBe(first[k]));
    expect(loaded).toEqual(edges);
    expect(list[10_000]).toBeUndefined();
    expect(list.map((item) => item.n)).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    expect(list[4096]).toBe(first[2]);
    expect(loaded).toHaveLength(10_000);
  });

  it("gives undefined for an index it does not have, as an array does, and makes nothing for it", () => {
    const { list, loaded } = counted(3);
    const read = itemReader(list);
    for (const index of [3, 4, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(read(index)).toBeUndefined();
      expect(([1, 2, 3] as number[])[index]).toBeUndefined();
    }
    expect(loaded).toEqual([]);
  });

  it("reads any other array by its index", () => {
    const plain = [{ n: 0 }, { n: 1 }];
    const read = itemReader(plain);
    expect(read(1)).toBe(plain[1]);
    expect(read(2)).toBeUndefined();
    // a lazy list's reader is its own: another list's is not taken for it
    const { list } = counted(2);
    expect(itemReader(list)(1)).toEqual({ n: 1 });
    expect(itemReader(list)(1)).not.toBe(plain[1]);
  });
});

describe("an item made on its first read, counted by a deadline (src/graph/cold-work.ts)", () => {
  it("has the deadline read its clock every few items made, and every DEFAULT_CHECK_EVERY once they are made", () => {
    let reads = 0;
    const deadline = new Deadline(60_000, {
      now: () => {
        reads++;
        return 0;
      },
    });
    const list = lazyList(8192, (i) => Object.freeze({ n: i }));
    const read = itemReader(list);
    /** The clock reads of a loop over every item, one unit of work each, as a scan counts them. */
    const loop = () => {
      const before = reads;
      for (let i = 0; i < list.length; i++) {
        read(i);
        deadline.check(1);
      }
      return reads - before;
    };
    // each item made counts COLD_READ_UNITS (a quarter of the budget between two reads) beside its test
    const perRead = Math.ceil(DEFAULT_CHECK_EVERY / (COLD_READ_UNITS + 1));
    expect(loop()).toBeGreaterThanOrEqual(Math.floor(list.length / perRead));
    // made already: a read per DEFAULT_CHECK_EVERY tests, as for any loop
    expect(loop()).toBe(list.length / DEFAULT_CHECK_EVERY);
  });

  it("counts toward the deadline of the request that made it, not toward the next one's", () => {
    const list = lazyList(64, (i) => Object.freeze({ n: i }));
    const read = itemReader(list);
    // made outside any request (the warm-up), or by one that has stopped
    for (let i = 0; i < list.length; i++) read(i);
    let reads = 0;
    const deadline = new Deadline(60_000, {
      now: () => {
        reads++;
        return 0;
      },
    });
    // its start, and no read at its first checkpoint: a request under a limit of 1 ms was
    // answered 503 for the entities made before it (tests/server/deadline.test.ts)
    deadline.check(1);
    expect(reads).toBe(1);
  });
});

describe("a lazy view (a dataset's collection over its kind's list)", () => {
  /** The items `{ n }` of a list, in the order `order`, as a view and as the plain array a full load holds. */
  function viewed(order: number[]) {
    const items = Array.from({ length: 10 }, (_, n) => Object.freeze({ n }));
    const reads: number[] = [];
    const view = lazyView(order.length, (i) => {
      reads.push(i);
      return items[order[i]!]!;
    });
    return { view, plain: order.map((i) => items[i]!), reads };
  }

  it("answers every way of reading an array as the plain array does", () => {
    const { view, plain } = viewed([3, 1, 4, 1, 5, 9, 2, 6]);
    expect(Array.isArray(view)).toBe(true);
    expect(view.length).toBe(8);
    expect(view).toEqual(plain);
    for (let i = -1; i <= 9; i++) expect(view[i]).toBe(plain[i]);
    expect([...view]).toEqual(plain);
    const seen: unknown[] = [];
    for (const item of view) seen.push(item);
    expect(seen).toEqual(plain);
    view.forEach((item, i) => expect(item).toBe(plain[i]));
    expect(view.map((item) => item.n)).toEqual([3, 1, 4, 1, 5, 9, 2, 6]);
    expect(view.filter((item) => item.n > 4)).toEqual(plain.filter((item) => item.n > 4));
    expect(view.slice(2, 5)).toEqual(plain.slice(2, 5));
    expect(view.indexOf(plain[3]!)).toBe(1);
    expect(view.lastIndexOf(plain[3]!)).toBe(3);
    expect(view.includes(plain[7]!)).toBe(true);
    expect(view.find((item) => item.n === 9)).toBe(plain[5]);
    expect(view.at(-1)).toBe(plain[7]);
    expect(JSON.stringify(view)).toBe(JSON.stringify(plain));
    expect(Object.keys(view)).toEqual(Object.keys(plain));
    expect(Object.entries(view)).toEqual(Object.entries(plain));
    expect([2 in view, 8 in view, "length" in view]).toEqual([true, false, true]);
    expect(Object.getOwnPropertyDescriptor(view, "length")?.value).toBe(8);
    expect(itemReader(view)(4)).toBe(plain[4]);
    expect(itemReader(view)(8)).toBeUndefined();
  });

  it("refuses writes and freezing, as a frozen array does", () => {
    const { view, plain } = viewed([0, 1, 2]);
    const writable = view as unknown as { n: number }[];
    expect(() => {
      writable[0] = { n: 7 };
    }).toThrow(TypeError);
    expect(() => writable.push({ n: 7 })).toThrow(TypeError);
    expect(() => {
      delete writable[1];
    }).toThrow(TypeError);
    expect(view).toEqual(plain);
    // freezing fails too, and leaves the view as it was (a frozen target could no longer report
    // the items it lacks: every later Object.keys would throw)
    expect(() => Object.freeze(view)).toThrow(TypeError);
    expect(Object.keys(view)).toEqual(Object.keys(plain));
    expect(view).toEqual(plain);
    const { list } = counted(3);
    expect(() => Object.preventExtensions(list)).toThrow(TypeError);
    expect(Object.keys(list)).toEqual(["0", "1", "2"]);
  });

  it("keeps no item: each read goes to the list it views; neither a view nor a lazy list of millions costs an array of them", () => {
    const { view, plain, reads } = viewed([2, 2, 0]);
    expect(view[0]).toBe(plain[0]);
    expect(view[1]).toBe(view[0]); // the same object, from the list viewed, read again
    expect(view[0]).toBe(plain[0]);
    expect(reads).toEqual([0, 1, 0, 0]);

    // neither a view nor a lazy list holds an array of its length: a list keeps the items it has
    // made in blocks, each made on the first read of one of its items
    const items = 5_000_000;
    const heapGrowth = (make: () => unknown) => {
      const before = process.memoryUsage().heapUsed;
      const made = make();
      return { made, grown: process.memoryUsage().heapUsed - before };
    };
    const made = heapGrowth(() => lazyView(items, (i) => i));
    expect(made.made).toHaveLength(items);
    expect(made.grown).toBeLessThan(items / 10);
    const list = heapGrowth(() => lazyList(items, (i) => ({ n: i })));
    expect(list.made).toHaveLength(items);
    expect(list.grown).toBeLessThan(items / 10);
    const read = heapGrowth(() => (list.made as { n: number }[])[items - 1]);
    expect(read.made).toEqual({ n: items - 1 });
    expect(read.grown).toBeLessThan(items / 10);
  });
});

describe("a lazy map filled in parts (codec.ts LazyMap)", () => {
  /** A map of `count` entries k0, k1, ... whose fill throws at entry `failAt` while `failing`. */
  const map = (count: number, failAt: number) => {
    const state = { failing: true };
    const fill = (m: Map<string, number>, from: number, to: number) => {
      for (let i = from; i < to; i++) {
        if (state.failing && i === failAt) throw new Error(`entry ${i} unreadable`);
        m.set(`k${i}`, i);
      }
    };
    const lazy = new LazyMap<string, number>((m) => fill(m, 0, count), { count, fill });
    return { lazy, state };
  };

  it("fills a part, then the rest on first use; a first use that throws throws again, never answering from a part (review 51)", () => {
    const { lazy, state } = map(12, 7);
    lazy.fillSome(3);
    expect(lazy.unfilled).toBe(9);
    expect(() => lazy.get("k8")).toThrow("entry 7 unreadable");
    // filled in part: still unfilled, and the next use tries again
    expect(lazy.unfilled).toBeGreaterThan(0);
    expect(() => lazy.has("k8")).toThrow("entry 7 unreadable");
    state.failing = false;
    expect(lazy.get("k8")).toBe(8);
    expect([...lazy.keys()]).toEqual(Array.from({ length: 12 }, (_, i) => `k${i}`));
    expect(lazy.unfilled).toBe(0);
  });
});
