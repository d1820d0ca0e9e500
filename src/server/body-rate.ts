/**
 * A floor under the rate at which a request body arrives (`KZ_OSCE_MIN_BODY_RATE`, 240 bytes/s,
 * after `KZ_OSCE_MIN_BODY_RATE_GRACE_MS`, 5 s), as Kestrel's MinRequestBodyDataRate: once the
 * grace has passed since the body was asked for, a body whose average rate since then is under
 * the floor is refused, 408 `BODY_TOO_SLOW`, and its connection closed. An average since the
 * start, not over a window: an honest upload that stalls for a few seconds after sending fast is
 * not refused (review 3: a window of a grace, a leaky bucket, refused 500 KB sent in 5 s then
 * paused 6 s). A body that sends much at once and then drips stays above the average until
 * the request timeout, but it is not in progress, and at the connection cap it is evicted for a
 * newcomer (connections.ts: slower than the floor since it was last looked at; red team 8: 50
 * such held every place of 50, 96 of 96 other queries refused). The request timeout
 * (30 s) alone let a body of a byte every 900 ms hold its connection, and its place under the
 * connection cap, for the whole 30 s: the cap's eviction (connections.ts, step 2) takes only a
 * body of which nothing has come for a second, and a few hundred such drips held every place,
 * renewed as they were cut (red team 5).
 *
 * The clock starts when body.ts begins to read the body: in the request's handler, run in the
 * turn its headers were parsed, and after `100 Continue` was written to a client that asked for
 * it (app.ts's `checkContinue` writes it before the request goes on, as Node does when none is
 * set; a body declared over the limit gets none, and is refused before it is watched), so a
 * client waiting for the 100 loses none of its grace. But for a request
 * pipelined behind another, Node holds the 100 back until the answers before it are sent: a
 * client that asked for it is judged from its first byte (see `watch`). A sweep the server held
 * up (a long turn) judges no body and counts the delay against none (see `sweep`).
 *
 * Checked by one interval per server, running while bodies are being read, that looks at
 * every body in flight: no timer per request (as Node checks its own request timeout, with
 * `connectionsCheckingInterval`). A check on each chunk alone would never see the body that
 * sends nothing after its headers, so the sweep is needed anyway, and it sees the others too;
 * a body is refused at most an interval (a fifth of the grace, at most a second) after it fell
 * under the floor. A sweep over 1,000 bodies is a loop over a Map: nothing beside a request.
 *
 * Time the server itself is not reading is not held against the client, up to a grace's worth:
 * while Node has paused the connection (a pipelined client not taking its answers: Node stops
 * reading it until they are taken, http's own backpressure), that time is not counted, as
 * Kestrel counts only the time its application is waiting for the body. Past a grace of it the
 * body is judged as any other: the pause is the client's own doing (red team 7, in `sweep`).
 */
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { Config } from "./config.js";
import { cutBy } from "./server-cuts.js";

/** The floor's settings (Config says what each is). */
export type BodyRateSettings = Pick<Config, "minBodyRate" | "minBodyRateGraceMs">;

/** What a body too slow had sent when refused, for the log and the client's message. */
export interface TooSlow {
  bytes: number;
  ms: number;
}

interface Reading {
  /** When the body was asked for, moved on by the time not held against it (ms, performance.now). */
  since: number;
  /** The last sweep that looked at it. */
  lastLook: number;
  /** The time its connection was paused that was not held against it (at most the grace). */
  credited: number;
  /** Bytes of it come since then. */
  bytes: number;
  refuse: (slow: TooSlow) => void;
}

/** A body being read, as `BodyRates.watch` gives it: told of each chunk, and of its end. */
export interface WatchedBody {
  grew(bytes: number): void;
  end(): void;
}

const UNWATCHED: WatchedBody = { grew() {}, end() {} };

export class BodyRates {
  private readonly reading = new Map<IncomingMessage, Reading>();
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;
  /** When the last sweep ran (ms, performance.now): a late one was held up by the server. */
  private lastSweep = 0;

  constructor(
    private readonly settings: BodyRateSettings,
    /** Told of each body refused (the metric and the log line). */
    private readonly onTooSlow: (req: IncomingMessage, slow: TooSlow) => void = () => {},
  ) {
    this.intervalMs = Math.max(10, Math.min(1000, Math.floor(settings.minBodyRateGraceMs / 5)));
  }

