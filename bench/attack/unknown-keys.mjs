/**
 * `node bench/attack/unknown-keys.mjs ROOT DATASET_DIR`: requests that name keys no entity has,
 * each of which may cost a "did you mean" (src/graph/keys.ts), sent to a server started in ROOT
 * (`npm start -- --data DATASET_DIR`; set KZ_OSCE_SNAPSHOT_DIR to keep its snapshot out of the
 * dataset's directory), alone and in bursts of 20 at once, with /health polled every 5 ms from
 * 20 ms before each until 300 ms after its answer (a list's other parents may still be at work
 * once an error has nulled it). Prints, per shape, the statuses, the answers' sizes, the time to
 * the last answer and /health's worst and 99th-percentile wait. Each request of a burst names a
 * key of its own (no cache can answer it). Run it on two checkouts back to back to compare them
 * (bench/results/2026-12-05-unknown-keys.txt).
 */
import { ms, percentile as pct } from "./lib.mjs";
import { pollHealth, serve } from "./serve.mjs";

const [root, data] = process.argv.slice(2);
if (!root) throw new Error("usage: node bench/attack/unknown-keys.mjs ROOT [DATASET_DIR]");
// load shedding off (unless set): the old code's stalls made it answer 503 to the next shape,
// which measured nothing
process.env.KZ_OSCE_MAX_EVENT_LOOP_DELAY_MS ??= "0";
const { child, url } = await serve(root, data, "warn");

/** A key of `length` characters, letters then a tag that makes it the request's own. */
const keyOf = (letter, length, tag) =>
  `${letter.repeat(length - 6)}${String(tag).padStart(6, "0")}`;
const aliases = (field) =>
  `query ($k: String!) { ${Array.from({ length: 30 }, (_, i) => `a${i}: ${field}`).join(" ")} }`;
const LOOKUPS = aliases("person(key: $k) { key }");
// 30 keys of 12 letters: each within the length that gets suggestions, none the same
const DISTINCT = (tag) =>
  `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: person(key: "${keyOf("z", 12, tag * 100 + i)}") { key }`).join(" ")} }`;
const HOLDER =
  "query ($k: String!) { offices(first: 100) { nodes { posts(first: 10) { nodes { tenures(filter: { holder: { eq: $k } }) { totalCount } } } } } }";
const OFFICE =
  "query ($k: String!) { persons(first: 100) { nodes { tenures(filter: { office: { eq: $k } }) { totalCount } } } }";

let tags = 0;
/** Each shape: how many requests at once, and the body of each (a tag of its own). */
const shapes = {
  "30 lookups, key of 3,000 a": [
    1,
    (t) => ({ query: LOOKUPS, variables: { k: keyOf("a", 3000, t) } }),
  ],
  "30 lookups, key of 20,000 a": [
    1,
    (t) => ({ query: LOOKUPS, variables: { k: keyOf("a", 20000, t) } }),
  ],
  "30 lookups, key of 90,000 a": [
    1,
    (t) => ({ query: LOOKUPS, variables: { k: keyOf("a", 90000, t) } }),
  ],
  "20 x (30 lookups, key of 3,000 a)": [
    20,
    (t) => ({ query: LOOKUPS, variables: { k: keyOf("a", 3000, t) } }),
  ],
  "20 x (30 lookups, key of 132 a)": [
    20,
    (t) => ({ query: LOOKUPS, variables: { k: keyOf("a", 132, t) } }),
  ],
  "20 x (30 lookups of distinct 12-letter keys)": [20, (t) => ({ query: DISTINCT(t) })],
  "offices>posts>tenures(holder: person/q*300)": [
    1,
    (t) => ({ query: HOLDER, variables: { k: `person/${keyOf("q", 300, t)}` } }),
  ],
  "offices>posts>tenures(holder: person/q*12)": [
    1,
    (t) => ({ query: HOLDER, variables: { k: `person/${keyOf("q", 12, t)}` } }),
  ],
  "persons>tenures(office: a*3000)": [
    1,
    (t) => ({ query: OFFICE, variables: { k: keyOf("a", 3000, t) } }),
  ],
  "persons>tenures(office: 12 letters)": [
    1,
    (t) => ({ query: OFFICE, variables: { k: keyOf("z", 12, t) } }),
  ],
};

const send = (body) =>
  fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  }).then(async (res) => ({ status: res.status, text: await res.text() }));

console.log(`unknown-keys: ${root}, ${data ?? "built-in dataset"}, node ${process.version}`);
// warm up: the lookup's, the filter's and the error's code paths compiled, the entities the
// lists read decoded from the snapshot, before anything is timed
for (const [, make] of Object.values(shapes)) await send(make(++tags));
await new Promise((resolve) => setTimeout(resolve, 1000));
let resets = 0;

for (const [name, [count, make]] of Object.entries(shapes)) {
  const bodies = Array.from({ length: count }, () => make(++tags));
  const poll = pollHealth(url);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const t = performance.now();
  const answers = await Promise.all(bodies.map(send));
  const time = performance.now() - t;
  await new Promise((resolve) => setTimeout(resolve, 300));
  // a kept-alive connection the server closed during a long stall fails once: the wait is
  // counted all the same, and the next poll opens a new connection
  const { waits: answered, failed } = await poll.stop();
  const waits = [...answered, ...failed];
  resets = failed.length;
  const statuses = [...new Set(answers.map((a) => a.status))].join(",");
  const sizes = answers.map((a) => a.text.length);
  const request = JSON.stringify(bodies[0]).length;
  const errors = JSON.parse(answers[0].text).errors ?? [];
  const message = errors[0]?.message ?? "";
  console.log(
    `${name.padEnd(46)} ${statuses}; request ${request} B, answer ${Math.max(...sizes)} B (${errors.length} errors); last answer after ${ms(time)}; /health worst ${ms(Math.max(...waits))}, p99 ${ms(pct(waits, 99))} (${waits.length} polls${resets ? `, ${resets} reset` : ""})`,
  );
  console.log(
    `${"".padEnd(46)} first error: ${message.length > 160 ? `${message.slice(0, 160)}... (${message.length} chars)` : message}`,
  );
}
child.kill("SIGTERM");
