/**
 * `node --import ./bench/namings-patch.mjs --import tsx bench/namings.ts [--documents 3000] [--get]`: how
 * many functions tsx's keepNames names (`__name`, an `Object.defineProperty` each) per cold
 * document the server answers, and where they are made. The server runs in this process with
 * the built-in data, its client (fetch: node's own undici, whose functions are named the same
 * way) too; a closure made per request in the server's own modules would show here with its
 * file. Issue 17: tsx has no setting to turn keepNames off, and these namings were most of what
 * it cost (bench/RESULTS.md).
 */
import "../src/server/node-env.js";

const argv = process.argv.slice(2);
const documents = Number(
  argv.includes("--documents") ? argv[argv.indexOf("--documents") + 1] : 3000,
);
const counts = (
  globalThis as { __namings?: { on: boolean; total: number; sites: Map<string, number> } }
).__namings;
if (!counts) throw new Error("run with --import ./bench/namings-patch.mjs before --import tsx");

// the instrument's control: a closure assigned to a name, made 100 times in a module tsx compiled
const make = () => {
  const inner = () => 1;
  return inner;
};
counts.on = true;
for (let i = 0; i < 100; i++) make();
counts.on = false;
console.log(`control: ${counts.total} functions named for 100 closures made here (100 expected)`);
counts.total = 0;
counts.sites.clear();

const { loadGraph } = await import("../data/load.js");
const { SearchIndex } = await import("../src/graph/search.js");
const { bodyOf, coldDocuments } = await import("../tests/support/mix.js");
const { startServer } = await import("../tests/support/server.js");
const graph = await loadGraph(undefined);
const bodies = coldDocuments({ graph, search: SearchIndex.build(graph) }, documents).map((d) =>
  bodyOf(d, {}),
);
const server = await startServer(graph, {});
// `--get`: each document by GET, through Yoga's own pipeline (a POST of a plain query is answered
// by the shortcut's direct pipeline)
const byGet = argv.includes("--get");
const post = (body: string) => {
  if (!byGet)
    return fetch(server.graphql, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    }).then((response) => response.text());
  const { query, variables } = JSON.parse(body) as { query: string; variables?: unknown };
  const search = new URLSearchParams({
    query,
    ...(variables ? { variables: JSON.stringify(variables) } : {}),
  });
  return fetch(`${server.graphql}?${search}`).then((response) => response.text());
};
try {
  const warm = Math.floor(documents / 6);
  for (let i = 0; i < warm; i++) await post(bodies[i]!);
  counts.on = true;
  for (let i = warm; i < documents; i++) await post(bodies[i]!);
  counts.on = false;
  const measured = documents - warm;
  console.log(
    `${(counts.total / measured).toFixed(2)} functions named per cold document (${measured} documents), by where they were made (sampled):`,
  );
  for (const [site, n] of [...counts.sites].sort((a, b) => b[1] - a[1]).slice(0, 20))
    console.log(`  ${(n / measured).toFixed(2)}  ${site}`);
} finally {
  await server.close();
}
