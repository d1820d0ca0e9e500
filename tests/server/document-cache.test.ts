/**
 * The caches keyed by a query's text hold a bounded amount, whatever the documents' size (red team
 * 13, F1): each kept up to 1,000-1,024 documents whole, and Yoga's cache of parse errors kept each
 * refused request whole through its error's stack, so that one client sending distinct documents
 * at the body limit pinned 4.8 times what it sent (4.8 GB at 1 MB bodies, out of memory at 2 MB).
 */

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import {
  DOCUMENT_CACHE_WEIGHT,
  DocumentCache,
  documentWeight,
  validationResultWeight,
} from "../../src/server/document-cache.js";
import { startServer } from "../support/server.js";

describe("DocumentCache", () => {
  it("weighs a document by its text and its tokens", () => {
    const text = "{ a b c }";
    // (its seven tokens: the start and end of the file, the braces and the three names)
    expect(documentWeight(text, parse(text))).toBe(text.length + 200 * 7);
    expect(documentWeight("{ a", null)).toBe(3);
    // past U+00FF, two bytes a character
    expect(documentWeight("{ ж", null)).toBe(6);
  });

  it("keeps at most its entries and its weight, least recently used out first, and none over an eighth of its weight", () => {
    const cache = new DocumentCache<string>((text) => text.length, 3, 800);
    cache.set("a".repeat(40), "A");
    cache.set("b".repeat(40), "B");
    expect(cache.get("a".repeat(40))).toBe("A");
    // a fourth entry: the least recently used (b) goes
    cache.set("c".repeat(10), "C");
    cache.set("d".repeat(10), "D");
    expect(cache.size).toEqual({ entries: 3, weight: 60 });
    expect(cache.get("b".repeat(40))).toBeUndefined();
    // set again: weighed once
    cache.set("c".repeat(10), "C2");
    expect(cache.size).toEqual({ entries: 3, weight: 60 });
    expect(cache.get("c".repeat(10))).toBe("C2");
    // one over an eighth of the weight is not kept, and takes nothing out
    cache.set("f".repeat(101), "F");
    expect(cache.get("f".repeat(101))).toBeUndefined();
    expect(cache.size).toEqual({ entries: 3, weight: 60 });

    const heavy = new DocumentCache<number>((text) => text.length, 1000, 800);
    for (let i = 0; i < 8; i++) heavy.set(String(i).repeat(100), i);
    expect(heavy.size).toEqual({ entries: 8, weight: 800 });
    expect(heavy.get("0".repeat(100))).toBe(0);
    // over the weight: out go the least recently used (1, then 2) until it is within it
    heavy.set("x".repeat(100), 9);
    heavy.set("y".repeat(50), 10);
    expect(heavy.size.weight).toBeLessThanOrEqual(800);
    expect(heavy.get("1".repeat(100))).toBeUndefined();
    expect(heavy.get("2".repeat(100))).toBeUndefined();
    expect(heavy.get("0".repeat(100))).toBe(0);
    expect(heavy.get("y".repeat(50))).toBe(10);
  });

  it("weighs what is kept beside an entry in place of what was said before, and lets it go as set would", () => {
    const cache = new DocumentCache<string>((text) => text.length, 10, 800);
    cache.set("a".repeat(40), "A");
    cache.set("b".repeat(40), "B");
    cache.weighAlso("a".repeat(40), 30);
    expect(cache.size).toEqual({ entries: 2, weight: 110 });
    // said again (a validation result Yoga serves from its cache): in place of itself
    cache.weighAlso("a".repeat(40), 30);
    expect(cache.size).toEqual({ entries: 2, weight: 110 });
    // a text not kept: nothing
    cache.weighAlso("c", 500);
    expect(cache.size).toEqual({ entries: 2, weight: 110 });
    // set again: another value, and nothing beside it yet
    cache.set("a".repeat(40), "A2");
    expect(cache.size).toEqual({ entries: 2, weight: 80 });
    // over an eighth of the weight with it: the entry goes
    cache.weighAlso("b".repeat(40), 61);
    expect(cache.get("b".repeat(40))).toBeUndefined();
    expect(cache.size).toEqual({ entries: 1, weight: 40 });

    const full = new DocumentCache<number>((text) => text.length, 1000, 800);
    for (let i = 0; i < 10; i++) full.set(String(i).repeat(80), i);
    expect(full.size).toEqual({ entries: 10, weight: 800 });
    // over the cache's weight: out go the least recently used
    full.weighAlso("9".repeat(80), 20);
    expect(full.get("0".repeat(80))).toBeUndefined();
    expect(full.size).toEqual({ entries: 9, weight: 740 });
  });

  it("weighs validation errors by their messages, two bytes a character past U+00FF, and 1,000 each beside", () => {
    expect(validationResultWeight([{ message: "ab" }, { message: "жж" }])).toBe(
      2 + 1000 + 4 + 1000,
    );
    expect(validationResultWeight([])).toBe(0);
  });
});

