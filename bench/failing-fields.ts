/**
 * `npx tsx bench/failing-fields.ts [--entities 20000] [--rounds 5] [--how abort|timeout|both]
 * [--root DIR]`: the longest turn of the server's event loop when a request's fields fail
 * together. A request of 20 aliased lists of tenures (with their holders, posts, offices and
 * states) at `--entities` (a generated dataset, seed 5), run in slices of 2 ms, has thousands of
 * fields waiting for their turn at any time; they fail together when its client goes away
 * (`abort`: the client aborts 40 ms in) or when it reaches its time limit (`timeout`: 80 ms). A
 * timer every millisecond in the server's thread measures the longest turn from that moment on
 * (300 ms): one figure per round, beside the longest turn before it, while the request ran
 * (its slices, and the collector's pauses: the floor). A round whose request was answered before
 * its abort, or not stopped by its time limit, is said and not counted. The client (fetch) runs on the
 * same thread: its turns count too. `--root` measures another checkout (a worktree of an earlier
 * commit) with this script, for a ratio from one run.
 */
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) =>
  argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : fallback;
const entities = Number(option("entities", "20000"));
const rounds = Number(option("rounds", "5"));
const how = option("how", "both");
const root = option("root", fileURLToPath(new URL("..", import.meta.url)));

const { generatedDataset } = await import(`${root}/data/synthetic/datasets.js`);
const { loadJsonGraphWithSnapshot } = await import(`${root}/src/graph/snapshot/load.js`);
const { DEFAULT_CONFIG } = await import(`${root}/src/server/config.js`);
const { startServer } = await import(`${root}/tests/support/server.js`);

const { graph } = await loadJsonGraphWithSnapshot(
  generatedDataset(entities, { seed: 5, format: "json" }),
);

/** The longest turn in `rounds` rounds, each from the moment the fields fail (ms). */
async function longestTurns(
  mode: "abort" | "timeout",
): Promise<{ figures: number[]; baselines: number[] }> {
  const server = await startServer(graph, {
    limits: {
      ...DEFAULT_CONFIG.limits,
      maxCost: 1_000_000_000,
      executionTimeoutMs: mode === "timeout" ? 80 : 60_000,
      executionSliceMs: 2,
    },
    responseCache: false,
    logLevel: "silent",
  });
  const post = (query: string, signal?: AbortSignal) =>
    fetch(server.graphql, {
      method: "POST",
      signal,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
  try {
    // the office with the most tenures
    const { data } = (await (
      await post("{ offices(first: 100) { nodes { key tenures(first: 1) { totalCount } } } }")
    ).json()) as {
      data: { offices: { nodes: { key: string; tenures: { totalCount: number } }[] } };
    };
    const office = data.offices.nodes.sort(
      (a, b) => b.tenures.totalCount - a.tenures.totalCount,
    )[0]!.key;
    const lists = Array.from(
      { length: 20 },
      (_, i) =>
        `h${i}: tenures(first: 100) { edges { node { key holder { ... on Entity { key label } } post { key office { key } state { key } } } } }`,
    ).join(" ");
    const query = `{ office(key: ${JSON.stringify(office)}) { ${lists} } }`;
    const figures: number[] = [];
    const baselines: number[] = [];
    for (let round = 0; round < rounds; round++) {
      let longest = 0;
      let before = 0;
      let from = Number.POSITIVE_INFINITY;
      let last = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        if (now > from) longest = Math.max(longest, now - last);
        else before = Math.max(before, now - last);
        last = now;
      }, 1);
      const abort = new AbortController();
      const start = performance.now();
      // (the time limit passes 80 ms after the request came: the window opens then)
      if (mode === "timeout") from = start + 80;
      let answered: string | undefined;
      const sent = post(query, abort.signal)
        .then(async (response) => {
          const text = await response.text();
          answered = `${response.status} ${/"code":"(\w+)"/.exec(text)?.[1] ?? "(no code)"}`;
        })
        .catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 40));
      if (mode === "abort") {
        from = performance.now();
        abort.abort();
      }
      await sent;
      await new Promise((resolve) => setTimeout(resolve, 300));
      clearInterval(timer);
      // a round that did not do what it is named for (answered before its abort, or within its
      // time limit) measures nothing of it: said, and not counted
      const missed =
        mode === "abort"
          ? answered !== undefined && `answered before the abort (${answered})`
          : answered !== "503 EXECUTION_TIMEOUT" && `not stopped by its time limit (${answered})`;
      if (missed) {
        console.error(`round ${round} not counted: ${missed}`);
        continue;
      }
      baselines.push(Math.round(before));
      figures.push(Math.round(longest));
    }
    return { figures, baselines };
  } finally {
    await server.close();
  }
}

for (const mode of how === "both" ? (["abort", "timeout"] as const) : [how as "abort"]) {
  const { figures, baselines } = await longestTurns(mode);
  const sorted = [...figures].sort((a, b) => a - b);
  console.log(
    `${mode === "abort" ? "client gone 40 ms in" : "80 ms time limit"}: longest turn after ${sorted[0]}-${sorted.at(-1)} ms (median ${sorted[Math.floor(sorted.length / 2)]}; rounds ${figures.join(", ")}; before it, while the request ran: ${baselines.join(", ")}) at ${entities} entities, ${root}`,
  );
}
