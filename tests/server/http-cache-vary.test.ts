/**
 * Red team 8's findings 5 and 6 (src/server/http-cache.ts): every /graphql answer says what it
 * varies on (streams and refusals too, `Origin` where CORS lists origins: under `*` every origin
 * gets the same answer, cors.ts), a 304 carries the `Vary` and
 * the CORS headers of its 200, and a 304 is only ever given for an answer that would have been a
 * cacheable 200, however its tag was come by.
 */
import type { IncomingMessage } from "node:http";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import type { AppOptions } from "../../src/server/app.js";
import { etagOf, IssuedTags } from "../../src/server/http-cache.js";
import { rawRequest } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

let graph: KnowledgeGraph;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
});
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(options: AppOptions = {}, from: KnowledgeGraph = graph): Promise<TestServer> {
  const server = await startServer(from, options);
  servers.push(server);
  return server;
}

const JSON_ACCEPT = "application/graphql-response+json";
const urlOf = (query: string) => `/graphql?query=${encodeURIComponent(query)}`;
const get = (server: TestServer, query: string, headers: Record<string, string> = {}) =>
  rawRequest(server, urlOf(query), { headers: { accept: JSON_ACCEPT, ...headers } });

/** A small answer (never compressed) and one of several KB (compressed when accepted). */
const SMALL = '{ person(key: "gyorgy-szabo") { name } }';
const LARGE = "{ sources(first: 1) { nodes { text } } }";
const ORIGIN = "https://app.example";

/** The ETag the server would give `query`'s answer, computed from public inputs as anyone can. */
function forgedTag(server: TestServer, query: string, accept = JSON_ACCEPT): string {
  const req = { method: "GET", url: urlOf(query), headers: { accept } } as IncomingMessage;
  return etagOf(server.app.served.current.graph.contentHash, req) as string;
}

