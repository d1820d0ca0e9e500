/**
 * Fuzzing with hostile variables (tests/support/hostile-variables.ts): small valid documents
 * whose variables are huge or deeply nested filters, long lists, huge or odd strings and values
 * of the wrong type. None may get a 5xx, an unexpected (masked) error, a stack trace or a body
 * that is not JSON. How long each took is printed with FUZZ_VERBOSE, and only bounded when
 * FUZZ_TIME_BOUND_MS is set: a wall-clock bound fails on a busy machine, not on slow code (the
 * execution deadline has its own clock-free tests: tests/server/limits.test.ts, deadline.test.ts).
 *
 *   FUZZ_SEED=N    first seed (request i uses seed N + i; default 20261101)
 *   FUZZ_COUNT=N   number of requests (default 100, paid in every `npm test`; a deep run asks for
 *                  more, e.g. FUZZ_COUNT=2000)
 *   FUZZ_VERBOSE=1 print how the requests fared, and the slowest of them
 *   FUZZ_CONCURRENCY=N, FUZZ_KEEP_ALIVE=1, FUZZ_TIME_BOUND_MS=N: see below
 *
 * A failure prints the seed of the failing request, so `FUZZ_SEED=<seed> FUZZ_COUNT=1` replays it.
 */

import { Agent, request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { envInt, outcomeOf } from "../support/fuzz-runs.js";
import { HostileGenerator, type Keys } from "../support/hostile-variables.js";
import { JSON_HEADERS, post, type RawResponse } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

const SEED = envInt("FUZZ_SEED", 20261101);
const COUNT = envInt("FUZZ_COUNT", 100);
/**
 * Two at a time, each on a connection of its own (closed after the answer): the subject is what
 * variables do. On kept-alive connections (FUZZ_KEEP_ALIVE=1), a request now and then waits
 * seconds before the server sees it, or is reset (seeds 20261111 and 20261114 of the default
 * run): an HTTP-side problem, not yet explained, reported with issue 11.
 */
const CONCURRENCY = envInt("FUZZ_CONCURRENCY", 2);
const KEEP_ALIVE = process.env.FUZZ_KEEP_ALIVE === "1";

/** POST through node:http, on a fresh connection unless KEEP_ALIVE. */
function postOnce(url: string, body: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        agent: KEEP_ALIVE ? keepAliveAgent : false,
        headers: {
          ...JSON_HEADERS,
          "content-length": Buffer.byteLength(body),
          ...(KEEP_ALIVE ? {} : { connection: "close" }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: new Headers(), text, json });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
const keepAliveAgent = new Agent({ keepAlive: true });
/** Off unless set (see above): a bound for a run by hand on a quiet machine, not for the suite. */
const TIME_BOUND_MS = process.env.FUZZ_TIME_BOUND_MS ? envInt("FUZZ_TIME_BOUND_MS", 0) : Infinity;

let server: TestServer;
let graph: KnowledgeGraph;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
  server = await startServer(graph, { responseCache: false });
});
afterAll(() => server.close());

