/**
 * The error limit (limits.ts `maxErrors`, `withErrorsCut`) and errors weighed by the answer size
 * limit (`oversizedAnswer`). Errors are made one per item: a batch of ten operations, each nine
 * aliases of `nodes(ids:)` over one variable of 1,000 malformed ids, was answered with 90,000
 * errors, 25 MB the size limit did not weigh (it weighed `data` only), made in one go: the event
 * loop was held 0.6-1.6 s (the third red team). Now each operation answers its first errors and
 * one TOO_MANY_ERRORS saying how many were left out, by POST (the direct pipeline), in a batch
 * and by GET (through Yoga); and errors count in the answer's size.
 */
import { GraphQLError } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { withErrorsCut } from "../../src/server/limits.js";
import { JSON_HEADERS, send } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

const IDS = Array.from({ length: 1000 }, (_, i) => `x${i}`);
/** Nine aliases of `nodes` over one variable of malformed ids: 9,000 errors. */
const MASS = `query Mass($ids: [ID!]!) { ${Array.from(
  { length: 9 },
  (_, i) => `a${i}: nodes(ids: $ids) { id }`,
).join(" ")} }`;
const MAX = DEFAULT_CONFIG.limits.maxErrors;
/** One `nodes(ids:)` over the first `n` malformed ids, as a POST body: `n` errors. */
const nodesOf = (n: number) =>
  JSON.stringify({
    query: "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
    variables: { ids: IDS.slice(0, n) },
  });

let graph: KnowledgeGraph;
let server: TestServer;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
  server = await startServer(graph);
});
afterAll(() => server.close());

