/**
 * `npx tsx bench/scale/profile-frontend.ts --data DIR [--server ours|mercurius] [--seconds 15]
 *                                          [--repeat]`
 *
 * Where a server's CPU goes under bench:scale's frontend scenario over HTTP: the explorer's
 * documents with random keys and variables (bench/frontend.ts), every body unique as
 * `--frontend-unique` sends them (`--repeat`: bodies cycle, so that our response cache answers
 * repeats). `ours` is this server as `npm start` runs it (its node flags, production mode), under
 * `node --cpu-prof`; `mercurius` is the peer (bench/servers/mercurius.ts, graphql-jit), which
 * profiles itself from the moment it listens (BENCH_PROFILE). After a 5 s warm-up, the requests
 * of `--seconds` are measured: the server's CPU µs per request (from /proc; the profiler's own
 * cost included, so compare profiles, not this figure, with bench:scale's), then the profile of
 * those requests alone (start-up and warm-up left out): the CPU by part (resolvers and graph,
 * executor, HTTP layer, JSON, sockets, GC), self time by package and function, and total time by
 * function (bench/profile-summary.ts).
 *
 * What it answers: which share of a request is the resolvers' and the graph's (the same code in
 * both servers), and which is the executor's and the HTTP layer's (bench/RESULTS.md, "Where
 * caches do not help").
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannonModule from "autocannon";
import { frontendRequests, PEERS_CANNOT_ANSWER } from "../frontend.js";
import { serverNodeFlags } from "../harness.js";
import { type Profile, summarizeProfile } from "../profile-summary.js";
import { frontendPool, whitespaceTag } from "./frontend.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback?: string) => {
  const i = argv.indexOf(`--${name}`);
  const value = i >= 0 ? argv[i + 1] : fallback;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
};
const dir = option("data");
const server = option("server", "ours");
if (server !== "ours" && server !== "mercurius")
  throw new Error(`--server is ours or mercurius, not ${server}`);
const seconds = Number(option("seconds", "15"));
const unique = !argv.includes("--repeat");
const root = fileURLToPath(new URL("../..", import.meta.url));

const bodies = frontendRequests(frontendPool(dir), 20_000, {
  seed: 17,
  leaveOut: PEERS_CANNOT_ANSWER,
}).map((request) => request.body);

const profiles = mkdtempSync(join(tmpdir(), "kz-frontend-prof-"));
const spawned = performance.now();
const child = spawn(
  process.execPath,
  server === "ours"
    ? [
        ...serverNodeFlags(),
        "--cpu-prof",
        `--cpu-prof-dir=${profiles}`,
        "--import",
        "tsx",
        "src/server/main.ts",
        "--port",
        "0",
        "--host",
        "127.0.0.1",
        "--data",
        dir,
      ]
    : ["--import", "tsx", "bench/servers/mercurius.ts", "--data", dir],
  {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      ...(server === "mercurius" && { BENCH_PROFILE: join(profiles, "peer.cpuprofile") }),
    },
  },
);
child.stdout!.setEncoding("utf8");
const port = await new Promise<number>((resolve, reject) => {
  let out = "";
  child.stdout!.on("data", (chunk: string) => {
    out = (out + chunk).slice(-10_000);
    const match = /port (\d+)/.exec(out) ?? /127\.0\.0\.1:(\d+)\/graphql/.exec(out);
    if (match) resolve(Number(match[1]));
  });
  child.once("exit", (code) => reject(new Error(`${server} exited with ${code} before listening`)));
});

const autocannon = autocannonModule as unknown as (o: object) => Promise<{
  requests: { total: number };
  non2xx: number;
  errors: number;
}>;
let next = 0;
const run = (duration: number) =>
  autocannon({
    url: `http://127.0.0.1:${port}/graphql`,
    connections: 50,
    duration,
    headers: { "content-type": "application/json", accept: "application/json" },
    requests: [
      {
        method: "POST",
        setupRequest: (request: object) => {
          const n = next++;
          const body = bodies[n % bodies.length]!;
          return { ...request, body: unique ? whitespaceTag(n) + body : body };
        },
      },
    ],
  });
const cpuTicks = () => {
  const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]);
};

const listened = performance.now();
await run(5);
const before = cpuTicks();
// where the measured requests begin in the profile: ours profiles from its start, the peer from
// the moment it listens
const measuredFromUs = (performance.now() - (server === "ours" ? spawned : listened)) * 1000;
const result = await run(seconds);
const cpu = ((cpuTicks() - before) * 10_000) / Math.max(1, result.requests.total);
console.log(
  `${server}: ${result.requests.total} requests in ${seconds} s (profiled from ${(measuredFromUs / 1e6).toFixed(1)} s on) (${result.non2xx} not 2xx, ${result.errors} errors), ${cpu.toFixed(0)} µs of CPU per request, profiler included; bodies ${unique ? "unique" : "repeating"}`,
);
// ours writes its profile as it exits (SIGTERM: a graceful stop); the peer on SIGINT
child.kill(server === "ours" ? "SIGTERM" : "SIGINT");
await once(child, "exit");
const [file] = readdirSync(profiles)
  .map((name) => join(profiles, name))
  .sort((a, b) => statSync(b).size - statSync(a).size);
if (!file) throw new Error(`${server} wrote no profile into ${profiles}`);
const profile = measuredPart(JSON.parse(readFileSync(file, "utf8")) as Profile, measuredFromUs);
console.log(`${server}'s CPU by part (idle and V8's "program" left out):`);
for (const [part, share] of sharesByPart(profile))
  console.log(`${(share * 100).toFixed(1).padStart(6)}%  ${part}`);
console.log(summarizeProfile(profile, 40));

/** The profile's samples from `fromUs` after its start on (the start-up and the warm-up left out). */
function measuredPart(profile: Profile, fromUs: number): Profile {
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let at = 0;
  profile.samples.forEach((sample, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < fromUs) return;
    samples.push(sample);
    timeDeltas.push(profile.timeDeltas[i] ?? 0);
  });
  return { ...profile, samples, timeDeltas };
}

