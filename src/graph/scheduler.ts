/**
 * The event loop's turns, shared by every request that executes: the process's one scheduler of
 * execution slices (deadline.ts's `Deadline` asks it when a request may run).
 *
 * Were each request to yield on its own (a `setImmediate` each when its slice is used), N requests
 * in the middle of their execution would all resume in the same check phase, and N arriving in one
 * poll phase would each run a first slice: one turn of the loop lasted about N slices (at 100,000
 * entities, 20 concurrent filter scans held `/health` 438-732 ms, 200 up to 4.2 s). Here a turn
 * runs slices only until about one slice's time has passed in total:
 * - a request that starts executing while others wait for the loop, or once the turn's time is
 *   used, does not run its first slice then: it waits (`begin` says so; its first field asks for
 *   its turn);
 * - a request that has used the turn's time waits in one of two lanes (`enqueue`): the short lane,
 *   its clients in turn (`ClientLane`), holds the work expected to be done within one slice (a request's
 *   work before execution, and an execution priced and expected at a slice at most that has not
 *   yet run one); the long lane holds the rest, the oldest execution first (by when it began:
 *   `order`);
 * - each turn (one `setImmediate`, after the I/O that came meanwhile: `/health`, new connections,
 *   timers) hands the loop to the waiters, one after the other, until the turn's time is used;
 *   the others wait for the next turn. When both lanes wait, the short lane's go first, unless
 *   the turn before ran none of the long lane's: then the long lane's first begins the turn. A
 *   cheap request arriving among slow ones waits a turn or two, not a slice of each slow one
 *   ahead of it; the slow ones get every other turn at least, and no request starves.
 * Why the oldest first and not each in turn (a request that used its slice went to the back of
 * one queue, until December 2026): load shedding (src/server/pressure.ts) lets a request in while
 * the work ahead of it fits well within the execution time limit. Each in turn, a request's
 * execution also shared the loop with every request let in after it, and those let in as others
 * finished kept coming: all ran late together, and a burst of 300 filter scans from 90 addresses
 * let 190 in and timed 95 out, each within 10-20% of its work when its time ran out (red team 46,
 * F0). The oldest first, what comes later waits behind it: a request waits for what was ahead of
 * it when it was let in, which is what load shedding counted, and a request that runs late is the
 * newest, not all of them. Cheap requests in the short lane still pass the slow ones (they wait a
 * slice at most each, and their work counts in the queue too).
 * A request alone runs as before: nothing waits when nobody else does, and a turn it opens costs
 * one `setImmediate` that marks the turn's end, run after it.
 *
 * The request's deadline still counts from its start: one that waited past it fails when its turn
 * comes (503 EXECUTION_TIMEOUT), at once. `queued` (the waiters) tells load shedding
 * (src/server/pressure.ts) how long a new request would wait for its first slice, so that a
 * server refuses the requests it could not serve in time instead of queueing them; and the work
 * each client has queued (`clientWaitMs`, by the client a request names when it waits), so that
 * it refuses those of the clients that brought the work rather than everyone's.
 */

export interface SchedulerOptions {
  /** The time one turn of the loop runs requests' work for, in ms. */
  sliceMs: number;
  /** The clock, in ms (tests pass a fake one); default `performance.now`. */
  now?: () => number;
  /** Runs `task` on a later turn of the loop, after pending I/O; default `setImmediate`. */
  defer?: (task: () => void) => void;
}

/** A request waiting for the loop (`SliceScheduler.enqueue`). */
export interface Waiter {
  /** Resolves when the request may run. */
  readonly granted: Promise<void>;
  /**
   * The request will not run after all (its client went away): it leaves the queue, and what it
   * said it had left leaves the queue's work (load shedding reads it), at once rather than when
   * its turn comes. `granted` then never resolves. Nothing once it was let go.
   */
  withdraw(): void;
}

/**
 * An execution waiting for its first turn in the long lane, which the scheduler may judge again
 * when its pattern is seen to take more than it was expected to (`SliceScheduler.recheck`).
 */
export interface NotYetBegun {
  /** Its pattern (src/server/work-pattern.ts). */
  readonly pattern: string;
  /** Its deadline, by the scheduler's clock. */
  readonly end: number;
  /** What it is expected to run now, by its pattern's estimate. */
  remainingMs(): number;
  /** It will not begin: its time would run out first (it fails at once, and leaves the queue). */
  giveUp(): void;
}

/**
 * What the runs of a pattern took for their price, as moving sums, and how many runs it had (to
 * RUNS_COUNTED) when it last ran (`lastMs`), a count that halves every RUNS_HALF_LIFE_MS since.
 */
interface LearnedPattern {
  ranSum: number;
  pricedSum: number;
  runs: number;
  lastMs: number;
  /** The ratio of its last rise (a run of RECHECKED_FROM times its estimate or more), at `risenAt`: halved every RISE_HALF_LIFE_MS since. */
  risen: number;
  risenAt: number;
}

/**
 * What a pattern is expected to run for its price, at `now`: the mean of its last runs' ratios,
 * or its last rise, halved every RISE_HALF_LIFE_MS since, where that is more.
 */
function ratioNow(learned: LearnedPattern, now: number): number {
  const mean = learned.ranSum / learned.pricedSum;
  if (learned.risen <= mean) return mean;
  return Math.max(
    mean,
    learned.risen * 2 ** (-Math.max(0, now - learned.risenAt) / RISE_HALF_LIFE_MS),
  );
}

/** A pattern's count of runs as it is at `now`: halved every RUNS_HALF_LIFE_MS since it last ran. */
function runsNow(learned: LearnedPattern, now: number): number {
  return learned.runs * 2 ** (-Math.max(0, now - learned.lastMs) / RUNS_HALF_LIFE_MS);
}

/**
 * Of the EVICTION_SAMPLE patterns of `memory` taught least lately (its first), the one run the
 * fewest times by its count at `now` (the first of them among equals): the one that makes room.
 * `memory` is not empty.
 */
function fewestRun(
  memory: Map<string, LearnedPattern>,
  now: number,
): { pattern: string; learned: LearnedPattern; runs: number } {
  let fewest: { pattern: string; learned: LearnedPattern; runs: number } | undefined;
  let looked = 0;
  for (const [pattern, learned] of memory) {
    const runs = runsNow(learned, now);
    if (!fewest || runs < fewest.runs) fewest = { pattern, learned, runs };
    if (++looked >= EVICTION_SAMPLE) break;
  }
  return fewest!;
}

