/**
 * `node bench/attack/health-beside.mjs ROOT DATASET_DIR`: /health polled every 2 ms beside the
 * costliest legal query of bench:abuse (800 tenures with their holders), sent twice to a server
 * started as `npm start -- --data DIR`: the first time its entities are read from the snapshot.
 */
import { pollHealth, serve } from "./serve.mjs";

const [root, data] = process.argv.slice(2);
const { child, url, output } = await serve(root, data, "info");
const q =
  "{ offices(first: 100) { nodes { key label posts(first: 10) { nodes { key tenures(first: 8) { nodes { key holder { __typename ... on Entity { key label } } when { edtf } } } } } } } }";
for (const round of [1, 2]) {
  const poll = pollHealth(url, { everyMs: 2 });
  await new Promise((r) => setTimeout(r, 30));
  const t = performance.now();
  const r = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: q + " ".repeat(round) }),
  });
  const status = r.status;
  await r.text();
  const qms = performance.now() - t;
  await new Promise((r) => setTimeout(r, 30));
  const { waits: lat, failed } = await poll.stop();
  console.log(
    `round ${round}: query ${status} in ${qms.toFixed(0)} ms; /health ${lat.length} answers, max ${Math.max(...lat).toFixed(1)} ms${failed.length ? `, ${failed.length} failed` : ""}`,
  );
}
console.log(/loaded from the snapshot|loaded in full/.exec(output())?.[0]);
child.kill("SIGTERM");
