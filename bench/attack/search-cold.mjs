/**
 * `node bench/attack/search-cold.mjs URL PID STALL_LOG`: the first search that ranks every hit on
 * a freshly started server (red team 6, finding 2: `osce` ordered by DATE at 100k held the loop
 * 1,168 ms wall, 364 ms of CPU, in one turn). Start the server with the stall logger first:
 *
 *   KZ_BENCH_STALL_MS=20 node --import tsx --import ./bench/attack/loop-stalls.mjs \
 *     src/server/main.ts --data .cache/datasets/100000 --port 0 2> STALL_LOG
 *
 * It asks a plain search first (the server's first request has costs of its own), then the
 * date-ordered one twice, each with a fresh operation name (no cached answer), and prints per
 * request the status, the server's CPU (from /proc/PID/stat, 10 ms ticks) and each stall of 20 ms
 * or more the logger saw meanwhile, as wall/CPU/GC ms: a stall mostly GC is the collector's.
 */
import { readFileSync } from "node:fs";

const [url, pidText, log] = process.argv.slice(2);
const pid = Number(pidText);
const cpuMs = () => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const stalls = (from, to) =>
  readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line.includes("loop stall"))
    .map((line) => JSON.parse(line))
    .filter((s) => Date.parse(s.at) >= from && Date.parse(s.at) <= to + 50);

const searches = [
  ["osce, relevance (the server's first request)", `search(query: "osce", first: 20)`],
  ["osce, relevance", `search(query: "osce", first: 20)`],
  [
    "osce, DATE DESC (the first ranking of every hit)",
    `search(query: "osce", first: 20, orderBy: [{field: DATE, direction: DESC}])`,
  ],
  [
    "osce, DATE DESC",
    `search(query: "osce", first: 20, orderBy: [{field: DATE, direction: DESC}])`,
  ],
];
for (const [label, field] of searches) {
  const started = Date.now();
  const cpu = cpuMs();
  const name = `Q${label.replace(/\W/g, "")}${started}`;
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: `query ${name} { s: ${field} { totalCount nodes { entity { key } date { edtf } } } }`,
    }),
  });
  const body = await response.json();
  await new Promise((resolve) => setTimeout(resolve, 150)); // the logger's last stall
  const ended = Date.now();
  const seen = stalls(started, ended);
  const answer = body.errors
    ? JSON.stringify(body.errors[0]).slice(0, 120)
    : `totalCount ${body.data.s.totalCount}`;
  console.log(
    `${label}: ${response.status} ${answer}, ${ended - started - 150} ms wall, server CPU ${cpuMs() - cpu} ms; stalls ≥ 20 ms (wall/CPU/GC): ${seen.map((s) => `${s.ms}/${s.cpuMs}/${s.gcMs}`).join(" ") || "none"}`,
  );
}