/** The count of runs at which a pattern gets into the memory of patterns run more than once: two runs within a half-life. */
const ADMITTED_FROM_RUNS = 1.5;

interface QueuedWaiter {
  grant: () => void;
  workMs: number;
  /** An execution not yet begun, judged again when its pattern's estimate rises. */
  notYetBegun: NotYetBegun | undefined;
  /** What it said it would run when it came (`workMs` may be valued again since: `recheck`). */
  saidMs: number;
  /** What `recheck` added to its work since it came (0 unless valued again). */
  revaluedMs: number;
  /** The client that sent the request (src/server/share-client.ts; "" when unknown). */
  client: string;
  /** Let go, or withdrawn: it no longer counts, and a withdrawn one is skipped. */
  gone: boolean;
  /** Its place in the long lane (when its execution began: the oldest first); undefined in the short lane. */
  order: number | undefined;
  lane: Lane | ClientLane;
}

/**
 * The long lane: waiters in the order they are let go, by their `order`, the least first and
 * first come first served among equals.
 */
class Lane {
  private items: QueuedWaiter[] = [];
  /** The next waiter's index in `items`. */
  private first = 0;
  /** The waiters in the lane that still wait (withdrawn ones stay in `items` until their turn would come). */
  live = 0;

  add(waiter: QueuedWaiter): void {
    this.live++;
    const { items } = this;
    const order = waiter.order ?? 0;
    if (items.length === this.first || (items.at(-1)!.order ?? 0) <= order) {
      items.push(waiter);
      return;
    }
    // after every waiter of an order up to its own (a binary search: the lane is in order)
    let low = this.first;
    let high = items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((items[middle]!.order ?? 0) <= order) low = middle + 1;
      else high = middle;
    }
    items.splice(low, 0, waiter);
  }

  /** The waiters that still wait, in the order they will be let go. */
  *waiting(): Generator<QueuedWaiter> {
    for (let i = this.first; i < this.items.length; i++) {
      const waiter = this.items[i]!;
      if (!waiter.gone) yield waiter;
    }
  }

  /** The next waiter that still waits, out of the lane (there is one: `live` > 0). */
  take(): QueuedWaiter {
    for (;;) {
      const next = this.items[this.first]!;
      this.items[this.first++] = undefined as unknown as QueuedWaiter;
      if (this.first > 1024 && this.first * 2 > this.items.length) {
        this.items = this.items.slice(this.first);
        this.first = 0;
      }
      // withdrawn waiters are dropped as they come
      if (!next.gone) return next;
    }
  }
}

/**
 * The most waiters of clients new to the short lane let go in a row while a client that was
 * already waiting there waits (`ClientLane`): one in FRESH_IN_A_ROW + 1 is a waiting client's.
 * New addresses are cheap (an IPv6 /64 each): at 8, a stream of them left a client with two
 * requests waiting at once (a page's parallel queries, users behind one NAT) a ninth of the lane
 * to share with the other waiting clients, four to five times its wait first come first served
 * (review 50, F4); at 2, a third, and a new client waits half as long again behind the new ones
 * ahead of it.
 */
export const FRESH_IN_A_ROW = 2;

/**
 * The short lane: each client's waiters first come first served, the clients in turn, one waiter
 * each, and a client with nothing waiting in the lane when its waiter comes before those that
 * had (a sparse flow first, as FQ-CoDel serves a network queue's new flows before its old ones).
 * First come first served across clients, an honest client's cheap query that came 0.1-0.5 s
 * into a burst of 300 requests from 90 addresses waited up to 0.5-0.9 s in this lane (1.2-2.5 s
 * over HTTP in a server's first burst; 0.06-0.27 s in the lane now): behind the
 * reading, pricing and admission of every request of the burst that came before it, though
 * /health, which does not wait here, was answered within 0.2 s. A client that had nothing waiting
 * now waits for those new clients ahead of it, one waiter each, not for every waiter of theirs
 * (no rule by address can tell it from the burst's when each address sends one request). Not a
 * way to starve the others: at most FRESH_IN_A_ROW new clients' waiters are let go in a row
 * while a client that was waiting waits. Behind a proxy, where every request is of one client,
 * this is first come first served, as it was. Exported for tests.
 */
export class ClientLane {
  /** Each client's waiters in the order they came (its first still waiting at `first`). */
  private readonly byClient = new Map<string, { items: QueuedWaiter[]; first: number }>();
  /** The clients whose first waiter came while they had none waiting here, in the order they came. */
  private fresh: string[] = [];
  private freshFirst = 0;
  /** The clients that were let go one waiter and have more, in turn. */
  private waitingClients: string[] = [];
  private waitingFirst = 0;
  /** New clients' waiters let go in a row while a waiting client waited. */
  private freshInARow = 0;
  /** The waiters in the lane that still wait (withdrawn ones stay until their turn would come). */
  live = 0;

  add(waiter: QueuedWaiter): void {
    this.live++;
    const mine = this.byClient.get(waiter.client);
    if (mine) {
      mine.items.push(waiter);
      return;
    }
    this.byClient.set(waiter.client, { items: [waiter], first: 0 });
    this.fresh.push(waiter.client);
  }

  /** The next waiter that still waits, out of the lane (there is one: `live` > 0). */
  take(): QueuedWaiter {
    for (;;) {
      const others = this.waitingFirst < this.waitingClients.length;
      const fromFresh =
        this.freshFirst < this.fresh.length && (!others || this.freshInARow < FRESH_IN_A_ROW);
      let client: string;
      if (fromFresh) {
        client = this.fresh[this.freshFirst++]!;
        this.freshInARow = others ? this.freshInARow + 1 : 0;
        if (this.freshFirst > 1024 && this.freshFirst * 2 > this.fresh.length) {
          this.fresh = this.fresh.slice(this.freshFirst);
          this.freshFirst = 0;
        }
      } else {
        client = this.waitingClients[this.waitingFirst++]!;
        this.freshInARow = 0;
        if (this.waitingFirst > 1024 && this.waitingFirst * 2 > this.waitingClients.length) {
          this.waitingClients = this.waitingClients.slice(this.waitingFirst);
          this.waitingFirst = 0;
        }
      }
      const mine = this.byClient.get(client)!;
      // withdrawn waiters are dropped as they come
      let next: QueuedWaiter | undefined;
      while (mine.first < mine.items.length) {
        const waiter = mine.items[mine.first]!;
        mine.items[mine.first++] = undefined as unknown as QueuedWaiter;
        if (!waiter.gone) {
          next = waiter;
          break;
        }
      }
      // the client's turn comes again after the others' while it has more waiting (withdrawn
      // ones included: they are dropped when it comes); otherwise it is new to the lane again
      if (mine.first < mine.items.length) {
        if (mine.first > 64 && mine.first * 2 > mine.items.length) {
          mine.items = mine.items.slice(mine.first);
          mine.first = 0;
        }
        this.waitingClients.push(client);
      } else this.byClient.delete(client);
      if (next) return next;
    }
  }
}

