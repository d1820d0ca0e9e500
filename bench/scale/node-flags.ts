/**
 * `npx tsx bench/scale/node-flags.ts --data DIR --flags "--max-semi-space-size=64" [--rounds 3] [--duration 5]`
 *
 * The same application (response cache off) on the same dataset, started twice: with Node's
 * defaults and with extra Node/V8 flags (a GC setting, say); the point and paged scenarios of the
 * scale bench sent to each in turns, servers pinned to core 0 and autocannon to core 1. Prints
 * CPU time per request and throughput of each, and the per-round ratio (flags / defaults).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import autocannonModule from "autocannon";
import { median } from "../harness.js";
import { scenarios } from "./scenarios.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback?: string) => {
  const i = argv.indexOf(`--${name}`);
  const value = i >= 0 ? argv[i + 1] : fallback;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
};
const dir = option("data");
const flags = option("flags").split(/\s+/).filter(Boolean);
const rounds = Number(option("rounds", "3"));
const duration = Number(option("duration", "5"));
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
    { stdio: "inherit", env: { ...process.env, BENCH_PINNED: "1" } },
  );
  const [code] = (await once(child, "exit")) as [number | null];
  process.exit(code ?? 1);
}

async function start(extra: string[]): Promise<{ child: ChildProcess; url: string }> {
  const args = [
    process.execPath,
    ...extra,
    "--max-old-space-size=16384",
    "--import",
    "tsx",
    "bench/servers/variant.ts",
    "--variant",
    "app-no-cache",
    "--data",
    dir,
  ];
  const child = pinned
    ? spawn("taskset", ["-c", "0", ...args], { cwd: root, stdio: ["ignore", "pipe", "inherit"] })
    : spawn(args[0]!, args.slice(1), { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  child.stdout!.setEncoding("utf8");
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: string) => {
      out += c;
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}/graphql` };
}

const autocannon = autocannonModule as unknown as (
  o: object,
) => Promise<{ requests: { average: number; total: number }; errors: number; non2xx: number }>;
const ticks = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(f[11]) + Number(f[12]);
};

const servers = { defaults: await start([]), flags: await start(flags) };
console.log(
  `node-flags: ${dir}, flags ${flags.join(" ")}, ${rounds} rounds of ${duration} s, ${pinned ? "pinned" : "NOT pinned"}`,
);
const results: { round: number; scenario: string; server: string; rps: number; cpuUs: number }[] =
  [];
try {
  for (let round = 1; round <= rounds; round++) {
    for (const scenario of scenarios(dir).filter((s) => s.name !== "search")) {
      for (const [name, server] of Object.entries(servers)) {
        let next = 0;
        const run = (seconds: number) =>
          autocannon({
            url: server.url,
            connections: 50,
            duration: seconds,
            headers: { "content-type": "application/json", accept: "application/json" },
            requests: [
              {
                method: "POST",
                setupRequest: (r: object) => ({
                  ...r,
                  body: scenario.bodies[next++ % scenario.bodies.length],
                }),
              },
            ],
          });
        await run(2);
        const before = ticks(server.child.pid!);
        const result = await run(duration);
        if (result.errors || result.non2xx)
          throw new Error(
            `${name} ${scenario.name}: ${result.errors} errors, ${result.non2xx} non-2xx`,
          );
        const cpuUs =
          ((ticks(server.child.pid!) - before) * 10_000) / Math.max(1, result.requests.total);
        results.push({
          round,
          scenario: scenario.name,
          server: name,
          rps: result.requests.average,
          cpuUs,
        });
        console.log(
          `round ${round} ${scenario.name.padEnd(6)} ${name.padEnd(8)} ${result.requests.average.toFixed(0)} req/s, ${cpuUs.toFixed(0)} µs CPU/req`,
        );
      }
    }
  }
} finally {
  for (const server of Object.values(servers)) server.child.kill("SIGKILL");
}
for (const scenario of ["point", "paged"]) {
  const ratio = (field: "rps" | "cpuUs") =>
    median(
      Array.from({ length: rounds }, (_, i) => {
        const a = results.find(
          (r) => r.round === i + 1 && r.scenario === scenario && r.server === "flags",
        )!;
        const b = results.find(
          (r) => r.round === i + 1 && r.scenario === scenario && r.server === "defaults",
        )!;
        return field === "rps" ? a.rps / b.rps : b.cpuUs / a.cpuUs;
      }),
    );
  console.log(
    `${scenario}: with ${flags.join(" ")} / defaults: throughput ${ratio("rps").toFixed(2)}×, by CPU per request ${ratio("cpuUs").toFixed(2)}×`,
  );
}
