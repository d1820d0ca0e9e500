/**
 * Load shedding: whether the event loop lags so far behind that a new request should be refused
 * at once (503 with Retry-After) rather than queued behind the others. Measured the way
 * `@fastify/under-pressure` measures it: `perf_hooks.monitorEventLoopDelay` (the mean delay of a
 * timer that should run every 10 ms, minus those 10 ms) sampled on an interval, and, unlike it,
 * the lateness of the sampling timer itself, which a single long block of the loop shows in full
 * where the mean of many short delays would dilute it. The state changes only at a sample, so a
 * request costs one property read.
 *
 * A sample is taken in the timers phase of the event loop, before the poll phase reads the
 * requests that arrived meanwhile: after the loop has been held for longer than the limit, the
 * requests that queued up during it are refused, and the server catches up.
 *
 * That lag only shows after the loop has been held. The requests that execute take their turns
 * of the loop through one scheduler (src/graph/scheduler.ts), and a request waiting there is as
 * late as the loop would have been. So the monitor is also told the work waiting in the
 * scheduler's queue (`queue.waitMs`: what its waiters have left to run, each by its price under
 * the cost limit), read live at each request, and sheds once it is more than the loop can get
 * through well within a request's execution time limit (`queue.maxWaitMs`, half of it): a burst
 * is refused as it arrives, before anything stalls, and before the requests admitted share the
 * loop so thinly that they all run out of time together.
 *
 * Refused by share: while the queue is over that bound, a request is refused only if its client
 * (the connection's address, an IPv6 one by its /64: share-client.ts) has at least an equal share
 * of the queued work waiting (the work divided among the clients that have some), and everyone's
 * once the queue holds twice the bound (not counting the work added to operations already let in,
 * valued again as their pattern ran longer than expected: `revaluedMs`); a client that had an operation refused
 * lately as it was about to execute, for it would have run out of time (scheduler.ts `runsLate`),
 * is refused too while it has work waiting, before its request is read (`refusedLately`), and
 * that operation counts as the client's work waiting for the memory's while, by share, on the
 * connection that brought it (`shed`'s `owedMs`: scheduler.ts `owe`).
 * Refused alike, one client looping uncached person scans
 * on 50 connections kept the queue over the bound and an honest client's cheap query got 503 in
 * 11-32% of its tries (red team 9, finding 3); now that client is refused and the honest one,
 * with nothing waiting, let in. The queue stays bounded: the client with the most work waiting
 * holds at least the mean, so it is always refused; a client is let in only while it holds less
 * than the mean, each time adding one request's price (at most the cost limit's); and past twice
 * the bound, the execution time limit itself, nobody is. (As before, what was let in adds its
 * work only once it executes, after its body is read: a burst arriving together is let in
 * together.) Behind a proxy every request has its address, one client: the rule is then the
 * bound's alone, as it was. A late event loop is late for everyone: it refuses every request.
 */
import { type IntervalHistogram, monitorEventLoopDelay, performance } from "node:perf_hooks";

export interface PressureOptions {
  /** Shed new requests while the event loop is this late, in ms; 0 turns shedding off. */
  maxEventLoopDelayMs: number;
  /** How often the delay is sampled, in ms. */
  sampleIntervalMs?: number;
  /** The scheduler's queue of executions (src/graph/scheduler.ts): shed while it holds more than `maxWaitMs` of work. */
  queue?: Queue;
}

/** What load shedding reads of the scheduler's queue (src/graph/scheduler.ts). */
export interface Queue {
  /** The work waiting, in ms. */
  waitMs: () => number;
  /** Past this (ms), requests are refused by share; past twice this, all of them. */
  maxWaitMs: number;
  /** The work `client`'s requests have waiting, in ms (default: all of it, one client). */
  clientWaitMs?: (client: string) => number;
  /** How many clients have work waiting (default 1). */
  clientsWaiting?: () => number;
  /**
   * Whether an operation of `client`'s was refused lately as it was about to execute, for it
   * would have run out of time behind the work waiting (scheduler.ts `refusedLately`; default
   * never): refused while the queue is over its bound and it has work waiting, whatever its share.
   */
  refusedLately?: (client: string) => boolean;
  /**
   * The part of `waitMs` that was added to requests already let in, valued again as their
   * pattern ran longer than expected (scheduler.ts `revaluedMs`; default none): it does not make
   * everyone refused at twice the bound, only the clients with their share of the work.
   */
  revaluedMs?: () => number;
}

/**
 * Why a new request is refused: the event loop is late, the queue is full and the request's
 * client holds its share of it (or the queue holds twice its bound, or the client had an operation
 * refused lately as it was about to execute), or (undefined) it is not.
 */
export interface Shed {
  reason: "lagging" | "queue";
  /** The queue's work, and the client's part of it, in ms; how many clients have work waiting. */
  waitMs: number;
  clientWaitMs: number;
  clients: number;
  /** Refused whoever sends it: the loop lags, or the queue holds twice its bound, not counting `revaluedMs`. */
  everyone: boolean;
}

/**
 * What the monitor found at the sample that changed its state: why it is overloaded (the loop is
 * late, or the queue holds more than its bound: `reason`, meaningful while overloaded), the loop's
 * delay, and the queue's work against its bound, in ms.
 */
export interface PressureState {
  reason: Shed["reason"];
  delayMs: number;
  queueWaitMs: number;
  queueLimitMs: number;
}

/** Resolution of the delay histogram: the period of the timer whose lateness it records, in ms. */
const RESOLUTION_MS = 10;

