/**
 * The bytes a request's errors may take (error-bytes.ts): at most KZ_OSCE_MAX_ERROR_BYTES, or ten
 * times the request's own bytes when more. The error limits bound errors' number, not their size:
 * red team 38 had a batch of ten documents of fields that conflict (27 KB) answered with 1.9 MB,
 * and a batch of malformed ids with 49 times its bytes. Each case is checked against a server
 * whose budget is out of reach (`whole`): what is kept is the same errors, in the same order.
 */
import { GraphQLError } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { processAnswer } from "../../src/server/answers.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import {
  ERROR_BYTES_PER_REQUEST_BYTE,
  errorBytesBudget,
  FIRSTS_PAST_BUDGET,
  withErrorBytesCut,
} from "../../src/server/error-bytes.js";
import { JSON_HEADERS, send } from "../support/http.js";
import { rawConnection } from "../support/raw-connection.js";
import { startServer, type TestServer } from "../support/server.js";

interface AnswerJson {
  data?: { nodes?: unknown[] } | null;
  errors: { message: string; path?: unknown[]; extensions: Record<string, unknown> }[];
}

const FLOOR = DEFAULT_CONFIG.limits.maxErrorBytes;
/** One `nodes(ids:)` over `n` malformed ids, as a POST body: `n` errors of about 280 bytes. */
const nodesOf = (n: number) =>
  JSON.stringify({
    query: "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
    variables: { ids: Array.from({ length: n }, (_, i) => `x${i}`) },
  });
/**
 * Fifteen copies of a chain of fields, alike but for the innermost argument: graphql-js's
 * OverlappingFieldsCanBeMerged reports each two, naming every level, with two locations a level.
 */
const CONFLICTS = `{ ${Array.from(
  { length: 15 },
  (_, k) =>
    `persons { nodes { ${"tenures { nodes { post { ".repeat(3)}tenures(first: ${k + 1}) { totalCount } ${"} } } ".repeat(3)}} }`,
).join(" ")} }`;

/** graphql-js's last error when it stops validating at its limit of 100. */
const VALIDATION_STOPPED = "Too many validation errors, error limit reached. Validation aborted.";

/** The UTF-8 bytes of `value`'s JSON. */
const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

let graph: KnowledgeGraph;
/** The default budget. */
let server: TestServer;
/** A budget no answer here reaches: every error answered, as before the limit. */
let whole: TestServer;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
  [server, whole] = await Promise.all([
    startServer(graph),
    startServer(graph, { limits: { ...DEFAULT_CONFIG.limits, maxErrorBytes: 500_000_000 } }),
  ]);
});
afterAll(() => Promise.all([server.close(), whole.close()]));

/**
 * `answer`'s errors as those of `control`, cut: the first `kept` of them, then one
 * TOO_MANY_ERRORS for the rest, saying `budget`. Returns how many were kept.
 */
function expectCutOf(answer: AnswerJson, control: AnswerJson, budget: number): number {
  const last = answer.errors.at(-1)!;
  expect(last.extensions).toMatchObject({ code: "TOO_MANY_ERRORS", limitBytes: budget });
  const kept = answer.errors.length - 1;
  expect(kept).toBeGreaterThanOrEqual(1);
  expect(answer.errors.slice(0, kept)).toEqual(control.errors.slice(0, kept));
  // graphql-js's notice that it stopped at 100 is not counted, and is said otherwise (review 40 f5)
  const stopped = control.errors.at(-1)!.message === VALIDATION_STOPPED ? 1 : 0;
  expect(last.extensions.omitted).toBe(control.errors.length - kept - stopped);
  expect(last.message).toBe(
    `${control.errors.length - kept - stopped} more errors left out${stopped ? ", and graphql-js stopped looking at its limit of 100, so there may be more" : ""}: the errors of a request's answers take at most ${budget} bytes beside the first error of each field (up to 30 an operation) and these notices (the error size limit: KZ_OSCE_MAX_ERROR_BYTES, or ${ERROR_BYTES_PER_REQUEST_BYTE} times the request's bytes when more). ` +
      "Mend what the errors above say (each field's first error is kept before a second of any) and ask again.",
  );
  return kept;
}

