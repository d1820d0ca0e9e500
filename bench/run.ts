/**
 * `npm run bench -- [--duration 5] [--rounds 3] [--warmup 2] [--connections 50] [--data DIR]
 *                   [--servers raw,ours,mercurius,apollo,variant:NAME,at:DIR] [--scenarios mix,cold,frontend,...] [--cold-docs 40000]
 *                   [--frontend-requests 20000] [--unchecked-at]`
 *
 * Throughput of this server against raw node:http and the peers, measured side by side: each
 * server is started alone on 127.0.0.1 and pinned to core 0, the load generator (autocannon, in
 * this process) to core 1; the servers take turns (A B C D, A B C D, ...) for `rounds` rounds,
 * every scenario of a round against one server before the next one starts. Before measuring,
 * every server must return the identical, error-free body for every request of every scenario
 * (`--unchecked-at`: except the `at:DIR` builds, whose answers are not compared, for a build of
 * an earlier day whose data answered otherwise: what is compared then is only the cost).
 * Prints a table of medians and of the median per-round ratio to raw and to Mercurius + jit.
 */
import {
  type ChildProcess,
  type ExecFileSyncOptionsWithStringEncoding,
  execFileSync,
  spawn,
} from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import autocannonModule from "autocannon";
import { graphql } from "graphql";
import { loadGraph } from "../data/load.js";
import { SearchIndex } from "../src/graph/search.js";
import { schema } from "../src/schema/index.js";
import { bodyOf, coldDocuments, hotMix } from "../tests/support/mix.js";
import { frontendRequests, PEERS_CANNOT_ANSWER, wordsOfKeys } from "./frontend.js";
import {
  bodyDifference,
  median,
  type Run,
  serverNodeFlags,
  summarize,
  table,
  targetLines,
} from "./harness.js";

// ------------------------------------------------------------------ options

const argv = process.argv.slice(2);
function option(name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = argv[i + 1];
  if (value === undefined || value.startsWith("--")) throw new Error(`--${name} needs a value`);
  return value;
}
const numberOption = (name: string, fallback: number) => {
  const value = Number(option(name, String(fallback)));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};
const duration = numberOption("duration", 5);
const rounds = numberOption("rounds", 3);
const warmup = numberOption("warmup", 2);
const connections = numberOption("connections", 50);
const coldCount = numberOption("cold-docs", 40_000);
const frontendCount = numberOption("frontend-requests", 20_000);
const dataDir = argv.includes("--data") ? option("data", "") : undefined;
const uncheckedAt = argv.includes("--unchecked-at");
const serverNames = option("servers", "raw,ours,mercurius,apollo").split(",");
const root = fileURLToPath(new URL("..", import.meta.url));

// Pin this process (the load generator) to core 1, and each server to core 0.
const cores = cpus().length;
const pinned = cores >= 2 && hasTaskset();
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

