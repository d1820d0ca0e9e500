/**
 * Turning a built graph's indexes into values `v8.serialize` can write, and back, without one
 * entity in them: the indexes are mostly typed arrays and lists of keys already (MultiIndex,
 * Timeline, PathIndex, SearchIndex), which V8 writes and reads as blocks; what makes a structured
 * clone of the whole graph slow is the million entity objects, which are written apart
 * (snapshot.ts) and made again only when a request reads them (lazy-list.ts).
 *
 * `encode` walks a value: a class instance becomes its fields plus its class's name (a class
 * must be registered, so that an unknown one fails the snapshot's build rather than loading as a
 * plain object), an entity becomes its number, the graph and its lists become markers, a quote
 * (`quotePlace`) is written with where it occurs in its text, and a list or map of primitives is
 * kept as it is (V8 reads it without a walk here). `decode` walks back.
 */

import { isDeepStrictEqual } from "node:util";

/** How a class is written and restored. */
export interface ClassCodec {
  prototype: object;
  /** Fields not written (remade by `revive`, or not worth keeping). */
  skip?: readonly string[];
  /** After the fields are set: remake what was skipped. */
  // a method, so that each codec's revive can take its own class (method parameters are bivariant)
  revive?(instance: object): void;
}

/** What an encoded value may point to outside itself. */
export interface EncodeRefs {
  graph: object;
  /** A list of entities the snapshot holds apart (the graph's `lists` and the dataset's collections), by a name. */
  lists: ReadonlyMap<object, string>;
  /** Every entity, by its number. */
  entities: ReadonlyMap<object, number>;
  /** Every entity's key, by the entity's number. */
  keyNumbers: ReadonlyMap<string, number>;
  /**
   * Where `object` occurs in its source's text when it is a quote (the model's `{source, quote}`),
   * else undefined: an index's own copy of a provenance list is written with its places, as the
   * entities are (snapshot.ts), so that a snapshot's graph never looks a quote up again.
   */
  quotePlace(object: object): number | undefined;
  /**
   * Where a typed array is written as a column (columns.ts ColumnWriter.add), or undefined when
   * it stays in the encoded value; absent: every typed array does.
   */
  column?(view: ArrayBufferView): unknown;
  /** Maps of at least this many entries are read back when first used (default LAZY_MAP_SIZE). */
  lazyMapSize?: number;
}

export interface DecodeRefs {
  graph: object;
  list(name: string): readonly unknown[];
  entity(n: number): unknown;
  /** The key of entity `n`: the one string the graph's `keys` hold. */
  key(n: number): string;
  /** A quote written with its place (EncodeRefs.quotePlace), made again: the object the graph gets. */
  quote(source: string, quote: string, at: number): object;
  /** The typed array a column reference (EncodeRefs.column) names. */
  column?(ref: unknown): ArrayBufferView;
  /** Told of each LazyMap made (its entries decoded when first used, or ahead of it: `fillSome`). */
  lazyMap?(map: LazyMap<unknown, unknown>): void;
}

const TAG = "\u0000snapshot";

/** Maps of at least this many entries are filled on first use (LazyMap), not at load. */
const LAZY_MAP_SIZE = 1024;

/**
 * Lists of at least this many strings that are all entity keys are written as the entities'
 * numbers (an Int32Array: read as one block) and read back as the very strings of the graph's
 * `keys`: the relation indexes and the search index repeat the keys (a million of them at 1M
 * entities, several times over), and V8 makes every string it reads anew.
 */
const KEY_LIST_SIZE = 64;

/** How a LazyMap fills itself in parts: its entries `from` to `to` (of `count`), in their order. */
export interface MapParts<K, V> {
  readonly count: number;
  fill(map: Map<K, V>, from: number, to: number): void;
}

/**
 * A Map that fills itself on first use: an index of a million keys costs about a second to
 * build, and a start should not wait for the indexes the first requests do not touch.
 *
 * One that can fill itself in parts (a snapshot's decoded index: `MapParts`) is filled ahead of
 * requests, a part at a time in the event loop's idle time (`fillSome`, src/server/warm.ts): the
 * first use of the graph's dates (every date filter, order and certainty) filled 22,646 parsed
 * dates in one piece at 100k entities, 66-188 ms, in whichever request came first. A use before
 * it is full fills what is left, in the same order: the same map either way.
 */
export class LazyMap<K, V> extends Map<K, V> {
  private fill: (() => void) | undefined;
  /** The entries filled so far, when it fills in parts. */
  private filledTo = 0;
  constructor(
    fill: (map: Map<K, V>) => void,
    private readonly parts?: MapParts<K, V>,
  ) {
    super();
    const whole = () => {
      this.fill = undefined;
      try {
        if (parts) parts.fill(this, this.filledTo, parts.count);
        else fill(this);
      } catch (error) {
        // filled in part: the next use tries again (and throws again), rather than answering
        // from a part of the index (review 51)
        this.fill = whole;
        throw error;
      }
    };
    this.fill = whole;
  }

