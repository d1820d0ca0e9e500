/**
 * Where a quote starts in its source (`SourceQuote.offset`, GraphCore.quoteOffset): one rule,
 * `placeOf` (text-index.ts: the first place where the quote starts a word, else its first),
 * which a fully loaded graph applies on a quote's first read and a snapshot's writer applies to
 * every quote at once through TextIndex (findVerbatim), so that every way of loading gives the
 * same offset. That a snapshot's graph reads them without the text is in snapshot.test.ts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { builtInDatasetDir } from "../../data/index.js";
import { GraphCore } from "../../src/graph/core.js";
import { KnowledgeGraph } from "../../src/graph/graph.js";
import { forEachQuote, type Quote } from "../../src/graph/model.js";
import { loadJsonGraphWithSnapshot } from "../../src/graph/snapshot/load.js";
import { placeOf, TextIndex } from "../../src/graph/text-index.js";
import { validateDataset } from "../../src/graph/validate.js";
import {
  cloneBuiltIn,
  exportToTmp,
  removeDir,
  SOURCE_ID,
  SOURCE_TEXT_FILE,
} from "../fixtures/datasets.js";

/** Every quote object a dataset's entities hold, each once. */
function quotesOf(dataset: object): Quote[] {
  const found = new Set<Quote>();
  forEachQuote(dataset, (quote) => found.add(quote));
  return [...found];
}

const original = readFileSync(join(builtInDatasetDir, SOURCE_TEXT_FILE), "utf8");

/** The built-in dataset validated against `text` as its source's text. */
function validated(text: string) {
  return validateDataset(cloneBuiltIn(), {
    fileOf: (c) => `data/${c}.ts`,
    readSource: (file) => (file === SOURCE_TEXT_FILE ? text : undefined),
  });
}

describe("placeOf", () => {
  it("gives TextIndex.find's place, for every quote of the built-in data and for words inside words", () => {
    const index = new TextIndex(original);
    const quotes = quotesOf(cloneBuiltIn()).map((q) => q.quote);
    expect(quotes.length).toBeGreaterThan(50);
    expect(quotes.map((q) => placeOf(original, q))).toEqual(quotes.map((q) => index.find(q)));
    const text = "Kazakhstan's state; the statement of state. States.";
    const cases = ["state", "state.", "statement", "States", "tate", "an's state", "absent"];
    const small = new TextIndex(text);
    expect(cases.map((q) => placeOf(text, q))).toEqual(cases.map((q) => small.find(q)));
    // six characters or more: the first word start, not the first occurrence inside "statement"
    expect(placeOf(text, "state.")).toBe(text.indexOf("state."));
    expect(placeOf("xstate. state.", "state.")).toBe(8);
    // shorter: the first occurrence, wherever it is
    expect(placeOf("xstate state", "state")).toBe(1);
    expect(placeOf(text, "absent")).toBe(-1);
  });
});

