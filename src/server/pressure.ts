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
 * late as the loop would have been: `queueWaitMs` (the scheduler's queue times its slice) counts
 * as a delay too, read at each request, so that a burst is refused as it arrives, once the queue
 * holds more than the limit's worth of slices, before anything has stalled.
 */
import { type IntervalHistogram, monitorEventLoopDelay, performance } from "node:perf_hooks";

export interface PressureOptions {
  /** Shed new requests while the event loop is this late, in ms; 0 turns shedding off. */
  maxEventLoopDelayMs: number;
  /** How often the delay is sampled, in ms. */
  sampleIntervalMs?: number;
  /** How long a request beginning now would wait for its turn to execute, in ms (read live). */
  queueWaitMs?: () => number;
}

/** Resolution of the delay histogram: the period of the timer whose lateness it records, in ms. */
const RESOLUTION_MS = 10;

export class PressureMonitor {
  /** The event loop's delay at the last sample, in ms. */
  sampledDelayMs = 0;
  /** Whether the monitor last told `onChange` it was overloaded. */
  private told = false;
  readonly maxEventLoopDelayMs: number;
  private readonly queueWaitMs: () => number;
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
    this.queueWaitMs = options.queueWaitMs ?? (() => 0);
    this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.histogram.enable();
    this.timer = setInterval(() => this.sample(), this.sampleIntervalMs).unref();
  }

  /**
   * How late the event loop is for a new request, in ms: its lag at the last sample, or the wait
   * for a turn to execute in the scheduler's queue now, whichever is longer.
   */
  get delayMs(): number {
    return Math.max(this.sampledDelayMs, Math.round(this.queueWaitMs()));
  }

  /** Whether new requests are refused (the delay is over the limit). */
  get overloaded(): boolean {
    return this.maxEventLoopDelayMs > 0 && this.delayMs > this.maxEventLoopDelayMs;
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
    this.sampledDelayMs = Math.round(Math.max(late, mean));
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
