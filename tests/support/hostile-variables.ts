/**
 * A seeded generator of hostile *variables* for a handful of operations that take input objects,
 * lists and strings as variables (filters of root and nested lists, orders, search, path, nodes,
 * page sizes): huge `or`/`and` lists, filters nested far deeper than any question needs, long
 * `in` lists, huge and odd strings (combining marks, NUL, regex syntax), and values of the wrong
 * type at a random place. The documents themselves are small and valid: only the variables are
 * hostile, as an attacker sending one document with many payloads would do. The same seed gives
 * the same request.
 */
import { prng } from "./fuzz.js";

export interface HostileRequest {
  /** What the request tries, for reports ("filter:or×25000 on TenureFilter"). */
  label: string;
  query: string;
  variables: Record<string, unknown>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The operations, each with its variable's name and a few ordinary values to start from. */
const TARGETS: { type: string; query: string; leaves: (keys: Keys) => Json[] }[] = [
  {
    type: "PersonFilter",
    query:
      "query H($f: PersonFilter) { persons(first: 5, filter: $f) { totalCount nodes { key } } }",
    leaves: (k): Json[] => [
      { anyName: { contains: "a" } },
      { name: { startsWith: "Ka" } },
      { key: { eq: k.person } },
      { nationality: { in: [k.state] } },
      { title: { contains: "am" } },
      {},
    ],
  },
  {
    // the first attack: a filter of every office's tenures
    type: "TenureFilter",
    query:
      "query H($f: TenureFilter) { offices(first: 100) { nodes { tenures(first: 0, filter: $f) { totalCount } } } }",
    leaves: (k): Json[] => [
      {},
      { when: { overlaps: "2010" } },
      { timing: { eq: "PERIOD" } },
      { postKind: { in: ["HEAD_OF_OFFICE"] } },
      { holder: { eq: k.person } },
    ],
  },
  {
    type: "EventFilter",
    query: "query H($f: EventFilter) { events(first: 5, filter: $f) { totalCount nodes { key } } }",
    leaves: (k): Json[] => [
      { when: { activeAt: "2010-12", certainty: ["YES"] } },
      { kind: { in: ["ACCESSION", "APPOINTMENT"] } },
      { participant: { entity: { eq: k.state } } },
      { anyName: { contains: "summit" } },
    ],
  },
  {
    type: "OfficeFilter",
    query:
      "query H($f: OfficeFilter) { offices(first: 5, filter: $f) { totalCount nodes { key } } }",
    leaves: (k): Json[] => [
      { kind: { eq: "FIELD_OPERATION" } },
      { state: { eq: k.state } },
      { anyName: { contains: "almaty" } },
      { dimension: { in: [k.dimension] } },
    ],
  },
  {
    type: "TimelineFilter",
    query: "query H($f: TimelineFilter) { timeline(first: 5, filter: $f) { totalCount } }",
    leaves: (k): Json[] => [
      { date: { overlaps: "2010/2012" } },
      { entity: { eq: k.state } },
      { kind: { in: ["EVENT"] } },
    ],
  },
];

export interface Keys {
  person: string;
  state: string;
  dimension: string;
  /** Every key of the dataset, for long `in` lists. */
  all: string[];
}

/** Odd texts: combining marks, NUL and control characters, regex and GraphQL syntax, lone surrogates. */
const ODD = [
  "a\u0301".repeat(3),
  "\u0000",
  "\u202e",
  ".*",
  "(a+)+$",
  "\\",
  '"',
  "{ __typename }",
  "\ud800",
  "日本",
  "🇰🇿",
  " ",
  "%00",
  "null",
];
const WRONG: Json[] = [
  42,
  -1,
  1e308,
  0.5,
  true,
  false,
  "text",
  [],
  [[]],
  {},
  { zz: 1 },
  null,
  "",
  [null],
  { not: null },
];

export class HostileGenerator {
  private readonly random: () => number;

  constructor(
    private readonly keys: Keys,
    readonly seed: number,
  ) {
    this.random = prng(seed);
  }

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }
  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  generate(): HostileRequest {
    const kind = this.int(10);
    if (kind < 6) return this.filter();
    if (kind === 6) return this.order();
    if (kind === 7) return this.search();
    if (kind === 8) return this.path();
    return this.pages();
  }

  /**
   * A string of one of the lengths below, of one unit repeated; cut to `max` characters (the
   * same draws, and so the same requests after it, as the whole string cut afterwards).
   */
  private string(max = Number.POSITIVE_INFINITY): string {
    const length = Math.min(max, this.pick([1, 100, 1000, 20_000, 90_000]));
    const unit = this.pick([...ODD, "x", "zzqq"]);
    return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  }

