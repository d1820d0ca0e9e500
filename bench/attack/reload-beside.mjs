/**
 * `node bench/attack/reload-beside.mjs ROOT DATASET_DIR [--rounds 2] [--workers N] [--grow N]`:
 * /health polled every 2 ms while a server started as `npm start -- --data COPY --watch
 * [--workers N]` reloads its dataset, on a copy of DATASET_DIR (edited here: the first person's
 * line appended again with a new id, or the first N persons' with `--grow N`, so that its bytes
 * change and the reload loads, validates and writes the snapshot in full). Per round: the reload's time, as the server
 * logs it, and /health's answers during it: how many, the slowest, and those not answered 200
 * (a status, or the error of a connection cut). A reload that holds the serving thread shows as
 * one /health request as slow as the reload. With `--workers N`, a round lasts until every worker
 * said it reloaded, and its time is from the edit to the last of them; the full loads made for it
 * are counted (one per worker while each loaded for itself). After each round: the snapshot
 * columns files the server's processes have memory-mapped (`/proc/PID/maps`), and how many of
 * them were removed from the disk since (each keeps its disk space while mapped): with datasets
 * whose columns go to a mapped file of their own (more than ~110k entities), a reload maps the
 * new snapshot's file, and the old one is unmapped once its graph is collected (SHOW_MAPPED=1
 * prints the files of each process).
 *
 * `--after S` polls /health S seconds more after each reload, when the garbage collector lets go
 * of the graph the reload replaced, and says the slowest answer then. With
 * `KZ_BENCH_NODE_FLAGS=--trace-gc`, each round also lists the serving thread's garbage
 * collections that held it longer than 100 ms (its isolate is the first to trace one). With
 * `KZ_BENCH_NODE_FLAGS=--import=./bench/attack/loop-stalls.mjs`, the times the server's event
 * loop itself was held 100 ms or more, as the server measured them (a slow /health may also be
 * this process waiting for a core).
 *
 * `--busy N` keeps N clients asking the server for searches of varied words (few of them the
 * same document and variables, so that the response cache seldom answers) throughout each round,
 * and says how many they were answered and how slowly: the requests a reload costs a busy server.
 */
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "./serve.mjs";

const [root, source] = process.argv.slice(2);
const roundsAt = process.argv.indexOf("--rounds");
const rounds = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 2;
const growAt = process.argv.indexOf("--grow");
/** Persons added per round (`--grow N`; 1 by default): a dataset that grows, its files with it. */
const grow = growAt > 0 ? Number(process.argv[growAt + 1]) : 1;
const workersAt = process.argv.indexOf("--workers");
const workers = workersAt > 0 ? Number(process.argv[workersAt + 1]) : 1;
const afterAt = process.argv.indexOf("--after");
/** Seconds /health is polled after each reload (`--after S`; 0 by default). */
const after = afterAt > 0 ? Number(process.argv[afterAt + 1]) : 0;
const busyAt = process.argv.indexOf("--busy");
/** Clients kept asking during each round (`--busy N`; none by default). */
const busy = busyAt > 0 ? Number(process.argv[busyAt + 1]) : 0;
const copy = mkdtempSync(join(tmpdir(), "kz-reload-bench-"));
// the dataset and its current snapshot (so that the start is quick): the bench is the reloads
cpSync(source, copy, { recursive: true });
const persons = readdirSync(copy).find((name) => /^persons\.(nd)?json$/.test(name));
if (persons !== "persons.ndjson")
  throw new Error(`${source}: an NDJSON dataset is wanted (100k entities and up)`);
const personLines = readFileSync(join(copy, persons), "utf8").split("\n").filter(Boolean);
const { child, url, output } = await serve(
  root,
  copy,
  "info",
  workers > 1 ? ["--watch", "--workers", String(workers)] : ["--watch"],
);
/** `pid` and its descendants (the workers of a primary). */
const processTree = (pid) => {
  let children = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean);
  } catch {
    // gone
  }
  return [pid, ...children.flatMap((child) => processTree(Number(child)))];
};
/** The columns files mapped by the server's processes: per process, and those removed since. */
const mappedColumns = () => {
  const perProcess = [];
  let removed = 0;
  for (const pid of processTree(child.pid)) {
    let maps = "";
    try {
      maps = readFileSync(`/proc/${pid}/maps`, "utf8");
    } catch {
      continue;
    }
    const files = new Set(
      maps
        .split("\n")
        .map((line) => line.split(/\s+/).slice(5).join(" "))
        .filter((file) => /\.kz-osce-snapshot-columns-[0-9a-f]+( \(deleted\))?$/.test(file)),
    );
    for (const file of files) if (file.endsWith(" (deleted)") || !existsSync(file)) removed++;
    perProcess.push(files.size);
    if (process.env.SHOW_MAPPED)
      console.log(
        pid,
        [...files].map((file) => file.slice(-24)),
      );
  }
  return `columns files mapped per process: ${perProcess.join(", ")} (${removed} of them removed from the disk)`;
};
/**
 * The server's output, split into lines as it comes (a bench that split all of it every 20 ms
 * took a core of its own once `--trace-gc` made it long): its JSON lines (the log, and
 * loop-stalls.mjs's), and its garbage collections that held an isolate over 100 ms.
 */
