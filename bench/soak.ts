/**
 * Soak test (not run in CI): the real server under N minutes of mixed load, printing its RSS
 * over time and the answers by status, then a summary (RSS growth, errors, latency).
 *
 *   npm run soak -- [--minutes 2] [--connections 8] [--every 10] [--max-old-space MB]
 *
 * `--max-old-space MB` caps the server's V8 old generation (node --max-old-space-size): a leak
 * then ends in an out-of-memory crash (and transport errors) instead of a slow climb.
 *
 * The load mixes the example queries (examples/queries, src/server/examples.ts), searches with typos, lookups by
 * key and by global id, pages with random sizes and cursors, and requests that are refused on purpose
 * (bad arguments, cost and depth limits, malformed JSON, unknown paths), plus /health, /ready
 * and /metrics. Answers with a 5xx, or requests that fail at the transport level, count as
 * errors; the script exits 1 if there were any.
 */
import { spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import { offsetToCursor } from "../src/schema/pagination.js";
import { examples } from "../src/server/examples.js";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};
const minutes = flag("minutes", 2);
const connections = flag("connections", 8);
const everySeconds = flag("every", 10);
const maxOldSpace = args.includes("--max-old-space") ? flag("max-old-space", 0) : undefined;
const root = fileURLToPath(new URL("..", import.meta.url));

/** A small seeded PRNG, so that two soaks send the same mix. */
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const KEYS = [
  "state/kazakhstan",
  "person/gyorgy-szabo",
  "office/osce-field-office-kazakhstan",
  "event/2010-12-astana-osce-summit",
  "place/almaty",
  "state/hungary",
];
const NAMES = [
  "nazarbaev",
  "Sabo",
  "Programmme",
  "astana",
  "odihr",
  "chairmanship",
  "summit",
  "hungary",
  "almaty",
  "trafficking",
];
const KINDS: Record<string, string> = {
  state: "State",
  person: "Person",
  office: "Office",
  event: "Event",
  place: "Place",
};

interface Job {
  method: "GET" | "POST";
  path: string;
  body?: string;
}

const gql = (query: string, variables?: Record<string, unknown>): Job => ({
  method: "POST",
  path: "/graphql",
  body: JSON.stringify({ query, variables }),
});

/** The next request of the mix. */
function nextJob(): Job {
  const r = random();
  if (r < 0.3) return gql(pick(examples).query);
  if (r < 0.45)
    return gql(
      "query Search($q: String!, $n: Int) { search(query: $q, first: $n) { totalCount nodes { matchedName entity { key label } } } }",
      { q: pick(NAMES), n: 1 + Math.floor(random() * 10) },
    );
  if (r < 0.55) {
    const key = pick(KEYS);
    const kind = key.slice(0, key.indexOf("/"));
    const id = Buffer.from(`${KINDS[kind]}:${key}`).toString("base64");
    return gql(
      "query Node($id: ID!) { node(id: $id) { id ... on Entity { key label provenance { kind text } } } }",
      { id },
    );
  }
  if (r < 0.65) {
    const after =
      random() < 0.5
        ? null
        : offsetToCursor(Math.floor(random() * 20), { field: "Query.priorities" });
    return gql(
      "query Page($n: Int, $after: String) { priorities(first: $n, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { key name dimension { name } } } }",
      { n: Math.floor(random() * 30), after },
    );
  }
  if (r < 0.72)
    return gql(
      '{ events(during: "2010") { nodes { name when { edtf } participants { entity { label } role } } } }',
    );
  // refused on purpose
  if (r < 0.76) return gql("{ states(first: 500) { totalCount } }");
  if (r < 0.79)
    return gql(
      "{ offices(first: 100) { nodes { posts(first: 100) { nodes { tenures(first: 100) { nodes { key } } } } } } }",
    );
  if (r < 0.81)
    return gql(
      `{ ${'state(key: "kazakhstan") { persons { nodes { nationality { '.repeat(5)}key${" } } } }".repeat(5)} }`,
    );
  if (r < 0.83)
    return gql('{ person(key: "state/kazakhstan") { name } event(key: "nope") { name } }');
  if (r < 0.85) return { method: "POST", path: "/graphql", body: '{"query": "{ states ' };
  if (r < 0.87) return { method: "GET", path: `/nothing-${Math.floor(random() * 1000)}` };
  if (r < 0.93) return { method: "GET", path: "/health" };
  if (r < 0.97) return { method: "GET", path: "/ready" };
  return { method: "GET", path: "/metrics" };
}

const agent = new Agent({ keepAlive: true, maxSockets: connections });

function send(port: number, job: Job): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: job.path,
        method: job.method,
        agent,
        headers: job.body
          ? { "content-type": "application/json", "content-length": Buffer.byteLength(job.body) }
          : {},
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(job.body);
  });
}

