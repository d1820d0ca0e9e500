/**
 * `npx tsx bench/profile-server.ts [--scenario cold|mix|Point|...] [--seconds 5] [--data DIR]
 *                                  [--variant NAME | --peer mercurius|apollo|raw]`:
 * runs this server (src/server/main.ts) under `node --cpu-prof` (or a variant of it, or a peer
 * server of the benchmark, which profile themselves from the moment they listen), sends one
 * scenario of the bench mix at it with autocannon, stops it and prints where the server's time went.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannonModule from "autocannon";
import { loadGraph } from "../data/load.js";
import { SearchIndex } from "../src/graph/search.js";
import { bodyOf, coldDocuments, hotMix } from "../tests/support/mix.js";
import { summarizeProfile } from "./profile-summary.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) =>
  argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : fallback;
const scenario = option("scenario", "cold");
const seconds = Number(option("seconds", "5"));
const dataDir = argv.includes("--data") ? option("data", "") : undefined;
const asOf = argv.includes("--asof");
const root = fileURLToPath(new URL("..", import.meta.url));

const graph = await loadGraph(dataDir);
const served = { graph, search: SearchIndex.build(graph) };
const ops = hotMix(served, { asOf });
const bodies =
  scenario === "cold"
    ? coldDocuments(served, 40_000).map((d) => bodyOf(d, {}))
    : ops
        .filter((op) => scenario === "mix" || op.name === scenario)
        .flatMap((op) => op.variables.map((v) => bodyOf(op, v)));
if (bodies.length === 0) throw new Error(`unknown scenario ${scenario}`);

const dir = mkdtempSync(join(tmpdir(), "kz-prof-"));
// a variant profiles itself from the moment it listens (BENCH_PROFILE); main.ts under --cpu-prof
// (which includes its start-up) writes its profile when SIGINT stops it
const variant = argv.includes("--variant") || argv.includes("--peer");
const extra = argv.includes("--peer")
  ? [`bench/servers/${option("peer", "")}.ts`]
  : variant
    ? ["bench/servers/variant.ts", "--variant", option("variant", "")]
    : ["--cpu-prof", "--cpu-prof-dir", dir, "src/server/main.ts", "--port", "0"];
const child = spawn(
  process.execPath,
  ["--import", "tsx", ...extra, ...(dataDir ? ["--data", dataDir] : [])],
  {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: variant ? { ...process.env, BENCH_PROFILE: join(dir, "server.cpuprofile") } : process.env,
  },
);
child.stdout.setEncoding("utf8");
const port = await new Promise<number>((resolve) => {
  let out = "";
  child.stdout.on("data", (c: string) => {
    out += c;
    const m = /port (\d+)/.exec(out) ?? /127\.0\.0\.1:(\d+)\/graphql/.exec(out);
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
      setupRequest: (r: object) => ({ ...r, body: bodies[next++ % bodies.length] }),
    },
  ],
});
child.kill("SIGINT");
await once(child, "exit");
console.log(`${scenario}: ${result.requests.average.toFixed(0)} req/s while profiling`);
const file = readdirSync(dir)
  .filter((f) => f.endsWith(".cpuprofile"))
  .sort((a, b) => readFileSync(join(dir, b)).length - readFileSync(join(dir, a)).length)[0];
if (!file) throw new Error("no profile written");
console.log(`profile: ${join(dir, file)}`);
console.log(
  summarizeProfile(JSON.parse(readFileSync(join(dir, file), "utf8")), Number(option("top", "30"))),
);
