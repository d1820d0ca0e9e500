/**
 * `npx tsx bench/fragment-trees.ts [--rounds 10] [--root DIR]`: the longest turn of the server's
 * event loop for documents of fragments spread in fragments, which the cost walk (src/server/
 * cost.ts) expands into a tree: each fragment spreads the next under `previous` and `next`, so
 * that `levels` fragments make 2^levels places, in a kilobyte (red team 40's shape), beside a
 * small query. The server runs in this process with the built-in data, without its response
 * cache; the client (fetch) too. Each round changes the document (no cache answers it).
 * `--root` measures another checkout (a worktree of an earlier commit) with this script.
 */
import { printLongestTurns, probeOptions } from "./probe-options.js";

const { rounds, root } = probeOptions(10);

const { loadBuiltInGraph } = await import(`${root}/data/load.js`);
const { startServer } = await import(`${root}/tests/support/server.js`);
const server = await startServer(await loadBuiltInGraph(), {
  responseCache: false,
  logLevel: "silent",
});

/** `levels` fragments on OfficeName, each spreading the next under `previous` and `next`. */
const tree = (levels: number) =>
  `{ office(key: "osce") { nameOn(date: "2010") { ...L0 } } } ${Array.from(
    { length: levels },
    (_, i) =>
      i === levels - 1
        ? `fragment L${i} on OfficeName { name }`
        : `fragment L${i} on OfficeName { name previous { ...L${i + 1} } next { ...L${i + 1} } }`,
  ).join(" ")}`;
const cases: Record<string, string> = {
  "13 levels (1 KB, 8,192 places)": tree(13),
  "10 levels (0.8 KB, 1,024 places)": tree(10),
  "9 levels (0.7 KB, 512 places)": tree(9),
  "(control: persons { nodes { name } })": "{ persons { nodes { name } } }",
};

console.log(`${root}, ${rounds} rounds each: the answer's status, the longest turn`);
try {
  await printLongestTurns(server.graphql, cases, rounds);
} finally {
  await server.close();
}
