/**
 * A server started as `npm start -- --data DATA [extraArgs]` (without DATA: the built-in dataset) runs it (Node flags included), in
 * `root`, on a port of its own: resolves once it says where it serves, with the child, that address and a
 * reader of everything it has written so far (stdout and stderr). `KZ_BENCH_NODE_FLAGS` (e.g.
 * `--trace-gc`) adds Node flags of its own.
 */
import { spawn } from "node:child_process";

export async function serve(root, data, logLevel, extraArgs = []) {
  const child = spawn(
    process.execPath,
    [
      "--max-semi-space-size=64",
      ...(process.env.KZ_BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean),
      "--import",
      "tsx",
      "src/server/main.ts",
      // no data: the built-in dataset
      ...(data ? ["--data", data] : []),
      "--port",
      "0",
      ...extraArgs,
    ],
    { cwd: root, env: { ...process.env, KZ_OSCE_LOG_LEVEL: logLevel } },
  );
  let out = "";
  const url = await new Promise((resolve, reject) => {
    const take = (chunk) => {
      out += chunk;
      const served = /at (http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(out);
      if (served) resolve(served[1]);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.once("exit", (code) =>
      reject(new Error(`the server exited (${code}) before serving:\n${out}`)),
    );
  });
  return { child, url, output: () => out };
}

/**
 * `serve` with the flags of `EXTRA_ARGS` (e.g. "--workers 2"), resolved once `/ready` says 200 (its
 * warm-up over: src/server/warm.ts).
 */
export async function serveReady(root, data, logLevel) {
  const server = await serve(
    root,
    data,
    logLevel,
    (process.env.EXTRA_ARGS ?? "").split(" ").filter(Boolean),
  );
  for (;;) {
    const ready = await fetch(`${server.url}/ready`);
    await ready.text();
    if (ready.status === 200) return server;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Polls `${url}/health` every `everyMs` until `stop()`, which resolves with the waits of the
 * answers and those of the polls that failed (refused, or reset: a kept-alive connection the
 * server closed during a long stall), in ms. `until()` ends the polling at a failure (a server
 * that died).
 */
export function pollHealth(url, { everyMs = 5, until = () => false } = {}) {
  const waits = [];
  const failed = [];
  let polling = true;
  const done = (async () => {
    while (polling) {
      const t = performance.now();
      try {
        const r = await fetch(`${url}/health`);
        await r.text();
        waits.push(performance.now() - t);
      } catch {
        failed.push(performance.now() - t);
        if (until()) break;
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    stop: async () => {
      polling = false;
      await done;
      return { waits, failed };
    },
  };
}
