/** src/server/cut-text.ts: a long text cut in its middle before it is echoed in an error. */
import { describe, expect, it } from "vitest";
import { cutMiddle } from "../../src/server/cut-text.js";

describe("cutMiddle", () => {
  it("leaves a text within the bound as it is, and keeps a longer one's first half and last quarter, saying how much was cut", () => {
    expect(cutMiddle("abc", 3)).toBe("abc");
    const text = `${"a".repeat(600)}${"b".repeat(1000)}${"c".repeat(400)}`;
    const cut = cutMiddle(text, 1000);
    expect(cut).toBe(`${"a".repeat(500)} …(1250 characters cut)… ${"c".repeat(250)}`);
    expect(cut.length).toBeLessThan(1000);
  });

  it("never splits a surrogate pair, at either end of the cut (a lone half makes JSON strict decoders refuse the answer)", () => {
    for (const offset of [0, 1]) {
      const text = `${"x".repeat(offset)}${"😀".repeat(600)}`;
      const cut = cutMiddle(text, 100);
      // every high surrogate followed by a low one, every low one preceded by a high one
      expect(cut).not.toMatch(
        /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
      );
      const [, count] = /…\((\d+) characters cut\)…/.exec(cut)!;
      const kept = cut.replace(/ …\(\d+ characters cut\)… /, "");
      expect(kept.length + Number(count)).toBe(text.length);
    }
  });
});
