/**
 * A count of the event loop's turns, for a test to tell in which turn something happened, or over
 * how many turns a piece of work was spread (that a long answer, export or read gives the loop
 * back), without timing anything.
 *
 * What it counts: check phases. An immediate queued while the check phase runs waits for the
 * next turn, so a `setImmediate` that queues the next one from within itself runs once each time
 * the loop comes round: `turns` goes up by one a turn, whatever ran in between.
 *
 * Why that is not a wall-clock measure: it says how often the loop was given back, not for how
 * long it was held. A busy machine (the tests run beside others, at a load average of 8) makes
 * each turn longer, not fewer of them: "its items came in more than one turn", "each write in a
 * turn of its own" hold there as on an idle machine, where a bound on the milliseconds between
 * two turns would not. (Where a turn's length is the question, tests/server/fair-turns.test.ts
 * measures it by a clock the test drives, not by this count.)
 */

/** A running count of the event loop's turns (`countTurns`). */
export interface TurnCount {
  /** The turns the loop has come round since the count started: 0 until the first. */
  readonly turns: number;
  /** Stops counting (nothing more is queued, and the count stays as it is); returns the count. */
  stop(): number;
}

/** Starts counting the event loop's turns from now; `stop()` it once the test has its answer. */
export function countTurns(): TurnCount {
  let turns = 0;
  const tick = () => {
    turns++;
    next = setImmediate(tick);
  };
  let next = setImmediate(tick);
  return {
    get turns() {
      return turns;
    },
    stop() {
      clearImmediate(next);
      return turns;
    },
  };
}

/**
 * Counts, by the turn a Deadline has given back so far (`deadline.yields`), the objects of
 * `types` graphql-js completed: each type's `isTypeOf` is watched (a list's items are completed
 * as their type is settled) until `restore()` puts it back. For the tests that an abstract list
 * (`nodes(ids:)`, `_entities`) hands its items on in slices, not all in one turn.
 */
export function completionsByTurn(
  types: readonly { isTypeOf?: ((...args: never[]) => unknown) | null | undefined }[],
  deadline: { readonly yields: number },
): { completedIn: Map<number, number>; restore(): void } {
  const completedIn = new Map<number, number>();
  const isTypeOf = types.map((type) => type.isTypeOf);
  types.forEach((type, t) => {
    const own = isTypeOf[t]!;
    type.isTypeOf = (...args: never[]) => {
      const is = own(...args);
      if (is === true)
        completedIn.set(deadline.yields, (completedIn.get(deadline.yields) ?? 0) + 1);
      return is;
    };
  });
  return {
    completedIn,
    restore: () =>
      types.forEach((type, t) => {
        type.isTypeOf = isTypeOf[t];
      }),
  };
}
