/**
 * The process's scheduler of execution slices (src/graph/scheduler.ts), on a fake clock and a
 * fake event loop: a turn runs waiters until the slice's time is used, the short lane's clients
 * in turn (each one's waiters first come first served) and the long lane's the oldest first, and
 * a request starting while others wait waits too. tests/server/fair-turns.test.ts attacks it over HTTP.
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_CHECK_EVERY,
  Deadline,
  ExecutionAbandonedError,
  ExecutionNotStartedError,
} from "../../src/graph/deadline.js";
import {
  ACCEPTS_FIRST_MS,
  ClientLane,
  EVICTION_SAMPLE,
  FINISH_WITHIN_SHARE,
  FRESH_IN_A_ROW,
  LATE_MEMORY_MS,
  LEARNED_FROM_PRICED_MS,
  MAX_LATE_CLIENTS,
  MAX_PATTERNS,
  MS_PER_PRICED_MS_BOUNDS,
  PATTERN_RUNS,
  RISE_HALF_LIFE_MS,
  RUNS_COUNTED,
  RUNS_HALF_LIFE_MS,
  SliceScheduler,
  UNKNOWN_PATTERN,
} from "../../src/graph/scheduler.js";

/** A scheduler on a clock the test moves, whose turns come when the test says (`turn()`). */
function fake(sliceMs = 20) {
  let now = 0;
  const deferred: (() => void)[] = [];
  const scheduler = new SliceScheduler({
    sliceMs,
    now: () => now,
    defer: (task) => deferred.push(task),
  });
  /** Microtasks run: waiters let go resume. */
  const settle = async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  return {
    scheduler,
    advance: (ms: number) => void (now += ms),
    now: () => now,
    /**
     * The loop comes round: every task deferred so far runs (as one check phase, after a poll
     * phase: the first call is the check phase of the poll phase the test's requests began in).
     */
    turn: async () => {
      for (const task of deferred.splice(0)) task();
      await settle();
    },
    settle,
  };
}

describe("SliceScheduler", () => {
  it("lets a request alone run at once, and one arriving after the turn's time is used wait", () => {
    const { scheduler, advance } = fake();
    expect(scheduler.begin()).toBe(true);
    advance(5);
    scheduler.end();
    expect(scheduler.begin()).toBe(true); // 5 ms of the turn used: time is left
    advance(20);
    expect(scheduler.begin()).toBe(false); // the turn's slice is used
  });

  it("runs waiters in the order they came, as many per turn as the slice's time allows", async () => {
    const { scheduler, advance, turn } = fake(20);
    const ran: string[] = [];
    expect(scheduler.begin()).toBe(true); // A runs, and uses the turn
    advance(20);
    const waiters = ["B", "C", "D"].map((name) => {
      expect(scheduler.begin()).toBe(false);
      return scheduler.wait().then(() => {
        ran.push(name);
        advance(8); // each runs 8 ms, then finishes
        scheduler.end();
      });
    });
    scheduler.end(); // A finishes: nobody may run in this turn, whose time is used
    await Promise.resolve();
    expect(ran).toEqual([]);
    // the check phase right after the I/O callback that opened A's turn: no I/O was polled
    // since (a /health request that came meanwhile), so no turn begins yet
    await turn();
    expect(ran).toEqual([]);
    await turn(); // B runs 8 ms, C 8 more, and D starts at 16 ms, within the turn's 20
    expect(ran).toEqual(["B", "C", "D"]);
    await Promise.all(waiters);
    expect(scheduler.queued).toBe(0);
    expect(scheduler.active).toBe(0);
  });

  it("stops handing on once the turn's time is used, and goes on at the next turn", async () => {
    const { scheduler, advance, turn } = fake(20);
    const ran: string[] = [];
    expect(scheduler.begin()).toBe(true);
    advance(25);
    for (const name of ["B", "C", "D"]) {
      scheduler.begin();
      void scheduler.wait().then(() => {
        ran.push(name);
        advance(15);
        scheduler.end();
      });
    }
    scheduler.end();
    await turn(); // the check phase of A's poll phase: no turn yet
    await turn(); // B runs 15 ms, C 15 ms more (started at 15 < 20): 30 ms used, D waits
    expect(ran).toEqual(["B", "C"]);
    expect(scheduler.queued).toBe(1);
    await turn();
    expect(ran).toEqual(["B", "C", "D"]);
    expect(scheduler.turns).toBe(2);
  });

  it("sends a request that used its slice to the back of the short lane", async () => {
    const { scheduler, advance, turn } = fake(20);
    const ran: string[] = [];
    expect(scheduler.begin()).toBe(true); // A: a slow request
    advance(20);
    expect(scheduler.begin()).toBe(false); // B, arriving meanwhile, waits
    void scheduler.wait().then(() => {
      ran.push("B");
      advance(5);
      scheduler.end();
    });
    // A's slice is used: it waits behind B
    void scheduler.wait().then(() => {
      ran.push("A");
      advance(5);
      scheduler.end();
    });
    await turn(); // the check phase of A's poll phase: no turn yet
    expect(ran).toEqual([]);
    await turn();
    expect(ran).toEqual(["B", "A"]);
  });

  it("says how much work waits: what each waiter said it has left, until it is let run", async () => {
    const { scheduler, advance, turn } = fake(20);
    scheduler.begin();
    advance(20); // the turn is used: the others wait
    const waiting = [5, 0.5, 300].map((workMs) => {
      scheduler.begin();
      return scheduler.wait(workMs);
    });
    expect(scheduler.queued).toBe(3);
    // cheap waiters count what they are, not a slice each (300 cheap requests were refused so)
    expect(scheduler.waitMs).toBe(305.5);
    scheduler.end();
    await turn(); // the check phase of the first request's poll phase: no turn yet
    expect(scheduler.waitMs).toBe(305.5);
    await turn();
    await waiting[0];
    // the first is let run: its work leaves the count
    expect(scheduler.waitMs).toBe(300.5);
  });

  it("counts what a Deadline has left of its estimate: its price less what it ran, at least 1 ms", () => {
    const { scheduler, advance, now } = fake(20);
    scheduler.begin();
    advance(20);
    const slow = new Deadline(5000, { sliceMs: 20, scheduler, now, pricedMs: 100 });
    const cheap = new Deadline(5000, { sliceMs: 20, scheduler, now, pricedMs: 0.01 });
    // both wait before their first slice, with all their work
    void slow.nextSlice();
    void cheap.nextSlice();
    expect(scheduler.waitMs).toBe(101);
  });
});

describe("SliceScheduler's scale", () => {
  it("expects a request to run what requests ran for their price: a price of 200 ms for 50 ms of work counts 50", () => {
    const { scheduler } = fake(20);
    // before any request has finished, the price is taken as it is
    expect(scheduler.expectedMs(200)).toBe(200);
    for (let i = 0; i < 100; i++) {
      scheduler.begin();
      scheduler.end(50, 200);
    }
    expect(scheduler.expectedMs(200)).toBeCloseTo(50, 5);
    // weighted by price: many cheap requests with a large overhead move it little
    for (let i = 0; i < 10; i++) {
      scheduler.begin();
      scheduler.end(0.5, 0.01);
    }
    expect(scheduler.expectedMs(200)).toBeLessThan(52);
  });
});

describe("SliceScheduler's scale, against requests whose run is their fixed costs (red team 42)", () => {
  /** A request priced `pricedMs` (0.04: a few units) that ran `ranMs`. */
  const ran = (
    scheduler: ReturnType<typeof fake>["scheduler"],
    ranMs: number,
    pricedMs: number,
  ) => {
    scheduler.begin();
    scheduler.end(ranMs, pricedMs);
  };

  it("learns nothing from requests priced under LEARNED_FROM_PRICED_MS: after a start, small ones leave it at 1", () => {
    // one small request (1 ms for a price of 0.04) made it 25: a query priced 178 ms was then
    // expected to take 4.5 s, and shed
    const { scheduler } = fake(20);
    for (let i = 0; i < 50; i++) ran(scheduler, 1, 0.04);
    ran(scheduler, 3, LEARNED_FROM_PRICED_MS - 0.01);
    expect(scheduler.expectedMs(178)).toBe(178);
  });

  it("keeps what costly requests taught it through a stream of small ones", () => {
    const { scheduler } = fake(20);
    for (let i = 0; i < 40; i++) ran(scheduler, 60, 178);
    const learned = scheduler.expectedMs(178);
    expect(learned).toBeCloseTo(60, 0);
    for (let i = 0; i < 300; i++) ran(scheduler, 1, 0.04);
    expect(scheduler.expectedMs(178)).toBe(learned);
    // requests at the least price teach it (toward their 1, weighted by their small price)
    for (let i = 0; i < 100; i++) ran(scheduler, LEARNED_FROM_PRICED_MS, LEARNED_FROM_PRICED_MS);
    expect(scheduler.msPerPricedMs).toBeGreaterThan(0.5);
  });

  it("keeps the ratio within MS_PER_PRICED_MS_BOUNDS, however requests ran for their price", () => {
    const [least, most] = MS_PER_PRICED_MS_BOUNDS;
    const { scheduler } = fake(20);
    for (let i = 0; i < 100; i++) ran(scheduler, 500, 10);
    expect(scheduler.msPerPricedMs).toBe(most);
    expect(scheduler.expectedMs(178)).toBe(178 * most);
    // (runs under the lower bound teach nothing: an index or a memo answered them, below)
    for (let i = 0; i < 300; i++) ran(scheduler, 200 * least, 200);
    expect(scheduler.msPerPricedMs).toBeCloseTo(least, 3);
    expect(scheduler.msPerPricedMs).toBeGreaterThanOrEqual(least);
  });
});