/**
 * The least price (in ms: a unit of cost is about 2 µs) of a request whose run teaches the
 * scheduler what requests take for their price (`msPerPricedMs`): below it, a request's run is
 * mostly its fixed costs.
 */
export const LEARNED_FROM_PRICED_MS = 5;

/**
 * The bounds of `msPerPricedMs`. Prices are from above: a ratio far over 1 says the price model
 * missed something, not that every later request will take that many times its price; far under
 * it, that an index answered what the price counted as a scan.
 */
export const MS_PER_PRICED_MS_BOUNDS = [0.05, 2] as const;

/**
 * How many times its pattern's estimate a run must take (or one still running have taken) for the
 * estimate to rise to it at once (`learn`, `ranAtLeast`), and its waiters to be judged again
 * (`recheck`). Under it, a pattern's estimate moves over its last runs, both ways: risen at once to
 * every run above it, the estimate was the most a run had lately taken (a collection, a busy
 * machine), and honest bursts were let in by half or less of what the loop could serve.
 */
export const RECHECKED_FROM = 2;

/**
 * The time in which a pattern's rise (`RECHECKED_FROM`) halves, in ms, unless runs of it keep
 * showing it: the rise holds while a burst of dear values runs, and is gone some seconds after
 * the last of them. Kept until about PATTERN_RUNS cheaper runs had pulled it down, one request
 * of dear values from one address put an honest burst of its pattern at that ratio, 30 s later
 * still: 49-58 of 150 answered, not 150 (red team 49, F3).
 */
export const RISE_HALF_LIFE_MS = 5_000;

/**
 * How many times what it said it would run an execution waiting for its first turn must now be
 * expected to run for `recheck` to value it again, and give it up if it could no longer be done
 * in time.
 */
export const GIVEN_UP_FROM = 4;

/** About how many of a pattern's last runs its ratio is learned from (`expectedMs`). */
export const PATTERN_RUNS = 8;

/**
 * The most patterns `expectedMs` keeps a ratio for, in each of its two memories: patterns run
 * once (or not yet let into the other), the one taught least lately forgotten first; and patterns
 * run more than once (`SliceScheduler.learn` says how one gets in and out).
 */
export const MAX_PATTERNS = 1000;

/**
 * The most runs of a pattern counted (`SliceScheduler.learn`): a pattern's count is what another
 * must have run to take its place in the memory of patterns run more than once.
 */
export const RUNS_COUNTED = 64;

/**
 * The time in which a pattern's count of runs halves, in ms (`SliceScheduler.learn`): a pattern
 * run often and no longer gives its place up in a few minutes, one run as often as ever keeps it,
 * whatever others run meanwhile. Worn by one at each try of another to take its place instead,
 * an honest pattern run 10-70 times was put out within 15 s by 7 patterns run 64 times each and
 * about 4,600 cheap requests (red team 49, F2).
 */
export const RUNS_HALF_LIFE_MS = 60_000;

/**
 * Of how many of the patterns run more than once, taught least lately, the one run the fewest
 * times makes room for another (`SliceScheduler.learn`): a flood of patterns run twice each puts
 * its own out, not a pattern run often that is older than all of them.
 */
export const EVICTION_SAMPLE = 8;

/**
 * The pattern of an operation that teaches (priced LEARNED_FROM_PRICED_MS or more) but has none
 * (src/server/work-pattern.ts: past MAX_PATTERN_LENGTH): expected as a pattern never seen (at its
 * price, or more where every pattern's runs lately took more), and never learned. Estimated by
 * `msPerPricedMs` as the operations too cheap to teach are, a scan padded past the length was let
 * in at the ratio any client could teach down (red team 47, F1, again).
 */
export const UNKNOWN_PATTERN = "";

/**
 * The longest run of turns given to accepting connections (`SliceScheduler.accepted`), in ms,
 * after which a turn runs requests' work again.
 */
export const ACCEPTS_FIRST_MS = 10;

/**
 * The share of its execution time limit within which an operation beginning now should, by the
 * estimate, have waited for the work ahead of it and run its own (`runsLate`): the rest is for
 * what the estimate misses.
 */
export const FINISH_WITHIN_SHARE = 0.8;

/**
 * How long a client an operation of which `runsLate` refused is remembered (`refusedLately`), in
 * ms: load shedding refuses its next requests before they are read while the queue is over its
 * bound.
 */
export const LATE_MEMORY_MS = 1000;

/** The most clients `refusedLately` remembers: past it, the oldest are forgotten first. */
export const MAX_LATE_CLIENTS = 10_000;

/** A waiter's grant before its promise is made, and once it is withdrawn. */
const NOTHING = () => {};

export class SliceScheduler {
  readonly sliceMs: number;
  private readonly now: () => number;
  private readonly defer: (task: () => void) => void;
  /** The waiters expected to be done within a slice, each client's first come first served, the clients in turn (`enqueue`, `ClientLane`). */
  private readonly short = new ClientLane();
  /** The other waiters, the oldest execution first (`enqueue`'s `order`). */
  private readonly long = new Lane();
  /**
   * The turn under way begins with the long lane when both wait: the turn before ran work and
   * none of the long lane's, which waited (so the long lane has every other turn at least).
   */
  private longFirst = false;
  /** Waiters let go in the turn under way, and whether one was the long lane's. */
  private grantedThisTurn = 0;
  private grantedLong = false;
  /** When the current turn began running requests' work. */
  private turnStart = Number.NEGATIVE_INFINITY;
  /** A turn is open: its end is deferred (`endTurn`), and the work it ran counts against it. */
  private turnOpen = false;
  /** A waiter has been let go and has not yet run: the next one waits for it to yield or finish. */
  private handing = false;

