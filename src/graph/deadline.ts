/**
 * A request's execution deadline, checked from inside the graph's long loops (filter scans,
 * search, paths, lineage), free of GraphQL: the server makes one per request and hands it to
 * the graph calls; the graph throws `DeadlineExceededError` at the first checkpoint past it.
 *
 * A checkpoint is cheap: callers say how much work they did since the last one (`check(work)`,
 * in units of about one simple predicate test: a key or enum comparison, one edge of a path
 * search), and the clock is read only when `checkEvery` units have accumulated. A loop whose
 * steps are heavier passes a larger `work` per step (a filter passes its number of predicates),
 * so the time between two clock reads stays short whatever the step: that, not a count of
 * iterations, bounds how far past its limit a request runs.
 *
 * The deadline also keeps the request's time *slices*: a request that has held the event loop
 * for `sliceMs` since it last let go (`sliceUsed`) should give it back (`nextSlice()`, which
 * resolves on the next turn of the loop, after pending I/O), so that a slow request, even below
 * its limit, never keeps other clients and `/health` waiting for long. Only code that can await
 * does that (the server's resolvers, `runSliced` below); synchronous callers just check. With
 * the process's scheduler (scheduler.ts), the slices of all requests share the loop's turns.
 */
import { coldWork } from "./cold-work.js";
import {
  FINISH_WITHIN_SHARE,
  type NotYetBegun,
  RECHECKED_FROM,
  type SliceScheduler,
  type Waiter,
} from "./scheduler.js";

/**
 * The work done since the last checkpoint that its loop did not count (cold-work.ts: entities
 * made on their first read), taken by the checkpoint that asks: 0 almost always.
 */
function takeColdWork(): number {
  const units = coldWork.units;
  if (units !== 0) coldWork.units = 0;
  return units;
}

/** The empty response path of every DeadlineExceededError (graphql-js only reads it). */
const NO_PATH: readonly (string | number)[] = Object.freeze([]);

/** The request ran past its execution time limit; thrown at the first checkpoint past it. */
export class DeadlineExceededError extends Error {
  override name = "DeadlineExceededError";
  /**
   * A response path, empty, for graphql-js alone: it takes an error with a `path` array for one
   * it has located already (`locatedError`), and fails each field with it as it is, where it made
   * a GraphQLError per field, each reading its place in the document's text. A request past its
   * deadline fails every field still to run with this one error (thousands at once, as its
   * fields waiting for a turn fail together), and is answered one error of its own anyway
   * (limits.ts `stoppedError`): a client that left such a request held the loop 94-247 ms
   * (median 182), at 20,000 entities, where it holds it 20-59 ms now (bench/failing-fields.ts).
   * Not enumerable: were one ever written as it is, it would not add an empty path (review 26).
   */
  declare readonly path: readonly (string | number)[];
  constructor(
    readonly limitMs: number,
    readonly elapsedMs: number,
  ) {
    super(
      `execution took longer than its limit of ${limitMs} ms (stopped after ${Math.round(elapsedMs)} ms)`,
    );
    Object.defineProperty(this, "path", { value: NO_PATH });
  }
}

/**
 * The request's client went away before its answer (its connection closed): thrown at the first
 * checkpoint after, as a passed deadline is, so that its execution stops there.
 */
export class ExecutionAbandonedError extends DeadlineExceededError {
  override name = "ExecutionAbandonedError";
  constructor(limitMs: number, elapsedMs: number) {
    super(limitMs, elapsedMs);
    this.message = `execution stopped after ${Math.round(elapsedMs)} ms: its client went away`;
  }
}

/**
 * The request waited for its first turn until less time was left before its deadline than it is
 * expected to run (`Deadline.notStarted`): thrown at that turn, before any of its work, as a passed
 * deadline is.
 */
export class ExecutionNotStartedError extends DeadlineExceededError {
  override name = "ExecutionNotStartedError";
  constructor(
    limitMs: number,
    elapsedMs: number,
    readonly expectedMs: number,
  ) {
    super(limitMs, elapsedMs);
    this.message = `execution not started after waiting ${Math.round(elapsedMs)} ms: it was expected to run ${Math.round(expectedMs)} ms, past its limit of ${limitMs} ms`;
  }
}

