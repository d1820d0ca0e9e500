/**
 * A stop signal (SIGTERM, SIGINT, SIGHUP: signals.ts) during a start, before the server's own
 * handlers are installed: the process ends at once, exit code 0 as a stop does later, with one
 * log line saying that it stopped during start-up and what it was doing, and without the
 * temporary files of its own it made for the start. Without a handler, Node's default ended it
 * by the signal (143 for SIGTERM) with nothing logged, and a signal during a full load's write of
 * the snapshot left its temporary file, hundreds of MB at a million entities, for a later write
 * to remove an hour on (red team 44, N2): one more at each start a supervisor gave up on.
 *
 * Installed when this module is evaluated: main.ts imports it before anything else, so that only
 * node's own start and the compilation of main's first imports run without it; `npm start` has a
 * handler from the process's first moment (start-signals.mjs), whose place this one takes. A
 * handler of JavaScript runs between turns of the event loop: a signal during a synchronous step
 * of the start is acted on once that step ends. A JSON dataset's full load (its validation, its
 * indexes, the snapshot's write: tens of seconds each at a million entities) is therefore a child
 * process's, which a stop kills at once (start-in-child.ts; a `--workers` primary's, main.ts);
 * one in this thread (a snapshot written nowhere) yields between its steps (load.ts). A snapshot's temporary files are made and renamed (or removed) within one
 * synchronous write, so none is left: a write under way when the signal came is finished first.
 */
import { offStopSignals, onStopSignals } from "./signals.js";
import { writeStopLine } from "./stop-line.mjs";

/** What the start is doing, said by the line (`during`). */
let doing = "starting: loading the server's modules";
/** Whether the line is written: the log's level is info or debug (config.ts reads it so, later). */
let says = !["warn", "error", "silent"].includes(process.env.KZ_OSCE_LOG_LEVEL ?? "");
/** Removals of temporary files and directories the start made and has not yet removed. */
const cleanups = new Set<() => void>();
let installed = false;

/** Sets what the start is doing from now on, for the line of a stop. */
export function startingTo(what: string): void {
  doing = what;
}

/** Whether the line of a stop during start-up is written: the config's log level is info or debug. */
export function sayStopDuringStart(on: boolean): void {
  says = on;
}

/**
 * `cleanup` run as the process exits, should a stop signal come before the start is over; the
 * returned function takes it back (the start removed what it stood for itself).
 */
export function onStopDuringStart(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/**
 * Ends the process for `signal` during the start: the temporaries removed and the line written
 * as it exits (after the log's lines still gathered, which are written then too: log.ts), exit
 * code 0. For main.ts too, where it handled the signal itself first (a cluster's primary stops
 * its load's child process, then ends this way).
 */
export function stopDuringStart(signal: NodeJS.Signals): never {
  // its listener kept: a second signal while the exit removes the temporaries (a snapshot's
  // directory, seconds at a million entities) would otherwise find none, and end the process by
  // Node's default, the directory half removed
  process.once("exit", () => {
    for (const cleanup of cleanups)
      try {
        cleanup();
      } catch {
        // best effort: the process must still end
      }
    if (says) writeStopLine(signal, doing);
  });
  process.exit(0);
}

/** The stop signals handled as a stop during start-up (the default at this module's import). */
export function handleStopsDuringStart(): void {
  if (installed) return;
  installed = true;
  onStopSignals(stopDuringStart);
}

/**
 * The stop signals no longer handled here: the server's own handlers take them, installed before
 * this, in the same turn. Not after: with no listener left for a moment, Node closes the signal's
 * watcher, and a signal it had caught and not yet told is lost (red team 46, F3).
 */
export function stopsDuringStartHandedOver(): void {
  if (!installed) return;
  installed = false;
  offStopSignals(stopDuringStart);
}

/**
 * The stop signals handled by `listener` from now on, rather than as a stop during start-up: it
 * is installed first, then this module's taken off, in this turn (stopsDuringStartHandedOver).
 */
export function handStopsTo(listener: (signal: NodeJS.Signals) => void): void {
  onStopSignals(listener);
  stopsDuringStartHandedOver();
}

// in place of the preload's listener, when there is one (start-signals.mjs), in the same turn
const preloaded = (globalThis as Record<symbol, unknown>)[
  Symbol.for("kz-osce-graph.stopDuringStart")
];
// (this module's first, then the preload's off: with no listener between the two, Node closes the
// signal's watcher, and a signal it had caught and not yet told was lost, the start going on to
// serve: red team 46, F3, 2 of about 120 signals)
handleStopsDuringStart();
if (typeof preloaded === "function") offStopSignals(preloaded as (signal: NodeJS.Signals) => void);