function hasTaskset(): boolean {
  try {
    execFileSync("taskset", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------ the mix

const loadStart = performance.now();
const graph = await loadGraph(dataDir);
const served = { graph, search: SearchIndex.build(graph) };
const loadMs = performance.now() - loadStart;

/** Whether the schema has Office.heads(asOf:), asked by introspection. */
async function schemaHasAsOf(): Promise<boolean> {
  const result = await graphql({
    schema,
    source: `{ __type(name: "Office") { fields { name args { name } } } }`,
  });
  const fields =
    (result.data?.__type as { fields: { name: string; args: { name: string }[] }[] } | null)
      ?.fields ?? [];
  return fields.some((f) => f.name === "heads" && f.args.some((a) => a.name === "asOf"));
}
const asOf = await schemaHasAsOf();
const ops = hotMix(served, { asOf });

interface Scenario {
  name: string;
  label: string;
  bodies: string[];
  /** Bodies checked for equality before measuring (all of them for the hot mix). */
  checked: string[];
  /** Raw node:http only answers the hand-written mix, not arbitrary documents. */
  raw: boolean;
}
const scenarios: Scenario[] = ops.map((op) => {
  const bodies = op.variables.map((v) => bodyOf(op, v));
  return { name: op.name, label: op.label, bodies, checked: bodies, raw: true };
});
// the mix: the operations' requests interleaved
const mixBodies: string[] = [];
for (let i = 0; i < Math.max(...scenarios.map((s) => s.bodies.length)); i++) {
  for (const s of scenarios) if (i < s.bodies.length) mixBodies.push(s.bodies[i]!);
}
scenarios.push({
  name: "mix",
  label: "hot mix: the five above, interleaved",
  bodies: mixBodies,
  checked: [],
  raw: true,
});
const cold = coldDocuments(served, coldCount).map((d) => bodyOf(d, {}));
scenarios.push({
  name: "cold",
  label: `cold: ${coldCount} distinct documents, each sent once per pass`,
  bodies: cold,
  checked: cold.filter((_, i) => i % Math.ceil(coldCount / 60) === 0),
  raw: false,
});
// the explorer's own documents with random keys and variables (bench/frontend.ts)
const keys = graph.keys as unknown as Record<string, readonly string[]>;
const frontend = frontendRequests({ keys, words: wordsOfKeys(keys) }, frontendCount, {
  leaveOut: PEERS_CANNOT_ANSWER,
}).map((r) => r.body);
const frontendDistinct = new Set(frontend).size;
scenarios.push({
  name: "frontend",
  label: `frontend: the explorer's documents with random keys and variables, ${frontendDistinct} distinct of ${frontendCount} requests (without ${[...PEERS_CANNOT_ANSWER].join(", ")}, which Mercurius + jit cannot answer)`,
  bodies: frontend,
  // every distinct operation at least once, and a spread of the rest
  checked: [
    ...new Map(frontend.map((b) => [JSON.parse(b).operationName as string, b])).values(),
    ...frontend.filter((_, i) => i % Math.ceil(frontendCount / 60) === 0),
  ],
  raw: false,
});
const wanted = option("scenarios", scenarios.map((s) => s.name).join(",")).split(",");
const chosen = scenarios.filter((s) => wanted.includes(s.name));
for (const name of wanted)
  if (!scenarios.some((s) => s.name === name)) throw new Error(`unknown scenario ${name}`);

// ------------------------------------------------------------------ servers

interface ServerSpec {
  name: string;
  label: string;
  args: string[];
  /** Node flags: this project's servers get those of `npm start` (serverNodeFlags), the others Node's defaults. */
  nodeFlags?: string[];
  /** Where it runs (default: this checkout). */
  cwd?: string;
}
const dataArgs = dataDir ? ["--data", dataDir] : [];
const specs: Record<string, ServerSpec> = {
  raw: {
    name: "raw",
    label: "raw node:http (hand-written answers)",
    args: ["bench/servers/raw.ts", "--asof", asOf ? "on" : "off", ...dataArgs],
  },
  // exactly what `npm start` runs, Node flags included (minus the explorer's build check)
  ours: {
    name: "ours",
    label: "this server (src/server/main.ts, as `npm start`)",
    args: ["src/server/main.ts", "--port", "0", "--host", "127.0.0.1", ...dataArgs],
    nodeFlags: serverNodeFlags(),
  },
  mercurius: {
    name: "mercurius",
    label: "Fastify + Mercurius, graphql-jit (jit: 1)",
    args: ["bench/servers/mercurius.ts", ...dataArgs],
  },
  apollo: {
    name: "apollo",
    label: "Apollo Server 5 (startStandaloneServer)",
    args: ["bench/servers/apollo.ts", ...dataArgs],
  },
};
// variants of this server for the decisions in RESULTS.md: variant:NAME (bench/servers/variant.ts)
for (const name of serverNames) {
  if (name.startsWith("variant:")) {
    specs[name] = {
      name,
      label: `variant ${name.slice(8)}`,
      args: ["bench/servers/variant.ts", "--variant", name.slice(8), ...dataArgs],
      nodeFlags: serverNodeFlags(),
    };
  } else if (name.startsWith("at:")) {
    // this server as another checkout has it (`git worktree add --detach DIR main`, with node_modules
    // linked): a before/after comparison measured side by side in one run, not in two runs on a shared machine
    specs[name] = {
      ...specs.ours!,
      name,
      label: `this server as ${name.slice(3)} has it`,
      cwd: name.slice(3),
    };
  } else if (!specs[name]) throw new Error(`unknown server ${name}`);
}

interface Running {
  child: ChildProcess;
  url: string;
  startMs: number;
}

async function start(spec: ServerSpec): Promise<Running> {
  const began = performance.now();
  const command = [process.execPath, ...(spec.nodeFlags ?? []), "--import", "tsx", ...spec.args];
  const cwd = spec.cwd ?? root;
  const child = pinned
    ? spawn("taskset", ["-c", "0", ...command], { cwd, stdio: ["ignore", "pipe", "inherit"] })
    : spawn(command[0]!, command.slice(1), { cwd, stdio: ["ignore", "pipe", "inherit"] });
  child.stdout!.setEncoding("utf8");
  let out = "";
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${spec.name} did not start within 600 s`)),
      600_000,
    );
    child.stdout!.on("data", (chunk: string) => {
      out += chunk;
      const match = /port (\d+)/.exec(out) ?? /127\.0\.0\.1:(\d+)\/graphql/.exec(out);
      if (match) {
        clearTimeout(timer);
        out = "";
        resolve(Number(match[1]));
      }
      if (out.length > 100_000) out = out.slice(-1000);
    });
    child.once("exit", (code) =>
      reject(new Error(`${spec.name} exited with ${code} before listening`)),
    );
  });
  return { child, url: `http://127.0.0.1:${port}/graphql`, startMs: performance.now() - began };
}

async function stop(running: Running): Promise<void> {
  running.child.kill("SIGKILL");
  if (running.child.exitCode === null && running.child.signalCode === null)
    await once(running.child, "exit");
}

const headers = { "content-type": "application/json", accept: "application/json" };

async function post(url: string, body: string): Promise<string> {
  const response = await fetch(url, { method: "POST", headers, body });
  return response.text();
}

/** The reference answer of each checked body: raw's for the hot mix, the first GraphQL server's otherwise. */
const reference = new Map<string, string>();
async function check(server: string, url: string): Promise<void> {
  if (uncheckedAt && server.startsWith("at:")) return;
  for (const scenario of chosen) {
    if (server === "raw" && !scenario.raw) continue;
    for (const body of scenario.checked) {
      const actual = await post(url, body);
      const expected = reference.get(body);
      if (expected === undefined) {
        const problem = bodyDifference(actual, actual);
        if (problem) fail(`${server}, ${scenario.name}: ${problem}\n  request: ${body}`);
        reference.set(body, actual);
        continue;
      }
      const problem = bodyDifference(expected, actual);
      if (problem)
        fail(
          `${server} answers ${scenario.name} differently from the reference: ${problem}\n  request: ${body}`,
        );
    }
  }
}

function fail(message: string): never {
  console.error(`bench: FAILED before measuring: ${message}`);
  process.exit(1);
}

// ------------------------------------------------------------------ measuring

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
interface RequestSpec {
  method: string;
  setupRequest(request: { body?: string }): { body?: string };
}
const autocannon = autocannonModule as unknown as (options: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
  requests: RequestSpec[];
}) => Promise<AutocannonResult>;

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks
}
const TICK_US = 1_000_000 / 100; // Linux USER_HZ

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : NaN;
}

