/**
 * A seeded generator of random GraphQL queries that are valid against a schema: random fields,
 * arguments (from pools of good and bad values: real keys and ids, forged ones, valid and
 * invalid EDTF, cursors, odd strings, out-of-range page sizes), inline fragments on the
 * possible types of interfaces and unions, and some arguments passed as variables. The same
 * seed always gives the same query.
 */
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";

/** mulberry32: a small, fast, seedable PRNG giving floats in [0, 1). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Pools {
  /** Readable keys of the dataset (`person/gyorgy-szabo`). */
  keys: string[];
  /** Global ids of the dataset. */
  ids: string[];
  /** Names to search for. */
  names: string[];
  /** Cursors of real pages. */
  cursors: string[];
}

export interface FuzzQuery {
  query: string;
  variables: Record<string, unknown>;
}

const ODD_STRINGS = ["", " ", "\u0000", "\u202e", "\u200b", "🙂", "a".repeat(300), "'; DROP TABLE x; --", "../../etc/passwd", "%00", "\\", '"', "null", "ünïcödé", "𝕏"];
const EDTF = ["2010", "2010-07", "2010-07-16", "2010-07/2010-12", "2016-02-09/..", "../2011", "1999/", "/2011-12", "2010-13", "2010-02-30", "0000", "99999", "2010/2009", "x", "2010-07-16T10:00"];
const INTS = [-2147483648, -1, 0, 1, 2, 3, 5, 19, 20, 21, 99, 100, 101, 1000, 2147483647];

export class QueryGenerator {
  private readonly random: () => number;
  private variables: Record<string, unknown> = {};
  private declarations: string[] = [];
  private aliasCount = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly pools: Pools,
    seed: number,
  ) {
    this.random = prng(seed);
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  /** One query: 1 to 4 root fields, nested up to a random depth of 1 to 8 (now and then up to 17). */
  generate(): FuzzQuery {
    this.variables = {};
    this.declarations = [];
    this.aliasCount = 0;
    const maxDepth = this.chance(0.1) ? this.int(9, 17) : this.int(1, 8);
    const selection = this.selectionSet(this.schema.getQueryType()!, maxDepth, this.int(1, 4));
    const header = this.declarations.length ? `query Fuzz(${this.declarations.join(", ")})` : "query Fuzz";
    return { query: `${header} ${selection}`, variables: this.variables };
  }

  private selectionSet(type: GraphQLCompositeType, depth: number, width: number): string {
    const parts: string[] = [];
    if (isObjectType(type) || isInterfaceType(type)) {
      const fields = Object.values(type.getFields());
      const chosen = new Set<GraphQLField<unknown, unknown>>();
      for (let i = 0; i < width; i++) chosen.add(this.pick(fields));
      for (const field of chosen) {
        const named = getNamedType(field.type);
        if (!isLeafType(named) && depth <= 1) continue; // too deep for an object: skip it
        parts.push(this.field(field, depth));
      }
    }
    if ((isInterfaceType(type) || isUnionType(type)) && depth > 1 && this.chance(0.6)) {
      const possible = this.schema.getPossibleTypes(type);
      for (let i = 0, n = this.int(1, 2); i < n; i++) {
        const on = this.pick(possible);
        parts.push(`... on ${on.name} ${this.selectionSet(on, depth, this.int(1, 3))}`);
      }
    }
    if (parts.length === 0 || this.chance(0.1)) parts.push("__typename");
    return `{ ${parts.join(" ")} }`;
  }

  private field(field: GraphQLField<unknown, unknown>, depth: number): string {
    const args = field.args.flatMap((arg) => {
      const value = this.argument(arg);
      return value === undefined ? [] : [`${arg.name}: ${value}`];
    });
    // an alias on fields with arguments, so that two of them never have to merge
    const alias = args.length ? `a${this.aliasCount++}: ` : "";
    const named = getNamedType(field.type);
    const sub = isLeafType(named) ? "" : ` ${this.selectionSet(named as GraphQLCompositeType, depth - 1, this.int(1, 4))}`;
    return `${alias}${field.name}${args.length ? `(${args.join(", ")})` : ""}${sub}`;
  }

  /** An argument as a literal or a variable; undefined to leave an optional one out. */
  private argument(arg: GraphQLArgument): string | undefined {
    if (!isNonNullType(arg.type) && this.chance(0.55)) return undefined;
    const value = this.value(arg.name, arg.type);
    if (this.chance(0.3)) {
      const name = `v${this.declarations.length}`;
      this.declarations.push(`$${name}: ${String(arg.type)}`);
      // now and then a value of the wrong type, which the server must refuse clearly
      this.variables[name] = this.chance(0.04) ? this.pick<unknown>(["ten", 3.5, true, { $gt: "" }, [[1]], -1e12]) : value;
      return `$${name}`;
    }
    return literal(value);
  }

  private value(name: string, type: GraphQLInputType): unknown {
    if (!isNonNullType(type) && this.chance(0.05)) return null;
    const nullable = getNullableType(type) as GraphQLInputType;
    if (isListType(nullable)) {
      return Array.from({ length: this.int(0, 4) }, () => this.value(name === "ids" ? "id" : name, nullable.ofType as GraphQLInputType));
    }
    if (isEnumType(nullable)) return { enum: this.pick(nullable.getValues()).name };
    const scalar = getNamedType(nullable).name;
    if (scalar === "Int") return this.chance(0.3) ? this.pick(INTS) : this.int(0, 30);
    if (scalar === "Boolean") return this.chance(0.5);
    if (scalar === "Float") return this.random() * 100;
    return this.string(name);
  }

  private string(name: string): string {
    const odd = () => this.pick(ODD_STRINGS);
    switch (name) {
      case "key":
      case "dimension": {
        if (this.chance(0.15)) return odd();
        const key = this.pick(this.pools.keys);
        return this.chance(0.5) ? key : key.slice(key.indexOf("/") + 1);
      }
      case "id":
        if (this.chance(0.15)) return odd();
        return this.chance(0.1) ? Buffer.from(`Person:${this.pick(this.pools.keys)}`).toString("base64") : this.pick(this.pools.ids);
      case "during":
      case "date":
        return this.chance(0.1) ? odd() : this.pick(EDTF);
      case "after":
      case "before":
        return this.chance(0.2) ? odd() : this.pick(this.pools.cursors);
      case "query": {
        if (this.chance(0.15)) return odd();
        const name = this.pick(this.pools.names);
        // a typo now and then
        if (this.chance(0.3) && name.length > 3) {
          const at = this.int(0, name.length - 1);
          return name.slice(0, at) + name.slice(at + 1);
        }
        return name;
      }
      default:
        return odd();
    }
  }
}

/** A value as a GraphQL literal; enum values are `{ enum: NAME }`. */
function literal(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  if (typeof value === "object" && value && "enum" in value) return String((value as { enum: string }).enum);
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

/** Variables hold enum values by name, as JSON does. */
export function jsonVariables(variables: Record<string, unknown>): Record<string, unknown> {
  const plain = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(plain) : value && typeof value === "object" && "enum" in value ? (value as { enum: string }).enum : value;
  return Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, plain(v)]));
}
