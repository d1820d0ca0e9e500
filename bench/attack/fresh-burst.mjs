/**
 * `node bench/attack/fresh-burst.mjs ROOT DATASET_DIR [N] [RUNS]`: how many of a burst of costly
 * queries load shedding refuses on a server just started (review 43, f4). Each run starts a server
 * as `npm start -- --data DATASET_DIR` does, waits until /ready says 200 (its warm-up over:
 * src/server/warm.ts), then sends N (30) costly queries at once, each on a connection of its own
 * (a `persons` filter of two `contains`, priced about 89,000 units, 178 ms, at 100,000 entities;
 * admitted one by one), and prints the statuses and how long the burst took. Until costly queries
 * have finished, the queue's scale of price to run time is 1 (src/graph/scheduler.ts), and the
 * burst is expected at its price: past the queue's bound (2.5 s of work), the rest are shed,
 * though the loop would have served them all in about 1.5 s.
 */
import { serve } from "./serve.mjs";

const [root, data, n = "30", runs = "3"] = process.argv.slice(2);
if (!root || !data) {
  console.error("usage: node bench/attack/fresh-burst.mjs ROOT DATASET_DIR [N] [RUNS]");
  process.exit(2);
}
const costly = (tag) =>
  `{ persons(first: 1, filter: { or: [{ anyName: { contains: "${tag}a" } }, { anyName: { contains: "${tag}b" } }] }) { totalCount } }`;
let shed = 0;
for (let run = 0; run < Number(runs); run++) {
  const server = await serve(root, data, "warn");
  try {
    for (;;) {
      const ready = await fetch(`${server.url}/ready`);
      await ready.text();
      if (ready.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const tag = Math.random().toString(36).slice(2, 7);
    const began = performance.now();
    const statuses = await Promise.all(
      Array.from({ length: Number(n) }, async (_, i) => {
        const response = await fetch(`${server.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", connection: "close" },
          body: JSON.stringify({ query: costly(`${tag}${i}`) }),
        });
        await response.text();
        return response.status;
      }),
    );
    const by = {};
    for (const status of statuses) by[status] = (by[status] ?? 0) + 1;
    shed += by[503] ?? 0;
    console.log(
      `run ${run}: ${JSON.stringify(by)} in ${(performance.now() - began).toFixed(0)} ms`,
    );
  } finally {
    server.child.kill("SIGTERM");
    await new Promise((resolve) => server.child.once("exit", resolve));
  }
}
console.log(`costly queries shed: ${shed} of ${Number(n) * Number(runs)}`);
