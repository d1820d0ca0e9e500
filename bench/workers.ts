/**
 * `npm run bench:workers [-- --duration 5 --warmup 2 --warmup-requests 3000 --rounds 3
 *   --connections 50 --cold-docs 40000 --loader wrk|autocannon --pin auto|none --sched rr|none
 *   --connection keep-alive|close --server-flags "<node flags>"]`
 *
 * The cold scenario of bench/run.ts (distinct documents, each sent once to a server, so that no
 * cache helps) against `npm start` with `--workers 1` and with `--workers 2`, taking turns for
 * `rounds` rounds.
 *
 * On a machine with two cores the load generator needs CPU too, so "2 workers on 2 cores against
 * 1 on 1" cannot be read from throughput alone: one worker, unpinned, also takes the second core
 * for its garbage collector's threads, and two workers share both cores with the load generator.
 * So each run also measures
 * - the CPU time the server's processes (the primary and every worker, all their threads) spend
 *   per request, read from /proc: the cost of an answer, which a second core does not change;
 *   and, apart, the primary's (the round-robin hand-off of connections) and each worker's share;
 * - the share of a core the server and the load generator each used.
 * With `--pin auto` (the default on 2 or more cores), one worker is pinned to core 0 and the load
 * generator (this process, and wrk which it starts) to the last core: one worker then has exactly
 * one core, and saturates it. Two workers get a core each, 0 and 1, once they have started (the
 * load generator shares the last).
 * The load generator is wrk when installed (Debian's package): a few µs of CPU per request, where
 * autocannon, in this process, takes tens.
 *
 * Printed: each run; the measured throughput ratio (what this machine gives, the load generator
 * included); and the **capacity ratio** 2 × (CPU µs/request with 1 worker) / (with 2 workers):
 * the throughput two workers reach on two cores of their own against one worker on one core,
 * when each is bound by CPU, which the runs show (one worker: its core at ~100%). It falls below
 * 2 exactly by what the cluster adds per request (the primary, the hand-off, two heaps). Before
 * and after, the machine's own ceiling (two processes of plain JavaScript against one, pinned
 * alike) and the load average: on a busy machine the figures are not the server's.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import {
  accessSync,
  constants,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannonModule from "autocannon";
import { loadGraph } from "../data/load.js";
import { SearchIndex } from "../src/graph/search.js";
import { bodyOf, coldDocuments } from "../tests/support/mix.js";
import { median, serverNodeFlags } from "./harness.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  const value = i < 0 ? fallback : Number(argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};
const choice = <T extends string>(name: string, values: readonly T[], fallback: T): T => {
  const i = argv.indexOf(`--${name}`);
  const value = (i < 0 ? fallback : argv[i + 1]) as T;
  if (!values.includes(value)) throw new Error(`--${name} must be one of ${values.join(", ")}`);
  return value;
};
const duration = option("duration", 5);
const warmup = option("warmup", 2);
const rounds = option("rounds", 3);
const connections = option("connections", 50);
const coldCount = option("cold-docs", 40_000);
const cores = cpus().length;
const pin =
  choice("pin", ["auto", "none"], "auto") === "auto" &&
  cores >= 2 &&
  hasProgram("/usr/bin/taskset");
// node:cluster's scheduling: rr, the primary accepts each connection and hands it to a worker in
// turn (Node's default on Linux); none, the workers accept from the shared socket themselves
const sched = choice("sched", ["rr", "none"], "rr");
// keep-alive: connections are made once, and the cluster's hand-off is paid once per connection;
// close: a new connection per request, as from a proxy that keeps none (nginx without `keepalive`)
const connection = choice("connection", ["keep-alive", "close"], "keep-alive");
// wrk (Debian's package, C) costs the load generator a few µs of CPU per request, autocannon
// (JavaScript) tens: on two cores, what the load generator takes is taken from the workers
const loader = choice(
  "loader",
  ["wrk", "autocannon"],
  hasProgram("/usr/bin/wrk") ? "wrk" : "autocannon",
);
const warmupRequests = option("warmup-requests", 3000);
// extra Node flags for the server (and so its workers), to try some: `--server-flags "--single-threaded-gc"`
const serverFlags = (() => {
  const i = argv.indexOf("--server-flags");
  return i < 0 ? [] : argv[i + 1]!.split(/\s+/).filter(Boolean);
})();
/** The load generator (this process) runs on the last core when pinning. */
const loaderCore = cores - 1;
const root = fileURLToPath(new URL("..", import.meta.url));
const autocannon = autocannonModule as unknown as (options: Record<string, unknown>) => Promise<{
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}>;

