/**
 * Fuzzing: thousands of random queries, valid against the schema as the server introspects it,
 * with random arguments and variables (see tests/support/fuzz.ts). None may get a 5xx, an
 * unmasked or unexpected error, or a body that is not JSON, and the server must answer a normal
 * query at the end. (Whether the generator made a valid query is asked of graphql-js only when
 * the answer has a problem: an invalid one is counted and left out, never a failure.)
 *
 *   FUZZ_SEED=N    first seed (query i uses seed N + i; default 20260101)
 *   FUZZ_COUNT=N   number of queries (default 600: about 0.4-0.5 CPU-s per hundred, paid in
 *                  every `npm test`; a deep run asks for more, e.g. FUZZ_COUNT=10000)
 *   FUZZ_VERBOSE=1 print how the queries fared (status and error codes) and the commonest error
 *                  messages (quoted values and numbers blanked), to see what the generator gets wrong
 *
 * A failure prints the seed of the failing query, so `FUZZ_SEED=<seed> FUZZ_COUNT=1` replays it.
 */
import {
  buildClientSchema,
  getIntrospectionQuery,
  type IntrospectionQuery,
  parse,
  validate,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { listsCodeOf } from "../../src/schema/lists-code.js";
import { offsetToCursor } from "../../src/schema/pagination.js";
import { jsonVariables, type Pools, QueryGenerator } from "../support/fuzz.js";
import { envInt, outcomeOf } from "../support/fuzz-runs.js";
import { JSON_HEADERS, post, type RawResponse } from "../support/http.js";
import { postKeptAlive } from "../support/keep-alive.js";
import { startServer, type TestServer } from "../support/server.js";

const SEED = envInt("FUZZ_SEED", 20260101);
const COUNT = envInt("FUZZ_COUNT", 600);
const CONCURRENCY = 4;

/** Codes of errors a valid query may meet: refusals by a limit, bad argument values and cursors, unknown ids. */
const REFUSED_BEFORE_EXECUTION = new Set([
  "DEPTH_LIMIT_EXCEEDED",
  "ALIAS_LIMIT_EXCEEDED",
  "DIRECTIVE_LIMIT_EXCEEDED",
  "TOKEN_LIMIT_EXCEEDED",
  "COST_LIMIT_EXCEEDED",
]);
const FIELD_ERRORS = new Set(["BAD_USER_INPUT", "BAD_CURSOR", "NOT_FOUND"]);

let server: TestServer;
let graph: KnowledgeGraph;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
  server = await startServer(graph);
});
afterAll(() => server.close());

/** POSTs a query on a kept-alive connection (node:http: a fraction of fetch()'s CPU per request). */
async function postQuery(query: string, variables: Record<string, unknown>): Promise<RawResponse> {
  const response = await postKeptAlive(
    server.graphql,
    JSON_HEADERS,
    JSON.stringify({ query, variables }),
  );
  let json: unknown;
  try {
    json = JSON.parse(response.text);
  } catch {
    json = undefined;
  }
  return {
    status: response.status,
    headers: new Headers(response.headers),
    text: response.text,
    json,
  };
}

