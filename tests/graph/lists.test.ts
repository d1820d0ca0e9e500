/** The filter engine in the domain: indexes never change answers, undated facts, and the as-of rule. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { generate } from "../../data/synthetic/generate.js";
import { tenureCertainty } from "../../src/graph/asof.js";
import { compareChronologically, parsePartialDate } from "../../src/graph/dates.js";
import { Deadline } from "../../src/graph/deadline.js";
import {
  ALWAYS,
  type Condition,
  compileFilter,
  enumField,
  FilterInputError,
  givenCandidates,
  SORT_RUN,
  select,
  selectSteps,
  stringField,
} from "../../src/graph/filter.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { type ListArgs, selectKeys, selectOfficeLocations } from "../../src/graph/lists.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { type Dated, type Entity, type EntityKind, entityKinds } from "../../src/graph/model.js";
import { buildLikeBuiltIn, cloneBuiltIn } from "../fixtures/datasets.js";

let graph: KnowledgeGraph;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
});

/**
 * A root list's scan of `size` numbers, in key order, with a checkpoint every 64 tests: how many
 * items `made` counted when the scan first paused, and what it selected in the end.
 */
function scanInSteps(
  list: () => Iterable<number>,
  size: number,
  condition: Condition<number>,
  made: () => number,
) {
  const order = (a: number, b: number) => a - b;
  const steps = selectSteps(list, size, condition, order, {
    whole: true,
    defaultOrder: order,
    deadline: new Deadline(60_000, { checkEvery: 64 }),
  });
  expect(steps.next().done).toBe(false);
  const madeAtFirstCheckpoint = made();
  let step = steps.next();
  while (!step.done) step = steps.next();
  return { madeAtFirstCheckpoint, result: step.value };
}

