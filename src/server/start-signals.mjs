/**
 * A stop signal (SIGTERM, SIGINT, SIGHUP) handled from the process's first moment: `node --import
 * ./src/server/start-signals.mjs ...` (`npm start`, `npm run dev`, and so each cluster worker,
 * which runs with the same execArgv). main.ts's handler of a stop during the start
 * (start-stop.ts) is installed only once tsx has compiled main's first modules, 0.3-0.6 s into a
 * start, during which Node's default ended the process by the signal (143 for SIGTERM) with
 * nothing said (red team 44, N2). This one ends it as that one does: exit code 0, and one line
 * saying it stopped during start-up; it has made nothing to remove yet. start-stop.ts takes its
 * place (the listener is found under STOP_DURING_START). Plain JavaScript, before tsx: nothing
 * compiles it. What it cannot cover is Node's own bootstrap, before the preload runs.
 */
import { writeStopLine } from "./stop-line.mjs";

const STOP_DURING_START = Symbol.for("kz-osce-graph.stopDuringStart");
/** The log's level as main.ts reads it (config.ts): the line is at info. */
const quiet = ["warn", "error", "silent"].includes(process.env.KZ_OSCE_LOG_LEVEL ?? "");

/** @param {NodeJS.Signals} signal */
function stop(signal) {
  if (!quiet) writeStopLine(signal, "starting: node, tsx and the server's modules");
  process.exit(0);
}

for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, stop);
/** @type {Record<symbol, unknown>} */ (globalThis)[STOP_DURING_START] = stop;
