/**
 * `npx tsx bench/cold-pipeline.ts [--docs 4000] [--rounds 5] [--only REGEX]`: where a one-off document's time
 * goes, in one process without HTTP: parsing, validating (graphql-js's and ours, with the app's
 * rules with and without fastAccept, src/server/fast-validate.ts), executing, and
 * Yoga's whole pipeline bare and with our plugins, the shortcut's point 4 through envelop's
 * pipeline and through the direct one (src/server/direct.ts), on distinct documents (tests/support/mix.ts
 * `coldDocuments`, never one twice), stages interleaved per round; CPU µs per document, median
 * of the rounds.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage, ServerResponse } from "node:http";
import { execute, parse, specifiedRules, type ValidationRule, validate } from "graphql";
import { createYoga, type Plugin } from "graphql-yoga";
import { loadGraph } from "../data/load.js";
import { SearchIndex } from "../src/graph/search.js";
import { schema } from "../src/schema/index.js";
import { createApp } from "../src/server/app.js";
import { DEFAULT_CONFIG } from "../src/server/config.js";
import { directPipelineOf } from "../src/server/direct.js";
import { fastAccept } from "../src/server/fast-validate.js";
import { clearerValidationErrors, limitPlugins } from "../src/server/limits.js";
import { requestPlugins } from "../src/server/requests.js";
import { answerDirect, answerFast } from "../src/server/shortcut.js";
import { validateDocument } from "../src/server/validate.js";
import { bodyOf, coldDocuments, postToYoga } from "../tests/support/mix.js";
import { appRules } from "../tests/support/validation-corpus.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) =>
  argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : fallback;
const count = Number(option("docs", "4000"));
const rounds = Number(option("rounds", "5"));

// --als: every stage also runs inside AsyncLocalStorage.run, as the server ran each request until
// 3 December 2026 (src/server/log.ts; on Node 20 that turns on promise hooks for the whole
// process), interleaved with the plain one, and the hooks are turned off again after it
const als = argv.includes("--als") ? new AsyncLocalStorage<{ requestId: string }>() : undefined;
const graph = await loadGraph();
const served = { graph, search: SearchIndex.build(graph) };
const app = createApp(graph, { responseCache: false, logSink: { write: () => true } });
const ruleSets: Record<string, readonly ValidationRule[]> = {
  specified: specifiedRules,
  // the rules the app's Yoga validates with (envelop's list: the specified ones, then the plugins')
  app: appRules(),
};
const direct = directPipelineOf(app.yoga, DEFAULT_CONFIG, () => served);
const postRequest = () =>
  ({ method: "POST", headers: { "content-type": "application/json" } }) as IncomingMessage;
const sink = () => ({ writeHead() {}, end() {} }) as unknown as ServerResponse;
const noop = () => {};

let offset = 0;
const take = () => {
  const docs = coldDocuments(served, offset + count).slice(offset);
  offset += count;
  return docs;
};

const yogaWith = (plugins: Plugin[]) =>
  createYoga({
    schema,
    graphqlEndpoint: "/graphql",
    landingPage: false,
    graphiql: false,
    maxRequestBodySize: false,
    plugins,
    context: () => ({ graph: served.graph, search: served.search }),
  });
const fetchAll =
  (yoga: { fetch: (url: string, init: RequestInit) => Promise<Response> | Response }) =>
  async (docs: ReturnType<typeof take>) => {
    for (const d of docs) await (await postToYoga(yoga, d)).text();
  };
const stages: Record<string, (docs: ReturnType<typeof take>) => Promise<void>> = {
  parse: async (docs) => {
    for (const d of docs) parse(d.document);
  },
  "parse+validate (graphql-js validate)": async (docs) => {
    for (const d of docs) validate(schema, parse(d.document), ruleSets.specified);
  },
  "parse+validate (src/server/validate.ts)": async (docs) => {
    for (const d of docs) validateDocument(schema, parse(d.document), ruleSets.specified!);
  },
  "parse+validate, the app's rules (validate.ts, rules only)": async (docs) => {
    for (const d of docs)
      validateDocument(schema, parse(d.document), ruleSets.app!, { fastAccept: false });
  },
  "parse+validate, the app's rules (validate.ts, fastAccept first)": async (docs) => {
    for (const d of docs) validateDocument(schema, parse(d.document), ruleSets.app!);
  },
  "parse+fastAccept alone": async (docs) => {
    for (const d of docs)
      if (!fastAccept(schema, parse(d.document), ruleSets.app!)) throw new Error("not accepted");
  },
  "parse+validate+execute (graphql-js)": async (docs) => {
    for (const d of docs) {
      const document = parse(d.document);
      if (validate(schema, document, ruleSets.specified).length) throw new Error("invalid");
      const r = await execute({
        schema,
        document,
        contextValue: { graph: served.graph, search: served.search },
      });
      JSON.stringify(r);
    }
  },
  "yoga bare": fetchAll(yogaWith([])),
  "yoga + limit plugins": fetchAll(yogaWith(limitPlugins(DEFAULT_CONFIG.limits))),
  "yoga + request plugins": fetchAll(yogaWith([...requestPlugins(), clearerValidationErrors()])),
  "yoga.fetch (the app's Yoga with every plugin)": fetchAll(app.yoga),
  // the shortcut's point 4 alone (no HTTP): through envelop's pipeline, and the direct one
  "shortcut point 4, envelop's pipeline (answerFast)": async (docs) => {
    for (const d of docs)
      if (
        (await answerFast(app.yoga, postRequest(), sink(), Buffer.from(bodyOf(d, {})), noop)) ===
        undefined
      )
        throw new Error("declined");
  },
  "shortcut point 4, direct pipeline (answerDirect)": async (docs) => {
    for (const d of docs)
      if (
        (await answerDirect(direct, postRequest(), sink(), Buffer.from(bodyOf(d, {})), noop)) ===
        undefined
      )
        throw new Error("declined");
  },
};

// --only: the stages whose name matches, e.g. --only 'parse|validate'
const only = argv.includes("--only") ? new RegExp(option("only", "")) : undefined;
if (only) for (const name of Object.keys(stages)) if (!only.test(name)) delete stages[name];
const times: Record<string, number[]> = Object.fromEntries(Object.keys(stages).map((k) => [k, []]));
for (let round = 0; round < rounds + 1; round++) {
  for (const [name, run] of Object.entries(stages)) {
    const docs = take();
    const t0 = process.cpuUsage();
    await run(docs);
    const t = process.cpuUsage(t0);
    if (round > 0) times[name]!.push((t.user + t.system) / docs.length);
    if (als) {
      // the same stage again inside AsyncLocalStorage.run, then promise hooks off again (disable)
      const more = take();
      const t1 = process.cpuUsage();
      await als.run({ requestId: "x" }, () => run(more));
      const u = process.cpuUsage(t1);
      als.disable();
      if (round > 0)
        (times[`${name}, inside AsyncLocalStorage.run`] ??= []).push(
          (u.user + u.system) / more.length,
        );
    }
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [name, xs] of Object.entries(times))
  console.log(
    `${median(xs).toFixed(0).padStart(6)} µs  ${name}   (rounds: ${xs.map((x) => x.toFixed(0)).join(" ")})`,
  );