export interface DeadlineOptions {
  /** The clock, in milliseconds (tests pass a fake one); default `performance.now`. */
  now?: () => number;
  /**
   * When the request's time began, on that clock, when before now (its first slice starts now):
   * the deadline of an answer's writing after its execution (src/server/limits.ts) ends where the
   * execution's would have. Default: now.
   */
  startedAt?: number;
  /** Work units between two clock reads; default DEFAULT_CHECK_EVERY. */
  checkEvery?: number;
  /** How long a request may hold the event loop before it should yield, in ms; default: never. */
  sliceMs?: number;
  /**
   * The process's scheduler of slices (scheduler.ts), shared with the other requests: the
   * request waits for its turn among them, starting with its first slice when others are
   * waiting, and a turn's time is shared by all. Without one, the request yields on its own.
   */
  scheduler?: SliceScheduler;
  /**
   * The whole execution's price by the cost limit, in ms (a unit is about 2 µs): with a
   * scheduler, what it expects to run (`expectedMs`), less what it has run, is what it tells the
   * scheduler it has left when it waits. Default: a slice.
   */
  pricedMs?: number;
  /**
   * Who sent the request (src/server/share-client.ts): the scheduler counts the work it has
   * waiting as that client's, which load shedding reads. Default "" (unknown).
   */
  client?: string;
  /**
   * The operation's pattern (src/server/work-pattern.ts): the scheduler expects it to run for its
   * price what the runs of that pattern did (`SliceScheduler.expectedMs`), and its run teaches
   * that pattern's ratio. Default: none (what every request's runs took for theirs).
   */
  pattern?: string;
  /**
   * Whether what it runs for its price teaches the scheduler what requests take for theirs
   * (`SliceScheduler.msPerPricedMs`); default true. The server's warm-up at start (src/server/warm.ts)
   * runs cold code, 2-4 times a request's time, and taught the scale its bound of 2.
   */
  teaches?: boolean;
}

/**
 * Work units between clock reads. One unit is at most about 5 µs of work (an `anyName: {contains}`
 * test on an entity with many names: bench/abuse.ts measures the slowest) and usually about
 * 50 ns, so a read comes at most every few milliseconds (the overrun bound) and costs, at about
 * 40 ns, well under 1% of the cheapest loop's time.
 */
export const DEFAULT_CHECK_EVERY = 1024;

export class Deadline {
  readonly start: number;
  private readonly scheduler: SliceScheduler | undefined;
  private readonly client: string;
  /** The execution's price, its expected time, and the time it has held the loop so far (ms). */
  private readonly pricedMs: number | undefined;
  private readonly teaches: boolean;
  private readonly pattern: string | undefined;
  private readonly expectedMs: number;
  private ranMs = 0;
  private finished = false;
  readonly end: number;
  private readonly now: () => number;
  private readonly checkEvery: number;
  private readonly sliceMs: number;
  /** Work units left before the next clock read. */
  private budget: number;
  private sliceStart: number;
  private sliceOver = false;
  /** The turn of the event loop the request waits for, shared by all its fields that wait. */
  private turn: Promise<void> | undefined;
  /** Its place in the scheduler's queue while it waits for `turn`, and how to fail the wait. */
  private waiter: Waiter | undefined;
  private failTurn: ((error: Error) => void) | undefined;
  private past = false;
  /** The answer is written (`close`): what waits for a turn is never resumed. */
  private closed = false;
  /**
   * The turn that never comes, after `close`: this deadline's own, so that what waits for it is
   * collected with the request (one shared by all would keep every request's waiters for good).
   */
  private never: Promise<void> | undefined;
  /** What to give back when the answer is written (`whenClosed`). */
  private closers: Set<() => void> | undefined;
  /** What waits for something held elsewhere (`waitFor`), woken when it is closed or abandoned. */
  private wakers: Set<() => void> | undefined;
  /**
   * The one error every checkpoint past the deadline throws: each field still to run fails with
   * it, and an error made per field, each with its stack formatted (source maps under tsx) when
   * graphql-js wraps it, held the event loop for 200-500 ms after the deadline of a request of
   * 2,900 lists, before its 503 could go out.
   */
  private error: DeadlineExceededError | undefined;
  /**
   * When its client went away (`abandon`), or its answer was written (`close`) before its time
   * passed: a checkpoint after throws ExecutionAbandonedError.
   */
  private goneAt: number | undefined;
  /**
   * Whether its work has begun: it ran its first slice at once (`begin`), or was granted its
   * first turn. Until then, a turn that comes too late for its estimate is not taken
   * (`notStarted`).
   */
  private begun = false;
  /**
   * Its time passed while it waited for its first turn: it ran out of time (EXECUTION_TIMEOUT)
   * without beginning, which its answer says (limits.ts `stoppedError`).
   */
  waitedOut = false;
  /** When it gave up its first turn for want of time (`notStarted`), and what it was then expected to run. */
  private notStartedAt: number | undefined;
  private notStartedExpectedMs = 0;
  /** Clock reads so far (for tests and benchmarks). */
  reads = 0;
  /** Turns of the event loop given back so far (for tests and benchmarks). */
  yields = 0;

