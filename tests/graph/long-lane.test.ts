/**
 * The long lane (src/graph/scheduler.ts) against one operation that runs far longer than the
 * scheduler expects (its price times msPerPricedMs): kept first by its age, it held the lane until
 * it finished or ran out of time, and every operation that began after it got no slice meanwhile
 * and ran out of time too, though runsLate and load shedding let it in (past its estimate, it
 * counts 1 ms in the queue). Past twice its estimate and a slice, it goes to the back of the lane
 * (deadline.ts). Review 47, F1, whose simulation this is: the real scheduler, Deadline and
 * runSliced on a clock the test moves, each loop turn's I/O taking 0.1 ms.
 */
import { describe, expect, it } from "vitest";
import {
  Deadline,
  DeadlineExceededError,
  runSliced,
  type Steps,
} from "../../src/graph/deadline.js";
import { SliceScheduler } from "../../src/graph/scheduler.js";

const LIMIT = 5000;
const SLICE = 20;

async function simulate(ops: { at: number; pricedMs: number; workMs: number }[]) {
  let now = 0;
  const tasks: (() => void)[] = [];
  const scheduler = new SliceScheduler({
    sliceMs: SLICE,
    now: () => now,
    defer: (t) => void tasks.push(t),
  });
  const results: { i: number; outcome: string; doneAt: number }[] = [];
  const runs: Promise<void>[] = [];
  const start = (i: number) => {
    const op = ops[i]!;
    const deadline = new Deadline(LIMIT, {
      sliceMs: SLICE,
      scheduler,
      pricedMs: op.pricedMs,
      now: () => now,
      checkEvery: 1,
    });
    function* steps(): Steps<void> {
      for (let w = 0; w < op.workMs; w++) {
        now += 1;
        yield;
      }
    }
    runs.push(
      runSliced(steps(), deadline)
        .then(
          () => void results.push({ i, outcome: "200", doneAt: now - op.at }),
          (e) =>
            void results.push({
              i,
              outcome: e instanceof DeadlineExceededError ? "TIMEOUT" : String(e),
              doneAt: now - op.at,
            }),
        )
        .finally(() => deadline.finish()),
    );
  };
  const pending = ops.map((_, i) => i).sort((a, b) => ops[a]!.at - ops[b]!.at);
  let guard = 0;
  while ((pending.length || tasks.length || results.length < ops.length) && guard++ < 1e6) {
    await new Promise((r) => setImmediate(r));
    while (pending.length && ops[pending[0]!]!.at <= now) start(pending.shift()!);
    const task = tasks.shift();
    if (task) task();
    else if (pending.length) now = Math.max(now, ops[pending[0]!]!.at);
    // each loop turn's I/O takes a little time
    now += 0.1;
  }
  await Promise.all(runs);
  return results.sort((a, b) => a.i - b.i);
}

describe("the long lane, behind an operation that runs far past its estimate (review 47, F1)", () => {
  it("answers the operations that began after one that runs 40 times its estimate, taking turns with it", async () => {
    // op 0: priced 100 ms (the scheduler, untaught, expects 100), runs 4,000 ms (never refused:
    // it is alone when it begins). Ops 1-5: honest, priced 100, run 100, beginning 100 ms apart.
    const ops = [
      { at: 0, pricedMs: 100, workMs: 4000 },
      ...Array.from({ length: 5 }, (_, k) => ({ at: 100 + 100 * k, pricedMs: 100, workMs: 100 })),
    ];
    const results = await simulate(ops);
    // each honest op alone runs 100 ms; beside the slow one, taking turns with it, 240-290 ms
    // (kept behind it, 4,021-4,023 ms)
    expect(results.map((r) => r.outcome)).toEqual(results.map(() => "200"));
    for (const r of results.slice(1)) expect(r.doneAt).toBeLessThan(1000);
  }, 60_000);

  it("answers the operations that began after one that runs to its time limit: they do not run out of time with it", async () => {
    const ops = [
      { at: 0, pricedMs: 100, workMs: 6000 },
      ...Array.from({ length: 5 }, (_, k) => ({ at: 100 + 100 * k, pricedMs: 100, workMs: 100 })),
    ];
    const results = await simulate(ops);
    // (kept behind it, all five ran out of time with it)
    expect(results[0]!.outcome).toBe("TIMEOUT");
    expect(results.slice(1).map((r) => r.outcome)).toEqual(results.slice(1).map(() => "200"));
  }, 60_000);
});