/** A full collection now (V8's gc, exposed in this process for the test). */
function collect(): void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  gc();
}

/** What this process holds: the JS heap and the buffers outside it (bytes). */
function held(): number {
  collect();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** What a server started for it keeps of the documents `send` posts to it, after a full collection (bytes). */
async function keptAfter(
  send: (post: (query: string) => Promise<Answer>) => Promise<void>,
): Promise<number> {
  // (twice what KZ_OSCE_MAX_BODY_BYTES allows, given to the app as it is: the caches' bounds do
  // not depend on the body limit, and larger documents show a cache that keeps them sooner)
  const server = await startServer(undefined, { maxBodyBytes: BODY + 1024 });
  try {
    const before = held();
    await send(async (query) => {
      const response = await fetch(server.graphql, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as Answer;
    });
    return held() - before;
  } finally {
    await server.close();
  }
}

type Answer = { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };

const BODY = 1024 * 1024;
/** What each test may see kept: each cache's weight (Yoga's, the direct pipeline's and the plans'), and their bookkeeping. */
const BOUND = 3 * DOCUMENT_CACHE_WEIGHT + 16 * 1024 * 1024;

describe("the server's caches of query texts", () => {
  it("hold a bounded amount after 160 distinct documents of 1 MB: valid, refused by the parser or by validation", async () => {
    const outcomes = new Set<string | undefined>();
    const kept = await keptAfter(async (send) => {
      const post = async (query: string) => {
        const body = await send(query);
        return body.errors
          ? body.errors[0]!.message.replace(/^(Syntax Error|Cannot query field).*$/s, "$1")
          : "data";
      };
      const filler = (i: number) => `#${i} ${"x".repeat(BODY - 64)}\n`;
      for (let i = 0; i < 40; i++) {
        // a stray first character: refused by the parser at its first token (Yoga kept the error,
        // and through its stack the request's text and bytes)
        outcomes.add(await post(`P${filler(i)}query Q${i} { __typename }`));
        // unfinished: refused at its end
        outcomes.add(await post(`${filler(i)}query Q${i} { __typename `));
        // valid: parsed, validated, run (every cache keeps it)
        outcomes.add(await post(`${filler(i)}query Q${i} { __typename }`));
        // parsed, not valid: Yoga keeps its validation errors as long as the document (their
        // stacks held the request whole: review 16d)
        outcomes.add(await post(`${filler(i)}query Q${i} { nope${i} }`));
      }
    });
    expect([...outcomes].sort()).toEqual(["Cannot query field", "Syntax Error", "data"]);
    // 160 MB sent; kept, at most each cache's weight (of which valid documents are kept by
    // Yoga's and the direct pipeline's) and their bookkeeping: it was 4.8 times the refused ones
    // and once each valid one, over 400 MB
    expect(kept).toBeLessThan(BOUND);
  }, 120_000);

  it("hold a bounded amount after 80 distinct documents of 1 MB whose introspection nests too deep", async () => {
    // refused by clearerValidationErrors (limits.ts), which puts new errors in place of
    // graphql-js's in its own after-hook: those are what Yoga keeps, so their stacks are
    // formatted only if weighValidationResults comes after it (review 17: 124.8 MB kept when it
    // came first)
    const deep =
      "{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }";
    const codes = new Set<string | undefined>();
    const kept = await keptAfter(async (post) => {
      for (let i = 0; i < 80; i++) {
        const body = await post(`#${i} ${"x".repeat(BODY - 256)}\n${deep}`);
        codes.add(body.errors?.[0]?.extensions?.code);
      }
    });
    expect([...codes]).toEqual(["INTROSPECTION_TOO_DEEP"]);
    expect(kept).toBeLessThan(BOUND);
  }, 300_000);

  it("hold a bounded amount after 40 distinct documents of 1 MB, each asking one unknown field of 1 MB", async () => {
    // its error's message repeats the name ("Cannot query field "n0xxx…" on type "Query"."), and
    // Yoga keeps it with the document: weighed with it (weighValidationResults), or each such
    // document is held about twice its weight (review 17: 102.5 MB kept after 80 of them)
    const messages = new Set<string | undefined>();
    const kept = await keptAfter(async (post) => {
      for (let i = 0; i < 40; i++) {
        const body = await post(`query Q${i} { n${i}${"x".repeat(BODY - 64)} }`);
        messages.add(body.errors?.[0]?.message.replace(/^(Cannot query field "n).*$/s, "$1"));
      }
    });
    expect([...messages]).toEqual(['Cannot query field "n']);
    expect(kept).toBeLessThan(BOUND);
  }, 300_000);
});
