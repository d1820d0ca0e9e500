/**
 * The signals that stop the server gracefully (its requests in flight finished, its temporary
 * files removed, its stop logged): SIGTERM (a supervisor's), SIGINT (Ctrl-C) and SIGHUP (the
 * terminal it was started from closed, or an operator's habit of asking a daemon to reload).
 * Node's default for SIGHUP ended the process at once: requests in flight reset, nothing logged,
 * and with `--workers` the primary, every worker and a reload's child gone (red team 41).
 */
export const STOP_SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP"] as const satisfies NodeJS.Signals[];

/** `listener` on every stop signal. */
export function onStopSignals(listener: (signal: NodeJS.Signals) => void): void {
  for (const signal of STOP_SIGNALS) process.on(signal, listener);
}

/** `listener` off every stop signal. */
export function offStopSignals(listener: (signal: NodeJS.Signals) => void): void {
  for (const signal of STOP_SIGNALS) process.off(signal, listener);
}
