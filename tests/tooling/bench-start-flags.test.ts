/**
 * The benchmarks start this server with `npm start`'s Node flags, read from package.json's start
 * script (bench/harness.ts `serverNodeFlags`), and throw when they cannot read it. bench's own
 * tests (`npm test --prefix bench`) hold that, but they are not part of `npm test`: a second
 * preload in the start script (09db77a) made `npm run bench` and three other benchmarks throw,
 * and no test of `npm test` failed. This one reads the real start script.
 */
import { describe, expect, it } from "vitest";
import { serverNodeFlags } from "../../bench/harness.js";

describe("npm start's script, as the benchmarks read it", () => {
  it("is one serverNodeFlags can read: Node's flags, then src/server preloads, then tsx and main.ts", () => {
    const flags = serverNodeFlags();
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.every((flag) => /^--[\w-]+(=\S+)?$/.test(flag))).toBe(true);
  });
});
