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
 */
import { type IntervalHistogram, monitorEventLoopDelay, performance } from "node:perf_hooks";

export interface PressureOptions {
  /** Shed new requests while the event loop is this late, in ms; 0 turns shedding off. */
  maxEventLoopDelayMs: number;
  /** How often the delay is sampled, in ms. */
  sampleIntervalMs?: number;
  /** The scheduler's queue of executions (src/graph/scheduler.ts): shed while it holds more than `maxWaitMs` of work. */
  queue?: { waitMs: () => number; maxWaitMs: number };
}

/** Resolution of the delay histogram: the period of the timer whose lateness it records, in ms. */
const RESOLUTION_MS = 10;

export class PressureMonitor {
  /** The event loop's delay at the last sample, in ms. */
  delayMs = 0;
  /** Whether the monitor last told `onChange` it was overloaded. */
  private told = false;
  readonly maxEventLoopDelayMs: number;
  private readonly queue: { waitMs: () => number; maxWaitMs: number };
  readonly sampleIntervalMs: number;
  private readonly histogram: IntervalHistogram;
  private readonly timer: NodeJS.Timeout;
  private last = performance.now();

  constructor(
    options: PressureOptions,
    private readonly onChange?: (overloaded: boolean, delayMs: number) => void,
  ) {
    this.maxEventLoopDelayMs = options.maxEventLoopDelayMs;
    this.sampleIntervalMs = options.sampleIntervalMs ?? 500;
    this.queue = options.queue ?? { waitMs: () => 0, maxWaitMs: Number.POSITIVE_INFINITY };
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
      this.onChange?.(overloaded, this.delayMs);
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}