const logLines = [];
/** [isolate, kind, ms] of each collection over 100 ms, in order. */
const longCollections = [];
/** The isolate that traced first: the serving thread's (a worker thread's starts later). */
let servingIsolate;
const take = (text) => {
  for (const line of text.split("\n")) {
    if (line.startsWith("{")) logLines.push(line);
    const gc = /^\[\d+:(0x[0-9a-f]+)\]\s+\d+ ms: (\S+(?: \(reduce\))?) .*?MB, ([\d.]+) \//.exec(
      line,
    );
    if (!gc) continue;
    servingIsolate ??= gc[1];
    if (Number(gc[3]) > 100) longCollections.push([gc[1], gc[2], Number(gc[3])]);
  }
};
// what it said before serving (a line it was in the middle of is lost), then what comes
const before = output();
take(before.slice(0, before.lastIndexOf("\n")));
for (const stream of [child.stdout, child.stderr]) {
  let carried = "";
  stream.on("data", (chunk) => {
    const text = carried + chunk;
    const end = text.lastIndexOf("\n");
    carried = text.slice(end + 1);
    if (end >= 0) take(text.slice(0, end));
  });
}
const said = (what) => logLines.filter((l) => l.includes(`"msg":"${what}`)).length;
const reloaded = () => said("dataset reloaded");
/**
 * The stalls of the server's event loop that bench/attack/loop-stalls.mjs reported ending at
 * `since` (a Date) or later, in ms, with how much of each was its garbage collector's (a stall
 * is reported a little after it ends: a count taken before would misplace one).
 */
const loopStalls = (since) =>
  logLines
    .filter((l) => l.startsWith('{"msg":"loop stall"'))
    .map((l) => JSON.parse(l))
    .filter(({ at }) => new Date(at) >= since)
    .map(({ ms, gcMs }) => `${ms} (${gcMs} of it collecting)`);
/** Counts a request not answered 200 in `failures`, by its status or its error's code (errorCode). */
const tally = (failures, what) => failures.set(what, (failures.get(what) ?? 0) + 1);
const errorCode = (error) => error?.cause?.code ?? error?.message;
/** The serving thread's garbage collections (`--trace-gc`) that held it over 100 ms, in order. */
const gcPauses = () =>
  longCollections
    .filter(([isolate]) => isolate === servingIsolate)
    .map(([, kind, ms]) => `${kind} ${Math.round(ms)} ms`);
