/**
 * Leak check: the app in this process, rounds of mixed requests, and the V8 heap in use after a
 * full garbage collection between rounds. A leak shows as a heap that keeps growing round after
 * round; RSS, which V8 grows and shrinks as it likes, says little on its own.
 *   npm run bench:heap -- [--rounds 10] [--requests 8000]
 * (runs node with --expose-gc)
 */
import { loadBuiltInGraph } from "../data/load.js";
import { createApp, listen } from "../src/server/app.js";
import { examples } from "../src/server/examples.js";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const rounds = flag("rounds", 10);
const perRound = flag("requests", 8000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc (npm run bench:heap does)");
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const before = heapAfterGc();
const app = createApp(await loadBuiltInGraph(), { logLevel: "silent" });
const address = await listen(app.server, 0, "127.0.0.1");
const url = `http://127.0.0.1:${address.port}/graphql`;
const post = async (body: unknown) =>
  (
    await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    })
  ).text();
console.log(`heap after gc: ${mb(before)} before the app, ${mb(heapAfterGc())} with the app`);

let sent = 0;
const worker = async (n: number) => {
  for (let i = 0; i < n; i++, sent++) {
    const r = sent % 4;
    if (r === 0) await post({ query: examples[sent % examples.length]!.query });
    else if (r === 1)
      await post({
        query: "query S($q: String!) { search(query: $q, first: 5) { nodes { matchedName } } }",
        variables: { q: `name${sent}` },
      });
    else if (r === 2) await post({ query: `{ states(first: ${sent % 120}) { totalCount } }` });
    else
      await post({
        query: `{ node(id: "${Buffer.from(`Person:person/p${sent}`).toString("base64")}") { id } }`,
      });
  }
};
const heaps: number[] = [];
for (let round = 1; round <= rounds; round++) {
  await Promise.all(Array.from({ length: 8 }, () => worker(perRound / 8)));
  await new Promise((resolve) => setTimeout(resolve, 200));
  heaps.push(heapAfterGc());
  console.log(
    `round ${round}: ${round * perRound} requests, heap after gc ${mb(heaps[heaps.length - 1]!)}, rss ${mb(process.memoryUsage().rss)}`,
  );
}
console.log(
  `heap after gc from round 1 to ${rounds}: ${mb(heaps[0]!)} -> ${mb(heaps[heaps.length - 1]!)} (${mb(heaps[heaps.length - 1]! - heaps[0]!)} over ${(rounds - 1) * perRound} requests)`,
);
app.server.close();
process.exit(0);
