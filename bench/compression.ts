/**
 * `npm run bench:compression [-- --entities 5000 --ms 300]`
 *
 * The CPU that compressing a GraphQL answer costs, by answer size, for the codings and levels a
 * server could use per request (gzip 1 and 6, brotli 1, 4 and 6) and the one used once at build
 * (brotli 11): microseconds per answer on this process's core, the compressed size, and the
 * bytes saved per microsecond. The answers are real: lists of persons, offices and events of a
 * generated dataset (data/synthetic/generate.ts), asked for with `first: N` to reach each size.
 * What src/server/compression.ts chose from it is in bench/RESULTS.md ("compression").
 */
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { graphql } from "graphql";
import { generate } from "../data/synthetic/generate.js";
import { loadJsonGraph } from "../src/graph/load.js";
import { SearchIndex } from "../src/graph/search.js";
import { schema } from "../src/schema/index.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(argv[i + 1]);
};
const entities = option("entities", 5000);
const budgetMs = option("ms", 300);

const dir = join(tmpdir(), `kz-compression-bench-${process.pid}`);
generate({ entities, seed: 1, out: dir, format: "json" });
const graph = loadJsonGraph(dir);
rmSync(dir, { recursive: true, force: true });
const search = SearchIndex.build(graph);

/** An answer of about `bytes`: an explorer-like list query, with as many entries as it takes. */
async function answerOf(bytes: number): Promise<Buffer> {
  let best: Buffer | undefined;
  for (const first of [1, 2, 4, 8, 16, 32, 64, 100]) {
    const source = `{ persons(first: ${first}) { nodes { id key name description nationality { name } } } offices(first: ${first}) { nodes { id key name kind description } } events(first: ${first}) { nodes { id key name kind description } } }`;
    const result = await graphql({ schema, source, contextValue: { graph, search } });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    const body = Buffer.from(JSON.stringify(result));
    best = body;
    if (body.length >= bytes) break;
  }
  // the nearest list answer, cut at a comma to the size asked for (still text of a real answer)
  return best!.subarray(0, Math.min(best!.length, bytes));
}

const CODINGS: { name: string; run: (b: Buffer) => Buffer }[] = [
  { name: "gzip 1", run: (b) => gzipSync(b, { level: 1 }) },
  { name: "gzip 6", run: (b) => gzipSync(b, { level: 6 }) },
  {
    name: "br 1",
    run: (b) =>
      brotliCompressSync(b, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 1,
          [constants.BROTLI_PARAM_SIZE_HINT]: b.length,
        },
      }),
  },
  {
    name: "br 4",
    run: (b) =>
      brotliCompressSync(b, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 4,
          [constants.BROTLI_PARAM_SIZE_HINT]: b.length,
        },
      }),
  },
  {
    name: "br 6",
    run: (b) =>
      brotliCompressSync(b, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 6,
          [constants.BROTLI_PARAM_SIZE_HINT]: b.length,
        },
      }),
  },
  {
    name: "br 11",
    run: (b) =>
      brotliCompressSync(b, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_SIZE_HINT]: b.length,
        },
      }),
  },
];

/** The fastest of several short batches: on a busy machine, the batch least disturbed by others. */
function microsPerRun(run: () => unknown): number {
  for (let i = 0; i < 3; i++) run();
  let best = Infinity;
  const until = Date.now() + budgetMs;
  do {
    let n = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < 20e6) {
      run();
      n++;
      elapsed = Number(process.hrtime.bigint() - start);
    }
    best = Math.min(best, elapsed / n / 1000);
  } while (Date.now() < until);
  return best;
}

/** Executing a small explorer query, for scale: the CPU an answer costs before any compression. */
const smallQuery = "{ persons(first: 1) { nodes { id key name } } }";
async function executeMicros(): Promise<number> {
  for (let i = 0; i < 50; i++)
    await graphql({ schema, source: smallQuery, contextValue: { graph, search } });
  let best = Infinity;
  const until = Date.now() + budgetMs;
  while (Date.now() < until) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 20; i++)
      await graphql({ schema, source: smallQuery, contextValue: { graph, search } });
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 20 / 1000);
  }
  return best;
}

console.log(
  `compression of real GraphQL answers (${entities}-entity generated dataset); Node ${process.version}; load average ${(
    await import("node:os")
  )
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
const header = ["answer bytes", ...CODINGS.map((c) => `${c.name}: µs / ratio`)];
console.log(`| ${header.join(" | ")} |`);
console.log(`|${header.map(() => "---:").join("|")}|`);
for (const size of [256, 512, 1024, 2048, 4096, 16_384, 40_000]) {
  const body = await answerOf(size);
  const cells = CODINGS.map((coding) => {
    const out = coding.run(body);
    const micros = microsPerRun(() => coding.run(body));
    return `${micros.toFixed(micros < 100 ? 1 : 0)} / ${(body.length / out.length).toFixed(2)}×`;
  });
  console.log(`| ${body.length} | ${cells.join(" | ")} |`);
}
console.log(
  `\nfor scale: executing a small query in-process (graphql(), parse and validate included, no HTTP): ${(await executeMicros()).toFixed(0)} µs`,
);