  /** Requests executing now (begun, not yet finished). */
  active = 0;
  /** Turns that let at least one waiter run (for tests, benchmarks and metrics). */
  turns = 0;

  constructor(options: SchedulerOptions) {
    this.sliceMs = options.sliceMs;
    this.now = options.now ?? (() => performance.now());
    this.defer = options.defer ?? ((task) => void setImmediate(task));
  }

  /** Requests waiting for the loop. */
  get queued(): number {
    return this.short.live + this.long.live;
  }

  /**
   * The work waiting for the loop, in ms: what each waiter said it has left when it queued
   * (`wait(workMs)`: its price by the cost limit, less what it has run). As the waiters take
   * their turns, that is about how long a request beginning now would wait until those ahead of
   * it are done: load shedding refuses requests beyond it (src/server/pressure.ts), lest every
   * request admitted run out of time together. (A first version counted every waiter as the
   * slices a request took on average, 3 at first: 300 cheap requests, all answered within
   * 138 ms once let in, had 209 refused.)
   */
  get waitMs(): number {
    return this.queuedWork;
  }
  private queuedWork = 0;

  /**
   * The part of `waitMs` that `recheck` added to waiters not yet begun, valued again when their
   * pattern was seen to take more than expected: work their clients' requests were let in
   * without. Load shedding does not refuse everyone for it (pressure.ts): clients with nothing
   * waiting are still let in while the rest of the queue is within twice its bound.
   */
  get revaluedMs(): number {
    return this.revaluedWork;
  }
  private revaluedWork = 0;

  /**
   * The work each client has waiting, in ms, and its waiters: a client is forgotten when its
   * last waiter leaves the queue (a Map update per wait, and one per waiter leaving).
   */
  private readonly byClient = new Map<string, { workMs: number; waiters: number }>();

  /** The work `client`'s requests have waiting for the loop, in ms (0 when none waits). */
  clientWaitMs(client: string): number {
    return this.byClient.get(client)?.workMs ?? 0;
  }

  /** How many clients have a request waiting for the loop. */
  get clientsWaiting(): number {
    return this.byClient.size;
  }

  /**
   * How long requests took for their price, on this machine: the ratio of the time they ran to
   * the time their price stands for (a unit of cost is about 2 µs), over the last few dozen
   * that finished priced at least LEARNED_FROM_PRICED_MS, each weighted by its price, and within
   * MS_PER_PRICED_MS_BOUNDS. The cost limit prices from above (a filter scan at 100,000 entities
   * is priced about 200 ms and runs in 30-50), so the price alone shed bursts the loop would
   * have served; 1 until such requests have finished.
   *
   * Only requests of some price teach it: a small one (priced 0.02 ms) runs about 1 ms, its
   * fixed costs (context, writing the answer), not its price. Learned from those too, one small
   * request after a start set the ratio to 25, and a stream of them kept it there: a query
   * priced 178 ms was then expected to take 4.5 s, past the queue's bound alone, and load
   * shedding refused 4-5 of 6 such queries, and then everyone, though their real work was
   * about 0.4 s (red team 42).
   */
  get msPerPricedMs(): number {
    if (this.pricedSum <= 0) return 1;
    const [least, most] = MS_PER_PRICED_MS_BOUNDS;
    return Math.min(most, Math.max(least, this.ranSum / this.pricedSum));
  }
  private ranSum = 0;
  private pricedSum = 0;

  /**
   * About how long a request priced `pricedMs` will run: by what the requests of its `pattern`
   * took for their price (src/server/work-pattern.ts: its document without its literal values,
   * and its variables' shape), over about the last PATTERN_RUNS of them; a pattern none of whose
   * requests has finished yet (or forgotten: MAX_PATTERNS; or none: a request whose pattern is
   * too long) at its price, or at `msPerPricedMs` where that is more. Without a pattern (a
   * request too cheap to teach: under LEARNED_FROM_PRICED_MS), by `msPerPricedMs`.
   *
   * One ratio for every query was any client's to teach: 80 title filters from one address, priced
   * as scans (171 ms) and answered by an index (10-15 ms), put the scans of the burst that came
   * next at 12 ms, a tenth of their time; load shedding and `runsLate` let the burst in as though
   * it were that, and 85-96 of 300 ran out of time (red team 47, F1). A pattern learns only from
   * its own runs, and one never seen is not expected to run under its price: the price is from
   * above, save for lists (about 2.3 times), which `msPerPricedMs` then says.
   */
  expectedMs(pricedMs: number, pattern?: string): number {
    if (pattern === undefined) return pricedMs * this.msPerPricedMs;
    const learned = this.learnedOf(pattern);
    if (learned === undefined) return pricedMs * Math.max(1, this.msPerPricedMs);
    const [least, most] = MS_PER_PRICED_MS_BOUNDS;
    return pricedMs * Math.min(most, Math.max(least, ratioNow(learned, this.now())));
  }
  /**
   * What the runs of each pattern run more than once took for their price (moving sums, as
   * `msPerPricedMs`'s), and how many runs it had (`learn`), the one taught least lately first:
   * MAX_PATTERNS at most.
   */
  private readonly patterns = new Map<string, LearnedPattern>();
  /** The same of the patterns run once, or not let into `patterns` yet: MAX_PATTERNS at most, the first forgotten first. */
  private readonly newPatterns = new Map<string, LearnedPattern>();

  /** How many patterns `expectedMs` has learned a ratio for (for tests). */
  get patternsLearned(): number {
    return this.patterns.size + this.newPatterns.size;
  }

  /** What `pattern`'s runs taught, from whichever memory keeps it. */
  private learnedOf(pattern: string): LearnedPattern | undefined {
    return this.patterns.get(pattern) ?? this.newPatterns.get(pattern);
  }

  /** Which memory keeps `pattern` (`learn`), if one does (for tests). */
  memoryOf(pattern: string): "run more than once" | "run once" | undefined {
    if (this.patterns.has(pattern)) return "run more than once";
    return this.newPatterns.has(pattern) ? "run once" : undefined;
  }

