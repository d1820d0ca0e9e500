/**
 * Trusted documents (src/server/trusted-documents.ts): the explorer's documents by `documentId`,
 * over GET and POST, never mixed up by the caches in front of Yoga, and the allow-list mode.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import type { AppOptions } from "../../src/server/app.js";
import { loadTrustedDocuments } from "../../src/server/trusted-documents.js";
import { request as explorerRequest } from "../../web/src/api.js";
import { ExplorerSearchDocument, PersonPageDocument } from "../../web/src/gql/graphql.js";
import { type RawResponse, send } from "../support/http.js";
import { startedServers, type TestServer } from "../support/server.js";

let graph: KnowledgeGraph;
const documents = loadTrustedDocuments();
const idOf = (name: string) =>
  [...documents].find(([, text]) => new RegExp(`query ${name}\\b`).test(text))![0];
const SEARCH = idOf("ExplorerSearch");
const PERSON = idOf("PersonPage");
const ACCEPT = { accept: "application/graphql-response+json" };

beforeAll(async () => {
  graph = await loadBuiltInGraph();
});
const servers = startedServers();
afterEach(async () => {
  vi.unstubAllGlobals();
  await servers.closeAll();
});
const serve = (options: AppOptions = {}) => servers.start(graph, options);

const getById = (server: TestServer, id: string, variables?: unknown) =>
  send(server, {
    path: `/graphql?documentId=${encodeURIComponent(id)}${variables ? `&variables=${encodeURIComponent(JSON.stringify(variables))}` : ""}`,
    headers: ACCEPT,
  });
const postBody = (server: TestServer, body: unknown) =>
  send(server, {
    headers: { ...ACCEPT, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const codeOf = (response: RawResponse) => response.json?.errors?.[0]?.extensions?.code;

describe("documentId", () => {
  it("answers each of the explorer's documents by GET and by POST exactly as its text", async () => {
    const server = await serve();
    const cases: [string, unknown][] = [
      [SEARCH, { query: "Szabo" }],
      [PERSON, { key: "gyorgy-szabo" }],
      [idOf("ExplorerBrowse"), undefined],
    ];
    for (const [id, variables] of cases) {
      const byText = await postBody(server, { query: documents.get(id), variables });
      expect(byText.status).toBe(200);
      expect(byText.json.errors).toBeUndefined();
      const byGet = await getById(server, id, variables);
      const byPost = await postBody(server, { documentId: id, variables });
      expect(byGet.status).toBe(200);
      expect(byGet.text).toBe(byText.text);
      expect(byPost.text).toBe(byText.text);
    }
  });

  it("never serves one document's answer for another's, also once the response cache keeps them", async () => {
    const server = await serve();
    const person = (
      await postBody(server, { query: documents.get(PERSON), variables: { key: "gyorgy-szabo" } })
    ).text;
    const search = (
      await postBody(server, { query: documents.get(SEARCH), variables: { query: "Szabo" } })
    ).text;
    expect(person).not.toBe(search);
    for (let round = 0; round < 3; round++) {
      expect((await getById(server, PERSON, { key: "gyorgy-szabo" })).text).toBe(person);
      expect((await getById(server, SEARCH, { query: "Szabo" })).text).toBe(search);
      expect(
        (await postBody(server, { documentId: PERSON, variables: { key: "gyorgy-szabo" } })).text,
      ).toBe(person);
      expect(
        (await postBody(server, { documentId: SEARCH, variables: { query: "Szabo" } })).text,
      ).toBe(search);
    }
    expect(server.app.cache!.hits).toBeGreaterThanOrEqual(4);
  });

  it("gives a GET by documentId a cacheable answer with its own ETag", async () => {
    const server = await serve();
    const person = await getById(server, PERSON, { key: "gyorgy-szabo" });
    const search = await getById(server, SEARCH, { query: "Szabo" });
    expect(person.headers.get("cache-control")).toMatch(/^public, max-age=\d+/);
    expect(person.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]{32}(-gzip|-br)?"$/);
    expect(search.headers.get("etag")).not.toBe(person.headers.get("etag"));
  });

  it("refuses an unknown id, a malformed one, and an id sent with a query, with 400 and a code", async () => {
    const server = await serve();
    const unknown = await getById(server, `sha256:${"0".repeat(64)}`);
    expect([unknown.status, codeOf(unknown)]).toEqual([400, "PERSISTED_QUERY_NOT_FOUND"]);
    const malformed = await getById(server, "sha1:abc");
    expect([malformed.status, codeOf(malformed)]).toEqual([400, "BAD_REQUEST"]);
    expect(malformed.json.errors[0].message).toMatch(/"documentId" must be "sha256:"/);
    const both = await postBody(server, { documentId: SEARCH, query: "{ __typename }" });
    expect([both.status, codeOf(both)]).toEqual([400, "BAD_REQUEST"]);
    const notString = await postBody(server, { documentId: 42 });
    expect([notString.status, codeOf(notString)]).toEqual([400, "BAD_REQUEST"]);
  });
});

describe("trusted documents only (KZ_OSCE_TRUSTED_DOCUMENTS_ONLY)", () => {
  it("answers the documents' ids and refuses query texts, by POST (the fast path too) and GET", async () => {
    const server = await serve({ trustedDocumentsOnly: true });
    expect((await getById(server, PERSON, { key: "gyorgy-szabo" })).json.data.person.name).toBe(
      "György Szabó",
    );
    // the very text of a trusted document is refused too: only ids are accepted
    for (let i = 0; i < 3; i++) {
      const text = await postBody(server, {
        query: documents.get(PERSON),
        variables: { key: "gyorgy-szabo" },
      });
      expect([text.status, codeOf(text)]).toEqual([400, "PERSISTED_QUERY_ONLY"]);
    }
    const get = await send(server, { path: "/graphql?query=%7B__typename%7D", headers: ACCEPT });
    expect([get.status, codeOf(get)]).toEqual([400, "PERSISTED_QUERY_ONLY"]);
    const none = await postBody(server, { variables: {} });
    expect([none.status, codeOf(none)]).toEqual([400, "PERSISTED_QUERY_ONLY"]);
  });

  it("still answers query texts when off (the default)", async () => {
    const server = await serve();
    expect((await postBody(server, { query: "{ __typename }" })).json).toEqual({
      data: { __typename: "Query" },
    });
  });
});

describe("Apollo's automatic persisted queries", () => {
  it("are answered PERSISTED_QUERY_NOT_SUPPORTED, the code Apollo Client's link reads to send the query's text, which is then answered", async () => {
    const query = "{ persons(first: 1) { totalCount } }";
    const persistedQuery = {
      version: 1,
      sha256Hash: createHash("sha256").update(query).digest("hex"),
    };
    for (const only of [false, true]) {
      const server = await serve({ trustedDocumentsOnly: only });
      // the link's first try: the hash alone, by POST or GET
      const posted = await postBody(server, { extensions: { persistedQuery } });
      expect([posted.status, codeOf(posted)]).toEqual([400, "PERSISTED_QUERY_NOT_SUPPORTED"]);
      // what to send instead: the text, or (trusted documents only) a known documentId
      expect(posted.json.errors[0].message).toMatch(
        only ? /send a known "documentId"/ : /send the query's text in "query"/,
      );
      const got = await send(server, {
        path: `/graphql?extensions=${encodeURIComponent(JSON.stringify({ persistedQuery }))}`,
        headers: ACCEPT,
      });
      expect([got.status, codeOf(got)]).toEqual([400, "PERSISTED_QUERY_NOT_SUPPORTED"]);
      // a trusted document's id with a hash beside it is that document's
      const byId = await postBody(server, {
        documentId: PERSON,
        variables: { key: "gyorgy-szabo" },
        extensions: { persistedQuery },
      });
      expect(byId.json.data.person.name).toBe("György Szabó");
    }
    // then the text, with the hash or without
    const server = await serve();
    const withText = await postBody(server, { query, extensions: { persistedQuery } });
    expect(withText.json).toEqual({ data: { persons: { totalCount: graph.keys.person.length } } });
  });
});

describe("the manifest", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "kz-trusted-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("holds sha256 ids of its documents, and a manifest whose id does not match its text is refused", () => {
    for (const [id, text] of documents)
      expect(id).toBe(`sha256:${createHash("sha256").update(text).digest("hex")}`);
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ [SEARCH]: "{ __typename }" }));
    expect(() => loadTrustedDocuments(file)).toThrow(
      /the document of sha256:[0-9a-f]{64} hashes to sha256:/,
    );
  });
});

describe("the explorer", () => {
  it("asks for its documents by GET with documentId and variables, not by POSTing their text", async () => {
    const server = await serve({ trustedDocumentsOnly: true });
    const sent: { method: string; url: string }[] = [];
    const realFetch = globalThis.fetch;
    vi.stubGlobal("fetch", (input: string, init?: RequestInit) => {
      sent.push({ method: init?.method ?? "GET", url: input });
      return realFetch(`${server.url}${input}`, init);
    });
    const data = await explorerRequest(PersonPageDocument, { key: "gyorgy-szabo" });
    expect(data.person?.name).toBe("György Szabó");
    await explorerRequest(ExplorerSearchDocument, { query: "Szabo" });
    expect(sent).toEqual([
      {
        method: "GET",
        url: `/graphql?documentId=${encodeURIComponent(PERSON)}&variables=${encodeURIComponent('{"key":"gyorgy-szabo"}')}`,
      },
      {
        method: "GET",
        url: `/graphql?documentId=${encodeURIComponent(SEARCH)}&variables=${encodeURIComponent('{"query":"Szabo"}')}`,
      },
    ]);
  });
});