  constructor(
    readonly limitMs: number,
    options: DeadlineOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.checkEvery = options.checkEvery ?? DEFAULT_CHECK_EVERY;
    this.sliceMs = options.sliceMs ?? Infinity;
    const now = this.now();
    this.start = Math.min(options.startedAt ?? now, now);
    this.end = this.start + limitMs;
    this.sliceStart = now;
    this.budget = this.checkEvery;
    // entities made before it (by the warm-up, by a request that has stopped) are not its work
    coldWork.units = 0;
    this.scheduler = options.scheduler;
    this.client = options.client ?? "";
    this.pricedMs = options.pricedMs;
    this.teaches = options.teaches ?? true;
    this.pattern = options.pattern;
    this.expectedMs =
      options.pricedMs === undefined
        ? this.sliceMs
        : (this.scheduler?.expectedMs(options.pricedMs, options.pattern) ?? options.pricedMs);
    // others wait for the loop, or this turn's time is used: the first slice waits its turn too
    const waits = this.scheduler !== undefined && !this.scheduler.begin();
    if (waits) this.sliceOver = true;
    // the work of a request whose time began before (an answer's writing after its execution:
    // `startedAt`) has begun: it waits for its turn, and is never given up as not begun (review
    // 51: an execution of 4.98 s whose answer's writing waited was answered "it was not begun")
    this.begun = !waits || options.startedAt !== undefined;
  }

  /**
   * Whether it waited for its first turn until less time was left before its deadline than it was
   * expected to run, and so never began (its error is ExecutionNotStartedError), how long it
   * waited and what it was expected to run; undefined when it began (or waits still): the server
   * answers that it is overloaded, not that the query took too long (limits.ts `stoppedError`).
   */
  get notStarted(): { waitedMs: number; expectedMs: number } | undefined {
    return this.notStartedAt === undefined
      ? undefined
      : { waitedMs: this.notStartedAt - this.start, expectedMs: this.notStartedExpectedMs };
  }

