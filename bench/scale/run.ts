/**
 * `npm run bench:scale -- [--sizes 1000,10000,100000,1000000] [--seed 1] [--duration 5]
 *                          [--rounds 3] [--connections 50] [--no-throughput]
 *                          [--frontend [--frontend-sizes 100000,1000000] [--frontend-only] [--frontend-requests 20000]
 *                           [--frontend-unique]]`
 *
 * How the server scales with the size of the graph, on datasets from data/synthetic/generate.ts
 * (kept in .cache/datasets/N, regenerated when missing or stale):
 * - load, in a fresh process per size: read + parse + validate + index (loadJsonGraph), the
 *   search index, then the timeline and path index (which a server builds before it serves): the
 *   load is all three, what a server does between start and serving; entities per second of wall
 *   and of CPU time; heap kept per entity; and, in another fresh process, the same files only read
 *   and JSON.parsed (the floor: what any load of this format costs on this machine);
 * - throughput of a point lookup, a paged two-hop relation query and a search, against the
 *   application (createApp, response cache off so the graph is measured, not the cache), one
 *   server per size, all started first and then measured in turns (1k 10k 100k 1M, 1k 10k ...),
 *   server pinned to core 0 and autocannon to core 1; ratios to the smallest size, per round.
 * - with `--frontend`: the explorer's documents with random keys and variables against this server
 *   as `npm start` runs it and against Mercurius + jit, at each of `--frontend-sizes`
 *   (bench/scale/frontend.ts); `--frontend-only` measures that alone. `--frontend-unique` makes
 *   every request's body unique, so that no response cache can answer any of them.
 * Prints a table and the targets, met or missed.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import autocannonModule from "autocannon";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import { median, serverNodeFlags } from "../harness.js";
import { frontendComparison } from "./frontend.js";
import { type Scenario, scenarios } from "./scenarios.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const sizes = option("sizes", "1000,10000,100000,1000000").split(",").map(Number);
const seed = Number(option("seed", "1"));
const duration = Number(option("duration", "5"));
const warmup = Number(option("warmup", "2"));
const rounds = Number(option("rounds", "3"));
const connections = Number(option("connections", "50"));
const frontendOnly = argv.includes("--frontend-only");
const frontendSizes =
  argv.includes("--frontend") || frontendOnly
    ? option("frontend-sizes", "100000,1000000").split(",").map(Number)
    : [];
const throughput = !argv.includes("--no-throughput") && !frontendOnly;
const root = fileURLToPath(new URL("../..", import.meta.url));

const pinned =
  cpus().length >= 2 &&
  (() => {
    try {
      execFileSync("taskset", ["-V"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();
if (pinned && process.env.BENCH_PINNED !== "1") {
  const child = spawn(
    "taskset",
    ["-c", "1", process.execPath, ...process.execArgv, fileURLToPath(import.meta.url), ...argv],
    {
      stdio: "inherit",
      env: { ...process.env, BENCH_PINNED: "1" },
    },
  );
  const [code] = (await once(child, "exit")) as [number | null];
  process.exit(code ?? 1);
}
const onCore0 = (args: string[]) =>
  (pinned ? ["taskset", ["-c", "0", ...args]] : [args[0]!, args.slice(1)]) as [string, string[]];

// ------------------------------------------------------------------ datasets

/** The dataset of n entities, kept in .cache/datasets/n (data/synthetic/datasets.ts: made when missing or stale). */
function dataset(n: number): string {
  const started = performance.now();
  const dir = generatedDataset(n, { seed });
  const seconds = (performance.now() - started) / 1000;
  if (seconds > 1) console.log(`  generated ${n} entities in ${dir} (${seconds.toFixed(1)} s)`);
  return dir;
}

// ------------------------------------------------------------------ load

interface LoadResult {
  entities: number;
  loadWallMs: number;
  loadCpuMs: number;
  searchWallMs: number;
  searchCpuMs: number;
  heapBytes: number;
  /** The heap once the indexes built on first use (timeline, path index) exist, and the time to build them. */
  heapWithLazyBytes: number;
  lazyWallMs: number;
  lazyCpuMs: number;
  rssBytes: number;
  floor: FloorResult;
}

