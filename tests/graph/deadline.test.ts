/**
 * The execution deadline inside the graph's long loops (src/graph/deadline.ts), on a fake clock:
 * no timing here. A loop past its deadline must stop within a bounded amount of work (the
 * overrun bound), every long loop must have a checkpoint, and a sliced scan must give the event
 * loop back. Each test fails when the checkpoints it is about are taken out.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { generate } from "../../data/synthetic/generate.js";
import {
  DEFAULT_CHECK_EVERY,
  Deadline,
  DeadlineExceededError,
  runNowOrSliced,
  runSliced,
  runToEnd,
  type Steps,
} from "../../src/graph/deadline.js";
import { ALWAYS, type Condition, select } from "../../src/graph/filter.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import {
  selectEntities,
  selectKeys,
  selectKeysSliced,
  selectParticipants,
  selectTimeline,
} from "../../src/graph/lists.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { SliceScheduler } from "../../src/graph/scheduler.js";
import { SearchIndex } from "../../src/graph/search.js";
import { GAMMA, writeLineageDataset } from "../fixtures/lineage.js";

/** A full collection now (V8's gc, exposed in this process for the test). */
function collect(): void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  gc();
}

/** A clock the test moves by hand. */
function fakeClock() {
  const clock = { t: 0, now: () => clock.t };
  return clock;
}

/** A deadline already past at its first clock read, which comes at every checkpoint. */
function expired(): Deadline {
  const clock = fakeClock();
  const deadline = new Deadline(10, { now: clock.now, checkEvery: 1 });
  clock.t = 11;
  return deadline;
}

/** The attack, within the default filter bounds: one person filter of 45 text searches that match nothing. */
const ATTACK = {
  or: Array.from({ length: 45 }, (_, i) => ({ anyName: { contains: `zzqq${i}` } })),
};

