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
