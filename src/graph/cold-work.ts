/**
 * Work that no checkpoint of a deadline counts (deadline.ts): an entity of a graph read from its
 * snapshot, made on its first read (snapshot/lazy-list.ts), costs 16-75 µs (100k entities: a
 * JSON.parse, its decoding), where the unit a loop counts its work in is at most about 5 µs. A
 * loop over entities not yet made (a filter over every event, a list of every office's name, in
 * the first seconds after a start or a reload, before the warm-up has made them) counted 1,024
 * items between two reads of the clock, and held the event loop 110-430 ms past its 20 ms slice:
 * /health waited that long (bench/attack/first-second.mjs).
 *
 * Each such read adds COLD_READ_UNITS here, and the next checkpoint of whichever deadline runs
 * (one request runs at a time) counts them as its own: the clock is read after a few cold reads,
 * at about 40 ns a read against the reads' 16-75 µs.
 */
export const coldWork = { units: 0 };

/** What one entity made on its first read counts, in a deadline's units: a quarter of DEFAULT_CHECK_EVERY. */
export const COLD_READ_UNITS = 256;

/** One entity was made on its first read: the next checkpoint counts it. */
export function countColdRead(): void {
  coldWork.units += COLD_READ_UNITS;
}