  private filter(): HostileRequest {
    const target = this.pick(TARGETS);
    const leaves = target.leaves(this.keys);
    const leaf = () => structuredClone(this.pick(leaves));
    let value: Json;
    let label: string;
    switch (this.int(5)) {
      case 0: {
        const n = this.pick([101, 1000, 5000, 25_000]);
        const op = this.pick(["or", "and"]);
        const same = this.random() < 0.5;
        const one = leaf();
        value = { [op]: Array.from({ length: n }, () => (same ? one : leaf())) };
        label = `${op}×${n}`;
        break;
      }
      case 1: {
        const depth = this.pick([9, 33, 200, 1000, 2000]);
        const how = this.pick(["not", "and", "or"]);
        value = leaf();
        for (let i = 0; i < depth; i++)
          value =
            how === "not"
              ? { not: value }
              : how === "and"
                ? { and: [value] }
                : { or: [value, leaf()] };
        label = `${how} nested ${depth} deep`;
        break;
      }
      case 2: {
        const n = this.pick([1000, 10_000]);
        const field =
          target.type === "TimelineFilter"
            ? "entity"
            : target.type === "TenureFilter"
              ? "holder"
              : "key";
        const real = this.random() < 0.5;
        value = {
          [field]: {
            in: Array.from({ length: n }, (_, i) =>
              real ? this.keys.all[i % this.keys.all.length]! : `forged/${i}`,
            ),
          },
        };
        label = `${field}.in×${n}${real ? "" : " forged"}`;
        break;
      }
      case 3: {
        const text = this.string();
        value =
          target.type === "PersonFilter" ||
          target.type === "OfficeFilter" ||
          target.type === "EventFilter"
            ? { anyName: { contains: text } }
            : { when: { overlaps: text } };
        if (target.type === "TimelineFilter") value = { date: { overlaps: text } };
        label = `a string of ${text.length}`;
        break;
      }
      default: {
        value = this.mutate(leaf());
        label = "a wrong type";
      }
    }
    return {
      label: `filter: ${label} on ${target.type}`,
      query: target.query,
      variables: { f: value },
    };
  }

  /** The value with one place (or the whole) replaced by a value of another type. */
  private mutate(value: Json): Json {
    if (value === null || typeof value !== "object" || this.random() < 0.3) return this.pick(WRONG);
    if (Array.isArray(value)) {
      if (value.length === 0) return [this.pick(WRONG)];
      const i = this.int(value.length);
      value[i] = this.mutate(value[i]!);
      return value;
    }
    const fields = Object.keys(value);
    if (fields.length === 0)
      return {
        [this.pick(["zz", "and", "or", "not", "__proto__", "constructor"])]: this.pick(WRONG),
      };
    const field = this.pick(fields);
    value[field] = this.mutate(value[field]!);
    return value;
  }

  private order(): HostileRequest {
    const n = this.pick([1, 2, 100, 10_000]);
    const field = () => (this.random() < 0.8 ? this.pick(["NAME", "KEY"]) : this.pick(WRONG));
    const orders: Json = Array.from({ length: n }, () => ({
      field: field(),
      direction: this.random() < 0.9 ? this.pick(["ASC", "DESC"]) : this.pick(WRONG),
    }));
    return {
      label: `orderBy ×${n}`,
      query:
        "query H($o: [PersonOrder!]) { persons(first: 5, orderBy: $o) { totalCount nodes { key } } }",
      variables: { o: this.random() < 0.1 ? this.pick(WRONG) : orders },
    };
  }

  private search(): HostileRequest {
    const words = this.pick([1, 20, 500, 5000]);
    const query =
      this.random() < 0.5
        ? Array.from({ length: words }, () =>
            this.pick(["osce", "kazakhstan", "a", "zzqq", "programme", ...ODD]),
          ).join(" ")
        : this.string();
    const kinds: Json =
      this.random() < 0.2 ? this.pick(WRONG) : this.random() < 0.5 ? ["PERSON", "OFFICE"] : null;
    return {
      label: `search of ${query.length} characters`,
      query:
        "query H($q: String!, $k: [SearchableKind!]) { search(query: $q, kinds: $k, first: 5) { totalCount } }",
      variables: { q: this.random() < 0.1 ? this.pick(WRONG) : query, k: kinds },
    };
  }

  private path(): HostileRequest {
    const end = (): Json =>
      this.random() < 0.6
        ? this.pick(this.keys.all)
        : this.random() < 0.5
          ? this.string()
          : this.pick(WRONG);
    const maxLength: Json =
      this.random() < 0.7
        ? this.pick([1, 4, 6, 8, 10])
        : this.pick([0, -5, 1e9, 2 ** 31, 1.5, "4", null]);
    return {
      label: "path",
      query:
        "query H($a: String!, $b: String!, $n: Int!) { path(from: $a, to: $b, maxLength: $n) { length } }",
      variables: { a: end(), b: end(), n: maxLength },
    };
  }

  private pages(): HostileRequest {
    if (this.random() < 0.5) {
      const n = this.pick([10, 1000, 10_000]);
      const ids: Json = Array.from({ length: n }, () =>
        this.random() < 0.8 ? this.string(40) : this.pick(WRONG),
      );
      return {
        label: `nodes(ids) ×${n}`,
        query: "query H($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        variables: { ids },
      };
    }
    const first: Json = this.pick([0, 100, 101, -1, 2 ** 31, 2 ** 53, 1.5, "10", null, [], {}]);
    return {
      label: `first: ${JSON.stringify(first)}`,
      query:
        "query H($n: Int) { persons(first: $n) { totalCount } events(last: $n) { totalCount } }",
      variables: { n: first },
    };
  }
}
