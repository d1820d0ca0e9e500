/**
 * `npx tsx bench/validation-and-cost.ts [--rounds 5] [--cold 2000] [--frontend 2000]`: do the two
 * hand-written parts of the request pipeline still earn their keep against the libraries they
 * stand beside (docs/performance.md, "Why hand-written")? In one process, without HTTP, per
 * corpus of documents:
 *
 * - validation: graphql-js's `validate` against src/server/validate.ts's `validateDocument`, with
 *   the rules the server runs (graphql-js's specified rules, armor's depth, alias and directive
 *   rules made once as limits.ts makes them, the read-only rule: tests/support/validation-corpus.ts
 *   `appRules`), ours both as the server runs it (fastAccept first, src/server/fast-validate.ts)
 *   and with the rules alone (`fastAccept: false`): the difference is fastAccept's saving;
 * - cost: src/server/cost.ts's walk (a fresh walk: every document is new to it) against
 *   graphql-armor's cost limit (`costLimitRule`, run by graphql-js's `validate` alone, with a
 *   limit it never reaches), and graphql-js's `validate` with no rule at all, the traversal
 *   armor's rule pays for.
 *
 * Corpora: the explorer's documents with the variables it sends (bench/frontend.ts), the cold
 * scenario's distinct documents (bench/mix.ts), and hostile documents made to be expensive to
 * check while staying under the limits (below). Every document is parsed afresh for each stage
 * and round, before the clock starts, so no cache keyed by a document helps; stages are
 * interleaved per round. CPU µs per document, median of the rounds, and ours / the library's.
 */
import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { type DocumentNode, parse, type ValidationRule, validate } from "graphql";
import { loadGraph } from "../data/load.js";
import { SearchIndex } from "../src/graph/search.js";
import { schema } from "../src/schema/index.js";
import { DEFAULT_CONFIG } from "../src/server/config.js";
import { operationCost } from "../src/server/cost.js";
import { validateDocument } from "../src/server/validate.js";
import { coldDocuments } from "../tests/support/mix.js";
import { appRules } from "../tests/support/validation-corpus.js";
import { frontendRequests, wordsOfKeys } from "./frontend.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) =>
  argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : fallback;
const rounds = Number(option("rounds", "5"));
const coldCount = Number(option("cold", "2000"));
const frontendCount = Number(option("frontend", "2000"));

const limits = DEFAULT_CONFIG.limits;
const graph = await loadGraph();
const served = { graph, search: SearchIndex.build(graph) };

interface Request {
  query: string;
  variables?: Record<string, unknown> | undefined;
  operationName?: string | undefined;
}

// the server's rules: graphql-js's, then armor's three, each made once (limits.ts, `limitRules`),
// and the read-only rule (requests.ts)
const rules: readonly ValidationRule[] = appRules(limits);
// armor's cost limit as its documentation configures it, with a limit no document reaches
const armorCost = costLimitRule({ maxCost: Number.MAX_SAFE_INTEGER, propagateOnRejection: false });

/** Documents made to be costly to validate and price while staying under every limit. */
function hostileDocuments(): Request[] {
  const many = (n: number, f: (i: number) => string) =>
    Array.from({ length: n }, (_, i) => f(i)).join(" ");
  const docs: string[] = [
    // the same field a thousand times: OverlappingFieldsCanBeMerged compares them
    `{ ${many(1000, () => "__typename")} }`,
    // every alias the limit allows, each a connection with arguments
    `{ ${many(limits.maxAliases, (i) => `a${i}: persons(first: 100) { totalCount nodes { key name } }`)} }`,
    // as deep as the limit allows
    `{ state(key: "kazakhstan") { ${"persons(first: 100) { nodes { nationality { ".repeat(4)}key${" } } }".repeat(4)} } }`,
    // a chain of fragments, each spreading the next
    `{ ...F0 } ${many(40, (i) => `fragment F${i} on Query { states(first: 1) { totalCount } ${i < 39 ? `...F${i + 1}` : ""} }`)}`,
    // a fragment spread many times over the same fields, at several levels
    `{ persons(first: 100) { nodes { ${many(60, () => "...P")} } } } fragment P on Person { key name nationality { key name } }`,
    // a large literal filter
    `{ tenures(filter: { or: [${many(120, () => "{ timing: { eq: PERIOD } }")}] }) { totalCount } }`,
    // every directive the limit allows
    `{ ${many(limits.maxDirectives, (i) => `f${i}: __typename @include(if: true)`)} }`,
    // unknown fields and arguments: errors with suggestions to compute
    `{ ${many(80, (i) => `perso${i % 7}(ke: "x") { nam }`)} }`,
  ];
  return docs.map((query) => ({ query }));
}

