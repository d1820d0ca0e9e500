/**
 * The log line of a stop during start-up, written at once to stdout: by the preload that handles
 * the stop signals from the process's first moment (start-signals.mjs, plain JavaScript before
 * tsx) and by the handler that takes its place (start-stop.ts). One line for both, so that a
 * supervisor reads the same fields whichever caught the signal.
 */
import { writeSync } from "node:fs";

/**
 * Writes `{"msg":"stopped during start-up","signal":...,"during":...}` (info) to stdout, or
 * nothing if stdout is gone.
 * @param {NodeJS.Signals} signal
 * @param {string} during what the start was doing
 */
export function writeStopLine(signal, during) {
  const line = {
    time: new Date().toISOString(),
    level: "info",
    msg: "stopped during start-up",
    signal,
    during,
    pid: process.pid,
    uptimeMs: Math.round(process.uptime() * 1000),
  };
  try {
    writeSync(1, `${JSON.stringify(line)}\n`);
  } catch {
    // stdout gone: nowhere to say it
  }
}
