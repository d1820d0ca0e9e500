/**
 * Stack traces of errors made inside Node alone, formatted as Node formats them without looking
 * for source maps in Node's own files.
 *
 * `npm start` runs the server through tsx, which turns Node's source maps on, so that the stack
 * of a real error names the TypeScript line (tsx's JavaScript is whitespace-minified: without
 * them, every frame of src/ reads `app.ts:1:8927`). Node's formatter with source maps then looks
 * one up for every frame of every stack it formats (`findSourceMap`), and for a frame of Node's
 * own (`node:_http_server`) that costs a path's conversion to a URL (`pathToFileURL`) and a miss.
 * Node formats stacks nobody reads: a request whose connection closes before its body ends is
 * destroyed with an `aborted` error whose stack Node reads at once (streams' `checkError`), all
 * of its frames Node's. Under red team 14's F3 (3,000 connections dripping bodies from 200
 * addresses, evicted and renewed, 700 a second) that formatting was 4% of the server's time,
 * `findSourceMap` alone 38% of it (bench/results/2026-12-06-slowloris-events.txt). An evicted
 * connection's `aborted` error is now made without a stack (connections.ts); one whose client
 * closes it (a client that leaves mid-body, a flood of connections reset) is still formatted,
 * here.
 *
 * A stack with a frame outside Node's own files (a file, an eval, anything else) is formatted
 * by Node's formatter as before, source maps and all; only one made of Node's frames (and
 * native ones, which have no file) is written here, as Node's formatter writes it when no frame
 * has a map: its heading (Node's own, asked for with no frames), then each frame as V8 prints it.
 */

type PrepareStackTrace = (error: Error, trace: NodeJS.CallSite[]) => unknown;

/** Whether `site` is in one of Node's own files, or in none (native): no source map is looked up for it. */
function inNodeItself(site: NodeJS.CallSite): boolean {
  const file = site.getFileName() ?? site.getEvalOrigin();
  return typeof file !== "string" || file.startsWith("node:");
}

/** `format` (Node's formatter), but for a stack of Node's frames alone, which is written without it. */
export function plainWhereNodeAlone(format: PrepareStackTrace): PrepareStackTrace {
  return function prepareStackTrace(error, trace) {
    if (!trace.every(inNodeItself)) return format(error, trace);
    let stack = String(format(error, []));
    for (const site of trace) stack += `\n    at ${site}`;
    return stack;
  };
}

/**
 * Installs `plainWhereNodeAlone` over Node's formatter, when source maps are on and Node's
 * formatter is the one in place (Node 20 sets `Error.prepareStackTrace` to it); whether it did.
 */
export function formatNodeStacksPlainly(): boolean {
  const format = Error.prepareStackTrace;
  if (!process.sourceMapsEnabled || typeof format !== "function") return false;
  Error.prepareStackTrace = plainWhereNodeAlone(format);
  return true;
}
