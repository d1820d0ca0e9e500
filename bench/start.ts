/**
 * `npm run bench:start -- [--sizes 1000,100000,1000000] [--rounds 3] [--workers 2]
 *                         [--full-sizes 1000,100000] [--seed 1]`
 *
 * How long a server takes to start, and the memory each of its processes holds, on generated
 * datasets (.cache/datasets/N, made by data/synthetic/generate.ts when missing):
 * - start: from spawning `node --import tsx src/server/main.ts --data DIR --port 0` (as `npm
 *   start` runs it, Node flags included) to the first answer of a real query (a person's page with
 *   its tenures and events, after /ready says 200: once the server's warm-up is over, its
 *   entities made and the example queries run, src/server/warm.ts); with workers, that is the first worker's
 *   answer (they start a few at a time: src/server/cluster.ts), and "all workers" is when the
 *   last one listens (the "serving" line);
 * - from the snapshot (src/graph/snapshot; written first if missing or stale, not timed) and,
 *   for the sizes in --full-sizes, with `KZ_OSCE_SNAPSHOT=false` (a full load: read, parse,
 *   validate, index), one process; then from the snapshot with --workers N;
 * - memory once the query is answered: the V8 heap (kz_osce_nodejs_heap_size_used_bytes from
 *   /metrics, summed over workers by the primary, so divided by N) and each process's PSS (its
 *   share of the pages it maps: pages of the snapshot that N workers read through the page cache
 *   count once, split between them).
 * Prints one line per run and a table of ranges over the rounds.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { generatedDataset } from "../data/synthetic/datasets.js";
import { serverNodeFlags } from "./harness.js";
import { idsOf } from "./scale/scenarios.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const sizes = option("sizes", "1000,100000,1000000").split(",").map(Number);
const fullSizes = new Set(
  option("full-sizes", "1000,100000").split(",").filter(Boolean).map(Number),
);
const rounds = Number(option("rounds", "3"));
const workers = Number(option("workers", "2"));
const seed = Number(option("seed", "1"));
const root = fileURLToPath(new URL("..", import.meta.url));

// the same kept datasets as bench:scale and the tests (.cache/datasets/N)
const dataset = (n: number): string => generatedDataset(n, { seed });

interface Run {
  mode: string;
  n: number;
  startMs: number;
  /** Until every worker listens (the "serving" line): the same as startMs for one process. */
  allMs: number;
  /** CPU the server's processes used until then (a busy machine stretches the wall time, less the CPU). */
  cpuSeconds: number;
  heapBytesPerProcess: number;
  pssBytes: number[];
  log: string;
  /** Each serving process's start phases (its "start phases" log line: main.ts, src/graph/snapshot/phases.ts). */
  phases: { name: string; wallMs: number; cpuMs: number | null }[][];
}

