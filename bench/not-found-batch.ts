/**
 * `npx tsx bench/not-found-batch.ts`: what a loader's batch of unknown keys costs to turn into its
 * NOT_FOUND errors in one go (`getMany` gives a NotFoundError per unknown key, and each mapped to
 * a GraphQLError made without a stack, errors.ts notFoundError: src/schema/refs.ts's `load` did
 * so for every key of its batch, in the request's slices, until the loader left the mapping to
 * the fields, which make one only within the error budget). Prints, for batches of 1,000 keys (the most
 * ids one list of nodes(ids:) names, priced 13 each) and 9,615 (the most ids a request can name
 * under the default cost limit of 125,000), the first mapping's time (nothing compiled yet) and
 * the median of 50 after, in ms.
 */
import { NotFoundError } from "../src/graph/core.js";
import { notFoundError } from "../src/schema/errors.js";

const mapped = (batch: readonly (object | Error)[]) =>
  batch.map((entity) => (entity instanceof NotFoundError ? notFoundError(entity) : entity));

for (const size of [1000, 9615]) {
  const batch = Array.from(
    { length: size },
    (_, i) => new NotFoundError("person", `person/nobody-${i}`),
  );
  let t = performance.now();
  mapped(batch);
  const first = performance.now() - t;
  const times: number[] = [];
  for (let run = 0; run < 50; run++) {
    t = performance.now();
    mapped(batch);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1]!;
  console.log(
    `${size} unknown keys: first ${first.toFixed(2)} ms, median ${median.toFixed(2)} ms (${((median / size) * 1000).toFixed(2)} µs a key), worst of 50 ${times.at(-1)!.toFixed(2)} ms`,
  );
}