  /** The request's execution is over: the scheduler's next waiter may run (idempotent). */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.ranMs += Math.max(0, this.now() - this.sliceStart);
    // an abandoned run stopped short of its price: it says nothing of what a price takes; one
    // stopped by its time limit (`past`), that it takes at least what it ran
    this.scheduler?.end(
      this.abandoned || !this.teaches ? undefined : this.ranMs,
      this.pricedMs,
      this.past,
      this.pattern,
    );
  }

  /**
   * The request's answer is written: finished (`finish`), and what still runs of its execution
   * stops at its next checkpoint, as for a client gone (ExecutionAbandonedError), where it ran
   * for nobody until the time limit. graphql-js goes on resolving the siblings of a field whose
   * error nulled their parent after the operation's result is made (review 25: 1,990 fields
   * resolved after the answer of one such request). Idempotent.
   */
  close(): void {
    this.finish();
    if (this.closed) return;
    this.closed = true;
    if (!this.past) {
      this.past = true;
      // its error made only if a checkpoint comes (rarely): an Error's stack, read when it is
      // made, cost 13 µs of every request's CPU under tsx (the cold documents' profile)
      this.goneAt = this.now();
    }
    // what waits for a turn is let go, not failed: failed, every field waiting (thousands) made
    // its error in one run of microtasks, for nobody (48-69 ms of the loop for one request at
    // 20,000 entities); never resumed, they are collected with the request
    this.waiter?.withdraw();
    this.wakeWaiting();
    const closers = this.closers;
    this.closers = undefined;
    if (closers) for (const release of closers) release();
  }

  /**
   * What the request tells the scheduler it has left when it waits: its estimate less what it
   * has run (a slice being given back now), at least a millisecond, and never more than its
   * remaining time limit allows.
   */
  private leftMs(): number {
    const now = this.now();
    this.ranMs += Math.max(0, now - this.sliceStart);
    return Math.min(Math.max(1, this.expectsMs() - this.ranMs), Math.max(1, this.end - now));
  }

  /**
   * What it is expected to run in all, now: its estimate when it began, or more where the runs of
   * its pattern have since shown more (its own included: `SliceScheduler.ranAtLeast`, told here
   * when it has run past that). Read at each turn: its place in the lanes, what it tells the
   * queue it has left, and whether its first turn came too late (`notStarted`) follow what the
   * operations of its pattern are seen to take, not what a client taught before they came (red
   * team 48, F1).
   */
  private expectsMs(): number {
    const { scheduler, pricedMs, pattern } = this;
    if (!scheduler || pricedMs === undefined || pattern === undefined || !this.teaches)
      return this.expectedMs;
    if (this.ranMs > RECHECKED_FROM * this.expectedMs)
      scheduler.ranAtLeast(pattern, this.ranMs, pricedMs);
    return Math.max(this.expectedMs, scheduler.expectedMs(pricedMs, pattern));
  }

  /**
   * Its client went away (the connection closed before the answer was written): the deadline
   * counts as passed, so the next checkpoint throws (ExecutionAbandonedError) and the execution
   * stops there, instead of running to its end for nobody. A request waiting for its turn
   * leaves the scheduler's queue now and fails at once. Idempotent; nothing once finished.
   */
  abandon(): void {
    if (this.finished || this.past) return;
    this.past = true;
    this.goneAt = this.now();
    this.waiter?.withdraw();
    this.failTurn?.(this.errorAt(this.goneAt));
    this.wakeWaiting();
  }

  /**
   * It will not begin (the scheduler found, as it waited for its first turn, that its time would
   * run out first): as `notStarted`, at once, out of the queue.
   */
  private giveUp(): void {
    if (this.finished || this.past || this.begun) return;
    const now = this.now();
    this.begun = true;
    this.notBegun(now);
    this.waiter?.withdraw();
    this.failTurn?.(this.errorAt(now));
  }

  /** It will not begin, as of `at` (`notStarted`): every checkpoint from now on fails it. */
  private notBegun(at: number): void {
    this.notStartedAt = at;
    this.notStartedExpectedMs = this.expectsMs();
    this.past = true;
  }

  /** The turn that never comes, once closed (`never`). */
  private neverTurn(): Promise<void> {
    return (this.never ??= new Promise<void>(() => {}));
  }

  /** Whether it was abandoned (`abandon`): its client went away. */
  get abandoned(): boolean {
    return this.goneAt !== undefined;
  }

  /** Whether a checkpoint has found the deadline passed (no clock read). */
  get expired(): boolean {
    return this.past;
  }

  /** A checkpoint after `work` units: throws DeadlineExceededError once the deadline has passed. */
  check(work = 1): void {
    if ((this.budget -= work + takeColdWork()) > 0 && !this.past) return;
    this.checkNow();
  }

  /** `check` without the throw: whether it is time to read the clock (then call `checkNow`). */
  due(work = 1): boolean {
    return (this.budget -= work + takeColdWork()) <= 0 || this.past;
  }

  /** The one error of every checkpoint past the deadline, made at the first (`error`). */
  private errorAt(now: number): DeadlineExceededError {
    return (this.error ??=
      this.goneAt !== undefined
        ? new ExecutionAbandonedError(this.limitMs, this.goneAt - this.start)
        : this.notStartedAt !== undefined
          ? new ExecutionNotStartedError(
              this.limitMs,
              this.notStartedAt - this.start,
              this.notStartedExpectedMs,
            )
          : new DeadlineExceededError(this.limitMs, now - this.start));
  }

  /** Reads the clock: throws DeadlineExceededError once the deadline has passed; notes whether the slice is used. */
  checkNow(): void {
    this.budget = this.checkEvery;
    coldWork.units = 0;
    this.reads++;
    const now = this.now();
    if (now >= this.end) this.past = true;
    if (this.past) throw this.errorAt(now);
    if (now - this.sliceStart >= this.sliceMs || this.scheduler?.turnUsed(now))
      this.sliceOver = true;
  }

  /** Whether the request has held the event loop for its slice, as of the last clock read. */
  get sliceUsed(): boolean {
    return this.sliceOver;
  }

  /**
   * Gives the event loop back (pending I/O is handled first; with a scheduler, the requests that
   * waited before this one run first) and starts a new slice. Every part
   * of the request that asks while it waits (the fields it started meanwhile) waits for the same
   * turn and shares the one new slice: were each to take its own turn, their `setImmediate`s
   * would all run in one go, and the request would hold the loop for a slice per field.
   */
  nextSlice(): Promise<void> {
    // the answer is written: nobody reads what would run after the turn, nor waits for it
    if (this.closed) return this.neverTurn();
    // the deadline is checked once for the turn, not once per waiter: thousands of waiters each
    // reading the clock could use up the new slice before any of them went on
    this.turn ??= (
      this.scheduler
        ? this.waitForScheduler(this.scheduler)
        : new Promise<void>((resolve) => setImmediate(resolve))
    ).then(() => {
      // closed while it waited (without a scheduler, the turn still comes): let go as above
      if (this.closed) return this.neverTurn();
      this.yields++;
      this.turn = undefined;
      this.sliceStart = this.now();
      this.sliceOver = false;
      if (!this.begun) {
        this.begun = true;
        // its first turn came with less time left than it needs (its pattern's estimate:
        // scheduler.ts `expectedMs`; as `runsLate`, it counts on four fifths of what is left,
        // the rest being for what the estimate misses): it would run out of time, having spent
        // the loop for nothing, and the ones behind it with it. Not begun, its turn goes to
        // them. (One whose time passed while it waited is past its deadline, as before:
        // EXECUTION_TIMEOUT, saying that it was not begun: `waitedOut`)
        const leftMs = this.end - this.sliceStart;
        if (leftMs <= 0) this.waitedOut = true;
        else if (!this.past && this.expectsMs() > FINISH_WITHIN_SHARE * leftMs)
          this.notBegun(this.sliceStart);
      }
      this.checkNow(); // throws once the deadline has passed: every waiter fails
    });
    return this.turn;
  }

  /** The scheduler's grant of a turn, or the abandonment that comes first. */
  private waitForScheduler(scheduler: SliceScheduler): Promise<void> {
    const leftMs = this.leftMs();
    // in the short lane while it is priced and expected within a slice and has not run one;
    // else in the long lane, by when it began (the oldest first: scheduler.ts says why)
    const short =
      scheduler.withinSlice(this.pricedMs, this.expectedMs) && this.ranMs < this.sliceMs;
    // one that has run past twice what it was expected to (and a slice) has lost its place: the
    // queue counts it 1 ms (leftMs), so load shedding and runsLate let in the ones behind it, and
    // kept first it held the long lane until its end or its time limit, and every one after it
    // ran out of time (review 47, F1). It waits at the back of the long lane, taking turns with
    // the newest
    const overran = this.ranMs > 2 * this.expectsMs() + this.sliceMs;
    const order = short ? undefined : overran ? this.now() : this.start;
    // not yet begun, it may be given up as it waits, when its pattern is seen to take more
    // (SliceScheduler.recheck)
    const { pattern } = this;
    const notYetBegun: NotYetBegun | undefined =
      !this.begun && pattern !== undefined && this.teaches
        ? {
            pattern,
            end: this.end,
            remainingMs: () => this.expectsMs() - this.ranMs,
            giveUp: () => this.giveUp(),
          }
        : undefined;
    const waiter = scheduler.enqueue(leftMs, this.client, order, notYetBegun);
    this.waiter = waiter;
    return new Promise<void>((resolve, reject) => {
      this.failTurn = reject;
      void waiter.granted.then(resolve);
    }).finally(() => {
      this.waiter = undefined;
      this.failTurn = undefined;
    });
  }

  /**
   * Calls `release` when the answer is written (`close`), at once if it is: what a part of the
   * request holds (a search's table) is given back even where that part, waiting for a turn,
   * is never resumed. Returns what to call once it is given back before: the request no longer
   * keeps `release`, nor what it holds, until it is closed (review 52).
   */
  whenClosed(release: () => void): () => void {
    if (this.closed) {
      release();
      return () => {};
    }
    const closers = (this.closers ??= new Set());
    closers.add(release);
    return () => closers.delete(release);
  }

  /**
   * Waits for `promise` (something another request holds), or until the deadline's end, or until
   * the request is closed or abandoned, whichever comes first; the caller's checkpoint then says
   * which (`checkNow` throws once the deadline has passed).
   */
  waitFor(promise: Promise<void>): Promise<void> {
    if (this.past) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(wake, Math.max(0, Math.ceil(this.end - this.now())) + 1);
      const wakers = (this.wakers ??= new Set());
      function wake(): void {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      }
      wakers.add(wake);
      // (a promise that fails wakes it too: its checkpoint then says what is left)
      promise.then(wake, wake);
    });
  }

  /** Wakes what waits in `waitFor` (the request is closed or abandoned). */
  private wakeWaiting(): void {
    if (this.wakers) for (const wake of [...this.wakers]) wake();
  }

  /**
   * A checkpoint for work that goes on after an `await` (a page made once its list is ready, a
   * batch of entities read): counts `work` and, when the request's slice is used, answers the
   * turn to wait for; undefined when the work may go on now. Such continuations resume in one run
   * of microtasks (every list of a request at once) and would otherwise run one after another
   * without a clock read, far past the slice.
   *
   * After the turn, the caller asks again, right before its work, in the same synchronous run
   * (`for (let t = d.pause(w); t; t = d.pause(w)) await t; work()`, or `t.then(() => itself())`):
   * every waiter of a turn resumes in one run of microtasks, so a check made for each of them
   * as they resume, before any of them works, would let them all through together (30 search
   * pages waiting for one turn held the loop 15-17 ms with 5 ms slices, the one turn's work of
   * all of them).
   */
  pause(work: number): Promise<void> | undefined {
    this.check(work);
    return this.sliceOver ? this.nextSlice() : undefined;
  }
}