/** What one operation's answer of MASS must be: every place null, the first errors, one more. */
function expectCut(answer: {
  data: Record<string, unknown[]>;
  errors: { message: string; path?: unknown[]; extensions: Record<string, unknown> }[];
}) {
  expect(Object.keys(answer.data)).toHaveLength(9);
  for (const list of Object.values(answer.data)) {
    expect(list).toHaveLength(1000);
    expect(list.every((item) => item === null)).toBe(true);
  }
  expect(answer.errors).toHaveLength(MAX + 1);
  // each alias's first error (red team 53, F2: the first alias's items took the whole limit, and
  // eight lists of nulls came with no error saying why), then the first alias's next ones, in the
  // document's order: a0's first 92 ids, then the first id of a1 to a8
  const paths = answer.errors.slice(0, MAX).map((error) => error.path);
  expect(paths).toEqual([
    ...Array.from({ length: MAX - 8 }, (_, i) => ["a0", i]),
    ...Array.from({ length: 8 }, (_, i) => [`a${i + 1}`, 0]),
  ]);
  expect(answer.errors[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
  const last = answer.errors[MAX]!;
  expect(last.extensions).toEqual({ code: "TOO_MANY_ERRORS", limit: MAX, omitted: 9000 - MAX });
  expect(last.message).toBe(
    `${9000 - MAX} more errors left out: an answer holds at most ${MAX} (the error limit). ` +
      "Mend what the errors above say (each field's first error is kept before a second of any) and ask again.",
  );
  expect(last.path).toBeUndefined();
}

describe("an answer of thousands of errors", () => {
  it("holds the first ones and one that says how many were left out, by POST (the direct path)", async () => {
    const response = await send(server, {
      headers: { ...JSON_HEADERS, accept: "application/graphql-response+json" },
      body: JSON.stringify({ query: MASS, variables: { ids: IDS } }),
    });
    // partial data: the status an answer with data gets, as before the cut
    expect(response.status).toBe(200);
    expectCut(response.json);
    // 9,000 nulls and 101 errors: 2.5 MB before
    expect(response.text.length).toBeLessThan(100_000);
  });

  it("makes no more of its items' errors than the limit keeps: the answer is the same", async () => {
    // every one of the 9,000 was made located (a GraphQLError each) before all but the first
    // 100 were cut; the items past the limit now answer null without one (errors.ts
    // ErrorBudget), and the cut counts them. Seen as each is made: GraphQLError's constructor
    // captures its stack, its path already set
    let made = 0;
    const capture = Error.captureStackTrace;
    Error.captureStackTrace = (target: object, ...rest: unknown[]) => {
      if (target instanceof GraphQLError && target.path !== undefined) made++;
      return (capture as (...args: unknown[]) => void)(target, ...rest);
    };
    let response: Awaited<ReturnType<typeof send>>;
    try {
      response = await send(server, {
        headers: JSON_HEADERS,
        body: JSON.stringify({ query: MASS, variables: { ids: IDS } }),
      });
    } finally {
      Error.captureStackTrace = capture;
    }
    expect(response.status).toBe(200);
    expectCut(response.json);
    // the limit's, and the first of each of the eight other aliases
    expect(made).toBe(MAX + 8);
  });

  it("makes no NOT_FOUND error past the limit for unknown ids, in the loader or its items; node(id:) still says which key", async () => {
    // well-formed ids of persons the graph does not hold: one batch of the persons' loader. It
    // made a NOT_FOUND error for each of the 1,000 keys before any item was answered, beside the
    // 100 located ones the items made within the budget (review 3): 1,100 made, 100 kept
    const unknown = Array.from({ length: 1000 }, (_, i) =>
      Buffer.from(`Person:person/nobody-${i}`).toString("base64"),
    );
    let made = 0;
    const capture = Error.captureStackTrace;
    Error.captureStackTrace = (target: object, ...rest: unknown[]) => {
      if (target instanceof GraphQLError && target.extensions.code === "NOT_FOUND") made++;
      return (capture as (...args: unknown[]) => void)(target, ...rest);
    };
    let response: Awaited<ReturnType<typeof send>>;
    try {
      response = await send(server, {
        headers: JSON_HEADERS,
        body: JSON.stringify({
          query: "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
          variables: { ids: unknown },
        }),
      });
    } finally {
      Error.captureStackTrace = capture;
    }
    expect(made).toBe(MAX);
    const { data, errors } = response.json;
    expect(data.nodes).toEqual(unknown.map(() => null));
    expect(errors).toHaveLength(MAX + 1);
    errors.slice(0, MAX).forEach((error: Record<string, unknown>, i: number) => {
      expect(error).toEqual({
        message: `No person has the key "person/nobody-${i}".`,
        locations: [{ line: 1, column: 23 }],
        path: ["nodes", i],
        extensions: { code: "NOT_FOUND" },
      });
    });
    expect(errors[MAX].extensions).toEqual({
      code: "TOO_MANY_ERRORS",
      limit: MAX,
      omitted: 1000 - MAX,
    });
    // one entity by its id, through the same loader: its NOT_FOUND error, not a masked one
    const one = await send(server, {
      headers: JSON_HEADERS,
      body: JSON.stringify({ query: `{ node(id: "${unknown[7]}") { id } }` }),
    });
    expect(one.json).toEqual({
      data: { node: null },
      errors: [
        {
          message: 'No person has the key "person/nobody-7".',
          locations: [{ line: 1, column: 3 }],
          path: ["node"],
          extensions: { code: "NOT_FOUND" },
        },
      ],
    });
  });

  it("is cut in each operation of a batch, and by GET (through Yoga)", async () => {
    const batch = await send(server, {
      headers: JSON_HEADERS,
      body: JSON.stringify(
        Array.from({ length: 10 }, () => ({ query: MASS, variables: { ids: IDS } })),
      ),
    });
    expect(batch.status).toBe(200);
    expect(batch.json).toHaveLength(10);
    for (const answer of batch.json) expectCut(answer);
    // ten operations of 9,000 errors: 25 MB before; ten cut answers now
    expect(batch.text.length).toBeLessThan(1_000_000);

    const get = await send(server, {
      path: `/graphql?${new URLSearchParams({ query: MASS, variables: JSON.stringify({ ids: IDS.slice(0, 200) }) })}`,
      headers: { accept: "application/json" },
    });
    expect(get.status).toBe(200);
    expect(get.json.errors).toHaveLength(MAX + 1);
    expect(get.json.errors[MAX].extensions).toEqual({
      code: "TOO_MANY_ERRORS",
      limit: MAX,
      omitted: 1800 - MAX,
    });
  });

  it("is left whole up to the limit, which KZ_OSCE_MAX_ERRORS sets", async () => {
    const few = await send(server, {
      headers: JSON_HEADERS,
      body: nodesOf(MAX),
    });
    expect(few.json.errors).toHaveLength(MAX);
    expect(
      few.json.errors.map((e: { extensions: { code: string } }) => e.extensions.code),
    ).not.toContain("TOO_MANY_ERRORS");
    const strict = await startServer(graph, { limits: { ...DEFAULT_CONFIG.limits, maxErrors: 3 } });
    try {
      const cut = await send(strict, {
        headers: JSON_HEADERS,
        body: nodesOf(5),
      });
      expect(cut.json.errors).toHaveLength(4);
      expect(cut.json.errors[3].extensions).toEqual({
        code: "TOO_MANY_ERRORS",
        limit: 3,
        omitted: 2,
      });
    } finally {
      await strict.close();
    }
  });
});

describe("withErrorsCut", () => {
  /** An error at `path`, of the field at `line`:`column` of the document. */
  const at = (path: (string | number)[], line: number, column: number, code = "NOT_FOUND") => {
    const error = new GraphQLError(`at ${path.join(".")}`, { path, extensions: { code } });
    // as graphql-js's locatedError gives them, from the field's node
    (error as { locations: unknown }).locations = [{ line, column }];
    return error;
  };

  it("keeps an error of each field before a second of any, whatever order they came in (red team 53, F2)", () => {
    // 150 items of one list failed first; then one error of another field, and one of a field
    // inside the list's items, each the only one saying why its field is null
    const items = Array.from({ length: 150 }, (_, i) => at(["a", i], 1, 3));
    const other = at(["b"], 2, 3, "BAD_USER_INPUT");
    const inner = at(["c", 4, "name"], 3, 9);
    const cut = withErrorsCut({ data: {}, errors: [...items, inner, other] }, 100);
    const paths = cut.errors!.map((error) => error.path?.join("."));
    // the document's order: a's first 98, then b, then c's
    expect(paths).toEqual([
      ...Array.from({ length: 98 }, (_, i) => `a.${i}`),
      "b",
      "c.4.name",
      undefined,
    ]);
    expect(cut.errors!.at(-1)!.extensions).toMatchObject({ omitted: 52 });
  });

  it("answers the errors it keeps in the document's order, list indexes as numbers, unlocated first", () => {
    const errors = [
      at(["a", 10], 1, 3),
      at(["b"], 1, 20),
      at(["a", 9], 1, 3),
      new GraphQLError("no place: a variable's"),
      at(["a", 2, "x", 11], 1, 3),
      at(["a", 2, "x", 3], 1, 3),
    ];
    // six of seven kept: the first of each field (a, b, the variable's, a.x), then the others as
    // they came (a.9, a.2.x.3); a.1.x.0, the last, is left out
    const last = at(["a", 1, "x", 0], 1, 3);
    const cut = withErrorsCut({ data: {}, errors: [...errors, last] }, 6);
    expect(cut.errors!.map((error) => error.path?.join(".") ?? error.message)).toEqual([
      "no place: a variable's",
      "a.2.x.3",
      "a.2.x.11",
      "a.9",
      "a.10",
      "b",
      expect.stringContaining("1 more error left out"),
    ]);
  });
});

describe("errors in the answer size limit", () => {
  it("are weighed with the data: an answer whose errors pass the limit is refused, on either path", async () => {
    // 100 errors of about 150 bytes each: past a limit of 8 KB, though the data is 2 KB
    const small = await startServer(graph, {
      limits: { ...DEFAULT_CONFIG.limits, maxResponseBytes: 8192 },
    });
    try {
      const body = nodesOf(100);
      const direct = await send(small, { headers: JSON_HEADERS, body });
      const batch = await send(small, { headers: JSON_HEADERS, body: `[${body}]` });
      for (const answer of [direct.json, batch.json[0]]) {
        expect(answer.data).toBeUndefined();
        expect(answer.errors).toHaveLength(1);
        expect(answer.errors[0].extensions).toEqual({ code: "RESPONSE_TOO_LARGE", limit: 8192 });
      }
      // the same ids, fewer: under the limit, answered with their errors
      const fewer = await send(small, {
        headers: JSON_HEADERS,
        body: nodesOf(10),
      });
      expect(fewer.json.errors).toHaveLength(10);
      expect(fewer.json.data.nodes).toHaveLength(10);
    } finally {
      await small.close();
    }
  });
});
