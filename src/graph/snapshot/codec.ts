/**
 * Turning a built graph's indexes into values `v8.serialize` can write, and back, without one
 * entity in them: the indexes are mostly typed arrays and lists of keys already (MultiIndex,
 * Timeline, PathIndex, SearchIndex), which V8 writes and reads as blocks; what makes a structured
 * clone of the whole graph slow is the million entity objects, which are written apart
 * (snapshot.ts) and made again only when a request reads them (lazy-list.ts).
 *
 * `encode` walks a value: a class instance becomes its fields plus its class's name (a class
 * must be registered, so that an unknown one fails the snapshot's build rather than loading as a
 * plain object), an entity becomes its number, the graph and its lists become markers, and a list
 * or map of primitives is kept as it is (V8 reads it without a walk here). `decode` walks back.
 */

/** How a class is written and restored. */
export interface ClassCodec {
  prototype: object;
  /** Fields not written (remade by `revive`, or not worth keeping). */
  skip?: readonly string[];
  /** After the fields are set: remake what was skipped. */
  revive?: (instance: any) => void;
}

/** What an encoded value may point to outside itself. */
export interface EncodeRefs {
  graph: object;
  /** A list of entities the snapshot holds apart (the graph's `lists` and the dataset's collections), by a name. */
  lists: ReadonlyMap<object, string>;
  /** Every entity, by its number. */
  entities: ReadonlyMap<object, number>;
}

export interface DecodeRefs {
  graph: object;
  list(name: string): readonly unknown[];
  entity(n: number): unknown;
}

const TAG = "\u0000snapshot";

const isPrimitive = (value: unknown) => value === null || (typeof value !== "object" && typeof value !== "function");

export class Codec {
  private readonly byPrototype = new Map<object, string>();
  constructor(private readonly classes: Readonly<Record<string, ClassCodec>>) {
    for (const [name, codec] of Object.entries(classes)) this.byPrototype.set(codec.prototype, name);
  }

  encode(value: unknown, refs: EncodeRefs, path = "graph"): unknown {
    if (isPrimitive(value)) return value;
    if (typeof value === "function") throw new Error(`snapshot: cannot write the function at ${path}`);
    const object = value as object;
    if (ArrayBuffer.isView(object)) return object;
    if (object === refs.graph) return { [TAG]: "graph" };
    const list = refs.lists.get(object);
    if (list !== undefined) return { [TAG]: "list", name: list };
    const entity = refs.entities.get(object);
    if (entity !== undefined) return { [TAG]: "entity", n: entity };
    if (Array.isArray(object)) {
      if (object.every(isPrimitive)) return { [TAG]: "plain", value: object };
      return object.map((item, i) => this.encode(item, refs, `${path}[${i}]`));
    }
    if (object instanceof Map) {
      let plain = true;
      for (const [k, v] of object) if (!isPrimitive(k) || !isPrimitive(v)) plain = false;
      if (plain) return { [TAG]: "plain", value: object };
      const keys: unknown[] = [];
      const values: unknown[] = [];
      for (const [k, v] of object) {
        keys.push(this.encode(k, refs, `${path}.key`));
        values.push(this.encode(v, refs, `${path}.get(${String(k)})`));
      }
      return { [TAG]: "map", keys, values };
    }
    if (object instanceof Set) {
      const items = [...object];
      if (items.every(isPrimitive)) return { [TAG]: "plain", value: object };
      return { [TAG]: "set", items: items.map((item) => this.encode(item, refs, `${path}.item`)) };
    }
    const prototype = Object.getPrototypeOf(object);
    if (prototype === Object.prototype || prototype === null) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(object)) out[key] = this.encode((object as Record<string, unknown>)[key], refs, `${path}.${key}`);
      return out;
    }
    const name = this.byPrototype.get(prototype);
    if (name === undefined) throw new Error(`snapshot: no codec for the class ${prototype?.constructor?.name ?? "?"} at ${path}`);
    const skip = new Set(this.classes[name]!.skip ?? []);
    const fields: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      if (!skip.has(key)) fields[key] = this.encode((object as Record<string, unknown>)[key], refs, `${path}.${key}`);
    }
    return { [TAG]: "class", name, fields };
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
      case "graph":
        return refs.graph;
      case "list":
        return refs.list(object.name as string);
      case "entity":
        return refs.entity(object.n as number);
      case "map": {
        const keys = object.keys as unknown[];
        const values = object.values as unknown[];
        const map = new Map<unknown, unknown>();
        for (let i = 0; i < keys.length; i++) map.set(this.decode(keys[i], refs), this.decode(values[i], refs));
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
  decodeFieldsInto(target: Record<string, unknown>, fields: Record<string, unknown>, refs: DecodeRefs): void {
    for (const key of Object.keys(fields)) target[key] = this.decode(fields[key], refs);
  }
}