describe("the errors of a request's answers, by their bytes", () => {
  it("cut a document's validation errors past the budget, the same first ones kept", async () => {
    const body = JSON.stringify({ query: CONFLICTS });
    const [cut, control] = await Promise.all([
      send(server, { headers: JSON_HEADERS, body }),
      send(whole, { headers: JSON_HEADERS, body }),
    ]);
    const full = control.json as AnswerJson;
    // 105 conflicts: graphql-js stops at 100 and says so
    expect(full.errors.length).toBe(101);
    expect(full.errors.at(-1)!.message).toBe(VALIDATION_STOPPED);
    // 94 KB of errors from under 3 KB
    expect(bytesOf(full.errors)).toBeGreaterThan(2 * FLOOR);
    const budget = errorBytesBudget(Buffer.byteLength(body) + "/graphql".length, FLOOR);
    expect(budget).toBe(FLOOR);
    const answer = cut.json as AnswerJson;
    const kept = expectCutOf(answer, full, budget);
    // within the budget, but for the one that says so
    expect(bytesOf(answer.errors.slice(0, kept))).toBeLessThanOrEqual(budget);
    expect(bytesOf(answer.errors.slice(0, kept + 1))).toBeGreaterThan(budget - 2000);
    expect(cut.status).toBe(control.status);
    expect(cut.text.length).toBeLessThan(budget + 1000);
  });

  it("share one budget between a batch's operations: each keeps at least its first, and its data", async () => {
    const body = `[${Array.from({ length: 10 }, () => nodesOf(100)).join(",")}]`;
    const [cut, control] = await Promise.all([
      send(server, { headers: JSON_HEADERS, body }),
      send(whole, { headers: JSON_HEADERS, body }),
    ]);
    const budget = errorBytesBudget(Buffer.byteLength(body) + "/graphql".length, FLOOR);
    // ten times the body, past the floor
    expect(budget).toBeGreaterThan(FLOOR);
    const answers = cut.json as AnswerJson[];
    const full = control.json as AnswerJson[];
    expect(answers).toHaveLength(10);
    // the first ones whole, as each alone would be
    expect(answers[0]).toEqual(full[0]);
    let spent = 0;
    let cutOnes = 0;
    answers.forEach((answer, i) => {
      expect(answer.data?.nodes).toEqual(Array(100).fill(null));
      if (answer.errors.length === 100) {
        expect(answer.errors).toEqual(full[i]!.errors);
        spent += bytesOf(answer.errors);
        return;
      }
      cutOnes++;
      const kept = expectCutOf(answer, full[i]!, budget);
      spent += bytesOf(answer.errors.slice(0, kept));
    });
    // past the budget, only each cut operation's first error, and a few bytes of brackets
    expect(cutOnes).toBeGreaterThan(5);
    expect(spent).toBeLessThanOrEqual(budget + cutOnes * 400);
    // 282 KB answered from 6 KB, against 76 KB
    expect(bytesOf(full)).toBeGreaterThan(3 * bytesOf(answers));
  });

  it("keep each field's first error in every operation of a batch, the budget spent by the first (red team 54, F3)", async () => {
    // three aliases of 60 bad ids and one unknown office, five times: the last operations kept
    // their first error alone, and the other fields' nulls came with none
    const operation = JSON.stringify({
      query: `query($ids: [ID!]!) { a0: nodes(ids: $ids) { id } a1: nodes(ids: $ids) { id } a2: nodes(ids: $ids) { id } o: office(key: "nope") { key } }`,
      variables: { ids: Array.from({ length: 60 }, (_, i) => `bad-${i}`) },
    });
    const body = `[${Array(5).fill(operation).join(",")}]`;
    const answers = (await send(server, { headers: JSON_HEADERS, body })).json as AnswerJson[];
    expect(answers).toHaveLength(5);
    const last = answers.at(-1)!;
    // the budget is spent before the last
    expect(last.errors.at(-1)!.extensions).toMatchObject({ code: "TOO_MANY_ERRORS" });
    for (const answer of answers) {
      const fields = new Set(
        answer.errors.flatMap((error) => (error.path ? [String(error.path[0])] : [])),
      );
      expect(fields).toEqual(new Set(["a0", "a1", "a2", "o"]));
    }
  });

  it("count what the error limit left out, in one TOO_MANY_ERRORS", async () => {
    const strict = await startServer(graph, {
      limits: { ...DEFAULT_CONFIG.limits, maxErrors: 50, maxErrorBytes: 1024 },
    });
    try {
      const body = nodesOf(100);
      const answer = (await send(strict, { headers: JSON_HEADERS, body })).json as AnswerJson;
      const budget = errorBytesBudget(Buffer.byteLength(body) + "/graphql".length, 1024);
      const tooMany = answer.errors.filter((e) => e.extensions.code === "TOO_MANY_ERRORS");
      expect(tooMany).toHaveLength(1);
      const kept = answer.errors.length - 1;
      expect(kept).toBeLessThan(50);
      expect(tooMany[0]!.extensions).toEqual({
        code: "TOO_MANY_ERRORS",
        limitBytes: budget,
        omitted: 100 - kept,
      });
      expect(answer.errors.slice(0, kept).map((e) => e.path)).toEqual(
        Array.from({ length: kept }, (_, i) => ["nodes", i]),
      );

      // a GET's budget is its URL's: as long as the body's was, the same cut
      const params = new URLSearchParams(JSON.parse(body) as Record<string, string>);
      params.set("variables", JSON.stringify(JSON.parse(body).variables));
      const path = `/graphql?${params}`;
      const get = (await send(strict, { path, headers: { accept: JSON_HEADERS.accept } }))
        .json as AnswerJson;
      expect(get.errors.at(-1)!.extensions).toEqual({
        code: "TOO_MANY_ERRORS",
        limitBytes: errorBytesBudget(path.length, 1024),
        omitted: 100 - (get.errors.length - 1),
      });
      expect(path.length * ERROR_BYTES_PER_REQUEST_BYTE).toBeGreaterThan(1024);
    } finally {
      await strict.close();
    }
  });

  it("count a GET's URL alone, whatever Content-Length it says it has", async () => {
    const path = `/graphql?query=${encodeURIComponent(CONFLICTS)}`;
    const lying = rawConnection(server);
    await lying.connected;
    // a GET's body is never read: the header is only what the client says
    lying.socket.write(
      `GET ${path} HTTP/1.1\r\nHost: test\r\nAccept: application/graphql-response+json\r\nContent-Length: 100000000\r\n\r\n`,
    );
    const answer = JSON.parse((await lying.answer(1)).body) as AnswerJson;
    lying.socket.destroy();
    expect(answer.errors.at(-1)!.extensions).toMatchObject({
      code: "TOO_MANY_ERRORS",
      limitBytes: errorBytesBudget(path.length, FLOOR),
    });
  });

  it("are cut in an event stream as in JSON", async () => {
    const body = JSON.stringify({ query: CONFLICTS });
    const response = await send(server, {
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body,
    });
    const data = response.text
      .split("\n")
      .filter((line) => line.startsWith("data: {"))
      .map((line) => JSON.parse(line.slice("data: ".length)) as AnswerJson);
    expect(data).toHaveLength(1);
    expect(data[0]!.errors.at(-1)!.extensions).toMatchObject({
      code: "TOO_MANY_ERRORS",
      limitBytes: FLOOR,
    });
    expect(response.text.length).toBeLessThan(FLOOR + 1000);
  });
});

