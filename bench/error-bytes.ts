/**
 * `npx tsx bench/error-bytes.ts [--rounds 5] [--root DIR] [--subgraph]`: how many bytes the server
 * answers per byte sent for requests made to be answered with many long errors (red team 38, F2),
 * and the CPU time and longest event-loop turn of each: fifteen copies of a chain of fields that
 * differ in their innermost argument (graphql-js's conflicts name every level, with two locations
 * a level), alone and ten in a batch; ten operations of 100 malformed ids; ten of 100 unknown
 * fields. With `--subgraph` (the schema built for subgraph mode, in its own process): ten
 * operations of `_entities` over 100 representations `1`. Each round changes a name, so that no
 * cache of Yoga's answers from an earlier round. The server runs in this process (response cache
 * off), the client (fetch) too, and its CPU counts. `--root` measures another checkout (a worktree
 * of an earlier commit) with this script, for a ratio from one run.
 */
import { cpuOf, msRange, option, probeOptions } from "./probe-options.js";

const { rounds, root } = probeOptions(5);
const subgraph = process.argv.includes("--subgraph");
if (subgraph) await import(`${root}/src/schema/with-federation.js`);

const { loadBuiltInGraph } = await import(`${root}/data/load.js`);
const { startServer } = await import(`${root}/tests/support/server.js`);

const server = await startServer(await loadBuiltInGraph(), {
  responseCache: false,
  logLevel: "silent",
  ...(subgraph && { subgraph: { gatewaySecret: undefined } }),
});

/** Fifteen copies of a chain three `tenures { nodes { post {` deep, differing in the innermost `first`. */
const conflicts = (name: string) =>
  `query ${name} { ${Array.from(
    { length: 15 },
    (_, k) =>
      `persons { nodes { ${"tenures { nodes { post { ".repeat(3)}tenures(first: ${k + 1}) { totalCount } ${"} } } ".repeat(3)}} }`,
  ).join(" ")} }`;
const ten = (make: (i: number) => unknown) =>
  JSON.stringify(Array.from({ length: 10 }, (_, i) => make(i)));

/** Each case: the body for round `round`. */
const cases: Record<string, (round: number) => string> = subgraph
  ? {
      "ten operations of _entities over 100 representations `1`": (round) =>
        ten((i) => ({
          query: `query E${round}x${i}($r: [_Any!]!) { _entities(representations: $r) { __typename } }`,
          variables: { r: Array(100).fill(1) },
        })),
    }
  : {
      "fields that conflict, one operation": (round) =>
        JSON.stringify({ query: conflicts(`C${round}`) }),
      "fields that conflict, ten operations": (round) =>
        ten((i) => ({ query: conflicts(`C${round}x${i}`) })),
      "ten operations of 100 malformed ids": (round) =>
        ten((i) => ({
          query: `query N${round}x${i}($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
          variables: { ids: Array(100).fill("a") },
        })),
      "ten operations of 100 unknown fields": (round) =>
        ten((i) => ({
          query: `query U${round}x${i} { ${Array.from({ length: 100 }, (_, f) => `f${f}`).join(" ")} }`,
        })),
    };

const only = option("case", "");
console.log(
  `${root}${subgraph ? " (subgraph mode)" : ""}, ${rounds} rounds each: bytes sent, bytes answered (identity coding), CPU of the process, longest turn`,
);
try {
  for (const [name, make] of Object.entries(cases)) {
    if (only && !name.includes(only)) continue;
    const send = async (round: number) => {
      const body = make(round);
      const response = await fetch(server.graphql, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          "accept-encoding": "identity",
        },
        body,
      });
      const text = await response.text();
      if (!text.includes('"errors"')) throw new Error(`${name}: ${response.status} without errors`);
      return { sent: Buffer.byteLength(body), answered: Buffer.byteLength(text) };
    };
    // (warmed up first: the first requests of a case pay for compiling its path)
    for (let i = 0; i < 3; i++) await send(1000 + i);
    const cpu: number[] = [];
    const turn: number[] = [];
    let sizes = { sent: 0, answered: 0 };
    for (let i = 0; i < rounds; i++) {
      const figures = await cpuOf(() => send(i));
      cpu.push(figures.ms);
      turn.push(figures.turn);
      sizes = figures.value;
    }
    console.log(
      `${name}: ${sizes.sent} B sent, ${sizes.answered} B answered (${(sizes.answered / sizes.sent).toFixed(1)}x); CPU ${msRange(cpu)}; longest turn ${msRange(turn)}`,
    );
  }
} finally {
  await server.close();
}
