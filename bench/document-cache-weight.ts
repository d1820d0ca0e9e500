/**
 * What the caches keyed by query text really hold for a document, against what they count it at
 * (src/server/document-cache.ts: `documentWeight`, `validationResultWeight`). Two parts:
 *
 * 1. Parsed documents of many shapes, `--count` of each made and kept in this process: the bytes
 *    the text and its AST retain after a full garbage collection, against `documentWeight`.
 * 2. The app, in a process of its own for each kind of document: `--count` distinct documents of
 *    the kind POSTed (fewer when the caches' weight would let some go), and the heap retained
 *    after a full collection, against the weights the caches count for them (each weighed here
 *    as the cache does: a valid document in the direct pipeline's cache; one that does not
 *    validate there as its text, and in Yoga's parse cache with its validation errors).
 *
 * Red team 14 (F2) found 1,200 invalid documents of 100 errors each held 62 MB where 24 MiB was
 * counted, and valid ones ~2.5 times their count.
 *   node --expose-gc --import tsx bench/document-cache-weight.ts [--count 700]
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type GraphQLError, parse, type Token } from "graphql";
import { loadBuiltInGraph } from "../data/load.js";
import { createApp, listen } from "../src/server/app.js";
import {
  DOCUMENT_CACHE_WEIGHT,
  documentWeight,
  dropTokens,
  validationResultWeight,
} from "../src/server/document-cache.js";

const args = process.argv.slice(2);
const at = args.indexOf("--count");
const count = at >= 0 ? Number(args[at + 1]) : 700;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");
const retained = () => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};
/** A copy of `text` as a request's body gives it: one flat string, not the pieces it was built of. */
const asSent = (text: string): string => JSON.parse(JSON.stringify(text));
const times = (n: number, each: (k: number) => string, separator = " ") =>
  Array.from({ length: n }, (_, k) => each(k)).join(separator);
const row = (name: string, real: number, counted: number, extra = "") =>
  console.log(
    `${name.padEnd(22)} real ${real.toFixed(0).padStart(8)} B  counted ${counted.toFixed(0).padStart(8)} B  counted/real ${(counted / real).toFixed(2)}${extra}`,
  );

const only = args.includes("--kind");
if (!only)
  console.log(
    `# document cache weight, ${count} documents a kind, ${new Date().toISOString()}, node ${process.version}`,
  );