/**
 * Work that can pause: a generator that yields at its checkpoints (when `deadline.due(work)`
 * says so) and returns its result. `runToEnd` and `runSliced` drive it.
 *
 * It may also yield a promise: it waits for something another request holds (a search's table:
 * search-tables.ts), and `runSliced` resumes it once that promise resolves (and its turn comes),
 * or fails it at its deadline. `runToEnd` cannot wait, and resumes it at once: work that waits
 * must notice (nothing ran meanwhile) and go on without what it waited for.
 */
export type Steps<T> = Generator<void | Promise<void>, T, void>;

/**
 * Runs `steps` synchronously, checking the deadline (if any) at each of its checkpoints. Work
 * that stops (its deadline passed) is closed (`return`), so that what it holds is given back.
 */
export function runToEnd<T>(steps: Steps<T>, deadline?: Deadline): T {
  let done = false;
  try {
    for (;;) {
      const step = steps.next();
      if (step.done) {
        done = true;
        return step.value;
      }
      deadline?.checkNow();
    }
  } finally {
    if (!done) steps.return(undefined as never);
  }
}

/**
 * Runs `steps`, checking the deadline at each checkpoint and giving the event loop back whenever
 * a slice is used; a promise it yields is waited for (until the deadline, `Deadline.waitFor`).
 * Work that stops (its deadline passed, its client gone) is closed (`return`), so that what it
 * holds is given back.
 */
