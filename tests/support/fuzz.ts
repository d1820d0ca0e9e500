/**
 * A seeded generator of random GraphQL queries that are valid against a schema: random fields,
 * arguments (from pools of good and bad values: real keys and ids, forged ones, valid and
 * invalid EDTF, cursors, odd strings, out-of-range page sizes), inline fragments on the
 * possible types of interfaces and unions, and some arguments passed as variables. The same
 * seed always gives the same query.
 *
 * Input objects (`filter`, `orderBy`) are built field by field: `and`/`or`/`not` nest a few
 * levels at most, lists are mostly non-empty, KeyFilters name existing keys of the kinds their
 * field refers to, DateFilters carry EDTF dates (and `certainty` only with `activeAt`), and
 * StringFilters parts of real names. Each of those is, now and then, given a value the API must
 * refuse (an empty list, a key of the wrong kind, a forged key, invalid EDTF, an empty
 * `contains`, a lone `certainty`), so that most queries execute and the refusals are still
 * exercised.
 */
import {
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
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

/**
 * Pools from a graph's keys alone: every key, the names in them (the key without its kind), no
 * global id, and one real cursor (the first page's). What the validation and shortcut tests generate from.
 */
export function keyPools(graph: { keys: Readonly<Record<string, readonly string[]>> }): Pools {
  const keys = Object.values(graph.keys).flat();
  return {
    keys,
    ids: [],
    names: keys.map((k) => k.slice(k.indexOf("/") + 1)),
    cursors: ["YXJyYXljb25uZWN0aW9uOjA="],
  };
}

export interface FuzzQuery {
  query: string;
  variables: Record<string, unknown>;
}

const ODD_STRINGS = [
  "",
  " ",
  "\u0000",
  "\u202e",
  "\u200b",
  "🙂",
  "a".repeat(300),
  "'; DROP TABLE x; --",
  "../../etc/passwd",
  "%00",
  "\\",
  '"',
  "null",
  "ünïcödé",
  "𝕏",
];
const EDTF = [
  "2010",
  "2010-07",
  "2010-07-16",
  "2010-07/2010-12",
  "2016-02-09/..",
  "../2011",
  "1999/",
  "/2011-12",
  "2010-13",
  "2010-02-30",
  "0000",
  "99999",
  "2010/2009",
  "x",
  "2010-07-16T10:00",
];
const INTS = [-2147483648, -1, 0, 1, 2, 3, 5, 19, 20, 21, 99, 100, 101, 1000, 2147483647];
const CERTAIN_EDTF = [
  "1992",
  "1995-07",
  "1998-01-23",
  "2010",
  "2010-07",
  "2010-12-01/2010-12-02",
  "2016-02-09/..",
  "../2005",
  "2002/2008",
  "2016",
  "2021-05",
];
/** How deep `and`/`or`/`not` may nest filters (the API allows 8). */
const MAX_FILTER_NESTING = 2;

/** An enum value, written bare in a literal and as its name in JSON variables. */
class EnumValue {
  constructor(readonly name: string) {}
}

/** The entity kinds a KeyFilter field refers to, by the field's name (the API's: src/graph/lists.ts). */
const KEY_FIELD_KINDS: Record<string, readonly string[]> = {
  nationality: ["state"],
  state: ["state"],
  cooperatesWith: ["state"],
  place: ["place"],
  dimension: ["dimension"],
  office: ["office"],
  post: ["post"],
  capacity: ["tenure"],
  holder: ["person", "state"],
  decidedBy: ["event"],
};

const ENTITY_KINDS = new Set([
  "source",
  "state",
  "place",
  "dimension",
  "office",
  "person",
  "post",
  "tenure",
  "event",
  "priority",
]);

/** The kind a filter's own `key` refers to, by the filter's type name (`OfficeFilter` → office). */
function ownKind(filterType: string): string | undefined {
  const match =
    /^(Entity)?(Dimension|Event|Office|Person|Place|Post|Priority|Source|State|Tenure)Filter$/.exec(
      filterType,
    );
  return match?.[2]?.toLowerCase();
}

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
    const header = this.declarations.length
      ? `query Fuzz(${this.declarations.join(", ")})`
      : "query Fuzz";
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
    const given = new Set<string>();
    const args = field.args.flatMap((arg) => {
      // `certainty` qualifies `asOf` (refused alone): only now and then without it
      if (arg.name === "certainty" && !given.has("asOf") && this.chance(0.9)) return [];
      const value = this.argument(arg, field.name);
      if (value === undefined) return [];
      given.add(arg.name);
      return [`${arg.name}: ${value}`];
    });
    // an alias on fields with arguments, so that two of them never have to merge
    const alias = args.length ? `a${this.aliasCount++}: ` : "";
    const named = getNamedType(field.type);
    const sub = isLeafType(named)
      ? ""
      : ` ${this.selectionSet(named as GraphQLCompositeType, depth - 1, this.int(1, 4))}`;
    return `${alias}${field.name}${args.length ? `(${args.join(", ")})` : ""}${sub}`;
  }

  /** An argument as a literal or a variable; undefined to leave an optional one out. */
  private argument(arg: GraphQLArgument, fieldName: string): string | undefined {
    if (!isNonNullType(arg.type) && this.chance(0.55)) return undefined;
    // a root lookup's key is of the field's kind (`place(key:)`): any key would mostly be refused
    const value =
      arg.name === "key"
        ? this.key(ENTITY_KINDS.has(fieldName) ? [fieldName] : [])
        : this.value(arg.name, arg.type);
    if (this.chance(0.3)) {
      const name = `v${this.declarations.length}`;
      this.declarations.push(`$${name}: ${String(arg.type)}`);
      // now and then a value of the wrong type, which the server must refuse clearly
      this.variables[name] = this.chance(0.04)
        ? this.pick<unknown>(["ten", 3.5, true, { $gt: "" }, [[1]], -1e12])
        : value;
      return `$${name}`;
    }
    return literal(value);
  }

  private value(name: string, type: GraphQLInputType, nesting = 0): unknown {
    if (!isNonNullType(type) && this.chance(0.05)) return null;
    const nullable = getNullableType(type) as GraphQLInputType;
    if (isListType(nullable)) {
      // an empty list (`in: []`, `orderBy: []`) is refused by the API: only now and then
      const length = this.chance(0.04) ? 0 : this.int(1, name === "ids" ? 4 : 3);
      return Array.from({ length }, () =>
        this.value(name === "ids" ? "id" : name, nullable.ofType as GraphQLInputType, nesting),
      );
    }
    if (isEnumType(nullable)) return new EnumValue(this.pick(nullable.getValues()).name);
    if (isInputObjectType(nullable)) return this.inputObject(name, nullable, nesting);
    const scalar = getNamedType(nullable).name;
    if (scalar === "Int") {
      // mostly in range: small pages (a few nested connections of 30 already pass the cost limit), short paths
      if (this.chance(0.1)) return this.pick(INTS);
      if (name === "first" || name === "last") return this.int(0, 8);
      if (name === "maxLength") return this.int(1, 6);
      return this.int(0, 30);
    }
    if (scalar === "Boolean") return this.chance(0.5);
    if (scalar === "Float") return this.random() * 100;
    return this.string(name);
  }

  /** An input object: its required fields, one or two others, and a bounded `and`/`or`/`not`. */
  private inputObject(
    name: string,
    type: GraphQLInputObjectType,
    nesting: number,
    parent?: string,
  ): Record<string, unknown> {
    if (type.name === "KeyFilter") return this.keyFilter(name, parent);
    if (type.name === "StringFilter") return this.stringFilter();
    if (type.name === "DateFilter") return this.dateFilter();
    const fields = Object.values(type.getFields());
    const object: Record<string, unknown> = {};
    for (const field of fields) {
      if (isNonNullType(field.type) && field.defaultValue === undefined)
        object[field.name] = this.value(field.name, field.type, nesting + 1);
    }
    const combinators = new Set(["and", "or", "not"]);
    const optional = fields.filter(
      (f) => !(f.name in object) && (!combinators.has(f.name) || nesting < MAX_FILTER_NESTING),
    );
    const wanted = this.chance(0.05) ? 0 : this.int(1, 2);
    for (let i = 0; i < wanted && optional.length > 0; i++) {
      const field = this.pick(optional);
      // combinators are rarer than plain fields, so that filters stay small
      if (combinators.has(field.name) && this.chance(0.6)) continue;
      const nullable = getNullableType(field.type);
      object[field.name] = isInputObjectType(nullable)
        ? this.inputObject(field.name, nullable, nesting + 1, type.name)
        : this.value(field.name, field.type, nesting + 1);
    }
    return object;
  }

  /** A KeyFilter on `field` of the filter `parent`: existing keys of the kinds it refers to, mostly. */
  private keyFilter(field: string, parent: string | undefined): Record<string, unknown> {
    const kinds =
      field === "key"
        ? [parent && ownKind(parent)].filter((k) => k !== undefined)
        : (KEY_FIELD_KINDS[field] ?? []);
    const key = () => this.key(kinds);
    if (this.chance(0.6)) return { eq: key() };
    return { in: Array.from({ length: this.chance(0.03) ? 0 : this.int(1, 3) }, key) };
  }

  /** An existing key of one of `kinds` (any kind when empty), sometimes a bare slug; now and then a forged one or one of any kind. */
  private key(kinds: readonly string[]): string {
    if (this.chance(0.06))
      return this.chance(0.5) ? this.pick(ODD_STRINGS) : this.pick(this.pools.keys);
    const fitting = kinds.length
      ? this.pools.keys.filter((key) => kinds.some((kind) => key.startsWith(`${kind}/`)))
      : this.pools.keys;
    const chosen = this.pick(fitting.length ? fitting : this.pools.keys);
    // a bare slug only where it cannot be ambiguous (one kind)
    return kinds.length === 1 && this.chance(0.3) ? chosen.slice(chosen.indexOf("/") + 1) : chosen;
  }

  /** A StringFilter: parts of real names, now and then an odd string. */
  private stringFilter(): Record<string, unknown> {
    const name = this.pick(this.pools.names);
    const text = () => (this.chance(0.05) ? this.pick(ODD_STRINGS) : name);
    switch (this.int(0, 3)) {
      case 0:
        return { eq: text() };
      case 1:
        return {
          in: Array.from({ length: this.chance(0.03) ? 0 : this.int(1, 3) }, () =>
            this.chance(0.05) ? this.pick(ODD_STRINGS) : this.pick(this.pools.names),
          ),
        };
      case 2: {
        const word = this.pick(name.split(" "));
        return {
          contains: this.chance(0.05)
            ? this.pick(ODD_STRINGS)
            : word.slice(0, this.int(1, word.length)),
        };
      }
      default:
        return {
          startsWith: this.chance(0.05)
            ? this.pick(ODD_STRINGS)
            : name.slice(0, this.int(1, name.length)),
        };
    }
  }

  /** A DateFilter: one operator on a valid EDTF date mostly; `certainty` only with `activeAt`, mostly. */
  private dateFilter(): Record<string, unknown> {
    const date = () => (this.chance(0.1) ? this.pick(EDTF) : this.pick(CERTAIN_EDTF));
    const operator = this.pick(["overlaps", "activeAt", "before", "after"] as const);
    const filter: Record<string, unknown> = { [operator]: date() };
    if (this.chance(0.15))
      filter[this.pick(["overlaps", "activeAt", "before", "after"] as const)] = date();
    if ((operator === "activeAt" && this.chance(0.4)) || this.chance(0.03)) {
      filter.certainty = Array.from(
        { length: this.chance(0.03) ? 0 : this.int(1, 2) },
        () => new EnumValue(this.pick(["YES", "MAYBE", "NO"])),
      );
    }
    return filter;
  }

  private string(name: string): string {
    const odd = () => this.pick(ODD_STRINGS);
    switch (name) {
      case "from":
      case "to":
        return this.key([]);
      case "id":
        if (this.chance(0.08)) return odd();
        return this.chance(0.06)
          ? Buffer.from(`Person:${this.pick(this.pools.keys)}`).toString("base64")
          : this.pick(this.pools.ids);
      case "asOf":
      case "date":
        return this.chance(0.1) ? odd() : this.pick(this.chance(0.2) ? EDTF : CERTAIN_EDTF);
      case "after":
      case "before":
        return this.chance(0.08) ? odd() : this.pick(this.pools.cursors);
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

/** A value as a GraphQL literal: enum values bare, input objects as `{ field: value }`. */
function literal(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  if (value instanceof EnumValue) return value.name;
  if (typeof value === "object" && value) {
    return `{ ${Object.entries(value)
      .map(([field, v]) => `${field}: ${literal(v)}`)
      .join(", ")} }`;
  }
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

/** Variables as JSON: enum values by name, input objects as plain objects. */
export function jsonVariables(variables: Record<string, unknown>): Record<string, unknown> {
  const plain = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(plain);
    if (value instanceof EnumValue) return value.name;
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
    return value;
  };
  return Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, plain(v)]));
}