  /**
   * Whether an operation is work for the short lane (it passes the long lane), until it has run a
   * slice: both its price and what it is expected to run (`expectedMs`) are within a slice. By
   * the price too, not only by what requests lately ran for theirs: that is one ratio for every
   * query, which any client can teach down with queries that run far under their price, and it
   * put filter scans priced 172 ms at 12 ms, in the short lane (red team 47, F1 and F4).
   */
  withinSlice(pricedMs: number | undefined, expectedMs: number): boolean {
    return expectedMs <= this.sliceMs && (pricedMs ?? 0) <= this.sliceMs;
  }

  /**
   * Whether an operation priced `pricedMs`, beginning now with a time limit of `limitMs`, would
   * run out of time by the estimate: it will wait in the long lane (it is priced or expected at
   * more than a slice), work waits ahead of it (a slice of it at least: an operation alone is never
   * refused), and that work and its own are more than FINISH_WITHIN_SHARE of its limit. Then the
   * work ahead and its own, in ms; undefined otherwise.
   *
   * Load shedding lets a request in by the work waiting when it arrives, before its document is
   * read, and by its client's share of that work (src/server/pressure.ts): a burst from many
   * addresses is let in until the queue holds the whole execution time limit, and the newest,
   * waiting behind the oldest (the long lane), could only run out of time. Asked once its price is
   * known, the request is refused at once instead (src/server/limits.ts), and a cheap one, which
   * passes the long lane, is not.
   */
  runsLate(
    pricedMs: number,
    limitMs: number,
    client = "",
    pattern?: string,
  ): { aheadMs: number; expectedMs: number } | undefined {
    const expectedMs = this.expectedMs(pricedMs, pattern);
    const aheadMs = this.waitMs;
    if (
      this.withinSlice(pricedMs, expectedMs) ||
      aheadMs < this.sliceMs ||
      aheadMs + expectedMs <= FINISH_WITHIN_SHARE * limitMs
    )
      return undefined;
    const now = this.now();
    // (moved to the end of the map's order: the oldest are first)
    this.lateClients.delete(client);
    this.lateClients.set(client, now);
    // the oldest forgotten once past the memory, or while the map holds more than it keeps: a
    // look at the first entries, not a walk of them all
    for (const [known, at] of this.lateClients) {
      if (this.lateClients.size <= MAX_LATE_CLIENTS && now - at < LATE_MEMORY_MS) break;
      this.lateClients.delete(known);
    }
    return { aheadMs, expectedMs };
  }

  /**
   * Whether an operation of `client`'s was refused by `runsLate` within the last LATE_MEMORY_MS.
   * Load shedding refuses such a client's requests before they are read while the queue is over
   * its bound (src/server/pressure.ts): a burst of 300 filter scans from 90 addresses let in by
   * share was otherwise read, weighed and refused whole, each request's reading in the short
   * lane, ahead of an honest client's cheap query (which waited up to 1.8 s).
   */
  refusedLately(client: string): boolean {
    const at = this.lateClients.get(client);
    if (at === undefined) return false;
    if (this.now() - at < LATE_MEMORY_MS) return true;
    this.lateClients.delete(client);
    return false;
  }
  /** When each client last had an operation refused by `runsLate`, the oldest first (MAX_LATE_CLIENTS at most). */
  private readonly lateClients = new Map<string, number>();

  /**
   * The operation that `connection` brought was refused by `runsLate`, expected to run `owedMs`:
   * for LATE_MEMORY_MS, load shedding counts that as the work of the connection's client waiting,
   * by share, and holds its refusals of the connection's next requests until then (`lateOwedMs`,
   * `lateMemoryLeftMs`). A client that sends one request at a time has none waiting when its next
   * comes, and 150 addresses looping filter scans had every request read, validated, priced and
   * refused, about 1,000 a second (red team 47, F2). By the connection, not the address: by the
   * address, everyone behind one NAT with a client refused so was refused for a second, cheap
   * queries too (red team 48, F2; review 47, F4).
   */
  owe(connection: object, owedMs: number): void {
    this.owed.set(connection, { at: this.now(), owedMs });
  }

  /** What `connection` owes (`owe`), in ms: 0 when nothing, or its LATE_MEMORY_MS have passed. */
  lateOwedMs(connection: object): number {
    const owed = this.owed.get(connection);
    return owed !== undefined && this.now() - owed.at < LATE_MEMORY_MS ? owed.owedMs : 0;
  }

  /** How much longer `connection` owes (`owe`), in ms; 0 when it does not. */
  lateMemoryLeftMs(connection: object): number {
    const owed = this.owed.get(connection);
    if (owed === undefined) return 0;
    const left = LATE_MEMORY_MS - (this.now() - owed.at);
    return left > 0 ? left : 0;
  }
  /** What each connection owes (`owe`), kept as long as the connection is. */
  private readonly owed = new WeakMap<object, { at: number; owedMs: number }>();

  /**
   * Whether the current turn has run requests' work for its slice, at `now`, or is given to the
   * connections waiting to be accepted (`accepted`).
   */
  turnUsed(now: number): boolean {
    return now - this.turnStart >= this.sliceMs || this.givenToAccepts(now);
  }

  /**
   * A connection was accepted (the server's "connection" event). Node takes one connection a turn
   * from the kernel's queue of those it has accepted, so one accepted now says that more may
   * wait there; the turns that follow run no request's work (a request that comes meanwhile, or
   * executes, waits for its turn), until one of them accepts none, so that the queue is taken a
   * short turn a connection. Bounded: once turns have been given to accepts for ACCEPTS_FIRST_MS
   * in a row, a turn runs work again (a stream of new connections takes a third of the loop at
   * most), and the next may be given to accepts again.
   *
   * Without it, each turn that accepted a connection also ran a slice of work: a `/health` that
   * came behind 90 connections, each with a document failing validation (5-10 ms), was read
   * 0.4-1.1 s later, the loop never stalled above 95 ms (red team 44, F4; 20 requests of 5.5 MB
   * answers, F5, likewise).
   */
  accepted(): void {
    const now = this.now();
    this.acceptedAt = now;
    this.acceptsSince ??= now;
    if (!this.turnOpen) this.openTurn();
  }

