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
const copy = mkdtempSync(join(tmpdir(), "kz-reload-bench-"));
// the dataset and its current snapshot (so that the start is quick): the bench is the reloads
cpSync(source, copy, { recursive: true });
const persons = readdirSync(copy).find((name) => /^persons\.(nd)?json$/.test(name));
if (persons !== "persons.ndjson")
  throw new Error(`${source}: an NDJSON dataset is wanted (100k entities and up)`);
const lines = readFileSync(join(copy, persons), "utf8").split("\n").filter(Boolean);
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
const said = (what) =>
  output()
    .split("\n")
    .filter((l) => l.includes(`"msg":"${what}`)).length;
const reloaded = () => said("dataset reloaded");
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
    const latencies = [];
    const failures = new Map();
    let done = false;
    const poll = (async () => {
      while (!done) {
        const t = performance.now();
        try {
          const r = await fetch(`${url}/health`);
          await r.text();
          if (r.status !== 200) failures.set(r.status, (failures.get(r.status) ?? 0) + 1);
        } catch (error) {
          const code = error?.cause?.code ?? error?.message;
          failures.set(code, (failures.get(code) ?? 0) + 1);
        }
        latencies.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    // the first persons' lines once more, with new ids: other bytes, a valid dataset
    const added = lines.slice(0, grow).map((line) => {
      const person = JSON.parse(line);
      person.id = `${person.id}-again-${round}`;
      return `${JSON.stringify(person)}\n`;
    });
    const edited = performance.now();
    appendFileSync(join(copy, persons), added.join(""));
    while (reloaded() < before + workers) {
      const refused = output()
        .split("\n")
        .find((l) => /"level":"error"/.test(l));
      if (refused) throw new Error(`the server said: ${refused}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const roundMs = performance.now() - edited;
    done = true;
    await poll;
    const line = output()
      .split("\n")
      .filter((l) => l.includes('"msg":"dataset reloaded"'))
      .at(-1);
    const { durationMs, entities } = JSON.parse(line);
    const slowest = Math.max(...latencies);
    console.log(
      `round ${round}: reloaded ${entities} entities in ${durationMs} ms${workers > 1 ? ` (the last of ${workers} workers; ${Math.round(roundMs)} ms from the edit, ${fullLoads() - loadsBefore} full load(s))` : ""}; /health asked ${latencies.length} times meanwhile, the slowest in ${slowest.toFixed(1)} ms; ${failures.size === 0 ? "every answer 200" : `not answered 200: ${[...failures].map(([what, n]) => `${n} ${what}`).join(", ")}`}; ${mappedColumns()}`,
    );
  }
  // how each reload went, and how long the serving thread took to read the new snapshot
  for (const line of output().split("\n")) {
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
