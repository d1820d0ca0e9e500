/**
 * A read-only array whose items are made on first access: what a snapshot-loaded graph gives for
 * `lists[kind]` and the dataset's collections, so that a start does not parse a million entities
 * (about 12 s at 1M) before it serves the first request, most of which touch a handful.
 *
 * It is a Proxy over a real (holey) array: `Array.isArray`, `length`, indexing, iteration, spread
 * and every Array method behave as on the plain array the freshly built graph holds, and an item,
 * once made, is kept, so that two reads give the same (frozen) object, as they do there.
 * Writes fail as they would on a frozen array.
 */

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

/** `load(i)` makes item `i`; it is called at most once per item. */
export function lazyList<T>(length: number, load: (i: number) => T): readonly T[] {
  const target: T[] = new Array<T>(length);
  const indexOf = (property: string | symbol): number => {
    if (typeof property !== "string") return -1;
    const c = property.charCodeAt(0);
    if (c < 48 || c > 57) return -1;
    const i = Number(property);
    return Number.isInteger(i) && i < length && String(i) === property ? i : -1;
  };
  const item = (i: number): T => {
    let value = target[i];
    if (value === undefined) target[i] = value = load(i);
    return value;
  };
  const list = new Proxy(target, {
    get(t, property, receiver) {
      const i = indexOf(property);
      return i >= 0 ? item(i) : Reflect.get(t, property, receiver);
    },
    has(t, property) {
      return indexOf(property) >= 0 || Reflect.has(t, property);
    },
    getOwnPropertyDescriptor(t, property) {
      const i = indexOf(property);
      if (i >= 0) item(i);
      return Reflect.getOwnPropertyDescriptor(t, property);
    },
    ownKeys(t) {
      for (let i = 0; i < length; i++) item(i);
      return Reflect.ownKeys(t);
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
  readers.set(list, (i) => (i >= 0 && i < length && Number.isInteger(i) ? item(i) : undefined));
  return list;
}
