/**
 * `npx tsx bench/scale/profile.ts --data DIR --scenario point|paged|search [--seconds 10]`: runs
 * the application (response cache off) on a generated dataset, profiles its CPU from the moment
 * it listens (BENCH_PROFILE, bench/servers/variant.ts), sends one scale scenario with autocannon,
 * and prints where the server's time went (GC included).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannonModule from "autocannon";
import { serverNodeFlags } from "../harness.js";
import { summarizeProfile } from "../profile-summary.js";
import { scenarios } from "./scenarios.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback?: string) => {
  const i = argv.indexOf(`--${name}`);
  const value = i >= 0 ? argv[i + 1] : fallback;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
};
const dir = option("data");
const wanted = option("scenario", "search");
const seconds = Number(option("seconds", "10"));
const root = fileURLToPath(new URL("../..", import.meta.url));
const scenario = scenarios(dir).find((s) => s.name === wanted);
if (!scenario) throw new Error(`unknown scenario ${wanted}`);

const profiles = mkdtempSync(join(tmpdir(), "kz-scale-prof-"));
const child = spawn(
  process.execPath,
  [
    ...serverNodeFlags(),
    "--max-old-space-size=16384",
    "--import",
    "tsx",
    "bench/servers/variant.ts",
    "--variant",
    "app-no-cache",
    "--data",
    dir,
  ],
  {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, BENCH_PROFILE: join(profiles, "server.cpuprofile") },
  },
);
child.stdout.setEncoding("utf8");
const port = await new Promise<number>((resolve) => {
  let out = "";
  child.stdout.on("data", (c: string) => {
    out += c;
    const m = /port (\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
});
let next = 0;
const autocannon = autocannonModule as unknown as (
  o: object,
) => Promise<{ requests: { average: number } }>;
const result = await autocannon({
  url: `http://127.0.0.1:${port}/graphql`,
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
child.kill("SIGINT");
await once(child, "exit");
console.log(
  `${wanted} on ${dir}: ${result.requests.average.toFixed(0)} req/s while profiling (the load is in the profile too)`,
);
const file = join(profiles, "server.cpuprofile");
console.log(`profile: ${file}`);
console.log(summarizeProfile(JSON.parse(readFileSync(file, "utf8")), Number(option("top", "25"))));
