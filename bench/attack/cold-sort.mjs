/**
 * `node bench/attack/cold-sort.mjs [--root DIR] [--data DIR] [--rounds N]`: the first root list
 * ordered other than by its default order on a freshly started server (red team 6, "Cold start":
 * at 100k the first `persons(orderBy: NAME DESC)` took 1,180 ms of CPU, priced 171 ms, the
 * second 200 ms; events and tenures by DATE DESC 970 / 870 ms).
 *
 * Each round starts a fresh server of the checkout ROOT (default: this one) on the dataset
 * (default .cache/datasets/100000) from its snapshot (a start that loads in full to write it is
 * let finish and started again), asks the three orders once each, then once each again, then
 * (where the server makes entities ahead of requests, src/server/warm.ts) waits for its log line
 * saying they are made, then asks a filter that tests every person twice, and prints per request
 * the status and the server's CPU (utime + stime from /proc, 10 ms ticks), each request under a
 * fresh operation name (no cached answer), and the V8 heap /metrics gives (no collection forced)
 * at start and before the filter. With --filter-first, the filter is asked first, at once: it
 * meets the warm-up under way. The server's environment is this script's: set
 * KZ_OSCE_SNAPSHOT_DIR to keep the snapshots of a checkout apart, KZ_OSCE_WARM_ENTITIES=false to
 * see a server without the warm-up.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const argv = process.argv.slice(2);
const option = (name, fallback) =>
  argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback;
const here = fileURLToPath(new URL("../..", import.meta.url));
const root = resolve(option("root", here));
const data = resolve(option("data", `${here}/.cache/datasets/100000`));
const rounds = Number(option("rounds", "2"));
const filterFirst = argv.includes("--filter-first");

const orders = [
  ["persons NAME DESC", "persons(first: 20, orderBy: [{field: NAME, direction: DESC}])"],
  ["events DATE DESC", "events(first: 20, orderBy: [{field: DATE, direction: DESC}])"],
  ["tenures DATE DESC", "tenures(first: 20, orderBy: [{field: DATE, direction: DESC}])"],
];
const scan = [
  "persons anyName contains",
  `persons(first: 20, filter: {anyName: {contains: "zzq"}})`,
];

/** A server of `root` on `data`, listening: its URL, its pid and how its graph was loaded. */
async function start() {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/server/main.ts", "--data", data, "--port", "0", "--host", "127.0.0.1"],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  const collect = (chunk) => (out += chunk);
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  while (!/serving .* at (http:\S+)\/graphql/.test(out)) {
    if (child.exitCode !== null) throw new Error(`the server ended: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = out.match(/serving .* at (http:\S+)\/graphql/)[1];
  const from = out.match(/"from":"(\w+)"/)?.[1] ?? "?";
  const loaded = out.match(/"msg":"loaded[^"]*","from":"\w+","durationMs":(\d+)/)?.[1] ?? "?";
  return { child, url, from, loaded, output: () => out };
}

/** The server's log line saying which entities it made ahead of requests, once it says so (up to 2 minutes). */
async function warmed(server) {
  const line = /\{[^\n]*"msg":"entities made ahead of requests"[^\n]*\}/;
  for (let waited = 0; waited < 120_000 && !line.test(server.output()); waited += 100)
    await new Promise((r) => setTimeout(r, 100));
  const found = server.output().match(line);
  if (!found) return "no warm-up logged";
  const { entities, kinds, ms } = JSON.parse(found[0]);
  return `warm-up: ${entities} entities (${kinds.join(", ")}) in ${ms} ms`;
}

async function heapMiB(server) {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const bytes = Number(/^kz_osce_nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)/m.exec(text)?.[1]);
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

async function stop(child) {
  child.kill("SIGTERM");
  if (child.exitCode === null) await once(child, "exit");
}

const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

async function ask(server, label, field) {
  const cpu = cpuMs(server.child.pid);
  const name = `Q${label.replace(/\W/g, "")}${Date.now()}${Math.random().toString(36).slice(2)}`;
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: `query ${name} { list: ${field} { totalCount nodes { key } } }`,
    }),
  });
  const body = await response.json();
  const answer = body.errors
    ? JSON.stringify(body.errors[0]).slice(0, 120)
    : `totalCount ${body.data.list.totalCount}, first ${body.data.list.nodes[0]?.key ?? "-"}`;
  console.log(
    `  ${label}: ${response.status} ${answer}; server CPU ${cpuMs(server.child.pid) - cpu} ms`,
  );
}

console.log(`${root} on ${data}, node ${process.version}, ${new Date().toISOString()}`);
for (let round = 1; round <= rounds; round++) {
  let server = await start();
  if (server.from !== "snapshot") {
    console.log(`(loaded ${server.from}: snapshot written; started again)`);
    await stop(server.child);
    server = await start();
  }
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  console.log(
    `round ${round}: fresh server, graph from ${server.from} in ${server.loaded} ms, load average ${load}, heap ${await heapMiB(server)}`,
  );
  if (filterFirst) {
    console.log(" at once, a filter testing every person (the warm-up, if any, under way):");
    await ask(server, scan[0], scan[1]);
  }
  for (const pass of ["first", "second"]) {
    console.log(` ${pass} request of each order:`);
    for (const [label, field] of orders) await ask(server, label, field);
  }
  const warm = existsSync(`${root}/src/server/warm.ts`) ? await warmed(server) : "no warm-up";
  console.log(` ${warm}; heap ${await heapMiB(server)}; then a filter testing every person:`);
  await ask(server, scan[0], scan[1]);
  await ask(server, scan[0], scan[1]);
  await stop(server.child);
}
