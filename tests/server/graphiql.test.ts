/**
 * GraphiQL's page is rendered by a worker thread, the first time it is asked for, and kept
 * (src/server/graphiql.ts): the package holds GraphiQL's build as 9 MB of source, half a second
 * of parsing that would otherwise hold the main thread (every other request) or every start.
 * tests/server/static.test.ts checks the page served at /graphql.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { graphiqlPages } from "../../src/server/graphiql.js";

describe("GraphiQL's page", () => {
  it("is rendered once per set of options, and not in this thread", async () => {
    const pages = graphiqlPages();
    const options = { title: "a title of its own", endpoint: "/graphql" };
    const first = pages(options);
    expect(pages({ ...options })).toBe(first);
    const page = await first;
    expect(page).toContain("<title>a title of its own</title>");
    expect(page).toContain("YogaGraphiQL.renderYogaGraphiQL(");
    // another title, another page
    expect(await pages({ ...options, title: "another" })).toContain("<title>another</title>");
    // the package (its CommonJS build, which the worker and the fallback require) was never
    // loaded here: nothing in this process imports it
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    expect(loaded.filter((path) => path.includes("render-graphiql"))).toEqual([]);
  });
});
