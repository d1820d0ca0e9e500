/**
 * The limits in subgraph mode, attacked directly (tests/federation/supergraph.test.ts attacks them
 * through the gateway): an `_entities` batch costs one object per representation times what is
 * selected on each; with a gateway secret, `_entities` and `_service` answer only the gateway,
 * however they are asked for, and the response cache never replays the gateway's answers.
 */
import "../../src/schema/with-federation.js"; // first: the schema is built for subgraph mode, as with --subgraph
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { sliceScheduler } from "../../src/graph/scheduler.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { GATEWAY_SECRET_HEADER } from "../../src/server/subgraph.js";
import { firstError, JSON_HEADERS, post, send } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

const SECRET = "test-gateway-secret-0123456789";

let graph: KnowledgeGraph;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
});

/**
 * Each State costs one object, its `persons` connection one, and the nodes of its page as many as
 * a state has persons at most in the built-in data (2, not the 10 asked for): 4 objects per
 * representation, 12 units.
 */
const PERSONS_OF_STATES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on State { persons(first: 10) { nodes { key } } } }
}`;
const states = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    __typename: "State",
    key: graph.keys.state[i % graph.keys.state.length]!,
  }));

describe("the cost of an _entities batch", () => {
  let server: TestServer;
  beforeAll(async () => {
    // 10 representations cost 120, 11 cost 132
    server = await startServer(graph, {
      subgraph: { gatewaySecret: undefined },
      limits: { ...DEFAULT_CONFIG.limits, maxCost: 125 },
    });
  });
  afterAll(() => server.close());

  it("passes a batch whose representations times their selection stay within the limit", async () => {
    const response = await post(server, PERSONS_OF_STATES, { representations: states(10) });
    expect(response.json.errors).toBeUndefined();
    expect(response.json.data._entities).toHaveLength(10);
  });

  it("refuses, before anything runs, a batch one representation larger: the cost counts every representation", async () => {
    const response = await post(server, PERSONS_OF_STATES, { representations: states(11) });
    expect(response.status).toBe(400);
    expect(response.json.data).toBeUndefined();
    expect(firstError(response).code).toBe("COST_LIMIT_EXCEEDED");
  });

  it("counts the representations given as a literal too", async () => {
    const literal = states(11)
      .map((r) => `{__typename: "State", key: "${r.key}"}`)
      .join(", ");
    const response = await post(
      server,
      `{ _entities(representations: [${literal}]) { ... on State { persons(first: 10) { nodes { key } } } } }`,
    );
    expect(firstError(response).code).toBe("COST_LIMIT_EXCEEDED");
  });
});

describe("a query answered by the shortcut's envelop path (subgraph mode)", () => {
  it("counts as executing while its answer is written, and is finished right after, not a turn later", async () => {
    // a slice length of its own: a scheduler no other test uses (tests/server/answer-turns.test.ts)
    const scheduler = sliceScheduler(43);
    const server = await startServer(graph, {
      subgraph: { gatewaySecret: undefined },
      limits: { ...DEFAULT_CONFIG.limits, executionSliceMs: 43 },
      responseCache: false,
    });
    try {
      const whileWritten: number[] = [];
      const afterWritten: number[] = [];
      const stringify = JSON.stringify;
      vi.spyOn(JSON, "stringify").mockImplementation(function (this: unknown, ...args) {
        const [value] = args as [{ data?: { states?: unknown } } | undefined];
        if (value?.data?.states !== undefined) {
          whileWritten.push(scheduler.active);
          // once the synchronous run that writes the answer is over (before any other turn)
          queueMicrotask(() => afterWritten.push(scheduler.active));
        }
        return stringify.apply(this, args as Parameters<typeof JSON.stringify>);
      });
      const response = await post(server, "{ states(first: 2) { nodes { key } } }");
      expect(response.status).toBe(200);
      expect(response.json.data.states.nodes).toHaveLength(2);
      expect(whileWritten).toEqual([1]);
      // finished by the shortcut as it wrote the answer: Yoga's onResponse, which finishes the
      // requests Yoga answers, never comes for it, and a finish on the next turn counted what
      // that turn ran as the request's (load shedding saw 6-12 times the work queued)
      expect(afterWritten).toEqual([0]);
    } finally {
      vi.restoreAllMocks();
      await server.close();
    }
  });
});

describe("the gateway secret", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(graph, { subgraph: { gatewaySecret: SECRET } });
  });
  afterAll(() => server.close());

  const ENTITY = { representations: [{ __typename: "State", key: "state/kazakhstan" }] };
  const ENTITIES =
    "query($representations: [_Any!]!) { _entities(representations: $representations) { ... on State { name } } }";
  const fromGateway = (query: string, variables?: Record<string, unknown>, secret = SECRET) =>
    send(server, {
      headers: { ...JSON_HEADERS, [GATEWAY_SECRET_HEADER]: secret },
      body: JSON.stringify({ query, variables }),
    });

  const FORBIDDEN = {
    code: "FORBIDDEN",
    message:
      "`_entities` and `_service` answer only the federation gateway of this subgraph: the request has no valid `x-gateway-secret` header. Query the gateway, or ask for the other fields.",
  };

  it("answers `_entities` and `_service` to the gateway", async () => {
    expect((await fromGateway(ENTITIES, ENTITY)).json).toEqual({
      data: { _entities: [{ name: "Kazakhstan" }] },
    });
    expect((await fromGateway("{ _service { sdl } }")).json.data._service.sdl).toContain(
      '@key(fields: "key")',
    );
  });

  it.each([
    ["_entities", ENTITIES, ENTITY],
    ["_service", "{ _service { sdl } }", undefined],
    ["an alias of _service", "{ schema: _service { sdl } }", undefined],
    [
      "_service in a fragment on Query",
      "{ ...Sdl } fragment Sdl on Query { _service { sdl } }",
      undefined,
    ],
    [
      "_service in an inline fragment beside a public field",
      '{ state(key: "kazakhstan") { name } ... on Query { ... { _service { sdl } } } }',
      undefined,
    ],
  ])(
    "refuses %s without the secret: 403, FORBIDDEN, nothing run",
    async (_name, query, variables) => {
      const response = await post(server, query, variables);
      expect(response.status).toBe(403);
      expect(response.json.data).toBeUndefined();
      expect(firstError(response)).toEqual(FORBIDDEN);
    },
  );

  it("refuses a wrong secret, and a secret one character short", async () => {
    for (const secret of ["not-the-gateway-secret-000", SECRET.slice(0, -1)]) {
      const response = await fromGateway("{ _service { sdl } }", undefined, secret);
      expect(response.status).toBe(403);
      expect(firstError(response)).toEqual(FORBIDDEN);
    }
  });

  it("refuses them over GET as over POST", async () => {
    const response = await send(server, {
      path: `/graphql?query=${encodeURIComponent("{ _service { sdl } }")}`,
      headers: { accept: "application/graphql-response+json" },
    });
    expect(response.status).toBe(403);
    expect(firstError(response)).toEqual(FORBIDDEN);
  });

  it("refuses them in one operation of a batch, and answers the other", async () => {
    const response = await send(server, {
      headers: JSON_HEADERS,
      body: JSON.stringify([
        { query: '{ state(key: "kazakhstan") { name } }' },
        { query: "{ _service { sdl } }" },
      ]),
    });
    expect(response.json[0]).toEqual({ data: { state: { name: "Kazakhstan" } } });
    expect(response.json[1].errors[0].extensions.code).toBe("FORBIDDEN");
  });

  it("answers every other field to anyone", async () => {
    expect((await post(server, '{ state(key: "kazakhstan") { name } }')).json).toEqual({
      data: { state: { name: "Kazakhstan" } },
    });
  });

  it("never replays an answer given to the gateway to a request without the secret, from the response cache", async () => {
    // the cache keeps an answer from the second identical request on; a third is answered from it
    const query = "{ _service { sdl } }";
    for (let i = 0; i < 3; i++) expect((await fromGateway(query)).status).toBe(200);
    expect(server.app.cache!.hits).toBeGreaterThan(0);
    const response = await post(server, query);
    expect(response.status).toBe(403);
    expect(firstError(response)).toEqual(FORBIDDEN);
  });
});
