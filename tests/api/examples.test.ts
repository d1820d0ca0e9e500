/**
 * The example queries: GraphiQL offers them, and every answer shown in README.md or a page of
 * docs/ is what the server says. An example in a page is a ```graphql block followed directly by
 * a ```json block (its answer), under a heading that is its title.
 */
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtInDataset } from "../../data/index.js";
import { examples } from "../../src/server/examples.js";
import { startServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

interface ShownExample {
  /** The page, relative to the repository: README.md or docs/<topic>.md. */
  page: string;
  /** The nearest heading above the query. */
  title: string;
  query: string;
  answer: string;
}

const root = new URL("../../", import.meta.url);
const pages = [
  "README.md",
  ...readdirSync(new URL("docs/", root))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`),
];

/** Every query shown with its answer on a page: a graphql block, then at once a json block. */
function shownExamples(page: string): ShownExample[] {
  const text = readFileSync(new URL(page, root), "utf8");
  const found: ShownExample[] = [];
  for (const match of text.matchAll(
    /```graphql\n((?:(?!```)[\s\S])*?)\n```\s*```json\n((?:(?!```)[\s\S])*?)\n```/g,
  )) {
    const headings = [...text.slice(0, match.index).matchAll(/^#+ (.+)$/gm)];
    found.push({
      page,
      title: headings.at(-1)?.[1] ?? "(no heading)",
      query: match[1]!,
      answer: match[2]!,
    });
  }
  return found;
}

const shown = pages.flatMap(shownExamples);

async function post(query: string): Promise<unknown> {
  const response = await fetch(server.graphql, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

describe("example queries", () => {
  it.each(shown.map((e) => [e.page, e.title, e] as const))(
    "%s shows the server's real answer to: %s",
    async (_page, _title, example) => {
      const answer = await post(example.query);
      expect(answer).not.toHaveProperty("errors");
      expect(answer).toEqual(JSON.parse(example.answer));
    },
  );

  it("shows every GraphiQL example in README.md or docs/ under its title, and every shown example is one of them", () => {
    for (const example of examples) {
      const places = shown.filter((e) => e.query === example.query);
      expect(
        places.map((e) => e.title),
        `"${example.title}" is shown in README.md or docs/ (same query, character for character)`,
      ).toContain(example.title);
    }
    for (const example of shown) {
      expect(
        examples.map((e) => e.query),
        `${example.page}, "${example.title}": add it to examples/queries, so that GraphiQL offers it`,
      ).toContain(example.query);
    }
  });

  it("keeps README.md a front door: three examples, at most 250 lines", () => {
    expect(shown.filter((e) => e.page === "README.md")).toHaveLength(3);
    expect(readFileSync(new URL("README.md", root), "utf8").split("\n").length).toBeLessThanOrEqual(
      250,
    );
  });

  it("serves GraphiQL with every example as a tab, from the package rather than a CDN", async () => {
    const response = await fetch(server.graphql, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const example of examples)
      expect(html).toContain(
        example.query
          .split("\n")[0]!
          .replace(/[{].*$/, "")
          .trim(),
      );
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdn\./);
  });

  it("answers /health with the number of entities served", async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    const entities = Object.values(builtInDataset).reduce((n, list) => n + list.length, 0);
    expect(await response.json()).toEqual({
      status: "ok",
      entities,
      overloaded: false,
      eventLoopDelayMs: expect.any(Number),
      graphVersion: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
  });
});
