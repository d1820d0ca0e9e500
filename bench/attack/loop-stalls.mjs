/**
 * Preloaded into a server (`node --import ./bench/attack/loop-stalls.mjs …`, or
 * `KZ_BENCH_NODE_FLAGS=--import=./bench/attack/loop-stalls.mjs` for the benches that start one
 * through serve.mjs): says on stderr each time the serving thread's event loop was held 100 ms or
 * more, as a JSON line `{"msg":"loop stall","ms":N,"at":ISO}`. Measured in the server itself, so
 * that a stall is told apart from a slow client (a bench's own process waiting for a core).
 * A timer asks to run every 10 ms; a stall is the time it ran late.
 */
import { isMainThread } from "node:worker_threads";

if (isMainThread) {
  const every = 10;
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    const late = now - last - every;
    last = now;
    if (late >= 100)
      process.stderr.write(
        `${JSON.stringify({ msg: "loop stall", ms: Math.round(late), at: new Date().toISOString() })}\n`,
      );
  }, every).unref();
}
