/**
 * GraphQL over HTTP compliance, judged by a real peer: the audit suite of the `graphql-http`
 * package (the spec's reference implementation), run against the server as it is served, both
 * with the defaults and locked down (no introspection, no GraphiQL, no batching). Every audit
 * must pass outright: no error, no warning, no notice.
 */
import { serverAudits } from "graphql-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppOptions } from "../../src/server/app.js";
import { startServer, type TestServer } from "../support/server.js";

/**
 * The audits that send `__type(name: $name)` to test variables: with introspection off they are
 * refused, as they should be. They still run, and must fail for exactly that reason.
 */
const INTROSPECTING_AUDITS = new Set(["2EA1", "28B9", "D6D5", "6A70"]);

const configurations: [string, AppOptions][] = [
  ["the default configuration", {}],
  ["a locked-down configuration", { introspection: false, graphiql: false, maxBatch: 0 }],
];

describe.each(configurations)("graphql-http server audits, %s", (_name, options) => {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startServer(undefined, options);
  });
  afterAll(() => server?.close());

  const audits = serverAudits({ url: () => server!.graphql, fetchFn: fetch });

  it("has audits to run", () => {
    expect(audits.length).toBeGreaterThan(30);
  });

  it.each(audits.map((audit) => [audit.name, audit] as const))("%s", async (_auditName, audit) => {
    const result = await audit.fn();
    if (options.introspection === false && INTROSPECTING_AUDITS.has(audit.id)) {
      expect(result.status).not.toBe("ok");
      const body = result.status === "ok" ? "" : await result.response.text();
      expect(body).toContain(
        'GraphQL introspection has been disabled, but the requested query contained the field \\"__type\\".',
      );
      return;
    }
    if (result.status !== "ok") {
      const body = await result.response.text().catch(() => "(unreadable body)");
      expect.fail(
        `${result.status}: ${result.reason}\nstatus ${result.response.status}, body: ${body.slice(0, 500)}`,
      );
    }
  });
});