describe("a quote's offset", () => {
  it("is found on its first read and kept for that quote object: the text is read once per quote", () => {
    const { dataset, texts } = validated(original);
    const graph = new KnowledgeGraph(dataset, texts);
    const quotes = quotesOf(dataset);
    const reads = vi.spyOn(texts, "get");
    const offsets = quotes.map((q) => graph.quoteOffset(q));
    expect(reads).toHaveBeenCalledTimes(quotes.length);
    expect(quotes.map((q) => graph.quoteOffset(q))).toEqual(offsets);
    expect(reads).toHaveBeenCalledTimes(quotes.length);
    reads.mockRestore();
    const wrong = quotes.filter((q, i) => !original.startsWith(q.quote, offsets[i]!));
    expect(wrong.map((q) => q.quote)).toEqual([]);
  });

  it("is looked for once in a first start that loads in full and writes the snapshot: the writer takes validation's places", async () => {
    const dir = exportToTmp();
    const find = vi.spyOn(TextIndex.prototype, "find");
    const placedOneByOne = vi.spyOn(GraphCore.prototype, "quoteOffset");
    try {
      const { graph, outcome } = await loadJsonGraphWithSnapshot(dir);
      expect(outcome.from).toBe("full load");
      expect(outcome.wrote).toBeDefined();
      const distinct = new Set(quotesOf(graph.dataset).map((q) => `${q.source}\0${q.quote}`));
      expect(distinct.size).toBeGreaterThan(50);
      // once by validation, not again by the writer, which found every quote it wrote (the
      // indexes' copies too) among validation's places, not placing any by itself
      expect(find).toHaveBeenCalledTimes(distinct.size);
      expect(placedOneByOne).not.toHaveBeenCalled();
      find.mockRestore();
      placedOneByOne.mockRestore();
      // and written where they are: the snapshot's graph gives each the place placeOf gives
      const { graph: snapped, outcome: second } = await loadJsonGraphWithSnapshot(dir);
      expect(second.from).toBe("snapshot");
      const text = snapped.texts.get(SOURCE_ID)!;
      const quotes = quotesOf(snapped.dataset);
      expect(quotes.map((q) => snapped.quoteOffset(q))).toEqual(
        quotes.map((q) => placeOf(text, q.quote)),
      );
    } finally {
      find.mockRestore();
      placedOneByOne.mockRestore();
      removeDir(dir);
    }
  });

  it("is one object per distinct quote in a snapshot's graph, as in a fully loaded one, however many facts cite it", async () => {
    const dir = exportToTmp();
    try {
      const { graph: full, outcome: first } = await loadJsonGraphWithSnapshot(dir);
      expect(first.from).toBe("full load");
      const { graph: snapped, outcome } = await loadJsonGraphWithSnapshot(dir);
      expect(outcome.from).toBe("snapshot");
      const textsOf = (quotes: Quote[]) => new Set(quotes.map((q) => `${q.source}\0${q.quote}`));
      // every quote object the entities hold, and the indexes' own copies of provenance lists
      // (the cooperations of an office) read back by the codec
      const cooperations = (graph: typeof full) =>
        graph.lists.office.flatMap((o) => graph.cooperationsByOffice.get(o.id));
      for (const graph of [full, snapped]) {
        const quotes = quotesOf([graph.dataset, cooperations(graph)]);
        expect(quotes.length).toBeGreaterThan(50);
        // no two objects for one quote of one source: a sentence that backs several facts is
        // held once (validate.ts's shareProvenance for a full load, `placed` for a snapshot)
        expect(quotes.length).toBe(textsOf(quotes).size);
      }
      // a sentence that backs several facts: the same object in each
      const cited = new Map<string, number>();
      forEachQuote(snapped.dataset, (q) => cited.set(q.quote, (cited.get(q.quote) ?? 0) + 1));
      expect([...cited.values()].some((n) => n > 1)).toBe(true);
      // where each is, unchanged
      const text = snapped.texts.get(SOURCE_ID)!;
      const quotes = quotesOf(snapped.dataset);
      expect(quotes.map((q) => snapped.quoteOffset(q))).toEqual(
        quotes.map((q) => placeOf(text, q.quote)),
      );
    } finally {
      removeDir(dir);
    }
  });

  it("places a quote that also occurs inside a longer word where it starts a word, on every way of loading", async () => {
    const probe = cloneBuiltIn();
    // a quote of the built-in data that starts with a letter, written again glued to a word
    const quote = quotesOf(probe)
      .map((q) => q.quote)
      .find((q) => q.length >= 24 && /^[A-Za-z]/.test(q) && original.indexOf(q) > 0)!;
    expect(quote).toBeDefined();
    const prefix = `Preface: un${quote} (a mid-word copy).\n\n`;
    const text = prefix + original;
    const wordStart = prefix.length + original.indexOf(quote);
    expect(text.indexOf(quote)).toBe("Preface: un".length);

    const { dataset, texts } = validated(text);
    expect(texts.get(SOURCE_ID)).toBe(text);
    const quoting = quotesOf(dataset).filter((q) => q.quote === quote);
    expect(quoting.length).toBeGreaterThan(0);
    const graph = new KnowledgeGraph(dataset, texts);
    for (const q of quoting) expect(graph.quoteOffset(q)).toBe(wordStart);

    // from a snapshot: its writer placed the quote by the same rule
    const dir = exportToTmp();
    try {
      writeFileSync(join(dir, SOURCE_TEXT_FILE), text);
      const full = await loadJsonGraphWithSnapshot(dir);
      expect(full.outcome.from).not.toBe("snapshot");
      const { graph: snapped, outcome } = await loadJsonGraphWithSnapshot(dir);
      expect(outcome.from).toBe("snapshot");
      const decoded = quotesOf(snapped.dataset).filter((q) => q.quote === quote);
      expect(decoded.length).toBeGreaterThan(0);
      const reads = vi.spyOn(snapped.texts, "get");
      for (const q of decoded) expect(snapped.quoteOffset(q)).toBe(wordStart);
      expect(reads).not.toHaveBeenCalled();
    } finally {
      removeDir(dir);
    }
  });
});
