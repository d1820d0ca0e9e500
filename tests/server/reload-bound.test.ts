/**
 * The time bound of a load of the dataset (src/server/reload-codes.ts, `withinBound`): a reload's,
 * the primary's shared load's and a recovery's. It must fire after a full garbage collection:
 * `AbortSignal.any([signal, AbortSignal.timeout(ms)])`, which a recovery used, lost its timeout
 * at the first collection in Node 20 (nodejs/node#57736), so a wedged load was never stopped
 * (snapshot-recovery.test's real-server cases waited out their 120 s in a CI run).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { withinBound } from "../../src/server/reload-codes.js";

/** Full collections now (V8's gc, exposed in this process for the test). */
function collect(): void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  gc();
}

/** Whether `signal` aborts within `ms`, and when. */
function abortedWithin(signal: AbortSignal, ms: number): Promise<number | undefined> {
  const began = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve(performance.now() - began);
      },
      { once: true },
    );
  });
}

describe("a load's time bound", () => {
  it("fires at its time after full garbage collections, and says it ran out", async () => {
    const stopping = new AbortController();
    const bound = withinBound(stopping.signal, 300);
    const fired = abortedWithin(bound.signal, 5000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    collect();
    await new Promise((resolve) => setTimeout(resolve, 20));
    collect();
    const after = await fired;
    expect(after).toBeDefined();
    expect(after!).toBeGreaterThanOrEqual(250);
    expect(bound.ranOut()).toBe(true);
    expect(stopping.signal.aborted).toBe(false);
    bound.clear();
  });

  it("passes the stop it bounds on at once, and then has not run out", async () => {
    const stopping = new AbortController();
    const bound = withinBound(stopping.signal, 60_000);
    const fired = abortedWithin(bound.signal, 5000);
    collect();
    stopping.abort();
    expect(await fired).toBeDefined();
    expect(bound.signal.aborted).toBe(true);
    expect(bound.ranOut()).toBe(false);
    bound.clear();
  });

  it("cleared, fires no more", async () => {
    const bound = withinBound(new AbortController().signal, 50);
    bound.clear();
    expect(await abortedWithin(bound.signal, 300)).toBeUndefined();
    expect(bound.ranOut()).toBe(false);
  });

  it("is the one bound the server's sources use: no AbortSignal.timeout inside AbortSignal.any", () => {
    const sources = (readdirSync("src", { recursive: true }) as string[])
      .filter((file) => file.endsWith(".ts"))
      .map((file) => ({ file, text: readFileSync(join("src", file), "utf8") }));
    expect(sources.length).toBeGreaterThan(50);
    const combined = sources.filter(({ text }) =>
      /AbortSignal\.any\(\s*\[[^\]]*AbortSignal\.timeout\(/.test(text),
    );
    expect(combined.map(({ file }) => file)).toEqual([]);
    // (each load's bound comes from withinBound: reload.ts, cluster.ts and main.ts)
    for (const file of ["server/reload.ts", "server/cluster.ts", "server/main.ts"])
      expect(sources.find((source) => source.file === file)?.text).toContain("withinBound(");
  });
});