/**
 * Where each scenario's rotation stands: the measured run goes on from where the warm-up stopped,
 * so that a cold run never sends a document twice to one server (its caches would help).
 */
const nextBody = new WeakMap<readonly string[], number>();

async function load(url: string, bodies: readonly string[], seconds: number) {
  let next = nextBody.get(bodies) ?? 0;
  try {
    return await autocannon({
      url,
      connections,
      duration: seconds,
      headers,
      requests: [
        {
          method: "POST",
          setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length]! }),
        },
      ],
    });
  } finally {
    nextBody.set(bodies, next % bodies.length);
  }
}

async function measure(
  round: number,
  scenario: Scenario,
  server: string,
  running: Running,
): Promise<Run> {
  const pid = running.child.pid!;
  await load(running.url, scenario.bodies, warmup);
  const ticks = cpuTicks(pid);
  const cpu = process.cpuUsage();
  const began = performance.now();
  const result = await load(running.url, scenario.bodies, duration);
  const wallUs = (performance.now() - began) * 1000;
  const serverUs = (cpuTicks(pid) - ticks) * TICK_US;
  const used = process.cpuUsage(cpu);
  if (result.errors || result.timeouts || result.non2xx) {
    fail(
      `${server}, ${scenario.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx responses under load`,
    );
  }
  return {
    round,
    scenario: scenario.name,
    server,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rssMb: rssMb(pid),
    cpuUsPerRequest: serverUs / Math.max(1, result.requests.total),
    serverCpu: serverUs / wallUs,
    loaderCpu: (used.user + used.system) / wallUs,
  };
}