describe("SliceScheduler's scale per pattern (red team 47, F1)", () => {
  /** A request of `pattern` priced `pricedMs` that ran `ranMs`. */
  const ran = (scheduler: SliceScheduler, ranMs: number, pricedMs: number, pattern?: string) => {
    scheduler.begin();
    scheduler.end(ranMs, pricedMs, false, pattern);
  };

  it("expects a pattern to run what its own runs took for their price, whatever other patterns taught", () => {
    const { scheduler } = fake(20);
    // 80 title filters answered by an index: 12 ms for a price of 171
    for (let i = 0; i < 80; i++) ran(scheduler, 12, 171, "title");
    expect(scheduler.msPerPricedMs).toBeCloseTo(12 / 171, 3);
    expect(scheduler.expectedMs(171, "title")).toBeCloseTo(12, 1);
    // a scan's pattern, never seen: its price, not the tenth of it the title filters ran
    expect(scheduler.expectedMs(172, "scan")).toBe(172);
    // and once scans have run, what they ran
    for (let i = 0; i < 3; i++) ran(scheduler, 52, 172, "scan");
    expect(scheduler.expectedMs(172, "scan")).toBeCloseTo(52, 5);
    expect(scheduler.expectedMs(171, "title")).toBeCloseTo(12, 1);
    expect(scheduler.patternsLearned).toBe(2);
  });

  it("expects a pattern never seen at its price, or more where every request's runs took more", () => {
    const { scheduler } = fake(20);
    // lists run about twice their price
    for (let i = 0; i < 40; i++) ran(scheduler, 20, 10, "list");
    expect(scheduler.msPerPricedMs).toBe(MS_PER_PRICED_MS_BOUNDS[1]);
    expect(scheduler.expectedMs(100, "new")).toBe(100 * MS_PER_PRICED_MS_BOUNDS[1]);
    // without a pattern (a request too cheap to teach), by what every request's runs took
    expect(scheduler.expectedMs(3)).toBe(3 * MS_PER_PRICED_MS_BOUNDS[1]);
  });

  it("learns a pattern's ratio from its last runs and within MS_PER_PRICED_MS_BOUNDS, and from none under them or cut short below it", () => {
    const [least, most] = MS_PER_PRICED_MS_BOUNDS;
    const { scheduler } = fake(20);
    for (let i = 0; i < 5; i++) ran(scheduler, 100, 200, "p");
    expect(scheduler.expectedMs(200, "p")).toBeCloseTo(100, 5);
    // its last PATTERN_RUNS or so count most: 40 runs at a quarter bring it there
    for (let i = 0; i < 5 * PATTERN_RUNS; i++) ran(scheduler, 50, 200, "p");
    expect(scheduler.expectedMs(200, "p")).toBeCloseTo(50, 0);
    // a memo or an index answered it: nothing learned
    for (let i = 0; i < 40; i++) ran(scheduler, 200 * least * 0.5, 200, "p");
    expect(scheduler.expectedMs(200, "p")).toBeCloseTo(50, 0);
    // a run stopped by its time limit teaches only a ratio above the one known
    scheduler.begin();
    scheduler.end(20, 200, true, "p");
    expect(scheduler.expectedMs(200, "p")).toBeCloseTo(50, 0);
    // above it, though under what other patterns run for their price (`msPerPricedMs`), it does
    for (let i = 0; i < 100; i++) ran(scheduler, 400, 200, "list");
    expect(scheduler.msPerPricedMs).toBeGreaterThan(1.5);
    scheduler.begin();
    scheduler.end(200, 200, true, "p");
    expect(scheduler.expectedMs(200, "p")).toBeGreaterThan(60);
    for (let i = 0; i < 100; i++) ran(scheduler, 10_000, 200, "p");
    expect(scheduler.expectedMs(200, "p")).toBe(200 * most);
  });

  it(`takes a run of twice a pattern's estimate or more at once, and any other over its last runs; the rise halves every ${RISE_HALF_LIFE_MS} ms unless runs keep showing it (red team 48, F1; red team 49, F3)`, () => {
    const { scheduler, advance } = fake(20);
    for (let i = 0; i < 20; i++) ran(scheduler, 10, 100, "p");
    expect(scheduler.expectedMs(100, "p")).toBeCloseTo(10, 5);
    // one run at 15, under twice it: a step, as a moving mean's
    ran(scheduler, 15, 100, "p");
    expect(scheduler.expectedMs(100, "p")).toBeGreaterThan(10);
    expect(scheduler.expectedMs(100, "p")).toBeLessThan(12);
    // one run at 60 (RECHECKED_FROM times it or more): expected at 60 from now on, not a moving
    // mean's 16
    ran(scheduler, 60, 100, "p");
    expect(scheduler.expectedMs(100, "p")).toBeCloseTo(60, 5);
    // the cheap values again, however many: the rise holds meanwhile (a burst's dear values run
    // behind its cheap ones)...
    for (let i = 0; i < 5 * PATTERN_RUNS; i++) ran(scheduler, 10, 100, "p");
    expect(scheduler.expectedMs(100, "p")).toBeCloseTo(60, 5);
    // ...and halves with time: one request of dear values does not hold a pattern's estimate up
    // for good (red team 49, F3: an honest burst 30 s later had a third of it let in)
    advance(RISE_HALF_LIFE_MS);
    expect(scheduler.expectedMs(100, "p")).toBeCloseTo(30, 5);
    advance(5 * RISE_HALF_LIFE_MS);
    expect(scheduler.expectedMs(100, "p")).toBeCloseTo(10, 0);
    // runs of the dear values keep it up: each one twice the mean or more starts it again
    ran(scheduler, 60, 100, "p");
    advance(RISE_HALF_LIFE_MS);
    ran(scheduler, 40, 100, "p");
    expect(scheduler.expectedMs(100, "p")).toBeCloseTo(40, 5);
  });

  it("expects a pattern to run at least what an operation of it still running has run (ranAtLeast)", () => {
    const { scheduler } = fake(20);
    for (let i = 0; i < 20; i++) ran(scheduler, 10, 100, "p");
    // under twice what it is expected to run (RECHECKED_FROM): nothing changes
    scheduler.ranAtLeast("p", 8, 100);
    scheduler.ranAtLeast("p", 19, 100);
    expect(scheduler.expectedMs(100, "p")).toBeCloseTo(10, 5);
    // past it: the pattern is expected at that at least, for what waits and what comes
    scheduler.ranAtLeast("p", 45, 100);
    expect(scheduler.expectedMs(100, "p")).toBeCloseTo(45, 5);
    expect(scheduler.expectedMs(200, "p")).toBeCloseTo(90, 5);
    // within the ratio's bounds
    scheduler.ranAtLeast("p", 10_000, 100);
    expect(scheduler.expectedMs(100, "p")).toBe(100 * MS_PER_PRICED_MS_BOUNDS[1]);
    // a pattern never seen is expected at its price: a run under twice it says nothing, one over
    // it does (within the bound: twice the price)
    scheduler.ranAtLeast("new", 50, 100);
    expect(scheduler.expectedMs(100, "new")).toBe(100);
    scheduler.ranAtLeast("new", 150, 100);
    expect(scheduler.expectedMs(100, "new")).toBe(100);
    scheduler.ranAtLeast("new", 250, 100);
    expect(scheduler.expectedMs(100, "new")).toBeCloseTo(200, 5);
    // nor an operation too cheap to teach
    scheduler.ranAtLeast("cheap", 40, LEARNED_FROM_PRICED_MS - 1);
    expect(scheduler.expectedMs(LEARNED_FROM_PRICED_MS - 1, "cheap")).toBe(
      LEARNED_FROM_PRICED_MS - 1,
    );
  });

  it(`keeps the ratios of ${MAX_PATTERNS} patterns run more than once at most and of ${MAX_PATTERNS} run once, forgetting the one taught least lately first`, () => {
    const { scheduler, advance } = fake(20);
    for (let i = 0; i < MAX_PATTERNS; i++)
      for (let run = 0; run < 2; run++) ran(scheduler, 10, 100, `p${i}`);
    expect(scheduler.patternsLearned).toBe(MAX_PATTERNS);
    // p0 taught again: p1 is now the one taught least lately
    ran(scheduler, 10, 100, "p0");
    // another run twice takes p1's place, which goes back among the patterns run once
    ran(scheduler, 10, 100, "another");
    ran(scheduler, 10, 100, "another");
    expect(scheduler.patternsLearned).toBe(MAX_PATTERNS + 1);
    expect(scheduler.memoryOf("p1")).toBe("run once");
    expect(scheduler.memoryOf("another")).toBe("run more than once");
    expect(scheduler.expectedMs(100, "p1")).toBeCloseTo(10, 5);
    // patterns run once, as many as that memory holds: the memories are full, and the others
    // are kept
    for (let i = 0; i < MAX_PATTERNS; i++) ran(scheduler, 10, 100, `once${i}`);
    expect(scheduler.patternsLearned).toBe(2 * MAX_PATTERNS);
    for (const kept of ["p0", "p2", `p${MAX_PATTERNS - 1}`, "another"])
      expect(scheduler.memoryOf(kept)).toBe("run more than once");
    // p1, run twice, outlives them (those run once go first); a minute later, at 1 run, it is
    // the first of the equals, and forgotten with them: as a pattern never seen
    expect(scheduler.expectedMs(100, "p1")).toBeCloseTo(10, 5);
    advance(RUNS_HALF_LIFE_MS);
    for (let i = 0; i < MAX_PATTERNS; i++) ran(scheduler, 10, 100, `again${i}`);
    expect(scheduler.memoryOf("p1")).toBeUndefined();
    expect(scheduler.expectedMs(100, "p1")).toBe(100);
  });

  it("keeps what a pattern run more than once runs through a flood of patterns run once each, as a client's distinct operation names made (red team 48, F3)", () => {
    const { scheduler } = fake(20);
    // an honest pattern: 10 runs at a quarter of its price
    for (let i = 0; i < 10; i++) ran(scheduler, 43, 171, "honest");
    // 5,000 cheap requests of a pattern each
    for (let i = 0; i < 5 * MAX_PATTERNS; i++) ran(scheduler, 1, 9, `Q${i}`);
    expect(scheduler.expectedMs(171, "honest")).toBeCloseTo(43, 5);
    expect(scheduler.patternsLearned).toBeLessThanOrEqual(2 * MAX_PATTERNS);
  });

  it(`lets a pattern run twice take the place of the one run the fewest times of the ${EVICTION_SAMPLE} taught least lately when that one has run no more times, each count halving every ${RUNS_HALF_LIFE_MS} ms (to ${RUNS_COUNTED})`, () => {
    const { scheduler, advance } = fake(20);
    // every place taken by patterns run three times
    for (let i = 0; i < MAX_PATTERNS; i++)
      for (let run = 0; run < 3; run++) ran(scheduler, 10, 100, `p${i}`);
    /** Forgets every pattern that is not among those run more than once. */
    const flood = (tag: string) => {
      for (let i = 0; i < MAX_PATTERNS; i++) ran(scheduler, 1, 9, `${tag}${i}`);
    };
    // run twice: p0 has run three times, so it stays, and x, kept among the patterns run once,
    // outlives a flood of patterns run once
    ran(scheduler, 30, 100, "x");
    ran(scheduler, 30, 100, "x");
    flood("a");
    expect(scheduler.memoryOf("x")).toBe("run once");
    expect(scheduler.memoryOf("p0")).toBe("run more than once");
    // a half-life later p0's three runs count 1.5, x's two 1: x run again counts 2 and takes
    // p0's place (the first of the least taught lately among equals)
    advance(RUNS_HALF_LIFE_MS);
    ran(scheduler, 30, 100, "x");
    expect(scheduler.memoryOf("x")).toBe("run more than once");
    expect(scheduler.memoryOf("p0")).toBe("run once");
    expect(scheduler.memoryOf("p1")).toBe("run more than once");
    expect(scheduler.expectedMs(100, "x")).toBeCloseTo(30, 5);
    // a count is RUNS_COUNTED at most: p0 run 640 times is put out by y run RUNS_COUNTED times
    const { scheduler: other } = fake(20);
    for (let i = 0; i < MAX_PATTERNS; i++) {
      const runs = i === 0 ? 10 * RUNS_COUNTED : i < EVICTION_SAMPLE ? RUNS_COUNTED + 1 : 2;
      for (let run = 0; run < runs; run++) ran(other, 10, 100, `p${i}`);
    }
    for (let run = 0; run < RUNS_COUNTED - 1; run++) ran(other, 30, 100, "y");
    expect(other.memoryOf("y")).toBe("run once");
    ran(other, 30, 100, "y");
    expect(other.memoryOf("y")).toBe("run more than once");
    expect(other.memoryOf("p0")).toBe("run once");
    expect(other.memoryOf("p1")).toBe("run more than once");
  });

  it("keeps a pattern run often that patterns run more often hold out of the memory of patterns run more than once through a flood of patterns run once (review 49)", () => {
    const { scheduler } = fake(20);
    // the memory full of patterns run twice, then 8 run 64 times, brought to its front
    for (let i = 0; i < MAX_PATTERNS; i++)
      for (let run = 0; run < 2; run++) ran(scheduler, 1, 9, `twice${i}`);
    for (let g = 0; g < EVICTION_SAMPLE; g++)
      for (let run = 0; run < RUNS_COUNTED; run++) ran(scheduler, 1, 9, `guard${g}`);
    for (let i = 0; i < MAX_PATTERNS; i++)
      for (let run = 0; run < 2; run++) ran(scheduler, 1, 9, `more${i}`);
    // an honest pattern run 20 times is held out, but kept among the patterns run once through
    // a flood of patterns run once each (they go first)
    for (let run = 0; run < 20; run++) ran(scheduler, 43, 171, "honest");
    expect(scheduler.memoryOf("honest")).toBe("run once");
    for (let i = 0; i < MAX_PATTERNS; i++) ran(scheduler, 1, 9, `once${i}`);
    expect(scheduler.expectedMs(171, "honest")).toBeCloseTo(43, 5);
  });

  it("keeps a pattern run often through patterns run more often taught after it and a flood of patterns run twice each, until its count has halved enough (red team 49, F2)", () => {
    const { scheduler, advance } = fake(20);
    for (let i = 0; i < 10; i++) ran(scheduler, 43, 171, "honest");
    // 7 guards run 64 times each just after it: it is the one run the fewest times of the
    // EVICTION_SAMPLE taught least lately
    for (let g = 0; g < EVICTION_SAMPLE - 1; g++)
      for (let run = 0; run < RUNS_COUNTED; run++) ran(scheduler, 1, 9, `guard${g}`);
    const flood = (tag: string) => {
      for (let i = 0; i < 3 * MAX_PATTERNS; i++)
        for (let run = 0; run < 2; run++) ran(scheduler, 1, 9, `${tag}${i}`);
    };
    flood("a");
    expect(scheduler.expectedMs(171, "honest")).toBeCloseTo(43, 5);
    // idle for five half-lives, its 10 runs count 0.3: the flood's patterns put it out
    advance(5 * RUNS_HALF_LIFE_MS);
    flood("b");
    expect(scheduler.expectedMs(171, "honest")).toBe(171);
  });

  it("keeps a pattern run often through a flood of patterns run twice each: the flood puts its own out (red team 48, F3)", () => {
    const { scheduler } = fake(20);
    for (let i = 0; i < 10; i++) ran(scheduler, 43, 171, "honest");
    // 3,000 patterns run twice each, all taught after it
    for (let i = 0; i < 3 * MAX_PATTERNS; i++)
      for (let run = 0; run < 2; run++) ran(scheduler, 1, 9, `Q${i}`);
    expect(scheduler.expectedMs(171, "honest")).toBeCloseTo(43, 5);
    // and one run three times gets in, in place of one of the flood's (not refused by the older
    // pattern run more): kept through a flood of patterns run once
    for (let run = 0; run < 3; run++) ran(scheduler, 20, 100, "z");
    for (let i = 0; i < MAX_PATTERNS; i++) ran(scheduler, 1, 9, `once${i}`);
    expect(scheduler.expectedMs(100, "z")).toBeCloseTo(20, 5);
    expect(scheduler.expectedMs(171, "honest")).toBeCloseTo(43, 5);
  });

  it("counts a run once: one still running that taught its pattern (ranAtLeast) and then ended is one run, not two", () => {
    const { scheduler } = fake(20);
    scheduler.begin();
    scheduler.ranAtLeast("long", 250, 100);
    scheduler.end(300, 100, false, "long");
    expect(scheduler.expectedMs(100, "long")).toBe(100 * MS_PER_PRICED_MS_BOUNDS[1]);
    // run once: forgotten with the patterns run once
    for (let i = 0; i < MAX_PATTERNS; i++) ran(scheduler, 1, 9, `Q${i}`);
    expect(scheduler.expectedMs(100, "long")).toBe(100);
  });

  it("expects an operation whose pattern is unknown (too long to keep) as a pattern never seen, whatever every request's runs taught, and learns nothing from it", () => {
    const { scheduler } = fake(20);
    // every request's runs taught down to a tenth of their price
    for (let i = 0; i < 80; i++) ran(scheduler, 12, 171, "title");
    expect(scheduler.msPerPricedMs).toBeLessThan(0.1);
    expect(scheduler.expectedMs(172, UNKNOWN_PATTERN)).toBe(172);
    // its own runs, however cheap or dear, teach it nothing: each one's may be another's work
    for (let i = 0; i < 40; i++) ran(scheduler, 9, 172, UNKNOWN_PATTERN);
    scheduler.ranAtLeast(UNKNOWN_PATTERN, 340, 172);
    expect(scheduler.expectedMs(172, UNKNOWN_PATTERN)).toBe(172);
    expect(scheduler.patternsLearned).toBe(1);
  });

  it("refuses as late an operation of a pattern never seen though every request's runs took a tenth of their price (runsLate)", () => {
    const { scheduler, advance } = fake(20);
    for (let i = 0; i < 80; i++) ran(scheduler, 12, 171, "title");
    scheduler.begin();
    advance(20);
    for (let i = 0; i < 20; i++) {
      scheduler.begin();
      void scheduler.wait(172, "192.0.2.1", i);
    }
    // 3,440 ms ahead: a scan of 172 ms more passes 4,000 by its price, not by a tenth of it
    expect(scheduler.runsLate(172 * 4, 5000, "198.51.100.7", "scan")).toEqual({
      aheadMs: 3440,
      expectedMs: 688,
    });
    expect(scheduler.runsLate(172 * 4, 5000, "198.51.100.7", "title")).toBeUndefined();
  });

  it("a Deadline of a pattern teaches that pattern's ratio, and is expected at it", () => {
    let now = 0;
    const scheduler = new SliceScheduler({ sliceMs: 20, now: () => now, defer: () => {} });
    for (let i = 0; i < 3; i++) {
      const deadline = new Deadline(5000, {
        scheduler,
        sliceMs: 20,
        pricedMs: 200,
        pattern: "p",
        now: () => now,
      });
      now += 40;
      deadline.finish();
    }
    expect(scheduler.expectedMs(200, "p")).toBeCloseTo(40, 5);
    expect(scheduler.expectedMs(200, "q")).toBe(200);
  });
});