describe("Deadline", () => {
  it("reads the clock once per checkEvery units of work, and at once for a heavy step", () => {
    const clock = fakeClock();
    const deadline = new Deadline(1000, { now: clock.now, checkEvery: 100 });
    for (let i = 0; i < 99; i++) deadline.check();
    expect(deadline.reads).toBe(0);
    deadline.check();
    expect(deadline.reads).toBe(1);
    deadline.check(5000);
    expect(deadline.reads).toBe(2);
  });

  it("throws DeadlineExceededError, naming the limit, at the first read past the end, and at every checkpoint after", () => {
    const clock = fakeClock();
    const deadline = new Deadline(50, { now: clock.now, checkEvery: 10 });
    clock.t = 49;
    for (let i = 0; i < 10; i++) deadline.check();
    expect(deadline.expired).toBe(false);
    clock.t = 50;
    for (let i = 0; i < 9; i++) deadline.check();
    let error: unknown;
    try {
      deadline.check();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as DeadlineExceededError).limitMs).toBe(50);
    expect((error as Error).message).toContain("limit of 50 ms");
    expect(deadline.expired).toBe(true);
    // no more waiting for the budget: every later checkpoint throws
    expect(() => deadline.check()).toThrow(DeadlineExceededError);
    // and a generator's checkpoint (due) stops at once too, with a budget still left
    expect(deadline.due()).toBe(true);
    // the same error: each field still to run fails with it, and one made (and its stack
    // formatted) per field held the event loop for hundreds of ms before the 503 went out
    const later: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      try {
        deadline.check();
      } catch (e) {
        later.push(e);
      }
    }
    expect(later).toEqual([error, error, error]);
    expect(later.every((e) => e === error)).toBe(true);
  });

  it("reads the clock once for a turn however many wait for it, so that waiters go on in the new slice", async () => {
    let now = 0;
    const deadline = new Deadline(1e9, { now: () => now++, sliceMs: 10, checkEvery: 1 });
    while (!deadline.sliceUsed) deadline.checkNow();
    const before = deadline.reads;
    await Promise.all(Array.from({ length: 1000 }, () => deadline.nextSlice()));
    expect(deadline.yields).toBe(1);
    // one read for the turn (were each waiter to read, the slice would be used 990 waiters ago)
    expect(deadline.reads - before).toBe(1);
    expect(deadline.sliceUsed).toBe(false);
  });

  it("lets go of what waits for a turn once the answer is written (close): never resumed nor failed, no turn asked for after, and collected with its request", async () => {
    // failed, each of thousands of fields waiting made its error in one run of microtasks, for
    // nobody: 48-69 ms of the loop for one request at 20,000 entities (the session after review 25)
    for (const scheduled of [false, true]) {
      // (one clock for all: the turn asked for below waits in the scheduler's queue, behind
      // another request running, whatever the machine's load)
      let now = 0;
      const scheduler = scheduled ? new SliceScheduler({ sliceMs: 1, now: () => now }) : undefined;
      const other = scheduled
        ? new Deadline(1e9, { sliceMs: 1, scheduler, now: () => now })
        : undefined;
      const settled: string[] = [];
      const held: WeakRef<object>[] = [];
      /** A request whose fields wait for a turn when its answer is written; nothing of it kept here. */
      const closedWhileWaiting = () => {
        const deadline = new Deadline(1e9, {
          now: () => now,
          sliceMs: 10,
          checkEvery: 1,
          scheduler,
        });
        now = 20;
        deadline.checkNow();
        expect(deadline.sliceUsed).toBe(true);
        const wait = () => {
          // what a waiting field keeps
          const field = { waiting: true };
          held.push(new WeakRef(field));
          deadline.nextSlice().then(
            () => settled.push(`resumed ${field.waiting}`),
            (error: Error) => settled.push(`failed ${error.name}`),
          );
        };
        for (let i = 0; i < 100; i++) wait();
        // queued, its entry kept in the queue once withdrawn, until its turn would come: it held
        // the fields until another request came to wait (review 26, finding 1)
        expect(scheduler?.queued ?? 1).toBe(1);
        deadline.close();
        // one asking after the close is let go alike
        wait();
        expect(scheduler?.queued ?? 0).toBe(0);
        expect(() => deadline.check(1)).toThrow(/its client went away/);
      };
      closedWhileWaiting();
      for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(settled, scheduled ? "with the scheduler" : "without").toEqual([]);
      collect();
      expect(held.filter((ref) => ref.deref() !== undefined)).toEqual([]);
      other?.finish();
    }
  });

  it("started before now (startedAt), ends its limit after that start, its first slice starting now", () => {
    const clock = fakeClock();
    clock.t = 4_000;
    const deadline = new Deadline(5_000, {
      now: clock.now,
      checkEvery: 1,
      sliceMs: 20,
      startedAt: 1_000,
    });
    expect(deadline.start).toBe(1_000);
    clock.t = 4_019;
    deadline.check();
    expect(deadline.sliceUsed).toBe(false);
    clock.t = 5_999;
    deadline.check();
    clock.t = 6_000;
    expect(() => deadline.check()).toThrow("stopped after 5000 ms");
    // never after now: a start in the future is now
    expect(new Deadline(10, { now: clock.now, startedAt: 9_000 }).start).toBe(6_000);
  });

  it("counts the slice used at the first read a whole slice after it began", () => {
    const clock = fakeClock();
    const deadline = new Deadline(1000, { now: clock.now, sliceMs: 10, checkEvery: 1 });
    clock.t = 9;
    deadline.checkNow();
    expect(deadline.sliceUsed).toBe(false);
    clock.t = 10;
    deadline.checkNow();
    expect(deadline.sliceUsed).toBe(true);
  });

  it("pauses work that resumes after an await once the slice is used, a slice's worth per turn", async () => {
    let now = 0;
    const deadline = new Deadline(1e9, { now: () => now++, sliceMs: 5, checkEvery: 8 });
    // within the slice: counted, no wait
    expect(deadline.pause(4)).toBeUndefined();
    while (!deadline.sliceUsed) deadline.checkNow();
    const turns = new Map<number, number>();
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        // asked again after each turn, right before the work (Deadline.pause)
        for (let turn = deadline.pause(8); turn; turn = deadline.pause(8)) await turn;
        turns.set(deadline.yields, (turns.get(deadline.yields) ?? 0) + 1);
      }),
    );
    expect(turns.has(0)).toBe(false);
    expect(Math.max(...turns.values())).toBeLessThanOrEqual(5);
    // past the deadline, a pause fails (every waiter of the turn)
    const late = new Deadline(10, { now: () => now++, sliceMs: 1, checkEvery: 1 });
    now += 100;
    expect(() => late.pause(1)).toThrow(DeadlineExceededError);
  });

  it("lets sliced work that waited for one turn go on only while the turn lasts, each seeing the time the ones before it worked", async () => {
    // the clock moves only with the work (2 ms a step), not with the reads: were each to be
    // told it may go on as they all resume, before any of them worked, all twelve would run in
    // the first turn (30 search pages held the loop 15-17 ms with 5 ms slices that way)
    const clock = fakeClock();
    const deadline = new Deadline(1e9, { now: clock.now, sliceMs: 5, checkEvery: 1 });
    clock.t = 5;
    deadline.checkNow();
    expect(deadline.sliceUsed).toBe(true);
    const turnOf: number[] = [];
    function* step(): Steps<void> {
      clock.t += 2;
      turnOf.push(deadline.yields);
      yield;
    }
    await Promise.all(Array.from({ length: 12 }, () => runSliced(step(), deadline)));
    const perTurn = new Map<number, number>();
    for (const turn of turnOf) perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
    expect(turnOf).toHaveLength(12);
    expect(perTurn.has(0)).toBe(false);
    // three steps use a 5 ms slice (0, 2, 4 ms in: the third goes past it)
    expect(Math.max(...perTurn.values())).toBe(3);
    expect(perTurn.size).toBe(4);
  });

  it("drives paused work to the same end synchronously or in slices", async () => {
    function* count(n: number, deadline: Deadline): Steps<number> {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        sum += i;
        if (deadline.due()) yield;
      }
      return sum;
    }
    const clock = fakeClock();
    const sync = runToEnd(count(10_000, new Deadline(1e9, { now: clock.now })), undefined);
    const deadline = new Deadline(1e9, { now: () => (clock.t += 1), checkEvery: 100, sliceMs: 10 });
    expect(await runSliced(count(10_000, deadline), deadline)).toBe(sync);
    expect(deadline.yields).toBeGreaterThan(0);
  });

  it("starts sliced work whose request has used its slice only on the next turn: not even its first step runs before", async () => {
    let now = 0;
    const deadline = new Deadline(1e9, { now: () => now++, sliceMs: 5, checkEvery: 1 });
    while (!deadline.sliceUsed) deadline.checkNow();
    let stepsRun = 0;
    function* one(): Steps<string> {
      stepsRun++;
      yield;
      return "done";
    }
    const running = runSliced(one(), deadline);
    // every microtask pending now has run (as the other lists of a request resume together)
    await Promise.resolve();
    await Promise.resolve();
    expect(stepsRun).toBe(0);
    expect(deadline.yields).toBe(0);
    expect(await running).toBe("done");
    expect(deadline.yields).toBe(1);
  });
});

