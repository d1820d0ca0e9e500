/**
 * `node bench/attack/priced-leaves.mjs ROOT DATASET_DIR [TRIES]`: the second red team's documents
 * (2026-12-05) whose work the cost walk did not see or underpriced, sent to a server started in
 * ROOT (`npm start -- --data DATASET_DIR`; set KZ_OSCE_SNAPSHOT_DIR to keep its snapshot out of
 * the dataset's directory), each TRIES times (default 3), with /health polled every 5 ms from
 * 20 ms before each until 300 ms after its answer: long strings (30 pages of source texts),
 * `nodes(ids:)` by the thousand, introspection, the explorer's filtered timeline, searches. Prints
 * per document the status, the cost or refusal, the answer's size, the time to the answer,
 * /health's worst wait, and the server's peak RSS so far. The two documents whose answers passed
 * 512 MB (and crashed the server: src/server/shortcut.ts) run last, once; once the server has
 * exited the rest is skipped. Each request carries a comment of its own, so no response cache
 * answers it. Run it on two checkouts back to back to compare them
 * (bench/results/2026-12-05-priced-leaves.txt).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { aliases } from "./queries.mjs";
import { pollHealth, serve } from "./serve.mjs";

const [root, data, triesArg] = process.argv.slice(2);
if (!root || !data)
  throw new Error("usage: node bench/attack/priced-leaves.mjs ROOT DATASET_DIR [TRIES]");
const tries = Number(triesArg ?? 3);
// load shedding off (unless set): a stall would make it answer 503 to the next document
process.env.KZ_OSCE_MAX_EVENT_LOOP_DELAY_MS ??= "0";
const { child, url } = await serve(root, data, "warn");
let exited;
child.once("exit", (code, signal) => {
  exited = `${code ?? signal}`;
});

let tag = 0;
const send = async (body) => {
  // a comment of its own: the same text twice would be answered from the response cache
  const query = `# ${++tag}\n${body.query}`;
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...body, query }),
  });
  return { status: response.status, text: await response.text() };
};
const peakRss = () => {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    return `${Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024)} MB`;
  } catch {
    return "?";
  }
};

// the ids `nodes` is given: 1,000 persons' (10 pages), the sources', and 1,000 malformed ones
const personIds = [];
let after = null;
while (personIds.length < 1000) {
  const page = JSON.parse(
    (
      await send({
        query:
          "query($a: String) { persons(first: 100, after: $a) { nodes { id } pageInfo { endCursor } } }",
        variables: { a: after },
      })
    ).text,
  ).data.persons;
  personIds.push(...page.nodes.map((n) => n.id));
  after = page.pageInfo.endCursor;
}
const sources = JSON.parse(
  (await send({ query: "{ sources(first: 100) { nodes { id } } }" })).text,
).data.sources.nodes.map((n) => n.id);
const sourceIds = Array.from({ length: 1000 }, (_, i) => sources[i % sources.length]);
const malformed = Array.from({ length: 1000 }, (_, i) => `malformed-${i}`);
const office = JSON.parse((await send({ query: "{ offices(first: 1) { nodes { key } } }" })).text)
  .data.offices.nodes[0].key;
const timeline = Object.values(
  JSON.parse(readFileSync(join(root, "web/src/gql/persisted-documents.json"), "utf8")),
).find((text) => text.includes("query ExplorerTimeline"));
const INTROSPECTION =
  "__schema { types { fields { name type { name fields { name } ofType { name fields { name } } } } } }";
const words20 = Array.from(
  { length: 20 },
  (_, i) => ["osce", "centre", "astana", "office", "head"][i % 5],
).join(" ");

/** Each document: its body, and whether it may crash the server (then it runs once, last). */
const documents = {
  "30 x sources(first:100){nodes{text}}": {
    query: `{ ${aliases(30, "sources(first: 100) { nodes { text } }")} }`,
  },
  "3 x sources(first:100){nodes{text}}": {
    query: `{ ${aliases(3, "sources(first: 100) { nodes { text } }")} }`,
  },
  "30 x nodes(1,000 person ids){id}": {
    query: `query($ids: [ID!]!) { ${aliases(30, "nodes(ids: $ids) { id }")} }`,
    variables: { ids: personIds },
  },
  "30 x nodes(1,000 person ids){...on Person{name}}": {
    query: `query($ids: [ID!]!) { ${aliases(30, "nodes(ids: $ids) { id ... on Person { name } }")} }`,
    variables: { ids: personIds },
  },
  "30 x nodes(1,000 malformed ids)": {
    query: `query($ids: [ID!]!) { ${aliases(30, "nodes(ids: $ids) { id }")} }`,
    variables: { ids: malformed },
  },
  "9 x nodes(1,000 person ids){id}": {
    query: `query($ids: [ID!]!) { ${aliases(9, "nodes(ids: $ids) { id }")} }`,
    variables: { ids: personIds },
  },
  "30 x __schema{types{fields{...}}}": { query: `{ ${aliases(30, INTROSPECTION)} }` },
  "10 x __schema{types{fields{...}}}": { query: `{ ${aliases(10, INTROSPECTION)} }` },
  "ExplorerTimeline entity": {
    query: timeline,
    variables: { filter: { entity: { eq: office } } },
  },
  "ExplorerTimeline kind in [EVENT, TENURE_END]": {
    query: timeline,
    variables: { filter: { kind: { in: ["EVENT", "TENURE_END"] } } },
  },
  "ExplorerTimeline date overlaps 2010/2016": {
    query: timeline,
    variables: { filter: { date: { overlaps: "2010/2016" } } },
  },
  "17 x search(20 words){totalCount}": {
    query: `{ ${aliases(17, `search(query: "${words20}", first: 0) { totalCount }`)} }`,
  },
  '30 x search("osce centre", last:100){nodes{summary}}': {
    query: `{ ${aliases(30, 'search(query: "osce centre", last: 100) { nodes { summary } }')} }`,
  },
  "30 x persons(first:100) provenance source text": {
    query: `{ ${aliases(30, "persons(first: 100) { nodes { provenance { ... on SourceQuote { source { text } } } } }")} }`,
    crashes: true,
  },
  "3 x nodes(1,000 source ids){...on Source{text}}": {
    query: `query($ids: [ID!]!) { ${aliases(3, "nodes(ids: $ids) { ... on Source { text } }")} }`,
    variables: { ids: sourceIds },
    crashes: true,
  },
};

