/**
 * The response cache in front of Yoga (src/server/response-cache.ts). It works on bytes: the
 * same request body gets the same answer bytes. So these tests send exact request bodies rather
 * than typed documents: a different spelling of the same query is, on purpose, another entry.
 */
import type { AddressInfo } from "node:net";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadBuiltInGraph } from "../../data/load.js";
import { createApp, listen, type AppOptions } from "../../src/server/app.js";

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
  const app = createApp(graph, options);
  apps.push(app);
  const address: AddressInfo = await listen(app.server, 0, "127.0.0.1");
  const post = async (body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`http://127.0.0.1:${address.port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body,
    });
    return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
  };
  return { ...app, post };
}

const SZABO = JSON.stringify({ query: '{ person(key: "gyorgy-szabo") { name nationality { name } } }' });

describe("the response cache", () => {
  it("keeps an answer when its request comes a second time, and sends the same bytes and headers from then on", async () => {
    const app = await start();
    const first = await app.post(SZABO);
    expect(app.cache!.size).toBe(0); // seen once: nothing kept
    const second = await app.post(SZABO);
    expect(app.cache!.size).toBe(1);
    const third = await app.post(SZABO);
    expect(first.text).toBe('{"data":{"person":{"name":"György Szabó","nationality":{"name":"Hungary"}}}}');
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
    const nazarbayev = await app.post(JSON.stringify({ query, variables: { key: "nursultan-nazarbayev" } }));
    expect(JSON.parse(szabo.text).data.person.name).toBe("György Szabó");
    expect(JSON.parse(nazarbayev.text).data.person.name).toBe("Nursultan Nazarbayev");
    expect(app.cache!.hits).toBe(0);
  });

  it("keeps answers for different Accept headers apart, each with its own media type", async () => {
    const app = await start();
    for (let i = 0; i < 2; i++) {
      expect((await app.post(SZABO, { accept: "application/json" })).type).toContain("application/json");
      expect((await app.post(SZABO, { accept: "application/graphql-response+json" })).type).toContain("application/graphql-response+json");
    }
    expect(app.cache!.size).toBe(2);
    expect((await app.post(SZABO, { accept: "application/graphql-response+json" })).type).toContain("application/graphql-response+json");
    expect((await app.post(SZABO, { accept: "application/json" })).type).toContain("application/json");
    expect(app.cache!.hits).toBe(2);
  });

  it("never replays an answer with errors", async () => {
    const app = await start();
    const unknown = JSON.stringify({ query: '{ node(id: "UGVyc29uOnBlcnNvbi9ub2JvZHk=") { id } }' });
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
    // each entry counts its key, its body and 200 bytes of bookkeeping: about 400 bytes here, so two fit
    const app = await start({ responseCache: { maxBytes: 1_000, maxEntryBytes: 1_000 } });
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

  it("can be turned off", async () => {
    const app = await start({ responseCache: false });
    expect(app.cache).toBeUndefined();
    expect((await app.post(SZABO)).text).toBe((await app.post(SZABO)).text);
  });
});

describe("the request body limit", () => {
  it("refuses a body over the limit with 413 before Yoga reads it", async () => {
    const app = await start({ maxBodyBytes: 2_000 });
    const response = await app.post(JSON.stringify({ query: `{ person(key: "gyorgy-szabo") { name } } ${"#".repeat(3_000)}` }));
    expect(response.status).toBe(413);
    expect(JSON.parse(response.text).errors[0].extensions.code).toBe("REQUEST_ENTITY_TOO_LARGE");
  });
});
