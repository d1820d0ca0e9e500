/**
 * Lists a client names item by item: `nodes(ids:)` (node.ts) and, in subgraph mode,
 * `_entities(representations:)` (federation.ts). Each item is read and loaded on its own, and
 * answers at its place either its entity (or the promise of it) or an error of its own, so one
 * bad item nulls only its place. The items are taken in the request's slices (deadline.ts,
 * `pause`): thirty lists of a thousand ids, each a promise or an error of its own, held the event
 * loop up to 0.8 s in one run of microtasks; `_entities`, which took its representations in one
 * go, held it 254-382 ms of CPU with thirty aliases over the same thousand (red team 6). So are
 * the entities they load handed on to graphql-js (`SlicedRelease`), which completes each one's
 * object as it comes.
 *
 * The cost limit prices each item the same for both (cost.ts, COST_WEIGHTS.NODE_ID besides its
 * object), as the work is the same.
 */
import type { Deadline } from "../graph/deadline.js";

/**
 * Work units (as the deadline counts them) of one item: read (an id decoded, a representation
 * checked), and its entity asked of the loader or its error made.
 */
export const ITEM_WORK = 4;

/**
 * Work units of handing one loaded entity to graphql-js, which completes its object at once: its
 * type, and every field of its selection without a resolver (`key`, `name`: fields with one are
 * checked on their own, deadline-plugin.ts). Measured at 100k: nine aliases of `nodes(ids:)` over
 * the same 1,000 persons (`key name`) completed their 9,000 objects in the one run of microtasks
 * in which the loader's batch settled, 295-322 ms of CPU under a profiler, warm or cold (about
 * 30 µs an object, most of it graphql-js's and the collector's: the snapshot's decode took 40 of
 * 1,145 samples); bench/attack/cold-nodes.mjs. As an entity read (core.ts ENTITY_WORK): a clock
 * read every 64 objects.
 */
export const SETTLE_WORK = 16;

/**
 * The answer of each item (as graphql-js takes a list: an entity, a promise of one, or an Error,
 * which it answers as null at that index with the error), taken in the request's slices: waits
 * for the next slice whenever this one is used, and goes on from the same item. An item loaded
 * (a promise) is handed on in the slices too (`SlicedRelease`).
 */
export function answerEach<T>(
  items: readonly T[],
  answer: (item: T, index: number) => unknown,
  deadline: Deadline | undefined,
): unknown[] | Promise<unknown[]> {
  const release = deadline && new SlicedRelease(deadline);
  const answerFrom = (from: number, into: unknown[]): unknown[] | Promise<unknown[]> => {
    for (let index = from; index < items.length; index++) {
      const turn = deadline?.pause(ITEM_WORK);
      if (turn) return turn.then(() => answerFrom(index, into));
      const answered = answer(items[index]!, index);
      const stored = release && answered instanceof Promise ? release.add(answered) : answered;
      // marked handled: graphql-js still reads its rejection where it waits for it, but when the
      // list itself fails at a later turn (the deadline passed, the client went away) it never
      // reads these, and a rejection nothing handles ends a Node process (review 3: nine lists
      // of 1,000 ids, the client gone after 15 ms, took the server down)
      if (stored instanceof Promise) stored.catch(() => {});
      into[index] = stored;
    }
    return into;
  };
  return answerFrom(0, new Array(items.length));
}

/**
 * Loaded items handed on to graphql-js one at a time, in the request's slices. A loader's batch
 * settles all its keys at once, and graphql-js completes the object of every item that waited
 * for one of them in that one run of microtasks, with no checkpoint between them (SETTLE_WORK
 * says what that held). Here each item, once loaded, waits in a queue; one run takes them in
 * the order they came, a checkpoint (Deadline.pause) before each, and lets graphql-js complete
 * it (a microtask) before it takes the next, so that the clock sees that work. A rejection (the
 * deadline's error) is passed on at once: there is nothing to complete.
 */
class SlicedRelease {
  /** The items loaded and not yet handed on, from `next`: each its value and its promise's settlers. */
  private readonly queue: {
    value: unknown;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }[] = [];
  private next = 0;
  private running = false;
  /** The error that stopped the run (the deadline passed): every item still to go fails with it. */
  private failed: { error: unknown } | undefined;

  constructor(private readonly deadline: Deadline) {}

  /** A promise that settles as `loaded` does, a value once its turn in the queue has come. */
  add(loaded: Promise<unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      loaded.then((value) => {
        if (this.failed) return reject(this.failed.error);
        this.queue.push({ value, resolve, reject });
        void this.run();
      }, reject);
    });
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.next < this.queue.length) {
        // asked again after each turn: the other lists that waited for it resume together
        for (
          let turn = this.deadline.pause(SETTLE_WORK);
          turn;
          turn = this.deadline.pause(SETTLE_WORK)
        )
          await turn;
        const { value, resolve } = this.queue[this.next++]!;
        resolve(value);
        // graphql-js completes the item's object in the reaction `resolve` queued: it runs
        // before this goes on, and the next checkpoint counts its time
        await undefined;
      }
    } catch (error) {
      this.failed = { error };
      for (; this.next < this.queue.length; this.next++) this.queue[this.next]!.reject(error);
    } finally {
      this.queue.length = this.next = 0;
      this.running = false;
    }
  }
}