describe("indexes", () => {
  const cases: [EntityKind, ListArgs<object, string>][] = [
    ["event", { filter: { place: { eq: "almaty" } } }],
    [
      "event",
      { filter: { kind: { in: ["DECISION", "OPENING"] }, when: { overlaps: "1995/2007" } } },
    ],
    ["event", { filter: { when: { activeAt: "2010-07", certainty: ["YES"] } } }],
    ["event", { filter: { when: { activeAt: "2010-07", certainty: ["NO"] } } }],
    [
      "event",
      { filter: { participant: { entity: { eq: "state/kazakhstan" }, role: { eq: "SUBJECT" } } } },
    ],
    ["event", { filter: { or: [{ place: { eq: "astana" } }, { kind: { eq: "APPOINTMENT" } }] } }],
    ["event", { filter: { or: [{ place: { eq: "astana" } }, { name: { contains: "council" } }] } }],
    ["office", { filter: { kind: { eq: "INSTITUTION" }, dimension: { eq: "human" } } }],
    ["office", { filter: { not: { state: { eq: "kazakhstan" } } } }],
    ["office", { filter: { partOf: { eq: "osce" }, kind: { eq: "INSTITUTION" } } }],
    ["office", { filter: { not: { partOf: { eq: "osce" } } } }],
    ["person", { filter: { nationality: { in: ["kazakhstan", "hungary"] } } }],
    ["tenure", { filter: { office: { eq: "osce-field-office-kazakhstan" } } }],
    ["tenure", { filter: { holder: { eq: "kazakhstan" }, postKind: { eq: "CHAIRMANSHIP" } } }],
    ["priority", { filter: { dimension: { eq: "human" }, state: { eq: "kazakhstan" } } }],
    ["state", { filter: { cooperatesWith: { eq: "odihr" } } }],
    [
      "post",
      {
        filter: { key: { in: ["osce-chairmanship", "post/president-of-kazakhstan"] } },
        orderBy: [{ field: "KIND" }],
      },
    ],
  ];

  it.each(cases)("give the same %s answer as a full scan for %j", (kind, args) => {
    const fromIndex = selectKeys(graph, kind, args);
    const scanned = selectKeys(graph, kind, args, { relation: graph.keys[kind] });
    expect(fromIndex).toEqual(scanned);
  });

  it("start a root list from the candidates, testing nothing else and never listing the whole kind", () => {
    const tested: number[] = [];
    const condition: Condition<number> = {
      test: (n) => (tested.push(n), n % 2 === 0),
      candidates: givenCandidates([8, 2]),
    };
    const order = (a: number, b: number) => a - b;
    const all = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    let listed = false;
    const list = () => ((listed = true), all);
    expect(
      select(list, all.length, condition, order, { whole: true, defaultOrder: order }),
    ).toEqual([2, 8]);
    expect(listed).toBe(false);
    expect(tested.sort()).toEqual([2, 8]);
  });

  it("ask nothing of a field given no operator, as of an empty filter (red team 54, F5)", () => {
    // `name: {}` was compiled to a test of every item that every item passed: the list was
    // scanned, priced as no filter
    const spec = {
      name: stringField((n: number) => [`n${n}`]),
      parity: enumField((n: number) => (n % 2 ? "ODD" : "EVEN")),
    };
    expect(compileFilter(spec, { name: {} }, "filter")).toBe(ALWAYS);
    expect(compileFilter(spec, { name: { eq: null, contains: undefined } }, "filter")).toBe(ALWAYS);
    expect(compileFilter(spec, { name: {}, parity: {} }, "filter")).toBe(ALWAYS);
    // one that asks something is compiled as before, beside it
    const odd = compileFilter(spec, { name: {}, parity: { eq: "ODD" } }, "filter");
    expect(odd).not.toBe(ALWAYS);
    expect([1, 2, 3].filter((n) => odd.test(n))).toEqual([1, 3]);
    // and within and, or, not (review 54, L2): left out of an and, an or of it matches all, and
    // not of it matches nothing, with no item to test
    expect(compileFilter(spec, { and: [{}, { name: {} }] }, "filter")).toBe(ALWAYS);
    expect(compileFilter(spec, { or: [{ name: {} }, { parity: { eq: "ODD" } }] }, "filter")).toBe(
      ALWAYS,
    );
    const none = compileFilter(spec, { not: { name: {} } }, "filter");
    expect([1, 2, 3].filter((n) => none.test(n))).toEqual([]);
    expect(none.candidates?.most).toBe(0);
  });

  it("asks nothing of an event given a participant filter that asks nothing: one without participants too", () => {
    // (review 54, L3) events' participant filter is any participant matching: given none that
    // asks anything, the event is not asked to have one
    const dataset = cloneBuiltIn();
    const lonely = dataset.events[0];
    lonely.participants = [];
    const graph = buildLikeBuiltIn(dataset);
    const all = selectKeys(graph, "event", {});
    expect(all).toContain(lonely.id);
    for (const filter of [{ participant: {} }, { participant: { capacity: {} } }])
      expect(selectKeys(graph, "event", { filter } as never)).toEqual(all);
  });

  it("make only the candidates a root list starts from: not an and's others, not a not's, none for a relation list", () => {
    // the cost walk prices a root list by its filter's fewest candidates (cost.ts,
    // `indexedCandidates`): making every conjunct's (an index entry per value, each item
    // loaded) cost seconds for a filter priced a few units
    const all = Array.from({ length: 100 }, (_, i) => i);
    const made: string[] = [];
    const index = (field: string, of: (n: number) => string) =>
      Object.assign(
        (value: string) => (made.push(`${field}:${value}`), all.filter((n) => of(n) === value)),
        { size: (value: string) => all.filter((n) => of(n) === value).length },
      );
    const parity = (n: number) => (n % 2 ? "ODD" : "EVEN");
    const digit = (n: number) => `D${n % 10}`;
    const spec = {
      parity: enumField(parity, index("parity", parity)),
      digit: enumField(digit, index("digit", digit)),
    };
    const order = (a: number, b: number) => a - b;
    const run = (filter: object, whole: boolean) => {
      made.length = 0;
      const condition = compileFilter(spec, filter, "filter");
      return select(() => all, all.length, condition, order, { whole, defaultOrder: order });
    };

    const both = { and: [{ parity: { in: ["EVEN", "ODD"] } }, { digit: { eq: "D2" } }] };
    expect(run(both, true)).toEqual([2, 12, 22, 32, 42, 52, 62, 72, 82, 92]);
    expect(made).toEqual(["digit:D2"]);
    expect(run(both, false)).toEqual([2, 12, 22, 32, 42, 52, 62, 72, 82, 92]);
    expect(made).toEqual([]);
    expect(run({ digit: { eq: "D3" }, not: { parity: { eq: "EVEN" } } }, true)).toEqual([
      3, 13, 23, 33, 43, 53, 63, 73, 83, 93,
    ]);
    expect(made).toEqual(["digit:D3"]);
    // an or makes its members' candidates, once, when the list starts from them
    expect(run({ or: [{ digit: { eq: "D1" } }, { digit: { eq: "D4" } }] }, true)).toHaveLength(20);
    expect(made).toEqual(["digit:D1", "digit:D4"]);
  });

  it("sort in pieces that can yield, stably, in the order Array.prototype.sort gives", () => {
    // a sort of 38,000 persons by NAME held the event loop in one piece for 70-300 ms
    const order = (a: number, b: number) => Math.floor(a / 7) - Math.floor(b / 7); // ties by 7s
    for (const n of [3, SORT_RUN, SORT_RUN + 1, 5 * SORT_RUN + 17]) {
      const all = Array.from({ length: n }, (_, i) => (i * 7919) % n);
      const steps = selectSteps(() => all, n, ALWAYS, order, {
        whole: true,
        defaultOrder: (a, b) => a - b,
        deadline: new Deadline(60_000, { checkEvery: 64 }),
      });
      let pauses = 0;
      let step = steps.next();
      for (; !step.done; step = steps.next()) pauses++;
      expect(step.value).toEqual([...all].sort(order));
      if (n > SORT_RUN) expect(pauses).toBeGreaterThan(n / SORT_RUN);
    }
  });

  it("read a list item by item between the scan's checkpoints, so that a list making its items makes them in pieces", () => {
    // a snapshot-loaded graph makes an entity when it is first read: a first scan of 38,000
    // persons made them all in one piece, holding the event loop for 0.8-1 s
    let made = 0;
    const list = function* () {
      for (let i = 0; i < 5000; i++) yield (made++, i);
    };
    for (const condition of [ALWAYS, { test: (n: number) => n % 3 === 0 }]) {
      made = 0;
      const { madeAtFirstCheckpoint, result } = scanInSteps(list, 5000, condition, () => made);
      expect(madeAtFirstCheckpoint).toBeLessThan(100);
      expect(result).toHaveLength(condition === ALWAYS ? 5000 : 1667);
    }
  });

  it("read candidates from an index one by one between the scan's checkpoints, once each", () => {
    // an index that can give keys makes each item as the scan reads it: the first reading of
    // 100,000 events of five kinds (a filter on `kind`) made them all in one piece, 500-620 ms
    let made = 0;
    const keysOf = (value: "even" | "third") =>
      Array.from({ length: 6000 }, (_, i) => i).filter((i) =>
        value === "even" ? i % 2 === 0 : i % 3 === 0,
      );
    const index = Object.assign(
      (value: "even" | "third") => keysOf(value).map((i) => (made++, i)),
      {
        size: (value: "even" | "third") => keysOf(value).length,
        keys: (value: "even" | "third") => keysOf(value).map(String),
        item: (key: string) => (made++, Number(key)),
      },
    );
    const condition = compileFilter(
      { kind: enumField((n: number) => (n % 2 === 0 ? "even" : "third"), index) },
      { kind: { in: ["even", "third"] } },
      "filter",
    );
    const order = (a: number, b: number) => a - b;
    const { madeAtFirstCheckpoint, result } = scanInSteps(
      () => [],
      100_000,
      condition,
      () => made,
    );
    expect(madeAtFirstCheckpoint).toBeLessThan(100);
    // every candidate once (multiples of 6 are in both entries), in order
    const expected = Array.from({ length: 6000 }, (_, i) => i).filter(
      (i) => i % 2 === 0 || (i % 3 === 0 && i % 2 !== 0),
    );
    expect(made).toBe(expected.length);
    expect(result).toEqual(
      select(() => [], 100_000, condition, order, { whole: true, defaultOrder: order }),
    );
  });

  it("never take candidates outside a relation list", () => {
    const condition: Condition<number> = { test: () => true, candidates: givenCandidates([99]) };
    const order = (a: number, b: number) => a - b;
    expect(
      select(() => [1, 2, 3], 3, condition, order, { whole: false, defaultOrder: order }),
    ).toEqual([1, 2, 3]);
  });
});

