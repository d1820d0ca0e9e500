/**
 * What a small answer kept by the response cache holds, against what the cache weighs it at
 * (src/server/response-cache.ts, `weightOf`, whose ENTRY_OVERHEAD this measures): the app in
 * this process, N distinct GETs of `{ __typename }` sent once (nothing kept: the control, an ETag
 * issued and a key's hash noted for each), then each again (kept), and the heap and the
 * ArrayBuffers retained after a full garbage collection before and after the second round.
 * Red team 14 (F4) found ~1.3 KB held for an entry counted ~290 bytes.
 *   node --expose-gc --import tsx bench/response-cache-weight.ts [--count 20000]
 */
import { loadBuiltInGraph } from "../data/load.js";
import { createApp, listen } from "../src/server/app.js";
import { ENTRY_OVERHEAD } from "../src/server/response-cache.js";

const args = process.argv.slice(2);
const at = args.indexOf("--count");
const count = at >= 0 ? Number(args[at + 1]) : 20_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");
const retained = () => {
  for (let i = 0; i < 3; i++) gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

const app = createApp(await loadBuiltInGraph(), { logLevel: "silent" });
const { port } = await listen(app.server, 0, "127.0.0.1");
const paths = Array.from(
  { length: count },
  (_, i) =>
    `/graphql?query=${encodeURIComponent("{ __typename }")}&r=${i.toString(36).padStart(10, "x")}`,
);
const round = async () => {
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < paths.length) {
        const response = await fetch(`http://127.0.0.1:${port}${paths[next++]}`);
        if (response.status !== 200) throw new Error(`status ${response.status}`);
        await response.arrayBuffer();
      }
    }),
  );
};
await round();
const before = retained();
const sizeBefore = app.cache!.size;
await round();
const after = retained();
const kept = app.cache!.size - sizeBefore;
const held = (after - before) / kept;
const weighed = app.cache!.weight / app.cache!.size;
console.log(
  `# response cache weight, ${count} small answers, ${new Date().toISOString()}, node ${process.version}`,
);
console.log(
  `kept ${kept} entries; retained ${((after - before) / 1024 / 1024).toFixed(1)} MB (heap + ArrayBuffers)`,
);
console.log(
  `held per entry ${held.toFixed(0)} B; weighed per entry ${weighed.toFixed(0)} B (ENTRY_OVERHEAD ${ENTRY_OVERHEAD})`,
);
console.log(
  `overhead measured: ${(held - (weighed - ENTRY_OVERHEAD)).toFixed(0)} B besides key, headers and body`,
);
app.server.closeAllConnections();
app.server.close();