export class PressureMonitor {
  /** The event loop's delay at the last sample, in ms. */
  delayMs = 0;
  /** Whether the monitor last told `onChange` it was overloaded. */
  private told = false;
  readonly maxEventLoopDelayMs: number;
  private readonly queue: Required<Queue>;
  readonly sampleIntervalMs: number;
  private readonly histogram: IntervalHistogram;
  private readonly timer: NodeJS.Timeout;
  private last = performance.now();

  constructor(
    options: PressureOptions,
    private readonly onChange?: (overloaded: boolean, state: PressureState) => void,
  ) {
    this.maxEventLoopDelayMs = options.maxEventLoopDelayMs;
    this.sampleIntervalMs = options.sampleIntervalMs ?? 500;
    const queue = options.queue ?? { waitMs: () => 0, maxWaitMs: Number.POSITIVE_INFINITY };
    this.queue = {
      clientWaitMs: () => queue.waitMs(),
      clientsWaiting: () => 1,
      refusedLately: () => false,
      revaluedMs: () => 0,
      ...queue,
    };
    this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.histogram.enable();
    this.timer = setInterval(() => this.sample(), this.sampleIntervalMs).unref();
  }

  /** The most work the scheduler's queue may hold before requests are refused, in ms. */
  get queueLimitMs(): number {
    return this.queue.maxWaitMs;
  }

  /** The work waiting in the scheduler's queue now, in ms. */
  get queueWaitMs(): number {
    return Math.round(this.queue.waitMs());
  }

  /** Whether the event loop lagged past the limit at the last sample. */
  get lagging(): boolean {
    return this.maxEventLoopDelayMs > 0 && this.delayMs > this.maxEventLoopDelayMs;
  }

  /** Whether the scheduler's queue holds more work than it may now (the wait is over its limit). */
  get queueFull(): boolean {
    return this.maxEventLoopDelayMs > 0 && this.queue.waitMs() > this.queue.maxWaitMs;
  }

  /** Whether new requests are refused: the loop lags, or too much work waits for it. */
  get overloaded(): boolean {
    return this.lagging || this.queueFull;
  }

  /**
   * Whether a new request from `client` (share-client.ts) is refused, and why: the loop lags; or
   * the queue is over its bound and the client has at least its share of the work waiting (the
   * work divided among the clients with some), or it had an operation refused lately as it was
   * about to execute, or the queue holds twice its bound. Undefined: let
   * it in. Reads the queue only while it is over its bound.
   */
  shed(client: string, owedMs = 0): Shed | undefined {
    if (this.lagging)
      return { reason: "lagging", waitMs: 0, clientWaitMs: 0, clients: 0, everyone: true };
    if (!this.queueFull) return undefined;
    const waitMs = this.queue.waitMs();
    const clientWaitMs = this.queue.clientWaitMs(client);
    const clients = this.queue.clientsWaiting();
    // an operation refused lately as it was about to execute, on the connection this request
    // came on (`owedMs`: scheduler.ts `owe`), counts as the client's work waiting: one that sends a
    // request at a time has none waiting when its next comes, which was read and refused again, a
    // thousand a second from 150 addresses (red team 47, F2). Counted so, it is refused before it
    // is read while that holds its share, as a client with the work waiting would be; one with
    // less than its share is let in, as ever, and so is another connection of its address (a NAT
    // neighbour: red team 48, F2)
    const mine = clientWaitMs + owedMs;
    const among = clients + (clientWaitMs === 0 && owedMs > 0 ? 1 : 0);
    // the two are sums of the same floats taken in other orders: a client alone holds the whole
    // queue within a microsecond
    const share = mine > 0 && mine * among + 0.001 >= waitMs + owedMs;
    // refused lately as it was about to execute: while it has work of its own waiting (a burst's
    // requests wait to be read, each counted as its client's), not an address that has none
    // (everyone behind one NAT was refused for a second, cheap queries too: review 47, F4)
    const lately = clientWaitMs > 0 && this.queue.refusedLately(client);
    // (twice the bound: at four fifths of the execution time limit for a while, an honest client's
    // cheap query beside 150 addresses looping filter scans was refused in 50 of 83 tries, where
    // at twice the bound all 50 were answered within 0.4 s: it passes the long lane, red team 47.
    // Not counting what was added to requests already let in as their pattern ran longer than
    // expected (`revaluedMs`): that is the work of the clients that sent them, who hold their
    // share of it; counted, a burst of a pattern taught down had the queue pass twice its bound
    // when it was valued again, and an honest client's cheap queries were refused beside it, 26-72
    // in a burst: red team 49, F4)
    const everyone = waitMs - this.queue.revaluedMs() > 2 * this.queue.maxWaitMs;
    if (share || everyone || lately)
      return { reason: "queue", waitMs, clientWaitMs, clients, everyone };
    return undefined;
  }

  /** Seconds a refused client should wait before it tries again. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((2 * this.sampleIntervalMs) / 1000));
  }

  private sample(): void {
    const now = performance.now();
    const late = Math.max(0, now - this.last - this.sampleIntervalMs);
    this.last = now;
    const mean =
      this.histogram.count > 0 ? Math.max(0, this.histogram.mean / 1e6 - RESOLUTION_MS) : 0;
    this.histogram.reset();
    this.delayMs = Math.round(Math.max(late, mean));
    // told at a sample, so that a queue that fills and drains within one is not logged each time
    const overloaded = this.overloaded;
    if (overloaded !== this.told) {
      this.told = overloaded;
      this.onChange?.(overloaded, {
        reason: this.lagging ? "lagging" : "queue",
        delayMs: this.delayMs,
        queueWaitMs: this.queueWaitMs,
        queueLimitMs: this.queueLimitMs,
      });
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}