describe("facts without a date", () => {
  it("count as an unknown period: MAYBE at any date, overlapping anything, never before or after", () => {
    const dataset = cloneBuiltIn();
    const office = dataset.offices.find(
      (o: { id: string }) => o.id === "office/permanent-mission-of-kazakhstan",
    );
    delete office.locations[0].when;
    const undated = buildLikeBuiltIn(dataset);
    const mission = undated.get("office", "office/permanent-mission-of-kazakhstan")!;
    const places = (args: ListArgs<object, "DATE">) =>
      selectOfficeLocations(undated, mission, args).map((l) => l.place);

    expect(places({ filter: { period: { overlaps: "1800" } } })).toEqual(["place/vienna"]);
    expect(places({ filter: { period: { activeAt: "2010" } } })).toEqual(["place/vienna"]);
    expect(places({ filter: { period: { activeAt: "2010", certainty: ["YES"] } } })).toEqual([]);
    expect(places({ filter: { period: { before: "3000" } } })).toEqual([]);
    expect(places({ filter: { period: { after: "1000" } } })).toEqual([]);
  });
});

describe("tenure certainty", () => {
  it("follows coverage for a PERIOD and never says NO for a POINT_IN_TIME", () => {
    const szabo = graph.get("tenure", "tenure/gyorgy-szabo-head-of-programme-office")!;
    const president = graph.get(
      "tenure",
      "tenure/nursultan-nazarbayev-president-at-astana-summit",
    )!;
    const at = (edtf: string) => parsePartialDate(edtf);
    expect(tenureCertainty(graph, szabo, at("2016-03-01"))).toBe("YES");
    expect(tenureCertainty(graph, szabo, at("2020-01-01"))).toBe("MAYBE");
    expect(tenureCertainty(graph, szabo, at("2005-01-01"))).toBe("NO");
    expect(tenureCertainty(graph, president, at("2010-12-02"))).toBe("YES");
    expect(tenureCertainty(graph, president, at("1900"))).toBe("MAYBE");
  });
});

