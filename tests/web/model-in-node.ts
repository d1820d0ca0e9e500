/**
 * The explorer's model (web/src/model.ts, api.ts) run in Node against a real server, for the tests
 * of what the explorer says that need no browser: the model asks relative URLs of its page's
 * origin, and here that origin is a test server on 127.0.0.1. Call at the top of a test file: the
 * server starts before its tests, and `fetch` is given back after them.
 */
import { afterAll, beforeAll } from "vitest";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { forgetAnswers } from "../../web/src/api.js";
import { startServer, type TestServer } from "../support/server.js";

/** `graph` makes the graph the server serves (the built-in one without it); the server, once started, for a test that swaps its graph. */
export function explorerModelAgainstServer(
  graph?: () => KnowledgeGraph | Promise<KnowledgeGraph>,
): () => TestServer {
  let server: TestServer | undefined;
  const nodeFetch = globalThis.fetch;
  beforeAll(async () => {
    const started = await startServer(graph ? await graph() : undefined);
    // the files of a worker share their modules (vitest's isolate: false): the model keeps the
    // answers of the last file's server, maybe of another dataset
    forgetAnswers();
    server = started;
    globalThis.fetch = (input, init) => nodeFetch(new URL(String(input), started.url), init);
  });
  afterAll(async () => {
    globalThis.fetch = nodeFetch;
    forgetAnswers();
    await server?.close();
  });
  return () => {
    if (!server) throw new Error("the explorer's test server is not started yet");
    return server;
  };
}
