/**
 * What the server does on a signal: stop gracefully, or ignore one whose default would harm it.
 */
import inspector from "node:inspector";

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

/**
 * SIGUSR1 ignored, with `listener` told, unless Node's inspector is already open (`--inspect`).
 * Node's default opens its inspector on 127.0.0.1:9229, which asks for nothing: any process of
 * the host could then run code in the server (red team 41). A listener of its own is what stops
 * that on Node 20 (`--disable-sigusr1` came in 22.14). logrotate's habit of sending SIGUSR1 to
 * reopen logs asks nothing of this server: it writes to stdout.
 */
export function ignoreInspectorSignal(listener: (count: number) => void): void {
  if (inspector.url() !== undefined) return;
  process.on("SIGUSR1", atMostEvery(SIGNAL_SAID_EVERY_MS, listener));
}

/** How often an ignored signal is said at most: a sender in a loop made 450 log lines a second (review 42). */
export const SIGNAL_SAID_EVERY_MS = 60_000;

/**
 * `listener`, called on the first call and then at most once every `everyMs`, with how many calls
 * it stands for (this one and those passed over since the last said); calls passed over are said
 * at the end of their period, though none comes after (review 43). On a monotonic clock: a wall
 * clock set back would have silenced it until it caught up. `now` for the tests.
 */
export function atMostEvery(
  everyMs: number,
  listener: (count: number) => void,
  now: () => number = () => performance.now(),
): () => void {
  let saidAt: number | undefined;
  let count = 0;
  let later: NodeJS.Timeout | undefined;
  const say = () => {
    saidAt = now();
    const said = count;
    count = 0;
    listener(said);
  };
  return () => {
    count++;
    const at = now();
    if (saidAt !== undefined && at - saidAt < everyMs) {
      if (later === undefined)
        later = setTimeout(
          () => {
            later = undefined;
            if (count > 0) say();
          },
          everyMs - (at - saidAt),
        ).unref();
      return;
    }
    say();
  };
}