  /** Entries still to fill (1 for one filled only whole), 0 once full. */
  get unfilled(): number {
    if (this.fill === undefined) return 0;
    return this.parts ? this.parts.count - this.filledTo : 1;
  }

  /** Fills up to `count` more entries (all that is left, for one filled only whole). */
  fillSome(count: number): void {
    const rest = this.fill;
    if (rest === undefined) return;
    if (!this.parts) {
      rest();
      return;
    }
    const to = Math.min(this.filledTo + count, this.parts.count);
    // the part's entries are set through `set`, which fills what is left while `fill` is set
    this.fill = undefined;
    try {
      this.parts.fill(this, this.filledTo, to);
      this.filledTo = to;
    } finally {
      if (this.filledTo < this.parts.count) this.fill = rest;
    }
  }
  private filled(): this {
    this.fill?.();
    return this;
  }
  override get(key: K): V | undefined {
    if (this.fill) this.fill();
    return super.get(key);
  }
  override has(key: K): boolean {
    if (this.fill) this.fill();
    return super.has(key);
  }
  override set(key: K, value: V): this {
    // the fill itself sets through here: it has cleared `fill` before it starts
    if (this.fill) this.fill();
    return super.set(key, value);
  }
  override delete(key: K): boolean {
    return Map.prototype.delete.call(this.filled(), key);
  }
  override clear(): void {
    this.fill = undefined;
    super.clear();
  }
  override get size(): number {
    return Reflect.get(Map.prototype, "size", this.filled()) as number;
  }
  override forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    Map.prototype.forEach.call(this.filled(), callback as never, thisArg);
  }
  override keys(): MapIterator<K> {
    return Map.prototype.keys.call(this.filled()) as MapIterator<K>;
  }
  override values(): MapIterator<V> {
    return Map.prototype.values.call(this.filled()) as MapIterator<V>;
  }
  override entries(): MapIterator<[K, V]> {
    return Map.prototype.entries.call(this.filled()) as MapIterator<[K, V]>;
  }
  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
}

/** A parsed date (dates.ts) is written as its text and parsed again: `reparse` says whether that gives it back. */
export interface DateCodec {
  isDate(value: object): boolean;
  reparse(edtf: string): unknown;
}

const isPrimitive = (value: unknown) =>
  value === null || (typeof value !== "object" && typeof value !== "function");

export class Codec {
  private readonly byPrototype = new Map<object, string>();
  constructor(
    private readonly classes: Readonly<Record<string, ClassCodec>>,
    private readonly dates: DateCodec,
  ) {
    for (const [name, codec] of Object.entries(classes))
      this.byPrototype.set(codec.prototype, name);
  }

