/**
 * The compact timeline (src/graph/timeline.ts) against the former timeline of plain objects
 * (tests/support/reference-timeline.ts): entry by entry the same fields in the same order, the same
 * candidates for an entity or kind filter, and the same selections and pages for filters and
 * orders. On the built-in graph and on a generated one with thousands of entries.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { generate } from "../../data/synthetic/generate.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import type { ListArgs, TimelineFilterInput } from "../../src/graph/lists.js";
import { selectTimeline } from "../../src/graph/lists.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { entityKinds } from "../../src/graph/model.js";
import {
  buildTimeline,
  type Timeline,
  type TimelineEntry,
  timelineEntryKinds,
} from "../../src/graph/timeline.js";
import { buildLikeBuiltIn, cloneBuiltIn } from "../fixtures/datasets.js";
import { expectSameEntries } from "../support/differences.js";
import * as reference from "../support/reference-timeline.js";

interface Case {
  graph: KnowledgeGraph;
  timeline: Timeline;
  former: reference.Timeline;
}
let dir: string;
type CaseName = "built-in" | "edited built-in" | "generated";
const cases = {} as Record<CaseName, Case>;

/**
 * The built-in dataset with what it lacks: a location that ends on a day (LOCATION_END), and twelve
 * locations and ten renamings of one office on one date, whose order is that of their ids
 * (`#name-10` before `#name-3`).
 */
function edited(): KnowledgeGraph {
  const dataset = cloneBuiltIn();
  const office = dataset.offices.find(
    (o: { id: string }) => o.id === "office/osce-field-office-kazakhstan",
  );
  const first = office.locations[0];
  first.when = { ...first.when, edtf: "1999/2007-06-21" };
  // (without any bound by an event, which an end in 2003 could not meet, nor an editorial bound
  // of the dates they are copied from: `assumed` names days of those dates)
  const { endsNotBefore: _, assumed: _a, ...unbounded } = first.when;
  for (let i = 0; i < 11; i++)
    office.locations.push({ ...first, when: { ...unbounded, edtf: "2001/2003" } });
  const last = office.nameHistory.at(-1);
  const { assumed: _b, ...lastWhen } = last.when;
  // each followed by another: its end unknown, not open (the validator refuses a name still borne
  // when another follows it), the last one's open
  last.when = { ...lastWhen, edtf: "2014-12-18/" };
  for (let i = 0; i < 10; i++)
    office.nameHistory.push({
      ...last,
      text: `${last.text} ${i}`,
      // a name the quote does not write: editorial, or the quote rule for names refuses it
      provenance: [...last.provenance, { editorial: "a test's copy of the name" }],
      when: { ...lastWhen, edtf: i === 9 ? "2016/.." : "2016/" },
    });
  return buildLikeBuiltIn(dataset);
}

