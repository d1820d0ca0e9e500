/**
 * What a section of an entity's page gives once under its heading (web/src/section-sources.ts):
 * the "as of" its entries share, and the note on it. No browser: the groups are made here, as the
 * model makes them from a dataset of two sources (review 16c's ds-two: the synthetic dataset's
 * sources, whose dates rest on editorial notes of the same words).
 */
import { describe, expect, it } from "vitest";
import {
  type AsOf,
  glanceRefs,
  type Prov,
  provenanceOnce,
  type RelGroup,
  type RelItem,
} from "../../web/src/model.js";
import {
  asOfMeaning,
  asOfNote,
  glanceAsOfNote,
  groupSources,
  sharedAsOf,
} from "../../web/src/section-sources.js";

const note = (text: string): Prov => ({
  __typename: "EditorialNote",
  kind: "EDITORIAL",
  text,
  reason: text,
});
const quote = (source: string, words: string): Prov => ({
  __typename: "SourceQuote",
  kind: "QUOTE",
  text: words,
  quote: words,
  offset: 0,
  source: { key: source, name: source },
});
const asOf = (edtf: string, ...provenance: Prov[]): AsOf => {
  const [year, month, day] = edtf.split("-").map(Number);
  return {
    edtf,
    isInterval: false,
    start: { year: year!, month: month ?? null, day: day ?? null },
    end: { year: year!, month: month ?? null, day: day ?? null },
    provenance,
  };
};
const entry = (key: string, item: Omit<RelItem, "ref">): RelItem => ({
  ref: { __typename: "Priority", key, label: key },
  ...item,
});
const section = (...items: RelItem[]): RelGroup => ({
  id: "priorities",
  title: "Priorities",
  edge: "pursues",
  items,
  total: items.length,
});

