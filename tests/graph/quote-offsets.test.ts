/**
 * Where a quote starts in its source (`SourceQuote.offset`, GraphCore.quoteOffset): a loaded
 * graph takes the place validation found each quote at instead of looking for it again, and a
 * graph given no places finds the same ones, by the same rule (TextIndex.find: the first place
 * where the quote starts a word, else its first place). The snapshot's side is in
 * snapshot.test.ts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { builtInDatasetDir } from "../../data/index.js";
import { KnowledgeGraph } from "../../src/graph/graph.js";
import type { Quote } from "../../src/graph/model.js";
import { loadJsonGraphWithSnapshot } from "../../src/graph/snapshot/load.js";
import { validateDataset } from "../../src/graph/validate.js";
import {
  cloneBuiltIn,
  exportToTmp,
  removeDir,
  SOURCE_ID,
  SOURCE_TEXT_FILE,
} from "../fixtures/datasets.js";

/** Every quote object a dataset's entities hold, at any depth. */
function quotesOf(dataset: object): Quote[] {
  const found = new Set<Quote>();
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== "object") return;
    const { source, quote } = value as Partial<Quote>;
    if (typeof source === "string" && typeof quote === "string") found.add(value as Quote);
    else for (const item of Object.values(value)) walk(item);
  };
  walk(dataset);
  return [...found];
}

const original = readFileSync(join(builtInDatasetDir, SOURCE_TEXT_FILE), "utf8");

/** The built-in dataset validated against `text` as its source's text: the dataset, texts and places. */
function validated(text: string) {
  return validateDataset(cloneBuiltIn(), {
    fileOf: (c) => `data/${c}.ts`,
    readSource: (file) => (file === SOURCE_TEXT_FILE ? text : undefined),
  });
}

describe("a quote's offset", () => {
  it("is the place validation found, read without the source's text, and a graph given no places finds the same", () => {
    const { dataset, texts, quoteOffsets } = validated(original);
    const loaded = new KnowledgeGraph(dataset, texts, undefined, quoteOffsets);
    const quotes = quotesOf(dataset);
    expect(quotes.length).toBeGreaterThan(50);

    const reads = vi.spyOn(texts, "get");
    const offsets = quotes.map((q) => loaded.quoteOffset(q));
    // every place came from validation: no text was read to look for a quote
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();

    const wrong = quotes.filter((q, i) => !original.startsWith(q.quote, offsets[i]!));
    expect(wrong.map((q) => q.quote)).toEqual([]);
    const bare = new KnowledgeGraph(dataset, texts);
    expect(quotes.map((q) => bare.quoteOffset(q))).toEqual(offsets);
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

    const { dataset, texts, quoteOffsets } = validated(text);
    expect(texts.get(SOURCE_ID)).toBe(text);
    const quoting = quotesOf(dataset).filter((q) => q.quote === quote);
    expect(quoting.length).toBeGreaterThan(0);
    const loaded = new KnowledgeGraph(dataset, texts, undefined, quoteOffsets);
    const bare = new KnowledgeGraph(dataset, texts);
    for (const q of quoting) {
      expect(loaded.quoteOffset(q)).toBe(wordStart);
      expect(bare.quoteOffset(q)).toBe(wordStart);
    }

    // and from a snapshot: what its writer recorded is that place, not the first occurrence
    const dir = exportToTmp();
    try {
      writeFileSync(join(dir, SOURCE_TEXT_FILE), text);
      const full = await loadJsonGraphWithSnapshot(dir);
      expect(full.outcome.from).not.toBe("snapshot");
      const { graph, outcome } = await loadJsonGraphWithSnapshot(dir);
      expect(outcome.from).toBe("snapshot");
      const snapped = quotesOf(graph.dataset).filter((q) => q.quote === quote);
      expect(snapped.length).toBeGreaterThan(0);
      for (const q of snapped) expect(graph.quoteOffset(q)).toBe(wordStart);
    } finally {
      removeDir(dir);
    }
  });
});