/** What is wrong with a response to a valid query, or undefined when nothing is. */
function problemWith(response: RawResponse): string | undefined {
  if (response.status >= 500) return `status ${response.status}`;
  if (response.json === undefined || typeof response.json !== "object")
    return "the body is not a JSON object";
  if (/\bat \S+ \(|node_modules|\/src\/|\.ts:\d+/.test(response.text))
    return "a stack trace or server path in the body";
  const errors: { message: string; extensions?: { code?: string } }[] = response.json.errors ?? [];
  for (const error of errors) {
    const code = error.extensions?.code;
    if (error.message === "Unexpected error." || code === "INTERNAL_SERVER_ERROR")
      return `an unexpected (masked) error: ${JSON.stringify(error)}`;
    if (response.status === 400) {
      // before execution: a limit, or variables that do not fit their declared types
      if (!(code && REFUSED_BEFORE_EXECUTION.has(code)) && !error.message.startsWith('Variable "$'))
        return `an unexpected 400: ${JSON.stringify(error)}`;
    } else if (response.status === 200) {
      if (!(code && FIELD_ERRORS.has(code)))
        return `an error without an expected code: ${JSON.stringify(error)}`;
    } else {
      return `status ${response.status}`;
    }
  }
  if (response.status === 200 && !("data" in response.json)) return "status 200 without data";
  return undefined;
}

describe(`fuzzing with ${COUNT} random valid queries from seed ${SEED}`, () => {
  it(
    "gets no 5xx, no unmasked or unexpected error and no non-JSON answer, and the server keeps answering",
    async () => {
      const introspection = await post(server, getIntrospectionQuery());
      const schema = buildClientSchema(introspection.json.data as IntrospectionQuery);

      const keys = Object.values(graph.keys).flat();
      const ids = (
        await post(
          server,
          "{ a: persons(first: 100) { nodes { id } } b: events(first: 100) { nodes { id } } c: offices(first: 100) { nodes { id } } d: priorities(first: 100) { nodes { id } } }",
        )
      ).json.data;
      const pools: Pools = {
        keys,
        ids: Object.values(ids as Record<string, { nodes: { id: string }[] }>).flatMap((c) =>
          c.nodes.map((n) => n.id),
        ),
        names: keys.map((k) => k.slice(k.indexOf("/") + 1).replaceAll("-", " ")),
        // cursors of two root lists without arguments: valid where the generator puts them there, refused elsewhere
        cursors: [0, 1, 2, 5, 18, 19, 20, 99, 100, 5000].flatMap((n) => [
          offsetToCursor(n, {
            field: "Query.persons",
            version: `${graph.contentHash}:${listsCodeOf()}`,
          }),
          offsetToCursor(n, {
            field: "Query.events",
            version: `${graph.contentHash}:${listsCodeOf()}`,
          }),
        ]),
      };

      const outcomes = new Map<string, number>();
      const messages = new Map<string, number>();
      let invalid = 0;
      let next = 0;
      const failures: string[] = [];
      const worker = async () => {
        while (next < COUNT && failures.length === 0) {
          const seed = SEED + next++;
          const { query, variables } = new QueryGenerator(schema, pools, seed).generate();
          const response = await postQuery(query, jsonVariables(variables));
          const problem = problemWith(response);
          // a query the generator got wrong proves nothing: graphql-js's validation tells, asked
          // only of the answers with a problem (it cost as much as sending the query)
          if (problem && validate(schema, parse(query)).length > 0) {
            invalid++;
            continue;
          }
          if (problem) {
            failures.push(
              `FUZZ_SEED=${seed} FUZZ_COUNT=1 reproduces: ${problem}\nquery: ${query}\nvariables: ${JSON.stringify(jsonVariables(variables))}\nresponse: ${response.status} ${response.text.slice(0, 1000)}`,
            );
          }
          const outcome = outcomeOf(response);
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          for (const error of (response.json?.errors ?? []) as { message: string }[]) {
            const shape = error.message
              .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
              .replace(/\d+/g, "N")
              .slice(0, 160);
            messages.set(shape, (messages.get(shape) ?? 0) + 1);
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));

      expect(failures, failures[0]).toEqual([]);
      // the generator must mostly produce valid queries, or the run proves little
      expect(invalid).toBeLessThan(COUNT * 0.2);
      // and a fair share of them must really execute
      expect(outcomes.get("200") ?? 0).toBeGreaterThan(COUNT * 0.3);
      const after = await post(server, "{ states { totalCount } }");
      expect(after.json).toEqual({ data: { states: { totalCount: 6 } } });
      if (process.env.FUZZ_VERBOSE) {
        console.log(
          `seed ${SEED}, ${COUNT} queries, ${invalid} invalid skipped:`,
          Object.fromEntries(outcomes),
        );
        console.log(
          "commonest error messages:",
          [...messages].sort((a, b) => b[1] - a[1]).slice(0, 15),
        );
      }
    },
    // a bound for a run that hangs, not a measure: a loaded machine takes several times a quiet one's
    120_000 + COUNT * 100,
  );
});
