/**
 * `npx tsx bench/not-found-batch.ts`: what a loader's batch of unknown keys costs to turn into its
 * NOT_FOUND errors in one go (`getMany` gives a NotFoundError per unknown key, and each mapped to
 * a GraphQLError made without a stack, errors.ts notFoundError: src/schema/refs.ts's `load` did
 * so for every key of its batch, in the request's slices, until the loader left the mapping to
 * the fields, which make one only within the error budget). Prints, for batches of 1,000 keys (the most
 * ids one list of nodes(ids:) names, priced 13 each) and 9,615 (the most ids a request can name
 * under the default cost limit of 125,000), the time of making their NotFoundErrors and of the
 * mapping: the first (nothing compiled yet), and the median and worst of 50 after, in ms.
 */
import { NotFoundError } from "../src/graph/core.js";
import { notFoundError } from "../src/schema/errors.js";

const mapped = (batch: readonly (object | Error)[]) =>
  batch.map((entity) => (entity instanceof NotFoundError ? notFoundError(entity) : entity));
/** The graph's NotFoundErrors of a batch, as `getMany` makes them, one per unknown key. */
const made = (size: number) =>
  Array.from({ length: size }, (_, i) => new NotFoundError("person", `person/nobody-${i}`));

/** Runs `work` once, then 50 times: its first time, median and worst, in ms. */
function timed(label: string, size: number, work: () => unknown): void {
  let t = performance.now();
  work();
  const first = performance.now() - t;
  const times: number[] = [];
  for (let run = 0; run < 50; run++) {
    t = performance.now();
    work();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1]!;
  console.log(
    `${size} unknown keys, ${label}: first ${first.toFixed(2)} ms, median ${median.toFixed(2)} ms (${((median / size) * 1000).toFixed(2)} µs a key), worst of 50 ${times.at(-1)!.toFixed(2)} ms`,
  );
}

for (const size of [1000, 9615]) {
  // what getMany makes (src/graph/core.ts NotFoundError), then what the loader made of it
  timed("their NotFoundErrors", size, () => made(size));
  const batch = made(size);
  timed("mapped to GraphQLErrors", size, () => mapped(batch));
}
