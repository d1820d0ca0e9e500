/**
 * `node bench/attack/client-gone.mjs ROOT DATASET_DIR [RUNS]`: clients that send costly queries
 * and go away at once. A server started as `npm start -- --data DIR` (KZ_OSCE_SNAPSHOT_DIR as the
 * environment says) is sent, for 8 s, a wave every 250 ms of 10 distinct filter scans, each on a
 * connection closed 5 ms after its request is written (the attacker holds no connection), while
 * a client that stays asks one such scan after the other, and `/health` is polled from a process
 * of its own. Printed per run: what the staying client got (statuses, median and 95th percentile
 * ms), /health's longest and 99th percentile waits, and the CPU-seconds the server spent.
 */
import { readFileSync } from "node:fs";
import net from "node:net";
import { quantile } from "./lib.mjs";
import { beside, client } from "./queries.mjs";
import { serve } from "./serve.mjs";

const [root, data, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);
const { child, url } = await serve(root, data, "warn");
const port = Number(new URL(url).port);

const QUERIES = {
  scan: () =>
    'persons(first: 10, filter: {anyName: {contains: "ar"}}) { totalCount nodes { key } }',
};
const { text, post } = client(url, QUERIES);

/** The server's CPU-seconds so far (user + system). */
function serverCpuSeconds() {
  const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** One request of a scan, on a connection of its own closed `afterMs` after it is written. */
function sendAndLeave(afterMs) {
  return new Promise((resolve) => {
    const body = JSON.stringify({ query: text("scan") });
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, afterMs);
    });
    socket.on("error", () => resolve());
  });
}

// warm: the documents' caches and the graph's pages
for (let i = 0; i < 5; i++) await post("scan");

for (let run = 1; run <= runs; run++) {
  const cpuBefore = serverCpuSeconds();
  const { wall, health, counts, answers } = await beside(url, async () => {
    let attacking = true;
    const attacker = (async () => {
      while (attacking) {
        await Promise.all(Array.from({ length: 10 }, () => sendAndLeave(5)));
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const stays = [];
    const until = performance.now() + 8000;
    while (performance.now() < until) {
      const t = performance.now();
      const { status } = await post("scan");
      stays.push({ status, ms: performance.now() - t });
    }
    attacking = false;
    await attacker;
    return stays;
  });
  // the server's CPU until the work the attack left is done (a second after the attack)
  await new Promise((r) => setTimeout(r, 1000));
  const cpu = serverCpuSeconds() - cpuBefore;
  const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
  console.log(
    `run ${run}: the staying client in ${(wall / 1000).toFixed(1)} s: ${JSON.stringify(counts)}, ` +
      `median ${quantile(ms, 0.5).toFixed(0)} ms, p95 ${quantile(ms, 0.95).toFixed(0)} ms; ` +
      `/health max ${health.max.toFixed(1)} ms, p99 ${health.p99.toFixed(1)} ms (${health.n} polls); ` +
      `server CPU ${cpu.toFixed(2)} s`,
  );
}
child.kill("SIGTERM");
