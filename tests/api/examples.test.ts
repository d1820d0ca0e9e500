/** The example queries: GraphiQL offers them, and the README's answers are what the server says. */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtInDataset } from "../../data/index.js";
import { examples } from "../../src/server/examples.js";
import { startServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** The README's example: the graphql and json blocks under the example's heading. */
function readmeExample(title: string): { query: string; answer: unknown } {
  const start = readme.indexOf(`### ${title}\n`);
  if (start < 0) throw new Error(`README has no example titled "${title}"`);
  const section = readme.slice(start);
  const query = /```graphql\n([\s\S]*?)\n```/.exec(section)?.[1];
  const answer = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (!query || !answer) throw new Error(`README example "${title}" lacks its query or answer`);
  return { query, answer: JSON.parse(answer) };
}

async function post(query: string): Promise<unknown> {
  const response = await fetch(server.graphql, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  return response.json();
}

describe("example queries", () => {
  it.each(examples.map((e) => [e.title, e] as const))("README shows the server's real answer to: %s", async (_title, example) => {
    const shown = readmeExample(example.title);
    expect(shown.query).toBe(example.query);
    const answer = await post(example.query);
    expect(answer).not.toHaveProperty("errors");
    expect(answer).toEqual(shown.answer);
  });

  it("serves GraphiQL with every example as a tab, from the package rather than a CDN", async () => {
    const response = await fetch(server.graphql, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const example of examples) expect(html).toContain(example.query.split("\n")[0]!.replace(/[{].*$/, "").trim());
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdn\./);
  });

  it("answers /health with the number of entities served", async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    const entities = Object.values(builtInDataset).reduce((n, list) => n + list.length, 0);
    expect(await response.json()).toEqual({ status: "ok", entities, overloaded: false, eventLoopDelayMs: expect.any(Number), graphVersion: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
  });
});