// 1. parsed documents
const shapes: Record<string, (i: number) => string> = {
  "100 fields": (i) => `query Q${i} { ${times(100, () => "__typename")} }`,
  "30 aliases, arguments": (i) =>
    `query Q${i} { ${times(30, (k) => `a${k}: persons(first: 1) { totalCount }`)} }`,
  "50 long names": (i) =>
    `query Q${i} { ${times(50, (k) => `field_${i}_a_rather_long_name_${k}`)} }`,
  "an explorer's query": (i) =>
    `query Q${i}($id: ID!, $n: Int = 3) { node(id: $id) { id ... on Person { name tenures(first: $n) { edges { node { office { name } start { year month } } } } } } persons(filter: {name: {eq: "x${i}"}}, first: 10) @include(if: true) { totalCount nodes { name } } }`,
  "one field": (i) => `{ q${i}: __typename }`,
  strings: (i) => `{ search(text: "${"s".repeat(40)}${i}", a: "b", c: """block ${i}""") }`,
  "a string of 5,000": (i) => `{ search(text: "${"s".repeat(5000)}${i}") }`,
  "an escaped string": (i) => `{ a${i}(x: "${"a\\n".repeat(2000)}") }`,
  "a block string": (i) => `{ a${i}(x: """${"abc def\n".repeat(500)}""") }`,
  "300 numbers": (i) => `{ a${i}(x: [${times(300, String, ",")}]) }`,
  "300 enum values": (i) => `{ a${i}(x: [${times(300, (k) => `E${k}`, ",")}]) }`,
  "100 objects": (i) => `{ a${i}(x: [${times(100, (k) => `{k${k}: ${k}}`, ",")}]) }`,
  "100 variables": (i) =>
    `query Q${i}(${times(100, (k) => `$v${k}: Int`)}) { a(${times(100, (k) => `x${k}: $v${k}`)}) }`,
  "100 directives": (i) => `{ a${i} ${times(100, (k) => `@d${k}`)} }`,
  "100 spreads": (i) => `{ ${times(100, (k) => `...F${k}`)} } fragment F${i} on Q { a }`,
  "60 levels": (i) => `{ ${times(60, (k) => `f${k} {`)} x${i} ${"}".repeat(60)} }`,
  "100 comments": (i) => `# c${i}\n${times(100, (k) => `# comment ${k}`, "\n")}\n{ a }`,
  "a comment of 20,000": (i) => `# ${i}${"x".repeat(20000)}\n{ a }`,
  "a comment, wide": (i) => `# ${i}${"ж".repeat(5000)}\n{ a }`,
};
if (!only) console.log("\n## parsed documents: text and AST retained, against documentWeight");
const parsedRatios: number[] = [];
const parsed = (name: string, make: (i: number) => string) => {
  const before = retained();
  const texts = Array.from({ length: count }, (_, i) => asSent(make(i + 1_000_000)));
  const documents = texts.map((text) => parse(text));
  let counted = 0;
  for (let i = 0; i < count; i++) counted += documentWeight(texts[i]!, documents[i]);
  const real = (retained() - before) / count;
  row(name, real, counted / count);
  parsedRatios.push(counted / count / real);
  // kept until measured
  return texts.length + documents.length;
};
if (!only) {
  for (const [name, make] of Object.entries(shapes)) parsed(name, make);
  console.log(
    `counted/real: ${Math.min(...parsedRatios).toFixed(2)} to ${Math.max(...parsedRatios).toFixed(2)}`,
  );
}

// what weighing costs, against parsing: a document of 1 MB (printed between the two parts)
const costOfWeighing = () => {
  const text = asSent(`query Q { ${times(100_000, (k) => `f${k}`)} }`);
  const time = (run: () => void, rounds: number) => {
    run();
    const start = performance.now();
    for (let i = 0; i < rounds; i++) run();
    return (performance.now() - start) / rounds;
  };
  let document = parse(text);
  const parsing = time(() => {
    document = parse(text);
  }, 5);
  const weighing = time(() => documentWeight(text, document), 20);
  const counting = time(() => {
    let tokens = 0;
    for (let token: Token | null | undefined = document.loc?.startToken; token; token = token.next)
      tokens++;
    return tokens;
  }, 20);
  console.log(
    `\n## weighing a document of ${(text.length / 1e6).toFixed(2)} MB: parse ${parsing.toFixed(1)} ms, documentWeight ${weighing.toFixed(2)} ms (a walk of its tokens that only counts them: ${counting.toFixed(2)} ms)`,
  );
};

// 2. the app
const CONTROL = "the same one, again";
const kinds: Record<string, { valid: boolean; make: (i: number) => string }> = {
  // the control: one document sent again and again, kept once; what its requests leave (code
  // compiled, which levels off in a server that runs) is taken from each kind's figure
  [CONTROL]: { valid: true, make: () => "{ q: __typename }" },
  "valid, one field": { valid: true, make: (i) => `{ q${i}: __typename }` },
  "valid, 100 fields": {
    valid: true,
    make: (i) => `query Q${i} { ${times(100, () => "__typename")} }`,
  },
  "valid, 30 aliases": {
    valid: true,
    make: (i) => `query Q${i} { ${times(30, (k) => `a${k}: persons(first: 1) { totalCount }`)} }`,
  },
  "valid, 20 KB comment": {
    valid: true,
    make: (i) => `# ${i}${"x".repeat(20000)}\n{ __typename }`,
  },
  "one unknown field": { valid: false, make: (i) => `{ u${i} }` },
  "100 unknown fields": {
    valid: false,
    make: (i) => `query Q${i} { ${times(100, (k) => `f${i}x${k}`)} }`,
  },
  "20 long unknown names": {
    valid: false,
    make: (i) => `query Q${i} { ${times(20, (k) => `f_${i}_${"y".repeat(200)}_${k}`)} }`,
  },
  "30 unknown arguments": {
    valid: false,
    make: (i) => `query Q${i} { ${times(30, (k) => `a${k}: persons(firstt: 1) { totalCount }`)} }`,
  },
  "an escaped string": {
    valid: false,
    make: (i) => `{ a${i}(x: "${"a\\n".repeat(2000)}") }`,
  },
};
/** One kind in a process of its own (`--kind`): what a previous app held is not let go during its measure. */
async function measureApp(name: string): Promise<void> {
  const { valid, make } = kinds[name]!;
  const app = createApp(await loadBuiltInGraph(), {
    logLevel: "silent",
    warmEntities: false,
    // the answers it keeps are weighed by their own cache (response-cache.ts), its key the body
    responseCache: false,
  });
  const { port } = await listen(app.server, 0, "127.0.0.1");
  const post = async (query: string) => {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    if (Boolean(body.errors) === valid) throw new Error(`${name}: ${JSON.stringify(body)}`);
  };
  // what the caches count for one document of the kind
  const { schema, validate } = app.yoga.getEnveloped({});
  const weightOf = (text: string) => {
    // a valid one as the direct pipeline keeps it: its tokens let go (dropTokens)
    if (valid) {
      const document = parse(text);
      dropTokens(text, document);
      return documentWeight(text, document);
    }
    const document = parse(text);
    const errors = validate(schema, document) as readonly GraphQLError[];
    for (const error of errors) void error.stack;
    return (
      documentWeight(text, null) + documentWeight(text, document) + validationResultWeight(errors)
    );
  };
  // as many as stay within each cache's entries and weight (none let go), after 100 others (the
  // app's first allocations: its pipelines, the schema's caches, the code compiled)
  const fit = Math.floor((0.8 * DOCUMENT_CACHE_WEIGHT) / weightOf(make(1_000_000)));
  const warmUp = Math.min(100, Math.floor(fit / 3));
  const n = Math.min(count, 900 - warmUp, fit - warmUp);
  for (let i = 0; i < warmUp; i++) await post(make(i + 2_000_000));
  // flat, as sent: flattening a text built of pieces during the measure would count its copy
  const texts = Array.from({ length: n }, (_, i) => asSent(make(i + 1_000_000)));
  const before = retained();
  for (const text of texts) await post(text);
  const real = (retained() - before) / n;
  let counted = 0;
  for (const text of texts) counted += weightOf(text);
  console.log(JSON.stringify({ name, real, counted: counted / n, n }));
  process.exit(0);
}

const kindAt = args.indexOf("--kind");
if (kindAt >= 0) await measureApp(args[kindAt + 1]!);
else {
  costOfWeighing();
  console.log(
    "\n## the app (a process each): heap retained by distinct documents POSTed, against the caches' weights",
  );
  const appRatios: number[] = [];
  let control = 0;
  for (const name of Object.keys(kinds)) {
    const child = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        "--count",
        String(count),
        "--kind",
        name,
      ],
      { encoding: "utf8" },
    );
    if (child.status !== 0) throw new Error(`${name}: ${child.stderr}`);
    const measured = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as {
      real: number;
      counted: number;
      n: number;
    };
    if (name === CONTROL) {
      control = measured.real;
      console.log(`${name}: ${control.toFixed(0)} B a request, taken from each figure below`);
      continue;
    }
    const real = measured.real - control;
    row(name, real, measured.counted, `  (${measured.n} documents)`);
    appRatios.push(measured.counted / real);
  }
  console.log(
    `counted/real: ${Math.min(...appRatios).toFixed(2)} to ${Math.max(...appRatios).toFixed(2)}`,
  );
}