async function main(): Promise<void> {
  const v8 = maxOldSpace ? [`--max-old-space-size=${maxOldSpace}`] : [];
  const child = spawn(
    process.execPath,
    [...v8, "--import", "tsx", "src/server/main.ts", "--port", "0"],
    {
      cwd: root,
      env: { ...process.env, PORT: "", HOST: "", KZ_OSCE_DATA: "", KZ_OSCE_LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let head = "";
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      // the server's log lines are read and dropped, as a log shipper would take them
      if (head.length < 10_000) head += chunk;
      const match = /serving .* at http:\/\/127\.0\.0\.1:(\d+)\//.exec(head);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) =>
      reject(new Error(`the server exited with ${code} before serving`)),
    );
  });

  /** The server's resident set and V8 heap in use, from its own /metrics. */
  const memoryOf = async (): Promise<{ rss: number; heap: number }> => {
    const { body } = await send(port, { method: "GET", path: "/metrics" });
    const value = (name: string) =>
      Number(new RegExp(`^${name} (\\S+)$`, "m").exec(body)?.[1] ?? NaN);
    return {
      rss: value("kz_osce_process_resident_memory_bytes"),
      heap: value("kz_osce_nodejs_heap_size_used_bytes"),
    };
  };
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

  const counts = new Map<string, number>();
  let transportErrors = 0;
  let total = 0;
  const latencies: number[] = [];
  const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const end = Date.now() + minutes * 60_000;

  // warm-up: 10 s of the same load, not counted, so that caches and JIT settle before the baseline
  const worker = async (until: number, record: boolean) => {
    while (Date.now() < until) {
      const started = performance.now();
      try {
        const { status } = await send(port, nextJob());
        if (record) {
          total++;
          count(`${Math.floor(status / 100)}xx`);
          if (latencies.length < 2_000_000) latencies.push(performance.now() - started);
        }
      } catch {
        if (record) transportErrors++;
      }
    }
  };
  console.log(
    `soak: ${minutes} min of mixed load on ${connections} keep-alive connections, server pid ${child.pid}, port ${port}${maxOldSpace ? `, old space capped at ${maxOldSpace} MB` : ""}`,
  );
  await Promise.all(Array.from({ length: connections }, () => worker(Date.now() + 10_000, false)));
  const first = await memoryOf();
  const baseline = first.rss;
  console.log(`t=0s     rss ${mb(baseline)}  heap ${mb(first.heap)} (after 10 s of warm-up)`);
  const samples: number[] = [baseline];
  const heaps: number[] = [first.heap];
  const startedAt = Date.now();
  const sampler = setInterval(() => {
    void memoryOf().then(({ rss, heap }) => {
      samples.push(rss);
      heaps.push(heap);
      const seconds = Math.round((Date.now() - startedAt) / 1000);
      const statuses = [...counts]
        .sort()
        .map(([k, v]) => `${k} ${v}`)
        .join(", ");
      console.log(
        `t=${`${seconds}s`.padEnd(6)} rss ${mb(rss)}  heap ${mb(heap)}  requests ${total} (${Math.round(total / seconds)}/s)  ${statuses}  transport errors ${transportErrors}`,
      );
    });
  }, everySeconds * 1000);
  await Promise.all(Array.from({ length: connections }, () => worker(end, true)));
  clearInterval(sampler);
  const last = await memoryOf();
  const final = last.rss;
  samples.push(final);
  heaps.push(last.heap);

  latencies.sort((a, b) => a - b);
  const quantile = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
  const errors = (counts.get("5xx") ?? 0) + transportErrors;
  console.log("summary:");
  console.log(
    `  requests ${total} in ${minutes} min (${Math.round(total / (minutes * 60))}/s): ${[...counts]
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
  console.log(`  errors (5xx or transport) ${errors}`);
  console.log(
    `  latency p50 ${quantile(0.5)} ms, p99 ${quantile(0.99)} ms, max ${latencies[latencies.length - 1]!.toFixed(1)} ms`,
  );
  console.log(
    `  rss ${mb(baseline)} -> ${mb(final)} (growth ${mb(final - baseline)}, ${(((final - baseline) / baseline) * 100).toFixed(1)}%), max ${mb(Math.max(...samples))}`,
  );
  console.log(
    `  heap in use ${mb(first.heap)} -> ${mb(last.heap)}, max ${mb(Math.max(...heaps))} (it rises and falls with garbage collection)`,
  );

  agent.destroy();
  child.kill("SIGTERM");
  const code = await new Promise((resolve) => child.once("exit", resolve));
  console.log(`  server stopped with exit code ${code}`);
  process.exitCode = errors > 0 || code !== 0 ? 1 : 0;
}

await main();