export async function runSliced<T>(steps: Steps<T>, deadline: Deadline | undefined): Promise<T> {
  // a part of the request that starts once its slice is used waits for the next turn at once;
  // after a turn, it asks again before it steps: the others that waited for the same turn may
  // have used it (pause, above)
  while (deadline?.sliceUsed) await deadline.nextSlice();
  return drive(steps, deadline);
}

/**
 * `runSliced` for work that mostly ends before its first checkpoint (a resolver's: a certainty's
 * basis over an office's few names): run at once, it answers its value itself, with no promise
 * made; the first time it yields, the rest is run as `runSliced` runs it, and a promise answered.
 */
export function runNowOrSliced<T>(steps: Steps<T>, deadline: Deadline | undefined): T | Promise<T> {
  if (deadline?.sliceUsed) return runSliced(steps, deadline);
  const step = steps.next();
  return step.done ? step.value : drive(steps, deadline, { yielded: step.value });
}

/** runSliced's loop; `first`: what the step run already (`runNowOrSliced`) yielded. */
async function drive<T>(
  steps: Steps<T>,
  deadline: Deadline | undefined,
  first?: { yielded: void | Promise<void> },
): Promise<T> {
  let done = false;
  try {
    for (let taken = first; ; taken = undefined) {
      let yielded = taken?.yielded;
      if (!taken) {
        const step = steps.next();
        if (step.done) {
          done = true;
          return step.value;
        }
        yielded = step.value;
      }
      if (yielded) await (deadline ? deadline.waitFor(yielded) : yielded);
      if (!deadline) continue;
      deadline.checkNow();
      while (deadline.sliceUsed) await deadline.nextSlice();
    }
  } finally {
    if (!done) steps.return(undefined as never);
  }
}