function phasesOf(log: string): Run["phases"] {
  const found: Run["phases"] = [];
  for (const line of log.split("\n")) {
    if (!line.startsWith("{") || !line.includes('"start phases"')) continue;
    try {
      found.push((JSON.parse(line) as { phases: Run["phases"][number] }).phases);
    } catch {
      // a line cut by another process's output: not counted
    }
  }
  return found;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds a process has used (user + system, from /proc; Linux), threads included; 0 where unavailable. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the state
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** PSS of a process, from /proc (Linux); 0 where unavailable. */
function pss(pid: number): number {
  try {
    const m = /Pss:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      // the workers, not the helper processes a loader may start (tsx's esbuild service)
      if (
        ppid === pid &&
        readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("src/server/main.ts")
      )
        found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function startOnce(
  mode: "snapshot" | "full" | "workers",
  n: number,
  dir: string,
  person: string,
): Promise<Run> {
  const env = {
    ...process.env,
    KZ_OSCE_SNAPSHOT: mode === "full" ? "false" : "true",
    KZ_OSCE_LOG_LEVEL: "info",
  };
  const args = [
    ...serverNodeFlags(),
    "--max-old-space-size=16384",
    "--import",
    "tsx",
    "src/server/main.ts",
    "--data",
    dir,
    "--port",
    "0",
  ];
  if (mode === "workers") args.push("--workers", String(workers));
  const began = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout!.on("data", (b: Buffer) => (log += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (log += b.toString()));
  try {
    let url: string | undefined;
    for (;;) {
      url =
        /serving .* at (http:\/\/\S+)\/graphql/.exec(log)?.[1] ??
        /"msg":"worker listening".*?"url":"(http:[^"]+)"/.exec(log)?.[1];
      if (url) break;
      if (child.exitCode !== null) throw new Error(`server exited: ${log}`);
      await sleep(20);
    }
    const query = JSON.stringify({
      query:
        "query P($key: String!) { person(key: $key) { key name nationality { name } tenures(first: 5) { totalCount nodes { key post { name } } } events(first: 5) { totalCount } } }",
      variables: { key: person },
    });
    for (;;) {
      const ready = await fetch(`${url}/ready`).then(
        (r) => r.status,
        () => 0,
      );
      if (ready === 200) {
        const answer = (await fetch(`${url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: query,
        }).then((r) => r.json())) as {
          data?: { person?: { key: string } };
        };
        if (answer.data?.person?.key === person) break;
        throw new Error(`unexpected answer: ${JSON.stringify(answer)}`);
      }
      await sleep(20);
    }
    const startMs = performance.now() - began;
    while (!/serving .* at http/.test(log)) {
      if (child.exitCode !== null) throw new Error(`server exited: ${log}`);
      await sleep(20);
    }
    const allMs = performance.now() - began;
    const processes = mode === "workers" ? childrenOf(child.pid!) : [child.pid!];
    const cpu = [child.pid!, ...(mode === "workers" ? processes : [])].reduce(
      (sum, pid) => sum + cpuSeconds(pid),
      0,
    );
    const metrics = await fetch(`${url}/metrics`).then((r) => r.text());
    const heap = Number(
      /^kz_osce_nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)/m.exec(metrics)?.[1] ?? NaN,
    );
    return {
      mode,
      n,
      startMs,
      allMs,
      cpuSeconds: cpu,
      heapBytesPerProcess: heap / processes.length,
      pssBytes: processes.map(pss),
      log,
      phases: phasesOf(log),
    };
  } finally {
    child.kill("SIGTERM");
    if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
  }
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const range = (values: number[], format: (v: number) => string) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 1
    ? format(sorted[0]!)
    : `${format(sorted[0]!)}–${format(sorted.at(-1)!)}`;
};

console.log(
  `bench:start: sizes ${sizes.join(", ")}, ${rounds} rounds, workers ${workers}; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
const results: Run[] = [];
for (const n of sizes) {
  const dir = dataset(n);
  const person = idsOf(dir, "persons", 1)[0]!;
  // the first start writes the snapshot when it is missing or stale: made current first, not timed
  const first = await startOnce("snapshot", n, dir, person);
  console.log(
    `${n}: first start ${(first.startMs / 1000).toFixed(1)} s (${/"msg":"(loaded[^"]*)"/.exec(first.log)?.[1] ?? "?"})`,
  );
  const modes: ("snapshot" | "full" | "workers")[] = [
    "snapshot",
    ...(fullSizes.has(n) ? (["full"] as const) : []),
    ...(workers > 1 ? (["workers"] as const) : []),
  ];
  for (let r = 0; r < rounds; r++) {
    for (const mode of modes) {
      const run = await startOnce(mode, n, dir, person);
      // a start meant to read the snapshot that loaded in full instead (it was stale: src/graph
      // changed during the run, say) measures something else: said, and left out of the table
      const full = mode !== "full" ? /"msg":"(loaded in full[^"]*)"(.*)/.exec(run.log) : null;
      if (full) {
        const reason = /"reason":"([^"]*)"/.exec(full[2]!)?.[1] ?? "?";
        console.log(
          `${n} ${mode}: NOT COUNTED, it loaded in full (${full[1]}; ${reason}) in ${(run.startMs / 1000).toFixed(2)} s`,
        );
        continue;
      }
      results.push(run);
      console.log(
        `${n} ${mode}: ready and answering in ${(run.startMs / 1000).toFixed(2)} s${mode === "workers" ? `, all ${workers} listening in ${(run.allMs / 1000).toFixed(2)} s` : ""} (${run.cpuSeconds.toFixed(1)} s CPU); heap ${mb(run.heapBytesPerProcess)} per process; PSS ${run.pssBytes.map(mb).join(", ")}`,
      );
    }
  }
}

console.log(
  "\nsize       mode       start (s)      all (s)        CPU (s)        heap per process   PSS per process",
);
for (const n of sizes) {
  for (const mode of ["full", "snapshot", "workers"]) {
    const runs = results.filter((r) => r.n === n && r.mode === mode);
    if (runs.length === 0) continue;
    console.log(
      `${String(n).padEnd(10)} ${(mode === "workers" ? `${workers} workers` : mode).padEnd(10)} ${range(
        runs.map((r) => r.startMs / 1000),
        (v) => v.toFixed(1),
      ).padEnd(14)} ${range(
        runs.map((r) => r.allMs / 1000),
        (v) => v.toFixed(1),
      ).padEnd(14)} ${range(
        runs.map((r) => r.cpuSeconds),
        (v) => v.toFixed(1),
      ).padEnd(14)} ${range(
        runs.map((r) => r.heapBytesPerProcess),
        mb,
      ).padEnd(18)} ${range(
        runs.flatMap((r) => r.pssBytes),
        mb,
      )}`,
    );
  }
}
console.log(
  "\nWhere a start's time goes, per serving process (wall ms / main thread CPU ms; ranges over rounds and workers;",
);
console.log(
  "'other thread' phases are wall time on the check's worker thread, beside the main thread's):",
);
for (const n of sizes) {
  for (const mode of ["full", "snapshot", "workers"]) {
    const lists = results.filter((r) => r.n === n && r.mode === mode).flatMap((r) => r.phases);
    if (lists.length === 0) continue;
    console.log(
      `${n} ${mode === "workers" ? `${workers} workers` : mode} (${lists.length} processes):`,
    );
    const names = [...new Set(lists.flatMap((list) => list.map((p) => p.name)))];
    for (const name of names) {
      const found = lists.flatMap((list) => list.filter((p) => p.name === name));
      const cpu = found.map((p) => p.cpuMs).filter((c): c is number => typeof c === "number");
      console.log(
        `  ${name.padEnd(42)} ${range(
          found.map((p) => p.wallMs),
          (v) => v.toFixed(0),
        ).padStart(
          13,
        )} ms  ${cpu.length > 0 ? `${range(cpu, (v) => v.toFixed(0)).padStart(13)} ms CPU` : ""}`,
      );
    }
  }
}
console.log(
  `load average at the end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} (2 cores: above 2, other work shared them)`,
);
