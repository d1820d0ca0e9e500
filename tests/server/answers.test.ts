/**
 * src/server/answers.ts answers results with errors as Yoga's own processor does: the same
 * status, headers and bytes, for every kind of error and every Accept header, here checked
 * against a Yoga without it over one schema whose fields fail in every way Yoga treats apart.
 * And what it is for: a flood of errors (ten operations of 1,000 malformed ids) is answered
 * without formatting a single stack trace, and the operations of a batch run in turns.
 */
import { GraphQLError } from "graphql";
import { createSchema, createYoga, type Plugin } from "graphql-yoga";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Deadline } from "../../src/graph/deadline.js";
import { writeInSlices } from "../../src/server/answer-json.js";
import { answersPlugin, regularMediaType } from "../../src/server/answers.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { requestPlugins } from "../../src/server/requests.js";
import { JSON_HEADERS, send } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";
import { countStacks } from "../support/stacks.js";
import { countTurns } from "../support/turns.js";

const fail = (error: Error) => () => {
  throw error;
};
/** An error whose toJSON gives extensions of its own (Yoga reads them from toJSON). */
class Serialized extends GraphQLError {
  override toJSON() {
    return { ...super.toJSON(), extensions: { code: "FROM_TO_JSON", http: { status: 422 } } };
  }
}
const inner = new GraphQLError("inner", { extensions: { code: "INNER", http: { status: 409 } } });
const schema = createSchema({
  typeDefs: /* GraphQL */ `
    type Query {
      ok: String
      coded: String
      http: String
      httpOnly: String
      spec: String
      unexpectedFlag: String
      plain: String
      wrapped: String
      wrappedHttpOnly: String
      wrappedPlain: String
      required: String!
      serialized: String
      list: [String]
      requiredItems: [String!]
    }
  `,
  resolvers: {
    Query: {
      ok: () => "fine",
      coded: fail(new GraphQLError("coded", { extensions: { code: "BAD_USER_INPUT", n: 1 } })),
      http: fail(
        new GraphQLError("teapot", {
          extensions: { code: "TEAPOT", http: { status: 418, headers: { "x-tea": "green" } } },
        }),
      ),
      httpOnly: fail(new GraphQLError("only http", { extensions: { http: { status: 401 } } })),
      spec: fail(
        new GraphQLError("spec", { extensions: { code: "S", http: { status: 400, spec: true } } }),
      ),
      unexpectedFlag: fail(
        new GraphQLError("flagged", { extensions: { code: "U", unexpected: true } }),
      ),
      plain: fail(new Error("a plain error, /srv/secret.ts:12")),
      wrapped: fail(new GraphQLError("outer", { originalError: inner })),
      wrappedHttpOnly: fail(
        new GraphQLError("outer http", {
          extensions: { http: { status: 403 } },
          originalError: inner,
        }),
      ),
      wrappedPlain: fail(new GraphQLError("outer plain", { originalError: new Error("under") })),
      required: fail(new GraphQLError("required", { extensions: { code: "R" } })),
      // located already (a path), so graphql-js answers it as it is rather than wrap it
      serialized: fail(
        new Serialized("serialized", { path: ["serialized"], extensions: { code: "OWN" } }),
      ),
      list: () => ["a", new GraphQLError("item", { extensions: { code: "I" } }), null],
      requiredItems: () => ["a", new Error("plain item")],
    },
  },
});

/** Sets `extensions` (with `http`) on the result of operations named WithExtensions. */
const resultExtensions: Plugin = {
  onExecute({ args }) {
    return {
      onExecuteDone({ result, setResult }) {
        if ((args.operationName as string | undefined) !== "WithExtensions") return;
        setResult({
          ...(result as object),
          extensions: { http: { status: 202, headers: { "x-ext": "1" } }, tracing: { ms: 1 } },
        } as never);
      },
    };
  },
};

/** Throws a plain Error before executing operations named Explode (Yoga: 500 when masked or not). */
const explode: Plugin = {
  onExecute({ args }) {
    if ((args.operationName as string | undefined) === "Explode")
      throw new Error("exploded before execution");
  },
};

const yogaOf = (plugins: Plugin[], maskedErrors: boolean) =>
  createYoga({
    schema,
    plugins: [resultExtensions, explode, ...plugins],
    maskedErrors,
    batching: { limit: 10 },
    logging: false,
    graphiql: false,
    landingPage: false,
  });