  /**
   * Watch `req`'s body from now: `refuse` is called, once, if it comes too slowly, and the body
   * is no longer watched then (nor once `end` is called).
   */
  watch(req: IncomingMessage, refuse: (slow: TooSlow) => void): WatchedBody {
    if (this.settings.minBodyRate === 0) return UNWATCHED;
    // a client that waits for "100 Continue" is judged from its first byte: for a request
    // pipelined behind another, Node holds the 100 back until the answers before it are sent
    // (minutes behind an export), and the client honestly sends nothing until then (the review
    // of 5 December: refused after 547 ms, its 100 sent after 19 s). One that then sends nothing
    // is left to the request timeout, and to the connection cap's eviction of a body that stopped
    const waitsForContinue = /100-continue/i.test(String(req.headers.expect ?? ""));
    const start = performance.now();
    const reading: Reading = { since: start, lastLook: start, credited: 0, bytes: 0, refuse };
    if (!waitsForContinue) this.watchFromNow(req, reading);
    const rates = this;
    // methods, not functions assigned to names: tsx names each of those with
    // Object.defineProperty whenever one is made, a few µs of every request (docs/performance.md)
    return {
      grew(bytes) {
        if (waitsForContinue && reading.bytes === 0 && !rates.reading.has(req)) {
          reading.since = reading.lastLook = performance.now();
          rates.watchFromNow(req, reading);
        }
        reading.bytes += bytes;
      },
      end() {
        rates.reading.delete(req);
      },
    };
  }

  /** `req`'s body is watched from now, the sweep started if it was not. */
  private watchFromNow(req: IncomingMessage, reading: Reading): void {
    this.reading.set(req, reading);
    if (!this.timer) {
      this.lastSweep = performance.now();
      this.timer = setInterval(() => this.sweep(), this.intervalMs).unref();
    }
  }

  /** The message a client gets for a body too slow: the floor, what it sent, and what to do. */
  message(slow: TooSlow): string {
    const { minBodyRate, minBodyRateGraceMs } = this.settings;
    const rate = Math.floor((slow.bytes * 1000) / slow.ms);
    return `The request body came too slowly: ${slow.bytes} bytes in ${slow.ms} ms (${rate} bytes/s), under the server's floor of ${minBodyRate} bytes/s once ${minBodyRateGraceMs} ms have passed. Send the body with its headers, or at least ${minBodyRate} bytes a second.`;
  }

  /** Refuse every body past its grace whose average rate is under the floor. */
  private sweep(): void {
    // stopped by the sweep that finds nothing to watch, not at each body's end: a body of one
    // packet, the most common, is watched for a few µs, and would start and stop it every time
    if (this.reading.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    const { minBodyRate, minBodyRateGraceMs } = this.settings;
    const now = performance.now();
    // a sweep held up by the server (a long turn: Node runs timers before it reads sockets, so
    // bytes that came meanwhile are still unread) counts the delay against no one, and judges
    // no body this time: the bytes are read first (the review of 5 December: a body sent 20 ms
    // after its headers, in a 1 s turn, was refused "0 bytes in 1024 ms"), as Kestrel takes an
    // overly long tick for the server's starvation
    const late = now - this.lastSweep - this.intervalMs;
    this.lastSweep = now;
    if (late > this.intervalMs) {
      for (const reading of this.reading.values()) {
        reading.since += late;
        reading.lastLook = now;
      }
      return;
    }
    for (const [req, reading] of this.reading) {
      const looked = now - reading.lastLook;
      reading.lastLook = now;
      if (req.socket?.isPaused() && reading.credited < minBodyRateGraceMs) {
        // Node is not reading it (pipelined answers not taken): that time is not held against
        // the body, up to a grace's worth. Unbounded, a client pausing its own connection (a big
        // answer not read, then a pipelined POST with no body) held its place past the floor
        // for the minute the unsent guard takes, and could not be evicted (red team 7: 50 such
        // connections refused every other client at a cap of 50)
        const credit = Math.min(looked, minBodyRateGraceMs - reading.credited);
        reading.since += credit;
        reading.credited += credit;
        continue;
      }
      const ms = now - reading.since;
      if (ms < minBodyRateGraceMs || reading.bytes * 1000 >= minBodyRate * ms) continue;
      this.reading.delete(req);
      const slow = { bytes: reading.bytes, ms: Math.round(ms) };
      this.onTooSlow(req, slow);
      reading.refuse(slow);
      // on a connection still paused, the refusal waits behind answers its client does not take,
      // and the connection with it: it goes now (red team 7's repro, re-run: every body refused
      // at 5-10 s, and every place still held until the unsent guard's cut)
      if (req.socket?.isPaused()) cutBy(req.socket as Socket, "body-too-slow");
    }
  }
}
