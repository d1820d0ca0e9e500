/**
 * Throughput of the ways to limit request bodies (see bench/body-limit-server.ts), one server
 * process at a time and autocannon in this process, on a typical small POST. Prints req/s.
 * The variants take turns, `rounds` times, and the median of each is reported, so that a burst
 * of load from elsewhere on the machine does not decide the comparison.
 *   npm run bench:body -- [--seconds 10] [--connections 10] [--rounds 3]
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { examples } from "../src/server/examples.js";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const seconds = flag("seconds", 10);
const rounds = flag("rounds", 3);
const connections = flag("connections", 10);
const root = fileURLToPath(new URL("..", import.meta.url));
const body = JSON.stringify({ query: examples[2]!.query });

async function measure(variant: string): Promise<number> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "bench/body-limit-server.ts", variant],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout.setEncoding("utf8");
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on("data", (chunk: string) => {
      out += chunk;
      const match = /port (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`${variant} exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  const options = {
    url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    connections,
  };
  await autocannon({ ...options, duration: 2 }); // warm-up
  const result = await autocannon({ ...options, duration: seconds });
  child.kill("SIGKILL");
  await once(child, "exit");
  if (result.errors || result.non2xx)
    throw new Error(`${variant}: ${result.errors} errors, ${result.non2xx} non-2xx`);
  console.log(
    `  ${variant.padEnd(12)} ${result.requests.average.toFixed(0).padStart(6)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms`,
  );
  return result.requests.average;
}

const variants = ["no-limit", "yoga-limit", "buffered", "app"];
console.log(
  `POST of ${body.length} bytes, ${connections} connections, ${seconds} s per run, ${rounds} rounds`,
);
const runs = new Map<string, number[]>(variants.map((v) => [v, []]));
for (let round = 1; round <= rounds; round++) {
  console.log(`round ${round}`);
  for (const variant of variants) runs.get(variant)!.push(await measure(variant));
}
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const medians = Object.fromEntries(variants.map((v) => [v, median(runs.get(v)!)]));
console.log(
  "median req/s:",
  Object.entries(medians)
    .map(([v, r]) => `${v} ${r.toFixed(0)}`)
    .join(", "),
);
console.log(
  `yoga-limit / no-limit: ${(medians["yoga-limit"]! / medians["no-limit"]!).toFixed(2)}; buffered / no-limit: ${(medians.buffered! / medians["no-limit"]!).toFixed(2)}; app / no-limit: ${(medians.app! / medians["no-limit"]!).toFixed(2)}`,
);