function hasProgram(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const graph = await loadGraph();
  const bodies = coldDocuments({ graph, search: SearchIndex.build(graph) } as never, coldCount).map(
    (d) => bodyOf(d, {}),
  );
  let next = 0;

  /** The cores a server with `workers` workers is pinned to: one core per worker, from core 0. */
  const serverCores = (workers: number) => (pin ? `0-${Math.min(workers, cores) - 1}` : undefined);

  function start(workers: number): Promise<{ child: ChildProcess; url: string }> {
    const node = [
      process.execPath,
      ...serverNodeFlags(),
      ...serverFlags,
      "--import",
      "tsx",
      "src/server/main.ts",
      "--port",
      "0",
      "--workers",
      String(workers),
    ];
    const cpuList = serverCores(workers);
    const [command, ...args] = cpuList ? ["taskset", "-c", cpuList, ...node] : node;
    const child = spawn(command!, args, {
      cwd: root,
      env: {
        ...process.env,
        PORT: "",
        HOST: "",
        KZ_OSCE_DATA: "",
        KZ_OSCE_WORKERS: "",
        KZ_OSCE_LOG_LEVEL: "warn",
        KZ_OSCE_MAX_EVENT_LOOP_DELAY_MS: "0",
        // the load generator is one address, as a proxy is: not bounded as one client
        KZ_OSCE_MAX_CONNECTIONS_PER_ADDRESS: "0",
        NODE_CLUSTER_SCHED_POLICY: sched,
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    return new Promise((resolve, reject) => {
      let out = "";
      child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
        out += chunk;
        const match = /at (http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(out);
        if (match) resolve({ child, url: `${match[1]}/graphql` });
      });
      child.once("exit", (code) =>
        reject(new Error(`the server exited (${code}) before it was ready:\n${out}`)),
      );
    });
  }

  /** A run of the load generator: requests answered, their latency, and the CPU it used itself. */
  interface Loaded {
    requests: number;
    wallUs: number;
    p50: number;
    p99: number;
    loaderUs: number;
    /** Requests not answered within the load generator's timeout (10 s). */
    timeouts: number;
  }

  const dir = mkdtempSync(join(tmpdir(), "bench-workers-"));
  const bodiesFile = join(dir, "bodies.jsonl");
  writeFileSync(bodiesFile, `${bodies.join("\n")}\n`);
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));

  async function load(url: string, seconds: number): Promise<Loaded> {
    const result =
      loader === "wrk" ? await loadWithWrk(url, seconds) : await loadWithAutocannon(url, seconds);
    return result;
  }

  async function loadWithAutocannon(url: string, seconds: number): Promise<Loaded> {
    const cpu = process.cpuUsage();
    const began = performance.now();
    const result = await autocannon({
      url,
      connections,
      duration: seconds,
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        ...(connection === "close" ? { connection: "close" } : {}),
      },
      requests: [
        {
          method: "POST",
          setupRequest: (request: object) => ({
            ...request,
            body: bodies[next++ % bodies.length]!,
          }),
        },
      ],
    });
    const wallUs = (performance.now() - began) * 1000;
    const used = process.cpuUsage(cpu);
    if (result.errors || result.timeouts || result.non2xx)
      throw new Error(
        `${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx under load`,
      );
    return {
      requests: result.requests.total,
      wallUs,
      p50: result.latency.p50,
      p99: result.latency.p99,
      loaderUs: used.user + used.system,
      timeouts: 0,
    };
  }

  async function loadWithWrk(url: string, seconds: number): Promise<Loaded> {
    const script = fileURLToPath(new URL("wrk/cold.lua", import.meta.url));
    const before = childrenCpuTicks();
    const child = spawn(
      "wrk",
      [
        "-t",
        "1",
        "-c",
        String(connections),
        "-d",
        `${seconds}s`,
        "--timeout",
        "10s",
        "-s",
        script,
        url,
      ],
      {
        env: {
          ...process.env,
          BENCH_BODIES: bodiesFile,
          BENCH_OFFSET: String(next),
          BENCH_CONNECTION: connection,
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    const [code] = (await once(child, "exit")) as [number | null];
    const line = out.split("\n").find((l) => l.startsWith("{"));
    if (code !== 0 || !line) throw new Error(`wrk failed (${code}):\n${out}`);
    const summary = JSON.parse(line) as {
      requests: number;
      durationUs: number;
      errors: number;
      non2xx: number;
      timeouts: number;
      p50Ms: number;
      p99Ms: number;
    };
    // every request it started counts: a document is never sent twice to one server
    next += summary.requests + connections;
    // a request over wrk's timeout is counted, not failed: on a busy machine a few take 10 s
    if (summary.errors || summary.non2xx)
      throw new Error(`${summary.errors} errors, ${summary.non2xx} non-2xx under load`);
    return {
      requests: summary.requests,
      wallUs: summary.durationUs,
      p50: summary.p50Ms,
      p99: summary.p99Ms,
      loaderUs: (childrenCpuTicks() - before) * TICK_US,
      timeouts: summary.timeouts,
    };
  }

  /**
   * Warm the server up: `warmup` seconds, and at least `warmupRequests` requests per worker (JIT,
   * caches), in as few runs of the load generator as it takes (each start of wrk reads the bodies).
   */
  async function warm(url: string, workers: number): Promise<void> {
    let { requests: sent, wallUs } = await load(url, warmup);
    while (sent < warmupRequests * workers) {
      const seconds = Math.min(
        30,
        Math.max(1, Math.ceil(((warmupRequests * workers - sent) * wallUs) / sent / 1e6)),
      );
      const more = await load(url, seconds);
      sent += more.requests;
      wallUs = more.wallUs;
    }
  }

  interface Run {
    workers: number;
    rps: number;
    p50: number;
    p99: number;
    cpuUsPerRequest: number;
    serverCores: number;
    loaderCores: number;
    /** CPU of the cluster's primary per request (accepting connections and handing them over): 0 with one worker, which has none. */
    primaryUsPerRequest: number;
    /** Each worker's share of the workers' CPU: how evenly the connections were spread. */
    split: number[];
    timeouts: number;
  }

  async function measure(workers: number): Promise<Run> {
    const server = await start(workers);
    try {
      // `taskset` execs node: the server's pid is the child's
      const pids = processTree(server.child.pid!);
      // one core per worker, as one worker has one: worker i on core i, every thread of it (the
      // primary, idle with kept-alive connections, stays on the cores it started on)
      if (pin && workers > 1)
        pids.slice(1).forEach((pid, i) =>
          execFileSync("taskset", ["-a", "-p", "-c", String(i % cores), String(pid)], {
            stdio: "ignore",
          }),
        );
      await warm(server.url, workers);
      const ticks = cpuTicks(pids);
      const primaryTicks = cpuTicks(pids.slice(0, 1));
      const before = pids.slice(1).map((pid) => cpuTicks([pid]));
      const result = await load(server.url, duration);
      const serverUs = (cpuTicks(pids) - ticks) * TICK_US;
      const primaryUs = workers > 1 ? (cpuTicks(pids.slice(0, 1)) - primaryTicks) * TICK_US : 0;
      const workerTicks =
        workers > 1 ? pids.slice(1).map((pid, i) => cpuTicks([pid]) - before[i]!) : [1];
      const workerSum = workerTicks.reduce((a, b) => a + b, 0);
      return {
        workers,
        rps: (result.requests * 1e6) / result.wallUs,
        p50: result.p50,
        p99: result.p99,
        cpuUsPerRequest: serverUs / Math.max(1, result.requests),
        serverCores: serverUs / result.wallUs,
        loaderCores: result.loaderUs / result.wallUs,
        primaryUsPerRequest: primaryUs / Math.max(1, result.requests),
        split: workerTicks.map((t) => t / Math.max(1, workerSum)),
        timeouts: result.timeouts,
      };
    } finally {
      const gone = new Promise((resolve) => server.child.once("exit", resolve));
      server.child.kill("SIGTERM");
      await gone;
    }
  }

  const load1 = loadavg();
  const cpuModel =
    /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown";
  console.log(
    `bench:workers: ${new Date().toISOString()}, Node ${process.version}, ${cores} cores (${cpuModel}); load average before ${load1.map((l) => l.toFixed(2)).join(", ")}`,
  );
  console.log(
    `cold: ${coldCount} distinct documents; load generator ${loader}, ${connections} connections (${connection}); ${warmup} s and ${warmupRequests} requests per worker of warm-up and ${duration} s measured per run; ${rounds} rounds; ` +
      `cluster scheduling ${sched}; ${serverFlags.length ? `server flags ${serverFlags.join(" ")}; ` : ""}${pin ? `pinned: 1 worker on core 0, 2 workers on cores 0 and 1, the load generator on core ${loaderCore}` : "nothing pinned"}\n`,
  );
  const ceilingBefore = await ceiling(3);
  console.log(
    `the machine's ceiling: two processes of pure JavaScript do ${ceilingBefore.toFixed(2)}× the work of one (2.00 on two idle cores)\n`,
  );
  console.log(
    "| round | workers | req/s | p50 ms | p99 ms | server CPU µs/req | of which the primary | server cores used | load generator cores used | split between workers | over 10 s |",
  );
  console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
  const runs: Run[][] = [];
  for (let round = 1; round <= rounds; round++) {
    const pair: Run[] = [];
    for (const workers of [1, 2]) {
      const run = await measure(workers);
      pair.push(run);
      console.log(
        `| ${round} | ${workers} | ${run.rps.toFixed(0)} | ${run.p50} | ${run.p99} | ${run.cpuUsPerRequest.toFixed(0)} | ${run.primaryUsPerRequest.toFixed(0)} | ${run.serverCores.toFixed(2)} | ${run.loaderCores.toFixed(2)} | ${run.split.map((x) => `${(x * 100).toFixed(0)}%`).join(" / ")} | ${run.timeouts} |`,
      );
    }
    runs.push(pair);
  }
  const measured = median(runs.map(([one, two]) => two!.rps / one!.rps));
  const cpuRatio = median(runs.map(([one, two]) => two!.cpuUsPerRequest / one!.cpuUsPerRequest));
  const capacity = median(
    runs.map(([one, two]) => (2 * one!.cpuUsPerRequest) / two!.cpuUsPerRequest),
  );
  const oneCores = median(runs.map(([one]) => one!.serverCores));
  const loader2 = median(runs.map(([, two]) => two!.loaderCores));
  const ceilingAfter = await ceiling(3);
  const load2 = loadavg();
  console.log(`\nmedians over ${rounds} rounds:`);
  console.log(
    `- measured throughput, 2 workers / 1: ${measured.toFixed(2)}× (the load generator used ${loader2.toFixed(2)} of the ${cores} cores beside 2 workers)`,
  );
  console.log(
    `- server CPU per request, 2 workers / 1: ${cpuRatio.toFixed(2)}× (what the cluster adds per request)`,
  );
  console.log(
    `- capacity, 2 workers on 2 cores / 1 worker on 1 core = 2 × CPU per request (1) / (2): ${capacity.toFixed(2)}× (target ≥ 1.7×); ` +
      `one worker used ${oneCores.toFixed(2)} cores${pin ? " of the 1 it was pinned to" : ""}${oneCores < 0.9 && pin ? ": NOT bound by CPU, the ratio is not meaningful" : ""}`,
  );
  console.log(
    `- the machine's ceiling for 2 processes against 1, before and after: ${ceilingBefore.toFixed(2)}× and ${ceilingAfter.toFixed(2)}× (2.00 on two idle cores)`,
  );
  console.log(
    `load average after ${load2.map((l) => l.toFixed(2)).join(", ")}${Math.max(load1[0]!, load2[0]!) > cores * 0.5 ? ` — the machine was busy (over ${cores * 0.5}): the figures are not the server's alone` : ""}`,
  );
}

/**
 * The work one process does in `seconds` of pure JavaScript like a server's (graphql-js parsing
 * and printing the cold documents, JSON, garbage to collect), printed as a number.
 */
async function ceilingChild(seconds: number): Promise<void> {
  const { parse, print } = await import("graphql");
  const documents = Array.from(
    { length: 500 },
    (_, i) =>
      `query Q${i} { person(key: "k${i}") { key name names { text kind } nationality { name key } } office(key: "o${i}") { posts(first: ${i % 9}) { totalCount nodes { name } } } }`,
  );
  const end = performance.now() + seconds * 1000;
  let done = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++)
      JSON.parse(
        JSON.stringify({ query: print(parse(documents[(done + i) % documents.length]!)) }),
      );
    done += 50;
  }
  console.log(done);
}