const FIELDS = [
  "ok",
  "coded",
  "http",
  "httpOnly",
  "spec",
  "unexpectedFlag",
  "plain",
  "wrapped",
  "wrappedHttpOnly",
  "wrappedPlain",
  "required",
  "serialized",
  "list",
  "requiredItems",
];
const DOCUMENTS: { query: string; operationName?: string; variables?: unknown }[] = [
  ...FIELDS.map((field) => ({ query: `{ ${field} }` })),
  { query: `{ ${FIELDS.filter((f) => f !== "required").join(" ")} }` },
  { query: `{ ok coded http spec }` },
  { query: `{ spec coded }` },
  { query: `{ required ok }` },
  { query: "query WithExtensions { ok }", operationName: "WithExtensions" },
  { query: "query WithExtensions { coded http }", operationName: "WithExtensions" },
  { query: "query Explode { ok }", operationName: "Explode" },
  { query: "{ nope }" },
  { query: "{ ok" },
  { query: "query ($n: Int!) { ok }", variables: { n: "x" } },
];
const ACCEPTS = [
  undefined,
  "application/json",
  "application/graphql-response+json",
  "application/graphql-response+json, application/json",
  "application/json, application/graphql-response+json",
  "application/json;q=0.9, application/graphql-response+json",
  "*/*",
  "application/*",
  "text/html, */*;q=0.8",
  "application/json; charset=utf-16, application/graphql-response+json",
  "APPLICATION/JSON",
  "text/event-stream, application/json",
  "text/html",
];

async function answer(
  yoga: ReturnType<typeof yogaOf>,
  body: unknown,
  accept: string | undefined,
): Promise<{ status: number; headers: [string, string][]; body: string }> {
  const response = await yoga.fetch("http://localhost/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", ...(accept && { accept }) },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: [...response.headers.entries()].sort(),
    body: await response.text(),
  };
}

describe("answers with errors", () => {
  for (const masked of [true, false]) {
    it(`are Yoga's, status, headers and bytes, for every kind of error and Accept header (maskedErrors ${masked})`, async () => {
      const yoga = yogaOf([], masked);
      const ours = yogaOf([answersPlugin()], masked);
      const bodies: unknown[] = [
        ...DOCUMENTS,
        DOCUMENTS.slice(0, 4),
        [DOCUMENTS[0], DOCUMENTS.at(-1), DOCUMENTS[6]],
        [DOCUMENTS[0]],
      ];
      let compared = 0;
      let withErrors = 0;
      const statuses = new Set<number>();
      for (const body of bodies) {
        for (const accept of ACCEPTS) {
          const expected = await answer(yoga, body, accept);
          expect(await answer(ours, body, accept), `${JSON.stringify(body)} ${accept}`).toEqual(
            expected,
          );
          compared++;
          if (expected.body.includes('"errors"')) withErrors++;
          statuses.add(expected.status);
        }
      }
      // the corpus reaches what it is meant to: errors of every status Yoga gives
      expect(compared).toBe(bodies.length * ACCEPTS.length);
      expect(withErrors).toBeGreaterThan(compared / 2);
      expect([...statuses].sort()).toEqual([200, 202, 400, 401, 403, 406, 409, 418, 500]);
    });
  }

  it("of a request that is not well-formed (no query, parameters that are no object) are 400 in application/json too, where Yoga answers 200", async () => {
    for (const body of [{}, { variables: {} }, [{}]]) {
      for (const accept of ["application/json", "application/graphql-response+json", undefined]) {
        const theirs = await answer(yogaOf([], true), body, accept);
        const ours = await answer(yogaOf([answersPlugin()], true), body, accept);
        // the same bytes, Yoga's message and code, and the status of a batch (200) alike
        expect(ours.body, `${JSON.stringify(body)} ${accept}`).toBe(theirs.body);
        expect(ours.body).toContain('"code":"BAD_REQUEST"');
        expect(ours.status).toBe(Array.isArray(body) ? 200 : 400);
        if (accept === "application/json" && !Array.isArray(body)) expect(theirs.status).toBe(200);
      }
    }
  });

  it("are made by answers.ts itself, not by Yoga's processor, where there is an error", async () => {
    // Yoga's processor rebuilds each error (a GraphQLError made per error, twice): count them
    const ours = yogaOf([answersPlugin()], true);
    const yoga = yogaOf([], true);
    const made = async (y: ReturnType<typeof yogaOf>) => {
      let count = 0;
      const original = Error.captureStackTrace;
      Error.captureStackTrace = (target: object, ...rest: unknown[]) => {
        if (target instanceof GraphQLError) count++;
        return (original as (...args: unknown[]) => void)(target, ...rest);
      };
      try {
        await answer(y, { query: "{ list coded }" }, "application/json");
      } finally {
        Error.captureStackTrace = original;
      }
      return count;
    };
    const byYoga = await made(yoga);
    const byOurs = await made(ours);
    expect(byYoga).toBeGreaterThan(byOurs);
    expect(byYoga - byOurs).toBeGreaterThanOrEqual(2);
  });

  it("choose Yoga's media type for every Accept header", () => {
    const chosen = (accept?: string) =>
      regularMediaType(new Request("http://localhost/", accept ? { headers: { accept } } : {}));
    expect(chosen()).toBe("application/json");
    expect(chosen("*/*")).toBe("application/json");
    expect(chosen("application/graphql-response+json")).toBe("application/graphql-response+json");
    expect(chosen("application/graphql-response+json, application/json")).toBe(
      "application/graphql-response+json",
    );
    expect(chosen("application/json, application/graphql-response+json")).toBe("application/json");
    expect(chosen("text/html")).toBeUndefined();
    expect(chosen("application/json; charset=latin1")).toBeUndefined();
  });
});

