/**
 * The trusted documents executed by graphql-jit (src/server/jit.ts) answer exactly as Yoga's
 * interpreted executor does: status and body, data and errors, byte for byte. Two servers over
 * the same graph, one with `jit` and one without, are asked the same requests: every trusted
 * document with the explorer's own variables (random keys, bench/frontend.ts) and with odd ones
 * (unknown and malformed keys, values of the wrong type, optional variables left out or null,
 * unknown enum values, bad cursors and dates), by query text and by `documentId`, on the
 * built-in data and on a generated dataset; then on a graph whose lookups throw (masked
 * errors, nulls under non-null parents) and past the execution deadline.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frontendRequests } from "../../bench/frontend.js";
import { loadBuiltInGraph } from "../../data/load.js";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import type { AppOptions } from "../../src/server/app.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { loadTrustedDocuments } from "../../src/server/trusted-documents.js";
import { JSON_HEADERS, type RawResponse, send } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

const documents = loadTrustedDocuments();
/** Each trusted document's operation name, variables (name and type as written) and id. */
const operations = [...documents].map(([id, text]) => {
  const [, name, list] = /\bquery\s+(\w+)\s*(?:\(([^)]*)\))?/.exec(text)!;
  const variables = [...(list ?? "").matchAll(/\$(\w+)\s*:\s*([^,$]+)/g)].map(([, v, type]) => ({
    name: v!,
    type: type!.trim(),
  }));
  return { id, text, name: name!, variables };
});

/** Values a client may send by mistake, by the variable's type as the document writes it. */
function oddValues(type: string): unknown[] {
  const named = type.replace(/[[\]!]/g, "");
  const list = type.startsWith("[");
  const common: unknown[] = [42, true, { a: 1 }];
  if (list) return [[], ["NOPE"], "NOPE", [null], ...common];
  switch (named) {
    case "String":
      return [
        "",
        "no-such-key",
        "person/gyorgy-szabo",
        "ЖЖЖ",
        "x".repeat(300),
        "2016-13-45",
        ...common,
      ];
    case "TimelineFilter":
      return [
        {},
        { date: { overlaps: "2016/.." } },
        { date: { overlaps: "not a date" } },
        { entity: { eq: "no-such-key" } },
        { kind: { in: ["NOPE"] } },
        { nope: 1 },
        ...common,
      ];
    default:
      return ["NOPE", ...common];
  }
}

interface Case {
  label: string;
  body: Record<string, unknown>;
}

/** The requests asked of both servers: the explorer's own, then odd variables for every document. */
function cases(graph: KnowledgeGraph, explorerCount: number, seed: number): Case[] {
  const keys = graph.keys as unknown as Record<string, readonly string[]>;
  const words = [
    ...new Set(
      Object.values(keys)
        .flat()
        .flatMap((key) => key.slice(key.indexOf("/") + 1).split("-"))
        .filter((w) => /^[a-z]{4,}$/.test(w)),
    ),
  ].slice(0, 300);
  const all: Case[] = frontendRequests({ keys, words }, explorerCount, { seed }).map((r) => ({
    label: r.kind,
    body: JSON.parse(r.body) as Record<string, unknown>,
  }));
  // one request of each document the explorer's mix holds, as the base of the odd ones
  const base = new Map<string, Record<string, unknown>>();
  for (const { body } of all) base.set(body.operationName as string, body);
  for (const operation of operations) {
    const start = base.get(operation.name) ?? {
      query: operation.text,
      variables: {},
      operationName: operation.name,
    };
    const variables = start.variables as Record<string, unknown>;
    for (const { name, type } of operation.variables) {
      const { [name]: _left, ...without } = variables;
      all.push({
        label: `${operation.name} without $${name}`,
        body: { ...start, variables: without },
      });
      all.push({
        label: `${operation.name} $${name}: null`,
        body: { ...start, variables: { ...variables, [name]: null } },
      });
      for (const value of oddValues(type))
        all.push({
          label: `${operation.name} $${name}: ${JSON.stringify(value).slice(0, 40)}`,
          body: { ...start, variables: { ...variables, [name]: value } },
        });
    }
    // by id, as the explorer sends it (Yoga's path, not the shortcut's)
    all.push({
      label: `${operation.name} by documentId`,
      body: { documentId: operation.id, variables, operationName: operation.name },
    });
  }
  return all;
}

interface Pair {
  jit: TestServer;
  interpreted: TestServer;
}

async function pair(graph: KnowledgeGraph, options: AppOptions = {}): Promise<Pair> {
  const common = { responseCache: false as const, ...options };
  const [jit, interpreted] = await Promise.all([
    startServer(graph, { ...common, jit: true }),
    startServer(graph, { ...common, jit: false }),
  ]);
  return { jit, interpreted };
}
const closePair = (p: Pair | undefined) => p && Promise.all([p.jit.close(), p.interpreted.close()]);

const ask = (server: TestServer, body: Record<string, unknown>) =>
  send(server, { headers: JSON_HEADERS, body: JSON.stringify(body) });
const answerOf = (r: RawResponse) => ({ status: r.status, body: r.text });

/** Asks both servers every case, one at a time; returns the cases whose answers differ. */
async function differences(p: Pair, all: Case[]): Promise<string[]> {
  const differ: string[] = [];
  for (const { label, body } of all) {
    const [jit, interpreted] = [await ask(p.jit, body), await ask(p.interpreted, body)];
    if (JSON.stringify(answerOf(jit)) !== JSON.stringify(answerOf(interpreted)))
      differ.push(
        `${label}\n  jit:         ${jit.status} ${jit.text.slice(0, 600)}\n  interpreted: ${interpreted.status} ${interpreted.text.slice(0, 600)}`,
      );
  }
  return differ;
}

