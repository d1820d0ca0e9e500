/**
 * src/server/signals.ts: an ignored signal is said at most once a minute, with how many signals
 * the line stands for (review 42: a sender in a loop made 450 warn lines a second), those passed
 * over said at the end of their period (review 43). The signal itself, sent to a real server, is
 * tested in shutdown.test.ts.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { atMostEvery } from "../../src/server/signals.js";

afterEach(() => {
  vi.useRealTimers();
});

/** atMostEvery over a minute, on a clock the test sets (`at.now`), with what it said. */
function counted() {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  const at = { now: 0 };
  const said: number[] = [];
  const call = atMostEvery(
    60_000,
    (count) => said.push(count),
    () => at.now,
  );
  return { at, said, call };
}

describe("atMostEvery", () => {
  it("calls at once, then at most once a period, with the calls each stands for", () => {
    const { at, said, call } = counted();
    at.now = 1_000;
    call();
    expect(said).toEqual([1]);
    for (let i = 0; i < 449; i++) call();
    at.now += 59_999;
    call();
    expect(said).toEqual([1]);
    at.now += 1;
    call();
    // the 450 passed over, and this one
    expect(said).toEqual([1, 451]);
    at.now += 120_000;
    call();
    expect(said).toEqual([1, 451, 1]);
  });

  it("says the calls passed over at the end of their period, though none comes after", () => {
    const { at, said, call } = counted();
    call();
    at.now = 10_000;
    call();
    call();
    expect(said).toEqual([1]);
    at.now = 60_000;
    vi.advanceTimersByTime(50_000);
    expect(said).toEqual([1, 2]);
    // and nothing more while nothing comes
    at.now = 200_000;
    vi.advanceTimersByTime(140_000);
    expect(said).toEqual([1, 2]);
    call();
    expect(said).toEqual([1, 2, 1]);
  });
});