/** Read + JSON.parse of the same files, nothing else (load-child.ts --floor). */
interface FloorResult {
  entities: number;
  wallMs: number;
  cpuMs: number;
}

function child<T>(dir: string, extra: string[] = []): T {
  const [command, args] = onCore0([
    process.execPath,
    "--expose-gc",
    "--max-old-space-size=16384",
    "--import",
    "tsx",
    "bench/scale/load-child.ts",
    dir,
    ...extra,
  ]);
  const out = execFileSync(command, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split("\n").at(-1)!) as T;
}

/** Everything a server does before it serves a graph: load, search index, timeline and path index. */
const fullWallMs = (l: LoadResult) => l.loadWallMs + l.searchWallMs + l.lazyWallMs;
const fullCpuMs = (l: LoadResult) => l.loadCpuMs + l.searchCpuMs + l.lazyCpuMs;

// ------------------------------------------------------------------ throughput

interface Server {
  n: number;
  child: ChildProcess;
  url: string;
  startMs: number;
}

async function start(n: number, dir: string): Promise<Server> {
  const began = performance.now();
  // the application as `npm start` runs it, Node flags included, with the response cache off
  const [command, args] = onCore0([
    process.execPath,
    ...serverNodeFlags(),
    "--max-old-space-size=16384",
    "--import",
    "tsx",
    "bench/servers/variant.ts",
    "--variant",
    "app-no-cache",
    "--data",
    dir,
  ]);
  const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  child.stdout!.setEncoding("utf8");
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: string) => {
      out += chunk;
      const match = /port (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`server for ${n} exited with ${code}`)));
  });
  return { n, child, url: `http://127.0.0.1:${port}/graphql`, startMs: performance.now() - began };
}

const autocannon = autocannonModule as unknown as (o: object) => Promise<{
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
  timeouts: number;
}>;

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

async function load(url: string, bodies: string[], seconds: number) {
  let next = 0;
  return autocannon({
    url,
    connections,
    duration: seconds,
    headers: { "content-type": "application/json", accept: "application/json" },
    requests: [
      {
        method: "POST",
        setupRequest: (r: object) => ({ ...r, body: bodies[next++ % bodies.length] }),
      },
    ],
  });
}

async function checkBodies(url: string, scenario: Scenario): Promise<void> {
  for (const body of scenario.bodies.slice(0, 20)) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body,
    });
    const text = await response.text();
    const parsed = JSON.parse(text) as { data?: unknown; errors?: unknown };
    if (parsed.errors || !parsed.data)
      throw new Error(`${scenario.name} on ${url}: ${text.slice(0, 300)}`);
  }
}

interface Measured {
  round: number;
  n: number;
  scenario: string;
  rps: number;
  p50: number;
  p99: number;
  cpuUsPerRequest: number;
}

// ------------------------------------------------------------------ the run

const cpuModel =
  /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown";
console.log(
  `bench:scale: ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores (${cpuModel})`,
);
console.log(`bench:scale: npm run bench:scale -- ${argv.join(" ")}`.trimEnd());
const loadBefore = loadavg();
console.log(
  `bench:scale: load average before: ${loadBefore.map((l) => l.toFixed(2)).join(", ")}; ${pinned ? "pinned: servers core 0, load generator core 1" : "NOT pinned"}`,
);

const dirs = new Map((frontendOnly ? [] : sizes).map((n) => [n, dataset(n)]));
const rate = (entities: number, ms: number) => ((entities / ms) * 1000).toFixed(0);
const loads = new Map<number, LoadResult>();
for (const n of frontendOnly ? [] : sizes) {
  const floor = child<FloorResult>(dirs.get(n)!, ["--floor"]);
  const result: LoadResult = { ...child<Omit<LoadResult, "floor">>(dirs.get(n)!), floor };
  loads.set(n, result);
  const s = (ms: number) => (ms / 1000).toFixed(2);
  console.log(
    `load ${String(n).padStart(8)}: ${result.entities} entities in ${s(fullWallMs(result))} s ` +
      `(${rate(result.entities, fullWallMs(result))}/s wall, ${rate(result.entities, fullCpuMs(result))}/s CPU): ` +
      `graph ${s(result.loadWallMs)} s, search index ${s(result.searchWallMs)} s, timeline and paths ${s(result.lazyWallMs)} s; ` +
      `JSON.parse alone ${s(floor.wallMs)} s (${rate(floor.entities, floor.wallMs)}/s); ` +
      `heap ${(result.heapBytes / result.entities).toFixed(0)} B/entity (${(result.heapWithLazyBytes / result.entities).toFixed(0)} with timeline and paths), ` +
      `RSS ${(result.rssBytes / 2 ** 20).toFixed(0)} MB`,
  );
}