describe("a Deadline that does not teach the scale (the server's warm-up at start)", () => {
  it("leaves the scale as it was, where one that teaches moves it", () => {
    const run = (teaches: boolean | undefined) => {
      const { scheduler, advance, now } = fake(20);
      const deadline = new Deadline(1000, {
        sliceMs: 20,
        scheduler,
        now,
        pricedMs: 40,
        ...(teaches === undefined ? {} : { teaches }),
      });
      // cold code: three times its price
      advance(120);
      deadline.finish();
      expect(scheduler.active).toBe(0);
      return scheduler.msPerPricedMs;
    };
    expect(run(false)).toBe(1);
    expect(run(undefined)).toBe(MS_PER_PRICED_MS_BOUNDS[1]);
  });
});

describe("Deadline with a scheduler", () => {
  it("makes the first slice of a request wait when others wait, and counts its time from its start", async () => {
    const { scheduler, advance, now, turn } = fake(20);
    const first = new Deadline(1000, { sliceMs: 20, scheduler, now });
    expect(first.sliceUsed).toBe(false);
    advance(20);
    first.checkNow();
    expect(first.sliceUsed).toBe(true);
    const second = new Deadline(30, { sliceMs: 20, scheduler, now });
    // others hold the loop: the second request's first field waits for its turn
    expect(second.sliceUsed).toBe(true);
    const waited = second.nextSlice();
    const firstWaits = first.nextSlice();
    advance(40); // the turn took long: the second request's 30 ms have passed meanwhile
    await turn(); // the check phase of the first request's poll phase: no turn yet
    await turn();
    await expect(waited).rejects.toThrow("execution took longer than its limit of 30 ms");
    // which it spent waiting for its first turn (its answer says so)
    expect(second.waitedOut).toBe(true);
    expect(first.waitedOut).toBe(false);
    second.finish();
    await turn();
    await firstWaits;
    expect(first.sliceUsed).toBe(false);
    first.finish();
    expect(scheduler.active).toBe(0);
  });
});

