/**
 * The code of the error a reload's load ends with when the primary stopped it at its bound
 * (`KZ_OSCE_RELOAD_TIMEOUT_MS`; cluster.ts, `sharedLoads`): a worker's reload reports it as its
 * own time-out (reload.ts), the watch failed, and not as any failed load, after which /ready says
 * "ok". A module of its own, so that reload.ts need not import cluster.ts (and with it
 * prom-client's aggregator, in a single process too) for a string.
 */
export const RELOAD_TIMED_OUT = "RELOAD_TIMED_OUT";
