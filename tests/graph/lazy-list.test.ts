/**
 * The lazy list a snapshot's graph holds its entities in (src/graph/snapshot/lazy-list.ts), and
 * the reader the graph reads it through without its Proxy (`itemReader`): the same items, made
 * once, whichever way they are read, and nothing made for an index the list does not have.
 */
import { describe, expect, it } from "vitest";
import { itemReader, lazyList } from "../../src/graph/snapshot/lazy-list.js";

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
