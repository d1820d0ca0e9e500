// Red team 48's probe (F3), kept with the benchmarks: can a client make the scheduler forget what
// an honest pattern runs, so that an honest burst of it is let in at its price?
/**
 * node bench/attack/forget-patterns.mjs PORT [FLOOD=names] [N=1200] [BURST=60] [TIMES=1]
 *
 * 1. Teaches the honest pattern: 10 sequential `persons(first: 5, filter: {anyName: {contains: $s}})`
 *    (priced about 171 ms, runs 40-75 ms at 100k entities).
 * 2. Floods N patterns, each sent TIMES times, from 8 keep-alive loops on 8 addresses; each is a
 *    `places(first: 1, filter: {name: {eq: ...}})` (priced about 9 ms, runs about 1 ms: it teaches):
 *    - `names`: one operation name each (red team 48's flood; one pattern since ee4df48);
 *    - `fields`: the same fields again, as many times as the request's number says (a pattern each);
 *    - `none`: no flood.
 * 3. An honest burst of BURST of the honest pattern from BURST addresses: how many are answered.
 */
import http from "node:http";
import { tally, timedPost, timeStats } from "./lib.mjs";

const [port, flood = "names", n = "1200", burstN = "60", times = "1"] = process.argv.slice(2);
const post = (body, agent, localAddress) => timedPost(port, body, agent, localAddress);
const HONEST =
  "query Moderate($s: String!) { persons(first: 5, filter: {anyName: {contains: $s}}) { totalCount nodes { key } } }";
const VALUES = ["ab", "ar", "en", "ol"];
const honest = (i) =>
  JSON.stringify({
    query: `${HONEST} # ${i} ${Math.random()}`,
    operationName: "Moderate",
    variables: { s: VALUES[i % VALUES.length] },
  });

/**
 * The flood's request of pattern `i` (a pattern each, but for `names` since the names left the
 * pattern), its value `unique` (that no answer is cached: a cached answer teaches nothing).
 */
function flooding(i, unique) {
  const filter = `places(first: 1, filter: {name: {eq: "x${unique}"}})`;
  if (flood === "names") {
    const name = `Q${i}_${Math.floor(Math.random() * 1e9)}`;
    return JSON.stringify({
      query: `query ${name} { ${filter} { totalCount } }`,
      operationName: name,
    });
  }
  // the same fields again, as many times as i says: a pattern each, the same price and work
  const typenames = " __typename".repeat(i % 35);
  const counts = " totalCount".repeat(1 + Math.floor(i / 35));
  return JSON.stringify({ query: `{${typenames} ${filter} {${counts} } }` });
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
const learned = [];
for (let i = 0; i < 10; i++) learned.push(await post(honest(i), keepAlive, "127.0.4.1"));
keepAlive.destroy();

const flooded = [];
const began = performance.now();
if (flood !== "none") {
  let next = 0;
  const total = Number(n) * Number(times);
  await Promise.all(
    Array.from({ length: 8 }, async (_, loop) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      while (next < total) {
        const i = next++;
        flooded.push(await post(flooding(i % Number(n), i), agent, `127.0.3.${loop + 1}`));
      }
      agent.destroy();
    }),
  );
}
const floodMs = performance.now() - began;

const burst = await Promise.all(
  Array.from({ length: Number(burstN) }, (_, i) => post(honest(i), false, `127.0.5.${i + 1}`)),
);
const answered = burst.filter((answer) => answer.code === "200");
console.log(
  `port ${port} flood ${flood} ${n}×${times}: taught ${JSON.stringify(tally(learned))}; ` +
    `flood ${floodMs.toFixed(0)} ms ${JSON.stringify(tally(flooded))}; ` +
    `honest burst ${answered.length} of ${burst.length} answered ${JSON.stringify(tally(burst))} ${timeStats(answered)}`,
);