describe("a Deadline whose first turn comes with less time left than it is expected to run", () => {
  /** Whether `promise` has settled, and how, without waiting for it (after microtasks). */
  const state = async (promise: Promise<unknown>) => {
    let seen: unknown = "pending";
    promise.then(
      () => (seen = "granted"),
      (error: unknown) => (seen = error),
    );
    for (let i = 0; i < 10; i++) await Promise.resolve();
    return seen;
  };
  /** Pattern "p" taught to run a tenth of its price: 40 runs of 20 ms priced 200. */
  const taughtATenth = (scheduler: SliceScheduler) => {
    for (let i = 0; i < 40; i++) {
      scheduler.begin();
      scheduler.end(20, 200, false, "p");
    }
  };

  it("is not begun: its first checkpoint fails it (ExecutionNotStartedError), and it teaches nothing", async () => {
    const { scheduler, advance, now, turn } = fake(20);
    // alone: it runs at once, and holds the loop for 670 ms
    const first = new Deadline(5000, { sliceMs: 20, scheduler, now });
    advance(20);
    // priced 400 ms and 100, each expected at its price (nothing taught): they wait behind it
    const late = new Deadline(1000, { sliceMs: 20, scheduler, now, pricedMs: 400 });
    const tight = new Deadline(1000, { sliceMs: 20, scheduler, now, pricedMs: 300 });
    const enough = new Deadline(1000, { sliceMs: 20, scheduler, now, pricedMs: 100 });
    expect(late.sliceUsed).toBe(true);
    const lateTurn = late.nextSlice();
    const tightTurn = tight.nextSlice();
    const enoughTurn = enough.nextSlice();
    advance(650);
    first.finish();
    await turn();
    await turn();
    // 350 ms are left of its 1,000, 400 expected: not begun
    const error = await state(lateTurn);
    expect(error).toBeInstanceOf(ExecutionNotStartedError);
    expect((error as Error).message).toBe(
      "execution not started after waiting 650 ms: it was expected to run 400 ms, past its limit of 1000 ms",
    );
    expect(late.notStarted).toEqual({ waitedMs: 650, expectedMs: 400 });
    expect(late.expired).toBe(true);
    expect(() => late.check(DEFAULT_CHECK_EVERY)).toThrow(ExecutionNotStartedError);
    late.finish();
    // 350 ms left of 300 expected: not begun either, as it counts on four fifths of what is left
    // (280 ms), as runsLate does; the rest is for what the estimate misses
    expect(await state(tightTurn)).toBeInstanceOf(ExecutionNotStartedError);
    expect(tight.notStarted).toEqual({ waitedMs: 650, expectedMs: 300 });
    tight.finish();
    // 350 ms left of 100 expected: it runs, in what is left of the turn
    expect(await state(enoughTurn)).toBe("granted");
    expect(enough.notStarted).toBeUndefined();
    expect(enough.expired).toBe(false);
    enough.finish();
    expect(scheduler.active).toBe(0);
    // what it ran (nothing) taught nothing: a price is still expected as it is
    expect(scheduler.msPerPricedMs).toBe(1);
  });

  it("is never 'not begun' when its time began before (startedAt: an answer's writing after its execution, review 51)", async () => {
    const { scheduler, advance, now, turn } = fake(20);
    const first = new Deadline(5000, { sliceMs: 20, scheduler, now });
    advance(20);
    // an execution of 1,000 ms limit that began 980 ms ago: its writing waits behind `first`
    const writing = new Deadline(1000, { sliceMs: 20, scheduler, now, startedAt: now() - 980 });
    expect(writing.sliceUsed).toBe(true);
    const writingTurn = writing.nextSlice();
    advance(10);
    first.finish();
    await turn();
    await turn();
    // 10 ms left of the 20 a slice is expected to take: granted all the same
    expect(await state(writingTurn)).toBe("granted");
    expect(writing.notStarted).toBeUndefined();
    // and past its end, a time-out of the execution's time, not a refusal of its turn
    advance(20);
    expect(() => writing.check(DEFAULT_CHECK_EVERY)).toThrow("stopped after 1010 ms");
    writing.finish();
    expect(scheduler.active).toBe(0);
  });

  it("is judged by what its pattern is expected to run when its turn comes, not when it began: a run of it meanwhile may have shown more (red team 48, F1)", async () => {
    const { scheduler, advance, now, turn } = fake(20);
    taughtATenth(scheduler);
    const first = new Deadline(1000, { sliceMs: 20, scheduler, now, pricedMs: 200, pattern: "p" });
    advance(20);
    first.checkNow();
    // expected at 20 ms, it waits behind the first
    const second = new Deadline(1000, { sliceMs: 20, scheduler, now, pricedMs: 200, pattern: "p" });
    const secondTurn = second.nextSlice();
    const firstTurn = first.nextSlice();
    await turn();
    await turn();
    expect(await state(firstTurn)).toBe("granted");
    // the first runs 700 ms: past its 20, and the pattern is expected at that from now on, within
    // the ratio's bound (twice the price: 400)
    advance(680);
    first.checkNow();
    const again = first.nextSlice();
    expect(scheduler.expectedMs(200, "p")).toBe(200 * MS_PER_PRICED_MS_BOUNDS[1]);
    await turn();
    await turn();
    // kept first (the oldest), not sent to the back of the lane as one that ran past its estimate
    expect(await state(again)).toBe("granted");
    first.finish();
    // the second's first turn: 300 ms left of its 1,000, 400 expected of its pattern now (it
    // began expected at 20)
    expect(await state(secondTurn)).toBeInstanceOf(ExecutionNotStartedError);
    expect(second.notStarted).toEqual({ waitedMs: 680, expectedMs: 400 });
    second.finish();
    expect(scheduler.active).toBe(0);
  });

  it("is given up at once when its pattern's estimate rises while it waits and the work ahead would leave it too little time, and is valued again in the queue if not (SliceScheduler.recheck)", async () => {
    const { scheduler, advance, now } = fake(20);
    taughtATenth(scheduler);
    const options = { sliceMs: 20, scheduler, now, pricedMs: 200, pattern: "p" } as const;
    const first = new Deadline(1000, options);
    advance(20);
    first.checkNow();
    // three more of the pattern, each expected at 20 ms: they wait behind the first
    const waiting = [1, 2, 3].map(() => new Deadline(1000, options));
    const turns = waiting.map((deadline) => deadline.nextSlice());
    expect(scheduler.waitMs).toBe(60);
    // the first has run 300 ms: its pattern is expected at that from now on
    advance(280);
    first.checkNow();
    const again = first.nextSlice();
    // the first of them has 720 ms left, 576 to count on: 300 fits. The next two would wait 300
    // more: given up now, not when their turn comes
    expect(await state(turns[0]!)).toBe("pending");
    expect(await state(turns[1]!)).toBeInstanceOf(ExecutionNotStartedError);
    expect(await state(turns[2]!)).toBeInstanceOf(ExecutionNotStartedError);
    expect(waiting[1]!.notStarted).toEqual({ waitedMs: 280, expectedMs: 300 });
    // what waits: the first's least (it has run what it is expected to), and 300 of the one
    // still waiting, which had said 20
    expect(scheduler.waitMs).toBe(1 + 300);
    expect(scheduler.queued).toBe(2);
    // of which 280 added to it, as it waited (load shedding does not refuse everyone for that:
    // pressure.ts); the two given up took theirs with them
    expect(scheduler.revaluedMs).toBe(280);
    for (const deadline of [first, ...waiting]) deadline.finish();
    void again;
  });

  it("takes what was added to it when valued again out of the queue's revalued work when it is let go, while others still wait (review 50)", async () => {
    const { scheduler, advance, now, turn } = fake(20);
    taughtATenth(scheduler);
    const options = { sliceMs: 20, scheduler, now, pricedMs: 200, pattern: "p" } as const;
    const first = new Deadline(5000, options);
    advance(20);
    first.checkNow();
    const waiting = [1, 2].map(() => new Deadline(5000, options));
    const turns = waiting.map((deadline) => deadline.nextSlice());
    // another client's cheap waiter
    const other = scheduler.enqueue(1, "198.51.100.9");
    advance(280);
    first.checkNow();
    void first.nextSlice();
    expect(scheduler.revaluedMs).toBe(2 * 280); // both valued again at 300, having said 20
    first.finish();
    for (let i = 0; i < 6 && (await state(turns[0]!)) === "pending"; i++) await turn();
    expect(await state(turns[0]!)).toBe("granted");
    // the one let go took what was added to it with it (the other client's cheap one went
    // before it, in the short lane): what is left is what the one still waiting holds beyond the
    // 20 it said (valued again at each rise: the first's end was one)
    expect(scheduler.queued).toBe(1);
    expect(scheduler.revaluedMs).toBeGreaterThanOrEqual(280);
    expect(scheduler.revaluedMs).toBe(scheduler.waitMs - 20);
    other.withdraw();
    for (const deadline of [first, ...waiting]) deadline.finish();
  });

  it("is begun once it has run a slice, whatever is left of its time then: only its deadline stops it", async () => {
    const { scheduler, advance, now, turn } = fake(20);
    // alone: it runs its first slice at once
    const begun = new Deadline(1000, { sliceMs: 20, scheduler, now, pricedMs: 400 });
    advance(20);
    begun.checkNow();
    expect(begun.sliceUsed).toBe(true);
    // another, cheap, runs next and holds the loop 900 ms
    const other = new Deadline(5000, { sliceMs: 20, scheduler, now });
    const otherTurn = other.nextSlice();
    const begunTurn = begun.nextSlice();
    await turn();
    await turn();
    expect(await state(otherTurn)).toBe("granted");
    advance(900); // 80 ms left of its 1,000, 380 expected still
    other.finish();
    await turn();
    await turn();
    expect(await state(begunTurn)).toBe("granted");
    expect(begun.notStarted).toBeUndefined();
    expect(begun.expired).toBe(false);
    begun.finish();
    expect(scheduler.active).toBe(0);
  });
});

