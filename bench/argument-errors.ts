/**
 * `npx tsx bench/argument-errors.ts [--entities 20000] [--rounds 20] [--root DIR]`: the CPU time
 * of the server's thread, and the longest turn of its event loop, for one request whose field
 * fails once per item of a list: ten lists of a hundred persons, each person's `tenures` asked
 * with a bad argument (1,000 errors made, ten answered: each list is nulled by its first), alone
 * and after a comment of 90,000 characters (graphql-js found each error's place reading the
 * document from its start), beside the same request with a good argument. A generated dataset
 * (seed 5), the server in this process without its response cache; the client (fetch) too, and
 * its CPU counts. Each round changes the document (no cache answers it). `--root` measures
 * another checkout (a worktree of an earlier commit) with this script, for a ratio from one run.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { msRange, option, probeOptions } from "./probe-options.js";

const entities = Number(option("entities", "20000"));
const { rounds, root } = probeOptions(20);

const { generatedDataset } = await import(`${root}/data/synthetic/datasets.js`);
const { loadJsonGraphWithSnapshot } = await import(`${root}/src/graph/snapshot/load.js`);
const { startServer } = await import(`${root}/tests/support/server.js`);

const { graph } = await loadJsonGraphWithSnapshot(
  generatedDataset(entities, { seed: 5, format: "json" }),
);
const server = await startServer(graph, { responseCache: false, logLevel: "silent" });

const lists = (argument: string) =>
  Array.from(
    { length: 10 },
    (_, k) => `a${k}: persons(first: 100) { nodes { tenures(${argument}) { totalCount } } }`,
  ).join(" ");
const cases: Record<string, (round: number) => string> = {
  "tenures(first: -1) under ten lists of 100": (round) => `# ${round}\n{ ${lists("first: -1")} }`,
  "the same after a comment of 90,000 characters": (round) =>
    `# ${round}${"a".repeat(90_000)}\n{ ${lists("first: -1")} }`,
  '(tenures(first: 1, asOf: "nope"), a date)': (round) =>
    `# ${round}\n{ ${lists('first: 1, asOf: "nope"')} }`,
  "(control: tenures(first: 1), no error)": (round) => `# ${round}\n{ ${lists("first: 1")} }`,
};

console.log(
  `${root}, ${entities} entities, ${rounds} rounds each: CPU of the process, longest turn`,
);
try {
  for (const [name, make] of Object.entries(cases)) {
    const send = async (round: number) => {
      const response = await fetch(server.graphql, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: make(round) }),
      });
      const answer = (await response.json()) as { errors?: unknown[] };
      if (name.startsWith("(control") === Boolean(answer.errors?.length))
        throw new Error(`${name}: ${response.status}, ${answer.errors?.length ?? 0} errors`);
    };
    // (warmed up first: the first requests of a case pay for compiling its path)
    for (let i = 0; i < 3; i++) await send(1000 + i);
    const cpu: number[] = [];
    const turn: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const turns = monitorEventLoopDelay({ resolution: 1 });
      turns.enable();
      const before = process.cpuUsage();
      await send(i);
      const used = process.cpuUsage(before);
      turns.disable();
      cpu.push((used.user + used.system) / 1000);
      turn.push(turns.max / 1e6);
    }
    console.log(`${name}: CPU ${msRange(cpu)}; longest turn ${msRange(turn)}`);
  }
} finally {
  await server.close();
}
