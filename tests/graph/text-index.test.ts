import { describe, expect, it } from "vitest";
import { findVerbatim, TextIndex } from "../../src/graph/text-index.js";

const TEXT =
  "Hungarian Ambassador Gyorgy Sabo heads the OSCE Programmme Office in Astana. (ODIHR) MadinaDzharbusynova; Since February 9, 2016 — Szabó's term.";

describe("TextIndex", () => {
  it("answers exactly as text.includes for quotes at word starts, mid-word, short, accented and absent", () => {
    const index = new TextIndex(TEXT);
    const quotes = [
      "Hungarian Ambassador Gyorgy Sabo",
      "Programmme Office in Astana",
      "(ODIHR)",
      "Dzharbusynova",
      "rammme Off",
      "Sabo",
      "Szabó's term",
      "Since February 9, 2016",
      "Programme Office",
      "Astana. (ODIHR) Madina",
      "not in the text at all",
      TEXT,
      `${TEXT}!`,
    ];
    for (const quote of quotes)
      expect([quote, index.includes(quote)]).toEqual([quote, TEXT.includes(quote)]);
  });

  it("finds every substring of a text that starts where a word does, of any length from 6 to the end", () => {
    const index = new TextIndex(TEXT);
    for (let start = 0; start < TEXT.length - 6; start++) {
      const atWordStart =
        start === 0 || /[\s(.;—]/.test(TEXT[start - 1]!) !== /[\s(.;—]/.test(TEXT[start]!);
      if (!atWordStart) continue;
      for (let end = start + 6; end <= TEXT.length; end++) {
        expect([start, end, index.hasAtStart(TEXT.slice(start, end))]).toEqual([start, end, true]);
        expect(index.find(TEXT.slice(start, end))).toBe(start);
      }
    }
  });
  it("answers exactly as text.includes when many places start with the same six characters", () => {
    // "Janos " starts 200 sentences: the positions behind that key are divided by longer keys
    const text = Array.from(
      { length: 200 },
      (_, i) => `Janos Bar${i} held the post of Head ${i % 7} of the Office ${i}.`,
    ).join(" ");
    const index = new TextIndex(text);
    const quotes = [
      "Janos Bar17 held the post of Head 3 of the Office 17.",
      "Janos Bar17 held the post of Head 4 of the Office 17.",
      "Janos Bar199",
      "Janos Bar200",
      "Janos Bar1 held",
      "Janos Bar1 hold",
      "Janos B",
      "Janos Bar5 held the post of Head 5 of the Office 5. Janos Bar6",
      "anos Bar1 held the post",
    ];
    for (const quote of quotes) {
      expect([quote, index.includes(quote)]).toEqual([quote, text.includes(quote)]);
      const at = index.find(quote);
      if (at >= 0) expect(text.startsWith(quote, at)).toBe(true);
    }
  });
});

describe("findVerbatim", () => {
  it("reports quotes missing from their own source, and phrases missing from every source", () => {
    const texts = new Map([
      ["source/a", "The OSCE Centre in Almaty opened in 1999."],
      ["source/b", "Renamed on June 21, 2007 into the OSCE Centre in Astana."],
    ]);
    const result = findVerbatim(
      texts,
      new Map([
        ["source/a", new Set(["OSCE Centre in Almaty", "OSCE Centre in Astana"])],
        ["source/b", new Set(["OSCE Centre in Astana"])],
      ]),
      // a hint that is wrong (b holds the phrase, not a) still finds it, by the full scan
      new Map([
        ["June 21, 2007", new Set(["source/a"])],
        ["in 1999", new Set(["source/a"])],
        ["December 2011", new Set<string>()],
      ]),
    );
    expect(result.missingIn).toEqual(new Map([["source/a", new Set(["OSCE Centre in Astana"])]]));
    expect(result.missingAnywhere).toEqual(new Set(["December 2011"]));
  });
});