describe("the sources a section gives once", () => {
  it("gives one “as of” only for the same date resting on the same quotes of the same source", () => {
    const generated = note("generated dataset");
    // two sources with the same note on their dates, updated in different years
    const twoDays = section(
      entry("priority/a", { asOf: asOf("2016-03-18", generated) }),
      entry("priority/b", { asOf: asOf("2015", generated) }),
    );
    expect(sharedAsOf(twoDays)).toBeNull();
    expect(groupSources(twoDays).of(twoDays.items[1]!)).toEqual([generated]);
    // the same words and day in two sources: two quotes, not one
    const updated = "Updated at : 18.03.2016, 19:31";
    const twoSources = section(
      entry("priority/a", { asOf: asOf("2016-03-18", quote("source/one", updated)) }),
      entry("priority/b", { asOf: asOf("2016-03-18", quote("source/two", updated)) }),
    );
    expect(sharedAsOf(twoSources)).toBeNull();
    // one source, one day: said once
    const oneSource = section(
      entry("priority/a", { asOf: asOf("2016-03-18", quote("source/one", updated)) }),
      entry("priority/b", { asOf: asOf("2016-03-18", quote("source/one", updated)) }),
    );
    expect(sharedAsOf(oneSource)?.edtf).toBe("2016-03-18");
    expect(groupSources(oneSource)).toMatchObject({
      every: [],
      asOfSources: [{ quote: updated }],
    });
  });

  it("gives the quote that dates a shared “as of” as its source, apart from what every entry rests on", () => {
    // an office's three dimensions: the same two quotes and note each, and the same "as of"
    // (review 16e: "Every entry below rests on these" listed the "Updated at" line, which states
    // none of them)
    const updated = quote("source/one", "Updated at : 18.03.2016, 19:31");
    const own = [
      quote("source/one", "held in all three dimensions"),
      note("taken to be all three"),
    ];
    const date = asOf("2016-03-18", updated);
    const dimensions = section(
      entry("dimension/a", { provenance: own, asOf: date }),
      entry("dimension/b", { provenance: own, asOf: date }),
      entry("dimension/c", { provenance: own, asOf: date }),
    );
    const sources = groupSources(dimensions);
    expect(sources.every).toEqual(own);
    expect(sources.asOfSources).toEqual([updated]);
    expect(dimensions.items.map((item) => sources.of(item))).toEqual([[], [], []]);
  });

  it("says what “as of” means once for a section where two or more entries have one, else leaves it to the entry", () => {
    const generated = note("generated dataset");
    // a synthetic state's priorities, dated by several sources' updates (review 16e: the words
    // were read after each of 7)
    const dates = ["2010", "2015-06/2015-08", "0099", "../2016", "2016-03-18", "2015", "2012"];
    const seven = section(
      ...dates.map((d, i) => entry(`priority/${i}`, { asOf: asOf(d, generated) })),
    );
    const sources = groupSources(seven);
    expect(sources.asOf).toBeNull();
    expect(sources.asOfNote).toBe(
      "“As of” beside an entry: the date of its source's last update, as of which the source states it; it gives it no date of its own.",
    );
    // (each entry keeps the source of its own "as of")
    expect(sources.of(seven.items[0]!)).toEqual([generated]);
    // one entry alone with an "as of" says it itself
    const alone = section(
      entry("priority/a", { asOf: asOf("2016-03-18", generated) }),
      entry("priority/b", { provenance: [note("undated")] }),
    );
    expect(groupSources(alone).asOfNote).toBeNull();
  });

  it("keeps an entry's “as of” quote of one source beside its own quote of the same words in another", () => {
    // (review 16e: the "as of" quote of source B was dropped as a repeat of source A's)
    const words = "Updated at : 18.03.2016, 19:31";
    const own = quote("source/a", words);
    const dating = quote("source/b", words);
    const alone = section(
      entry("priority/a", { provenance: [own], asOf: asOf("2016-03-18", dating) }),
      entry("priority/b", { provenance: [own] }),
    );
    expect(groupSources(alone).of(alone.items[0]!)).toEqual([own, dating]);
    // the very same quote, of the same source, is given once
    const same = section(
      entry("priority/a", { provenance: [own], asOf: asOf("2016-03-18", own) }),
      entry("priority/b", { provenance: [quote("source/a", "another sentence")] }),
    );
    expect(groupSources(same).of(same.items[0]!)).toEqual([own]);
  });

  it("says the note of “these” where every entry has the “as of”, else of the entries so marked, in no tense", () => {
    const updated = quote("source/one", "Updated at : 18.03.2016, 19:31");
    const date = asOf("2016-03-18", updated);
    const all = section(entry("priority/a", { asOf: date }), entry("priority/b", { asOf: date }));
    expect(asOfNote(all, date)).toBe(
      "“As of March 18, 2016”: the date of the source's last update, as of which it states these; it gives them no date of their own.",
    );
    // a programme with a period of its own among them (Path to Europe), and a keynote stated in the
    // future tense: neither is covered by the note
    const some = section(
      entry("priority/a", { asOf: date, mark: "keynote" }),
      entry("priority/b", { asOf: date }),
      entry("priority/path", {
        when: {
          edtf: "/2011-12",
          wording: "December 2011",
          precision: "MONTH",
          isInterval: true,
          startStatus: "UNKNOWN",
          endStatus: "KNOWN",
          earliest: null,
          latest: "2011-12-31",
          provenance: [quote("source/one", "completed in December 2011")],
          editorialBounds: [],
        },
      }),
    );
    expect(asOfNote(some, date)).toContain("as of which it states the entries so marked;");
    expect(asOfNote(some, date)).not.toMatch(/tense/);
  });

  it("words “as of” for one entry or many, without a space before a comma or a stop", () => {
    const date = asOf("2016-03-18", quote("source/one", "Updated at : 18.03.2016, 19:31"));
    expect(asOfMeaning(date, 1, 1)).toBe(
      "“As of March 18, 2016”: the date of the source's last update, as of which it states this; it gives it no date of its own.",
    );
    expect(asOfMeaning(date, 1, 3)).toBe(
      "“As of March 18, 2016”: the date of the source's last update, as of which it states the entry so marked; it gives it no date of its own.",
    );
    expect(asOfMeaning(date, 2, 3)).toContain(
      "it states the entries so marked; it gives them no date of their own.",
    );
    for (const words of [asOfMeaning(date, 1, 1), asOfMeaning(date, 3, 3), asOfMeaning(null, 2, 2)])
      expect(words).not.toMatch(/\s[,.;:)]/);
  });
});

