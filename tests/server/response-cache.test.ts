import { request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { useResponseCache } from "@graphql-yoga/plugin-response-cache";
import { createYoga } from "graphql-yoga";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { SearchIndex } from "../../src/graph/search.js";
import { type Context, schema } from "../../src/schema/index.js";
import { type AppOptions, createApp, listen } from "../../src/server/app.js";
import { compressionCount } from "../../src/server/compression.js";
import { ResponseCache } from "../../src/server/response-cache.js";
import { jsonOfChild } from "../support/child-json.js";
import { bodyOf, coldDocuments, hotMix } from "../support/mix.js";
import { answering, keyOf } from "../support/small-answers.js";

let graph: KnowledgeGraph;
beforeAll(async () => {
  graph = await loadBuiltInGraph();
});

const apps: ReturnType<typeof createApp>[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) {
    app.server.closeAllConnections();
    await new Promise((resolve) => app.server.close(resolve));
  }
});

async function start(options?: AppOptions) {
  // silent unless a test asks for logs: the default would write every request to stdout; no
  // example queries at start (warm.ts): they would read the graph beside the test's requests
  const app = createApp(graph, { logLevel: "silent", warmQueries: false, ...options });
  apps.push(app);
  const address: AddressInfo = await listen(app.server, 0, "127.0.0.1");
  const post = async (body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`http://127.0.0.1:${address.port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body,
    });
    return {
      status: response.status,
      type: response.headers.get("content-type"),
      text: await response.text(),
    };
  };
  /** A POST through node:http: the bytes as sent, compressed or not. */
  const raw = (body: string, headers: Record<string, string>) =>
    new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>(
      (resolve, reject) => {
        const req = request(
          {
            host: "127.0.0.1",
            port: address.port,
            path: "/graphql",
            method: "POST",
            headers: { "content-type": "application/json", accept: "application/json", ...headers },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
          },
        );
        req.on("error", reject);
        req.end(body);
      },
    );
  return { ...app, post, raw };
}

/** An answer of several KB (the source document): large enough to be compressed. */
const LARGE = JSON.stringify({ query: "{ sources(first: 1) { nodes { text } } }" });
const SZABO = JSON.stringify({
  query: '{ person(key: "gyorgy-szabo") { name nationality { name } } }',
});

describe("the response cache", () => {
  it("keeps an answer when its request comes a second time, and sends the same bytes and headers from then on", async () => {
    const app = await start();
    const first = await app.post(SZABO);
    expect(app.cache!.size).toBe(0); // seen once: nothing kept
    const second = await app.post(SZABO);
    expect(app.cache!.size).toBe(1);
    const third = await app.post(SZABO);
    expect(first.text).toBe(
      '{"data":{"person":{"name":"György Szabó","nationality":{"name":"Hungary"}}}}',
    );
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(app.cache!.hits).toBe(1);
  });

  it("keeps nothing for requests that come only once", async () => {
    const app = await start();
    for (const key of ["gyorgy-szabo", "nursultan-nazarbayev", "madina-jarbussynova"]) {
      await app.post(JSON.stringify({ query: `{ person(key: "${key}") { name } }` }));
    }
    expect(app.cache!.size).toBe(0);
  });

  it("keeps answers to different variables apart", async () => {
    const app = await start();
    const query = "query ($key: String!) { person(key: $key) { name } }";
    const szabo = await app.post(JSON.stringify({ query, variables: { key: "gyorgy-szabo" } }));
    const nazarbayev = await app.post(
      JSON.stringify({ query, variables: { key: "nursultan-nazarbayev" } }),
    );
    expect(JSON.parse(szabo.text).data.person.name).toBe("György Szabó");
    expect(JSON.parse(nazarbayev.text).data.person.name).toBe("Nursultan Nazarbayev");
    expect(app.cache!.hits).toBe(0);
  });

  it("keeps answers for different Accept headers apart, each with its own media type", async () => {
    const app = await start();
    for (let i = 0; i < 2; i++) {
      expect((await app.post(SZABO, { accept: "application/json" })).type).toContain(
        "application/json",
      );
      expect(
        (await app.post(SZABO, { accept: "application/graphql-response+json" })).type,
      ).toContain("application/graphql-response+json");
    }
    expect(app.cache!.size).toBe(2);
    expect((await app.post(SZABO, { accept: "application/graphql-response+json" })).type).toContain(
      "application/graphql-response+json",
    );
    expect((await app.post(SZABO, { accept: "application/json" })).type).toContain(
      "application/json",
    );
    expect(app.cache!.hits).toBe(2);
  });

  it("never replays an answer with errors", async () => {
    const app = await start();
    const unknown = JSON.stringify({
      query: '{ node(id: "UGVyc29uOnBlcnNvbi9ub2JvZHk=") { id } }',
    });
    const first = await app.post(unknown);
    expect(JSON.parse(first.text).errors[0].extensions.code).toBe("NOT_FOUND");
    await app.post(unknown);
    await app.post(unknown);
    expect(app.cache!.hits).toBe(0);
    expect(app.cache!.size).toBe(0);
  });

  it("empties itself when the served graph is replaced (a reload)", async () => {
    const app = await start();
    await app.post(SZABO);
    await app.post(SZABO);
    expect(app.cache!.size).toBe(1);
    app.swap(await loadBuiltInGraph());
    await app.post(SZABO);
    expect(app.cache!.hits).toBe(0);
    expect(app.cache!.size).toBe(0); // a new graph: the request counts as new too
  });

  it("drops the least recently used answers past its size", async () => {
    // each entry is weighed by its key, its headers, its body and 512 bytes of bookkeeping
    // (weightOf): about 900 bytes here, so two fit
    const app = await start({ responseCache: { maxBytes: 2_200, maxEntryBytes: 1_000 } });
    const bodies = ["gyorgy-szabo", "nursultan-nazarbayev", "madina-jarbussynova"].map((key) =>
      JSON.stringify({ query: `{ person(key: "${key}") { key name } }` }),
    );
    for (const body of bodies) {
      expect(JSON.parse((await app.post(body)).text).data.person).not.toBeNull();
      await app.post(body); // the second time: kept
    }
    expect(app.cache!.size).toBe(2);
    await app.post(bodies[0]!); // the oldest: dropped
    expect(app.cache!.hits).toBe(0);
    await app.post(bodies[2]!); // the newest: kept
    expect(app.cache!.hits).toBe(1);
  });

  it("keeps a compressed answer compressed: a hit sends the bytes compressed the first time, without compressing again", async () => {
    const app = await start();
    for (const coding of ["br", "gzip"] as const) {
      const sent = [];
      const compressed = [];
      for (let i = 0; i < 4; i++) {
        const before = compressionCount();
        sent.push(await app.raw(LARGE, { "accept-encoding": coding }));
        compressed.push(compressionCount() - before);
      }
      // compressed when answered by Yoga (the first two times: the second is kept), never from the cache
      expect(compressed).toEqual([1, 1, 0, 0]);
      for (const answer of sent) {
        expect(answer.headers["content-encoding"]).toBe(coding);
        expect(answer.body.equals(sent[1]!.body)).toBe(true);
        expect(Number(answer.headers["content-length"])).toBe(answer.body.length);
      }
      const text = (
        coding === "br" ? brotliDecompressSync(sent[3]!.body) : gunzipSync(sent[3]!.body)
      ).toString();
      expect(JSON.parse(text).data.sources.nodes[0].text).toMatch(/^Cooperation between/);
    }
    // a brotli and a gzip copy: two entries, each answering its own coding
    expect(app.cache!.size).toBe(2);
    expect(app.cache!.hits).toBe(4);
    // a client that takes no coding is another request: answered (and compressed) afresh
    const plain = await app.raw(LARGE, {});
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(app.cache!.hits).toBe(4);
  });

  it("counts a compressed answer at its compressed size", async () => {
    const sizes = await start({ responseCache: false });
    const plainBytes = (await sizes.raw(LARGE, {})).body.length;
    const brBytes = (await sizes.raw(LARGE, { "accept-encoding": "br" })).body.length;
    expect(brBytes).toBeLessThan(plainBytes / 2);
    // room for the brotli copy (with its key and bookkeeping), not for the plain answer
    const limit = Math.round((plainBytes + brBytes) / 2);
    const app = await start({ responseCache: { maxBytes: limit + 1_000, maxEntryBytes: limit } });
    for (let i = 0; i < 3; i++) await app.raw(LARGE, { "accept-encoding": "br" });
    expect(app.cache!.size).toBe(1);
    expect(app.cache!.hits).toBe(1);
    for (let i = 0; i < 3; i++) await app.raw(LARGE, {});
    expect(app.cache!.size).toBe(1);
    expect(app.cache!.hits).toBe(1);
  });

  it("can be turned off: then every request, the third as well, is executed on the graph", async () => {
    // executions counted by the person look-ups they make; with the cache, the third request is
    // answered from it and makes none (the control), without it the third is executed too
    const lookUps = vi.spyOn(graph, "get");
    const thirdLooksUp = async (app: Awaited<ReturnType<typeof start>>) => {
      const first = await app.post(SZABO);
      await app.post(SZABO);
      const before = lookUps.mock.calls.length;
      const third = await app.post(SZABO);
      expect(third.text).toBe(first.text);
      expect(JSON.parse(third.text).data.person.name).toBe("György Szabó");
      return lookUps.mock.calls.length > before;
    };
    try {
      expect(await thirdLooksUp(await start())).toBe(false);
      const app = await start({ responseCache: false });
      expect(app.cache).toBeUndefined();
      expect(await thirdLooksUp(app)).toBe(true);
    } finally {
      lookUps.mockRestore();
    }
  });
});

describe("against Yoga's response-cache plugin, the library it stands beside", () => {
  // docs/performance.md, "The response cache, instead of a response-cache plugin": the same
  // requests, each sent three times to the app and to a Yoga of the same schema and graph with
  // @graphql-yoga/plugin-response-cache (one session for all, as the benchmark's plugin-cache)
  it("answers as the plugin does, first and from the cache, and serves the same requests from it: answers without errors; introspection only by ours", async () => {
    const app = await start();
    const search = SearchIndex.build(graph);
    const plugin = createYoga<Record<string, unknown>, Context>({
      schema,
      graphqlEndpoint: "/graphql",
      landingPage: false,
      graphiql: false,
      plugins: [
        useResponseCache({
          session: () => null,
          includeExtensionMetadata: true,
          // the plugin's own rule, without its console warning for each answer with errors
          shouldCacheResult: ({ result }) => !result.errors,
        }),
      ],
      context: () => ({ graph, search }),
    });
    const served = { graph, search };
    const bodies = [
      ...hotMix(served, { asOf: true }).flatMap((op) =>
        op.variables.slice(0, 2).map((variables) => bodyOf(op, variables)),
      ),
      ...coldDocuments(served, 9).map((d) => JSON.stringify({ query: d.document })),
      // errors: a key the graph does not hold (data and an error), an unknown field, a variable
      // of the wrong type
      JSON.stringify({ query: '{ person(key: "nobody-at-all") { key } }' }),
      JSON.stringify({ query: "{ persons(first: 1) { nodes { shoeSize } } }" }),
      JSON.stringify({
        query: "query($n: Int) { persons(first: $n) { totalCount } }",
        variables: { n: "three" },
      }),
    ];
    const INTROSPECTION = JSON.stringify({ query: "{ __schema { queryType { name } } }" });
    bodies.push(INTROSPECTION);
    expect(bodies.length).toBeGreaterThan(20);

    const answeredByPlugin = async (body: string) => {
      const response = await plugin.fetch("http://localhost/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body,
      });
      const { extensions, ...answer } = (await response.json()) as Record<string, unknown> & {
        extensions?: { responseCache?: { hit?: boolean } };
      };
      return { answer, hit: extensions?.responseCache?.hit === true };
    };
    const answeredByOurs = async (body: string) => {
      const hits = app.cache!.hits;
      const { text } = await app.post(body);
      return { answer: JSON.parse(text) as Record<string, unknown>, hit: app.cache!.hits > hits };
    };

    const fromCache = { ours: new Set<string>(), plugin: new Set<string>() };
    let withErrors = 0;
    for (const body of bodies) {
      for (let send = 1; send <= 3; send++) {
        const ours = await answeredByOurs(body);
        const theirs = await answeredByPlugin(body);
        // the same data, and errors where the plugin's Yoga gives errors
        expect(ours.answer.data, `${body} (send ${send})`).toEqual(theirs.answer.data);
        expect("errors" in ours.answer, body).toBe("errors" in theirs.answer);
        if (send === 1 && "errors" in ours.answer) withErrors++;
        // the plugin keeps an answer at once, ours when its request comes again: by the third
        // send, both serve from their caches what they keep
        if (send === 3) {
          if (ours.hit) fromCache.ours.add(body);
          if (theirs.hit) fromCache.plugin.add(body);
        }
      }
    }
    expect(withErrors).toBe(3);
    expect(fromCache.plugin.size).toBe(bodies.length - 1 - withErrors);
    // the one difference: the plugin never keeps introspection (a schema may change under it);
    // ours serves one schema for its whole life and empties itself with a new graph
    expect([...fromCache.ours]).toEqual([...fromCache.plugin, INTROSPECTION]);
  });
});

describe("the request body limit", () => {
  it("refuses a body over the limit with 413 before Yoga reads it", async () => {
    const app = await start({ maxBodyBytes: 2_000 });
    const response = await app.post(
      JSON.stringify({ query: `{ person(key: "gyorgy-szabo") { name } } ${"#".repeat(3_000)}` }),
    );
    expect(response.status).toBe(413);
    expect(JSON.parse(response.text).errors[0].extensions.code).toBe("REQUEST_ENTITY_TOO_LARGE");
  });
});

describe("the response cache's bound", () => {
  it("holds no more than its bound in small answers: each is weighed with its headers and bookkeeping, not at a quarter of what it holds (red team 14)", async () => {
    // 40,000 small answers of distinct GET requests, each seen once before, into a cache of 4 MiB,
    // measured in a process of its own (tests/support/responses-held.ts): in this worker, each
    // full collection walked what every file it ran before had loaded and left
    const { maxBytes, count, size, weight, held } =
      await jsonOfChild<Record<string, number>>("responses-held");
    // the cache is full (some 4,700 of the 40,000 kept), and holds its bound in fact, within a
    // tenth (what a measure of the heap can tell; 0.95 of it here). Weighed as before (the key,
    // the body and 200 bytes), some 14,000 were kept, holding 12 MB
    expect(count).toBe(40_000);
    expect(size).toBeGreaterThan(1000);
    expect(size).toBeLessThan(count!);
    expect(weight).toBeLessThanOrEqual(maxBytes!);
    expect(held).toBeLessThan(maxBytes! * 1.1);
  });

  it("keeps a small answer in a buffer of its own, not the slab it is a slice of", () => {
    const cache = new ResponseCache();
    const graph = {};
    const slab = Buffer.alloc(64 * 1024, " ");
    const body = slab.subarray(0, 31);
    body.write('{"data":{"__typename":"Query"}}');
    cache.capture(graph, keyOf(1), answering(1));
    cache.capture(graph, keyOf(1), answering(1))!(body);
    let sent: Buffer | undefined;
    const res = {
      setHeader: () => undefined,
      writeHead: () => undefined,
      end: (chunk: Buffer) => (sent = chunk),
      on: () => undefined,
      once: () => undefined,
      socket: null,
    } as unknown as ServerResponse;
    expect(cache.serve(graph, keyOf(1), res)).toBe(true);
    expect(sent!.toString()).toBe('{"data":{"__typename":"Query"}}');
    expect(sent!.buffer.byteLength).toBe(31);
  });
});

describe("the response cache and the graphs it answers for", () => {
  it("does not keep a graph a reload replaced alive (so that its snapshot's mapped file can be unmapped)", async () => {
    setFlagsFromString("--expose-gc");
    const collectGarbage = runInNewContext("gc") as () => void;
    const cache = new ResponseCache();
    const collected = new Set<string>();
    const watch = new FinalizationRegistry<string>((name) => collected.add(name));
    let old: object | undefined = {};
    watch.register(old, "old graph");
    // a request on the old graph: nothing cached for it, so nothing is written to the response
    expect(cache.serve(old, "POST /graphql\n{}", undefined as never)).toBe(false);
    old = undefined;
    for (let i = 0; i < 50 && !collected.has("old graph"); i++) {
      collectGarbage();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(collected.has("old graph")).toBe(true);
    // and the next graph's requests start afresh
    expect(cache.serve({}, "POST /graphql\n{}", undefined as never)).toBe(false);
  });
});