/**
 * What this machine gives two processes against one, both pinned as the servers are (one on core
 * 0; two on cores 0 and 1, each free to use both): 2.0 on two idle cores of their own, less when
 * the cores are hyperthreads of one, or shared with other work. The workers' ratio cannot pass it.
 */
async function ceiling(seconds: number): Promise<number> {
  const run = (cpuList: string | undefined) => {
    const node = [
      process.execPath,
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      "--ceiling-child",
      String(seconds),
    ];
    const [command, ...args] = cpuList ? ["taskset", "-c", cpuList, ...node] : node;
    const child = spawn(command!, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    return once(child, "exit").then(() => Number(out.trim()));
  };
  const one = await run(pin ? "0" : undefined);
  const two = await Promise.all([run(pin ? "0-1" : undefined), run(pin ? "0-1" : undefined)]);
  return (two[0]! + two[1]!) / one;
}

/** A process and its descendants (a cluster's primary and its workers). */
function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    for (const task of readdirSync(`/proc/${pids[i]}/task`)) {
      const children = readFileSync(`/proc/${pids[i]}/task/${task}/children`, "utf8").trim();
      if (children) pids.push(...children.split(/\s+/).map(Number));
    }
  }
  return pids;
}

/** utime + stime of these processes, every thread included, in clock ticks. */
function cpuTicks(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks;
}
const TICK_US = 1_000_000 / 100; // Linux USER_HZ

/** The CPU time of this process's children that have exited and been waited for (wrk), in clock ticks. */
function childrenCpuTicks(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  return Number(fields[13]) + Number(fields[14]); // cutime + cstime
}

// The machine's ceiling (ceiling()): one busy process of pure JavaScript, counting its work.
if (argv[0] === "--ceiling-child") await ceilingChild(Number(argv[1]));
// The load generator: this process, on the last core when pinning.
else if (pin && process.env.BENCH_PINNED !== "1") {
  const child = spawn(
    "taskset",
    [
      "-c",
      String(loaderCore),
      process.execPath,
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      ...argv,
    ],
    {
      stdio: "inherit",
      env: { ...process.env, BENCH_PINNED: "1" },
    },
  );
  child.once("exit", (code) => process.exit(code ?? 1));
} else await main();
