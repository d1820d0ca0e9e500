/**
 * The code of the error a reload's load ends with when the primary stopped it at its bound
 * (`KZ_OSCE_RELOAD_TIMEOUT_MS`; cluster.ts, `sharedLoads`): a worker's reload reports it as its
 * own time-out (reload.ts), the watch failed, and not as any failed load, after which /ready says
 * "ok". A module of its own, so that reload.ts need not import cluster.ts (and with it
 * prom-client's aggregator, in a single process too) for a string.
 */
export const RELOAD_TIMED_OUT = "RELOAD_TIMED_OUT";

/**
 * What a load of the dataset stopped at its bound says: `what` did not finish within the bound,
 * and `stopped` what was stopped ("it", "its load"). One sentence for a reload's (reload.ts), the
 * primary's shared load (cluster.ts) and a recovery's (main.ts).
 */
export function outOfTimeMessage(what: string, timeoutMs: number, stopped = "it"): string {
  return `${what} did not finish within ${timeoutMs} ms (KZ_OSCE_RELOAD_TIMEOUT_MS): ${stopped} was stopped`;
}

/**
 * `signal` bounded by `timeoutMs`: aborted when `signal` is, or once `timeoutMs` have passed
 * (`ranOut()` then says so). `clear()` ends the bound's timer, once the work it bounds is done.
 * The bound of a reload's load (reload.ts), of the primary's shared load (cluster.ts) and of a
 * recovery's (main.ts).
 *
 * Not `AbortSignal.timeout(timeoutMs)` combined with `signal` by `AbortSignal.any`: in Node 20 the
 * timeout signal inside it is held weakly, and a garbage collection before it fires loses it for good
 * (nodejs/node#57736), the composite signal held or not. A recovery's load so bounded, wedged,
 * was never stopped once a full collection came within its 8 s (snapshot-recovery.test's cases
 * waited out their 120 s in one CI run of three). A controller its own timer holds is kept.
 */
export function withinBound(
  signal: AbortSignal,
  timeoutMs: number,
): { signal: AbortSignal; ranOut(): boolean; clear(): void } {
  const outOfTime = new AbortController();
  const timer = setTimeout(() => outOfTime.abort(), timeoutMs);
  return {
    signal: AbortSignal.any([signal, outOfTime.signal]),
    ranOut: () => outOfTime.signal.aborted,
    clear: () => clearTimeout(timer),
  };
}
