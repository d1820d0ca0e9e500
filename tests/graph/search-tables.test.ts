import { describe, expect, it, vi } from "vitest";
import { TablePool } from "../../src/graph/search-tables.js";

/** A pool of plain tables (each numbered as made), kept free for `keptMs`. */
const poolOf = (max: number, keptMs = 60_000) => {
  let made = 0;
  return new TablePool(max, () => ({ number: ++made }), keptMs);
};

describe("the pool of tables of the searches that pause (search-tables.ts)", () => {
  it("makes at most its tables, and lends one given back before it makes another", () => {
    const pool = poolOf(2);
    const first = pool.take()!;
    const second = pool.take()!;
    expect([first.table.number, second.table.number]).toEqual([1, 2]);
    // all lent: none for another, until one is given back (once, however often released)
    expect(pool.take()).toBeUndefined();
    first.release();
    first.release();
    expect(pool.counts).toEqual({ lent: 1, free: 1, waiting: 0 });
    const third = pool.take()!;
    expect(third.table).toBe(first.table);
    expect(pool.take()).toBeUndefined();
    expect(pool.made).toBe(2);
    second.release();
    third.release();
    expect(pool.counts).toEqual({ lent: 0, free: 2, waiting: 0 });
    expect(pool.mostLent).toBe(2);
  });

  it("keeps its free tables while tables keep coming back, and lets them go once none has for a while", () => {
    vi.useFakeTimers();
    try {
      const pool = poolOf(1, 300);
      pool.take()!.release();
      vi.advanceTimersByTime(200);
      pool.take()!.release(); // given back again: the wait starts over
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