const ms = (v) => `${Math.round(v)} ms`;
console.log(
  `priced-leaves: ${root}, ${data}, node ${process.version}, ${tries} tries each (the last two once)`,
);
// warm up: every code path compiled, the entities read decoded from the snapshot, the timeline built
for (const { crashes, ...body } of Object.values(documents)) if (!crashes) await send(body);
await new Promise((resolve) => setTimeout(resolve, 1000));

for (const [name, { crashes, ...body }] of Object.entries(documents)) {
  const runs = [];
  for (let i = 0; i < (crashes ? 1 : tries); i++) {
    if (exited !== undefined) break;
    const poll = pollHealth(url, { until: () => exited !== undefined });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const t = performance.now();
    const answer = await send(body).catch((error) => ({
      status: `failed (${error.cause?.code ?? error.message})`,
      text: "",
    }));
    const time = performance.now() - t;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { waits, failed } = await poll.stop();
    let outcome = `${(answer.text.length / 1e6).toFixed(1)} MB`;
    try {
      const error = JSON.parse(answer.text).errors?.[0];
      if (error?.extensions?.code === "COST_LIMIT_EXCEEDED")
        outcome = `refused: cost ${error.extensions.cost}, path ${error.extensions.path}`;
      else if (error) outcome += ` (${error.extensions?.code ?? error.message.slice(0, 60)})`;
    } catch {
      // an answer too large or cut short to read: its size says enough
    }
    runs.push({ time, health: Math.max(0, ...waits, ...failed), status: answer.status, outcome });
  }
  if (runs.length === 0) {
    console.log(`${name.padEnd(52)} skipped: the server exited (${exited})`);
    continue;
  }
  const range = (values) => {
    const [low, high] = [Math.min(...values), Math.max(...values)];
    return low === high ? ms(low) : `${ms(low)}-${ms(high)}`;
  };
  console.log(
    `${name.padEnd(52)} ${[...new Set(runs.map((r) => r.status))].join(",")} ${runs[0].outcome}; answer after ${range(runs.map((r) => r.time))}; /health worst ${range(runs.map((r) => r.health))}; peak RSS ${peakRss()}${exited !== undefined ? `; the server exited (${exited})` : ""}`,
  );
}
child.kill("SIGTERM");