describe("long answers", () => {
  /** Marks every executed result long, as limits.ts marks one past SLICED_ANSWER_BYTES. */
  let marked = 0;
  const markLong: Plugin = {
    onExecute() {
      return {
        onExecuteDone({ result }) {
          const data = (result as { data?: object | null }).data;
          if (data == null) return;
          writeInSlices(data, new Deadline(60_000));
          marked++;
        },
      };
    },
  };
  // an event stream's `Content-Encoding: none` is dropped by answersPlugin, whatever the answer
  // (Yoga's fetch API then gives the other names in lower case, as Headers name them)
  const withoutNone = (headers: [string, string][]) =>
    headers
      .map(([name, value]) => [name.toLowerCase(), value])
      .filter(([name, value]) => !(name === "content-encoding" && value === "none"));

  it("are Yoga's, status, headers and bytes, through each of its processors (regular, event stream, multipart)", async () => {
    const yoga = yogaOf([], true);
    const ours = yogaOf([markLong, answersPlugin()], true);
    const bodies: unknown[] = [
      ...DOCUMENTS,
      [DOCUMENTS[0], DOCUMENTS[1]],
      [DOCUMENTS[0], DOCUMENTS.at(-1), DOCUMENTS[6]],
    ];
    const accepts = [
      undefined,
      "application/json",
      "application/graphql-response+json",
      "text/event-stream",
      "multipart/mixed",
      "multipart/mixed, text/event-stream",
    ];
    let compared = 0;
    for (const body of bodies)
      for (const accept of accepts) {
        const expected = await answer(yoga, body, accept);
        const got = await answer(ours, body, accept);
        expect(
          { ...got, headers: withoutNone(got.headers) },
          `${JSON.stringify(body)} ${accept}`,
        ).toEqual({ ...expected, headers: withoutNone(expected.headers) });
        compared++;
      }
    expect(compared).toBe(bodies.length * accepts.length);
    // most of them executed, and so written as long ones
    expect(marked).toBeGreaterThan(compared / 2);
  });
});