describe("input errors", () => {
  it("carry the path of the offending input", () => {
    const attempt = () =>
      selectKeys(graph, "event", {
        filter: { or: [{ place: { eq: "almaty" } }, { when: { before: "2010-00" } }] },
      });
    expect(attempt).toThrow(FilterInputError);
    expect(attempt).toThrow(/month 00/);
    try {
      attempt();
    } catch (error) {
      expect((error as FilterInputError).path).toBe("filter.or[1].when.before");
    }
  });
});

describe("an unfiltered list in its default order", () => {
  it("is the graph's own list, not a copy, whatever its length (a page of a million keys is a slice of ten)", () => {
    expect(selectKeys(graph, "person", {})).toBe(graph.keys.person);
    const state = graph.keys.state.find((key) => graph.personsByNationality.get(key).length > 0)!;
    const relation = graph.personsByNationality.get(state);
    expect(selectKeys(graph, "person", {}, { relation })).toBe(relation);
    // a filter or an order makes a list of its own
    expect(
      selectKeys(graph, "person", { orderBy: [{ field: "NAME", direction: "DESC" }] }),
    ).not.toBe(graph.keys.person);
  });
});

describe("an order without a filter", () => {
  // generated, for its ties: persons sharing a name, events and tenures sharing a date (the
  // built-in data has no two tenures of one date)
  let generated: KnowledgeGraph;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), "kz-orders-"));
    try {
      generate({ entities: 2000, seed: 5, out: dir, format: "ndjson" });
      generated = loadJsonGraph(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  /** Every order a list of `kind` takes, compared as the API defines it: ties by key. */
  const fieldsOf = (kind: EntityKind): [string, (a: Entity, b: Entity) => number][] => {
    const of = <T>(e: Entity) => e as unknown as T;
    const byText = (a: string, b: string) => a.localeCompare(b, "en");
    const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const fields: [string, (a: Entity, b: Entity) => number][] = [
      ["KEY", (a, b) => byKey(a.id, b.id)],
    ];
    if (kind !== "tenure")
      fields.push([
        "NAME",
        (a, b) =>
          byText(
            of<{ name: { text: string } }>(a).name.text,
            of<{ name: { text: string } }>(b).name.text,
          ),
      ]);
    if (kind === "office" || kind === "post" || kind === "event")
      fields.push([
        "KIND",
        (a, b) => byKey(of<{ kind: string }>(a).kind, of<{ kind: string }>(b).kind),
      ]);
    if (kind === "event" || kind === "tenure")
      fields.push([
        "DATE",
        (a, b) =>
          compareChronologically(
            generated.date(of<{ when: Dated }>(a).when),
            generated.date(of<{ when: Dated }>(b).when),
          ),
      ]);
    return fields;
  };
  /** `keys` as `orderBy` orders them, from their entities (what the API promises), ties by key. */
  const expected = (
    kind: EntityKind,
    keys: readonly string[],
    orderBy: { field: string; direction: "ASC" | "DESC" }[],
  ) => {
    const fields = new Map(fieldsOf(kind));
    return keys
      .map((key) => generated.get(kind, key)!)
      .sort((a, b) => {
        for (const { field, direction } of orderBy) {
          const c = fields.get(field)!(a, b);
          if (c !== 0) return direction === "DESC" ? -c : c;
        }
        return a.id < b.id ? -1 : 1;
      })
      .map((e) => e.id);
  };
  const orders = (kind: EntityKind) => {
    const fields = fieldsOf(kind).map(([field]) => field);
    const one = fields.flatMap((field) =>
      (["ASC", "DESC"] as const).map((direction) => [{ field, direction }]),
    );
    // every pair of fields, the first descending: the second orders the first's ties
    const two = fields.flatMap((first) =>
      fields
        .filter((second) => second !== first)
        .map((second) => [
          { field: first, direction: "DESC" as const },
          { field: second, direction: "ASC" as const },
        ]),
    );
    return [...one, ...two];
  };

  it.each(entityKinds.map((kind) => [kind]))(
    "orders the root list and a relation list of %s as their entities compare, ties by key",
    (kind) => {
      for (const orderBy of orders(kind)) {
        const keys = generated.keys[kind];
        expect(selectKeys(generated, kind, { orderBy }), JSON.stringify(orderBy)).toEqual(
          expected(kind, keys, orderBy),
        );
        // a relation's keys (here every other key, in the list's order), as a parent's list gives them
        const relation = keys.filter((_, i) => i % 2 === 1);
        expect(selectKeys(generated, kind, { orderBy }, { relation })).toEqual(
          expected(kind, relation, orderBy),
        );
      }
    },
  );

  it("has ties to break: events of one kind and one date, names shared", () => {
    // else the test above would not tell ties broken by key from ties broken by place
    const ties = (kind: EntityKind, field: string) => {
      const compare = new Map(fieldsOf(kind)).get(field)!;
      const sorted = expected(kind, generated.keys[kind], [{ field, direction: "ASC" }]);
      return sorted.filter(
        (key, i) =>
          i > 0 && compare(generated.get(kind, key)!, generated.get(kind, sorted[i - 1]!)!) === 0,
      ).length;
    };
    expect(ties("person", "NAME")).toBeGreaterThan(0);
    expect(ties("event", "KIND")).toBeGreaterThan(0);
    expect(ties("event", "DATE")).toBeGreaterThan(0);
    expect(ties("tenure", "DATE")).toBeGreaterThan(0);
  });

  it("refuses a field the kind has not, as the entities' order does", () => {
    expect(() => selectKeys(generated, "tenure", { orderBy: [{ field: "NAME" }] })).toThrow(
      FilterInputError,
    );
    expect(() => selectKeys(generated, "person", { orderBy: [{ field: "DATE" }] })).toThrow(
      /cannot order by DATE/,
    );
  });
});
