/**
 * `node bench/attack/health-beside.mjs ROOT DATASET_DIR`: /health polled every 2 ms beside the
 * costliest legal query of bench:abuse (800 tenures with their holders), sent twice to a server
 * started as `npm start -- --data DIR`: the first time its entities are read from the snapshot.
 */
import { spawn } from "node:child_process";

const [root, data] = process.argv.slice(2);
const child = spawn(
  process.execPath,
  [
    "--max-semi-space-size=64",
    "--import",
    "tsx",
    "src/server/main.ts",
    "--data",
    data,
    "--port",
    "0",
  ],
  { cwd: root, env: { ...process.env, KZ_OSCE_LOG_LEVEL: "info" } },
);
let out = "";
const url = await new Promise((res) => {
  child.stdout.on("data", (c) => {
    out += c;
    const m = /at (http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(out);
    if (m) res(m[1]);
  });
});
const q =
  "{ offices(first: 100) { nodes { key label posts(first: 10) { nodes { key tenures(first: 8) { nodes { key holder { __typename ... on Entity { key label } } when { edtf } } } } } } } }";
for (const round of [1, 2]) {
  let done = false;
  const lat = [];
  const poll = (async () => {
    while (!done) {
      const t = performance.now();
      const r = await fetch(`${url}/health`);
      await r.text();
      lat.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
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
  done = true;
  await poll;
  console.log(
    `round ${round}: query ${status} in ${qms.toFixed(0)} ms; /health ${lat.length} answers, max ${Math.max(...lat).toFixed(1)} ms`,
  );
}
console.log(/loaded from the snapshot|loaded in full/.exec(out)?.[0]);
child.kill("SIGTERM");
