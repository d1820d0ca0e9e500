/**
 * `_entities` under the execution deadline, as every other field (src/schema/deadline-plugin.ts):
 * its resolver is set on the built subgraph schema after Pothos wrapped the fields
 * (src/schema/federation.ts), so it must be wrapped there too. With a deadline already past,
 * `_entities` is stopped before it runs, with 503 EXECUTION_TIMEOUT, and the server goes on
 * answering. The selection is `__typename` alone, which has no resolver: nothing but `_entities`
 * itself can meet the deadline. And a long answer whose time runs out while it is made in slices,
 * after its execution, is answered the same way on this mode's path (Yoga's envelop pipeline,
 * src/server/shortcut.ts answerFast), as on the direct one (tests/server/answer-json.test.ts).
 */
import "../../src/schema/with-federation.js"; // first: the schema is built for subgraph mode, as with --subgraph
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import { Deadline } from "../../src/graph/deadline.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { firstError, post } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

/**
 * Until it is restored, every deadline the server makes has passed at its first checkpoint, as if
 * made with a limit of 0 ms and `checkEvery: 1`: each checkpoint reads the clock, and the deadline
 * ends where it started. (The server's Deadline is the one imported here: the files of this
 * project share their worker's modules, vitest.config.ts.)
 */
function pastDeadlines(): { restore(): void } {
  const checkpoint = vi.spyOn(Deadline.prototype, "check").mockImplementation(function (
    this: Deadline,
  ) {
    (this as { end: number }).end = this.start;
    this.checkNow();
  });
  return { restore: () => checkpoint.mockRestore() };
}

const ENTITIES =
  "query($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }";
const KAZAKHSTAN = { representations: [{ __typename: "State", key: "state/kazakhstan" }] };

let server: TestServer;
beforeAll(async () => {
  server = await startServer(await loadBuiltInGraph(), {
    subgraph: { gatewaySecret: undefined },
    responseCache: false,
  });
});
afterAll(() => server.close());

describe("what graphql-js still resolves after the answer, in subgraph mode", () => {
  it("stops once the answer is made, as on the other paths: a result with errors handed to Yoga ran its siblings' fields a turn past its answer (review 26, f2)", async () => {
    // `bad`, non-null, fails after its turn's wait; the lists before it are still resolving, a
    // turn at a time (slices of 1 ms): graphql-js answers `office: null` and leaves them running
    // (tests/server/direct.test.ts has the direct pipeline's and a GET's)
    const sliced = await startServer(await loadBuiltInGraph(), {
      subgraph: { gatewaySecret: undefined },
      responseCache: false,
      limits: { ...DEFAULT_CONFIG.limits, executionSliceMs: 1 },
    });
    const live: number[] = [];
    const check = Deadline.prototype.check;
    vi.spyOn(Deadline.prototype, "check").mockImplementation(function (this: Deadline, work) {
      if (!this.expired) live.push(performance.now());
      return check.call(this, work);
    });
    try {
      const offices = await post(
        sliced,
        "{ offices(first: 100) { nodes { key tenures(first: 1) { totalCount } } } }",
      );
      const office = (
        offices.json.data.offices.nodes as { key: string; tenures: { totalCount: number } }[]
      ).sort((a, b) => b.tenures.totalCount - a.tenures.totalCount)[0]!.key;
      const lists = Array.from(
        { length: 20 },
        (_, i) =>
          `h${i}: tenures(first: 100) { edges { node { key holder { ... on Entity { key label } } post { key office { key } state { key } } } } }`,
      ).join(" ");
      live.length = 0;
      const answer = await post(
        sliced,
        `{ office(key: ${JSON.stringify(office)}) { ${lists} bad: tenures(first: 1, after: "not-a-cursor") { totalCount } } }`,
      );
      const answered = performance.now();
      expect(answer.json).toMatchObject({
        data: { office: null },
        errors: [{ extensions: { code: "BAD_CURSOR" } }],
      });
      for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(live.length).toBeGreaterThan(0);
      expect(live.filter((at) => at > answered)).toEqual([]);
    } finally {
      await sliced.close();
    }
  });
});

describe("_entities and the execution deadline", () => {
  it("answers _entities within its deadline", async () => {
    const response = await post(server, ENTITIES, KAZAKHSTAN);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ data: { _entities: [{ __typename: "State" }] } });
  });

  it("stops _entities at a deadline already past with 503 EXECUTION_TIMEOUT, and goes on serving", async () => {
    // an unhandled rejection would end the process; Vitest fails the run on one, this names it here
    const unheard: unknown[] = [];
    const listen = (reason: unknown) => unheard.push(reason);
    process.on("unhandledRejection", listen);
    const past = pastDeadlines();
    try {
      const stopped = await post(server, ENTITIES, KAZAKHSTAN);
      past.restore();
      expect(stopped.status).toBe(503);
      expect(stopped.json.data).toBeUndefined();
      expect(firstError(stopped).code).toBe("EXECUTION_TIMEOUT");
    } finally {
      past.restore();
    }
    const next = await post(server, ENTITIES, KAZAKHSTAN);
    expect(next.status).toBe(200);
    expect(next.json.data._entities).toEqual([{ __typename: "State" }]);
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", listen);
    expect(unheard).toEqual([]);
  });
});

describe("a long answer that runs out of time while it is made (subgraph mode)", () => {
  it("is answered 503 EXECUTION_TIMEOUT, nothing of it sent, and the server goes on", async () => {
    // 100 persons' provenance with each source's text: megabytes, made in the request's slices
    const LONG =
      "{ persons(first: 100) { nodes { provenance { ... on SourceQuote { source { text } } } } } }";
    const long = await startServer(loadJsonGraph(generatedDataset(200)), {
      subgraph: { gatewaySecret: undefined },
      // slices of 5 ms: a scheduler of its own (no other test of this project uses that length)
      limits: { ...DEFAULT_CONFIG.limits, maxCost: 1_000_000_000, executionSliceMs: 5 },
      responseCache: false,
    });
    try {
      // the clock jumps past the execution time limit once the answer's first item is written:
      // its execution is over, its answer being made. Red team 6's 30 aliases of `_entities`
      // over 1,000 persons met it so (1.4 MB): 500 INTERNAL_SERVER_ERROR
      const now = performance.now.bind(performance);
      let late = 0;
      vi.spyOn(performance, "now").mockImplementation(() => now() + late);
      const stringify = JSON.stringify;
      vi.spyOn(JSON, "stringify").mockImplementation(function (this: unknown, ...args) {
        const [value] = args as [{ provenance?: unknown } | undefined];
        if (value?.provenance !== undefined) late = 10 * 60_000;
        return stringify.apply(this, args as Parameters<typeof JSON.stringify>);
      });
      const response = await post(long, LONG).finally(() => vi.restoreAllMocks());
      expect(late).toBeGreaterThan(0);
      expect(response.status).toBe(503);
      expect(response.json.data).toBeUndefined();
      expect(
        response.json.errors.map((e: { extensions: { code: string } }) => e.extensions.code),
      ).toEqual(["EXECUTION_TIMEOUT"]);
      expect(response.text.length).toBeLessThan(1000);
      expect((await post(long, "{ states(first: 1) { totalCount } }")).status).toBe(200);
    } finally {
      await long.close();
    }
  });
});