describe.each([
  ["the built-in data", () => loadBuiltInGraph(), 300],
  [
    "a generated dataset of 20,000 entities",
    async () => loadJsonGraph(generatedDataset(20_000, { seed: 5, format: "json" })),
    400,
  ],
])("on %s", (_, load, explorerCount) => {
  let graph: KnowledgeGraph;
  let servers: Pair | undefined;
  beforeAll(async () => {
    graph = await load();
    servers = await pair(graph);
  }, 120_000);
  afterAll(() => closePair(servers));

  it("answers every trusted document, with the explorer's variables and odd ones, as the interpreted executor does", async () => {
    const all = cases(graph, explorerCount, 7);
    expect(await differences(servers!, all)).toEqual([]);
    // bad input gets a 4xx or an error in a 200, never a 5xx
    for (const { label, body } of all.slice(-120))
      expect((await ask(servers!.jit, body)).status, label).toBeLessThan(500);
    const counts = servers!.jit.app.jitCounts!;
    expect(servers!.interpreted.app.jitCounts).toBeUndefined();
    // every document was compiled but ExplorerTimeline (its TimelineFilter variable is a
    // recursive input type, on which graphql-jit's compiler never ends), and most answers came
    // from compiled queries
    expect(counts.interpreted).toEqual(["ExplorerTimeline"]);
    expect(counts.compilations).toBe(documents.size - 1);
    expect(counts.compiled - counts.handedBack).toBeGreaterThan(all.length / 2);
    // answers with errors (bad keys, variables that do not fit) came from the interpreted executor
    expect(counts.handedBack).toBeGreaterThan(0);
  }, 300_000);
});

describe("errors thrown in resolvers", () => {
  let graph: KnowledgeGraph;
  let servers: Pair | undefined;
  beforeAll(async () => {
    graph = await loadBuiltInGraph();
    // lookups that fail as a bug would: a source's quote offsets (a non-null field deep in every
    // provenance, so the null climbs through non-null parents), and one entity of each kind
    const failing = new Set(Object.values(graph.keys).map((keys) => keys[1]));
    const faulty = new Proxy(graph, {
      get(target, property) {
        const value = Reflect.get(target, property, target);
        if (property === "quoteOffset")
          return () => {
            throw new Error("quoteOffset failed");
          };
        if (property === "entity")
          return (key: string) => {
            if (failing.has(key)) throw new TypeError(`cannot read ${key}`);
            return target.entity(key);
          };
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    servers = await pair(faulty);
  }, 120_000);
  afterAll(() => closePair(servers));

  it("masks them and nulls their non-null parents as the interpreted executor does", async () => {
    const all = cases(graph, 200, 3).filter((c) => c.body.documentId === undefined);
    expect(await differences(servers!, all)).toEqual([]);
    // the failures were reached: masked errors in some answers
    const answers = await Promise.all(all.slice(0, 60).map((c) => ask(servers!.jit, c.body)));
    expect(answers.some((a) => a.text.includes('"INTERNAL_SERVER_ERROR"'))).toBe(true);
    expect(servers!.jit.app.jitCounts!.compiled).toBeGreaterThan(0);
  }, 300_000);
});

describe("the execution deadline", () => {
  let graph: KnowledgeGraph;
  beforeAll(() => {
    graph = loadJsonGraph(generatedDataset(20_000, { seed: 5, format: "json" }));
  }, 120_000);

  it("stops a compiled query past it with 503 EXECUTION_TIMEOUT, as the interpreted executor does", async () => {
    // a deadline already passed: the clock is read after 32 fields' checks, and every answer
    // that reaches that many fields is the timeout; smaller answers are complete in both
    const servers = await pair(graph, {
      limits: { ...DEFAULT_CONFIG.limits, executionTimeoutMs: 0 },
    });
    try {
      const all = cases(graph, 150, 5).filter((c) => c.body.documentId === undefined);
      expect(await differences(servers, all)).toEqual([]);
      const statuses = await Promise.all(all.map((c) => ask(servers.jit, c.body)));
      expect(statuses.filter((s) => s.status === 503).length).toBeGreaterThan(10);
      expect(servers.jit.app.jitCounts!.compiled).toBeGreaterThan(0);
    } finally {
      await closePair(servers);
    }
  }, 300_000);

  it("leaves no rejection unheard when it passes inside a compiled list (an unhandled one ends the process)", async () => {
    // the explorer's offices view: a page of 100 tenures with each one's non-null holder; with a
    // 1 ms slice, some holders wait for the next slice while their siblings fail at the deadline
    const unheard: unknown[] = [];
    const listen = (reason: unknown) => unheard.push(reason);
    process.on("unhandledRejection", listen);
    const servers = await pair(graph, {
      limits: { ...DEFAULT_CONFIG.limits, executionTimeoutMs: 1, executionSliceMs: 1 },
    });
    try {
      const tenures = operations.find((o) => o.name === "ExplorerOfficesTenures")!;
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++)
        statuses.push(
          (await ask(servers.jit, { query: tenures.text, variables: { asOf: "2016" } })).status,
        );
      expect(statuses).toContain(503);
      expect(statuses.every((status) => status === 503 || status === 200)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(unheard).toEqual([]);
      expect(servers.jit.app.jitCounts!.compiled).toBeGreaterThan(0);
    } finally {
      process.off("unhandledRejection", listen);
      await closePair(servers);
    }
  }, 120_000);
});