/** Full loads done for reloads: by each worker (or the only process), or by the primary for all of them. */
const fullLoads = () => said("reloaded in full") + said("reload for the workers: loaded in full");
await new Promise((resolve) => {
  const look = setInterval(() => {
    if (said("watching the dataset for changes") >= workers) resolve(clearInterval(look));
  }, 20);
});
try {
  for (let round = 1; round <= rounds; round++) {
    const before = reloaded();
    const loadsBefore = fullLoads();
    /** [when asked, how long] of each /health answer during the reload. */
    const asked = [];
    const latenciesAfter = [];
    const failures = new Map();
    let reloadedYet = false;
    let done = false;
    const pausesBefore = gcPauses().length;
    const roundStart = new Date();
    const poll = (async () => {
      while (!done) {
        const t = performance.now();
        try {
          const r = await fetch(`${url}/health`);
          await r.text();
          if (r.status !== 200) tally(failures, r.status);
        } catch (error) {
          tally(failures, errorCode(error));
        }
        const ms = performance.now() - t;
        if (reloadedYet) latenciesAfter.push(ms);
        else asked.push([t, ms]);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const busyTimes = [];
    const busyFailures = new Map();
    const words = [
      "ambassador",
      "office",
      "mission",
      "almaty",
      "astana",
      "head",
      "election",
      "osce",
    ];
    const clients = Array.from({ length: busy }, async () => {
      while (!done) {
        const word = words[Math.floor(Math.random() * words.length)];
        const first = 1 + Math.floor(Math.random() * 20);
        const t = performance.now();
        try {
          const r = await fetch(`${url}/graphql`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              query: "query($q: String!, $n: Int) { search(query: $q, first: $n) { totalCount } }",
              variables: { q: word, n: first },
            }),
          });
          await r.text();
          if (r.status !== 200) tally(busyFailures, r.status);
        } catch (error) {
          tally(busyFailures, errorCode(error));
        }
        if (!reloadedYet) busyTimes.push(performance.now() - t);
      }
    });
    await new Promise((r) => setTimeout(r, 100));
    // the first persons' lines once more, with new ids: other bytes, a valid dataset
    const added = personLines.slice(0, grow).map((line) => {
      const person = JSON.parse(line);
      person.id = `${person.id}-again-${round}`;
      return `${JSON.stringify(person)}\n`;
    });
    const edited = performance.now();
    appendFileSync(join(copy, persons), added.join(""));
    while (reloaded() < before + workers) {
      const refused = logLines.find((l) => /"level":"error"/.test(l));
      if (refused) throw new Error(`the server said: ${refused}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const roundMs = performance.now() - edited;
    const seen = performance.now();
    reloadedYet = true;
    await new Promise((r) => setTimeout(r, after * 1000));
    done = true;
    await poll;
    await Promise.all(clients);
    const line = logLines.filter((l) => l.includes('"msg":"dataset reloaded"')).at(-1);
    const { durationMs, entities } = JSON.parse(line);
    const slowest = Math.max(...asked.map(([, ms]) => ms));
    // the reload's last part is the serving thread's read of the new snapshot (readMs, logged);
    // the answers asked before it fell during the load, which runs beside the serving thread
    const readLine = logLines
      .filter((l) => /"msg":"reloaded (in full|from the snapshot)/.test(l))
      .at(-1);
    const readMs = Number(/"readMs":(\d+)/.exec(readLine ?? "")?.[1] ?? 0);
    const readFrom = seen - readMs - 100;
    const slowestIn = (from, to) =>
      Math.max(0, ...asked.filter(([t]) => t >= from && t < to).map(([, ms]) => ms)).toFixed(1);
    console.log(
      `round ${round}: reloaded ${entities} entities in ${durationMs} ms${workers > 1 ? ` (the last of ${workers} workers; ${Math.round(roundMs)} ms from the edit, ${fullLoads() - loadsBefore} full load(s))` : ""}; /health asked ${asked.length} times meanwhile, the slowest in ${slowest.toFixed(1)} ms (${slowestIn(0, readFrom)} during the load, ${slowestIn(readFrom, Infinity)} during the read of ${readMs} ms)${after > 0 ? `; ${latenciesAfter.length} times in the ${after} s after, the slowest in ${Math.max(...latenciesAfter).toFixed(1)} ms` : ""}; ${failures.size === 0 ? "every answer 200" : `not answered 200: ${[...failures].map(([what, n]) => `${n} ${what}`).join(", ")}`}; ${mappedColumns()}`,
    );
    if (busy > 0) {
      busyTimes.sort((a, b) => a - b);
      const at = (q) => busyTimes[Math.min(busyTimes.length - 1, Math.floor(q * busyTimes.length))];
      console.log(
        `  ${busy} busy clients during the reload: ${busyTimes.length} answers (${Math.round((busyTimes.length * 1000) / roundMs)}/s), p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, slowest ${busyTimes.at(-1).toFixed(1)} ms${busyFailures.size > 0 ? `; not answered 200: ${[...busyFailures].map(([what, n]) => `${n} ${what}`).join(", ")}` : ""}`,
      );
    }
    const pauses = gcPauses().slice(pausesBefore);
    if (pauses.length > 0)
      console.log(`  the serving thread's collections over 100 ms: ${pauses.join("; ")}`);
    const stalls = loopStalls(roundStart);
    if (stalls.length > 0)
      console.log(`  the server's event loop held 100 ms or more: ${stalls.join(", ")} ms`);
  }
  // how each reload went, and how long the serving thread took to read the new snapshot
  for (const line of logLines) {
    const said = /"msg":"(reloaded in full[^"]*|reloaded from the snapshot[^"]*)"/.exec(line);
    const readMs = /"readMs":(\d+)/.exec(line);
    if (said)
      console.log(
        `${said[1]}${readMs ? `; the snapshot read on the serving thread in ${readMs[1]} ms` : ""}`,
      );
  }
} finally {
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  rmSync(copy, { recursive: true, force: true });
}