const varyOf = (answer: { headers: Record<string, unknown> }) =>
  String(answer.headers.vary ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");

describe("streamed GET answers", () => {
  it("say Vary: Accept (and Origin where origins are listed) and Cache-Control: no-store, as multipart/mixed and as an event stream, errors included", async () => {
    const [any, listed] = [await serve(), await serve({ cors: [ORIGIN, "https://b.example"] })];
    const cases = [
      { accept: "multipart/mixed", query: SMALL, status: 200, type: /^multipart\/mixed/ },
      { accept: "text/event-stream", query: SMALL, status: 200, type: /^text\/event-stream/ },
      // a validation error, streamed as it was asked
      { accept: "multipart/mixed", query: "{ nope }", status: 400, type: /^multipart\/mixed/ },
    ];
    for (const [server, varying] of [
      [any, ["Accept"]],
      [listed, ["Origin", "Accept"]],
    ] as const)
      for (const { accept, query, status, type } of cases) {
        const answer = await get(server, query, { accept });
        expect(answer.status, accept).toBe(status);
        expect(answer.headers["content-type"], accept).toMatch(type);
        // the same URL answers JSON to another Accept: a cache keyed by URL must not mix them
        expect(varyOf(answer), accept).toEqual(varying);
        expect(answer.headers["cache-control"], accept).toBe("no-store");
        expect(answer.headers.etag, accept).toBeUndefined();
      }
  });
});

describe("a 304", () => {
  it.each([
    ["a list", [ORIGIN, "https://b.example"], ORIGIN],
    ["*", "*", "*"],
  ] as const)(
    "says the Vary its 200 says, small or compressible, in any coding, with or without Origin, and carries the 200's CORS headers (CORS %s)",
    async (_, cors, allowed) => {
      const server = await serve({ cors: cors as AppOptions["cors"] });
      const shapes: { query: string; codings: Record<string, string> }[] = [
        { query: SMALL, codings: {} },
        // a compressible answer taken without a coding: its tag is the identity one, its Vary still
        // names Accept-Encoding (red team 8: the 304 said only Accept)
        { query: LARGE, codings: {} },
        { query: LARGE, codings: { "accept-encoding": "br" } },
        { query: LARGE, codings: { "accept-encoding": "gzip" } },
      ];
      for (const { query, codings } of shapes)
        for (const origin of [{}, { origin: ORIGIN }] as Record<string, string>[]) {
          const headers = { ...codings, ...origin };
          const label = `${query} ${JSON.stringify(headers)}`;
          const ok = await get(server, query, headers);
          expect(ok.status, label).toBe(200);
          const again = await get(server, query, {
            ...headers,
            "if-none-match": ok.headers.etag as string,
          });
          expect(again.status, label).toBe(304);
          expect(again.headers.etag, label).toBe(ok.headers.etag);
          expect(again.headers.vary, label).toBe(ok.headers.vary);
          expect(varyOf(again).includes("Origin"), label).toBe(cors !== "*");
          expect(varyOf(again).includes("Accept-Encoding"), label).toBe(query === LARGE);
          for (const name of Object.keys(ok.headers).filter((n) => n.startsWith("access-control-")))
            expect(again.headers[name], `${label} ${name}`).toBe(ok.headers[name]);
          if ("origin" in origin || cors === "*")
            expect(again.headers["access-control-allow-origin"], label).toBe(allowed);
        }
    },
  );

  it("names neither Origin nor CORS headers with CORS off, as its 200", async () => {
    const server = await serve({ cors: "none" });
    const ok = await get(server, LARGE, { origin: ORIGIN });
    const again = await get(server, LARGE, {
      origin: ORIGIN,
      "if-none-match": ok.headers.etag as string,
    });
    expect(again.status).toBe(304);
    expect(ok.headers.vary).toBe("Accept, Accept-Encoding");
    expect(again.headers.vary).toBe(ok.headers.vary);
    expect(again.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("refusals sent before GraphQL", () => {
  it("are no-store, with the CORS headers (`*`, no Vary: Origin, under CORS `*`): a 405, a 413, a 415 and a 501 on /graphql", async () => {
    const server = await serve({ maxBodyBytes: 1024 });
    const post = (headers: Record<string, string>, body: string) =>
      rawRequest(server, "/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      });
    const refusals = {
      405: await rawRequest(server, "/graphql", { method: "PUT", body: "{}" }),
      413: await post({}, JSON.stringify({ query: `{ __typename }${" ".repeat(2000)}` })),
      415: await post({ "content-type": "multipart/form-data; boundary=x" }, "--x--"),
      501: await post({ "transfer-encoding": "gzip, chunked" }, "{}"),
    };
    for (const [status, answer] of Object.entries(refusals)) {
      expect(answer.status, status).toBe(Number(status));
      expect(answer.headers["cache-control"], status).toBe("no-store");
      expect(answer.headers["access-control-allow-origin"], status).toBe("*");
      expect(varyOf(answer), status).not.toContain("Origin");
    }
  });
});

describe("Vary: Origin where CORS lists origins", () => {
  it("is on every /graphql answer, to requests without Origin too: JSON, errors, and refusals sent before GraphQL", async () => {
    for (const cors of [[ORIGIN], [ORIGIN, "https://b.example"]] as const) {
      const server = await serve({ cors: [...cors] });
      const answers = {
        success: await get(server, SMALL),
        error: await get(server, "{ nope }"),
        refused: await rawRequest(server, "/graphql", { method: "PUT", body: "{}" }),
      };
      for (const [what, answer] of Object.entries(answers))
        expect(varyOf(answer), `${what} ${JSON.stringify(cors)}`).toContain("Origin");
      expect(answers.refused.status).toBe(405);
    }
  });
});

describe("a tag this process issued", () => {
  it("gets 304 without the GET being executed; the same tag at a replica that never issued it is executed there (the control)", async () => {
    // executions counted by the person look-ups they make; the response cache off, so that
    // nothing but the 304 can spare them
    const [one, two] = [
      await serve({ responseCache: false }),
      await serve({ responseCache: false }, await loadBuiltInGraph()),
    ];
    const ok = await get(one, SMALL);
    const tag = ok.headers.etag as string;
    const lookUps = [
      vi.spyOn(one.app.served.current.graph, "get"),
      vi.spyOn(two.app.served.current.graph, "get"),
    ];
    try {
      expect((await get(one, SMALL, { "if-none-match": tag })).status).toBe(304);
      expect(lookUps[0]!.mock.calls.length).toBe(0);
      expect((await get(two, SMALL, { "if-none-match": tag })).status).toBe(304);
      expect(lookUps[1]!.mock.calls.length).toBeGreaterThan(0);
      // issued there now: the next one is not executed either
      const before = lookUps[1]!.mock.calls.length;
      expect((await get(two, SMALL, { "if-none-match": tag })).status).toBe(304);
      expect(lookUps[1]!.mock.calls.length).toBe(before);
    } finally {
      for (const spy of lookUps) spy.mockRestore();
    }
    // counted apart: a replica revalidating others' tags shows in `executed`
    const counts = async (server: TestServer) =>
      (await rawRequest(server, "/metrics")).body
        .toString()
        .split("\n")
        .filter((line) => line.startsWith("kz_osce_http_not_modified_total{"))
        .sort();
    expect(await counts(one)).toEqual([
      'kz_osce_http_not_modified_total{reason="executed"} 0',
      'kz_osce_http_not_modified_total{reason="issued"} 1',
    ]);
    expect(await counts(two)).toEqual([
      'kz_osce_http_not_modified_total{reason="executed"} 1',
      'kz_osce_http_not_modified_total{reason="issued"} 1',
    ]);
  });
});

describe("the issued tags", () => {
  it("are bounded: the least recently issued goes first, and is then no longer known", () => {
    const issued = new IssuedTags(undefined, 2);
    issued.issue('"a"', false);
    issued.issue('"b"', true);
    issued.issue('"a"', false); // issued again: the newest
    issued.issue('"c"', false);
    expect(issued.size).toBe(2);
    expect(issued.compressible('"b"')).toBeUndefined();
    expect(issued.compressible('"a"')).toBe(false);
    expect(issued.compressible('"c"')).toBe(false);
    for (let i = 0; i < 1000; i++) issued.issue(`"${i}"`, true);
    expect(issued.size).toBe(2);
    expect(issued.compressible('"999"')).toBe(true);
  });

  // the oldest is found by one iterator kept across issues (a new one each time was slow at the
  // bound: red team 10): it must push out exactly what a plain least-recently-issued set would
  it("push out the same tags as a plain least-recently-issued set, whatever the order of issues", () => {
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (const max of [1, 2, 5, 64]) {
      const issued = new IssuedTags(undefined, max);
      const plain = new Map<string, boolean>();
      for (let step = 0; step < 5000; step++) {
        // a few tags often issued again, among many new ones
        const tag = `"${random(3) === 0 ? random(max + 2) : step}"`;
        const compressible = random(2) === 0;
        issued.issue(tag, compressible);
        plain.delete(tag);
        plain.set(tag, compressible);
        if (plain.size > max) plain.delete(plain.keys().next().value as string);
        expect(issued.size).toBe(plain.size);
      }
      for (let t = 0; t < 5000; t++)
        expect(issued.compressible(`"${t}"`), `max ${max}, "${t}"`).toBe(plain.get(`"${t}"`));
    }
  });
});

describe("a tag the client did not get from this process", () => {
  it("gets the error, not a 304, for a GET whose answer is an error, though the tag is the one its recipe gives (red team 8's forge304.mjs)", async () => {
    const server = await serve();
    for (const query of ["{ nope }", "{ persons(first: 1000) { totalCount } }"]) {
      const tag = forgedTag(server, query);
      const answer = await get(server, query, { "if-none-match": tag });
      expect(answer.status, query).not.toBe(304);
      expect(JSON.parse(answer.body.toString()).errors.length, query).toBeGreaterThan(0);
      expect(answer.headers["cache-control"], query).toBe("no-store");
      expect(answer.headers.etag, query).toBeUndefined();
      // and again, once the error has been answered: it never becomes a tag of its own
      expect((await get(server, query, { "if-none-match": tag })).status, query).not.toBe(304);
    }
  });

  it("still gets 304 when it names a successful answer: a replica that never issued it executes the GET, then answers 304 with the 200's headers", async () => {
    const [one, two] = [await serve(), await serve({}, await loadBuiltInGraph())];
    for (const codings of [{}, { "accept-encoding": "gzip" }] as Record<string, string>[]) {
      const ok = await get(one, LARGE, codings);
      expect(ok.status).toBe(200);
      // the other replica, same data: same tag, never issued there
      const elsewhere = await get(two, LARGE, {
        ...codings,
        "if-none-match": ok.headers.etag as string,
      });
      expect(elsewhere.status).toBe(304);
      expect(elsewhere.body.length).toBe(0);
      expect(elsewhere.headers.etag).toBe(ok.headers.etag);
      expect(elsewhere.headers.vary).toBe(ok.headers.vary);
      expect(elsewhere.headers["cache-control"]).toBe(ok.headers["cache-control"]);
      expect(elsewhere.headers["content-encoding"]).toBeUndefined();
    }
    // the tag computed by anyone for a successful GET names a cacheable answer: a 304 is right
    expect((await get(two, SMALL, { "if-none-match": forgedTag(two, SMALL) })).status).toBe(304);
  });
});