describe("a summary line's shared as of (glanceRefs)", () => {
  const ref = (key: string) => ({ __typename: "Priority" as const, key, label: key });
  const updated = () => asOf("2016-03-18", quote("source/a", "Updated at : 18.03.2016"));
  it("is said once (all as of) only when the page has every entry of the line, each with the same date of the same source", () => {
    const three = [ref("p/1"), ref("p/2"), ref("p/3")];
    const [all] = glanceRefs("Priorities", { totalCount: 3, nodes: three }, 3, updated);
    expect(all!.asOf?.edtf).toBe("2016-03-18");
    expect(all!.parts.every((part) => !("asOf" in part))).toBe(true);
    // (review 16e: 50 loaded of 83 shared a date; seven of the 33 not loaded had another)
    const [some] = glanceRefs("Priorities", { totalCount: 83, nodes: three }, 3, updated);
    expect(some!.asOf).toBeUndefined();
    expect(some!.parts.map((part) => part.asOf?.edtf)).toEqual([
      "2016-03-18",
      "2016-03-18",
      "2016-03-18",
    ]);
    expect(some!.more).toBe(80);
    // the same day from another source is not the same "as of"
    const [mixed] = glanceRefs("Priorities", { totalCount: 3, nodes: three }, 3, (i) =>
      i === 2 ? asOf("2016-03-18", quote("source/b", "Updated at : 18.03.2016")) : updated(),
    );
    expect(mixed!.asOf).toBeUndefined();
  });

  it("says what “as of” means once after the line: of all where it is said once, else of the entries so marked", () => {
    const three = [ref("p/1"), ref("p/2"), ref("p/3")];
    // "A; B; C and 4 more below (all as of March 18, 2016)": of these (review 16e: "gives this")
    const [all] = glanceRefs(
      "Priorities",
      { totalCount: 7, nodes: [1, 2, 3, 4, 5, 6, 7].map((n) => ref(`p/${n}`)) },
      3,
      updated,
    );
    expect(glanceAsOfNote(all!)).toBe(
      "“As of March 18, 2016”: the date of the source's last update, as of which it states these; it gives them no date of their own.",
    );
    // "A; B; C (as of March 18, 2016)": of the one so marked
    const [one] = glanceRefs("Offices", three, 3, (i) => (i === 2 ? updated() : null));
    expect(glanceAsOfNote(one!)).toContain("it states the entry so marked; it gives it no date");
    // three of 83 shown, each with its "as of": of the entries so marked, not of the 80 below
    const [some] = glanceRefs("Priorities", { totalCount: 83, nodes: three }, 3, updated);
    expect(glanceAsOfNote(some!)).toContain("it states the entries so marked; it gives them");
    // none: nothing to say
    const [none] = glanceRefs("Offices", three);
    expect(glanceAsOfNote(none!)).toBeNull();
  });
});

describe("provenanceOnce (an entity's fields resting on one sentence, given once)", () => {
  it("gives a quote once when two fields rest on it, and the same words of two sources as two", () => {
    const a = quote("source/a", "Updated at : 18.03.2016");
    const b = quote("source/b", "Updated at : 18.03.2016");
    const other = quote("source/a", "The keynote");
    expect(provenanceOnce([a, other], [a])).toEqual([a, other]);
    // a review found source B's quote dropped as a repeat of source A's same words
    expect(provenanceOnce([a], [b, other])).toEqual([a, b, other]);
    // editorial notes are told apart by their words
    expect(provenanceOnce([note("x")], [note("x"), note("y")])).toEqual([note("x"), note("y")]);
  });
});
