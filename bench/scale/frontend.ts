/**
 * bench:scale's frontend comparison (`--frontend`): at each size, this server as `npm start` runs
 * it (response cache on: with random keys over a large graph it rarely has an answer) against
 * Fastify + Mercurius with graphql-jit serving the same dataset, on the explorer's own documents
 * with random keys and variables (bench/frontend.ts). Both servers are started, every explorer
 * operation is tried once on ours (one refused at this size, by the cost limit, is left out and
 * named), a sample of requests must get identical answers from both, then they take turns, pinned
 * to core 0. CPU time per request (from /proc) is the primary figure, as on a shared machine.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import autocannonModule from "autocannon";
import {
  type FrontendPool,
  type FrontendRequest,
  frontendRequests,
  PEERS_CANNOT_ANSWER,
} from "../frontend.js";
import { bodyDifference, median, serverNodeFlags } from "../harness.js";
import { idsOf, wordsOf } from "./scenarios.js";

export interface FrontendOptions {
  root: string;
  sizes: readonly number[];
  dataset: (n: number) => string;
  onCore0: (args: string[]) => [string, string[]];
  duration: number;
  warmup: number;
  rounds: number;
  connections: number;
  requests: number;
  /**
   * Every request sent gets a body of its own (a numbered run of JSON whitespace before it:
   * the same document and variables), so that no response cache answers any: the requests
   * cycle through `requests` bodies, whose repeats a cache would otherwise answer.
   */
  unique?: boolean;
}

/** JSON whitespace spelling `n` in base 4: prefixed to a body, it leaves its meaning as it is. */
export function whitespaceTag(n: number): string {
  let tag = "";
  do {
    tag += " \t\n\r"[n % 4];
    n = Math.floor(n / 4);
  } while (n > 0);
  return `${tag} `;
}

/** The collections a dataset directory holds, by the kind of their keys. */
const COLLECTIONS: Record<string, string> = {
  person: "persons",
  office: "offices",
  event: "events",
  tenure: "tenures",
  state: "states",
  post: "posts",
  place: "places",
  priority: "priorities",
  source: "sources",
  dimension: "dimensions",
};

/**
 * What a dataset's frontend requests are drawn from: up to 2,000 keys of each kind (none for a
 * kind the dataset does not have) and 200 words of names.
 */
export function frontendPool(dir: string): FrontendPool {
  const keys: Record<string, string[]> = {};
  for (const [kind, collection] of Object.entries(COLLECTIONS)) {
    try {
      keys[kind] = idsOf(dir, collection, 2000);
    } catch {
      keys[kind] = []; // a dataset without this collection
    }
  }
  return { keys, words: wordsOf(dir, 200) };
}

interface Running {
  name: string;
  child: ChildProcess;
  url: string;
  startMs: number;
}

const autocannon = autocannonModule as unknown as (o: object) => Promise<{
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}>;

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

async function start(name: string, args: string[], options: FrontendOptions): Promise<Running> {
  const began = performance.now();
  const [command, commandArgs] = options.onCore0(args);
  const child = spawn(command, commandArgs, {
    cwd: options.root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  child.stdout!.setEncoding("utf8");
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL"); // not left running behind the benchmark that gave up on it
      reject(new Error(`${name} did not listen within 15 minutes`));
    }, 900_000);
    child.stdout!.on("data", (chunk: string) => {
      out += chunk;
      const match = /port (\d+)/.exec(out) ?? /127\.0\.0\.1:(\d+)\/graphql/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
      if (out.length > 100_000) out = out.slice(-1000);
    });
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code} before listening`)));
  });
  return {
    name,
    child,
    url: `http://127.0.0.1:${port}/graphql`,
    startMs: performance.now() - began,
  };
}

/** One request; tried once more when the connection was closed under it (a keep-alive connection the server timed out as it was reused). */
async function postOnce(url: string, body: string, retry = true): Promise<string> {
  try {
    return await (
      await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body,
        signal: AbortSignal.timeout(120_000),
      })
    ).text();
  } catch (error) {
    if (!retry || (error as Error).name === "TimeoutError") throw error;
    return postOnce(url, body, false);
  }
}

/**
 * One request's answer, asked again (up to 10 times, 2 s apart) while this server refuses it for
 * the machine's sake: shed while its event loop is late, or stopped at the execution deadline when
 * the busy machine gives it a fraction of a core. Such an answer says nothing about the request,
 * and must not leave an operation out of the comparison.
 */
