/**
 * `npx tsx bench/wide-objects.ts [--rounds 5] [--root DIR]`: what one request whose variables
 * hold a wide object costs the server (src/server/variables.ts `wideObject`): an input object of
 * 1,000 and 5,000 unknown keys (graphql-js reported each of them, up to 50, with the whole object
 * printed), an object of 9,000 keys where a String is expected, and long values printed in
 * variables' errors (limits.ts `shortenedMessage`). Prints the answer's status,
 * size and errors, and the CPU and wall milliseconds of the process (the server and its client
 * run here) per request. `--root` measures another checkout (a worktree of an earlier commit)
 * with this script, for a ratio from one run.
 */
import { fileURLToPath } from "node:url";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) =>
  argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : fallback;
const rounds = Number(option("rounds", "5"));
const root = option("root", fileURLToPath(new URL("..", import.meta.url)));

const { loadBuiltInGraph } = await import(`${root}/data/load.js`);
const { startServer } = await import(`${root}/tests/support/server.js`);
const server = await startServer(await loadBuiltInGraph(), {
  responseCache: false,
  logLevel: "silent",
});

const QUERY = "query($f: TenureFilter, $n: Int) { tenures(first: $n, filter: $f) { totalCount } }";
const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 1]));
const cases: Record<string, unknown> = {
  "an input object of 1,000 unknown keys": { f: keys(1000) },
  "an input object of 5,000 unknown keys": { f: keys(5000) },
  "an object of 9,000 keys where a String is expected": { f: { when: { activeAt: keys(9000) } } },
  // no wider than its type, but printed whole (the string too) for each of its 9 unknown keys
  "9 unknown keys beside a string of 95,000 characters": {
    f: { when: { activeAt: "x".repeat(95_000) }, ...keys(9) },
  },
  // printed twice: in the error's prefix and in graphql-js's reason
  "a string of 95,000 characters where an Int is expected": { n: "x".repeat(95_000) },
};

console.log(`${root}, ${rounds} rounds each (after 2 to warm up)`);
try {
  for (const [name, variables] of Object.entries(cases)) {
    const body = JSON.stringify({ query: QUERY, variables });
    let said = "";
    const figures: { cpu: number; wall: number }[] = [];
    for (let i = 0; i < rounds + 2; i++) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      const response = await fetch(server.graphql, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      const text = await response.text();
      const used = process.cpuUsage(cpu);
      if (i >= 2)
        figures.push({ cpu: (used.user + used.system) / 1000, wall: performance.now() - start });
      const errors = (JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] }).errors;
      said = `${response.status}, ${text.length} bytes, ${errors?.length ?? 0} errors (${errors?.[0]?.extensions?.code})`;
    }
    const range = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return `${sorted[0]!.toFixed(1)}-${sorted.at(-1)!.toFixed(1)} (median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)})`;
    };
    console.log(
      `${name}, a body of ${body.length} bytes: ${said}; CPU ms ${range(figures.map((f) => f.cpu))}, wall ms ${range(figures.map((f) => f.wall))}`,
    );
  }
} finally {
  await server.close();
}