describe("runNowOrSliced", () => {
  it("answers work that ends before its first checkpoint itself, with no promise", () => {
    const deadline = new Deadline(1000, { now: fakeClock().now, sliceMs: 5 });
    // yields only when its work is due, as certaintyBasisSteps does: here never
    const work = function* (due: boolean): Steps<number> {
      if (due) yield;
      return 7;
    };
    expect(runNowOrSliced(work(false), deadline)).toBe(7);
  });

  it("runs the rest of work that yields sliced, giving the loop back, and closes it past its deadline", async () => {
    const clock = fakeClock();
    let closed = false;
    let steps = 0;
    const work = function* (): Steps<string> {
      try {
        for (; steps < 6; steps++) {
          clock.t += 3;
          yield;
        }
        return "done";
      } finally {
        closed = true;
      }
    };
    const deadline = new Deadline(100, { now: clock.now, sliceMs: 5 });
    const answer = runNowOrSliced(work(), deadline);
    expect(answer).toBeInstanceOf(Promise);
    // what fits its slice has run (a step of 3 ms in a slice of 5); the rest waits for its turns
    expect(steps).toBe(1);
    await expect(answer).resolves.toBe("done");
    expect(deadline.yields).toBeGreaterThan(0);
    expect(closed).toBe(true);

    closed = false;
    steps = 0;
    await expect(runNowOrSliced(work(), expired())).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(steps).toBe(0);
    expect(closed).toBe(true);
  });
});

