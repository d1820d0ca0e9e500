/**
 * `npx tsx bench/cold-survival.ts [--docs 22000] [--clients 50] [--root DIR]`: how much of what the
 * server allocates for one-off documents survives a scavenge (V8's minor collection), is moved to
 * the old generation, and what the scavenges cost. The app (tests/support/server.ts, on the
 * built-in data) runs in a child process under `--trace-gc-nvp` with `npm start`'s semi-space;
 * distinct documents (tests/support/mix.ts `coldDocuments`, the bench's cold scenario) are POSTed
 * by CLIENTS keep-alive connections from a worker thread, whose own heap is left out. The first
 * 2,000 documents warm the process up and are not counted. `--root` measures another checkout
 * (a worktree of an earlier commit) with this script.
 *
 * What survives is what is still reachable when a scavenge comes: a request under way, a cache's
 * entry, and whatever a WeakMap's value holds whose key the scavenge has not found dead (V8's
 * minor collections keep such values; only a full collection clears them).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) =>
  argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : fallback;
const docs = Number(option("docs", "22000"));
const clients = Number(option("clients", "50"));
const root = option("root", fileURLToPath(new URL("..", import.meta.url)));
const WARM = 2000;

if (process.env.COLD_SURVIVAL_CHILD === undefined) {
  // the parent: the child under the collector's trace, its lines read for each scavenge
  const child = spawn(
    process.execPath,
    [
      "--max-semi-space-size=64",
      "--trace-gc-nvp",
      "--import",
      "tsx",
      fileURLToPath(import.meta.url),
      ...argv,
    ],
    {
      cwd: root,
      env: { ...process.env, COLD_SURVIVAL_CHILD: "1" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`the measuring process ended with ${code}`);
  // the main thread's scavenges between the two marks: the worker's heap is another isolate,
  // whose lines name another address; the main one's is the first named (it starts first)
  const lines = out.split("\n");
  const from = lines.findIndex((line) => line.startsWith("measuring"));
  const to = lines.findIndex((line) => line.startsWith("measured "));
  const isolate = /\[\d+:(0x[0-9a-f]+)\]/.exec(
    lines.find((line) => line.includes("gc=")) ?? "",
  )?.[1];
  let allocated = 0;
  let survived = 0;
  let promoted = 0;
  let pause = 0;
  let scavenges = 0;
  for (const line of lines.slice(from, to)) {
    if (!line.includes("gc=s") || !isolate || !line.includes(isolate)) continue;
    const field = (name: string) => Number(new RegExp(`\\b${name}=([0-9.]+)`).exec(line)?.[1] ?? 0);
    scavenges++;
    allocated += field("allocated");
    survived += field("new_space_survived");
    promoted += field("promoted");
    pause += field("pause");
  }
  const counted = docs - WARM;
  console.log(lines[to]);
  console.log(
    `${scavenges} scavenges; survived ${((100 * survived) / allocated).toFixed(1)}% of what was allocated ` +
      `(${(allocated / counted / 1024).toFixed(1)} KB a document), ${(promoted / counted / 1024).toFixed(1)} KB a document ` +
      `moved to the old generation; scavenges ${((pause * 1000) / counted).toFixed(1)} µs a document`,
  );
} else {
  await import(`${root}/src/server/node-env.js`);
  const { Worker } = await import("node:worker_threads");
  const { loadGraph } = await import(`${root}/data/load.js`);
  const { SearchIndex } = await import(`${root}/src/graph/search.js`);
  const { bodyOf, coldDocuments } = await import(`${root}/tests/support/mix.js`);
  const { startServer } = await import(`${root}/tests/support/server.js`);
  const graph = await loadGraph(undefined);
  const bodies: string[] = coldDocuments({ graph, search: SearchIndex.build(graph) }, docs).map(
    (d: { name: string; document: string }) => bodyOf(d, {}),
  );
  const server = await startServer(graph, {});
  const client = new Worker(
    `const { workerData, parentPort } = require("node:worker_threads");
     const http = require("node:http");
     const agent = new http.Agent({ keepAlive: true, maxSockets: workerData.clients });
     const post = (body) => new Promise((resolve, reject) => {
       const req = http.request({ agent, port: workerData.port, host: "127.0.0.1", method: "POST", path: "/graphql",
         headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
           if (res.statusCode !== 200) reject(new Error("status " + res.statusCode));
           res.resume(); res.on("end", resolve); });
       req.on("error", reject); req.end(body);
     });
     parentPort.on("message", async ([from, to]) => {
       let i = from;
       await Promise.all(Array.from({ length: workerData.clients }, async () => { while (i < to) await post(workerData.bodies[i++]); }));
       parentPort.postMessage("done");
     });`,
    { eval: true, workerData: { port: Number(new URL(server.url).port), bodies, clients } },
  );
  const run = (from: number, to: number) =>
    new Promise<void>((resolve, reject) => {
      client.once("message", () => resolve());
      client.once("error", reject);
      client.postMessage([from, to]);
    });
  await run(0, WARM);
  process.stdout.write("measuring\n");
  const cpu = process.cpuUsage();
  await run(WARM, docs);
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `measured ${docs - WARM} documents, ${clients} clients, ${root}: ${((used.user + used.system) / (docs - WARM)).toFixed(0)} µs of CPU a document (the client's thread included)\n`,
  );
  await client.terminate();
  await server.close();
}
