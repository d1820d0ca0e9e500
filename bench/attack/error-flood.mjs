/**
 * `node bench/attack/error-flood.mjs ROOT [DATASET_DIR] [--rounds N]`: requests whose answers
 * are mostly errors, legal under the default limits (1,000 items in a list variable, batches of
 * ten), sent to a server started in ROOT (`npm start`, the built-in dataset without DATASET_DIR),
 * each `rounds` times, with /health polled every 2 ms beside them. Prints, per request shape,
 * each round's status (a 503 is the load shedding of a loop that ran a second late), the last
 * answer (bytes, errors), its time (median and worst) and /health's worst and
 * 99th-percentile wait while it ran: what one client can make every other client wait.
 * Run it on two checkouts back to back to compare them (bench/RESULTS.md, "Errors by the thousand").
 */
import { ms, percentile as pct } from "./lib.mjs";
import { pollHealth, serve } from "./serve.mjs";

const args = process.argv.slice(2);
const roundsAt = args.indexOf("--rounds");
const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 5;
const [root, data] = args;
if (!root)
  throw new Error("usage: node bench/attack/error-flood.mjs ROOT [DATASET_DIR] [--rounds N]");
const { child, url } = await serve(root, data, "warn");

const NODES = "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }";
const gid = (text) => Buffer.from(text).toString("base64");
// short, so that ten lists of 1,000 fit in the body limit (100 KB); a tag per round and operation
const forged = (n, tag) => Array.from({ length: n }, (_, i) => `${tag}:${i}`);
const unknown = (n, tag) =>
  Array.from({ length: n }, (_, i) => gid(`Person:person/nobody-${tag}-${i}`));
const shapes = {
  // one operation, 1,000 ids that are not ids
  "nodes, 1,000 malformed ids": (r) => ({ query: NODES, variables: { ids: forged(1000, r) } }),
  // the same after 4,990 comment lines, as many as the line limit allows: each error's location
  // was worked out by reading the document from its start (run with 10,000 lines before the line
  // limit: bench/results/2026-12-05-error-flood-locations.txt)
  "nodes, 1,000 malformed ids, 4,990 comment lines first": (r) => ({
    query: `${"#\n".repeat(4_990)}${NODES}`,
    variables: { ids: forged(1000, `c${r}`) },
  }),
  // 150 unknown fields after comment lines: graphql-js places each of its (at most 100)
  // validation errors by reading the lines before it; 20,000 lines are over the line limit
  // (KZ_OSCE_MAX_LINES, 5,000), 4,990 within it
  "150 unknown fields, 20,000 comment lines first": (r) => ({
    query: `#${r}\n${"#\n".repeat(20_000)}{ ${Array.from({ length: 150 }, (_, i) => `f${i}`).join(" ")} }`,
  }),
  "150 unknown fields, 4,990 comment lines first": (r) => ({
    query: `#${r}\n${"#\n".repeat(4_990)}{ ${Array.from({ length: 150 }, (_, i) => `f${i}`).join(" ")} }`,
  }),
  // ten of them in one batch
  "batch of 10 x 1,000 malformed ids": (r) =>
    Array.from({ length: 10 }, (_, j) => ({
      query: NODES,
      variables: { ids: forged(1000, `${j}${r}`) },
    })),
  // ten operations of 200 well-formed ids of no entity (NOT_FOUND each)
  "batch of 10 x 200 unknown ids": (r) =>
    Array.from({ length: 10 }, (_, j) => ({
      query: NODES,
      variables: { ids: unknown(200, `${r}.${j}`) },
    })),
  // for scale: ten cheap operations that succeed
  "batch of 10 small queries": (r) =>
    Array.from({ length: 10 }, (_, j) => ({
      query: `{ states(first: ${1 + ((r + j) % 5)}) { totalCount nodes { key } } }`,
    })),
};

console.log(
  `error-flood: ${root}, ${data ?? "built-in dataset"}, ${rounds} rounds each, node ${process.version}`,
);
// warm up: the schema's and the answer's code paths compiled before anything is timed
for (const make of Object.values(shapes)) {
  await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(make(-1)),
  }).then((r) => r.text());
}
for (const [name, make] of Object.entries(shapes)) {
  const times = [];
  const waits = [];
  let answer = "";
  const statuses = [];
  let failed = 0;
  for (let r = 0; r < rounds; r++) {
    const body = JSON.stringify(make(r));
    const poll = pollHealth(url, { everyMs: 2 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const t = performance.now();
    const res = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    const text = await res.text();
    times.push(performance.now() - t);
    statuses.push(res.status);
    const polled = await poll.stop();
    waits.push(...polled.waits);
    failed += polled.failed.length;
    const json = JSON.parse(text);
    const errors = (Array.isArray(json) ? json : [json]).reduce(
      (n, item) => n + (item.errors?.length ?? 0),
      0,
    );
    answer = `request ${body.length} B, answer ${text.length} B, ${errors} errors`;
  }
  console.log(
    `${name.padEnd(36)} ${statuses.join(",")}; last: ${answer}; time median ${ms(pct(times, 50))}, worst ${ms(Math.max(...times))}; /health worst ${ms(Math.max(...waits))}, p99 ${ms(pct(waits, 99))} (${waits.length} polls${failed ? `, ${failed} failed` : ""})`,
  );
}
child.kill("SIGTERM");
