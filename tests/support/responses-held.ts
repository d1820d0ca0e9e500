/**
 * What the response cache (src/server/response-cache.ts) holds after 40,000 small answers, beside
 * what it counts, measured in a process of its own: `node --expose-gc --import tsx
 * tests/support/responses-held.ts`, or its bundle (`.cache/server-bundle/responses-held.mjs`,
 * tests/support/server-bundle.ts) as tests/server/response-cache.test.ts runs it, prints one JSON
 * line, `{ maxBytes, size, weight, held }` (its bound, the answers it keeps, their summed weight,
 * and the bytes held after full collections beyond what was held before). Measured in a test
 * worker (isolate: false), each full collection walked every module and leftover of the files the
 * worker had run before: 1.9 CPU-s in a whole run of the suite, 0.9 with the file alone.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ResponseCache } from "../../src/server/response-cache.js";
import { answering, keyOf } from "./small-answers.js";

/** The heap and the ArrayBuffers retained, after full garbage collections. */
function retained(): number {
  setFlagsFromString("--expose-gc");
  const collectGarbage = runInNewContext("gc") as () => void;
  for (let i = 0; i < 3; i++) collectGarbage();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

const maxBytes = 4 * 1024 * 1024;
const cache = new ResponseCache({ maxBytes, maxEntryBytes: 1024 * 1024 });
const graph = {};
const count = 40_000;
// each request seen once (its key's hash noted), before the heap is measured
for (let i = 0; i < count; i++) cache.capture(graph, keyOf(i), answering(i));
const before = retained();
for (let i = 0; i < count; i++) {
  // a small answer, as Buffer.from makes it: a slice of a pooled slab
  cache.capture(graph, keyOf(i), answering(i))!(Buffer.from('{"data":{"__typename":"Query"}}'));
}
const held = retained() - before;
const result = { maxBytes, count, size: cache.size, weight: cache.weight, held };
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