const measured: Measured[] = [];
if (throughput) {
  const servers: Server[] = [];
  for (const n of sizes) {
    servers.push(await start(n, dirs.get(n)!));
    console.log(`server ${n}: listening after ${(servers.at(-1)!.startMs / 1000).toFixed(1)} s`);
  }
  const mixes = new Map(sizes.map((n) => [n, scenarios(dirs.get(n)!)]));
  try {
    for (const server of servers)
      for (const s of mixes.get(server.n)!) await checkBodies(server.url, s);
    for (let round = 1; round <= rounds; round++) {
      for (const scenarioIndex of [0, 1, 2]) {
        for (const server of servers) {
          const scenario = mixes.get(server.n)![scenarioIndex]!;
          await load(server.url, scenario.bodies, warmup);
          const ticks = cpuTicks(server.child.pid!);
          const result = await load(server.url, scenario.bodies, duration);
          const cpuUs = (cpuTicks(server.child.pid!) - ticks) * 10_000;
          if (result.errors || result.non2xx || result.timeouts)
            throw new Error(
              `${scenario.name} at ${server.n}: ${result.errors} errors, ${result.non2xx} non-2xx, ${result.timeouts} timeouts`,
            );
          const m: Measured = {
            round,
            n: server.n,
            scenario: scenario.name,
            rps: result.requests.average,
            p50: result.latency.p50,
            p99: result.latency.p99,
            cpuUsPerRequest: cpuUs / Math.max(1, result.requests.total),
          };
          measured.push(m);
          console.log(
            `round ${round} ${scenario.name.padEnd(6)} ${String(server.n).padStart(8)}: ${m.rps.toFixed(0)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, ${m.cpuUsPerRequest.toFixed(0)} µs CPU/req`,
          );
        }
      }
    }
  } finally {
    for (const server of servers) server.child.kill("SIGKILL");
  }
}

const frontendReport =
  frontendSizes.length > 0
    ? await frontendComparison({
        root,
        sizes: frontendSizes,
        dataset,
        onCore0,
        duration,
        warmup,
        rounds,
        connections,
        requests: Number(option("frontend-requests", "20000")),
        unique: argv.includes("--frontend-unique"),
      })
    : [];
if (frontendOnly) {
  console.log(`\n${frontendReport.join("\n")}`);
  console.log(
    `\nLoad average before: ${loadBefore.map((x) => x.toFixed(2)).join(", ")}; after: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(", ")}`,
  );
  process.exit(0);
}

// ------------------------------------------------------------------ report

const smallest = sizes[0]!;
const ratioTo = (n: number, scenario: string, field: "rps" | "cpu" | "p50") => {
  const ratios: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const a = measured.find((m) => m.round === round && m.n === n && m.scenario === scenario);
    const b = measured.find(
      (m) => m.round === round && m.n === smallest && m.scenario === scenario,
    );
    if (!a || !b) continue;
    ratios.push(
      field === "rps"
        ? a.rps / b.rps
        : field === "cpu"
          ? a.cpuUsPerRequest / b.cpuUsPerRequest
          : a.p50 / Math.max(b.p50, 0.5),
    );
  }
  return median(ratios);
};
const f = (x: number, digits = 2) => (Number.isNaN(x) ? "–" : x.toFixed(digits));