  /**
   * Whether the turn under way is given to taking connections (`accepted`): work that waits for no
   * request (the entities made ahead of requests: src/server/warm.ts) waits for it too.
   */
  acceptsFirst(): boolean {
    return this.givenToAccepts(this.now());
  }

  /**
   * How long after an accept the turns stay given to accepts even if one took none (ms; 0: they
   * end at the first that took none). A cluster worker gets its connections from the primary over
   * IPC, each after it has answered for the one before, a turn or two apart: ended at the first
   * turn without one, each run of turns given to accepts ended at once, and a `/health` behind 90
   * validation failures waited 0.8-2.2 s with `--workers 2` (review 46, f4). A worker sets it
   * (app.ts, WORKER_ACCEPT_GAP_MS); the turns it keeps run no work, within ACCEPTS_FIRST_MS.
   */
  acceptGapMs = 0;

  /** When a connection was last accepted (`accepted`). */
  private acceptedAt = Number.NEGATIVE_INFINITY;
  /** Since when turns have been given to accepts, in a row (undefined: the last turn ran work, or accepted none). */
  private acceptsSince: number | undefined;
  /** When the last turn ended (a check phase: the poll for I/O came before it). */
  private turnEndedAt = Number.NEGATIVE_INFINITY;

  /**
   * Whether the turn under way is given to accepts: a connection accepted since the last turn
   * ended, within the bound (a clock that went back, as a test's may, ends it too).
   */
  private givenToAccepts(now: number): boolean {
    if (this.acceptsSince === undefined) return false;
    if (this.acceptedAt <= this.turnEndedAt && !(now - this.acceptedAt < this.acceptGapMs))
      return false;
    const since = now - this.acceptsSince;
    return since >= 0 && since < ACCEPTS_FIRST_MS;
  }

  /**
   * A request starts executing: whether it may run now (nobody waits and the turn has time
   * left); if not, it must `wait` before its first slice.
   */
  begin(): boolean {
    this.active++;
    if (!this.turnOpen) this.openTurn();
    return this.queued === 0 && !this.handing && !this.turnUsed(this.now());
  }

  /**
   * A request's work before it executes (its document parsed and validated, or answered with
   * their errors): undefined when it may run now (nobody waits and the turn has time left), else
   * its place in the queue (`workMs`: about how long that work runs; `client`, as for `wait`).
   * Not counted among the executing (`active`). Once the work is done, `workDone` lets the next
   * waiter run in what is left of the turn.
   *
   * Without it, the work of the requests that arrived in one poll of the loop ran back to back in
   * their I/O callbacks, whatever the turn: 90 small documents that failed validation on 300
   * variables each (5-10 ms apiece) held `/health` 0.4-0.7 s (red team 44, F4).
   */
  turnFor(workMs: number, client = ""): Waiter | undefined {
    if (!this.turnOpen) this.openTurn();
    if (this.queued === 0 && !this.handing && !this.turnUsed(this.now())) return undefined;
    return this.enqueue(workMs, client);
  }

  /** A request's work before execution (`turnFor`) is done: the next waiter may run in what is left of the turn. */
  workDone(): void {
    this.handOn();
  }

  /**
   * A request has finished executing, having run `ranMs` for a price of `pricedMs` (when it
   * had one; `cutShort`: stopped by its time limit before it was done): the next waiter may run
   * in what is left of the turn.
   */
  end(ranMs?: number, pricedMs?: number, cutShort = false, pattern?: string): void {
    this.active--;
    if (
      ranMs !== undefined &&
      pricedMs !== undefined &&
      pricedMs >= LEARNED_FROM_PRICED_MS &&
      // a run stopped by its time limit ran part of what it would have: at least `ranMs` for its
      // price, so it teaches only a ratio above what is known. Taught as it was, it said queries
      // take less than they do, more were let in, and more ran out of time: 300 filter scans at
      // once, again and again, timed out 0, 0, 0, 56, 204, 268 and 277 of 300 (red team 46, F0)
      (!cutShort || ranMs > this.expectedMs(pricedMs, pattern)) &&
      // a run far under its price (under the ratio's lower bound) was answered by an index or a
      // memo of an earlier run of the same work, which says nothing of what the work takes when
      // it must be done: 300 scans of one filter, the last ones 0.2 ms for a price of 172 ms,
      // pulled the ratio from 0.2 to 0.06, and the next burst of them, let in at that, ran out
      // of time nearly whole, burst after burst (red team 46, F0)
      ranMs >= pricedMs * MS_PER_PRICED_MS_BOUNDS[0]
    ) {
      // a moving sum of each, over about the last 32 requests
      this.ranSum += ranMs - this.ranSum / 32;
      this.pricedSum += pricedMs - this.pricedSum / 32;
      if (pattern !== undefined) this.learn(pattern, ranMs, pricedMs);
    }
    this.handOn();
  }