describe("a filter scan past its deadline", () => {
  /**
   * A list of `size` items whose condition counts its tests and moves the clock by `msPerTest`:
   * the scan's own work is the clock, so what it did after the deadline is counted exactly.
   */
  function scan(size: number, weight: number, msPerTest: number, limitMs: number) {
    const clock = fakeClock();
    const deadline = new Deadline(limitMs, { now: clock.now });
    let tests = 0;
    const condition: Condition<number> = {
      test: () => {
        tests++;
        clock.t += msPerTest;
        return false;
      },
      weight,
    };
    const items = Array.from({ length: size }, (_, i) => i);
    const order = (a: number, b: number) => a - b;
    let error: unknown;
    try {
      select(() => items, size, condition, order, { whole: false, defaultOrder: order, deadline });
    } catch (e) {
      error = e;
    }
    return { error, testsPastDeadline: tests - limitMs / msPerTest };
  }

  it("stops within checkEvery tests of a one-predicate filter", () => {
    const { error, testsPastDeadline } = scan(100_000, 1, 0.01, 5);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(testsPastDeadline).toBeLessThanOrEqual(DEFAULT_CHECK_EVERY);
  });

  it("stops within a few tests of a heavy filter, whose tests count as its predicates", () => {
    // 250 predicates a test: the clock is read every 4 or 5 tests, not every 1024
    const { error, testsPastDeadline } = scan(100_000, 250, 0.25, 5);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(testsPastDeadline).toBeLessThanOrEqual(Math.ceil(DEFAULT_CHECK_EVERY / 250));
  });

  it("lets a scan within its deadline give the same answer as without one", () => {
    const items = Array.from({ length: 5000 }, (_, i) => i);
    const order = (a: number, b: number) => a - b;
    const even: Condition<number> = { test: (i) => i % 2 === 0, weight: 3 };
    const plain = select(() => items, items.length, even, order, {
      whole: false,
      defaultOrder: order,
    });
    const timed = select(() => items, items.length, even, order, {
      whole: false,
      defaultOrder: order,
      deadline: new Deadline(1e9),
    });
    expect(timed).toEqual(plain);
    expect(
      select(() => items, items.length, ALWAYS, order, {
        whole: false,
        defaultOrder: order,
        deadline: new Deadline(1e9),
      }),
    ).toHaveLength(5000);
    // without a filter the items are still read one by one between checkpoints (a root list of
    // a snapshot-loaded graph makes each as it is read), so past its deadline this stops too
    expect(() =>
      select(() => items, items.length, ALWAYS, order, {
        whole: false,
        defaultOrder: order,
        deadline: expired(),
      }),
    ).toThrow(DeadlineExceededError);
  });
});

