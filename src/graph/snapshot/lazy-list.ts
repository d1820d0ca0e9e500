/**
 * A read-only array whose items are made on first access: what a snapshot-loaded graph gives for
 * `lists[kind]` and the dataset's collections, so that a start does not parse a million entities
 * (about 12 s at 1M) before it serves the first request, most of which touch a handful.
 *
 * It is a Proxy (`lazyView`): `Array.isArray`, `length`, indexing, iteration, spread and every
 * Array method behave as on the plain array the freshly built graph holds, and an item, once
 * made, is kept, so that two reads give the same (frozen) object, as they do there. Writes fail
 * as they would on a frozen array.
 */

import { countColdRead } from "../cold-work.js";

/** The index a property key names in a list of `length` items, or -1 (a Proxy's trap is given keys as strings). */
function indexIn(property: string | symbol, length: number): number {
  if (typeof property !== "string") return -1;
  const c = property.charCodeAt(0);
  if (c < 48 || c > 57) return -1;
  const i = Number(property);
  return Number.isInteger(i) && i < length && String(i) === property ? i : -1;
}

/** Each lazy list's own reader of item `i`, by the list (see `itemReader`). */
const readers = new WeakMap<object, (i: number) => unknown>();

/**
 * A function that reads item `i` of `list`: for a lazy list, without going through its Proxy (a
 * trap that is given the index as a string and parses it back, a few hundred nanoseconds: about
 * a tenth of a request's graph reads at 100k entities, bench/scale/profile-frontend.ts); for any
 * other array, `list[i]`. Out of bounds, it gives undefined, as the array does.
 */
export function itemReader<T>(list: readonly T[]): (i: number) => T | undefined {
  return (readers.get(list) as ((i: number) => T | undefined) | undefined) ?? ((i) => list[i]);
}

/** Whether `list` is a lazy list or view (its items made when read), not a plain array. */
export function isLazyList(list: readonly unknown[]): boolean {
  return readers.has(list);
}

/** Items kept per block of a lazy list: 32 KiB of pointers, made when one of its items is first read. */
const BLOCK_BITS = 12;
const BLOCK = 1 << BLOCK_BITS;

/**
 * `load(i)` makes item `i`; it is called at most once per item. The items made are kept in blocks
 * of BLOCK, each made on the first read of one of its items: an array of the list's length would
 * be a pointer per item from the start (8 MiB at 1M entities, before any is read).
 */
export function lazyList<T>(length: number, load: (i: number) => T): readonly T[] {
  const blocks: (T[] | undefined)[] = new Array(Math.ceil(length / BLOCK));
  return lazyView(length, (i) => {
    const b = i >>> BLOCK_BITS;
    let block = blocks[b];
    if (block === undefined) blocks[b] = block = new Array<T>(Math.min(BLOCK, length - b * BLOCK));
    const at = i & (BLOCK - 1);
    let value = block[at];
    if (value === undefined) {
      block[at] = value = load(i);
      // made now, at 16-75 µs: a deadline's loop reading the list counts it (cold-work.ts)
      countColdRead();
    }
    return value;
  });
}

/**
 * A read-only array of `length` items read through `read(i)` each time, keeping none: a lazy
 * list's face, and what a snapshot's graph gives for the dataset's collections, whose items are
 * a kind's list's (by another order), made and kept there. (Each collection was a lazy list of
 * its own, holding a second pointer per entity: 7.6 MiB at 1M entities, allocated at start.)
 *
 * Its Proxy's target is an empty array (`Array.isArray` holds, and every Array method works, as
 * each reads `length` and the items through the traps); `length` and the items are the traps'
 * own. Writes fail as they would on a frozen array, and so does freezing it. (Node's
 * `util.inspect` shows a Proxy's target, so `console.log` of a view prints `[]`.)
 */
export function lazyView<T>(length: number, read: (i: number) => T): readonly T[] {
  const view = new Proxy([] as T[], {
    get(t, property, receiver) {
      const i = indexIn(property, length);
      if (i >= 0) return read(i);
      return property === "length" ? length : Reflect.get(t, property, receiver);
    },
    has(t, property) {
      return indexIn(property, length) >= 0 || Reflect.has(t, property);
    },
    getOwnPropertyDescriptor(t, property) {
      // an item is reported as a frozen array's would be, but configurable: a Proxy may report a
      // property its target lacks only as configurable
      const i = indexIn(property, length);
      if (i >= 0)
        return {
          value: read(i),
          writable: false,
          enumerable: true,
          configurable: true,
        };
      const own = Reflect.getOwnPropertyDescriptor(t, property);
      return property === "length" && own ? { ...own, value: length } : own;
    },
    ownKeys(t) {
      return [...Array.from({ length }, (_, i) => String(i)), ...Reflect.ownKeys(t)];
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
    // refused, so that Object.freeze (which makes its target non-extensible first) fails with a
    // TypeError and leaves the view as it was: a non-extensible target could no longer report
    // items it lacks, and every later Object.keys or descriptor would throw
    preventExtensions: () => false,
  });
  readers.set(view, (i) => (i >= 0 && i < length && Number.isInteger(i) ? read(i) : undefined));
  return view;
}