const keys = Object.fromEntries(
  Object.entries(graph.keys).map(([kind, list]) => [kind, list as readonly string[]]),
);
const corpora: Record<string, Request[]> = {
  "explorer (its documents, its variables)": frontendRequests(
    { keys, words: wordsOfKeys(keys) },
    frontendCount,
  ).map((r) => JSON.parse(r.body) as Request),
  "cold (bench/mix.ts, distinct documents)": coldDocuments(served, coldCount).map((d) => ({
    query: d.document,
    operationName: d.name,
  })),
  // each hostile document many times (parsed afresh each time), so that the rounds are long enough to time
  hostile: Array.from({ length: 25 }, hostileDocuments).flat(),
};

interface Parsed extends Request {
  document: DocumentNode;
}
type Stage = (docs: readonly Parsed[]) => void;
const stages: Record<string, Stage> = {
  "validate: graphql-js": (docs) => {
    for (const d of docs) validate(schema, d.document, rules);
  },
  "validate: ours": (docs) => {
    for (const d of docs) validateDocument(schema, d.document, rules);
  },
  "validate: ours, the rules alone (fastAccept: false)": (docs) => {
    for (const d of docs) validateDocument(schema, d.document, rules, { fastAccept: false });
  },
  "cost: ours (a fresh walk)": (docs) => {
    for (const d of docs) {
      operationCost(schema, d.document, d.operationName, d.variables, {
        shape: graph.shape,
        listSize: limits.costListSize,
        maxFilterConditions: limits.maxFilterConditions,
      });
    }
  },
  "cost: armor's costLimitRule": (docs) => {
    for (const d of docs) validate(schema, d.document, [armorCost]);
  },
  "  (graphql-js validate, no rule)": (docs) => {
    for (const d of docs) validate(schema, d.document, []);
  },
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `# ${new Date().toISOString()}  load average ${(await import("node:os"))
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(", ")}  rounds ${rounds}`,
);
for (const [corpus, requests] of Object.entries(corpora)) {
  const times: Record<string, number[]> = Object.fromEntries(
    Object.keys(stages).map((k) => [k, []]),
  );
  for (let round = 0; round <= rounds; round++) {
    for (const [name, run] of Object.entries(stages)) {
      const docs = requests.map((r) => ({ ...r, document: parse(r.query) }));
      const t0 = process.cpuUsage();
      run(docs);
      const t = process.cpuUsage(t0);
      if (round > 0) times[name]!.push((t.user + t.system) / docs.length);
    }
  }
  const m = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, median(xs)]));
  console.log(`\n## ${corpus}: ${requests.length} documents`);
  for (const [name, xs] of Object.entries(times))
    console.log(
      `${m[name]!.toFixed(1).padStart(8)} µs  ${name}   (rounds: ${xs.map((x) => x.toFixed(1)).join(" ")})`,
    );
  console.log(
    `validation, ours / graphql-js: ${(m["validate: ours"]! / m["validate: graphql-js"]!).toFixed(2)}`,
  );
  console.log(
    `fastAccept's saving: ${(m["validate: ours, the rules alone (fastAccept: false)"]! - m["validate: ours"]!).toFixed(1)} µs per document`,
  );
  console.log(
    `cost, ours / armor's costLimitRule: ${(m["cost: ours (a fresh walk)"]! / m["cost: armor's costLimitRule"]!).toFixed(2)}`,
  );
}
console.log(
  `\nload average after: ${(await import("node:os"))
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(", ")}`,
);