describe("a request whose client went away", () => {
  it("leaves the queue with its work when it withdraws: the others run in order, it never does", async () => {
    const { scheduler, advance, turn } = fake(20);
    const ran: string[] = [];
    scheduler.begin();
    advance(20); // the turn is used: the others wait
    const waiters = (["B", "C", "D"] as const).map((name, i) => {
      scheduler.begin();
      const waiter = scheduler.enqueue([100, 200, 300][i]);
      void waiter.granted.then(() => {
        ran.push(name);
        advance(1);
        scheduler.end();
      });
      return waiter;
    });
    expect(scheduler.waitMs).toBe(600);
    waiters[1]!.withdraw();
    waiters[1]!.withdraw(); // twice: once
    expect(scheduler.queued).toBe(2);
    expect(scheduler.waitMs).toBe(400);
    scheduler.end(); // C's request ends without running (as an abandoned execution does)
    scheduler.end();
    await turn();
    await turn();
    expect(ran).toEqual(["B", "D"]);
    expect(scheduler.queued).toBe(0);
    expect(scheduler.waitMs).toBe(0);
    expect(scheduler.active).toBe(0);
    // a waiter let go withdraws for nothing: the count does not go below what waits
    waiters[0]!.withdraw();
    expect(scheduler.queued).toBe(0);
  });

  it("fails a Deadline waiting for its turn at once, out of the queue, and any later checkpoint", async () => {
    const { scheduler, advance, now, turn, settle } = fake(20);
    scheduler.begin();
    advance(20);
    const gone = new Deadline(5000, { sliceMs: 20, scheduler, now, pricedMs: 100 });
    const other = new Deadline(5000, { sliceMs: 20, scheduler, now, pricedMs: 50 });
    const waited = gone.nextSlice();
    const otherWaited = other.nextSlice();
    expect(scheduler.waitMs).toBe(150);
    gone.abandon();
    // before any turn: the wait fails, and its work is no longer counted
    const outcome = await Promise.race([
      waited.then(
        () => "granted",
        (error: unknown) => error,
      ),
      settle().then(() => "still waiting"),
    ]);
    expect(outcome).toBeInstanceOf(ExecutionAbandonedError);
    await expect(waited).rejects.toThrow("its client went away");
    expect(gone.abandoned).toBe(true);
    expect(gone.expired).toBe(true);
    expect(scheduler.queued).toBe(1);
    expect(scheduler.waitMs).toBe(50);
    expect(() => gone.check()).toThrow(ExecutionAbandonedError);
    expect(() => gone.pause(1)).toThrow(ExecutionAbandonedError);
    gone.finish();
    scheduler.end();
    await turn();
    await turn();
    await otherWaited;
    expect(other.abandoned).toBe(false);
    other.finish();
    expect(scheduler.active).toBe(0);
  });

  it("counts an abandoned run for nothing in what requests take for their price, and ignores a finished one", () => {
    const { scheduler, advance, now } = fake(20);
    const gone = new Deadline(5000, { sliceMs: 20, scheduler, now, pricedMs: 200 });
    advance(10);
    gone.abandon();
    gone.finish();
    // 10 ms for a price of 200 would say requests take a twentieth of their price
    expect(scheduler.msPerPricedMs).toBe(1);
    const done = new Deadline(5000, { sliceMs: 20, scheduler, now, pricedMs: 200 });
    advance(50);
    done.finish();
    done.abandon();
    expect(done.abandoned).toBe(false);
    expect(done.expired).toBe(false);
    expect(scheduler.msPerPricedMs).toBeCloseTo(0.25);
  });
});