  /**
   * A run of `pattern` took `ranMs` for a price of `pricedMs` (`end`). A ratio RECHECKED_FROM
   * times the one expected now or more is taken at once, as a rise that halves every
   * RISE_HALF_LIFE_MS unless runs of twice the mean keep showing it (`ratioNow`); every run moves
   * the mean over about PATTERN_RUNS runs. Learned alike both ways,
   * a pattern whose work its values choose (a filter's `in` list of one value repeated, or of 200
   * states; a name that matches five states or all of them) was taught down by 16-40 runs of the
   * cheap values from one address, and a burst of the dear ones let in at that, every one of
   * them running out of time (red team 48, F1).
   *
   * Kept in two memories, as a cache's entries under 2Q or TinyLFU: a pattern's first run puts it
   * in `newPatterns`, and it gets into `patterns` once it has run twice, when there is room or
   * when the one run the fewest times of the EVICTION_SAMPLE taught least lately there has run no
   * more times than it, each count as it is now (halved every RUNS_HALF_LIFE_MS since the
   * pattern last ran); that one goes back to `newPatterns`. In one memory of every pattern, 1,200
   * cheap requests of a pattern each (their operations' names differing) forgot in 2 s what every
   * pattern known ran, and an honest burst of one was let in at its price: 23 of 60 answered, not
   * 60 (red team 48, F3). A flood of patterns run once now wears `newPatterns` alone; one of
   * patterns run twice each puts its own out first; a pattern run r times is put out by one that
   * has run no fewer times, or once its count has halved enough (about log2(r / 2) half-lives
   * idle). `newPatterns` makes room the same way, so that a pattern run often but not let in yet
   * (8 patterns run often kept at the front of `patterns` hold every other out for minutes)
   * outlives a flood of patterns run once (review 49).
   *
   * `counts`: whether the run is one (`ranAtLeast` learns from one still running, whose end will
   * count it).
   */
  private learn(pattern: string, ranMs: number, pricedMs: number, counts = true): void {
    if (pattern === UNKNOWN_PATTERN) return;
    let learned = this.patterns.get(pattern);
    const admitted = learned !== undefined;
    // (taken out, then put back at the end of its memory's order: the one taught least lately
    // is first)
    if (admitted) this.patterns.delete(pattern);
    else if ((learned = this.newPatterns.get(pattern))) this.newPatterns.delete(pattern);
    let rises = false;
    const now = this.now();
    if (!learned)
      learned = {
        ranSum: ranMs,
        pricedSum: pricedMs,
        runs: 0,
        lastMs: now,
        risen: 0,
        risenAt: now,
      };
    else {
      const ratio = ranMs / pricedMs;
      const current = ratioNow(learned, now);
      rises = ratio >= RECHECKED_FROM * current;
      // a run of its dear values keeps the rise (at its most) from halving
      if (ratio >= RECHECKED_FROM * (learned.ranSum / learned.pricedSum)) {
        learned.risen = Math.max(current, ratio);
        learned.risenAt = now;
      }
      learned.ranSum += ranMs - learned.ranSum / PATTERN_RUNS;
      learned.pricedSum += pricedMs - learned.pricedSum / PATTERN_RUNS;
    }
    if (counts) {
      learned.runs = Math.min(RUNS_COUNTED, runsNow(learned, now) + 1);
      learned.lastMs = now;
    }
    if (admitted || this.admits(learned, now)) this.patterns.set(pattern, learned);
    else this.remember(pattern, learned);
    if (rises) this.recheck(pattern);
  }

  /**
   * Whether a pattern not in `patterns` gets in (`learn`): when it has run twice lately, and there
   * is room or the one run the fewest times of the EVICTION_SAMPLE taught least lately there has
   * run no more times, by their counts now (that one goes back to `newPatterns`).
   */
  private admits(learned: LearnedPattern, now: number): boolean {
    const runs = runsNow(learned, now);
    // run twice within a half-life
    if (runs < ADMITTED_FROM_RUNS) return false;
    if (this.patterns.size < MAX_PATTERNS) return true;
    const fewest = fewestRun(this.patterns, now);
    if (fewest.runs > runs) return false;
    this.patterns.delete(fewest.pattern);
    this.remember(fewest.pattern, fewest.learned);
    return true;
  }

  /**
   * Keeps `learned` in `newPatterns`, last; when it is full, the one run the fewest times (by its
   * count now) of the EVICTION_SAMPLE taught least lately there is forgotten first.
   */
  private remember(pattern: string, learned: LearnedPattern): void {
    if (this.newPatterns.size >= MAX_PATTERNS)
      this.newPatterns.delete(fewestRun(this.newPatterns, this.now()).pattern);
    this.newPatterns.set(pattern, learned);
  }

  /**
   * `pattern`'s estimate has risen: the executions of it waiting for their first turn in the
   * long lane now expected at GIVEN_UP_FROM times what they said or more are valued again (what
   * they bring to the queue, which load shedding and `runsLate` read), and those of them that would
   * not be done in four fifths of their time left behind the work ahead are given up now (`NotYetBegun.giveUp`: 503 SERVER_OVERLOADED, at once). Let in
   * at a taught estimate, a burst of 300 waited in the lane, counted a tenth of what it held, and
   * most were answered only when their time had run out, not begun (red team 48, F1). A walk of
   * the long lane, when an estimate rises (not at every turn).
   */
  private recheck(pattern: string): void {
    if (this.long.live === 0) return;
    const now = this.now();
    let aheadMs = 0;
    for (const waiter of this.long.waiting()) {
      const notYetBegun = waiter.notYetBegun;
      const freshMs = notYetBegun?.pattern === pattern ? notYetBegun.remainingMs() : 0;
      // only a waiter now expected at GIVEN_UP_FROM times what it said when it came or more (an
      // estimate taught down, as red team 48's, was a tenth of the runs): judged at every rise of
      // twice, the waiters ahead summed from above, a third of an honest burst was given up that
      // would have been done in time (19-52 of 300 answered a burst, against 70-98), and valued
      // again at twice, the queue's work passed twice its bound, where everyone is refused: an
      // honest client's cheap query was, 41 times in a burst
      if (notYetBegun && freshMs >= GIVEN_UP_FROM * waiter.saidMs) {
        const moreMs = freshMs - waiter.workMs;
        waiter.workMs = freshMs;
        waiter.revaluedMs += moreMs;
        this.revaluedWork += moreMs;
        this.queuedWork += moreMs;
        this.byClient.get(waiter.client)!.workMs += moreMs;
        if (aheadMs + waiter.workMs > FINISH_WITHIN_SHARE * (notYetBegun.end - now)) {
          notYetBegun.giveUp();
          continue;
        }
      }
      aheadMs += waiter.workMs;
    }
  }

  /**
   * An operation of `pattern` priced `pricedMs` has run `ranMs` and is not done: if that is
   * RECHECKED_FROM times what its pattern is expected to run for the price or more, the pattern is
   * expected to run that much at least from now on (within MS_PER_PRICED_MS_BOUNDS), for the operations of it that wait and
   * those that come (deadline.ts reads it again at each turn). A burst of a pattern taught down
   * otherwise ran at the taught estimate until its first operations were done: each counted as
   * having run past its estimate, sent to the back of the long lane, and all of them shared the
   * loop until none was done in time (red team 48, F1: 300 of 300 ran out of time).
   */
  ranAtLeast(pattern: string, ranMs: number, pricedMs: number): void {
    if (
      pattern === UNKNOWN_PATTERN ||
      pricedMs < LEARNED_FROM_PRICED_MS ||
      ranMs < RECHECKED_FROM * this.expectedMs(pricedMs, pattern)
    )
      return;
    const ratio = Math.min(MS_PER_PRICED_MS_BOUNDS[1], ranMs / pricedMs);
    const learned = this.learnedOf(pattern);
    if (!learned) this.learn(pattern, ratio * pricedMs, pricedMs, false);
    else {
      // (past RECHECKED_FROM times its estimate now: a rise)
      learned.risen = ratio;
      learned.risenAt = this.now();
    }
    this.recheck(pattern);
  }