describe("the operations of a batch", () => {
  it("are all answered when some are refused before they run (Yoga's parameter check), whatever their place", async () => {
    const yoga = createYoga({
      schema: createSchema({
        typeDefs: "type Query { ok: Int! }",
        resolvers: { Query: { ok: () => 1 } },
      }),
      plugins: requestPlugins(),
      batching: { limit: 10 },
      logging: false,
    });
    const ok = { query: "{ ok }" };
    // an unknown key, no query, a query that is not a string, variables that are not an object:
    // each refused by a hook after the pacing's, so that nothing ran it; an operation linked to
    // its end waited for ever, and the whole batch with it
    const refused = [{ ...ok, foo: 1 }, {}, { query: 5 }, { ...ok, variables: "x" }];
    for (const bad of refused) {
      for (const items of [
        [bad, ok],
        [ok, bad, ok],
        [bad, bad, ok],
      ]) {
        const response = await yoga.fetch("http://localhost/graphql", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(items),
        });
        expect(response.status).toBe(200);
        const answers = (await response.json()) as { data?: unknown; errors?: unknown[] }[];
        expect(
          answers.map((answer) => (answer.errors ? "refused" : answer.data)),
          JSON.stringify(items),
        ).toEqual(items.map((item) => (item === ok ? { ok: 1 } : "refused")));
      }
    }
  }, 20_000); // a hang fails here, not at the suite's timeout

  it("run one after the other, a turn of the event loop between two", async () => {
    const ticker = countTurns();
    const yoga = createYoga({
      schema: createSchema({
        typeDefs: "type Query { turn: Int! }",
        resolvers: { Query: { turn: () => ticker.turns } },
      }),
      plugins: requestPlugins(),
      batching: { limit: 10 },
      logging: false,
    });
    try {
      const response = await yoga.fetch("http://localhost/graphql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(Array.from({ length: 5 }, () => ({ query: "{ turn }" }))),
      });
      const turns = ((await response.json()) as { data: { turn: number } }[]).map(
        (item) => item.data.turn,
      );
      // without the pacing, Yoga ran the five in the same turn: five equal numbers
      for (let i = 1; i < turns.length; i++) expect(turns[i]).toBeGreaterThan(turns[i - 1]!);
    } finally {
      ticker.stop();
    }
  });
});

describe("a flood of errors", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it("captures and formats no stack trace: ten operations of 1,000 malformed or unknown ids each", async () => {
    const unknown = (i: number) => Buffer.from(`Person:person/nobody-${i}`).toString("base64");
    const batch = Array.from({ length: 10 }, (_, j) => ({
      query: "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }",
      variables: {
        ids: Array.from({ length: j % 2 ? 300 : 1000 }, (_, i) => (j % 2 ? unknown(i) : `x${i}`)),
      },
    }));
    const {
      result: response,
      captured,
      formatted,
    } = await countStacks(() =>
      send(server, { headers: JSON_HEADERS, body: JSON.stringify(batch) }),
    );
    expect(response.status).toBe(200);
    const items = response.json as {
      data: { nodes: null[] };
      errors: { message: string; path: (string | number)[]; extensions: { code: string } }[];
    }[];
    expect(items).toHaveLength(10);
    // each answers its first 100 errors (the error limit) and one saying how many more there were
    const kept = DEFAULT_CONFIG.limits.maxErrors;
    items.forEach((item, j) => {
      const n = j % 2 ? 300 : 1000;
      expect(item.data.nodes).toEqual(Array(n).fill(null));
      expect(item.errors).toHaveLength(kept + 1);
      expect(item.errors.slice(0, kept).map((e) => e.path)).toEqual(
        Array.from({ length: kept }, (_, i) => ["nodes", i]),
      );
      expect(new Set(item.errors.slice(0, kept).map((e) => e.extensions.code))).toEqual(
        new Set([j % 2 ? "NOT_FOUND" : "BAD_USER_INPUT"]),
      );
      expect(item.errors[kept]!.extensions).toEqual({
        code: "TOO_MANY_ERRORS",
        limit: kept,
        omitted: n - kept,
      });
    });
    expect(items[0]!.errors[7]!.message).toMatch(/^"x7" is not a global id of this API: /);
    // before answers.ts and errors.ts: 13,000 captures and 26,000 formats (through source maps
    // under tsx) for these 6,500 errors, held the event loop for about a second
    expect({ captured, formatted }).toEqual({ captured: 0, formatted: 0 });
  });
});

describe("an event stream's headers", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it("say no `Content-Encoding: none` (no coding: RFC 9110 has `identity`, to be left out)", async () => {
    const response = await send(server, {
      headers: { ...JSON_HEADERS, accept: "text/event-stream" },
      body: JSON.stringify({ query: "{ states(first: 1) { totalCount } }" }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.text).toMatch(
      /event: next\ndata: \{"data":\{"states":\{"totalCount":\d+\}\}\}/,
    );
    expect(response.headers.get("content-encoding")).toBeNull();
  });
});