describe("what a run cut short, or far under its price, teaches (red team 46, F0)", () => {
  /** A scheduler on a fake clock that four runs of 50 ms for a price of 200 taught a quarter; `run` runs a Deadline priced 200 for `ms`. */
  function taughtAQuarter() {
    const { scheduler, advance, now } = fake(20);
    const run = (ms: number, limitMs = 5000) => {
      const deadline = new Deadline(limitMs, { sliceMs: 20, scheduler, now, pricedMs: 200 });
      advance(ms);
      return deadline;
    };
    for (let i = 0; i < 4; i++) run(50).finish();
    expect(scheduler.msPerPricedMs).toBeCloseTo(0.25);
    return { scheduler, run };
  }

  it("a run stopped by its time limit teaches only a ratio above the one known: it ran at least that for its price", () => {
    const { scheduler, run } = taughtAQuarter();
    // stopped by its limit after 20 ms: less than known, it says nothing
    const short = run(20, 20);
    expect(() => short.checkNow()).toThrow();
    short.finish();
    expect(short.expired).toBe(true);
    expect(scheduler.msPerPricedMs).toBeCloseTo(0.25);
    // stopped after 150 ms: at least three quarters, it raises the ratio
    const long = run(150, 150);
    expect(() => long.checkNow()).toThrow();
    long.finish();
    expect(scheduler.msPerPricedMs).toBeGreaterThan(0.3);
  });

  it("a run under the ratio's lower bound teaches nothing: an index or a memo answered it, which says nothing of the work when it must be done", () => {
    const { scheduler, run } = taughtAQuarter();
    // a hundred runs of 0.2 ms: a thousandth of their price, under the lower bound
    for (let i = 0; i < 100; i++) run(0.2).finish();
    expect(scheduler.msPerPricedMs).toBeCloseTo(0.25);
    // one at the bound teaches as before
    run(200 * MS_PER_PRICED_MS_BOUNDS[0]).finish();
    expect(scheduler.msPerPricedMs).toBeLessThan(0.25);
  });
});

