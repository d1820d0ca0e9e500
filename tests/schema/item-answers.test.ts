/**
 * Items loaded for `nodes(ids:)` and `_entities` are handed on to graphql-js in the request's
 * slices (src/schema/item-answers.ts, SlicedRelease): graphql-js completes the object of each
 * item as its promise resolves, with no checkpoint of its own, and a loader settles its whole
 * batch at once. Here graphql-js is stood in for by a consumer that, as completeListValue does,
 * takes every item of the list once the list is answered and "completes" each as it resolves:
 * what is counted is how many are completed in each turn the deadline gives back.
 */
import { describe, expect, it } from "vitest";
import { Deadline } from "../../src/graph/deadline.js";
import { answerEach, ITEM_WORK, SETTLE_WORK } from "../../src/schema/item-answers.js";

/** The test's clock: it moves 1 ms at each read, and as much as the consumer's work takes. */
let now = 0;

/** A deadline on that clock, read every `checkEvery` units, with 10 ms slices. */
function tickingDeadline(checkEvery: number, limitMs = 1e9): Deadline {
  return new Deadline(limitMs, { now: () => now++, sliceMs: 10, checkEvery });
}

/**
 * The list answered, then each of its items completed as graphql-js does, each completion taking
 * 3 ms of the clock: counted by the turn it is completed in.
 */
async function completedPerTurn(
  answered: unknown[] | Promise<unknown[]>,
  deadline: Deadline,
): Promise<{ turns: Map<number, number>; values: unknown[] }> {
  const list = await answered;
  const turns = new Map<number, number>();
  const values = await Promise.all(
    list.map((item) =>
      Promise.resolve(item).then((value) => {
        now += 3;
        turns.set(deadline.yields, (turns.get(deadline.yields) ?? 0) + 1);
        return value;
      }),
    ),
  );
  return { turns, values };
}

describe("answerEach, items loaded", () => {
  it("hands a batch settled at once on a slice's worth a turn, in order", async () => {
    let settle!: () => void;
    const batch = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const deadline = tickingDeadline(SETTLE_WORK);
    const answered = answerEach(
      Array.from({ length: 1000 }, (_, i) => i),
      (i) => batch.then(() => `entity ${i}`),
      deadline,
    );
    settle();
    const { turns, values } = await completedPerTurn(answered, deadline);
    expect(values).toEqual(Array.from({ length: 1000 }, (_, i) => `entity ${i}`));
    // a clock read per item, each seeing the 3 ms the one before took: 3 a turn (10 ms slices);
    // without the slices, all 1,000 in one; without a completion before the next read, 10
    expect(turns.size).toBeGreaterThanOrEqual(200);
    expect(Math.max(...turns.values())).toBeLessThanOrEqual(4);
  });

  it("fails every item still to go with the deadline's error once it passes, none left unsettled", async () => {
    // the list is taken in about 250 clock reads (from now), its items handed on in a read each
    const deadline = tickingDeadline(SETTLE_WORK, 400);
    const answered = await answerEach(
      Array.from({ length: 1000 }, (_, i) => i),
      (i) => Promise.resolve(i),
      deadline,
    );
    const settled = await Promise.allSettled(answered);
    const failed = settled.filter((s) => s.status === "rejected");
    expect(failed.length).toBeGreaterThan(500);
    expect(failed.length).toBeLessThan(1000);
    for (const f of failed)
      expect((f as PromiseRejectedResult).reason.name).toBe("DeadlineExceededError");
  });

  it("leaves no item's promise to reject unhandled when the list itself fails part-way (its client gone): an unhandled rejection ends the process (review 3)", async () => {
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", note);
    try {
      let settle!: () => void;
      const batch = new Promise<void>((resolve) => {
        settle = resolve;
      });
      // a clock read every few items: the list waits for a turn after its first slice
      const deadline = tickingDeadline(ITEM_WORK * 4);
      const answered = answerEach(
        Array.from({ length: 1000 }, (_, i) => i),
        (i) => batch.then(() => `entity ${i}`),
        deadline,
      );
      expect(answered).toBeInstanceOf(Promise);
      // the client goes: the list fails at its next turn, and graphql-js never reads its items
      deadline.abandon();
      await expect(answered).rejects.toThrow(/client went away/);
      // the items already asked for settle, and are failed by the release with the deadline's error
      settle();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", note);
    }
  });
});
