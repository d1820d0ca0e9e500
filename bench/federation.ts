/**
 * `npm run bench:federation`: what Hive Gateway adds per request, against asking the subgraph
 * directly. Starts the kz-osce subgraph (`npm start`'s Node flags, `--subgraph`), the countries
 * subgraph and the gateway (examples/supergraph/gateway.ts), each its own process on port 0, then
 * sends the same query both ways with autocannon, the two alternating for `--rounds` rounds:
 *
 * - **Heads**: who headed which office, and the holder's nationality (kz-osce fields only): the
 *   gateway plans it, sends it on to the subgraph and passes the answer back: one extra hop.
 * - **Cross**: the same with the nationality's ISO code and Russian name, which only the
 *   countries subgraph has: through the gateway only (no direct equivalent), for scale.
 *
 * Prints, per scenario and target, the median over the rounds of: req/s, p50 and p99 latency,
 * and the CPU time per request of each process (from /proc; what a busy machine disturbs least);
 * then the gateway's overhead: the added p50 latency and CPU per request, and the throughput ratio.
 * Every answer is checked (identical both ways, no error) before anything is measured.
 *
 *   npm run bench:federation -- [--duration 10] [--rounds 3] [--connections 10]
 *
 * The subgraph keeps its response cache (as `npm start` runs it): repeated requests, direct or
 * from the gateway, are answered from it, so the figures are the HTTP and planning costs of the
 * hop, not the cost of executing the query.
 */
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import { type RunningProcess, startProcess } from "../tests/support/processes.js";
import { bodyDifference, median, serverNodeFlags } from "./harness.js";

const argv = process.argv.slice(2);
function option(name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${name} takes a positive whole number, got ${argv[i + 1]}`);
  return value;
}
const duration = option("duration", 10);
const rounds = option("rounds", 3);
const connections = option("connections", 10);

const HEADS = `{ offices { nodes { name heads { nodes { holder { ... on Person { name nationality { key name } } } when { edtf } } } } } }`;
const CROSS = `{ offices { nodes { name heads { nodes { holder { ... on Person { name nationality { key name isoAlpha2 localizedName(language: "ru") { name } } } } when { edtf } } } } } }`;

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks
}
const TICK_US = 1_000_000 / 100; // Linux USER_HZ
const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

const started: RunningProcess[] = [];
async function stopAll(): Promise<void> {
  for (const running of started) {
    if (running.child.exitCode === null && running.child.signalCode === null)
      running.child.kill("SIGTERM");
  }
  await Promise.all(started.map((running) => running.exited));
}
process.once("SIGINT", () => void stopAll().then(() => process.exit(130)));

console.log(
  `bench:federation: ${new Date().toISOString()}, Node ${process.version}, load average ${loadAverage()}`,
);
console.log(
  `${connections} connections, ${duration} s per run, ${rounds} rounds; starting the subgraphs and the gateway...`,
);
const timeoutMs = 180_000;
const [kzOsce, countries] = await Promise.all([
  startProcess("src/server/main.ts", {
    nodeArgs: serverNodeFlags(),
    args: ["--subgraph", "--port", "0"],
    env: { KZ_OSCE_LOG_LEVEL: "warn" },
    ready: /serving .* at (http:\/\/127\.0\.0\.1:\d+\/graphql)$/m,
    timeoutMs,
  }),
  startProcess("examples/countries-subgraph/main.ts", {
    env: { PORT: "0" },
    ready: /serving at (http:\/\/127\.0\.0\.1:\d+\/graphql)$/m,
    timeoutMs,
  }),
]);
started.push(kzOsce, countries);
const gateway = await startProcess("examples/supergraph/gateway.ts", {
  env: { PORT: "0", KZ_OSCE_SUBGRAPH_URL: kzOsce.url, COUNTRIES_SUBGRAPH_URL: countries.url },
  ready: /serving the supergraph at (http:\/\/127\.0\.0\.1:\d+\/graphql)$/m,
  timeoutMs,
});
started.push(gateway);

const headers = { "content-type": "application/json", accept: "application/json" };
async function answer(url: string, query: string): Promise<string> {
  const response = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query }) });
  return response.text();
}

interface Target {
  scenario: string;
  target: string;
  url: string;
  query: string;
}
const targets: Target[] = [
  { scenario: "Heads", target: "subgraph", url: kzOsce.url, query: HEADS },
  { scenario: "Heads", target: "gateway", url: gateway.url, query: HEADS },
  { scenario: "Cross", target: "gateway", url: gateway.url, query: CROSS },
];

// the same, error-free answer both ways (checked twice: the second answer may come from a cache)
for (let i = 0; i < 2; i++) {
  const reference = await answer(kzOsce.url, HEADS);
  const difference = bodyDifference(reference, await answer(gateway.url, HEADS));
  if (difference)
    throw new Error(`the gateway's answer to Heads differs from the subgraph's: ${difference}`);
  const cross = JSON.parse(await answer(gateway.url, CROSS)) as {
    data?: unknown;
    errors?: unknown;
  };
  if (cross.errors || !cross.data)
    throw new Error(`Cross answered with errors: ${JSON.stringify(cross.errors)}`);
}

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  /** CPU time per request of each process, in µs. */
  cpu: Record<"subgraph" | "gateway" | "countries", number>;
}
const samples = new Map<string, Sample[]>();
const processes = { subgraph: kzOsce, gateway, countries } as const;

async function measure(target: Target, seconds: number): Promise<Sample> {
  const before = Object.fromEntries(
    Object.entries(processes).map(([name, p]) => [name, cpuTicks(p.child.pid!)]),
  );
  const result = await autocannon({
    url: target.url,
    method: "POST",
    headers,
    body: JSON.stringify({ query: target.query }),
    connections,
    duration: seconds,
  });
  if (result.errors || result.timeouts || result.non2xx)
    throw new Error(
      `${target.scenario} via ${target.target}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
    );
  const total = result.requests.total;
  const cpu = Object.fromEntries(
    Object.entries(processes).map(([name, p]) => [
      name,
      ((cpuTicks(p.child.pid!) - before[name]!) * TICK_US) / total,
    ]),
  ) as Sample["cpu"];
  return { rps: total / seconds, p50: result.latency.p50, p99: result.latency.p99, cpu };
}