const both = (graph: KnowledgeGraph): Case => ({
  graph,
  timeline: buildTimeline(graph),
  former: reference.buildTimeline(graph),
});
beforeAll(async () => {
  cases["built-in"] = both(await loadBuiltInGraph());
  cases["edited built-in"] = both(edited());
  dir = mkdtempSync(join(tmpdir(), "timeline-reference-"));
  generate({ entities: 5000, seed: 7, out: dir, format: "json" });
  cases.generated = both(loadJsonGraph(dir));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every field of an entry, as the API and the filters read it. */
function fields(e: TimelineEntry | reference.TimelineEntry) {
  return {
    id: e.id,
    kind: e.kind,
    date: { edtf: e.date.edtf, provenance: e.date.provenance, wording: e.date.wording },
    parsed: e.parsed,
    label: e.label,
    subject: e.subject,
    event: e.event,
    tenure: e.tenure,
    officeName: e.officeName && [e.officeName.office.id, e.officeName.name],
    officeLocation: e.officeLocation && [e.officeLocation.office.id, e.officeLocation.location],
    involves: e.involves,
    provenance: e.provenance,
    order: e.order,
  };
}

const summary = (list: {
  length: number;
  slice(start: number, end: number): (TimelineEntry | reference.TimelineEntry)[];
}) => list.slice(0, list.length).map((e) => `${e.order} ${e.id}`);

describe.each(["built-in", "edited built-in", "generated"] as const)(
  "the compact timeline of the %s graph",
  (name) => {
    it("has every entry of the former timeline, in the same order, with the same fields", () => {
      const { timeline, former } = cases[name];
      expect(former.entries.length).toBeGreaterThan(name === "generated" ? 3000 : 20);
      expect(timeline.entries.length).toBe(former.entries.length);
      const entries = former.entries.map((_, order) => timeline.entries.at(order));
      expectSameEntries(entries.map(fields), former.entries.map(fields));
      // the same objects where the former entry shared the graph's (each quote or note of the
      // provenance, an event's date)
      const shared = (entry: TimelineEntry | reference.TimelineEntry) => [
        entry.id,
        entry.kind === "EVENT" || entry.kind === "TENURE_ATTESTED" ? entry.date : undefined,
        ...entry.provenance,
      ];
      const notShared = entries.flatMap((entry, order) => {
        const [actual, expected] = [shared(entry), shared(former.entries[order]!)];
        return actual.length === expected.length &&
          actual.every((value, i) => value === expected[i])
          ? []
          : [[actual, expected]];
      });
      expect(notShared, "[id, date, ...provenance]: not the former entry's objects").toEqual([]);
      // the date filters read is the entry's date
      expectSameEntries(
        entries.map((entry, order) => [entry.id, timeline.dateAt(order)]),
        former.entries.map((expected) => [expected.id, expected.parsed]),
      );
    });

    it("has every kind of entry, and ties of one kind on one date (so that every case was compared)", () => {
      const entries = [...cases[name].timeline.entries];
      const kinds = new Set(entries.map((e) => e.kind));
      // the generated offices never leave a place; the built-in field office left Almaty in 2007
      const expected =
        name === "generated"
          ? timelineEntryKinds.filter((k) => k !== "LOCATION_END")
          : timelineEntryKinds;
      expect([...kinds].sort()).toEqual([...expected].sort());
      const ties = entries.filter(
        (e, i) =>
          i > 0 && entries[i - 1]!.kind === e.kind && entries[i - 1]!.date.edtf === e.date.edtf,
      );
      expect(ties.length).toBeGreaterThan(name === "built-in" ? 0 : 10);
    });

    it("finds the same entries for every entity and every kind as the former indexes", () => {
      const { graph, timeline, former } = cases[name];
      const keys = entityKinds.flatMap((kind) => graph.keys[kind]);
      const expected = keys.map((key) => [key, former.byEntity.get(key).map((e) => e.order)]);
      expectSameEntries(
        keys.map((key) => [key, timeline.involving(key)]),
        expected,
      );
      const involved = expected.reduce((sum, [, orders]) => sum + orders!.length, 0);
      expect(involved).toBeGreaterThan(former.entries.length);
      for (const kind of timelineEntryKinds)
        expect(timeline.ofKind(kind)).toEqual(former.byKind.get(kind).map((e) => e.order));
    });

    it("selects and pages as the former timeline for filters on date, entity and kind, combined, in both orders", () => {
      const { graph, former } = cases[name];
      const busiest = (kind: "state" | "person" | "office" | "place" | "event" | "post") =>
        graph.keys[kind].reduce((a, b) =>
          former.byEntity.get(b).length > former.byEntity.get(a).length ? b : a,
        );
      const filters: TimelineFilterInput[] = [
        {},
        { date: { overlaps: "2010" } },
        { date: { activeAt: "2016-03-01", certainty: ["YES", "MAYBE", "NO"] } },
        { date: { before: "2000" } },
        { date: { after: "2015-06" } },
        { kind: { eq: "TENURE_END" } },
        { kind: { in: ["NAME_CHANGE", "LOCATION_START", "EVENT"] } },
        ...(["state", "person", "office", "place", "event", "post"] as const).map((kind) => ({
          entity: { eq: busiest(kind) },
        })),
        { entity: { in: [busiest("state"), busiest("office")] }, kind: { eq: "TENURE_START" } },
        { or: [{ entity: { eq: busiest("person") } }, { kind: { eq: "LOCATION_END" } }] },
        { not: { kind: { in: ["EVENT", "TENURE_START"] } }, date: { overlaps: "2005/2012" } },
        { and: [{ date: { after: "1995" } }, { entity: { eq: busiest("office") } }] },
      ];
      for (const filter of filters) {
        for (const orderBy of [
          undefined,
          [{ field: "DATE" as const, direction: "DESC" as const }],
          [{ field: "DATE" as const }],
        ]) {
          const args: ListArgs<TimelineFilterInput, "DATE"> = {
            filter,
            ...(orderBy && { orderBy }),
          };
          const expected = reference.selectTimeline(graph, former, args);
          const selected = selectTimeline(graph, args);
          const label = JSON.stringify(args);
          expect(selected.length, label).toBe(expected.length);
          expect(summary(selected), label).toEqual(summary(expected));
          // a page from the middle, as paginate asks for it
          const [start, end] = [
            Math.floor(expected.length / 3),
            Math.floor(expected.length / 3) + 20,
          ];
          expect(selected.slice(start, end).map(fields), label).toEqual(
            expected.slice(start, end).map(fields),
          );
        }
      }
    });

    it("refuses the same bad input as the former selection", () => {
      const { graph, former } = cases[name];
      const bad: ListArgs<TimelineFilterInput, "DATE">[] = [
        { filter: { entity: { eq: "person/nobody-at-all" } } },
        { filter: { kind: { in: [] } } },
        { filter: { date: { overlaps: "2010-13" } } },
        { orderBy: [] },
      ];
      for (const args of bad) {
        const message = (run: () => unknown) => {
          try {
            run();
          } catch (error) {
            return (error as Error).message;
          }
          return "no error";
        };
        const expected = message(() => reference.selectTimeline(graph, former, args));
        expect(expected).not.toBe("no error");
        expect(message(() => selectTimeline(graph, args))).toBe(expected);
      }
    });
  },
);