async function post(url: string, body: string): Promise<string> {
  let answer = await postOnce(url, body);
  for (
    let tries = 1;
    tries < 10 && /"code":"(SERVER_OVERLOADED|EXECUTION_TIMEOUT)"/.test(answer);
    tries++
  ) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    answer = await postOnce(url, body);
  }
  return answer;
}

export interface FrontendRow {
  n: number;
  server: string;
  rps: number;
  cpuUsPerRequest: number;
  p50: number;
  p99: number;
  /** Ours over Mercurius, per round, then the median: by throughput and by CPU time per request. */
  ratio: number;
  ratioCpu: number;
}

/** Runs the comparison and returns the lines of its report (printed as it goes as well). */
export async function frontendComparison(options: FrontendOptions): Promise<string[]> {
  const report: string[] = [];
  const rows: FrontendRow[] = [];
  const heap = ["--max-old-space-size=16384"];
  for (const n of options.sizes) {
    const dir = options.dataset(n);
    const { keys, words } = frontendPool(dir);
    // started one after the other inside the try, so that a server that never listens (a start
    // past the time allowed) does not leave the other running
    const servers: Running[] = [];
    try {
      servers.push(
        await start(
          "ours",
          [
            process.execPath,
            ...serverNodeFlags(),
            ...heap,
            "--import",
            "tsx",
            "src/server/main.ts",
            "--port",
            "0",
            "--host",
            "127.0.0.1",
            "--data",
            dir,
          ],
          options,
        ),
      );
      servers.push(
        await start(
          "mercurius",
          [
            process.execPath,
            ...heap,
            "--import",
            "tsx",
            "bench/servers/mercurius.ts",
            "--data",
            dir,
          ],
          options,
        ),
      );
      const [ours, mercurius] = servers as [Running, Running];
      console.log(
        `frontend ${n}: ours listening after ${(ours.startMs / 1000).toFixed(1)} s, mercurius after ${(mercurius.startMs / 1000).toFixed(1)} s`,
      );
      // what ours refuses at this size (the cost limit) is left out, and said
      const leaveOut = new Set(PEERS_CANNOT_ANSWER);
      // (up to 8 requests of each kind: a path search may give up on some pairs of entities)
      const probe = frontendRequests({ keys, words }, 2000, { seed: 7, leaveOut });
      const tried = new Map<string, number>();
      for (const request of probe) {
        const name = JSON.parse(request.body).operationName as string;
        if (leaveOut.has(name) || (tried.get(request.kind) ?? 0) >= 8) continue;
        tried.set(request.kind, (tried.get(request.kind) ?? 0) + 1);
        const answer = await post(ours.url, request.body);
        const problem = bodyDifference(answer, answer);
        if (problem) {
          leaveOut.add(name);
          report.push(`- at ${n} entities, ${name} is left out: ${problem.slice(0, 200)}`);
        }
      }
      const requests: FrontendRequest[] = frontendRequests({ keys, words }, options.requests, {
        seed: n,
        leaveOut,
      });
      const bodies = requests.map((r) => r.body);
      const distinct = new Set(bodies).size;
      // the same answers from both (a sample, every kind of request at least once)
      const sample = [
        ...new Map(requests.map((r) => [r.kind, r.body])).values(),
        ...bodies.filter((_, i) => i % Math.ceil(bodies.length / 40) === 0),
      ];
      for (const body of sample) {
        const expected = await post(ours.url, body);
        const problem =
          bodyDifference(expected, expected) ??
          bodyDifference(expected, await post(mercurius.url, body));
        if (problem)
          throw new Error(
            `frontend at ${n}: mercurius answers differently: ${problem}\n  request: ${body.slice(0, 300)}`,
          );
      }
      console.log(
        `frontend ${n}: ${distinct} distinct of ${bodies.length} requests${options.unique ? " (each sent with a body of its own: --frontend-unique)" : ""}; left out: ${[...leaveOut].join(", ")}`,
      );
      let next = 0;
      const measured: {
        round: number;
        server: string;
        rps: number;
        cpu: number;
        p50: number;
        p99: number;
      }[] = [];
      for (let round = 1; round <= options.rounds; round++) {
        for (const server of servers) {
          const run = (seconds: number) =>
            autocannon({
              url: server.url,
              connections: options.connections,
              duration: seconds,
              headers: { "content-type": "application/json", accept: "application/json" },
              requests: [
                {
                  method: "POST",
                  setupRequest: (r: object) => {
                    const n = next++;
                    const body = bodies[n % bodies.length]!;
                    return { ...r, body: options.unique ? whitespaceTag(n) + body : body };
                  },
                },
              ],
            });
          await run(options.warmup);
          const ticks = cpuTicks(server.child.pid!);
          const result = await run(options.duration);
          // Only answers count. A 503 is this server shedding load (its event loop over
          // KZ_OSCE_MAX_EVENT_LOOP_DELAY_MS, as on a machine where it gets a fraction of a core):
          // said, and left out of the throughput, while its CPU stays in the CPU per answer; any
          // other status is a failure of the benchmark.
          const statuses = Object.entries(result.statusCodeStats ?? {});
          const answered = statuses
            .filter(([code]) => code.startsWith("2"))
            .reduce((sum, [, s]) => sum + s.count, 0);
          const shed = result.statusCodeStats?.["503"]?.count ?? 0;
          const other = statuses.filter(([code]) => !code.startsWith("2") && code !== "503");
          if (result.errors || result.timeouts || other.length > 0) {
            throw new Error(
              `frontend at ${n}, ${server.name}: ${result.errors} errors, ${result.timeouts} timeouts, statuses ${JSON.stringify(result.statusCodeStats)}`,
            );
          }
          if (shed > 0)
            report.push(
              `- at ${n} entities, round ${round}: ${server.name} shed ${shed} of ${shed + answered} requests with 503 (event loop late on the busy machine); counted as not answered`,
            );
          const cpu = ((cpuTicks(server.child.pid!) - ticks) * 10_000) / Math.max(1, answered);
          const rps = answered / options.duration;
          measured.push({
            round,
            server: server.name,
            rps,
            cpu,
            p50: result.latency.p50,
            p99: result.latency.p99,
          });
          console.log(
            `round ${round} frontend ${String(n).padStart(8)} ${server.name.padEnd(9)}: ${rps.toFixed(0)} answers/s${shed ? ` (${shed} shed with 503)` : ""}, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${cpu.toFixed(0)} µs CPU/answer; load average ${loadavg()[0]!.toFixed(1)}`,
          );
        }
      }
      const ratios = (by: "rps" | "cpu") => {
        const list: number[] = [];
        for (let round = 1; round <= options.rounds; round++) {
          const a = measured.find((m) => m.round === round && m.server === "ours");
          const b = measured.find((m) => m.round === round && m.server === "mercurius");
          // a round where either answered nothing in the time gives no ratio (it is in the log)
          if (a && b && a.rps > 0 && b.rps > 0)
            list.push(by === "rps" ? a.rps / b.rps : b.cpu / a.cpu);
        }
        return list.length > 0 ? median(list) : Number.NaN;
      };
      for (const server of ["ours", "mercurius"]) {
        const mine = measured.filter((m) => m.server === server);
        rows.push({
          n,
          server,
          rps: median(mine.map((m) => m.rps)),
          cpuUsPerRequest: median(mine.map((m) => m.cpu)),
          p50: median(mine.map((m) => m.p50)),
          p99: median(mine.map((m) => m.p99)),
          ratio: server === "ours" ? ratios("rps") : 1,
          ratioCpu: server === "ours" ? ratios("cpu") : 1,
        });
      }
    } finally {
      for (const server of servers) {
        server.child.kill("SIGKILL");
        if (server.child.exitCode === null && server.child.signalCode === null)
          await once(server.child, "exit");
      }
    }
  }
  const lines = [
    `## Frontend: the explorer's documents with random keys and variables, this server against Mercurius + jit (median of ${options.rounds} rounds)`,
    "",
    "| entities | server | req/s | × mercurius+jit | CPU µs/req | × mercurius by CPU | p50 ms | p99 ms |",
    "|---:|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.n} | ${r.server} | ${r.rps.toFixed(0)} | ${r.ratio.toFixed(2)}× | ${r.cpuUsPerRequest.toFixed(0)} | ${r.ratioCpu.toFixed(2)}× | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`,
    ),
    "",
    ...report,
    ...rows
      .filter((r) => r.server === "ours")
      .map(
        (r) =>
          `- frontend at ${r.n}, this server / Mercurius + jit ≥ 1.5×: ${r.ratio.toFixed(2)}× by throughput, ${r.ratioCpu.toFixed(2)}× by CPU per request: ${r.ratioCpu >= 1.5 ? "met" : "MISSED"}`,
      ),
  ];
  return lines;
}