try {
  // a short warm-up of each (JIT, connections, the subgraph's response cache), discarded
  for (const target of targets) await measure(target, 2);
  for (let round = 1; round <= rounds; round++) {
    for (const target of round % 2 === 1 ? targets : [...targets].reverse()) {
      const key = `${target.scenario} via ${target.target}`;
      const sample = await measure(target, duration);
      samples.set(key, [...(samples.get(key) ?? []), sample]);
      console.log(
        `round ${round}: ${key}: ${sample.rps.toFixed(0)} req/s, p50 ${sample.p50} ms, p99 ${sample.p99} ms`,
      );
    }
  }
} finally {
  await stopAll();
}

const med = (key: string, pick: (s: Sample) => number) =>
  median((samples.get(key) ?? []).map(pick));
console.log(`\nload average after: ${loadAverage()}\n`);
console.log(
  "| scenario | via | req/s | p50 ms | p99 ms | CPU µs/req: subgraph | gateway | countries |",
);
console.log("|---|---|---:|---:|---:|---:|---:|---:|");
for (const target of targets) {
  const key = `${target.scenario} via ${target.target}`;
  console.log(
    `| ${target.scenario} | ${target.target} | ${med(key, (s) => s.rps).toFixed(0)} | ${med(key, (s) => s.p50).toFixed(1)} | ${med(key, (s) => s.p99).toFixed(1)} | ` +
      `${med(key, (s) => s.cpu.subgraph).toFixed(0)} | ${med(key, (s) => s.cpu.gateway).toFixed(0)} | ${med(key, (s) => s.cpu.countries).toFixed(0)} |`,
  );
}
const direct = "Heads via subgraph";
const through = "Heads via gateway";
console.log(
  `\nWhat the gateway adds to Heads (medians over ${rounds} rounds): ` +
    `p50 +${(med(through, (s) => s.p50) - med(direct, (s) => s.p50)).toFixed(1)} ms, ` +
    `CPU +${(med(through, (s) => s.cpu.gateway + s.cpu.subgraph) - med(direct, (s) => s.cpu.subgraph)).toFixed(0)} µs per request (gateway and subgraph together), ` +
    `throughput ${(med(through, (s) => s.rps) / med(direct, (s) => s.rps)).toFixed(2)}x the direct one.`,
);
