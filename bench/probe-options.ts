/**
 * What the request probes share (bench/echoed-names.ts, argument-errors.ts, overlapping-fields.ts,
 * error-bytes.ts, fragment-trees.ts, each one request shape at a time against a server in their
 * own process): their options (`--rounds N`, `--root DIR` to measure another checkout, a worktree
 * of an earlier commit, with the same script), how they measure a request and how they print a
 * run of figures.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

/** The value of `--name` on the command line, or `fallback`. */
export function option(name: string, fallback: string): string {
  const argv = process.argv.slice(2);
  return argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : fallback;
}

/** `--rounds` (default `rounds`), and `--root`: the checkout measured (default this one). */
export function probeOptions(rounds: number): { rounds: number; root: string } {
  return {
    rounds: Number(option("rounds", String(rounds))),
    root: option("root", fileURLToPath(new URL("..", import.meta.url))),
  };
}

/** `figures`' range and median, in ms. */
export function msRange(figures: readonly number[]): string {
  const sorted = [...figures].sort((a, b) => a - b);
  return `${sorted[0]!.toFixed(1)}-${sorted.at(-1)!.toFixed(1)} ms (median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)})`;
}

/**
 * CPU milliseconds of this process while `run` runs, the longest turn of its event loop then
 * (ms), and what it returned.
 */
export async function cpuOf<T>(
  run: () => Promise<T>,
): Promise<{ ms: number; turn: number; value: T }> {
  const turns = monitorEventLoopDelay({ resolution: 1 });
  turns.enable();
  const before = process.cpuUsage();
  const value = await run();
  const used = process.cpuUsage(before);
  turns.disable();
  return { ms: (used.user + used.system) / 1000, turn: turns.max / 1e6, value };
}

/**
 * For each of `cases` (a name and a query), POSTs it `rounds` times to `graphql` (a comment with
 * the round first, so that no cache answers it; after two rounds of warming up: the first
 * requests of a case pay for compiling its path) and prints the answer's status and the range of
 * the longest turns of this process's event loop.
 */
export async function printLongestTurns(
  graphql: string,
  cases: Record<string, string>,
  rounds: number,
): Promise<void> {
  for (const [name, query] of Object.entries(cases)) {
    let status = 0;
    const send = async (round: number) => {
      const response = await fetch(graphql, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/graphql-response+json",
        },
        body: JSON.stringify({ query: `# ${round}\n${query}` }),
      });
      await response.text();
      status = response.status;
    };
    for (let i = 0; i < 2; i++) await send(1000 + i);
    const turn: number[] = [];
    for (let i = 0; i < rounds; i++) turn.push((await cpuOf(() => send(i))).turn);
    console.log(`${name}: ${status}; longest turn ${msRange(turn)}`);
  }
}

/**
 * `printLongestTurns` of `cases` against a server of `root`'s checkout, in this process: the
 * built-in data, no response cache, no log (overlapping-fields.ts, fragment-trees.ts).
 */
export async function printLongestTurnsAt(
  root: string,
  cases: Record<string, string>,
  rounds: number,
): Promise<void> {
  const { loadBuiltInGraph } = await import(`${root}/data/load.js`);
  const { startServer } = await import(`${root}/tests/support/server.js`);
  const server = await startServer(await loadBuiltInGraph(), {
    responseCache: false,
    logLevel: "silent",
  });
  console.log(`${root}, ${rounds} rounds each: the answer's status, the longest turn`);
  try {
    await printLongestTurns(server.graphql, cases, rounds);
  } finally {
    await server.close();
  }
}
