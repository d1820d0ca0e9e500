/**
 * `npm run bench:workers [-- --duration 5 --warmup 2 --rounds 2 --connections 50 --cold-docs 40000]`
 *
 * The cold scenario of bench/run.ts (distinct documents, each sent once to a server, so that no
 * cache helps) against `npm start` with `--workers 1` and with `--workers 2`, taking turns for
 * `rounds` rounds. Prints requests per second and the ratio of 2 workers to 1 in each round, and
 * the median. Nothing is pinned: the workers may use every core, and the load generator (this
 * process) competes with them, so on 2 cores the ratio is below what 2 idle cores would give.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import autocannonModule from "autocannon";
import { loadGraph } from "../data/load.js";
import { SearchIndex } from "../src/graph/search.js";
import { median, serverNodeFlags } from "./harness.js";
import { bodyOf, coldDocuments } from "./mix.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  const value = i < 0 ? fallback : Number(argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};
const duration = option("duration", 5);
const warmup = option("warmup", 2);
const rounds = option("rounds", 2);
const connections = option("connections", 50);
const coldCount = option("cold-docs", 40_000);
const root = fileURLToPath(new URL("..", import.meta.url));
const autocannon = autocannonModule as unknown as (options: Record<string, unknown>) => Promise<{ requests: { average: number; total: number }; errors: number; timeouts: number; non2xx: number }>;

const graph = await loadGraph();
const bodies = coldDocuments({ graph, search: SearchIndex.build(graph) } as never, coldCount).map((d) => bodyOf(d, {}));

function start(workers: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...serverNodeFlags(), "--import", "tsx", "src/server/main.ts", "--port", "0", "--workers", String(workers)], {
    cwd: root,
    env: { ...process.env, PORT: "", HOST: "", KZ_OSCE_DATA: "", KZ_OSCE_WORKERS: "", KZ_OSCE_LOG_LEVEL: "warn", KZ_OSCE_MAX_EVENT_LOOP_DELAY_MS: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const match = /at (http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(out);
      if (match) resolve({ child, url: `${match[1]}/graphql` });
    });
    child.once("exit", (code) => reject(new Error(`the server exited (${code}) before it was ready:\n${out}`)));
  });
}

async function load(url: string, seconds: number, from: number): Promise<{ rps: number; sent: number }> {
  let next = from;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    headers: { "content-type": "application/json", accept: "application/json" },
    requests: [{ method: "POST", setupRequest: (request: object) => ({ ...request, body: bodies[next++ % bodies.length]! }) }],
  });
  if (result.errors || result.timeouts || result.non2xx) throw new Error(`${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx under load`);
  return { rps: result.requests.average, sent: next - from };
}

console.log(`bench:workers: ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores; load average before ${loadavg().map((l) => l.toFixed(2)).join(", ")}`);
console.log(`cold: ${coldCount} distinct documents; ${connections} connections; ${warmup} s warm-up and ${duration} s measured per run; ${rounds} rounds\n`);
const ratios: number[] = [];
console.log("| round | 1 worker, req/s | 2 workers, req/s | 2 / 1 |");
console.log("|---:|---:|---:|---:|");
for (let round = 1; round <= rounds; round++) {
  const rps: number[] = [];
  for (const workers of [1, 2]) {
    const server = await start(workers);
    try {
      const warm = await load(server.url, warmup, 0);
      rps.push((await load(server.url, duration, warm.sent)).rps);
    } finally {
      const gone = new Promise((resolve) => server.child.once("exit", resolve));
      server.child.kill("SIGTERM");
      await gone;
    }
  }
  ratios.push(rps[1]! / rps[0]!);
  console.log(`| ${round} | ${rps[0]!.toFixed(0)} | ${rps[1]!.toFixed(0)} | ${(rps[1]! / rps[0]!).toFixed(2)}× |`);
}
console.log(`\nmedian ratio, 2 workers / 1: ${median(ratios).toFixed(2)}× (target ≥ 1.7× on 2 cores); load average after ${loadavg().map((l) => l.toFixed(2)).join(", ")}`);
