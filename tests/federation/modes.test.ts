/**
 * Subgraph mode is decided before the schema loads (src/schema/federation-mode.ts): the public
 * server never loads the federation plugins, `--subgraph` does, and asking for the subgraph
 * schema of a build without them is a clear error. This file does not enable subgraph mode.
 */
import { createRequire } from "node:module";
import { afterAll, describe, expect, it } from "vitest";
import { enableFederation, federationEnabled } from "../../src/schema/federation-mode.js";
import { schema, subgraphSchema } from "../../src/schema/index.js";
import { type RunningProcess, startProcess } from "../support/processes.js";
import { bundled } from "../support/server-bundle.js";

const running: RunningProcess[] = [];
afterAll(async () => {
  for (const process of running) await process.kill();
});

describe("the public build", () => {
  it("is made without the federation plugins: no AST nodes or entity extensions on its types", () => {
    expect(federationEnabled()).toBe(false);
    const state = schema.getType("State")!;
    expect(state.astNode).toBeUndefined();
    expect(state.extensions).not.toHaveProperty("apollo");
  });

  it("says how to get the subgraph schema, rather than build a broken one", () => {
    expect(() => subgraphSchema()).toThrow(
      "The subgraph schema needs the federation plugins, and the schema was built without them: enable subgraph mode before anything imports src/schema " +
        "(main.ts does for --subgraph; a script or test imports src/schema/with-federation.js first).",
    );
    expect(() => enableFederation()).toThrow(
      /^enableFederation\(\) was called after the schema was built without the federation plugins/,
    );
  });

  // this file runs in a process of its own (vitest.config.ts: the federation files are isolated),
  // which has imported the public server's modules and nothing of subgraph mode
  it("does not even load @apollo/subgraph in the server's process", async () => {
    const require = createRequire(import.meta.url);
    await import("../../src/server/app.js");
    const loaded = Object.keys(require.cache);
    // (the check sees the packages this process loaded: graphql's own CJS build is among them)
    expect(loaded.some((path) => path.includes("/node_modules/graphql/"))).toBe(true);
    expect(loaded.filter((path) => path.includes("@apollo/"))).toEqual([]);
  });
});

describe("npm start -- --subgraph", () => {
  it("serves the subgraph schema, says so, and stops on SIGTERM", async () => {
    // (from the server's bundle: tests/support/server-bundle.ts)
    const server = await startProcess(bundled("main"), {
      args: ["--subgraph", "--port", "0"],
      // load shedding off: a busy machine must not turn the answer into a 503 (tests/support/server.ts)
      env: { KZ_OSCE_LOG_LEVEL: "warn", KZ_OSCE_MAX_EVENT_LOOP_DELAY_MS: "0" },
      ready:
        /^kz-osce-graph: serving the built-in dataset as a federation subgraph at (http:\/\/127\.0\.0\.1:\d+\/graphql)$/m,
      timeoutMs: 120_000,
    });
    running.push(server);
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ _service { sdl } }" }),
    });
    expect(
      ((await response.json()) as { data: { _service: { sdl: string } } }).data._service.sdl,
    ).toContain('type State implements Node & Entity & PostHolder\n  @key(fields: "key")');
    server.child.kill("SIGTERM");
    expect(await server.exited).toEqual({ code: 0, signal: null });
  }, 150_000);
});