describe("the two lanes: work done within a slice first, then the oldest execution (red team 46, F0)", () => {
  it("lets the long lane's oldest waiter go first, though it came back to wait after a younger one", async () => {
    const { scheduler, advance, turn } = fake(20);
    const ran: string[] = [];
    const runs = (name: string) => () => {
      ran.push(name);
      advance(20);
      scheduler.end();
    };
    scheduler.begin(); // A begins at 0 and uses the turn
    advance(20);
    scheduler.begin(); // B begins at 20, while A holds the loop: it waits
    const b = scheduler.wait(100, "", 20).then(runs("B"));
    const a = scheduler.wait(100, "", 0).then(runs("A")); // A's slice is used: it waits too
    await turn(); // the check phase of A's poll phase: no turn yet
    await turn();
    // each in turn, B went first: A, let in first, waited for B and for whatever came after
    expect(ran).toEqual(["A"]);
    await turn();
    await Promise.all([a, b]);
    expect(ran).toEqual(["A", "B"]);
  });

  it("lets work expected within a slice pass the long lane: a cheap request runs in the next turn, not after a slice of each slow one", async () => {
    const { scheduler, advance, turn } = fake(20);
    const ran: string[] = [];
    scheduler.begin(); // A uses the turn
    advance(20);
    const slow = [1, 2, 3].map((order) => {
      scheduler.begin();
      return scheduler.wait(100, "", order).then(() => {
        ran.push(`S${order}`);
        advance(20);
        scheduler.end();
      });
    });
    scheduler.begin();
    const cheap = scheduler.wait(1).then(() => {
      ran.push("C");
      advance(1);
      scheduler.end();
    });
    scheduler.end(); // A is done
    await turn(); // no turn yet
    await turn();
    expect(ran).toEqual(["C", "S1"]);
    for (let i = 0; i < 3; i++) await turn();
    await Promise.all([...slow, cheap]);
    expect(ran).toEqual(["C", "S1", "S2", "S3"]);
  });

  it(`lets a client new to the short lane pass the waiters of clients already waiting there, each of those in turn, and one in ${FRESH_IN_A_ROW + 1} a waiting client's while new ones keep coming`, async () => {
    const { scheduler, advance, turn } = fake(20);
    const ran: string[] = [];
    scheduler.begin();
    advance(20); // the turn is used: the others wait
    const queue = (client: string, name: string) =>
      scheduler.enqueue(1, client).granted.then(() => {
        ran.push(name);
        advance(1);
        scheduler.workDone();
      });
    // a burst: two addresses' requests as they came, a third client's behind them
    const waiting = [
      ...["a1", "a2", "a3", "a4"].map((name) => queue("192.0.2.1", name)),
      ...["b1", "b2", "b3"].map((name) => queue("192.0.2.2", name)),
      queue("198.51.100.7", "honest"),
      ...Array.from({ length: 12 }, (_, i) => queue(`203.0.113.${i}`, `new${i}`)),
    ];
    scheduler.end();
    await turn();
    await turn();
    await Promise.all(waiting);
    // each client new to the lane (a, b, the honest client and those after it) before the second
    // waiter of anyone, but one waiter of a client already waiting after FRESH_IN_A_ROW new ones
    // in a row (the order below is written for 2), those clients in turn
    expect(FRESH_IN_A_ROW).toBe(2);
    expect(ran).toEqual([
      "a1",
      "b1", // the first let go while a client waited
      "honest",
      "a2",
      "new0",
      "new1",
      "b2",
      "new2",
      "new3",
      "a3",
      "new4",
      "new5",
      "b3",
      "new6",
      "new7",
      "a4",
      "new8", // nobody waits now: new ones without a bound
      "new9",
      "new10",
      "new11",
    ]);
    expect(scheduler.queued).toBe(0);
  });

  it("keeps each client's waiters in order in the short lane, lets every waiter still waiting go once and none withdrawn, through 60,000 random arrivals, withdrawals and turns of 5 or 3,000 clients (review 50)", () => {
    // the lane alone (ClientLane), past the lengths at which it trims its lists (64 waiters of a
    // client, 1,024 clients): a client's place lost there left its waiters for good, and the turn
    // that read no client threw from a setImmediate
    for (const [seed, clients] of [
      [1, 5],
      [2, 3000],
    ] as const) {
      let state: number = seed;
      const random = () => {
        state = (state * 1103515245 + 12345) & 0x7fffffff;
        return state / 0x7fffffff;
      };
      const lane = new ClientLane();
      type Probe = { client: string; id: number; gone: boolean; withdrawn?: boolean };
      const all: Probe[] = [];
      const taken: Probe[] = [];
      const lastOf = new Map<string, number>();
      const take = () => {
        const next = lane.take() as unknown as Probe;
        lane.live--;
        expect(next.gone).toBe(false);
        next.gone = true;
        taken.push(next);
        expect(next.id).toBeGreaterThan(lastOf.get(next.client) ?? -1);
        lastOf.set(next.client, next.id);
      };
      for (let step = 0; step < 60_000; step++) {
        const x = random();
        if (x < 0.5) {
          const probe: Probe = {
            client: `c${Math.floor(random() * random() * clients)}`,
            id: all.length,
            gone: false,
          };
          all.push(probe);
          lane.add(probe as never);
        } else if (x < 0.55 && all.length > 0) {
          const probe = all[Math.floor(random() * all.length)]!;
          if (!probe.gone) {
            probe.gone = probe.withdrawn = true; // as the scheduler withdraws one
            lane.live--;
          }
        } else if (lane.live > 0) take();
      }
      while (lane.live > 0) take();
      expect(new Set(taken).size).toBe(taken.length);
      expect(taken.length + all.filter((probe) => probe.withdrawn).length).toBe(all.length);
    }
  });

  it("gives the long lane every other turn at least, however much work the short lane has", async () => {
    const { scheduler, advance, turn } = fake(20);
    const ran: string[] = [];
    scheduler.begin();
    advance(20);
    // a slow request that yields each slice, and a stream of short waiters that each use a slice
    let slowLeft = 4;
    const slow = async () => {
      while (slowLeft > 0) {
        await scheduler.wait(100, "", 0);
        ran.push("L");
        advance(20);
        slowLeft--;
      }
      scheduler.end();
    };
    let shortsToCome = 10;
    const short = async (): Promise<void> => {
      scheduler.begin();
      await scheduler.wait(1);
      ran.push("s");
      advance(20); // more than it said: a slice
      scheduler.end();
      if (shortsToCome-- > 0) void short();
    };
    void slow();
    void short();
    void short();
    for (let i = 0; i < 10; i++) await turn();
    // a turn runs one slice here: the long lane's came every other turn
    expect(ran.slice(0, 8).filter((name) => name === "L")).toHaveLength(4);
    for (let i = 0; i < 20; i++) await turn();
    // all done: the two lanes emptied
    expect(slowLeft).toBe(0);
    expect(ran.filter((name) => name === "s")).toHaveLength(12);
    expect(scheduler.queued).toBe(0);
  });

  it("keeps a Deadline priced over a slice out of the short lane, however low the scale was taught (red team 47, F1 and F4)", async () => {
    const { scheduler, advance, now, turn, settle } = fake(20);
    // taught that requests run a twentieth of their price: one priced 100 ms is expected at 5
    for (let i = 0; i < 64; i++) {
      scheduler.begin();
      scheduler.end(MS_PER_PRICED_MS_BOUNDS[0] * 200, 200);
    }
    expect(scheduler.expectedMs(100)).toBeCloseTo(5);
    const ran: string[] = [];
    scheduler.begin();
    advance(20); // the turn is used: the others wait
    const older = new Deadline(5000, { sliceMs: 20, scheduler, now, pricedMs: 100 });
    advance(1);
    const cheap = new Deadline(5000, { sliceMs: 20, scheduler, now, pricedMs: 0.01 });
    void older.nextSlice().then(() => {
      ran.push("priced 100");
      older.finish();
    });
    void cheap.nextSlice().then(() => {
      ran.push("cheap");
      cheap.finish();
    });
    scheduler.end();
    await turn();
    await turn();
    await settle();
    // in one lane, first come first served, the one priced 100 went first
    expect(ran).toEqual(["cheap", "priced 100"]);
    // and runsLate weighs it as a long one: not exempt for its estimate
    advance(20); // the turn is used: the others wait
    for (let i = 0; i < 30; i++) {
      scheduler.begin();
      void scheduler.wait(134, "", i);
    }
    expect(scheduler.runsLate(100, 5000)).toMatchObject({ aheadMs: 4020 });
    expect(scheduler.runsLate(0.01, 5000)).toBeUndefined();
  });

  it("puts a Deadline in the short lane while it is expected within a slice and has run none, else in the long lane by when it began", async () => {
    const { scheduler, advance, now, turn, settle } = fake(20);
    const ran: string[] = [];
    const older = new Deadline(5000, { sliceMs: 20, scheduler, now, pricedMs: 500 });
    advance(5);
    const younger = new Deadline(5000, { sliceMs: 20, scheduler, now, pricedMs: 500 });
    advance(15);
    older.checkNow(); // the older one has used its slice
    // the younger one waits for its first slice, then the older one for its next, then a cheap one
    void younger.nextSlice().then(() => ran.push("younger"));
    void older.nextSlice().then(() => ran.push("older"));
    const cheap = new Deadline(5000, { sliceMs: 20, scheduler, now, pricedMs: 0.01 });
    void cheap.nextSlice().then(() => {
      ran.push("cheap");
      cheap.finish(); // hands on, in what is left of the turn
    });
    await turn(); // no turn yet
    await turn();
    await settle();
    expect(ran).toEqual(["cheap", "older"]);
    older.finish();
    await turn();
    await settle();
    expect(ran).toEqual(["cheap", "older", "younger"]);
    younger.finish();
  });
});

describe("an operation that would run out of time behind the work waiting (runsLate)", () => {
  /** The turn used, and 30 operations of 100 ms each waiting in the long lane, another client's. */
  function threeSecondsWaiting(scheduler: SliceScheduler, advance: (ms: number) => void): void {
    scheduler.begin();
    advance(20);
    for (let i = 0; i < 30; i++) {
      scheduler.begin();
      void scheduler.wait(100, "192.0.2.1", i);
    }
  }

  it("is told so when the work ahead and its own pass four fifths of its limit, never when alone or cheap", async () => {
    const { scheduler, advance } = fake(20);
    // alone, however dear: nothing is ahead of it
    expect(scheduler.runsLate(100_000, 5000)).toBeUndefined();
    threeSecondsWaiting(scheduler, advance);
    expect(scheduler.waitMs).toBe(3000);
    // the scale is 1 (nothing taught it): 3,000 ms ahead and 900 of its own fit in 4,000
    expect(scheduler.runsLate(900, 5000)).toBeUndefined();
    expect(scheduler.runsLate(1001, 5000)).toEqual({ aheadMs: 3000, expectedMs: 1001 });
    expect(FINISH_WITHIN_SHARE * 5000).toBe(4000);
    // a cheap one passes the long lane: never told so, however much waits
    expect(scheduler.runsLate(20, 1000)).toBeUndefined();
    expect(scheduler.runsLate(21, 1000)).toMatchObject({ aheadMs: 3000 });
  });

  it(`remembers the client it refused for ${LATE_MEMORY_MS} ms (refusedLately), and no other`, () => {
    const { scheduler, advance } = fake(20);
    threeSecondsWaiting(scheduler, advance);
    expect(scheduler.runsLate(900, 5000, "198.51.100.7")).toBeUndefined();
    expect(scheduler.refusedLately("198.51.100.7")).toBe(false);
    expect(scheduler.runsLate(1001, 5000, "198.51.100.7")).toBeDefined();
    expect(scheduler.refusedLately("198.51.100.7")).toBe(true);
    expect(scheduler.refusedLately("198.51.100.8")).toBe(false);
    advance(LATE_MEMORY_MS - 1);
    expect(scheduler.refusedLately("198.51.100.7")).toBe(true);
    advance(1);
    expect(scheduler.refusedLately("198.51.100.7")).toBe(false);
  });

  it(`keeps what a connection owes for an operation refused so for ${LATE_MEMORY_MS} ms (owe), and how much longer`, () => {
    const { scheduler, advance } = fake(20);
    const [connection, neighbour] = [{}, {}];
    scheduler.owe(connection, 1001);
    // load shedding counts it as the client's work waiting, and holds refusals until then
    expect(scheduler.lateOwedMs(connection)).toBe(1001);
    expect(scheduler.lateOwedMs(neighbour)).toBe(0);
    expect(scheduler.lateMemoryLeftMs(connection)).toBe(LATE_MEMORY_MS);
    expect(scheduler.lateMemoryLeftMs(neighbour)).toBe(0);
    advance(LATE_MEMORY_MS - 1);
    expect(scheduler.lateOwedMs(connection)).toBe(1001);
    expect(scheduler.lateMemoryLeftMs(connection)).toBe(1);
    advance(1);
    expect(scheduler.lateOwedMs(connection)).toBe(0);
    expect(scheduler.lateMemoryLeftMs(connection)).toBe(0);
  });

  it(`remembers ${MAX_LATE_CLIENTS} clients at most, forgetting the oldest first, at a look of a few entries a refusal`, () => {
    const { scheduler, advance } = fake(20);
    threeSecondsWaiting(scheduler, advance);
    const lately = (scheduler as unknown as { lateClients: Map<string, number> }).lateClients;
    // the map is walked by its iterator: count the entries it looks at
    let looked = 0;
    const entries = lately[Symbol.iterator].bind(lately);
    (lately as { [Symbol.iterator]: () => Iterator<[string, number]> })[Symbol.iterator] =
      function* () {
        for (const entry of entries()) {
          looked++;
          yield entry;
        }
      };
    for (let i = 0; i < MAX_LATE_CLIENTS + 500; i++)
      expect(scheduler.runsLate(1001, 5000, `2001:db8:${i.toString(16)}::`)).toBeDefined();
    expect(lately.size).toBe(MAX_LATE_CLIENTS);
    expect(scheduler.refusedLately("2001:db8:0::")).toBe(false);
    expect(scheduler.refusedLately(`2001:db8:${(MAX_LATE_CLIENTS + 499).toString(16)}::`)).toBe(
      true,
    );
    // about two a refusal (the one forgotten and the one kept), not the whole map each time
    expect(looked).toBeLessThan(3 * (MAX_LATE_CLIENTS + 500));
    // and those past the memory go at the next refusal, whatever their number
    advance(LATE_MEMORY_MS);
    scheduler.runsLate(1001, 5000, "198.51.100.9");
    expect(lately.size).toBe(1);
  });
});

