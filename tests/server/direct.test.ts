/**
 * The shortcut's direct pipeline (src/server/direct.ts): what the app runs plain queries through,
 * with the rules and limits of Yoga's pipeline. Its answers are held to Yoga's, byte for byte, by
 * tests/server/shortcut.test.ts; here, that it is used, what it stands for, and that a request its
 * limits refuse reaches no resolver.
 */
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import {
  defaultFieldResolver,
  GraphQLError,
  type GraphQLObjectType,
  parse,
  specifiedRules,
  type ValidationRule,
} from "graphql";
import { describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { sliceScheduler } from "../../src/graph/scheduler.js";
import { SearchIndex } from "../../src/graph/search.js";
import { schema } from "../../src/schema/index.js";
import { type AppOptions, createApp } from "../../src/server/app.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { createDirectPipeline, directPipelineOf } from "../../src/server/direct.js";
import { executedBeforeYoga, executionAdmission } from "../../src/server/limits.js";
import { validationCounts, validationRulesOf } from "../../src/server/validate.js";
import { lowercasedLengths } from "../support/lowercased.js";
import { coldDocuments } from "../support/mix.js";
import { shortcutOf } from "../support/server.js";

const graph = await loadBuiltInGraph();
const search = SearchIndex.build(graph);

/** The GraphQL-phase hooks of a Yoga's plugins: how many plugins have each. */
function phaseHooks(yoga: unknown): Record<string, number> {
  const plugins = (yoga as { plugins: Record<string, unknown>[] }).plugins;
  const counts: Record<string, number> = {};
  for (const hook of ["onParse", "onValidate", "onContextBuilding", "onExecute", "onSubscribe"])
    counts[hook] = plugins.filter((p) => typeof p?.[hook] === "function").length;
  return counts;
}

/** An app of `options` (by default without its response cache, silent) listening on a free port of 127.0.0.1. */
async function listening(options: AppOptions = {}) {
  const app = createApp(graph, {
    responseCache: false,
    logLevel: "silent",
    warmQueries: false,
    ...options,
  });
  await new Promise<void>((resolve) => app.server.listen(0, "127.0.0.1", resolve));
  return { app, port: (app.server.address() as { port: number }).port };
}

describe("the direct pipeline", () => {
  it("is what the app executes plain queries with, errors included: Yoga's execution is not entered", async () => {
    const { app, port } = await listening();
    const post = async (query: string) => {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });
      return response.json();
    };
    // whose context each root field was resolved in: Yoga's has the fetch request in it, the
    // direct pipeline's only the graph, its search index, the version the server started with,
    // the deadline and node's request and response (through which an execution learns that its
    // client went away)
    const contexts: string[] = [];
    const rootFields = Object.values(schema.getQueryType()!.getFields());
    const resolvers = rootFields.map((field) => field.resolve);
    rootFields.forEach((field, i) => {
      const resolve = resolvers[i] ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        contexts.push(
          Object.keys(context as object)
            .sort()
            .join(","),
        );
        return resolve(source, args, context, info);
      };
    });
    try {
      for (const { document } of coldDocuments({ graph, search }, 6))
        expect(await post(document)).toMatchObject({ data: expect.any(Object) });
      // an error is executed here too, and handed to Yoga to mask, log, count and answer
      expect(await post('{ person(key: "nobody-at-all") { name } }')).toMatchObject({
        errors: [{ extensions: { code: "NOT_FOUND" } }],
      });
      expect(new Set(contexts)).toEqual(
        new Set(["deadline,errorBudget,graph,req,res,search,startVersion"]),
      );
      expect(contexts).toHaveLength(7);
      // what the pipeline declines, Yoga executes (a GET, here)
      await fetch(
        `http://127.0.0.1:${port}/graphql?query=${encodeURIComponent("{ states(first: 1) { totalCount } }")}`,
      );
      expect(contexts.at(-1)).toContain("request");
    } finally {
      rootFields.forEach((field, i) => {
        field.resolve = resolvers[i];
      });
      await new Promise((resolve) => app.server.close(resolve));
    }
  });

  it("admits an operation once: a result with errors it hands to Yoga to answer is neither refused as late nor priced again", async () => {
    // a scheduler of its own (one per slice length in the process)
    const sliceMs = DEFAULT_CONFIG.limits.executionSliceMs + 7;
    const { app, port } = await listening({
      limits: { ...DEFAULT_CONFIG.limits, executionSliceMs: sliceMs },
    });
    const scheduler = sliceScheduler(sliceMs);
    // the first look at the queue lets the operation in; any after it finds the queue full
    const late = { aheadMs: 4000, expectedMs: 1000 };
    const runsLate = vi
      .spyOn(scheduler, "runsLate")
      .mockImplementation(() => (runsLate.mock.calls.length > 1 ? late : undefined));
    const post = (query: string) =>
      fetch(`http://127.0.0.1:${port}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });
    try {
      // executed, with an error: handed to Yoga to answer, its answer is the execution's, not a
      // refusal made after its work was done
      const answered = await post('{ person(key: "nobody-at-all") { name } }');
      expect(answered.status).toBe(200);
      expect(await answered.json()).toMatchObject({
        data: { person: null },
        errors: [{ extensions: { code: "NOT_FOUND" } }],
      });
      expect(runsLate).toHaveBeenCalledTimes(1);
      // refused as late by the direct pipeline: Yoga answers that refusal, weighing nothing again
      // (no execution begun for it either: `begin` is a Deadline's first call)
      runsLate.mockClear();
      runsLate.mockImplementation(() => late);
      const begin = vi.spyOn(scheduler, "begin");
      const refused = await post('{ person(key: "nobody-at-all-2") { name } }');
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBe("4");
      expect(runsLate).toHaveBeenCalledTimes(1);
      expect(begin).not.toHaveBeenCalled();
      // introspection near the request's limit, with an error: counted once, not once more when
      // Yoga answers it (red team 49, F5: 400 INTROSPECTION_LIMIT_EXCEEDED, "before" itself)
      runsLate.mockImplementation(() => undefined);
      const types = "types { name fields { name type { name fields { name } } } }";
      const introspecting = await post(
        `{ a: __schema { ${types} } b: __schema { ${types} } c: __schema { ${types} } x: person(key: "nobody-at-all-3") { name } }`,
      );
      expect(introspecting.status).toBe(200);
      const body = await introspecting.json();
      expect(body.data.a.types.length).toBeGreaterThan(10);
      expect(body.errors).toMatchObject([{ extensions: { code: "NOT_FOUND" } }]);
    } finally {
      vi.restoreAllMocks();
      await new Promise((resolve) => app.server.close(resolve));
    }
  });

  it("gives a result it executed, with data, only a deadline for its answer's writing when Yoga answers it: in the request's context, its slices its client's", () => {
    const socket = new Socket();
    Object.defineProperty(socket, "remoteAddress", { value: "192.0.2.7" });
    const req = new IncomingMessage(socket);
    const res = new ServerResponse(req);
    executedBeforeYoga(req, { data: { person: null }, errors: [new GraphQLError("x")] });
    const context: Record<string, unknown> = { graph, req, res };
    // over the cost limit: refused, were it admitted again
    const limits = { ...DEFAULT_CONFIG.limits, maxCost: 1 };
    const { refused, deadline } = executionAdmission(limits)({
      schema,
      document: parse("{ states(first: 100) { nodes { key name } } }"),
      contextValue: context,
    });
    try {
      expect(refused).toBeUndefined();
      expect(deadline).toBeDefined();
      expect(context.deadline).toBe(deadline);
      expect(context.errorBudget).toBeDefined();
      expect((deadline as unknown as { client: string }).client).toBe("192.0.2.7");
    } finally {
      deadline?.finish();
    }
  });

  it("ends the deadline of the answer's writing where its execution's would have ended, not a limit later", async () => {
    const socket = new Socket();
    Object.defineProperty(socket, "remoteAddress", { value: "192.0.2.8" });
    const req = new IncomingMessage(socket);
    const res = new ServerResponse(req);
    const limits = { ...DEFAULT_CONFIG.limits, executionTimeoutMs: 5000 };
    const admit = executionAdmission(limits);
    const document = parse("{ states(first: 100) { nodes { key name } } }");
    // the direct pipeline's admission, its execution, then its result with errors handed to Yoga
    const executing = admit({ schema, document, contextValue: { graph, req, res } });
    const execution = executing.deadline!;
    execution.finish();
    // some of its time taken
    await new Promise((resolve) => setTimeout(resolve, 5));
    executedBeforeYoga(req, { data: { states: null }, errors: [new GraphQLError("x")] });
    const writing = admit({ schema, document, contextValue: { graph, req, res } }).deadline!;
    try {
      expect(writing).not.toBe(execution);
      expect(writing.start).toBe(execution.start);
    } finally {
      writing.finish();
    }
  });

  it("lets go of the request and its response in its context once the answer is written, and keeps the rest", async () => {
    // Pothos keeps a cache per context in WeakMaps whose values hold the context again, and a
    // minor collection keeps such a value while its key is young: a context that still held
    // the request and its response moved each request to the old generation
    // (bench/cold-survival.ts). The deadline and budgets stay, for the branches graphql-js still
    // runs after a sibling's error (review 25; tests/api/suggestion-budget.test.ts)
    const { app, port } = await listening();
    const contexts: Record<string, unknown>[] = [];
    const during: string[] = [];
    const field = schema.getQueryType()!.getFields().person!;
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, context, info) => {
      contexts.push(context as Record<string, unknown>);
      during.push(
        Object.entries(context as object)
          .filter(([, value]) => value !== undefined)
          .map(([key]) => key)
          .sort()
          .join(","),
      );
      return resolve(source, args, context, info);
    };
    try {
      for (const query of [
        `{ person(key: ${JSON.stringify(graph.keys.person[0])}) { name } }`,
        // an answer with an error is handed to Yoga to answer: let go of all the same
        '{ person(key: "nobody-at-all") { name } }',
      ]) {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query }),
        });
        expect(response.status).toBe(200);
        await response.json();
      }
      await new Promise((resolve) => setImmediate(resolve));
      expect(during).toEqual([
        "deadline,errorBudget,graph,req,res,search,startVersion",
        "deadline,errorBudget,graph,req,res,search,startVersion",
      ]);
      for (const context of contexts) {
        expect(context.req).toBeUndefined();
        expect(context.res).toBeUndefined();
        expect(context.graph).toBe(graph);
        expect(context.deadline).toBeDefined();
        expect(context.errorBudget).toBeDefined();
      }
    } finally {
      field.resolve = resolve;
      await new Promise((resolve) => app.server.close(resolve));
    }
  });

  it("lets go of a document's tokens once it is parsed and validated: an error still says where", async () => {
    // graphql-js keeps an executed document's field nodes in a WeakMap keyed by the execution,
    // whose value a minor collection keeps until a full one: their locations linked every token
    // of the document, moved to the old generation with it (bench/cold-survival.ts)
    const { app, port } = await listening();
    const seen: { operation: unknown; field: unknown; start: number | undefined }[] = [];
    const field = schema.getQueryType()!.getFields().person!;
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, context, info) => {
      seen.push({
        operation: info.operation.loc?.startToken,
        field: info.fieldNodes[0]!.loc?.endToken,
        start: info.fieldNodes[0]!.loc?.start,
      });
      return resolve(source, args, context, info);
    };
    try {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: '{\n  a: __typename\n  person(key: "nobody-at-all") { name } }',
        }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        errors?: { locations?: unknown; path?: unknown }[];
      };
      expect(seen).toEqual([{ operation: null, field: null, start: 20 }]);
      expect(body.errors?.map(({ locations, path }) => ({ locations, path }))).toEqual([
        { locations: [{ line: 3, column: 3 }], path: ["person"] },
      ]);
    } finally {
      field.resolve = resolve;
      await new Promise((resolve) => app.server.close(resolve));
    }
  });

  it("checks an invalid document once: sent again, it is Yoga's to answer from its caches", async () => {
    const { app, port } = await listening();
    // a document the rules must walk to refuse (fast accept leaves it to them: a field repeats)
    const query = `{ ${Array.from({ length: 50 }, (_, i) => `s: state(key: "k${i}") { key }`).join(" ")} }`;
    try {
      const before = validationCounts.full;
      for (let time = 0; time < 4; time++) {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          // the same query text in a body spelled differently each time (the response cache's
          // key is the body: it would not help)
          body: `{${" ".repeat(time)}"query": ${JSON.stringify(query)}}`,
        });
        expect(response.status).toBe(200);
        const { errors } = (await response.json()) as { errors?: unknown[] };
        expect(errors?.length).toBeGreaterThan(0);
      }
      // once, by the direct pipeline, whose errors Yoga's validation takes (validate.ts
      // `handOver`; it validated it again: a document of conflicting fields took 10-36 ms each
      // time); Yoga's parse and validation caches answer after
      expect(validationCounts.full - before).toBe(1);
    } finally {
      await new Promise((resolve) => app.server.close(resolve));
    }
  });

  it("leaves point 4 to envelop's pipeline when the direct one cannot be made, rather than failing requests", async () => {
    const app = createApp(graph, { responseCache: false, logLevel: "silent", warmQueries: false });
    const answered: string[] = [];
    const shortcut = shortcutOf(app, app.yoga, {
      onOperation: (name) => answered.push(name),
      direct: () => {
        throw new Error("a plugin that cannot answer the rules probe");
      },
    });
    const server = createServer((req, res) => void shortcut.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as { port: number };
      const [cold] = coldDocuments({ graph, search }, 1);
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: cold!.document }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ data: expect.any(Object) });
      // answered in point 4 (which names the operation), through envelop's pipeline
      expect(answered).toEqual([cold!.name]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("validates with the rules Yoga's pipeline assembles: graphql-js's, the limits', read-only, and no introspection when it is off", () => {
    for (const introspection of [true, false]) {
      const app = createApp(graph, { logLevel: "silent", introspection, warmQueries: false });
      const rules = validationRulesOf(app.yoga.getEnveloped);
      expect(rules.slice(0, specifiedRules.length)).toEqual([...specifiedRules]);
      expect(rules.slice(specifiedRules.length).map((rule) => rule.name || "(armor)")).toEqual([
        "(armor)",
        "(armor)",
        "(armor)",
        "readOnlyRule",
        ...(introspection ? [] : ["NoSchemaIntrospectionCustomRule"]),
      ]);
    }
  });

  it("stands for every plugin with a GraphQL-phase hook: a new one fails here until direct.ts says how it is honoured", () => {
    // onParse: Yoga's engine and parse cache, the token limit, choosing the operation, mutations
    // over GET, trusted documents; onValidate: the engine and validation cache, the three armor
    // rules, read-only, the validation function (validate.ts), clearer errors, HTTP statuses of
    // validation errors, their stacks formatted and their weight counted once every other
    // after-hook has put its errors in place (document-cache.ts weighValidationResults, last of the
    // app's plugins: memory, no answer changed; a document
    // that does not validate is Yoga's to answer anyway); onExecute: the engine, the limits and deadline, the errors' request
    // ids, the shortcut's hand-over, masking (and hidden suggestions when introspection is off)
    expect(phaseHooks(createApp(graph, { logLevel: "silent" }).yoga)).toEqual({
      onParse: 6,
      onValidate: 11,
      onContextBuilding: 1,
      onExecute: 5,
      onSubscribe: 4,
    });
    expect(
      phaseHooks(createApp(graph, { logLevel: "silent", introspection: false }).yoga),
    ).toMatchObject({ onValidate: 12, onExecute: 6 });
  });

  it("parses within the token limit: a longer document is Yoga's to refuse", async () => {
    const app = createApp(graph, { logLevel: "silent", warmQueries: false });
    const tight = directPipelineOf(
      app.yoga,
      { ...DEFAULT_CONFIG, limits: { ...DEFAULT_CONFIG.limits, maxTokens: 8 } },
      () => ({ graph, search }),
    );
    expect(await tight.run({ query: "{ persons(first: 1) { nodes { key } } }" })).toBeUndefined();
    expect(await tight.run({ query: "{ __typename }" })).toEqual({
      data: { __typename: "Query" },
    });
  });
  for (const method of ["POST", "GET"] as const)
    it(`stops what graphql-js still resolves of a request once its answer is written: the siblings of a field whose error nulled their parent (${method === "POST" ? "the direct pipeline's" : "a GET, Yoga's"})`, async () => {
      // `bad`, non-null, fails after its turn's wait; the aliases before it are still resolving
      // their posts' offices, a turn at a time (slices of 1 ms): graphql-js answers with `office`
      // null and leaves them running. They ran on for nobody, up to the time limit (review 25:
      // 1,990 fields after the answer at 20,000 entities; 13 here), and on Yoga's path (a GET,
      // a document the direct pipeline declines) until the session after it
      const { app, port } = await listening({
        limits: { ...DEFAULT_CONFIG.limits, executionSliceMs: 1 },
      });
      const calls: number[] = [];
      const field = (schema.getType("Post") as GraphQLObjectType).getFields().office!;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        calls.push(performance.now());
        return resolve(source, args, context, info);
      };
      const heavy = Array.from(
        { length: 20 },
        (_, i) =>
          `h${i}: tenures(first: 100) { edges { node { key holder { ... on Entity { key label } } post { key office { key } state { key } } } } }`,
      ).join(" ");
      const post = async (query: string) =>
        (await (method === "POST"
          ? fetch(`http://127.0.0.1:${port}/graphql`, {
              method,
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ query }),
            })
          : fetch(`http://127.0.0.1:${port}/graphql?${new URLSearchParams({ query })}`, {
              headers: { accept: "application/json" },
            })
        ).then((response) => response.json())) as { data: unknown; errors?: unknown[] };
      try {
        // the office with the most tenures
        const { data } = (await post(
          "{ offices(first: 100) { nodes { key tenures(first: 1) { totalCount } } } }",
        )) as { data: { offices: { nodes: { key: string; tenures: { totalCount: number } }[] } } };
        const office = data.offices.nodes.sort(
          (a, b) => b.tenures.totalCount - a.tenures.totalCount,
        )[0]!.key;
        calls.length = 0;
        const body = await post(
          `{ office(key: ${JSON.stringify(office)}) { ${heavy} bad: tenures(first: 1, after: "not-a-cursor") { totalCount } } }`,
        );
        const answered = performance.now();
        expect(body).toMatchObject({
          data: { office: null },
          errors: [{ extensions: { code: "BAD_CURSOR" } }],
        });
        // until nothing has waited for a turn for 20 turns in a row
        const scheduler = sliceScheduler(1);
        for (let quiet = 0, turns = 0; quiet < 20 && turns < 2000; turns++) {
          await new Promise((resolve) => setImmediate(resolve));
          quiet = scheduler.queued === 0 ? quiet + 1 : 0;
        }
        expect(calls.length).toBeGreaterThan(0);
        expect(calls.filter((at) => at > answered)).toEqual([]);
      } finally {
        field.resolve = resolve;
        await new Promise((resolve) => app.server.close(resolve));
      }
    });

  it("checks only whether a document validates when its operation cannot be chosen: Yoga refuses it before validating (review 41)", async () => {
    let reported = 0;
    const everyField: ValidationRule = (context) => ({
      Field(node) {
        reported++;
        context.reportError(new GraphQLError(`refused ${node.name.value}`));
      },
    });
    const pipeline = createDirectPipeline({
      schema,
      rules: [...specifiedRules, everyField],
      limits: DEFAULT_CONFIG.limits,
      context: () => ({ graph, search }),
    });
    const fields = Array.from({ length: 50 }, () => "__typename").join(" ");
    expect(
      await pipeline.run({ query: `query A { ${fields} }`, operationName: "Nope" }),
    ).toBeUndefined();
    // the first error, and the one past the bound that stops the walk
    expect(reported).toBeLessThanOrEqual(2);
    // and with its operation chosen, validated in full, as Yoga would
    reported = 0;
    expect(await pipeline.run({ query: `query B { ${fields} }` })).toBeUndefined();
    expect(reported).toBe(50);
  });

  it("validates an invalid document as Yoga does, suggestions as introspection says, and once", async () => {
    // (its errors are Yoga's answer: "did you mean" where introspection is on, none where it is off)
    for (const introspection of [true, false]) {
      const { app, port } = await listening({ introspection });
      try {
        const before = validationCounts.full;
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: `{ statez${introspection ? 1 : 2} { key } }` }),
        });
        const { errors } = (await response.json()) as { errors: { message: string }[] };
        expect(errors).toHaveLength(1);
        expect(errors[0]!.message.includes("Did you mean")).toBe(introspection);
        expect(validationCounts.full - before).toBe(1);
      } finally {
        await new Promise((resolve) => app.server.close(resolve));
      }
    }
  });
  it("executes without graphql-js's suggestions: variables that do not coerce are Yoga's to answer, and a suggestion for a long enum value cost its length", async () => {
    const pipeline = createDirectPipeline({
      schema,
      rules: specifiedRules,
      limits: DEFAULT_CONFIG.limits,
      context: () => ({ graph, search }),
    });
    const big = "x".repeat(50_000);
    const lowered = lowercasedLengths();
    expect(
      await pipeline.run({
        query: "query($c: [Certainty!]) { tenures(first: 1, certainty: $c) { nodes { key } } }",
        variables: { c: [big] },
      }),
    ).toBeUndefined();
    expect(lowered.filter((length) => length >= 50_000)).toEqual([]);
  });

  it("runs no resolver for a request its limits refuse (a cost over the limit, variables too deep): Yoga answers the refusal", async () => {
    const limits = DEFAULT_CONFIG.limits;
    const { app, port } = await listening();
    const post = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json() };
    };
    // every root field counts its calls: a refused request must reach none (executed and then
    // refused by Yoga's own admission, its answer would be the same, its work not)
    let calls = 0;
    const rootFields = Object.values(schema.getQueryType()!.getFields());
    const resolvers = rootFields.map((field) => field.resolve);
    rootFields.forEach((field, i) => {
      const resolve = resolvers[i] ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        calls++;
        return resolve(source, args, context, info);
      };
    });
    try {
      // offices by global id, each with its tenures filtered by the most conditions allowed
      const costly = await post(
        "query($ids: [ID!]!, $f: TenureFilter) { nodes(ids: $ids) { ... on Office { t1: tenures(filter: $f) { totalCount } t2: tenures(filter: $f) { totalCount } t3: tenures(filter: $f) { totalCount } t4: tenures(filter: $f) { totalCount } } } }",
        {
          ids: Array.from({ length: limits.maxListLength }, (_, i) =>
            Buffer.from(`Office:${graph.keys.office[i % graph.keys.office.length]}`).toString(
              "base64",
            ),
          ),
          f: { or: Array(limits.maxFilterConditions / 2).fill({ timing: { eq: "PERIOD" } }) },
        },
      );
      expect(costly.status).toBe(400);
      expect(costly.body.errors[0].extensions.code).toBe("COST_LIMIT_EXCEEDED");
      let deep: unknown = { timing: { eq: "PERIOD" } };
      for (let i = 0; i < limits.maxVariableDepth + 5; i++) deep = { and: [deep] };
      const tooDeep = await post(
        "query($f: TenureFilter) { tenures(filter: $f, first: 1) { totalCount } }",
        { f: deep },
      );
      expect(tooDeep.body.errors[0].extensions.code).toBe("VARIABLE_TOO_DEEP");
      expect(calls).toBe(0);
      // the counter counts: an admitted request reaches its root field
      await post("query($n: Int!) { persons(first: $n) { totalCount } }", { n: 1 });
      expect(calls).toBe(1);
    } finally {
      rootFields.forEach((field, i) => {
        field.resolve = resolvers[i];
      });
      await new Promise((resolve) => app.server.close(resolve));
    }
  });
});
