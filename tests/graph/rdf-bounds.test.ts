/**
 * The RDF exports give a period's inner bounds, its start's last possible day and its end's
 * first (kz:startLatest, kz:endEarliest), as GraphQL's `start.latest` and `end.earliest` do, each
 * reified with what gives that end (the audit of 5 December, finding 12; honest54, F8): with kz:earliest and
 * kz:latest alone, "1999/2007" bounded by the decision of 2007-06-21 read as a name that may have
 * ended on any day of 2007, before the decision that changed it.
 */
import { describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { buildTriples, type Triple } from "../../src/graph/rdf.js";
import { buildLikeBuiltIn, cloneBuiltIn } from "../fixtures/datasets.js";

const KZ = "urn:kz-osce-graph:vocab#";
const RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const E = (key: string, fragment?: string) =>
  `urn:kz-osce-graph:${key}${fragment ? `#${fragment}` : ""}`;
const FIELD_OFFICE = "office/osce-field-office-kazakhstan";

function valuesOf(triples: Triple[], subject: string, term: string): string[] {
  return triples
    .filter((t) => t.subject === subject && t.predicate === `${KZ}${term}`)
    .map((t) => ("iri" in t.object ? t.object.iri : t.object.value));
}

/** The quotes and notes of the statement reifying `subject term value`. */
function provenanceOf(triples: Triple[], subject: string, term: string, value: string): string[] {
  const objectOf = (t: Triple) => ("iri" in t.object ? t.object.iri : t.object.value);
  const statements = new Set(
    triples
      .filter((t) => t.predicate === `${RDF}subject` && objectOf(t) === subject)
      .map((t) => t.subject),
  );
  const statement = [...statements].find(
    (s) =>
      triples.some(
        (t) =>
          t.subject === s && t.predicate === `${RDF}predicate` && objectOf(t) === `${KZ}${term}`,
      ) &&
      triples.some(
        (t) => t.subject === s && t.predicate === `${RDF}object` && objectOf(t) === value,
      ),
  );
  return triples
    .filter(
      (t) =>
        t.subject === statement &&
        (t.predicate === `${KZ}quote` || t.predicate === `${KZ}editorialNote`),
    )
    .map(objectOf);
}

describe("an interval's inner bounds in the RDF", () => {
  it("gives the field office's names their start's last and end's first day, each with what gives that end", async () => {
    const graph = await loadBuiltInGraph();
    const triples = buildTriples(graph);
    const almaty = E(FIELD_OFFICE, "name-1");
    const astana = E(FIELD_OFFICE, "name-2");
    expect(valuesOf(triples, almaty, "when")).toEqual(["1999/2007-06-21"]);
    expect(valuesOf(triples, almaty, "startLatest")).toEqual(["1999-12-31"]);
    expect(valuesOf(triples, almaty, "endEarliest")).toEqual(["2007-06-21"]);
    expect(valuesOf(triples, astana, "startLatest")).toEqual(["2007-06-21"]);
    expect(valuesOf(triples, astana, "endEarliest")).toEqual(["2014-12-18"]);
    // each with what gives that end: the transformation's line and note, not the renaming's,
    // which give the start (the honest54 audit, F8)
    const office = graph.get("office", FIELD_OFFICE)!;
    const words = (list: readonly ({ quote: string } | { editorial: string })[]) =>
      list.map((p) => ("quote" in p ? p.quote : p.editorial));
    const { when } = office.nameHistory[1]!;
    expect(provenanceOf(triples, astana, "endEarliest", "2014-12-18")).toEqual(
      words(when.boundProvenance!.end!),
    );
    expect(provenanceOf(triples, astana, "endEarliest", "2014-12-18").join(" ")).not.toContain(
      "June 21, 2007",
    );
    expect(provenanceOf(triples, astana, "startLatest", "2007-06-21")).toEqual(
      words(when.boundProvenance!.start!),
    );
    // the Troika's unknown start has no last day; its end, December 2011, begins on the 1st
    const troika = E("tenure/kazakhstan-osce-troika");
    expect(valuesOf(triples, troika, "startLatest")).toEqual([]);
    expect(valuesOf(triples, troika, "endEarliest")).toEqual(["2011-12-01"]);
    // a single date has its days in kz:earliest/kz:latest alone
    expect(valuesOf(triples, E("event/1992-kazakhstan-joins-the-osce"), "endEarliest")).toEqual([]);
  });

  it("gives a moment's tenure no first or last day, only its inner bounds (the honest54 audit, F4)", async () => {
    // Nazarbayev was President at the Summit of 2010-12-01/02: the source gives no span of his
    // presidency, which kz:earliest 2010-12-01 and kz:latest 2010-12-02 read as two days long
    const graph = await loadBuiltInGraph();
    const triples = buildTriples(graph);
    const president = E("tenure/nursultan-nazarbayev-president-at-astana-summit");
    expect(valuesOf(triples, president, "timing")).toEqual(["POINT_IN_TIME"]);
    expect(valuesOf(triples, president, "when")).toEqual(["2010-12-01/2010-12-02"]);
    expect(valuesOf(triples, president, "earliest")).toEqual([]);
    expect(valuesOf(triples, president, "latest")).toEqual([]);
    expect(valuesOf(triples, president, "startLatest")).toEqual(["2010-12-01"]);
    expect(valuesOf(triples, president, "endEarliest")).toEqual(["2010-12-02"]);
    // a PERIOD tenure keeps its days
    expect(valuesOf(triples, E("tenure/kazakhstan-osce-troika"), "latest")).toEqual(["2011-12-31"]);
  });

  it("honours the event that bounds an end: the audit's 1999/2007 bounded by the decision of 2007-06-21", () => {
    const dataset = cloneBuiltIn();
    const office = dataset.offices.find((o: { id: string }) => o.id === FIELD_OFFICE);
    const { assumed: _, ...when } = office.nameHistory[0].when;
    office.nameHistory[0].when = {
      ...when,
      edtf: "1999/2007",
      endsNotBefore: "event/2007-06-21-permanent-council-renaming",
    };
    const graph: KnowledgeGraph = buildLikeBuiltIn(dataset);
    const triples = buildTriples(graph);
    const almaty = E(FIELD_OFFICE, "name-1");
    expect(valuesOf(triples, almaty, "when")).toEqual(["1999/2007"]);
    expect(valuesOf(triples, almaty, "latest")).toEqual(["2007-12-31"]);
    // not 2007-01-01, the first day "2007" alone allows
    expect(valuesOf(triples, almaty, "endEarliest")).toEqual(["2007-06-21"]);
    expect(valuesOf(triples, almaty, "endsNotBefore")).toEqual([
      E("event/2007-06-21-permanent-council-renaming"),
    ]);
  });
});
