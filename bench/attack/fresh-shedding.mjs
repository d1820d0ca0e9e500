/**
 * `node bench/attack/fresh-shedding.mjs ROOT DATASET_DIR [RUNS]`: whether load shedding refuses
 * costly queries it admitted, in a fresh process (red team 42, F1). Each run starts a server as
 * `npm start -- --data DATASET_DIR` does, sends 40 small queries one after another (priced a few
 * units, run about 1 ms: their fixed costs), then a burst of six costly ones (a `persons` filter
 * of two `contains`, priced about 89,000 units, 178 ms, at 100,000 entities; admitted), 25 ms
 * apart, while another client (127.0.0.2) asks a small query every 5 ms; twice, then stops the
 * server. Prints each round's statuses, the burst's times and the first 503's message: the
 * scheduler's scale of price to run time, learned from the small queries' fixed costs, had the
 * burst expected at 25 times its price, and 4-5 of the six refused (src/graph/scheduler.ts).
 */
import http from "node:http";
import { serve } from "./serve.mjs";

const [root, data, runs = "3"] = process.argv.slice(2);
if (!root || !data) {
  console.error("usage: node bench/attack/fresh-shedding.mjs ROOT DATASET_DIR [RUNS]");
  process.exit(2);
}

/** A POST of `query` to `url` from `localAddress`, on a connection of its own. */
function post(url, query, localAddress = "127.0.0.1") {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = performance.now();
    const body = JSON.stringify({ query });
    const req = http.request(
      {
        host: hostname,
        port,
        localAddress,
        method: "POST",
        path: "/graphql",
        agent: false,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode, text, ms: performance.now() - started }),
        );
      },
    );
    req.on("error", (error) => resolve({ status: String(error.code), text: "", ms: 0 }));
    req.end(body);
  });
}

const costly = (tag) =>
  `{ persons(first: 1, filter: { or: [{ anyName: { contains: "${tag}a" } }, { anyName: { contains: "${tag}b" } }] }) { totalCount } }`;
/** How many answers of each status, as JSON. */
function count(answers) {
  const by = {};
  for (const answer of answers) by[answer.status] = (by[answer.status] ?? 0) + 1;
  return JSON.stringify(by);
}

const totals = { burst: 0, refused: 0 };
for (let run = 0; run < Number(runs); run++) {
  const server = await serve(root, data, "warn");
  try {
    for (let round = 0; round < 2; round++) {
      const tag = `${run}${round}${Math.random().toString(36).slice(2, 7)}`;
      for (let i = 0; i < 40; i++)
        await post(
          server.url,
          `{ persons(first: 3) { nodes { key name } } s${tag}${i}: __typename }`,
        );
      const other = [];
      let polling = true;
      const poll = (async () => {
        while (polling) {
          other.push(
            await post(
              server.url,
              `{ states(first: 2) { nodes { key } } o${tag}: __typename }`,
              "127.0.0.2",
            ),
          );
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 30));
      const burst = await Promise.all(
        Array.from({ length: 6 }, async (_, i) => {
          await new Promise((resolve) => setTimeout(resolve, i * 25));
          return post(server.url, costly(`b${tag}${i}`));
        }),
      );
      polling = false;
      await poll;
      totals.burst += burst.length;
      totals.refused += burst.filter((a) => a.status === 503).length;
      console.log(
        `run ${run} round ${round}: burst ${count(burst)} in ${burst.map((a) => a.ms.toFixed(0)).join(", ")} ms; the other client ${count(other)}`,
      );
      const refusal = [...burst, ...other].find((a) => a.status === 503);
      if (refusal) console.log(`  503: ${refusal.text.slice(0, 220)}`);
    }
  } finally {
    server.child.kill("SIGTERM");
    await new Promise((resolve) => server.child.once("exit", resolve));
  }
}
console.log(`costly queries refused: ${totals.refused} of ${totals.burst}`);
