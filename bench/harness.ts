/**
 * The parts of the benchmark harness that are plain functions (tested in bench/tests/harness.test.ts: `npm test --prefix bench`):
 * comparing the bodies servers return, medians and ratios, and the results table.
 */

import { readFileSync } from "node:fs";

/**
 * The Node flags `npm start` runs the server with (package.json's `start` script): the
 * benchmarks start this project's servers with the same flags, so that what they measure is
 * what users run. Throws when the script is no longer `node [flags] --import tsx src/server/main.ts`.
 */
export function serverNodeFlags(
  packageJson: string | URL = new URL("../package.json", import.meta.url),
): string[] {
  const start =
    (JSON.parse(readFileSync(packageJson, "utf8")) as { scripts?: { start?: string } }).scripts
      ?.start ?? "";
  // (the preloads of src/server before tsx, such as the check of TMPDIR and SIGUSR1's listener,
  // are no flags of Node's)
  const match =
    /^node((?: --[\w-]+(?:=\S+)?)*)(?: --import \.\/src\/server\/[\w.-]+\.mjs)* --import tsx src\/server\/main\.ts$/.exec(
      start,
    );
  if (!match)
    throw new Error(
      `package.json's start script is not "node [flags] [--import ./src/server/PRELOAD.mjs ...] --import tsx src/server/main.ts": ${start}`,
    );
  return match[1]!.trim().split(/\s+/).filter(Boolean);
}

/** Why a server's body differs from the reference, or null when it is the same answer. */
export function bodyDifference(reference: string, actual: string): string | null {
  // a trailing newline is framing, not content (Apollo ends its bodies with one)
  const [a, b] = [reference.trimEnd(), actual.trimEnd()];
  let parsed: unknown;
  try {
    parsed = JSON.parse(b);
  } catch {
    return `not JSON: ${abbreviate(b)}`;
  }
  const result = parsed as { data?: unknown; errors?: unknown };
  if (result.errors !== undefined) return `errors: ${abbreviate(JSON.stringify(result.errors))}`;
  if (result.data === null || result.data === undefined) return "no data";
  if (a === b) return null;
  let at = 0;
  while (at < a.length && a[at] === b[at]) at++;
  return `differs at character ${at}: expected …${abbreviate(a.slice(Math.max(0, at - 40), at + 60))}… got …${abbreviate(b.slice(Math.max(0, at - 40), at + 60))}…`;
}

function abbreviate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Run {
  round: number;
  scenario: string;
  server: string;
  rps: number;
  p50: number;
  p99: number;
  rssMb: number;
  /** CPU time of the server process per request, in microseconds. */
  cpuUsPerRequest: number;
  /** Share of one core the server process used during the run (1 = saturated). */
  serverCpu: number;
  /** Share of one core the load generator used (near 1: it may be the bottleneck). */
  loaderCpu: number;
}

/**
 * The median over rounds of the per-round ratio of `server` to `base` in one scenario: by
 * throughput, or (`by: "cpu"`) by CPU time per request, base's over server's, which a busy
 * machine disturbs less than throughput (a server that gets less of its core serves less).
 */
export function ratioToBase(
  runs: readonly Run[],
  scenario: string,
  server: string,
  base: string,
  by: "rps" | "cpu" = "rps",
): number {
  const ratios: number[] = [];
  for (const run of runs) {
    if (run.scenario !== scenario || run.server !== server) continue;
    const other = runs.find(
      (r) => r.round === run.round && r.scenario === scenario && r.server === base,
    );
    if (other)
      ratios.push(by === "rps" ? run.rps / other.rps : other.cpuUsPerRequest / run.cpuUsPerRequest);
  }
  return median(ratios);
}

export interface Row {
  scenario: string;
  server: string;
  rps: number;
  toRaw: number;
  toMercurius: number;
  /** The same ratios by CPU time per request. */
  toRawCpu: number;
  toMercuriusCpu: number;
  p50: number;
  p99: number;
  rssMb: number;
  cpuUsPerRequest: number;
  serverCpu: number;
  loaderCpu: number;
}

export function summarize(
  runs: readonly Run[],
  scenarios: readonly string[],
  servers: readonly string[],
): Row[] {
  const rows: Row[] = [];
  for (const scenario of scenarios) {
    for (const server of servers) {
      const mine = runs.filter((r) => r.scenario === scenario && r.server === server);
      if (mine.length === 0) continue;
      const m = (f: (r: Run) => number) => median(mine.map(f));
      rows.push({
        scenario,
        server,
        rps: m((r) => r.rps),
        toRaw: ratioToBase(runs, scenario, server, "raw"),
        toMercurius: ratioToBase(runs, scenario, server, "mercurius"),
        toRawCpu: ratioToBase(runs, scenario, server, "raw", "cpu"),
        toMercuriusCpu: ratioToBase(runs, scenario, server, "mercurius", "cpu"),
        p50: m((r) => r.p50),
        p99: m((r) => r.p99),
        rssMb: m((r) => r.rssMb),
        cpuUsPerRequest: m((r) => r.cpuUsPerRequest),
        serverCpu: m((r) => r.serverCpu),
        loaderCpu: m((r) => r.loaderCpu),
      });
    }
  }
  return rows;
}

const ratio = (x: number) => (Number.isNaN(x) ? "–" : `${x.toFixed(2)}×`);

export function table(rows: readonly Row[]): string {
  const lines = [
    "| scenario | server | req/s | × raw | × mercurius+jit | p50 ms | p99 ms | RSS MB | CPU µs/req | × raw by CPU | × mercurius by CPU | server CPU | loader CPU |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.scenario} | ${r.server} | ${r.rps.toFixed(0)} | ${ratio(r.toRaw)} | ${ratio(r.toMercurius)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.rssMb.toFixed(0)} | ${r.cpuUsPerRequest.toFixed(0)} | ${ratio(r.toRawCpu)} | ${ratio(r.toMercuriusCpu)} | ${(r.serverCpu * 100).toFixed(0)}% | ${(r.loaderCpu * 100).toFixed(0)}% |`,
    );
  }
  return lines.join("\n");
}

export interface Target {
  what: string;
  value: number;
  goal: number;
}

export function targetLines(targets: readonly Target[]): string[] {
  return targets.map(
    (t) =>
      `- ${t.what}: ${Number.isNaN(t.value) ? "not measured" : `${t.value.toFixed(2)}×`} (target ≥ ${t.goal.toFixed(1)}×): ${Number.isNaN(t.value) ? "NOT MEASURED" : t.value >= t.goal ? "met" : "MISSED"}`,
  );
}

/**
 * `run` timed `runs` times, after `warmup` runs that let V8 compile it: the median and the worst
 * time, in ms (the small in-process benches: utf8-check, document-nesting, share-client).
 */
export function timeRuns(
  run: () => unknown,
  { warmup = 20, runs = 200 }: { warmup?: number; runs?: number } = {},
): { median: number; worst: number } {
  for (let i = 0; i < warmup; i++) run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1]!, worst: times.at(-1)! };
}