console.log("\n## Load\n");
console.log(
  "| entities | load s (all) | entities/s (wall) | entities/s (CPU) | graph s | search index s | timeline + paths s | JSON.parse alone s | load ÷ JSON.parse alone | heap B/entity, graph + search | all-in, with timeline + paths | RSS MB |",
);
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const n of sizes) {
  const l = loads.get(n)!;
  console.log(
    `| ${l.entities} | ${f(fullWallMs(l) / 1000)} | ${rate(l.entities, fullWallMs(l))} | ${rate(l.entities, fullCpuMs(l))} | ${f(l.loadWallMs / 1000)} | ${f(l.searchWallMs / 1000)} | ` +
      `${f(l.lazyWallMs / 1000)} | ${f(l.floor.wallMs / 1000)} | ${f(fullWallMs(l) / l.floor.wallMs, 1)}× | ${(l.heapBytes / l.entities).toFixed(0)} | ${(l.heapWithLazyBytes / l.entities).toFixed(0)} | ${(l.rssBytes / 2 ** 20).toFixed(0)} |`,
  );
}
if (throughput) {
  console.log(
    `\n## Throughput (median of ${rounds} rounds; ratios to ${smallest} entities, per round, then the median)\n`,
  );
  console.log(
    "| scenario | entities | req/s | × at smallest | p50 ms | p99 ms | CPU µs/req | CPU/req × at smallest |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const scenario of ["point", "paged", "search"]) {
    for (const n of sizes) {
      const mine = measured.filter((m) => m.n === n && m.scenario === scenario);
      console.log(
        `| ${scenario} | ${n} | ${median(mine.map((m) => m.rps)).toFixed(0)} | ${f(ratioTo(n, scenario, "rps"))}× | ${median(mine.map((m) => m.p50)).toFixed(1)} | ${median(mine.map((m) => m.p99)).toFixed(1)} | ${median(mine.map((m) => m.cpuUsPerRequest)).toFixed(0)} | ${f(ratioTo(n, scenario, "cpu"))}× |`,
      );
    }
  }
}

const largest = sizes.at(-1)!;
const l = loads.get(largest)!;
const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
console.log(`\n## Targets (at ${largest} entities)\n`);
const loadRate = (l.entities / fullWallMs(l)) * 1000;
const floorRate = (l.floor.entities / l.floor.wallMs) * 1000;
console.log(
  `- load ≥ 150000 entities/s (read, parse, validate, index, search index, timeline and path index: all a server does before it serves): ` +
    `${loadRate.toFixed(0)}/s wall (${rate(l.entities, fullCpuMs(l))}/s of CPU): ${verdict(loadRate >= 150_000)}; ` +
    `reading and JSON.parsing the same files alone runs at ${floorRate.toFixed(0)}/s${floorRate < 150_000 ? " (below the target itself)" : ""}`,
);
const allIn = l.heapWithLazyBytes / l.entities;
const small = loads.get(smallest)!;
const marginal =
  largest > smallest
    ? (l.heapWithLazyBytes - small.heapWithLazyBytes) / (l.entities - small.entities)
    : allIn;
console.log(
  `- heap ≤ 1 KB per entity, all-in (graph, indexes, source texts, search index, timeline and path index): ${allIn.toFixed(0)} B ` +
    `(${(l.heapBytes / l.entities).toFixed(0)} B before the timeline and path index are built; each entity beyond the ${smallest} of the smallest dataset ` +
    `adds ${marginal.toFixed(0)} B, the rest is what any graph keeps: ${((small.heapWithLazyBytes - marginal * small.entities) / 2 ** 20).toFixed(1)} MB): ${verdict(allIn <= 1024)}`,
);
if (throughput) {
  for (const scenario of ["point", "paged"]) {
    const r = ratioTo(largest, scenario, "rps");
    console.log(
      `- ${scenario} throughput at ${largest} ≥ 0.8× that at ${smallest}: ${f(r)}× (by CPU per request ${f(1 / ratioTo(largest, scenario, "cpu"))}×): ${verdict(r >= 0.8)}`,
    );
  }
  const searchCpu = ratioTo(largest, "search", "cpu");
  const searchP50 = ratioTo(largest, "search", "p50");
  console.log(
    `- search latency at ${largest} ≤ 10× that at ${smallest}: service time (CPU per request) ${f(searchCpu)}×, p50 under load ${f(searchP50)}×: ${verdict(searchCpu <= 10)}`,
  );
}
if (frontendReport.length > 0) console.log(`\n${frontendReport.join("\n")}`);
console.log(
  `\nLoad average before: ${loadBefore.map((x) => x.toFixed(2)).join(", ")}; after: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(", ")}`,
);
