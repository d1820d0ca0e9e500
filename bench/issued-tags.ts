/**
 * The memory the issued ETags take (src/server/http-cache.ts, IssuedTags): the V8 heap after a
 * full garbage collection, before and after filling the set to its bound with tags as etagOf
 * makes them (32 base64url characters in quotes, each a string of its own as a request's is).
 *   node --expose-gc --import tsx bench/issued-tags.ts [--tags 50000]
 */
import { randomBytes } from "node:crypto";
import { IssuedTags } from "../src/server/http-cache.js";

const args = process.argv.slice(2);
const i = args.indexOf("--tags");
const count = i >= 0 ? Number(args[i + 1]) : 50_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const before = heapAfterGc();
const issued = new IssuedTags(undefined, count);
for (let n = 0; n < count; n++)
  issued.issue(`"${randomBytes(24).toString("base64url")}"`, n % 2 === 0);
const after = heapAfterGc();
console.log(
  `${issued.size} tags: ${((after - before) / 1024 / 1024).toFixed(1)} MB of heap, ${Math.round((after - before) / issued.size)} bytes a tag`,
);

// and what issuing costs once the set is full (each new tag pushes out the oldest): red team 10
// measured 18 µs a tag, up to 1.6 ms for one, when the oldest was found by a new iterator over
// the Map each time (skipping every entry deleted before it), 0.6 µs unbounded
const more = Array.from({ length: 200_000 }, () => `"${randomBytes(24).toString("base64url")}"`);
const timings: number[] = [];
for (let n = 0; n < more.length; n += 1000) {
  const started = performance.now();
  for (let k = n; k < n + 1000; k++) issued.issue(more[k]!, true);
  timings.push(((performance.now() - started) / 1000) * 1000);
}
timings.sort((a, b) => a - b);
console.log(
  `issuing at the bound, ${more.length} tags in batches of 1,000: median ${timings[timings.length >> 1]!.toFixed(2)} µs a tag, worst batch ${timings.at(-1)!.toFixed(2)} µs a tag`,
);
