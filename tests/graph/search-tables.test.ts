import { describe, expect, it, vi } from "vitest";
import { TablePool } from "../../src/graph/search-tables.js";

/** A pool of plain tables (their capacity alone), kept free for `keptMs`. */
const poolOf = (max: number, keptMs = 60_000) =>
  new TablePool(max, (capacity) => ({ capacity }), keptMs);

describe("the pool of tables of the searches that pause (search-tables.ts)", () => {
  it("lends a free table of the size asked, or up to twice it, and makes one where the free ones are far larger", () => {
    const pool = poolOf(2);
    const large = pool.take(1 << 20)!;
    large.release();
    // twice the size asked: lent again
    const again = pool.take(1 << 19)!;
    expect(again.table).toBe(large.table);
    again.release();
    // far larger than asked: a table of its size is made beside it
    const small = pool.take(1 << 17)!;
    expect(small.table.capacity).toBe(1 << 17);
    expect(pool.made).toBe(2);
    small.release();
    expect(pool.counts).toEqual({ lent: 0, free: 2, waiting: 0 });
  });

  it("lets a free table go for one of the size asked when it holds as many as it may", () => {
    const pool = poolOf(1);
    pool.take(1 << 20)!.release();
    const small = pool.take(1 << 12)!;
    expect(small.table.capacity).toBe(1 << 12);
    expect(pool.counts).toEqual({ lent: 1, free: 0, waiting: 0 });
    // all lent: none for another, until it is given back (once, however often released)
    expect(pool.take(1 << 12)).toBeUndefined();
    small.release();
    small.release();
    expect(pool.counts).toEqual({ lent: 0, free: 1, waiting: 0 });
    expect(pool.take(1 << 12)!.table).toBe(small.table);
  });

  it("keeps its free tables while tables keep coming back, and lets them go once none has for a while", () => {
    vi.useFakeTimers();
    try {
      const pool = poolOf(1, 300);
      pool.take(1 << 10)!.release();
      vi.advanceTimersByTime(200);
      pool.take(1 << 10)!.release(); // given back again: the wait starts over
      vi.advanceTimersByTime(200);
      expect(pool.counts.free).toBe(1);
      expect(pool.made).toBe(1);
      vi.advanceTimersByTime(200);
      expect(pool.counts.free).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