describe("the graph's lists, searches and paths check the deadline", () => {
  let dir: string;
  let large: KnowledgeGraph;
  let builtIn: KnowledgeGraph;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kz-deadline-"));
    generate({ entities: 3000, seed: 11, out: dir, format: "json" });
    large = loadJsonGraph(dir);
    builtIn = await loadBuiltInGraph();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("stops the issue's person filter inside its scan, reading the clock as it goes", () => {
    expect(selectKeys(large, "person", { filter: ATTACK })).toEqual([]);
    // a clock that moves 1 ms per read: the scan is stopped at its 20th read
    const clock = fakeClock();
    const deadline = new Deadline(20, { now: () => ++clock.t, checkEvery: 64 });
    expect(() => selectKeys(large, "person", { filter: ATTACK }, { deadline })).toThrow(
      DeadlineExceededError,
    );
    expect(deadline.reads).toBe(20);
  });

  it("stops a relation list, a sort by name and a list of entities", () => {
    const state = large.keys.state[0]!;
    const relation = large.personsByNationality.get(state);
    expect(relation.length).toBeGreaterThan(0);
    expect(() =>
      selectKeys(large, "person", { filter: ATTACK }, { relation, deadline: expired() }),
    ).toThrow(DeadlineExceededError);
    expect(() =>
      selectKeys(
        large,
        "person",
        { orderBy: [{ field: "NAME", direction: "DESC" }] },
        { deadline: expired() },
      ),
    ).toThrow(DeadlineExceededError);
    expect(() =>
      selectEntities(
        large,
        "tenure",
        { filter: { when: { overlaps: "2010" } } },
        { deadline: expired() },
      ),
    ).toThrow(DeadlineExceededError);
  });

  it("stops a sliced scan too, and gives the event loop back while it runs", async () => {
    const plain = selectKeys(large, "person", { filter: ATTACK });
    await expect(
      selectKeysSliced(large, "person", { filter: ATTACK }, { deadline: expired() }),
    ).rejects.toThrow(DeadlineExceededError);
    // each clock read moves it 1 ms; a slice is 2 ms
    const clock = fakeClock();
    const deadline = new Deadline(1e9, { now: () => ++clock.t, checkEvery: 64, sliceMs: 2 });
    let other = false;
    setImmediate(() => (other = true));
    const sliced = await selectKeysSliced(large, "person", { filter: ATTACK }, { deadline });
    expect(sliced).toEqual(plain);
    expect(deadline.yields).toBeGreaterThan(0);
    // without a turn given back, the answer would come before anything queued with setImmediate
    expect(other).toBe(true);
  });

  it("stops a timeline filter, an event's participants, a search, a path search and a lineage", () => {
    expect(() => selectTimeline(large, { filter: { kind: { eq: "EVENT" } } }, expired())).toThrow(
      DeadlineExceededError,
    );
    const event = builtIn.lists.event.find((e) => e.participants.length > 1)!;
    expect(() =>
      selectParticipants(
        builtIn,
        event,
        { filter: { role: { in: ["CHAIR", "SUBJECT"] } } },
        expired(),
      ),
    ).toThrow(DeadlineExceededError);
    const search = SearchIndex.build(builtIn);
    expect(search.find("osce kazakhstan").totalCount).toBeGreaterThan(0);
    expect(() => search.find("osce kazakhstan", { deadline: expired() })).toThrow(
      DeadlineExceededError,
    );
    expect(builtIn.paths.shortest("madina-jarbussynova", "place/vienna", 6)).not.toBeNull();
    expect(() =>
      builtIn.paths.shortest("madina-jarbussynova", "place/vienna", 6, undefined, expired()),
    ).toThrow(DeadlineExceededError);
    const lineage = loadJsonGraph(writeLineageDataset());
    expect(lineage.lineage.transitive(GAMMA, "PREDECESSORS").length).toBe(2);
    expect(() => lineage.lineage.transitive(GAMMA, "PREDECESSORS", expired())).toThrow(
      DeadlineExceededError,
    );
  });

  it("gives the same answers with a deadline that is not reached", () => {
    const deadline = new Deadline(1e9);
    expect(
      selectKeys(large, "person", { filter: { anyName: { contains: "a" } } }, { deadline }),
    ).toEqual(selectKeys(large, "person", { filter: { anyName: { contains: "a" } } }));
    expect(selectTimeline(large, { filter: { kind: { eq: "EVENT" } } }, deadline).length).toBe(
      selectTimeline(large, { filter: { kind: { eq: "EVENT" } } }).length,
    );
    const search = SearchIndex.build(builtIn);
    expect(search.find("osce kazakhstan", { deadline }).top(5)).toEqual(
      search.find("osce kazakhstan").top(5),
    );
  });
});

describe("what a request gives back when its answer is written (whenClosed)", () => {
  it("calls each release once at close, at once after it, and none it was told to forget (review 52: a forgotten lease kept its table)", () => {
    const deadline = new Deadline(1_000);
    const calls: string[] = [];
    deadline.whenClosed(() => calls.push("kept"));
    const forget = deadline.whenClosed(() => calls.push("forgotten"));
    forget();
    deadline.close();
    deadline.close();
    expect(calls).toEqual(["kept"]);
    deadline.whenClosed(() => calls.push("late"));
    expect(calls).toEqual(["kept", "late"]);
  });
});