  /**
   * Resolves when the request (that has used the turn, or was told by `begin` to wait) may run
   * again; `workMs`: about how long it has still to run (default: a slice); `client`: who sent
   * it (src/server/share-client.ts), whose work it counts in.
   */
  wait(workMs = this.sliceMs, client = "", order?: number): Promise<void> {
    return this.enqueue(workMs, client, order).granted;
  }

  /**
   * `wait`, for a request that may withdraw while it waits (`Waiter.withdraw`). `order`: the
   * waiter goes in the long lane, before every waiter of a greater order (an execution's is when
   * it began: the oldest first); without one, in the short lane, after its client's waiters
   * there, its client's turn coming among the others' (work that will be done within a slice:
   * `ClientLane`).
   */
  enqueue(workMs = this.sliceMs, client = "", order?: number, notYetBegun?: NotYetBegun): Waiter {
    const lane = order === undefined ? this.short : this.long;
    const waiter: QueuedWaiter = {
      grant: NOTHING,
      workMs,
      saidMs: workMs,
      revaluedMs: 0,
      notYetBegun: order === undefined ? undefined : notYetBegun,
      client,
      gone: false,
      order,
      lane,
    };
    const granted = new Promise<void>((grant) => {
      waiter.grant = grant;
    });
    lane.add(waiter);
    this.queuedWork += workMs;
    const mine = this.byClient.get(client);
    if (mine) {
      mine.workMs += workMs;
      mine.waiters++;
    } else this.byClient.set(client, { workMs, waiters: 1 });
    if (!this.turnOpen) this.openTurn();
    this.handOn();
    const scheduler = this;
    // (a method, not an arrow function as a property's value: tsx names each of those with
    // Object.defineProperty whenever one is made, docs/performance.md)
    return {
      granted: granted.then(() => {
        this.handing = false;
      }),
      withdraw() {
        scheduler.withdraw(waiter);
      },
    };
  }

  /** `waiter` no longer waits (`Waiter.withdraw`). */
  private withdraw(waiter: QueuedWaiter): void {
    if (waiter.gone) return;
    waiter.gone = true;
    // its entry stays in the queue until its turn would come (handOn skips it then): it must
    // not hold the request's turn, nor what waits for that, meanwhile (a request closed while
    // it waited was kept until another came to wait: review 26, finding 1)
    waiter.grant = NOTHING;
    waiter.lane.live--;
    this.leaves(waiter);
  }

  /**
   * A turn begins now. It ends (and the next begins) once the loop has polled for I/O: a turn
   * opened by the turn before, in the loop's check phase, ends on the next check phase, after the
   * poll; one opened anywhere else (a request's first slice, in the I/O callback that brought
   * it) waits one check phase more, since the check phase that follows its poll phase comes
   * with no I/O between them. (Ended there, four pages of source texts arriving together were
   * written two per stretch: /health waited 100 ms, not 50.)
   */
  private openTurn(afterCheck = false): void {
    this.turnOpen = true;
    this.turnStart = this.now();
    this.grantedThisTurn = 0;
    this.grantedLong = false;
    this.defer(afterCheck ? () => this.endTurn() : () => this.defer(() => this.endTurn()));
  }

  /** The loop has come round (the I/O that waited was handled): a new turn for the waiters. */
  private endTurn(): void {
    const now = this.now();
    // the turn that ends accepted a connection (more may wait: `accepted`), within the bound:
    // the next is given to accepts too, and runs no work
    const toAccepts = this.givenToAccepts(now);
    if (!toAccepts) this.acceptsSince = undefined;
    if (this.grantedThisTurn > 0) this.longFirst = !this.grantedLong && this.long.live > 0;
    this.turnEndedAt = now;
    this.turnOpen = false;
    this.handing = false;
    if (this.queued === 0 && !toAccepts) return;
    this.openTurn(true);
    if (toAccepts) return;
    this.turns++;
    this.handOn();
  }

  /**
   * Lets the next waiter run if the turn has time left and nobody else was just let go: when both
   * lanes wait, the short lane's, unless the turn begins and the long lane's turn has come
   * (`longFirst`).
   */
  private handOn(): void {
    if (this.handing || this.queued === 0 || this.turnUsed(this.now())) return;
    const { short, long } = this;
    const lane =
      long.live === 0 || (short.live > 0 && !(this.longFirst && this.grantedThisTurn === 0))
        ? short
        : long;
    const next = lane.take();
    lane.live--;
    this.grantedThisTurn++;
    if (lane === long) this.grantedLong = true;
    next.gone = true;
    this.leaves(next);
    this.handing = true;
    next.grant();
  }

  /** What is left of a waiter let go or withdrawn leaves the queue's work (never below 0: float sums). */
  private leaves(waiter: QueuedWaiter): void {
    this.queuedWork = this.queued === 0 ? 0 : Math.max(0, this.queuedWork - waiter.workMs);
    // (as the queue's work: 0 once nobody waits, whatever the float sums left)
    this.revaluedWork = this.queued === 0 ? 0 : Math.max(0, this.revaluedWork - waiter.revaluedMs);
    const mine = this.byClient.get(waiter.client)!;
    if (--mine.waiters === 0) this.byClient.delete(waiter.client);
    else mine.workMs = Math.max(0, mine.workMs - waiter.workMs);
  }
}

/** The process's schedulers, one per slice length (a process serves with one; tests vary it). */
const schedulers = new Map<number, SliceScheduler>();

/**
 * The scheduler of the process's event loop for slices of `sliceMs`: every server of the process
 * with that slice shares it, as they share the loop.
 */
export function sliceScheduler(sliceMs: number): SliceScheduler {
  let scheduler = schedulers.get(sliceMs);
  if (!scheduler) schedulers.set(sliceMs, (scheduler = new SliceScheduler({ sliceMs })));
  return scheduler;
}

/** Every scheduler of the process so far (the suite checks that each file leaves them settled). */
export function processSchedulers(): IterableIterator<SliceScheduler> {
  return schedulers.values();
}