describe("withErrorBytesCut", () => {
  const errors = Array.from(
    { length: 10 },
    (_, i) => new GraphQLError(`error ${i} ${"x".repeat(90)}`),
  );

  it("gives back the same answers when their errors are within the budget", () => {
    const one = { data: null, errors };
    expect(withErrorBytesCut(one, 10_000)).toBe(one);
    const batch = [one, { data: { a: 1 } }];
    expect(withErrorBytesCut(batch, 10_000)).toBe(batch);
  });

  it("keeps an operation's first error, however long, and errors that are not GraphQLErrors", () => {
    const long = { errors: [new GraphQLError("y".repeat(5000)), ...errors] };
    const cut = withErrorBytesCut(long, 1024);
    expect(cut.errors).toHaveLength(2);
    expect(cut.errors[0]).toBe(long.errors[0]);
    expect((cut.errors[1] as GraphQLError).extensions).toEqual({
      code: "TOO_MANY_ERRORS",
      limitBytes: 1024,
      omitted: 10,
    });
    const plain = { errors: [{ message: "a" }, { message: "b".repeat(2000) }] };
    const cutPlain = withErrorBytesCut(plain, 1024);
    expect(cutPlain.errors[0]).toBe(plain.errors[0]);
    expect((cutPlain.errors[1] as GraphQLError).extensions).toMatchObject({ omitted: 1 });
  });

  it("keeps the status and headers the errors left out said (a 503 and its Retry-After)", async () => {
    const unreadable = new GraphQLError("The dataset could not be read.", {
      extensions: {
        code: "SNAPSHOT_UNREADABLE",
        http: { status: 503, headers: { "retry-after": "5" } },
      },
    });
    const answer = { data: { a: null }, errors: [...errors, unreadable] };
    const cut = withErrorBytesCut(answer, 1024);
    // nine errors kept and one that says so: the tenth and the 503 left out
    expect(cut.errors.length).toBe(10);
    for (const type of ["application/json", "application/graphql-response+json"]) {
      const response = (await processAnswer(cut as never, { Response } as never, type)) as Response;
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      // said by the status alone, as the error would have been
      const said = ((await response.json()) as AnswerJson).errors.at(-1)!;
      expect(said.extensions).toEqual({ code: "TOO_MANY_ERRORS", limitBytes: 1024, omitted: 2 });
    }
  });

  it("counts the bytes of each TOO_MANY_ERRORS it adds in the budget", () => {
    // each of `errors` takes 112 bytes and a comma: thirteen fit with 60 bytes to spare, which
    // the second answer's two short errors would take, but for the first answer's TOO_MANY_ERRORS
    const budget = 13 * 113 + 60;
    const first = { errors: [...errors, ...errors] };
    const second = { errors: [new GraphQLError("a"), new GraphQLError("b")] };
    const [one, two] = withErrorBytesCut([first, second], budget);
    expect(one!.errors).toHaveLength(14);
    expect(two!.errors).toHaveLength(2);
    expect(two!.errors[0]).toBe(second.errors[0]);
    expect((two!.errors[1] as GraphQLError).extensions).toMatchObject({
      code: "TOO_MANY_ERRORS",
      omitted: 1,
    });
  });

  it("keeps a field's first error before a second of another's, in the order they came (red team 53, F2)", () => {
    // ten errors of one list's items, then the only one of another field: room for five
    const items = Array.from(
      { length: 10 },
      (_, i) => new GraphQLError(`item ${i} ${"x".repeat(90)}`, { path: ["a", i] }),
    );
    const other = new GraphQLError(`other ${"x".repeat(90)}`, { path: ["b"] });
    const cut = withErrorBytesCut({ data: {}, errors: [...items, other] }, 5 * 113);
    expect(cut.errors.slice(0, -1)).toEqual([...items.slice(0, 3), other]);
    expect((cut.errors.at(-1) as GraphQLError).extensions).toMatchObject({ omitted: 7 });
  });

  it("keeps at most 30 fields' first errors past the budget (review 54: fragments repeat fields without bytes)", () => {
    const many = Array.from(
      { length: 50 },
      (_, i) => new GraphQLError(`field ${i} ${"x".repeat(90)}`, { path: [`a${i}`] }),
    );
    // a budget no error fits: every one kept is past it
    const cut = withErrorBytesCut({ data: {}, errors: many }, 100);
    expect(cut.errors).toHaveLength(FIRSTS_PAST_BUDGET + 1);
    expect(cut.errors.slice(0, -1)).toEqual(many.slice(0, FIRSTS_PAST_BUDGET));
    expect((cut.errors.at(-1) as GraphQLError).extensions).toMatchObject({
      omitted: 50 - FIRSTS_PAST_BUDGET,
    });
  });

  it("cuts by UTF-8 bytes, not characters", () => {
    // 300 characters of 3 bytes each: 900 bytes an error, 300 characters
    const wide = { errors: Array.from({ length: 4 }, () => new GraphQLError("語".repeat(300))) };
    const cut = withErrorBytesCut(wide, 2000);
    expect(cut.errors).toHaveLength(3);
    expect((cut.errors[2] as GraphQLError).extensions.omitted).toBe(2);
  });
});
