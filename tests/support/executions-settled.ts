/**
 * vitest setup file: a test file must leave the process's execution schedulers as it found them,
 * with no operation counted as executing or waiting once its own `afterAll` hooks have run (this
 * file's hook, registered first, runs after them).
 *
 * An execution begins when its Deadline is made (src/graph/deadline.ts: the scheduler's `active`
 * rises) and ends when it is finished. A path that forgets to finish one leaves `active` raised
 * for good, and the idle warm-up (src/server/warm.ts), which waits while it is above 0, never runs
 * again: in a server, for every later graph; here, in every later file of the worker, since the
 * files share their worker's modules and so its schedulers (one per slice length). warm.test
 * timed out so, on deadlines begun by three cost tests that asked only for admissions
 * (tests/support/admission.ts finishes them now). Executions still under way when the servers
 * closed end on their own turns: they are waited for, 10 s at most.
 */
import { afterAll } from "vitest";
import { processSchedulers, type SliceScheduler } from "../../src/graph/scheduler.js";

const found = new Map<SliceScheduler, { active: number; queued: number }>();
for (const scheduler of processSchedulers())
  found.set(scheduler, { active: scheduler.active, queued: scheduler.queued });

/** The schedulers whose counts are not as the file found them (a new one: as it was made, 0). */
function unsettled(): string[] {
  const left: string[] = [];
  for (const scheduler of processSchedulers()) {
    const was = found.get(scheduler) ?? { active: 0, queued: 0 };
    // more than found: fewer is an earlier file's execution ending now (that file failed for it)
    if (scheduler.active > was.active || scheduler.queued > was.queued)
      left.push(
        `slices of ${scheduler.sliceMs} ms: ${scheduler.active} executing (${was.active} before), ${scheduler.queued} waiting (${was.queued} before)`,
      );
  }
  return left;
}

afterAll(async () => {
  const until = performance.now() + 10_000;
  while (unsettled().length > 0 && performance.now() < until)
    await new Promise((resolve) => setTimeout(resolve, 10));
  const left = unsettled();
  if (left.length > 0)
    throw new Error(
      `this file left operations counted as executing or waiting in the process's scheduler (a Deadline begun and never finished?): ${left.join("; ")}`,
    );
});
