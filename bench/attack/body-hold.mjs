/**
 * How long one request body holds the server's event loop, by its size and shape (red team 13,
 * F3: KZ_OSCE_MAX_BODY_BYTES went up to 100 MB, and a 1 MB body held the loop 44-103 ms in one
 * turn: the JSON of the body parsed, and the document lexed and parsed). A server is started with
 * bench/attack/loop-stalls.mjs, which says each time its loop ran late (here from 1 ms), with the
 * thread's CPU time over that stall (`cpuMs`, Linux's schedstat: what a core spent, not the wait
 * for one on a busy machine). Each body is sent alone, `--repeat` times; the figure of a body is
 * the median over its sends of the longest stall during it, and the hold per MiB is that CPU time
 * over the body's size, for the largest size of each shape.
 *
 *   node bench/attack/body-hold.mjs [--sizes 262144,524288,1048576] [--repeat 5] [--max BYTES]
 *
 * `--max` is the KZ_OSCE_MAX_BODY_BYTES the server is started with (default: the largest size);
 * bodies are a few bytes short of their size, so that a size equal to the limit fits.
 */
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { ms, percentile, sleep } from "./lib.mjs";
import { serve } from "./serve.mjs";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const sizes = flag("sizes", "262144,524288,1048576").split(",").map(Number);
const repeat = Number(flag("repeat", "5"));
const max = Number(flag("max", String(Math.max(...sizes))));
const root = fileURLToPath(new URL("../..", import.meta.url));

/** `head` + as many items (`#` in `item` numbered) as fit in `size` bytes with `tail`, comma-separated. */
const filled = (size, head, item, tail) => {
  const items = [];
  let length = head.length + tail.length;
  for (let i = 0; ; i++) {
    const next = item.replaceAll("#", String(i));
    if (length + next.length + 1 > size) break;
    items.push(next);
    length += next.length + 1;
  }
  return `${head}${items.join(",")}${tail}`;
};
/** The shapes a body may take, each as large as `size`: what the server parses differs. */
const SHAPES = {
  // JSON.parse of small numbers, in a variable the document does not declare
  numbers: (size) => filled(size, '{"query":"{ __typename }","variables":{"x":[', "0", "]}}"),
  // JSON.parse of an object of distinct keys (a dictionary of strings made)
  keys: (size) => filled(size, '{"query":"{ __typename }","variables":{"x":{', '"k#":0', "}}}"),
  // JSON.parse of empty objects: an allocation each
  objects: (size) => filled(size, '{"query":"{ __typename }","variables":{"x":[', "{}", "]}}"),
  // the document lexed: one string token as long as the body (maxTokens counts it once)
  "document-string": (size) =>
    `{"query":"query Q($x: String = \\"${"a".repeat(Math.max(0, size - 80))}\\") { __typename }"}`,
  // the document lexed: a comment as long as the body (not a token at all)
  "document-comment": (size) => `{"query":"{ __typename } #${"a".repeat(Math.max(0, size - 40))}"}`,
  // the same numbers through Yoga's pipeline (`extensions` sends a request there)
  "numbers-yoga": (size) =>
    filled(size, '{"query":"{ __typename }","extensions":{},"variables":{"x":[', "0", "]}}"),
};

process.env.KZ_BENCH_NODE_FLAGS = `${process.env.KZ_BENCH_NODE_FLAGS ?? ""} --import=./bench/attack/loop-stalls.mjs`;
process.env.KZ_BENCH_STALL_MS = "1";
process.env.KZ_OSCE_MAX_BODY_BYTES = String(max);
// no warming of entities: the body's own work only
process.env.KZ_OSCE_WARM_ENTITIES = "false";
// no load shedding: a body sent while the last one's stall is still measured is answered, not 503
process.env.KZ_OSCE_MAX_EVENT_LOOP_DELAY_MS = "0";
const server = await serve(root, undefined, "warn");
const { hostname, port } = new URL(server.url);

/** The loop stalls the server has said so far, in order. */
const stalls = () =>
  server
    .output()
    .split("\n")
    .filter((line) => line.startsWith('{"msg":"loop stall"'))
    .map((line) => JSON.parse(line));

function post(body) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        path: "/graphql",
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The longest stall (its `ms` and `cpuMs`) while `body` was sent and answered. */
async function holdOf(body) {
  await sleep(200); // the stalls of what came before said
  const before = stalls().length;
  const status = await post(body);
  await sleep(200); // a stall is said 50 ms after it ends
  const during = stalls().slice(before);
  const longest = during.reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, cpuMs: 0 });
  return { status, ms: longest.ms, cpuMs: longest.cpuMs ?? longest.ms };
}

console.log(
  `one body at a time, ${repeat} sends each, KZ_OSCE_MAX_BODY_BYTES=${max}; the longest loop stall during it (median of the sends), with the thread's CPU time in it`,
);
const perMiB = [];
for (const [name, make] of Object.entries(SHAPES)) {
  for (const size of sizes) {
    const body = make(size - 8);
    const runs = [];
    // each send a body of its own (a space more in the document), which no cache has seen
    for (let i = 0; i < repeat; i++)
      runs.push(await holdOf(body.replace("{ __typename }", `{ __typename${" ".repeat(i)} }`)));
    const statuses = [...new Set(runs.map((r) => r.status))].join("/");
    const cpu = percentile(
      runs.map((r) => r.cpuMs),
      50,
    );
    const wall = percentile(
      runs.map((r) => r.ms),
      50,
    );
    console.log(
      `  ${name.padEnd(17)} ${String(Buffer.byteLength(body)).padStart(9)} B  status ${statuses}  stall ${ms(wall)} (CPU ${ms(cpu)}; max of the sends ${ms(Math.max(...runs.map((r) => r.ms)))})`,
    );
    if (size === Math.max(...sizes))
      perMiB.push([name, (cpu * 1_048_576) / Buffer.byteLength(body)]);
  }
}
perMiB.sort((a, b) => b[1] - a[1]);
console.log(
  `CPU held per MiB of body, largest size: ${perMiB.map(([n, v]) => `${n} ${ms(v)}`).join(", ")}`,
);
console.log(`worst: ${perMiB[0][0]}, ${ms(perMiB[0][1])} per MiB`);
server.child.kill("SIGTERM");