  encode(value: unknown, refs: EncodeRefs, path = "graph"): unknown {
    if (isPrimitive(value)) return value;
    if (typeof value === "function")
      throw new Error(`snapshot: cannot write the function at ${path}`);
    const object = value as object;
    if (ArrayBuffer.isView(object)) {
      const column = refs.column?.(object);
      return column === undefined ? object : { [TAG]: "column", ref: column };
    }
    if (object === refs.graph) return { [TAG]: "graph" };
    const list = refs.lists.get(object);
    if (list !== undefined) return { [TAG]: "list", name: list };
    const entity = refs.entities.get(object);
    if (entity !== undefined) return { [TAG]: "entity", n: entity };
    if (Array.isArray(object)) {
      const keys = this.keyNumbers(object, refs);
      if (keys !== undefined) return { [TAG]: "keys", numbers: keys };
      if (object.every(isPrimitive)) return { [TAG]: "plain", value: object };
      return object.map((item, i) => this.encode(item, refs, `${path}[${i}]`));
    }
    if (object instanceof Map) {
      let plain = true;
      for (const [k, v] of object) if (!isPrimitive(k) || !isPrimitive(v)) plain = false;
      const lazyFrom = refs.lazyMapSize ?? LAZY_MAP_SIZE;
      if (plain && object.size < lazyFrom) return { [TAG]: "plain", value: object };
      const keys: unknown[] = [];
      const values: unknown[] = [];
      for (const [k, v] of object) {
        keys.push(this.encode(k, refs, `${path}.key`));
        values.push(this.encode(v, refs, `${path}.get(${String(k)})`));
      }
      // each key and value encoded already: decoded item by item (a list of entity keys as numbers, keyNumbers)
      return {
        [TAG]: object.size < lazyFrom ? "map" : "lazymap",
        keys: this.keyNumbers(keys, refs) ?? keys,
        values: this.keyNumbers(values, refs) ?? values,
      };
    }
    if (object instanceof Set) {
      const items = [...object];
      if (items.every(isPrimitive)) return { [TAG]: "plain", value: object };
      return { [TAG]: "set", items: items.map((item) => this.encode(item, refs, `${path}.item`)) };
    }
    const prototype = Object.getPrototypeOf(object);
    if (this.dates.isDate(object)) {
      const edtf = (object as { edtf: string }).edtf;
      if (isDeepStrictEqual(this.dates.reparse(edtf), object)) return { [TAG]: "date", edtf };
    }
    if (prototype === Object.prototype || prototype === null) {
      const at = refs.quotePlace(object);
      if (at !== undefined) {
        const { source, quote } = object as { source: string; quote: string };
        return { [TAG]: "quote", source, quote, at };
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(object))
        out[key] = this.encode((object as Record<string, unknown>)[key], refs, `${path}.${key}`);
      return out;
    }
    const name = this.byPrototype.get(prototype);
    if (name === undefined)
      throw new Error(
        `snapshot: no codec for the class ${prototype?.constructor?.name ?? "?"} at ${path}`,
      );
    const { skip: skipped } = this.classes[name]!;
    const skip = new Set(skipped ?? []);
    const fields: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      if (!skip.has(key))
        fields[key] = this.encode((object as Record<string, unknown>)[key], refs, `${path}.${key}`);
    }
    return { [TAG]: "class", name, fields };
  }

  /** A list of entity keys as the entities' numbers, or undefined if it is short or holds anything else. */
  private keyNumbers(list: readonly unknown[], refs: EncodeRefs): Int32Array | undefined {
    if (list.length < KEY_LIST_SIZE) return undefined;
    const numbers = new Int32Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const n = typeof list[i] === "string" ? refs.keyNumbers.get(list[i] as string) : undefined;
      if (n === undefined) return undefined;
      numbers[i] = n;
    }
    return numbers;
  }

  private static keysOf(numbers: Int32Array, refs: DecodeRefs): string[] {
    const keys = new Array<string>(numbers.length);
    for (let i = 0; i < numbers.length; i++) keys[i] = refs.key(numbers[i]!);
    return keys;
  }

  decode(value: unknown, refs: DecodeRefs): unknown {
    if (isPrimitive(value) || ArrayBuffer.isView(value as object)) return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = this.decode(value[i], refs);
      return value;
    }
    const object = value as Record<string, unknown>;
    const tag = object[TAG];
    if (tag === undefined) {
      for (const key of Object.keys(object)) object[key] = this.decode(object[key], refs);
      return object;
    }
    switch (tag) {
      case "plain":
        return object.value;
      case "keys":
        return Codec.keysOf(object.numbers as Int32Array, refs);
      case "graph":
        return refs.graph;
      case "list":
        return refs.list(object.name as string);
      case "entity":
        return refs.entity(object.n as number);
      case "column":
        if (!refs.column) throw new Error("snapshot: a column where no columns were read");
        return refs.column(object.ref);
      case "date":
        return this.dates.reparse(object.edtf as string);
      case "quote": {
        const { source, quote, at } = object as { source: string; quote: string; at: number };
        return refs.quote(source, quote, at);
      }
      case "map":
      case "lazymap": {
        let keys: readonly unknown[] | undefined;
        let values: readonly unknown[] | undefined;
        const count = (object.keys as ArrayLike<unknown>).length;
        const fill = (map: Map<unknown, unknown>, from: number, to: number) => {
          keys ??=
            object.keys instanceof Int32Array
              ? Codec.keysOf(object.keys, refs)
              : (object.keys as unknown[]);
          values ??=
            object.values instanceof Int32Array
              ? Codec.keysOf(object.values, refs)
              : (object.values as unknown[]);
          for (let i = from; i < to; i++)
            map.set(this.decode(keys[i], refs), this.decode(values[i], refs));
        };
        if (tag === "lazymap") {
          const lazy = new LazyMap((map) => fill(map, 0, count), { count, fill });
          refs.lazyMap?.(lazy);
          return lazy;
        }
        const map = new Map<unknown, unknown>();
        fill(map, 0, count);
        return map;
      }
      case "set":
        return new Set((object.items as unknown[]).map((item) => this.decode(item, refs)));
      case "class": {
        const codec = this.classes[object.name as string];
        if (!codec) throw new Error(`snapshot: unknown class ${String(object.name)}`);
        const instance = Object.create(codec.prototype) as Record<string, unknown>;
        this.decodeFieldsInto(instance, object.fields as Record<string, unknown>, refs);
        codec.revive?.(instance);
        return instance;
      }
      default:
        throw new Error(`snapshot: unknown tag ${String(tag)}`);
    }
  }

  /** Decode each field of `fields` onto `target` (an instance made without its constructor). */
  decodeFieldsInto(
    target: Record<string, unknown>,
    fields: Record<string, unknown>,
    refs: DecodeRefs,
  ): void {
    for (const key of Object.keys(fields)) target[key] = this.decode(fields[key], refs);
  }
}
