/**
 * Preloaded into a server (`node --import ./bench/attack/loop-stalls.mjs …`, or
 * `KZ_BENCH_NODE_FLAGS=--import=./bench/attack/loop-stalls.mjs` for the benches that start one
 * through serve.mjs): says on stderr each time the serving thread's event loop was held 100 ms or
 * more (`KZ_BENCH_STALL_MS` to say shorter ones too), as a JSON line `{"msg":"loop stall","ms":N,"gcMs":G,"at":ISO}`. Measured in the server
 * itself, so that a stall is told apart from a slow client (a bench's own process waiting for a
 * core). A timer asks to run every 10 ms; a stall is the time it ran late. `gcMs` is how much of
 * that time this thread's garbage collector held it in its pauses (`PerformanceObserver`'s "gc"
 * entries, which are this thread's own). It does not count the incremental marking V8 does on
 * this thread between pauses, a step at each allocation: with a large heap being marked, that was
 * most of a 1.2 s stall whose pauses took 32-132 ms (bench/RESULTS.md, "A start that loaded in
 * full serves the snapshot it wrote"). `--trace-gc` says it: "+ N ms in M steps since start of
 * marking". What is left is the code's, that marking, or the thread waiting for a core: where
 * Linux says it (/proc/thread-self/schedstat), `cpuMs` is the thread's time on a core during the
 * stall and `waitMs` its time waiting for one, which on a machine busier than its cores can be
 * most of a stall.
 */
import { readFileSync } from "node:fs";
import { PerformanceObserver } from "node:perf_hooks";
import { isMainThread } from "node:worker_threads";

if (isMainThread) {
  const every = 10;
  const threshold = Number(process.env.KZ_BENCH_STALL_MS ?? 100);
  /** [start, end] of this thread's recent collections. */
  const collections = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      collections.push([entry.startTime, entry.startTime + entry.duration]);
    if (collections.length > 1000) collections.splice(0, collections.length - 1000);
  }).observe({ entryTypes: ["gc"] });
  /**
   * This thread's time on a core and waiting for one (ns, Linux's schedstat), or undefined where
   * there is no such file: on a machine busier than its cores a stall is mostly the wait.
   */
  const scheduled = () => {
    try {
      const [run, wait] = readFileSync("/proc/thread-self/schedstat", "utf8").split(" ");
      return [Number(run), Number(wait)];
    } catch {
      return undefined;
    }
  };
  let last = performance.now();
  let lastScheduled = scheduled();
  setInterval(() => {
    const now = performance.now();
    const late = now - last - every;
    const nowScheduled = scheduled();
    if (late >= threshold) {
      const from = last;
      const at = new Date().toISOString();
      const times =
        lastScheduled && nowScheduled
          ? {
              cpuMs: Math.round((nowScheduled[0] - lastScheduled[0]) / 1e6),
              waitMs: Math.round((nowScheduled[1] - lastScheduled[1]) / 1e6),
            }
          : {};
      // said a little later: the observer hears of a collection a turn or more after it
      setTimeout(() => {
        let gcMs = 0;
        for (const [start, end] of collections)
          gcMs += Math.max(0, Math.min(end, now) - Math.max(start, from));
        process.stderr.write(
          `${JSON.stringify({ msg: "loop stall", ms: Math.round(late), gcMs: Math.round(gcMs), ...times, at })}\n`,
        );
      }, 50).unref();
    }
    last = now;
    lastScheduled = nowScheduled;
  }, every).unref();
}