/**
 * Each sample's part of the work, from the function it was taken in and those that called it:
 * - the resolvers and the graph (src/graph, src/schema, Pothos): the same code in both servers;
 * - the executor: graphql-js, or graphql-jit with the functions it generates (no file of their
 *   own, named after the fields they handle);
 * - the answer's JSON: our `sendResult` (JSON.stringify), Fastify's `serialize` and what it calls;
 * - the sockets' system calls (read, writev);
 * - the server's own HTTP layer: src/server (limits, the cost walk, caches), Fastify and
 *   Mercurius, node's http and buffers;
 * - the garbage collector; anything else.
 */
function sharesByPart(profile: Profile): [string, number][] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  const frames = function* (id: number) {
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at))
      yield byId.get(at)!.callFrame;
  };
  const partOf = (id: number): string | undefined => {
    const { functionName: name, url } = byId.get(id)!.callFrame;
    if (name === "(idle)" || name === "(program)") return undefined;
    if (name === "(garbage collector)") return "garbage collector";
    const callers = [...frames(id)];
    if (
      name === "sendResult" ||
      callers.some((f) => f.functionName === "serialize" && f.url.includes("fastify"))
    )
      return "the answer's JSON";
    if (/\/src\/(graph|schema)\/|@pothos|dataloader/.test(url))
      return "resolvers and graph (shared)";
    if (/\/graphql\/|graphql-jit/.test(url)) return "executor";
    const caller = callers[1];
    if (!url) {
      if (/Handler|__context|^getGraphQLResolveInfo$/.test(name)) return "executor";
      if (
        !name &&
        (caller?.url.includes("graphql-jit") ||
          /Handler|__context/.test(caller?.functionName ?? ""))
      )
        return "executor";
      if (/^(read|writev|write)$/.test(name)) return "socket system calls";
    }
    if (
      /\/src\/server\/|fastify|mercurius|secure-json-parse|find-my-way|prom-client/.test(url) ||
      url.startsWith("node:") ||
      caller?.url.startsWith("node:")
    )
      return "HTTP layer, limits, caches (the server's own)";
    return "other";
  };
  const parts = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const part = partOf(id);
    if (part === undefined) return;
    const time = profile.timeDeltas[i] ?? 0;
    parts.set(part, (parts.get(part) ?? 0) + time);
    total += time;
  });
  return [...parts]
    .map(([part, time]): [string, number] => [part, time / total])
    .sort((a, b) => b[1] - a[1]);
}
