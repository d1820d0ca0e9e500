/**
 * `npx tsx bench/long-names.ts [--rounds 7] [--root DIR]`: the CPU time of the server's thread
 * for one request whose unknown name is long, where graphql-js would look for "Did you mean …?"
 * (src/schema/graphql-suggestions.ts): an input object's unknown key in a variable, an enum's
 * value in a variable, an unknown field in the document, a type the document defines beside a
 * name a letter off it (validate.ts). Each at 100 KiB (the default body limit,
 * `KZ_OSCE_MAX_BODY_BYTES`) and 500 KiB (near the most it may be set to), beside the same request
 * with the long part given where no suggestion is made (a string where an Int is expected): what
 * the request costs without the search. The server runs in this process, without its response
 * cache; the client (fetch) too, and its CPU counts. `--root` measures another checkout (a
 * worktree of an earlier commit) with this script, for a ratio from one run.
 */
import { fileURLToPath } from "node:url";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) =>
  argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : fallback;
const rounds = Number(option("rounds", "7"));
const root = option("root", fileURLToPath(new URL("..", import.meta.url)));

const { loadBuiltInGraph } = await import(`${root}/data/load.js`);
const { DEFAULT_CONFIG } = await import(`${root}/src/server/config.js`);
const { startServer } = await import(`${root}/tests/support/server.js`);

const server = await startServer(await loadBuiltInGraph(), {
  responseCache: false,
  logLevel: "silent",
  maxBodyBytes: 524_288,
  limits: { ...DEFAULT_CONFIG.limits, maxTokens: 100_000 },
});

const TENURES = "query($f: TenureFilter) { tenures(first: 1, filter: $f) { totalCount } }";
const CERTAINTY = "query($c: [Certainty!]) { tenures(first: 1, certainty: $c) { totalCount } }";
const FIRST = "query($n: Int) { tenures(first: $n) { totalCount } }";

const cases: Record<string, (long: string) => { query: string; variables?: unknown }> = {
  "an input object's unknown key": (long) => ({ query: TENURES, variables: { f: { [long]: 1 } } }),
  "an enum's value": (long) => ({ query: CERTAINTY, variables: { c: [long] } }),
  "an unknown field": (long) => ({ query: `{ ${long} }` }),
  // (review 29: graphql-js took the names a document defines for options, in the product of the
  // lengths: two names of half the length each)
  "a type the document defines, and one a letter off": (long) => {
    const half = long.slice(0, long.length / 2);
    return { query: `type ${half} { a: Int } query Q($v: ${half.slice(1)}B) { __typename }` };
  },
  "(the same length where no suggestion is made: a string for an Int)": (long) => ({
    query: FIRST,
    variables: { n: long },
  }),
};

/** CPU milliseconds of this process while `run` runs. */
async function cpuOf(run: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

console.log(`${root}, ${rounds} rounds each, CPU ms of the process per request (min-max, median)`);
try {
  for (const size of [100_000, 500_000]) {
    for (const [name, make] of Object.entries(cases)) {
      const body = JSON.stringify(make("x".repeat(size)));
      const send = async () => {
        const response = await fetch(server.graphql, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        const answer = (await response.json()) as { errors?: unknown[] };
        if (!answer.errors?.length) throw new Error(`${name}: no error (${response.status})`);
      };
      // (warmed up first: the first requests of a case pay for compiling its path)
      for (let i = 0; i < 3; i++) await send();
      const figures: number[] = [];
      for (let i = 0; i < rounds; i++) figures.push(await cpuOf(send));
      figures.sort((a, b) => a - b);
      console.log(
        `${String(size).padStart(7)} chars, ${name}: ${figures[0]!.toFixed(1)}-${figures.at(-1)!.toFixed(1)} ms (median ${figures[Math.floor(figures.length / 2)]!.toFixed(1)})`,
      );
    }
  }
} finally {
  await server.close();
}
