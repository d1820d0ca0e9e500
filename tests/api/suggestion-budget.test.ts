/**
 * "Did you mean" is budgeted per request, not per key (src/graph/keys.ts, KeySuggestions): a
 * request of 30 aliases of one lookup, or a nested key filter compiled once per parent, used to
 * look for suggestions once per alias or parent, about 15 ms each at 100,000 entities, and held
 * the server half a second or more (bench/results/2026-12-05-unknown-keys.txt). Counted, not
 * timed: `suggestionCount` says how many suggestions the process looked for.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExecutionResult } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { generate } from "../../data/synthetic/generate.js";
import { SHOWN_LENGTH, SUGGESTIONS_PER_REQUEST, suggestionCount } from "../../src/graph/keys.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { startServer, type TestServer } from "../support/server.js";

let builtIn: TestServer;
let generated: TestServer;
let dir: string;
beforeAll(async () => {
  builtIn = await startServer(await loadBuiltInGraph());
  // 302 persons and 44 posts: parents enough for a nested filter
  dir = mkdtempSync(join(tmpdir(), "suggestion-budget-"));
  generate({ entities: 800, seed: 11, out: dir, format: "json" });
  generated = await startServer(loadJsonGraph(dir));
});
afterAll(async () => {
  await Promise.all([builtIn.close(), generated.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function post(
  server: TestServer,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ result: ExecutionResult; bytes: number }> {
  const response = await fetch(server.graphql, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { result: JSON.parse(text) as ExecutionResult, bytes: text.length };
}

/**
 * The suggestions `send` made the server look for, counted once the server has done with it:
 * graphql-js answers as soon as an error nulls a list, while the fields of the list's other
 * parents, waiting for their turn of the event loop, still run (each compiling its filter), so
 * the count is read once it has stayed the same for a few turns.
 */
async function suggestionsFor<T>(send: () => Promise<T>): Promise<{ answer: T; looked: number }> {
  const before = suggestionCount.computed;
  const answer = await send();
  let last = -1;
  for (let still = 0; still < 5; ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    still = suggestionCount.computed === last ? still + 1 : 0;
    last = suggestionCount.computed;
  }
  return { answer, looked: suggestionCount.computed - before };
}

const aliases = (field: (i: number) => string) =>
  Array.from({ length: 30 }, (_, i) => `a${i}: ${field(i)}`).join(" ");

describe("a request looks for suggestions for a few distinct keys, once each", () => {
  it("30 aliases of one mistyped key: one suggestion, given in all 30 errors", async () => {
    const { answer, looked } = await suggestionsFor(() =>
      post(builtIn, `query ($k: String!) { ${aliases(() => "person(key: $k) { key }")} }`, {
        k: "gyorgy-szab",
      }),
    );
    expect(looked).toBe(1);
    const errors = answer.result.errors ?? [];
    expect(errors).toHaveLength(30);
    for (const error of errors) {
      expect(error.message).toBe(
        'No person has the key "person/gyorgy-szab" (did you mean person/gyorgy-szabo?).',
      );
      expect(error.extensions).toMatchObject({ suggestions: ["person/gyorgy-szabo"] });
    }
  });

  it("30 aliases of distinct unknown keys: suggestions for the first few, the rest say they were skipped", async () => {
    const { answer, looked } = await suggestionsFor(() =>
      post(builtIn, `{ ${aliases((i) => `person(key: "nobody-${i}") { key }`)} }`, {}),
    );
    expect(looked).toBe(SUGGESTIONS_PER_REQUEST);
    const messages = (answer.result.errors ?? []).map((e) => e.message);
    expect(messages).toHaveLength(30);
    const skipped = messages.filter((m) => m.includes("(suggestions skipped: an operation gets"));
    expect(skipped).toHaveLength(30 - SUGGESTIONS_PER_REQUEST);
    // each still names its key
    for (let i = 0; i < 30; i++)
      expect(messages.some((m) => m.includes(`"person/nobody-${i}"`))).toBe(true);
  });

  it("a nested key filter over 100 parents: one suggestion, not one per parent", async () => {
    const { answer, looked } = await suggestionsFor(() =>
      post(
        generated,
        "query ($k: String!) { persons(first: 100) { nodes { tenures(filter: { office: { eq: $k } }) { totalCount } } } }",
        { k: "o-0-1x" },
      ),
    );
    expect(looked).toBe(1);
    expect(answer.result.errors?.[0]?.message).toMatch(
      /^Argument "filter\.office\.eq": no office has the key "o-0-1x" \(did you mean [^)]*office\/o-0-1[,? ]/,
    );
  });

  it("a filter two lists deep (offices, their posts, their tenures): one suggestion", async () => {
    const { answer, looked } = await suggestionsFor(() =>
      post(
        generated,
        "query ($k: String!) { offices(first: 100) { nodes { posts(first: 10) { nodes { tenures(filter: { holder: { eq: $k } }) { totalCount } } } } } }",
        { k: `person/${"q".repeat(60)}` },
      ),
    );
    expect(looked).toBe(1);
    expect(answer.result.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      argumentName: "filter.holder.eq",
    });
  });
});

describe("a key longer than any key gets no suggestions, and is quoted cut short", () => {
  const long = "a".repeat(3000);
  const cut = (text: string) => `${text.slice(0, SHOWN_LENGTH)}..."`;

  it("in 30 aliases of a lookup", async () => {
    const { answer, looked } = await suggestionsFor(() =>
      post(builtIn, `query ($k: String!) { ${aliases(() => "person(key: $k) { key }")} }`, {
        k: long,
      }),
    );
    expect(looked).toBe(0);
    const errors = answer.result.errors ?? [];
    expect(errors).toHaveLength(30);
    for (const error of errors)
      expect(error.message).toBe(
        `No person has the key "${cut(`person/${long}`)} (suggestions skipped: no key is over 100 characters).`,
      );
    // the answer no longer echoes 30 × 3,000 letters
    expect(answer.bytes).toBeLessThan(30 * 400);
  });

  it("in a nested key filter", async () => {
    const { answer, looked } = await suggestionsFor(() =>
      post(
        generated,
        "query ($k: String!) { persons(first: 100) { nodes { tenures(filter: { office: { eq: $k } }) { totalCount } } } }",
        { k: long },
      ),
    );
    expect(looked).toBe(0);
    expect(answer.result.errors?.[0]?.message).toBe(
      `Argument "filter.office.eq": no office has the key "${cut(long)} (suggestions skipped: no key is over 100 characters).`,
    );
  });

  it("at a path's end", async () => {
    const { answer, looked } = await suggestionsFor(() =>
      post(builtIn, 'query ($from: String!) { path(from: $from, to: "kazakhstan") { length } }', {
        from: long,
      }),
    );
    expect(looked).toBe(0);
    expect(answer.result.errors?.[0]?.message).toBe(
      `Argument "from": no entity has the slug "${cut(long)} (suggestions skipped: no key is over 100 characters). Give a key such as person/gyorgy-szabo, or its slug.`,
    );
  });
});
