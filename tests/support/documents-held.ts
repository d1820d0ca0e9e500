/**
 * What parsed documents and their validation errors hold, beside what src/server/document-cache.ts
 * counts for them, measured in a process of its own: `node --expose-gc --import tsx
 * tests/support/documents-held.ts CASE`, or its bundle (`.cache/server-bundle/documents-held.mjs`,
 * tests/support/server-bundle.ts) as tests/server/document-cache.test.ts runs it, prints one JSON
 * line: `{ counted, real, made }` (the summed weights, the bytes held after a full collection beyond
 * what was held before, and how many documents or errors were made), or a list of them. Measured in a test worker
 * (isolate: false), each full collection walked every module and leftover of the files the worker
 * had run before: the two cases cost 5.6 and 2.6 CPU-s in a whole run of the suite, against 1.0
 * and 1.1 in a worker of their own, and what earlier files had left was counted in `before`.
 *
 * - `parsed`: 200 documents of 100 fields, then 200 of one string of 2,000 escapes, each parsed
 *   and then parsed with their tokens let go (dropTokens, the direct pipeline's), against their
 *   summed documentWeight: four measures one after another, as `${shape} ${dropped}`.
 * - `validation`: 100 documents of 100 unknown fields each, validated against the schema (each
 *   error's stack formatted, as weighValidationResults does), against their summed
 *   validationResultWeight.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parse, validate } from "graphql";
import {
  documentWeight,
  dropTokens,
  validationResultWeight,
} from "../../src/server/document-cache.js";

type Held = { counted: number; real: number; made: number };

const SHAPES: Record<string, (i: number) => string> = {
  fields: (i) => `query Q${i} { ${"__typename ".repeat(100)}}`,
  // a string of escapes: graphql-js builds its value piece by piece, which V8 keeps as a chain of
  // pieces, 64 bytes an escape (130 KB for this one), unless read whole
  escapes: (i) => `{ a${i}(x: "${"a\\n".repeat(2000)}") }`,
};

/**
 * 200 documents made by `make` parsed: their summed documentWeight, and the bytes their texts and
 * ASTs hold after a full collection.
 */
function parsed(make: (i: number) => string, drop: boolean): Held {
  const before = held();
  // flat, as a request's body gives them
  const texts: string[] = Array.from({ length: 200 }, (_, i) =>
    JSON.parse(JSON.stringify(make(i))),
  );
  const documents = texts.map((text) => parse(text));
  if (drop) for (const [i, document] of documents.entries()) dropTokens(texts[i]!, document);
  let counted = 0;
  for (const [i, document] of documents.entries()) counted += documentWeight(texts[i]!, document);
  const real = held() - before;
  // (read after the measure: the documents are held through it)
  return { counted, real, made: documents.length };
}

/**
 * Red team 14 (F2): 1,200 documents of 100 unknown fields each held 62 MB in a cache of 24 MiB.
 * 100 documents (24 MB held): 200 gave the same ratio within 0.02, and caught no mutant they miss.
 */
async function validation(): Promise<Held> {
  const { schema } = await import("../../src/schema/index.js");
  const documents = Array.from({ length: 100 }, (_, i) =>
    parse(`query Q${i} { ${Array.from({ length: 100 }, (_, k) => `f${i}x${k}`).join(" ")} }`),
  );
  const before = held();
  const results = documents.map((document) => {
    const errors = validate(schema, document);
    for (const error of errors) void error.stack;
    return errors;
  });
  const real = held() - before;
  let counted = 0;
  for (const errors of results) counted += validationResultWeight(errors);
  // each document's count of errors, as one figure when they are all the same
  const made = new Set(results.map((errors) => errors.length));
  return { counted, real, made: made.size === 1 ? [...made][0]! : -1 };
}

/**
 * What this process holds: the JS heap and the buffers outside it (bytes), once full collections
 * free no more than 64 KB (at most ten).
 */
function held(): number {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const now = () => {
    gc();
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  let last = now();
  for (let i = 0; i < 10; i++) {
    const next = now();
    if (last - next < 64 * 1024) return next;
    last = next;
  }
  return last;
}

const name = process.argv[2] ?? "";
let result: Held | Record<string, Held>;
if (name === "validation") result = await validation();
else if (name === "parsed") {
  result = {};
  for (const [shape, make] of Object.entries(SHAPES))
    for (const drop of [false, true]) result[`${shape} ${drop}`] = parsed(make, drop);
} else throw new Error(`no case "${name}": parsed or validation`);
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