// ------------------------------------------------------------------ the run

const cpuModel =
  /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown";
const loadBefore = loadavg();
/**
 * The code each of this project's builds ran, as the run began (its commit, and "with changes"
 * when its tree differs from it): a log that did not say so was once read as another commit's
 * (review 27).
 */
const codeRun = [
  ...(serverNames.includes("ours")
    ? [["ours", fileURLToPath(new URL("..", import.meta.url))]]
    : []),
  ...serverNames.filter((n) => n.startsWith("at:")).map((n) => [n, n.slice(3)]),
].map(([name, dir]) => `${name} ${codeAt(dir!)}`);
const command = `npm run bench -- ${argv.join(" ")}`.trim();
console.log(
  `bench: ${new Date().toISOString()}, Node ${process.version}, ${cores} cores (${cpuModel})`,
);
console.log(`bench: ${command}`);
console.log(`bench: load average before: ${loadBefore.map((l) => l.toFixed(2)).join(", ")}`);
console.log(
  `bench: ${dataDir ?? "built-in dataset"}, ${Object.values(graph.keys).reduce((n, k) => n + k.length, 0)} entities (loaded in ${loadMs.toFixed(0)} ms); ` +
    `${connections} connections, warm-up ${warmup} s then ${duration} s per run, ${rounds} rounds; ` +
    (pinned
      ? "servers pinned to core 0, load generator to core 1"
      : "NOT pinned (taskset missing or one core)"),
);
console.log(
  asOf
    ? "bench: as-of query: Office.heads(asOf:)"
    : "bench: as-of query skipped: schema has no asOf yet; Office.nameOn(date:) stands in",
);
// how many of the requests differ: the frontend's repeat (the same page asked again), the others
// may too (the mix interleaves its operations' variable sets)
for (const s of chosen) {
  const distinct = new Set(s.bodies).size;
  console.log(
    `  scenario ${s.name}: ${s.label} (${s.bodies.length} requests sent in turn, ${distinct === s.bodies.length ? "all distinct" : `${distinct} distinct`})`,
  );
}
for (const name of serverNames) console.log(`  server ${name}: ${specs[name]!.label}`);

