/**
 * What the server's caches of query texts keep after a workload of large distinct documents, in a
 * process of its own: `node --expose-gc --import tsx tests/support/caches-held.ts CASE`, or its
 * bundle (`.cache/server-bundle/caches-held.mjs`, tests/support/server-bundle.ts) as the test
 * runs it, prints one JSON line, `{ kept, outcomes }` (bytes held after the workload, beyond what
 * was held before it, after a full collection; what the answers said).
 * tests/server/document-cache.test.ts runs each case so. In the test file's own process, what an
 * earlier case had left (freed only as this one went on) was counted in `before` and read this
 * one's figure some 50 MB low: the case of unknown fields passed with its guard
 * (weighValidationResults) taken out when its file ran whole, and failed only alone (review 18,
 * finding 3).
 */
import { startServer } from "./server.js";

type Answer = { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
type Post = (query: string) => Promise<Answer>;

const BODY = 1024 * 1024;
const filler = (i: number) => `#${i} ${"x".repeat(BODY - 64)}\n`;
/**
 * `text` in a string of its own: a part of a message V8 keeps as a slice of it (a sliced
 * string), and 40 outcomes of an error that repeats a 1 MB field name held 40 MB.
 */
const own = (text: string | undefined) =>
  text === undefined ? text : Buffer.from(text).toString();

/**
 * Each case: its workload, which says what each answer said (as a short outcome). Each sends
 * enough to fill the caches it is about, and more, with its guard taken out too (24 documents
 * of 1 MB fill a cache of DOCUMENT_CACHE_WEIGHT): what is kept then stays as it is, and more
 * documents cost only time (160, 80 and 40 documents of 1 MB and 1,000 small ones kept what
 * 120, 50, 30 and 300 keep, about 2 MB more at most (200 small ones since: below), with or without a guard that bounds by
 * weight). A guard whose loss leaves a cache unbounded shows the more, the more is sent (Yoga's
 * cache of parse errors back: 262 MB kept of 160, 212 of 120, against a bound of 92).
 */
const CASES: Record<string, (post: Post) => Promise<(string | undefined)[]>> = {
  // 120 documents of 1 MB: valid, refused by the parser or by validation
  async mixed(post) {
    const said = async (query: string) => {
      const body = await post(query);
      return body.errors
        ? own(body.errors[0]!.message.replace(/^(Syntax Error|Cannot query field).*$/s, "$1"))
        : "data";
    };
    const outcomes: (string | undefined)[] = [];
    for (let i = 0; i < 30; i++) {
      // a stray first character: refused by the parser at its first token (Yoga kept the error,
      // and through its stack the request's text and bytes)
      outcomes.push(await said(`P${filler(i)}query Q${i} { __typename }`));
      // unfinished: refused at its end
      outcomes.push(await said(`${filler(i)}query Q${i} { __typename `));
      // valid: parsed, validated, run (every cache keeps it)
      outcomes.push(await said(`${filler(i)}query Q${i} { __typename }`));
      // parsed, not valid: Yoga keeps its validation errors as long as the document (their
      // stacks held the request whole: review 16d)
      outcomes.push(await said(`${filler(i)}query Q${i} { nope${i} }`));
    }
    return outcomes;
  },
  // 50 documents of 1 MB whose introspection nests too deep
  async deep(post) {
    const deep =
      "{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }";
    const outcomes: (string | undefined)[] = [];
    for (let i = 0; i < 50; i++) {
      const body = await post(`#${i} ${"x".repeat(BODY - 256)}\n${deep}`);
      outcomes.push(body.errors?.[0]?.extensions?.code);
    }
    return outcomes;
  },
  // 200 small distinct documents (870 bytes) of 100 unknown fields each: each answer's code and
  // how many errors it had
  async small(post) {
    const outcomes: (string | undefined)[] = [];
    for (let i = 0; i < 200; i++) {
      const fields = Array.from({ length: 100 }, (_, k) => `f${i}x${k}`).join(" ");
      const body = await post(`query Q${i} { ${fields} }`);
      outcomes.push(own(`${body.errors?.[0]?.extensions?.code} ${body.errors?.length ?? 0}`));
    }
    return outcomes;
  },
  // 30 documents of 1 MB, each asking one unknown field of 1 MB
  async unknownField(post) {
    const outcomes: (string | undefined)[] = [];
    for (let i = 0; i < 30; i++) {
      const body = await post(`query Q${i} { n${i}${"x".repeat(BODY - 64)} }`);
      outcomes.push(own(body.errors?.[0]?.message.replace(/^(Cannot query field "n).*$/s, "$1")));
    }
    return outcomes;
  },
};

/** What this process holds after a full collection: the JS heap and the buffers outside it (bytes). */
function held(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with node --expose-gc");
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

const name = process.argv[2] ?? "";
const workload = CASES[name];
if (!workload) throw new Error(`no case "${name}": one of ${Object.keys(CASES).join(", ")}`);
// (twice what KZ_OSCE_MAX_BODY_BYTES allows, given to the app as it is: the caches' bounds do
// not depend on the body limit, and larger documents show a cache that keeps them sooner)
const server = await startServer(undefined, { maxBodyBytes: BODY + 1024 });
// uncompressed: what the caches keep does not depend on the answer's coding, and compressing the
// answers took a CPU-second of the "small" case's (its 100 errors, 15 KB an answer)
const post: Post = async (query) => {
  const response = await fetch(server.graphql, {
    method: "POST",
    headers: { "content-type": "application/json", "accept-encoding": "identity" },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as Answer;
};
// what the first requests make once (the schema's and the server's lazy parts, fetch's own) is
// not what the caches keep
await post("{ __typename }");
await post("{ nope }");
await post("{ __typename ");
const before = held();
const outcomes = await workload(post);
const kept = held() - before;
await server.close();
process.stdout.write(`${JSON.stringify({ kept, outcomes })}\n`, () => process.exit(0));
