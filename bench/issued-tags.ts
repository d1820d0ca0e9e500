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
