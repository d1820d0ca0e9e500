/**
 * Each key's place in its kind's list, as the graph's `positions` map gives it, without a map of a
 * million entries: a snapshot holds, per kind, the positions in the order of the keys, and a key
 * is found by binary search over them (about 20 string comparisons at 1M). Reading a Map of a
 * million keys from a snapshot took more of a start than any other index, and filling it on
 * first use would have put that second into the first request.
 *
 * It stands in for the Map (GraphCore looks keys up with `get`); anything else a Map can do
 * (iterating, its size) fills it in full first, as LazyMap does.
 */
import { type EntityKind, entityKinds, kindOf } from "../model.js";
import { LazyMap } from "./codec.js";

/** Per kind, its positions ordered by key (`<` on the strings, as `sortedByKey` orders them). */
export type KeyOrder = Record<EntityKind, Int32Array>;

export function sortedByKey(keys: Readonly<Record<EntityKind, readonly string[]>>): KeyOrder {
  const order = {} as KeyOrder;
  for (const kind of entityKinds) {
    const list = keys[kind];
    const positions = Array.from({ length: list.length }, (_, i) => i);
    positions.sort((a, b) => (list[a]! < list[b]! ? -1 : list[a]! > list[b]! ? 1 : 0));
    order[kind] = Int32Array.from(positions);
  }
  return order;
}

export class KeyPositions extends LazyMap<string, number> {
  constructor(
    private readonly keyLists: Readonly<Record<EntityKind, readonly string[]>>,
    private readonly order: KeyOrder,
  ) {
    super((map) => {
      for (const kind of entityKinds)
        keyLists[kind].forEach((key, position) => map.set(key, position));
    });
  }

  /**
   * Positions found so far: a key read again (most are, while a server runs) is one Map look-up,
   * not ~17-20 string comparisons. It grows with the keys asked for, at most every key, well
   * below the entities those reads decode.
   */
  private readonly found = new Map<string, number>();

  override get(key: string): number | undefined {
    const known = this.found.get(key);
    if (known !== undefined) return known;
    const position = this.search(key);
    if (position !== undefined) this.found.set(key, position);
    return position;
  }

  /** The binary search over the kind's keys. */
  private search(key: string): number | undefined {
    const kind = kindOf(key);
    if (kind === undefined) return undefined;
    const list = this.keyLists[kind];
    const order = this.order[kind];
    let low = 0;
    let high = order.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const position = order[middle]!;
      const found = list[position]!;
      if (found === key) return position;
      if (found < key) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  override has(key: string): boolean {
    return this.get(key) !== undefined;
  }
}
