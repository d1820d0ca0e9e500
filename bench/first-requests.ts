/**
 * `npm run bench:first-requests -- --data DIR [--rounds 3] [--requests 30]`
 *
 * A replica's first requests (red team 42, F2): a server started as `npm start -- --data DIR`
 * runs (Node flags included) on a dataset read from its snapshot, then sent the explorer's
 * documents with random keys and variables (bench/frontend.ts), one after another, in three
 * batches of `requests` distinct ones each:
 * - "at once": as soon as it says `serving` (a client that does not read /ready);
 * - "after ready": once /ready says 200, as a balancer sends them (/ready says "warming" while
 *   the entities a request may scan are made ahead of requests: src/server/warm.ts, app.ts).
 * Prints, for each round, the time from `serving` to ready and each batch's total and median, and
 * at the end the first batch's total in both modes against the third's (the server warm by then).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { frontendRequests } from "./frontend.js";
import { serverNodeFlags } from "./harness.js";
import { frontendPool } from "./scale/frontend.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback?: string) => {
  const at = argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : argv[at + 1];
  if (value === undefined) {
    console.error(`usage: npm run bench:first-requests -- --data DIR [--rounds 3] [--requests 30]`);
    process.exit(2);
  }
  return value;
};
const data = option("data");
const rounds = Number(option("rounds", "3"));
const count = Number(option("requests", "30"));
const pool = frontendPool(data);

interface Started {
  child: ChildProcess;
  url: string;
  /** When it said `serving`, by performance.now(). */
  servingAt: number;
}

function start(): Promise<Started> {
  const child = spawn(
    process.execPath,
    [...serverNodeFlags(), "--import", "tsx", "src/server/main.ts", "--data", data, "--port", "0"],
    {
      cwd: new URL("..", import.meta.url),
      env: { ...process.env, KZ_OSCE_LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  return new Promise((resolve, reject) => {
    const take = (chunk: Buffer) => {
      out += chunk;
      const url = /serving .* at (http:\/\/\S+)\/graphql/.exec(out)?.[1];
      if (url) {
        child.stdout!.off("data", take);
        child.stdout!.resume();
        resolve({ child, url, servingAt: performance.now() });
      }
    };
    child.stdout!.on("data", take);
    child.stderr!.on("data", (chunk: Buffer) => (out += chunk));
    child.once("exit", (code) => reject(new Error(`the server exited (${code}):\n${out}`)));
  });
}

/** Sends `bodies` one after another: each one's ms, and how many were not a 200 without errors. */
async function batch(
  url: string,
  bodies: readonly string[],
): Promise<{ ms: number[]; bad: number }> {
  const ms: number[] = [];
  let bad = 0;
  for (const body of bodies) {
    const began = performance.now();
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    const text = await response.text();
    ms.push(performance.now() - began);
    if (response.status !== 200 || text.includes('"errors"')) bad++;
  }
  return { ms, bad };
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const firsts: Record<string, number[]> = { "at once": [], "after ready": [] };
const thirds: number[] = [];
for (let round = 0; round < rounds; round++) {
  for (const mode of ["at once", "after ready"] as const) {
    const server = await start();
    let readyMs: number | undefined;
    if (mode === "after ready") {
      for (;;) {
        const response = await fetch(`${server.url}/ready`);
        await response.text();
        if (response.status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      readyMs = performance.now() - server.servingAt;
    }
    const line: string[] = [];
    for (const [i, seed] of [100, 200, 300].entries()) {
      const bodies = frontendRequests(pool, count, { seed: seed + round }).map((r) => r.body);
      const { ms, bad } = await batch(server.url, bodies);
      if (i === 0) firsts[mode]!.push(sum(ms));
      if (i === 2) thirds.push(sum(ms));
      line.push(
        `batch ${i + 1} ${sum(ms).toFixed(0)} ms (median ${median(ms).toFixed(1)})${bad ? ` [${bad} with errors]` : ""}`,
      );
    }
    console.log(
      `round ${round + 1}, ${mode}${readyMs === undefined ? "" : ` (ready ${readyMs.toFixed(0)} ms after serving)`}: ${line.join(", ")}`,
    );
    server.child.kill("SIGTERM");
    await new Promise((resolve) => server.child.once("exit", resolve));
  }
}
const range = (values: readonly number[]) =>
  `${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)} ms`;
console.log(
  `\nfirst ${count} requests, at once: ${range(firsts["at once"]!)}; after ready: ${range(firsts["after ready"]!)}; a warm server's (batch 3): ${range(thirds)}`,
);