/** What is wrong with a response to a hostile request, or undefined when nothing is. */
function problemWith(response: RawResponse, ms: number): string | undefined {
  if (response.status >= 500) return `status ${response.status}`;
  if (ms > TIME_BOUND_MS)
    return `took ${Math.round(ms)} ms, more than FUZZ_TIME_BOUND_MS (${TIME_BOUND_MS} ms)`;
  if (response.json === undefined || typeof response.json !== "object")
    return "the body is not a JSON object";
  if (/\bat \S+ \(|node_modules|\/src\/|\.ts:\d+|RangeError|TypeError/.test(response.text))
    return "a stack trace, an internal error or a server path in the body";
  const errors: { message: string; extensions?: { code?: unknown } }[] = response.json.errors ?? [];
  if (response.status !== 200 && errors.length === 0)
    return `status ${response.status} without an error`;
  for (const error of errors) {
    const code = error.extensions?.code;
    if (error.message === "Unexpected error." || code === "INTERNAL_SERVER_ERROR")
      return `an unexpected (masked) error: ${JSON.stringify(error)}`;
    // every refusal says what it is: a code, or graphql-js's own variable errors (`Variable "$f" got
    // invalid value ...`, and the one that ends them after 50: "Too many errors processing variables")
    if (
      typeof code !== "string" &&
      !error.message.startsWith('Variable "$') &&
      !error.message.startsWith("Too many errors processing variables")
    )
      return `an error without a code: ${JSON.stringify(error).slice(0, 300)}`;
  }
  if (response.status === 200 && !("data" in response.json)) return "status 200 without data";
  return undefined;
}

describe(`fuzzing with ${COUNT} requests with hostile variables from seed ${SEED}`, () => {
  it(
    "gets no 5xx, no unexpected error, no leak, and the server keeps answering",
    async () => {
      const all = Object.values(graph.keys).flat();
      const keys: Keys = {
        person: graph.keys.person[0]!,
        state: graph.keys.state[0]!,
        dimension: graph.keys.dimension[0]!,
        all,
      };

      const outcomes = new Map<string, number>();
      const slowest: { ms: number; seed: number; label: string }[] = [];
      const failures: string[] = [];
      let next = 0;
      const worker = async () => {
        while (next < COUNT && failures.length === 0) {
          const seed = SEED + next++;
          const { label, query, variables } = new HostileGenerator(keys, seed).generate();
          const body = JSON.stringify({ query, variables });
          // bodies over the limit are refused before their variables are read (tests/server/limits.test.ts):
          // they would test nothing here
          if (Buffer.byteLength(body) > DEFAULT_CONFIG.maxBodyBytes) {
            outcomes.set(
              "over the body limit, not sent",
              (outcomes.get("over the body limit, not sent") ?? 0) + 1,
            );
            continue;
          }
          const started = performance.now();
          let response: RawResponse;
          try {
            response = await postOnce(server.graphql, body);
          } catch (error) {
            failures.push(
              `FUZZ_SEED=${seed} FUZZ_COUNT=1 reproduces: ${String(error)} (${String((error as Error).cause)})\nrequest: ${label}`,
            );
            continue;
          }
          const ms = performance.now() - started;
          const problem = problemWith(response, ms);
          if (problem) {
            failures.push(
              `FUZZ_SEED=${seed} FUZZ_COUNT=1 reproduces: ${problem}\nrequest: ${label}\nquery: ${query}\nvariables: ${JSON.stringify(variables).slice(0, 500)}\nresponse: ${response.status} ${response.text.slice(0, 1000)}`,
            );
          }
          const outcome = outcomeOf(response);
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          slowest.push({ ms, seed, label });
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));

      expect(failures, failures[0]).toEqual([]);
      // the requests must reach the server's every stage: some refused, some executed (asked of
      // a run, not of the replay of one seed, FUZZ_COUNT=1, whose one request is either)
      if (COUNT >= 50) {
        expect([...outcomes.keys()].some((o) => o.startsWith("200"))).toBe(true);
        expect([...outcomes.keys()].some((o) => o.startsWith("400"))).toBe(true);
      }
      const after = await post(server, "{ states { totalCount } }");
      expect(after.json).toEqual({ data: { states: { totalCount: graph.keys.state.length } } });
      if (process.env.FUZZ_VERBOSE) {
        console.log(`seed ${SEED}, ${COUNT} requests:`, Object.fromEntries(outcomes));
        console.log(
          "slowest:",
          slowest
            .sort((a, b) => b.ms - a.ms)
            .slice(0, 8)
            .map((s) => `${Math.round(s.ms)} ms FUZZ_SEED=${s.seed} ${s.label}`),
        );
      }
    },
    120_000 + COUNT * 200, // a bound for a run that hangs, not a measure
  );
});