const runs: Run[] = [];
const startMs = new Map<string, number[]>();
for (let round = 1; round <= rounds; round++) {
  for (const name of serverNames) {
    const running = await start(specs[name]!);
    startMs.set(name, [...(startMs.get(name) ?? []), running.startMs]);
    try {
      // three times: later answers may come from a server's caches (ours keeps an answer the
      // second time its request comes, and sends it from the third), and must be the same
      for (let pass = 0; pass < 3; pass++) await check(name, running.url);
      for (const scenario of chosen) {
        if (name === "raw" && !scenario.raw) continue;
        const run = await measure(round, scenario, name, running);
        runs.push(run);
        console.log(
          `round ${round} ${name.padEnd(10)} ${scenario.name.padEnd(7)} ${run.rps.toFixed(0).padStart(6)} req/s  p50 ${run.p50} ms  p99 ${run.p99} ms  ` +
            `${run.cpuUsPerRequest.toFixed(0)} µs CPU/req  server ${(run.serverCpu * 100).toFixed(0)}%  loader ${(run.loaderCpu * 100).toFixed(0)}%  RSS ${run.rssMb.toFixed(0)} MB`,
        );
      }
    } finally {
      await stop(running);
    }
  }
}

const loadAfter = loadavg();
const rows = summarize(
  runs,
  chosen.map((s) => s.name),
  serverNames,
);
console.log("\n## Results\n");
console.log(table(rows));
console.log(
  "\nStart-up (spawn to listening, median): " +
    serverNames.map((n) => `${n} ${median(startMs.get(n) ?? []).toFixed(0)} ms`).join(", "),
);
console.log(
  `Load average before: ${loadBefore.map((l) => l.toFixed(2)).join(", ")}; after: ${loadAfter.map((l) => l.toFixed(2)).join(", ")}`,
);
if (codeRun.length > 0) console.log(`Code at the start: ${codeRun.join("; ")}`);
type RatioField = "toRaw" | "toMercurius" | "toRawCpu" | "toMercuriusCpu";
const ours = (scenario: string, field: RatioField) =>
  rows.find((r) => r.scenario === scenario && r.server === "ours")?.[field] ?? NaN;
console.log(
  "\n## Targets (throughput ratio, median of the rounds; then the same by CPU time per request)\n",
);
console.log(
  targetLines([
    { what: "hot mix, this server / raw node:http", value: ours("mix", "toRaw"), goal: 0.6 },
    {
      what: "hot mix, this server / Mercurius + jit",
      value: ours("mix", "toMercurius"),
      goal: 1.0,
    },
    {
      what: "cold distinct queries, this server / Mercurius + jit",
      value: ours("cold", "toMercurius"),
      goal: 1.2,
    },
    {
      what: "frontend (the explorer's documents, random variables), this server / Mercurius + jit",
      value: ours("frontend", "toMercurius"),
      goal: 1.5,
    },
    {
      what: "by CPU per request: hot mix, this server / raw node:http",
      value: ours("mix", "toRawCpu"),
      goal: 0.6,
    },
    {
      what: "by CPU per request: hot mix, this server / Mercurius + jit",
      value: ours("mix", "toMercuriusCpu"),
      goal: 1.0,
    },
    {
      what: "by CPU per request: cold, this server / Mercurius + jit",
      value: ours("cold", "toMercuriusCpu"),
      goal: 1.2,
    },
    {
      what: "by CPU per request: frontend, this server / Mercurius + jit",
      value: ours("frontend", "toMercuriusCpu"),
      goal: 1.5,
    },
  ]).join("\n"),
);
const busyLoader = rows.filter((r) => r.loaderCpu > 0.9);
if (busyLoader.length > 0) {
  console.log(
    `\nNote: the load generator used > 90% of its core for ${busyLoader.map((r) => `${r.server}/${r.scenario}`).join(", ")}: there it may be the limit, not the server.`,
  );
}

/** The commit checked out in `dir`, and whether its tree has changes; "not a git checkout" else. */
function codeAt(dir: string): string {
  try {
    // (git's own complaint, when it has one, is this line's "not a git checkout")
    const quiet: ExecFileSyncOptionsWithStringEncoding = {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    };
    const commit = execFileSync("git", ["-C", dir, "rev-parse", "--short", "HEAD"], quiet).trim();
    const changed = execFileSync("git", ["-C", dir, "status", "--porcelain"], quiet);
    return changed.trim() === "" ? commit : `${commit} with changes`;
  } catch {
    return "not a git checkout";
  }
}