describe("the work each client has waiting", () => {
  it("counts each waiter's work as its client's, and forgets a client once its last waiter is let go or withdraws", async () => {
    const { scheduler, advance, turn, now } = fake(20);
    scheduler.begin();
    advance(20); // the turn is used: the others wait
    const flood = [100, 200, 300].map((workMs) => {
      scheduler.begin();
      const waiter = scheduler.enqueue(workMs, "192.0.2.7");
      void waiter.granted.then(() => {
        advance(20); // each uses a turn, then finishes
        scheduler.end();
      });
      return waiter;
    });
    // a Deadline names its client when it waits
    const honest = new Deadline(5000, {
      sliceMs: 20,
      scheduler,
      now,
      pricedMs: 4,
      client: "2001:db8::/64",
    });
    void honest.nextSlice();
    expect(scheduler.clientWaitMs("192.0.2.7")).toBe(600);
    expect(scheduler.clientWaitMs("2001:db8::/64")).toBe(4);
    expect(scheduler.clientWaitMs("198.51.100.1")).toBe(0);
    expect(scheduler.clientsWaiting).toBe(2);
    flood[1]!.withdraw();
    expect(scheduler.clientWaitMs("192.0.2.7")).toBe(400);
    scheduler.end(); // the first request, and the withdrawn one's
    scheduler.end();
    await turn();
    await turn(); // the first waiter is let go, and uses the turn
    expect(scheduler.clientWaitMs("192.0.2.7")).toBe(300);
    // the honest one, new to the short lane, passes the flooding client's last waiter (ClientLane)
    await turn();
    expect(scheduler.clientWaitMs("2001:db8::/64")).toBe(0);
    expect(scheduler.clientWaitMs("192.0.2.7")).toBe(300);
    expect(scheduler.clientsWaiting).toBe(1);
    honest.finish();
    await turn(); // the last one: the flooding client has nothing left waiting
    expect(scheduler.clientWaitMs("192.0.2.7")).toBe(0);
    expect(scheduler.clientsWaiting).toBe(0);
    expect(scheduler.waitMs).toBe(0);
  });
});

describe("SliceScheduler: the work before execution, and connections to accept", () => {
  it("runs a request's work before execution at once when nobody waits, else in its turn, handing on when done", async () => {
    const { scheduler, advance, turn } = fake(20);
    expect(scheduler.turnFor(1)).toBeUndefined(); // alone: now
    advance(20); // its turn's time is used
    const ran: string[] = [];
    const waiters = ["a", "b"].map((name) => {
      const waiter = scheduler.turnFor(5, name);
      expect(waiter).toBeDefined();
      return waiter!.granted.then(() => {
        ran.push(name);
        advance(6);
        scheduler.workDone();
      });
    });
    expect(scheduler.queued).toBe(2);
    expect(scheduler.waitMs).toBe(10);
    expect(scheduler.clientWaitMs("a")).toBe(5);
    expect(scheduler.active).toBe(0); // not counted among the executing
    await turn();
    expect(ran).toEqual([]);
    await turn(); // a runs 6 ms, and its workDone lets b run in what is left of the turn
    expect(ran).toEqual(["a", "b"]);
    await Promise.all(waiters);
    expect(scheduler.queued).toBe(0);
    expect(scheduler.waitMs).toBe(0);
  });

  it("gives the turns after a connection is accepted to accepting, until a turn accepts none", async () => {
    const { scheduler, advance, turn } = fake(20);
    scheduler.accepted();
    // a request that came in the poll that accepted it waits, its work and its execution alike
    const waiter = scheduler.turnFor(1);
    expect(waiter).toBeDefined();
    expect(scheduler.begin()).toBe(false);
    scheduler.end();
    let ran = false;
    void waiter!.granted.then(() => {
      ran = true;
    });
    advance(0.2);
    await turn(); // the check phase of that poll
    advance(0.2);
    scheduler.accepted(); // the next poll takes one more from the kernel's queue
    await turn();
    expect(ran).toBe(false);
    advance(0.2);
    await turn(); // a poll that accepted none: the work runs
    expect(ran).toBe(true);
    expect(scheduler.turnFor(1)).toBeUndefined(); // and the next request runs at once
  });

  it("keeps the turns for accepts for acceptGapMs after the last one (a cluster worker's connections come a turn or two apart)", async () => {
    const { scheduler, advance, turn } = fake(20);
    scheduler.acceptGapMs = 2;
    scheduler.accepted();
    const waiter = scheduler.turnFor(1)!;
    let ran = false;
    void waiter.granted.then(() => {
      ran = true;
    });
    advance(0.5);
    await turn();
    advance(0.5);
    await turn(); // a turn that took none, 1 ms after the accept: still given to accepts
    expect(ran).toBe(false);
    advance(0.5);
    scheduler.accepted(); // the next connection, 1.5 ms on: the gap counts from it
    await turn();
    advance(1.5);
    await turn();
    expect(ran).toBe(false);
    advance(1);
    await turn(); // 2.5 ms since the last accept
    expect(ran).toBe(true);
  });

  it(`runs work again once turns have been given to accepts for ${ACCEPTS_FIRST_MS} ms in a row`, async () => {
    const { scheduler, advance, turn, now } = fake(20);
    scheduler.accepted();
    const waiters = [scheduler.turnFor(1)!, scheduler.turnFor(1)!];
    const grantedAt: number[] = [];
    for (const waiter of waiters)
      void waiter.granted.then(() => {
        grantedAt.push(now());
        advance(25); // each runs past the slice: one a turn
        scheduler.workDone();
      });
    // a stream of connections: one accepted every poll, 0.5 ms apart
    for (let polls = 0; polls < 200 && grantedAt.length < 2; polls++) {
      advance(0.5);
      scheduler.accepted();
      await turn();
    }
    expect(grantedAt).toHaveLength(2);
    // the first when the bound was reached; the second one turn of work and another bound later
    expect(grantedAt[0]).toBeGreaterThanOrEqual(ACCEPTS_FIRST_MS);
    expect(grantedAt[0]).toBeLessThanOrEqual(ACCEPTS_FIRST_MS + 1);
    expect(grantedAt[1]! - grantedAt[0]!).toBeGreaterThanOrEqual(25 + ACCEPTS_FIRST_MS);
    expect(grantedAt[1]! - grantedAt[0]!).toBeLessThanOrEqual(25 + ACCEPTS_FIRST_MS + 1.5);
  });
});
